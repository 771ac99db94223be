package storetest

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
)

// The prevention expert pool (issue 12): an expert added, edited,
// suspended, reinstated and removed, each status change with a reason
// and kept; a suspended expert may not teach; who may do what (the
// insurer proposes, the city decides, a county reads, another city sees
// nothing); two status changes at once, one wins; courseware revisions
// reviewed, an approval superseding the earlier ones, one approved per
// expert and topic even when two approvals race; the sessions an expert
// taught with the average score.

var preventionExpertSuite = []struct {
	name string
	fn   func(t *testing.T, s *store.Store, c *Clock)
}{
	{"PreventionExpertStatusFlow", testPreventionExpertStatusFlow},
	{"PreventionExpertAccess", testPreventionExpertAccess},
	{"PreventionExpertConcurrentStatus", testPreventionExpertConcurrentStatus},
	{"PreventionCourseware", testPreventionCourseware},
	{"PreventionCoursewareConcurrentApprove", testPreventionCoursewareConcurrentApprove},
	{"PreventionExpertHistory", testPreventionExpertHistory},
}

// cityPrevention (prevention_plan.go) is the city's prevention officer.

func countyPrevention() access.Principal { return Actor(access.RolePrevention, "370881") }

func cityInsurer() access.Principal { return Actor(access.RoleInsurer, "370800") }

func sampleExpert(name string) prevention.Expert {
	return prevention.Expert{Name: name, Specialty: prevention.SpecialtyHazchem, Department: prevention.DeptEmergency,
		Title: "高级工程师", Qualifications: "注册安全工程师、国家安全生产培训师", Employer: "济宁化工安全技术中心"}
}

func mustPreventionExpert(t *testing.T, s *store.Store, name string) prevention.Expert {
	t.Helper()
	e, err := s.AddPreventionExpert(ctx, cityPrevention(), sampleExpert(name))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// coursewarePDF is a small complete PDF whose bytes depend on body.
func coursewarePDF(body string) []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% " + body + "\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
}

