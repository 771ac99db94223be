package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// The fund-supervision dashboard: one read of the figures a supervisor
// follows, aggregated in SQL, all inside the caller's scope (a county's
// auditor sees his county's leads, findings, recoveries and visits; the
// city sees every county and a column per county). A campaign's own
// region is its planner's, so a county sees the city's campaigns that
// visit it; the rule hit rates are the city's rule base (RuleStats).

// DashFilter narrows the dashboard: the campaigns of a year (0 every
// year), or one campaign (then its year).
type DashFilter struct {
	Year       int
	CampaignID int64
}

// SupervisionDash is the dashboard's figures.
type SupervisionDash struct {
	Year      int        `json:"year,omitempty"`
	Campaign  *Campaign  `json:"campaign,omitempty"` // the selected campaign
	Campaigns []Campaign `json:"campaigns"`          // the campaigns one may select
	Scan      *ScanInfo  `json:"scan,omitempty"`     // the scan whose leads are counted: the campaign's, else the latest

	Leads         []LeadTally     `json:"leads"`          // (a) by category and severity, in the categories' order
	ByCategory    []FindingTally  `json:"by_category"`    // (b) field findings by category
	ByCounty      []FindingTally  `json:"by_county"`      // by county (region_code)
	ByInstitution []FindingTally  `json:"by_institution"` // the top DashTopInstitutions by amount
	Recovery      []RecoveryTally `json:"recovery"`       // (c) by county
	RecoveryTotal RecoveryTally   `json:"recovery_total"`
	Rules         []RuleStat      `json:"rules"` // (d) the rules with a trigger or a review
	Teams         []TeamProgress  `json:"teams"` // (e) per campaign and team
}

// DashTopInstitutions is how many institutions the dashboard lists.
const DashTopInstitutions = 20

// LeadTally counts a scan's leads of one category and severity.
type LeadTally struct {
	Category     string `json:"category"`
	Severity     string `json:"severity"`
	Count        int    `json:"count"`
	Fen          int64  `json:"amount_fen"`
	Confirmed    int    `json:"confirmed"`
	Dismissed    int    `json:"dismissed"`
	Open         int    `json:"open"`
	ConfirmedFen int64  `json:"confirmed_fen"`
}

// FindingTally counts field findings of one category, county or
// institution (Key); Name is the institution's (empty otherwise).
type FindingTally struct {
	Key          string `json:"key"`
	Name         string `json:"name,omitempty"`
	Count        int    `json:"count"`
	Fen          int64  `json:"amount_fen"`
	Confirmed    int    `json:"confirmed"`
	ConfirmedFen int64  `json:"confirmed_fen"`
}

// RecoveryTally is the recoveries of a county's findings ("" the total):
// booked is every recovery's amount (open and settled), recovered what
// the settled ones brought back, outstanding the open ones' amount; by
// way of refund and of offset.
type RecoveryTally struct {
	Region          string `json:"region_code,omitempty"`
	Count           int    `json:"count"`
	Open            int    `json:"open"`
	Booked          int64  `json:"booked_fen"`
	Recovered       int64  `json:"recovered_fen"`
	Outstanding     int64  `json:"outstanding_fen"`
	RefundBooked    int64  `json:"refund_booked_fen"`
	RefundRecovered int64  `json:"refund_recovered_fen"`
	OffsetBooked    int64  `json:"offset_booked_fen"`
	OffsetRecovered int64  `json:"offset_recovered_fen"`
}

// TeamProgress is one team's progress in a campaign (team 0: visits not
// drawn yet): its visits by state and the findings recorded on them.
type TeamProgress struct {
	CampaignID   int64  `json:"campaign_id"`
	Campaign     string `json:"campaign"`
	Team         int    `json:"team"`
	Visits       int    `json:"visits"`
	Planned      int    `json:"planned"`
	Visited      int    `json:"visited"`
	Closed       int    `json:"closed"`
	Findings     int    `json:"findings"`
	Confirmed    int    `json:"confirmed"`
	Fen          int64  `json:"amount_fen"`
	ConfirmedFen int64  `json:"confirmed_fen"`
}

// confirmedStates are the states of a finding the collective review
// confirmed (and the steps after it).
var confirmedStates = []supervision.FindingState{supervision.FindingConfirmed, supervision.FindingNotified,
	supervision.FindingRectifying, supervision.FindingClosed}

