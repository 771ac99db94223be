package backoffice

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// The fund-supervision dashboard (基金监管统计, GET /supervision/dashboard):
// store.SupervisionDashboard's figures in the user's scope, filtered by
// the campaigns' year and by one campaign, as tables with a bar chart
// each; every table exports to Excel (format=xlsx&table=…) with the
// columns the page shows, audited like a list's export. One definition
// per table (dashTable) serves the page and the file.

// dashTable is one table of the dashboard: its key in table=, its name,
// columns, rows (cells as sheet.RowFunc takes them: string, int, int64,
// sheet.Money) and chart.
type dashTable struct {
	Key, Name string
	Note      string
	Columns   []sheet.Column
	Num       []bool // a column of figures (right-aligned on the page)
	Rows      [][]any
	Chart     template.HTML
	Export    string
}

// Cells are the rows as the page writes them.
func (t dashTable) Cells() [][]dashCell {
	out := make([][]dashCell, len(t.Rows))
	for i, row := range t.Rows {
		for j, v := range row {
			out[i] = append(out[i], dashCell{Text: cellText(v), Num: j < len(t.Num) && t.Num[j]})
		}
	}
	return out
}

// Head is the header row as the page writes it.
func (t dashTable) Head() []dashCell {
	out := make([]dashCell, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = dashCell{Text: c.Header, Num: i < len(t.Num) && t.Num[i]}
	}
	return out
}

type dashCell struct {
	Text string
	Num  bool
}

