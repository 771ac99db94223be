package benefit

import (
	"math/big"
	"strconv"
	"time"

	"gongshang/internal/param"
)

// DeathCase is a worker who died of a work injury (条例 Art. 39).
type DeathCase struct {
	InjuryDate  time.Time // fixes the SAW of the 本人工资 clamp and the income year
	DeathDate   time.Time // fixes the SAW of the funeral grant
	AsOf        time.Time // date at which dependants are assessed; zero = DeathDate
	Wage        Wage
	InPaidLeave bool // died within 停工留薪期
	Level       int  // disability level before death, 0 = none
	Dependants  []Dependant
}

// Death computes 本人工资, 丧葬补助金, 一次性工亡补助金 and one
// 供养亲属抚恤金 per eligible dependant.
func Death(r *param.Resolver, c DeathCase) ([]Item, error) {
	if c.Level < 0 || c.Level > 10 {
		return nil, inputErr("level", "伤残等级应为0（无）或1–10（收到 %d）", c.Level)
	}
	if c.DeathDate.Before(c.InjuryDate) {
		return nil, inputErr("death_date", "死亡日期不能早于受伤日期")
	}
	if c.AsOf.IsZero() {
		c.AsOf = c.DeathDate
	}
	e := env{r}
	bw, base, err := baseWage(e, c.Wage, c.InjuryDate)
	if err != nil {
		return nil, err
	}
	fg, err := funeral(e, c.DeathDate)
	if err != nil {
		return nil, err
	}
	dl, err := deathLumpSum(e, c)
	if err != nil {
		return nil, err
	}
	sp, err := survivors(e, base, c.Dependants, c.AsOf)
	if err != nil {
		return nil, err
	}
	return append([]Item{bw, fg, dl}, sp...), nil
}

func funeral(e env, on time.Time) (Item, error) {
	var n note
	n.formula("丧葬补助金 = 月数 × 统筹地区上年度职工月平均工资（条例第三十九条第一款第一项）")
	n.input("死亡日期 = %s", dateCN(on))
	months, err := e.rat(&n, "丧葬补助金月数", "funeral_months", "", on)
	if err != nil {
		return Item{}, err
	}
	saw, err := e.money(&n, "统筹地区上年度职工月平均工资（按 "+dateCN(on)+"）", "avg_wage", "", on)
	if err != nil {
		return Item{}, err
	}
	x := mul(months, ratFen(saw))
	n.calc("%s × %s = %s", decimal(months), yuan(saw), yuanRat(x))
	amount, err := e.round(&n, x, on)
	if err != nil {
		return Item{}, err
	}
	n.result("%s，由工伤保险基金一次性支付", yuan(amount))
	return n.item(CodeFuneralGrant, "丧葬补助金", PayerFund, Once, amount), nil
}

