package casebundle

import (
	"fmt"
	"time"

	"gongshang/internal/benefit"
	"gongshang/internal/calc"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// BenefitLine is one item of a benefit decision, as computed by
// internal/benefit and recorded on the decision.
type BenefitLine struct {
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	Payer       benefit.Payer  `json:"payer"`
	Period      benefit.Period `json:"period"`
	AmountFen   int64          `json:"amount_fen"`
	Explanation string         `json:"explanation,omitempty"`
	Unconfirmed bool           `json:"unconfirmed,omitempty"`
}

// Proposal is the computed benefit decision the officer reviews.
type Proposal struct {
	Level       int            `json:"level"`
	Care        CareLevel      `json:"care_level"`
	Wage        calc.WageBasis `json:"wage"`
	AvgFen      int64          `json:"avg_wage_fen"` // the average used (the records', or the officer's correction)
	Corrected   bool           `json:"corrected"`
	BaseWageFen int64          `json:"base_wage_fen"`
	Lines       []BenefitLine  `json:"lines"`
	TotalFen    int64          `json:"total_fen"`   // one-off items the fund pays
	MonthlyFen  int64          `json:"monthly_fen"` // monthly items the fund pays
}

var careToBenefit = map[CareLevel]benefit.Care{CareNone: benefit.CareNone, CarePartial: benefit.CarePartial, CareMost: benefit.CareMost, CareFull: benefit.CareFull}

// Propose computes the benefit decision from the case's facts: the level
// and care level of the initial assessment, 本人工资 from the recorded
// wages (wages: period → fen), the injury date. avg, when not nil, is the
// officer's correction of the average wage (the reason is recorded by the
// action). A 视同工伤 on ground 15.3 gets no 一次性伤残补助金 (Art. 15 ¶2).
func (c *Case) Propose(r *param.Resolver, wages map[string]int64, avg *int64, asOf time.Time) (Proposal, error) {
	rec := c.Service(Recognition)
	if rec == nil || !rec.Detail.Outcome.Positive() {
		return Proposal{}, errs.E(errs.Conflict, "未认定工伤，不能核定待遇")
	}
	as := c.Service(InitialAssess)
	if as == nil || (as.State != Concluded && as.State != Delivered) {
		return Proposal{}, errs.E(errs.Conflict, "劳动能力鉴定结论作出前不能核定伤残待遇")
	}
	inj, _ := ParseDate(c.InjuryDate)
	p := Proposal{Level: as.Detail.Level, Care: as.Detail.CareLevel, Wage: calc.WageFromRecords(inj, wages)}
	w, err := wageOf(p.Wage, avg)
	if err != nil {
		return Proposal{}, err
	}
	p.AvgFen, p.Corrected = w.Avg12m, avg != nil
	if p.Level == 0 {
		it, err := benefit.BaseWage(r, w, inj)
		if err != nil {
			return Proposal{}, err
		}
		p.BaseWageFen = it.Amount
		p.Lines = []BenefitLine{line(it)}
		return p, nil
	}
	items, err := benefit.Disability(r, benefit.DisabilityCase{InjuryDate: inj, AsOf: asOf, Wage: w, Level: p.Level,
		Care: careToBenefit[p.Care], DeemedVeteran: rec.Detail.Ground == "15.3"})
	if err != nil {
		return Proposal{}, err
	}
	if c.Late && c.Applicant == ApplicantEmployer {
		// 条例 Art. 17 ¶4: what arose in the employer's delay is its to pay.
		p.Lines = append(p.Lines, BenefitLine{Code: "late_employer", Name: "用人单位逾期申请", Payer: benefit.PayerEmployer, Period: benefit.Info,
			Explanation: "用人单位未在事故伤害发生之日起30日内提出工伤认定申请，在此期间发生的符合条例规定的工伤待遇等有关费用由该用人单位负担（《工伤保险条例》第十七条第四款）"})
	}
	for _, it := range items {
		l := line(it)
		p.Lines = append(p.Lines, l)
		switch {
		case it.Code == benefit.CodeBaseWage:
			p.BaseWageFen = it.Amount
		case it.Payer == benefit.PayerFund && it.Period == benefit.Once:
			p.TotalFen += it.Amount
		case it.Payer == benefit.PayerFund && it.Period == benefit.Monthly:
			p.MonthlyFen += it.Amount
		}
	}
	return p, nil
}

func line(it benefit.Item) BenefitLine {
	return BenefitLine{Code: it.Code, Name: it.Name, Payer: it.Payer, Period: it.Period, AmountFen: it.Amount,
		Explanation: it.Explanation, Unconfirmed: it.Unconfirmed}
}

// wageOf is the benefit package's wage input: the officer's average, the
// 12 recorded months' average, or the total of fewer months.
func wageOf(b calc.WageBasis, avg *int64) (benefit.Wage, error) {
	switch {
	case avg != nil:
		if *avg <= 0 {
			return benefit.Wage{}, errs.Field("avg_wage_fen", "range", "更正的月平均缴费工资应大于0")
		}
		return benefit.Wage{Avg12m: *avg}, nil
	case b.Used == 12:
		return benefit.Wage{Avg12m: b.AvgFen}, nil
	case b.Used > 0:
		return benefit.Wage{Total: b.TotalFen, Months: b.Used}, nil
	}
	return benefit.Wage{}, errs.Field("avg_wage_fen", "no_wages", "受伤前12个月没有登记的缴费工资，请填写经核实的月平均缴费工资并说明依据")
}

// Entitlement is a monthly payment an approved decision creates for the
// payroll: type, payer, amount, start, the events that stop it, the payee.
type Entitlement struct {
	Type           string        `json:"type"` // disability_allowance, nursing_allowance
	Name           string        `json:"name"`
	Payer          benefit.Payer `json:"payer"`
	AmountFen      int64         `json:"amount_fen"`
	Start          string        `json:"start"` // first month paid, YYYY-MM-01
	StopConditions []string      `json:"stop_conditions"`
}

// Payable is a one-off item an approved decision makes payable.
type Payable struct {
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Payer     benefit.Payer `json:"payer"`
	AmountFen int64         `json:"amount_fen"`
}

// Stop conditions of monthly entitlements (payroll reason codes).
const (
	StopDeath      = "death"      // 死亡
	StopRetirement = "retirement" // 退休（一至四级改发差额）
	StopReassessed = "reassessed" // 复查鉴定等级或护理等级变化
	StopEmployment = "employment" // 五至六级安排工作（单位支付）
)

// Outcomes turns an approved decision's lines into the payroll's monthly
// entitlements (starting the month after the conclusion) and one-off
// payables. Employer-paid allowances (levels 5–6) are recorded with payer
// employer; the fund does not pay them.
func (s *Service) Outcomes(concluded string) ([]Entitlement, []Payable) {
	var ents []Entitlement
	var pays []Payable
	d, _ := ParseDate(concluded)
	start := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0).Format(time.DateOnly)
	for _, l := range s.Detail.Lines {
		switch {
		case l.Code == benefit.CodeBaseWage || l.AmountFen == 0 && l.Period != benefit.Monthly:
			continue
		case l.Period == benefit.Monthly:
			stops := []string{StopDeath, StopReassessed, StopRetirement}
			if l.Payer == benefit.PayerEmployer {
				stops = []string{StopDeath, StopReassessed, StopEmployment}
			}
			ents = append(ents, Entitlement{Type: l.Code, Name: l.Name, Payer: l.Payer, AmountFen: l.AmountFen, Start: start, StopConditions: stops})
		case l.Period == benefit.Once:
			pays = append(pays, Payable{Type: l.Code, Name: l.Name, Payer: l.Payer, AmountFen: l.AmountFen})
		}
	}
	return ents, pays
}

// Yuan formats fen as 1,234.56 for letters and pages.
func Yuan(fen int64) string {
	return fmt.Sprintf("%s元", param.FormatMoneyGrouped(fen))
}
