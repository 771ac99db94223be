package backoffice

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// The parameter form goes through the store's region check: 任城区's
// administrator is refused 曲阜市's parameters with 403, the message and
// the input kept.
func TestParamFormRefusesOtherRegions(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	if _, err := e.S.CreateUser(context.Background(), access.System, access.NewUser{Username: "rc-admin", DisplayName: "任城管理员",
		Role: access.RoleAdmin, RegionCode: "370811", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	rc := e.Login("rc-admin")
	code, body := rc.Raw("POST", "/params", "application/x-www-form-urlencoded",
		"csrf="+rc.CSRF+"&table=min_wage&region=370881&effective_from=2026-01-01&value=5999.40&source=PROJ&confidence=U&note=x")
	if code != http.StatusForbidden || !strings.Contains(body, "无权维护曲阜市的参数") || !strings.Contains(body, `value="5999.40"`) {
		t.Errorf("rc-admin form for 370881: %d, want 403 with the message and the input kept", code)
	}
	_, page := rc.Raw("GET", "/params", "", "")
	if !strings.Contains(page, `value="370811"`) {
		t.Error("the form does not default to the user's own region")
	}
}

// The parameter book names keys, values and sources in Chinese, shows
// rates as percentages and money with separators, marks U rows, and keeps
// each row's history with the author of an added version.
func TestParamBookIsReadable(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	if _, err := e.S.CreateUser(context.Background(), access.System, access.NewUser{Username: "rc-admin", DisplayName: "任城管理员",
		Role: access.RoleAdmin, RegionCode: "370811", Password: webtest.Password}); err != nil {
		t.Fatal(err)
	}
	rc := e.Login("rc-admin")
	code, body := rc.Raw("POST", "/params", "application/x-www-form-urlencoded",
		"csrf="+rc.CSRF+"&table=min_wage&region=370811&effective_from=2026-01-01&value=2400&source=PROJ&confidence=U&note=任城区最低工资（待核实）")
	if code != http.StatusSeeOther {
		t.Fatalf("add: %d\n%s", code, visibleText(body))
	}
	_, page := rc.Raw("GET", "/params", "", "")
	if !strings.Contains(page, "已新增参数版本：最低工资标准（月） = ¥2,400.00/月，适用于任城区") {
		t.Error("no flash naming the added version")
	}
	text := visibleText(page)
	for _, want := range []string{"配偶（男）", "七级伤残", "60%", "300%", "¥7,506.00/月", "5个工作日", "未确认之处", "任城管理员",
		"随系统发布", "《工伤保险条例》", "依据文件与可信度说明", "伤残待遇", "程序时限", "劳动能力鉴定 ·  送达劳动能力鉴定结论"} {
		if !strings.Contains(text, want) {
			t.Errorf("parameter book lacks %q", want)
		}
	}
	for _, bad := range []string{"spouse-M", "avg_wage", "base_wage_clamp", "fen_half_up", "regulation.md", "PROJ", "HOL2025"} {
		if strings.Contains(text, bad) {
			t.Errorf("parameter book shows the code %q", bad)
		}
	}
}

var tagRe = regexp.MustCompile(`(?s)<[^>]*>|<script.*?</script>`)

// visibleText is a page without its tags: what a reader sees.
func visibleText(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	return tagRe.ReplaceAllString(page, " ")
}
