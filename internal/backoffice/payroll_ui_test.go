package backoffice

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/bankfile"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

var cyclePath = regexp.MustCompile(`^/payroll/cycles/([0-9]+)`)

// openCycleUI opens 任城区's March cycle through the form and returns its id.
func openCycleUI(t *testing.T, e *webtest.Env) int64 {
	t.Helper()
	c := e.Login("benefits-370800")
	resp := c.Do("POST", "/payroll/cycles", "application/x-www-form-urlencoded", strings.NewReader(form(c, "region", "370811", "month", "2026-03")))
	resp.Body.Close()
	m := cyclePath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("open cycle: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func getPage(t *testing.T, c *webtest.Client, path string, want int) string {
	t.Helper()
	code, body := c.Raw("GET", path, "", "")
	if code != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, code, want, body)
	}
	return body
}

func mustPost(t *testing.T, c *webtest.Client, path string, want int, kv ...string) string {
	t.Helper()
	code, body := postForm(c, path, kv...)
	if code != want {
		t.Fatalf("POST %s %v: %d, want %d\n%s", path, kv, code, want, body)
	}
	return body
}

func cycleOf(t *testing.T, e *webtest.Env, id int64) store.PayrollCycle {
	t.Helper()
	c, err := e.S.FindCycle(t.Context(), storetest.Actor("benefits", "370800"), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// upload posts a return file to a batch.
func uploadReturn(t *testing.T, c *webtest.Client, batchID int64, file []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", "return.txt")
	_, _ = fw.Write(file)
	_ = mw.Close()
	return c.Raw("POST", fmt.Sprintf("/payroll/batches/%d/return", batchID), mw.FormDataContentType(), buf.String())
}

// payBatches generates, downloads, sends and returns every new bank file
// of the cycle through the pages, failing the payees named in fail.
func payBatches(t *testing.T, e *webtest.Env, id int64, fail string) {
	t.Helper()
	c := e.Login("benefits-370800")
	mustPost(t, c, fmt.Sprintf("/payroll/cycles/%d/bankfiles", id), http.StatusSeeOther)
	bs, err := e.S.CycleBatches(t.Context(), storetest.Actor("benefits", "370800"), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.State != "generated" {
			continue
		}
		resp := c.Do("GET", fmt.Sprintf("/payroll/batches/%d/file", b.ID), "", nil)
		file, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("download: %d %s", resp.StatusCode, file)
		}
		mustPost(t, c, fmt.Sprintf("/payroll/batches/%d/sent", b.ID), http.StatusSeeOther, "version", fmt.Sprint(b.Version))
		ret, err := bankfile.SimulateReturn(file, func(p bankfile.Payment) (string, string, bool) {
			return "E01", "账户已销户", fail != "" && p.Name == fail
		})
		if err != nil {
			t.Fatal(err)
		}
		if code, body := uploadReturn(t, c, b.ID, ret); code != http.StatusSeeOther {
			t.Fatalf("return: %d\n%s", code, body)
		}
	}
}

func TestPayrollCycleThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		a := storetest.MustPayee(t, e.S, e.Home, "孙大伟", "19700101")
		b := storetest.MustPayee(t, e.S, e.Home, "钱小红", "19750601")
		storetest.MustEntitlement(t, e.S, a, payroll.TypeDisability, 2, 512300, "2025-06")
		eb := storetest.MustEntitlement(t, e.S, b, payroll.TypeDisability, 4, 301000, "2025-10")
		maker, approver := e.Login("benefits-370800"), e.Login("cycle_approver-370800")

		id := openCycleUI(t, e)
		resp := maker.Do("GET", fmt.Sprintf("/payroll/cycles/%d", id), "", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Refresh") != "2" || !strings.Contains(string(body), "正在生成快照") || !strings.Contains(string(body), `<progress id="progress"`) {
			t.Fatalf("opening cycle: refresh %q\n%s", resp.Header.Get("Refresh"), body)
		}
		set, _ := param.Default()
		if err := e.S.RunCycle(t.Context(), set, id); err != nil {
			t.Fatal(err)
		}
		cp := fmt.Sprintf("/payroll/cycles/%d", id)
		got := getPage(t, maker, cp, 200)
		for _, want := range []string{"待提交", "距20日还有18天", `id="act-submit"`, "孙大伟", "钱小红"} {
			if !strings.Contains(got, want) {
				t.Errorf("cycle page lacks %q", want)
			}
		}
		// A stale version is refused with the conflict message.
		body2 := mustPost(t, maker, cp+"/actions", http.StatusConflict, "action", "submit", "version", "1")
		if !strings.Contains(body2, "已被他人修改，请刷新后重试") {
			t.Errorf("stale submit: %s", body2)
		}
		mustPost(t, maker, cp+"/actions", http.StatusSeeOther, "action", "submit", "version", fmt.Sprint(cycleOf(t, e, id).Version))
		if strings.Contains(getPage(t, maker, cp, 200), `id="act-approve"`) {
			t.Error("the preparer is offered the approval")
		}
		mustPost(t, maker, cp+"/actions", http.StatusForbidden, "action", "approve", "version", fmt.Sprint(cycleOf(t, e, id).Version))
		mustPost(t, approver, cp+"/actions", http.StatusBadRequest, "action", "send_back", "version", fmt.Sprint(cycleOf(t, e, id).Version))
		mustPost(t, approver, cp+"/actions", http.StatusSeeOther, "action", "approve", "version", fmt.Sprint(cycleOf(t, e, id).Version))
		if code, _ := approver.Raw("GET", "/payroll/batches/1/file", "", ""); code != http.StatusForbidden {
			t.Errorf("cycle approver downloading a bank file: %d", code)
		}

		// A return file that is not one: every problem listed, nothing applied.
		mustPost(t, maker, cp+"/bankfiles", http.StatusSeeOther)
		bs, _ := e.S.CycleBatches(t.Context(), storetest.Actor("benefits", "370800"), id)
		mustPost(t, maker, fmt.Sprintf("/payroll/batches/%d/sent", bs[0].ID), http.StatusSeeOther, "version", fmt.Sprint(bs[0].Version))
		code, bad := uploadReturn(t, maker, bs[0].ID, []byte("H|nonsense\n"))
		if code != http.StatusBadRequest || !strings.Contains(bad, `id="problems"`) || !strings.Contains(bad, "第1行") {
			t.Fatalf("bad return: %d\n%s", code, bad)
		}
		var file bytes.Buffer
		if _, err := e.S.BankFile(t.Context(), storetest.Actor("benefits", "370800"), bs[0].ID, &file); err != nil {
			t.Fatal(err)
		}
		ret, _ := bankfile.SimulateReturn(file.Bytes(), func(p bankfile.Payment) (string, string, bool) {
			return "E01", "账户已销户", p.Name == "钱小红"
		})
		if code, body := uploadReturn(t, maker, bs[0].ID, ret); code != http.StatusSeeOther {
			t.Fatalf("return: %d\n%s", code, body)
		}
		failed := getPage(t, maker, cp+"?state=failed", 200)
		if !strings.Contains(failed, "账户已销户") || !strings.Contains(failed, "退票") {
			t.Fatalf("failed lines:\n%s", failed)
		}

		// The account is corrected on the beneficiary's page, then re-issued.
		wp := fmt.Sprintf("/payroll/workers/%d", b.ID)
		if !strings.Contains(getPage(t, maker, wp, 200), "账号待更正") {
			t.Error("beneficiary page does not flag the account")
		}
		ent, _ := e.S.FindEntitlement(t.Context(), storetest.Actor("benefits", "370800"), eb)
		badAcct := mustPost(t, maker, fmt.Sprintf("/payroll/entitlements/%d/account", eb), http.StatusBadRequest, "version", fmt.Sprint(ent.Version),
			"bank_name", "济宁银行", "bank_account", "123")
		if !strings.Contains(badAcct, "账号") {
			t.Errorf("bad account message: %s", badAcct)
		}
		mustPost(t, maker, fmt.Sprintf("/payroll/entitlements/%d/account", eb), http.StatusSeeOther, "version", fmt.Sprint(ent.Version),
			"bank_name", "济宁银行", "bank_account", storetest.Card())
		lines, _, _ := e.S.CycleLines(t.Context(), storetest.Actor("benefits", "370800"), id, store.LineFilter{State: "failed"})
		if len(lines) != 1 {
			t.Fatalf("failed lines: %d", len(lines))
		}
		mustPost(t, maker, fmt.Sprintf("/payroll/lines/%d/reissue", lines[0].ID), http.StatusSeeOther, "version", fmt.Sprint(lines[0].Version))
		payBatches(t, e, id, "")
		mustPost(t, maker, cp+"/actions", http.StatusSeeOther, "action", "close", "version", fmt.Sprint(cycleOf(t, e, id).Version))
		if got := getPage(t, maker, cp, 200); !strings.Contains(got, `<dd id="cycle-state">已关闭</dd>`) {
			t.Fatalf("closed cycle page:\n%s", got)
		}

		// The export streams every line, accounts masked.
		resp = maker.Do("GET", cp+"?format=xlsx", "", nil)
		x, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("export: %d %s", resp.StatusCode, x)
		}
		f, err := excelize.OpenReader(bytes.NewReader(x))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("发放明细")
		if len(rows) != 3+3 { // title, note, header; two lines and the re-issue
			t.Errorf("export rows: %d %v", len(rows), rows)
		}
		for _, r := range rows[3:] {
			if !strings.Contains(strings.Join(r, "|"), "****") {
				t.Errorf("account not masked: %v", r)
			}
		}

		dash := getPage(t, maker, "/payroll", 200)
		for _, want := range []string{fmt.Sprintf(`href="/payroll/cycles/%d"`, id), "已按时发放", "100.0%", "伤残津贴", `role="img"`} {
			if !strings.Contains(dash, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		hist := getPage(t, maker, wp, 200)
		if !strings.Contains(hist, "已到账") || !strings.Contains(hist, "已重发") {
			t.Errorf("payment history of 钱小红:\n%s", hist)
		}
	})
}

func TestPayrollFormsNameTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	maker := e.Login("benefits-370800")
	got := mustPost(t, maker, "/payroll/cycles", http.StatusBadRequest, "region", "370811", "month", "2026-13")
	if !strings.Contains(got, `id="open-error"`) || !webtest.HasHan(got) {
		t.Errorf("bad month:\n%s", got)
	}
	got = mustPost(t, maker, "/payroll/cycles", http.StatusBadRequest, "region", "370811", "month", "2027-01")
	if !strings.Contains(got, "不能提前开启") {
		t.Errorf("future month:\n%s", got)
	}
	wp := fmt.Sprintf("/payroll/workers/%d", e.Worker.ID)
	got = mustPost(t, maker, wp+"/events", http.StatusBadRequest, "kind", "death", "on", "2030-01-01", "pension", "abc")
	if !strings.Contains(got, "发生日期应为") || !strings.Contains(got, "基本养老金应为不带符号的元金额") {
		t.Errorf("event form:\n%s", got)
	}
	got = mustPost(t, maker, wp+"/legacy", http.StatusBadRequest, "type", payroll.TypeDisability, "level", "9", "amount", "x", "start", "2026-03",
		"bank_name", "", "bank_account", "1")
	for _, want := range []string{"伤残等级应为1至6级", "月待遇金额应为不带符号的元金额", "请填写开户银行"} {
		if !strings.Contains(got, want) {
			t.Errorf("legacy form lacks %q", want)
		}
	}
	got = mustPost(t, maker, "/payroll/adjustments/preview", http.StatusBadRequest, "region", "370811", "type", payroll.TypeDisability,
		"percent", "5", "floor", "200", "cap", "100", "effective", "2026-03")
	if !strings.Contains(got, "增加额上限（¥100.00）低于下限") && !strings.Contains(got, "低于下限") {
		t.Errorf("cap below floor:\n%s", got)
	}
	mustPost(t, maker, wp+"/legacy", http.StatusSeeOther, "type", payroll.TypeDisability, "level", "3", "amount", "4000.00", "start", "2026-02",
		"bank_name", "中国工商银行济宁分行", "bank_account", storetest.Card())
	if got := getPage(t, maker, wp, 200); !strings.Contains(got, "¥4,000.00") {
		t.Errorf("legacy entitlement not shown:\n%s", got)
	}
}

