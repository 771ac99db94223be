package backoffice

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The payroll's dashboard (待遇发放, GET /payroll): the cycles in scope
// with their countdown to the pay day, the form that opens a month, the
// on-time rate by month and region, and what went to the banks in the
// last twelve months by benefit type and region, as tables and
// server-drawn charts.

func init() {
	funcs["cycleState"] = func(s payroll.State) string { return s.Name() }
	funcs["lineState"] = func(s payroll.LineState) string { return s.Name() }
	funcs["reasonLabel"] = func(r payroll.Reason) string { return r.Label() }
	funcs["benefitType"] = payroll.TypeName
	funcs["lineKind"] = payroll.KindName
	funcs["bankName"] = payroll.BankName
	funcs["eventName"] = payroll.EventName
	funcs["count"] = param.Thousands
	funcs["hasPrefix"] = strings.HasPrefix
	funcs["adjState"] = func(s string) string {
		return map[string]string{"prepared": "待审批", "applied": "已执行", "rejected": "已退回"}[s]
	}
	funcs["percentBP"] = func(bp int64) string {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", float64(bp)/100), "0"), ".") + "%"
	}
	funcs["yuanInput"] = func(fen int64) string { return param.FormatMoney(fen) }
}

// cycleRow is a cycle as the dashboard lists it.
type cycleRow struct {
	store.PayrollCycle
	Countdown string
	Overdue   bool
	Escalated bool
}

// countdown words a cycle's distance to its due date: 距20日还有N天, 今天是
// 发放截止日, 已逾期N天, or how it ended once paid.
func countdown(c store.PayrollCycle, today string) (string, bool) {
	if c.OnTime != nil {
		if *c.OnTime {
			return "已按时发放", false
		}
		return "逾期发放", true
	}
	due, err := time.Parse(time.DateOnly, c.DueDate)
	now, err2 := time.Parse(time.DateOnly, today)
	if err != nil || err2 != nil {
		return "", false
	}
	days := int(due.Sub(now).Hours() / 24)
	switch {
	case days > 0:
		return fmt.Sprintf("距%d日还有%d天", due.Day(), days), false
	case days == 0:
		return "今天是发放截止日", false
	}
	return fmt.Sprintf("已逾期%d天", -days), true
}

func (s *Server) cycleRowOf(c store.PayrollCycle) cycleRow {
	text, late := countdown(c, cstDay(s.store.Now()))
	approved := c.ApprovedAt != nil
	return cycleRow{PayrollCycle: c, Countdown: text, Overdue: late, Escalated: c.RemindedAt != nil && !approved}
}

// rateRow is the on-time rate of a month or a region.
type rateRow struct {
	Key, Label    string
	Paid, OnTime  int
	Share         string
	sharePerMille int
}

// totalRow is one row of the totals table.
type totalRow struct {
	Month, Type, Region string
	Count, Fen          int64
}

type payrollPage struct {
	base
	Cycles     []cycleRow
	CanOpen    bool
	Regions    []registry.Region
	OpenRegion string
	OpenMonth  string
	Errors     map[string]string
	ByMonth    []rateRow
	ByRegion   []rateRow
	Totals     []store.PayrollTotal
	RateChart  template.HTML
	MonthChart template.HTML
	TypeChart  template.HTML
	AreaChart  template.HTML
}

func (s *Server) payrollDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := &payrollPage{base: base{Title: "待遇发放"}, OpenMonth: payroll.MonthOf(s.store.Now().In(cst)).String(), OpenRegion: rq.P.RegionCode}
	return s.showPayroll(w, r, rq, http.StatusOK, p)
}

func (s *Server) showPayroll(w http.ResponseWriter, r *http.Request, rq *request, status int, p *payrollPage) error {
	ctx := r.Context()
	cycles, err := s.store.Cycles(ctx, rq.P, 300)
	if err != nil {
		return err
	}
	for _, c := range cycles {
		p.Cycles = append(p.Cycles, s.cycleRowOf(c))
	}
	if p.Regions, err = s.store.Regions(ctx, rq.P.Scope()); err != nil {
		return err
	}
	p.CanOpen = rq.P.Can(access.PermPayrollPrepare)
	p.ByMonth, p.ByRegion = onTimeRates(cycles)
	from := payroll.MonthOf(s.store.Now().In(cst)).Add(-11).String()
	if p.Totals, err = s.store.PayrollTotals(ctx, rq.P, from); err != nil {
		return err
	}
	p.RateChart = drawBars("chart-ontime-title", "按月按时足额发放率", rateBars(p.ByMonth), chartScale{Max: 1000, Text: perMille})
	p.MonthChart, p.TypeChart, p.AreaChart = totalCharts(p.Totals)
	s.render(w, r, rq, status, "payroll", p)
	return nil
}

