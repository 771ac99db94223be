// Package supervision is the fund supervision (基金监管) domain: the rule
// base as data, the detectors that screen a year of settlements for the six
// behaviour categories of docs/settlement-extract.md, the findings with
// their evidence lines, and the institution ranking. It is pure: it works
// over an Extract held in memory; reading the CSV files is ReadExtract over
// an fs.FS, storing them is the store's job.
package supervision

// QtyScale is the fixed-point scale of quantities: cnt and qty are held as
// integers × 10,000 (the settlement package uses the same scale).
const QtyScale = 10000

// Institution is one designated institution (institutions.csv).
type Institution struct {
	Code      string   // fixmedins_code
	Name      string   // fixmedins_name
	Region    string   // admvs
	Type      string   // medical | rehab
	Level     int      // 1–3
	Beds      int      // licensed beds
	Equipment []string // equipment codes (DR, CT, MR15T, MR3T, DSA, LAMINAR, RECOVERY, ICU, BURN, HBO, REHAB_ROBOT)
}

// Has reports whether the institution holds an equipment code.
func (in *Institution) Has(eq string) bool {
	for _, e := range in.Equipment {
		if e == eq {
			return true
		}
	}
	return false
}

// Doctor is one clinician (doctors.csv). Days are day numbers (see Day).
type Doctor struct {
	Code         string // dr_codg
	Institution  string // fixmedins_code
	Name         string
	Role         string // doctor | therapist | nurse
	EmployedFrom Day
	EmployedTo   Day // 0 = still employed
}

// Person is one injured worker (persons.csv).
type Person struct {
	CertNo   string
	Name     string
	Gender   string // 1 male, 2 female
	Birth    Day
	Death    Day // 0 = alive
	Employer string
	Insured  string // insuplc_admdvs
}

// Injury is one recognised work injury (injuries.csv).
type Injury struct {
	ID         string
	CertNo     string
	Employer   string
	Date       Day
	Recognised Day
	Regions    []string // injured_parts, the closed body-region list
	Diag       string   // ICD-10
	Event      string   // accident id, shared by everyone hurt in one accident
}

// Item categories of catalog.csv.
const (
	CatDrug        = "drug"
	CatImaging     = "exam_imaging"
	CatLab         = "lab"
	CatTreatment   = "treatment"
	CatRehab       = "rehab"
	CatSurgery     = "surgery"
	CatAnaesthesia = "anaesthesia"
	CatMaterial    = "material"
	CatImplant     = "implant"
	CatBed         = "bed"
	CatNursing     = "nursing"
	CatConsult     = "consult"
	CatMeal        = "meal"
)

// Item is one catalogue row with its validity window (catalog.csv). A code
// may have several rows with disjoint windows.
type Item struct {
	Code        string
	Name        string
	Category    string
	Region      string   // body region, "" not region-specific
	Prices      [3]int64 // price ceilings in fen at levels 1, 2, 3
	Unit        string
	PerDay      int64 // × QtyScale, 0 = none
	PerStay     int64 // × QtyScale, 0 = none
	MinInterval int   // days, 0 = none
	Covered     bool
	Family      string
	Tier        int // 1 ordinary, 2 higher-priced sibling, 0 none
	Equipment   string
	Minutes     int64    // × QtyScale: standard minutes of the clinician per unit
	Related     []string // drugs: indicated regions, "any", "systemic"; empty = not for injuries
	From, To    Day      // To 0 = open
}

// ValidOn reports whether the row covers day d.
func (it *Item) ValidOn(d Day) bool { return it.From <= d && (it.To == 0 || d <= it.To) }

// Ceiling is the price ceiling in fen at an institution level (1–3).
func (it *Item) Ceiling(level int) int64 {
	if level < 1 || level > 3 {
		level = 3
	}
	return it.Prices[level-1]
}

// Bundle is one bundle edit (bundles.csv): Item2 may not be billed with
// Item1 on the same day of one encounter; indicator 1 allows it with a
// documented justification.
type Bundle struct {
	Item1, Item2 string
	Indicator    int
	From, To     Day
}

// ValidOn reports whether the edit applies on day d.
func (b *Bundle) ValidOn(d Day) bool { return b.From <= d && (b.To == 0 || d <= b.To) }

// Medical types of encounters.
const (
	Outpatient = "41"
	Inpatient  = "42"
	RehabStay  = "43"
)

// Encounter is one settled encounter (encounters.csv). Lines holds the
// indexes of its fee lines in Extract.Lines, in time order.
type Encounter struct {
	ID          string // mdtrt_id
	Institution string
	CertNo      string
	Injury      string
	MedType     string
	Begin, End  Time
	MainDiag    string
	OtherDiags  []string
	Attending   string
	SetlID      string
	SetlTime    Time
	Total       int64 // medfee_sumamt, fen
	FundPaid    int64 // fund_pay_sumamt, fen

	Lines []int32
}

// Stay reports whether the encounter is an inpatient stay (42 or 43).
func (e *Encounter) Stay() bool { return e.MedType == Inpatient || e.MedType == RehabStay }

// Line is one fee line (lines.csv).
type Line struct {
	Enc    int32 // index of its encounter in Extract.Encounters
	SN     string
	Time   Time
	Code   string
	Cnt    int64 // × QtyScale
	Price  int64 // fen
	Amount int64 // fen
	Doctor string
	Dept   string
	Report string
}

// Purchase is one stock receipt (purchases.csv); Month is yyyy-MM.
type Purchase struct {
	Institution string
	Month       string
	Code        string
	Qty         int64 // × QtyScale
}

// Attendance is one day a worker was recorded at work (attendance.csv).
type Attendance struct {
	CertNo   string
	Employer string
	Date     Day
}

// Extract is a whole settlement extract in memory, with the indexes the
// detectors need (built by Index).
type Extract struct {
	Institutions []Institution
	Doctors      []Doctor
	Persons      []Person
	Injuries     []Injury
	Items        []Item
	Bundles      []Bundle
	Encounters   []Encounter
	Lines        []Line
	Purchases    []Purchase
	Attendance   []Attendance

	ix *index
}

// Home is the smallest region that holds every institution of the extract:
// the prefecture (XXXX00) when they all lie in one, else the province
// (XX0000) when they all lie in one, else "". A neighbouring city's
// extract is at home in that city.
func (x *Extract) Home() string {
	for _, n := range []int{4, 2} {
		prefix := ""
		for i, in := range x.Institutions {
			if len(in.Region) != 6 {
				return ""
			}
			if i == 0 {
				prefix = in.Region[:n]
			} else if in.Region[:n] != prefix {
				prefix = ""
				break
			}
		}
		if prefix != "" {
			return prefix + "000000"[n:]
		}
	}
	return ""
}
