package backoffice

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/calc"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/web"
)

// calcPage is the benefits officer's calculator, started empty (what-if)
// or from a worker, whose recorded wages give 本人工资 and whose region
// gives the parameters.
type calcPage struct {
	base
	Kind       string
	Form       map[string]string
	Dependants []map[string]string
	Result     []calcItem
	Total      string
	Errors     map[string]string // form field → message, marked on the field
	Notes      []string          // messages of errors no field shows
	Request    string
	Levels     []int
	Relations  [][2]string
	Regions    [][2]string
	Worker     *calcWorker
}

// calcWorker is the worker a calculation started from.
type calcWorker struct {
	ID     int64
	Name   string
	Region string
	Basis  calc.WageBasis
	Months []calcMonth
	Text   string // which months were used, for staff and the worker
	Manual bool   // the officer changed the wage taken from the records
}

type calcMonth struct {
	Title, Amount string
	Recorded      bool
}

// calcItem is an answer item as shown: money in the one format.
type calcItem struct {
	calc.Item
	Money, PayerText, PeriodText string
}

var relations = [][2]string{{"spouse", "配偶"}, {"child", "子女"}, {"parent", "父母"}, {"grandparent", "祖父母、外祖父母"}, {"grandchild", "孙子女、外孙子女"}, {"sibling", "兄弟姐妹"}}

// calcRegions are the pooling regions a calculation may use: Shandong,
// Jining and its counties, by name.
var calcRegions = func() [][2]string {
	rs, err := registry.Regions()
	if err != nil {
		panic(err) // embedded data, checked by the registry tests
	}
	var out [][2]string
	for _, r := range rs {
		if r.Code == "370000" || strings.HasPrefix(r.Code, "3708") {
			out = append(out, [2]string{r.Code, r.Name})
		}
	}
	return out
}()

func newCalcPage(kind string) *calcPage {
	return &calcPage{base: base{Title: "待遇测算"}, Kind: kind, Levels: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Relations: relations,
		Regions: calcRegions, Errors: map[string]string{}}
}

const maxDependants = 4

func (s *Server) calcForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.URL.Query().Get("kind")
	if kind != "exit" && kind != "death" {
		kind = "disability"
	}
	p := newCalcPage(kind)
	p.Form = map[string]string{"region": rq.P.RegionCode, "care": "none", "level": "7"}
	p.Dependants = make([]map[string]string, maxDependants)
	if q := r.URL.Query().Get("worker"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("worker", "query_int", "职工编号“%s”无效", q)
		}
		injury := r.URL.Query().Get("injury_date")
		if _, err := param.ParseDate(injury); err != nil {
			injury = s.store.Now().In(cst).Format("2006-01-02")
		}
		p.Form["injury_date"] = injury
		if err := s.calcFromWorker(r, rq, p, id); err != nil {
			return err
		}
	}
	s.render(w, r, rq, http.StatusOK, "calc", p)
	return nil
}

// calcFromWorker loads the worker — refused outside the user's region like
// any object — and fills the region and 本人工资 from the recorded wages of
// the 12 months before the injury date in the form. The officer's own
// figure is kept when it differs from what the records gave (wage_auto).
func (s *Server) calcFromWorker(r *http.Request, rq *request, p *calcPage, id int64) error {
	ctx := r.Context()
	owners, err := s.store.OwnersOf(ctx, rq.P.Kind, "worker", id)
	if err != nil {
		return err
	}
	if !rq.P.MaySee(owners) {
		return errs.E(errs.Forbidden, "无权访问其他地区（%s）的数据", web.RegionName(owners.Region))
	}
	wk, err := s.store.FindWorkerByID(ctx, rq.P.Scope(), id)
	if err != nil {
		return err
	}
	wages, err := s.store.Wages(ctx, rq.P.Scope(), id)
	if err != nil {
		return err
	}
	byMonth := map[string]int64{}
	for _, wg := range wages {
		byMonth[wg.Period] += wg.AmountFen
	}
	cw := &calcWorker{ID: wk.ID, Name: wk.Name, Region: web.RegionName(wk.RegionCode)}
	p.Worker = cw
	if r.Method == http.MethodGet {
		p.Form["region"] = wk.RegionCode
	}
	injury, err := param.ParseDate(p.Form["injury_date"])
	if err != nil {
		return nil // the calculator marks the date; nothing to take yet
	}
	cw.Basis = calc.WageFromRecords(injury, byMonth)
	cw.Text = cw.Basis.Explain()
	for _, m := range cw.Basis.Months {
		cm := calcMonth{Title: m.Title, Recorded: m.Recorded}
		if m.Recorded {
			cm.Amount = param.Yuan(m.AmountFen)
		}
		cw.Months = append(cw.Months, cm)
	}
	auto := cw.Basis.Fields()
	posted := wageFields(p.Form)
	if r.Method == http.MethodPost && posted != "" && posted != p.Form["wage_auto"] {
		cw.Manual = true
		return nil
	}
	for _, f := range []string{"wage_avg_12m", "wage_total", "contribution_months"} {
		p.Form[f] = auto[f]
	}
	p.Form["wage_auto"] = wageFields(p.Form)
	return nil
}

