package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// TestMigratePayrollKeepsEntitlements: 0019 rebuilds entitlements on
// SQLite (case and decision become optional for legacy entitlements)
// together with their amount history; rows written before survive, and
// the foreign keys still hold.
func TestMigratePayrollKeepsEntitlements(t *testing.T) {
	ctx := context.Background()
	o := openOldDB(t, store.SQLite, "sqlite", filepath.Join(t.TempDir(), "old.db"))
	o.apply(t, 1, 19)
	dummyRow(t, o, "employers", 4, nil)
	dummyRow(t, o, "workers", 3, map[string]any{"sex": "M"})
	dummyRow(t, o, "cases", 1, map[string]any{"worker_id": 3, "employer_id": 4})
	dummyRow(t, o, "case_services", 2, map[string]any{"case_id": 1})
	o.exec(t, `INSERT INTO entitlements (id, case_id, decision_id, worker_id, region_code, type, payer, amount_fen, start_date,
		payee_kind, payee_name, created_at, updated_at) VALUES (7, 1, 2, 3, '370811', 'disability_allowance', 'fund', 456700,
		'2026-01-01', 'worker', '王某', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`)
	o.exec(t, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_at)
		VALUES (7, '2026-01-01', 456700, '待遇核定', '2026-01-01 00:00:00')`)
	s, err := store.Open(ctx, o.url, store.Options{DataKey: storetest.TestKey, AuditKey: storetest.TestAuditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var amount, history int64
	var source string
	if err := o.db.QueryRow(`SELECT amount_fen, source, (SELECT amount_fen FROM entitlement_amounts WHERE entitlement_id = 7)
		FROM entitlements WHERE id = 7`).Scan(&amount, &source, &history); err != nil {
		t.Fatal(err)
	}
	if amount != 456700 || history != 456700 || source != "decision" {
		t.Errorf("after 0019: amount %d, history %d, source %q", amount, history, source)
	}
	var fk string
	if err := o.db.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'entitlement_amounts'`).Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if want := `REFERENCES "entitlements" (id)`; !strings.Contains(fk, want) {
		t.Errorf("entitlement_amounts after 0019: %s; want %s", fk, want)
	}
}

// dummyRow inserts a row with the given id, the given values, and a
// placeholder for every other NOT NULL column without a default.
func dummyRow(t *testing.T, o *oldDB, table string, id int64, vals map[string]any) {
	t.Helper()
	rows, err := o.db.Query(`SELECT name, type, "notnull", dflt_value FROM pragma_table_info('` + table + `')`)
	if err != nil {
		t.Fatal(err)
	}
	cols, args := []string{"id"}, []any{id}
	for rows.Next() {
		var name, typ string
		var notNull bool
		var dflt sql.NullString
		if err := rows.Scan(&name, &typ, &notNull, &dflt); err != nil {
			t.Fatal(err)
		}
		v, given := vals[name]
		switch {
		case name == "id":
			continue
		case given:
		case !notNull || dflt.Valid:
			continue
		case strings.Contains(typ, "INT") || typ == "BOOLEAN":
			v = 1
		case typ == "BLOB":
			v = []byte(fmt.Sprintf("%s-%d-%s", table, id, name))
		default:
			v = fmt.Sprintf("%s-%d-%s", table, id, name)
		}
		cols, args = append(cols, name), append(args, v)
	}
	rows.Close()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	if _, err := o.db.Exec(`INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`) VALUES (`+marks+`)`, args...); err != nil {
		t.Fatalf("dummy %s: %v", table, err)
	}
}
