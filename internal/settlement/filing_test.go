package settlement

import (
	"strings"
	"testing"
)

var filingRules = FilingRules{ValidMonths: 12, HoldMonths: 3, ReferralDays: 90}

const filingToday = "2024-03-10"

func TestFilingPrepare(t *testing.T) {
	tests := []struct {
		name      string
		f         Filing
		validFrom string
		validTo   string
	}{
		{"residence runs 12 months less a day", Filing{Kind: Residence, TreatRegion: "370100", Reason: "随子女居住", ValidFrom: "2024-03-01"}, "2024-03-01", "2025-02-28"},
		{"posted starts today by default", Filing{Kind: Posted, TreatRegion: "370100", Reason: "常驻济南工作"}, "2024-03-10", "2025-03-09"},
		{"referral runs ReferralDays", Filing{Kind: Referral, TreatRegion: "370100", Reason: "转上级医院", Institution: "h37010200001", ValidFrom: "2024-03-10"}, "2024-03-10", "2024-06-07"},
		{"start 30 days back", Filing{Kind: Residence, TreatRegion: "370000", Reason: "长期居住", ValidFrom: "2024-02-09"}, "2024-02-09", "2025-02-08"},
		{"start 90 days ahead", Filing{Kind: Residence, TreatRegion: "370000", Reason: "长期居住", ValidFrom: "2024-06-08"}, "2024-06-08", "2025-06-07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.f
			if err := f.Prepare(filingRules, filingToday); err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if f.ValidFrom != tt.validFrom || f.ValidTo != tt.validTo {
				t.Errorf("window %s–%s, want %s–%s", f.ValidFrom, f.ValidTo, tt.validFrom, tt.validTo)
			}
			if f.State != FilingActive || f.FiledOn != filingToday || f.Channel != "window" {
				t.Errorf("state/filed/channel = %s/%s/%s", f.State, f.FiledOn, f.Channel)
			}
			if f.Kind == Referral && f.Institution != "H37010200001" {
				t.Errorf("institution %q not upper-cased", f.Institution)
			}
		})
	}
}

