package backoffice

import (
	"net/url"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// Forms and queries with a NUL byte or invalid UTF-8 get a 400 page naming
// the field on both engines (on PostgreSQL they were a 500).
func TestPagesRefuseNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := e.Login("clerk-370800")
		anon := e.Anon()
		_, page := anon.Raw("GET", "/login", "", "")
		m := csrfRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no CSRF field on the login page")
		}
		login := url.Values{"csrf": {m[1]}, "username": {"clerk-370800\x00"}, "password": {"x"}}.Encode()
		for _, tt := range []struct {
			name, method, path, body, field string
			anon                            bool
		}{
			{"NUL in the login name", "POST", "/login", login, "username", true},
			{"NUL in ?q=", "GET", "/workers?q=%00", "", "q", false},
			{"bad UTF-8 in ?q=", "GET", "/employers?q=%C3%28", "", "q", false},
			{"NUL in a form field", "POST", "/employers", url.Values{"csrf": {c.CSRF}, "name": {"a\x00"}}.Encode(), "name", false},
		} {
			cl := c
			if tt.anon {
				cl = anon
			}
			ct := ""
			if tt.method == "POST" {
				ct = "application/x-www-form-urlencoded"
			}
			code, page := cl.Raw(tt.method, tt.path, ct, tt.body)
			if code != 400 || !strings.Contains(page, web.Label(tt.field)+"含有") || strings.Contains(page, "“"+tt.field+"”") {
				t.Errorf("%s: %d, want 400 naming %s:\n%s", tt.name, code, tt.field, page)
			}
		}
	})
}
