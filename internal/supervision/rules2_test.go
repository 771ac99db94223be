package supervision

import (
	"fmt"
	"strings"
	"testing"
)

// peersFx adds n ordinary stays of different workers at H1 (the peer
// group of the rules that compare), each a 5-day fracture stay.
func peersFx(t *testing.T, n int) *fx {
	f := newFx(t)
	for i := 0; i < n; i++ {
		c := fmt.Sprintf("Q%03d", i)
		f.x.Persons = append(f.x.Persons, Person{CertNo: c, Employer: fmt.Sprintf("E%d", i)})
		f.x.Injuries = append(f.x.Injuries, Injury{ID: "I" + c, CertNo: c, Employer: fmt.Sprintf("E%d", i), Date: day(t, "2025-02-28"),
			Regions: []string{"wrist_hand"}, Diag: "S62.6", Event: "EV-" + c})
		e := f.normal("H1", c)
		// vary the stays a little, as real ones do
		f.line(e, "2025-03-03 10:00:00", "DRESS", float64(1+i%3), 0, "D1")
	}
	return f
}

func TestGhostStay(t *testing.T) {
	f := newFx(t)
	e := f.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-06")
	f.line(e, "2025-03-02 09:00:00", "OP-HAND", 1, 0, "D1")
	f.line(e, "2025-03-02 09:00:00", "ANES", 1, 0, "D1")
	if got := f.scan("GS-F04"); len(got) != 1 {
		t.Fatalf("surgical stay without work-up: %+v", got)
	}
	f.line(e, "2025-03-01 11:00:00", "CBC", 1, 0, "D1")
	if got := f.scan("GS-F04"); len(got) != 0 {
		t.Fatalf("with a blood count: %+v", got)
	}
	// two days is below the stay length the rule looks at
	g := newFx(t)
	s := g.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-03 09:00:00")
	g.daily(s, "2025-03-01", "2025-03-03")
	if got := g.scan("GS-F04"); len(got) != 0 {
		t.Fatalf("a two-day stay: %+v", got)
	}
}

func TestImplantWithoutSurgery(t *testing.T) {
	f := newFx(t)
	e := f.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-06")
	f.line(e, "2025-03-01 11:00:00", "CBC", 1, 0, "D1")
	sn := f.line(e, "2025-03-02 10:00:00", "SCREW", 2, 0, "D1")
	got := f.scan("GS-F06")
	if len(got) != 1 || got[0].Lines[0] != sn {
		t.Fatalf("implant without surgery: %+v", got)
	}
	if got := newFxNormal(t).scan("GS-F06"); len(got) != 0 {
		t.Fatalf("ordinary operation: %+v", got)
	}
}

func newFxNormal(t *testing.T) *fx {
	f := newFx(t)
	f.normal("H1", "P1")
	return f
}

func TestCTAndMRSameDay(t *testing.T) {
	f := newFx(t)
	e := f.normal("H2", "P1")
	f.line(e, "2025-03-01 12:00:00", "CT-HAND", 1, 0, "D2")
	f.line(e, "2025-03-02 12:00:00", "MR15-HAND", 1, 0, "D2") // the next day: not this rule
	if got := f.scan("GS-E03"); len(got) != 0 {
		t.Fatalf("different days: %+v", got)
	}
	sn := f.line(e, "2025-03-01 15:00:00", "MR15-HAND", 1, 0, "D2")
	got := f.scan("GS-E03")
	if len(got) != 1 || got[0].Lines[0] != sn {
		t.Fatalf("same day: %+v", got)
	}
	// an intracranial injury needs both
	f.x.Encounters[e].MainDiag = "S06.5"
	if got := f.scan("GS-E03"); len(got) != 0 {
		t.Fatalf("intracranial injury: %+v", got)
	}
}

func TestRehabOutsideTheInjury(t *testing.T) {
	f := newFx(t)
	e := f.enc("R1", "P1", RehabStay, "2025-04-01 09:00:00", "2025-04-10 09:00:00")
	f.line(e, "2025-04-02 09:00:00", "PT", 1, 0, "T1")
	if got := f.scan("GS-T03"); len(got) != 0 {
		t.Fatalf("hand therapy on a hand injury: %+v", got)
	}
	f.line(e, "2025-04-03 09:00:00", "PT-KNEE", 1, 0, "T1")
	if got := f.scan("GS-T03"); len(got) != 1 || got[0].Category != OverTreatment {
		t.Fatalf("knee therapy on a hand injury: %+v", got)
	}
	f.x.Injuries[0].Regions = []string{"wrist_hand", "knee_lower_leg"}
	if got := f.scan("GS-T03"); len(got) != 0 {
		t.Fatalf("both regions recognised: %+v", got)
	}
}

