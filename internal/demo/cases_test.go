package demo

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// TestLoadCases: the demo's cases reach every stage in 任城 and 曲阜, with
// letters, simple cases, overdue steps and approved decisions, once.
func TestLoadCases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.OpenSQLite(t, storetest.NewClock())
	now := s.Now()
	if _, err := Load(ctx, s, 7, 0.05, now); err != nil {
		t.Fatal(err)
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n, err := LoadCases(ctx, s, set, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases walked in %s", n, time.Since(start).Round(time.Millisecond))
	if n < 50 { // at scale 0.05 the smallest counties have few employers
		t.Errorf("only %d cases", n)
	}
	if again, err := LoadCases(ctx, s, set, 7, now); err != nil || again != 0 {
		t.Errorf("second load walked %d (%v)", again, err)
	}
	states := map[string]int{}
	rows, err := s.DB().QueryContext(ctx, `SELECT kind || ':' || state, COUNT(*) FROM case_services GROUP BY kind, state`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var c int
		if err := rows.Scan(&k, &c); err != nil {
			t.Fatal(err)
		}
		states[k] = c
	}
	rows.Close()
	for _, want := range []string{"recognition:received", "recognition:correction", "recognition:accepted", "recognition:investigating",
		"recognition:suspended", "recognition:decided", "recognition:delivered", "recognition:not_accepted", "assessment:received",
		"assessment:scheduled", "assessment:concluded", "benefit:computed", "benefit:approved", "benefit:ready"} {
		if states[want] == 0 {
			t.Errorf("no %s in the demo (%v)", want, states)
		}
	}
	city := access.ScopeOf("370800")
	_, overdue, _ := s.CaseQueue(ctx, city, store.QueueFilter{})
	simple := true
	_, simples, _ := s.CaseQueue(ctx, city, store.QueueFilter{Simple: &simple})
	if overdue == 0 || simples == 0 {
		t.Errorf("queue %d steps, %d simple", overdue, simples)
	}
	var letters, ents int
	s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_letters`).Scan(&letters)
	s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM payable_items`).Scan(&ents)
	if letters < n || ents == 0 {
		t.Errorf("%d letters, %d payables", letters, ents)
	}
	f, err := s.CaseDashboard(ctx, city)
	if err != nil || f.Cases != n || f.Normal.Decided+f.Simple.Decided == 0 {
		t.Errorf("dashboard %+v %v", f, err)
	}
}

// TestLoadCasesAtDefaultScale: `gongshang demo` loads scale 1; every
// county's cases must walk there too (a de-facto claim at scale 1 once
// stopped the demo).
func TestLoadCasesAtDefaultScale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := storetest.OpenSQLite(t, storetest.NewClock())
	if _, err := Load(ctx, s, 20260301, 1, s.Now()); err != nil {
		t.Fatal(err)
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	n, err := LoadCases(ctx, s, set, 20260301, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A stage is skipped only where an employer has no worker to take it.
	if most := 2*len(allStages) + (len(counties)-2)*len(sampleStages); n < most-3 {
		t.Errorf("%d cases walked, want about %d", n, most)
	}
	var regions int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(DISTINCT region_code) FROM cases`).Scan(&regions); err != nil || regions != len(counties) {
		t.Errorf("cases in %d counties (%v), want all %d", regions, err, len(counties))
	}
}
