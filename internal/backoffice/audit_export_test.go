package backoffice

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// The export names its entries in batches: every entry of the filter is
// written once, in order, whatever the batch size. (Not parallel: it sets
// the batch size.)
func TestAuditExportAllPagesInBatches(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	defer func(n int) { auditExportBatch = n }(auditExportBatch)
	auditExportBatch = 2
	for _, name := range []string{"高静", "马俊杰", "朱红梅"} {
		storetest.MustWorker(t, e.S, e.Home, name)
	}
	c := e.Login("auditor-370800")
	resp := c.Do("GET", "/audit?action=worker.create&format=xlsx", "", nil)
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", resp.StatusCode, buf.String())
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("审计日志")
	_, total, _ := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370800"), store.AuditFilter{Action: "worker.create"})
	if total != 5 || len(rows) != 3+total {
		t.Fatalf("%d rows for %d entries (want title, note, header and each entry): %q", len(rows), total, rows)
	}
	names := map[string]bool{}
	for _, r := range rows[3:] {
		names[r[7]] = true
		if !strings.Contains(strings.Join(r, "|"), "登记职工") || !strings.Contains(strings.Join(r, "|"), "任城区") && !strings.Contains(strings.Join(r, "|"), "曲阜市") {
			t.Errorf("row %q", r)
		}
	}
	for _, want := range []string{"高静", "马俊杰", "朱红梅", "孙明", "周婷"} {
		if !names[want] {
			t.Errorf("no row names %s: %v", want, names)
		}
	}
}
