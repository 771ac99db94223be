package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/his"
	"gongshang/internal/hissim"
)

// quietClient is a client of an active medical institution in a region no
// test person is treated in, so its settlements are only this test's.
func (e *settleEnv) quietClient(t *testing.T) *hissim.Client {
	t.Helper()
	used := map[string]bool{}
	for _, p := range e.fx.Persons {
		used[p.TreatAdmvs] = true
	}
	for _, d := range e.demo.Institutions {
		if d.Type == "medical" && d.Status == "active" && strings.HasPrefix(d.Admvs, "3708") && !used[d.Admvs] {
			return e.client(t, d.Admvs, "medical")
		}
	}
	t.Fatal("no quiet institution")
	return nil
}

func settleOf(p hissim.FixturePerson, r hissim.FlowResult) his.SettleInput {
	return his.SettleInput{Data: his.Settlement{PsnNo: r.PsnNo, MdtrtCertType: "02", MdtrtCertNo: p.Certno, MedfeeSumamt: r.Medfee,
		PsnSetlway: "01", MdtrtID: r.MdtrtID, Insutype: his.InsutypeInjury, MidSetlFlag: "0", AcctUsedFlag: "0"}}
}

func wantRefusal(t *testing.T, what string, err error, msg string) {
	t.Helper()
	var ref *hissim.Refusal
	if !errors.As(err, &ref) || !strings.Contains(ref.ErrMsg, msg) {
		t.Errorf("%s: %v, want a refusal containing %q", what, err, msg)
	}
}

