package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/bankfile"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// TestBrowserPayrollCycle runs 任城区's March cycle from open to closed
// through the pages: the benefits officer opens the month (the test runs
// the cycle's job, which the page follows by refreshing itself) and
// submits it, the cycle approver (another user) approves it, the officer
// generates the bank file, marks it sent and uploads the bank's return
// with one refused payment, corrects the payee's account on the
// beneficiary's page, re-issues the payment, pays the second file and
// closes the cycle.
func TestBrowserPayrollCycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	a := storetest.MustPayee(t, e.S, e.Home, "孙大伟", "19700101")
	b := storetest.MustPayee(t, e.S, e.Home, "钱小红", "19750601")
	storetest.MustEntitlement(t, e.S, a, payroll.TypeDisability, 2, 512300, "2025-06")
	eb := storetest.MustEntitlement(t, e.S, b, payroll.TypeNursing, 0, 304840, "2025-10")
	base := e.TS.URL
	maker := staffTab(t, base, "benefits-370800")

	maker.do(chromedp.Navigate(base+"/payroll"), chromedp.WaitVisible(`#open-form`),
		chromedp.SetValue(`#open-region`, "370811"), chromedp.SetValue(`#open-month`, "2026-03"),
		chromedp.Click(`#open`), chromedp.WaitVisible(`#progress`))
	maker.shot("payroll-01-opening")
	cycles, err := e.S.Cycles(t.Context(), officer(), 10)
	if err != nil || len(cycles) != 1 {
		t.Fatalf("cycles: %v %v", cycles, err)
	}
	id := cycles[0].ID
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.S.RunCycle(t.Context(), set, id); err != nil {
		t.Fatal(err)
	}
	cp := fmt.Sprintf("%s/payroll/cycles/%d", base, id)
	// The page reloads itself until the checks are done.
	maker.do(chromedp.WaitVisible(`#act-submit`))
	maker.shot("payroll-02-review")
	maker.act(cp, `#act-submit`)
	if s := state(maker); s != "待审批" {
		t.Fatalf("after submit: %s", s)
	}

	approver := staffTab(t, base, "cycle_approver-370800")
	approver.act(cp, `#act-approve`)
	if s := state(approver); s != "已审批" {
		t.Fatalf("after approval: %s", s)
	}

	failed := payFiles(t, e, maker, cp, id, "钱小红")
	if !strings.Contains(failed, "退票1笔") {
		t.Fatalf("first return: %q", failed)
	}
	maker.shot("payroll-03-returned")

	// The refused payment: the account is corrected, the payment re-issued.
	ent, err := e.S.FindEntitlement(t.Context(), officer(), eb)
	if err != nil {
		t.Fatal(err)
	}
	maker.do(chromedp.Navigate(fmt.Sprintf("%s/payroll/workers/%d", base, b.ID)), chromedp.WaitVisible(fmt.Sprintf(`#account-%d`, eb)),
		chromedp.SetValue(fmt.Sprintf(`#bank-name-%d`, eb), "济宁银行"), chromedp.SetValue(fmt.Sprintf(`#bank-account-%d`, eb), storetest.Card()),
		chromedp.Click(fmt.Sprintf(`#account-%d`, eb)), chromedp.WaitVisible(`#flash`))
	maker.shot("payroll-04-account")
	_ = ent
	lines, _, err := e.S.CycleLines(t.Context(), officer(), id, store.LineFilter{State: string(payroll.LineFailed)})
	if err != nil || len(lines) != 1 {
		t.Fatalf("failed lines: %d %v", len(lines), err)
	}
	maker.act(cp+"?state=failed", fmt.Sprintf(`#reissue-%d`, lines[0].ID))
	if paid := payFiles(t, e, maker, cp, id, ""); !strings.Contains(paid, "退票0笔") {
		t.Fatalf("second return: %q", paid)
	}
	maker.act(cp, `#act-close`)
	maker.shot("payroll-05-closed")
	if s := state(maker); s != "已关闭" {
		t.Fatalf("after close: %s", s)
	}
}

// officer is the city's benefits officer as the store sees him.
func officer() access.Principal { return storetest.Actor(access.RoleBenefits, "370800") }

// act opens url, clicks the button sel and waits for the change's message.
func (b *tab) act(url, sel string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url), chromedp.WaitVisible(sel), chromedp.Click(sel), chromedp.WaitVisible(`#flash`))
}

func state(b *tab) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, chromedp.Text(`#cycle-state`)))
}

// payFiles generates the cycle's new bank files, marks each sent and
// uploads the bank's answer refusing the payments to fail, through the
// page; it returns the last return's message.
func payFiles(t *testing.T, e *webtest.Env, b *tab, cp string, id int64, fail string) string {
	t.Helper()
	b.act(cp, `#generate`)
	bs, err := e.S.CycleBatches(t.Context(), officer(), id)
	if err != nil {
		t.Fatal(err)
	}
	var msg string
	for _, batch := range bs {
		if batch.State != "generated" {
			continue
		}
		b.act(cp, fmt.Sprintf(`#sent-%d`, batch.ID))
		var file bytes.Buffer
		if _, err := e.S.BankFile(t.Context(), officer(), batch.ID, &file); err != nil {
			t.Fatal(err)
		}
		ret, err := bankfile.SimulateReturn(file.Bytes(), func(p bankfile.Payment) (string, string, bool) {
			return "E01", "账户已销户", fail != "" && p.Name == fail
		})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), batch.Ref+"-return.txt")
		if err := os.WriteFile(path, ret, 0o600); err != nil {
			t.Fatal(err)
		}
		sel := fmt.Sprintf(`#return-file-%d`, batch.ID)
		b.do(chromedp.Navigate(cp), chromedp.WaitVisible(sel), chromedp.SetUploadFiles(sel, []string{path}),
			chromedp.Click(fmt.Sprintf(`#return-%d`, batch.ID)), chromedp.WaitVisible(`#flash`))
		msg = get(b, chromedp.Text(`#flash`))
	}
	return msg
}
