package storetest

import (
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
)

func cityPrevention() access.Principal { return Actor(access.RolePrevention, "370800") }
func insurerStaff() access.Principal   { return Actor(access.RoleInsurer, "370800") }

// setYear sets 济宁's 2026 year with last year's income (the cap is 3 % of it).
func setYear(t *testing.T, s *store.Store, incomeFen int64) store.PreventionYear {
	t.Helper()
	y, err := s.SetPreventionYear(ctx, cityPrevention(), params(t), "370800", 2026, incomeFen, 0, "", 0)
	if err != nil {
		t.Fatalf("SetPreventionYear: %v", err)
	}
	return y
}

func trainingProject(lines ...int64) prevention.Project {
	p := prevention.Project{Kind: prevention.KindTraining, Title: "危险化学品企业安全管理人员培训", Programme: "危险化学品", Industry: "26",
		Audience: []string{"安全管理负责人", "班组长"}, Enterprises: []string{CreditCode("370811")}, Sessions: 4, Attendance: 400,
		ProviderKind: "insurer", Provider: "合作保险机构济宁分公司"}
	for i, fen := range lines {
		p.Lines = append(p.Lines, prevention.BudgetLine{Item: []string{"师资费", "场地费", "资料费", "宣传品"}[i], RequestedFen: fen})
	}
	return p
}

// submittedPlan drafts region's 2026 plan with one project of lines and
// submits it (as the insurer's staff, who may).
func submittedPlan(t *testing.T, s *store.Store, region string, lines ...int64) store.Plan {
	t.Helper()
	return submittedPlanOf(t, s, region, 2026, lines...)
}

func submittedPlanOf(t *testing.T, s *store.Store, region string, year int, lines ...int64) store.Plan {
	t.Helper()
	p, err := s.CreatePlan(ctx, insurerStaff(), region, year)
	if err != nil {
		t.Fatalf("CreatePlan: %v", err)
	}
	if p, err = s.SavePlanProject(ctx, insurerStaff(), p.ID, p.Version, trainingProject(lines...)); err != nil {
		t.Fatalf("SavePlanProject: %v", err)
	}
	if p, err = s.SubmitPlan(ctx, insurerStaff(), p.ID, p.Version, "2026年度工伤预防培训计划"); err != nil {
		t.Fatalf("SubmitPlan: %v", err)
	}
	return p
}

func approvePlan(s *store.Store, p store.Plan, cuts ...prevention.Cut) (store.Plan, error) {
	return s.ReviewPlan(ctx, cityPrevention(), p.ID, p.Version, prevention.Review{Action: prevention.ActApprove, Note: "同意", Cuts: cuts})
}

func fieldOf(err error) errs.FieldError { fe, _ := errs.First(err); return fe }

func testPreventionYearRate(t *testing.T, s *store.Store, _ *Clock) {
	set := params(t)
	// a county sets no year; the insurer neither
	for _, a := range []access.Principal{Actor(access.RolePrevention, "370811"), insurerStaff()} {
		if _, err := s.SetPreventionYear(ctx, a, set, "370800", 2026, 100_000_000, 0, "", 0); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("%s sets the year: %v", a.Username, err)
		}
	}
	if _, err := s.SetPreventionYear(ctx, cityPrevention(), set, "370811", 2026, 100_000_000, 0, "", 0); fieldOf(err).Field != "region_code" {
		t.Fatalf("a county's year: %v", err)
	}
	// raising the share needs the provincial approval's number
	if _, err := s.SetPreventionYear(ctx, cityPrevention(), set, "370800", 2026, 100_000_000, 0.04, "", 0); fieldOf(err).Field != "approval_doc" {
		t.Fatalf("a raised rate without a document: %v", err)
	}
	y := setYear(t, s, 100_000_000)
	if y.CapRate != 0.03 || y.CapFen != 3_000_000 || y.RemainingFen != 3_000_000 || y.Version != 1 {
		t.Fatalf("the year: %+v", y)
	}
	if _, err := s.SetPreventionYear(ctx, cityPrevention(), set, "370800", 2026, 100_000_000, 0.04, "鲁人社字〔2026〕8号", 0); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a stale version: %v", err)
	}
	y, err := s.SetPreventionYear(ctx, cityPrevention(), set, "370800", 2026, 100_000_000, 0.04, "鲁人社字〔2026〕8号", y.Version)
	if err != nil || y.CapFen != 4_000_000 || y.ApprovalDoc != "鲁人社字〔2026〕8号" {
		t.Fatalf("raised with a document: %+v %v", y, err)
	}
	// a county's user reads the city's year
	got, err := s.FindPreventionYear(ctx, Actor(access.RolePrevention, "370881"), set, "370881", 2026)
	if err != nil || got.CapFen != 4_000_000 || got.StdRate != 0.03 || !got.Set() {
		t.Fatalf("FindPreventionYear: %+v %v", got, err)
	}
	// a plan approved for ¥30,000: the cap cannot go below it
	p := submittedPlan(t, s, "370811", 3_000_000)
	if _, err := approvePlan(s, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPreventionYear(ctx, cityPrevention(), set, "370800", 2026, 90_000_000, 0.03, "", y.Version); fieldOf(err).Code != "below_approved" {
		t.Fatalf("the cap below what is approved: %v", err)
	}
	auditHas(t, s, "prevention.year.set", 2)
}

