package casebundle

import (
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

var (
	clerk      = access.Principal{UserID: 1, Name: "窗口", Kind: access.KindStaff, Role: access.RoleClerk, RegionCode: "370811"}
	recognizer = access.Principal{UserID: 2, Name: "认定", Kind: access.KindStaff, Role: access.RoleRecognition, RegionCode: "370811"}
	assessor   = access.Principal{UserID: 3, Name: "鉴定", Kind: access.KindStaff, Role: access.RoleAssessment, RegionCode: "370811"}
	maker      = access.Principal{UserID: 4, Name: "核算", Kind: access.KindStaff, Role: access.RoleBenefits, RegionCode: "370811"}
	checker    = access.Principal{UserID: 5, Name: "复核", Kind: access.KindStaff, Role: access.RoleBenefits, RegionCode: "370811"}
	insurer    = access.Principal{UserID: 6, Name: "保险", Kind: access.KindStaff, Role: access.RoleInsurer, RegionCode: "370811"}
)

func resolver(t *testing.T, region string) *param.Resolver {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return param.NewResolver(set, region)
}

func day(s string) time.Time { d, _ := ParseDate(s); return d }

// newCase opens a standard case with ids assigned as the store would.
func newCase(t *testing.T, r *param.Resolver, injury, applied string, mod func(*Case)) *Case {
	t.Helper()
	c := &Case{Number: "GS370811-2025-000001", RegionCode: "370811", WorkerID: 7, EmployerID: 9, InjuryDate: injury,
		ApplicationDate: applied, Channel: ChannelWindow, Applicant: ApplicantEmployer, ApplicantName: "济宁某某机械有限公司",
		Place: "二号车间", Cause: "操作冲床时右手被压伤", InjuredPart: "右手", Diagnosis: "右手示指末节骨折"}
	if mod != nil {
		mod(c)
	}
	c.Normalize()
	if err := c.Validate(day("2025-12-31")); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if err := Open(c, nil, r); err != nil {
		t.Fatalf("open: %v", err)
	}
	for i := range c.Services {
		c.Services[i].ID = int64(i + 1)
	}
	return c
}

type step struct {
	who access.Principal
	svc ServiceKind
	act Action
}

func run(t *testing.T, c *Case, r *param.Resolver, steps []step) {
	t.Helper()
	for i, s := range steps {
		env := Env{Today: day("2025-12-31"), Actor: s.who, Params: r}
		if _, err := c.Apply(c.Service(s.svc).ID, s.act, env); err != nil {
			t.Fatalf("step %d %s %s: %v", i, s.svc, s.act.Name, err)
		}
	}
}

func lvl(n int) *int { return &n }

func TestStandardCaseEndToEnd(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-06-02", nil)
	if got := c.Service(Recognition).Due; got != "2025-06-17" {
		t.Errorf("acceptance due %s, want 2025-06-17 (E15)", got)
	}
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}},
		{maker, BenefitApproval, Action{Name: ActPrecheck, Notes: "工资记录齐全", On: "2025-06-10"}},
		{recognizer, Recognition, Action{Name: ActInvestigate, Investigators: []string{"李明", "王芳"}, On: "2025-06-12"}},
	})
	if got := c.Service(Recognition).Due; got != "2025-08-08" {
		t.Errorf("decision due %s, want 2025-08-08 (E15)", got)
	}
	run(t, c, r, []step{{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1", On: "2025-08-08"}}})
	rec, as := c.Service(Recognition), c.Service(InitialAssess)
	if rec.Due != "2025-08-28" || as.State != Received || as.Detail.ReceivedOn != "2025-08-08" {
		t.Fatalf("after decision: recognition due %s, assessment %s from %s", rec.Due, as.State, as.Detail.ReceivedOn)
	}
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActDeliver, On: "2025-08-20"}},
		{assessor, InitialAssess, Action{Name: ActDrawPanel, PanelSize: 3, PanelIDs: []int64{1, 2, 3}, PanelSeed: "s", On: "2025-08-21"}},
		{assessor, InitialAssess, Action{Name: ActSchedule, ExamOn: "2025-09-05", ExamPlace: "市鉴定中心", On: "2025-08-22"}},
		{assessor, InitialAssess, Action{Name: ActConclude, Level: lvl(9), Clauses: []string{"5.9.2(14)"}, On: "2025-09-05"}},
	})
	if b := c.Service(BenefitApproval); b.State != Ready {
		t.Fatalf("benefit %s after the conclusion, want ready", b.State)
	}
	wages := map[string]int64{}
	for m := 3; m <= 14; m++ { // 2024-03 … 2025-02
		wages[time.Date(2024, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")] = 600000
	}
	prop, err := c.Propose(r, wages, nil, day("2025-09-05"))
	if err != nil {
		t.Fatal(err)
	}
	// E1: level 9, 本人工资 6,000.00 → 9 months = 54,000.00; no monthly allowance.
	if prop.BaseWageFen != 600000 || prop.TotalFen != 5400000 || prop.MonthlyFen != 0 {
		t.Fatalf("proposal %+v", prop)
	}
	run(t, c, r, []step{{maker, BenefitApproval, Action{Name: ActCompute, Proposal: &prop}}})
	_, err = c.Apply(c.Service(BenefitApproval).ID, Action{Name: ActApprove}, Env{Today: day("2025-12-31"), Actor: maker, Params: r})
	if !errs.Is(err, errs.Forbidden) || !strings.Contains(err.Error(), "同一人") {
		t.Fatalf("maker approving own work: %v", err)
	}
	run(t, c, r, []step{{checker, BenefitApproval, Action{Name: ActApprove}}})
	if b := c.Service(BenefitApproval); b.State != Approved || b.Detail.ApprovedBy != checker.UserID {
		t.Fatalf("benefit %+v", b)
	}
}

func TestDeadlines(t *testing.T) {
	r := resolver(t, "370811")
	cases := []struct {
		name   string
		simple bool
		steps  []step
		svc    ServiceKind
		want   string
	}{
		{"E15 normal decision", false, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}}}, Recognition, "2025-08-08"},
		{"E15 simple decision", true, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}}}, Recognition, "2025-06-24"},
		{"E16 normal, Saturday rolls to Monday", false, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-09-16"}}}, Recognition, "2025-11-17"},
		{"E16 simple, National Day rolls", true, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-09-16"}}}, Recognition, "2025-10-09"},
		{"E17 suspension", false, []step{
			{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}},
			{recognizer, Recognition, Action{Name: ActSuspend, Reason: "等待交警部门事故责任认定", On: "2025-06-20"}},
			{recognizer, Recognition, Action{Name: ActResume, On: "2025-07-31"}},
		}, Recognition, "2025-09-19"},
		{"E17 then decided: delivery counts from the decision, unsuspended", false, []step{
			{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}},
			{recognizer, Recognition, Action{Name: ActSuspend, Reason: "等待交警部门事故责任认定", On: "2025-06-20"}},
			{recognizer, Recognition, Action{Name: ActResume, On: "2025-07-31"}},
			{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.6", On: "2025-08-08"}},
		}, Recognition, "2025-08-28"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, r, "2025-03-10", "2025-06-02", func(c *Case) {
				c.Simple = tc.simple
				c.Checklist = Checklist{true, true, true, true}
			})
			run(t, c, r, tc.steps)
			if got := c.Service(tc.svc).Due; got != tc.want {
				t.Errorf("due %s, want %s", got, tc.want)
			}
		})
	}
}

