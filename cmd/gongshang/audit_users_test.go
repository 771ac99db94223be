package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

const formType = "application/x-www-form-urlencoded"

// The audit page shows a change as a before/after table with Chinese
// labels, names the actor, role, regions and object, filters by the URL
// and exports what it shows; bad filters are field errors.
func TestAuditPageReadableAndExported(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	clerk := e.Login("clerk-370800")
	if code := clerk.JSON("PATCH", fmt.Sprintf("/api/v1/employers/%d", e.Home.ID), map[string]string{"address": "济宁市任城区审计路8号"}, nil); code != http.StatusOK {
		t.Fatalf("patch: %d", code)
	}
	auditor := e.Login("auditor-370800")
	q := url.Values{"action": {"employer.update"}, "region": {"370811"}, "from": {"2026-03-02"}, "to": {"2026-03-02"}}
	code, page := auditor.Raw("GET", "/audit?"+q.Encode(), "", "")
	if code != http.StatusOK {
		t.Fatalf("audit page: %d", code)
	}
	changed := regexp.MustCompile(`<tr class="changed"><th scope="row">地址</th><td>([^<]*)</td><td>济宁市任城区审计路8号</td></tr>`)
	for _, want := range []string{"修改用人单位", "任城区", "窗口受理", fmt.Sprintf(`<a href="/employers/%d">%s</a>`, e.Home.ID, e.Home.Name),
		"测试窗口受理（clerk-370800）", `<option value="employer.update" selected>修改用人单位</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	if !changed.MatchString(page) {
		t.Errorf("audit page has no changed row for the address")
	}
	if strings.Contains(page, `"address"`) || strings.Contains(page, "370811") && !strings.Contains(page, `value="370811"`) {
		t.Errorf("audit page shows raw JSON or a region code")
	}
	if n := strings.Count(page, `class="changed"`); n != 2 { // 地址, 版本号 (the test clock stands still: same 修改时间)
		t.Errorf("%d changed rows, want 2 (address, version)", n)
	}
	// Another day: nothing.
	q.Set("from", "2026-03-03")
	q.Set("to", "2026-03-04")
	if _, page := auditor.Raw("GET", "/audit?"+q.Encode(), "", ""); !strings.Contains(page, "没有符合条件的记录") {
		t.Errorf("a day without changes lists some")
	}
	// Bad filters.
	for _, bad := range []string{"from=2026-13-01", "to=2026-03-01&from=2026-03-02", "object=5", "region=370881"} {
		other := auditor
		if bad == "region=370881" {
			other = e.Login("auditor-370881")
			bad = "region=370811"
		}
		if code, page := other.Raw("GET", "/audit?"+bad, "", ""); code != http.StatusBadRequest || !strings.Contains(page, `id="filter-error"`) {
			t.Errorf("filter %s: %d", bad, code)
		}
	}
	// The export: the same filter, all pages, with a title naming it.
	q.Set("from", "2026-03-02")
	q.Set("to", "2026-03-02")
	q.Set("format", "xlsx")
	resp := auditor.Do("GET", "/audit?"+q.Encode(), "", nil)
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("审计日志")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("export rows: %d, want title, note, header and one entry: %q", len(rows), rows)
	}
	for _, want := range []string{"2026-03-02至2026-03-02", "任城区", "修改用人单位"} {
		if !strings.Contains(rows[0][0], want) {
			t.Errorf("title %q lacks %q", rows[0][0], want)
		}
	}
	if !strings.Contains(rows[1][0], "济宁市 · 基金稽核 · 测试基金稽核") || !strings.Contains(rows[1][0], "北京时间") {
		t.Errorf("note %q", rows[1][0])
	}
	entry := strings.Join(rows[3], "|")
	for _, want := range []string{"修改用人单位", e.Home.Name, "地址：", "→ 济宁市任城区审计路8号", "任城区"} {
		if !strings.Contains(entry, want) {
			t.Errorf("exported entry %q lacks %q", entry, want)
		}
	}
}

// Every change reports itself once, through the session: the page after
// the redirect shows the message, a reload does not, and no URL carries it.
func TestFlashShownOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	admin := e.Login("admin-370800")
	target := e.Users["benefits-370881"]
	form := url.Values{web.CSRFField: {admin.CSRF}, "role": {"auditor"}, "region_code": {"370881"}}
	resp := admin.Do("POST", fmt.Sprintf("/users/%d/role", target.ID), formType, strings.NewReader(form.Encode()))
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users" {
		t.Fatalf("role change: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := admin.Raw("GET", "/users", "", "")
	if !strings.Contains(page, `id="flash"`) || !strings.Contains(page, "现为：曲阜市 · 基金稽核") {
		t.Fatalf("the page after the change has no message")
	}
	if _, page := admin.Raw("GET", "/users", "", ""); strings.Contains(page, `id="flash"`) {
		t.Fatalf("the message shows twice")
	}
	// The header names region, role and user.
	if !strings.Contains(page, `济宁市 · 系统管理 · 测试系统管理`) {
		t.Errorf("header lacks 济宁市 · 系统管理 · 测试系统管理")
	}
	// The users page shows the new role, the region's name, and last logins.
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr id="user-%d">.*?</tr>`, target.ID)).FindString(page)
	if !strings.Contains(row, "基金稽核") || !strings.Contains(row, "曲阜市") || !strings.Contains(row, "从未登录") {
		t.Errorf("user row: %s", row)
	}
}