func testPreventionPlanFlow(t *testing.T, s *store.Store, _ *Clock) {
	setYear(t, s, 100_000_000)
	p := submittedPlan(t, s, "370811", 1_000_000, 500_000)
	if p.State != prevention.StateSubmitted || p.Revision != 1 || p.RequestedFen != 1_500_000 || len(p.Projects) != 1 || len(p.Projects[0].Lines) != 2 {
		t.Fatalf("submitted: %+v", p)
	}
	// neither the insurer's staff nor the county approves
	for _, a := range []access.Principal{insurerStaff(), Actor(access.RolePrevention, "370811")} {
		if _, err := s.ReviewPlan(ctx, a, p.ID, p.Version, prevention.Review{Action: prevention.ActApprove}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("%s approves: %v", a.Username, err)
		}
	}
	// a submitted plan is not edited
	if _, err := s.SavePlanProject(ctx, insurerStaff(), p.ID, p.Version, trainingProject(1)); !errs.Is(err, errs.Conflict) {
		t.Fatalf("editing a submitted plan: %v", err)
	}
	if _, err := s.ReviewPlan(ctx, cityPrevention(), p.ID, p.Version, prevention.Review{Action: prevention.ActReturn}); fieldOf(err).Field != "note" {
		t.Fatalf("a return without comments: %v", err)
	}
	p, err := s.ReviewPlan(ctx, cityPrevention(), p.ID, p.Version, prevention.Review{Action: prevention.ActReturn, Note: "请补充目标企业名单"})
	if err != nil || p.State != prevention.StateReturned {
		t.Fatalf("returned: %+v %v", p, err)
	}
	// the county edits it (a stale version refused), then submits again
	pr := p.Projects[0]
	pr.Enterprises = append(pr.Enterprises, CreditCode("370811"))
	pr.Lines = append(pr.Lines, prevention.BudgetLine{Item: "资料费", RequestedFen: 200_000})
	if _, err := s.SavePlanProject(ctx, Actor(access.RolePrevention, "370811"), p.ID, p.Version-1, pr); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a stale edit: %v", err)
	}
	bad := pr
	bad.Lines = []prevention.BudgetLine{{Item: "师资费", RequestedFen: 0}}
	if _, err := s.SavePlanProject(ctx, Actor(access.RolePrevention, "370811"), p.ID, p.Version, bad); fieldOf(err).Field != "lines[0].requested_fen" {
		t.Fatalf("a zero line: %v", err)
	}
	if p, err = s.SavePlanProject(ctx, Actor(access.RolePrevention, "370811"), p.ID, p.Version, pr); err != nil {
		t.Fatal(err)
	}
	if p.RequestedFen != 1_700_000 || len(p.Projects[0].Enterprises) != 2 {
		t.Fatalf("edited: %+v", p)
	}
	if p, err = s.SubmitPlan(ctx, Actor(access.RolePrevention, "370811"), p.ID, p.Version, "已补充"); err != nil || p.Revision != 2 {
		t.Fatalf("resubmitted: %+v %v", p, err)
	}
	// approved with a cut: the cut needs its reason
	l := p.Projects[0].Lines[1]
	if _, err := approvePlan(s, p, prevention.Cut{LineID: l.ID, ApprovedFen: 300_000}); fieldOf(err).Field != "cuts[0].reason" {
		t.Fatalf("a cut without a reason: %v", err)
	}
	p, err = approvePlan(s, p, prevention.Cut{LineID: l.ID, ApprovedFen: 300_000, Reason: "场地可由企业提供"})
	if err != nil || p.State != prevention.StateApproved || p.ApprovedFen != 1_500_000 {
		t.Fatalf("approved with a cut: %+v %v", p, err)
	}
	got, err := s.FindPlan(ctx, Actor(access.RolePrevention, "370811"), p.ID)
	if err != nil || got.ApprovedFen != 1_500_000 || got.Projects[0].ApprovedFen != 1_500_000 || got.Projects[0].Lines[1].ApprovedFen != 300_000 {
		t.Fatalf("read back: %+v %v", got, err)
	}
	// frozen: no edit, no submission
	if _, err := s.SavePlanProject(ctx, insurerStaff(), p.ID, p.Version, pr); !errs.Is(err, errs.Conflict) {
		t.Fatalf("editing an approved plan: %v", err)
	}
	if _, err := s.SubmitPlan(ctx, insurerStaff(), p.ID, p.Version, ""); !errs.Is(err, errs.Conflict) {
		t.Fatalf("submitting an approved plan: %v", err)
	}
	// every step kept with the plan as it stood
	reviews, err := s.PlanReviews(ctx, p.ID)
	if err != nil || len(reviews) != 4 {
		t.Fatalf("reviews: %+v %v", reviews, err)
	}
	for i, want := range []string{"submit", "return", "submit", "approve"} {
		if reviews[i].Action != want {
			t.Errorf("review %d: %s, want %s", i, reviews[i].Action, want)
		}
	}
	if reviews[0].Snapshot.RequestedFen != 1_500_000 || len(reviews[0].Snapshot.Projects[0].Lines) != 2 || reviews[3].Snapshot.ApprovedFen != 1_500_000 ||
		len(reviews[3].Cuts) != 1 || reviews[1].Note != "请补充目标企业名单" || reviews[3].Role != string(access.RolePrevention) {
		t.Fatalf("snapshots: %+v", reviews)
	}
	y, err := s.FindPreventionYear(ctx, cityPrevention(), params(t), "370800", 2026)
	if err != nil || y.ApprovedFen != 1_500_000 || y.RemainingFen != 1_500_000 {
		t.Fatalf("the year after: %+v %v", y, err)
	}
	auditHas(t, s, "prevention.plan.create", 1)
	auditHas(t, s, "prevention.plan.submit", 2)
	auditHas(t, s, "prevention.plan.approve", 1)
	auditHas(t, s, "prevention.plan.return", 1)
	// one plan per county and year
	if _, err := s.CreatePlan(ctx, insurerStaff(), "370811", 2026); fieldOf(err).Code != "duplicate" {
		t.Fatalf("a second plan: %v", err)
	}
}

