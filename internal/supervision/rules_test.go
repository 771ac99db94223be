package supervision

import (
	"encoding/json"
	"strings"
	"testing"
)

// normal adds an ordinary 5-day fracture stay of cert at inst: daily
// items, a drug every day, admission work-up, surgery on day 2.
func (f *fx) normal(inst, cert string) int {
	e := f.enc(inst, cert, Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-06")
	f.drugs(e, "2025-03-01", "2025-03-06")
	dr := "D1"
	if inst == "H2" {
		dr = "D2"
	}
	f.line(e, "2025-03-01 11:00:00", "CBC", 1, 0, dr)
	f.line(e, "2025-03-01 11:30:00", "XR-HAND", 1, 0, dr)
	f.line(e, "2025-03-02 09:00:00", "OP-HAND", 1, 0, dr)
	f.line(e, "2025-03-02 09:00:00", "ANES", 1, 0, dr)
	f.line(e, "2025-03-02 10:00:00", "SCREW", 2, 0, dr)
	return e
}

func TestNormalStayHasNoFinding(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1")
	f.x.ix = nil
	if got := Scan(f.x, Config{}, nil); len(got) != 0 {
		t.Fatalf("findings on an ordinary stay: %+v", got)
	}
}

func TestBedDays(t *testing.T) {
	cases := []struct {
		name  string
		extra func(f *fx, e int)
		want  int
		fen   int64
	}{
		{"one extra bed day", func(f *fx, e int) { f.line(e, "2025-03-05 20:00:00", "BED", 1, 0, "D1") }, 1, 5000},
		{"discharge day billed", func(f *fx, e int) { f.line(e, "2025-03-06 08:00:00", "BED", 1, 0, "D1") }, 1, 5000},
		{"ward transfer day with two bed codes", func(f *fx, e int) {
			f.x.Items = append(f.x.Items, Item{Code: "BED-ICU", Name: "监护病房床位费", Category: CatBed, Unit: "日", Prices: [3]int64{9000, 9000, 9000}, Covered: true, From: day(t, "2020-01-01")})
			f.line(e, "2025-03-03 15:00:00", "BED-ICU", 1, 0, "D1")
		}, 0, 0},
		{"within the days", func(f *fx, e int) {}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFx(t)
			e := f.normal("H1", "P1")
			c.extra(f, e)
			got := f.scan("GS-D03")
			if len(got) != c.want {
				t.Fatalf("GS-D03 findings %d, want %d: %+v", len(got), c.want, got)
			}
			if c.want > 0 && int64(got[0].Fen) != c.fen {
				t.Fatalf("amount %d, want %d", got[0].Fen, c.fen)
			}
		})
	}
}

func TestSameDayStayBillsOneDay(t *testing.T) {
	f := newFx(t)
	e := f.enc("H1", "P1", Inpatient, "2025-03-01 08:00:00", "2025-03-01 20:00:00")
	f.line(e, "2025-03-01 09:00:00", "BED", 1, 0, "D1")
	if got := f.scan("GS-D03"); len(got) != 0 {
		t.Fatalf("a same-day stay bills one day: %+v", got)
	}
	f.line(e, "2025-03-01 19:00:00", "BED", 1, 0, "D1")
	if got := f.scan("GS-D03"); len(got) != 1 {
		t.Fatalf("two bed days on a same-day stay: %+v", got)
	}
}

func TestPriceWindows(t *testing.T) {
	f := newFx(t)
	f.price("CT-HAND", "2025-03-03", 25000) // price cut mid-stay
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-01 12:00:00", "CT-HAND", 1, 30000, "D1") // old price before the change: fine
	f.line(e, "2025-03-04 12:00:00", "CT-HAND", 1, 25000, "D1") // new price after: fine
	if got := f.scan("GS-D06"); len(got) != 0 {
		t.Fatalf("prices of their window flagged: %+v", got)
	}
	sn := f.line(e, "2025-03-05 12:00:00", "CT-HAND", 1, 30000, "D1") // old price after the cut
	got := f.scan("GS-D06")
	if len(got) != 1 || got[0].Lines[0] != sn || got[0].Fen != 5000 {
		t.Fatalf("old price after the cut: %+v", got)
	}
	// tolerance 0.5 %: 25,100 is within, 25,200 is not
	f2 := newFx(t)
	f2.price("CT-HAND", "2025-03-03", 25000)
	e2 := f2.normal("H1", "P2")
	f2.line(e2, "2025-03-04 12:00:00", "CT-HAND", 1, 25100, "D1")
	if got := f2.scan("GS-D06"); len(got) != 0 {
		t.Fatalf("within tolerance: %+v", got)
	}
	f2.line(e2, "2025-03-05 12:00:00", "CT-HAND", 1, 25200, "D1")
	if got := f2.scan("GS-D06"); len(got) != 1 || got[0].Fen != 200 {
		t.Fatalf("beyond tolerance: %+v", got)
	}
}

