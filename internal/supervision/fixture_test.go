package supervision

import (
	"fmt"
	"testing"
)

// fx builds small hand-made extracts for the rule tests.
type fx struct {
	t *testing.T
	x *Extract
	n int
}

func day(t testing.TB, s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func at(t testing.TB, s string) Time {
	v, err := ParseTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newFx holds two level-2 medical institutions (H1 with DR and CT, H2
// with DR, CT, MR15T, MR3T), one rehab institution, a catalogue of the
// usual items, doctors and three injured workers.
func newFx(t *testing.T) *fx {
	f := &fx{t: t, x: &Extract{}}
	x := f.x
	x.Institutions = []Institution{
		{Code: "H1", Name: "一院", Region: "370811", Type: "medical", Level: 2, Beds: 100, Equipment: []string{"DR", "CT"}},
		{Code: "H2", Name: "二院", Region: "370812", Type: "medical", Level: 3, Beds: 300, Equipment: []string{"DR", "CT", "MR15T", "MR3T"}},
		{Code: "R1", Name: "康复院", Region: "370811", Type: "rehab", Level: 2, Beds: 60},
	}
	d0 := day(t, "2020-01-01")
	x.Doctors = []Doctor{
		{Code: "D1", Institution: "H1", Role: "doctor", EmployedFrom: d0},
		{Code: "D2", Institution: "H2", Role: "doctor", EmployedFrom: d0},
		{Code: "T1", Institution: "R1", Role: "therapist", EmployedFrom: d0},
		{Code: "DNEW", Institution: "H1", Role: "doctor", EmployedFrom: day(t, "2025-06-01")},
		{Code: "DOLD", Institution: "H1", Role: "doctor", EmployedFrom: d0, EmployedTo: day(t, "2025-03-31")},
	}
	for i, c := range []string{"P1", "P2", "P3", "P4", "P5", "P6"} {
		x.Persons = append(x.Persons, Person{CertNo: c, Name: "职工" + c, Employer: "E1", Birth: day(t, "1980-01-01"), Gender: "1"})
		x.Injuries = append(x.Injuries, Injury{ID: "I" + c, CertNo: c, Employer: "E1", Date: day(t, "2025-02-28"), Recognised: day(t, "2025-03-20"),
			Regions: []string{"wrist_hand"}, Diag: "S62.6", Event: fmt.Sprintf("EV%d", i)})
	}
	item := func(code, name, cat, unit string, p2 int64, mod func(*Item)) {
		it := Item{Code: code, Name: name, Category: cat, Unit: unit, Prices: [3]int64{p2, p2, p2 + p2/10}, Covered: true, From: d0}
		if mod != nil {
			mod(&it)
		}
		x.Items = append(x.Items, it)
	}
	item("BED", "普通病房床位费", CatBed, "日", 5000, nil)
	item("NURSE2", "二级护理", CatNursing, "日", 3000, nil)
	item("ROUND", "住院诊查费", CatConsult, "日", 2000, nil)
	item("MEAL", "治疗饮食", CatMeal, "日", 1500, nil)
	item("CBC", "血常规", CatLab, "次", 2000, func(it *Item) { it.PerDay = QtyScale })
	item("XR-HAND", "手部X线摄影（DR）", CatImaging, "部位", 8000, func(it *Item) { it.Region = "wrist_hand"; it.Equipment = "DR"; it.PerDay = QtyScale })
	item("XR-CHEST", "胸部X线摄影（DR）", CatImaging, "部位", 8000, func(it *Item) { it.Region = "thorax"; it.Equipment = "DR" })
	item("CT-HAND", "手部CT平扫", CatImaging, "部位", 30000, func(it *Item) { it.Region = "wrist_hand"; it.Equipment = "CT" })
	item("CT-HEAD", "头颅CT平扫", CatImaging, "部位", 30000, func(it *Item) { it.Region = "head"; it.Equipment = "CT" })
	item("MR15-HAND", "手部磁共振1.5T", CatImaging, "部位", 60000, func(it *Item) {
		it.Region = "wrist_hand"
		it.Equipment = "MR15T"
		it.Family, it.Tier = "MR-HAND", 1
	})
	item("MR3-HAND", "手部磁共振3.0T", CatImaging, "部位", 90000, func(it *Item) {
		it.Region = "wrist_hand"
		it.Equipment = "MR3T"
		it.Family, it.Tier = "MR-HAND", 2
	})
	item("MR15-KNEE", "膝关节磁共振1.5T", CatImaging, "部位", 60000, func(it *Item) { it.Region = "knee_lower_leg"; it.Equipment = "MR15T" })
	item("OP-HAND", "掌骨骨折切开复位内固定术", CatSurgery, "次", 200000, func(it *Item) { it.Minutes = 120 * QtyScale })
	item("ANES", "臂丛神经阻滞麻醉", CatAnaesthesia, "次", 50000, nil)
	item("SCREW", "普通接骨螺钉", CatImplant, "枚", 20000, func(it *Item) { it.Family, it.Tier = "SCREW", 1 })
	item("LOCK", "锁定接骨螺钉", CatImplant, "枚", 60000, func(it *Item) { it.Family, it.Tier = "SCREW", 2 })
	item("CEF", "头孢呋辛注射液", CatDrug, "支", 1000, func(it *Item) { it.Related = []string{"systemic"} })
	item("AMLO", "氨氯地平片", CatDrug, "片", 200, nil)
	item("OUT", "目录外营养液", CatTreatment, "袋", 5000, func(it *Item) { it.Covered = false })
	item("PT", "运动疗法", CatRehab, "次", 8000, func(it *Item) { it.Region = "wrist_hand"; it.PerDay = QtyScale; it.Minutes = 40 * QtyScale })
	item("PT-KNEE", "膝关节运动疗法", CatRehab, "次", 8000, func(it *Item) { it.Region = "knee_lower_leg"; it.Minutes = 40 * QtyScale })
	item("ASSESS", "康复综合评定", CatRehab, "次", 10000, func(it *Item) { it.PerStay = 3 * QtyScale; it.MinInterval = 14 })
	item("DRESS", "换药", CatTreatment, "次", 3000, nil)
	item("COMBO", "清创缝合术（含换药）", CatTreatment, "次", 20000, nil)
	x.Bundles = []Bundle{{Item1: "COMBO", Item2: "DRESS", Indicator: 0, From: d0}}
	return f
}

// price changes a code's row from a day: the old row ends the day before.
func (f *fx) price(code, from string, p2 int64) {
	for i := range f.x.Items {
		it := &f.x.Items[i]
		if it.Code == code && it.To == 0 {
			nw := *it
			it.To = day(f.t, from) - 1
			nw.From = day(f.t, from)
			nw.Prices = [3]int64{p2, p2, p2 + p2/10}
			f.x.Items = append(f.x.Items, nw)
			return
		}
	}
	f.t.Fatalf("no item %s", code)
}

// stay adds an encounter and returns its index. Lines are added with line.
func (f *fx) enc(inst, cert, medType, begin, end string) int {
	f.n++
	e := Encounter{ID: fmt.Sprintf("M%03d", f.n), Institution: inst, CertNo: cert, Injury: "I" + cert, MedType: medType,
		Begin: at(f.t, begin), End: at(f.t, end), MainDiag: "S62.6", Attending: "D1"}
	f.x.Encounters = append(f.x.Encounters, e)
	return len(f.x.Encounters) - 1
}

// line adds a line to encounter e at the row's level-2 price unless price
// is given (fen > 0).
func (f *fx) line(e int, when, code string, cnt float64, price int64, dr string) string {
	if price == 0 {
		d := at(f.t, when).Day()
		it := (&Extract{Items: f.x.Items}).findTest(code, d)
		if it == nil {
			f.t.Fatalf("no row %s on %s", code, when)
		}
		price = it.Prices[1]
	}
	q := int64(cnt*QtyScale + 0.5)
	l := Line{Enc: int32(e), SN: fmt.Sprintf("%s-%d", f.x.Encounters[e].ID, len(f.x.Encounters[e].Lines)+1), Time: at(f.t, when), Code: code,
		Cnt: q, Price: price, Amount: mulQty(price, q), Doctor: dr}
	f.x.Lines = append(f.x.Lines, l)
	en := &f.x.Encounters[e]
	en.Lines = append(en.Lines, int32(len(f.x.Lines)-1))
	en.Total += l.Amount
	if it := (&Extract{Items: f.x.Items}).findTest(code, l.Time.Day()); it != nil && it.Covered && (it.Category != CatDrug || len(it.Related) > 0) {
		en.FundPaid += l.Amount
	}
	return l.SN
}

func (x *Extract) findTest(code string, d Day) *Item {
	for i := range x.Items {
		if x.Items[i].Code == code && x.Items[i].ValidOn(d) {
			return &x.Items[i]
		}
	}
	return nil
}

// daily bills bed, nursing and ward round for each day of a stay (计入不计出).
func (f *fx) daily(e int, from, to string) {
	for d := day(f.t, from); d < day(f.t, to); d++ {
		w := d.String() + " 08:00:00"
		f.line(e, w, "BED", 1, 0, "D1")
		f.line(e, w, "NURSE2", 1, 0, "D1")
		f.line(e, w, "ROUND", 1, 0, "D1")
	}
}

// drugs adds a drug line every day of a stay (an active day).
func (f *fx) drugs(e int, from, to string) {
	for d := day(f.t, from); d < day(f.t, to); d++ {
		f.line(e, d.String()+" 09:00:00", "CEF", 2, 0, "D1")
	}
}

// scan runs the scan (fresh index) and returns the findings of one rule.
func (f *fx) scan(rule string) []Finding {
	f.x.ix = nil
	var out []Finding
	for _, h := range Scan(f.x, Config{}, nil) {
		if h.RuleID == rule {
			out = append(out, h)
		}
	}
	return out
}
