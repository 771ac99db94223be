package registry

import (
	"testing"
	"time"

	"gongshang/internal/errs"
)

var boundsToday = time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC) // 2026-12-01 01:00 in Jining

func fieldCode(err error, field string) string {
	var e *errs.Error
	if err == nil {
		return ""
	}
	if !asErr(err, &e) {
		return "?"
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Code
		}
	}
	return ""
}

func asErr(err error, e **errs.Error) bool {
	x, ok := err.(*errs.Error)
	*e = x
	return ok
}

func TestEmploymentDateBounds(t *testing.T) {
	tests := []struct {
		start, end string
		field      string
		code       string
	}{
		{"2020-01-01", "", "", ""},
		{"1950-01-01", "", "", ""},
		{"0001-01-01", "", "start", "date_too_early"},
		{"1800-01-01", "", "start", "date_too_early"},
		{"1949-12-31", "", "start", "date_too_early"},
		{"2026-12-01", "", "", ""}, // today in China Standard Time, though still 11-30 in UTC
		{"2026-12-02", "", "start", "date_future"},
		{"2020-01-01", "2026-12-01", "", ""},
		{"2020-01-01", "2099-01-01", "end", "date_future"},
		{"2020-01-01", "2019-12-31", "end", "date_order"},
	}
	for _, tt := range tests {
		e := Employment{EmployerID: 1, Start: tt.start, End: tt.end}
		err := e.Validate(boundsToday)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s–%s: unexpected %v", tt.start, tt.end, err)
			}
			continue
		}
		if got := fieldCode(err, tt.field); got != tt.code {
			t.Errorf("%s–%s: %s code = %q, want %q (%v)", tt.start, tt.end, tt.field, got, tt.code, err)
		}
	}
}

func TestWagePeriodBounds(t *testing.T) {
	tests := []struct{ period, code string }{
		{"2026-12", ""}, {"2026-11", ""}, {"1950-01", ""},
		{"0000-01", "period_too_early"}, {"1800-01", "period_too_early"}, {"1949-12", "period_too_early"},
		{"2027-01", "period_future"}, {"2099-01", "period_future"}, {"9999-12", "period_future"},
		{"2026-13", "period_format"}, {"2026-1", "period_format"},
	}
	for _, tt := range tests {
		w := Wage{Period: tt.period, AmountFen: 500000}
		if got := fieldCode(w.Validate(boundsToday), "period"); got != tt.code {
			t.Errorf("%s: code = %q, want %q", tt.period, got, tt.code)
		}
	}
}

func TestNamesRefuseControlAndBidiCharacters(t *testing.T) {
	for _, name := range []string{"济宁\x00机械", "济宁\u202e械机", "济宁\u2066机械", "济\u200b宁机械", "济宁\x7f机械", "济宁\u0085机械", "济宁\xff机械", "济宁\ufffd机械"} {
		e := Employer{CreditCode: "91370800MA3C5K0X4T", Name: name, RegionCode: "370811", Industry: "C34", RiskClass: 4, RateTierPct: 100, Status: EmployerActive}
		code := fieldCode(e.Validate(), "name")
		if code != "bad_chars" && code != "bad_encoding" {
			t.Errorf("employer name %q: code %q, want bad_chars or bad_encoding", name, code)
		}
		w := Worker{Name: name}
		if code := fieldCode(w.Validate(boundsToday), "name"); code != "bad_chars" && code != "bad_encoding" {
			t.Errorf("worker name %q: code %q", name, code)
		}
	}
	if err := CleanText("q", "查询", "济宁·机械（集团）有限公司 A-1"); err != nil {
		t.Errorf("ordinary text refused: %v", err)
	}
}
