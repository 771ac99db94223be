package portal_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// The injured worker files a long-term residence filing for his own
// recognised case on the portal, sees it, cannot cancel it within the
// holding period, cannot file for another worker's case or file a
// referral, and cannot cancel another worker's filing; an employer has
// no filing pages. Both engines.
func TestPortalFiling(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := env(t, open)
		c := storetest.MustRecognisedCase(t, e.S, "370811")
		other := storetest.MustRecognisedCase(t, e.S, "370811")
		wk, err := e.S.FindWorkerByID(ctx, access.ScopeOf("370811"), c.WorkerID)
		if err != nil {
			t.Fatal(err)
		}
		me := client(e, workerParty(wk))
		code, page := get(me, "/portal/filings")
		if code != 200 || !strings.Contains(page, "暂无异地就医备案") || !strings.Contains(page, c.Number) || strings.Contains(page, other.Number) {
			t.Fatalf("filings page: %d\n%s", code, page)
		}
		// Bad input: the fields' Chinese errors on the form.
		code, page = form(me, "/portal/filings", url.Values{"case_id": {fmt.Sprint(c.ID)}, "kind": {"residence"}, "treat_region": {"37"}, "reason": {""}})
		if code != http.StatusBadRequest || !strings.Contains(page, "就医地应为6位行政区划代码") || !strings.Contains(page, "请填写备案事由") {
			t.Errorf("bad filing: %d\n%s", code, page)
		}
		// Another worker's case, a referral: refused, nothing written.
		if code, page := form(me, "/portal/filings", url.Values{"case_id": {fmt.Sprint(other.ID)}, "kind": {"residence"}, "treat_region": {"370100"}, "reason": {"x"}}); code != http.StatusBadRequest ||
			!strings.Contains(page, "未找到该工伤案件") {
			t.Errorf("another's case: %d\n%s", code, page)
		}
		if code, page := form(me, "/portal/filings", url.Values{"case_id": {fmt.Sprint(c.ID)}, "kind": {"referral"}, "treat_region": {"370100"}, "reason": {"x"}, "institution_code": {"H37010200001"}}); code != http.StatusBadRequest ||
			!strings.Contains(page, "转诊转院备案请由参保地经办机构办理") {
			t.Errorf("referral: %d\n%s", code, page)
		}
		if _, n, _ := e.S.FindFilings(ctx, access.System, store.FilingQuery{}, store.Page{}); n != 0 {
			t.Fatalf("%d filings written by refused requests", n)
		}
		resp := me.Do("POST", "/portal/filings", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"csrf": {me.CSRF},
			"case_id": {fmt.Sprint(c.ID)}, "kind": {"residence"}, "treat_region": {"370100"}, "reason": {"随子女在济南长期居住"}, "address": {"济南市历下区"}}.Encode()))
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/portal/filings?done=filing" {
			t.Fatalf("filing: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		code, page = get(me, "/portal/filings?done=filing")
		if code != 200 || !strings.Contains(page, "异地就医备案已办理") || !strings.Contains(page, "济南市") || !strings.Contains(page, "2026-03-02 至 2027-03-01") ||
			!strings.Contains(page, "2026-06-02起") {
			t.Errorf("after filing:\n%s", page)
		}
		rows, _, _ := e.S.FindFilings(ctx, access.System, store.FilingQuery{}, store.Page{})
		if len(rows) != 1 || rows[0].Channel != "portal" || rows[0].WorkerID != c.WorkerID {
			t.Fatalf("stored: %+v", rows)
		}
		f := rows[0]
		if code, page := form(me, fmt.Sprintf("/portal/filings/%d/cancel", f.ID), url.Values{"version": {"1"}, "reason": {"回济宁"}}); code != http.StatusConflict ||
			!strings.Contains(page, "2026-06-02起") {
			t.Errorf("cancel in the holding period: %d\n%s", code, page)
		}
		// Another worker's filing: not his to see or cancel.
		theirs := settlement.Filing{CaseID: other.ID, WorkerID: other.WorkerID, RegionCode: "370811", Kind: settlement.Posted, TreatRegion: "320300",
			Reason: "派驻徐州", ValidFrom: "2025-10-01", ValidTo: "2026-09-30", FiledOn: "2025-10-01", State: settlement.FilingActive, Channel: "window"}
		if err := e.S.LoadFiling(ctx, access.System, &theirs); err != nil {
			t.Fatal(err)
		}
		if code, _ := form(me, fmt.Sprintf("/portal/filings/%d/cancel", theirs.ID), url.Values{"version": {"1"}, "reason": {"x"}}); code != http.StatusNotFound {
			t.Errorf("cancel another's filing: %d", code)
		}
		if _, page := get(me, "/portal/filings"); strings.Contains(page, "派驻徐州") {
			t.Error("the worker sees another's filing")
		}
		// His own filing past its holding period: cancelled.
		mineOld := settlement.Filing{CaseID: c.ID, WorkerID: c.WorkerID, RegionCode: "370811", Kind: settlement.Posted, TreatRegion: "320300",
			Reason: "曾派驻徐州", ValidFrom: "2025-10-01", ValidTo: "2026-09-30", FiledOn: "2025-10-01", State: settlement.FilingActive, Channel: "window"}
		if err := e.S.LoadFiling(ctx, access.System, &mineOld); err != nil {
			t.Fatal(err)
		}
		if code, _ := form(me, fmt.Sprintf("/portal/filings/%d/cancel", mineOld.ID), url.Values{"version": {"1"}, "reason": {"项目结束"}}); code != http.StatusSeeOther {
			t.Errorf("cancel: %d", code)
		}
		if got, _ := e.S.FindFiling(ctx, access.System, mineOld.ID); got.State != settlement.FilingCancelled {
			t.Errorf("not cancelled: %+v", got)
		}
		// The employer of the case has no filing pages.
		emp := employerOf(t, e, c.EmployerID)
		if code, _ := get(client(e, employerParty(emp)), "/portal/filings"); code != http.StatusNotFound {
			t.Errorf("employer: %d", code)
		}
	})
}

func employerOf(t *testing.T, e *webtest.Env, id int64) registry.Employer {
	t.Helper()
	emp, err := e.S.FindEmployerByID(ctx, access.ScopeOf("370811"), id)
	if err != nil {
		t.Fatal(err)
	}
	return emp
}
