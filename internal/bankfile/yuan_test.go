package bankfile

import (
	"math"
	"testing"

	"gongshang/internal/errs"
)

func TestFormatYuan(t *testing.T) {
	tests := []struct {
		fen  int64
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{50, "0.50"},
		{100, "1.00"},
		{123456, "1234.56"},
		{maxFen, "9999999999999.99"},
		{-5, "-0.05"},
		{math.MinInt64, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := FormatYuan(tt.fen); got != tt.want {
			t.Errorf("FormatYuan(%d) = %q, want %q", tt.fen, got, tt.want)
		}
	}
}

func TestParseYuan(t *testing.T) {
	good := []struct {
		s    string
		want int64
	}{
		{"0.00", 0},
		{"0.05", 5},
		{"1.00", 100},
		{"1234.56", 123456},
		{"9999999999999.99", maxFen},
	}
	for _, tt := range good {
		got, err := ParseYuan(tt.s)
		if err != nil || got != tt.want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", tt.s, got, err, tt.want)
		}
		if back := FormatYuan(got); back != tt.s {
			t.Errorf("FormatYuan(ParseYuan(%q)) = %q", tt.s, back)
		}
	}
	bad := []string{"", "1", "12", "1.5", "1.", ".50", "1.234", "-1.00", "+1.00", "1e2", "1.0e1", "1E+02",
		" 1.00", "1.00 ", "01.00", "00.00", "1,000.00", "1_000.00", "10000000000000.00", "1..00", "1.-1",
		"１.００", "0x1.00", "NaN", "1.00\n"}
	for _, s := range bad {
		v, err := ParseYuan(s)
		if err == nil {
			t.Errorf("ParseYuan(%q) = %d, want an error", s, v)
			continue
		}
		if f, ok := errs.First(err); !ok || f.Field != "amount" {
			t.Errorf("ParseYuan(%q): %v, want a field error on amount", s, err)
		}
	}
}

func TestAddCapped(t *testing.T) {
	tests := []struct{ sum, fen, want int64 }{
		{0, 5, 5},
		{maxFen - 5, 5, maxFen},
		{maxFen - 5, 6, maxFen + 1},
		{maxFen + 1, maxFen, maxFen + 1},
		{0, maxFen + 1, maxFen + 1},
	}
	for _, tt := range tests {
		if got := addCapped(tt.sum, tt.fen); got != tt.want {
			t.Errorf("addCapped(%d, %d) = %d, want %d", tt.sum, tt.fen, got, tt.want)
		}
	}
}
