package calc

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"gongshang/internal/errs"
	"gongshang/internal/param"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func mustSet(t testing.TB) *param.Set {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// example is one worked example of regulation.md §10 (or a contract case):
// the request, the amounts (by "code" or "code#dependant") or due date
// expected, and a golden file holding the whole answer with explanations.
type example struct {
	name string
	req  string
	want map[string]string
}

var examples = []example{
	{"E01_level7", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7}`,
		map[string]string{"base_wage": "6000.00", "disability_lump_sum": "78000.00"}},
	{"E01_level1", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":1}`,
		map[string]string{"disability_lump_sum": "162000.00", "disability_allowance": "5400.00"}},
	{"E01_level10", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":10}`,
		map[string]string{"disability_lump_sum": "42000.00"}},
	{"E02_floor", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"3800.00","level":9}`,
		map[string]string{"base_wage": "4503.60", "disability_lump_sum": "40532.40"}},
	{"E03_cap_level5", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"25000.00","level":5}`,
		map[string]string{"base_wage": "22518.00", "disability_lump_sum": "405324.00", "disability_allowance": "15762.60"}},
	{"E04_level4_floor", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"4503.60","level":4,"params":{"min_wage":"2100.00"}}`,
		map[string]string{"disability_allowance": "3377.70"}},
	{"E05_topup_level6", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"2000.00","level":6,"params":{"avg_wage":"4000.00","min_wage":"1900.00"}}`,
		map[string]string{"base_wage": "2400.00", "disability_allowance": "1900.00"}},
	{"E05_topup_level4", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"2000.00","level":4,"params":{"avg_wage":"4000.00","min_wage":"1900.00"}}`,
		map[string]string{"disability_allowance": "1900.00"}},
	{"E06_care_full", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":1,"care":"full"}`,
		map[string]string{"nursing_allowance": "3753.00"}},
	{"E06_care_most", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":2,"care":"most"}`,
		map[string]string{"nursing_allowance": "3002.40"}},
	{"E06_care_partial", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":3,"care":"partial"}`,
		map[string]string{"nursing_allowance": "2251.80"}},
	{"E07_retired", `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":1,"retired":true,"pension":"5000.00"}`,
		map[string]string{"disability_allowance": "400.00"}},
	{"E08_survivors", `{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true,"level":0,
		"dependants":[{"relation":"spouse","sex":"F","birth_date":"1969-01-01"},{"relation":"child","sex":"M","birth_date":"2015-01-01"},{"relation":"parent","sex":"M","birth_date":"1960-01-01"}]}`,
		map[string]string{"funeral_grant": "45036.00", "survivor_pension#0": "3200.00", "survivor_pension#1": "2400.00", "survivor_pension#2": "2400.00", "death_lump_sum": "1083760.00"}},
	{"E09_cap", `{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true,
		"dependants":[{"relation":"spouse","sex":"F","birth_date":"1969-01-01"},{"relation":"child","sex":"M","birth_date":"2015-01-01"},{"relation":"parent","sex":"F","birth_date":"1955-01-01","orphan_or_lonely":true}]}`,
		map[string]string{"survivor_pension#0": "2909.09", "survivor_pension#1": "2181.82", "survivor_pension#2": "2909.09"}},
	{"E09_son_turns_18", `{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","as_of":"2033-01-01","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true,
		"dependants":[{"relation":"spouse","sex":"F","birth_date":"1969-01-01"},{"relation":"child","sex":"M","birth_date":"2015-01-01"},{"relation":"parent","sex":"F","birth_date":"1955-01-01","orphan_or_lonely":true}]}`,
		map[string]string{"survivor_pension#0": "3200.00", "survivor_pension#2": "3200.00"}},
	{"E10_death_2024", `{"kind":"death","injury_date":"2024-06-01","death_date":"2024-06-01","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true}`,
		map[string]string{"death_lump_sum": "1036420.00"}},
	{"E11_death_2025", `{"kind":"death","injury_date":"2025-06-01","death_date":"2025-06-01","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true}`,
		map[string]string{"death_lump_sum": "1083760.00"}},
	{"E11_injury2024_death2025", `{"kind":"death","injury_date":"2024-11-01","death_date":"2025-02-01","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":true}`,
		map[string]string{"death_lump_sum": "1036420.00"}},
	{"E11_level2_after_leave", `{"kind":"death","injury_date":"2024-11-01","death_date":"2025-02-01","region":"370800","wage_avg_12m":"8000.00","in_paid_leave":false,"level":2}`,
		map[string]string{"death_lump_sum": "0.00"}},
	{"E12_missing", `{"kind":"missing","injury_date":"2025-05-20","region":"370800","wage_avg_12m":"8000.00","dependants":[{"relation":"spouse","sex":"F","birth_date":"1965-01-01"}]}`,
		map[string]string{"death_lump_sum_advance": "541880.00", "survivor_pension#0": "3200.00"}},
	{"E13_exit_level7", `{"kind":"exit","injury_date":"2024-03-10","exit_date":"2025-06-15","region":"370800","level":7,"wage_avg_12m":"6000.00"}`,
		map[string]string{"exit_medical_subsidy": "97578.00", "exit_employment_subsidy": "97578.00"}},
	{"E13_exit_occupational", `{"kind":"exit","injury_date":"2024-03-10","exit_date":"2025-06-15","region":"370800","level":7,"occupational_disease":true}`,
		map[string]string{"exit_medical_subsidy": "146367.00"}},
	{"E13_exit_retired", `{"kind":"exit","injury_date":"2024-03-10","exit_date":"2025-06-15","region":"370800","level":7,"retirement_age_reached":true}`,
		map[string]string{"exit_medical_subsidy": "0.00", "exit_employment_subsidy": "0.00"}},
	{"E14_exit_level5", `{"kind":"exit","injury_date":"2024-03-10","exit_date":"2025-06-15","region":"370800","level":5}`,
		map[string]string{"exit_medical_subsidy": "165132.00"}},
	{"E14_exit_level10_occ", `{"kind":"exit","injury_date":"2024-03-10","exit_date":"2025-06-15","region":"370800","level":10,"occupational_disease":true}`,
		map[string]string{"exit_medical_subsidy": "45036.00"}},
	{"E15_employer", `{"kind":"deadline","step":"employer_application","start":"2025-03-10","region":"370800"}`, map[string]string{"due": "2025-04-09"}},
	{"E15_worker", `{"kind":"deadline","step":"worker_application","start":"2025-03-10","region":"370800"}`, map[string]string{"due": "2026-03-10"}},
	{"E15_acceptance", `{"kind":"deadline","step":"recognition_acceptance","start":"2025-06-02","region":"370800"}`, map[string]string{"due": "2025-06-17"}},
	{"E15_decision", `{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","region":"370800"}`, map[string]string{"due": "2025-08-08"}},
	{"E15_decision_simple", `{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","simple":true,"region":"370800"}`, map[string]string{"due": "2025-06-24"}},
	{"E15_delivery", `{"kind":"deadline","step":"recognition_delivery","start":"2025-08-08","region":"370800"}`, map[string]string{"due": "2025-08-28"}},
	{"E16_weekend", `{"kind":"deadline","step":"recognition_decision","start":"2025-09-16","region":"370800"}`, map[string]string{"due": "2025-11-17"}},
	{"E16_holiday", `{"kind":"deadline","step":"recognition_decision","start":"2025-09-16","simple":true,"region":"370800"}`, map[string]string{"due": "2025-10-09"}},
	{"E17_suspension", `{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","simple":false,"region":"370881","suspensions":[{"from":"2025-06-19","to":"2025-07-31"}]}`, map[string]string{"due": "2025-09-19"}},
	{"E18_correction", `{"kind":"deadline","step":"assessment_correction","start":"2025-07-01"}`, map[string]string{"due": "2025-07-08"}},
	{"E18_conclusion", `{"kind":"deadline","step":"assessment_conclusion","start":"2025-07-01"}`, map[string]string{"due": "2025-09-01"}},
	{"E18_conclusion_extended", `{"kind":"deadline","step":"assessment_conclusion_extended","start":"2025-07-01"}`, map[string]string{"due": "2025-09-29"}},
	{"E18_delivery", `{"kind":"deadline","step":"assessment_delivery","start":"2025-08-29"}`, map[string]string{"due": "2025-09-15"}},
	{"E18_delivery_old_rule", `{"kind":"deadline","step":"assessment_delivery","start":"2025-06-20"}`, map[string]string{"due": "2025-07-10"}},
	{"E18_reassessment", `{"kind":"deadline","step":"reassessment_request","start":"2025-08-20"}`, map[string]string{"due": "2025-09-04"}},
	{"E18_review_earliest", `{"kind":"deadline","step":"review_assessment_earliest","start":"2025-08-15"}`, map[string]string{"due": "2026-08-16"}},
	{"E19_premium", `{"kind":"premium","date":"2025-03-01","region":"370800","risk_class":5,"tier":"1.2","payroll":"1000000.00"}`, map[string]string{"premium": "13200.00"}},
	{"E19_premium_half", `{"kind":"premium","date":"2025-03-01","region":"370800","risk_class":5,"tier":"0.5","payroll":"1000000.00"}`, map[string]string{"premium": "5500.00"}},
	{"E19_prevention_cap", `{"kind":"prevention_cap","date":"2025-03-01","region":"370800","fund_income":"500000000.00"}`, map[string]string{"prevention_cap": "15000000.00"}},
	{"E15_acceptance_simple", `{"kind":"deadline","step":"recognition_acceptance","start":"2025-06-02","simple":true,"region":"370800"}`, map[string]string{"due": "2025-06-17"}},
	{"Qufu_simple_acceptance", `{"kind":"deadline","step":"recognition_acceptance","start":"2025-06-02","simple":true,"region":"370881"}`, map[string]string{"due": "2025-06-05"}},
	{"Qufu_simple_acceptance_holiday", `{"kind":"deadline","step":"recognition_acceptance","start":"2025-09-29","simple":true,"region":"370881"}`, map[string]string{"due": "2025-10-09"}},
	{"Qufu_simple_decision", `{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","simple":true,"region":"370881"}`, map[string]string{"due": "2025-06-16"}},
}

