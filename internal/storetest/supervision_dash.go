package storetest

import (
	"fmt"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The dashboard's case: a drawn campaign with findings in two counties
// (任城 370802 and 曲阜 370881), two of them confirmed, recoveries by
// refund and offset, one settled short; the city sees every figure and a
// row per county, 曲阜's auditor only 曲阜's, and a county without visits
// may not select the campaign.

// dashEnv is the dashboard's campaign: findings a1 (任城, confirmed,
// 500.00), a2 (任城, draft, 100.00) and b1 (曲阜, confirmed, 200.00);
// a1 refunded 300.00 (settled) and offset 200.00 (open), b1 offset 200.00
// settled with 150.00.
type dashEnv struct {
	campaignEnv
	a, b store.CampaignVisit
}

func newDashEnv(t *testing.T, s *store.Store) dashEnv {
	t.Helper()
	e := dashEnv{campaignEnv: newCampaignEnv(t, s, "/data/dash")}
	addPool(t, s)
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); err != nil {
		t.Fatalf("DrawCampaignTeams: %v", err)
	}
	for _, v := range e.visits {
		switch v.Institution {
		case e.inst.Code:
			e.a = v
		case "H37088100002":
			e.b = v
		}
	}
	if e.a.ID == 0 || e.b.ID == 0 {
		t.Fatalf("visits %+v: want one at each test institution", e.visits)
	}
	record := func(v store.CampaignVisit, cat string, fen int64) store.FieldFinding {
		t.Helper()
		f, err := s.RecordFieldFinding(ctx, screener(), v.ID, store.FieldFinding{Category: cat, Type: supervision.FindingTypes[0],
			Tier: supervision.TierViolation, Fen: fen, Description: "现场检查发现"})
		if err != nil {
			t.Fatalf("RecordFieldFinding: %v", err)
		}
		return f
	}
	confirm := func(f store.FieldFinding) store.FieldFinding {
		t.Helper()
		steps := []struct {
			who access.Principal
			a   supervision.FindingAction
			due string
		}{{screener(), supervision.ActFeedBack, "2026-03-16"}, {screener(), supervision.ActReply, ""}, {secondAuditor(), supervision.ActConfirm, ""}}
		for _, st := range steps {
			var err error
			if f, err = s.ActOnFieldFinding(ctx, st.who, f.ID, f.Version, st.a, "意见", st.due); err != nil {
				t.Fatalf("%s: %v", st.a, err)
			}
		}
		return f
	}
	repay := func(f store.FieldFinding, kind supervision.RecoveryKind, fen, back int64) {
		t.Helper()
		r, err := s.AddRecovery(ctx, screener(), f.ID, kind, fen)
		if err != nil {
			t.Fatalf("AddRecovery: %v", err)
		}
		if back >= 0 {
			if _, err := s.SettleRecovery(ctx, screener(), r.ID, r.Version, back); err != nil {
				t.Fatalf("SettleRecovery: %v", err)
			}
		}
	}
	a1 := confirm(record(e.a, supervision.CatalogueFee, 50000))
	record(e.a, supervision.PhantomStay, 10000)
	b1 := confirm(record(e.b, supervision.OverTreatment, 20000))
	repay(a1, supervision.RecoveryRefund, 30000, 30000)
	repay(a1, supervision.RecoveryOffset, 20000, -1)
	repay(b1, supervision.RecoveryOffset, 20000, 15000)
	return e
}

// DashCampaign is the dashboard's campaign as other packages' tests use
// it (the back office's page and exports, the API's answer).
type DashCampaign struct {
	ScanID, CampaignID int64
	Campaign           string
	Visits             int
}

// NewDashCampaign builds the dashboard's campaign in s: findings in 任城
// 500.00 (confirmed) and 100.00 (draft), in 曲阜 200.00 (confirmed);
// recoveries booked 700.00, recovered 450.00, outstanding 200.00.
func NewDashCampaign(t *testing.T, s *store.Store) DashCampaign {
	t.Helper()
	e := newDashEnv(t, s)
	return DashCampaign{ScanID: e.scan.ID, CampaignID: e.campaign.ID, Campaign: e.campaign.Name, Visits: len(e.visits)}
}

