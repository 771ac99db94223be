package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/demo"
	"gongshang/internal/store"
)

// casesBench: `gongshang bench cases` loads 1,000,000 工伤一件事 cases
// (× --scale) over a registry of one worker per ten cases, and reports the
// p50/p99 of each work queue's first page and of the dashboard figures,
// with the same run's trivial query (ping + region list) as baseline.
// Target (issue 8): p99 ≤ 100 ms at 1,000,000 cases.
var casesBench = perEngine(casesOn)

func casesOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	n := max(1000, int(1_000_000*opt.Scale))
	today := time.Now()
	reg := demo.Generate(7, float64(max(200, n/10))/20000, today)
	t0 := time.Now()
	if err := s.LoadBulk(ctx, access.System, reg, store.LoadOptions{Action: "demo.load"}); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(11, 13))
	const batch = 5000
	seq := map[string]int64{}
	for done := 0; done < n; done += batch {
		cs := make([]casebundle.Case, 0, min(batch, n-done))
		for i := done; i < min(done+batch, n); i++ {
			cs = append(cs, benchCase(reg, i, rng, today, seq))
		}
		if err := s.LoadCases(ctx, access.System, cs, "demo.load"); err != nil {
			return nil, err
		}
	}
	if err := s.RebuildCaseFigures(ctx); err != nil {
		return nil, err
	}
	logf(opt, "%s: loaded %d workers and %d cases in %s", engine, len(reg.Workers), n, time.Since(t0).Round(time.Millisecond))
	if err := s.Analyze(ctx, true); err != nil {
		return nil, err
	}
	city, county := access.ScopeOf("370800"), access.ScopeOf("370811")
	yes := true
	queue := func(scope access.Scope, f store.QueueFilter) func(context.Context) error {
		return func(ctx context.Context) error { _, _, err := s.CaseQueue(ctx, scope, f); return err }
	}
	qs := []struct {
		metric string
		run    func(context.Context) error
	}{
		{"queue_county_mine_p", queue(county, store.QueueFilter{Kinds: casebundle.QueueKinds(access.RoleRecognition)})},
		{"queue_city_all_p", queue(city, store.QueueFilter{})},
		{"queue_city_assessment_p", queue(city, store.QueueFilter{Kinds: casebundle.QueueKinds(access.RoleAssessment)})},
		{"queue_city_overdue_p", queue(city, store.QueueFilter{Overdue: true})},
		{"queue_city_simple_p", queue(city, store.QueueFilter{Simple: &yes})},
		{"queue_county_state_p", queue(county, store.QueueFilter{State: casebundle.Investigating})},
		{"dashboard_city_p", func(ctx context.Context) error { _, err := s.CaseDashboard(ctx, city); return err }},
		{"dashboard_county_p", func(ctx context.Context) error { _, err := s.CaseDashboard(ctx, county); return err }},
	}
	const runs = 100
	base := make(timings, 0, runs)
	for range runs {
		t := time.Now()
		if err := s.Ping(ctx); err != nil {
			return nil, err
		}
		if _, err := s.Regions(ctx, county); err != nil {
			return nil, err
		}
		base = append(base, time.Since(t))
	}
	name := "cases." + engine
	out := []Line{{Name: name, Metric: "cases", Unit: "count", Value: float64(n), Baseline: float64(n)}}
	for _, q := range qs {
		ts := make(timings, 0, runs)
		for range runs {
			t := time.Now()
			if err := q.run(ctx); err != nil {
				return out, fmt.Errorf("%s: %w", q.metric, err)
			}
			ts = append(ts, time.Since(t))
		}
		out = append(out,
			Line{Name: name, Metric: q.metric + "50", Unit: "ms", Value: ts.pct(50), Baseline: base.pct(50)},
			Line{Name: name, Metric: q.metric + "99", Unit: "ms", Value: ts.pct(99), Baseline: base.pct(99)})
	}
	return out, nil
}

// benchCase is the i-th case: a worker (one in ten cases each, injured on
// different days), its employer, a stage drawn like a year's mix (most
// decided and closed, a tenth in each open step), dates relative to today.
func benchCase(reg *store.Bulk, i int, rng *rand.Rand, today time.Time, seq map[string]int64) casebundle.Case {
	e := reg.Employments[i%len(reg.Employments)]
	w, emp := reg.Workers[e.Worker], reg.Employers[e.Employer]
	// A worker's cases (one per round through the employments) fall on
	// distinct injury days: the rounds are 71 days apart modulo 700.
	k, round := i%len(reg.Employments), i/len(reg.Employments)
	injured := today.AddDate(0, 0, -(4 + k%50 + (round*71)%700))
	applied := injured.AddDate(0, 0, 1+rng.IntN(3))
	ago := int(today.Sub(applied).Hours() / 24)
	simple := rng.IntN(5) == 0
	c := casebundle.Case{RegionCode: emp.RegionCode, WorkerID: w.ID, EmployerID: emp.ID, InjuryDate: day(injured), ApplicationDate: day(applied),
		InjuryKind: casebundle.InjuryAccident, Channel: casebundle.Channels[rng.IntN(3)], Applicant: casebundle.ApplicantEmployer,
		ApplicantName: emp.Name, Cause: "benchmark", Simple: simple}
	y := applied.Year()
	key := fmt.Sprintf("%s-%d", c.RegionCode, y)
	seq[key]++
	c.Number = casebundle.FormatNumber(c.RegionCode, y, seq[key])
	limit := 60
	if simple {
		limit = 15
	}
	rec := casebundle.Service{Kind: casebundle.Recognition, Detail: casebundle.Detail{ReceivedOn: c.ApplicationDate}}
	as := casebundle.Service{Kind: casebundle.InitialAssess, State: casebundle.Prepared}
	ben := casebundle.Service{Kind: casebundle.BenefitApproval, State: casebundle.Precheck}
	due := func(days int) string { return day(applied.AddDate(0, 0, days)) }
	switch r := rng.IntN(10); {
	case r == 0 && ago < 30:
		rec.State, rec.Step, rec.Due, rec.Party = casebundle.Received, "recognition_acceptance", due(15), casebundle.PartyAgency
	case r <= 1 && ago < 120:
		rec.State, rec.Step, rec.Due, rec.Party = casebundle.Accepted, "recognition_decision", due(limit), casebundle.PartyAgency
	case r == 2 && ago < 120:
		rec.State, rec.Step, rec.Due, rec.Party = casebundle.Investigating, "recognition_decision", due(limit), casebundle.PartyAgency
	default:
		decided := 3 + rng.IntN(limit)
		rec.State, rec.Detail.Outcome, rec.Detail.Ground, rec.Detail.DecidedOn = casebundle.Delivered, casebundle.OutcomeRecognised, "14.1", due(decided)
		rec.Step, rec.Due, rec.Party = "admin_review_request", due(decided+65), casebundle.PartyWindow
		if ago < 200 && r < 6 {
			as.State, as.Step, as.Due, as.Party = casebundle.Scheduled, "assessment_conclusion", due(decided+60), casebundle.PartyAgency
		} else {
			as.State, ben.State = casebundle.Delivered, casebundle.Approved
		}
	}
	rec.Overdue = rec.Party == casebundle.PartyAgency && rec.Due < day(today)
	as.Overdue = as.Party == casebundle.PartyAgency && as.Due < day(today)
	c.Services = []casebundle.Service{rec, as, ben}
	return c
}

func day(t time.Time) string { return t.Format(time.DateOnly) }