func TestBundle(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-03 10:00:00", "COMBO", 1, 0, "D1")
	f.line(e, "2025-03-04 10:00:00", "DRESS", 1, 0, "D1") // another day: fine
	if got := f.scan("GS-D07"); len(got) != 0 {
		t.Fatalf("different days: %+v", got)
	}
	sn := f.line(e, "2025-03-03 16:00:00", "DRESS", 1, 0, "D1")
	got := f.scan("GS-D07")
	if len(got) != 1 || got[0].Lines[0] != sn || got[0].Fen != 3000 || got[0].Severity != Definite {
		t.Fatalf("same day: %+v", got)
	}
	// indicator 1 is not flagged by default
	f.x.Bundles[0].Indicator = 1
	if got := f.scan("GS-D07"); len(got) != 0 {
		t.Fatalf("indicator 1: %+v", got)
	}
	// an edit outside its window does not apply
	f.x.Bundles[0].Indicator = 0
	f.x.Bundles[0].To = day(t, "2025-03-02")
	if got := f.scan("GS-D07"); len(got) != 0 {
		t.Fatalf("expired edit: %+v", got)
	}
}

func TestFrequency(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-01 15:00:00", "CBC", 1, 0, "D1") // second CBC the same day
	got := f.scan("GS-D08")
	if len(got) != 1 || got[0].Fen != 2000 {
		t.Fatalf("per day: %+v", got)
	}
	// 部位 items: the limit counts once per injured region
	f2 := newFx(t)
	f2.x.Injuries[0].Regions = []string{"wrist_hand", "elbow_forearm"}
	e2 := f2.normal("H1", "P1")
	f2.line(e2, "2025-03-01 12:00:00", "XR-HAND", 1, 0, "D1")
	if got := f2.scan("GS-D08"); len(got) != 0 {
		t.Fatalf("two regions allow two parts: %+v", got)
	}
	f2.line(e2, "2025-03-01 13:00:00", "XR-HAND", 1, 0, "D1")
	if got := f2.scan("GS-D08"); len(got) != 1 {
		t.Fatalf("three parts for two regions: %+v", got)
	}
}

func TestIntervalAndPerStay(t *testing.T) {
	f := newFx(t)
	e := f.enc("R1", "P1", RehabStay, "2025-04-01 09:00:00", "2025-05-20 09:00:00")
	for _, d := range []string{"2025-04-01", "2025-04-15", "2025-04-29"} { // 14 days apart: fine
		f.line(e, d+" 10:00:00", "ASSESS", 1, 0, "T1")
	}
	if got := f.scan("GS-D08"); len(got) != 0 {
		t.Fatalf("14 days apart: %+v", got)
	}
	f.line(e, "2025-05-10 10:00:00", "ASSESS", 1, 0, "T1") // fourth: beyond 3 per stay
	got := f.scan("GS-D08")
	if len(got) != 1 || !strings.Contains(got[0].Reason, "每次住院限3") {
		t.Fatalf("per stay: %+v", got)
	}
	f2 := newFx(t)
	e2 := f2.enc("R1", "P1", RehabStay, "2025-04-01 09:00:00", "2025-05-20 09:00:00")
	f2.line(e2, "2025-04-01 10:00:00", "ASSESS", 1, 0, "T1")
	f2.line(e2, "2025-04-14 10:00:00", "ASSESS", 1, 0, "T1") // 13 days
	if got := f2.scan("GS-D08"); len(got) != 1 || !strings.Contains(got[0].Reason, "间隔") {
		t.Fatalf("13 days apart: %+v", got)
	}
}

