package store_test

import (
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
)

func TestRegistryCounts(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		ctx := context.Background()
		s := open(t, storetest.NewClock())
		rencheng := storetest.MustEmployer(t, s, "370811")
		storetest.MustWorker(t, s, rencheng, "孙明")
		left := storetest.MustWorker(t, s, rencheng, "周婷")
		qufu := storetest.MustEmployer(t, s, "370881")
		storetest.MustWorker(t, s, qufu, "王建国")
		storetest.MustEmployer(t, s, "370881")

		// 周婷 left: she is registered but no longer insured.
		emps, err := s.Employments(ctx, access.ScopeOf("370800"), left.ID)
		if err != nil || len(emps) != 1 {
			t.Fatalf("employments: %v %v", emps, err)
		}
		if err := s.EndEmployment(ctx, storetest.Actor(access.RoleClerk, "370811"), left.ID, emps[0].ID, "2025-06-30"); err != nil {
			t.Fatal(err)
		}

		sum := func(scope string) map[string][2]int {
			counts, err := s.RegistryCounts(ctx, access.ScopeOf(scope))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][2]int{}
			for _, c := range counts {
				v := out[c.Region]
				out[c.Region] = [2]int{v[0] + c.Employers, v[1] + c.Insured}
			}
			return out
		}
		city := sum("370800")
		if city["370811"] != [2]int{1, 1} || city["370881"] != [2]int{2, 1} || len(city) != 2 {
			t.Errorf("city counts %v, want 任城区 1 employer 1 insured, 曲阜市 2 and 1", city)
		}
		if qf := sum("370881"); len(qf) != 1 || qf["370881"] != [2]int{2, 1} {
			t.Errorf("曲阜's counts %v: must hold only 曲阜市", qf)
		}
	})
}
