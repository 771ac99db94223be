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