// isConfirmed is the SQL test of a confirmed finding (alias f).
func isConfirmed() string {
	var q []string
	for _, s := range confirmedStates {
		q = append(q, "'"+string(s)+"'")
	}
	return "f.state IN (" + strings.Join(q, ", ") + ")"
}

// SupervisionDashboard reads the dashboard's figures in scope.
func (s *Store) SupervisionDashboard(ctx context.Context, scope access.Scope, f DashFilter) (SupervisionDash, error) {
	d := SupervisionDash{Year: f.Year}
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		return d, errs.Field("year", "range", "年度应为2000至2100之间的四位数字")
	}
	var err error
	if d.Campaigns, err = s.dashCampaigns(ctx, scope); err != nil {
		return d, err
	}
	if f.CampaignID != 0 {
		i := slices.IndexFunc(d.Campaigns, func(c Campaign) bool { return c.ID == f.CampaignID })
		if i < 0 {
			return d, errs.E(errs.NotFound, "稽核计划不存在")
		}
		c := d.Campaigns[i]
		d.Campaign, d.Year = &c, c.Year
	}
	if d.Scan, err = s.dashScan(ctx, scope, d); err != nil {
		return d, err
	}
	if d.Scan != nil {
		if d.Leads, err = s.dashLeads(ctx, scope, d.Scan.ID); err != nil {
			return d, err
		}
	}
	lo, hi := scope.Range()
	cond, args := "f.region_code >= $1 AND f.region_code < $2", []any{lo, hi}
	vcond := "v.region_code >= $1 AND v.region_code < $2"
	switch {
	case d.Campaign != nil:
		cond += " AND f.campaign_id = $3"
		vcond += " AND v.campaign_id = $3"
		args = append(args, d.Campaign.ID)
	case d.Year != 0:
		cond += " AND f.campaign_id IN (SELECT id FROM audit_campaigns WHERE year = $3)"
		vcond += " AND v.campaign_id IN (SELECT id FROM audit_campaigns WHERE year = $3)"
		args = append(args, d.Year)
	}
	if d.ByCategory, err = s.dashFindings(ctx, "f.category", cond, args, 0); err != nil {
		return d, err
	}
	slices.SortStableFunc(d.ByCategory, func(a, b FindingTally) int {
		return slices.Index(supervision.Categories, a.Key) - slices.Index(supervision.Categories, b.Key)
	})
	if d.ByCounty, err = s.dashFindings(ctx, "f.region_code", cond, args, 0); err != nil {
		return d, err
	}
	if d.ByInstitution, err = s.dashFindings(ctx, "f.fixmedins_code", cond, args, DashTopInstitutions); err != nil {
		return d, err
	}
	if d.Recovery, d.RecoveryTotal, err = s.dashRecovery(ctx, cond, args); err != nil {
		return d, err
	}
	if d.Rules, err = s.dashRules(ctx); err != nil {
		return d, err
	}
	d.Teams, err = s.dashTeams(ctx, d.Campaigns, cond, vcond, args)
	return d, err
}

