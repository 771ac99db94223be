package storetest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

func params(t testing.TB) *param.Set {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// application is a complete accident application of w at e.
func application(w registry.Worker, e registry.Employer, injury string) *casebundle.Case {
	return &casebundle.Case{WorkerID: w.ID, EmployerID: e.ID, InjuryDate: injury, ApplicationDate: "2026-02-20",
		Applicant: casebundle.ApplicantEmployer, ApplicantName: e.Name, Place: "一号车间", Cause: "搬运钢材时被砸伤左脚",
		InjuredPart: "左足", Diagnosis: "左足第一跖骨骨折", Hospital: "济宁市第一人民医院"}
}

// MustCase opens a standard case for a new worker of a new employer in region.
func MustCase(t testing.TB, s *store.Store, region string) *casebundle.Case {
	t.Helper()
	e := MustEmployer(t, s, region)
	w := MustWorker(t, s, e, "张伟")
	c := application(w, e, "2026-02-10")
	if err := s.OpenCase(ctx, Actor(access.RoleClerk, region), params(t), c, nil); err != nil {
		t.Fatalf("MustCase: %v", err)
	}
	return c
}

func testCaseOpenFind(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	if !strings.HasPrefix(c.Number, "GS370811-2026-") || c.RegionCode != "370811" || c.Channel != casebundle.ChannelWindow {
		t.Fatalf("opened %s in %s by %s", c.Number, c.RegionCode, c.Channel)
	}
	if c.DeFacto {
		t.Error("a registered employment on the injury date is not a de-facto claim")
	}
	got, err := s.FindCase(ctx, Actor(access.RoleRecognition, "370811"), c.ID)
	if err != nil || got.Number != c.Number || len(got.Services) != 3 || got.Service(casebundle.Recognition).Due == "" {
		t.Fatalf("find: %+v %v", got, err)
	}
	if _, err := s.FindCase(ctx, Actor(access.RoleRecognition, "370881"), c.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another county sees the case: %v", err)
	}
	// The same injury again: refused with the first case's number.
	again := application(registry.Worker{ID: c.WorkerID}, registry.Employer{ID: c.EmployerID, Name: "x"}, c.InjuryDate)
	err = s.OpenCase(ctx, Actor(access.RoleClerk, "370811"), params(t), again, nil)
	if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), c.Number) {
		t.Errorf("second application: %v", err)
	}
	// Another county's clerk cannot open a case for this employer.
	other := application(registry.Worker{ID: c.WorkerID}, registry.Employer{ID: c.EmployerID, Name: "x"}, "2026-01-05")
	if err := s.OpenCase(ctx, Actor(access.RoleClerk, "370881"), params(t), other, nil); !errs.Is(err, errs.Invalid) {
		t.Errorf("out-of-scope open: %v", err)
	}
	// A worker of another employer: a de-facto labour-relation claim.
	e2 := MustEmployer(t, s, "370811")
	df := application(registry.Worker{ID: c.WorkerID}, e2, "2026-01-05")
	if err := s.OpenCase(ctx, Actor(access.RoleClerk, "370811"), params(t), df, nil); err != nil || !df.DeFacto {
		t.Errorf("de-facto case: %v, de_facto %v", err, df.DeFacto)
	}
	if o, err := s.OwnersOf(ctx, access.KindEmployer, "case", c.ID); err != nil || o.WorkerID != c.WorkerID || o.EmployerIDs[0] != c.EmployerID || o.Region != "370811" {
		t.Errorf("owners %+v %v", o, err)
	}
}