func TestInjuryLink(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	if got := f.scan("GS-D13"); len(got) != 0 {
		t.Fatalf("ordinary: %+v", got)
	}
	f.x.Encounters[e].MainDiag = "S82.1" // a leg fracture on a recognised hand injury
	if got := f.scan("GS-D13"); len(got) != 1 {
		t.Fatalf("another region: %+v", got)
	}
	f.x.Encounters[e].MainDiag = "S52.5" // the forearm, next to the hand
	if got := f.scan("GS-D13"); len(got) != 0 {
		t.Fatalf("adjacent region: %+v", got)
	}
	f.x.Encounters[e].MainDiag = "Z47.0" // removal of internal fixation
	if got := f.scan("GS-D13"); len(got) != 0 {
		t.Fatalf("aftercare: %+v", got)
	}
	f.x.Encounters[e].MainDiag = "T23.2" // a burn of the hand
	if got := f.scan("GS-D13"); len(got) != 0 {
		t.Fatalf("burn of the recognised region: %+v", got)
	}
	f.x.Encounters[e].Injury = "NOPE"
	if got := f.scan("GS-D13"); len(got) != 1 || !strings.Contains(got[0].Reason, "不存在") {
		t.Fatalf("no such recognition: %+v", got)
	}
	f.x.Encounters[e].Injury = "IP2" // someone else's
	if got := f.scan("GS-D13"); len(got) != 1 || !strings.Contains(got[0].Reason, "其他职工") {
		t.Fatalf("someone else's recognition: %+v", got)
	}
}

func TestDeathBoundary(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1") // lines to 03-05
	f.x.Persons[0].Death = day(t, "2025-03-05")
	if got := f.scan("GS-D02"); len(got) != 0 {
		t.Fatalf("lines on the day of death: %+v", got)
	}
	f.x.Persons[0].Death = day(t, "2025-03-04")
	if got := f.scan("GS-D02"); len(got) != 1 {
		t.Fatalf("lines the day after death: %+v", got)
	}
}

func TestOverlapBoundary(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1") // 03-01 … 03-06
	o := f.enc("H2", "P1", Inpatient, "2025-03-05 11:00:00", "2025-03-10 09:00:00")
	f.daily(o, "2025-03-05", "2025-03-10")
	if got := f.scan("GS-D05"); len(got) != 0 { // one day of overlap: below the parameter (2)
		t.Fatalf("one day: %+v", got)
	}
	f.x.Encounters[o].Begin = at(t, "2025-03-04 11:00:00")
	if got := f.scan("GS-D05"); len(got) != 1 {
		t.Fatalf("two days: %+v", got)
	}
}

func TestSplitBoundary(t *testing.T) {
	for _, c := range []struct {
		begin string
		want  int
	}{{"2025-03-21 10:00:00", 1}, {"2025-03-22 10:00:00", 0}} { // 15 days after 03-06: a split; 16: not
		f := newFx(t)
		f.normal("H1", "P1")
		r := f.enc("H1", "P1", Inpatient, c.begin, "2025-03-28 09:00:00")
		f.daily(r, c.begin[:10], "2025-03-28")
		if got := f.scan("GS-T05"); len(got) != c.want {
			t.Fatalf("re-admission %s: %d findings, want %d", c.begin, len(got), c.want)
		}
	}
}

func TestEmptyDaysShare(t *testing.T) {
	// two empty days (below 3 in a row) out of four inner days: 50 % ≥ 40 %
	f := newFx(t)
	e := f.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-06")
	f.line(e, "2025-03-01 11:00:00", "CBC", 1, 0, "D1")
	f.line(e, "2025-03-02 09:00:00", "CEF", 1, 0, "D1")
	f.line(e, "2025-03-04 09:00:00", "CEF", 1, 0, "D1")
	if got := f.scan("GS-H01"); len(got) != 0 { // 03-03 and 03-05 empty: 2 days < the 3 the share rule needs too
		t.Fatalf("two scattered empty days: %+v", got)
	}
	f.x.ix = nil
	tuned := Config{Rules: []Rule{{ID: "GS-H01", Enabled: true, Values: map[string]float64{"consecutive": 2, "share": 0.4, "preop_days": 7}}}}
	n := 0
	for _, h := range Scan(f.x, tuned, nil) {
		if h.RuleID == "GS-H01" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("with consecutive=2 the share rule finds them: %d", n)
	}
}

