package benefit

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/param"
)

// PremiumCase is an employer's monthly contribution (条例 Art. 10; 人社部发
// 〔2015〕71号).
type PremiumCase struct {
	On        time.Time
	RiskClass int      // 1–8
	Tier      *big.Rat // floating tier as a share of the base rate (1.2 = 120%)
	Payroll   int64    // monthly wage bill, fen
}

// Premium computes the contribution = payroll × base rate × tier.
func Premium(r *param.Resolver, c PremiumCase) ([]Item, error) {
	if c.RiskClass < 1 || c.RiskClass > 8 {
		return nil, inputErr("risk_class", "行业风险类别应为1–8（收到 %d）", c.RiskClass)
	}
	e := env{r}
	var n note
	cls := strconv.Itoa(c.RiskClass)
	n.formula("工伤保险费 = 工资总额 × 行业基准费率 × 浮动档次（条例第十条；人社部发〔2015〕71号）")
	n.input("行业风险类别 = %s类；浮动档次 = %s；月工资总额 = %s", cls, pct(c.Tier), yuan(c.Payroll))
	base, err := e.rat(&n, cls+"类行业基准费率", "industry_base_rate", cls, c.On)
	if err != nil {
		return nil, err
	}
	tv, err := e.get("rate_tier", cls, c.On)
	if err != nil {
		return nil, err
	}
	n.param(cls+"类行业可用浮动档次", tv, tv.Value)
	if !tierAllowed(tv.Value, c.Tier) {
		return nil, inputErr("tier", "%s类行业的浮动档次应为 %s 之一（收到 %s）", cls, tv.Value, decimal(c.Tier))
	}
	rate := mul(base, c.Tier)
	x := mul(rate, ratFen(c.Payroll))
	n.calc("费率 %s × %s = %s；%s × %s = %s", pct(base), pct(c.Tier), pct(rate), yuan(c.Payroll), pct(rate), yuanRat(x))
	amount, err := e.round(&n, x, c.On)
	if err != nil {
		return nil, err
	}
	n.flag("济宁统筹地区的具体基准费率与浮动办法未找到，按全国行业基准费率计算")
	n.result("%s/月，由用人单位缴纳", yuan(amount))
	return []Item{n.item(CodePremium, "工伤保险费", PayerEmployer, Monthly, amount)}, nil
}

func tierAllowed(list string, tier *big.Rat) bool {
	for _, s := range strings.Split(list, ",") {
		if r, err := param.ParseDecimal(s); err == nil && r.Cmp(tier) == 0 {
			return true
		}
	}
	return false
}

// PreventionCap computes the prevention-fund ceiling = prior-year fund
// contribution income × cap rate (人社部规〔2017〕13号 Art. 5).
func PreventionCap(r *param.Resolver, on time.Time, fundIncome int64) ([]Item, error) {
	e := env{r}
	var n note
	n.formula("工伤预防费上限 = 统筹地区上年度工伤保险基金征缴收入 × 上限比例（人社部规〔2017〕13号第五条）")
	n.input("上年度基金征缴收入 = %s；日期 = %s", yuan(fundIncome), dateCN(on))
	rate, err := e.rat(&n, "上限比例", "prevention_cap_rate", "", on)
	if err != nil {
		return nil, err
	}
	x := mul(rate, ratFen(fundIncome))
	n.calc("%s × %s = %s", yuan(fundIncome), pct(rate), yuanRat(x))
	amount, err := e.round(&n, x, on)
	if err != nil {
		return nil, err
	}
	n.rule("经省级人社、财政部门同意可适当提高")
	n.result("年度使用上限 %s", yuan(amount))
	return []Item{n.item(CodePreventionCap, "工伤预防费上限", PayerFund, Info, amount)}, nil
}
