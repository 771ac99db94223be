package settlement

import (
	"strings"
	"testing"
	"time"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
)

func TestSum(t *testing.T) {
	lines := []*Line{
		{SN: "a", Amount: 1000, Priced: Priced{InScope: 1000}},
		{SN: "b", Amount: 1200, Priced: Priced{InScope: 1000, OverLimit: 200}},
		{SN: "c", Amount: 500, Priced: Priced{OwnPay: 500}},
	}
	r := Result{
		Payable: map[string]int64{"a": 1000, "b": 600, "c": 0},
		Findings: []Finding{
			{RuleID: "GS-D08", Severity: Definite, Amount: 400},
			{RuleID: "GS-D04", Severity: Suspicious, Amount: 300},
			{RuleID: "GS-D13", Severity: Suspicious, Amount: 50},
		},
	}
	want := Totals{MedFee: 2700, OwnPay: 500, OverLimit: 200, InScope: 2000, FundPay: 1600, CashPay: 1100, Definite: 400, Flagged: 350}
	got := Sum(lines, r)
	if got != want {
		t.Fatalf("Sum = %+v, want %+v", got, want)
	}
	neg := got.Negate()
	wantNeg := Totals{-2700, -500, -200, -2000, -1600, -1100, -400, -350}
	if neg != wantNeg {
		t.Errorf("Negate = %+v, want %+v", neg, wantNeg)
	}
}

func TestSettlementEndToEnd(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 1000), row("BED", "普通病房床位费", catalogue.Bed, 5000)}
	lines := []*Line{
		fee("1", "I", "2024-03-02 10:00", 1, 1000),   // paid
		fee("2", "I", "2024-03-02 11:00", 1, 1300),   // 300 over the ceiling
		fee("3", "NOPE", "2024-03-02 12:00", 1, 500), // not in the catalogue
		fee("4", "I", "2024-02-28 10:00", 1, 700),    // before admission
		fee("5", "BED", "2024-03-01 12:00", 4, 5000), // one bed-day too many
	}
	_, tot := evaluate(t, Check{Encounter: threeDays(), Lines: lines, Pricing: pricing(rows, nil)})
	want := Totals{MedFee: 23500, OwnPay: 500, OverLimit: 300, InScope: 22700, FundPay: 17000, CashPay: 6500, Definite: 5700}
	if tot != want {
		t.Errorf("totals = %+v, want %+v", tot, want)
	}
}

func TestCheckSum(t *testing.T) {
	lines := []*Line{{Amount: 6000}, {Amount: 4000}}
	tests := []struct {
		declared int64
		ok       bool
	}{{10000, true}, {10001, true}, {9999, true}, {10002, false}, {9998, false}}
	for _, tt := range tests {
		err := CheckSum(tt.declared, lines)
		if (err == nil) != tt.ok {
			t.Errorf("CheckSum(%d) = %v, want ok %v", tt.declared, err, tt.ok)
			continue
		}
		if tt.ok {
			continue
		}
		if f, ok := errs.First(err); !ok || f.Field != "input.data.medfee_sumamt" {
			t.Errorf("CheckSum(%d) field = %+v", tt.declared, f)
		}
		if !strings.Contains(err.Error(), Yuan(tt.declared)+"元") || !strings.Contains(err.Error(), "100.00元") {
			t.Errorf("message %q does not give both sums", err.Error())
		}
	}
}

func TestStayDays(t *testing.T) {
	utc := func(s string) time.Time { return at(s).UTC() }
	tests := []struct {
		name       string
		begin, end time.Time
		want       int
	}{
		{"same day is one", at("2024-03-01 08:00"), at("2024-03-01 18:00"), 1},
		{"admission counted, discharge not", at("2024-03-01 10:00"), at("2024-03-04 09:00"), 3},
		{"leap day", at("2024-02-28 10:00"), at("2024-03-01 10:00"), 2},
		{"end before begin is one", at("2024-03-04 10:00"), at("2024-03-01 10:00"), 1},
		{"23:30 CST to 00:30 CST, given in UTC", utc("2024-03-01 23:30"), utc("2024-03-04 00:30"), 3},
		{"00:30 CST to 23:30 CST, given in UTC", utc("2024-03-01 00:30"), utc("2024-03-03 23:30"), 2},
		{"23:30 to 00:30 the next day", at("2024-03-01 23:30"), at("2024-03-02 00:30"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StayDays(tt.begin, tt.end); got != tt.want {
				t.Errorf("StayDays = %d, want %d", got, tt.want)
			}
		})
	}
	open := stay("2024-03-01 10:00", "")
	if got := open.StayDays(at("2024-03-06 07:00")); got != 5 {
		t.Errorf("open stay as of 6 March = %d, want 5", got)
	}
	if got := threeDays().StayDays(at("2024-04-01 07:00")); got != 3 {
		t.Errorf("discharged stay ignores asOf: %d, want 3", got)
	}
}

