package deadline

import (
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/param"
)

func d(s string) time.Time {
	t, err := param.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func resolver(t *testing.T, region string) *param.Resolver {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return param.NewResolver(set, region)
}

func TestWorkedExamples(t *testing.T) {
	tests := []struct {
		name, step, start string
		simple            bool
		susp              []Suspension
		region            string
		want              string
		provisional       bool
	}{
		{"E15 employer", "employer_application", "2025-03-10", false, nil, "", "2025-04-09", false},
		{"E15 worker", "worker_application", "2025-03-10", false, nil, "", "2026-03-10", true},
		{"E15 acceptance", "recognition_acceptance", "2025-06-02", false, nil, "", "2025-06-17", false},
		{"E15 decision", "recognition_decision", "2025-06-09", false, nil, "", "2025-08-08", false},
		{"E15 decision simple", "recognition_decision", "2025-06-09", true, nil, "", "2025-06-24", false},
		{"E15 delivery", "recognition_delivery", "2025-08-08", false, nil, "", "2025-08-28", false},
		{"E16 decision rolls past Saturday", "recognition_decision", "2025-09-16", false, nil, "", "2025-11-17", false},
		{"E16 simple rolls past National Day", "recognition_decision", "2025-09-16", true, nil, "", "2025-10-09", false},
		{"E17 suspension", "recognition_decision", "2025-06-09", false, []Suspension{{d("2025-06-19"), d("2025-07-31")}}, "", "2025-09-19", false},
		{"E18 correction", "assessment_correction", "2025-07-01", false, nil, "", "2025-07-08", false},
		{"E18 conclusion", "assessment_conclusion", "2025-07-01", false, nil, "", "2025-09-01", false},
		{"E18 conclusion extended", "assessment_conclusion_extended", "2025-07-01", false, nil, "", "2025-09-29", false},
		{"E18 delivery 令55号", "assessment_delivery", "2025-08-29", false, nil, "", "2025-09-15", false},
		{"E18 delivery 令21号", "assessment_delivery", "2025-06-20", false, nil, "", "2025-07-10", false},
		{"E18 reassessment", "reassessment_request", "2025-08-20", false, nil, "", "2025-09-04", false},
		{"E18 review earliest", "review_assessment_earliest", "2025-08-15", false, nil, "", "2026-08-16", false},
		// Counting-rule cases.
		{"month end without corresponding day", "admin_lawsuit_filing", "2024-08-31", false, nil, "", "2025-02-28", false},
		{"leap day to non-leap year", "worker_application", "2024-02-29", false, nil, "", "2025-02-28", false},
		{"working days skip Spring Festival", "assessment_correction", "2025-01-24", false, nil, "", "2025-02-07", false},
		{"make-up Saturday is a working day", "assessment_correction", "2025-02-03", false, nil, "", "2025-02-10", false},
		{"last day on make-up Sunday does not roll", "recognition_acceptance", "2025-09-13", false, nil, "", "2025-09-28", false},
		{"suspension after the end is ignored", "recognition_decision", "2025-06-09", true, []Suspension{{d("2025-07-01"), d("2025-07-31")}}, "", "2025-06-24", false},
		{"two suspensions", "recognition_delivery", "2025-03-03", false, []Suspension{{d("2025-03-05"), d("2025-03-10")}, {d("2025-03-12"), d("2025-03-20")}}, "", "2025-04-07", false},
		{"working days with suspension", "assessment_correction", "2025-07-01", false, []Suspension{{d("2025-07-02"), d("2025-07-09")}}, "", "2025-07-15", false},
		// 简易程序 acceptance: nationally the statute's 15 days (E15 unchanged).
		{"E15 acceptance simple is the statute's", "recognition_acceptance", "2025-06-02", true, nil, "", "2025-06-17", false},
		{"Jining simple acceptance is national", "recognition_acceptance", "2025-06-02", true, nil, "370800", "2025-06-17", false},
		// 曲阜: 3 and 7 calendar days, counted like the limits they shorten
		// (first day not counted, last day rolled past rest days, §9.2).
		{"Qufu normal acceptance is the statute's", "recognition_acceptance", "2025-06-09", false, nil, "370881", "2025-06-24", false},
		{"Qufu simple acceptance", "recognition_acceptance", "2025-06-02", true, nil, "370881", "2025-06-05", false},
		{"Qufu simple acceptance Saturday rolls to Monday", "recognition_acceptance", "2025-06-11", true, nil, "370881", "2025-06-16", false},
		{"Qufu simple acceptance on make-up Sunday does not roll", "recognition_acceptance", "2025-09-25", true, nil, "370881", "2025-09-28", false},
		{"Qufu simple acceptance rolls past National Day", "recognition_acceptance", "2025-09-29", true, nil, "370881", "2025-10-09", false},
		{"Qufu simple decision", "recognition_decision", "2025-06-09", true, nil, "370881", "2025-06-16", false},
		{"Qufu simple decision rolls past National Day", "recognition_decision", "2025-09-24", true, nil, "370881", "2025-10-09", false},
		{"Qufu simple decision rolls past Labour Day", "recognition_decision", "2025-04-28", true, nil, "370881", "2025-05-06", false},
		{"Qufu simple decision on make-up Saturday does not roll", "recognition_decision", "2025-10-04", true, nil, "370881", "2025-10-11", false},
		{"Qufu simple decision with suspension", "recognition_decision", "2025-06-09", true, []Suspension{{d("2025-06-11"), d("2025-06-20")}}, "370881", "2025-06-25", false},
		{"Qufu normal decision falls back", "recognition_decision", "2025-06-09", false, nil, "370881", "2025-08-08", false},
		{"Jining uses national", "recognition_acceptance", "2025-06-09", false, nil, "370800", "2025-06-24", false},
		{"paid leave", "paid_leave_end", "2025-03-10", false, nil, "", "2026-03-10", false},
		{"paid leave extended", "paid_leave_end_extended", "2025-03-10", false, nil, "", "2027-03-10", false},
		{"admin review", "admin_review_request", "2025-08-28", false, nil, "", "2025-10-27", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			region := tt.region
			if region == "" {
				region = param.National
			}
			res, err := Compute(resolver(t, region), Request{Step: tt.step, Start: d(tt.start), Simple: tt.simple, Suspensions: tt.susp})
			if err != nil {
				t.Fatal(err)
			}
			if got := param.FormatDate(res.Due); got != tt.want {
				t.Errorf("due = %s, want %s\n%s", got, tt.want, res.Explanation)
			}
			if res.Provisional != tt.provisional {
				t.Errorf("provisional = %v, want %v\n%s", res.Provisional, tt.provisional, res.Explanation)
			}
		})
	}
}

