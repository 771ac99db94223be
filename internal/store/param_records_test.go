package store_test

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/storetest"
)

// ParamRecords lists added versions with the name of who added them and
// when, on both engines, for the parameter book's history.
func TestParamRecords(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		ctx := context.Background()
		s := open(t, storetest.NewClock())
		u, err := s.CreateUser(ctx, access.System, access.NewUser{Username: "jn-admin-x", DisplayName: "济宁管理员", Role: access.RoleAdmin,
			RegionCode: "370800", Password: "Jining-Admin-2026!"})
		if err != nil {
			t.Fatal(err)
		}
		actor := access.Principal{UserID: u.ID, Username: u.Username, Kind: access.KindStaff, Role: access.RoleAdmin, RegionCode: "370800"}
		v := param.Version{Table: "min_wage", Region: "370811", EffectiveFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Value: "2400.00",
			Source: "PROJ", Confidence: "U", Note: "任城区"}
		if _, err := s.AddParamVersion(ctx, actor, v); err != nil {
			t.Fatal(err)
		}
		recs, err := s.ParamRecords(ctx)
		if err != nil || len(recs) != 1 {
			t.Fatalf("records %v, %v", recs, err)
		}
		r := recs[0]
		if r.ActorName != "济宁管理员" || r.Version != v || !r.CreatedAt.Equal(storetest.NewClock().T) {
			t.Errorf("record %+v", r)
		}
	})
}
