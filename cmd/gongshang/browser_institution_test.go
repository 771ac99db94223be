package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/settlement"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// settleRegisterIDs gives the route walk an institution of 任城区 and a
// filing of the test case's worker (c), for the routes whose {id} is Obj
// "institution" or "filing".
func settleRegisterIDs(t *testing.T, e *webtest.Env, c *casebundle.Case) (institution, filing int64) {
	t.Helper()
	ctx := context.Background()
	in := settlement.Institution{Code: "H37081100777", Name: "任城区路由测试医院", RegionCode: "370811", Type: settlement.Medical, Level: 2,
		AgreementFrom: "2026-01-01", AgreementTo: "2026-12-31"}
	if err := e.S.CreateInstitution(ctx, storetest.Actor(access.RoleAdmin, "370811"), &in); err != nil {
		t.Fatal(err)
	}
	f := settlement.Filing{CaseID: c.ID, WorkerID: c.WorkerID, RegionCode: c.RegionCode, Kind: settlement.Residence, TreatRegion: "370100",
		Reason: "路由测试", ValidFrom: "2026-03-01", ValidTo: "2027-02-28", FiledOn: "2026-03-01", State: settlement.FilingActive, Channel: "window"}
	if err := e.S.LoadFiling(ctx, access.System, &f); err != nil {
		t.Fatal(err)
	}
	return in.ID, f.ID
}

// loginAs signs in to the back office of base as a webtest user.
func (b *tab) loginAs(base, username string) {
	b.t.Helper()
	b.do(chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SetValue(`input[name=username]`, username),
		chromedp.SetValue(`input[name=password]`, webtest.Password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#who`))
}

// The register in a browser: the city's administrator registers an
// institution, issues its credentials (the token is on that answer only,
// gone when the page is opened again) and suspends it with a reason; a
// clerk files a remote-treatment filing on a worker's page.
func TestBrowserInstitutionRegister(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	e := newEnv(t, storetest.OpenSQLite)
	c := storetest.MustRecognisedCase(t, e.S, "370811")
	base := e.TS.URL

	b.loginAs(base, "admin-370800")
	b.do(chromedp.Navigate(base+"/institutions"), chromedp.WaitVisible(`#institution-new`), chromedp.Click(`#institution-new`),
		chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, "H37081100321"),
		chromedp.SendKeys(`#name`, "济宁浏览器测试骨科医院"),
		chromedp.SetValue(`#region_code`, "370811"),
		chromedp.SetValue(`#type`, "medical"),
		chromedp.SetValue(`#level`, "3"),
		chromedp.SetValue(`#beds`, "800"),
		chromedp.SetValue(`#depts`, "骨科、手外科、康复医学科"),
		chromedp.SetValue(`#agreement_from`, "2026-01-01"),
		chromedp.SetValue(`#agreement_to`, "2026-12-31"))
	b.shot("institution-01-form")
	b.do(chromedp.Click(`#submit`), chromedp.WaitVisible(`#institution-name`))
	page := get(b, chromedp.Location())
	if !regexp.MustCompile(`/institutions/[0-9]+$`).MatchString(page) {
		t.Fatalf("after registering: %s", page)
	}
	if flash := get(b, chromedp.Text(`#flash`)); !strings.Contains(flash, "已登记") {
		t.Errorf("flash %q", flash)
	}
	b.shot("institution-02-registered")

	// Credentials, once.
	b.do(chromedp.Click(`#token-issue`), chromedp.WaitVisible(`#token-value`))
	token := get(b, chromedp.Text(`#token-value`))
	warning := get(b, chromedp.Text(`#token-once`))
	if !regexp.MustCompile(`^[0-9a-f]{48}$`).MatchString(token) || !strings.Contains(warning, "只在本页显示这一次") {
		t.Fatalf("token %q, warning %q", token, warning)
	}
	b.shot("institution-03-token-once")
	b.do(chromedp.Navigate(page), chromedp.WaitVisible(`#institution-name`))
	html := get(b, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if strings.Contains(html, token) || strings.Contains(html, "token-value") {
		t.Error("the token is shown again when the page is opened again")
	}
	if !strings.Contains(html, "更换令牌") {
		t.Error("the page does not offer a rotation after the first issue")
	}
	b.shot("institution-04-token-gone")

	// Suspension with a reason.
	b.do(chromedp.SetValue(`#status`, "suspended"),
		chromedp.SendKeys(`#status_reason`, "飞行检查发现挂床住院"),
		chromedp.Click(`#status-submit`),
		chromedp.WaitVisible(`#flash`))
	status := get(b, chromedp.Text(`#institution-status`))
	refusal := get(b, chromedp.Text(`#institution-refusal`))
	if !strings.Contains(status, "暂停结算（飞行检查发现挂床住院）") || !strings.Contains(refusal, "暂停结算") {
		t.Errorf("after suspension: %q / %q", status, refusal)
	}
	b.shot("institution-05-suspended")

	// A clerk files a remote-treatment filing at the window (a tab of
	// its own: its own cookies).
	b = newTab(t)
	b.loginAs(base, "clerk-370800")
	b.do(chromedp.Navigate(fmt.Sprintf("%s/workers/%d", base, c.WorkerID)), chromedp.WaitVisible(`#filing-form`),
		chromedp.SetValue(`#filing-case`, fmt.Sprint(c.ID)),
		chromedp.SetValue(`#filing-kind`, "residence"),
		chromedp.SetValue(`#filing-treat`, "370100"),
		chromedp.SendKeys(`#filing-reason`, "随子女在济南长期居住"),
		chromedp.SendKeys(`#filing-address`, "济南市历下区"))
	b.shot("institution-06-filing-form")
	b.do(chromedp.Click(`#filing-submit`), chromedp.WaitVisible(`#flash`))
	list := get(b, chromedp.Text(`#filing-list`))
	if !strings.Contains(list, "异地长期居住") || !strings.Contains(list, "济南市") || !strings.Contains(list, "2026-06-02起") {
		t.Errorf("filing list: %q", list)
	}
	b.shot("institution-07-filed")
}
