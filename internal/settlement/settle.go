package settlement

import (
	"fmt"
	"time"

	"gongshang/internal/errs"
)

// SettlementState is where a settlement stands.
type SettlementState string

// The settlement states.
const (
	Valid         SettlementState = "valid"     // paid (or, for a cancellation row, in force)
	SetlCancelled SettlementState = "cancelled" // cancelled by 2305 (the row that was cancelled)
	Reversed      SettlementState = "reversed"  // reversed by 2601
)

// Settlement is one 2304 settlement, or the negative row a 2305
// cancellation writes (Kind "cancel", Of the settlement it cancels).
type Settlement struct {
	ID            int64   `json:"id"`
	SetlID        string  `json:"setl_id"`
	Kind          string  `json:"kind"` // settle | cancel
	Of            int64   `json:"of,omitempty"`
	EncounterID   int64   `json:"encounter_id"`
	InstitutionID int64   `json:"institution_id"`
	WorkerID      int64   `json:"worker_id"`
	RegionCode    string  `json:"region_code"`
	TreatRegion   string  `json:"treat_region"`
	InsuredRegion string  `json:"insured_region"`
	Remote        bool    `json:"remote"`
	MedType       MedType `json:"med_type"`
	Totals
	At          time.Time       `json:"setl_time"`
	State       SettlementState `json:"state"`
	StatementID int64           `json:"statement_id,omitempty"`
	Msgid       string          `json:"msgid"`
	MealDays    int             `json:"meal_days"`
	MealFen     int64           `json:"meal_fen"`
}

// Totals are a settlement's sums in fen.
type Totals struct {
	MedFee    int64 `json:"medfee_sumamt"`
	OwnPay    int64 `json:"fulamt_ownpay_amt"`
	OverLimit int64 `json:"overlmt_selfpay"`
	InScope   int64 `json:"inscp_scp_amt"`
	FundPay   int64 `json:"fund_pay_sumamt"`
	CashPay   int64 `json:"psn_cash_pay"`
	Definite  int64 `json:"definite_fen"`   // what definite findings took from the fund's share
	Flagged   int64 `json:"suspicious_fen"` // what suspicious findings concern (paid)
}

// Sum computes the totals of priced lines and the rules' result:
// fund_pay = Σ payable in-scope; cash_pay = medfee − fund_pay.
func Sum(lines []*Line, r Result) Totals {
	var t Totals
	for _, l := range lines {
		t.MedFee += l.Amount
		t.OwnPay += l.OwnPay
		t.OverLimit += l.OverLimit
		t.InScope += l.InScope
		t.FundPay += r.Payable[l.SN]
	}
	for _, f := range r.Findings {
		if f.Severity == Suspicious {
			t.Flagged += f.Amount
		}
	}
	t.Definite = t.InScope - t.FundPay
	t.CashPay = t.MedFee - t.FundPay
	return t
}

// Negate gives the cancellation's totals.
func (t Totals) Negate() Totals {
	return Totals{-t.MedFee, -t.OwnPay, -t.OverLimit, -t.InScope, -t.FundPay, -t.CashPay, -t.Definite, -t.Flagged}
}

// CheckSum refuses a declared medfee_sumamt that does not equal the sum of
// the uploaded, unsettled lines within 0.01 yuan.
func CheckSum(declared int64, lines []*Line) error {
	var sum int64
	for _, l := range lines {
		sum += l.Amount
	}
	if d := declared - sum; d > 1 || d < -1 {
		return errs.Field("input.data.medfee_sumamt", "mismatch",
			"medfee_sumamt（医疗费总额）%s元与已上传未结算明细合计%s元不符（%d条）", Yuan(declared), Yuan(sum), len(lines))
	}
	return nil
}

// Payability says why an encounter may not be finally settled, or "".
func (e *Encounter) Payability() string {
	switch {
	case e.State == Cancelled:
		return "该就诊已撤销，不能结算"
	case e.State == Settled:
		return "该就诊已结算，请勿重复结算"
	case e.CaseID == 0:
		return "该人员本次就诊尚无认定工伤结论（待认定），可上传明细和预结算，认定后方可结算"
	case !e.Payable:
		return "该就诊关联的工伤认定尚未作出认定工伤结论，暂不能结算"
	}
	return ""
}

// MealAllowance is the hospital meal allowance (住院伙食补助费) of a stay:
// days × the insured region's daily rate; 0 for a visit.
func MealAllowance(e *Encounter, daily int64) (days int, fen int64) {
	if !e.MedType.Stay() || e.End == nil || daily <= 0 {
		return 0, 0
	}
	days = StayDays(e.Begin, *e.End)
	return days, int64(days) * daily
}

// SetlID formats a settlement id: the treating pooling region, a kind
// digit and the row id (national ids are digit strings ≤ 30).
func SetlID(region string, id int64) string { return fmt.Sprintf("%s2%011d", region, id) }

// MdtrtID formats an encounter id the same way.
func MdtrtID(region string, id int64) string { return fmt.Sprintf("%s1%011d", region, id) }

// PsnNo formats the person number the interface gives a worker.
func PsnNo(region string, workerID int64) string { return fmt.Sprintf("%s0%011d", region, workerID) }
