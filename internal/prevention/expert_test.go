package prevention

import (
	"strings"
	"testing"

	"gongshang/internal/errs"
)

func validExpert() Expert {
	return Expert{Name: "王建国", Specialty: SpecialtyHazchem, Department: DeptEmergency, Title: "高级工程师",
		Qualifications: "注册安全工程师", Employer: "济宁市化工研究院", Status: ExpertActive}
}

// fieldOf is the first field and code of err ("" when none).
func fieldOf(err error) (string, string) {
	f, ok := errs.First(err)
	if !ok {
		return "", ""
	}
	return f.Field, f.Code
}

func TestExpertValidate(t *testing.T) {
	tests := []struct {
		name         string
		edit         func(*Expert)
		field, code  string
		wantAllValid bool
	}{
		{"valid", func(*Expert) {}, "", "", true},
		{"qualification only", func(e *Expert) { e.Title = "" }, "", "", true},
		{"title only", func(e *Expert) { e.Qualifications = "" }, "", "", true},
		{"no name", func(e *Expert) { e.Name = "  " }, "name", "required", false},
		{"long name", func(e *Expert) { e.Name = strings.Repeat("王", MaxExpertName+1) }, "name", "too_long", false},
		{"digits in name", func(e *Expert) { e.Name = "王建国2" }, "name", "format", false},
		{"unknown specialty", func(e *Expert) { e.Specialty = "cooking" }, "specialty", "choice", false},
		{"no department", func(e *Expert) { e.Department = "" }, "department", "choice", false},
		{"neither title nor qualification", func(e *Expert) { e.Title, e.Qualifications = "", " " }, "title", "required", false},
		{"long title", func(e *Expert) { e.Title = strings.Repeat("高", MaxExpertTitle+1) }, "title", "too_long", false},
		{"long qualifications", func(e *Expert) { e.Qualifications = strings.Repeat("资", MaxQualifications+1) }, "qualifications", "too_long", false},
		{"long employer", func(e *Expert) { e.Employer = strings.Repeat("单", MaxExpertEmployer+1) }, "employer", "too_long", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validExpert()
			tt.edit(&e)
			e.Normalize()
			err := e.Validate()
			if tt.wantAllValid {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Validate = %v, want Invalid", err)
			}
			if f, c := fieldOf(err); f != tt.field || c != tt.code {
				t.Fatalf("first field %s/%s, want %s/%s (%v)", f, c, tt.field, tt.code, err)
			}
		})
	}
}

func TestExpertNormalize(t *testing.T) {
	e := Expert{Name: "  王  建国 ", Title: " 高级  工程师", Employer: " 济宁  化工 ", Specialty: " mining ", Department: " union"}
	e.Normalize()
	if e.Name != "王 建国" || e.Title != "高级 工程师" || e.Employer != "济宁 化工" || e.Specialty != SpecialtyMining || e.Department != DeptUnion {
		t.Fatalf("Normalize: %+v", e)
	}
}

func TestNamesCoverLists(t *testing.T) {
	for _, s := range Specialties {
		if !s.Valid() || s.Name() == string(s) {
			t.Errorf("specialty %s has no name", s)
		}
	}
	if len(Specialties) != len(specialtyNames) {
		t.Errorf("%d specialties listed, %d named", len(Specialties), len(specialtyNames))
	}
	for _, d := range Departments {
		if !d.Valid() || d.Name() == string(d) {
			t.Errorf("department %s has no name", d)
		}
	}
	if len(Departments) != len(departmentNames) {
		t.Errorf("%d departments listed, %d named", len(Departments), len(departmentNames))
	}
	for _, want := range []string{"安全生产", "职业病防治", "危险化学品", "建筑施工", "矿山", "交通运输", "工伤保险政策"} {
		found := false
		for _, s := range Specialties {
			found = found || s.Name() == want
		}
		if !found {
			t.Errorf("no specialty %s", want)
		}
	}
}