func TestScope(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-03 10:00:00", "AMLO", 30, 0, "D1")
	f.line(e, "2025-03-03 10:00:00", "OUT", 1, 0, "D1")
	// the patient paid both: fund paid = eligible lines
	if got := f.scan("GS-D09"); len(got) != 0 {
		t.Fatalf("patient-paid items flagged: %+v", got)
	}
	f.x.Encounters[e].FundPaid += 6000 + 5000 // the fund paid them
	got := f.scan("GS-D09")
	if len(got) != 1 || got[0].Fen != 11000 || len(got[0].Lines) != 2 {
		t.Fatalf("fund-paid items: %+v", got)
	}
}

func TestOutsideStayAndDeath(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-06 10:00:00", "CEF", 2, 0, "D1") // discharge day take-home drug: inside
	if got := f.scan("GS-D01"); len(got) != 0 {
		t.Fatalf("discharge day: %+v", got)
	}
	f.line(e, "2025-03-07 10:00:00", "CEF", 2, 0, "D1")
	if got := f.scan("GS-D01"); len(got) != 1 || got[0].Category != CatalogueFee {
		t.Fatalf("after discharge: %+v", got)
	}
	f.x.Persons[0].Death = day(t, "2025-03-04")
	if got := f.scan("GS-D02"); len(got) != 1 || len(got[0].Lines) == 0 {
		t.Fatalf("after death: %+v", got)
	}
}

func TestEmployment(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-03 10:00:00", "DRESS", 1, 0, "DOLD") // left 2025-03-31: fine in March
	if got := f.scan("GS-F09"); len(got) != 0 {
		t.Fatalf("employed: %+v", got)
	}
	f.line(e, "2025-03-03 11:00:00", "DRESS", 1, 0, "DNEW") // joins in June
	f.line(e, "2025-03-03 12:00:00", "DRESS", 1, 0, "D2")   // H2's doctor
	if got := f.scan("GS-F09"); len(got) != 2 {
		t.Fatalf("not employed: %+v", got)
	}
}

func TestEmptyDays(t *testing.T) {
	f := newFx(t)
	e := f.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-12 09:00:00")
	f.daily(e, "2025-03-01", "2025-03-12")
	f.line(e, "2025-03-01 11:00:00", "CBC", 1, 0, "D1")
	f.drugs(e, "2025-03-01", "2025-03-04")
	f.drugs(e, "2025-03-08", "2025-03-12")
	got := f.scan("GS-H01") // 03-04 … 03-07 empty
	if len(got) != 1 || !strings.Contains(got[0].Reason, "最长连续4天") {
		t.Fatalf("empty days: %+v", got)
	}
	// the same days before an operation are waiting for swelling to subside
	f.line(e, "2025-03-08 09:00:00", "OP-HAND", 1, 0, "D1")
	if got := f.scan("GS-H01"); len(got) != 0 {
		t.Fatalf("pre-operative wait: %+v", got)
	}
}

func TestAtWorkAndOutpatientElsewhere(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.x.Attendance = []Attendance{{CertNo: "P1", Employer: "E1", Date: day(t, "2025-03-01")}, {CertNo: "P1", Employer: "E1", Date: day(t, "2025-03-06")}}
	if got := f.scan("GS-H03"); len(got) != 0 {
		t.Fatalf("work on admission and discharge days: %+v", got)
	}
	f.x.Attendance = append(f.x.Attendance, Attendance{CertNo: "P1", Employer: "E1", Date: day(t, "2025-03-04")})
	if got := f.scan("GS-H03"); len(got) != 1 || got[0].MdtrtID != f.x.Encounters[e].ID {
		t.Fatalf("at work mid-stay: %+v", got)
	}
}

func TestOverlapAndTransfer(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1") // 03-01 … 03-06
	o := f.enc("H2", "P1", Inpatient, "2025-03-06 11:00:00", "2025-03-10 09:00:00")
	f.daily(o, "2025-03-06", "2025-03-10")
	if got := f.scan("GS-D05"); len(got) != 0 {
		t.Fatalf("transfer: %+v", got)
	}
	f.x.Encounters[o].Begin = at(t, "2025-03-03 11:00:00")
	if got := f.scan("GS-D05"); len(got) != 1 || got[0].MdtrtID != f.x.Encounters[o].ID {
		t.Fatalf("two beds at once: the stay admitted during the other is in doubt: %+v", got)
	}
}