func countRows(t *testing.T, s *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func testPreventionExpertStatusFlow(t *testing.T, s *store.Store, _ *Clock) {
	p := cityPrevention()
	bad := sampleExpert("")
	bad.Specialty, bad.Title, bad.Qualifications = "cooking", "", ""
	if _, err := s.AddPreventionExpert(ctx, p, bad); !hasField(err, "name", "required") || !hasField(err, "specialty", "choice") ||
		!hasField(err, "title", "required") {
		t.Fatalf("bad expert: %v", err)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM prevention_experts`); n != 0 {
		t.Fatalf("a refused expert saved %d rows", n)
	}
	e := mustPreventionExpert(t, s, "王建国")
	if e.ID == 0 || e.Status != prevention.ExpertActive || e.Region != "370800" || e.Version != 1 || !prevention.MayTeach(e.Status) {
		t.Fatalf("added: %+v", e)
	}
	if _, err := s.AddPreventionExpert(ctx, p, sampleExpert(" 王建国 ")); !hasField(err, "name", "duplicate") {
		t.Fatalf("duplicate: %v", err)
	}
	// edit at the version read; a second edit at the old version is stale
	in := e
	in.Title, in.Employer = "正高级工程师", "济宁市应急管理科学研究院"
	up, err := s.UpdatePreventionExpert(ctx, p, e.ID, e.Version, in)
	if err != nil || up.Title != "正高级工程师" || up.Version != 2 || up.Status != prevention.ExpertActive {
		t.Fatalf("update: %+v %v", up, err)
	}
	if _, err := s.UpdatePreventionExpert(ctx, p, e.ID, e.Version, in); !errs.Is(err, errs.Conflict) {
		t.Fatalf("stale update: %v", err)
	}
	in.Name = ""
	if _, err := s.UpdatePreventionExpert(ctx, p, e.ID, up.Version, in); !hasField(err, "name", "required") {
		t.Fatalf("bad update: %v", err)
	}
	// suspend: a reason is required; then the expert may not teach
	if _, err := s.SetPreventionExpertStatus(ctx, p, e.ID, up.Version, prevention.ExpertSuspended, " "); !hasField(err, "reason", "required") {
		t.Fatalf("suspend without reason: %v", err)
	}
	sus, err := s.SetPreventionExpertStatus(ctx, p, e.ID, up.Version, prevention.ExpertSuspended, "授课评估连续两次低于60分")
	if err != nil || sus.Status != prevention.ExpertSuspended || sus.Version != 3 {
		t.Fatalf("suspend: %+v %v", sus, err)
	}
	got, err := s.FindPreventionExpert(ctx, countyPrevention(), e.ID)
	if err != nil || got.Status != prevention.ExpertSuspended || prevention.MayTeach(got.Status) || got.StatusReason != "授课评估连续两次低于60分" {
		t.Fatalf("suspended expert read by the county: %+v %v", got, err)
	}
	if f, ok := errs.First(prevention.TeachError(got)); !ok || f.Field != "expert_id" {
		t.Fatalf("TeachError: %v", prevention.TeachError(got))
	}
	if _, err := s.SetPreventionExpertStatus(ctx, p, e.ID, sus.Version, prevention.ExpertSuspended, "再次"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("suspend twice: %v", err)
	}
	act, err := s.SetPreventionExpertStatus(ctx, p, e.ID, sus.Version, prevention.ExpertActive, "课件修改后重新论证通过")
	if err != nil || !prevention.MayTeach(act.Status) {
		t.Fatalf("reinstate: %+v %v", act, err)
	}
	rem, err := s.SetPreventionExpertStatus(ctx, p, e.ID, act.Version, prevention.ExpertRemoved, "调离本市")
	if err != nil || rem.Status != prevention.ExpertRemoved {
		t.Fatalf("remove: %+v %v", rem, err)
	}
	if _, err := s.SetPreventionExpertStatus(ctx, p, e.ID, rem.Version, prevention.ExpertActive, "重新入库"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("removed reinstated: %v", err)
	}
	if _, err := s.UpdatePreventionExpert(ctx, p, e.ID, rem.Version, sampleExpert("王建国")); !errs.Is(err, errs.Conflict) {
		t.Fatalf("removed edited: %v", err)
	}
	// a removed expert's name may be added again (a new term in the pool)
	if _, err := s.AddPreventionExpert(ctx, p, sampleExpert("王建国")); err != nil {
		t.Fatalf("re-add after removal: %v", err)
	}
	evs, err := s.PreventionExpertEvents(ctx, p, e.ID)
	if err != nil || len(evs) != 4 {
		t.Fatalf("events: %+v %v", evs, err)
	}
	want := []prevention.ExpertStatus{prevention.ExpertActive, prevention.ExpertSuspended, prevention.ExpertActive, prevention.ExpertRemoved}
	for i, ev := range evs {
		if ev.To != want[i] || ev.Reason == "" || ev.CreatedBy != p.Username {
			t.Fatalf("event %d: %+v", i, ev)
		}
	}
	auditHas(t, s, "prevention.expert.add", 2)
	auditHas(t, s, "prevention.expert.update", 1)
	auditHas(t, s, "prevention.expert.status", 3)
	// filters and search
	other := sampleExpert("李红")
	other.Specialty, other.Employer, other.Qualifications = prevention.SpecialtyConstruction, "山东建筑安全协会", "一级建造师"
	if _, err := s.AddPreventionExpert(ctx, p, other); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    store.ExpertQuery
		want int
	}{
		{store.ExpertQuery{}, 3},
		{store.ExpertQuery{Specialty: prevention.SpecialtyConstruction}, 1},
		{store.ExpertQuery{Status: prevention.ExpertRemoved}, 1},
		{store.ExpertQuery{Status: prevention.ExpertActive, Specialty: prevention.SpecialtyHazchem}, 1},
		{store.ExpertQuery{Search: "建造师"}, 1},
		{store.ExpertQuery{Search: "王"}, 2},
		{store.ExpertQuery{Search: "%"}, 0},
	} {
		list, err := s.PreventionExperts(ctx, countyPrevention(), tt.q)
		if err != nil || len(list) != tt.want {
			t.Errorf("%+v: %d experts, want %d (%v)", tt.q, len(list), tt.want, err)
		}
	}
	if _, err := s.PreventionExperts(ctx, p, store.ExpertQuery{Status: "retired"}); !hasField(err, "status", "choice") {
		t.Fatalf("bad status filter: %v", err)
	}
}

func testPreventionExpertAccess(t *testing.T, s *store.Store, _ *Clock) {
	// the insurer proposes: suspended until the city activates
	prop, err := s.AddPreventionExpert(ctx, cityInsurer(), sampleExpert("赵刚"))
	if err != nil || prop.Status != prevention.ExpertSuspended || prop.StatusReason != store.ProposedReason || prevention.MayTeach(prop.Status) {
		t.Fatalf("proposed: %+v %v", prop, err)
	}
	if _, err := s.SetPreventionExpertStatus(ctx, cityInsurer(), prop.ID, prop.Version, prevention.ExpertActive, "自行启用"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer activates: %v", err)
	}
	// the insurer edits details
	in := prop
	in.Title = "高级工程师（化工安全）"
	if _, err := s.UpdatePreventionExpert(ctx, cityInsurer(), prop.ID, prop.Version, in); err != nil {
		t.Fatalf("insurer edits: %v", err)
	}
	// a county reads the pool, but neither adds nor changes status
	county := countyPrevention()
	if list, err := s.PreventionExperts(ctx, county, store.ExpertQuery{}); err != nil || len(list) != 1 {
		t.Fatalf("county list: %d %v", len(list), err)
	}
	if _, err := s.AddPreventionExpert(ctx, county, sampleExpert("孙丽")); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("county adds: %v", err)
	}
	if _, err := s.SetPreventionExpertStatus(ctx, county, prop.ID, prop.Version+1, prevention.ExpertActive, "启用"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("county activates: %v", err)
	}
	act, err := s.SetPreventionExpertStatus(ctx, cityPrevention(), prop.ID, prop.Version+1, prevention.ExpertActive, "经审核，同意入库")
	if err != nil || act.Status != prevention.ExpertActive {
		t.Fatalf("city activates: %+v %v", act, err)
	}
	// another city and a role without the prevention permissions see nothing
	jinan := Actor(access.RolePrevention, "370100")
	if _, err := s.FindPreventionExpert(ctx, jinan, prop.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another city reads: %v", err)
	}
	if list, err := s.PreventionExperts(ctx, jinan, store.ExpertQuery{}); err != nil || len(list) != 0 {
		t.Fatalf("another city lists: %d %v", len(list), err)
	}
	if _, err := s.PreventionExperts(ctx, city(), store.ExpertQuery{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a clerk lists: %v", err)
	}
	if _, err := s.AddPreventionExpert(ctx, city(), sampleExpert("周强")); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a clerk adds: %v", err)
	}
	// the route check: the city's pool is its counties' too
	o, err := s.OwnersOf(ctx, access.KindStaff, "prevention_expert", prop.ID)
	if err != nil || o.Region != "370800" {
		t.Fatalf("owners: %+v %v", o, err)
	}
	if !county.MaySee(o) || !cityPrevention().MaySee(o) || jinan.MaySee(o) {
		t.Fatalf("owners %+v: county %v city %v jinan %v", o, county.MaySee(o), cityPrevention().MaySee(o), jinan.MaySee(o))
	}
}

func testPreventionExpertConcurrentStatus(t *testing.T, s *store.Store, _ *Clock) {
	e := mustPreventionExpert(t, s, "钱多")
	second := cityPrevention()
	second.UserID, second.Username = 2, "prevention-370800-b"
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i, to := range []prevention.ExpertStatus{prevention.ExpertSuspended, prevention.ExpertRemoved} {
		wg.Add(1)
		go func(i int, to prevention.ExpertStatus, who access.Principal) {
			defer wg.Done()
			_, results[i] = s.SetPreventionExpertStatus(ctx, who, e.ID, e.Version, to, "并发变更")
		}(i, to, []access.Principal{cityPrevention(), second}[i])
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case errs.Is(err, errs.Conflict):
			conflict++
		default:
			t.Fatalf("unexpected: %v", err)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("%d won, %d conflicted (%v)", ok, conflict, results)
	}
	got, _ := s.FindPreventionExpert(ctx, cityPrevention(), e.ID)
	if got.Version != 2 {
		t.Fatalf("version %d after one change", got.Version)
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM prevention_expert_events WHERE expert_id = $1`, e.ID); n != 2 {
		t.Fatalf("%d events, want the add and one change", n)
	}
}

func testPreventionCourseware(t *testing.T, s *store.Store, _ *Clock) {
	p := cityPrevention()
	e := mustPreventionExpert(t, s, "郑安")
	const topic = "化工企业工伤预防措施及方法"
	up := func(who access.Principal, topic string, body []byte) (store.Courseware, error) {
		return s.UploadCourseware(ctx, who, e.ID, topic, "课件.pdf", bytes.NewReader(body))
	}
	if _, err := up(p, topic, PNG(t)); !hasField(err, "file", "file_type") {
		t.Fatalf("an image as courseware: %v", err)
	}
	if _, err := up(p, " ", coursewarePDF("x")); !hasField(err, "topic", "required") {
		t.Fatalf("no topic: %v", err)
	}
	if _, err := up(countyPrevention(), topic, coursewarePDF("county")); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("county uploads: %v", err)
	}
	r1, err := up(cityInsurer(), topic, coursewarePDF("r1"))
	if err != nil || r1.Revision != 1 || r1.State != prevention.CoursewareSubmitted || r1.ContentType != "application/pdf" {
		t.Fatalf("r1: %+v %v", r1, err)
	}
	if _, err := s.ReviewCourseware(ctx, cityInsurer(), r1.ID, r1.Version, true, ""); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("insurer reviews: %v", err)
	}
	if _, err := s.ReviewCourseware(ctx, countyPrevention(), r1.ID, r1.Version, true, ""); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("county reviews: %v", err)
	}
	a1, err := s.ReviewCourseware(ctx, p, r1.ID, r1.Version, true, "内容准确，案例贴近本市")
	if err != nil || a1.State != prevention.CoursewareApproved || a1.ReviewedBy != p.Username || a1.ReviewedAt == nil {
		t.Fatalf("approve r1: %+v %v", a1, err)
	}
	if _, err := s.ReviewCourseware(ctx, p, r1.ID, a1.Version, false, "再看"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("review twice: %v", err)
	}
	// revision 2 rejected (a note is required), revision 3 approved: 1 superseded
	r2, err := up(p, "  化工企业工伤预防措施及方法 ", coursewarePDF("r2"))
	if err != nil || r2.Revision != 2 || r2.Topic != topic {
		t.Fatalf("r2: %+v %v", r2, err)
	}
	if _, err := s.ReviewCourseware(ctx, p, r2.ID, r2.Version, false, ""); !hasField(err, "note", "required") {
		t.Fatalf("reject without note: %v", err)
	}
	if _, err := s.ReviewCourseware(ctx, p, r2.ID, r2.Version, false, "案例陈旧，请补充近年事故案例"); err != nil {
		t.Fatal(err)
	}
	r3, _ := up(p, topic, coursewarePDF("r3"))
	r4, _ := up(p, topic, coursewarePDF("r4"))
	if r4.Revision != 4 {
		t.Fatalf("r4 is revision %d", r4.Revision)
	}
	if _, err := s.ReviewCourseware(ctx, p, r4.ID, r4.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	// r3, older than the approved r4, was superseded with r1
	if _, err := s.ReviewCourseware(ctx, p, r3.ID, r3.Version, true, ""); !errs.Is(err, errs.Conflict) {
		t.Fatalf("approve an older revision: %v", err)
	}
	list, err := s.ExpertCourseware(ctx, countyPrevention(), e.ID)
	if err != nil || len(list) != 4 {
		t.Fatalf("list: %d %v", len(list), err)
	}
	states := map[int]prevention.CoursewareState{}
	for _, c := range list {
		states[c.Revision] = c.State
	}
	if states[1] != prevention.CoursewareSuperseded || states[2] != prevention.CoursewareRejected || states[3] != prevention.CoursewareSuperseded ||
		states[4] != prevention.CoursewareApproved {
		t.Fatalf("states %v", states)
	}
	if c, ok, err := s.ApprovedCourseware(ctx, p, e.ID, topic); err != nil || !ok || c.Revision != 4 {
		t.Fatalf("approved: %+v %v %v", c, ok, err)
	}
	// another topic keeps its own revisions
	o1, err := up(p, "危险化学品储存安全", coursewarePDF("o1"))
	if err != nil || o1.Revision != 1 {
		t.Fatalf("other topic: %+v %v", o1, err)
	}
	auditHas(t, s, "prevention.courseware.upload", 5)
	auditHas(t, s, "prevention.courseware.review", 3)
	auditHas(t, s, "prevention.courseware.supersede", 2)
	// the file reads back; a county may download, another city not
	rc, c, err := s.OpenCourseware(ctx, countyPrevention(), r4.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, coursewarePDF("r4")) || c.FileName != "课件.pdf" {
		t.Fatalf("download: %q %+v", b, c)
	}
	if _, _, err := s.OpenCourseware(ctx, Actor(access.RolePrevention, "370100"), r4.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another city downloads: %v", err)
	}
	// a removed expert submits nothing more
	cur, _ := s.FindPreventionExpert(ctx, p, e.ID)
	if _, err := s.SetPreventionExpertStatus(ctx, p, e.ID, cur.Version, prevention.ExpertRemoved, "本人申请退出"); err != nil {
		t.Fatal(err)
	}
	if _, err := up(p, topic, coursewarePDF("r5")); !errs.Is(err, errs.Conflict) {
		t.Fatalf("removed expert uploads: %v", err)
	}
}

