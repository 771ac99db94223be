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
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// A plan's page: its projects and budget lines, the form that adds or
// edits a project while the plan is a draft or returned, submission, the
// city's review (return with comments, approve with the amount of each
// line, a reason for each cut), the change requests of an approved plan
// and their decision, and the plan's history with each step's figures.

type planPage struct {
	base
	Plan       store.Plan
	Budget     store.PreventionYear
	Reviews    []store.PlanReview
	Changes    []store.PlanChange
	States     map[prevention.State]string
	Steps      map[string]string
	ChangeSts  map[string]string
	Kinds      map[string]string
	Providers  []planChoice
	Audiences  []string
	ProjStates map[string]string
	Ops        map[string]string
	// what the viewer may do
	CanEdit, CanSubmit, CanReview, CanChange, CanDecide bool
	// the project form: the project edited (ID 0: a new one) and its lines
	// padded with empty rows
	Edit      prevention.Project
	EditLines []prevention.BudgetLine
	Pending   bool // a change request awaits the city
	Err       string
}

type planChoice struct{ Code, Name string }

// Has reports whether the edited project addresses audience a.
func (p *planPage) Has(a string) bool {
	for _, x := range p.Edit.Audience {
		if x == a {
			return true
		}
	}
	return false
}

// Yuan writes fen as the form's plain yuan amount.
func (p *planPage) Yuan(fen int64) string {
	if fen == 0 {
		return ""
	}
	return param.FormatMoney(fen)
}

// LineName names a line of the plan by id, for the change requests.
func (p *planPage) LineName(id int64) string {
	for _, pr := range p.Plan.Projects {
		for _, l := range pr.Lines {
			if l.ID == id {
				return pr.Title + " · " + l.Item
			}
		}
	}
	return fmt.Sprintf("预算项%d", id)
}

// ProjectName names a project of the plan by id.
func (p *planPage) ProjectName(id int64) string {
	for _, pr := range p.Plan.Projects {
		if pr.ID == id {
			return pr.Title
		}
	}
	return fmt.Sprintf("项目%d", id)
}

func (s *Server) preventionPlanShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var edit *prevention.Project
	if v := r.URL.Query().Get("edit"); v != "" {
		pid, _ := strconv.ParseInt(v, 10, 64)
		edit = &prevention.Project{ID: pid}
	}
	return s.showPlan(w, r, rq, id, http.StatusOK, "", edit)
}

