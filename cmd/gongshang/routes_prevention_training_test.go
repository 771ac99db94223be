package main

import (
	"context"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// preventionTrainingIDs records a closed training session of 任城区
// (370811) with an archived recording and a prepared payment of its
// project, for the route walk. The plan and project come from
// storetest.TrainingFixture until the plans API is merged.
func preventionTrainingIDs(t *testing.T, e *webtest.Env, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := storetest.TrainingFixture(t, e.S, e.Clock.Now())
	staff := storetest.Actor(access.RoleInsurer, "370811")
	city := storetest.Actor(access.RolePrevention, "370800")
	ss, err := e.S.CreateTrainingSession(ctx, staff, f.ProjectID, prevention.SessionInput{HeldOn: "2026-02-20", Place: "任城区人社局", Capacity: 50, Planned: 40, Topic: "危化品储存安全"})
	if err != nil {
		t.Fatal(err)
	}
	held, err := e.S.MarkTrainingHeld(ctx, staff, ss.ID, ss.Version)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.S.AddTrainingArchive(ctx, staff, ss.ID, store.ArchiveInput{DurationS: 3600, FileName: "录像.mp4"},
		strings.NewReader("\x00\x00\x00\x18ftypmp42"+strings.Repeat("\x00", 32)))
	if err != nil {
		t.Fatal(err)
	}
	scores := map[string]int{}
	for _, it := range prevention.DefaultChecklist {
		scores[it.Code] = it.Max
	}
	if _, err := e.S.RecordChecklist(ctx, city, set, ss.ID, prevention.Checklist{Items: prevention.DefaultChecklist, Scores: scores}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.RecordQuestionnaire(ctx, staff, set, ss.ID, prevention.Questionnaire{Responses: []prevention.Response{{Satisfaction: []int{5}, Correct: 1, Total: 1}}}); err != nil {
		t.Fatal(err)
	}
	now, err := e.S.FindTrainingSession(ctx, staff, held.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.S.CloseTrainingSession(ctx, staff, ss.ID, now.Version); err != nil {
		t.Fatal(err)
	}
	p, err := e.S.PrepareTrainingPayment(ctx, staff, set, f.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	ids["training_session"], ids["training_archive"], ids["training_project"], ids["training_payment"] = ss.ID, a.ID, f.ProjectID, p.ID
}
