package backoffice

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
	"gongshang/internal/webtest"
)

func download(t *testing.T, c *webtest.Client, path string, want int) (http.Header, []byte) {
	t.Helper()
	resp := c.Do("GET", path, "", nil)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d\n%.600s", path, resp.StatusCode, want, b)
	}
	return resp.Header, b
}

func TestSupervisionVisitPackDownloads(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		actor := storetest.Actor(access.RoleAuditor, "370800")
		inst := settlement.Institution{Code: "H37080200001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: settlement.Medical, Level: 3,
			AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
		sys := access.System
		sys.RegionCode = "370000"
		if err := e.S.CreateInstitution(ctx, sys, &inst); err != nil {
			t.Fatal(err)
		}
		x, err := e.S.ImportExtract(ctx, actor, "ui-pack", storetest.PackExtract())
		if err != nil {
			t.Fatal(err)
		}
		sc, err := e.S.StartScan(ctx, actor, x.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.S.RunScan(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
		leads, _, err := e.S.FindLeads(ctx, actor.Scope(), store.LeadFilter{ScanID: sc.ID, Institution: inst.Code})
		if err != nil || len(leads) == 0 {
			t.Fatalf("leads %v", err)
		}
		lead, err := e.S.ReviewLead(ctx, actor, leads[0].ID, leads[0].Version, "confirm", "核实属实")
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.S.PlanCampaign(ctx, actor, sc.ID, 2026, "2026年度稽核", supervision.PlanOptions{HighShare: 0.5, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []supervision.Inspector{{Name: "张一", County: "370811", Specialty: "基金管理", Officer: true},
			{Name: "李二", County: "370811", Specialty: "基金管理", Officer: true}, {Name: "王三", County: "370830", Specialty: "基金管理", Officer: true},
			{Name: "赵四", County: "370830", Specialty: "基金管理", Officer: true}} {
			if _, err := e.S.AddInspector(ctx, actor, p); err != nil {
				t.Fatal(err)
			}
		}
		if c, err = e.S.DrawCampaignTeams(ctx, actor, c.ID, c.Version, 2); err != nil {
			t.Fatal(err)
		}
		visits, _ := e.S.CampaignVisits(ctx, actor.Scope(), c.ID)
		var visit store.CampaignVisit
		for _, v := range visits {
			if v.Institution == inst.Code {
				visit = v
			}
		}
		vp := "/supervision/visits/" + strconv.FormatInt(visit.ID, 10)
		auditor, insurer, other := e.Login("auditor-370800"), e.Login("insurer-370800"), e.Login("auditor-370881")

		// the campaign page links the downloads
		page := getPage(t, auditor, "/supervision/campaigns/"+strconv.FormatInt(c.ID, 10), 200)
		if !strings.Contains(page, `href="`+vp+`/pack.pdf"`) || !strings.Contains(page, `href="`+vp+`/pack.xlsx"`) {
			t.Fatalf("no pack links on the campaign page:\n%s", page)
		}

		h, b := download(t, auditor, vp+"/pack.pdf", 200)
		if !bytes.HasPrefix(b, []byte("%PDF")) || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("pack.pdf: %q %q %.20q", h.Get("Content-Type"), h.Get("Content-Disposition"), b)
		}
		_, b = download(t, auditor, vp+"/pack.xlsx", 200)
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); !slices.Equal(got, []string{"风险概况", "线索", "抽样病例", "检查清单"}) {
			t.Fatalf("sheets %q", got)
		}
		rows, _ := f.GetRows("线索")
		if len(rows) != 3+len(leads) {
			t.Fatalf("线索 has %d rows for %d leads: %q", len(rows), len(leads), rows)
		}
		ids := map[string]bool{}
		for _, r := range rows[3:] {
			ids[r[0]] = true
		}
		for _, l := range leads {
			if !ids[strconv.FormatInt(l.ID, 10)] {
				t.Fatalf("lead %d not in the sheet %q", l.ID, rows)
			}
		}
		sample, _ := f.GetRows("抽样病例")
		if len(sample) < 4 || sample[3][1] != "370802198005120033" {
			t.Fatalf("auditor's sample %q", sample)
		}
		if check, _ := f.GetRows("检查清单"); len(check) < 4 {
			t.Fatalf("checklist sheet %q", check)
		}

		// the insurer's staff: persons masked
		_, b = download(t, insurer, vp+"/pack.xlsx", 200)
		f, err = excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sample, _ = f.GetRows("抽样病例")
		if len(sample) < 4 || sample[3][1] != "370802********0033" || sample[3][2] != "赵*" {
			t.Fatalf("insurer's sample %q", sample)
		}
		if _, pb := download(t, insurer, vp+"/pack.pdf", 200); !bytes.HasPrefix(pb, []byte("%PDF")) {
			t.Fatal("insurer's pack.pdf")
		}
		// another county's auditor: refused by the route's region check
		download(t, other, vp+"/pack.pdf", http.StatusForbidden)
		download(t, other, vp+"/letters/feedback.pdf", http.StatusForbidden)

		// letters: refused until a finding is in the right state
		if _, b := download(t, auditor, vp+"/letters/feedback.pdf", 409); !strings.Contains(string(b), "没有已反馈的稽核发现") {
			t.Fatalf("feedback without findings:\n%s", b)
		}
		download(t, auditor, vp+"/letters/other.pdf", 404)
		ff, err := e.S.RecordFieldFinding(ctx, actor, visit.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation,
			LeadIDs: []int64{lead.ID}, Description: "重复收取检查费"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.ActOnFieldFinding(ctx, actor, ff.ID, ff.Version, supervision.ActFeedBack, "", "2026-12-31"); err != nil {
			t.Fatal(err)
		}
		h, b = download(t, auditor, vp+"/letters/feedback.pdf", 200)
		if !bytes.HasPrefix(b, []byte("%PDF")) || !strings.Contains(h.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("feedback.pdf %q", h)
		}
		if _, b := download(t, auditor, vp+"/letters/notice.pdf", 409); !strings.Contains(string(b), "集体审议确认") {
			t.Fatalf("notice before the review:\n%s", b)
		}
		// issuing: numbered, kept, printed the same on every download; the
		// notice is refused before the review; the insurer may not issue
		if st, body := postForm(insurer, vp+"/letters/feedback"); st != http.StatusForbidden {
			t.Fatalf("the insurer issued a letter: %d %.300s", st, body)
		}
		if st, body := postForm(auditor, vp+"/letters/notice"); st != http.StatusConflict || !strings.Contains(body, "集体审议确认") {
			t.Fatalf("a notice issued before the review: %d %.300s", st, body)
		}
		if st, body := postForm(auditor, vp+"/letters/feedback"); st != http.StatusSeeOther {
			t.Fatalf("issuing the feedback: %d %.300s", st, body)
		}
		issued, err := e.S.AuditLetters(ctx, actor, visit.ID)
		if err != nil || len(issued) != 1 || issued[0].Number != "济人社稽〔2026〕000001号" || len(issued[0].FindingIDs) != 1 {
			t.Fatalf("issued letters %+v %v", issued, err)
		}
		lp := fmt.Sprintf("/supervision/audit-letters/%d", issued[0].ID)
		_, first := download(t, auditor, lp, 200)
		_, again := download(t, auditor, lp, 200)
		if !bytes.HasPrefix(first, []byte("%PDF")) || !bytes.Equal(first, again) {
			t.Fatal("an issued letter prints differently on a second download")
		}
		download(t, other, lp, http.StatusForbidden)
		if _, page := download(t, auditor, vp, 200); !strings.Contains(string(page), "济人社稽〔2026〕000001号") {
			t.Fatal("the visit page does not list the issued letter")
		}
		var n int
		if err := e.S.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_pending WHERE action = $1) + (SELECT COUNT(*) FROM audit_log WHERE action = $1)`,
			store.PackDownload).Scan(&n); err != nil || n != 4 {
			t.Fatalf("%d pack downloads audited, want 4 (%v)", n, err)
		}
	})
}
