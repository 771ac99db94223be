package benefit

import (
	"math/big"
	"strconv"
	"time"

	"gongshang/internal/param"
)

// Care is the care-dependency level (生活自理障碍程度, 条例 Art. 34).
type Care string

// Care levels.
const (
	CareNone    Care = "none"
	CarePartial Care = "partial" // 生活部分不能自理
	CareMost    Care = "most"    // 生活大部分不能自理
	CareFull    Care = "full"    // 生活完全不能自理
)

var careNames = map[Care]string{CarePartial: "生活部分不能自理", CareMost: "生活大部分不能自理", CareFull: "生活完全不能自理"}

// DisabilityCase is a worker with an assessed disability level.
type DisabilityCase struct {
	InjuryDate    time.Time // fixes the SAW used for the 本人工资 clamp
	AsOf          time.Time // date of the monthly amounts (SAW for nursing, minimum wage); zero = InjuryDate
	Wage          Wage
	Level         int  // 1–10
	Care          Care // none, partial, most, full
	DeemedVeteran bool // 视同工伤 case 3 (条例 Art. 15 ¶1(3)): no 一次性伤残补助金
	Retired       bool // retired: levels 1–4 get the difference to the pension
	Pension       int64
}

// Disability computes 本人工资, 一次性伤残补助金, 伤残津贴 (levels 1–6) and
// 生活护理费 (when a care level is set).
func Disability(r *param.Resolver, c DisabilityCase) ([]Item, error) {
	if c.Level < 1 || c.Level > 10 {
		return nil, inputErr("level", "伤残等级应为1–10（收到 %d）", c.Level)
	}
	if c.AsOf.IsZero() {
		c.AsOf = c.InjuryDate
	}
	e := env{r}
	bw, base, err := baseWage(e, c.Wage, c.InjuryDate)
	if err != nil {
		return nil, err
	}
	items := []Item{bw}
	ls, err := lumpSum(e, c, base)
	if err != nil {
		return nil, err
	}
	items = append(items, ls)
	if c.Level <= 6 {
		al, err := allowance(e, c, base)
		if err != nil {
			return nil, err
		}
		items = append(items, al)
	}
	if c.Care != CareNone && c.Care != "" {
		nu, err := nursing(e, c.Care, c.AsOf)
		if err != nil {
			return nil, err
		}
		items = append(items, nu)
	}
	return items, nil
}

