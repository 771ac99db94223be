package backoffice

import (
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

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

// The users page exports what it lists, audited like every export.
func TestUsersExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("admin-370881")
	resp := c.Do("GET", "/users?format=xlsx", "", nil)
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("users export: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("用户")
	if len(rows) < 4 || !strings.Contains(rows[1][0], "曲阜市 · 系统管理") || rows[2][0] != "用户名" {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[3:] {
		if row[3] != "曲阜市" {
			t.Errorf("曲阜's administrator exports a user of %s", row[3])
		}
	}
	code, page := e.Login("auditor-370800").Raw("GET", "/audit?action=user.export", "", "")
	if code != http.StatusOK || !strings.Contains(page, "导出用户名单") {
		t.Errorf("the export is not in the audit log: %d", code)
	}
}
