package demo

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/storetest"
)

// TestLoadPrevention: the demo's recorded trainings give the source
// text's figures on the dashboard — 382 sessions, 34,555 attendances,
// 1,593 trained in the hazardous-chemicals programme, 273 % of its target
// — every plan approved within the cap, the past projects paid, next
// year's plans under review; once.
func TestLoadPrevention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := storetest.NewClock()
	clock.T = time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	s := storetest.OpenSQLite(t, clock)
	if _, err := Load(ctx, s, 7, 0.05, clock.T); err != nil {
		t.Fatal(err)
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := LoadPrevention(ctx, s, set, 7, 0.05, clock.T)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Sessions != PrevSessions || sum.Attendances != PrevAttendances || sum.Linked == 0 || sum.Paid == 0 {
		t.Fatalf("summary %+v", sum)
	}
	city := storetest.Actor(access.RolePrevention, "370800")
	k, err := s.TrainingKPI(ctx, city, 2021, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if k.Sessions != PrevSessions || k.PersonTimes != PrevAttendances || len(k.Targets) != 1 {
		t.Fatalf("KPI %d sessions, %d person-times, %d targets", k.Sessions, k.PersonTimes, len(k.Targets))
	}
	if tg := k.Targets[0]; tg.Trained != PrevHazchemTrained || (tg.SharePct+50)/100 != 273 || tg.ReachedOn == "" || tg.ReachedOn > "2025-06-30" {
		t.Fatalf("the programme's target %+v", tg)
	}
	if k.PaidFen == 0 || k.PaidFen >= k.ApprovedFen || k.Evaluated != PrevSessions {
		t.Fatalf("budget paid %d of %d, %d evaluated", k.PaidFen, k.ApprovedFen, k.Evaluated)
	}
	next, err := s.Plans(ctx, city.Scope(), 2027)
	if err != nil || len(next) != 2 {
		t.Fatalf("next year's plans %+v %v", next, err)
	}
	again, err := LoadPrevention(ctx, s, set, 7, 0.05, clock.T)
	if err != nil || again.Sessions != 0 {
		t.Fatalf("a second load %+v %v", again, err)
	}
}