func lumpSum(e env, c DisabilityCase, base int64) (Item, error) {
	var n note
	const name = "一次性伤残补助金"
	n.formula("一次性伤残补助金 = 伤残等级对应月数 × 本人工资（条例第三十五至三十七条）")
	n.input("伤残等级 = %d级；本人工资 = %s", c.Level, yuan(base))
	if c.DeemedVeteran {
		n.input("视同工伤第三种情形（革命伤残军人旧伤复发）= 是")
		n.rule("条例第十五条第二款：此情形享受除一次性伤残补助金以外的工伤保险待遇，本项为0")
		return n.item(CodeDisabilityLumpSum, name, PayerFund, Once, 0), nil
	}
	months, err := e.rat(&n, "一次性伤残补助金月数（"+strconv.Itoa(c.Level)+"级）", "disability_lump_sum_months", strconv.Itoa(c.Level), c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	x := mul(months, ratFen(base))
	n.calc("%s × %s = %s", decimal(months), yuan(base), yuanRat(x))
	amount, err := e.round(&n, x, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	n.result("%s，由工伤保险基金一次性支付", yuan(amount))
	return n.item(CodeDisabilityLumpSum, name, PayerFund, Once, amount), nil
}

func allowance(e env, c DisabilityCase, base int64) (Item, error) {
	var n note
	const name = "伤残津贴"
	lvl := strconv.Itoa(c.Level)
	n.formula("伤残津贴 = 本人工资 × 伤残等级对应比例；低于当地最低工资标准的补足到最低工资；退休后（1–4级）基本养老保险待遇低于伤残津贴的由基金补足差额")
	n.input("伤残等级 = %d级；本人工资 = %s；计算日期 = %s", c.Level, yuan(base), dateCN(c.AsOf))
	rate, err := e.rat(&n, "伤残津贴比例（"+lvl+"级）", "disability_allowance_rate", lvl, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	pv, err := e.get("disability_allowance_payer", lvl, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	payer := Payer(pv.Value)
	n.param("支付方（"+lvl+"级）", pv, payerCN(payer))
	x := mul(rate, ratFen(base))
	n.calc("%s × %s = %s", yuan(base), pct(rate), yuanRat(x))
	minWage, err := e.money(&n, "最低工资标准（按 "+dateCN(c.AsOf)+"）", "min_wage", "", c.AsOf)
	if err != nil {
		return Item{}, err
	}
	if x.Cmp(ratFen(minWage)) < 0 {
		top := new(big.Rat).Sub(ratFen(minWage), x)
		n.calc("%s < 最低工资 %s，由%s补足差额 %s，实发 %s", yuanRat(x), yuan(minWage), payerCN(payer), yuanRat(top), yuan(minWage))
		x = ratFen(minWage)
	} else {
		n.calc("%s ≥ 最低工资 %s，无需补足", yuanRat(x), yuan(minWage))
	}
	if c.Retired {
		var stop bool
		x, stop = afterRetirement(&n, c, x)
		if stop {
			payer = PayerNone
		} else {
			payer = PayerFund
		}
	}
	amount, err := e.round(&n, x, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	n.result("%s/月，%s按月支付", yuan(amount), payerCN(payer))
	return n.item(CodeDisabilityAllowance, name, payer, Monthly, amount), nil
}

// afterRetirement applies 条例 Art. 35 ¶1(3) and 社会保险法 Art. 40: for
// levels 1–4 the fund pays the difference when the pension is lower. For
// levels 5–6 no rule pays anything after retirement (flagged U).
func afterRetirement(n *note, c DisabilityCase, x *big.Rat) (*big.Rat, bool) {
	n.input("已办理退休手续 = 是；基本养老保险待遇 = %s/月", yuan(c.Pension))
	if c.Level > 4 {
		n.flag("5–6级职工退休后享受基本养老保险待遇，条例未规定伤残津贴差额补足，本项按0计")
		return new(big.Rat), true
	}
	diff := new(big.Rat).Sub(x, ratFen(c.Pension))
	if diff.Sign() <= 0 {
		n.calc("养老金 %s ≥ 伤残津贴 %s，停发伤残津贴，差额为0（条例第三十五条第一款第三项）", yuan(c.Pension), yuanRat(x))
		return new(big.Rat), false
	}
	n.calc("伤残津贴 %s − 养老金 %s = %s，由工伤保险基金补足差额（条例第三十五条；社会保险法第四十条）", yuanRat(x), yuan(c.Pension), yuanRat(diff))
	return diff, false
}

func nursing(e env, care Care, on time.Time) (Item, error) {
	var n note
	const name = "生活护理费"
	n.formula("生活护理费 = 统筹地区上年度职工月平均工资 × 生活自理障碍程度对应比例（条例第三十四条）")
	name2, ok := careNames[care]
	if !ok {
		return Item{}, inputErr("care", "生活自理障碍程度应为无（none）、部分不能自理（partial）、大部分不能自理（most）、完全不能自理（full）之一（收到“%s”）", care)
	}
	n.input("生活自理障碍程度 = %s；计算日期 = %s", name2, dateCN(on))
	saw, err := e.money(&n, "统筹地区上年度职工月平均工资（按 "+dateCN(on)+"）", "avg_wage", "", on)
	if err != nil {
		return Item{}, err
	}
	rate, err := e.rat(&n, "护理费比例（"+name2+"）", "nursing_rate", string(care), on)
	if err != nil {
		return Item{}, err
	}
	x := mul(rate, ratFen(saw))
	n.calc("%s × %s = %s", yuan(saw), pct(rate), yuanRat(x))
	amount, err := e.round(&n, x, on)
	if err != nil {
		return Item{}, err
	}
	n.result("%s/月，由工伤保险基金按月支付", yuan(amount))
	return n.item(CodeNursingAllowance, name, PayerFund, Monthly, amount), nil
}

func payerCN(p Payer) string {
	switch p {
	case PayerFund:
		return "工伤保险基金"
	case PayerEmployer:
		return "用人单位"
	}
	return "无支付方"
}
