package demo

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/param"
	"gongshang/internal/storetest"
)

// TestLoadPayroll: a year of closed cycles in every county and the current
// month open with 退票, an adjustment applied with arrears, once.
func TestLoadPayroll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := storetest.NewClock()
	clock.T = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	today := clock.T
	s := storetest.OpenSQLite(t, clock)
	if _, err := Load(ctx, s, 7, 0.05, today); err != nil {
		t.Fatal(err)
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	setClock := func(at time.Time) {
		if at.IsZero() {
			at = today
		}
		clock.T = at
	}
	sum, err := LoadPayroll(ctx, s, set, setClock, 7, today)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cycles != 13*len(counties) || sum.Entitlements < 100 || sum.Returns == 0 {
		t.Fatalf("summary %+v", sum)
	}
	count := func(q string, args ...any) int {
		var n int
		if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM payroll_cycles WHERE state = 'closed' AND month < '2026-12'`); n != 12*len(counties) {
		t.Errorf("closed cycles: %d", n)
	}
	if n := count(`SELECT COUNT(*) FROM payroll_cycles WHERE month = '2026-12' AND state = 'paying'`); n != len(counties) {
		t.Errorf("open December cycles: %d", n)
	}
	if n := count(`SELECT COUNT(*) FROM payroll_lines WHERE month = '2026-12' AND state = 'failed'`); n == 0 {
		t.Errorf("no 退票 in the open cycle")
	}
	if n := count(`SELECT COUNT(*) FROM payroll_adjustments WHERE state = 'applied' AND arrears_fen > 0`); n != 1 {
		t.Errorf("adjustments with arrears: %d", n)
	}
	if n := count(`SELECT COUNT(*) FROM payroll_cycles WHERE on_time = FALSE`); n == 0 {
		t.Errorf("every cycle on time: the demo's late month is missing")
	}
	if n := count(`SELECT COUNT(*) FROM payroll_recoveries`); n == 0 {
		t.Errorf("no recovery from the late-reported death")
	}
	if n := count(`SELECT COUNT(*) FROM (SELECT entitlement_id, month FROM payroll_lines WHERE kind = 'regular' GROUP BY 1, 2 HAVING COUNT(*) > 1) d`); n != 0 {
		t.Errorf("%d entitlement-months with two lines", n)
	}
	if again, err := LoadPayroll(ctx, s, set, setClock, 7, today); err != nil || again.Cycles != 0 {
		t.Errorf("second load: %+v %v", again, err)
	}
}
