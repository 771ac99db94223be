package backoffice

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
)

// The prevention dashboard computes its figures from the recorded
// sessions: two held sessions of 任城's hazardous-chemicals project, a
// target recorded through the form, then one session cancelled moves
// every figure; the target table exports to Excel; 曲阜 sees none of 任城's.
func TestPreventionDashboardFromRecords(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		f := storetest.TrainingFixture(t, e.S, e.Clock.Now())
		staff := storetest.Actor("insurer", "370811")
		var ids []int64
		again := "" // the first session's first attendee, who comes back
		for i, day := range []string{"2026-02-10", "2026-02-20"} {
			ss, err := e.S.CreateTrainingSession(ctx, staff, f.ProjectID, prevention.SessionInput{HeldOn: day, Place: "任城区人社局", Capacity: 10, Planned: 3, Topic: "危化品储存安全"})
			if err != nil {
				t.Fatal(err)
			}
			for j := range 3 {
				id := storetest.IDNumber("370811", fmt.Sprintf("198%d0%d0%d", i, j+1, j+1))
				switch {
				case i == 0 && j == 0:
					again = id
				case i == 1 && j == 0:
					id = again
				}
				if _, err := e.S.AddAttendee(ctx, staff, ss.ID, prevention.Attendee{Name: fmt.Sprintf("学员%d%d", i, j), IDNumber: id, Employer: "甲化工"}); err != nil {
					t.Fatal(err)
				}
			}
			if ss, err = e.S.FindTrainingSession(ctx, staff, ss.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := e.S.MarkTrainingHeld(ctx, staff, ss.ID, ss.Version); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ss.ID)
		}
		city, qf := e.Login("prevention-370800"), e.Login("prevention-370881")
		if code, body := postForm(city, "/prevention/targets", "programme", "危化品", "region_code", "370800", "year_from", "2026", "year_to", "2028",
			"target", "4", "source", "省考核任务"); code != http.StatusSeeOther {
			t.Fatalf("recording the target: %d\n%.500s", code, body)
		}
		page := getPage(t, city, "/prevention/dashboard?from=2026&to=2026", 200)
		for _, want := range []string{`id="stat-sessions">2<`, `id="stat-person-times">6<`, `id="stat-people">5<`, "125%", "2026-02-20"} {
			if !strings.Contains(page, want) {
				t.Fatalf("dashboard lacks %q:\n%s", want, page)
			}
		}
		if i := strings.Index(page, `id="table-trend"`); i < 0 || !strings.Contains(page[i:], "26 化学原料和化学制品制造业") || !strings.Contains(page[i:], "2026-02-10") {
			t.Fatal("the trend table lacks the trained division and its first training")
		}
		if other := getPage(t, qf, "/prevention/dashboard?from=2026&to=2026", 200); !strings.Contains(other, `id="stat-sessions">0<`) {
			t.Fatal("曲阜's dashboard counts 任城's sessions")
		}
		_, b := download(t, city, "/prevention/dashboard?from=2026&to=2026&format=xlsx&table=targets", 200)
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetName(0))
		if len(rows) < 4 || rows[3][0] != "危化品" || rows[3][4] != "5" {
			t.Fatalf("targets export %q", rows)
		}
		// cancelling the second session moves the figures
		ss, err := e.S.FindTrainingSession(ctx, staff, ids[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.S.CancelTrainingSession(ctx, staff, ss.ID, ss.Version); err != nil {
			t.Fatal(err)
		}
		page = getPage(t, city, "/prevention/dashboard?from=2026&to=2026", 200)
		for _, want := range []string{`id="stat-sessions">1<`, `id="stat-person-times">3<`, `id="stat-people">3<`, "75%", "尚未完成"} {
			if !strings.Contains(page, want) {
				t.Fatalf("after the cancellation the dashboard lacks %q", want)
			}
		}
		if code, _ := postForm(e.Login("insurer-370800"), "/prevention/targets", "programme", "危化品", "region_code", "370800", "year_from", "2026",
			"year_to", "2026", "target", "1"); code != http.StatusForbidden {
			t.Fatalf("the insurer recorded a target: %d", code)
		}
		getPage(t, city, "/prevention/dashboard?from=abc", http.StatusBadRequest)
	})
}

// The city sets its evaluation form through the page, line by line; a bad
// line is named; the insurer's staff and a county may only read it.
func TestPreventionEvaluationFormPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	city, insurer, qf := e.Login("prevention-370800"), e.Login("insurer-370800"), e.Login("prevention-370881")
	page := getPage(t, city, "/prevention/evaluation-form", 200)
	if !strings.Contains(page, `id="evaluation-form"`) || !strings.Contains(page, "（默认）") {
		t.Fatalf("form page:\n%.800s", page)
	}
	if code, body := postForm(city, "/prevention/evaluation-form", "valid_from", "2026-03-01", "items", "按计划组织,10\n"); code != http.StatusBadRequest || !strings.Contains(body, "第1行") {
		t.Fatalf("a line without its weight: %d\n%.500s", code, body)
	}
	if code, body := postForm(city, "/prevention/evaluation-form", "valid_from", "2026-03-01", "items", "按计划组织,10,1\n留存音视频资料，10，3\n"); code != http.StatusSeeOther {
		t.Fatalf("setting the form: %d\n%.500s", code, body)
	}
	page = getPage(t, city, "/prevention/evaluation-form", 200)
	if !strings.Contains(page, "留存音视频资料") || !strings.Contains(page, "2026-03-01起") {
		t.Fatalf("the new version is not in force:\n%.800s", page)
	}
	if code, _ := postForm(insurer, "/prevention/evaluation-form", "valid_from", "2026-04-01", "items", "x,1,1"); code != http.StatusForbidden {
		t.Fatalf("the insurer set the form: %d", code)
	}
	if other := getPage(t, qf, "/prevention/evaluation-form", 200); strings.Contains(other, `id="evaluation-form"`) || !strings.Contains(other, "留存音视频资料") {
		t.Fatal("a county may set the city's form, or does not see it")
	}
	if code, _ := postForm(qf, "/prevention/evaluation-form", "valid_from", "2026-04-01", "items", "x,1,1"); code == http.StatusSeeOther {
		t.Fatal("a county set the city's form")
	}
}
