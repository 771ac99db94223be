package main

import (
	"bytes"
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/letters"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
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
			campaignIDs(t, e, ids, actor, sc.ID, l)
			return
		}
	}
	t.Fatalf("no lead outside 曲阜 among %d", len(leads))
}

// campaignIDs plans a campaign of the city (370800) from the scan, draws
// its teams and records a finding from the lead at its visit outside 曲阜.
func campaignIDs(t *testing.T, e *webtest.Env, ids map[string]int64, actor access.Principal, scanID int64, l store.Lead) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.S.ReviewLead(ctx, actor, l.ID, l.Version, "confirm", "核实属实"); err != nil {
		t.Fatal(err)
	}
	c, err := e.S.PlanCampaign(ctx, actor, scanID, 2026, "路由检查", supervision.PlanOptions{HighShare: 0.5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, county := range []string{"370811", "370811", "370830", "370830"} {
		if _, err := e.S.AddInspector(ctx, actor, supervision.Inspector{Name: "检查员" + county + string(rune('A'+i)), County: county, Specialty: "基金管理", Officer: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.S.DrawCampaignTeams(ctx, actor, c.ID, c.Version, 2); err != nil {
		t.Fatal(err)
	}
	visits, err := e.S.CampaignVisits(ctx, actor.Scope(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range visits {
		if v.Institution == l.Finding.Institution {
			f, err := e.S.RecordFieldFinding(ctx, actor, v.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation, LeadIDs: []int64{l.ID}})
			if err != nil {
				t.Fatal(err)
			}
			ids["campaign"], ids["visit"], ids["field_finding"] = c.ID, v.ID, f.ID
			ev, err := e.S.AddEvidence(ctx, actor, store.EvidenceInput{VisitID: v.ID, FindingID: f.ID, Kind: store.EvidencePhoto, Title: "现场照片"},
				bytes.NewReader(storetest.PNG(t)))
			if err != nil {
				t.Fatal(err)
			}
			pool, err := e.S.Inspectors(ctx, true)
			if err != nil || len(pool) == 0 {
				t.Fatalf("inspectors %d %v", len(pool), err)
			}
			ids["evidence"], ids["inspector"] = ev.ID, pool[0].ID
			if f, err = e.S.ActOnFieldFinding(ctx, actor, f.ID, f.Version, supervision.ActFeedBack, "", "2026-12-31"); err != nil {
				t.Fatal(err)
			}
			letter, err := e.S.IssueAuditLetter(ctx, actor, v.ID, letters.AuditFeedback)
			if err != nil {
				t.Fatal(err)
			}
			ids["audit_letter"] = letter.ID
			return
		}
	}
	t.Fatalf("no visit of %s", l.Finding.Institution)
}
