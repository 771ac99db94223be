package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// An audit log written before migration 0007 (plain SHA-256, seq as the
// key, unsigned head) keeps verifying after it, and new entries chain on.
// An entry appended unsealed to audit_log before migration 0009 moves to
// audit_pending with its id and is sealed next, before the new ones.
func TestAuditMigrationKeepsOldChainSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	testAuditMigration(t, store.SQLite, "sqlite", path, path)
}

func TestAuditMigrationKeepsOldChainPostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("gs_test_mig_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() })
	u := storetest.WithSearchPath(url, schema)
	testAuditMigration(t, store.Postgres, "pgx", u, u)
}

func testAuditMigration(t *testing.T, engine store.Engine, driver, dsn, url string) {
	ctx := context.Background()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := store.Migrations(engine)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	apply := func(from, to int) {
		for _, m := range ms {
			if m.Version >= from && m.Version < to {
				mustExec(t, db, m.SQL)
				mustExec(t, db, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, '2026-01-01T00:00:00Z')`, m.Version, m.Name)
			}
		}
	}
	apply(0, 7)
	head := audit.Head{Hash: audit.Genesis}
	for i := 0; i < 3; i++ {
		e := audit.Entry{Seq: head.Seq + 1, HashVersion: audit.V1, At: "2026-01-01T00:00:00.000000Z", Actor: "old", Role: "clerk",
			Region: "370811", Action: "employer.create", ObjectType: "employer", ObjectID: fmt.Sprint(i + 1), ObjRegion: "370811",
			After: `{"n":1}`, PrevHash: head.Hash}
		e.Hash = audit.ComputeHash(e, nil)
		mustExec(t, db, `INSERT INTO audit_log (seq, at, actor_id, actor, role, region, action, object_type, object_id,
			object_region, before_json, after_json, prev_hash, hash) VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12)`,
			e.Seq, e.At, e.Actor, e.Role, e.Region, e.Action, e.ObjectType, e.ObjectID, e.ObjRegion, e.After, e.PrevHash, e.Hash)
		head = audit.Head{Seq: e.Seq, Hash: e.Hash}
	}
	mustExec(t, db, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, head.Seq, head.Hash)
	apply(7, 9)
	mustExec(t, db, `INSERT INTO audit_log (hash_version, at, actor_kind, actor_id, actor, role, region, action, object_type,
		object_id, object_region, before_json, after_json) VALUES (2, '2026-01-02T00:00:00.000000Z', 'staff', 0, 'unsealed',
		'clerk', '370811', 'employer.create', 'employer', '4', '370811', '', '{"n":4}')`)
	db.Close()

	s, err := store.Open(ctx, url, store.Options{DataKey: storetest.TestKey, AuditKey: storetest.TestAuditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep, err := s.VerifyAudit(ctx, nil); err != nil || rep.Problem != nil || rep.Sealed != 3 || rep.Pending != 1 {
		t.Fatalf("old chain after the migration: %+v %v", rep, err)
	}
	cp, err := s.AuditCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e := registry.Employer{CreditCode: storetest.CreditCode("370811"), Name: "济宁迁移测试有限公司", RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, storetest.Actor(access.RoleClerk, "370800"), &e); err != nil {
		t.Fatal(err)
	}
	storetest.MustSeal(t, s)
	rep, err := s.VerifyAudit(ctx, []audit.Checkpoint{cp})
	if err != nil || rep.Problem != nil || rep.Sealed != 5 || rep.Pending != 0 {
		t.Fatalf("old chain continued: %+v %v", rep, err)
	}
	got, _, err := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{})
	if err != nil || len(got) != 5 || got[0].Seq != 5 || got[0].HashVersion != audit.V2 || got[0].ID <= 4 ||
		got[1].Seq != 4 || got[1].ID != 4 || got[1].Actor != "unsealed" || got[1].HashVersion != audit.V2 || got[4].HashVersion != audit.V1 {
		t.Fatalf("entries, newest first: %+v %v", got, err)
	}
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%.60s: %v", query, err)
	}
}
