package registry

import (
	"testing"
	"time"

	"gongshang/internal/errs"
)

var today = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func code(err error) string {
	if e, ok := err.(*errs.Error); ok && len(e.Fields) > 0 {
		return e.Fields[0].Code
	}
	return ""
}

func TestParseIDNumber(t *testing.T) {
	tests := []struct {
		in, code, birth, sex string
	}{
		{"11010519491231002X", "", "1949-12-31", "F"}, // the GB 11643 example
		{"11010519491231002x", "", "1949-12-31", "F"}, // a lower-case x is accepted
		{"110105194912310021", "id_checksum", "", ""},
		{"11010519491331002X", "id_birth_date", "", ""}, // month 13 (check char recomputed below)
		{"1101051949123100", "id_length", "", ""},
		{"11010519491231A02X", "id_format", "", ""},
	}
	tests[3].in = tests[3].in[:17] + string(IDCheckChar(tests[3].in[:17]))
	for _, tt := range tests {
		info, err := ParseIDNumber("id_number", tt.in, today)
		if got := code(err); got != tt.code {
			t.Errorf("%s: code %q, want %q (%v)", tt.in, got, tt.code, err)
			continue
		}
		if tt.code == "" && (info.BirthDate != tt.birth || info.Sex != tt.sex) {
			t.Errorf("%s: %+v", tt.in, info)
		}
	}
	future := "370811" + "20300101" + "001"
	future += string(IDCheckChar(future))
	if got := code(func() error { _, err := ParseIDNumber("id_number", future, today); return err }()); got != "id_birth_date" {
		t.Errorf("birth date after today: %q", got)
	}
	if NormalizeIDNumber("11010519491231002x") != "11010519491231002X" {
		t.Error("normalize must upper-case x")
	}
}

func TestCreditCode(t *testing.T) {
	tests := []struct{ in, code string }{
		{"91350100M000100Y43", ""}, // a published example
		{"91350100M000100Y44", "usc_checksum"},
		{"91350100M000100Y4", "usc_length"},
		{"91350100M0001O0Y43", "usc_format"}, // letter O is not in the alphabet
	}
	for _, tt := range tests {
		if got := code(ValidateCreditCode("credit_code", tt.in)); got != tt.code {
			t.Errorf("%s: %q, want %q", tt.in, got, tt.code)
		}
	}
}

func TestReferenceData(t *testing.T) {
	ref, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Industries) != 97 || len(ref.Classes) != 8 {
		t.Fatalf("industries %d, classes %d", len(ref.Industries), len(ref.Classes))
	}
	for _, in := range ref.Industries {
		if _, ok := ref.Class(in.RiskClass); !ok {
			t.Errorf("industry %s: class %d unknown", in.Code, in.RiskClass)
		}
	}
	if ref.TierAllowed(1, 80) || !ref.TierAllowed(2, 80) || !ref.TierAllowed(1, 150) {
		t.Error("class 1 has tiers 100/120/150 only; classes 2–8 also 50 and 80")
	}
	regions, err := Regions()
	if err != nil || len(regions) != 32 {
		t.Fatalf("regions: %d %v", len(regions), err)
	}
	// Jining's eleven county-level units, and the districts of the remote
	// institutions in the demo (济南 历下区, 徐州 泉山区); each parent listed
	// before its children (the regions table's foreign key).
	listed := map[string]bool{}
	for _, r := range regions {
		if r.Parent != "" && !listed[r.Parent] {
			t.Errorf("%s %s: parent %s not listed before it", r.Code, r.Name, r.Parent)
		}
		listed[r.Code] = true
		if r.Level == "county" && r.Parent != "370800" && r.Code != "370102" && r.Code != "320311" {
			t.Errorf("%s %s: parent %s", r.Code, r.Name, r.Parent)
		}
	}
}

func TestEmployerValidate(t *testing.T) {
	e := Employer{CreditCode: "91350100M000100Y43", Name: "济宁市测试有限公司", RegionCode: "370811", Industry: "34", RiskClass: 4, RateTierPct: 100}
	e.Normalize()
	if err := e.Validate(); err != nil {
		t.Fatalf("valid employer: %v", err)
	}
	e.ContactPhone, e.RiskClass, e.Status = "12345", 9, "gone"
	var fs errs.Fields
	fs.Merge(e.Validate())
	for _, f := range []string{"contact_phone", "risk_class", "status"} {
		if !fs.Has(f) {
			t.Errorf("want an error on %s: %+v", f, fs)
		}
	}
}

func TestEmploymentDates(t *testing.T) {
	tests := []struct {
		start, end string
		field      string
	}{
		{"2020-01-01", "", ""},
		{"2020-02-30", "", "start"},
		{"2027-01-01", "", "start"},
		{"2020-01-01", "2019-12-31", "end"},
	}
	for _, tt := range tests {
		e := Employment{EmployerID: 1, Start: tt.start, End: tt.end}
		var fs errs.Fields
		fs.Merge(e.Validate(today))
		if tt.field == "" && len(fs) > 0 || tt.field != "" && !fs.Has(tt.field) {
			t.Errorf("%s–%s: %+v, want error on %q", tt.start, tt.end, fs, tt.field)
		}
	}
}
