package storetest

import (
	"errors"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The screening's working cases: a scan started as a job and run to the
// end, its leads listed in scope and reviewed once (two reviewers at once:
// one wins), the review counted in the rule's statistics, and the rule
// settings an administrator tunes.

// runScan starts a scan of an extract and runs it as the job would.
func runScan(t *testing.T, s *store.Store, actor access.Principal, extractID int64) store.ScanInfo {
	t.Helper()
	sc, err := s.StartScan(ctx, actor, extractID, 0)
	if err != nil {
		t.Fatalf("StartScan: %v", err)
	}
	if sc.State != "running" {
		t.Fatalf("started scan state %q", sc.State)
	}
	if err := s.RunScan(ctx, sc.ID); err != nil {
		t.Fatalf("RunScan: %v", err)
	}
	done, err := s.FindScan(ctx, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if done.State != "done" || done.Progress != 100 {
		t.Fatalf("scan after the job: %+v", done)
	}
	return done
}

func testSupervisionScanJob(t *testing.T, s *store.Store, c *Clock) {
	info := mustImport(t, s, "/data/job", Extract())
	x, err := s.LoadExtract(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := supervision.Scan(x, supervision.Config{}, nil)
	if len(want) == 0 {
		t.Fatal("the test extract should give findings")
	}
	sc := runScan(t, s, screener(), info.ID)
	got, err := s.ScanFindings(ctx, sc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || sc.Findings != len(want) {
		t.Fatalf("saved %d findings (scan says %d), want %d", len(got), sc.Findings, len(want))
	}
	for _, f := range got {
		if f.Region == "" {
			t.Fatalf("finding without the institution's region: %+v", f)
		}
	}
	// running it again (a retried job) changes nothing
	if err := s.RunScan(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	again, _ := s.ScanFindings(ctx, sc.ID)
	if len(again) != len(got) {
		t.Fatalf("a second run wrote %d findings, want %d", len(again), len(got))
	}
	auditHas(t, s, "supervision.scan.start", 1)
	auditHas(t, s, "supervision.scan.done", 1)
}

func testSupervisionLeadReview(t *testing.T, s *store.Store, c *Clock) {
	info := mustImport(t, s, "/data/review", Extract())
	sc := runScan(t, s, screener(), info.ID)
	city := screener()
	leads, total, err := s.FindLeads(ctx, city.Scope(), store.LeadFilter{ScanID: sc.ID})
	if err != nil || total == 0 || len(leads) == 0 {
		t.Fatalf("leads %d %v", total, err)
	}
	// another county's auditor sees none of them unless they are in it
	other := Actor(access.RoleAuditor, "370832")
	if ls, _, _ := s.FindLeads(ctx, other.Scope(), store.LeadFilter{ScanID: sc.ID}); len(ls) != 0 {
		t.Fatalf("梁山's auditor sees %d leads of other counties", len(ls))
	}
	if _, err := s.FindLead(ctx, other, leads[0].ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another county reads a lead: %v", err)
	}
	lead := leads[0]
	// the insurer's staff may pre-check but not confirm
	if _, err := s.ReviewLead(ctx, Actor(access.RoleInsurer, "370800"), lead.ID, lead.Version, "confirm", "核实属实"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer confirmed a lead: %v", err)
	}
	if _, err := s.ReviewLead(ctx, city, lead.ID, lead.Version, "confirm", " "); err == nil {
		t.Fatal("a review without a reason")
	}
	// two reviewers at once: exactly one verdict stands
	results := together(2, func(i int) error {
		d := []string{"confirm", "dismiss"}[i]
		_, err := s.ReviewLead(ctx, city, lead.ID, lead.Version, d, "现场核实")
		return err
	})
	ok := 0
	for _, err := range results {
		if err == nil {
			ok++
		} else if !errs.Is(err, errs.Conflict) {
			t.Fatalf("the losing review: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d concurrent reviews succeeded, want 1: %v", ok, results)
	}
	after, err := s.FindLead(ctx, city, lead.ID)
	if err != nil || after.Review == "new" || after.Version != lead.Version+1 {
		t.Fatalf("after review: %+v %v", after, err)
	}
	stats, err := s.RuleStats(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var counted, triggers int64
	for _, st := range stats {
		if st.RuleID == lead.Finding.RuleID {
			counted, triggers = st.Confirmed+st.Dismissed, st.Triggers
		}
	}
	if counted != 1 {
		t.Fatalf("rule %s statistics count %d reviews, want 1", lead.Finding.RuleID, counted)
	}
	// the scan's leads count as the rule's triggers, once however often
	// the extract is scanned
	want := int64(0)
	for _, l := range leads {
		if l.Finding.RuleID == lead.Finding.RuleID {
			want++
		}
	}
	runScan(t, s, screener(), info.ID)
	stats, _ = s.RuleStats(ctx, "")
	for _, st := range stats {
		if st.RuleID == lead.Finding.RuleID {
			triggers = st.Triggers
		}
	}
	if triggers != want {
		t.Fatalf("rule %s statistics count %d triggers after two scans, want the %d leads of one", lead.Finding.RuleID, triggers, want)
	}
	auditHas(t, s, "supervision.lead."+map[string]string{"confirmed": "confirm", "dismissed": "dismiss"}[after.Review], 1)
}

func testSupervisionRuleSettings(t *testing.T, s *store.Store, c *Clock) {
	admin := Actor(access.RoleAdmin, "370800")
	if _, err := s.SetRuleSetting(ctx, screener(), store.RuleSetting{RuleID: "GS-D06", Region: "370800", ValidFrom: "2025-01-01", Enabled: true}, 0); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("an auditor tuned a rule: %v", err)
	}
	_, err := s.SetRuleSetting(ctx, admin, store.RuleSetting{RuleID: "GS-D06", Region: "370800", ValidFrom: "2025-01-01", Enabled: true,
		Values: map[string]float64{"tolerance_pct": 50}}, 0)
	var fe *errs.Error
	if !errors.As(err, &fe) || len(fe.Fields) == 0 || fe.Fields[0].Field != "values" {
		t.Fatalf("an out-of-range value: %v", err)
	}
	// two administrators create the same setting at once: one wins
	res := together(2, func(i int) error {
		_, err := s.SetRuleSetting(ctx, admin, store.RuleSetting{RuleID: "GS-D06", Region: "370800", ValidFrom: "2025-01-01", Enabled: true,
			Values: map[string]float64{"tolerance_pct": float64(i + 1)}}, 0)
		return err
	})
	if (res[0] == nil) == (res[1] == nil) {
		t.Fatalf("concurrent creations: %v", res)
	}
	if _, err := s.SetRuleSetting(ctx, admin, store.RuleSetting{RuleID: "GS-D07", Region: "370811", ValidFrom: "2025-01-01", Enabled: false}, 0); err != nil {
		t.Fatal(err)
	}
	cfg, err := s.RuleConfig(ctx, "370811", "2025-06-01")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]supervision.Rule{}
	for _, r := range cfg.Rules {
		got[r.ID] = r
	}
	if r, ok := got["GS-D07"]; !ok || r.Enabled {
		t.Fatalf("任城区's switch-off of GS-D07 not in force: %+v", cfg.Rules)
	}
	if r, ok := got["GS-D06"]; !ok || r.Values["tolerance_pct"] == 0 {
		t.Fatalf("the city's GS-D06 setting not in force for 任城区: %+v", cfg.Rules)
	}
	if cfg, _ := s.RuleConfig(ctx, "370812", "2024-12-31"); len(cfg.Rules) != 0 {
		t.Fatalf("settings in force before their day: %+v", cfg.Rules)
	}
	auditHas(t, s, "supervision.rule.set", 2)
}

// One rule base: a rule an administrator switches off for the city stops
// in the hospital interface's real-time review too.
func testSupervisionRealtimeSwitchOff(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	inst := e.institution("370811")
	w1, _ := e.recognised("370811")
	w2, _ := e.recognised("370811")
	findings := func(id int64) int {
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM settlement_findings WHERE settlement_id = $1 AND rule_id = 'GS-D04'`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	a := e.settle(inst, w1, 2, true) // a duplicated line: GS-D04
	if findings(a.Bill.Settlement.ID) != 1 {
		t.Fatal("a duplicated line is not flagged while the rule is on")
	}
	day := s.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := s.SetRuleSetting(ctx, Actor(access.RoleAdmin, "370800"), store.RuleSetting{RuleID: "GS-D04", Region: "370800", ValidFrom: day, Enabled: false}, 0); err != nil {
		t.Fatal(err)
	}
	b := e.settle(inst, w2, 2, true)
	if n := findings(b.Bill.Settlement.ID); n != 0 {
		t.Fatalf("switched-off GS-D04 still reported %d findings in real time", n)
	}
}
