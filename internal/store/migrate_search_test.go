package store_test

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// Migration 0010 indexes the employers and workers registered before it:
// they are found by any part of their names, by a credit-code fragment
// and by the last four characters of the ID number (from the stored mask).
func TestSearchMigrationIndexesOldRows(t *testing.T) {
	eachOldDB(t, testSearchMigration)
}

func testSearchMigration(t *testing.T, o *oldDB) {
	ctx := context.Background()
	o.apply(t, 0, 10)
	o.exec(t, `INSERT INTO regions (code, name, parent, level) VALUES ('370000', '山东省', NULL, 'province'),
		('370800', '济宁市', '370000', 'city'), ('370811', '任城区', '370800', 'county')`)
	code := storetest.CreditCode("370811")
	id := storetest.IDNumber("370811", "19800101")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	o.exec(t, `INSERT INTO employers (credit_code, name, region_code, industry, risk_class, rate_tier_pct, status, created_at, updated_at)
		VALUES ($1, '济宁老字号机械有限公司', '370811', '34', 4, 100, 'active', $2, $2)`, code, now)
	o.exec(t, `INSERT INTO workers (id_hash, id_enc, id_masked, name, sex, birth_date, region_code, created_at, updated_at)
		VALUES ($1, $2, $3, '欧阳建国', 'M', '1980-01-01', '370811', $4, $4)`, []byte("hash of "+id), []byte("sealed"), pii.MaskID(id), now)
	o.db.Close()

	s, err := store.Open(ctx, o.url, store.Options{DataKey: storetest.TestKey, AuditKey: storetest.TestAuditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scope := access.ScopeOf("370800")
	for _, q := range []string{"机械", "老字号机械", code[6:14], code} {
		if list, total, err := s.FindEmployers(ctx, scope, store.EmployerFilter{Query: q}); err != nil || total != 1 || len(list) != 1 {
			t.Errorf("employer registered before 0010, query %q: total %d, %v", q, total, err)
		}
	}
	for _, q := range []string{"建国", "阳建国", "欧", id[14:]} {
		if list, total, err := s.FindWorkers(ctx, scope, store.WorkerFilter{Query: q}); err != nil || total != 1 || len(list) != 1 {
			t.Errorf("worker registered before 0010, query %q: total %d, %v", q, total, err)
		}
	}
	// Rows written after it are indexed as well, and renames followed.
	e := registry.Employer{CreditCode: storetest.CreditCode("370811"), Name: "济宁新登记纺织有限公司", RegionCode: "370811", Industry: "17", RiskClass: 2, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, storetest.Actor(access.RoleClerk, "370800"), &e); err != nil {
		t.Fatal(err)
	}
	if _, total, err := s.FindEmployers(ctx, scope, store.EmployerFilter{Query: "纺织"}); err != nil || total != 1 {
		t.Errorf("employer registered after 0010: total %d, %v", total, err)
	}
}
