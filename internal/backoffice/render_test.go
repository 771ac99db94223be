package backoffice

import (
	"io/fs"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

// The Content-Security-Policy allows no inline style or script, so a
// template that uses one renders wrong in the browser while tests pass.
func TestTemplatesHaveNoInlineStyleOrScript(t *testing.T) {
	t.Parallel()
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := templateFS.ReadFile(n)
		// a script from the server's own files (<script src="/…">) is allowed
		text := strings.ReplaceAll(string(b), `<script src="/`, "")
		for _, bad := range []string{`style="`, "<script", "onclick=", "onsubmit=", "javascript:"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s contains %s, which the CSP blocks", n, bad)
			}
		}
	}
}

// Static files carry a content hash in their URL and stay cacheable;
// everything else is no-store (TestEveryRouteEveryRole).
func TestStaticStaysCacheable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	resp := e.Anon().Do("GET", "/static/app.css", "", nil)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("static: %d Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp = e.Anon().Do("GET", "/login", "", nil)
	resp.Body.Close()
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("login page: Cache-Control %q, want no-store (it carries a CSRF token)", resp.Header.Get("Cache-Control"))
	}
}
