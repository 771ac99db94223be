package param

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDefaultLoadsAndValidates(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Versions() {
		if SourceTitle(v.Source) == "" {
			t.Errorf("%s[%s]: unknown source %q", v.Table, v.Key, v.Source)
		}
		if v.Note == "" {
			t.Errorf("%s[%s]: missing note", v.Table, v.Key)
		}
	}
}

func TestLookupRegionAndDate(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		table, key, region, on, want string
	}{
		{"avg_wage", "", "370800", "2025-06-01", "7506.00"},
		{"avg_wage", "", "370881", "2024-12-31", "7359.42"},
		{"avg_wage", "", "370881", "2026-01-01", "7621.00"},
		{"time_limit", "recognition_acceptance", "370881", "2025-06-01", "15d"},
		{"time_limit", "recognition_acceptance_simple", "370881", "2025-06-01", "3d"},
		{"time_limit", "recognition_acceptance_simple", "370800", "2025-06-01", "15d"},
		{"time_limit", "recognition_decision_simple", "370881", "2025-06-01", "7d"},
		{"time_limit", "recognition_decision_simple", "370800", "2025-06-01", "15d"},
		{"time_limit", "recognition_acceptance", "370882", "2025-06-01", "15d"},
		{"time_limit", "assessment_delivery", "370800", "2025-06-30", "20d"},
		{"time_limit", "assessment_delivery", "370800", "2025-07-01", "15d"},
	}
	for _, tt := range tests {
		v, err := s.Lookup(tt.table, tt.key, tt.region, date(tt.on))
		if err != nil || v.Value != tt.want {
			t.Errorf("Lookup(%s,%s,%s,%s) = %q, %v; want %q", tt.table, tt.key, tt.region, tt.on, v.Value, err, tt.want)
		}
	}
	if _, err := s.Lookup("avg_wage", "", "110000", date("2025-01-01")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Beijing average wage: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Lookup("avg_wage", "", "370800", date("2022-12-31")); !errors.Is(err, ErrNotFound) {
		t.Errorf("before first version: err = %v", err)
	}
}

func TestAddLaterVersionWins(t *testing.T) {
	s, _ := Default()
	v := Version{Table: "avg_wage", Region: "370800", EffectiveFrom: date("2025-01-01"), Value: "7000.00", Source: "PROJ", Confidence: "U", Note: "济宁"}
	if err := s.Add(v); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Lookup("avg_wage", "", "370811", date("2025-05-01"))
	if got.Value != "7000.00" || got.Region != "370800" {
		t.Errorf("city value not preferred: %+v", got)
	}
	v.Value = "7100.00"
	_ = s.Add(v)
	if got, _ := s.Lookup("avg_wage", "", "370800", date("2025-05-01")); got.Value != "7100.00" {
		t.Errorf("later added version should win: %+v", got)
	}
}

