package api

import (
	"net/http"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

// The API's audit list takes the back office's filters: action, region,
// CST dates; bad ones are field errors.
func TestAPIAuditFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("auditor-370800")
	var out struct {
		Items []struct {
			Action    string `json:"action"`
			ObjRegion string `json:"object_region"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if code := c.JSON("GET", "/api/v1/audit?action=worker.create&region=370881", nil, &out); code != 200 || out.Total != 1 ||
		out.Items[0].Action != "worker.create" || out.Items[0].ObjRegion != "370881" {
		t.Fatalf("filtered: %d %+v", code, out)
	}
	if code := c.JSON("GET", "/api/v1/audit?to=2000-01-01", nil, &out); code != 200 || out.Total != 0 {
		t.Fatalf("before 2000: %d %+v", code, out)
	}
	code, body := c.Raw("GET", "/api/v1/audit?from=2025-13-01", "", "")
	if code != http.StatusBadRequest || !strings.Contains(body, `"field":"from"`) || !strings.Contains(body, "起始日期") {
		t.Fatalf("bad date: %d %s", code, body)
	}
}