// wageFields is the wage part of a form, to tell the records' figure from
// the officer's.
func wageFields(form map[string]string) string {
	if form["wage_avg_12m"] == "" && form["wage_total"] == "" && form["contribution_months"] == "" {
		return ""
	}
	return form["wage_avg_12m"] + "|" + form["wage_total"] + "|" + form["contribution_months"]
}

// calcFields are the plain fields each kind reads from the form.
var calcFields = map[string][]string{
	"disability": {"injury_date", "region", "wage_avg_12m", "wage_total", "contribution_months", "level", "care", "pension", "as_of"},
	"exit":       {"injury_date", "exit_date", "region", "level", "wage_avg_12m", "wage_total", "contribution_months"},
	"death":      {"injury_date", "death_date", "region", "wage_avg_12m", "wage_total", "contribution_months", "level"},
}

var calcFlags = map[string][]string{
	"disability": {"deemed_veteran", "retired"},
	"exit":       {"occupational_disease", "retirement_age_reached"},
	"death":      {"in_paid_leave"},
}

// calcForm reads the form as typed.
func readCalcForm(r *http.Request, kind string) (map[string]string, []map[string]string) {
	form := map[string]string{"wage_auto": r.PostFormValue("wage_auto")}
	for _, f := range calcFields[kind] {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	for _, f := range calcFlags[kind] {
		if r.PostFormValue(f) != "" {
			form[f] = "1"
		}
	}
	for _, name := range []string{"avg_wage", "min_wage"} {
		form["p_"+name] = strings.TrimSpace(r.PostFormValue("p_" + name))
	}
	form["p_other"] = r.PostFormValue("p_other")
	deps := make([]map[string]string, maxDependants)
	if kind == "death" {
		for i := range maxDependants {
			d := map[string]string{}
			for _, f := range []string{"relation", "sex", "birth_date"} {
				d[f] = r.PostFormValue(fmt.Sprintf("d%d_%s", i, f))
			}
			if r.PostFormValue(fmt.Sprintf("d%d_incapacitated", i)) != "" {
				d["incapacitated"] = "1"
			}
			if r.PostFormValue(fmt.Sprintf("d%d_orphan", i)) != "" {
				d["orphan"] = "1"
			}
			deps[i] = d
		}
	}
	return form, deps
}

// calcRequest turns the form into the calc JSON contract, so the page,
// the API and the command share one evaluation path.
func calcRequest(kind string, form map[string]string, deps []map[string]string) map[string]any {
	req := map[string]any{"kind": kind}
	for _, f := range calcFields[kind] {
		v := form[f]
		if v == "" {
			continue
		}
		if f == "level" || f == "contribution_months" {
			if n, err := strconv.Atoi(v); err == nil {
				req[f] = n
				continue
			}
		}
		req[f] = v
	}
	for _, f := range calcFlags[kind] {
		req[f] = form[f] != ""
	}
	overrides := map[string]string{}
	for _, name := range []string{"avg_wage", "min_wage"} {
		if v := form["p_"+name]; v != "" {
			overrides[name] = v
		}
	}
	for _, line := range strings.Split(form["p_other"], "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			overrides[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if len(overrides) > 0 {
		req["params"] = overrides
	}
	if kind == "death" {
		list := []map[string]any{}
		for _, d := range deps {
			if d["relation"] == "" {
				continue
			}
			list = append(list, map[string]any{"relation": d["relation"], "sex": d["sex"], "birth_date": d["birth_date"],
				"incapacitated": d["incapacitated"] != "", "orphan_or_lonely": d["orphan"] != ""})
		}
		req["dependants"] = list
	}
	return req
}

// formField is the form field that shows a request path: dependants[1].sex
// is d1_sex, params.avg_wage p_avg_wage, other parameters p_other.
func formField(path string) string {
	if name, ok := strings.CutPrefix(path, "params."); ok {
		if name == "avg_wage" || name == "min_wage" {
			return "p_" + name
		}
		return "p_other"
	}
	if rest, ok := strings.CutPrefix(path, "dependants["); ok {
		i, f, _ := strings.Cut(rest, "].")
		return "d" + i + "_" + f
	}
	return path
}

// shownFields are the fields a kind's form renders, to know which errors
// can be marked in place.
func shownFields(kind string) map[string]bool {
	m := map[string]bool{"p_avg_wage": true, "p_min_wage": true, "p_other": true}
	for _, f := range calcFields[kind] {
		m[f] = f != "as_of"
	}
	if kind == "death" {
		for i := range maxDependants {
			for _, f := range []string{"relation", "sex", "birth_date"} {
				m[fmt.Sprintf("d%d_%s", i, f)] = true
			}
		}
	}
	return m
}

func (s *Server) calcSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.PostFormValue("kind")
	if calcFields[kind] == nil {
		return errs.Field("kind", "calc_kind", "测算类型“%s”无效", kind)
	}
	p := newCalcPage(kind)
	p.Form, p.Dependants = readCalcForm(r, kind)
	if q := r.PostFormValue("worker"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("worker", "form_int", "职工编号“%s”无效", q)
		}
		if err := s.calcFromWorker(r, rq, p, id); err != nil {
			return err
		}
	}
	req := calcRequest(kind, p.Form, p.Dependants)
	raw, _ := json.MarshalIndent(req, "", "  ")
	p.Request = string(raw)
	ans, err := calc.Evaluate(s.params.Set(r.Context()), raw)
	status := http.StatusOK
	var e *errs.Error
	switch {
	case errors.As(err, &e) && e.Kind == errs.Invalid:
		status = http.StatusBadRequest
		shown := shownFields(kind)
		for _, f := range e.Fields {
			if ff := formField(f.Field); shown[ff] {
				if p.Errors[ff] == "" {
					p.Errors[ff] = f.Message
				}
			} else {
				p.Notes = append(p.Notes, f.Message)
			}
		}
		if len(e.Fields) == 0 {
			p.Notes = append(p.Notes, e.Message)
		}
	case err != nil:
		return err
	default:
		var sum int64
		for _, it := range ans.(*calc.BenefitAnswer).Items {
			fen, _ := param.ParseMoney(it.Amount)
			if it.Period == "once" {
				sum += fen
			}
			p.Result = append(p.Result, calcItem{Item: it, Money: param.Yuan(fen), PayerText: payerText[it.Payer], PeriodText: periodText[it.Period]})
		}
		p.Total = param.Yuan(sum)
	}
	s.render(w, r, rq, status, "calc", p)
	return nil
}