func TestSplitAdmissionAndImplantRemoval(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1")
	r := f.enc("H1", "P1", Inpatient, "2025-03-16 10:00:00", "2025-03-20 09:00:00")
	f.daily(r, "2025-03-16", "2025-03-20")
	if got := f.scan("GS-T05"); len(got) != 1 {
		t.Fatalf("re-admission after 10 days: %+v", got)
	}
	f.x.Encounters[r].MainDiag = "Z47.0"
	if got := f.scan("GS-T05"); len(got) != 0 {
		t.Fatalf("implant removal: %+v", got)
	}
	f.x.Encounters[r].MainDiag = "S62.6"
	f.x.Encounters[r].Begin = at(t, "2025-03-22 10:00:00") // 16 days: beyond the gap
	f.x.Encounters[r].End = at(t, "2025-03-26 10:00:00")
	if got := f.scan("GS-T05"); len(got) != 0 {
		t.Fatalf("beyond the gap: %+v", got)
	}
}

func TestEquipmentAndRegion(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	sn := f.line(e, "2025-03-03 10:00:00", "MR3-HAND", 1, 0, "D1") // H1 has no MR3T
	got := f.scan("GS-C01")
	if len(got) != 1 || got[0].Lines[0] != sn || got[0].Fen != 90000-60000 {
		t.Fatalf("no 3.0T: %+v", got)
	}
	f2 := newFx(t)
	e2 := f2.normal("H2", "P1")
	f2.line(e2, "2025-03-03 10:00:00", "MR3-HAND", 1, 0, "D2")
	if got := f2.scan("GS-C01"); len(got) != 0 {
		t.Fatalf("H2 has 3.0T: %+v", got)
	}
	f2.line(e2, "2025-03-03 11:00:00", "MR15-KNEE", 1, 0, "D2") // knee MRI on a hand injury
	if got := f2.scan("GS-C03"); len(got) != 1 {
		t.Fatalf("knee on a hand: %+v", got)
	}
	f2.line(e2, "2025-03-01 12:00:00", "XR-CHEST", 1, 0, "D2") // pre-op chest film
	if got := f2.scan("GS-C03"); len(got) != 1 || len(got[0].Lines) != 1 {
		t.Fatalf("chest film is routine: %+v", got)
	}
}

func TestRepeatImaging(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-01 12:00:00", "CT-HAND", 1, 0, "D1")
	f.line(e, "2025-03-04 12:00:00", "CT-HAND", 1, 0, "D1") // after the operation of 03-02: fine
	if got := f.scan("GS-E01"); len(got) != 0 {
		t.Fatalf("post-operative: %+v", got)
	}
	f.line(e, "2025-03-05 12:00:00", "CT-HAND", 1, 0, "D1") // again a day later
	if got := f.scan("GS-E01"); len(got) != 1 {
		t.Fatalf("repeat: %+v", got)
	}
	// head CT twice within 24 h of a head injury is standard
	f2 := newFx(t)
	f2.x.Injuries[0].Regions = []string{"head"}
	f2.x.Injuries[0].Diag = "S06.5"
	h := f2.enc("H1", "P1", Inpatient, "2025-03-01 10:00:00", "2025-03-06 09:00:00")
	f2.x.Encounters[h].MainDiag = "S06.5"
	f2.line(h, "2025-03-01 11:00:00", "CT-HEAD", 1, 0, "D1")
	f2.line(h, "2025-03-02 08:00:00", "CT-HEAD", 1, 0, "D1")
	if got := f2.scan("GS-E01"); len(got) != 0 {
		t.Fatalf("head recheck: %+v", got)
	}
	f2.line(h, "2025-03-04 08:00:00", "CT-HEAD", 1, 0, "D1")
	if got := f2.scan("GS-E01"); len(got) != 1 {
		t.Fatalf("third head CT on day 4: %+v", got)
	}
}

func TestGroupAdmissionAndMassCasualty(t *testing.T) {
	f := newFx(t)
	for _, c := range []string{"P1", "P2", "P3", "P4"} {
		f.normal("H1", c)
	}
	if got := f.scan("GS-H04"); len(got) != 4 {
		t.Fatalf("group of four, different accidents: %d", len(got))
	}
	for i := range f.x.Injuries {
		f.x.Injuries[i].Event = "EV-FIRE"
	}
	if got := f.scan("GS-H04"); len(got) != 0 {
		t.Fatalf("one accident: %+v", got)
	}
}

