package settlement

import (
	"strings"
	"testing"

	"gongshang/internal/catalogue"
)

// threeDays is a stay of 3 days "计入不计出": 1 March to 4 March 2024.
func threeDays() *Encounter { return stay("2024-03-01 10:00", "2024-03-04 09:00") }

func TestOutsideStay(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 0)}
	early := fee("early", "I", "2024-02-29 20:00", 1, 1000)
	late := fee("late", "I", "2024-03-05 08:00", 1, 700)
	sameDay := fee("sameday", "I", "2024-03-01 01:00", 1, 300) // before the admission hour, on its day
	dischargeDay := fee("dscg", "I", "2024-03-04 08:00", 1, 200)
	inside := fee("in", "I", "2024-03-02 10:00", 1, 100)
	r, tot := evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{early, late, sameDay, dischargeDay, inside}, Pricing: pricing(rows, nil)})

	wantPayable(t, r, map[string]int64{"early": 0, "late": 0, "sameday": 300, "dscg": 200, "in": 100})
	fs := findingsOf(r, "GS-D01")
	if len(fs) != 2 || fs[0].LineSN != "early" || fs[1].LineSN != "late" {
		t.Fatalf("GS-D01 findings = %+v, want early and late", fs)
	}
	if fs[0].Severity != Definite || fs[0].Amount != 1000 || fs[1].Amount != 700 {
		t.Errorf("GS-D01 = %+v, want definite 1000 and 700", fs)
	}
	if !strings.Contains(fs[0].Content, "早于入院") || !strings.Contains(fs[1].Content, "晚于出院") {
		t.Errorf("contents %q / %q", fs[0].Content, fs[1].Content)
	}
	if tot.Definite != 1700 || tot.FundPay != 600 {
		t.Errorf("definite/fund = %d/%d, want 1700/600", tot.Definite, tot.FundPay)
	}
}

func TestBedDays(t *testing.T) {
	rows := []catalogue.Entry{
		row("BED1", "普通病房床位费", catalogue.Bed, 5000),
		row("BED2", "重症监护病房床位费", catalogue.Bed, 8000),
		row("NURSE", "一级护理", catalogue.Bed, 0),
	}
	tests := []struct {
		name     string
		enc      *Encounter
		lines    []*Line
		payable  map[string]int64
		deducted int64 // GS-D03 total
	}{
		{"4 units on a 3-day stay", threeDays(),
			[]*Line{fee("1", "BED1", "2024-03-01 12:00", 4, 5000)},
			map[string]int64{"1": 15000}, 5000},
		{"3 units on a 3-day stay", threeDays(),
			[]*Line{fee("1", "BED1", "2024-03-01 12:00", 3, 5000)},
			map[string]int64{"1": 15000}, 0},
		{"ward transfer sums both bed codes", threeDays(),
			[]*Line{fee("1", "BED1", "2024-03-01 12:00", 2, 5000), fee("2", "BED2", "2024-03-03 12:00", 2, 8000)},
			map[string]int64{"1": 10000, "2": 8000}, 8000},
		{"same-day stay is one day", stay("2024-03-01 08:00", "2024-03-01 18:00"),
			[]*Line{fee("1", "BED1", "2024-03-01 12:00", 2, 5000)},
			map[string]int64{"1": 5000}, 5000},
		{"above the ceiling: the excess day at the ceiling", threeDays(),
			[]*Line{fee("1", "BED1", "2024-03-01 12:00", 4, 6000)},
			map[string]int64{"1": 15000}, 5000},
		{"nursing is not a bed-day", threeDays(),
			[]*Line{fee("1", "NURSE", "2024-03-01 12:00", 5, 1000)},
			map[string]int64{"1": 5000}, 0},
		{"a charge before admission does not use up the stay's bed-days", threeDays(),
			[]*Line{fee("0", "BED1", "2024-02-29 12:00", 1, 5000), fee("1", "BED1", "2024-03-01 12:00", 1, 5000),
				fee("2", "BED1", "2024-03-02 12:00", 1, 5000), fee("3", "BED1", "2024-03-03 12:00", 1, 5000)},
			map[string]int64{"0": 0, "1": 5000, "2": 5000, "3": 5000}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := evaluate(t, Check{Encounter: tt.enc, Lines: tt.lines, Pricing: pricing(rows, nil)})
			wantPayable(t, r, tt.payable)
			var got int64
			for _, f := range findingsOf(r, "GS-D03") {
				got += f.Amount
				if f.Severity != Definite {
					t.Errorf("GS-D03 severity %s", f.Severity)
				}
			}
			if got != tt.deducted {
				t.Errorf("GS-D03 deducted %d, want %d (%+v)", got, tt.deducted, r.Findings)
			}
		})
	}
}

