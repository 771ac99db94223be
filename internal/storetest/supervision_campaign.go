package storetest

import (
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The field audit's working cases: a campaign walked from the plan to a
// recovery (every ranked institution visited, teams drawn with recusal, a
// finding from a confirmed lead through feedback, collective review by
// another auditor, notification, rectification, recovery and closing), a
// suspension that makes the hospital interface refuse, and two auditors
// acting on one finding at once: one wins.

// secondAuditor is another city auditor than screener(), for the
// collective review.
func secondAuditor() access.Principal {
	p := Actor(access.RoleAuditor, "370800")
	p.UserID, p.Username = 2, "auditor-370800-b"
	return p
}

// campaignEnv is a scanned test extract with one confirmed lead, the
// first institution registered, and a planned campaign.
type campaignEnv struct {
	scan     store.ScanInfo
	lead     store.Lead
	inst     settlement.Institution
	campaign store.Campaign
	visits   []store.CampaignVisit
}

func newCampaignEnv(t *testing.T, s *store.Store, name string) campaignEnv {
	t.Helper()
	var e campaignEnv
	e.inst = settlement.Institution{Code: "H37080200001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: settlement.Medical, Level: 3,
		Beds: 1200, AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
	sys := access.System
	sys.RegionCode = "370000"
	if err := s.CreateInstitution(ctx, sys, &e.inst); err != nil {
		t.Fatal(err)
	}
	info := mustImport(t, s, name, Extract())
	e.scan = runScan(t, s, screener(), info.ID)
	leads, _, err := s.FindLeads(ctx, screener().Scope(), store.LeadFilter{ScanID: e.scan.ID, Institution: e.inst.Code})
	if err != nil || len(leads) == 0 {
		t.Fatalf("leads of %s: %d %v", e.inst.Code, len(leads), err)
	}
	if e.lead, err = s.ReviewLead(ctx, screener(), leads[0].ID, leads[0].Version, "confirm", "现场核实属实"); err != nil {
		t.Fatal(err)
	}
	e.campaign, err = s.PlanCampaign(ctx, screener(), e.scan.ID, 2026, "2026年度工伤保险基金稽核", supervision.PlanOptions{HighShare: 0.5, RandomShare: 0.5, Seed: 7})
	if err != nil {
		t.Fatalf("PlanCampaign: %v", err)
	}
	if e.visits, err = s.CampaignVisits(ctx, screener().Scope(), e.campaign.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// addPool adds inspectors: four officers of counties no test institution
// is in, and one expert each of the two institutions' counties.
func addPool(t *testing.T, s *store.Store) {
	t.Helper()
	pool := []supervision.Inspector{
		{Name: "张一", County: "370811", Specialty: "基金管理", Officer: true},
		{Name: "李二", County: "370811", Specialty: "基金管理", Officer: true},
		{Name: "王三", County: "370830", Specialty: "基金管理", Officer: true},
		{Name: "赵四", County: "370830", Specialty: "基金管理", Officer: true},
		{Name: "钱五", County: "370802", Specialty: "骨科"},
		{Name: "孙六", County: "370881", Specialty: "康复", Former: []string{"H37088100002"}},
	}
	for _, p := range pool {
		if _, err := s.AddInspector(ctx, screener(), p); err != nil {
			t.Fatalf("AddInspector %s: %v", p.Name, err)
		}
	}
}

func testSupervisionCampaignWalk(t *testing.T, s *store.Store, c *Clock) {
	e := newCampaignEnv(t, s, "/data/campaign")
	rank, err := s.ScanRanking(ctx, e.scan.ID)
	if err != nil || len(rank) == 0 {
		t.Fatalf("ranking %d %v", len(rank), err)
	}
	// every ranked institution is visited (拉网式), each with its county
	if len(e.visits) != len(rank) {
		t.Fatalf("%d visits for %d ranked institutions", len(e.visits), len(rank))
	}
	codes := map[string]store.CampaignVisit{}
	for _, v := range e.visits {
		if v.County == "" || v.Team != 0 || v.State != "planned" {
			t.Fatalf("planned visit %+v", v)
		}
		codes[v.Institution] = v
	}
	for _, r := range rank {
		if _, ok := codes[r.Institution]; !ok {
			t.Fatalf("ranked institution %s has no visit", r.Institution)
		}
	}
	// the register's name, else the extract's (曲阜康复医院 is not registered)
	if codes[e.inst.Code].Name != e.inst.Name || codes["H37088100002"].Name != "曲阜康复医院" {
		t.Fatalf("visit names %q and %q", codes[e.inst.Code].Name, codes["H37088100002"].Name)
	}
	if v := codes[rank[0].Institution]; v.Tier != "high" || v.Depth != supervision.DepthFull {
		t.Fatalf("the top-ranked institution's visit %+v, want high and full", v)
	}
	// the insurer's staff may not plan
	if _, err := s.PlanCampaign(ctx, Actor(access.RoleInsurer, "370800"), e.scan.ID, 2026, "x", supervision.PlanOptions{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer planned: %v", err)
	}
	addPool(t, s)
	drawn, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2)
	if err != nil {
		t.Fatalf("DrawCampaignTeams: %v", err)
	}
	if drawn.State != "drawn" || drawn.Teams != 2 || drawn.Version != e.campaign.Version+1 {
		t.Fatalf("drawn campaign %+v", drawn)
	}
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a draw at the old version: %v", err)
	}
	teams, err := s.CampaignTeams(ctx, e.campaign.ID)
	if err != nil || len(teams) != 2 {
		t.Fatalf("teams %d %v", len(teams), err)
	}
	visits, _ := s.CampaignVisits(ctx, screener().Scope(), e.campaign.ID)
	for _, v := range visits {
		if v.Team < 1 || v.Team > 2 {
			t.Fatalf("visit without a team: %+v", v)
		}
		for _, m := range teams[v.Team-1].Members {
			if m.County == v.County {
				t.Fatalf("team %d audits %s in its member %s's own county %s", v.Team, v.Institution, m.Name, m.County)
			}
			for _, f := range m.Former {
				if f == v.Institution {
					t.Fatalf("team %d audits %s, %s's former employer", v.Team, v.Institution, m.Name)
				}
			}
		}
	}
	visit := codes[e.inst.Code]
	// a lead not confirmed may not be cited
	if _, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation,
		LeadIDs: []int64{e.lead.ID + 100000}}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an unknown lead cited: %v", err)
	}
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation,
		LeadIDs: []int64{e.lead.ID}, Description: "重复收取检查费"})
	if err != nil {
		t.Fatalf("RecordFieldFinding: %v", err)
	}
	if f.Fen != int64(e.lead.Finding.Fen) || f.Category != e.lead.Finding.Category || f.State != supervision.FindingDraft || f.Region != "370802" {
		t.Fatalf("recorded finding %+v, lead %+v", f, e.lead.Finding)
	}
	if cc, _ := s.FindCampaign(ctx, screener(), e.campaign.ID); cc.State != "on_site" {
		t.Fatalf("campaign after the first finding: %s", cc.State)
	}
	act := func(who access.Principal, a supervision.FindingAction, note, due string) {
		t.Helper()
		got, err := s.ActOnFieldFinding(ctx, who, f.ID, f.Version, a, note, due)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		if got.Version != f.Version+1 {
			t.Fatalf("%s: version %d after %d", a, got.Version, f.Version)
		}
		f = got
	}
	if _, err := s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActFeedBack, "", "2026-02-01"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a reply deadline in the past: %v", err)
	}
	act(screener(), supervision.ActFeedBack, "", "2026-03-16")
	if f.ReplyDue != "2026-03-16" {
		t.Fatalf("reply due %q", f.ReplyDue)
	}
	act(screener(), supervision.ActReply, "医院称系系统重复计费，已退费", "")
	// the recorder may not take part in the collective review
	if _, err := s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActConfirm, "属实", ""); !errs.Is(err, errs.Invalid) {
		t.Fatalf("the recorder confirmed: %v", err)
	}
	act(secondAuditor(), supervision.ActConfirm, "集体审议认定违规", "")
	// a recovery is only for a confirmed finding, within its amount
	if _, err := s.AddRecovery(ctx, screener(), f.ID, supervision.RecoveryRefund, f.Fen+1); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a recovery above the amount: %v", err)
	}
	act(screener(), supervision.ActNotify, "", "")
	act(screener(), supervision.ActRectify, "", "2026-04-30")
	rec, err := s.AddRecovery(ctx, screener(), f.ID, supervision.RecoveryOffset, f.Fen)
	if err != nil {
		t.Fatalf("AddRecovery: %v", err)
	}
	if _, err := s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActClose, "", ""); !errs.Is(err, errs.Invalid) {
		t.Fatalf("closed with an open recovery: %v", err)
	}
	if rec, err = s.SettleRecovery(ctx, screener(), rec.ID, rec.Version, rec.Fen); err != nil || rec.State != "done" || rec.Recovered != f.Fen {
		t.Fatalf("SettleRecovery: %+v %v", rec, err)
	}
	act(screener(), supervision.ActClose, "复查已整改", "")
	if f.State != supervision.FindingClosed {
		t.Fatalf("finding state %s", f.State)
	}
	rating, err := s.Rating(ctx, e.inst.Code)
	if err != nil || rating.Confirmed != 1 || rating.Points >= 100 || rating.Grade == "" {
		t.Fatalf("rating %+v %v", rating, err)
	}
	// a suspension makes the hospital interface refuse the institution
	if _, err := s.Sanction(ctx, screener(), e.inst.Code, e.campaign.ID, supervision.SanctionSuspend, ""); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a sanction without a reason: %v", err)
	}
	if _, err := s.Sanction(ctx, screener(), e.inst.Code, e.campaign.ID, supervision.SanctionSuspend, "重复收费，拒不整改"); err != nil {
		t.Fatalf("Sanction: %v", err)
	}
	in, err := s.FindInstitution(ctx, sys370(), e.inst.ID)
	if err != nil || in.Status != settlement.Suspended || in.Version != e.inst.Version+1 {
		t.Fatalf("institution after the suspension: %+v %v", in, err)
	}
	if in.Refusal("2026-03-02") == "" {
		t.Fatal("a suspended institution is not refused")
	}
	if ss, err := s.Sanctions(ctx, e.inst.Code); err != nil || len(ss) != 1 || ss[0].Kind != supervision.SanctionSuspend {
		t.Fatalf("sanctions %+v %v", ss, err)
	}
	auditHas(t, s, "supervision.campaign.plan", 1)
	auditHas(t, s, "supervision.campaign.draw", 1)
	auditHas(t, s, "supervision.field_finding.confirm", 1)
	auditHas(t, s, "supervision.recovery.settle", 1)
	auditHas(t, s, "institution.status", 1)
}

