package backoffice

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The prevention dashboard (工伤预防统计, GET /prevention/dashboard): every
// figure computed from the recorded trainings (store.TrainingKPI over the
// held and closed sessions of the years asked for, in the user's scope) —
// sessions, person-times and distinct people by county, industry,
// programme and month, the progress against each target with the day it
// was reached, the budget approved and paid, the average evaluation score;
// cancelling or adding a session moves them. Each table exports to Excel
// (format=xlsx&table=…), audited. The city's prevention staff record the
// provincial targets on it.

// kpiTables are the dashboard's tables in page order.
var kpiTables = []string{"targets", "county", "industry", "programme", "month", "trend"}

// kpiFirstYear is the first year the programme ran (the 2021 pilot).
const kpiFirstYear = 2021

type preventionKPIPage struct {
	base
	K          prevention.KPI
	From, To   int
	Region     string
	Tables     []dashTable
	CanTarget  bool
	Programmes []string
	Err        string
	Form       prevention.Target
}

var kpiSpec = &web.ListSpec{Path: "/prevention/dashboard", Name: "工伤预防统计", Filters: []web.Filter{
	{Key: "from", Label: "起始年度"}, {Key: "to", Label: "截止年度"}}}

func (s *Server) preventionDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, kpiSpec)
	if err != nil {
		return err
	}
	now := s.store.Now().In(cst).Year()
	from, err := kpiYear(q.Get("from"), "from", kpiFirstYear)
	if err != nil {
		return err
	}
	to, err := kpiYear(q.Get("to"), "to", now)
	if err != nil {
		return err
	}
	if to < from {
		return errs.Field("to", "range", "截止年度（%d）不能早于起始年度（%d）", to, from)
	}
	p, err := s.kpiPage(r, rq, from, to)
	if err != nil {
		return err
	}
	if q.Export {
		key := r.URL.Query().Get("table")
		i := slices.Index(kpiTables, key)
		if i < 0 {
			return errs.Field("table", "choice", "统计表“%s”不存在，可导出%s", key, strings.Join(kpiTables, "、"))
		}
		return s.exportTable(w, r, rq, p.Tables[i], tableExport{Book: "工伤预防统计", File: "prevention", List: kpiSpec.Path,
			Scope: fmt.Sprintf("%s；%d—%d年", p.Region, from, to), Action: store.ExportPreventionKPI,
			Filters: map[string]string{"table": key, "from": strconv.Itoa(from), "to": strconv.Itoa(to)}})
	}
	s.render(w, r, rq, http.StatusOK, "prevention_dashboard", p)
	return nil
}

func kpiYear(v, field string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, errs.Field(field, "year", "年度“%s”无效，应为2000至2100之间的四位数字", v)
	}
	return y, nil
}

func (s *Server) kpiPage(r *http.Request, rq *request, from, to int) (*preventionKPIPage, error) {
	k, err := s.store.TrainingKPI(r.Context(), rq.P, from, to)
	if err != nil {
		return nil, err
	}
	trends, err := s.store.InjuryTrends(r.Context(), rq.P, from, to)
	if err != nil {
		return nil, err
	}
	p := &preventionKPIPage{base: base{Title: "工伤预防统计"}, K: k, From: from, To: to, Region: regionText(rq.P.RegionCode),
		CanTarget: rq.P.Can(access.PermPreventionApprove)}
	p.Form = prevention.Target{Region: rq.P.RegionCode, YearFrom: to, YearTo: to + 2}
	for _, c := range k.ByProgramme {
		if c.Key != "（未填）" {
			p.Programmes = append(p.Programmes, c.Key)
		}
	}
	link := url.Values{"from": {strconv.Itoa(from)}, "to": {strconv.Itoa(to)}, "format": {"xlsx"}}
	for _, key := range kpiTables {
		t := kpiTableOf(key, k)
		if key == "trend" {
			t = trendTable(trends, from, to)
		}
		link.Set("table", key)
		t.Export = kpiSpec.Path + "?" + link.Encode()
		p.Tables = append(p.Tables, t)
	}
	return p, nil
}

