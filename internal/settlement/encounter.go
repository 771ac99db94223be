package settlement

import (
	"time"

	"gongshang/internal/catalogue"
)

// MedType is the national 医疗类别 for work injury.
type MedType string

// The work-injury medical types (his-interface.md); 21 普通住院 is read as 42.
const (
	Outpatient  MedType = "41" // 工伤门诊
	Inpatient   MedType = "42" // 工伤住院
	RehabStay   MedType = "43" // 工伤康复住院
	DeviceFit   MedType = "44" // 辅助器具配置
	GeneralStay MedType = "21" // 普通住院, accepted as 42
)

var medTypeNames = map[MedType]string{Outpatient: "工伤门诊", Inpatient: "工伤住院", RehabStay: "工伤康复住院", DeviceFit: "辅助器具配置"}

// Normalize maps 21 to 42.
func (m MedType) Normalize() MedType {
	if m == GeneralStay {
		return Inpatient
	}
	return m
}

// Name is the type's Chinese name.
func (m MedType) Name() string { return medTypeNames[m.Normalize()] }

// Valid reports whether m is a work-injury medical type (or 21).
func (m MedType) Valid() bool { _, ok := medTypeNames[m.Normalize()]; return ok }

// Stay reports whether m is an inpatient stay (bed-days, meal allowance).
func (m MedType) Stay() bool { m = m.Normalize(); return m == Inpatient || m == RehabStay }

// EncounterState is where an encounter (就诊) stands.
type EncounterState string

// The encounter states.
const (
	Open       EncounterState = "open"       // admitted / visit open: lines may be uploaded
	Discharged EncounterState = "discharged" // 出院办理 done, lines before the discharge time may still be uploaded
	Settled    EncounterState = "settled"    // a final settlement holds its lines
	Cancelled  EncounterState = "cancelled"  // 入院撤销 or reversed admission
)

var encounterStateNames = map[EncounterState]string{Open: "在院", Discharged: "已出院", Settled: "已结算", Cancelled: "已撤销"}

// Name is the state's Chinese name.
func (s EncounterState) Name() string { return encounterStateNames[s] }

// Encounter is one admission or outpatient visit at a designated
// institution (the national mdtrt_id).
type Encounter struct {
	ID            int64   `json:"id"`
	MdtrtID       string  `json:"mdtrt_id"`
	InstitutionID int64   `json:"institution_id"`
	WorkerID      int64   `json:"worker_id"`
	PsnNo         string  `json:"psn_no"`
	PsnName       string  `json:"psn_name"`
	MedType       MedType `json:"med_type"`

	// CaseID and InjuryID (the case number) name the recognised injury the
	// encounter is paid under; 0/"" while pending (待认定).
	CaseID   int64  `json:"case_id,omitempty"`
	InjuryID string `json:"injury_id,omitempty"`
	// Payable is set once the linked case's recognition is positive.
	Payable bool `json:"payable"`

	RegionCode    string `json:"region_code"`    // the institution's region (scope)
	TreatRegion   string `json:"treat_region"`   // mdtrtarea_admvs, a pooling region
	InsuredRegion string `json:"insured_region"` // insuplc_admdvs, the worker's pooling region
	Remote        bool   `json:"remote"`
	FilingID      int64  `json:"filing_id,omitempty"`

	Begin    time.Time  `json:"begin"`
	End      *time.Time `json:"end,omitempty"`
	IptNo    string     `json:"ipt_no"`
	Dept     string     `json:"dept"`
	Bed      string     `json:"bed,omitempty"`
	Doctor   string     `json:"doctor,omitempty"`
	DiagCode string     `json:"diag_code"`
	DiagName string     `json:"diag_name"`
	DscgWay  string     `json:"dscg_way,omitempty"`

	State     EncounterState `json:"state"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	Version   int64          `json:"version"`
}

// StayDays counts the stay "计入不计出": the admission day counts, the
// discharge day does not, and a stay is at least one day. Until discharge
// it counts up to asOf.
func (e *Encounter) StayDays(asOf time.Time) int {
	end := asOf
	if e.End != nil {
		end = *e.End
	}
	return StayDays(e.Begin, end)
}

// StayDays counts calendar days from begin to end, at least 1 (both read
// in China Standard Time).
func StayDays(begin, end time.Time) int {
	b, e := civil(begin), civil(end)
	d := int(e.Sub(b).Hours()/24 + 0.5)
	if d < 1 {
		return 1
	}
	return d
}

// CST is China Standard Time, the zone of every HIS time.
var CST = time.FixedZone("CST", 8*3600)

func civil(t time.Time) time.Time {
	t = t.In(CST)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Day is t's civil date in China Standard Time (YYYY-MM-DD).
func Day(t time.Time) string { return t.In(CST).Format(time.DateOnly) }

// LineState is where a fee line stands.
type LineState string

// The line states.
const (
	Uploaded  LineState = "uploaded"  // waiting for settlement
	LineDone  LineState = "settled"   // inside a settlement
	Withdrawn LineState = "cancelled" // 明细撤销
)

// Line is one uploaded fee line (费用明细) with its pricing result.
type Line struct {
	ID          int64     `json:"id"`
	EncounterID int64     `json:"encounter_id"`
	SN          string    `json:"feedetl_sn"`
	FeeTime     time.Time `json:"fee_ocur_time"`
	Code        string    `json:"med_list_codg"`
	HospCode    string    `json:"medins_list_codg,omitempty"`
	Qty         int64     `json:"cnt"`  // ten-thousandths of a unit
	Price       int64     `json:"pric"` // fen per unit
	Amount      int64     `json:"det_item_fee_sumamt"`
	Dept        string    `json:"bilg_dept_codg,omitempty"`
	Doctor      string    `json:"bilg_dr_codg,omitempty"`

	Priced
	State        LineState `json:"state"`
	SettlementID int64     `json:"settlement_id,omitempty"`
}

// Priced is a line's result against the catalogue.
type Priced struct {
	Name       string             `json:"name"`
	Category   catalogue.Category `json:"category,omitempty"`
	Ceiling    int64              `json:"pric_uplmt_amt"`    // fen per unit, 0 none
	OwnPay     int64              `json:"fulamt_ownpay_amt"` // not in the catalogue
	OverLimit  int64              `json:"overlmt_amt"`       // above the price ceiling
	InScope    int64              `json:"inscp_scp_amt"`     // in the catalogue within the ceiling
	SelfpayPct int                `json:"selfpay_prop"`      // 0 or 100
	ItemLevel  string             `json:"chrgitm_lv"`        // 01 甲类 (in catalogue), 03 自费
	Memo       string             `json:"memo,omitempty"`
}

// Units is the line's quantity in whole units, rounded up (a half day of a
// bed fee counts as a day for the limits).
func (l *Line) Units() int64 { return (l.Qty + QtyScale - 1) / QtyScale }

// QtyScale is the quantity's fixed point: cnt has up to 4 decimals.
const QtyScale = 10000

// Times is qty × price in fen, rounded half away from zero.
func Times(qty, price int64) int64 {
	p := qty * price
	if p >= 0 {
		return (p + QtyScale/2) / QtyScale
	}
	return -((-p + QtyScale/2) / QtyScale)
}
