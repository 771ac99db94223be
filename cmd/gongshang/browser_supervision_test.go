package main

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
	"gongshang/internal/webtest"
)

// TestBrowserSupervisionLead walks a lead from the screening list to a
// confirmed field finding and its recovery: the city's auditor uploads a
// settlement extract (a zip of its CSV files), starts a scan (the test
// runs its job; the page follows it by refreshing itself), filters the
// leads, opens one, reads its evidence and confirms it with a reason; then
// adds two inspectors to the pool, plans the year's field audit from the
// scan, draws the team, records a finding on the institution's visit from
// the confirmed lead, feeds it back with a reply deadline and records the
// institution's reply; a second auditor confirms it in the collective
// review, issues the letter and refers it to the penalty department; the
// first books the refund, settles it
// and closes the finding.
func TestBrowserSupervisionLead(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	zipPath := filepath.Join(t.TempDir(), "extract-2025.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, b := range storetest.Extract() {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
	f.Close()

	base := e.TS.URL
	b := staffTab(t, base, "auditor-370800")
	b.do(chromedp.Navigate(base+"/supervision"), chromedp.WaitVisible(`#extract-form`),
		chromedp.SetUploadFiles(`#extract-file`, []string{zipPath}))
	b.submit(`#extract-submit`)
	b.do(chromedp.WaitVisible(`#flash`))
	if got := b.text(`#flash`); !strings.Contains(got, "已导入结算数据") {
		t.Fatalf("import: %q", got)
	}
	b.shot("supervision-01-imported")
	b.do(chromedp.SetValue(`#scan-extract`, "1"))
	b.submit(`#scan-submit`)
	b.do(chromedp.WaitVisible(`#scan-progress`))
	scans, err := e.S.Scans(t.Context(), access.ScopeOf("370800"), 5)
	if err != nil || len(scans) != 1 {
		t.Fatalf("scans: %v %v", scans, err)
	}
	if err := e.S.RunScan(t.Context(), scans[0].ID); err != nil {
		t.Fatal(err)
	}
	// The page reloads itself until the scan is done.
	b.do(chromedp.WaitVisible(`#leads`))
	b.shot("supervision-02-leads")
	b.do(chromedp.SetValue(`#f-category`, "fabricated"))
	b.submit(`#search`)
	if got := b.text(`#total`); !strings.Contains(got, "虚构") {
		t.Fatalf("filtered list: %q", got)
	}
	b.submit(`#leads tbody tr:first-child a`)
	b.do(chromedp.WaitVisible(`#lead-evidence`))
	if got := b.text(`#lead-reason`); got == "" {
		t.Fatal("a lead without its reason")
	}
	b.do(chromedp.SetValue(`#reason`, "调取病历与影像，情况属实"))
	b.submit(`#confirm`)
	b.do(chromedp.WaitVisible(`#flash`))
	if got := b.text(`#lead-review`); !strings.Contains(got, "已确认") || !strings.Contains(got, "情况属实") {
		t.Fatalf("after confirming: %q", got)
	}
	b.shot("supervision-03-confirmed")

	walkLeadToRecovery(t, e, b)
}

func walkLeadToRecovery(t *testing.T, e *webtest.Env, b *tab) {
	ctx := t.Context()
	for _, in := range []struct{ name, county string }{{"王建国", "370811"}, {"李秀英", "370830"}} {
		b.do(chromedp.Navigate(e.TS.URL+"/supervision/campaigns"), chromedp.WaitVisible(`#inspector-form`),
			chromedp.SetValue(`#insp-name`, in.name), chromedp.SetValue(`#insp-region`, in.county),
			chromedp.SetValue(`#insp-specialty`, "基金管理"), chromedp.Click(`#insp-officer`))
		b.submit(`#inspector-submit`)
	}
	if got := b.text(`#inspectors`); !strings.Contains(got, "王建国") || !strings.Contains(got, "李秀英") {
		t.Fatalf("the pool: %q", got)
	}
	b.submit(`#plan-submit`)
	b.do(chromedp.WaitVisible(`#draw-form`), chromedp.SetValue(`#draw-teams`, "1"))
	b.submit(`#draw-submit`)
	if got := b.text(`#campaign-state`); got != "已抽签分组" {
		t.Fatalf("campaign after the draw: %q", got)
	}
	b.shot("supervision-04-drawn")

	// The visit of the confirmed lead's institution offers the lead.
	record := `form[id^=record-]:has(input[name=lead])`
	b.do(chromedp.Click(record+` input[name=lead]`), chromedp.SetValue(record+` select[name=tier]`, "violation"))
	b.submit(record + ` button`)
	campaigns, err := e.S.Campaigns(ctx, access.ScopeOf("370800"))
	if err != nil || len(campaigns) != 1 {
		t.Fatalf("campaigns %v %v", campaigns, err)
	}
	findings, err := e.S.FieldFindings(ctx, access.ScopeOf("370800"), campaigns[0].ID)
	if err != nil || len(findings) != 1 || len(findings[0].LeadIDs) != 1 || findings[0].Fen <= 0 {
		t.Fatalf("field findings %+v %v", findings, err)
	}
	f := findings[0]
	row := fmt.Sprintf(`#finding-%d`, f.ID)
	act := fmt.Sprintf(`#act-%d`, f.ID)
	state := func() string { return b.text(row + ` .state`) }

	b.do(chromedp.SetValue(act+` input[name=due]`, "2026-03-20"))
	b.submit(act + ` button[value=feed_back]`)
	if got := state(); got != "已反馈待回复" {
		t.Fatalf("after the feedback: %q", got)
	}
	b.do(chromedp.SetValue(act+` input[name=note]`, "机构对认定无异议"))
	b.submit(act + ` button[value=reply]`)
	// The recorder may not sit in the collective review.
	b.do(chromedp.SetValue(act+` input[name=note]`, "同意"))
	b.submit(act + ` button[value=confirm]`)
	if got := b.text(`#campaign-error`); !strings.Contains(got, "登记人") {
		t.Fatalf("the recorder's own review: %q", got)
	}

	if _, err := e.S.CreateUser(ctx, access.System, access.NewUser{Username: "auditor2-370800", DisplayName: "第二稽核员",
		Role: access.RoleAuditor, RegionCode: "370800", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	b2 := staffTab(t, e.TS.URL, "auditor2-370800")
	b2.do(chromedp.Navigate(fmt.Sprintf("%s/supervision/campaigns/%d", e.TS.URL, campaigns[0].ID)), chromedp.WaitVisible(act),
		chromedp.SetValue(act+` input[name=note]`, "经集体审议，违规事实清楚，予以确认"))
	b2.submit(act + ` button[value=confirm]`)
	if got := b2.text(row + ` .state`); got != "集体审议确认" {
		t.Fatalf("after the review: %q", got)
	}
	b2.submit(act + ` button[value=notify]`)
	refer := fmt.Sprintf(`#refer-%d`, f.ID)
	b2.do(chromedp.SetValue(refer+` select[name=body]`, "penalty"), chromedp.SetValue(refer+` input[name=doc_no]`, "济人社稽移〔2026〕1号"),
		chromedp.SetValue(refer+` input[name=referred_on]`, "2026-03-02"))
	b2.submit(refer + ` button`)
	if got := b2.text(row + ` .referrals`); !strings.Contains(got, "已移送人力资源社会保障行政部门") || !strings.Contains(got, "济人社稽移〔2026〕1号") {
		t.Fatalf("the referral: %q", got)
	}
	b2.shot("supervision-05-notified")

	yuan := supervision.YuanText(f.Fen)
	b.do(chromedp.Reload(), chromedp.WaitVisible(fmt.Sprintf(`#recover-%d`, f.ID)),
		chromedp.SetValue(fmt.Sprintf(`#recover-%d select[name=kind]`, f.ID), "refund"),
		chromedp.SetValue(fmt.Sprintf(`#recover-%d input[name=amount]`, f.ID), yuan))
	b.submit(fmt.Sprintf(`#recover-%d button`, f.ID))
	recs, err := e.S.Recoveries(ctx, f.ID)
	if err != nil || len(recs) != 1 || recs[0].Fen != f.Fen {
		t.Fatalf("recoveries %+v %v", recs, err)
	}
	settle := fmt.Sprintf(`#settle-%d`, recs[0].ID)
	b.do(chromedp.SetValue(settle+` input[name=recovered]`, yuan))
	b.submit(settle + ` button`)
	if got := b.text(fmt.Sprintf(`#recovery-%d`, recs[0].ID)); !strings.Contains(got, "已追回") {
		t.Fatalf("the recovery after settling: %q", got)
	}
	b.submit(act + ` button[value=close]`)
	if got := state(); got != "已办结" {
		t.Fatalf("after closing: %q (%s)", got, b.text(row))
	}
	b.shot("supervision-06-recovered")
}
