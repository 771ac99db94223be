package benefit

import (
	"strconv"
	"time"

	"gongshang/internal/param"
)

// ExitCase is a level 5–10 worker whose labour relation ends (条例 Arts.
// 36–37; Shandong 实施办法 Art. 25 via S16).
type ExitCase struct {
	InjuryDate           time.Time
	ExitDate             time.Time // fixes the SAW ("at the time the contract ends")
	Level                int       // 5–10
	Wage                 *Wage     // optional: adds the 本人工资 item
	OccupationalDisease  bool
	RetirementAgeReached bool
}

// Exit computes 一次性工伤医疗补助金 (fund) and 一次性伤残就业补助金
// (employer) on leaving employment.
func Exit(r *param.Resolver, c ExitCase) ([]Item, error) {
	if c.Level < 5 || c.Level > 10 {
		return nil, inputErr("level", "解除或终止劳动关系的一次性补助金仅适用于5–10级（收到 %d）", c.Level)
	}
	e := env{r}
	var items []Item
	if c.Wage != nil {
		bw, _, err := baseWage(e, *c.Wage, c.InjuryDate)
		if err != nil {
			return nil, err
		}
		items = append(items, bw)
	}
	med, err := exitSubsidy(e, c, true)
	if err != nil {
		return nil, err
	}
	emp, err := exitSubsidy(e, c, false)
	if err != nil {
		return nil, err
	}
	return append(items, med, emp), nil
}

func exitSubsidy(e env, c ExitCase, medical bool) (Item, error) {
	var n note
	lvl := strconv.Itoa(c.Level)
	code, name, table, payer, key := CodeEmploymentLumpSum, "一次性伤残就业补助金", "exit_employment_months", PayerEmployer, lvl
	if medical {
		code, name, table, payer = CodeMedicalLumpSum, "一次性工伤医疗补助金", "exit_medical_months", PayerFund
		if c.OccupationalDisease {
			key = lvl + "-occ"
		}
	}
	n.formula("%s = 月数 × 解除或终止劳动关系时统筹地区上年度职工月平均工资（条例第三十六、三十七条；山东省实施办法第二十五条）", name)
	n.input("伤残等级 = %d级；解除或终止劳动关系日期 = %s；职业病 = %s；已达退休年龄 = %s",
		c.Level, dateCN(c.ExitDate), yesNo(c.OccupationalDisease), yesNo(c.RetirementAgeReached))
	if !medical && c.OccupationalDisease {
		n.flag("职业病上浮仅见于一次性工伤医疗补助金，就业补助金是否上浮未找到依据，按不上浮计")
	}
	if c.RetirementAgeReached {
		if medical {
			n.rule("已达到法定退休年龄或已办理退休手续的，不享受一次性工伤医疗补助金（S16，C2），本项为0")
		} else {
			n.flag("已达到退休年龄的，按不享受一次性伤残就业补助金处理，本项为0")
		}
		return n.item(code, name, payer, Once, 0), nil
	}
	months, err := e.rat(&n, name+"月数（"+key+"）", table, key, c.ExitDate)
	if err != nil {
		return Item{}, err
	}
	saw, err := e.money(&n, "统筹地区上年度职工月平均工资（按 "+dateCN(c.ExitDate)+"）", "avg_wage", "", c.ExitDate)
	if err != nil {
		return Item{}, err
	}
	x := mul(months, ratFen(saw))
	n.calc("%s × %s = %s", decimal(months), yuan(saw), yuanRat(x))
	amount, err := e.round(&n, x, c.ExitDate)
	if err != nil {
		return Item{}, err
	}
	n.result("%s，由%s一次性支付", yuan(amount), payerCN(payer))
	return n.item(code, name, payer, Once, amount), nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
