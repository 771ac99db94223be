package main

import (
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// supervisionIDs makes a finished scan of the small test extract (the
// city's) and picks one of its leads at an institution outside 曲阜, for
// the route walk.
func supervisionIDs(t *testing.T, e *webtest.Env, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	actor := storetest.Actor(access.RoleAuditor, "370800")
	x, err := e.S.ImportExtract(ctx, actor, "routes", storetest.Extract())
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.S.StartScan(ctx, actor, x.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.S.RunScan(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	leads, _, err := e.S.FindLeads(ctx, actor.Scope(), store.LeadFilter{ScanID: sc.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range leads {
		if !access.ScopeOf("370881").Covers(l.Region) {
			ids["audit_scan"], ids["lead"] = sc.ID, l.ID
			return
		}
	}
	t.Fatalf("no lead outside 曲阜 among %d", len(leads))
}