func TestPriceAboveCeilingFinding(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 1000)}
	l := fee("1", "I", "2024-03-02 10:00", 2, 1200)
	r, tot := evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{l}, Pricing: pricing(rows, nil)})
	fs := findingsOf(r, "GS-D06")
	if len(fs) != 1 || fs[0].Severity != Definite || fs[0].Amount != 400 || fs[0].LineSN != "1" {
		t.Fatalf("GS-D06 = %+v, want one definite finding of 400 on line 1", fs)
	}
	if !strings.Contains(fs[0].Content, "限价10.00元") {
		t.Errorf("content %q does not name the ceiling", fs[0].Content)
	}
	want := Totals{MedFee: 2400, OverLimit: 400, InScope: 2000, FundPay: 2000, CashPay: 400, Definite: 0}
	if tot != want {
		t.Errorf("totals = %+v, want %+v (the over-limit amount must not be deducted twice)", tot, want)
	}
}

func TestOutOfScopeFinding(t *testing.T) {
	l := fee("1", "NOPE", "2024-03-02 10:00", 1, 700)
	r, tot := evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{l}, Pricing: pricing(nil, nil)})
	fs := findingsOf(r, "GS-D09")
	if len(fs) != 1 || fs[0].Amount != 700 || fs[0].Severity != Definite {
		t.Fatalf("GS-D09 = %+v, want definite 700", fs)
	}
	if tot.FundPay != 0 || tot.CashPay != 700 || tot.OwnPay != 700 {
		t.Errorf("totals = %+v", tot)
	}
}