// kpiTableOf is one table of the dashboard with its chart.
func kpiTableOf(key string, k prevention.KPI) dashTable {
	counts := []sheet.Column{{Header: "场次", Width: 8}, {Header: "人次", Width: 10}, {Header: "人数", Width: 10}}
	num := []bool{false, true, true, true}
	rows := func(cs []prevention.Count, label func(string) string) ([][]any, []bar) {
		var out [][]any
		var bars []bar
		for _, c := range cs {
			out = append(out, []any{label(c.Key), c.Sessions, c.PersonTimes, c.People})
			bars = append(bars, bar{Label: label(c.Key), Value: c.PersonTimes})
		}
		return out, bars
	}
	plain := func(s string) string { return s }
	switch key {
	case "targets":
		t := dashTable{Key: key, Name: "目标任务完成情况", Note: "培训人数为目标年度内参加该专项培训的不重复人数；达成日期为累计人数达到目标任务的培训日期。",
			Columns: []sheet.Column{{Header: "培训专项", Width: 30}, {Header: "地区", Width: 10}, {Header: "目标年度", Width: 12}, {Header: "目标任务（人）", Width: 12},
				{Header: "已培训（人）", Width: 12}, {Header: "完成比例", Width: 10}, {Header: "达成日期", Width: 12}, {Header: "依据", Width: 30}},
			Num: []bool{false, false, false, true, true, true, false, false}}
		var bars []bar
		for _, tg := range k.Targets {
			reached := tg.ReachedOn
			if reached == "" {
				reached = "尚未完成"
			}
			t.Rows = append(t.Rows, []any{tg.Programme, regionText(tg.Region), fmt.Sprintf("%d—%d", tg.YearFrom, tg.YearTo), tg.Target.Target, tg.Trained,
				percentText(tg.SharePct), reached, tg.Source})
			bars = append(bars, bar{Label: tg.Programme, Value: int(tg.SharePct / 100)})
		}
		t.Chart = drawBars("chart-targets", "完成比例（%）", bars, chartScale{Text: func(v int) string { return strconv.Itoa(v) + "%" }})
		return t
	case "county":
		t := dashTable{Key: key, Name: "培训情况（按区县）", Columns: append([]sheet.Column{{Header: "区县", Width: 12}}, counts...), Num: num}
		var bars []bar
		t.Rows, bars = rows(k.ByRegion, regionText)
		t.Chart = barChart("chart-county", "培训人次（按区县）", bars)
		return t
	case "industry":
		t := dashTable{Key: key, Name: "培训情况（按行业）", Columns: append([]sheet.Column{{Header: "行业（GB/T 4754门类大类）", Width: 30}}, counts...), Num: num}
		var bars []bar
		t.Rows, bars = rows(k.ByIndustry, func(c string) string {
			if c == "（未填）" {
				return c
			}
			return industryName(c)
		})
		t.Chart = barChart("chart-industry", "培训人次（按行业）", bars)
		return t
	case "programme":
		t := dashTable{Key: key, Name: "培训情况（按专项）", Columns: append([]sheet.Column{{Header: "培训专项", Width: 30}}, counts...), Num: num}
		var bars []bar
		t.Rows, bars = rows(k.ByProgramme, plain)
		t.Chart = barChart("chart-programme", "培训人次（按专项）", bars)
		return t
	}
	t := dashTable{Key: "month", Name: "培训情况（按月份）", Columns: append([]sheet.Column{{Header: "月份", Width: 10}}, counts...), Num: num}
	var bars []bar
	t.Rows, bars = rows(k.ByMonth, plain)
	t.Chart = barChart("chart-month", "培训人次（按月份）", bars)
	return t
}

// trendTable is the injury rate of each trained division year by year,
// its first training marked: what the trainings did to the accidents.
func trendTable(trends []prevention.Trend, from, to int) dashTable {
	t := dashTable{Key: "trend", Name: "培训行业工伤发生率变化", Note: "工伤发生率为当年认定（视同）工伤人数÷该行业参保职工人数（每千人）；“首次培训”为该行业第一场培训的日期，其后各年的变化即培训后的趋势。",
		Columns: []sheet.Column{{Header: "行业（GB/T 4754门类大类）", Width: 30}, {Header: "首次培训", Width: 12}}, Num: []bool{false, false}}
	for y := from; y <= to; y++ {
		t.Columns = append(t.Columns, sheet.Column{Header: fmt.Sprintf("%d年（‰）", y), Width: 12})
		t.Num = append(t.Num, true)
	}
	var bars []bar
	for _, tr := range trends {
		row := []any{tr.Division + " " + tr.Name, tr.FirstTrained}
		for _, yr := range tr.Years {
			if !yr.Rated {
				row = append(row, "—")
				continue
			}
			row = append(row, fmt.Sprintf("%d.%03d（%d/%d）", yr.PerMille/1000, yr.PerMille%1000, yr.Injuries, yr.Insured))
		}
		t.Rows = append(t.Rows, row)
		if n := len(tr.Years); n > 0 && tr.Years[n-1].Rated {
			bars = append(bars, bar{Label: tr.Division + " " + tr.Name, Value: int(tr.Years[n-1].PerMille)})
		}
	}
	t.Chart = drawBars("chart-trend", fmt.Sprintf("%d年工伤发生率（千分之一‰）", to), bars, chartScale{Text: func(v int) string { return fmt.Sprintf("%d.%03d‰", v/1000, v%1000) }})
	return t
}

// percentText writes hundredths of a percent as a whole percentage,
// rounded, as the provincial assessment reports it: 27277 → 273%.
func percentText(h int64) string { return fmt.Sprintf("%d%%", (h+50)/100) }

// preventionTargetAdd records a provincial target (PermPreventionApprove).
func (s *Server) preventionTargetAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	tg := prevention.Target{Region: strings.TrimSpace(r.PostFormValue("region_code")), Programme: r.PostFormValue("programme"), Source: r.PostFormValue("source")}
	var fs errs.Fields
	var err error
	if tg.YearFrom, err = strconv.Atoi(r.PostFormValue("year_from")); err != nil {
		fs.Add("year_from", "number", "起始年度应为四位数字")
	}
	if tg.YearTo, err = strconv.Atoi(r.PostFormValue("year_to")); err != nil {
		fs.Add("year_to", "number", "截止年度应为四位数字")
	}
	if tg.Target, err = strconv.Atoi(r.PostFormValue("target")); err != nil {
		fs.Add("target", "number", "目标任务应为人数（整数）")
	}
	err = fs.Err()
	if err == nil {
		_, err = s.store.AddTrainingTarget(r.Context(), rq.P, tg)
	}
	if err != nil {
		msg, ok := formMessage(err)
		if !ok {
			return err
		}
		now := s.store.Now().In(cst).Year()
		p, perr := s.kpiPage(r, rq, kpiFirstYear, now)
		if perr != nil {
			return perr
		}
		p.Err, p.Form = msg, tg
		s.render(w, r, rq, web.Status(err), "prevention_dashboard", p)
		return nil
	}
	s.flash(r, rq, fmt.Sprintf("已登记目标任务：%s %d人（%d—%d年）。", tg.Programme, tg.Target, tg.YearFrom, tg.YearTo))
	http.Redirect(w, r, kpiSpec.Path, http.StatusSeeOther)
	return nil
}