func testPreventionCoursewareConcurrentApprove(t *testing.T, s *store.Store, _ *Clock) {
	p := cityPrevention()
	e := mustPreventionExpert(t, s, "冯静")
	var revs []store.Courseware
	for _, body := range []string{"a", "b"} {
		c, err := s.UploadCourseware(ctx, cityInsurer(), e.ID, "建筑施工高处坠落预防", "", bytes.NewReader(coursewarePDF(body)))
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, c)
	}
	var wg sync.WaitGroup
	results := make([]error, 2)
	for i, c := range revs {
		wg.Add(1)
		go func(i int, c store.Courseware) {
			defer wg.Done()
			_, results[i] = s.ReviewCourseware(ctx, p, c.ID, c.Version, true, "")
		}(i, c)
	}
	wg.Wait()
	for _, err := range results {
		if err != nil && !errs.Is(err, errs.Conflict) {
			t.Fatalf("unexpected: %v", err)
		}
	}
	if n := countRows(t, s, `SELECT COUNT(*) FROM prevention_courseware WHERE expert_id = $1 AND state = 'approved'`, e.ID); n != 1 {
		t.Fatalf("%d approved revisions, want 1 (%v)", n, results)
	}
	// whichever went first, revision 2 ends approved: approving 2 after 1
	// supersedes 1; approving 1 after 2 is refused
	if n := countRows(t, s, `SELECT COUNT(*) FROM prevention_courseware WHERE expert_id = $1 AND state = 'approved' AND revision = 2`, e.ID); n != 1 {
		t.Fatalf("revision 2 not the approved one (%v)", results)
	}
}