func sys370() access.Principal {
	p := access.System
	p.RegionCode = "370000"
	return p
}

func testSupervisionCampaignConcurrent(t *testing.T, s *store.Store, c *Clock) {
	e := newCampaignEnv(t, s, "/data/campaign-concurrent")
	addPool(t, s)
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); err != nil {
		t.Fatal(err)
	}
	var visit store.CampaignVisit
	for _, v := range e.visits {
		if v.Institution == e.inst.Code {
			visit = v
		}
	}
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: e.lead.Finding.Category, Type: "超标准收费",
		Tier: supervision.TierViolation, Fen: 1000, Description: "床位费超标准"})
	if err != nil {
		t.Fatal(err)
	}
	results := together(2, func(i int) error {
		a := []supervision.FindingAction{supervision.ActFeedBack, supervision.ActDismiss}[i]
		_, err := s.ActOnFieldFinding(ctx, secondAuditor(), f.ID, f.Version, a, "审议", "2026-03-20")
		return err
	})
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
		} else if !errs.Is(err, errs.Conflict) {
			t.Fatalf("the losing action: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent actions succeeded, want 1: %v", ok, results)
	}
	after, err := s.FindFieldFinding(ctx, screener(), f.ID)
	if err != nil || after.Version != f.Version+1 || after.State == supervision.FindingDraft {
		t.Fatalf("after the race: %+v %v", after, err)
	}
	// another county's auditor does not see the finding
	if _, err := s.FindFieldFinding(ctx, Actor(access.RoleAuditor, "370881"), f.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜's auditor reads a 任城 finding: %v", err)
	}
}

func testSupervisionCampaignRecusal(t *testing.T, s *store.Store, c *Clock) {
	e := newCampaignEnv(t, s, "/data/campaign-recusal")
	// everyone comes from the first institution's county: nobody may audit it
	for i, n := range []string{"周一", "吴二", "郑三", "冯四"} {
		if _, err := s.AddInspector(ctx, screener(), supervision.Inspector{Name: n, County: "370802", Specialty: []string{"基金管理", "骨科"}[i%2], Officer: true}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2)
	if fe, ok := errs.First(err); !ok || fe.Field != "teams" {
		t.Fatalf("a draw nobody can be recused in: %v", err)
	}
	if cc, _ := s.FindCampaign(ctx, screener(), e.campaign.ID); cc.State != "planned" || cc.Version != e.campaign.Version {
		t.Fatalf("campaign after a failed draw: %+v", cc)
	}
	if _, err := s.AddInspector(ctx, screener(), supervision.Inspector{Name: "", County: "370802", Specialty: "骨科"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an inspector without a name: %v", err)
	}
}
