package his

import (
	"encoding/json"
	"math"
	"testing"

	"gongshang/internal/errs"
)

func TestAmountUnmarshal(t *testing.T) {
	tests := []struct {
		in   string
		want Amount
		ok   bool
	}{
		{`12`, 1200, true},
		{`12.5`, 1250, true},
		{`"12.50"`, 1250, true},
		{`-3.00`, -300, true},
		{`"-0.30"`, -30, true},
		{`0`, 0, true},
		{`"007.1"`, 710, true},
		{`9999999999.99`, 999999999999, true},
		{`-9999999999.99`, -999999999999, true},
		{`10000000000.00`, 0, false},
		{`12.345`, 0, false},
		{`"12.345"`, 0, false},
		{`1e3`, 0, false},
		{`"1E3"`, 0, false},
		{`"NaN"`, 0, false},
		{`""`, 0, false},
		{`"12."`, 0, false},
		{`".5"`, 0, false},
		{`"+1"`, 0, false},
		{`" 1"`, 0, false},
		{`"1,000"`, 0, false},
		{`true`, 0, false},
		{`null`, 0, false},
		{`"99999999999999999999999"`, 0, false},
	}
	for _, tt := range tests {
		var a Amount
		err := json.Unmarshal([]byte(tt.in), &a)
		if (err == nil) != tt.ok || (tt.ok && a != tt.want) {
			t.Errorf("%s: got %d, %v; want %d ok=%v", tt.in, a, err, tt.want, tt.ok)
		}
		if err != nil && tt.in != "null" && !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v is not Invalid", tt.in, err)
		}
	}
}

func TestAmountMarshal(t *testing.T) {
	tests := map[Amount]string{1250: "12.50", -30: "-0.30", 0: "0.00", 5: "0.05", 100: "1.00", MaxAmount: "9999999999.99", -MaxAmount: "-9999999999.99"}
	for a, want := range tests {
		b, err := json.Marshal(a)
		if err != nil || string(b) != want {
			t.Errorf("%d: got %s, %v; want %s", a, b, err, want)
		}
	}
}

func TestQty(t *testing.T) {
	tests := []struct {
		in, out string
		want    Qty
		ok      bool
	}{
		{`2`, `2`, 20000, true},
		{`0.5`, `0.5`, 5000, true},
		{`"1.2500"`, `1.25`, 12500, true},
		{`"0.0001"`, `0.0001`, 1, true},
		{`"-1"`, `-1`, -10000, true},
		{`1.23456`, ``, 0, false},
		{`2e1`, ``, 0, false},
	}
	for _, tt := range tests {
		var q Qty
		err := json.Unmarshal([]byte(tt.in), &q)
		if (err == nil) != tt.ok || (tt.ok && q != tt.want) {
			t.Errorf("%s: got %d, %v; want %d ok=%v", tt.in, q, err, tt.want, tt.ok)
			continue
		}
		if b, _ := json.Marshal(q); tt.ok && string(b) != tt.out {
			t.Errorf("%s: marshalled %s, want %s", tt.in, b, tt.out)
		}
	}
}

func TestQtyTimes(t *testing.T) {
	tests := []struct {
		q     Qty
		price Amount
		want  Amount
	}{
		{2 * QtyUnit, 1250, 2500},
		{5000, 1, 1},        // 0.5 × 0.01 = 0.005 → 0.01
		{4999, 1, 0},        // 0.4999 × 0.01 → 0.00
		{-5000, 1, -1},      // half away from zero
		{5000, -1, -1},      // either sign
		{3333, 100, 33},     // 0.3333 × 1.00
		{12500, 3333, 4166}, // 1.25 × 33.33 = 41.6625 → 41.66
		{15000, 3333, 5000}, // 1.5 × 33.33 = 49.995 → 50.00
		{MaxQty, MaxAmount, math.MaxInt64},
		{-MaxQty, MaxAmount, math.MinInt64 + 1},
		{0, MaxAmount, 0},
	}
	for _, tt := range tests {
		if got := tt.q.Times(tt.price); got != tt.want {
			t.Errorf("%d × %d = %d, want %d", tt.q, tt.price, got, tt.want)
		}
	}
}

func TestRatioMarshal(t *testing.T) {
	b, _ := json.Marshal([]Ratio{0, 100, 15})
	if string(b) != `[0.00,1.00,0.15]` {
		t.Errorf("got %s", b)
	}
}