// showPlan renders a plan's page; edit, when set, is the project form's
// content (a project id alone: that project as stored).
func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, msg string, edit *prevention.Project) error {
	ctx := r.Context()
	plan, err := s.store.FindPlan(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p := &planPage{base: base{Title: fmt.Sprintf("%s%d年度工伤预防计划", regionText(plan.Region), plan.Year)}, Plan: plan,
		States: prevention.StateNames, Steps: store.PlanReviewActions, ChangeSts: store.PlanChangeStates, Kinds: prevention.KindNames,
		Audiences: prevention.Audiences, ProjStates: prevention.ProjectStateNames, Ops: prevention.OpNames, Err: msg}
	for _, k := range prevention.ProviderKinds {
		p.Providers = append(p.Providers, planChoice{k, prevention.ProviderKindNames[k]})
	}
	prep := rq.P.Can(access.PermPreventionPrepare)
	approver := rq.P.Can(access.PermPreventionApprove) && rq.P.RegionCode == cityOf(plan.Region)
	p.CanEdit = prep && prevention.Editable(plan.State)
	p.CanSubmit = p.CanEdit && len(plan.Projects) > 0
	p.CanReview = approver && plan.State == prevention.StateSubmitted
	if p.Budget, err = s.store.FindPreventionYear(ctx, rq.P, s.params.Set(ctx), plan.Region, plan.Year); err != nil && !errs.Is(err, errs.NotFound) {
		return err
	}
	if p.Reviews, err = s.store.PlanReviews(ctx, id); err != nil {
		return err
	}
	if p.Changes, err = s.store.PlanChanges(ctx, id); err != nil {
		return err
	}
	for _, c := range p.Changes {
		p.Pending = p.Pending || c.State == "pending"
	}
	p.CanChange = prep && plan.State == prevention.StateApproved && !p.Pending
	p.CanDecide = approver && p.Pending
	p.Edit = prevention.Project{Kind: prevention.KindTraining, ProviderKind: "insurer"}
	if edit != nil {
		p.Edit = *edit
		if edit.Title == "" && edit.ID != 0 { // the stored project
			for _, pr := range plan.Projects {
				if pr.ID == edit.ID {
					p.Edit = pr
				}
			}
		}
	}
	p.EditLines = append(append([]prevention.BudgetLine(nil), p.Edit.Lines...), make([]prevention.BudgetLine, max(2, 6-len(p.Edit.Lines)))...)
	s.render(w, r, rq, status, "prevention_plan", p)
	return nil
}

// cityOf is the city whose prevention staff approve a region's plan.
func cityOf(region string) string {
	if len(region) == 6 && region[4:] != "00" {
		return region[:4] + "00"
	}
	return region
}

// afterPlanChange shows the plan again with a refusal, or goes back to it
// with the done message.
func (s *Server) afterPlanChange(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error, done string, edit *prevention.Project) error {
	return s.afterChange(w, r, rq, err, done, fmt.Sprintf("/prevention/plans/%d", id), func(status int, msg string) error {
		return s.showPlan(w, r, rq, id, status, msg, edit)
	})
}

// countField reads a count of a prevention form; blank or not a number
// is 0, which the domain refuses where a count is needed.
func countField(r *http.Request, name string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	return n
}

// splitCodes splits a list typed with commas, spaces or new lines.
func splitCodes(v string) []string {
	return strings.FieldsFunc(v, func(c rune) bool {
		return c == ',' || c == '，' || c == '、' || c == ' ' || c == '\n' || c == '\r' || c == '\t'
	})
}

// projectForm reads a project form (names prefixed by prefix): its lines
// from the repeated line_item and line_yuan, empty rows skipped.
func projectForm(r *http.Request, prefix string) (prevention.Project, error) {
	v := func(n string) string { return r.PostFormValue(prefix + n) }
	pr := prevention.Project{Kind: v("kind"), Title: v("title"), Programme: v("programme"), Industry: v("industry"),
		Audience: r.PostForm[prefix+"audience"], Enterprises: splitCodes(v("enterprises")), Sessions: countField(r, prefix+"sessions"),
		Attendance: countField(r, prefix+"attendance"), ProviderKind: v("provider_kind"), Provider: v("provider")}
	pr.ID, _ = strconv.ParseInt(v("project_id"), 10, 64)
	items, amounts := r.PostForm[prefix+"line_item"], r.PostForm[prefix+"line_yuan"]
	var fs errs.Fields
	for i := range items {
		amount := ""
		if i < len(amounts) {
			amount = strings.TrimSpace(amounts[i])
		}
		if strings.TrimSpace(items[i]) == "" && amount == "" {
			continue
		}
		var fen int64
		if amount != "" {
			var err error
			if fen, err = preventionYuan(fmt.Sprintf("lines[%d].requested_fen", len(pr.Lines)), fmt.Sprintf("第%d项预算的申请金额", len(pr.Lines)+1), amount); err != nil {
				_ = fs.Merge(err)
			}
		}
		pr.Lines = append(pr.Lines, prevention.BudgetLine{Item: items[i], RequestedFen: fen})
	}
	return pr, fs.Err()
}

func (s *Server) preventionProjectSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	pr, err := projectForm(r, "")
	if err == nil {
		_, err = s.store.SavePlanProject(r.Context(), rq.P, id, formVersion(r), pr)
	}
	return s.afterPlanChange(w, r, rq, id, err, fmt.Sprintf("项目“%s”已保存。", strings.TrimSpace(pr.Title)), &pr)
}

func (s *Server) preventionProjectRemove(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	pid, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil {
		return web.NotFound(w, r, rq)
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = s.store.RemovePlanProject(r.Context(), rq.P, id, formVersion(r), pid)
	return s.afterPlanChange(w, r, rq, id, err, "项目已删除。", nil)
}

func (s *Server) preventionPlanSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = s.store.SubmitPlan(r.Context(), rq.P, id, formVersion(r), r.PostFormValue("note"))
	return s.afterPlanChange(w, r, rq, id, err, "计划已报送市级审核。", nil)
}