func testPreventionExpertHistory(t *testing.T, s *store.Store, c *Clock) {
	e := mustPreventionExpert(t, s, "陈立")
	now := c.Now()
	var plan, proj1, proj2 int64
	if err := s.DB().QueryRowContext(ctx, `INSERT INTO prevention_plans (region_code, year, created_at, created_by, updated_at)
		VALUES ('370881', 2025, $1, 't', $1) RETURNING id`, now).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRowContext(ctx, `INSERT INTO prevention_projects (plan_id, region_code, seq, kind, title)
		VALUES ($1, '370881', 1, 'training', '曲阜市危化企业培训') RETURNING id`, plan).Scan(&proj1); err != nil {
		t.Fatal(err)
	}
	var plan2 int64
	if err := s.DB().QueryRowContext(ctx, `INSERT INTO prevention_plans (region_code, year, created_at, created_by, updated_at)
		VALUES ('370811', 2025, $1, 't', $1) RETURNING id`, now).Scan(&plan2); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRowContext(ctx, `INSERT INTO prevention_projects (plan_id, region_code, seq, kind, title)
		VALUES ($1, '370811', 1, 'training', '任城区建筑工地培训') RETURNING id`, plan2).Scan(&proj2); err != nil {
		t.Fatal(err)
	}
	session := func(project int64, region, day, state string, score any) int64 {
		var id int64
		if err := s.DB().QueryRowContext(ctx, `INSERT INTO prevention_sessions (project_id, region_code, held_on, expert_id, topic, state, score,
			created_at, created_by) VALUES ($1, $2, $3, $4, '化工企业工伤预防', $5, $6, $7, 't') RETURNING id`,
			project, region, day, e.ID, state, score, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	s1 := session(proj1, "370881", "2025-04-10", "closed", 90.0)
	session(proj1, "370881", "2025-05-10", "held", nil)
	session(proj1, "370881", "2025-06-10", "cancelled", 10.0)
	session(proj2, "370811", "2025-07-10", "closed", 70.0)
	for i, id := range []string{"370881199001010011", "370881199001010022"} {
		mustExec(t, s, `INSERT INTO prevention_attendance (session_id, region_code, id_hash, id_enc, id_masked, name, source, created_at)
			VALUES ($1, '370881', $2, $3, '3708**********0011', '学员', 'roster', $4)`, s1, []byte(id), []byte{byte(i)}, now)
	}
	h, err := s.PreventionExpertHistory(ctx, cityPrevention(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Sessions) != 4 || h.Held != 3 || h.Scored != 2 || h.Average != 80 || h.Attendance != 2 || h.Partial {
		t.Fatalf("city history: %+v", h)
	}
	if h.Sessions[0].HeldOn != "2025-07-10" || h.Sessions[0].Project != "任城区建筑工地培训" {
		t.Fatalf("newest first: %+v", h.Sessions[0])
	}
	q, err := s.PreventionExpertHistory(ctx, countyPrevention(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Sessions) != 3 || q.Scored != 1 || q.Average != 90 || !q.Partial {
		t.Fatalf("county history: %+v", q)
	}
}
