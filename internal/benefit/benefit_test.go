package benefit

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"gongshang/internal/param"
)

func d(s string) time.Time {
	t, err := param.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func yuanFen(s string) int64 {
	f, err := param.ParseMoney(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		panic(err)
	}
	return f
}

func resolver(t *testing.T, region string, overrides map[string]string) *param.Resolver {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := param.NewResolver(set, region)
	for k, v := range overrides {
		if err := r.Override(k, v, d("2025-01-01")); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func find(t *testing.T, items []Item, code string, dep int) Item {
	t.Helper()
	for _, it := range items {
		if it.Code == code && (dep == NoDependant || it.Dependant == dep) {
			return it
		}
	}
	t.Fatalf("item %s (dependant %d) not found", code, dep)
	return Item{}
}

func want(t *testing.T, items []Item, code string, dep int, amount string) {
	t.Helper()
	it := find(t, items, code, dep)
	if got := param.FormatMoney(it.Amount); got != param.FormatMoney(yuanFen(amount)) {
		t.Errorf("%s[%d] = %s, want %s\n%s", code, dep, got, amount, it.Explanation)
	}
}

// E1 — 一次性伤残补助金 for every level.
func TestE1LumpSumAllLevels(t *testing.T) {
	r := resolver(t, "370800", nil)
	wants := []string{"162,000.00", "150,000.00", "138,000.00", "126,000.00", "108,000.00", "96,000.00", "78,000.00", "66,000.00", "54,000.00", "42,000.00"}
	for i, w := range wants {
		items, err := Disability(r, DisabilityCase{InjuryDate: d("2025-03-10"), Wage: Wage{Avg12m: yuanFen("6000")}, Level: i + 1, Care: CareNone})
		if err != nil {
			t.Fatal(err)
		}
		want(t, items, CodeBaseWage, NoDependant, "6000.00")
		want(t, items, CodeDisabilityLumpSum, NoDependant, w)
	}
}

func TestDisabilityExamples(t *testing.T) {
	tests := []struct {
		name      string
		c         DisabilityCase
		overrides map[string]string
		want      map[string]string
		payer     Payer
	}{
		{"E2 floor", DisabilityCase{Wage: Wage{Avg12m: yuanFen("3800")}, Level: 9}, nil,
			map[string]string{CodeBaseWage: "4503.60", CodeDisabilityLumpSum: "40532.40"}, ""},
		{"E3 cap and level 5", DisabilityCase{Wage: Wage{Avg12m: yuanFen("25000")}, Level: 5}, nil,
			map[string]string{CodeBaseWage: "22518.00", CodeDisabilityLumpSum: "405324.00", CodeDisabilityAllowance: "15762.60"}, PayerEmployer},
		{"E4 level 4 at floor", DisabilityCase{Wage: Wage{Avg12m: yuanFen("4503.60")}, Level: 4}, nil,
			map[string]string{CodeDisabilityAllowance: "3377.70"}, PayerFund},
		{"E5 level 6 top-up by employer", DisabilityCase{Wage: Wage{Avg12m: yuanFen("2000")}, Level: 6},
			map[string]string{"avg_wage": "4000.00", "min_wage": "1900.00"},
			map[string]string{CodeBaseWage: "2400.00", CodeDisabilityAllowance: "1900.00"}, PayerEmployer},
		{"E5 level 4 top-up by fund", DisabilityCase{Wage: Wage{Avg12m: yuanFen("2000")}, Level: 4},
			map[string]string{"avg_wage": "4000.00", "min_wage": "1900.00"},
			map[string]string{CodeDisabilityAllowance: "1900.00"}, PayerFund},
		{"E6 full care", DisabilityCase{Wage: Wage{Avg12m: yuanFen("6000")}, Level: 1, Care: CareFull}, nil,
			map[string]string{CodeNursingAllowance: "3753.00"}, ""},
		{"E6 most care", DisabilityCase{Wage: Wage{Avg12m: yuanFen("6000")}, Level: 2, Care: CareMost}, nil,
			map[string]string{CodeNursingAllowance: "3002.40"}, ""},
		{"E6 partial care", DisabilityCase{Wage: Wage{Avg12m: yuanFen("6000")}, Level: 3, Care: CarePartial}, nil,
			map[string]string{CodeNursingAllowance: "2251.80"}, ""},
		{"E7 retired level 1", DisabilityCase{Wage: Wage{Avg12m: yuanFen("6000")}, Level: 1, Retired: true, Pension: yuanFen("5000")}, nil,
			map[string]string{CodeDisabilityAllowance: "400.00"}, PayerFund},
		{"deemed veteran", DisabilityCase{Wage: Wage{Avg12m: yuanFen("6000")}, Level: 7, DeemedVeteran: true}, nil,
			map[string]string{CodeDisabilityLumpSum: "0.00"}, ""},
		{"short insurance, actual months", DisabilityCase{Wage: Wage{Total: yuanFen("30000"), Months: 5}, Level: 10}, nil,
			map[string]string{CodeBaseWage: "6000.00", CodeDisabilityLumpSum: "42000.00"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.InjuryDate = d("2025-03-10")
			items, err := Disability(resolver(t, "370800", tt.overrides), tt.c)
			if err != nil {
				t.Fatal(err)
			}
			for code, amount := range tt.want {
				want(t, items, code, NoDependant, amount)
			}
			if tt.payer != "" {
				if got := find(t, items, CodeDisabilityAllowance, NoDependant).Payer; got != tt.payer {
					t.Errorf("payer = %s, want %s", got, tt.payer)
				}
			}
		})
	}
}

func dep(rel Relation, sex, birth string, lonely bool) Dependant {
	return Dependant{Relation: rel, Sex: sex, BirthDate: d(birth), OrphanOrLonely: lonely}
}

// E8, E9 — survivors without and with the cap; E9 recomputed when the son is 18.
func TestDeathExamples(t *testing.T) {
	wife := dep(Spouse, "F", "1969-01-01", false)
	son := dep(Child, "M", "2015-01-01", false)
	father := dep(Parent, "M", "1960-01-01", false)
	mother := dep(Parent, "F", "1955-01-01", true)
	base := DeathCase{InjuryDate: d("2025-03-10"), DeathDate: d("2025-03-12"), Wage: Wage{Avg12m: yuanFen("8000")}, InPaidLeave: true}

	c := base
	c.Dependants = []Dependant{wife, son, father}
	items, err := Death(resolver(t, "370800", nil), c)
	if err != nil {
		t.Fatal(err)
	}
	want(t, items, CodeFuneralGrant, NoDependant, "45036.00")
	want(t, items, CodeSurvivorPension, 0, "3200.00")
	want(t, items, CodeSurvivorPension, 1, "2400.00")
	want(t, items, CodeSurvivorPension, 2, "2400.00")

	c.Dependants = []Dependant{wife, son, mother}
	items, err = Death(resolver(t, "370800", nil), c)
	if err != nil {
		t.Fatal(err)
	}
	want(t, items, CodeSurvivorPension, 0, "2909.09")
	want(t, items, CodeSurvivorPension, 1, "2181.82")
	want(t, items, CodeSurvivorPension, 2, "2909.09")
	if !find(t, items, CodeSurvivorPension, 0).Unconfirmed {
		t.Error("cap reduction must be flagged unconfirmed")
	}

	c.AsOf = d("2033-01-01") // the son turns 18
	items, err = Death(resolver(t, "370800", nil), c)
	if err != nil {
		t.Fatal(err)
	}
	want(t, items, CodeSurvivorPension, 0, "3200.00")
	want(t, items, CodeSurvivorPension, 2, "3200.00")
	for _, it := range items {
		if it.Code == CodeSurvivorPension && it.Dependant == 1 {
			t.Errorf("son aged 18 still receives %s", param.FormatMoney(it.Amount))
		}
	}
}

func TestDeathLumpSum(t *testing.T) {
	tests := []struct {
		name, injury, death string
		level               int
		inLeave             bool
		want                string
	}{
		{"E10 2024", "2024-04-01", "2024-04-02", 0, true, "1036420.00"},
		{"E11 2025", "2025-04-01", "2025-04-02", 0, true, "1083760.00"},
		{"E11 injury 2024 death 2025", "2024-11-01", "2025-02-01", 0, true, "1036420.00"},
		{"level 1-4 after paid leave", "2024-11-01", "2025-02-01", 2, false, "0.00"},
		{"level 1-4 within paid leave", "2024-11-01", "2025-02-01", 2, true, "1036420.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Death(resolver(t, "370800", nil), DeathCase{InjuryDate: d(tt.injury), DeathDate: d(tt.death),
				Wage: Wage{Avg12m: yuanFen("8000")}, Level: tt.level, InPaidLeave: tt.inLeave})
			if err != nil {
				t.Fatal(err)
			}
			want(t, items, CodeDeathLumpSum, NoDependant, tt.want)
		})
	}
}

