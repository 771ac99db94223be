package main

import (
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// preventionIDs makes 兖州's approved 2026 plan (outside 曲阜; 任城's is the trainings') with a
// pending change request, for the route walk.
func preventionIDs(t *testing.T, e *webtest.Env, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	city, insurer := storetest.Actor(access.RolePrevention, "370800"), storetest.Actor(access.RoleInsurer, "370800")
	if _, err := e.S.SetPreventionYear(ctx, city, set, "370800", 2026, 100_000_000, 0, "", 0); err != nil {
		t.Fatal(err)
	}
	p, err := e.S.CreatePlan(ctx, insurer, "370812", 2026)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = e.S.SavePlanProject(ctx, insurer, p.ID, p.Version, prevention.Project{Kind: prevention.KindPublicity, Title: "工伤预防宣传",
		ProviderKind: "agency", Provider: "兖州区社保中心", Lines: []prevention.BudgetLine{{Item: "制作费", RequestedFen: 100_000}}}); err != nil {
		t.Fatal(err)
	}
	if p, err = e.S.SubmitPlan(ctx, insurer, p.ID, p.Version, ""); err != nil {
		t.Fatal(err)
	}
	if p, err = e.S.ReviewPlan(ctx, city, p.ID, p.Version, prevention.Review{Action: prevention.ActApprove}); err != nil {
		t.Fatal(err)
	}
	c, err := e.S.RequestPlanChange(ctx, insurer, p.ID, prevention.Change{Reason: "路由检查", Ops: []prevention.ChangeOp{
		{Op: prevention.OpSchedule, ProjectID: p.Projects[0].ID, Sessions: 1, Attendance: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	ids["prevention_plan"], ids["prevention_change"] = p.ID, c.ID
}