func TestExamples(t *testing.T) {
	set := mustSet(t)
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := Main(strings.NewReader(ex.req), &out, &errOut, set); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			got := amounts(t, out.Bytes())
			for k, w := range ex.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
			golden(t, ex.name, out.Bytes())
		})
	}
}

// amounts flattens an answer to code(#dependant) → amount, or "due" → date.
func amounts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	var ans struct {
		Due   string `json:"due"`
		Items []struct {
			Code      string `json:"code"`
			Amount    string `json:"amount"`
			Dependant *int   `json:"dependant"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &ans); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if ans.Due != "" {
		m["due"] = ans.Due
	}
	for _, it := range ans.Items {
		k := it.Code
		if it.Dependant != nil {
			k += "#" + string(rune('0'+*it.Dependant))
		}
		m[k] = it.Amount
	}
	return m
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/calc/ -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("answer differs from %s (run with -update after checking):\n%s", path, got)
	}
}

func TestArray(t *testing.T) {
	ans, err := Evaluate(mustSet(t), []byte(`[`+examples[0].req+`,`+examples[len(examples)-1].req+`]`))
	if err != nil {
		t.Fatal(err)
	}
	arr, ok := ans.([]any)
	if !ok || len(arr) != 2 {
		t.Fatalf("got %T %v", ans, ans)
	}
	if _, ok := arr[1].(*DeadlineAnswer); !ok {
		t.Errorf("second answer is %T", arr[1])
	}
}

func TestInvalid(t *testing.T) {
	tests := []struct{ req, field string }{
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.001","level":7}`, "wage_avg_12m"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"-6000","level":7}`, "wage_avg_12m"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":6000,"level":7}`, "wage_avg_12m"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":11}`, "level"},
		{`{"kind":"disability","injury_date":"2025-02-30","region":"370800","wage_avg_12m":"6000.00","level":7}`, "injury_date"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"3708","wage_avg_12m":"6000.00","level":7}`, "region"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"colour":"red"}`, "colour"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"care":"some"}`, "care"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"params":{"avg_wage":"abc"}}`, "params.avg_wage"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"params":{"no_such":"1"}}`, "params.no_such"},
		{`{"kind":"disability","injury_date":"2025-03-10","region":"110000","wage_avg_12m":"6000.00","level":7}`, "params.avg_wage"},
		{`{"kind":"exit","injury_date":"2025-03-10","exit_date":"2025-06-01","region":"370800","level":3}`, "level"},
		{`{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"8000.00","dependants":[{"relation":"spouse","sex":"F","birth_date":"1969-13-01"}]}`, "dependants[0].birth_date"},
		{`{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"8000.00","dependants":[{"relation":"cousin","sex":"F","birth_date":"1969-01-01"}]}`, "dependants[0].relation"},
		{`{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"8000.00","dependants":[{"relation":"spouse","sex":"F","birth_date":"1969-01-01","x":1}]}`, "dependants[0].x"},
		{`{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","suspensions":[{"from":"2025-06-01","to":"2025-06-20"}]}`, "suspensions[0].from"},
		{`{"kind":"deadline","step":"teleport","start":"2025-06-09"}`, "step"},
		{`{"kind":"vacation"}`, "kind"},
		{`[{"kind":"deadline","step":"employer_application","start":"2025-06-09"},{"kind":"deadline","start":"2025-06-09"}]`, "[1].step"},
	}
	set := mustSet(t)
	for _, tt := range tests {
		_, err := Evaluate(set, []byte(tt.req))
		fe, ok := errs.First(err)
		if !ok || fe.Field != tt.field {
			t.Errorf("%s\n  err = %v, want field %s", tt.req, err, tt.field)
			continue
		}
		// The message names the field in Chinese, never by its key,
		// unless the key itself is what is wrong (an unknown field).
		key := tt.field[strings.LastIndexAny(tt.field, ".]")+1:]
		if fe.Code != "calc_unknown_field" && !strings.Contains(fe.Message, "未知") && (strings.Contains(fe.Message, key) || !hasHan(fe.Message)) {
			t.Errorf("%s\n  message %q names the key %q instead of its label", tt.req, fe.Message, key)
		}
	}
	var out, errOut bytes.Buffer
	if code := Main(strings.NewReader(tests[0].req), &out, &errOut, set); code != 2 || !strings.Contains(errOut.String(), "wage_avg_12m") {
		t.Errorf("Main exit %d, stderr %q", code, errOut.String())
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestJSONErrorsAreChinese(t *testing.T) {
	for _, raw := range []string{`{"kind":`, `{"kind" "x"}`, `{"kind":"deadline"} {}`, `nul`} {
		_, err := Evaluate(mustSet(t), []byte(raw))
		fe, ok := errs.First(err)
		if !ok || !hasHan(fe.Message) || strings.Contains(fe.Message, "invalid character") || strings.Contains(fe.Message, "unexpected") {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func TestLabels(t *testing.T) {
	for path, want := range map[string]string{
		"level":                    "「伤残等级」",
		"dependants[1].birth_date": "「供养亲属第2人的出生日期」",
		"[2].suspensions[0].from":  "「第3项请求的中止期间第1段的开始日期」",
		"params.avg_wage":          "「参数“统筹地区上年度职工月平均工资”」",
		"mystery":                  "「“mystery”」",
	} {
		if got := Label(path); got != want {
			t.Errorf("Label(%s) = %s, want %s", path, got, want)
		}
	}
}

func TestUnconfirmedFlagged(t *testing.T) {
	ans, err := Evaluate(mustSet(t), []byte(examples[0].req))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ans.(*BenefitAnswer).Items {
		if !it.Unconfirmed || !strings.Contains(it.Explanation, "「未确认」") {
			t.Errorf("%s uses the U average wage or rounding but is not flagged:\n%s", it.Code, it.Explanation)
		}
	}
}
