package demo

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gongshang/internal/settlement"
)

func TestInstitutions(t *testing.T) {
	today := time.Date(2026, 12, 2, 15, 4, 0, 0, time.FixedZone("CST", 8*3600))
	ins := Institutions(today)
	if !reflect.DeepEqual(ins, Institutions(today)) {
		t.Fatal("two calls differ")
	}
	byType := map[settlement.InstitutionType]int{}
	medicalIn := map[string]int{}
	codes := map[string]bool{}
	outside := map[string]int{}
	status := map[settlement.Status]int{}
	for i := range ins {
		in := ins[i]
		if err := in.Validate(); err != nil {
			t.Errorf("%s %s: %v", in.Code, in.Name, err)
		}
		if !settlement.ValidCode(in.Code) || !strings.HasPrefix(in.Code, "H"+in.RegionCode) || len(in.Code) != 12 {
			t.Errorf("%s %s: code not H + region + serial", in.Code, in.Name)
		}
		if codes[in.Code] {
			t.Errorf("%s twice", in.Code)
		}
		codes[in.Code] = true
		status[in.Status]++
		if in.PaasID != "" {
			t.Errorf("%s: PaasID set", in.Code)
		}
		if !strings.HasPrefix(in.RegionCode, "3708") {
			outside[in.RegionCode]++
			continue
		}
		byType[in.Type]++
		if in.Type == settlement.Medical {
			medicalIn[in.RegionCode]++
		}
		switch {
		case in.Type == settlement.Device && (in.Level != 0 || in.Beds != 0):
			t.Errorf("%s: a device supplier with level %d, %d beds", in.Name, in.Level, in.Beds)
		case in.Type != settlement.Device && (in.Level < 1 || in.Beds == 0):
			t.Errorf("%s: level %d, %d beds", in.Name, in.Level, in.Beds)
		case in.Level == 1 && !reflect.DeepEqual(in.Equipment, []string{"DR", "彩超"}):
			t.Errorf("%s: a township centre with %v", in.Name, in.Equipment)
		case in.Level == 3 && in.Beds < 300:
			t.Errorf("%s: 三级 with %d beds", in.Name, in.Beds)
		}
		if in.AgreementFrom != "2024-01-01" || in.Status != settlement.Ended && in.AgreementTo != "2026-12-31" && in.AgreementTo != "2027-12-31" {
			t.Errorf("%s: agreement %s–%s", in.Name, in.AgreementFrom, in.AgreementTo)
		}
	}
	if byType[settlement.Medical] != 73 || byType[settlement.Rehab] != 18 || byType[settlement.Device] != 3 {
		t.Errorf("in Jining by type: %v, want 73 medical, 18 rehab, 3 device", byType)
	}
	for _, c := range counties {
		if medicalIn[c.Code] == 0 {
			t.Errorf("%s: no medical institution", c.Name)
		}
	}
	if medicalIn["370811"] <= medicalIn["370883"] {
		t.Errorf("任城区 should have the most: %v", medicalIn)
	}
	if outside["370102"] != 2 || outside["320311"] != 1 || len(outside) != 2 {
		t.Errorf("outside Jining: %v", outside)
	}
	if status[settlement.Suspended] != 1 || status[settlement.Ended] != 1 || status[settlement.Active] != len(ins)-2 {
		t.Errorf("statuses %v", status)
	}
	for _, in := range ins {
		if in.Status == settlement.Active && in.Refusal("2026-12-02") != "" {
			t.Errorf("%s: refused on today: %s", in.Name, in.Refusal("2026-12-02"))
		}
	}
	if later := Institutions(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)); later[0].AgreementTo < "2028-12-31" {
		t.Errorf("in 2028 the agreements end %s", later[0].AgreementTo)
	}
}