func testPreventionPlanOverCap(t *testing.T, s *store.Store, _ *Clock) {
	setYear(t, s, 100_000_000) // cap ¥30,000.00
	a := submittedPlan(t, s, "370811", 2_000_000)
	if _, err := approvePlan(s, a); err != nil {
		t.Fatal(err)
	}
	b := submittedPlan(t, s, "370881", 1_000_001)
	_, err := approvePlan(s, b)
	fe := fieldOf(err)
	if fe.Code != "over_cap" {
		t.Fatalf("over the cap: %v", err)
	}
	for _, fig := range []string{"¥30,000.00", "¥20,000.00", "¥10,000.01", "¥0.01"} {
		if !strings.Contains(fe.Message, fig) {
			t.Errorf("the refusal %q lacks %s", fe.Message, fig)
		}
	}
	after, err := s.FindPlan(ctx, cityPrevention(), b.ID)
	if err != nil || after.State != prevention.StateSubmitted || after.Version != b.Version || after.ApprovedFen != 0 || after.Projects[0].Lines[0].ApprovedFen != 0 {
		t.Fatalf("the refused plan changed: %+v %v", after, err)
	}
	// cut by one fen it fits exactly
	if _, err := approvePlan(s, b, prevention.Cut{LineID: b.Projects[0].Lines[0].ID, ApprovedFen: 1_000_000, Reason: "以上限为准"}); err != nil {
		t.Fatalf("exactly at the cap: %v", err)
	}
	y, _ := s.FindPreventionYear(ctx, cityPrevention(), params(t), "370800", 2026)
	if y.RemainingFen != 0 {
		t.Fatalf("remaining: %+v", y)
	}
	// a plan of a year whose budget is not set is not approved
	c, err := s.CreatePlan(ctx, insurerStaff(), "370811", 2027)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = s.SavePlanProject(ctx, insurerStaff(), c.ID, c.Version, trainingProject(1))
	c, _ = s.SubmitPlan(ctx, insurerStaff(), c.ID, c.Version, "")
	if _, err := approvePlan(s, c); fieldOf(err).Code != "unset" {
		t.Fatalf("a year not set: %v", err)
	}
}

