package prevention

import (
	"strings"
	"testing"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

func ref(t *testing.T) *registry.Reference {
	t.Helper()
	r, err := registry.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func creditCode(body string) string { return body + string(registry.CreditCodeCheckChar(body)) }

func training() Project {
	return Project{Kind: KindTraining, Title: " 危险化学品企业安全管理人员培训 ", Programme: "危险化学品", Industry: "26",
		Audience: []string{"安全管理负责人", "班组长", "班组长"}, Enterprises: []string{strings.ToLower(creditCode("91370811MA3C12345"))},
		Sessions: 4, Attendance: 400, ProviderKind: "insurer", Provider: "中国人寿济宁分公司",
		Lines: []BudgetLine{{ID: 1, Item: "师资费", RequestedFen: 2_000_000}, {ID: 2, Item: "场地费", RequestedFen: 1_000_000}}}
}

func TestProjectValidate(t *testing.T) {
	r := ref(t)
	p := training()
	p.Normalize()
	if err := p.Validate(r); err != nil {
		t.Fatalf("a good project refused: %v", err)
	}
	if p.RequestedFen != 3_000_000 || len(p.Audience) != 2 || p.Title != "危险化学品企业安全管理人员培训" || p.Enterprises[0] != strings.ToUpper(p.Enterprises[0]) {
		t.Fatalf("normalized: %+v", p)
	}
	cases := []struct {
		name  string
		edit  func(*Project)
		field string
	}{
		{"kind", func(p *Project) { p.Kind = "meeting" }, "kind"},
		{"title", func(p *Project) { p.Title = "" }, "title"},
		{"division", func(p *Project) { p.Industry = "99" }, "industry"},
		{"audience", func(p *Project) { p.Audience = []string{"董事长"} }, "audience"},
		{"no audience", func(p *Project) { p.Audience = nil }, "audience"},
		{"enterprise", func(p *Project) { p.Enterprises = []string{"91370811MA3C123450"} }, "enterprises"},
		{"no session", func(p *Project) { p.Sessions = 0 }, "sessions"},
		{"no attendance", func(p *Project) { p.Attendance = 0 }, "attendance"},
		{"provider kind", func(p *Project) { p.ProviderKind = "friend" }, "provider_kind"},
		{"provider", func(p *Project) { p.Provider = "" }, "provider"},
		{"no lines", func(p *Project) { p.Lines = nil }, "lines"},
		{"zero line", func(p *Project) { p.Lines[1].RequestedFen = 0 }, "lines[1].requested_fen"},
		{"line item", func(p *Project) { p.Lines[0].Item = "" }, "lines[0].item"},
		{"duplicate item", func(p *Project) { p.Lines[1].Item = "师资费" }, "lines[1].item"},
	}
	for _, c := range cases {
		p := training()
		c.edit(&p)
		p.Normalize()
		err := p.Validate(r)
		var fs errs.Fields
		_ = fs.Merge(err)
		if !fs.Has(c.field) {
			t.Errorf("%s: want an error on %s, got %v", c.name, c.field, err)
		}
	}
	// publicity needs no session or audience
	pub := Project{Kind: KindPublicity, Title: "工伤预防短视频", ProviderKind: "agency", Provider: "市社保中心", Lines: []BudgetLine{{Item: "制作费", RequestedFen: 1}}}
	pub.Normalize()
	if err := pub.Validate(r); err != nil {
		t.Fatalf("publicity refused: %v", err)
	}
}

func TestWorkflow(t *testing.T) {
	for _, c := range []struct {
		from State
		act  Action
		to   State
		ok   bool
	}{
		{StateDraft, ActSubmit, StateSubmitted, true},
		{StateSubmitted, ActReturn, StateReturned, true},
		{StateSubmitted, ActApprove, StateApproved, true},
		{StateReturned, ActSubmit, StateSubmitted, true},
		{StateDraft, ActApprove, "", false},
		{StateReturned, ActApprove, "", false},
		{StateApproved, ActSubmit, "", false},
		{StateApproved, ActReturn, "", false},
		{StateSubmitted, ActSubmit, "", false},
	} {
		to, err := Next(c.from, c.act)
		if c.ok && (err != nil || to != c.to) || !c.ok && !errs.Is(err, errs.Conflict) {
			t.Errorf("%s %s: %s %v", c.from, c.act, to, err)
		}
	}
	if _, err := Next(StateDraft, "burn"); !errs.Is(err, errs.Invalid) {
		t.Errorf("unknown action: %v", err)
	}
	if !Editable(StateDraft) || !Editable(StateReturned) || Editable(StateSubmitted) || Editable(StateApproved) {
		t.Error("editable states")
	}
	if a := Actions(StateSubmitted); len(a) != 2 {
		t.Errorf("actions of submitted: %v", a)
	}
}

func submitted() AnnualPlan {
	p := training()
	p.ID, p.Seq = 10, 1
	p.Normalize()
	q := Project{ID: 11, Seq: 2, Kind: KindPublicity, Title: "户外大屏宣传", ProviderKind: "agency", Provider: "县社保中心", State: "planned",
		Lines: []BudgetLine{{ID: 3, Item: "投放费", RequestedFen: 500_000}}}
	plan := AnnualPlan{ID: 1, Region: "370881", Year: 2026, State: StateSubmitted, Projects: []Project{p, q}}
	plan.Totals()
	return plan
}

func TestReview(t *testing.T) {
	p := submitted()
	if err := p.ApplyReview(Review{Action: ActReturn}); !hasField(err, "note") || p.State != StateSubmitted {
		t.Fatalf("a return without comments: %v, %s", err, p.State)
	}
	for _, c := range []struct {
		cut   Cut
		field string
	}{
		{Cut{LineID: 99, ApprovedFen: 1}, "cuts[0].line_id"},
		{Cut{LineID: 1, ApprovedFen: 2_000_001, Reason: "x"}, "cuts[0].approved_fen"},
		{Cut{LineID: 1, ApprovedFen: -1, Reason: "x"}, "cuts[0].approved_fen"},
		{Cut{LineID: 1, ApprovedFen: 1_500_000}, "cuts[0].reason"},
	} {
		p := submitted()
		if err := p.ApplyReview(Review{Action: ActApprove, Cuts: []Cut{c.cut}}); !hasField(err, c.field) || p.State != StateSubmitted || p.ApprovedFen != 0 {
			t.Errorf("cut %+v: %v (state %s)", c.cut, err, p.State)
		}
	}
	if err := p.ApplyReview(Review{Action: ActApprove, Cuts: []Cut{{LineID: 1, ApprovedFen: 1_500_000, Reason: "师资费超标准"}, {LineID: 3, ApprovedFen: 500_000}}}); err != nil {
		t.Fatal(err)
	}
	if p.State != StateApproved || p.ApprovedFen != 1_500_000+1_000_000+500_000 || p.RequestedFen != 3_500_000 || p.Projects[0].ApprovedFen != 2_500_000 {
		t.Fatalf("approved with cuts: %+v", p)
	}
}

func hasField(err error, field string) bool {
	var fs errs.Fields
	_ = fs.Merge(err)
	return fs.Has(field)
}

func TestCap(t *testing.T) {
	if got := CapFen(500_000_000_00, 0.03); got != 15_000_000_00 {
		t.Fatalf("3%% of ¥500,000,000: %d", got)
	}
	if got := CapFen(333, 0.03); got != 9 { // 9.99 fen: down
		t.Fatalf("rounding: %d", got)
	}
	if got := CapFen(1_000_000, 0.035); got != 35_000 {
		t.Fatalf("3.5%%: %d", got)
	}
	if got := CapFen(0, 0.03); got != 0 {
		t.Fatalf("no income: %d", got)
	}
	// exactly at the cap passes, one fen over is refused with the figures
	if err := CheckCap(2026, 1000_00, 600_00, 400_00); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
	err := CheckCap(2026, 1000_00, 600_00, 400_01)
	fe, _ := errs.First(err)
	if fe.Field != "approved_fen" || fe.Code != "over_cap" {
		t.Fatalf("one fen over: %v", err)
	}
	for _, fig := range []string{"¥1,000.00", "¥600.00", "¥400.01", "¥0.01", "2026"} {
		if !strings.Contains(fe.Message, fig) {
			t.Errorf("message %q lacks %s", fe.Message, fig)
		}
	}
}

func TestRate(t *testing.T) {
	if err := CheckRate(0.03, 0.03, ""); err != nil {
		t.Fatal(err)
	}
	if err := CheckRate(0.02, 0.03, ""); err != nil {
		t.Fatal(err)
	}
	if err := CheckRate(0.04, 0.03, ""); !hasField(err, "approval_doc") {
		t.Fatalf("raised without a document: %v", err)
	}
	if err := CheckRate(0.04, 0.03, "鲁人社字〔2025〕12号"); err != nil {
		t.Fatal(err)
	}
	if err := CheckRate(0, 0.03, ""); !hasField(err, "cap_rate") {
		t.Fatal(err)
	}
	if Percent(0.035) != "3.5%" || Percent(0.03) != "3%" {
		t.Fatal(Percent(0.035), Percent(0.03))
	}
}

func approved(t *testing.T) AnnualPlan {
	p := submitted()
	if err := p.ApplyReview(Review{Action: ActApprove}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChange(t *testing.T) {
	r := ref(t)
	p := submitted()
	if err := p.ApplyChange(Change{Reason: "x", Ops: []ChangeOp{{Op: OpSchedule, ProjectID: 10, Sessions: 2, Attendance: 10}}}, r); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a change to a plan not approved: %v", err)
	}
	p = approved(t)
	add := Project{Kind: KindTraining, Title: "建筑施工班组长培训", Industry: "47", Audience: []string{"班组长"}, Sessions: 2, Attendance: 100,
		ProviderKind: "expert", Provider: "王工", Lines: []BudgetLine{{Item: "讲课费", RequestedFen: 300_000}}}
	c := Change{Reason: "新增建筑业培训，调整宣传预算", Ops: []ChangeOp{
		{Op: OpAddProject, Project: &add},
		{Op: OpMove, FromLine: 2, ToLine: 3, AmountFen: 200_000},
		{Op: OpSchedule, ProjectID: 10, Sessions: 5, Attendance: 500},
	}}
	before := p.ApprovedFen
	if err := p.ApplyChange(c, r); err != nil {
		t.Fatal(err)
	}
	if p.ApprovedFen != before+300_000 || len(p.Projects) != 3 || p.Projects[2].Seq != 3 || p.Projects[2].Lines[0].ApprovedFen != 300_000 {
		t.Fatalf("after the change: %+v", p)
	}
	if p.Projects[0].Lines[1].ApprovedFen != 800_000 || p.Projects[1].Lines[0].ApprovedFen != 700_000 || p.Projects[0].Sessions != 5 {
		t.Fatalf("move and schedule: %+v", p.Projects)
	}
	// cancelling keeps what was paid; bad ops refuse the whole request
	p.Projects[1].Lines[0].PaidFen = 100
	bad := Change{Reason: "撤销", Ops: []ChangeOp{{Op: OpCancelProject, ProjectID: 10}, {Op: OpMove, FromLine: 3, ToLine: 1, AmountFen: 700_000}}}
	snap := p.ApprovedFen
	if err := p.ApplyChange(bad, r); !hasField(err, "ops[1].to_line") || p.ApprovedFen != snap || p.Projects[0].State != "planned" {
		t.Fatalf("a bad move refused whole: %v %+v", err, p)
	}
	if err := p.ApplyChange(Change{Reason: "调整", Ops: []ChangeOp{{Op: OpMove, FromLine: 3, ToLine: 2, AmountFen: 700_000}}}, r); !hasField(err, "ops[0].amount_fen") {
		t.Fatalf("moving paid money: %v", err)
	}
	if err := p.ApplyChange(Change{Reason: "撤销", Ops: []ChangeOp{{Op: OpCancelProject, ProjectID: 11}}}, r); !hasField(err, "ops[0].project_id") {
		t.Fatalf("cancelling a project with a payment: %v", err)
	}
	if err := p.ApplyChange(Change{Reason: "撤销", Ops: []ChangeOp{{Op: OpCancelProject, ProjectID: 10}}}, r); err != nil {
		t.Fatal(err)
	}
	if p.Projects[0].State != "cancelled" || p.ApprovedFen != 700_000+300_000 {
		t.Fatalf("cancelled: %+v", p)
	}
	for _, c := range []struct {
		op    ChangeOp
		field string
	}{
		{ChangeOp{Op: "grow"}, "ops[0].op"},
		{ChangeOp{Op: OpAddProject}, "ops[0].project"},
		{ChangeOp{Op: OpAddProject, Project: &Project{Kind: KindTraining}}, "ops[0].project.title"},
		{ChangeOp{Op: OpSchedule, ProjectID: 77}, "ops[0].project_id"},
		{ChangeOp{Op: OpSchedule, ProjectID: 10, Sessions: 1, Attendance: 1}, "ops[0].project_id"}, // cancelled
		{ChangeOp{Op: OpMove, FromLine: 3, ToLine: 3, AmountFen: 1}, "ops[0].to_line"},
		{ChangeOp{Op: OpMove, FromLine: 1, ToLine: 3, AmountFen: 1}, "ops[0].from_line"}, // from a cancelled project
	} {
		if err := p.ApplyChange(Change{Reason: "r", Ops: []ChangeOp{c.op}}, r); !hasField(err, c.field) {
			t.Errorf("%+v: want %s, got %v", c.op, c.field, err)
		}
	}
	if err := p.ApplyChange(Change{Ops: []ChangeOp{{Op: OpSchedule, ProjectID: 11}}}, r); !hasField(err, "reason") {
		t.Errorf("no reason: %v", err)
	}
}
