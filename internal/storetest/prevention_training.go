package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
)

// Conformance cases of the prevention trainings (issue 12): sessions
// against their plan's year and project, roster imports refused whole,
// duplicates and seats, closing without the record refused, the payment's
// maker-checker, a payment above the budget refused, two approvals at
// once paying once, the public check-in, and the KPIs moved by a
// cancellation.

var preventionTrainingSuite = []struct {
	name string
	fn   func(t *testing.T, s *store.Store, c *Clock)
}{
	{"PreventionTrainingSession", testPreventionTrainingSession},
	{"PreventionTrainingRoster", testPreventionTrainingRoster},
	{"PreventionTrainingClose", testPreventionTrainingClose},
	{"PreventionTrainingPayment", testPreventionTrainingPayment},
	{"PreventionTrainingPaymentConcurrent", testPreventionTrainingPaymentConcurrent},
	{"PreventionTrainingCheckin", testPreventionTrainingCheckin},
	{"PreventionTrainingKPI", testPreventionTrainingKPI},
	{"PreventionTrainingCheckinConcurrent", testPreventionTrainingCheckinConcurrent},
	{"PreventionEvaluationForm", testPreventionEvaluationForm},
	{"PreventionPublicityAcceptance", testPreventionPublicityAcceptance},
}

// TrainingFixtureIDs is what TrainingFixture inserted.
type TrainingFixtureIDs struct {
	PlanID, ProjectID, PublicityID, LineID, ExpertID, SuspendedID, UnapprovedProjectID int64
}

// TrainingFixture inserts, by SQL, an approved 2026 plan of 任城区
// (370811) with a training project (4 sessions, 40,000.00 yuan approved on
// one budget line), a publicity project, an active and a suspended
// expert, and a training project of a plan still submitted (曲阜,
// 370881). Replaced by the plans API after merge (CreatePlan, approve).
func TrainingFixture(t testing.TB, s *store.Store, now time.Time) TrainingFixtureIDs {
	t.Helper()
	ctx := context.Background()
	db := s.DB()
	var f TrainingFixtureIDs
	one := func(dst *int64, q string, args ...any) {
		t.Helper()
		if err := db.QueryRowContext(ctx, q+` RETURNING id`, args...).Scan(dst); err != nil {
			t.Fatalf("prevention fixture: %v\n%s", err, q)
		}
	}
	one(&f.PlanID, `INSERT INTO prevention_plans (region_code, year, state, requested_fen, approved_fen, created_at, created_by, updated_at)
		VALUES ('370811', 2026, 'approved', 5000000, 5000000, $1, 'fixture', $1)`, now)
	one(&f.ProjectID, `INSERT INTO prevention_projects (plan_id, region_code, seq, kind, title, programme, industry, sessions, attendance,
		provider_kind, provider, requested_fen, approved_fen) VALUES ($1, '370811', 1, 'training', '危险化学品企业安全培训', '危化品', '26', 4, 400,
		'insurer', '合作保险公司', 4000000, 4000000)`, f.PlanID)
	one(&f.PublicityID, `INSERT INTO prevention_projects (plan_id, region_code, seq, kind, title, sessions, requested_fen, approved_fen)
		VALUES ($1, '370811', 2, 'publicity', '工伤预防短视频', 0, 1000000, 1000000)`, f.PlanID)
	one(&f.LineID, `INSERT INTO prevention_budget_lines (project_id, item, requested_fen, approved_fen) VALUES ($1, '讲课费及场地费', 4000000, 4000000)`, f.ProjectID)
	var publicityLine int64
	one(&publicityLine, `INSERT INTO prevention_budget_lines (project_id, item, requested_fen, approved_fen) VALUES ($1, '短视频制作及投放', 1000000, 1000000)`, f.PublicityID)
	one(&f.ExpertID, `INSERT INTO prevention_experts (name, specialty, department, region_code, status, created_at, created_by)
		VALUES ('孙明', 'hazardous_chemicals', '市应急管理局', '370800', 'active', $1, 'fixture')`, now)
	one(&f.SuspendedID, `INSERT INTO prevention_experts (name, specialty, department, region_code, status, created_at, created_by)
		VALUES ('赵停', 'construction', '市住建局', '370800', 'suspended', $1, 'fixture')`, now)
	var qfPlan int64
	one(&qfPlan, `INSERT INTO prevention_plans (region_code, year, state, created_at, created_by, updated_at)
		VALUES ('370881', 2026, 'submitted', $1, 'fixture', $1)`, now)
	one(&f.UnapprovedProjectID, `INSERT INTO prevention_projects (plan_id, region_code, seq, kind, title, sessions, requested_fen)
		VALUES ($1, '370881', 1, 'training', '建筑施工安全培训', 2, 1000000)`, qfPlan)
	return f
}

