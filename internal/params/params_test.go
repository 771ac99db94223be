package params_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/storetest"
)

func version(region, value string) param.Version {
	return param.Version{Table: "min_wage", Region: region, EffectiveFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Value: value, Source: "PROJ", Confidence: "U", Note: "测试"}
}

func minWage(t *testing.T, set *param.Set, region string) string {
	t.Helper()
	v, err := set.Lookup("min_wage", "", region, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return v.Value
}

// Sixty administrators adding at once: every addition must be in the set
// calculations use (the old clone-add-swap in web kept about a third).
func TestConcurrentAdditionsAllReachTheSet(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		s := storetest.OpenURL(t, url(t), storetest.NewClock())
		svc, err := params.New(t.Context(), s, params.Options{MaxAge: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		const n = 60
		base := len(svc.Set(t.Context()).Versions())
		admin := storetest.Actor(access.RoleAdmin, "370800")
		var wg sync.WaitGroup
		errc := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				v := version("370800", fmt.Sprintf("%d.00", 3000+i))
				v.Table, v.Key = "holiday_calendar", fmt.Sprintf("2031-%02d-%02d", i/28+1, i%28+1)
				v.Value = "holiday"
				if _, err := svc.Add(context.Background(), admin, v); err != nil {
					errc <- err
				}
			})
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		// MaxAge is an hour: only Add's own reloads can have put them there.
		set := svc.Set(t.Context())
		if got := len(set.Versions()) - base; got != n {
			t.Fatalf("%d of %d concurrent additions reached the set", got, n)
		}
		for i := range n {
			if _, err := set.LookupLatest("holiday_calendar", fmt.Sprintf("2031-%02d-%02d", i/28+1, i%28+1), "370800"); err != nil {
				t.Fatalf("addition %d missing: %v", i, err)
			}
		}
	})
}

// A second process (store and service) on the same database sees an
// addition without a restart.
func TestSecondServiceSeesAddition(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		u := url(t)
		clock := storetest.NewClock()
		a, b := storetest.OpenURL(t, u, clock), storetest.OpenURL(t, u, clock)
		svcA, err := params.New(t.Context(), a, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svcB, err := params.New(t.Context(), b, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		before := minWage(t, svcB.Set(t.Context()), "370881")
		if _, err := svcA.Add(t.Context(), storetest.Actor(access.RoleAdmin, "370881"), version("370881", "2345.00")); err != nil {
			t.Fatal(err)
		}
		if got := minWage(t, svcB.Set(t.Context()), "370881"); got != "2345.00" {
			t.Fatalf("second service: min_wage %s (was %s), want 2345.00", got, before)
		}
		// And one that is started afterwards loads it too.
		svcC, err := params.New(t.Context(), storetest.OpenURL(t, u, clock), params.Options{MaxAge: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if got := minWage(t, svcC.Set(t.Context()), "370881"); got != "2345.00" {
			t.Fatalf("new service: min_wage %s, want 2345.00", got)
		}
	})
}

// Region scope covers parameters: a county administers its own county's
// rows only, city rows need a city (or provincial) administrator, province
// and national rows a provincial one.
func TestParamRegionScope(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		s := storetest.OpenURL(t, url(t), storetest.NewClock())
		svc, err := params.New(t.Context(), s, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		county, otherCounty := storetest.Actor(access.RoleAdmin, "370811"), storetest.Actor(access.RoleAdmin, "370881")
		city, province := storetest.Actor(access.RoleAdmin, "370800"), storetest.Actor(access.RoleAdmin, "370000")
		otherCity := storetest.Actor(access.RoleAdmin, "370100")
		cases := []struct {
			actor  access.Principal
			region string
			ok     bool
		}{
			{county, "370811", true},
			{county, "370881", false},
			{county, "370800", false},
			{county, "370000", false},
			{county, param.National, false},
			{otherCounty, "370881", true},
			{otherCounty, "370811", false},
			{city, "370881", true},
			{city, "370800", true},
			{city, "370000", false},
			{city, param.National, false},
			{otherCity, "370800", false},
			{otherCity, "370881", false},
			{province, "370881", true},
			{province, "370800", true},
			{province, "370000", true},
			{province, param.National, true},
		}
		want := 0
		for i, c := range cases {
			v := version(c.region, fmt.Sprintf("%d.00", 2000+i))
			_, err := svc.Add(t.Context(), c.actor, v)
			switch {
			case c.ok && err != nil:
				t.Errorf("%s adding %s: %v, want success", c.actor.RegionCode, c.region, err)
			case !c.ok && !errs.Is(err, errs.Forbidden):
				t.Errorf("%s adding %s: %v, want forbidden", c.actor.RegionCode, c.region, err)
			case !c.ok && !hasHan(err.Error()):
				t.Errorf("%s adding %s: message %q is not Chinese", c.actor.RegionCode, c.region, err)
			}
			if c.ok {
				want++
			}
		}
		stored, err := s.ParamVersions(t.Context())
		if err != nil || len(stored) != want {
			t.Fatalf("stored %d versions (%v), want %d: refused ones must write nothing", len(stored), err, want)
		}
		if _, err := svc.Add(t.Context(), province, version("379999", "2000.00")); !errs.Is(err, errs.Invalid) {
			t.Fatalf("unknown region: %v, want invalid", err)
		}
	})
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