var payerText = map[string]string{"fund": "工伤保险基金", "employer": "用人单位", "": "—"}
var periodText = map[string]string{"once": "一次性", "monthly": "按月", "info": "计算基数"}

type deadlinePage struct {
	base
	Steps       []deadline.Step
	Form        map[string]string
	Suspensions [][2]string
	Regions     [][2]string
	Result      *calc.DeadlineAnswer
	Error       string
	Errors      map[string]string // form field → message, marked on the field
}

var deadlineRegions = append([][2]string{{"000000", "全国（不适用地方时限）"}}, calcRegions...)

func (s *Server) deadlineForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "deadlines", &deadlinePage{base: base{Title: "时限计算"}, Steps: deadline.Steps(),
		Form: map[string]string{"region": rq.P.RegionCode}, Suspensions: make([][2]string, 3), Regions: deadlineRegions})
	return nil
}

func (s *Server) deadlineSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := map[string]string{}
	req := map[string]any{"kind": "deadline"}
	for _, f := range []string{"step", "start", "region"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
		req[f] = form[f]
	}
	req["simple"] = r.PostFormValue("simple") != ""
	if req["simple"] == true {
		form["simple"] = "1"
	}
	susp := make([][2]string, 3)
	var list []map[string]string
	for i := range susp {
		susp[i] = [2]string{r.PostFormValue(fmt.Sprintf("s%d_from", i)), r.PostFormValue(fmt.Sprintf("s%d_to", i))}
		if susp[i][0] != "" || susp[i][1] != "" {
			list = append(list, map[string]string{"from": susp[i][0], "to": susp[i][1]})
		}
	}
	if list != nil {
		req["suspensions"] = list
	}
	raw, _ := json.Marshal(req)
	p := &deadlinePage{base: base{Title: "时限计算"}, Steps: deadline.Steps(), Form: form, Suspensions: susp, Regions: deadlineRegions, Errors: map[string]string{}}
	ans, err := calc.Evaluate(s.params.Set(r.Context()), raw)
	status := http.StatusOK
	var e *errs.Error
	switch {
	case errors.As(err, &e) && e.Kind == errs.Invalid:
		status = http.StatusBadRequest
		for _, f := range e.Fields {
			switch {
			case f.Field == "step" || f.Field == "start" || f.Field == "region":
				p.Errors[f.Field] = f.Message
			case strings.HasPrefix(f.Field, "suspensions["):
				i, rest, _ := strings.Cut(strings.TrimPrefix(f.Field, "suspensions["), "].")
				p.Errors["s"+i+"_"+rest] = f.Message
				p.Error = f.Message
			default:
				p.Error = f.Message
			}
		}
		if len(e.Fields) == 0 {
			p.Error = e.Message
		}
	case err != nil:
		return err
	default:
		p.Result = ans.(*calc.DeadlineAnswer)
	}
	s.render(w, r, rq, status, "deadlines", p)
	return nil
}
