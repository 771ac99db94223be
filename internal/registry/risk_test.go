package registry

import (
	"strings"
	"testing"
)

func TestRiskMismatch(t *testing.T) {
	ref := MustReference()
	for _, tc := range []struct {
		industry string
		class    int
		want     string // "" when no warning
	}{
		{"01", 4, ""},
		{"01", 2, "对应的行业风险类别为四类，本单位登记为二类"},
		{"02", 8, "林业"},
		{"zz", 3, ""}, // unknown industry: the form's own error says so
	} {
		got := ref.RiskMismatch(tc.industry, tc.class)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("RiskMismatch(%s, %d) = %q, want %q", tc.industry, tc.class, got, tc.want)
		}
	}
}
