// Package benefit computes every 工伤 benefit from the effective-dated
// parameter tables, with the working shown in Chinese. It is pure logic: no
// I/O, no clock. Money is int64 fen; intermediate values are exact
// rationals; each item is rounded once, at its last step, by the rule in the
// `rounding` table (default: to the fen, half up — U).
package benefit

import (
	"gongshang/internal/errs"

	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"gongshang/internal/param"
)

// Payer says who pays an item.
type Payer string

// Payers. PayerNone marks information items.
const (
	PayerFund     Payer = "fund"
	PayerEmployer Payer = "employer"
	PayerNone     Payer = ""
)

// Period says how often an item is paid.
type Period string

// Periods.
const (
	Once    Period = "once"
	Monthly Period = "monthly"
	Info    Period = "info"
)

// Item codes.
const (
	CodeBaseWage            = "base_wage"
	CodeDisabilityLumpSum   = "disability_lump_sum"
	CodeDisabilityAllowance = "disability_allowance"
	CodeNursingAllowance    = "nursing_allowance"
	CodeMedicalLumpSum      = "exit_medical_subsidy"
	CodeEmploymentLumpSum   = "exit_employment_subsidy"
	CodeFuneralGrant        = "funeral_grant"
	CodeDeathLumpSum        = "death_lump_sum"
	CodeSurvivorPension     = "survivor_pension"
	CodeSurvivorEligibility = "survivor_eligibility"
	CodeMissingWages        = "missing_wages"
	CodeDeathLumpSumAdvance = "death_lump_sum_advance"
	CodePaidLeave           = "paid_leave"
	CodePremium             = "premium"
	CodePreventionCap       = "prevention_cap"
)

// NoDependant is the Dependant index of items that concern no dependant.
const NoDependant = -1

// Item is one computed benefit with its explanation.
type Item struct {
	Code        string
	Name        string
	Payer       Payer
	Period      Period
	Amount      int64 // fen, never negative
	Dependant   int   // index into the request's dependants, or NoDependant
	Unconfirmed bool  // a U parameter or an unconfirmed rule was used
	Explanation string
}

// inputErr is a problem with the case data or a missing parameter, as the
// project's one field error (errs): field is the JSON field path of the
// request that should change ("level", "dependants[0].birth_date",
// "params.avg_wage"); the message names the field by its Chinese label.
func inputErr(field, format string, args ...any) error {
	return errs.Field(field, "benefit_input", format, args...)
}

// note builds an item's explanation line by line.
type note struct {
	lines       []string
	unconfirmed bool
}

func (n *note) add(prefix, format string, args ...any) {
	n.lines = append(n.lines, prefix+fmt.Sprintf(format, args...))
}
func (n *note) formula(f string, a ...any) { n.add("公式：", f, a...) }
func (n *note) input(f string, a ...any)   { n.add("输入：", f, a...) }
func (n *note) calc(f string, a ...any)    { n.add("计算：", f, a...) }
func (n *note) rule(f string, a ...any)    { n.add("说明：", f, a...) }
func (n *note) result(f string, a ...any)  { n.add("结果：", f, a...) }

// flag records an unconfirmed rule (not a parameter) in the text.
func (n *note) flag(f string, a ...any) {
	n.unconfirmed = true
	n.add("说明：", f+"「未确认」", a...)
}

func (n *note) param(label string, v param.Version, shown string) {
	if v.Unconfirmed() {
		n.unconfirmed = true
	}
	n.add("参数：", "%s = %s（%s）", label, shown, v.Cite())
}

func (n *note) text() string { return strings.Join(n.lines, "\n") }

func (n *note) item(code, name string, payer Payer, period Period, amount int64) Item {
	return Item{Code: code, Name: name, Payer: payer, Period: period, Amount: amount,
		Dependant: NoDependant, Unconfirmed: n.unconfirmed, Explanation: n.text()}
}

// env resolves parameters for one calculation and reports missing ones as
// input errors naming the params field that would supply them.
type env struct{ r *param.Resolver }

func (e env) get(table, key string, on time.Time) (param.Version, error) {
	v, err := e.r.Get(table, key, on)
	if errors.Is(err, param.ErrNotFound) {
		return v, missing(table, key, e.r.Region, param.FormatDate(on))
	}
	return v, err
}

