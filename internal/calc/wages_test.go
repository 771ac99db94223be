package calc

import (
	"strings"
	"testing"
	"time"
)

func TestWageFromRecords(t *testing.T) {
	injury := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	full := map[string]int64{"2026-03": 999999} // the injury month itself is not used
	for m := 0; m < 12; m++ {
		full[time.Date(2025, time.Month(3+m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")] = 600000 + int64(m)
	}
	for _, tt := range []struct {
		name   string
		wages  map[string]int64
		used   int
		fields map[string]string
		says   string
	}{
		{"twelve months", full, 12, map[string]string{"wage_avg_12m": "6000.06"}, "2025年3月至2026年2月"},
		{"short", map[string]int64{"2025-12": 500000, "2026-01": 500001, "2026-02": 500000, "2024-12": 1}, 3,
			map[string]string{"wage_total": "15000.01", "contribution_months": "3"}, "只有3个月有缴费记录"},
		{"none", map[string]int64{"2026-03": 1}, 0, map[string]string{}, "手工填写"},
	} {
		b := WageFromRecords(injury, tt.wages)
		if b.Used != tt.used || len(b.Months) != 12 || b.Months[0].Period != "2025-03" || b.Months[11].Period != "2026-02" {
			t.Errorf("%s: used %d of %v", tt.name, b.Used, b.Months)
		}
		got := b.Fields()
		if len(got) != len(tt.fields) {
			t.Errorf("%s: fields %v, want %v", tt.name, got, tt.fields)
		}
		for k, v := range tt.fields {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", tt.name, k, got[k], v)
			}
		}
		if ex := b.Explain(); !strings.Contains(ex, tt.says) || !strings.Contains(ex, "第六十四条") {
			t.Errorf("%s: %s", tt.name, ex)
		}
	}
}