func TestAddRejects(t *testing.T) {
	s, _ := Default()
	ok := Version{Table: "avg_wage", Region: "370800", EffectiveFrom: date("2025-01-01"), Value: "7000.00", Source: "PROJ", Confidence: "U"}
	bad := []func(v *Version){
		func(v *Version) { v.Table = "nope" },
		func(v *Version) { v.Key = "x" },
		func(v *Version) { v.Region = "3708" },
		func(v *Version) { v.EffectiveFrom = time.Time{} },
		func(v *Version) { v.Value = "7000.001" },
		func(v *Version) { v.Value = "-1" },
		func(v *Version) { v.Source = "" },
		func(v *Version) { v.Confidence = "maybe" },
		func(v *Version) { v.Table, v.Key, v.Value = "time_limit", "recognition_decision", "60 days" },
		func(v *Version) { v.Table, v.Key, v.Value = "holiday_calendar", "2026-01-01", "party" },
		func(v *Version) { v.Table, v.Key, v.Value = "disability_lump_sum_months", "11", "5" },
	}
	for i, mut := range bad {
		v := ok
		mut(&v)
		if err := s.Add(v); !errors.Is(err, ErrInvalid) {
			t.Errorf("case %d: err = %v, want ErrInvalid", i, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	good := map[string]int64{"0": 0, "7506": 750600, "7506.0": 750600, "4503.60": 450360, "0.01": 1}
	for s, want := range good {
		if got, err := ParseMoney(s); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "-1", "+1", "1.001", "1e3", "1,000", " 1", "1.", ".5", "abc", "12345678901234"} {
		if _, err := ParseMoney(s); err == nil {
			t.Errorf("ParseMoney(%q) accepted", s)
		}
	}
	if FormatMoneyGrouped(108376000) != "1,083,760.00" || FormatMoney(5) != "0.05" {
		t.Error("format")
	}
}

func TestRegionChain(t *testing.T) {
	got := RegionChain("370881")
	want := []string{"370881", "370800", "370000", "000000"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v", got)
		}
	}
	if c := RegionChain("370000"); len(c) != 2 {
		t.Errorf("province chain %v", c)
	}
}

func TestParsePeriod(t *testing.T) {
	for s, want := range map[string]Period{"60d": {60, UnitDays}, "5wd": {5, UnitWorkdays}, "6m": {6, UnitMonths}, "1y": {1, UnitYears}} {
		if got, err := ParsePeriod(s); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "d", "0d", "60", "60x", "-1d", "99999999d"} {
		if _, err := ParsePeriod(s); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", s)
		}
	}
}

// TestEveryKeyHasALabel fails when a key of the parameter set, or a value
// of an enum table, has no Chinese name, or a table is in no group of the
// parameter book: the book and the explanations would show a code.
func TestEveryKeyHasALabel(t *testing.T) {
	set, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range set.Versions() {
		if l, ok := KeyLabel(v.Table, v.Key); !ok || (v.Key != "" && l == "") {
			t.Errorf("%s: key %q has no label", v.Table, v.Key)
		}
		if tb, _ := TableByName(v.Table); tb.Kind == KindEnum {
			if _, ok := ValueLabel(v.Table, v.Value); !ok {
				t.Errorf("%s: value %q has no label", v.Table, v.Value)
			}
		}
		if v.Table == "time_limit" && Stage(v.Table, v.Key) == "" {
			t.Errorf("time_limit %q has no stage", v.Key)
		}
		if SourceShort(v.Source) == v.Source {
			t.Errorf("%s/%s: source %q has no short name", v.Table, v.Key, v.Source)
		}
		if c := v.Cite(); strings.Contains(c, ".md") || strings.Contains(c, v.Source+" ") {
			t.Errorf("citation shows a file name or source code: %s", c)
		}
	}
	for _, tb := range Catalogue() {
		for _, k := range tb.Keys {
			if _, ok := KeyLabel(tb.Name, k); !ok {
				t.Errorf("%s: catalogue key %q has no label", tb.Name, k)
			}
		}
		for _, e := range tb.Enum {
			if _, ok := ValueLabel(tb.Name, e); !ok {
				t.Errorf("%s: enum value %q has no label", tb.Name, e)
			}
		}
		n := 0
		for _, g := range Groups() {
			for _, name := range g.Tables {
				if name == tb.Name {
					n++
				}
			}
		}
		if n != 1 {
			t.Errorf("table %s is in %d groups of the parameter book, want 1", tb.Name, n)
		}
	}
	for _, s := range Sources() {
		if strings.Contains(s.Title, ".md") {
			t.Errorf("source %s names a file: %s", s.ID, s.Title)
		}
	}
}

func TestDisplay(t *testing.T) {
	for _, tt := range []struct{ table, value, want string }{
		{"avg_wage", "7506.00", "¥7,506.00/月"}, {"base_wage_clamp", "0.6", "60%"}, {"industry_base_rate", "0.002", "0.2%"},
		{"rate_tier", "0.5,1.5", "50%、150%"}, {"time_limit", "5wd", "5个工作日"}, {"exit_medical_months", "19.5", "19.5个月"},
		{"rounding", "fen_half_up", "按分四舍五入"}, {"survivor_age", "60", "60周岁"}, {"meal_allowance", "30", "¥30.00/天"},
	} {
		if got := Display(tt.table, tt.value); got != tt.want {
			t.Errorf("Display(%s, %s) = %q, want %q", tt.table, tt.value, got, tt.want)
		}
	}
}

func TestTimeLimitOrderCoversLabels(t *testing.T) {
	if len(timeLimitOrder) != len(keyLabels["time_limit"]) {
		t.Fatalf("time-limit order has %d keys, labels %d", len(timeLimitOrder), len(keyLabels["time_limit"]))
	}
	for _, k := range timeLimitOrder {
		if _, ok := keyLabels["time_limit"][k]; !ok {
			t.Errorf("time-limit key %s ordered but not labelled", k)
		}
	}
}