// Four counties' plans approved at once, each within the cap alone, only
// one of them together: one passes, the others are refused with the
// figures — in each of several years (rounds).
func testPreventionPlanConcurrentCap(t *testing.T, s *store.Store, _ *Clock) {
	counties := []string{"370811", "370812", "370881", "370883"}
	for year := 2026; year < 2031; year++ {
		if _, err := s.SetPreventionYear(ctx, cityPrevention(), params(t), "370800", year, 100_000_000, 0, "", 0); err != nil {
			t.Fatal(err)
		}
		var plans []store.Plan
		for _, c := range counties {
			plans = append(plans, submittedPlanOf(t, s, c, year, 2_000_000))
		}
		results := together(len(plans), func(i int) error { _, err := approvePlan(s, plans[i]); return err })
		ok := 0
		for _, err := range results {
			if err == nil {
				ok++
			} else if fieldOf(err).Code != "over_cap" {
				t.Fatalf("the losing approval: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d: %d approvals passed, want 1: %v", year, ok, results)
		}
		y, err := s.FindPreventionYear(ctx, cityPrevention(), params(t), "370800", year)
		if err != nil || y.ApprovedFen != 2_000_000 {
			t.Fatalf("approved after the race: %+v %v", y, err)
		}
	}
}

func testPreventionPlanChange(t *testing.T, s *store.Store, _ *Clock) {
	setYear(t, s, 100_000_000)
	p, err := approvePlan(s, submittedPlan(t, s, "370811", 1_000_000, 500_000))
	if err != nil {
		t.Fatal(err)
	}
	add := prevention.Project{Kind: prevention.KindPublicity, Title: "工伤预防微电影", ProviderKind: "organisation", Provider: "济宁某传媒公司",
		Lines: []prevention.BudgetLine{{Item: "制作费", RequestedFen: 400_000}}}
	lines := p.Projects[0].Lines
	c := prevention.Change{Reason: "增加宣传项目，场地费调入师资费", Ops: []prevention.ChangeOp{
		{Op: prevention.OpAddProject, Project: &add},
		{Op: prevention.OpMove, FromLine: lines[1].ID, ToLine: lines[0].ID, AmountFen: 100_000},
		{Op: prevention.OpSchedule, ProjectID: p.Projects[0].ID, Sessions: 6, Attendance: 600},
	}}
	// a bad op refuses the request whole, naming it
	bad := c
	bad.Ops = append(append([]prevention.ChangeOp(nil), c.Ops...), prevention.ChangeOp{Op: prevention.OpMove, FromLine: lines[1].ID, ToLine: lines[0].ID, AmountFen: 900_000})
	if _, err := s.RequestPlanChange(ctx, insurerStaff(), p.ID, bad); fieldOf(err).Field != "ops[3].amount_fen" {
		t.Fatalf("a move beyond the line: %v", err)
	}
	ch, err := s.RequestPlanChange(ctx, insurerStaff(), p.ID, c)
	if err != nil || ch.State != "pending" || ch.DeltaFen != 400_000 {
		t.Fatalf("requested: %+v %v", ch, err)
	}
	if _, err := s.RequestPlanChange(ctx, insurerStaff(), p.ID, c); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second pending request: %v", err)
	}
	if _, err := s.DecidePlanChange(ctx, insurerStaff(), ch.ID, ch.Version, true, ""); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer approves a change: %v", err)
	}
	if _, err := s.DecidePlanChange(ctx, cityPrevention(), ch.ID, ch.Version, false, ""); fieldOf(err).Field != "note" {
		t.Fatalf("a rejection without a note: %v", err)
	}
	if _, err := s.DecidePlanChange(ctx, cityPrevention(), ch.ID, ch.Version+1, true, ""); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a stale decision: %v", err)
	}
	ch, err = s.DecidePlanChange(ctx, cityPrevention(), ch.ID, ch.Version, true, "同意")
	if err != nil || ch.State != "approved" || ch.DecidedAt == nil {
		t.Fatalf("approved: %+v %v", ch, err)
	}
	got, err := s.FindPlan(ctx, cityPrevention(), p.ID)
	if err != nil || got.ApprovedFen != 1_900_000 || len(got.Projects) != 2 || got.Projects[1].ID == 0 || got.Projects[1].Seq != 2 ||
		got.Projects[0].Lines[0].ApprovedFen != 1_100_000 || got.Projects[0].Lines[1].ApprovedFen != 400_000 || got.Projects[0].Sessions != 6 ||
		got.Projects[1].Lines[0].ApprovedFen != 400_000 || got.State != prevention.StateApproved {
		t.Fatalf("after the change: %+v %v", got, err)
	}
	// a change adding more than the cap leaves is refused at the decision,
	// and a rejection leaves the plan as it was
	big := prevention.Change{Reason: "扩大培训", Ops: []prevention.ChangeOp{{Op: prevention.OpAddProject, Project: &prevention.Project{
		Kind: prevention.KindTraining, Title: "建筑施工企业班组长培训", Industry: "47", Audience: []string{"班组长"}, Sessions: 10, Attendance: 1000,
		ProviderKind: "expert", Provider: "专家库讲师", Lines: []prevention.BudgetLine{{Item: "讲课费", RequestedFen: 1_100_001}}}}}}
	ch2, err := s.RequestPlanChange(ctx, Actor(access.RolePrevention, "370811"), p.ID, big)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DecidePlanChange(ctx, cityPrevention(), ch2.ID, ch2.Version, true, "")
	if fe := fieldOf(err); fe.Code != "over_cap" || !strings.Contains(fe.Message, "¥0.01") {
		t.Fatalf("a change over the cap: %v", err)
	}
	if ch2, err = s.DecidePlanChange(ctx, cityPrevention(), ch2.ID, ch2.Version, false, "超出年度预算"); err != nil || ch2.State != "rejected" {
		t.Fatalf("rejected: %+v %v", ch2, err)
	}
	again, _ := s.FindPlan(ctx, cityPrevention(), p.ID)
	if again.ApprovedFen != 1_900_000 || len(again.Projects) != 2 || again.Version != got.Version {
		t.Fatalf("the rejected change touched the plan: %+v", again)
	}
	changes, err := s.PlanChanges(ctx, p.ID)
	if err != nil || len(changes) != 2 {
		t.Fatalf("changes: %+v %v", changes, err)
	}
	reviews, _ := s.PlanReviews(ctx, p.ID)
	if last := reviews[len(reviews)-1]; last.Action != "change" || last.Snapshot.ApprovedFen != 1_900_000 {
		t.Fatalf("the change's snapshot: %+v", last)
	}
	auditHas(t, s, "prevention.change.request", 2)
	auditHas(t, s, "prevention.change.approve", 1)
	auditHas(t, s, "prevention.change.reject", 1)
	auditHas(t, s, "prevention.plan.change", 1)
}