// onTimeRates counts the cycles that reached the banks, and those on
// time, by month (newest first) and by region.
func onTimeRates(cycles []store.PayrollCycle) (byMonth, byRegion []rateRow) {
	months, regions := map[string]*rateRow{}, map[string]*rateRow{}
	add := func(m map[string]*rateRow, key, label string, onTime bool) {
		row := m[key]
		if row == nil {
			row = &rateRow{Key: key, Label: label}
			m[key] = row
		}
		row.Paid++
		if onTime {
			row.OnTime++
		}
	}
	for _, c := range cycles {
		if c.OnTime == nil {
			continue
		}
		add(months, c.Month, c.Month, *c.OnTime)
		add(regions, c.RegionCode, regionText(c.RegionCode), *c.OnTime)
	}
	collect := func(m map[string]*rateRow, desc bool) []rateRow {
		var out []rateRow
		for _, row := range m {
			row.sharePerMille = row.OnTime * 1000 / row.Paid
			row.Share = perMille(row.sharePerMille)
			out = append(out, *row)
		}
		slices.SortFunc(out, func(a, b rateRow) int { return strings.Compare(a.Key, b.Key) })
		if desc {
			slices.Reverse(out)
		}
		return out
	}
	return collect(months, true), collect(regions, false)
}

// perMille writes 987 as 98.7%.
func perMille(n int) string { return fmt.Sprintf("%d.%d%%", n/10, n%10) }

func rateBars(rows []rateRow) []bar {
	out := make([]bar, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- { // oldest first
		out = append(out, bar{Label: rows[i].Label, Value: rows[i].sharePerMille})
	}
	return out
}

// totalCharts draws the twelve months' totals by month, by benefit type
// and by region.
func totalCharts(totals []store.PayrollTotal) (byMonth, byType, byRegion template.HTML) {
	sum := func(key func(store.PayrollTotal) string, label func(string) string) []bar {
		m := map[string]int{}
		var keys []string
		for _, t := range totals {
			k := key(t)
			if _, ok := m[k]; !ok {
				keys = append(keys, k)
			}
			m[k] += int(t.Fen)
		}
		slices.Sort(keys)
		out := make([]bar, 0, len(keys))
		for _, k := range keys {
			out = append(out, bar{Label: label(k), Value: m[k]})
		}
		return out
	}
	yuan := chartScale{Text: func(n int) string { return param.Yuan(int64(n)) }}
	same := func(k string) string { return k }
	byMonth = drawBars("chart-month-title", "近12个月发放金额（按月）", sum(func(t store.PayrollTotal) string { return t.Month }, same), yuan)
	byType = drawBars("chart-type-title", "近12个月发放金额（按待遇类型）", sum(func(t store.PayrollTotal) string { return t.Type }, payroll.TypeName), yuan)
	byRegion = drawBars("chart-region-title", "近12个月发放金额（按地区）", sum(func(t store.PayrollTotal) string { return t.Region }, regionText), yuan)
	return byMonth, byType, byRegion
}

// payrollOpen opens the month of the form for a region; the job freezes
// and checks it, and the cycle's page shows its progress.
func (s *Server) payrollOpen(w http.ResponseWriter, r *http.Request, rq *request) error {
	region, month := strings.TrimSpace(r.PostFormValue("region")), strings.TrimSpace(r.PostFormValue("month"))
	c, err := s.store.OpenCycle(r.Context(), rq.P, s.params.Set(r.Context()), region, month)
	if err != nil {
		fe, ferr := payrollFieldErrors(err)
		if ferr != nil {
			return ferr
		}
		p := &payrollPage{base: base{Title: "待遇发放"}, OpenRegion: region, OpenMonth: month, Errors: fe}
		return s.showPayroll(w, r, rq, web.Status(err), p)
	}
	s.flash(r, rq, fmt.Sprintf("已开启%s %s的发放周期。", regionText(c.RegionCode), c.Month))
	http.Redirect(w, r, fmt.Sprintf("/payroll/cycles/%d", c.ID), http.StatusSeeOther)
	return nil
}

// payrollFieldErrors maps a refusal a form may show to messages by field
// ("" for one that names no field); other errors are returned.
func payrollFieldErrors(err error) (map[string]string, error) {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid && e.Kind != errs.Conflict {
		return nil, err
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		if m[f.Field] == "" {
			m[f.Field] = f.Message
		}
	}
	if len(e.Fields) == 0 {
		m[""] = e.Message
	}
	return m, nil
}