// TestAssessmentDeadlines pins E18: received 2025-07-01.
func TestAssessmentDeadlines(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActAccept, On: "2025-03-21"}},
		{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1", On: "2025-07-01"}},
	})
	as := c.Service(InitialAssess)
	if as.Due != "2025-07-08" {
		t.Errorf("correction notice due %s, want 2025-07-08", as.Due)
	}
	run(t, c, r, []step{{assessor, InitialAssess, Action{Name: ActDrawPanel, PanelSize: 5, PanelIDs: []int64{1, 2, 3, 4, 5}, PanelSeed: "x", On: "2025-07-02"}}})
	if as = c.Service(InitialAssess); as.Due != "2025-09-01" {
		t.Errorf("conclusion due %s, want 2025-09-01", as.Due)
	}
	run(t, c, r, []step{{assessor, InitialAssess, Action{Name: ActExtend, Reason: "伤情复杂，涉及多个专科", On: "2025-07-03"}}})
	if as = c.Service(InitialAssess); as.Due != "2025-09-29" {
		t.Errorf("extended due %s, want 2025-09-29", as.Due)
	}
	run(t, c, r, []step{
		{assessor, InitialAssess, Action{Name: ActSchedule, ExamOn: "2025-08-29", ExamPlace: "市鉴定中心", On: "2025-07-04"}},
		{assessor, InitialAssess, Action{Name: ActConclude, Level: lvl(7), Clauses: []string{"5.7.2(3)"}, On: "2025-08-29"}},
	})
	if as = c.Service(InitialAssess); as.Due != "2025-09-15" {
		t.Errorf("delivery due %s, want 2025-09-15", as.Due)
	}
}

