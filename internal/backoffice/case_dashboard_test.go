package backoffice

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// decideCase walks a case of 任城区 through the store to a recognition
// decision: two materials, acceptance on accepted, the decision today.
func decideCase(t *testing.T, e *webtest.Env, c *casebundle.Case, accepted string) {
	t.Helper()
	ctx := t.Context()
	for _, m := range []string{"application_form", "diagnosis"} {
		if _, err := e.S.PutCaseFile(ctx, storetest.Actor(access.RoleClerk, c.RegionCode), c.ID, m, m+".pdf", strings.NewReader(minimalPDF+m)); err != nil {
			t.Fatal(err)
		}
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	rec := storetest.Actor(access.RoleRecognition, c.RegionCode)
	sid := c.Service(casebundle.Recognition).ID
	for _, a := range []casebundle.Action{{Name: casebundle.ActAccept, On: accepted},
		{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised, Ground: "14.1"}} {
		if _, _, err := e.S.ActOnCase(ctx, rec, set, c.ID, sid, a); err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
	}
}

// dashboard fetches the dashboard page as user.
func dashboard(t *testing.T, e *webtest.Env, user, query string) string {
	t.Helper()
	code, page := e.Login(user).Raw("GET", "/cases/dashboard"+query, "", "")
	if code != 200 {
		t.Fatalf("dashboard %s%s: %d\n%s", user, query, code, page)
	}
	return page
}

// procRow is the HTML of the table row with id.
func procRow(t *testing.T, page, id string) string {
	t.Helper()
	i := strings.Index(page, `<tr id="`+id+`">`)
	if i < 0 {
		t.Fatalf("no row %s", id)
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}

func TestCaseDashboardCountsTheScope(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		// Applied 2026-02-20, decided on the clock's day 2026-03-02: 10 days.
		k := openCase(t, e, e.Worker, e.Home, "2026-02-18", "2026-02-20")
		decideCase(t, e, k, "2026-02-24")

		city := dashboard(t, e, "recognition-370800", "")
		normal := procRow(t, city, "proc-normal")
		for _, want := range []string{`<td class="num">1</td><td class="num">10</td><td class="num">10</td><td>60日</td><td>同法定时限</td><td class="num">100.0%</td><td class="num">100.0%</td>`} {
			if !strings.Contains(normal, want) {
				t.Errorf("normal procedure row %s, want %s", normal, want)
			}
		}
		// The simple procedure: the statute's 15 days, 曲阜's own 7 from the parameters.
		if simple := procRow(t, city, "proc-simple"); !strings.Contains(simple, "<td>15日</td><td>曲阜市7日；其余同法定时限</td>") || !strings.Contains(simple, "<td class=\"num\">—</td>") {
			t.Errorf("simple procedure row %s", simple)
		}
		for _, want := range []string{`id="stat-cases">1<`, `id="stat-trips">2<`, `id="docs-now">2.0<`, `id="chart-days-normal"`, `id="chart-share"`,
			`id="chart-docs"`, `id="chart-channels"`, "统计于 09:30", `<th scope="row">窗口受理</th><td class="num">1</td>`,
			`href="/cases?view=all&amp;overdue=1"`} {
			if !strings.Contains(city, want) {
				t.Errorf("city dashboard lacks %s", want)
			}
		}
		// 曲阜 (its own dashboard, and the city's filtered to it) counts none of 任城区's.
		for i, page := range []string{dashboard(t, e, "recognition-370800", "?region=370881"), dashboard(t, e, "recognition-370881", "")} {
			if row := procRow(t, page, "proc-normal"); !strings.Contains(row, `<td class="num">0</td><td class="num">—</td>`) || !strings.Contains(page, `id="stat-cases">0<`) {
				t.Errorf("曲阜 counts 任城区's case: %s", row)
			}
			if row := procRow(t, page, "proc-simple"); !strings.Contains(row, "<td>15日</td><td>7日</td>") {
				t.Errorf("曲阜's local limit: %s", row)
			}
			if i == 0 && !strings.Contains(page, `href="/cases?view=all&amp;region=370881"`) {
				t.Errorf("queue link not filtered to 曲阜")
			}
		}
		if page := dashboard(t, e, "recognition-370800", "?region=370811"); !strings.Contains(page, `id="stat-cases">1<`) {
			t.Errorf("任城区's filtered dashboard does not count its case")
		}
		// A county outside the user's scope is refused by name.
		if code, page := e.Login("recognition-370881").Raw("GET", "/cases/dashboard?region=370811", "", ""); code != 400 || !strings.Contains(page, "地区") {
			t.Errorf("曲阜 asks for 任城区: %d", code)
		}
		// The figures are kept five minutes per scope, then counted anew.
		openCase(t, e, storetest.MustWorker(t, e.S, e.Home, "李强"), e.Home, "2026-02-25", "2026-02-26")
		if page := dashboard(t, e, "recognition-370800", ""); !strings.Contains(page, `id="stat-cases">1<`) {
			t.Errorf("figures counted anew within the TTL")
		}
		e.Clock.T = e.Clock.T.Add(dashboardTTL + time.Minute)
		if page := dashboard(t, e, "recognition-370800", ""); !strings.Contains(page, `id="stat-cases">2<`) || !strings.Contains(page, "统计于 09:36") {
			t.Errorf("figures not counted anew after the TTL")
		}
	})
}

func TestCaseDashboardLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	if _, page := e.Login("recognition-370800").Raw("GET", "/", "", ""); !strings.Contains(page, `href="/cases/dashboard"`) {
		t.Error("the home page does not link the dashboard")
	}
	if _, page := e.Login("recognition-370800").Raw("GET", "/cases", "", ""); !strings.Contains(page, `id="dashboard" href="/cases/dashboard"`) {
		t.Error("the queue does not link the dashboard")
	}
}

func TestCaseQueueExport(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		k := openCase(t, e, e.Worker, e.Home, "2026-02-26", "2026-03-01")
		other := openCase(t, e, storetest.MustWorker(t, e.S, e.Other, "王芳"), e.Other, "2026-02-26", "2026-03-01")
		c := e.Login("recognition-370800")
		_, page := c.Raw("GET", "/cases?view=all&region=370811", "", "")
		if !strings.Contains(page, `id="export" href="/cases?region=370811&amp;view=all&amp;format=xlsx"`) &&
			!strings.Contains(page, `id="export" href="/cases?view=all&amp;region=370811&amp;format=xlsx"`) {
			t.Errorf("queue lacks the export link:\n%s", page)
		}
		resp := c.Do("GET", "/cases?view=all&region=370811&format=xlsx", "", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
			t.Fatalf("export: %d %v\n%.300s", resp.StatusCode, resp.Header, body)
		}
		if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err != nil || !strings.HasPrefix(params["filename"], "案件待办名单-") {
			t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("案件待办")
		if err != nil {
			t.Fatal(err)
		}
		_, total, err := e.S.CaseQueue(t.Context(), access.ScopeOf("370811"), store.QueueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3+total || total == 0 || rows[2][0] != "案件编号" || rows[2][9] != "超期" || !strings.Contains(rows[1][0], "共"+strconv.Itoa(total)+"条") {
			t.Fatalf("export rows (queue total %d): %q", total, rows)
		}
		rs := k.Service(casebundle.Recognition)
		found := false
		for _, r := range rows[3:] {
			if r[0] == other.Number {
				t.Errorf("the export lists 曲阜's case")
			}
			if r[0] == k.Number && r[3] == casebundle.Recognition.Name() {
				found = true
				if r[1] != "孙明" || r[4] != rs.State.Name() || r[6] != rs.Due || r[7] != "任城区" || r[8] != "普通程序" {
					t.Errorf("recognition row %q", r)
				}
			}
		}
		if !found {
			t.Errorf("the export lacks %s's recognition: %q", k.Number, rows)
		}
		// The export is in the audit log as 导出案件待办, with its filter and count.
		entries, _, err := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370800"), store.AuditFilter{Actor: "recognition-370800"})
		if err != nil || len(entries) == 0 || entries[0].Action != store.ExportCases {
			t.Fatalf("audit after export: %v %+v", err, entries)
		}
		var rec store.ExportRecord
		if err := json.Unmarshal([]byte(entries[0].After), &rec); err != nil || rec.Rows != total || rec.Filters["region"] != "370811" || rec.Title != rows[0][0] {
			t.Errorf("audit entry %s: %+v %v", entries[0].After, rec, err)
		}
		if entries[0].ObjRegion != "370811" {
			t.Errorf("audit region %s", entries[0].ObjRegion)
		}
	})
}

func TestDashboardHelpers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		part, whole int
		share       string
		permille    int
	}{{0, 0, "—", 0}, {1, 1, "100.0%", 1000}, {2, 3, "66.7%", 667}, {1, 8, "12.5%", 125}} {
		if got := share(c.part, c.whole); got != c.share {
			t.Errorf("share(%d, %d) = %s, want %s", c.part, c.whole, got, c.share)
		}
		if got := permille(c.part, c.whole); got != c.permille {
			t.Errorf("permille(%d, %d) = %d, want %d", c.part, c.whole, got, c.permille)
		}
	}
	for _, c := range []struct {
		locals []localLimit
		want   string
	}{
		{nil, "同法定时限"},
		{[]localLimit{{RegionName: "曲阜市", Limit: "7日", Only: true}}, "7日"},
		{[]localLimit{{RegionName: "曲阜市", Limit: "7日"}, {RegionName: "邹城市", Limit: "10日"}}, "曲阜市7日；邹城市10日；其余同法定时限"},
	} {
		if got := (dashProcedure{Locals: c.locals}).LocalText(); got != c.want {
			t.Errorf("LocalText %v = %s, want %s", c.locals, got, c.want)
		}
	}
	// A share chart scales to 100% and writes tenths of a per cent.
	svg := string(drawBars("x", "比例", []bar{{Label: "a", Value: 500}}, chartScale{Max: 1000, Text: func(v int) string { return strconv.Itoa(v/10) + "%" }}))
	if !strings.Contains(svg, `width="210"`) || !strings.Contains(svg, ">50%<") {
		t.Errorf("half share drawn as %s", svg)
	}
	if got := dashChannels(map[casebundle.Channel]int{casebundle.ChannelPortal: 3, "fax": 1}); len(got) != 5 || got[1].Cases != 3 || got[4].Name != "其他渠道" {
		t.Errorf("channels %+v", got)
	}
}
