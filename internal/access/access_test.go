package access

import "testing"

func TestScope(t *testing.T) {
	tests := []struct {
		region, code string
		want         bool
	}{
		{"370000", "370811", true},
		{"370000", "370800", true},
		{"370000", "410100", false},
		{"370800", "370881", true},
		{"370800", "370800", true},
		{"370800", "370900", false},
		{"370811", "370811", true},
		{"370811", "370812", false},
		{"370811", "3708111", false},
		{"bad", "370811", false},
	}
	for _, tt := range tests {
		s := ScopeOf(tt.region)
		if got := s.Covers(tt.code); got != tt.want {
			t.Errorf("ScopeOf(%s).Covers(%s) = %v, want %v", tt.region, tt.code, got, tt.want)
		}
		if len(tt.code) == 6 && tt.region != "bad" {
			lo, hi := s.Range()
			if got := lo <= tt.code && tt.code < hi; got != tt.want {
				t.Errorf("ScopeOf(%s).Range() [%s,%s) contains %s = %v, want %v", tt.region, lo, hi, tt.code, got, tt.want)
			}
		}
	}
}

func TestInsurerNeverSeesPersonalData(t *testing.T) {
	if RoleInsurer.Can(PermPersonalData) || RoleInsurer.Can(PermRegistryWrite) {
		t.Fatal("合作经办 must be read-and-assist only, with IDs masked")
	}
	for _, r := range Roles {
		if !r.Can(PermSignedIn) || r.Name() == "" {
			t.Errorf("role %s: missing name or sign-in", r)
		}
	}
}
