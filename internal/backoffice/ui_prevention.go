package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Work-injury prevention (工伤预防, issue 12): the section's home — the
// city's budget of the year (cap, approved, paid, remaining) and the
// counties' plans with their state —, the plan list and its export, the
// year's page (income, rate, provincial document). The plan's page is
// ui_prevention_plan.go, the key industries ui_prevention_industry.go.

// preventionYear is the year a prevention page shows: ?year=, else this
// year.
func (s *Server) preventionYear(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.URL.Query().Get("year"))
	if v == "" {
		return s.store.Now().In(cst).Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, errs.Field("year", "range", "年度应为2000至2100之间的年份")
	}
	return y, nil
}

// planRegion is a region a plan may be opened for, for the form.
type planRegion struct{ Code, Name string }

// planRegions lists the county-level regions (and the city itself, for
// its own projects) in the principal's scope.
func planRegions(p access.Principal) []planRegion {
	rs, _ := registry.Regions()
	var out []planRegion
	for _, r := range rs {
		if (r.Level == "county" || r.Level == "city" && r.Code == p.RegionCode) && p.Scope().Covers(r.Code) {
			name := r.Name
			if r.Level == "city" {
				name += "本级"
			}
			out = append(out, planRegion{r.Code, name})
		}
	}
	return out
}

type preventionHomePage struct {
	base
	Year       int
	Budget     store.PreventionYear
	Plans      []store.Plan
	States     map[prevention.State]string
	Regions    []planRegion
	CanPrepare bool
	CanApprove bool
	Err        string
}

func (s *Server) preventionHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showPreventionHome(w, r, rq, http.StatusOK, "")
}

func (s *Server) showPreventionHome(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	year, err := s.preventionYear(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := &preventionHomePage{base: base{Title: "工伤预防"}, Year: year, States: prevention.StateNames, Regions: planRegions(rq.P),
		CanPrepare: rq.P.Can(access.PermPreventionPrepare), CanApprove: rq.P.Can(access.PermPreventionApprove), Err: msg}
	if p.Budget, err = s.store.FindPreventionYear(ctx, rq.P, s.params.Set(ctx), rq.P.RegionCode, year); err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	if p.Plans, err = s.store.Plans(ctx, rq.P.Scope(), year); err != nil {
		return err
	}
	s.render(w, r, rq, status, "prevention", p)
	return nil
}

type preventionPlansPage struct {
	base
	Year   int
	Plans  []store.Plan
	States map[prevention.State]string
}

// preventionPlanList is the plans of a year in scope, or its Excel file.
func (s *Server) preventionPlanList(w http.ResponseWriter, r *http.Request, rq *request) error {
	year, err := s.preventionYear(r)
	if err != nil {
		return err
	}
	plans, err := s.store.Plans(r.Context(), rq.P.Scope(), year)
	if err != nil {
		return err
	}
	if wantsExport(r) {
		q, err := web.ParseList(r, &web.ListSpec{Path: "/prevention/plans", Name: fmt.Sprintf("%d年度工伤预防计划", year)})
		if err != nil {
			return err
		}
		cols := []sheet.Column{{Header: "编号", Width: 8}, {Header: "区县", Width: 14}, {Header: "年度", Width: 8}, {Header: "状态", Width: 12},
			{Header: "报送次数", Width: 8}, {Header: "申请金额（元）", Width: 16}, {Header: "核定金额（元）", Width: 16}, {Header: "更新时间", Width: 18}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportPreventionPlans, File: "prevention-plans", Columns: cols, Total: len(plans),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, p := range plans {
					if err := add(p.ID, regionText(p.Region), p.Year, prevention.StateNames[p.State], p.Revision,
						param.FormatMoneyGrouped(p.RequestedFen), param.FormatMoneyGrouped(p.ApprovedFen), p.UpdatedAt.In(cst).Format("2006-01-02 15:04")); err != nil {
						return i, err
					}
				}
				return len(plans), nil
			}})
	}
	s.render(w, r, rq, http.StatusOK, "prevention_plans", &preventionPlansPage{base: base{Title: fmt.Sprintf("%d年度工伤预防计划", year)},
		Year: year, Plans: plans, States: prevention.StateNames})
	return nil
}

func (s *Server) preventionPlanCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	p, err := s.store.CreatePlan(r.Context(), rq.P, r.PostFormValue("region_code"), year)
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showPreventionHome(w, r, rq, web.Status(err), msg)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("已新建%s%d年度工伤预防计划。", regionText(p.Region), p.Year))
	http.Redirect(w, r, fmt.Sprintf("/prevention/plans/%d", p.ID), http.StatusSeeOther)
	return nil
}

type preventionYearPage struct {
	base
	Year    int
	Budget  store.PreventionYear
	City    string
	CanEdit bool
	Income  string // the form's values
	RatePct string
	Doc     string
	Err     string
}

func (s *Server) preventionYearShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showPreventionYear(w, r, rq, http.StatusOK, "", nil)
}

func (s *Server) showPreventionYear(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string, form *preventionYearPage) error {
	year, err := s.preventionYear(r)
	if form != nil && form.Year >= 2000 && form.Year <= 2100 {
		year = form.Year
	}
	if err != nil {
		return err
	}
	ctx := r.Context()
	y, err := s.store.FindPreventionYear(ctx, rq.P, s.params.Set(ctx), rq.P.RegionCode, year)
	if err != nil {
		return err
	}
	p := &preventionYearPage{base: base{Title: fmt.Sprintf("%d年度工伤预防费预算", year)}, Year: year, Budget: y, City: y.Region,
		CanEdit: rq.P.Can(access.PermPreventionApprove) && rq.P.RegionCode == y.Region, Err: msg}
	if y.Set() {
		p.Income, p.RatePct, p.Doc = param.FormatMoney(y.IncomeFen), strings.TrimSuffix(prevention.Percent(y.CapRate), "%"), y.ApprovalDoc
	}
	if form != nil {
		p.Income, p.RatePct, p.Doc = form.Income, form.RatePct, form.Doc
	}
	s.render(w, r, rq, status, "prevention_year", p)
	return nil
}

// preventionYuan parses a form's yuan amount (thousands separators allowed)
// into fen, or a field error naming field.
func preventionYuan(field, label, v string) (int64, error) {
	v = strings.ReplaceAll(strings.TrimSpace(v), ",", "")
	fen, err := param.ParseMoney(v)
	if err != nil {
		return 0, errs.Field(field, "money", "%s应为元金额，如 12345.67", label)
	}
	return fen, nil
}

func (s *Server) preventionYearSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	form := &preventionYearPage{Year: year, Income: r.PostFormValue("income"), RatePct: strings.TrimSpace(r.PostFormValue("rate_pct")), Doc: r.PostFormValue("approval_doc")}
	income, err := preventionYuan("income_fen", "上年度基金征缴收入", form.Income)
	var rate float64
	if err == nil && form.RatePct != "" {
		pct, perr := strconv.ParseFloat(form.RatePct, 64)
		if perr != nil {
			err = errs.Field("cap_rate", "number", "上限比例应为百分数，如 3 或 3.5")
		}
		rate = pct / 100
	}
	if err == nil {
		ctx := r.Context()
		_, err = s.store.SetPreventionYear(ctx, rq.P, s.params.Set(ctx), rq.P.RegionCode, year, income, rate, form.Doc, version)
	}
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showPreventionYear(w, r, rq, web.Status(err), msg, form)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("%d年度工伤预防费预算已保存。", year))
	http.Redirect(w, r, fmt.Sprintf("/prevention/year?year=%d", year), http.StatusSeeOther)
	return nil
}