func testCaseActions(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	rec := Actor(access.RoleRecognition, "370811")
	rid := c.Service(casebundle.Recognition).ID
	// Materials missing: acceptance refused, listing them.
	_, _, err := s.ActOnCase(ctx, rec, params(t), c.ID, rid, casebundle.Action{Name: casebundle.ActAccept})
	if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "工伤认定申请表") {
		t.Fatalf("accept with missing materials: %v", err)
	}
	dir, err := blob.NewDir(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"application_form", "diagnosis", "medical_records"} {
		ref, err := dir.Put(ctx, strings.NewReader("%PDF-1.4\n"+m+"\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // the same file twice is recorded once
			if _, err := s.AddCaseFile(ctx, Actor(access.RoleClerk, "370811"), c.ID, m, m+".pdf", ref); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := s.CaseFiles(ctx, c.ID)
	if len(files) != 3 {
		t.Errorf("%d files, want 3", len(files))
	}
	got, _, err := s.ActOnCase(ctx, rec, params(t), c.ID, rid, casebundle.Action{Name: casebundle.ActAccept, On: "2026-02-24"})
	if err != nil {
		t.Fatal(err)
	}
	if r := got.Service(casebundle.Recognition); r.State != casebundle.Accepted || r.Due != "2026-04-27" || r.Version != 2 {
		t.Errorf("accepted: %s due %s v%d", r.State, r.Due, r.Version)
	}
	got, evs, err := s.ActOnCase(ctx, rec, params(t), c.ID, rid, casebundle.Action{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised, Ground: "14.1"})
	if err != nil || len(evs) != 2 || got.Service(casebundle.InitialAssess).State != casebundle.Received {
		t.Fatalf("decide: %v %+v", err, evs)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_outbox WHERE case_id = $1 AND kind = 'recognition_decided'`, c.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("outbox rows %d %v", n, err)
	}
	hist, _ := s.CaseHistory(ctx, c.ID)
	if len(hist) < 6 {
		t.Errorf("history has %d events", len(hist))
	}
	// A stale version is refused and changes nothing.
	v := int64(1)
	if _, _, err := s.ActOnCase(ctx, rec, params(t), c.ID, rid, casebundle.Action{Name: casebundle.ActDeliver, Version: &v}); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale deliver: %v", err)
	}
}

// testCaseConcurrentActions: eight officers accept one case at once; one
// wins, the others are told the state moved on; a benefit pre-check at the
// same moment survives.
func testCaseConcurrentActions(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	for _, m := range []string{"application_form", "diagnosis"} {
		mustExec(t, s, `INSERT INTO case_files (case_id, material, sha256, size, content_type, file_name, uploaded_kind, uploaded_at)
			VALUES ($1, $2, $3, 1, 'application/pdf', 'x.pdf', 'staff', CURRENT_TIMESTAMP)`, c.ID, m, strings.Repeat("a", 64))
	}
	var ok atomic.Int32
	errsSeen := together(9, func(i int) error {
		if i == 8 {
			_, _, err := s.ActOnCase(ctx, Actor(access.RoleBenefits, "370811"), params(t), c.ID, c.Service(casebundle.BenefitApproval).ID,
				casebundle.Action{Name: casebundle.ActPrecheck, Notes: "工资记录齐全"})
			return err
		}
		_, _, err := s.ActOnCase(ctx, Actor(access.RoleRecognition, "370811"), params(t), c.ID, c.Service(casebundle.Recognition).ID,
			casebundle.Action{Name: casebundle.ActAccept})
		if err == nil {
			ok.Add(1)
		}
		return err
	})
	if errsSeen[8] != nil {
		t.Errorf("pre-check lost: %v", errsSeen[8])
	}
	if ok.Load() != 1 {
		t.Fatalf("%d acceptances succeeded, want 1: %v", ok.Load(), errsSeen)
	}
	for i, err := range errsSeen[:8] {
		if err != nil && !errs.Is(err, errs.Conflict) {
			t.Errorf("caller %d: %v", i, err)
		}
	}
	got, _ := s.FindCase(ctx, Actor(access.RoleRecognition, "370811"), c.ID)
	if got.Service(casebundle.BenefitApproval).Detail.Notes != "工资记录齐全" || got.Service(casebundle.Recognition).State != casebundle.Accepted {
		t.Errorf("after the race: %+v", got.Services)
	}
}

// testCaseReminders: a reminder is recorded once however often its job
// runs; the overdue job marks the step; a reminder of a step that moved on
// does nothing.
func testCaseReminders(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	r := c.Service(casebundle.Recognition)
	job := store.CaseReminder{ServiceID: r.ID, Step: r.Step, Due: r.Due, Reminder: "overdue"}
	for i, want := range []bool{true, false} {
		done, err := s.RemindCase(ctx, job)
		if err != nil || done != want {
			t.Fatalf("run %d: done %v err %v", i, done, err)
		}
	}
	got, _ := s.FindCase(ctx, Actor(access.RoleRecognition, "370811"), c.ID)
	if !got.Service(casebundle.Recognition).Overdue {
		t.Error("overdue not marked")
	}
	moved := job
	moved.Due = "2099-01-01"
	if done, err := s.RemindCase(ctx, moved); err != nil || done {
		t.Errorf("stale reminder acted: %v %v", done, err)
	}
	rows, total, err := s.CaseQueue(ctx, access.ScopeOf("370811"), store.QueueFilter{Overdue: true})
	if err != nil || total != 1 || rows[0].ServiceID != r.ID {
		t.Errorf("overdue queue %d %+v %v", total, rows, err)
	}
}

func testCaseQueue(t *testing.T, s *store.Store, _ *Clock) {
	for range 3 {
		MustCase(t, s, "370811")
	}
	MustCase(t, s, "370881")
	rows, total, err := s.CaseQueue(ctx, access.ScopeOf("370811"), store.QueueFilter{Kinds: []casebundle.ServiceKind{casebundle.Recognition}})
	if err != nil || total != 3 || len(rows) != 3 {
		t.Fatalf("queue %d rows %d: %v", total, len(rows), err)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Due < rows[i-1].Due {
			t.Errorf("queue not by due date: %s before %s", rows[i-1].Due, rows[i].Due)
		}
	}
	if _, total, _ := s.CaseQueue(ctx, access.ScopeOf("370800"), store.QueueFilter{}); total != 4 {
		t.Errorf("city queue has %d steps, want 4 (recognition only: assessments wait, benefits have no limit)", total)
	}
}

// testCaseToBenefits walks a case to an approved benefit decision: the
// letters are issued with the acts, the panel is drawn from the pool, the
// maker cannot approve, the approval creates entitlements and payables once.
func testCaseToBenefits(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	set := params(t)
	for _, m := range []string{"application_form", "diagnosis", "medical_records"} {
		if _, err := s.PutCaseFile(ctx, Actor(access.RoleClerk, "370811"), c.ID, m, m+".pdf", strings.NewReader("%PDF-1.4\n"+m+"\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PutCaseFile(ctx, Actor(access.RoleClerk, "370811"), c.ID, "diagnosis", "x.txt", strings.NewReader("plain text")); !errs.Is(err, errs.Invalid) {
		t.Errorf("text upload: %v", err)
	}
	// Wages for the 12 months before the injury (2025-02 … 2026-01).
	var wages []registry.Wage
	for m := 2; m <= 13; m++ {
		wages = append(wages, registry.Wage{EmployerID: c.EmployerID, Period: fmt.Sprintf("%04d-%02d", 2025+(m-1)/12, (m-1)%12+1), AmountFen: 600000})
	}
	if err := s.RecordWages(ctx, Actor(access.RoleClerk, "370811"), c.WorkerID, wages); err != nil {
		t.Fatal(err)
	}
	city := Actor(access.RoleAssessment, "370800")
	for i, g := range []expertpool.Group{expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupNeuro, expertpool.GroupVisceral} {
		e := &expertpool.Expert{Name: fmt.Sprintf("专家%d", i), Group: g, Hospital: fmt.Sprintf("济宁市第%d人民医院", i+2), Title: "主任医师",
			TermStart: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), TermEnd: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
		if err := s.CreateExpert(ctx, city, "370800", e); err != nil {
			t.Fatal(err)
		}
	}
	rec, ben1, ben2 := Actor(access.RoleRecognition, "370811"), Actor(access.RoleBenefits, "370811"), Actor(access.RoleBenefits, "370811")
	ben2.UserID = 2
	act := func(who access.Principal, k casebundle.ServiceKind, a casebundle.Action) *casebundle.Case {
		t.Helper()
		got, _, err := s.ActOnCase(ctx, who, set, c.ID, c.Service(k).ID, a)
		if err != nil {
			t.Fatalf("%s %s: %v", k, a.Name, err)
		}
		return &got
	}
	act(rec, casebundle.Recognition, casebundle.Action{Name: casebundle.ActAccept})
	act(rec, casebundle.Recognition, casebundle.Action{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised, Ground: "14.1"})
	drawn, err := s.DrawPanel(ctx, city, set, c.ID, c.Service(casebundle.InitialAssess).ID, 3, []expertpool.Group{expertpool.GroupOrtho})
	if err != nil {
		t.Fatal(err)
	}
	if d := drawn.Service(casebundle.InitialAssess).Detail; len(d.PanelIDs) != 3 || d.PanelSeed == "" {
		t.Fatalf("panel %+v", d)
	}
	draws, _ := s.PanelDraws(ctx, c.Service(casebundle.InitialAssess).ID)
	if len(draws) != 1 || expertpool.Replay(draws[0].Pool, draws[0].Record) != nil {
		t.Fatalf("draw not replayable: %+v", draws)
	}
	act(city, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActSchedule, ExamOn: "2026-03-05", ExamPlace: "济宁市劳动能力鉴定中心"})
	lvl := 7
	c2 := act(city, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActConclude, Level: &lvl, Clauses: []string{"5.7.2(3)"}})
	if b := c2.Service(casebundle.BenefitApproval); b.State != casebundle.Ready {
		t.Fatalf("benefit %s", b.State)
	}
	c3 := act(ben1, casebundle.BenefitApproval, casebundle.Action{Name: casebundle.ActCompute, Notes: "ignored"})
	// 本人工资 6,000.00; level 7: 13 months = 78,000.00 (E13).
	if d := c3.Service(casebundle.BenefitApproval).Detail; d.BaseWageFen != 600000 || d.TotalFen != 7800000 {
		t.Fatalf("computed %+v", d)
	}
	if _, _, err := s.ActOnCase(ctx, ben1, set, c.ID, c.Service(casebundle.BenefitApproval).ID, casebundle.Action{Name: casebundle.ActApprove}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("maker approved: %v", err)
	}
	act(ben2, casebundle.BenefitApproval, casebundle.Action{Name: casebundle.ActApprove})
	ents, pays, err := s.CaseEntitlements(ctx, c.ID)
	if err != nil || len(ents) != 0 || len(pays) != 1 || pays[0].AmountFen != 7800000 {
		t.Fatalf("entitlements %+v payables %+v %v", ents, pays, err)
	}
	ls, _ := s.CaseLetters(ctx, c.ID)
	var kinds []string
	for _, l := range ls {
		kinds = append(kinds, l.Kind)
	}
	if got := strings.Join(kinds, ","); got != "acceptance,recognised,exam_notice,conclusion,benefit" {
		t.Errorf("letters %s", got)
	}
	// The letters name the worker's ID number in full; the database keeps
	// their content sealed.
	w, err := s.FindWorkerByID(ctx, access.ScopeOf("370811"), c.WorkerID)
	if err != nil {
		t.Fatal(err)
	}
	var plain int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM case_letters WHERE content LIKE $1`, "%"+w.IDNumber+"%").Scan(&plain); err != nil || plain != 0 {
		t.Errorf("%d letters keep the ID number in plain text (%v)", plain, err)
	}
	rc, l, err := s.OpenCaseLetter(ctx, Actor(access.RoleClerk, "370811"), c.ID, ls[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	if !bytes.HasPrefix(b, []byte("%PDF-")) || int64(len(b)) != l.Size {
		t.Errorf("letter bytes %d of %d", len(b), l.Size)
	}
	if _, _, err := s.OpenCaseLetter(ctx, Actor(access.RoleClerk, "370881"), c.ID, ls[1].ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another county opened the letter: %v", err)
	}
	f, err := s.CaseDashboard(ctx, access.ScopeOf("370800"))
	if err != nil {
		t.Fatal(err)
	}
	// Applied 2026-02-20, decided 2026-03-02 (the store clock): 10 days,
	// within the 60-day statute and the local limit alike.
	if f.Cases != 1 || f.Normal.Decided != 1 || f.Normal.Median != 10 || f.Normal.WithinLegal != 1 || f.Normal.WithinLocal != 1 ||
		f.Documents != 3 || f.TripsAvoided != 2 || f.ByChannel[casebundle.ChannelWindow] != 1 {
		t.Errorf("dashboard %+v", f)
	}
	if f, _ := s.CaseDashboard(ctx, access.ScopeOf("370881")); f.Cases != 0 || f.Normal.Decided != 0 {
		t.Errorf("another county's dashboard counts the case: %+v", f)
	}
}

// testCaseClaim: an officer takes a step on and it leaves nobody else's
// "assigned" queue; a role that does not work it cannot; two officers
// claiming with the version they saw: one wins, the other is told.
func testCaseClaim(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	rec := c.Service(casebundle.Recognition)
	a, b := Actor(access.RoleRecognition, "370811"), Actor(access.RoleRecognition, "370811")
	a.UserID, b.UserID = 41, 42
	mustExec(t, s, `INSERT INTO users (id, username, display_name, kind, role, region_code, password_hash, created_at, updated_at)
		VALUES (41, 'rec-a', '认定甲', 'staff', 'recognition', '370811', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		       (42, 'rec-b', '认定乙', 'staff', 'recognition', '370811', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
	if _, err := s.ClaimCaseService(ctx, Actor(access.RoleBenefits, "370811"), c.ID, rec.ID, true, nil); !errs.Is(err, errs.Forbidden) {
		t.Errorf("benefits officer claimed a recognition: %v", err)
	}
	v := rec.Version
	var won atomic.Int32
	res := together(2, func(i int) error {
		who := a
		if i == 1 {
			who = b
		}
		_, err := s.ClaimCaseService(ctx, who, c.ID, rec.ID, true, &v)
		if err == nil {
			won.Add(1)
		}
		return err
	})
	if won.Load() != 1 {
		t.Fatalf("claims won: %d (%v)", won.Load(), res)
	}
	got, _ := s.FindCase(ctx, a, c.ID)
	holder := got.Service(casebundle.Recognition).AssigneeID
	if holder != 41 && holder != 42 || got.Service(casebundle.Recognition).AssigneeName == "" {
		t.Fatalf("holder %d %q", holder, got.Service(casebundle.Recognition).AssigneeName)
	}
	_, n, _ := s.CaseQueue(ctx, access.ScopeOf("370811"), store.QueueFilter{AssigneeID: holder})
	_, other, _ := s.CaseQueue(ctx, access.ScopeOf("370811"), store.QueueFilter{AssigneeID: 83 - holder})
	if n != 1 || other != 0 {
		t.Errorf("assigned queues: holder %d, other %d", n, other)
	}
	loser := a
	if holder == 41 {
		loser = b
	}
	if _, err := s.ClaimCaseService(ctx, loser, c.ID, rec.ID, false, nil); !errs.Is(err, errs.Conflict) {
		t.Errorf("releasing another's step: %v", err)
	}
	// Acting keeps the assignee.
	if _, _, err := s.ActOnCase(ctx, a, params(t), c.ID, rec.ID, casebundle.Action{Name: casebundle.ActNotice, Missing: []string{"diagnosis"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindCase(ctx, a, c.ID); got.Service(casebundle.Recognition).AssigneeID != holder {
		t.Error("an action dropped the assignee")
	}
}

// testCaseConcurrentOpen: four clerks enter the same injury at once; one
// case is opened and the others are told its number.
func testCaseConcurrentOpen(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "陈静")
	cs := make([]*casebundle.Case, 4)
	res := together(4, func(i int) error {
		cs[i] = application(w, e, "2026-02-11")
		return s.OpenCase(ctx, Actor(access.RoleClerk, "370811"), params(t), cs[i], nil)
	})
	var opened *casebundle.Case
	for i, err := range res {
		if err == nil {
			if opened != nil {
				t.Fatalf("two cases opened for one injury: %s and %s", opened.Number, cs[i].Number)
			}
			opened = cs[i]
		}
	}
	if opened == nil {
		t.Fatalf("no case opened: %v", res)
	}
	for _, err := range res {
		if err != nil && (!errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), opened.Number)) {
			t.Errorf("a concurrent duplicate was told %v, want the number %s", err, opened.Number)
		}
	}
}

// testCaseBeforeEmployment: an injury before the registered employment
// began is refused naming the date, unless a de-facto relation is claimed.
func testCaseBeforeEmployment(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "李娜") // employed since 2020-07-01
	c := application(w, e, "2020-05-10")
	err := s.OpenCase(ctx, Actor(access.RoleClerk, "370811"), params(t), c, nil)
	if f, ok := errs.First(err); !ok || f.Field != "injury_date" || !strings.Contains(f.Message, "2020-07-01") {
		t.Fatalf("injury before employment: %v", err)
	}
	c = application(w, e, "2020-05-10")
	c.DeFacto = true
	if err := s.OpenCase(ctx, Actor(access.RoleClerk, "370811"), params(t), c, nil); err != nil || !c.DeFacto {
		t.Fatalf("claimed de-facto relation: %v", err)
	}
}
