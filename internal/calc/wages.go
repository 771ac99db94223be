package calc

import (
	"fmt"
	"strings"
	"time"

	"gongshang/internal/param"
)

// 本人工资 from the recorded contribution wages (《工伤保险条例》第六十四条
// 第二款): the average monthly contribution wage of the 12 months before the
// injury — the 12 calendar months before the month of the injury. When
// fewer months are recorded, the total and the number of months go to the
// calculator, which applies the short-insurance rule (base_wage_short_rule,
// 未确认) and says so.

// MonthWage is one month of the window before the injury.
type MonthWage struct {
	Period    string // 2025-03
	Title     string // 2025年3月
	AmountFen int64
	Recorded  bool
}

// WageBasis is the wage input of a calculation taken from the records.
type WageBasis struct {
	Months   []MonthWage // the 12 months before the injury month, oldest first
	Used     int         // months with a recorded wage
	TotalFen int64
	AvgFen   int64 // TotalFen / 12 rounded half up, when Used is 12
}

// WageFromRecords takes the window before injury from the recorded wages
// (period "YYYY-MM" → fen; a month with several employers is their sum).
func WageFromRecords(injury time.Time, wages map[string]int64) WageBasis {
	var b WageBasis
	first := time.Date(injury.Year(), injury.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -12, 0)
	for i := range 12 {
		m := first.AddDate(0, i, 0)
		p := m.Format("2006-01")
		amt, ok := wages[p]
		b.Months = append(b.Months, MonthWage{Period: p, Title: fmt.Sprintf("%d年%d月", m.Year(), int(m.Month())), AmountFen: amt, Recorded: ok})
		if ok {
			b.Used++
			b.TotalFen += amt
		}
	}
	if b.Used == 12 {
		b.AvgFen = (b.TotalFen*2 + 12) / 24 // half up
	}
	return b
}

// Fields are the calculator's request fields for the basis: wage_avg_12m
// for 12 months, wage_total and contribution_months for fewer, none when
// no month is recorded.
func (b WageBasis) Fields() map[string]string {
	switch {
	case b.Used == 12:
		return map[string]string{"wage_avg_12m": param.FormatMoney(b.AvgFen)}
	case b.Used > 0:
		return map[string]string{"wage_total": param.FormatMoney(b.TotalFen), "contribution_months": fmt.Sprint(b.Used)}
	}
	return map[string]string{}
}

// Explain says in Chinese, for staff and the worker, which months were used.
func (b WageBasis) Explain() string {
	from, to := b.Months[0].Title, b.Months[len(b.Months)-1].Title
	s := fmt.Sprintf("依据《工伤保险条例》第六十四条第二款，本人工资是工伤前12个月（%s至%s）的平均月缴费工资。", from, to)
	switch {
	case b.Used == 12:
		return s + fmt.Sprintf("这12个月都有缴费记录，合计 %s，平均每月 %s。", param.Yuan(b.TotalFen), param.Yuan(b.AvgFen))
	case b.Used > 0:
		var missing []string
		for _, m := range b.Months {
			if !m.Recorded {
				missing = append(missing, m.Title)
			}
		}
		return s + fmt.Sprintf("其中只有%d个月有缴费记录，合计 %s（无记录：%s）；按缴费不足12个月的办法计算，此办法尚未确认。",
			b.Used, param.Yuan(b.TotalFen), strings.Join(missing, "、"))
	}
	return s + "这段时间没有缴费工资记录，请核实后手工填写本人工资。"
}