func TestRescheduleExtendsTheLimit(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActAccept, On: "2025-03-21"}},
		{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1", On: "2025-07-01"}},
		{assessor, InitialAssess, Action{Name: ActDrawPanel, PanelSize: 3, PanelIDs: []int64{1, 2, 3}, PanelSeed: "x", On: "2025-07-02"}},
		{assessor, InitialAssess, Action{Name: ActSchedule, ExamOn: "2025-08-01", ExamPlace: "市鉴定中心", On: "2025-07-04"}},
		{assessor, InitialAssess, Action{Name: ActReschedule, ExamOn: "2025-08-11", ExamPlace: "市鉴定中心", Reason: "职工住院手术", On: "2025-07-30"}},
	})
	// 60 days from 07-01 end 08-30; moved by the 10 days the exam moved: 09-09 (Tue).
	if got := c.Service(InitialAssess).Due; got != "2025-09-09" {
		t.Errorf("due after reschedule %s, want 2025-09-09", got)
	}
}

func TestRefusedTransitions(t *testing.T) {
	r := resolver(t, "370811")
	cases := []struct {
		name string
		who  access.Principal
		svc  ServiceKind
		act  Action
		kind errs.Kind
		text string
	}{
		{"decide before acceptance", recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1"}, errs.Conflict, "不能办理“作出认定决定”"},
		{"deliver before decision", recognizer, Recognition, Action{Name: ActDeliver}, errs.Conflict, "已接收申请"},
		{"clerk accepts", clerk, Recognition, Action{Name: ActAccept}, errs.Forbidden, "角色"},
		{"insurer accepts", insurer, Recognition, Action{Name: ActAccept}, errs.Forbidden, "角色"},
		{"assessment before decision", assessor, InitialAssess, Action{Name: ActDrawPanel, PanelSize: 3}, errs.Conflict, "预备"},
		{"compute before recognition", maker, BenefitApproval, Action{Name: ActCompute}, errs.Conflict, "预审中"},
		{"notice without material", clerk, Recognition, Action{Name: ActNotice}, errs.Invalid, "至少选择一项"},
		{"notice for shared data", clerk, Recognition, Action{Name: ActNotice, Missing: []string{"identity"}}, errs.Invalid, "不得要求申请人重复提交"},
		{"notice for what is there", clerk, Recognition, Action{Name: ActNotice, Missing: []string{"labour_relation"}}, errs.Invalid, "无需补正"},
		{"unknown action", clerk, Recognition, Action{Name: "fly"}, errs.Invalid, "不存在"},
		{"future date", recognizer, Recognition, Action{Name: ActAccept, On: "2026-01-05"}, errs.Invalid, "不能晚于今天"},
		{"worker sends himself a notice", access.Principal{UserID: 9, Kind: access.KindWorker, WorkerID: 7}, Recognition, Action{Name: ActNotice, Missing: []string{"diagnosis"}}, errs.Forbidden, "角色"},
		{"stale version", recognizer, Recognition, Action{Name: ActAccept, Version: new(int64)}, errs.Conflict, "已被他人修改"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
			before := *c.clone()
			env := Env{Today: day("2025-12-31"), Actor: tc.who, Params: r, Missing: map[ServiceKind][]string{Recognition: {"diagnosis"}}}
			_, err := c.Apply(c.Service(tc.svc).ID, tc.act, env)
			if !errs.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %v (%s), want %s containing %q", err, errs.KindOf(err), tc.kind, tc.text)
			}
			if c.Service(tc.svc).State != before.Service(tc.svc).State || c.Version != before.Version {
				t.Error("a refused action changed the case")
			}
		})
	}
}

