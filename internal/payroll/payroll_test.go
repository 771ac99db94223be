package payroll

import (
	"testing"

	"gongshang/internal/errs"
)

var rules = Rules{CertMonths: 12, AdultAge: 18}

func TestCheck(t *testing.T) {
	m := Month{2026, 3}
	base := Facts{Type: TypeDisability, Payer: "fund", Start: "2025-06-01", AccountValid: true}
	with := func(f func(*Facts)) Facts { x := base; x.Payee = append([]Event(nil), base.Payee...); f(&x); return x }
	survivor := func(f func(*Facts)) Facts {
		return with(func(x *Facts) { x.Type, x.Survivor, x.BirthDate = TypeSurvivor, true, "1970-01-01"; f(x) })
	}
	ev := func(kind, on, until string) Event { return Event{Kind: kind, On: on, Until: until} }
	tests := []struct {
		name string
		f    Facts
		want Result
	}{
		{"nothing to report", base, Result{Pay, ReasonNone}},
		{"worker died last month", with(func(x *Facts) { x.Payee = []Event{ev(EventDeath, "2026-02-28", "")} }), Result{Stop, ReasonWorkerDeath}},
		{"died this month: the month is paid", with(func(x *Facts) { x.Payee = []Event{ev(EventDeath, "2026-03-01", "")} }), Result{Pay, ReasonNone}},
		{"dependant died", survivor(func(x *Facts) { x.Payee = []Event{ev(EventDeath, "2026-01-01", "")} }), Result{Stop, ReasonDeath}},
		{"ended", with(func(x *Facts) { x.End = "2026-02-28" }), Result{Stop, ReasonEnded}},
		{"retired: the allowance stops", with(func(x *Facts) { x.Payee = []Event{ev(EventRetired, "2026-02-01", "")} }), Result{Stop, ReasonRetired}},
		{"retired: nursing goes on", with(func(x *Facts) { x.Type = TypeNursing; x.Payee = []Event{ev(EventRetired, "2026-02-01", "")} }), Result{Pay, ReasonNone}},
		{"remarried", survivor(func(x *Facts) { x.Payee = []Event{ev(EventRemarried, "2026-02-01", "")} }), Result{Stop, ReasonRemarried}},
		{"employed", survivor(func(x *Facts) { x.Payee = []Event{ev(EventEmployed, "2026-02-01", "")} }), Result{Stop, ReasonEmployed}},
		{"adopted", survivor(func(x *Facts) { x.Payee = []Event{ev(EventAdopted, "2026-02-01", "")} }), Result{Stop, ReasonAdopted}},
		{"a worker's remarriage is no stop", with(func(x *Facts) { x.Payee = []Event{ev(EventRemarried, "2026-02-01", "")} }), Result{Pay, ReasonNone}},
		{"18 last month", survivor(func(x *Facts) { x.BirthDate = "2008-02-15" }), Result{Stop, ReasonAge18}},
		{"18 this month: paid", survivor(func(x *Facts) { x.BirthDate = "2008-03-31" }), Result{Pay, ReasonNone}},
		{"over 18, incapacitated", survivor(func(x *Facts) { x.BirthDate = "2000-01-01"; x.Incapacitated = true }), Result{Pay, ReasonNone}},
		{"in prison", with(func(x *Facts) { x.Payee = []Event{ev(EventPrison, "2026-03-10", "")} }), Result{Suspend, ReasonPrison}},
		{"released last month", with(func(x *Facts) { x.Payee = []Event{ev(EventPrison, "2025-01-10", "2026-02-10")} }), Result{Pay, ReasonNone}},
		{"released this month: suspended to the end of it", with(func(x *Facts) { x.Payee = []Event{ev(EventPrison, "2025-01-10", "2026-03-10")} }), Result{Suspend, ReasonPrison}},
		{"certified 13 months ago", with(func(x *Facts) { x.Payee = []Event{ev(EventCertified, "2025-02-28", "")}; x.Start = "2020-01-01" }), Result{Suspend, ReasonCertOverdue}},
		{"certified 12 months ago", with(func(x *Facts) { x.Payee = []Event{ev(EventCertified, "2025-03-01", "")}; x.Start = "2020-01-01" }), Result{Pay, ReasonNone}},
		{"never certified, started 13 months ago", with(func(x *Facts) { x.Start = "2025-02-01" }), Result{Suspend, ReasonCertOverdue}},
		{"invalid account", with(func(x *Facts) { x.AccountValid = false }), Result{Suspend, ReasonBankInvalid}},
		{"held", with(func(x *Facts) { x.Held = true }), Result{Suspend, ReasonHeld}},
		{"employer pays", with(func(x *Facts) { x.Payer = "employer"; x.AccountValid = false; x.Start = "2000-01-01" }), Result{Record, ReasonEmployerPaid}},
		{"a stop beats a suspension", with(func(x *Facts) { x.AccountValid = false; x.Payee = []Event{ev(EventDeath, "2026-01-01", "")} }), Result{Stop, ReasonWorkerDeath}},
	}
	for _, tt := range tests {
		if got := Check(tt.f, m, rules); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestCutoffs: the store's candidate filter must include every line Check
// would not simply pay.
func TestCutoffs(t *testing.T) {
	m := Month{2026, 3}
	if got := CertCutoff(m, rules); got != "2025-03-01" {
		t.Errorf("cert cutoff %s", got)
	}
	if got := AdultCutoff(m, rules); got != "2008-03-01" {
		t.Errorf("adult cutoff %s", got)
	}
	for _, cert := range []string{"2025-02-28", "2025-03-01"} {
		overdue := Check(Facts{Type: TypeDisability, Payer: "fund", Start: cert, AccountValid: true}, m, rules).Effect != Pay
		if overdue != (cert < CertCutoff(m, rules)) {
			t.Errorf("cert %s: overdue %v disagrees with the cutoff", cert, overdue)
		}
	}
	for _, birth := range []string{"2008-02-29", "2008-03-01"} {
		stopped := Check(Facts{Type: TypeSurvivor, Survivor: true, Payer: "fund", Start: "2026-01-01", BirthDate: birth, AccountValid: true}, m, rules).Effect != Pay
		if stopped != (birth < AdultCutoff(m, rules)) {
			t.Errorf("birth %s: stopped %v disagrees with the cutoff", birth, stopped)
		}
	}
}

func TestAdjustment(t *testing.T) {
	tests := []struct {
		a      Adjustment
		amount int64
		want   int64
	}{
		{Adjustment{PercentBP: 500}, 300000, 15000},
		{Adjustment{PercentBP: 500, FloorFen: 20000}, 300000, 20000},
		{Adjustment{PercentBP: 500, CapFen: 10000}, 300000, 10000},
		{Adjustment{PercentBP: 300, FlatFen: 5000}, 100050, 8002}, // 3001.5 rounds half up to 3002
		{Adjustment{FlatFen: -50000}, 30000, -30000},              // never below zero
	}
	for _, tt := range tests {
		if got := tt.a.Increase(tt.amount); got != tt.want {
			t.Errorf("%+v on %d: %d, want %d", tt.a, tt.amount, got, tt.want)
		}
	}
	bad := []struct {
		a     Adjustment
		field string
	}{
		{Adjustment{Type: TypeDisability, PercentBP: 500, FloorFen: 20000, CapFen: 10000, Effective: "2026-03"}, "cap_fen"},
		{Adjustment{Type: "pension", PercentBP: 500, Effective: "2026-03"}, "type"},
		{Adjustment{Type: TypeDisability, Effective: "2026-03"}, "percent_bp"},
		{Adjustment{Type: TypeDisability, PercentBP: 500, Effective: "2026-13"}, "effective"},
		{Adjustment{Type: TypeNursing, Level: 2, PercentBP: 500, Effective: "2026-03"}, "level"},
		{Adjustment{Type: TypeDisability, Rerate: true, Effective: "2026-03"}, "rerate"},
	}
	for _, tt := range bad {
		err := tt.a.Validate()
		f, ok := errs.First(err)
		if !errs.Is(err, errs.Invalid) || !ok || f.Field != tt.field {
			t.Errorf("%+v: %v, want an error on %s", tt.a, err, tt.field)
		}
	}
}

func TestDeduction(t *testing.T) {
	r := RecoveryRules{MaxShareBP: 3000, FloorFen: 90000}
	tests := []struct{ gross, remaining, want int64 }{
		{300000, 100000, 90000}, // 30%
		{300000, 10000, 10000},  // the rest
		{100000, 100000, 10000}, // the floor leaves 900 yuan
		{80000, 100000, 0},      // below the floor: nothing
	}
	for _, tt := range tests {
		if got := Deduction(tt.gross, tt.remaining, r); got != tt.want {
			t.Errorf("Deduction(%d, %d): %d, want %d", tt.gross, tt.remaining, got, tt.want)
		}
	}
	if n, each := Schedule(100000, 300000, r); n != 2 || each != 90000 {
		t.Errorf("schedule: %d × %d", n, each)
	}
	if got := Overpaid("2026-01-20", map[Month]int64{{2026, 1}: 1, {2026, 2}: 10, {2026, 3}: 100}); got != 110 {
		t.Errorf("overpaid %d", got)
	}
}

func TestCheckAccount(t *testing.T) {
	body := "622202160812345678"
	good := body + string(LuhnDigit(body))
	if err := CheckAccount("a", good); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "123", good[:len(good)-1] + string('0'+(good[len(good)-1]-'0'+1)%10), "62220216081234567x", "62220216081234567890"} {
		if err := CheckAccount("a", bad); !errs.Is(err, errs.Invalid) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCycleStates(t *testing.T) {
	if s, err := Next(Review, Submit); err != nil || s != Submitted {
		t.Fatal(s, err)
	}
	if _, err := Next(Review, Approve); !errs.Is(err, errs.Conflict) {
		t.Fatal(err)
	}
	if _, err := Next(Paying, Submit); !errs.Is(err, errs.Conflict) {
		t.Fatal(err)
	}
	if err := Approver(7, 7); !errs.Is(err, errs.Forbidden) {
		t.Fatal(err)
	}
	if err := Approver(7, 8); err != nil {
		t.Fatal(err)
	}
}

func TestBankCode(t *testing.T) {
	for name, want := range map[string]string{"中国工商银行济宁分行": "ICBC", "中国银行": "BOC", "中国农业银行": "ABC", "邮储银行": "PSBC",
		"济宁农商银行": "RCB", "济宁银行": "JNB", "花旗银行": "OTHER", "中国建设银行": "CCB"} {
		if got := BankCode(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}