func (e env) latest(table, key string) (param.Version, error) {
	v, err := e.r.Latest(table, key)
	if errors.Is(err, param.ErrNotFound) {
		return v, missing(table, key, e.r.Region, "任一日期")
	}
	return v, err
}

func missing(table, key, region, on string) error {
	name := table
	if key != "" {
		name += "." + key
	}
	t, _ := param.TableByName(table)
	return inputErr("params."+name, "地区%s在%s没有可用的参数「%s」，请在法定参数中补充，或在测算请求中给出该参数", region, on, t.Title)
}

// money reads a money parameter and records it.
func (e env) money(n *note, label, table, key string, on time.Time) (int64, error) {
	v, err := e.get(table, key, on)
	if err != nil {
		return 0, err
	}
	fen, err := v.Money()
	if err != nil {
		return 0, err
	}
	n.param(label, v, yuan(fen))
	return fen, nil
}

// rat reads a rate, months or number parameter and records it.
func (e env) rat(n *note, label, table, key string, on time.Time) (*big.Rat, error) {
	v, err := e.get(table, key, on)
	if err != nil {
		return nil, err
	}
	r, err := v.Rat()
	if err != nil {
		return nil, err
	}
	t, _ := param.TableByName(table)
	n.param(label, v, showRat(r, t.Kind, t.Unit))
	return r, nil
}

func (e env) enum(n *note, label, table string, on time.Time) (string, error) {
	v, err := e.get(table, "", on)
	if err != nil {
		return "", err
	}
	n.param(label, v, param.Display(table, v.Value))
	return v.Value, nil
}

var roundUnits = map[string]int64{"fen_half_up": 1, "jiao_half_up": 10, "yuan_half_up": 100}
var roundNames = map[string]string{"fen_half_up": "按分四舍五入", "jiao_half_up": "按角四舍五入", "yuan_half_up": "按元四舍五入"}

// round turns an exact amount in fen into the item's final amount, by the
// rounding rule in force on date, and records the rule.
func (e env) round(n *note, x *big.Rat, on time.Time) (int64, error) {
	v, err := e.get("rounding", "", on)
	if err != nil {
		return 0, err
	}
	unit := roundUnits[v.Value]
	n.param("舍入规则（仅在本项最后一步）", v, roundNames[v.Value])
	if x.Sign() < 0 {
		x = new(big.Rat)
	}
	q := new(big.Rat).Quo(x, big.NewRat(unit, 1))
	q.Add(q, big.NewRat(1, 2))
	fl := new(big.Int).Quo(q.Num(), q.Denom()) // floor for non-negative values
	fl.Mul(fl, big.NewInt(unit))
	if !fl.IsInt64() || fl.Int64() > param.MaxMoneyFen {
		return 0, inputErr("", "金额过大，超出可计算范围")
	}
	return fl.Int64(), nil
}

func ratFen(fen int64) *big.Rat { return new(big.Rat).SetInt64(fen) }

func mul(a ...*big.Rat) *big.Rat {
	out := big.NewRat(1, 1)
	for _, x := range a {
		out.Mul(out, x)
	}
	return out
}

// yuan formats fen as the one money format of the system ("¥78,000.00").
func yuan(fen int64) string { return param.Yuan(fen) }

// yuanRat formats an exact fen amount as yuan with up to 4 decimals.
func yuanRat(x *big.Rat) string {
	y := new(big.Rat).Quo(x, big.NewRat(100, 1))
	s := strings.TrimRight(y.FloatString(4), "0")
	intPart, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	grouped := param.FormatMoneyGrouped(mustInt(intPart) * 100)
	return "¥" + strings.TrimSuffix(grouped, ".00") + "." + frac
}

func mustInt(s string) int64 {
	var n int64
	for _, r := range s {
		n = n*10 + int64(r-'0')
	}
	return n
}

func decimal(r *big.Rat) string {
	return strings.TrimRight(strings.TrimRight(r.FloatString(6), "0"), ".")
}

func showRat(r *big.Rat, k param.Kind, unit string) string {
	if k == param.KindRate {
		return decimal(mul(r, big.NewRat(100, 1))) + "%"
	}
	return decimal(r) + " " + unit
}

func pct(r *big.Rat) string { return decimal(mul(r, big.NewRat(100, 1))) + "%" }