// preventionFixture is TrainingFixture at the suite's clock (replaced by
// the plans API after merge).
func preventionFixture(t testing.TB, s *store.Store, c *Clock) TrainingFixtureIDs {
	t.Helper()
	return TrainingFixture(t, s, c.Now())
}

func rcPrevention() access.Principal { return Actor(access.RolePrevention, "370811") }

func insurerRC() access.Principal { return Actor(access.RoleInsurer, "370811") }

func cityApprover() access.Principal {
	p := Actor(access.RolePrevention, "370800")
	p.UserID, p.Username = 2, "prevention-city"
	return p
}

func sessionIn(on string) prevention.SessionInput {
	return prevention.SessionInput{HeldOn: on, Place: "任城区人社局培训室", Capacity: 5, Planned: 4, Topic: "危险化学品储存安全", Enterprises: []string{"济宁示例化工有限公司"}}
}

func mustSession(t testing.TB, s *store.Store, projectID int64, on string) store.TrainingSession {
	t.Helper()
	ss, err := s.CreateTrainingSession(context.Background(), insurerRC(), projectID, sessionIn(on))
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	return ss
}

func testPreventionTrainingSession(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	f := preventionFixture(t, s, c)
	ss := mustSession(t, s, f.ProjectID, "2026-03-02")
	if ss.Region != "370811" || ss.State != "planned" || len(ss.Checkin) != 10 || ss.PlanYear != 2026 || ss.ProjectTitle == "" {
		t.Fatalf("session: %+v", ss)
	}
	bad := []struct {
		name    string
		project int64
		edit    func(*prevention.SessionInput)
		field   string
		code    string
	}{
		{"outside year", f.ProjectID, func(in *prevention.SessionInput) { in.HeldOn = "2025-12-30" }, "held_on", "outside_year"},
		{"publicity", f.PublicityID, func(*prevention.SessionInput) {}, "project_id", "not_training"},
		{"over capacity", f.ProjectID, func(in *prevention.SessionInput) { in.Planned = 6 }, "planned", "over_capacity"},
		{"suspended expert", f.ProjectID, func(in *prevention.SessionInput) { in.ExpertID = f.SuspendedID }, "expert_id", "expert_inactive"},
	}
	for _, b := range bad {
		in := sessionIn("2026-04-01")
		b.edit(&in)
		if _, err := s.CreateTrainingSession(ctx, insurerRC(), b.project, in); !hasField(err, b.field, b.code) {
			t.Errorf("%s: %v", b.name, err)
		}
	}
	qf := Actor(access.RolePrevention, "370881")
	if _, err := s.CreateTrainingSession(ctx, qf, f.UnapprovedProjectID, sessionIn("2026-04-01")); !hasField(err, "project_id", "plan_not_approved") {
		t.Errorf("unapproved plan: %v", err)
	}
	// another county's project and session are not found
	if _, err := s.CreateTrainingSession(ctx, qf, f.ProjectID, sessionIn("2026-04-01")); !hasField(err, "project_id", "unknown") {
		t.Errorf("other county's project: %v", err)
	}
	if _, err := s.FindTrainingSession(ctx, qf, ss.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("other county's session: %v", err)
	}
	if list, err := s.TrainingSessions(ctx, cityApprover(), store.TrainingSessionFilter{}); err != nil || len(list) != 1 {
		t.Errorf("city sees %d sessions: %v", len(list), err)
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM prevention_sessions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("refused sessions written: %d %v", n, err)
	}
	in := sessionIn("2026-03-05")
	in.ExpertID = f.ExpertID
	up, err := s.UpdateTrainingSession(ctx, rcPrevention(), ss.ID, ss.Version, in)
	if err != nil || up.HeldOn != "2026-03-05" || up.ExpertName != "孙明" || up.Version != 2 {
		t.Fatalf("update: %+v %v", up, err)
	}
	if _, err := s.UpdateTrainingSession(ctx, rcPrevention(), ss.ID, ss.Version, in); !errs.Is(err, errs.Conflict) {
		t.Fatalf("stale update: %v", err)
	}
	if _, err := s.MarkTrainingHeld(ctx, rcPrevention(), ss.ID, up.Version); !hasField(err, "held_on", "future") {
		t.Fatalf("held before its day: %v", err)
	}
}