// E12 — missing worker.
func TestE12Missing(t *testing.T) {
	items, err := Missing(resolver(t, "370800", nil), MissingCase{AccidentDate: d("2025-05-20"), Wage: Wage{Avg12m: yuanFen("8000")},
		Dependants: []Dependant{dep(Spouse, "F", "1965-01-01", false)}})
	if err != nil {
		t.Fatal(err)
	}
	want(t, items, CodeDeathLumpSumAdvance, NoDependant, "541880.00")
	want(t, items, CodeSurvivorPension, 0, "3200.00")
	if ex := find(t, items, CodeMissingWages, NoDependant).Explanation; !strings.Contains(ex, "2025年5月 至 2025年7月") || !strings.Contains(ex, "自 2025年8月 起") {
		t.Errorf("wage months wrong:\n%s", ex)
	}
}

// E13, E14 — Shandong exit subsidies.
func TestExitExamples(t *testing.T) {
	tests := []struct {
		level       int
		occ, retire bool
		medical     string
		employment  string
	}{
		{7, false, false, "97578.00", "97578.00"},
		{7, true, false, "146367.00", "97578.00"},
		{7, false, true, "0.00", "0.00"},
		{5, false, false, "165132.00", ""}, {5, true, false, "247698.00", ""},
		{6, false, false, "135108.00", ""}, {6, true, false, "202662.00", ""},
		{8, false, false, "75060.00", ""}, {8, true, false, "112590.00", ""},
		{9, false, false, "52542.00", ""}, {9, true, false, "78813.00", ""},
		{10, false, false, "30024.00", ""}, {10, true, false, "45036.00", ""},
	}
	for _, tt := range tests {
		items, err := Exit(resolver(t, "370800", nil), ExitCase{InjuryDate: d("2024-03-10"), ExitDate: d("2025-06-15"), Level: tt.level, OccupationalDisease: tt.occ, RetirementAgeReached: tt.retire})
		if err != nil {
			t.Fatal(err)
		}
		want(t, items, CodeMedicalLumpSum, NoDependant, tt.medical)
		emp := find(t, items, CodeEmploymentLumpSum, NoDependant)
		if tt.employment != "" {
			want(t, items, CodeEmploymentLumpSum, NoDependant, tt.employment)
		}
		if !emp.Unconfirmed || emp.Payer != PayerEmployer {
			t.Errorf("employment subsidy must be employer-paid and unconfirmed: %+v", emp)
		}
	}
	if _, err := Exit(resolver(t, "370800", nil), ExitCase{InjuryDate: d("2024-03-10"), ExitDate: d("2025-06-15"), Level: 4}); err == nil {
		t.Error("level 4 exit accepted")
	}
}

