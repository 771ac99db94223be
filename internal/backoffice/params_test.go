package backoffice

import (
	"context"
	"net/http"
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
	if code != http.StatusForbidden || !strings.Contains(body, "无权维护曲阜市（370881）的参数") || !strings.Contains(body, `value="5999.40"`) {
		t.Errorf("rc-admin form for 370881: %d, want 403 with the message and the input kept", code)
	}
	_, page := rc.Raw("GET", "/params", "", "")
	if !strings.Contains(page, `value="370811"`) {
		t.Error("the form does not default to the user's own region")
	}
}