func cellText(v any) string {
	switch x := v.(type) {
	case sheet.Money:
		return param.Yuan(int64(x))
	case int:
		return thousands(x)
	case int64:
		return param.Thousands(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// dashTables are the tables' keys in their order on the page.
var dashTables = []string{"leads", "category", "county", "institution", "recovery", "rules", "teams"}

type supervisionDashPage struct {
	base
	D          store.SupervisionDash
	Region     string
	YearValue  string // the year select's value: 2026, or all
	Years      []int
	CampaignID int64
	Tables     []dashTable
	Found      int64 // the field findings' amount
	Confirmed  int64 // of it, confirmed
}

// dashSpec declares the dashboard's query: the year (all for every year)
// and a campaign.
var dashSpec = &web.ListSpec{Path: "/supervision/dashboard", Name: "基金监管统计", Filters: []web.Filter{
	{Key: "year", Label: "年度"}, {Key: "campaign", Label: "稽核计划", ID: true}}}

func (s *Server) supervisionDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, dashSpec)
	if err != nil {
		return err
	}
	f := store.DashFilter{CampaignID: q.ID("campaign")}
	switch y := q.Get("year"); y {
	case "":
		f.Year = s.store.Now().In(cst).Year()
	case "all":
	default:
		if f.Year, err = strconv.Atoi(y); err != nil {
			return errs.Field("year", "number", "年度“%s”无效，应为四位数字或all（全部年度）", y)
		}
	}
	if f.CampaignID != 0 {
		f.Year = 0
	}
	d, err := s.store.SupervisionDashboard(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	p := &supervisionDashPage{base: base{Title: "基金监管统计"}, D: d, Region: regionText(rq.P.RegionCode), YearValue: "all", CampaignID: f.CampaignID}
	if d.Year != 0 {
		p.YearValue = strconv.Itoa(d.Year)
	}
	for _, c := range d.ByCounty {
		p.Found, p.Confirmed = p.Found+c.Fen, p.Confirmed+c.ConfirmedFen
	}
	p.Years = dashYears(d, s.store.Now().In(cst).Year())
	link := url.Values{"year": {p.YearValue}, "format": {"xlsx"}}
	if f.CampaignID != 0 {
		link.Set("campaign", strconv.FormatInt(f.CampaignID, 10))
	}
	for _, key := range dashTables {
		t := dashTableOf(key, d)
		link.Set("table", key)
		t.Export = "/supervision/dashboard?" + link.Encode()
		p.Tables = append(p.Tables, t)
	}
	if q.Export {
		key := r.URL.Query().Get("table")
		i := slices.Index(dashTables, key)
		if i < 0 {
			return errs.Field("table", "choice", "统计表“%s”不存在，可导出%s", key, strings.Join(dashTables, "、"))
		}
		return s.exportDashTable(w, r, rq, p, p.Tables[i])
	}
	s.render(w, r, rq, http.StatusOK, "supervision_dashboard", p)
	return nil
}

// dashYears are the years the filter offers: this year and every
// campaign's, newest first.
func dashYears(d store.SupervisionDash, now int) []int {
	ys := []int{now}
	for _, c := range d.Campaigns {
		ys = append(ys, c.Year)
	}
	if d.Year != 0 {
		ys = append(ys, d.Year)
	}
	slices.Sort(ys)
	slices.Reverse(ys)
	return slices.Compact(ys)
}

func money(fen int64) sheet.Money { return sheet.Money(fen) }

// moneyChart draws amounts in fen, written in yuan.
func moneyChart(id, title string, bars []bar) template.HTML {
	return drawBars(id, title, bars, chartScale{Text: func(v int) string { return param.Yuan(int64(v)) }})
}

func dashTableOf(key string, d store.SupervisionDash) dashTable {
	tally := []sheet.Column{{Header: "稽核发现", Width: 10}, {Header: "涉及金额", Width: 14}, {Header: "认定", Width: 8}, {Header: "认定金额", Width: 14}}
	tallyRow := func(t store.FindingTally) []any {
		return []any{t.Count, money(t.Fen), t.Confirmed, money(t.ConfirmedFen)}
	}
	switch key {
	case "leads":
		t := dashTable{Key: key, Name: "筛查线索（按行为类别和结果类型）",
			Columns: []sheet.Column{{Header: "行为类别", Width: 16}, {Header: "结果类型", Width: 10}, {Header: "线索", Width: 8}, {Header: "涉及金额", Width: 14},
				{Header: "已确认", Width: 8}, {Header: "已排除", Width: 8}, {Header: "待核实", Width: 8}, {Header: "确认金额", Width: 14}},
			Num: []bool{false, false, true, true, true, true, true, true}}
		if d.Scan != nil {
			n := 0
			for _, l := range d.Leads {
				n += l.Count
			}
			t.Note = fmt.Sprintf("依据筛查%d（%s完成）：管辖范围内的线索%d条", d.Scan.ID, cstDay(d.Scan.FinishedAt), n)
		} else {
			t.Note = "尚无完成的筛查"
		}
		var bars []bar
		for _, l := range d.Leads {
			t.Rows = append(t.Rows, []any{supervision.CategoryName(l.Category), supervision.SeverityName(l.Severity), l.Count, money(l.Fen),
				l.Confirmed, l.Dismissed, l.Open, money(l.ConfirmedFen)})
			name := supervision.CategoryName(l.Category)
			if n := len(bars); n > 0 && bars[n-1].Label == name {
				bars[n-1].Value += int(l.Fen)
			} else {
				bars = append(bars, bar{Label: name, Value: int(l.Fen)})
			}
		}
		t.Chart = moneyChart("chart-leads", "筛查线索涉及金额（按行为类别）", bars)
		return t
	case "category", "county", "institution":
		var rows []store.FindingTally
		t := dashTable{Key: key}
		label := func(x store.FindingTally) string { return supervision.CategoryName(x.Key) }
		switch key {
		case "category":
			t.Name, rows = "稽核发现（按行为类别）", d.ByCategory
			t.Columns = append([]sheet.Column{{Header: "行为类别", Width: 16}}, tally...)
			t.Num = []bool{false, true, true, true, true}
		case "county":
			t.Name, rows, label = "稽核发现（按区县）", d.ByCounty, func(x store.FindingTally) string { return regionText(x.Key) }
			t.Columns = append([]sheet.Column{{Header: "区县", Width: 12}}, tally...)
			t.Num = []bool{false, true, true, true, true}
		default:
			t.Name, rows = fmt.Sprintf("稽核发现（按机构，涉及金额前%d家）", store.DashTopInstitutions), d.ByInstitution
			label = func(x store.FindingTally) string { return cmpName(x.Name, x.Key) }
			t.Columns = append([]sheet.Column{{Header: "排名", Width: 6}, {Header: "机构编码", Width: 16}, {Header: "机构", Width: 28}}, tally...)
			t.Num = []bool{true, false, false, true, true, true, true}
		}
		var bars []bar
		for i, x := range rows {
			row := append([]any{label(x)}, tallyRow(x)...)
			if key == "institution" {
				row = append([]any{i + 1, x.Key, x.Name}, tallyRow(x)...)
			}
			t.Rows = append(t.Rows, row)
			if len(bars) < 10 {
				bars = append(bars, bar{Label: label(x), Value: int(x.Fen)})
			}
		}
		t.Chart = moneyChart("chart-"+key, t.Name+"：涉及金额", bars)
		return t
	case "recovery":
		t := dashTable{Key: key, Name: "追回进度（按区县）", Note: "已登记为全部追回记录的金额（未办结和已办结），已追回为办结时实际追回的金额，待追回为未办结记录的金额。",
			Columns: []sheet.Column{{Header: "区县", Width: 12}, {Header: "追回笔数", Width: 10}, {Header: "未办结", Width: 8}, {Header: "已登记", Width: 14},
				{Header: "已追回", Width: 14}, {Header: "待追回", Width: 14}, {Header: "退回登记", Width: 14}, {Header: "退回已追回", Width: 14},
				{Header: "抵扣登记", Width: 14}, {Header: "抵扣已追回", Width: 14}},
			Num: []bool{false, true, true, true, true, true, true, true, true, true}}
		row := func(name string, x store.RecoveryTally) []any {
			return []any{name, x.Count, x.Open, money(x.Booked), money(x.Recovered), money(x.Outstanding), money(x.RefundBooked),
				money(x.RefundRecovered), money(x.OffsetBooked), money(x.OffsetRecovered)}
		}
		for _, x := range d.Recovery {
			t.Rows = append(t.Rows, row(regionText(x.Region), x))
		}
		if len(d.Recovery) > 0 {
			t.Rows = append(t.Rows, row("合计", d.RecoveryTotal))
		}
		x := d.RecoveryTotal
		t.Chart = moneyChart("chart-recovery", "追回进度（合计）", []bar{{Label: "已登记", Value: int(x.Booked)}, {Label: "已追回", Value: int(x.Recovered)},
			{Label: "待追回", Value: int(x.Outstanding)}, {Label: "退回已追回", Value: int(x.RefundRecovered)}, {Label: "抵扣已追回", Value: int(x.OffsetRecovered)}})
		return t
	case "rules":
		t := dashTable{Key: key, Name: "规则命中率", Note: "命中率为确认数÷核实数（确认与排除），全市规则库的统计（含联网结算实时规则的复核结果）。",
			Columns: []sheet.Column{{Header: "规则", Width: 36}, {Header: "结果类型", Width: 10}, {Header: "触发", Width: 10}, {Header: "确认", Width: 8},
				{Header: "排除", Width: 8}, {Header: "命中率", Width: 10}},
			Num: []bool{false, false, true, true, true, true}}
		var bars []bar
		for _, r := range d.Rules {
			t.Rows = append(t.Rows, []any{r.RuleID + " " + r.RuleName, supervision.SeverityName(r.Severity), r.Triggers, r.Confirmed, r.Dismissed, r.HitRate()})
			if r.Reviewed() > 0 {
				bars = append(bars, bar{Label: r.RuleID, Value: int(r.Confirmed * 1000 / r.Reviewed())})
			}
		}
		t.Chart = drawBars("chart-rules", "规则命中率（已核实的规则）", bars, chartScale{Max: 1000, Text: func(v int) string { return fmt.Sprintf("%.1f%%", float64(v)/10) }})
		return t
	}
	t := dashTable{Key: "teams", Name: "稽核计划进度（按检查组）",
		Columns: []sheet.Column{{Header: "稽核计划", Width: 28}, {Header: "检查组", Width: 10}, {Header: "检查对象", Width: 10}, {Header: "待检查", Width: 8},
			{Header: "已检查", Width: 8}, {Header: "已办结", Width: 8}, {Header: "稽核发现", Width: 10}, {Header: "认定", Width: 8},
			{Header: "涉及金额", Width: 14}, {Header: "认定金额", Width: 14}},
		Num: []bool{false, false, true, true, true, true, true, true, true, true}}
	var bars []bar
	one := d.Campaign != nil || len(d.Teams) > 0 && d.Teams[0].CampaignID == d.Teams[len(d.Teams)-1].CampaignID
	for _, tp := range d.Teams {
		team := "待分组"
		if tp.Team > 0 {
			team = fmt.Sprintf("第%d组", tp.Team)
		}
		t.Rows = append(t.Rows, []any{tp.Campaign, team, tp.Visits, tp.Planned, tp.Visited, tp.Closed, tp.Findings, tp.Confirmed, money(tp.Fen), money(tp.ConfirmedFen)})
		label := team
		if !one {
			label = fmt.Sprintf("计划%d·%s", tp.CampaignID, team)
		}
		bars = append(bars, bar{Label: label, Value: tp.Visited + tp.Closed})
	}
	t.Chart = drawBars("chart-teams", "已检查的机构数（按检查组）", bars, chartScale{Text: thousands})
	return t
}

func cmpName(name, code string) string {
	if name != "" {
		return name
	}
	return code
}

// exportDashTable sends one table as .xlsx: the title names it and the
// filter, the note the exporter and the time; audited (it discloses data)
// with the filter and the row count before the file is sent.
func (s *Server) exportDashTable(w http.ResponseWriter, r *http.Request, rq *request, p *supervisionDashPage, t dashTable) error {
	filter := "全部年度"
	if p.D.Year != 0 {
		filter = fmt.Sprintf("%d年", p.D.Year)
	}
	if p.D.Campaign != nil {
		filter += "；稽核计划：" + p.D.Campaign.Name
	}
	filters := map[string]string{"table": t.Key, "year": p.YearValue}
	if p.CampaignID != 0 {
		filters["campaign"] = strconv.FormatInt(p.CampaignID, 10)
	}
	return s.exportTable(w, r, rq, t, tableExport{Book: "基金监管统计", File: "supervision", Scope: p.Region + "；" + filter,
		Action: store.ExportSupervisionDash, List: "/supervision/dashboard", Filters: filters})
}

// tableExport names a dashboard's export: the workbook's title, the file
// name's ASCII fallback, the scope and filter in words, the audit action.
type tableExport struct {
	Book, File, Scope, Action, List string
	Filters                         map[string]string
}

// exportTable sends one dashboard table as .xlsx, audited with its
// filter and row count before the file is sent.
func (s *Server) exportTable(w http.ResponseWriter, r *http.Request, rq *request, t dashTable, x tableExport) error {
	now := s.store.Now().In(cst)
	title := x.Book + "·" + t.Name + "（" + x.Scope + "）"
	note := "导出人：" + exporter(rq.P) + "　导出时间：" + now.Format("2006年1月2日 15:04") + "（北京时间）　共" + strconv.Itoa(len(t.Rows)) + "行"
	if t.Note != "" {
		note += "　" + t.Note
	}
	stamp := now.Format("20060102-1504")
	sheetName, _, _ := strings.Cut(t.Name, "（")
	out := &lazyHeaders{ResponseWriter: w, set: func(h http.Header) {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", web.ContentDisposition(x.Book+"-"+sheetName+"-"+stamp+".xlsx", x.File+"-"+t.Key+"-"+stamp+".xlsx"))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
	}}
	err := sheet.ExportXLSX(out, sheet.Export{Sheet: sheetName, Title: title, Note: note, Columns: t.Columns}, func(add sheet.RowFunc) error {
		for _, row := range t.Rows {
			if err := add(row...); err != nil {
				return err
			}
		}
		return s.store.RecordExport(r.Context(), rq.P, x.Action, rq.P.RegionCode, store.ExportRecord{Title: title, Filters: x.Filters, Rows: len(t.Rows)})
	})
	if err != nil && out.started {
		s.log.Error("export", "list", x.List, "table", t.Key, "user", rq.P.Username, "error", err)
		return nil
	}
	return err
}
