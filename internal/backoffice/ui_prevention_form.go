package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The city's evaluation form (培训评估表, /prevention/evaluation-form): the
// version in force today, the earlier and later ones, and a form for a new
// version from a day (one item a line: 名称,满分,权重), which the city's
// prevention staff set; sessions are scored on the version of their day.

type evaluationFormPage struct {
	base
	City     string
	Current  store.EvaluationForm
	Versions []store.EvaluationForm
	CanSet   bool
	Lines    string
	From     string
	Err      string
}

func (s *Server) evaluationForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showEvaluationForm(w, r, rq, http.StatusOK, "", "", "")
}

func (s *Server) showEvaluationForm(w http.ResponseWriter, r *http.Request, rq *request, status int, msg, lines, from string) error {
	ctx := r.Context()
	city := rq.P.RegionCode[:4] + "00"
	today := s.store.Now().In(cst).Format("2006-01-02")
	cur, err := s.store.EvaluationFormOn(ctx, city, today)
	if err != nil {
		return err
	}
	vs, err := s.store.EvaluationForms(ctx, city)
	if err != nil {
		return err
	}
	if lines == "" {
		lines = formLines(cur.Items)
	}
	p := &evaluationFormPage{base: base{Title: "培训评估表"}, City: regionText(city), Current: cur, Versions: vs, Lines: lines, From: from, Err: msg,
		CanSet: rq.P.Can(access.PermPreventionApprove) && rq.P.RegionCode == city}
	s.render(w, r, rq, status, "prevention_evaluation_form", p)
	return nil
}

// formLines writes items one a line as the form takes them.
func formLines(items []prevention.ChecklistItem) string {
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s,%d,%d\n", it.Title, it.Max, it.Weight)
	}
	return b.String()
}

// parseFormLines reads 名称,满分,权重 lines into items coded i1, i2, ….
func parseFormLines(text string) ([]prevention.ChecklistItem, error) {
	var items []prevention.ChecklistItem
	var fs errs.Fields
	for n, line := range strings.Split(strings.ReplaceAll(text, "，", ","), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, ",")
		if len(parts) != 3 {
			fs.Add("items", "format", "第%d行应为“名称,满分,权重”三项，用逗号分开", n+1)
			continue
		}
		max, err1 := strconv.Atoi(strings.TrimSpace(parts[1]))
		weight, err2 := strconv.Atoi(strings.TrimSpace(parts[2]))
		if err1 != nil || err2 != nil {
			fs.Add("items", "number", "第%d行的满分和权重应为整数", n+1)
			continue
		}
		items = append(items, prevention.ChecklistItem{Code: fmt.Sprintf("i%d", len(items)+1), Title: strings.TrimSpace(parts[0]), Max: max, Weight: weight})
	}
	return items, fs.Err()
}

func (s *Server) evaluationFormSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	lines, from := r.PostFormValue("items"), strings.TrimSpace(r.PostFormValue("valid_from"))
	items, err := parseFormLines(lines)
	if err == nil {
		_, err = s.store.SetEvaluationForm(r.Context(), rq.P, rq.P.RegionCode, from, items)
	}
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showEvaluationForm(w, r, rq, web.Status(err), msg, lines, from)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("已设置%s起启用的培训评估表（%d项）。", from, len(items)))
	http.Redirect(w, r, "/prevention/evaluation-form", http.StatusSeeOther)
	return nil
}