func TestTransition(t *testing.T) {
	tests := []struct {
		from, to ExpertStatus
		reason   string
		kind     errs.Kind // "" when allowed
		field    string
	}{
		{ExpertActive, ExpertSuspended, "授课评估连续两次低于60分", "", ""},
		{ExpertSuspended, ExpertActive, "课件修改后重新论证通过", "", ""},
		{ExpertActive, ExpertRemoved, "本人申请退出", "", ""},
		{ExpertSuspended, ExpertRemoved, "调离本市", "", ""},
		{ExpertActive, ExpertSuspended, "  ", errs.Invalid, "reason"},
		{ExpertSuspended, ExpertRemoved, "", errs.Invalid, "reason"},
		{ExpertActive, ExpertSuspended, strings.Repeat("因", MaxStatusReason+1), errs.Invalid, "reason"},
		{ExpertActive, ExpertActive, "重复", errs.Conflict, ""},
		{ExpertRemoved, ExpertActive, "重新入库", errs.Conflict, ""},
		{ExpertRemoved, ExpertSuspended, "x", errs.Conflict, ""},
		{ExpertActive, "retired", "x", errs.Invalid, "status"},
	}
	for _, tt := range tests {
		t.Run(string(tt.from)+"→"+string(tt.to), func(t *testing.T) {
			err := Transition(tt.from, tt.to, tt.reason)
			if tt.kind == "" {
				if err != nil {
					t.Fatalf("Transition = %v", err)
				}
				return
			}
			if !errs.Is(err, tt.kind) {
				t.Fatalf("Transition = %v, want %s", err, tt.kind)
			}
			if f, _ := fieldOf(err); f != tt.field {
				t.Fatalf("field %q, want %q", f, tt.field)
			}
		})
	}
	// NextStatuses agrees with Transition
	for _, from := range ExpertStatuses {
		next := NextStatuses(from)
		for _, to := range ExpertStatuses {
			allowed := Transition(from, to, "原因") == nil
			listed := false
			for _, n := range next {
				listed = listed || n == to
			}
			if allowed != listed {
				t.Errorf("%s→%s: Transition allows %v, NextStatuses lists %v", from, to, allowed, listed)
			}
		}
	}
}

func TestMayTeach(t *testing.T) {
	for s, want := range map[ExpertStatus]bool{ExpertActive: true, ExpertSuspended: false, ExpertRemoved: false, "": false} {
		if MayTeach(s) != want {
			t.Errorf("MayTeach(%q) = %v", s, !want)
		}
	}
	e := validExpert()
	if err := TeachError(e); err != nil {
		t.Fatalf("active: %v", err)
	}
	e.Status, e.StatusReason = ExpertSuspended, "课件未通过论证"
	err := TeachError(e)
	f, ok := errs.First(err)
	if !ok || f.Field != "expert_id" || f.Message != "专家王建国暂停，不能安排新的培训（原因：课件未通过论证）" {
		t.Fatalf("suspended: %+v", f)
	}
	e.Status = ExpertRemoved
	if f, _ := fieldOf(TeachError(e)); f != "expert_id" {
		t.Fatalf("removed: %v", TeachError(e))
	}
}

func TestCoursewareRules(t *testing.T) {
	if got := NormalizeTopic("  化工企业  工伤预防 "); got != "化工企业 工伤预防" {
		t.Fatalf("NormalizeTopic = %q", got)
	}
	if f, c := fieldOf(ValidTopic("")); f != "topic" || c != "required" {
		t.Fatalf("empty topic: %s %s", f, c)
	}
	if f, c := fieldOf(ValidTopic(strings.Repeat("课", MaxCoursewareTopic+1))); f != "topic" || c != "too_long" {
		t.Fatalf("long topic: %s %s", f, c)
	}
	if ValidTopic("危险化学品储存安全") != nil {
		t.Fatal("good topic refused")
	}
	e := validExpert()
	e.Status = ExpertSuspended
	if MaySubmitCourseware(e) != nil {
		t.Fatal("a suspended expert may submit a revision")
	}
	e.Status = ExpertRemoved
	if !errs.Is(MaySubmitCourseware(e), errs.Conflict) {
		t.Fatal("a removed expert submitted courseware")
	}
	tests := []struct {
		state   CoursewareState
		approve bool
		note    string
		kind    errs.Kind
	}{
		{CoursewareSubmitted, true, "", ""},
		{CoursewareSubmitted, false, "案例陈旧，请补充本市近年事故案例", ""},
		{CoursewareSubmitted, false, " ", errs.Invalid},
		{CoursewareSubmitted, true, strings.Repeat("意", MaxReviewNote+1), errs.Invalid},
		{CoursewareApproved, true, "", errs.Conflict},
		{CoursewareRejected, true, "", errs.Conflict},
		{CoursewareSuperseded, false, "x", errs.Conflict},
	}
	for _, tt := range tests {
		err := CheckCoursewareReview(tt.state, tt.approve, tt.note)
		if tt.kind == "" && err != nil || tt.kind != "" && !errs.Is(err, tt.kind) {
			t.Errorf("CheckCoursewareReview(%s, %v, %q) = %v, want %q", tt.state, tt.approve, tt.note, err, tt.kind)
		}
	}
}

func TestAverageScore(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	if avg, n := AverageScore(nil); avg != 0 || n != 0 {
		t.Fatalf("none: %v %d", avg, n)
	}
	if avg, n := AverageScore([]*float64{f(90), nil, f(75), f(60)}); avg != 75 || n != 3 {
		t.Fatalf("three scored: %v %d", avg, n)
	}
}
