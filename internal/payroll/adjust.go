package payroll

import (
	"time"

	"gongshang/internal/errs"
)

// Adjustment is a batch adjustment rule (调待, 条例 Art. 40; the table of
// regulation.md §4.4): which entitlements (type, and disability level or 0
// for all), the increase as a share (basis points) and/or a flat amount,
// the increase's floor and cap (增加额不低于/不高于; 0 = none), from a
// month on.
type Adjustment struct {
	Type      string `json:"type"`
	Level     int    `json:"level"`
	PercentBP int64  `json:"percent_bp"` // 1/10000 of the current amount
	FlatFen   int64  `json:"flat_fen"`
	FloorFen  int64  `json:"floor_fen"`
	CapFen    int64  `json:"cap_fen"`
	Effective string `json:"effective"` // YYYY-MM: the first month at the new amount
	Note      string `json:"note"`      // the notice it implements (文号)
	// Rerate recomputes 生活护理费 as the share of the average wage in force
	// in the effective month (a new average wage was loaded) instead of
	// adding a share or an amount.
	Rerate bool `json:"rerate"`
}

// Adjustable lists the types a batch adjustment may change.
var Adjustable = []string{TypeDisability, TypeNursing, TypeSurvivor, TypeDifference}

// Validate checks the rule's own fields; the store adds what needs data
// (the effective month must not lie inside a closed cycle).
func (a Adjustment) Validate() error {
	var fs errs.Fields
	known := false
	for _, t := range Adjustable {
		known = known || a.Type == t
	}
	if !known {
		fs.Add("type", "type", "待遇类型应为伤残津贴、生活护理费、供养亲属抚恤金或养老金差额")
	}
	if a.Level < 0 || a.Level > 6 || a.Level > 0 && a.Type != TypeDisability && a.Type != TypeDifference {
		fs.Add("level", "level", "伤残等级应为1至6级（0表示全部）；只有伤残津贴和差额按等级调整")
	}
	if a.PercentBP < -5000 || a.PercentBP > 5000 {
		fs.Add("percent_bp", "range", "调整比例应在-50%%至50%%之间")
	}
	if a.FlatFen < -100_000_00 || a.FlatFen > 100_000_00 {
		fs.Add("flat_fen", "range", "定额调整应在±10万元以内")
	}
	switch {
	case a.Rerate && a.Type != TypeNursing:
		fs.Add("rerate", "rerate", "只有生活护理费按新的平均工资重新核定")
	case a.Rerate && (a.PercentBP != 0 || a.FlatFen != 0):
		fs.Add("percent_bp", "rerate", "按新的平均工资重新核定时不填写调整比例和定额")
	case !a.Rerate && a.PercentBP == 0 && a.FlatFen == 0:
		fs.Add("percent_bp", "required", "请填写调整比例或定额调整金额")
	}
	if a.FloorFen < 0 {
		fs.Add("floor_fen", "range", "增加额下限不能为负数")
	}
	if a.CapFen < 0 {
		fs.Add("cap_fen", "range", "增加额上限不能为负数")
	}
	if a.CapFen > 0 && a.CapFen < a.FloorFen {
		fs.Add("cap_fen", "cap_below_floor", "增加额上限（%s）低于下限（%s）", yuan(a.CapFen), yuan(a.FloorFen))
	}
	if _, err := ParseMonth("effective", a.Effective); err != nil {
		fs.Merge(err)
	}
	if len([]rune(a.Note)) > 200 {
		fs.Add("note", "length", "调整依据不能超过200字")
	}
	return fs.Err()
}

// Increase is the change the rule makes to an amount: the share (rounded
// half up to the fen) plus the flat amount, bounded by the floor and cap
// when the rule is an increase. The new amount never goes below zero.
func (a Adjustment) Increase(amount int64) int64 {
	inc := roundDiv(amount*a.PercentBP, 10000) + a.FlatFen
	if a.PercentBP >= 0 && a.FlatFen >= 0 {
		if inc < a.FloorFen {
			inc = a.FloorFen
		}
		if a.CapFen > 0 && inc > a.CapFen {
			inc = a.CapFen
		}
	}
	if amount+inc < 0 {
		inc = -amount
	}
	return inc
}

// Applies reports whether the rule concerns an entitlement of type t and
// disability level.
func (a Adjustment) Applies(t string, level int) bool {
	return a.Type == t && (a.Level == 0 || a.Level == level)
}

// EffectiveDate is the first day of the effective month.
func (a Adjustment) EffectiveDate() string {
	m, _ := ParseMonth("effective", a.Effective)
	return m.First().Format(time.DateOnly)
}

// Arrears is what is owed for months already paid at the old amount: the
// increase times the months paid since the effective month (negative: an
// overpayment to recover).
func Arrears(increase int64, monthsPaid int) int64 { return increase * int64(monthsPaid) }

// roundDiv divides rounding half away from zero.
func roundDiv(n, d int64) int64 {
	if n < 0 {
		return -((-n + d/2) / d)
	}
	return (n + d/2) / d
}

func yuan(fen int64) string {
	neg := ""
	if fen < 0 {
		neg, fen = "-", -fen
	}
	return neg + itoa(fen/100) + "." + string([]byte{byte('0' + fen%100/10), byte('0' + fen%10)}) + "元"
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
