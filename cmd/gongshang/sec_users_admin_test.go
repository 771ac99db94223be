package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// TestAdminResetsAndUnlocks: the API and the users page reset a password
// (the policy applies, the user's sessions end) and unlock an account.
func TestAdminResetsAndUnlocks(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	admin := e.Login("admin-370800")
	target := e.Users["benefits-370881"]
	victim := e.Login(target.Username)
	var bad apiError
	if code := admin.JSON("POST", fmt.Sprintf("/api/v1/users/%d/password", target.ID), passwordInput{Password: "1234567890"}, &bad); code != http.StatusBadRequest || bad.Error.Fields[0].Field != "password" {
		t.Fatalf("trivial password: %d %+v", code, bad)
	}
	var u access.User
	if code := admin.JSON("POST", fmt.Sprintf("/api/v1/users/%d/password", target.ID), passwordInput{Password: "Fresh-start-2026"}, &u); code != http.StatusOK || u.ID != target.ID {
		t.Fatalf("reset: %d %+v", code, u)
	}
	if code := victim.JSON("GET", "/api/v1/me", nil, nil); code != http.StatusUnauthorized {
		t.Fatalf("the user's session after a reset: %d, want 401", code)
	}
	c := e.Anon()
	if code := c.JSON("POST", "/api/v1/session", loginRequest{Username: target.Username, Password: "Fresh-start-2026"}, nil); code != http.StatusCreated {
		t.Fatalf("login with the new password: %d", code)
	}
	for range 5 {
		c.JSON("POST", "/api/v1/session", loginRequest{Username: target.Username, Password: "Wrong-pass-1"}, nil)
	}
	if code := c.JSON("POST", "/api/v1/session", loginRequest{Username: target.Username, Password: "Fresh-start-2026"}, nil); code != http.StatusLocked {
		t.Fatalf("should be locked: %d", code)
	}
	_, page := admin.Raw("GET", "/users", "", "")
	if !strings.Contains(page, fmt.Sprintf(`action="/users/%d/unlock"`, target.ID)) || !strings.Contains(page, "已锁定") {
		t.Fatalf("the users page offers no unlock for the locked account")
	}
	form := url.Values{web.CSRFField: {admin.CSRF}}
	if code, _ := admin.Raw("POST", fmt.Sprintf("/users/%d/unlock", target.ID), "application/x-www-form-urlencoded", form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("unlock form: %d", code)
	}
	if _, body := admin.Raw("GET", "/users", "", ""); !strings.Contains(body, "已解除锁定") {
		t.Fatalf("the users page after the unlock does not say so")
	}
	if code := c.JSON("POST", "/api/v1/session", loginRequest{Username: target.Username, Password: "Fresh-start-2026"}, nil); code != http.StatusCreated {
		t.Fatalf("after unlock: %d", code)
	}
	form.Set("password", "Second-start-2026")
	if code, _ := admin.Raw("POST", fmt.Sprintf("/users/%d/password", target.ID), "application/x-www-form-urlencoded", form.Encode()); code != http.StatusSeeOther {
		t.Fatalf("reset form: %d", code)
	}
	if _, body := admin.Raw("GET", "/users", "", ""); !strings.Contains(body, "密码已重置") {
		t.Fatalf("the users page after the reset does not say so")
	}
	var me struct {
		ID int64 `json:"id"`
	}
	if code := admin.JSON("GET", "/api/v1/me", nil, &me); code != http.StatusOK {
		t.Fatal(code)
	}
	if code := admin.JSON("POST", fmt.Sprintf("/users/%d/disable", me.ID), nil, nil); code == http.StatusOK || code == http.StatusSeeOther {
		t.Fatalf("an administrator disabled themself: %d", code)
	}
}
