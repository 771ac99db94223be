package settlement

import (
	"strings"
	"testing"
)

func validInstitution() Institution {
	return Institution{Code: "H37081100001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: Medical, Level: 3,
		AgreementFrom: "2024-01-01", AgreementTo: "2026-12-31", Status: Active}
}

func TestInstitutionValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Institution)
		fields []string
	}{
		{"valid", func(*Institution) {}, nil},
		{"code trimmed and upper-cased", func(in *Institution) { in.Code = " h37081100001 " }, nil},
		{"code too short", func(in *Institution) { in.Code = "H3708110000" }, []string{"code"}},
		{"code starts with a digit", func(in *Institution) { in.Code = "137081100001" }, []string{"code"}},
		{"code with a symbol", func(in *Institution) { in.Code = "H3708110000-" }, []string{"code"}},
		{"name required", func(in *Institution) { in.Name = "  " }, []string{"name"}},
		{"name too long", func(in *Institution) { in.Name = strings.Repeat("院", 101) }, []string{"name"}},
		{"bad region", func(in *Institution) { in.RegionCode = "3708" }, []string{"region_code"}},
		{"bad type", func(in *Institution) { in.Type = "pharmacy" }, []string{"type"}},
		{"bad level", func(in *Institution) { in.Level = 4 }, []string{"level"}},
		{"suspended needs a reason", func(in *Institution) { in.Status = Suspended }, []string{"status_reason"}},
		{"suspended with a reason", func(in *Institution) { in.Status, in.StatusReason = Suspended, "违规查处" }, nil},
		{"end before start", func(in *Institution) { in.AgreementTo = "2023-12-31" }, []string{"agreement_to"}},
		{"end equals start", func(in *Institution) { in.AgreementTo = "2024-01-01" }, nil},
		{"start not a date", func(in *Institution) { in.AgreementFrom = "2024-02-30" }, []string{"agreement_from"}},
		{"bad status", func(in *Institution) { in.Status = "closed" }, []string{"status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInstitution()
			tt.edit(&in)
			err := in.Validate()
			if got := fieldsOf(t, err); !sameStrings(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			if err == nil && in.Code != "H37081100001" {
				t.Errorf("code = %q", in.Code)
			}
		})
	}
	in := validInstitution()
	in.Status, in.Depts = "", []string{" 骨科 ", "", "骨科", "手外科"}
	if err := in.Validate(); err != nil || in.Status != Active || !sameStrings(in.Depts, []string{"骨科", "手外科"}) {
		t.Errorf("defaults: err %v, status %s, depts %v", err, in.Status, in.Depts)
	}
}

func TestInstitutionRefusal(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Institution)
		day  string
		want []string // parts of the message; nil may transact
	}{
		{"active inside the agreement", func(*Institution) {}, "2025-06-01", nil},
		{"last day of the agreement", func(*Institution) {}, "2026-12-31", nil},
		{"suspended", func(in *Institution) { in.Status, in.StatusReason = Suspended, "违规查处" }, "2025-06-01", []string{"暂停结算", "（违规查处）"}},
		{"ended", func(in *Institution) { in.Status = Ended }, "2025-06-01", []string{"已终止"}},
		{"before the agreement", func(*Institution) {}, "2023-12-31", []string{"不在有效期内", "2024-01-01至2026-12-31"}},
		{"after the agreement", func(*Institution) {}, "2027-01-01", []string{"不在有效期内"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInstitution()
			tt.edit(&in)
			got := in.Refusal(tt.day)
			if tt.want == nil {
				if got != "" {
					t.Errorf("Refusal = %q, want none", got)
				}
				return
			}
			for _, s := range tt.want {
				if !strings.Contains(got, s) {
					t.Errorf("Refusal = %q, want it to contain %q", got, s)
				}
			}
		})
	}
}