func TestMealAllowance(t *testing.T) {
	withType := func(m MedType, end string) *Encounter { e := stay("2024-03-01 10:00", end); e.MedType = m; return e }
	tests := []struct {
		name  string
		e     *Encounter
		daily int64
		days  int
		fen   int64
	}{
		{"inpatient stay", withType(Inpatient, "2024-03-04 09:00"), 3000, 3, 9000},
		{"rehab stay", withType(RehabStay, "2024-03-04 09:00"), 3000, 3, 9000},
		{"21 read as 42", withType(GeneralStay, "2024-03-04 09:00"), 3000, 3, 9000},
		{"open stay", withType(Inpatient, ""), 3000, 0, 0},
		{"outpatient visit", withType(Outpatient, "2024-03-04 09:00"), 3000, 0, 0},
		{"no rate", withType(Inpatient, "2024-03-04 09:00"), 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			days, fen := MealAllowance(tt.e, tt.daily)
			if days != tt.days || fen != tt.fen {
				t.Errorf("MealAllowance = %d days %d fen, want %d days %d fen", days, fen, tt.days, tt.fen)
			}
		})
	}
}

func TestPayability(t *testing.T) {
	tests := []struct {
		name string
		e    Encounter
		want string // a part of the message; "" payable
	}{
		{"cancelled", Encounter{State: Cancelled, CaseID: 0}, "已撤销"},
		{"settled", Encounter{State: Settled, CaseID: 5, Payable: true}, "请勿重复结算"},
		{"pending recognition", Encounter{State: Open}, "待认定"},
		{"recognition not positive", Encounter{State: Discharged, CaseID: 5}, "尚未作出认定工伤结论"},
		{"payable", Encounter{State: Discharged, CaseID: 5, Payable: true}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.e.Payability()
			if tt.want == "" {
				if got != "" {
					t.Errorf("Payability = %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("Payability = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}

func TestMedType(t *testing.T) {
	tests := []struct {
		m        MedType
		norm     MedType
		stay, ok bool
		name     string
	}{
		{"21", Inpatient, true, true, "工伤住院"},
		{"41", Outpatient, false, true, "工伤门诊"},
		{"42", Inpatient, true, true, "工伤住院"},
		{"43", RehabStay, true, true, "工伤康复住院"},
		{"44", DeviceFit, false, true, "辅助器具配置"},
		{"99", "99", false, false, ""},
	}
	for _, tt := range tests {
		if got := tt.m.Normalize(); got != tt.norm {
			t.Errorf("%s.Normalize() = %s, want %s", tt.m, got, tt.norm)
		}
		if got := tt.m.Stay(); got != tt.stay {
			t.Errorf("%s.Stay() = %v, want %v", tt.m, got, tt.stay)
		}
		if got := tt.m.Valid(); got != tt.ok {
			t.Errorf("%s.Valid() = %v, want %v", tt.m, got, tt.ok)
		}
		if got := tt.m.Name(); got != tt.name {
			t.Errorf("%s.Name() = %q, want %q", tt.m, got, tt.name)
		}
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		name string
		id   string
		want string
		kind byte
	}{
		{"setl_id", SetlID("370800", 12), "370800200000000012", '2'},
		{"mdtrt_id", MdtrtID("370800", 12), "370800100000000012", '1'},
		{"psn_no", PsnNo("370800", 12), "370800000000000012", '0'},
	}
	for _, tt := range tests {
		if tt.id != tt.want || len(tt.id) != 18 || tt.id[6] != tt.kind {
			t.Errorf("%s = %q (len %d), want %q with kind %c at index 6", tt.name, tt.id, len(tt.id), tt.want, tt.kind)
		}
	}
}

func TestTimes(t *testing.T) {
	tests := []struct{ qty, price, want int64 }{
		{2 * QtyScale, 1000, 2000},
		{15000, 333, 500}, // 499.5 rounds up
		{-15000, 333, -500},
		{1, 1, 0},
	}
	for _, tt := range tests {
		if got := Times(tt.qty, tt.price); got != tt.want {
			t.Errorf("Times(%d, %d) = %d, want %d", tt.qty, tt.price, got, tt.want)
		}
	}
	if got := (&Line{Qty: 15000}).Units(); got != 2 {
		t.Errorf("1.5 units round up to %d, want 2", got)
	}
}