// dashCampaigns lists the campaigns of the scope or visiting it, newest
// first, without their seeds.
func (s *Store) dashCampaigns(ctx context.Context, scope access.Scope) ([]Campaign, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns c WHERE (c.region_code >= $1 AND c.region_code < $2)
		OR EXISTS (SELECT 1 FROM audit_visits v WHERE v.campaign_id = c.id AND v.region_code >= $1 AND v.region_code < $2) ORDER BY c.id DESC`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard campaigns: %w", err)
	}
	cs, err := collect(rows, scanCampaign)
	for i := range cs {
		cs[i].Seed = 0 // the lot's seed is the campaign page's, not the dashboard's
	}
	return cs, err
}

// dashScan picks the scan whose leads the dashboard counts: the selected
// campaign's, else that of the year's newest campaign, else the latest
// finished scan of the scope or with leads in it.
func (s *Store) dashScan(ctx context.Context, scope access.Scope, d SupervisionDash) (*ScanInfo, error) {
	id := int64(0)
	if d.Campaign != nil {
		id = d.Campaign.ScanID
	} else if d.Year != 0 {
		for _, c := range d.Campaigns {
			if c.Year == d.Year {
				id = c.ScanID
				break
			}
		}
	}
	var sc ScanInfo
	var err error
	if id != 0 {
		sc, err = s.FindScan(ctx, id)
	} else {
		lo, hi := scope.Range()
		sc, err = scanScanInfo(s.db.QueryRowContext(ctx, `SELECT `+scanCols+` FROM audit_scans s WHERE s.state = 'done'
			AND ((s.region_code >= $1 AND s.region_code < $2)
			  OR EXISTS (SELECT 1 FROM audit_findings f WHERE f.scan_id = s.id AND f.region_code >= $1 AND f.region_code < $2))
			ORDER BY s.id DESC LIMIT 1`, lo, hi))
	}
	if errors.Is(err, sql.ErrNoRows) || errs.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !scope.Covers(sc.Region) {
		// another region's scan: which one, not its figures (the scope's
		// share of them is in the tallies)
		sc = ScanInfo{ID: sc.ID, ExtractID: sc.ExtractID, State: sc.State, StartedAt: sc.StartedAt, FinishedAt: sc.FinishedAt,
			Region: sc.Region, OwnYear: sc.OwnYear}
	}
	return &sc, nil
}

func (s *Store) dashLeads(ctx context.Context, scope access.Scope, scanID int64) ([]LeadTally, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT category, severity, COUNT(*), COALESCE(SUM(amount_fen), 0),
		SUM(CASE WHEN review = 'confirmed' THEN 1 ELSE 0 END), SUM(CASE WHEN review = 'dismissed' THEN 1 ELSE 0 END),
		SUM(CASE WHEN review = 'new' THEN 1 ELSE 0 END), COALESCE(SUM(CASE WHEN review = 'confirmed' THEN amount_fen ELSE 0 END), 0)
		FROM audit_findings WHERE scan_id = $1 AND region_code >= $2 AND region_code < $3 GROUP BY category, severity`, scanID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard leads: %w", err)
	}
	out, err := collect(rows, func(r interface{ Scan(...any) error }) (LeadTally, error) {
		var t LeadTally
		err := r.Scan(&t.Category, &t.Severity, &t.Count, &t.Fen, &t.Confirmed, &t.Dismissed, &t.Open, &t.ConfirmedFen)
		return t, err
	})
	slices.SortStableFunc(out, func(a, b LeadTally) int {
		if d := slices.Index(supervision.Categories, a.Category) - slices.Index(supervision.Categories, b.Category); d != 0 {
			return d
		}
		return strings.Compare(a.Severity, b.Severity)
	})
	return out, err
}

// dashFindings counts the field findings matching cond by key; limit > 0
// keeps the largest amounts first (institutions, with their names).
func (s *Store) dashFindings(ctx context.Context, key, cond string, args []any, limit int) ([]FindingTally, error) {
	name, join, order := "''", "", key
	if limit > 0 {
		name, join = "COALESCE(MAX(i.name), MAX(v.name), '')", " LEFT JOIN institutions i ON i.code = f.fixmedins_code LEFT JOIN audit_visits v ON v.id = f.visit_id"
		order = fmt.Sprintf("SUM(f.amount_fen) DESC, %s LIMIT %d", key, limit)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+key+`, `+name+`, COUNT(*), COALESCE(SUM(f.amount_fen), 0),
		SUM(CASE WHEN `+isConfirmed()+` THEN 1 ELSE 0 END), COALESCE(SUM(CASE WHEN `+isConfirmed()+` THEN f.amount_fen ELSE 0 END), 0)
		FROM audit_field_findings f`+join+` WHERE `+cond+` GROUP BY `+key+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard findings by %s: %w", key, err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (FindingTally, error) {
		var t FindingTally
		err := r.Scan(&t.Key, &t.Name, &t.Count, &t.Fen, &t.Confirmed, &t.ConfirmedFen)
		return t, err
	})
}

// dashRecovery sums the recoveries of the findings matching cond by
// county and in total.
func (s *Store) dashRecovery(ctx context.Context, cond string, args []any) ([]RecoveryTally, RecoveryTally, error) {
	var total RecoveryTally
	rows, err := s.db.QueryContext(ctx, `SELECT f.region_code, r.kind, COUNT(*), SUM(CASE WHEN r.state = 'open' THEN 1 ELSE 0 END),
		COALESCE(SUM(r.amount_fen), 0), COALESCE(SUM(r.recovered_fen), 0), COALESCE(SUM(CASE WHEN r.state = 'open' THEN r.amount_fen ELSE 0 END), 0)
		FROM audit_recoveries r JOIN audit_field_findings f ON f.id = r.finding_id WHERE `+cond+`
		GROUP BY f.region_code, r.kind ORDER BY f.region_code, r.kind`, args...)
	if err != nil {
		return nil, total, fmt.Errorf("store: dashboard recoveries: %w", err)
	}
	defer rows.Close()
	var out []RecoveryTally
	for rows.Next() {
		var region, kind string
		var x RecoveryTally
		if err := rows.Scan(&region, &kind, &x.Count, &x.Open, &x.Booked, &x.Recovered, &x.Outstanding); err != nil {
			return nil, total, err
		}
		if len(out) == 0 || out[len(out)-1].Region != region {
			out = append(out, RecoveryTally{Region: region})
		}
		for _, t := range []*RecoveryTally{&out[len(out)-1], &total} {
			t.Count += x.Count
			t.Open += x.Open
			t.Booked += x.Booked
			t.Recovered += x.Recovered
			t.Outstanding += x.Outstanding
			if kind == string(supervision.RecoveryRefund) {
				t.RefundBooked += x.Booked
				t.RefundRecovered += x.Recovered
			} else {
				t.OffsetBooked += x.Booked
				t.OffsetRecovered += x.Recovered
			}
		}
	}
	return out, total, rows.Err()
}