// E19 — premium and prevention cap.
func TestE19Premium(t *testing.T) {
	r := resolver(t, "370800", nil)
	for _, tt := range []struct{ tier, want string }{{"1.2", "13200.00"}, {"0.5", "5500.00"}} {
		tier, _ := param.ParseDecimal(tt.tier)
		items, err := Premium(r, PremiumCase{On: d("2025-03-01"), RiskClass: 5, Tier: tier, Payroll: yuanFen("1000000")})
		if err != nil {
			t.Fatal(err)
		}
		want(t, items, CodePremium, NoDependant, tt.want)
	}
	if _, err := Premium(r, PremiumCase{On: d("2025-03-01"), RiskClass: 1, Tier: big.NewRat(1, 2), Payroll: 1}); err == nil {
		t.Error("class 1 accepted the 50% tier")
	}
	items, err := PreventionCap(r, d("2025-03-01"), yuanFen("500000000"))
	if err != nil {
		t.Fatal(err)
	}
	want(t, items, CodePreventionCap, NoDependant, "15000000.00")
}

func TestRounding(t *testing.T) {
	r := resolver(t, "370800", nil)
	e := env{r}
	for _, tt := range []struct {
		x    *big.Rat
		want int64
	}{{big.NewRat(1, 2), 1}, {big.NewRat(149, 100), 1}, {big.NewRat(5, 2), 3}, {big.NewRat(0, 1), 0}, {big.NewRat(-3, 1), 0}} {
		got, err := e.round(&note{}, tt.x, d("2025-01-01"))
		if err != nil || got != tt.want {
			t.Errorf("round(%s) = %d, %v; want %d", tt.x, got, err, tt.want)
		}
	}
}