func TestHighTierShare(t *testing.T) {
	// five level-3 hospitals bill locking screws for a fifth of their
	// screws; one bills them for all: its locking screws are leads for
	// the price difference
	f := newFx(t)
	for i := 0; i < 6; i++ {
		code := fmt.Sprintf("HX%d", i)
		f.x.Institutions = append(f.x.Institutions, Institution{Code: code, Region: "370811", Type: "medical", Level: 2, Beds: 100})
		f.x.Doctors = append(f.x.Doctors, Doctor{Code: "DX" + code, Institution: code, Role: "doctor", EmployedFrom: day(t, "2020-01-01")})
		for j := 0; j < 10; j++ {
			e := f.enc(code, "P1", Inpatient, fmt.Sprintf("2025-%02d-01 10:00:00", j+1), fmt.Sprintf("2025-%02d-03 10:00:00", j+1))
			item := "SCREW"
			if i == 5 || j < 2 {
				item = "LOCK"
			}
			f.line(e, fmt.Sprintf("2025-%02d-01 12:00:00", j+1), item, 1, 0, "DX"+code)
		}
	}
	got := f.scan("GS-C04")
	if len(got) != 10 {
		t.Fatalf("the outlier's locking screws: %d findings", len(got))
	}
	for _, h := range got {
		if h.Institution != "HX5" || h.Fen != 60000-20000 {
			t.Fatalf("finding %+v", h)
		}
	}
}

func TestPeerRulesSuppressSmallGroups(t *testing.T) {
	f := peersFx(t, 28) // with the outlier, 29 stays: under the 30 a group needs
	e := f.normal("H1", "P1")
	for d := 0; d < 20; d++ { // a very long stay with exams every day
		f.line(e, "2025-03-02 10:00:00", "CT-HAND", 1, 0, "D1")
	}
	f.x.Encounters[e].End = at(t, "2025-04-20 09:00:00")
	for _, r := range []string{"GS-E02", "GS-T01", "GS-T02"} {
		if got := f.scan(r); len(got) != 0 {
			t.Fatalf("%s compared within a group of 30 with the outlier itself? %+v", r, got)
		}
	}
}

func TestPeerOutliers(t *testing.T) {
	f := peersFx(t, 40)
	long := f.normal("H1", "P1")
	f.x.Encounters[long].End = at(t, "2025-03-25 09:00:00")
	f.daily(long, "2025-03-06", "2025-03-25")
	f.drugs(long, "2025-03-06", "2025-03-25") // treated every day: long, not empty
	costly := f.normal("H1", "P2")
	for d := 0; d < 6; d++ {
		f.line(costly, "2025-03-03 10:00:00", "OP-HAND", 1, 0, "D1")
	}
	exams := f.normal("H1", "P3")
	for d := 0; d < 4; d++ {
		f.line(exams, fmt.Sprintf("2025-03-0%d 10:00:00", d+2), "CT-HAND", 1, 0, "D1")
	}
	if got := f.scan("GS-T01"); len(got) != 1 || got[0].MdtrtID != f.x.Encounters[long].ID {
		t.Fatalf("length of stay: %+v", got)
	}
	if got := f.scan("GS-T02"); len(got) != 1 || got[0].MdtrtID != f.x.Encounters[costly].ID {
		t.Fatalf("cost: %+v", got)
	}
	if got := f.scan("GS-E02"); len(got) != 1 || got[0].MdtrtID != f.x.Encounters[exams].ID {
		t.Fatalf("exam cost: %+v", got)
	}
}

func TestCensusAboveBeds(t *testing.T) {
	f := newFx(t)
	f.x.Institutions[0].Beds = 2 // H1: two licensed beds
	for _, c := range []string{"P1", "P2"} {
		f.normal("H1", c) // treated every day
	}
	if got := f.scan("GS-H05"); len(got) != 0 {
		t.Fatalf("two patients, two beds: %+v", got)
	}
	e := f.enc("H1", "P3", Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-06") // a third, with only bed and nursing
	got := f.scan("GS-H05")
	if len(got) != 1 || got[0].MdtrtID != f.x.Encounters[e].ID {
		t.Fatalf("the third stay, least treated: %+v", got)
	}
}