func TestBundles(t *testing.T) {
	rows := []catalogue.Entry{row("PKG", "清创缝合术", catalogue.Item, 0), row("CMP", "换药", catalogue.Item, 0)}
	pair := func(ind int) []catalogue.Bundle {
		return []catalogue.Bundle{{Region: "370800", Code1: "PKG", Code2: "CMP", Indicator: ind, ValidFrom: "2024-01-01", Rationale: "清创缝合含换药"}}
	}
	tests := []struct {
		name     string
		ind      int
		lines    []*Line
		payable  map[string]int64
		severity Severity // "" no finding
		flagged  int64
	}{
		{"indicator 0 deducts the component", 0,
			[]*Line{fee("1", "PKG", "2024-03-02 09:00", 1, 5000), fee("2", "CMP", "2024-03-02 15:00", 1, 800)},
			map[string]int64{"1": 5000, "2": 0}, Definite, 0},
		{"indicator 1 is suspicious and paid", 1,
			[]*Line{fee("1", "PKG", "2024-03-02 09:00", 1, 5000), fee("2", "CMP", "2024-03-02 15:00", 1, 800)},
			map[string]int64{"1": 5000, "2": 800}, Suspicious, 800},
		{"different days are allowed", 0,
			[]*Line{fee("1", "PKG", "2024-03-02 09:00", 1, 5000), fee("2", "CMP", "2024-03-03 09:00", 1, 800)},
			map[string]int64{"1": 5000, "2": 800}, "", 0},
		{"component alone is allowed", 0,
			[]*Line{fee("2", "CMP", "2024-03-02 15:00", 1, 800)},
			map[string]int64{"2": 800}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, tot := evaluate(t, Check{Encounter: threeDays(), Lines: tt.lines, Pricing: pricing(rows, pair(tt.ind))})
			wantPayable(t, r, tt.payable)
			fs := findingsOf(r, "GS-D07")
			if tt.severity == "" {
				if len(fs) != 0 {
					t.Errorf("GS-D07 = %+v, want none", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Severity != tt.severity || fs[0].LineSN != "2" || fs[0].Amount != 800 {
				t.Fatalf("GS-D07 = %+v, want one %s finding of 800 on line 2", fs, tt.severity)
			}
			if tot.Flagged != tt.flagged {
				t.Errorf("flagged = %d, want %d", tot.Flagged, tt.flagged)
			}
		})
	}
}

func TestFrequency(t *testing.T) {
	perDay := row("DAY", "肌肉注射", catalogue.Item, 0)
	perDay.PerDay = 2
	perStay := row("STAY", "康复综合评定", catalogue.Item, 0)
	perStay.PerStay = 3
	interval := row("GAP", "康复评定", catalogue.Item, 0)
	interval.MinInterval = 14
	rows := []catalogue.Entry{perDay, perStay, interval}
	month := func() *Encounter { return stay("2024-03-01 08:00", "2024-03-31 08:00") }
	tests := []struct {
		name     string
		lines    []*Line
		payable  map[string]int64
		deducted int64
	}{
		{"per day: only the later line's excess", []*Line{
			fee("2", "DAY", "2024-03-02 15:00", 1, 300), fee("1", "DAY", "2024-03-02 09:00", 2, 300), fee("3", "DAY", "2024-03-03 09:00", 2, 300)},
			map[string]int64{"1": 600, "2": 0, "3": 600}, 300},
		{"per day: one line above the limit", []*Line{fee("1", "DAY", "2024-03-02 09:00", 3, 300)},
			map[string]int64{"1": 600}, 300},
		{"per stay", []*Line{fee("1", "STAY", "2024-03-02 09:00", 2, 1000), fee("2", "STAY", "2024-03-05 09:00", 2, 1000)},
			map[string]int64{"1": 2000, "2": 1000}, 1000},
		{"min interval", []*Line{
			fee("1", "GAP", "2024-03-01 09:00", 1, 1000), fee("2", "GAP", "2024-03-05 09:00", 1, 1000), fee("3", "GAP", "2024-03-15 09:00", 1, 1000)},
			map[string]int64{"1": 1000, "2": 0, "3": 1000}, 1000},
		{"per stay ignores a charge refused as outside the stay", []*Line{
			fee("0", "STAY", "2024-02-28 09:00", 3, 1000), fee("1", "STAY", "2024-03-02 09:00", 3, 1000)},
			map[string]int64{"0": 0, "1": 3000}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := evaluate(t, Check{Encounter: month(), Lines: tt.lines, Pricing: pricing(rows, nil)})
			wantPayable(t, r, tt.payable)
			var got int64
			for _, f := range findingsOf(r, "GS-D08") {
				got += f.Amount
			}
			if got != tt.deducted {
				t.Errorf("GS-D08 deducted %d, want %d (%+v)", got, tt.deducted, r.Findings)
			}
		})
	}
}

func TestDeviceLife(t *testing.T) {
	dev := row("DEV", "小腿假肢", catalogue.Device, 0)
	dev.Region, dev.LifeMonths = "370000", 24
	tests := []struct {
		name    string
		when    string
		history []DeviceUse
		payable int64
	}{
		{"replaced a day early", "2024-04-30 10:00", []DeviceUse{{"DEV", "2022-05-01"}}, 0},
		{"replaced when due", "2024-05-01 10:00", []DeviceUse{{"DEV", "2022-05-01"}}, 300000},
		{"another device in the history", "2024-04-30 10:00", []DeviceUse{{"OTHER", "2023-05-01"}}, 300000},
		{"first configuration", "2024-04-30 10:00", nil, 300000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &Encounter{MedType: DeviceFit, Begin: at(tt.when)}
			l := fee("1", "DEV", tt.when, 1, 300000)
			r, _ := evaluate(t, Check{Encounter: e, Lines: []*Line{l}, Pricing: pricing([]catalogue.Entry{dev}, nil), Devices: tt.history})
			wantPayable(t, r, map[string]int64{"1": tt.payable})
			fs := findingsOf(r, "GS-D12")
			if hit := tt.payable == 0; hit != (len(fs) == 1) {
				t.Errorf("GS-D12 = %+v, want a finding: %v", fs, hit)
			}
		})
	}
}

