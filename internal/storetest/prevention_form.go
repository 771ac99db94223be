package storetest

import (
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
)

// The city's evaluation form: set by the city's prevention staff only,
// checked item by item, effective from its day; a checklist is scored on
// the form of its session's day whatever items the caller brings.
func testPreventionEvaluationForm(t *testing.T, s *store.Store, c *Clock) {
	f := preventionFixture(t, s, c)
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	items := []prevention.ChecklistItem{{Code: "i1", Title: "按计划组织", Max: 10, Weight: 1}, {Code: "i2", Title: "留存音视频资料", Max: 10, Weight: 3}}
	city := Actor(access.RolePrevention, "370800")
	for _, who := range []access.Principal{Actor(access.RoleInsurer, "370800"), Actor(access.RolePrevention, "370881")} {
		if _, err := s.SetEvaluationForm(ctx, who, "370800", "2026-03-01", items); err == nil {
			t.Fatalf("%s set the city's form", who.Username)
		}
	}
	if _, err := s.SetEvaluationForm(ctx, city, "370800", "2026-03-01", []prevention.ChecklistItem{{Code: "i1", Title: "x", Max: 0, Weight: 1}}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an item without a full mark: %v", err)
	}
	form, err := s.SetEvaluationForm(ctx, city, "370800", "2026-03-01", items)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetEvaluationForm(ctx, city, "370800", "2026-03-01", items); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a second version from the same day: %v", err)
	}
	before, err := s.EvaluationFormOn(ctx, "370811", "2026-02-28")
	if err != nil || before.ID != 0 || len(before.Items) != len(prevention.DefaultChecklist) {
		t.Fatalf("the form before the city's first version: %+v %v", before, err)
	}
	on, err := s.EvaluationFormOn(ctx, "370811", "2026-03-02")
	if err != nil || on.ID != form.ID || len(on.Items) != 2 {
		t.Fatalf("the form in force: %+v %v", on, err)
	}
	ss := mustSession(t, s, f.ProjectID, "2026-03-02")
	if ss, err = s.MarkTrainingHeld(ctx, rcPrevention(), ss.ID, ss.Version); err != nil {
		t.Fatal(err)
	}
	// the caller's own items are not taken: the form of the day is
	bogus := prevention.Checklist{Items: []prevention.ChecklistItem{{Code: "x", Title: "自评", Max: 1, Weight: 1}}, Scores: map[string]int{"x": 1}}
	if _, err := s.RecordChecklist(ctx, rcPrevention(), set, ss.ID, bogus); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a checklist on the caller's own items: %v", err)
	}
	ev, err := s.RecordChecklist(ctx, rcPrevention(), set, ss.ID, prevention.Checklist{Scores: map[string]int{"i1": 10, "i2": 5}})
	if err != nil {
		t.Fatal(err)
	}
	// (1×10/10 + 3×5/10) ÷ 4 = 62.5 %
	if ev.Score != prevention.ScoreOf(62.5) {
		t.Fatalf("checklist score %v, want 62.50", ev.Score)
	}
	auditHas(t, s, "prevention.evaluation_form.set", 1)
}

// A publicity project is paid its approved amount once the city accepted
// its deliverables: not before, not on the insurer's say, once; a training
// project is not accepted this way.
func testPreventionPublicityAcceptance(t *testing.T, s *store.Store, c *Clock) {
	f := preventionFixture(t, s, c)
	set := defaultParams(t)
	if _, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.PublicityID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a publicity project paid before its acceptance: %v", err)
	}
	if _, err := s.AcceptPublicity(ctx, insurerRC(), f.PublicityID, "短视频3条", ""); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer accepted: %v", err)
	}
	if _, err := s.AcceptPublicity(ctx, cityApprover(), f.PublicityID, " ", ""); !hasField(err, "deliverables", "required") {
		t.Fatalf("an acceptance without deliverables: %v", err)
	}
	if _, err := s.AcceptPublicity(ctx, cityApprover(), f.ProjectID, "培训", ""); !hasField(err, "project_id", "kind") {
		t.Fatalf("a training project accepted as publicity: %v", err)
	}
	if _, err := s.AcceptPublicity(ctx, Actor(access.RolePrevention, "370881"), f.PublicityID, "短视频3条", ""); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜 accepted 任城's project: %v", err)
	}
	a, err := s.AcceptPublicity(ctx, cityApprover(), f.PublicityID, "工伤预防短视频3条，户外大屏投放30天，微信附近推2期", "成果齐全，同意验收")
	if err != nil || a.Region != "370811" {
		t.Fatalf("AcceptPublicity: %+v %v", a, err)
	}
	if _, err := s.AcceptPublicity(ctx, cityApprover(), f.PublicityID, "再次", ""); !errs.Is(err, errs.Conflict) {
		t.Fatalf("accepted twice: %v", err)
	}
	p, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.PublicityID)
	if err != nil || p.AmountFen != 1_000_000 || len(p.Explanation.Steps) != 1 {
		t.Fatalf("the publicity payment: %+v %v", p, err)
	}
	if p, err = s.ApproveTrainingPayment(ctx, cityApprover(), p.ID, p.Version); err != nil || p.State != store.PaymentApproved {
		t.Fatalf("approving it: %+v %v", p, err)
	}
	if _, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.PublicityID); err == nil {
		t.Fatal("a paid publicity project paid again")
	}
	auditHas(t, s, "prevention.project.accept", 1)
}
