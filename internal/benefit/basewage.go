package benefit

import (
	"math/big"
	"time"

	"gongshang/internal/param"
)

// Wage is the worker's contribution wage before the injury (条例 Art. 64).
type Wage struct {
	// Avg12m is the average monthly contribution wage over the 12 months
	// before the injury, in fen. Used when Total is zero.
	Avg12m int64
	// Total and Months describe a worker insured fewer than 12 months: the
	// total contribution wage over Months (1–11) months. The average is then
	// taken by the base_wage_short_rule table (U).
	Total  int64
	Months int
}

// BaseWage computes 本人工资: the average contribution wage clamped to
// [min × SAW, max × SAW] (条例 Art. 64), SAW taken on date on.
func BaseWage(r *param.Resolver, w Wage, on time.Time) (Item, error) {
	it, _, err := baseWage(env{r}, w, on)
	return it, err
}

func baseWage(r env, w Wage, on time.Time) (Item, int64, error) {
	var n note
	n.formula("本人工资 = min( max( 月平均缴费工资, 下限比例 × 统筹地区上年度职工月平均工资 ), 上限比例 × 统筹地区上年度职工月平均工资 )")
	avg, err := averageWage(r, &n, w, on)
	if err != nil {
		return Item{}, 0, err
	}
	saw, err := r.money(&n, "统筹地区上年度职工月平均工资（按 "+dateCN(on)+"）", "avg_wage", "", on)
	if err != nil {
		return Item{}, 0, err
	}
	lo, err := r.rat(&n, "本人工资下限比例", "base_wage_clamp", "min", on)
	if err != nil {
		return Item{}, 0, err
	}
	hi, err := r.rat(&n, "本人工资上限比例", "base_wage_clamp", "max", on)
	if err != nil {
		return Item{}, 0, err
	}
	floor, ceil := mul(lo, ratFen(saw)), mul(hi, ratFen(saw))
	n.calc("下限 %s × %s = %s；上限 %s × %s = %s", pct(lo), yuan(saw), yuanRat(floor), pct(hi), yuan(saw), yuanRat(ceil))
	base := avg
	switch {
	case avg.Cmp(floor) < 0:
		base = floor
		n.calc("月平均缴费工资 %s < 下限，按下限计", yuanRat(avg))
	case avg.Cmp(ceil) > 0:
		base = ceil
		n.calc("月平均缴费工资 %s > 上限，按上限计", yuanRat(avg))
	default:
		n.calc("月平均缴费工资 %s 在上下限之间，不作调整", yuanRat(avg))
	}
	amount, err := r.round(&n, base, on)
	if err != nil {
		return Item{}, 0, err
	}
	n.result("本人工资 %s/月（以下各项以此舍入后的金额为基数）", yuan(amount))
	return n.item(CodeBaseWage, "本人工资", PayerNone, Info, amount), amount, nil
}

func averageWage(r env, n *note, w Wage, on time.Time) (*big.Rat, error) {
	if w.Total == 0 || w.Months == 0 || w.Months >= 12 {
		n.input("工伤前12个月月平均缴费工资 = %s", yuan(w.Avg12m))
		return ratFen(w.Avg12m), nil
	}
	n.input("缴费不足12个月：%d个月缴费工资合计 = %s", w.Months, yuan(w.Total))
	rule, err := r.enum(n, "不足12个月的计算方法", "base_wage_short_rule", on)
	if err != nil {
		return nil, err
	}
	div := int64(w.Months)
	if rule == "twelve_months" {
		div = 12
	}
	avg := new(big.Rat).Quo(ratFen(w.Total), big.NewRat(div, 1))
	n.calc("月平均缴费工资 = %s ÷ %d = %s", yuan(w.Total), div, yuanRat(avg))
	return avg, nil
}

func dateCN(t time.Time) string { return t.Format("2006-01-02") }
