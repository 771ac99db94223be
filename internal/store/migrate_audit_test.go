package store_test

import (
	"context"
	"fmt"
	"testing"

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
func TestAuditMigrationKeepsOldChain(t *testing.T) {
	eachOldDB(t, testAuditMigration)
}

func testAuditMigration(t *testing.T, o *oldDB) {
	ctx := context.Background()
	o.apply(t, 0, 7)
	head := audit.Head{Hash: audit.Genesis}
	for i := 0; i < 3; i++ {
		e := audit.Entry{Seq: head.Seq + 1, HashVersion: audit.V1, At: "2026-01-01T00:00:00.000000Z", Actor: "old", Role: "clerk",
			Region: "370811", Action: "employer.create", ObjectType: "employer", ObjectID: fmt.Sprint(i + 1), ObjRegion: "370811",
			After: `{"n":1}`, PrevHash: head.Hash}
		e.Hash = audit.ComputeHash(e, nil)
		o.exec(t, `INSERT INTO audit_log (seq, at, actor_id, actor, role, region, action, object_type, object_id,
			object_region, before_json, after_json, prev_hash, hash) VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $12)`,
			e.Seq, e.At, e.Actor, e.Role, e.Region, e.Action, e.ObjectType, e.ObjectID, e.ObjRegion, e.After, e.PrevHash, e.Hash)
		head = audit.Head{Seq: e.Seq, Hash: e.Hash}
	}
	o.exec(t, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, head.Seq, head.Hash)
	o.apply(t, 7, 9)
	o.exec(t, `INSERT INTO audit_log (hash_version, at, actor_kind, actor_id, actor, role, region, action, object_type,
		object_id, object_region, before_json, after_json) VALUES (2, '2026-01-02T00:00:00.000000Z', 'staff', 0, 'unsealed',
		'clerk', '370811', 'employer.create', 'employer', '4', '370811', '', '{"n":4}')`)
	o.db.Close()

	s, err := store.Open(ctx, o.url, store.Options{DataKey: storetest.TestKey, AuditKey: storetest.TestAuditKey})
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
