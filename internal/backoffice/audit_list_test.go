package backoffice

import (
	"net/http"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

// The audit log pages with the list toolkit: a chosen page size, links
// and the export keeping the filter, bad values named.
func TestAuditLogOnTheListToolkit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("auditor-370800")
	code, page := c.Raw("GET", "/audit?action=worker.create&size=20", "", "")
	if code != http.StatusOK {
		t.Fatalf("audit: %d", code)
	}
	for _, want := range []string{`<option value="20" selected>`, `id="page-jump"`, `href="/audit?action=worker.create&amp;size=20&amp;format=xlsx"`, "共 2 条"} {
		if !strings.Contains(page, want) {
			t.Errorf("audit page lacks %s", want)
		}
	}
	code, page = c.Raw("GET", "/audit?size=7", "", "")
	if code != http.StatusBadRequest || !strings.Contains(page, "每页条数") {
		t.Errorf("size=7: %d, want 400 naming 每页条数", code)
	}
}