func roster(rows ...string) []byte {
	return []byte("姓名,身份证号码,工作单位,人员类别\n" + strings.Join(rows, "\n") + "\n")
}

func attendanceCount(t testing.TB, s *store.Store, sessionID int64) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM prevention_attendance WHERE session_id = $1`, sessionID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testPreventionTrainingRoster(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	f := preventionFixture(t, s, c)
	ss := mustSession(t, s, f.ProjectID, "2026-03-10")
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "周工")
	a, b := IDNumber("370811", "19900307"), IDNumber("370811", "19850101")
	// a bad ID, a missing employer, a duplicate: nothing written
	res, err := s.ImportRoster(ctx, insurerRC(), ss.ID, "roster.csv", roster(
		"张三,"+a+",济宁示例化工有限公司,班组长",
		"李四,370811198501011230,济宁示例化工有限公司,",
		"王五,"+b+",,技术骨干",
		"张三,"+a+",济宁示例化工有限公司,班组长"))
	if !errs.Is(err, errs.Invalid) || len(res.Problems) != 3 || res.Added != 0 {
		t.Fatalf("bad roster: %+v %v", res, err)
	}
	want := map[int]string{3: "身份证号码", 4: "工作单位", 5: "身份证号码"}
	for _, p := range res.Problems {
		if want[p.Row] != p.Column || p.Reason == "" {
			t.Errorf("problem %+v", p)
		}
	}
	if n := attendanceCount(t, s, ss.ID); n != 0 {
		t.Fatalf("refused roster wrote %d rows", n)
	}
	if _, err := s.ImportRoster(ctx, insurerRC(), ss.ID, "roster.csv", []byte("名字,号码\n张三,1\n")); !errs.Is(err, errs.Invalid) {
		t.Fatalf("wrong header: %v", err)
	}
	res, err = s.ImportRoster(ctx, insurerRC(), ss.ID, "roster.csv", roster("张三,"+a+",济宁示例化工有限公司,班组长", "周工,"+w.IDNumber+","+e.Name+",一线职工"))
	if err != nil || res.Added != 2 || res.Linked != 1 {
		t.Fatalf("good roster: %+v %v", res, err)
	}
	list, err := s.TrainingAttendance(ctx, insurerRC(), ss.ID)
	if err != nil || len(list) != 2 || list[1].WorkerID != w.ID || strings.Contains(list[0].IDMasked, a[6:14]) || list[0].Source != "roster" {
		t.Fatalf("attendance: %+v %v", list, err)
	}
	// the same person again, by hand: refused naming the field
	if _, err := s.AddAttendee(ctx, rcPrevention(), ss.ID, prevention.Attendee{Name: "张三", IDNumber: a, Employer: "甲"}); !hasField(err, "id_number", "already") {
		t.Fatalf("duplicate person: %v", err)
	}
	// capacity 5: two present, four more refused whole
	more := roster("甲,"+IDNumber("370811", "19800101")+",甲公司,", "乙,"+IDNumber("370811", "19800102")+",甲公司,",
		"丙,"+IDNumber("370811", "19800103")+",甲公司,", "丁,"+IDNumber("370811", "19800104")+",甲公司,")
	res, err = s.ImportRoster(ctx, insurerRC(), ss.ID, "more.csv", more)
	if !errs.Is(err, errs.Invalid) || len(res.Problems) != 1 || res.Problems[0].Code != "over_capacity" {
		t.Fatalf("over capacity: %+v %v", res, err)
	}
	if n := attendanceCount(t, s, ss.ID); n != 2 {
		t.Fatalf("over-capacity roster wrote rows: %d", n)
	}
	if _, err := s.AddAttendee(ctx, rcPrevention(), ss.ID, prevention.Attendee{Name: "戊", IDNumber: IDNumber("370811", "19800105"), Employer: "甲公司"}); err != nil {
		t.Fatalf("manual add: %v", err)
	}
	// the ID number is sealed at rest
	var enc []byte
	if err := s.DB().QueryRowContext(ctx, `SELECT id_enc FROM prevention_attendance ORDER BY id LIMIT 1`).Scan(&enc); err != nil || strings.Contains(string(enc), a) {
		t.Fatalf("id stored in clear: %v", err)
	}
}

// mp4 is a tiny file with an MP4 header.
func mp4() *strings.Reader {
	return strings.NewReader("\x00\x00\x00\x18ftypmp42" + strings.Repeat("\x00", 64))
}

// closeSession holds, records and closes a session with the scores given.
func closeSession(t testing.TB, s *store.Store, set *param.Set, ss store.TrainingSession, checklist int, archive bool) store.TrainingSession {
	t.Helper()
	ctx := context.Background()
	held, err := s.MarkTrainingHeld(ctx, rcPrevention(), ss.ID, ss.Version)
	if err != nil {
		t.Fatalf("held: %v", err)
	}
	if archive {
		if _, err := s.AddTrainingArchive(ctx, insurerRC(), ss.ID, store.ArchiveInput{DurationS: 5400, FileName: "现场录像.mp4"}, mp4()); err != nil {
			t.Fatalf("archive: %v", err)
		}
	}
	scores := map[string]int{}
	for _, it := range prevention.DefaultChecklist {
		scores[it.Code] = checklist
	}
	if _, err := s.RecordChecklist(ctx, cityApprover(), set, ss.ID, prevention.Checklist{Items: prevention.DefaultChecklist, Scores: scores}); err != nil {
		t.Fatalf("checklist: %v", err)
	}
	if _, err := s.RecordQuestionnaire(ctx, insurerRC(), set, ss.ID, prevention.Questionnaire{Responses: []prevention.Response{
		{Satisfaction: []int{5, 5, 5}, Correct: 10, Total: 10}}}); err != nil {
		t.Fatalf("questionnaire: %v", err)
	}
	now, err := s.FindTrainingSession(ctx, rcPrevention(), ss.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !archive {
		return now
	}
	out, err := s.CloseTrainingSession(ctx, rcPrevention(), held.ID, now.Version)
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return out
}

func defaultParams(t testing.TB) *param.Set {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func testPreventionTrainingClose(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	set := defaultParams(t)
	f := preventionFixture(t, s, c)
	ss := mustSession(t, s, f.ProjectID, "2026-03-01")
	held, err := s.MarkTrainingHeld(ctx, rcPrevention(), ss.ID, ss.Version)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CloseTrainingSession(ctx, rcPrevention(), ss.ID, held.Version)
	if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "影音资料") || !strings.Contains(err.Error(), "评估表") || !strings.Contains(err.Error(), "调查问卷") {
		t.Fatalf("close without record: %v", err)
	}
	// a photo is not the audio/video record
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 16) + "IEND\xAE\x42\x60\x82"
	if _, err := s.AddTrainingArchive(ctx, insurerRC(), ss.ID, store.ArchiveInput{FileName: "合影.png"}, strings.NewReader(png)); err != nil {
		t.Fatalf("photo: %v", err)
	}
	if _, err := s.AddTrainingArchive(ctx, insurerRC(), ss.ID, store.ArchiveInput{FileName: "录像.mp4"}, mp4()); !hasField(err, "duration_s", "required") {
		t.Fatalf("video without duration: %v", err)
	}
	if _, err := s.AddTrainingArchive(ctx, insurerRC(), ss.ID, store.ArchiveInput{DurationS: 60}, strings.NewReader("%PDF-1.4\n%%EOF\n")); !hasField(err, "file", "file_type") {
		t.Fatalf("pdf as archive: %v", err)
	}
	scores := map[string]int{"plan": 10, "attendance": 10, "expert": 10, "content": 10, "materials": 10, "record": 10}
	if _, err := s.RecordChecklist(ctx, cityApprover(), set, ss.ID, prevention.Checklist{Items: prevention.DefaultChecklist, Scores: scores}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordQuestionnaire(ctx, insurerRC(), set, ss.ID, prevention.Questionnaire{Responses: []prevention.Response{{Satisfaction: []int{3, 3}, Correct: 1, Total: 2}}}); err != nil {
		t.Fatal(err)
	}
	now, _ := s.FindTrainingSession(ctx, rcPrevention(), ss.ID)
	// 100 × 0.5 + 50 × 0.3 + 50 × 0.2 = 75
	if now.Score == nil || *now.Score != 7500 {
		t.Fatalf("score: %v", now.Score)
	}
	if _, err := s.CloseTrainingSession(ctx, rcPrevention(), ss.ID, now.Version); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "影音资料") {
		t.Fatalf("close with a photo only: %v", err)
	}
	if _, err := s.AddTrainingArchive(ctx, insurerRC(), ss.ID, store.ArchiveInput{DurationS: 3600, FileName: "录像.mp4"}, mp4()); err != nil {
		t.Fatal(err)
	}
	closed, err := s.CloseTrainingSession(ctx, rcPrevention(), ss.ID, now.Version)
	if err != nil || closed.State != "closed" || closed.Archive != 1 {
		t.Fatalf("close: %+v %v", closed, err)
	}
	if _, err := s.RecordChecklist(ctx, cityApprover(), set, ss.ID, prevention.Checklist{Items: prevention.DefaultChecklist, Scores: scores}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("evaluation after close: %v", err)
	}
	files, _ := s.TrainingArchives(ctx, cityApprover(), ss.ID)
	rc, a, err := s.OpenTrainingArchive(ctx, cityApprover(), files[len(files)-1].ID)
	if err != nil || a.ContentType != "video/mp4" || a.Duration() != "1:00:00" {
		t.Fatalf("open archive: %+v %v", a, err)
	}
	rc.Close()
	if _, _, err := s.OpenTrainingArchive(ctx, Actor(access.RolePrevention, "370881"), a.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("other county opens archive: %v", err)
	}
}

func testPreventionTrainingPayment(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	set := defaultParams(t)
	f := preventionFixture(t, s, c)
	if _, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.ProjectID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("prepare without closed session: %v", err)
	}
	closeSession(t, s, set, mustSession(t, s, f.ProjectID, "2026-02-10"), 10, true) // 100 points: full share 10,000.00
	closeSession(t, s, set, mustSession(t, s, f.ProjectID, "2026-02-20"), 4, true)  // 40×0.5+100×0.5 = 70: 7,000.00
	p, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.ProjectID)
	if err != nil || p.AmountFen != 1700000 || p.State != "prepared" || len(p.Explanation.Steps) != 4 {
		t.Fatalf("prepare: %+v %v", p, err)
	}
	if _, err := s.PrepareTrainingPayment(ctx, rcPrevention(), set, f.ProjectID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("second pending payment: %v", err)
	}
	if _, err := s.ApproveTrainingPayment(ctx, insurerRC(), p.ID, p.Version); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer approves: %v", err)
	}
	maker := Actor(access.RolePrevention, "370811")
	maker.Username = insurerRC().Username
	if _, err := s.ApproveTrainingPayment(ctx, maker, p.ID, p.Version); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("maker approves own: %v", err)
	}
	b, _ := s.ProjectBudget(ctx, cityApprover(), f.ProjectID)
	if b.PendingFen != 1700000 || b.RemainingFen != 4000000-1700000 {
		t.Fatalf("budget while pending: %+v", b)
	}
	ok, err := s.ApproveTrainingPayment(ctx, cityApprover(), p.ID, p.Version)
	if err != nil || ok.State != "approved" || len(ok.Allocation) != 1 || ok.Allocation[0].AmountFen != 1700000 {
		t.Fatalf("approve: %+v %v", ok, err)
	}
	b, _ = s.ProjectBudget(ctx, cityApprover(), f.ProjectID)
	if b.PaidFen != 1700000 || b.PendingFen != 0 || b.RemainingFen != 2300000 || b.Lines[0].PaidFen != 1700000 {
		t.Fatalf("budget after: %+v", b)
	}
	if _, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.ProjectID); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "无新增应付金额") {
		t.Fatalf("nothing new due: %v", err)
	}
	// a third session closed; the budget line cut below what is due: the approval is refused whole
	closeSession(t, s, set, mustSession(t, s, f.ProjectID, "2026-02-25"), 10, true)
	p2, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.ProjectID)
	if err != nil || p2.AmountFen != 1000000 {
		t.Fatalf("second payment: %+v %v", p2, err)
	}
	if _, err := s.DB().ExecContext(ctx, `UPDATE prevention_budget_lines SET approved_fen = 2000000 WHERE id = $1`, f.LineID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveTrainingPayment(ctx, cityApprover(), p2.ID, p2.Version); !hasField(err, "amount_fen", "over_budget_line") {
		t.Fatalf("above the budget line: %v", err)
	}
	b, _ = s.ProjectBudget(ctx, cityApprover(), f.ProjectID)
	if b.PaidFen != 1700000 || b.Lines[0].PaidFen != 1700000 {
		t.Fatalf("refused approval wrote: %+v", b)
	}
	if _, err := s.ReturnTrainingPayment(ctx, cityApprover(), p2.ID, p2.Version, ""); !hasField(err, "note", "required") {
		t.Fatalf("return without reason: %v", err)
	}
	back, err := s.ReturnTrainingPayment(ctx, cityApprover(), p2.ID, p2.Version, "预算明细额度不足，请先办理计划变更")
	if err != nil || back.State != "returned" {
		t.Fatalf("return: %+v %v", back, err)
	}
	if list, _ := s.TrainingPayments(ctx, Actor(access.RolePrevention, "370881"), 0); len(list) != 0 {
		t.Fatalf("other county sees payments: %d", len(list))
	}
}

func testPreventionTrainingPaymentConcurrent(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	set := defaultParams(t)
	f := preventionFixture(t, s, c)
	closeSession(t, s, set, mustSession(t, s, f.ProjectID, "2026-02-10"), 10, true)
	p, err := s.PrepareTrainingPayment(ctx, insurerRC(), set, f.ProjectID)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := cityApprover()
			a.Username = fmt.Sprintf("approver-%d", i)
			_, results[i] = s.ApproveTrainingPayment(ctx, a, p.ID, p.Version)
		}()
	}
	wg.Wait()
	okN := 0
	for _, err := range results {
		switch {
		case err == nil:
			okN++
		case !errs.Is(err, errs.Conflict):
			t.Errorf("unexpected: %v", err)
		}
	}
	b, _ := s.ProjectBudget(ctx, cityApprover(), f.ProjectID)
	if okN != 1 || b.PaidFen != 1000000 || b.Lines[0].PaidFen != 1000000 {
		t.Fatalf("%d approvals succeeded, paid %d, line %d", okN, b.PaidFen, b.Lines[0].PaidFen)
	}
}

func testPreventionTrainingCheckin(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	f := preventionFixture(t, s, c)
	today := c.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	later := mustSession(t, s, f.ProjectID, "2026-05-01")
	info, err := s.CheckinSession(ctx, later.Checkin)
	if err != nil || info.Open || !strings.Contains(info.Why, "培训当天") {
		t.Fatalf("not today: %+v %v", info, err)
	}
	person := prevention.Attendee{Name: "扫码人", IDNumber: IDNumber("370811", "19920202"), Employer: "济宁示例化工有限公司", Audience: "一线职工"}
	if err := s.Checkin(ctx, later.Checkin, person); !errs.Is(err, errs.Conflict) {
		t.Fatalf("check-in on another day: %v", err)
	}
	ss := mustSession(t, s, f.ProjectID, today)
	if info, err := s.CheckinSession(ctx, ss.CheckinCode()); err != nil || !info.Open || info.Seats != 5 || info.Topic != ss.Topic {
		t.Fatalf("today: %+v %v", info, err)
	}
	if err := s.Checkin(ctx, ss.Checkin, person); err != nil {
		t.Fatalf("check-in: %v", err)
	}
	if err := s.Checkin(ctx, strings.ToLower(ss.CheckinCode()), person); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "已签到") {
		t.Fatalf("second check-in: %v", err)
	}
	if err := s.Checkin(ctx, ss.Checkin, prevention.Attendee{Name: "错号", IDNumber: "370811199202021234", Employer: "甲"}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("bad id: %v", err)
	}
	if err := s.Checkin(ctx, "AAAAAAAAAA", person); !errs.Is(err, errs.NotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	for i := range 4 {
		p := prevention.Attendee{Name: fmt.Sprint("人", i), IDNumber: IDNumber("370811", "19900101"), Employer: "甲公司"}
		if err := s.Checkin(ctx, ss.Checkin, p); err != nil {
			t.Fatalf("check-in %d: %v", i, err)
		}
	}
	if err := s.Checkin(ctx, ss.Checkin, prevention.Attendee{Name: "第六人", IDNumber: IDNumber("370811", "19900101"), Employer: "甲公司"}); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "容纳人数") {
		t.Fatalf("full: %v", err)
	}
	list, _ := s.TrainingAttendance(ctx, rcPrevention(), ss.ID)
	if len(list) != 5 || list[0].Source != "checkin" {
		t.Fatalf("attendance: %+v", list)
	}
}

func testPreventionTrainingKPI(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	set := defaultParams(t)
	f := preventionFixture(t, s, c)
	if _, err := s.AddTrainingTarget(ctx, insurerRC(), prevention.Target{Region: "370800", Programme: "危化品", YearFrom: 2026, YearTo: 2028, Target: 3}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer sets a target: %v", err)
	}
	if _, err := s.AddTrainingTarget(ctx, cityApprover(), prevention.Target{Region: "370800", Programme: "危化品", YearFrom: 2026, YearTo: 2028, Target: 3, Source: "鲁人社字〔2021〕示例号"}); err != nil {
		t.Fatal(err)
	}
	one := mustSession(t, s, f.ProjectID, "2026-02-10")
	two := mustSession(t, s, f.ProjectID, "2026-02-20")
	a, b, c3 := IDNumber("370811", "19900307"), IDNumber("370811", "19850101"), IDNumber("370811", "19750505")
	if _, err := s.ImportRoster(ctx, insurerRC(), one.ID, "r.csv", roster("甲,"+a+",甲公司,", "乙,"+b+",甲公司,")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRoster(ctx, insurerRC(), two.ID, "r.csv", roster("乙,"+b+",甲公司,", "丙,"+c3+",乙公司,")); err != nil {
		t.Fatal(err)
	}
	closeSession(t, s, set, one, 10, true)
	two = closeSession(t, s, set, two, 10, false) // held, evaluated, not closed
	k, err := s.TrainingKPI(ctx, cityApprover(), 2026, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if k.Sessions != 2 || k.PersonTimes != 4 || k.People != 3 || len(k.Targets) != 1 || k.Targets[0].Trained != 3 ||
		k.Targets[0].SharePct != 10000 || k.Targets[0].ReachedOn != "2026-02-20" || k.ApprovedFen != 5000000 || k.AverageScore != 10000 {
		t.Fatalf("kpi: %+v", k)
	}
	if _, err := s.CancelTrainingSession(ctx, rcPrevention(), two.ID, two.Version); err != nil {
		t.Fatal(err)
	}
	k, _ = s.TrainingKPI(ctx, cityApprover(), 2026, 2026)
	if k.Sessions != 1 || k.PersonTimes != 2 || k.People != 2 || k.Targets[0].Trained != 2 || k.Targets[0].ReachedOn != "" {
		t.Fatalf("kpi after cancel: %+v", k)
	}
	if k, _ := s.TrainingKPI(ctx, Actor(access.RolePrevention, "370881"), 2026, 2026); k.Sessions != 0 || k.PersonTimes != 0 {
		t.Fatalf("曲阜 sees 任城's figures: %+v", k)
	}
}

// Eight people check in at once for the last three seats: three are in.
func testPreventionTrainingCheckinConcurrent(t *testing.T, s *store.Store, c *Clock) {
	ctx := context.Background()
	f := preventionFixture(t, s, c)
	in := sessionIn(c.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly))
	in.Capacity, in.Planned = 3, 3
	ss, err := s.CreateTrainingSession(ctx, insurerRC(), f.ProjectID, in)
	if err != nil {
		t.Fatal(err)
	}
	people := make([]prevention.Attendee, 8)
	for i := range people {
		people[i] = prevention.Attendee{Name: fmt.Sprint("参训", i), IDNumber: IDNumber("370811", "19900101"), Employer: "甲公司"}
	}
	var wg sync.WaitGroup
	results := make([]error, len(people))
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = s.Checkin(ctx, ss.Checkin, p)
		}()
	}
	wg.Wait()
	in3 := 0
	for _, err := range results {
		switch {
		case err == nil:
			in3++
		case !errs.Is(err, errs.Conflict):
			t.Errorf("unexpected: %v", err)
		}
	}
	if n := attendanceCount(t, s, ss.ID); in3 != 3 || n != 3 {
		t.Fatalf("%d check-ins accepted, %d recorded, want 3", in3, n)
	}
}