func TestFilingPrepareRefuses(t *testing.T) {
	ok := Filing{Kind: Residence, TreatRegion: "370100", Reason: "随子女居住", ValidFrom: "2024-03-01"}
	tests := []struct {
		name   string
		edit   func(*Filing)
		fields []string
	}{
		{"bad kind", func(f *Filing) { f.Kind = "abroad" }, []string{"kind"}},
		{"bad region", func(f *Filing) { f.TreatRegion = "3701" }, []string{"treat_region"}},
		{"blank reason", func(f *Filing) { f.Reason = "  " }, []string{"reason"}},
		{"start too early", func(f *Filing) { f.ValidFrom = "2024-02-08" }, []string{"valid_from"}},
		{"start too late", func(f *Filing) { f.ValidFrom = "2024-06-09" }, []string{"valid_from"}},
		{"start not a date", func(f *Filing) { f.ValidFrom = "2024/03/01" }, []string{"valid_from"}},
		{"referral without institution", func(f *Filing) { f.Kind = Referral }, []string{"institution_code"}},
		{"referral with a bad institution code", func(f *Filing) { f.Kind, f.Institution = Referral, "H3701" }, []string{"institution_code"}},
		{"several at once", func(f *Filing) { f.Reason, f.TreatRegion = "", "x" }, []string{"treat_region", "reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			err := f.Prepare(filingRules, filingToday)
			if got := fieldsOf(t, err); !sameStrings(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			if f.ValidTo != "" || f.State != "" {
				t.Errorf("a refused filing got a window or state: %s %s", f.ValidTo, f.State)
			}
		})
	}
}

func TestFilingCovers(t *testing.T) {
	base := Filing{Kind: Residence, ValidFrom: "2024-03-01", ValidTo: "2025-02-28", State: FilingActive}
	with := func(edit func(*Filing)) Filing { f := base; edit(&f); return f }
	province := with(func(f *Filing) { f.TreatRegion = "370000" })
	city := with(func(f *Filing) { f.TreatRegion = "370100" })
	county := with(func(f *Filing) { f.TreatRegion = "370102" })
	referral := with(func(f *Filing) { f.Kind, f.TreatRegion, f.Institution = Referral, "370100", "H37010200001" })
	cancelled := with(func(f *Filing) { f.TreatRegion, f.State = "370000", FilingCancelled })
	tests := []struct {
		name              string
		f                 Filing
		inst, region, day string
		want              bool
	}{
		{"province covers its counties", province, "H37081100001", "370811", "2024-06-01", true},
		{"province not another province", province, "H11010500001", "110105", "2024-06-01", false},
		{"city covers its counties", city, "H37010200001", "370102", "2024-06-01", true},
		{"city covers itself", city, "H37010000001", "370100", "2024-06-01", true},
		{"city not another city", city, "H37081100001", "370811", "2024-06-01", false},
		{"county covers itself", county, "H37010200001", "370102", "2024-06-01", true},
		{"county not its neighbour", county, "H37010300001", "370103", "2024-06-01", false},
		{"first day", province, "H37081100001", "370811", "2024-03-01", true},
		{"last day", province, "H37081100001", "370811", "2025-02-28", true},
		{"before the window", province, "H37081100001", "370811", "2024-02-29", false},
		{"after the window", province, "H37081100001", "370811", "2025-03-01", false},
		{"referral at its institution", referral, "H37010200001", "370102", "2024-06-01", true},
		{"referral elsewhere in the region", referral, "H37010200002", "370102", "2024-06-01", false},
		{"cancelled", cancelled, "H37081100001", "370811", "2024-06-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.Covers(tt.inst, tt.region, tt.day); got != tt.want {
				t.Errorf("Covers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFilingMayChange(t *testing.T) {
	tests := []struct {
		name  string
		f     Filing
		today string
		want  string // exact message; "" allowed
	}{
		{"a day before the hold ends", Filing{Kind: Residence, FiledOn: "2024-03-10", State: FilingActive}, "2024-06-09",
			"异地长期居住（工作）备案自备案之日起满3个月后方可变更或撤销（2024-06-10起）"},
		{"the day the hold ends", Filing{Kind: Posted, FiledOn: "2024-03-10", State: FilingActive}, "2024-06-10", ""},
		{"referral any time", Filing{Kind: Referral, FiledOn: "2024-03-10", State: FilingActive}, "2024-03-10", ""},
		{"cancelled", Filing{Kind: Residence, FiledOn: "2023-01-01", State: FilingCancelled}, "2024-06-10", "该备案已撤销，不能变更或撤销"},
		{"used referral", Filing{Kind: Referral, FiledOn: "2024-03-10", State: FilingUsed}, "2024-03-11", "该备案已使用，不能变更或撤销"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.MayChange(filingRules, tt.today); got != tt.want {
				t.Errorf("MayChange = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsRemote(t *testing.T) {
	tests := []struct {
		treat, insured string
		want           bool
	}{
		{"370811", "370812", false}, // two counties of one city
		{"370800", "370811", false},
		{"370811", "370100", true},
		{"370811", "110100", true},
		{"370811", "", false},
	}
	for _, tt := range tests {
		if got := IsRemote(tt.treat, tt.insured); got != tt.want {
			t.Errorf("IsRemote(%s, %s) = %v, want %v", tt.treat, tt.insured, got, tt.want)
		}
	}
}

func TestPoolingRegionAndProvince(t *testing.T) {
	tests := []struct{ code, pooling, province string }{
		{"370811", "370800", "370000"},
		{"370800", "370800", "370000"},
		{"370000", "370000", "370000"},
		{"37", "37", "37"},
	}
	for _, tt := range tests {
		if got := PoolingRegion(tt.code); got != tt.pooling {
			t.Errorf("PoolingRegion(%s) = %s, want %s", tt.code, got, tt.pooling)
		}
		if got := Province(tt.code); got != tt.province {
			t.Errorf("Province(%s) = %s, want %s", tt.code, got, tt.province)
		}
	}
	if !strings.HasPrefix(Residence.Name(), "异地") || Referral.Name() != "转诊转院" || FilingKind("x").Valid() {
		t.Error("filing kind names")
	}
}