func TestExtensionFromRolledDay(t *testing.T) {
	r := resolver(t, param.National)
	if err := r.Override("extension_base", "rolled", d("2025-01-01")); err != nil {
		t.Fatal(err)
	}
	res, err := Compute(r, Request{Step: "assessment_conclusion_extended", Start: d("2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	// 60th day 2025-08-30 (Sat) rolls to 2025-09-01; +30 days = 2025-10-01 (holiday) → 2025-10-09.
	if got := param.FormatDate(res.Due); got != "2025-10-09" {
		t.Errorf("due = %s\n%s", got, res.Explanation)
	}
	res, err = Compute(resolver(t, param.National), Request{Step: "assessment_conclusion_extended", Start: d("2025-07-01")})
	if err != nil || !res.Unconfirmed || !strings.Contains(res.Explanation, "「未确认」") {
		t.Errorf("default extension rule must be flagged unconfirmed: %v\n%s", err, res.Explanation)
	}
}

func TestErrors(t *testing.T) {
	r := resolver(t, param.National)
	tests := []struct {
		req   Request
		field string
	}{
		{Request{Step: "nope", Start: d("2025-01-01")}, "step"},
		{Request{Step: "recognition_delivery", Start: d("2025-01-01"), Simple: true}, "simple"},
		{Request{Step: "recognition_decision", Start: d("2025-01-10"), Suspensions: []Suspension{{d("2025-01-05"), d("2025-01-20")}}}, "suspensions[0].from"},
		{Request{Step: "recognition_decision", Start: d("2025-01-10"), Suspensions: []Suspension{{d("2025-01-15"), d("2025-01-12")}}}, "suspensions[0].to"},
		{Request{Step: "recognition_decision", Start: d("2025-01-10"), Suspensions: []Suspension{{d("2025-01-15"), d("2025-01-20")}, {d("2025-01-18"), d("2025-01-25")}}}, "suspensions[1].from"},
		{Request{Step: "review_assessment_earliest", Start: d("2025-01-10"), Suspensions: []Suspension{{d("2025-01-15"), d("2025-01-20")}}}, "suspensions"},
	}
	for _, tt := range tests {
		_, err := Compute(r, tt.req)
		fe, ok := errs.First(err)
		if !ok || fe.Field != tt.field {
			t.Errorf("%+v: err = %v, want field %s", tt.req, err, tt.field)
		}
	}
}

func TestQufuSimpleCitesTheLocalCommitment(t *testing.T) {
	for _, step := range []string{"recognition_acceptance", "recognition_decision"} {
		res, err := Compute(resolver(t, "370881"), Request{Step: step, Start: d("2025-06-09"), Simple: true})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Unconfirmed {
			t.Errorf("%s: a local commitment without an official text must be unconfirmed", step)
		}
		for _, s := range []string{"曲阜市人社局本地承诺", "济宁日报", "适用于曲阜市"} {
			if !strings.Contains(res.Explanation, s) {
				t.Errorf("%s: explanation lacks %q:\n%s", step, s, res.Explanation)
			}
		}
		if strings.Contains(res.Explanation, "工作日为") {
			t.Errorf("%s: counted in working days:\n%s", step, res.Explanation)
		}
	}
}

func TestSimpleSteps(t *testing.T) {
	var got []string
	for _, s := range SimpleSteps() {
		got = append(got, s.Name)
	}
	if strings.Join(got, ",") != "recognition_acceptance,recognition_decision" {
		t.Errorf("SimpleSteps = %v", got)
	}
	_, err := Compute(resolver(t, param.National), Request{Step: "recognition_delivery", Start: d("2025-01-01"), Simple: true})
	if fe, _ := errs.First(err); !strings.Contains(fe.Message, "工伤认定申请受理审查（recognition_acceptance）") {
		t.Errorf("message does not name the steps with a simple procedure: %v", err)
	}
}

func TestExplanationCitesHoliday(t *testing.T) {
	res, err := Compute(resolver(t, param.National), Request{Step: "recognition_decision", Start: d("2025-09-16"), Simple: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2025-10-01 为法定节假日", "《国务院办公厅关于2025年部分节假日安排的通知》", "2025-10-09（星期四）", "条例第二十条第二款"} {
		if !strings.Contains(res.Explanation, s) {
			t.Errorf("explanation lacks %q:\n%s", s, res.Explanation)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tt := range []struct{ start, want string }{{"2025-01-31", "2025-02-28"}, {"2024-01-31", "2024-02-29"}, {"2025-03-31", "2025-04-30"}, {"2025-12-15", "2026-01-15"}} {
		if got := param.FormatDate(AddMonths(d(tt.start), 1)); got != tt.want {
			t.Errorf("AddMonths(%s, 1) = %s, want %s", tt.start, got, tt.want)
		}
	}
}