func tallies(ts []store.FindingTally) string {
	var out string
	for _, t := range ts {
		out += fmt.Sprintf("%s %q %d %d %d %d|", t.Key, t.Name, t.Count, t.Fen, t.Confirmed, t.ConfirmedFen)
	}
	return out
}

func testSupervisionDashboard(t *testing.T, s *store.Store, c *Clock) {
	e := newDashEnv(t, s)
	city := screener().Scope()
	d, err := s.SupervisionDashboard(ctx, city, store.DashFilter{Year: 2026})
	if err != nil {
		t.Fatalf("SupervisionDashboard: %v", err)
	}
	if d.Scan == nil || d.Scan.ID != e.scan.ID || len(d.Campaigns) != 1 || d.Campaign != nil {
		t.Fatalf("dashboard scan %+v, campaigns %d, selected %v", d.Scan, len(d.Campaigns), d.Campaign)
	}
	// (a) the scan's leads, every one counted once, the confirmed one as such
	count, confirmed := 0, 0
	var fen, confirmedFen int64
	for _, l := range d.Leads {
		if l.Count != l.Confirmed+l.Dismissed+l.Open || supervision.CategoryName(l.Category) == "" {
			t.Fatalf("lead tally %+v", l)
		}
		count, confirmed, fen, confirmedFen = count+l.Count, confirmed+l.Confirmed, fen+l.Fen, confirmedFen+l.ConfirmedFen
	}
	if count != d.Scan.Findings || fen != d.Scan.Fen || confirmed != 1 || confirmedFen != int64(e.lead.Finding.Fen) {
		t.Fatalf("leads %d (%d fen), confirmed %d (%d fen); scan %d (%d fen), confirmed lead %d fen",
			count, fen, confirmed, confirmedFen, d.Scan.Findings, d.Scan.Fen, e.lead.Finding.Fen)
	}
	// (b) field findings by category, county and institution
	if got, want := tallies(d.ByCategory), fmt.Sprintf("%s \"\" 1 50000 1 50000|%s \"\" 1 10000 0 0|%s \"\" 1 20000 1 20000|",
		supervision.CatalogueFee, supervision.PhantomStay, supervision.OverTreatment); got != want {
		t.Fatalf("by category %s, want %s", got, want)
	}
	if got, want := tallies(d.ByCounty), `370802 "" 2 60000 1 50000|370881 "" 1 20000 1 20000|`; got != want {
		t.Fatalf("by county %s, want %s", got, want)
	}
	if got, want := tallies(d.ByInstitution), `H37080200001 "济宁市第一人民医院" 2 60000 1 50000|H37088100002 "曲阜康复医院" 1 20000 1 20000|`; got != want {
		t.Fatalf("by institution %s, want %s", got, want)
	}
	// (c) recoveries: booked, recovered, outstanding, refund and offset
	wantRec := []store.RecoveryTally{
		{Region: "370802", Count: 2, Open: 1, Booked: 50000, Recovered: 30000, Outstanding: 20000, RefundBooked: 30000, RefundRecovered: 30000, OffsetBooked: 20000},
		{Region: "370881", Count: 1, Booked: 20000, Recovered: 15000, OffsetBooked: 20000, OffsetRecovered: 15000},
	}
	if fmt.Sprint(d.Recovery) != fmt.Sprint(wantRec) {
		t.Fatalf("recovery %+v, want %+v", d.Recovery, wantRec)
	}
	if tot := (store.RecoveryTally{Count: 3, Open: 1, Booked: 70000, Recovered: 45000, Outstanding: 20000, RefundBooked: 30000,
		RefundRecovered: 30000, OffsetBooked: 40000, OffsetRecovered: 15000}); d.RecoveryTotal != tot {
		t.Fatalf("recovery total %+v, want %+v", d.RecoveryTotal, tot)
	}
	// (d) the confirmed lead's rule has its hit
	hit := false
	for _, r := range d.Rules {
		hit = hit || r.RuleID == e.lead.Finding.RuleID && r.Confirmed >= 1 && r.HitRate() != "—"
	}
	if !hit {
		t.Fatalf("rules %+v: no hit of %s", d.Rules, e.lead.Finding.RuleID)
	}
	// (e) per team: every visit once, the two visited, the findings on their teams
	visits, visited, findings, conf := 0, 0, 0, 0
	var teamFen int64
	for _, tp := range d.Teams {
		if tp.CampaignID != e.campaign.ID || tp.Campaign != e.campaign.Name || tp.Team < 1 || tp.Visits != tp.Planned+tp.Visited+tp.Closed {
			t.Fatalf("team row %+v", tp)
		}
		visits, visited, findings, conf, teamFen = visits+tp.Visits, visited+tp.Visited, findings+tp.Findings, conf+tp.Confirmed, teamFen+tp.Fen
		if tp.Team == e.b.Team && tp.Findings == 0 {
			t.Fatalf("team %d visits 曲阜 but has no finding: %+v", tp.Team, tp)
		}
	}
	if visits != len(e.visits) || visited != 2 || findings != 3 || conf != 2 || teamFen != 80000 {
		t.Fatalf("teams: %d visits (%d visited), %d findings (%d confirmed), %d fen; %+v", visits, visited, findings, conf, teamFen, d.Teams)
	}

	// the county's auditor: his county only, the city's campaign selectable
	qufu := Actor(access.RoleAuditor, "370881").Scope()
	q, err := s.SupervisionDashboard(ctx, qufu, store.DashFilter{CampaignID: e.campaign.ID})
	if err != nil {
		t.Fatalf("曲阜's dashboard: %v", err)
	}
	if q.Campaign == nil || q.Year != 2026 || q.Scan == nil || q.Scan.ID != e.scan.ID || q.Scan.Findings != 0 || q.Scan.Fen != 0 || q.Campaign.Seed != 0 {
		t.Fatalf("曲阜's selection %+v, year %d, scan %+v", q.Campaign, q.Year, q.Scan)
	}
	if got, want := tallies(q.ByCounty), `370881 "" 1 20000 1 20000|`; got != want {
		t.Fatalf("曲阜 by county %s, want %s", got, want)
	}
	if got := tallies(q.ByInstitution); got != `H37088100002 "曲阜康复医院" 1 20000 1 20000|` {
		t.Fatalf("曲阜 by institution %s", got)
	}
	if len(q.Recovery) != 1 || q.Recovery[0] != wantRec[1] || q.RecoveryTotal.Booked != 20000 {
		t.Fatalf("曲阜 recovery %+v total %+v", q.Recovery, q.RecoveryTotal)
	}
	n := 0
	for _, l := range q.Leads {
		n += l.Count
	}
	_, own, err := s.FindLeads(ctx, qufu, store.LeadFilter{ScanID: e.scan.ID})
	if err != nil || n != own || n == count {
		t.Fatalf("曲阜 counts %d leads, lists %d (%v), the city %d", n, own, err, count)
	}
	qv := 0
	for _, tp := range q.Teams {
		qv += tp.Visits
		if tp.Findings > 1 {
			t.Fatalf("曲阜 team row %+v", tp)
		}
	}
	if qv != 1 {
		t.Fatalf("曲阜 sees %d visits: %+v", qv, q.Teams)
	}

	// a county the campaign does not visit, an unknown campaign, another year, a bad year
	if _, err := s.SupervisionDashboard(ctx, Actor(access.RoleAuditor, "370830").Scope(), store.DashFilter{CampaignID: e.campaign.ID}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("汶上 selects the campaign: %v", err)
	}
	if _, err := s.SupervisionDashboard(ctx, city, store.DashFilter{CampaignID: e.campaign.ID + 100}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("an unknown campaign: %v", err)
	}
	other, err := s.SupervisionDashboard(ctx, city, store.DashFilter{Year: 2025})
	if err != nil || len(other.ByCounty) != 0 || len(other.Teams) != 0 || other.RecoveryTotal.Count != 0 || other.Scan == nil {
		t.Fatalf("2025's dashboard %+v, %v", other, err)
	}
	if _, err := s.SupervisionDashboard(ctx, city, store.DashFilter{Year: 99}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("year 99: %v", err)
	}
}
