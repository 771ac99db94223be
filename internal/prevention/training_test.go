package prevention

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
)

var today = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// id makes a valid ID number from 17 digits.
func id(first17 string) string { return first17 + string(registry.IDCheckChar(first17)) }

func fieldCodes(err error) []string {
	var out []string
	var e *errs.Error
	if asErr(err, &e) {
		for _, f := range e.Fields {
			out = append(out, f.Field+":"+f.Code)
		}
	}
	return out
}

func TestValidSession(t *testing.T) {
	ok := SessionInput{HeldOn: "2025-05-10", Place: "任城区会议中心", Capacity: 100, Planned: 80, Topic: "危化品安全"}
	ctx := SessionContext{PlanYear: 2025, PlanApproved: true, ProjectKind: "training", ProjectState: "planned", ExpertMayTeach: true}
	cases := []struct {
		name string
		in   func(*SessionInput, *SessionContext)
		want string // "" valid, else field:code
	}{
		{"ok", func(*SessionInput, *SessionContext) {}, ""},
		{"outside year", func(s *SessionInput, _ *SessionContext) { s.HeldOn = "2026-01-02" }, "held_on:outside_year"},
		{"bad date", func(s *SessionInput, _ *SessionContext) { s.HeldOn = "2025-02-30" }, "held_on:date"},
		{"plan not approved", func(_ *SessionInput, c *SessionContext) { c.PlanApproved = false }, "project_id:plan_not_approved"},
		{"publicity project", func(_ *SessionInput, c *SessionContext) { c.ProjectKind = "publicity" }, "project_id:not_training"},
		{"planned over capacity", func(s *SessionInput, _ *SessionContext) { s.Planned = 101 }, "planned:over_capacity"},
		{"no capacity", func(s *SessionInput, _ *SessionContext) { s.Capacity = 0 }, "capacity:range"},
		{"no place offline", func(s *SessionInput, _ *SessionContext) { s.Place = "" }, "place:required"},
		{"online needs no place", func(s *SessionInput, _ *SessionContext) { s.Place, s.Online = "", true }, ""},
		{"expert suspended", func(s *SessionInput, c *SessionContext) { s.ExpertID, c.ExpertMayTeach = 3, false }, "expert_id:expert_inactive"},
		{"no topic", func(s *SessionInput, _ *SessionContext) { s.Topic = "" }, "topic:required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, c := ok, ctx
			tc.in(&in, &c)
			got := fieldCodes(ValidSession(in, c))
			if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

func TestValidAttendee(t *testing.T) {
	good := Attendee{Name: "张三", IDNumber: id("37081119900307123"), Employer: "济宁示例化工有限公司", Audience: "班组长"}
	cases := []struct {
		name string
		edit func(*Attendee)
		want string
	}{
		{"ok", func(*Attendee) {}, ""},
		{"no name", func(a *Attendee) { a.Name = "" }, "name:required"},
		{"short id", func(a *Attendee) { a.IDNumber = "3708111990" }, "id_number:id_length"},
		{"bad checksum", func(a *Attendee) { a.IDNumber = a.IDNumber[:17] + "0"; a.IDNumber = fixWrong(a.IDNumber) }, "id_number:id_checksum"},
		{"no employer", func(a *Attendee) { a.Employer = "" }, "employer:required"},
		{"unknown audience", func(a *Attendee) { a.Audience = "路人" }, "audience:choice"},
		{"no audience", func(a *Attendee) { a.Audience = "" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.edit(&a)
			a.Normalize()
			got := fieldCodes(ValidAttendee(a, today))
			if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
				t.Fatalf("got %v, want %q", got, tc.want)
			}
		})
	}
}

// fixWrong returns id with a check character that is certainly wrong.
func fixWrong(s string) string {
	right := registry.IDCheckChar(s[:17])
	for _, c := range "0123456789X" {
		if byte(c) != right {
			return s[:17] + string(c)
		}
	}
	return s
}

func TestAdmit(t *testing.T) {
	a := Attendee{Name: "张三", IDNumber: id("37081119900307123"), Employer: "甲公司"}
	b := Attendee{Name: "李四", IDNumber: id("37081119850101234"), Employer: "甲公司"}
	c := Attendee{Name: "王五", IDNumber: id("37088119750505111"), Employer: "乙公司"}
	if ps := Admit([]Attendee{a, b}, Admission{Capacity: 2}, today); len(ps) != 0 {
		t.Fatalf("two at capacity 2: %v", ps)
	}
	ps := Admit([]Attendee{a, b, a}, Admission{Capacity: 10}, today)
	if len(ps) != 1 || ps[0].Row != 2 || ps[0].Code != "duplicate" {
		t.Fatalf("duplicate in batch: %+v", ps)
	}
	ps = Admit([]Attendee{a, b, c}, Admission{Capacity: 3, Present: 1}, today)
	if len(ps) != 1 || ps[0].Code != "over_capacity" || !strings.Contains(ps[0].Msg, "超过场地容纳人数3人") {
		t.Fatalf("over capacity: %+v", ps)
	}
	ps = Admit([]Attendee{c}, Admission{Capacity: 3, Already: func(n string) bool { return n == c.IDNumber }}, today)
	if len(ps) != 1 || ps[0].Code != "already" {
		t.Fatalf("already present: %+v", ps)
	}
}

func TestChecklistScore(t *testing.T) {
	c := Checklist{Items: DefaultChecklist, Scores: map[string]int{"plan": 10, "attendance": 10, "expert": 10, "content": 10, "materials": 10, "record": 10}}
	if s, err := ChecklistScore(c); err != nil || s != MaxScore {
		t.Fatalf("full marks: %v %v", s, err)
	}
	c.Scores = map[string]int{"plan": 5, "attendance": 10, "expert": 10, "content": 10, "materials": 0, "record": 10}
	// (15×0.5 + 20 + 15 + 20 + 0 + 20) / 100 = 82.5 %
	if s, err := ChecklistScore(c); err != nil || s != 8250 {
		t.Fatalf("partial: %v %v", s, err)
	}
	c.Scores["record"] = 11
	if _, err := ChecklistScore(c); fieldCodes(err)[0] != "scores.record:range" {
		t.Fatalf("above max: %v", err)
	}
	delete(c.Scores, "record")
	if _, err := ChecklistScore(c); fieldCodes(err)[0] != "scores.record:required" {
		t.Fatalf("missing: %v", err)
	}
}

func TestQuestionnaireAndSessionScore(t *testing.T) {
	q := []Questionnaire{{Responses: []Response{{Satisfaction: []int{5, 5, 4}, Correct: 9, Total: 10}, {Satisfaction: []int{3, 5, 5}, Correct: 7, Total: 10}}}}
	r, err := QuestionnaireScore(q)
	// satisfaction: (4+4+3+2+4+4)/24 = 21/24 = 87.5 %; knowledge 16/20 = 80 %
	if err != nil || r.Responses != 2 || r.Satisfaction != 8750 || r.Knowledge != 8000 {
		t.Fatalf("questionnaire: %+v %v", r, err)
	}
	w := Weights{big.NewRat(1, 2), big.NewRat(3, 10), big.NewRat(1, 5)}
	s, text, err := SessionScore(9000, r, w)
	// 90×0.5 + 87.5×0.3 + 80×0.2 = 45 + 26.25 + 16 = 87.25
	if err != nil || s != 8725 || !strings.Contains(text, "87.25分") {
		t.Fatalf("session score: %v %q %v", s, text, err)
	}
	if _, err := QuestionnaireScore([]Questionnaire{{Responses: []Response{{Satisfaction: []int{6}}}}}); err == nil {
		t.Fatal("satisfaction 6 accepted")
	}
	if _, err := QuestionnaireScore([]Questionnaire{{Responses: []Response{{Satisfaction: []int{4}, Correct: 3, Total: 2}}}}); err == nil {
		t.Fatal("correct above total accepted")
	}
}

func rule(t *testing.T) PayRule {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	on := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	get := func(k string) param.Version {
		v, err := set.Lookup("prevention_pay", k, "370800", on)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	mode, err := set.Lookup("prevention_pay_mode", "", "370800", on)
	if err != nil {
		t.Fatal(err)
	}
	r, err := PayRuleFrom(get("full_score"), get("min_score"), mode)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPayRuleBoundaries(t *testing.T) {
	r := rule(t)
	if r.Full != 8000 || r.Min != 6000 || r.Mode != ModeProRata {
		t.Fatalf("rule from params: %+v", r)
	}
	const amount = 1000000 // 10,000.00 yuan
	cases := []struct {
		score     Score
		evaluated bool
		archive   bool
		want      int64
		says      string
	}{
		{10000, true, true, amount, "全额支付"},
		{8000, true, true, amount, "全额支付"},
		{7999, true, true, 799900, "按比例支付"},
		{6000, true, true, 600000, "按比例支付"},
		{5999, true, true, 0, "低于60.00分"},
		{0, true, true, 0, "不予支付"},
		{9500, true, false, 0, "无影音资料"},
		{9500, false, true, 0, "未完成评估"},
	}
	for _, c := range cases {
		got, st := r.Pay(amount, c.score, c.evaluated, c.archive)
		if got != c.want || !strings.Contains(st.Text, c.says) || st.AmountFen != got {
			t.Errorf("score %s archive %v: paid %d (%q), want %d saying %q", c.score, c.archive, got, st.Text, c.want, c.says)
		}
	}
	// pro rata rounds half up to the fen: 333 fen × 79.99 % = 266.3667 → 266
	if got, _ := r.Pay(333, 7999, true, true); got != 266 {
		t.Errorf("rounding: %d", got)
	}
}

func TestPayProject(t *testing.T) {
	r := rule(t)
	// 100,000.01 yuan over 3 sessions: 33,333.34 + 33,333.34 + 33,333.33
	closed := []SessionPay{
		{SessionID: 1, HeldOn: "2025-03-01", Topic: "A", Evaluated: true, Score: 9000, HasArchive: true},
		{SessionID: 2, HeldOn: "2025-04-01", Topic: "B", Evaluated: true, Score: 7000, HasArchive: true},
		{SessionID: 3, HeldOn: "2025-05-01", Topic: "C", Evaluated: true, Score: 9000, HasArchive: false},
	}
	p, err := r.PayProject(10000001, 3, closed)
	if err != nil {
		t.Fatal(err)
	}
	// 3,333,334 + round(3,333,334 × 0.7 = 2,333,333.8) = 2,333,334 + 0
	if p.AmountFen != 3333334+2333334 {
		t.Fatalf("project payment %d, steps %+v", p.AmountFen, p.Steps)
	}
	if len(p.Steps) != 5 || !strings.Contains(p.Steps[0].Text, "÷3场") || !strings.Contains(p.Steps[3].Text, "无影音资料") {
		t.Fatalf("steps: %+v", p.Steps)
	}
	// all shares together are the approved amount
	all := []SessionPay{closed[0], closed[0], closed[0]}
	if p, _ := r.PayProject(10000001, 3, all); p.AmountFen != 10000001 {
		t.Fatalf("full shares sum to %d", p.AmountFen)
	}
	if _, err := r.PayProject(100, 0, nil); !errs.Is(err, errs.Conflict) {
		t.Fatalf("no session: %v", err)
	}
}