func testPreventionPlanScope(t *testing.T, s *store.Store, _ *Clock) {
	rc := submittedPlan(t, s, "370811", 100_000)
	qf := submittedPlan(t, s, "370881", 100_000)
	qfUser := Actor(access.RolePrevention, "370881")
	if _, err := s.FindPlan(ctx, qfUser, rc.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜 reads 任城's plan: %v", err)
	}
	if _, err := s.SavePlanProject(ctx, qfUser, rc.ID, rc.Version, trainingProject(1)); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜 edits 任城's plan: %v", err)
	}
	if _, err := s.RequestPlanChange(ctx, qfUser, rc.ID, prevention.Change{Reason: "x"}); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜 changes 任城's plan: %v", err)
	}
	if _, err := s.CreatePlan(ctx, qfUser, "370811", 2027); fieldOf(err).Code != "region_forbidden" {
		t.Fatalf("曲阜 opens 任城's plan: %v", err)
	}
	list, err := s.Plans(ctx, qfUser.Scope(), 2026)
	if err != nil || len(list) != 1 || list[0].ID != qf.ID {
		t.Fatalf("曲阜's list: %+v %v", list, err)
	}
	all, err := s.Plans(ctx, cityPrevention().Scope(), 0)
	if err != nil || len(all) != 2 {
		t.Fatalf("the city's list: %+v %v", all, err)
	}
	// the county's user cannot approve its own plan
	if _, err := s.ReviewPlan(ctx, qfUser, qf.ID, qf.Version, prevention.Review{Action: prevention.ActApprove}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a county approves: %v", err)
	}
	// other roles do not read plans
	if _, err := s.FindPlan(ctx, Actor(access.RoleClerk, "370800"), rc.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a clerk reads a plan: %v", err)
	}
}

