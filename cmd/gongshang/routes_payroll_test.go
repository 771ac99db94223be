package main

import (
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// payrollIDs makes one of each payroll object in 任城区 for the route walk:
// an approved cycle with a bank file, its line, the entitlement, an
// adjustment waiting for approval, a recovery.
func payrollIDs(t *testing.T, e *webtest.Env, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	maker := storetest.Actor(access.RoleBenefits, "370800")
	checker := storetest.Actor(access.RoleCycleApprover, "370800")
	checker.UserID = 2
	w := storetest.MustPayee(t, e.S, e.Home, "路由甲", "19700101")
	ent := storetest.MustEntitlement(t, e.S, w, payroll.TypeDisability, 1, 300000, "2025-06")
	c, err := e.S.OpenCycle(ctx, maker, set, "370811", "2026-03")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.S.RunCycle(ctx, set, c.ID); err != nil {
		t.Fatal(err)
	}
	c, _ = e.S.FindCycle(ctx, maker, c.ID)
	if c, err = e.S.ActOnCycle(ctx, maker, c.ID, store.CycleAction{Action: payroll.Submit, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	if _, err = e.S.ActOnCycle(ctx, checker, c.ID, store.CycleAction{Action: payroll.Approve, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	bs, err := e.S.GenerateBankFiles(ctx, maker, c.ID)
	if err != nil || len(bs) != 1 {
		t.Fatalf("bank files: %v %v", bs, err)
	}
	ls, _, err := e.S.CycleLines(ctx, maker, c.ID, store.LineFilter{})
	if err != nil || len(ls) != 1 {
		t.Fatalf("lines: %v %v", ls, err)
	}
	a, err := e.S.PrepareAdjustment(ctx, maker, set, "370811", payroll.Adjustment{Type: payroll.TypeDisability, PercentBP: 100, Effective: "2026-04"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.S.CreateRecovery(ctx, maker, store.NewRecovery{WorkerID: w.ID, TotalFen: 1000, Reason: "路由测试"})
	if err != nil {
		t.Fatal(err)
	}
	ids["payroll_cycle"], ids["payroll_batch"], ids["payroll_line"], ids["entitlement"] = c.ID, bs[0].ID, ls[0].ID, ent
	ids["payroll_adjustment"], ids["payroll_recovery"] = a.ID, r
}