func TestReportReuse(t *testing.T) {
	f := newFx(t)
	a := f.normal("H1", "P1")
	b := f.normal("H1", "P2")
	f.x.Lines[f.x.Encounters[a].Lines[len(f.x.Encounters[a].Lines)-4]].Report = "R001"
	f.x.Lines[f.x.Encounters[b].Lines[len(f.x.Encounters[b].Lines)-4]].Report = "R001"
	got := f.scan("GS-F03")
	if len(got) != 1 {
		t.Fatalf("shared report: %+v", got)
	}
}

func TestClinicianMinutes(t *testing.T) {
	f := newFx(t)
	e := f.enc("R1", "P1", RehabStay, "2025-04-01 09:00:00", "2025-04-10 09:00:00")
	for i := 0; i < 12; i++ { // 12 × 40 = 480 minutes: at the cap
		f.line(e, "2025-04-02 08:00:00", "PT", 1, 0, "T1")
	}
	if got := f.scan("GS-F02"); len(got) != 0 {
		t.Fatalf("at the cap: %+v", got)
	}
	f.line(e, "2025-04-02 17:00:00", "PT", 1, 0, "T1")
	if got := f.scan("GS-F02"); len(got) != 1 {
		t.Fatalf("beyond: %+v", got)
	}
}

func TestStock(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1") // 2 screws in March
	f.x.Purchases = []Purchase{{Institution: "H1", Month: "2025-02", Code: "SCREW", Qty: 2 * QtyScale}, {Institution: "H1", Month: "2025-02", Code: "CEF", Qty: 10 * QtyScale}}
	if got := f.scan("GS-C02"); len(got) != 0 {
		t.Fatalf("bought ahead: %+v", got)
	}
	f.normal("H1", "P2") // 2 more screws, none bought
	if got := f.scan("GS-C02"); len(got) == 0 {
		t.Fatalf("screws beyond purchases not found")
	}
}

func TestRuleSwitchedOffAndTuned(t *testing.T) {
	f := newFx(t)
	e := f.normal("H1", "P1")
	f.line(e, "2025-03-05 20:00:00", "BED", 1, 0, "D1")
	f.x.ix = nil
	off := Config{Rules: []Rule{{ID: "GS-D03", Enabled: false}}}
	for _, h := range Scan(f.x, off, nil) {
		if h.RuleID == "GS-D03" {
			t.Fatalf("switched-off rule ran")
		}
	}
	f.x.ix = nil
	tuned := Config{Rules: []Rule{{ID: "GS-D03", Enabled: true, Values: map[string]float64{"tolerance_days": 1}}}}
	for _, h := range Scan(f.x, tuned, nil) {
		if h.RuleID == "GS-D03" {
			t.Fatalf("tolerance 1 day still flags one extra day")
		}
	}
	r, _ := RuleByID("GS-D03")
	if err := r.Check(map[string]float64{"tolerance_days": 9}); err == nil {
		t.Fatal("out-of-range value accepted")
	}
}

func TestFindingJSON(t *testing.T) {
	f := Finding{RuleID: "GS-D06", Category: CatalogueFee, Severity: Definite, MdtrtID: "M1", Institution: "H1", Fen: 12340, Score: 0.9}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"amount":123.40`) || !strings.Contains(string(b), `"feedetl_sn":[]`) {
		t.Fatalf("json %s", b)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back.Fen != 12340 {
		t.Fatalf("back %+v %v", back, err)
	}
}

func TestClonedStays(t *testing.T) {
	f := newFx(t)
	f.normal("H1", "P1")
	f.normal("H1", "P2") // identical day by day, same total
	if got := f.scan("GS-F08"); len(got) != 2 {
		t.Fatalf("cloned stays: %+v", got)
	}
	f2 := newFx(t)
	f2.normal("H1", "P1")
	e := f2.normal("H1", "P2")
	f2.line(e, "2025-03-03 10:00:00", "DRESS", 1, 0, "D1") // a different total
	if got := f2.scan("GS-F08"); len(got) != 0 {
		t.Fatalf("different totals: %+v", got)
	}
}
