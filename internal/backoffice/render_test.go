package backoffice

import (
	"io/fs"
	"strings"
	"testing"
)

// The Content-Security-Policy allows no inline style or script, so a
// template that uses one renders wrong in the browser while tests pass.
func TestTemplatesHaveNoInlineStyleOrScript(t *testing.T) {
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := templateFS.ReadFile(n)
		for _, bad := range []string{`style="`, "<script", "onclick=", "onsubmit=", "javascript:"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %s, which the CSP blocks", n, bad)
			}
		}
	}
}
