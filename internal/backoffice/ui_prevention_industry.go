package backoffice

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/prevention"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Key industries (重点行业): the year's injury rate per GB/T 4754 division
// and county, ranked, as a table and a server-drawn bar chart, with the
// adopt form the joint meeting uses (the year's focus, one action) and
// the table's Excel file.

type industriesPage struct {
	Enterprises []store.KeyEnterprise // the employers with the most recognised injuries
	base
	Year      int
	Rows      []prevention.IndustryRate
	Chart     template.HTML
	Budget    store.PreventionYear
	Divisions []planChoice // the ranked divisions, for the adopt form
	CanAdopt  bool
	Err       string
}

// Adopted reports whether division d is in the year's focus.
// FocusHas reports whether an enterprise is among the adopted focus.
func (p *industriesPage) FocusHas(code string) bool {
	return slices.Contains(p.Budget.Focus.Enterprises, code)
}

func (p *industriesPage) Adopted(d string) bool {
	for _, x := range p.Budget.Focus.Divisions {
		if x == d {
			return true
		}
	}
	return false
}

// Rate writes a row's rate.
func (p *industriesPage) Rate(v int64, rated bool) string {
	if !rated {
		return "—"
	}
	return prevention.FormatPerMille(v)
}

// Change writes a row's change against the year before.
func (p *industriesPage) Change(row prevention.IndustryRate) string {
	if !row.Rated || !row.PrevRated {
		return "—"
	}
	s := prevention.FormatPerMille(row.Change)
	if row.Change > 0 {
		s = "+" + s
	}
	return s
}

func (s *Server) preventionIndustries(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showIndustries(w, r, rq, http.StatusOK, "", 0)
}

func (s *Server) showIndustries(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string, year int) error {
	var err error
	if year == 0 {
		if year, err = s.preventionYear(r); err != nil {
			return err
		}
	}
	ctx := r.Context()
	rows, err := s.store.IndustryRates(ctx, rq.P, year)
	if err != nil {
		return err
	}
	if wantsExport(r) {
		return s.exportIndustries(w, r, rq, year, rows)
	}
	p := &industriesPage{base: base{Title: fmt.Sprintf("%d年度重点行业", year)}, Year: year, Rows: rows, Err: msg}
	if p.Budget, err = s.store.FindPreventionYear(ctx, rq.P, s.params.Set(ctx), rq.P.RegionCode, year); err != nil {
		return err
	}
	p.CanAdopt = rq.P.Can(access.PermPreventionApprove) && rq.P.RegionCode == p.Budget.Region
	if p.Enterprises, err = s.store.KeyEnterprises(ctx, rq.P, year, 20); err != nil {
		return err
	}
	var bars []bar
	seen := map[string]bool{}
	for _, row := range rows {
		if row.Rated && len(bars) < 15 {
			bars = append(bars, bar{Label: regionText(row.Region) + " " + row.Name, Value: int(row.PerMille)})
		}
		if !seen[row.Division] {
			seen[row.Division] = true
			p.Divisions = append(p.Divisions, planChoice{row.Division, row.Name})
		}
	}
	for _, d := range p.Budget.Focus.Divisions { // adopted before, no longer ranked
		if !seen[d] {
			seen[d] = true
			p.Divisions = append(p.Divisions, planChoice{d, industryName(d)})
		}
	}
	p.Chart = drawBars("industry-chart-title", fmt.Sprintf("%d年各区县分行业工伤发生率（每千名参保职工）", year), bars,
		chartScale{Text: func(v int) string { return prevention.FormatPerMille(int64(v)) }})
	s.render(w, r, rq, status, "prevention_industries", p)
	return nil
}

func (s *Server) exportIndustries(w http.ResponseWriter, r *http.Request, rq *request, year int, rows []prevention.IndustryRate) error {
	q, err := web.ParseList(r, &web.ListSpec{Path: "/prevention/industries", Name: fmt.Sprintf("%d年度重点行业", year)})
	if err != nil {
		return err
	}
	page := &industriesPage{}
	cols := []sheet.Column{{Header: "排名", Width: 6}, {Header: "区县", Width: 12}, {Header: "行业代码", Width: 8}, {Header: "行业", Width: 30},
		{Header: "认定工伤（人）", Width: 12}, {Header: "参保职工（人）", Width: 12}, {Header: "工伤发生率", Width: 12},
		{Header: "上年认定工伤", Width: 12}, {Header: "上年参保职工", Width: 12}, {Header: "上年发生率", Width: 12}, {Header: "变化", Width: 12}}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportPreventionIndustries, File: "prevention-industries", Columns: cols, Total: len(rows),
		Rows: func(add sheet.RowFunc) (int, error) {
			for i, row := range rows {
				if err := add(row.Rank, regionText(row.Region), row.Division, row.Name, row.Injuries, row.Insured, page.Rate(row.PerMille, row.Rated),
					row.PrevInjuries, row.PrevInsured, page.Rate(row.PrevPerMille, row.PrevRated), page.Change(row)); err != nil {
					return i, err
				}
			}
			return len(rows), nil
		}})
}

func (s *Server) preventionFocusAdopt(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	f := prevention.Focus{Divisions: r.PostForm["division"], Enterprises: splitCodes(r.PostFormValue("enterprises"))}
	ctx := r.Context()
	y, err := s.store.AdoptFocus(ctx, rq.P, s.params.Set(ctx), rq.P.RegionCode, year, formVersion(r), f)
	if err != nil {
		if msg, ok := formMessage(err); ok {
			if year < 2000 || year > 2100 {
				year = 0 // the page's own year
			}
			return s.showIndustries(w, r, rq, web.Status(err), msg, year)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("已确定%d年度重点行业：%s。", year, strings.Join(y.Focus.Divisions, "、")))
	http.Redirect(w, r, fmt.Sprintf("/prevention/industries?year=%d", year), http.StatusSeeOther)
	return nil
}
