package backoffice

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/storetest"
)

var planPath = regexp.MustCompile(`^/prevention/plans/([0-9]+)$`)

// A county plan walked through the pages: the city sets the year, the
// insurer's staff draft and submit 曲阜's plan, the city approves it with
// a cut, a change request moves money, the key industries are adopted.
func TestPreventionPlanThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		city, county, insurer, clerk := e.Login("prevention-370800"), e.Login("prevention-370881"), e.Login("insurer-370800"), e.Login("clerk-370800")
		viewer := storetest.Actor(access.RolePrevention, "370800")

		// the nav and the home page
		home := getPage(t, city, "/prevention?year=2026", 200)
		if !strings.Contains(home, `href="/prevention"`) || !strings.Contains(home, `id="budget-unset"`) {
			t.Fatalf("home before the year is set:\n%s", home)
		}
		if body := getPage(t, clerk, "/", 200); strings.Contains(body, `href="/prevention"`) {
			t.Fatal("a clerk is offered the prevention section")
		}
		getPage(t, clerk, "/prevention", http.StatusForbidden)

		// the year: a raised rate needs its document; the county cannot set it
		if code, body := postForm(city, "/prevention/year", "year", "2026", "version", "0", "income", "1,000,000.00", "rate_pct", "4"); code != 422 && code != 400 || !strings.Contains(body, "批准文号") {
			t.Fatalf("a raised rate without its document: %d\n%s", code, body)
		}
		mustPost(t, city, "/prevention/year", http.StatusSeeOther, "year", "2026", "version", "0", "income", "1,000,000.00")
		if code, _ := postForm(county, "/prevention/year", "year", "2026", "version", "1", "income", "2000000"); code != http.StatusForbidden {
			t.Fatalf("a county sets the year: %d", code)
		}
		if y := getPage(t, county, "/prevention/year?year=2026", 200); !strings.Contains(y, "¥30,000.00") || strings.Contains(y, `id="year-form"`) {
			t.Fatalf("the year as the county sees it:\n%s", y)
		}

		// the insurer's staff draft 曲阜's plan
		resp := insurer.Do("POST", "/prevention/plans", "application/x-www-form-urlencoded", strings.NewReader(form(insurer, "region_code", "370881", "year", "2026")))
		resp.Body.Close()
		m := planPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		path := "/prevention/plans/" + m[1]
		project := []string{"kind", "training", "title", "危险化学品从业人员培训", "programme", "危险化学品", "industry", "26",
			"audience", "安全管理负责人", "audience", "班组长", "sessions", "4", "attendance", "400", "provider_kind", "insurer", "provider", "合作保险机构",
			"line_item", "师资费", "line_yuan", "10,000.00", "line_item", "场地费", "line_yuan", "5000", "line_item", "", "line_yuan", ""}
		bad := append([]string{"version", "1"}, project...)
		bad[len(bad)-5] = "五千"
		if code, body := postForm(insurer, path+"/projects", bad...); code/100 != 4 || !strings.Contains(body, "第2项预算的申请金额") {
			t.Fatalf("a bad amount: %d\n%s", code, body)
		}
		mustPost(t, insurer, path+"/projects", http.StatusSeeOther, append([]string{"version", "1"}, project...)...)
		page := getPage(t, insurer, path, 200)
		if !strings.Contains(page, "危险化学品从业人员培训") || !strings.Contains(page, "¥15,000.00") || !strings.Contains(page, `id="submit-form"`) {
			t.Fatalf("the drafted plan:\n%s", page)
		}
		mustPost(t, insurer, path+"/submit", http.StatusSeeOther, "version", "2", "note", "请审核")
		if p := getPage(t, insurer, path, 200); strings.Contains(p, `id="review-form"`) || strings.Contains(p, `id="project-form"`) {
			t.Fatal("the insurer's staff are offered the review, or the edit of a submitted plan")
		}
		if p := getPage(t, county, path, 200); strings.Contains(p, `id="review-form"`) {
			t.Fatal("the county is offered the review")
		}
		if code, _ := postForm(insurer, path+"/review", "version", "3", "action", "approve"); code != http.StatusForbidden {
			t.Fatalf("the insurer approves: %d", code)
		}

		// the city approves with a cut
		plan, err := e.S.FindPlan(t.Context(), viewer, id)
		if err != nil {
			t.Fatal(err)
		}
		site := plan.Projects[0].Lines[1]
		if !strings.Contains(getPage(t, city, path, 200), `id="review-form"`) {
			t.Fatal("the city is not offered the review")
		}
		cut := fmt.Sprintf("approved_%d", site.ID)
		if code, body := postForm(city, path+"/review", "version", "3", "action", "approve", cut, "3000"); code/100 != 4 || !strings.Contains(body, "核减预算项“场地费”应写明理由") {
			t.Fatalf("a cut without its reason: %d\n%s", code, body)
		}
		mustPost(t, city, path+"/review", http.StatusSeeOther, "version", "3", "action", "approve", cut, "3000", fmt.Sprintf("reason_%d", site.ID), "场地由企业提供")
		page = getPage(t, city, path, 200)
		if !strings.Contains(page, "已批准") || !strings.Contains(page, "¥13,000.00") || !strings.Contains(page, "场地由企业提供") {
			t.Fatalf("the approved plan:\n%s", page)
		}
		if home = getPage(t, county, "/prevention?year=2026", 200); !strings.Contains(home, "¥13,000.00") || !strings.Contains(home, "¥17,000.00") {
			t.Fatalf("the budget after the approval:\n%s", home)
		}

		// a change request moves money, the city approves it
		if !strings.Contains(page, `id="change-form"`) {
			t.Fatal("no change form on the approved plan")
		}
		mustPost(t, insurer, path+"/changes", http.StatusSeeOther, "reason", "场地费调入师资费", "from_line", strconv.FormatInt(site.ID, 10),
			"to_line", strconv.FormatInt(plan.Projects[0].Lines[0].ID, 10), "amount", "1000")
		changes, err := e.S.PlanChanges(t.Context(), id)
		if err != nil || len(changes) != 1 {
			t.Fatalf("changes: %v %v", changes, err)
		}
		mustPost(t, city, fmt.Sprintf("/prevention/changes/%d/decide", changes[0].ID), http.StatusSeeOther, "version", "1", "decision", "approve")
		after, _ := e.S.FindPlan(t.Context(), viewer, id)
		if after.Projects[0].Lines[0].ApprovedFen != 1_100_000 || after.Projects[0].Lines[1].ApprovedFen != 200_000 || after.ApprovedFen != 1_300_000 {
			t.Fatalf("after the change: %+v", after.Projects[0].Lines)
		}

		// the list and its Excel file
		if l := getPage(t, city, "/prevention/plans?year=2026", 200); !strings.Contains(l, "曲阜市") {
			t.Fatalf("plan list:\n%s", l)
		}
		xr := city.Do("GET", "/prevention/plans?year=2026&format=xlsx", "", nil)
		xr.Body.Close()
		if xr.StatusCode != 200 || !strings.Contains(xr.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", xr.StatusCode, xr.Header.Get("Content-Type"))
		}

		// key industries: a recognised injury in 曲阜's division 34, adopted
		storetest.MustRecognisedCase(t, e.S, "370881")
		ind := getPage(t, city, "/prevention/industries?year=2026", 200)
		if !strings.Contains(ind, "<svg") || !strings.Contains(ind, `id="ind-370881-34"`) || !strings.Contains(ind, `id="focus-form"`) {
			t.Fatalf("industries:\n%s", ind)
		}
		if p := getPage(t, county, "/prevention/industries?year=2026", 200); strings.Contains(p, `id="focus-form"`) {
			t.Fatal("the county is offered the adoption")
		}
		mustPost(t, city, "/prevention/industries/focus", http.StatusSeeOther, "year", "2026", "version", "1", "division", "34")
		set, err := param.Default()
		if err != nil {
			t.Fatal(err)
		}
		y, err := e.S.FindPreventionYear(t.Context(), viewer, set, "370800", 2026)
		if err != nil || len(y.Focus.Divisions) != 1 || y.Focus.Divisions[0] != "34" {
			t.Fatalf("focus: %+v %v", y, err)
		}
		xr = city.Do("GET", "/prevention/industries?year=2026&format=xlsx", "", nil)
		xr.Body.Close()
		if xr.StatusCode != 200 {
			t.Fatalf("industries export: %d", xr.StatusCode)
		}
	})
}
