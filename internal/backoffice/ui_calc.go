package backoffice

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/calc"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// calcPage is the benefits officer's what-if calculator.
type calcPage struct {
	base
	Kind       string
	Form       map[string]string
	Dependants []map[string]string
	Result     *calc.BenefitAnswer
	Total      string
	Error      string
	ErrorField string
	Request    string
	Levels     []int
	Relations  [][2]string
}

var relations = [][2]string{{"spouse", "配偶"}, {"child", "子女"}, {"parent", "父母"}, {"grandparent", "祖父母、外祖父母"}, {"grandchild", "孙子女、外孙子女"}, {"sibling", "兄弟姐妹"}}

func newCalcPage(kind string) *calcPage {
	return &calcPage{base: base{Title: "待遇测算"}, Kind: kind, Levels: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, Relations: relations}
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
	s.render(w, r, rq, http.StatusOK, "calc", p)
	return nil
}

// calcFields are the plain fields each kind reads from the form.
var calcFields = map[string][]string{
	"disability": {"injury_date", "region", "wage_avg_12m", "level", "care", "pension", "as_of"},
	"exit":       {"injury_date", "exit_date", "region", "level", "wage_avg_12m"},
	"death":      {"injury_date", "death_date", "region", "wage_avg_12m", "level"},
}

var calcFlags = map[string][]string{
	"disability": {"deemed_veteran", "retired"},
	"exit":       {"occupational_disease", "retirement_age_reached"},
	"death":      {"in_paid_leave"},
}

// calcRequest turns the form into the calc JSON contract, so the page,
// the API and the command share one evaluation path.
func calcRequest(r *http.Request, kind string) (map[string]any, map[string]string, []map[string]string) {
	req := map[string]any{"kind": kind}
	form := map[string]string{}
	for _, f := range calcFields[kind] {
		v := strings.TrimSpace(r.PostFormValue(f))
		form[f] = v
		if v == "" {
			continue
		}
		if f == "level" {
			n, err := strconv.Atoi(v)
			if err == nil {
				req[f] = n
				continue
			}
		}
		req[f] = v
	}
	for _, f := range calcFlags[kind] {
		on := r.PostFormValue(f) != ""
		req[f] = on
		if on {
			form[f] = "1"
		}
	}
	overrides := map[string]string{}
	for _, name := range []string{"avg_wage", "min_wage"} {
		if v := strings.TrimSpace(r.PostFormValue("p_" + name)); v != "" {
			overrides[name], form["p_"+name] = v, v
		}
	}
	for _, line := range strings.Split(r.PostFormValue("p_other"), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			overrides[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	form["p_other"] = r.PostFormValue("p_other")
	if len(overrides) > 0 {
		req["params"] = overrides
	}
	deps := make([]map[string]string, maxDependants)
	if kind == "death" {
		var list []map[string]any
		for i := range maxDependants {
			d := map[string]string{}
			for _, f := range []string{"relation", "sex", "birth_date"} {
				d[f] = r.PostFormValue(fmt.Sprintf("d%d_%s", i, f))
			}
			inc, orphan := r.PostFormValue(fmt.Sprintf("d%d_incapacitated", i)) != "", r.PostFormValue(fmt.Sprintf("d%d_orphan", i)) != ""
			if inc {
				d["incapacitated"] = "1"
			}
			if orphan {
				d["orphan"] = "1"
			}
			deps[i] = d
			if d["relation"] == "" {
				continue
			}
			list = append(list, map[string]any{"relation": d["relation"], "sex": d["sex"], "birth_date": d["birth_date"], "incapacitated": inc, "orphan_or_lonely": orphan})
		}
		req["dependants"] = list
	}
	return req, form, deps
}

func (s *Server) calcSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.PostFormValue("kind")
	if calcFields[kind] == nil {
		return errs.Field("kind", "calc_kind", "测算类型“%s”无效", kind)
	}
	req, form, deps := calcRequest(r, kind)
	raw, _ := json.MarshalIndent(req, "", "  ")
	p := newCalcPage(kind)
	p.Form, p.Dependants, p.Request = form, deps, string(raw)
	ans, err := calc.Evaluate(s.params.Set(r.Context()), raw)
	status := http.StatusOK
	fe, invalid := errs.First(err)
	switch {
	case invalid:
		p.Error, p.ErrorField, status = fe.Message, fe.Field, http.StatusBadRequest
	case err != nil:
		return err
	default:
		p.Result = ans.(*calc.BenefitAnswer)
		p.Total = onceTotal(p.Result)
	}
	s.render(w, r, rq, status, "calc", p)
	return nil
}

// onceTotal sums the one-off amounts, for the summary line.
func onceTotal(a *calc.BenefitAnswer) string {
	var sum int64
	for _, it := range a.Items {
		if it.Period == "once" {
			fen, err := param.ParseMoney(it.Amount)
			if err == nil {
				sum += fen
			}
		}
	}
	return param.FormatMoneyGrouped(sum)
}

type deadlinePage struct {
	base
	Steps       []deadline.Step
	Form        map[string]string
	Suspensions [][2]string
	Regions     []string
	Result      *calc.DeadlineAnswer
	Error       string
}

func (s *Server) deadlineForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "deadlines", &deadlinePage{base: base{Title: "时限计算"}, Steps: deadline.Steps(),
		Form: map[string]string{"region": rq.P.RegionCode}, Suspensions: make([][2]string, 3)})
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
	p := &deadlinePage{base: base{Title: "时限计算"}, Steps: deadline.Steps(), Form: form, Suspensions: susp}
	ans, err := calc.Evaluate(s.params.Set(r.Context()), raw)
	status := http.StatusOK
	fe, invalid := errs.First(err)
	switch {
	case invalid:
		p.Error, status = fe.Message, http.StatusBadRequest
	case err != nil:
		return err
	default:
		p.Result = ans.(*calc.DeadlineAnswer)
	}
	s.render(w, r, rq, status, "deadlines", p)
	return nil
}