func testPreventionIndustries(t *testing.T, s *store.Store, _ *Clock) {
	// 任城: two recognised injuries in division 34 (each of its own
	// employer), three more insured workers of the division
	MustRecognisedCase(t, s, "370811")
	MustRecognisedCase(t, s, "370811")
	e := MustEmployer(t, s, "370811")
	for _, n := range []string{"甲", "乙", "丙"} {
		MustWorker(t, s, e, "职工"+n)
	}
	// 曲阜: one case, only opened (no decision): no injury counted
	MustCase(t, s, "370881")
	rows, err := s.IndustryRates(ctx, cityPrevention(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Region != "370811" || rows[0].Division != "34" || rows[0].Injuries != 2 || rows[0].Insured != 5 || rows[0].PerMille != 400_000 || rows[0].PrevRated && rows[0].PrevInjuries != 0 {
		t.Fatalf("ranking: %+v", rows)
	}
	if rows, _ := s.IndustryRates(ctx, Actor(access.RolePrevention, "370881"), 2026); len(rows) != 0 {
		t.Fatalf("曲阜 sees 任城's figures: %+v", rows)
	}
	// the key-enterprise candidates: the two employers with a recognised
	// injury each (one worker apiece), not the one without
	ents, err := s.KeyEnterprises(ctx, cityPrevention(), 2026, 20)
	if err != nil || len(ents) != 2 || ents[0].Injuries != 1 || ents[0].Insured != 1 || ents[0].PerMille != 1_000_000 || ents[0].CreditCode == e.CreditCode {
		t.Fatalf("key enterprises: %+v %v", ents, err)
	}
	if ents, _ := s.KeyEnterprises(ctx, Actor(access.RolePrevention, "370881"), 2026, 20); len(ents) != 0 {
		t.Fatalf("曲阜 sees 任城's enterprises: %+v", ents)
	}
	// adopted as the year's focus, with one action
	if _, err := s.AdoptFocus(ctx, insurerStaff(), params(t), "370800", 2026, 0, prevention.Focus{Divisions: []string{"34"}}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer adopts: %v", err)
	}
	if _, err := s.AdoptFocus(ctx, cityPrevention(), params(t), "370800", 2026, 0, prevention.Focus{Divisions: []string{"00"}}); fieldOf(err).Field != "divisions" {
		t.Fatalf("an unknown division: %v", err)
	}
	y, err := s.AdoptFocus(ctx, cityPrevention(), params(t), "370800", 2026, 0, prevention.Focus{Divisions: []string{"34"}, Enterprises: []string{e.CreditCode}})
	if err != nil || y.Version != 1 || len(y.Focus.Divisions) != 1 || y.Focus.AdoptedBy == "" {
		t.Fatalf("adopted: %+v %v", y, err)
	}
	got, err := s.FindPreventionYear(ctx, Actor(access.RolePrevention, "370881"), params(t), "370881", 2026)
	if err != nil || got.Focus.Divisions[0] != "34" || got.Focus.Enterprises[0] != e.CreditCode {
		t.Fatalf("the year's focus: %+v %v", got, err)
	}
	// the income set afterwards keeps the focus
	if got, err = s.SetPreventionYear(ctx, cityPrevention(), params(t), "370800", 2026, 100_000_000, 0, "", got.Version); err != nil || len(got.Focus.Divisions) != 1 {
		t.Fatalf("the year set after the focus: %+v %v", got, err)
	}
	auditHas(t, s, "prevention.year.focus", 1)
}