func TestPayrollAdjustmentPreviewAndApproval(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	w := storetest.MustPayee(t, e.S, e.Home, "孙大伟", "19700101")
	storetest.MustEntitlement(t, e.S, w, payroll.TypeDisability, 2, 500000, "2025-06")
	maker, approver := e.Login("benefits-370800"), e.Login("cycle_approver-370800")
	rule := []string{"region", "370811", "type", payroll.TypeDisability, "level", "2", "percent", "3", "effective", "2026-03", "note", "鲁人社字〔2026〕1号"}
	got := mustPost(t, maker, "/payroll/adjustments/preview", http.StatusOK, rule...)
	if !strings.Contains(got, `<b id="pv-affected">1</b>`) || !strings.Contains(got, "¥150.00") || !strings.Contains(got, `id="prepare"`) {
		t.Fatalf("preview:\n%s", got)
	}
	code, _ := postForm(maker, "/payroll/adjustments", rule...)
	if code != http.StatusSeeOther {
		t.Fatalf("prepare: %d", code)
	}
	as, _ := e.S.Adjustments(t.Context(), storetest.Actor("benefits", "370800"))
	ap := fmt.Sprintf("/payroll/adjustments/%d", as[0].ID)
	if strings.Contains(getPage(t, maker, ap, 200), `id="approve"`) {
		t.Error("the preparer is offered the approval")
	}
	mustPost(t, approver, ap+"/decide", http.StatusBadRequest, "decision", "reject", "version", fmt.Sprint(as[0].Version))
	mustPost(t, approver, ap+"/decide", http.StatusSeeOther, "decision", "approve", "version", fmt.Sprint(as[0].Version))
	if got := getPage(t, approver, ap, 200); !strings.Contains(got, "已执行") {
		t.Errorf("applied adjustment:\n%s", got)
	}
	if got := getPage(t, maker, fmt.Sprintf("/payroll/workers/%d", w.ID), 200); !strings.Contains(got, "¥5,150.00") {
		t.Errorf("new amount not in the history:\n%s", got)
	}
}

func TestPayrollWorkerPageLinksTheBeneficiaryPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	link := fmt.Sprintf(`href="/payroll/workers/%d"`, e.Worker.ID)
	if got := getPage(t, e.Login("benefits-370800"), fmt.Sprintf("/workers/%d", e.Worker.ID), 200); !strings.Contains(got, link) {
		t.Error("the benefits officer's worker page does not link the payroll")
	}
	if got := getPage(t, e.Login("clerk-370800"), fmt.Sprintf("/workers/%d", e.Worker.ID), 200); strings.Contains(got, link) {
		t.Error("a clerk (no payroll.read) is offered the payroll")
	}
}