// dashRules are the rule statistics of the rules that fired or were
// reviewed.
func (s *Store) dashRules(ctx context.Context) ([]RuleStat, error) {
	all, err := s.RuleStats(ctx, "")
	if err != nil {
		return nil, err
	}
	out := []RuleStat{}
	for _, r := range all {
		if r.Triggers > 0 || r.Reviewed() > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// dashTeams counts the visits matching vcond and the findings matching
// cond per campaign and team, campaigns newest first.
func (s *Store) dashTeams(ctx context.Context, campaigns []Campaign, cond, vcond string, args []any) ([]TeamProgress, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.campaign_id, v.team, COUNT(*), SUM(CASE WHEN v.state = 'planned' THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.state = 'visited' THEN 1 ELSE 0 END), SUM(CASE WHEN v.state = 'closed' THEN 1 ELSE 0 END)
		FROM audit_visits v WHERE `+vcond+` GROUP BY v.campaign_id, v.team`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard visits: %w", err)
	}
	type key struct {
		c int64
		t int
	}
	by := map[key]*TeamProgress{}
	visits, err := collect(rows, func(r interface{ Scan(...any) error }) (TeamProgress, error) {
		var t TeamProgress
		err := r.Scan(&t.CampaignID, &t.Team, &t.Visits, &t.Planned, &t.Visited, &t.Closed)
		return t, err
	})
	if err != nil {
		return nil, err
	}
	for i := range visits {
		by[key{visits[i].CampaignID, visits[i].Team}] = &visits[i]
	}
	rows, err = s.db.QueryContext(ctx, `SELECT f.campaign_id, v.team, COUNT(*), COALESCE(SUM(f.amount_fen), 0),
		SUM(CASE WHEN `+isConfirmed()+` THEN 1 ELSE 0 END), COALESCE(SUM(CASE WHEN `+isConfirmed()+` THEN f.amount_fen ELSE 0 END), 0)
		FROM audit_field_findings f JOIN audit_visits v ON v.id = f.visit_id WHERE `+cond+` GROUP BY f.campaign_id, v.team`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: dashboard team findings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var t TeamProgress
		if err := rows.Scan(&k.c, &k.t, &t.Findings, &t.Fen, &t.Confirmed, &t.ConfirmedFen); err != nil {
			return nil, err
		}
		if p := by[k]; p != nil {
			p.Findings, p.Fen, p.Confirmed, p.ConfirmedFen = t.Findings, t.Fen, t.Confirmed, t.ConfirmedFen
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names := map[int64]string{}
	rank := map[int64]int{}
	for i, c := range campaigns {
		names[c.ID], rank[c.ID] = c.Name, i
	}
	for i := range visits {
		visits[i].Campaign = names[visits[i].CampaignID]
	}
	slices.SortFunc(visits, func(a, b TeamProgress) int {
		if d := rank[a.CampaignID] - rank[b.CampaignID]; d != 0 {
			return d
		}
		return a.Team - b.Team
	})
	return visits, nil
}

// The audit actions of the supervision exports beyond the leads and the
// ranking (ExportLeads, ExportRanking).
const (
	ExportSupervisionDash = "supervision_dashboard.export" // a table of the dashboard
	ExportCampaigns       = "campaign.export"              // the campaign list
	ExportInspectors      = "inspector.export"             // the inspector pool
	ExportVisits          = "visit.export"                 // a campaign's visits
	ExportFieldFindings   = "field_finding.export"         // a campaign's field findings
	ExportRuleStats       = "rule_stat.export"             // the rule base with its statistics
)