// preventionPlanReview is the city's decision: action=return with a note,
// or action=approve with each line's approved yuan (approved_<line id>)
// and, for a cut, its reason (reason_<line id>).
func (s *Server) preventionPlanReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	rev := prevention.Review{Action: prevention.Action(r.PostFormValue("action")), Note: r.PostFormValue("note")}
	if rev.Action == prevention.ActApprove {
		plan, err := s.store.FindPlan(r.Context(), rq.P, id)
		if err != nil {
			return err
		}
		var fs errs.Fields
		for _, pr := range plan.Projects {
			for _, l := range pr.Lines {
				v := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("approved_%d", l.ID)))
				if v == "" {
					continue
				}
				fen, err := preventionYuan(fmt.Sprintf("approved_%d", l.ID), "“"+l.Item+"”的核定金额", v)
				if err != nil {
					_ = fs.Merge(err)
					continue
				}
				if fen != l.RequestedFen {
					rev.Cuts = append(rev.Cuts, prevention.Cut{LineID: l.ID, ApprovedFen: fen, Reason: r.PostFormValue(fmt.Sprintf("reason_%d", l.ID))})
				}
			}
		}
		err = fs.Err()
		if err != nil {
			return s.afterPlanChange(w, r, rq, id, err, "", nil)
		}
	}
	p, err := s.store.ReviewPlan(r.Context(), rq.P, id, formVersion(r), rev)
	done := "计划已退回修改。"
	if rev.Action == prevention.ActApprove {
		done = "计划已批准，核定" + param.Yuan(p.ApprovedFen) + "。"
	}
	return s.afterPlanChange(w, r, rq, id, err, done, nil)
}

// preventionChangeRequest files a change request from the change form's
// parts, each optional: a move of approved money, new sessions and
// attendance of a project, a project cancelled, a project added.
func (s *Server) preventionChangeRequest(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	c := prevention.Change{Reason: r.PostFormValue("reason")}
	var fs errs.Fields
	id64 := func(n string) int64 { v, _ := strconv.ParseInt(r.PostFormValue(n), 10, 64); return v }
	if from, to := id64("from_line"), id64("to_line"); from != 0 || to != 0 {
		fen, err := preventionYuan("amount_fen", "调整金额", r.PostFormValue("amount"))
		_ = fs.Merge(err)
		c.Ops = append(c.Ops, prevention.ChangeOp{Op: prevention.OpMove, FromLine: from, ToLine: to, AmountFen: fen})
	}
	if pid := id64("schedule_project"); pid != 0 {
		c.Ops = append(c.Ops, prevention.ChangeOp{Op: prevention.OpSchedule, ProjectID: pid, Sessions: countField(r, "schedule_sessions"), Attendance: countField(r, "schedule_attendance")})
	}
	if pid := id64("cancel_project"); pid != 0 {
		c.Ops = append(c.Ops, prevention.ChangeOp{Op: prevention.OpCancelProject, ProjectID: pid})
	}
	if strings.TrimSpace(r.PostFormValue("add_title")) != "" {
		pr, err := projectForm(r, "add_")
		_ = fs.Merge(err)
		c.Ops = append(c.Ops, prevention.ChangeOp{Op: prevention.OpAddProject, Project: &pr})
	}
	err = fs.Err()
	if err == nil {
		_, err = s.store.RequestPlanChange(r.Context(), rq.P, id, c)
	}
	return s.afterPlanChange(w, r, rq, id, err, "变更申请已提交市级审批。", nil)
}

func (s *Server) preventionChangeDecide(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ch, err := s.store.FindPlanChange(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	approve := r.PostFormValue("decision") == "approve"
	_, err = s.store.DecidePlanChange(r.Context(), rq.P, id, formVersion(r), approve, r.PostFormValue("note"))
	return s.afterPlanChange(w, r, rq, ch.PlanID, err, either(approve, "变更已批准并生效。", "变更未予批准。"), nil)
}
