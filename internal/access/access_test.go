package access

import (
	"strings"
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

func TestMaySeeByKind(t *testing.T) {
	county := Owners{Region: "370811", WorkerID: 7, EmployerIDs: []int64{3, 4}, InstitutionID: 9}
	tests := []struct {
		name string
		p    Principal
		o    Owners
		want bool
	}{
		{"county clerk, own county", Principal{Kind: KindStaff, Role: RoleClerk, RegionCode: "370811"}, county, true},
		{"county clerk, other county", Principal{Kind: KindStaff, Role: RoleClerk, RegionCode: "370881"}, county, false},
		{"city auditor", Principal{Kind: KindStaff, Role: RoleAuditor, RegionCode: "370800"}, county, true},
		{"staff, object without region", Principal{Kind: KindStaff, Role: RoleAdmin, RegionCode: "370000"}, Owners{WorkerID: 7}, false},
		{"the worker", Principal{Kind: KindWorker, WorkerID: 7, RegionCode: "370811"}, county, true},
		{"another worker of the same county", Principal{Kind: KindWorker, WorkerID: 8, RegionCode: "370811"}, county, false},
		{"worker without id", Principal{Kind: KindWorker, RegionCode: "370811"}, Owners{Region: "370811"}, false},
		{"an employer concerned", Principal{Kind: KindEmployer, EmployerID: 4}, county, true},
		{"an employer not concerned", Principal{Kind: KindEmployer, EmployerID: 5}, county, false},
		{"the institution", Principal{Kind: KindInstitution, InstitutionID: 9}, county, true},
		{"another institution", Principal{Kind: KindInstitution, InstitutionID: 10}, county, false},
		{"system", System, county, true},
		{"unknown kind", Principal{Kind: "robot", RegionCode: "370000"}, county, false},
		{"empty kind with a role", Principal{Role: RoleAdmin, RegionCode: "370000"}, county, false},
	}
	for _, tt := range tests {
		if got := tt.p.MaySee(tt.o); got != tt.want {
			t.Errorf("%s: MaySee = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCanByKind(t *testing.T) {
	if !System.Can(PermRegistryWrite) || !System.Can(PermUsersManage) || System.Can(Permission("no.such")) {
		t.Error("the system holds its listed grants and nothing else")
	}
	if System.Role != "" || System.Kind != KindSystem {
		t.Error("the system is its own kind, not an administrator")
	}
	for _, k := range []Kind{KindWorker, KindEmployer, KindInstitution} {
		p := Principal{Kind: k, Role: RoleAdmin, RegionCode: "370000"} // a role on an outside principal counts for nothing
		if p.Can(PermRegistryRead) || p.Can(PermPersonalData) || !p.Can(PermSignedIn) {
			t.Errorf("%s: outside principals hold no staff permission", k)
		}
		if p.Scope().Covers("370811") {
			t.Errorf("%s: outside principals have no region scope", k)
		}
	}
	if (Principal{Role: RoleAdmin, RegionCode: "370000"}).Can(PermSignedIn) {
		t.Error("a principal without a kind can do nothing")
	}
	if !(Principal{Kind: KindStaff, Role: RoleAdmin}).Can(PermUsersManage) {
		t.Error("staff act by role")
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

func TestDummyHashCostsLikeARealOne(t *testing.T) {
	d := DummyHash()
	if d != DummyHash() {
		t.Fatal("the dummy hash is not cached")
	}
	real := HashPassword("someone's password")
	if params := func(h string) string { return strings.Split(h, "$")[3] }; params(d) != params(real) { // m=…,t=…,p=…
		t.Fatalf("dummy %s and real %s differ in parameters", d, real)
	}
	if CheckPassword(d, "") || CheckPassword(d, "not a real password ") {
		t.Fatal("the dummy hash accepts a password")
	}
}
