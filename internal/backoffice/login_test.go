package backoffice

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for next, want := range map[string]string{
		"/\t/host/path":        "/", // what ?next=/%09/host/path decodes to
		"/%09/host/path":       "/",
		"/\n/host":             "/",
		"/ /host":              "/",
		"//evil":               "/",
		"/\\evil":              "/",
		"/%5Cevil":             "/",
		"/%2F/evil":            "/",
		"https://evil":         "/",
		"evil":                 "/",
		"":                     "/",
		"/\x00":                "/",
		"/\xff":                "/",
		"/ok?x=1":              "/ok?x=1",
		"/workers/12":          "/workers/12",
		"/workers?q=%E5%BC%A0": "/workers?q=%E5%BC%A0",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The login form sends the user on only to a clean local path.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	for next, want := range map[string]string{"/%09/host/path": "/", "/\t/host/path": "/", "//evil": "/", "/\\evil": "/", "https://evil": "/", "/ok?x=1": "/ok?x=1"} {
		c := e.Anon()
		_, page := c.Raw("GET", "/login", "", "")
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF field on the login page:\n%s", page)
		}
		form := url.Values{"csrf": {m[1]}, "username": {"clerk-370800"}, "password": {webtest.Password}, "next": {next}}
		resp := c.Do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("next=%q: %d Location %q, want 303 to %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}