func TestDecisionInputs(t *testing.T) {
	r := resolver(t, "370811")
	for _, tc := range []struct {
		act   Action
		field string
	}{
		{Action{Name: ActDecide, Outcome: OutcomeRecognised}, "ground"},
		{Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "16.2"}, "ground"},
		{Action{Name: ActDecide, Ground: "14.1"}, "outcome"},
		{Action{Name: ActInvestigate, Investigators: []string{"李明"}}, "investigators"},
		{Action{Name: ActInvestigate, Investigators: []string{"李明", "李明"}}, "investigators[1]"},
		{Action{Name: ActSuspend}, "reason"},
	} {
		c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
		run(t, c, r, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-03-21"}}})
		_, err := c.Apply(c.Service(Recognition).ID, tc.act, Env{Today: day("2025-12-31"), Actor: recognizer, Params: r})
		f, ok := errs.First(err)
		if !ok || f.Field != tc.field {
			t.Errorf("%+v: got %v, want a field error on %s", tc.act, err, tc.field)
		}
	}
}

func TestConclusionClauses(t *testing.T) {
	d := &Detail{}
	for _, tc := range []struct {
		level   int
		clauses []string
		ok      bool
	}{
		{7, []string{"5.7.2(3)"}, true},
		{6, []string{"5.7.2(3)", "5.7.2(8)"}, true}, // two of level 7 combine to level 6
		{6, []string{"5.7.2(3)"}, false},
		{7, []string{"5.8.2(3)"}, false},
		{0, nil, true},
		{0, []string{"5.9.2(1)"}, false},
		{9, nil, false},
		{9, []string{"5.9.2"}, false},
		{10, []string{"5.10.2(12)"}, true},
	} {
		err := conclude(d, Action{Level: lvl(tc.level), Clauses: tc.clauses})
		if (err == nil) != tc.ok {
			t.Errorf("level %d %v: %v", tc.level, tc.clauses, err)
		}
	}
}

func TestNegativeDecisionCancelsTheRest(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActAccept, On: "2025-03-21"}},
		{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeNotRecognised, Ground: "16.2", On: "2025-04-01"}},
	})
	if a, b := c.Service(InitialAssess), c.Service(BenefitApproval); a.State != Cancelled || b.State != Cancelled {
		t.Errorf("assessment %s, benefit %s", a.State, b.State)
	}
}

func TestLateApplications(t *testing.T) {
	r := resolver(t, "370811")
	emp := newCase(t, r, "2025-03-10", "2025-04-10", nil) // employer's 30 days ended 04-09
	if !emp.Late {
		t.Error("employer one day late is not marked late")
	}
	run(t, emp, r, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-04-11"}}})

	worker := func(excluded int) *Case {
		return newCase(t, r, "2024-03-01", "2025-03-20", func(c *Case) {
			c.Applicant, c.ApplicantName, c.ExcludedDays = ApplicantWorker, "张三", excluded
			if excluded > 0 {
				c.ExcludedReason = "劳动关系仲裁期间"
			}
		})
	}
	late := worker(0)
	_, err := late.Apply(late.Service(Recognition).ID, Action{Name: ActAccept}, Env{Today: day("2025-12-31"), Actor: recognizer, Params: r})
	if !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "不予受理") {
		t.Fatalf("worker a year late accepted: %v", err)
	}
	run(t, late, r, []step{{recognizer, Recognition, Action{Name: ActRefuse, Reason: "超过申请时限"}}})
	excused := worker(40)
	if excused.Late {
		t.Error("40 excluded days do not cover 19 days' delay")
	}
	run(t, excused, r, []step{{recognizer, Recognition, Action{Name: ActAccept}}})
}