// The users page refuses, on the user's row and by name, a change of
// oneself, a region outside the administrator's subtree and the removal of
// a region's last administrator; nothing changes.
func TestUsersPageRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	county := e.Login("admin-370881")
	city := e.Login("admin-370800")
	me := e.Users["admin-370881"]
	clerk := e.Users["clerk-370881"]
	for _, tt := range []struct {
		name   string
		c      *webtest.Client
		id     int64
		role   string
		region string
		status int
		text   string
	}{
		{"oneself", county, me.ID, "clerk", "370881", http.StatusConflict, "不能修改自己的角色或地区"},
		{"outside the subtree", county, clerk.ID, "clerk", "370811", http.StatusBadRequest, "无权把用户调往其他地区（任城区）"},
		{"the last administrator", city, me.ID, "clerk", "370881", http.StatusConflict, "最后一个启用的系统管理员"},
	} {
		form := url.Values{web.CSRFField: {tt.c.CSRF}, "role": {tt.role}, "region_code": {tt.region}}
		code, page := tt.c.Raw("POST", fmt.Sprintf("/users/%d/role", tt.id), formType, form.Encode())
		if code != tt.status || !strings.Contains(page, `id="user-error"`) || !strings.Contains(page, tt.text) {
			t.Errorf("%s: %d, want %d with %q", tt.name, code, tt.status, tt.text)
		}
	}
	if u, _ := e.S.FindUserByID(t.Context(), clerk.ID); u.RegionCode != "370881" || u.Role != "clerk" {
		t.Errorf("a refused change changed the user: %s %s", u.Role, u.RegionCode)
	}
	// A bad new password is told on the row, not on an error page.
	form := url.Values{web.CSRFField: {county.CSRF}, "password": {"1234567890"}}
	if code, page := county.Raw("POST", fmt.Sprintf("/users/%d/password", clerk.ID), formType, form.Encode()); code != http.StatusBadRequest || !strings.Contains(page, `id="user-error"`) {
		t.Errorf("trivial password: %d", code)
	}
	// Error pages carry a title.
	if code, page := county.Raw("GET", fmt.Sprintf("/employers/%d", e.Home.ID), "", ""); code != http.StatusForbidden ||
		!strings.Contains(page, "<title>无权访问 · ") || !strings.Contains(page, "任城区") {
		t.Errorf("forbidden page: %d", code)
	}
}