func deathLumpSum(e env, c DeathCase) (Item, error) {
	var n note
	const name = "一次性工亡补助金"
	n.formula("一次性工亡补助金 = 倍数 × 上一年度全国城镇居民人均可支配收入；“上一年度”按工伤发生时确定（条例第三十九条；人社部令第13号第十一条）")
	n.input("受伤日期 = %s；死亡日期 = %s；死亡时处于停工留薪期 = %s；伤残等级 = %s",
		dateCN(c.InjuryDate), dateCN(c.DeathDate), yesNo(c.InPaidLeave), levelCN(c.Level))
	if c.Level >= 1 && c.Level <= 4 && !c.InPaidLeave {
		n.rule("条例第三十九条第三款：一至四级伤残职工在停工留薪期满后死亡的，其近亲属只享受丧葬补助金和供养亲属抚恤金，本项为0")
		return n.item(CodeDeathLumpSum, name, PayerFund, Once, 0), nil
	}
	x, err := deathLumpSumExact(e, &n, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	amount, err := e.round(&n, x, c.InjuryDate)
	if err != nil {
		return Item{}, err
	}
	n.result("%s，由工伤保险基金一次性支付", yuan(amount))
	return n.item(CodeDeathLumpSum, name, PayerFund, Once, amount), nil
}

// deathLumpSumExact returns multiple × national urban income of the year
// before the injury, unrounded.
func deathLumpSumExact(e env, n *note, injury time.Time) (*big.Rat, error) {
	year := strconv.Itoa(injury.Year() - 1)
	mult, err := e.rat(n, "倍数", "death_lump_sum_multiple", "", injury)
	if err != nil {
		return nil, err
	}
	v, err := e.latest("national_urban_income", year)
	if err != nil {
		return nil, err
	}
	income, err := v.Money()
	if err != nil {
		return nil, err
	}
	n.param(year+"年全国城镇居民人均可支配收入", v, yuan(income)+"/年")
	if v.Source != param.RequestSource && v.EffectiveFrom.After(injury) {
		n.flag("该数据启用日期 %s 晚于受伤日期；按工伤发生年度的上一年度数据计算，发布前的处理方式各地不一", dateCN(v.EffectiveFrom))
	}
	x := mul(mult, ratFen(income))
	n.calc("%s × %s = %s", decimal(mult), yuan(income), yuanRat(x))
	return x, nil
}

func levelCN(l int) string {
	if l == 0 {
		return "无"
	}
	return strconv.Itoa(l) + "级"
}

// MissingCase is a worker missing after an accident on a work trip or in
// rescue work (条例 Art. 41).
type MissingCase struct {
	AccidentDate time.Time
	AsOf         time.Time // date at which dependants are assessed; zero = first day of the month after the wage months
	Wage         Wage
	Dependants   []Dependant
}

// Missing computes the wage months, the 50% advance of 一次性工亡补助金 and
// the 供养亲属抚恤金 from the month after the wage months.
func Missing(r *param.Resolver, c MissingCase) ([]Item, error) {
	e := env{r}
	bw, base, err := baseWage(e, c.Wage, c.AccidentDate)
	if err != nil {
		return nil, err
	}
	wages, pensionStart, err := missingWages(e, c.AccidentDate)
	if err != nil {
		return nil, err
	}
	adv, err := missingAdvance(e, c.AccidentDate)
	if err != nil {
		return nil, err
	}
	if c.AsOf.IsZero() {
		c.AsOf = pensionStart
	}
	sp, err := survivors(e, base, c.Dependants, c.AsOf)
	if err != nil {
		return nil, err
	}
	return append([]Item{bw, wages, adv}, sp...), nil
}

func missingWages(e env, accident time.Time) (Item, time.Time, error) {
	var n note
	n.formula("因工下落不明：从事故发生当月起按月数照发工资，之后停发工资，由工伤保险基金向供养亲属按月支付供养亲属抚恤金（条例第四十一条）")
	n.input("事故发生日期 = %s", dateCN(accident))
	months, err := e.rat(&n, "照发工资月数", "missing_wage_months", "", accident)
	if err != nil {
		return Item{}, time.Time{}, err
	}
	if !months.IsInt() || months.Sign() <= 0 || months.Num().Int64() > 120 {
		return Item{}, time.Time{}, inputErr("params.missing_wage_months", "照发工资月数应为1–120的整数")
	}
	m := int(months.Num().Int64())
	first := time.Date(accident.Year(), accident.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, m-1, 0)
	start := first.AddDate(0, m, 0)
	n.calc("照发工资月份：%s 至 %s；自 %s 起停发工资，改发供养亲属抚恤金", first.Format("2006年1月"), last.Format("2006年1月"), start.Format("2006年1月"))
	n.result("工资由用人单位照发（金额为职工原工资，不在此计算）")
	return n.item(CodeMissingWages, "下落不明期间照发工资", PayerEmployer, Info, 0), start, nil
}

func missingAdvance(e env, accident time.Time) (Item, error) {
	var n note
	n.formula("预支额 = 预支比例 × 一次性工亡补助金（条例第四十一条：生活有困难的，可以预支）")
	n.input("事故发生日期 = %s", dateCN(accident))
	rate, err := e.rat(&n, "预支比例", "missing_advance_rate", "", accident)
	if err != nil {
		return Item{}, err
	}
	full, err := deathLumpSumExact(e, &n, accident)
	if err != nil {
		return Item{}, err
	}
	x := mul(rate, full)
	n.calc("%s × %s = %s", pct(rate), yuanRat(full), yuanRat(x))
	amount, err := e.round(&n, x, accident)
	if err != nil {
		return Item{}, err
	}
	n.flag("人民法院宣告死亡后按条例第三十九条计发丧葬补助金、一次性工亡补助金和抚恤金，一次性工亡补助金扣除已预支部分（推断）")
	n.result("%s，由工伤保险基金一次性预支", yuan(amount))
	return n.item(CodeDeathLumpSumAdvance, "一次性工亡补助金预支", PayerFund, Once, amount), nil
}
