package access

import (
	"testing"

	"gongshang/internal/errs"
)

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

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw, user, code string // code "" = accepted
	}{
		{"          ", "", "password_trivial"},
		{"aaaaaaaaaa", "", "password_trivial"},
		{"1234567890", "", "password_trivial"},
		{"0987654321", "", "password_trivial"},
		{"abcdefghij", "", "password_trivial"},
		{"qwertyuiop", "", "password_trivial"},
		{"Abcdefghij1!", "", "password_trivial"},
		{"Qwertyuiop[]", "", "password_trivial"},
		{"short1!", "", "password_short"},
		{"Password2024!", "", "password_common"},
		{"P@ssw0rd2024!", "", "password_common"},
		{"Gongshang@2026", "", "password_common"},
		{"woaini1314!!", "", "password_common"},
		{"zhang-Wei-2026", "zhangwei", ""},
		{"Zhangwei-2026", "zhangwei", "password_username"},
		{"lowercaseonlyx", "", "password_classes"},
		{"lower-with-dash", "", ""},            // two classes, 15 characters: a passphrase
		{"lower-dash", "", "password_classes"}, // two classes, too short for that
		{"Tm9-kZ2-qP4", "", ""},
		{"correct-horse-1", "", ""},
		{"gongshang-demo", "", ""},
	}
	for _, tt := range tests {
		err := ValidatePassword("password", tt.pw, tt.user)
		var got string
		if e, ok := err.(*errs.Error); ok && len(e.Fields) == 1 && e.Fields[0].Field == "password" {
			got = e.Fields[0].Code
		} else if err != nil {
			t.Errorf("%q: unexpected error shape %v", tt.pw, err)
			continue
		}
		if got != tt.code {
			t.Errorf("ValidatePassword(%q, user %q) = %q (%v), want %q", tt.pw, tt.user, got, err, tt.code)
		}
	}
}