// TestDocumentsPerCase pins the "materials once" figure: the standard
// recognition + assessment + benefit bundle asks the applicant for at most
// four documents (the source text's current process: 11 with 3 duplicates).
func TestDocumentsPerCase(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
	registered := Facts{Employed: "济宁某某机械有限公司 2019-03-01起", WageMonths: 12, BankAccount: true}
	defacto := Facts{WageMonths: 0}
	for _, tc := range []struct {
		name  string
		facts Facts
		want  []string
	}{
		{"registered worker", registered, []string{"application_form", "diagnosis", "medical_records"}},
		{"de-facto relation, no wages, no bank account", defacto, []string{"application_form", "labour_relation", "diagnosis", "medical_records", "wage_history", "bank_account"}},
	} {
		docs := ApplicantDocuments(c.Resolve(tc.facts))
		if strings.Join(docs, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: %v, want %v", tc.name, docs, tc.want)
		}
	}
	if n := len(ApplicantDocuments(c.Resolve(Facts{WageMonths: 12, BankAccount: true}))); n > 4 {
		t.Errorf("standard bundle with a de-facto relation asks for %d documents, want ≤ 4", n)
	}
	missing := MissingUploads(c.Resolve(registered))
	if got := strings.Join(missing[Recognition], ","); got != "application_form,diagnosis" {
		t.Errorf("recognition missing %s", got)
	}
	up := registered
	up.Uploaded = map[string]bool{"application_form": true, "diagnosis": true, "medical_records": true}
	for _, n := range c.Resolve(up) {
		for _, it := range n.Items {
			if it.Missing() && it.Material.Code != "recognition_decision" && it.Material.Code != "assessment_conclusion" {
				t.Errorf("%s still misses %s", n.Service, it.Material.Code)
			}
		}
	}
}

func TestNumber(t *testing.T) {
	n := FormatNumber("370881", 2025, 123)
	if n != "GS370881-2025-000123" {
		t.Fatal(n)
	}
	if reg, y, seq, ok := ParseNumber(n); !ok || reg != "370881" || y != 2025 || seq != 123 {
		t.Fatal(reg, y, seq, ok)
	}
	if _, _, _, ok := ParseNumber("GS37088-2025-000123"); ok {
		t.Fatal("bad number parsed")
	}
}

func TestValidate(t *testing.T) {
	base := func() *Case {
		return &Case{WorkerID: 1, EmployerID: 2, InjuryDate: "2025-03-10", ApplicationDate: "2025-03-12", Channel: ChannelWindow,
			Applicant: ApplicantEmployer, ApplicantName: "某公司", Place: "车间", Cause: "压伤", InjuredPart: "手", Diagnosis: "骨折", InjuryKind: InjuryAccident}
	}
	for _, tc := range []struct {
		mod   func(*Case)
		field string
	}{
		{func(c *Case) { c.InjuryDate = "2026-01-02" }, "injury_date"},
		{func(c *Case) { c.InjuryDate = "1949-12-31" }, "injury_date"},
		{func(c *Case) { c.ApplicationDate = "2025-03-01" }, "application_date"},
		{func(c *Case) { c.Channel = "fax" }, "channel"},
		{func(c *Case) { c.Cause = "" }, "cause"},
		{func(c *Case) { c.ExcludedDays = 10 }, "excluded_reason"},
	} {
		c := base()
		tc.mod(c)
		f, ok := errs.First(c.Validate(day("2025-12-31")))
		if !ok || f.Field != tc.field {
			t.Errorf("want an error on %s, got %+v", tc.field, f)
		}
	}
	if err := base().Validate(day("2025-12-31")); err != nil {
		t.Fatal(err)
	}
}