// testSettleReliability checks replay, reversal, reconciliation and the
// refusals that must write nothing, over real HTTP.
func testSettleReliability(t *testing.T, e *settleEnv) {
	ctx := context.Background()
	items := e.fx.CoveredItems("drug", "item", "material")
	c := e.quietClient(t)
	p1, p2 := e.person(t, hissim.KindRecognized, 1), e.person(t, hissim.KindRecognized, 2)
	r1, err := c.Flow(ctx, p1, 20, items)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := c.Flow(ctx, p2, 15, items)
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := r1.Settle.Setlinfo, r2.Settle.Setlinfo
	// The client's later envelopes carry insuplc_admdvs from a 1101.
	person := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p2.Certno, PsnCertType: "01", Certno: p2.Certno}}
	for _, cl := range []*hissim.Client{c} {
		if _, err := cl.Call(ctx, his.InfnoPerson, person, nil); err != nil {
			t.Fatal(err)
		}
	}
	today := his.FormatDate(time.Now())
	totals := func(medfee, fund his.Amount, n int) his.StmtInfo {
		t.Helper()
		var out his.ReconcileTotalsOutput
		in := his.ReconcileTotalsInput{Data: his.ReconcileTotals{Insutype: "410", ClrType: "21", SetlOptins: "370800", StmtBegndate: today,
			StmtEnddate: today, MedfeeSumamt: medfee, FundPaySumamt: fund, FixmedinsSetlCnt: n}}
		if _, err := c.Call(ctx, his.InfnoReconcileTotals, in, &out); err != nil {
			t.Fatal(err)
		}
		return out.Stmtinfo
	}
	if st := totals(s1.MedfeeSumamt+s2.MedfeeSumamt, s1.FundPaySumamt+s2.FundPaySumamt, 2); st.StmtRslt != "0" {
		t.Fatalf("a day's traffic does not balance: %+v", st)
	}

	// 2305 on our side only: the hospital's totals and lines now differ.
	cancel := his.CancelSettlementInput{Data: his.SettlementRef{SetlID: s2.SetlID, MdtrtID: s2.MdtrtID, PsnNo: s2.PsnNo}}
	msgid := c.NextMsgid()
	first, err := c.CallMsgid(ctx, his.InfnoCancelSettlement, msgid, cancel, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.CallMsgid(ctx, his.InfnoCancelSettlement, msgid, cancel, nil)
	if err != nil || !bytes.Equal(first.Output, again.Output) {
		t.Errorf("replayed msgid: %v, output %s then %s", err, first.Output, again.Output)
	}
	other := cancel
	other.Data.PsnNo = s1.PsnNo
	_, err = c.CallMsgid(ctx, his.InfnoCancelSettlement, msgid, other, nil)
	wantRefusal(t, "same msgid, other body", err, "报文ID重复")
	var twice his.CancelSettlementOutput
	if _, err := c.Call(ctx, his.InfnoCancelSettlement, cancel, &twice); err != nil {
		t.Errorf("a second 2305 of one settlement: %v", err)
	}
	if st := totals(s1.MedfeeSumamt+s2.MedfeeSumamt, s1.FundPaySumamt+s2.FundPaySumamt, 2); st.StmtRslt != "1" || !strings.Contains(st.StmtRsltDscr, "结算笔数") {
		t.Errorf("after a one-sided cancellation totals say %+v", st)
	}
	var lines his.ReconcileLinesOutput
	in := his.ReconcileLinesInput{Data: his.ReconcileLines{SetlOptins: "370800", StmtBegndate: today, StmtEnddate: today, Detail: []his.ReconcileLine{
		{SetlID: s1.SetlID, MedfeeSumamt: s1.MedfeeSumamt, FundPaySumamt: s1.FundPaySumamt, PsnCashPay: s1.PsnCashPay, RefdSetlFlag: "0"},
		{SetlID: s2.SetlID, MedfeeSumamt: s2.MedfeeSumamt, FundPaySumamt: s2.FundPaySumamt, PsnCashPay: s2.PsnCashPay, RefdSetlFlag: "0"}}}}
	if _, err := c.Call(ctx, his.InfnoReconcileLines, in, &lines); err != nil {
		t.Fatal(err)
	}
	if len(lines.Result) != 1 || lines.Result[0].SetlID != s2.SetlID || !strings.Contains(lines.Result[0].StmtRsltDscr, "退费") {
		t.Errorf("3202 after the cancellation: %+v", lines.Result)
	}

	// Settling again with one msgid twice pays once; 2601 reverses it,
	// twice without harm.
	settle := settleOf(p2, r2)
	msgid = c.NextMsgid()
	var a, b his.SettleOutput
	if _, err := c.CallMsgid(ctx, his.InfnoSettle, msgid, settle, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CallMsgid(ctx, his.InfnoSettle, msgid, settle, &b); err != nil || a.Setlinfo.SetlID != b.Setlinfo.SetlID || a.Setlinfo.SetlID == s2.SetlID {
		t.Errorf("retried 2304: %v, %s then %s (first %s)", err, a.Setlinfo.SetlID, b.Setlinfo.SetlID, s2.SetlID)
	}
	_, err = c.Call(ctx, his.InfnoSettle, settle, nil)
	wantRefusal(t, "a second 2304 with a new msgid", err, "已结算")
	rev := his.ReversalInput{Data: his.Reversal{PsnNo: r2.PsnNo, Omsgid: msgid, Oinfno: his.InfnoSettle}}
	for i := range 2 {
		if _, err := c.Call(ctx, his.InfnoReversal, rev, nil); err != nil {
			t.Errorf("2601 #%d: %v", i+1, err)
		}
	}

	// The archive keeps every envelope, sealed: no ID number in clear.
	rows, err := e.s.DB().QueryContext(ctx, `SELECT request_enc, response_enc FROM his_messages`)
	if err != nil {
		t.Fatal(err)
	}
	archived := 0
	for rows.Next() {
		var req, resp []byte
		if err := rows.Scan(&req, &resp); err != nil {
			t.Fatal(err)
		}
		archived++
		if bytes.Contains(req, []byte(p2.Certno)) || bytes.Contains(resp, []byte(p2.Certno)) {
			t.Errorf("an archived envelope shows the ID number in clear")
		}
	}
	rows.Close()
	if archived < 10 {
		t.Errorf("%d envelopes archived", archived)
	}

	// Refusals.
	other2 := e.client(t, p1.TreatAdmvs, "medical")
	if _, err := other2.Call(ctx, his.InfnoPerson, person, nil); err != nil {
		t.Fatal(err)
	}
	pre := settleOf(p1, r1)
	_, err = other2.Call(ctx, his.InfnoPreSettle, pre, nil)
	wantRefusal(t, "another institution's mdtrt_id", err, "不存在")
	if _, err := c.Call(ctx, his.InfnoPreSettle, settleOf(p2, r2), nil); err != nil {
		t.Errorf("2303 after the reversal: %v", err)
	}
	bad := settleOf(p2, r2)
	bad.Data.MedfeeSumamt += 2
	_, err = c.Call(ctx, his.InfnoPreSettle, bad, nil)
	wantRefusal(t, "medfee_sumamt off by 0.02", err, "medfee_sumamt")

	// Eight tills settle the same bill at once: one settlement.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ids []string
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out his.SettleOutput
			if _, err := c.Call(ctx, his.InfnoSettle, settleOf(p2, r2), &out); err == nil {
				mu.Lock()
				ids = append(ids, out.Setlinfo.SetlID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(ids) != 1 {
		t.Errorf("8 concurrent 2304 of one bill settled %d times: %v", len(ids), ids)
	}

	wrongInst := c.Inst
	wrongInst.Token = strings.Repeat("0", 48)
	wrong := &hissim.Client{BaseURL: c.BaseURL, Inst: wrongInst}
	_, err = wrong.Call(ctx, his.InfnoSignIn, his.SignInInput{SignIn: his.SignInData{OpterNo: "X"}}, nil)
	var se *hissim.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized {
		t.Errorf("wrong token: %v, want 401", err)
	}
	stale := hissim.Client{BaseURL: c.BaseURL, Inst: c.Inst, Now: func() time.Time { return time.Now().Add(-10 * time.Minute) }}
	_, err = stale.Call(ctx, his.InfnoSignIn, his.SignInInput{SignIn: his.SignInData{OpterNo: "X"}}, nil)
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized {
		t.Errorf("stale timestamp: %v, want 401", err)
	}
	testNonceAndSize(t, e, c.Inst)
	testReadOnlyReplay(t, e, c, p2, r2)
	for _, d := range e.demo.Institutions {
		if d.Status == "suspended" {
			for _, in := range e.fx.InstitutionsIn(d.Admvs, d.Type) {
				if in.FixmedinsCode == d.Code {
					sc := hissim.Client{BaseURL: e.url, Inst: in}
					_, err := sc.Call(ctx, his.InfnoSignIn, his.SignInInput{SignIn: his.SignInData{OpterNo: "X"}}, nil)
					wantRefusal(t, "suspended institution", err, "暂停结算")
				}
			}
		}
	}
}

// testNonceAndSize sends raw requests: a nonce used twice is refused with
// 401, a body over 4 MiB with 413.
func testNonceAndSize(t *testing.T, e *settleEnv, inst hissim.FixtureInstitution) {
	t.Helper()
	body := []byte(`{"infno":"9001","msgid":"` + inst.FixmedinsCode + `202612020000000001","fixmedins_code":"` + inst.FixmedinsCode +
		`","infver":"V1.0","inf_time":"` + his.FormatDateTime(time.Now()) + `","input":{"signIn":{"opter_no":"X"}}}`)
	post := func(body []byte, nonce string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, e.url+his.Path, bytes.NewReader(body))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req.Header.Set(his.HeaderPaasID, inst.Paasid)
		req.Header.Set(his.HeaderTimestamp, ts)
		req.Header.Set(his.HeaderNonce, nonce)
		req.Header.Set(his.HeaderSignature, his.Sign(ts, inst.Token, nonce))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	nonce := "n" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if code, b := post(body, nonce); code != http.StatusOK {
		t.Fatalf("first use of a nonce: %d %s", code, b)
	}
	if code, b := post(body, nonce); code != http.StatusUnauthorized || !strings.Contains(b, "随机串") {
		t.Errorf("nonce reused: %d %s", code, b)
	}
	big := append([]byte(`{"infno":"9001","pad":"`), bytes.Repeat([]byte("x"), his.MaxBody)...)
	big = append(big, `"}`...)
	if code, _ := post(big, nonce+"b"); code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over 4 MiB: %d", code)
	}
	for _, junk := range []string{`[]`, `{"infno":"9001"}`, `{"infno":"2304","msgid":"x","input":{"data":{"psn_no":"\u0000"}}}`, `{"infno":1e999}`} {
		code, b := post([]byte(junk), nonce+"j"+strconv.Itoa(len(junk)))
		var env his.Response
		if code != http.StatusOK || json.Unmarshal([]byte(b), &env) != nil || env.Infcode != -1 || env.ErrMsg == "" {
			t.Errorf("junk %q: %d %s", junk, code, b)
		}
	}
}

// testReadOnlyReplay: the read-only transactions (1101, 2303, 3101), whose
// business runs on a read snapshot beside the writer, are archived and
// replayed like the others: the same msgid answers the first answer (a
// refusal too), a different body under it is refused, and they write
// nothing else (the encounter's version does not move).
func testReadOnlyReplay(t *testing.T, e *settleEnv, c *hissim.Client, p hissim.FixturePerson, r hissim.FlowResult) {
	t.Helper()
	ctx := context.Background()
	version := func() (v int64) {
		if err := e.s.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(version), 0) FROM encounters`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	person := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p.Certno, PsnCertType: "01", Certno: p.Certno}}
	refused := settleOf(p, r)
	refused.Data.MdtrtID = "370800X00000000000" // no such encounter
	audit := his.AuditInput{Data: his.EncounterRef{PsnNo: r.PsnNo, MdtrtID: r.MdtrtID}}
	for _, tc := range []struct {
		infno string
		in    any
	}{{his.InfnoPerson, person}, {his.InfnoPreSettle, settleOf(p, r)}, {his.InfnoPreSettle, refused}, {his.InfnoAudit, audit}} {
		msgid := c.NextMsgid()
		first, err1 := c.CallMsgid(ctx, tc.infno, msgid, tc.in, nil)
		again, err2 := c.CallMsgid(ctx, tc.infno, msgid, tc.in, nil)
		if fmt.Sprint(err1) != fmt.Sprint(err2) || first.RespondTime != again.RespondTime || string(first.Output) != string(again.Output) || first.Infcode != again.Infcode {
			t.Errorf("%s replayed: %+v (%v), then %+v (%v)", tc.infno, first, err1, again, err2)
		}
		_, err := c.CallMsgid(ctx, tc.infno, msgid, his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: "x", PsnCertType: "01", Certno: "x"}}, nil)
		wantRefusal(t, tc.infno+" msgid with another body", err, "报文ID重复")
	}
	if after := version(); after != before {
		t.Errorf("read-only transactions changed encounters: versions %d → %d", before, after)
	}
}