func TestDuplicateLine(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 0)}
	a, b := fee("1", "I", "2024-03-02 10:00", 1, 500), fee("2", "I", "2024-03-02 10:00", 1, 500)
	r, tot := evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{a, b}, Pricing: pricing(rows, nil)})
	fs := findingsOf(r, "GS-D04")
	if len(fs) != 1 || fs[0].Severity != Suspicious || fs[0].LineSN != "2" || fs[0].Amount != 500 {
		t.Fatalf("GS-D04 = %+v, want one suspicious finding of 500 on line 2", fs)
	}
	wantPayable(t, r, map[string]int64{"1": 500, "2": 500})
	if tot.FundPay != 1000 || tot.Flagged != 500 || tot.Definite != 0 {
		t.Errorf("totals = %+v", tot)
	}

	c := fee("3", "I", "2024-03-02 10:00", 1, 500)
	c.Doctor = "D02"
	r, _ = evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{fee("1", "I", "2024-03-02 10:00", 1, 500), c}, Pricing: pricing(rows, nil)})
	if fs := findingsOf(r, "GS-D04"); len(fs) != 0 {
		t.Errorf("another doctor's line flagged: %+v", fs)
	}
}

func TestInjuryRegion(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 0)}
	tests := []struct {
		name, diag, injury string
		flagged            int64
	}{
		{"another body region", "S52.5", "S62.6", 1500},
		{"same body region", "S62.3", "S62.6", 0},
		{"not an injury code", "M54.5", "S62.6", 0},
		{"injury unknown", "S52.5", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := threeDays()
			e.DiagCode = tt.diag
			lines := []*Line{fee("1", "I", "2024-03-02 10:00", 1, 1000), fee("2", "I", "2024-03-02 11:00", 1, 500), fee("3", "NOPE", "2024-03-02 12:00", 1, 900)}
			r, tot := evaluate(t, Check{Encounter: e, Lines: lines, Pricing: pricing(rows, nil), InjuryDiag: tt.injury})
			fs := findingsOf(r, "GS-D13")
			if tt.flagged == 0 {
				if len(fs) != 0 {
					t.Errorf("GS-D13 = %+v, want none", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Severity != Suspicious || fs[0].Amount != tt.flagged {
				t.Fatalf("GS-D13 = %+v, want suspicious %d", fs, tt.flagged)
			}
			if tot.FundPay != 1500 || tot.Flagged != tt.flagged {
				t.Errorf("fund/flagged = %d/%d, want 1500/%d (suspicious is paid)", tot.FundPay, tot.Flagged, tt.flagged)
			}
		})
	}
}

func TestBodyRegion(t *testing.T) {
	for code, want := range map[string]string{"S62.6": "腕和手", " s09 ": "头部", "S99.9": "踝和足", "T14": "", "S6": "", "": ""} {
		if got := BodyRegion(code); got != want {
			t.Errorf("BodyRegion(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestRuleByID(t *testing.T) {
	if r, ok := RuleByID("GS-D04"); !ok || r.Severity != Suspicious {
		t.Errorf("GS-D04 = %+v, %v", r, ok)
	}
	if r, ok := RuleByID("GS-D06"); !ok || r.Severity != Definite || r.Severity.Name() != "明确违规" {
		t.Errorf("GS-D06 = %+v, %v", r, ok)
	}
	if _, ok := RuleByID("GS-X99"); ok {
		t.Error("unknown rule found")
	}
}

func TestRuleSwitchedOff(t *testing.T) {
	rows := []catalogue.Entry{row("I", "换药", catalogue.Item, 0)}
	late := fee("late", "I", "2024-03-05 08:00", 1, 700)
	r, _ := evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{late}, Pricing: pricing(rows, nil)})
	if len(findingsOf(r, "GS-D01")) != 1 {
		t.Fatal("a line after discharge is not found")
	}
	late = fee("late", "I", "2024-03-05 08:00", 1, 700)
	r, _ = evaluate(t, Check{Encounter: threeDays(), Lines: []*Line{late}, Pricing: pricing(rows, nil), Off: map[string]bool{"GS-D01": true}})
	if len(r.Findings) != 0 {
		t.Fatalf("switched-off rule still acts: %+v", r.Findings)
	}
	wantPayable(t, r, map[string]int64{"late": 700})
}

func TestRulesComeFromTheRuleBase(t *testing.T) {
	for _, id := range []string{"GS-D01", "GS-D03", "GS-D06", "GS-D07", "GS-D08", "GS-D09", "GS-D12", "GS-D04", "GS-D13"} {
		if _, ok := RuleByID(id); !ok {
			t.Errorf("real-time rule %s is not in the rule base", id)
		}
	}
}