// TestQufuSimpleProcedure: in 曲阜 the simple procedure shortens both
// limits, counted in days like the statute's (the last day rolls).
func TestQufuSimpleProcedure(t *testing.T) {
	r := resolver(t, "370881")
	mod := func(simple bool) func(*Case) {
		return func(c *Case) {
			c.RegionCode, c.Simple, c.Checklist = "370881", simple, Checklist{true, true, true, true}
		}
	}
	c := newCase(t, r, "2025-06-01", "2025-06-02", mod(true))
	if got := c.Service(Recognition).Due; got != "2025-06-05" {
		t.Errorf("simple acceptance due %s, want 2025-06-05", got)
	}
	run(t, c, r, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}}})
	if got := c.Service(Recognition).Due; got != "2025-06-16" {
		t.Errorf("simple decision due %s, want 2025-06-16", got)
	}
	run(t, c, r, []step{{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1", On: "2025-06-12"}}})
	if got := c.Service(Recognition).Due; got != "2025-07-02" { // delivery: 20 days, not shortened
		t.Errorf("simple case delivery due %s, want 2025-07-02", got)
	}
	normal := newCase(t, r, "2025-06-01", "2025-06-02", mod(false))
	if got := normal.Service(Recognition).Due; got != "2025-06-17" {
		t.Errorf("normal acceptance in 曲阜 due %s, want the statute's 2025-06-17", got)
	}
}

func TestFallbackRecomputesClocks(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-06-02", func(c *Case) { c.Simple, c.Checklist = true, Checklist{true, true, true, true} })
	run(t, c, r, []step{{recognizer, Recognition, Action{Name: ActAccept, On: "2025-06-09"}}})
	if got := c.Service(Recognition).Due; got != "2025-06-24" {
		t.Fatalf("simple due %s", got)
	}
	if err := c.Fallback(clerk, "x", r); !errs.Is(err, errs.Forbidden) {
		t.Errorf("clerk fell back: %v", err)
	}
	if err := c.Fallback(recognizer, "", r); !errs.Is(err, errs.Invalid) {
		t.Errorf("fallback without reason: %v", err)
	}
	if err := c.Fallback(recognizer, "用人单位对事故经过提出异议", r); err != nil {
		t.Fatal(err)
	}
	if got := c.Service(Recognition).Due; got != "2025-08-08" || c.Simple {
		t.Errorf("after fallback due %s simple %v", got, c.Simple)
	}
	if err := c.UseSimple(recognizer, Checklist{FactsClear: true}, r); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "无第三方争议") {
		t.Errorf("incomplete checklist: %v", err)
	}
}

// TestEveryActionAudited: each action has a Chinese name in the audit log.
func TestEveryActionAudited(t *testing.T) {
	for a := range actionNames {
		if n := audit.ActionName("case." + string(a)); !strings.ContainsFunc(n, func(r rune) bool { return r > 0x2e80 }) {
			t.Errorf("case.%s has no Chinese audit name", a)
		}
	}
}

// TestLaterAssessments: 再次鉴定 within 15 days of receiving the
// conclusion (E18: received 2025-08-20 → by 2025-09-04); 复查 a year after.
func TestLaterAssessments(t *testing.T) {
	r := resolver(t, "370811")
	c := newCase(t, r, "2025-03-10", "2025-03-20", nil)
	run(t, c, r, []step{
		{recognizer, Recognition, Action{Name: ActAccept, On: "2025-03-21"}},
		{recognizer, Recognition, Action{Name: ActDecide, Outcome: OutcomeRecognised, Ground: "14.1", On: "2025-06-01"}},
		{assessor, InitialAssess, Action{Name: ActDrawPanel, PanelSize: 3, PanelIDs: []int64{1, 2, 3}, PanelSeed: "x", On: "2025-06-02"}},
		{assessor, InitialAssess, Action{Name: ActSchedule, ExamOn: "2025-08-15", ExamPlace: "市鉴定中心", On: "2025-06-03"}},
		{assessor, InitialAssess, Action{Name: ActConclude, Level: lvl(8), Clauses: []string{"5.8.2(2)"}, On: "2025-08-15"}},
		{assessor, InitialAssess, Action{Name: ActDeliver, On: "2025-08-20"}},
	})
	if _, err := c.clone().AddService(Reassessment, "2025-09-05", r); err == nil || !strings.Contains(err.Error(), "2025-09-04") {
		t.Errorf("re-assessment a day late: %v", err)
	}
	if _, err := c.clone().AddService(Reassessment, "2025-09-04", r); err != nil {
		t.Errorf("re-assessment on the last day: %v", err)
	}
	if _, err := c.clone().AddService(ReviewAssessment, "2026-08-15", r); err == nil || !strings.Contains(err.Error(), "2026-08-16") {
		t.Errorf("review on the anniversary: %v", err)
	}
	if _, err := c.clone().AddService(ReviewAssessment, "2026-08-16", r); err != nil {
		t.Errorf("review the day after: %v", err)
	}
}
