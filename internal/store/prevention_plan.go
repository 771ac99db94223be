package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
)

// The counties' annual prevention plans (issue 12 §Plans and budgets): a
// county (or the city for its own projects) drafts one plan a year —
// prevention staff or the partner insurer's — edits its projects and
// budget lines while it is a draft or returned (each edit checks the
// plan's version), and submits it; the city's prevention staff return it
// with comments or approve it, cutting lines, under the lock of the city's
// year so the cap holds against concurrent approvals. Every submission,
// review and applied change keeps the plan as it stood
// (prevention_plan_reviews). An approved plan is frozen: a change request
// (prevention_changes) is applied whole when the city approves it, the cap
// checked again.

// Plan is a stored annual plan.
type Plan struct {
	prevention.AnnualPlan
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// PlanReview is one step of a plan's history with the plan as it stood.
type PlanReview struct {
	ID           int64                 `json:"id"`
	PlanID       int64                 `json:"plan_id"`
	Revision     int                   `json:"revision"`
	Action       string                `json:"action"` // submit, return, approve, change
	Note         string                `json:"note"`
	Cuts         []prevention.Cut      `json:"cuts"`
	Snapshot     prevention.AnnualPlan `json:"snapshot"`
	RequestedFen int64                 `json:"requested_fen"`
	ApprovedFen  int64                 `json:"approved_fen"`
	By           string                `json:"by"`
	Role         string                `json:"role"`
	At           time.Time             `json:"at"`
}

// PlanReviewActions names the history's steps.
var PlanReviewActions = map[string]string{"submit": "报送", "return": "退回修改", "approve": "批准", "change": "批准变更"}

// PlanChange is a change request to an approved plan.
type PlanChange struct {
	ID           int64                 `json:"id"`
	PlanID       int64                 `json:"plan_id"`
	Region       string                `json:"region_code"`
	State        string                `json:"state"` // pending, approved, rejected
	Reason       string                `json:"reason"`
	Ops          []prevention.ChangeOp `json:"ops"`
	DeltaFen     int64                 `json:"delta_fen"` // the change of the plan's approved total, as requested
	RequestedBy  string                `json:"requested_by"`
	RequestedAt  time.Time             `json:"requested_at"`
	DecidedBy    string                `json:"decided_by"`
	DecidedAt    *time.Time            `json:"decided_at"`
	DecisionNote string                `json:"decision_note"`
	Version      int64                 `json:"version"`
}

// PlanChangeStates names a change request's states.
var PlanChangeStates = map[string]string{"pending": "待审批", "approved": "已批准", "rejected": "未批准"}

const planCols = `id, region_code, year, state, revision, requested_fen, approved_fen, note, created_at, created_by, updated_at, version`

func scanPlan(r interface{ Scan(...any) error }) (Plan, error) {
	var p Plan
	var state string
	err := r.Scan(&p.ID, &p.Region, &p.Year, &state, &p.Revision, &p.RequestedFen, &p.ApprovedFen, &p.Note, &p.CreatedAt, &p.CreatedBy, &p.UpdatedAt, &p.Version)
	p.State = prevention.State(state)
	p.Projects = []prevention.Project{}
	return p, err
}

const projectCols = `id, seq, kind, title, programme, industry, audience, enterprises, sessions, attendance, provider_kind, provider,
	requested_fen, approved_fen, paid_fen, state`

// loadProjects reads a plan's projects with their lines, in order.
func (s *Store) loadProjects(ctx context.Context, q querier, planID int64, lock string) ([]prevention.Project, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+projectCols+` FROM prevention_projects WHERE plan_id = $1 ORDER BY seq`+lock, planID)
	if err != nil {
		return nil, fmt.Errorf("store: plan projects: %w", err)
	}
	projects, err := collect(rows, func(r interface{ Scan(...any) error }) (prevention.Project, error) {
		var p prevention.Project
		var aud, ents string
		err := r.Scan(&p.ID, &p.Seq, &p.Kind, &p.Title, &p.Programme, &p.Industry, &aud, &ents, &p.Sessions, &p.Attendance,
			&p.ProviderKind, &p.Provider, &p.RequestedFen, &p.ApprovedFen, &p.PaidFen, &p.State)
		_ = json.Unmarshal([]byte(aud), &p.Audience)
		_ = json.Unmarshal([]byte(ents), &p.Enterprises)
		p.Lines = []prevention.BudgetLine{}
		return p, err
	})
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT l.project_id, l.id, l.item, l.requested_fen, l.approved_fen, l.paid_fen FROM prevention_budget_lines l
		JOIN prevention_projects p ON p.id = l.project_id WHERE p.plan_id = $1 ORDER BY l.id`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: plan lines: %w", err)
	}
	type line struct {
		project int64
		prevention.BudgetLine
	}
	lines, err := collect(rows, func(r interface{ Scan(...any) error }) (line, error) {
		var l line
		return l, r.Scan(&l.project, &l.ID, &l.Item, &l.RequestedFen, &l.ApprovedFen, &l.PaidFen)
	})
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, p := range projects {
		at[p.ID] = i
	}
	for _, l := range lines {
		projects[at[l.project]].Lines = append(projects[at[l.project]].Lines, l.BudgetLine)
	}
	return projects, nil
}

// FindPlan reads a plan the viewer may see, with its projects and lines.
func (s *Store) FindPlan(ctx context.Context, viewer access.Principal, id int64) (Plan, error) {
	p, err := scanPlan(s.db.QueryRowContext(ctx, `SELECT `+planCols+` FROM prevention_plans WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!viewer.Can(access.PermPreventionRead) || !viewer.MaySee(access.Owners{Region: p.Region})) {
		return Plan{}, errs.E(errs.NotFound, "工伤预防计划不存在")
	}
	if err != nil {
		return Plan{}, fmt.Errorf("store: plan: %w", err)
	}
	p.Projects, err = s.loadProjects(ctx, s.db, id, "")
	return p, err
}

// Plans lists the plans in scope (year 0: every year), by year, then region.
func (s *Store) Plans(ctx context.Context, scope access.Scope, year int) ([]Plan, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+planCols+` FROM prevention_plans WHERE region_code >= $1 AND region_code < $2
		AND ($3 = 0 OR year = $3) ORDER BY year DESC, region_code`, lo, hi, year)
	if err != nil {
		return nil, fmt.Errorf("store: plans: %w", err)
	}
	return collect(rows, scanPlan)
}

// CreatePlan opens region's plan for year (one per region and year), empty
// and a draft.
func (s *Store) CreatePlan(ctx context.Context, actor access.Principal, region string, year int) (Plan, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return Plan{}, errs.E(errs.Forbidden, "无权编制工伤预防计划")
	}
	region = strings.TrimSpace(region)
	var fs errs.Fields
	if l := registry.RegionLevel(region); l != "county" && l != "city" {
		fs.Add("region_code", "level", "计划应属于一个区县（或市本级）")
	}
	if year < 2000 || year > 2100 {
		fs.Add("year", "range", "年度%d不在2000至2100之间", year)
	}
	if err := fs.Err(); err != nil {
		return Plan{}, err
	}
	var out Plan
	err := s.write(ctx, actor, func(t *tx) error {
		if err := t.checkRegion(ctx, "region_code", region); err != nil {
			return err
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM prevention_plans WHERE region_code = $1 AND year = $2`, region, year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("year", "duplicate", "%s%d年度的工伤预防计划已存在", regionLabel(region), year)
		}
		out = Plan{AnnualPlan: prevention.AnnualPlan{Region: region, Year: year, State: prevention.StateDraft, Projects: []prevention.Project{}},
			CreatedAt: t.now, CreatedBy: actor.Username, UpdatedAt: t.now, Version: 1}
		id, err := t.insertAudited(ctx, "prevention_plans", []string{"region_code", "year", "state", "revision", "requested_fen", "approved_fen", "note",
			"created_at", "created_by", "updated_at", "version"}, []any{region, year, "draft", 0, 0, 0, "", t.now, actor.Username, t.now, 1},
			"prevention.plan.create", "prevention_plan", region, func(id int64) any { p := out; p.ID = id; return p })
		out.ID = id
		return err
	})
	return out, err
}

// planForUpdate reads and locks a plan the actor may see, with its
// projects (locked too), checking the expected version.
func (t *tx) planForUpdate(ctx context.Context, id, expected int64) (Plan, error) {
	p, err := scanPlan(t.QueryRowContext(ctx, `SELECT `+planCols+` FROM prevention_plans WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !t.actor.MaySee(access.Owners{Region: p.Region}) {
		return Plan{}, errs.E(errs.NotFound, "工伤预防计划不存在")
	}
	if err != nil {
		return Plan{}, err
	}
	if p.Version != expected {
		return Plan{}, staleVersion()
	}
	p.Projects, err = t.s.loadProjects(ctx, t, id, t.s.engine.forUpdate())
	return p, err
}

// savePlan writes the plan's row after a change (state, revision, totals,
// note), bumping its version.
func (t *tx) savePlan(ctx context.Context, p *Plan) error {
	res, err := t.ExecContext(ctx, `UPDATE prevention_plans SET state = $1, revision = $2, requested_fen = $3, approved_fen = $4, note = $5,
		updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8`,
		string(p.State), p.Revision, p.RequestedFen, p.ApprovedFen, p.Note, t.now, p.ID, p.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleVersion()
	}
	p.UpdatedAt, p.Version = t.now, p.Version+1
	return nil
}

// insertProject inserts a project and its lines, setting their ids.
func (t *tx) insertProject(ctx context.Context, p Plan, pr *prevention.Project) error {
	err := t.QueryRowContext(ctx, t.s.engine.insertSQL("prevention_projects", []string{"plan_id", "region_code", "seq", "kind", "title", "programme",
		"industry", "audience", "enterprises", "sessions", "attendance", "provider_kind", "provider", "requested_fen", "approved_fen", "paid_fen", "state"}, 1)+
		" RETURNING id", p.ID, p.Region, pr.Seq, pr.Kind, pr.Title, pr.Programme, pr.Industry, jsonList(pr.Audience), jsonList(pr.Enterprises),
		pr.Sessions, pr.Attendance, pr.ProviderKind, pr.Provider, pr.RequestedFen, pr.ApprovedFen, pr.PaidFen, pr.State).Scan(&pr.ID)
	if err != nil {
		return fmt.Errorf("store: insert project: %w", err)
	}
	return t.insertLines(ctx, pr)
}

func (t *tx) insertLines(ctx context.Context, pr *prevention.Project) error {
	for i := range pr.Lines {
		l := &pr.Lines[i]
		err := t.QueryRowContext(ctx, `INSERT INTO prevention_budget_lines (project_id, item, requested_fen, approved_fen, paid_fen)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, pr.ID, l.Item, l.RequestedFen, l.ApprovedFen, l.PaidFen).Scan(&l.ID)
		if err != nil {
			return fmt.Errorf("store: insert budget line: %w", err)
		}
	}
	return nil
}

func checkEditable(p Plan) error {
	if !prevention.Editable(p.State) {
		return errs.E(errs.Conflict, "计划%s，不能修改项目%s", prevention.StateNames[p.State],
			either(p.State == prevention.StateApproved, "（已批准的计划请提出变更申请）", ""))
	}
	return nil
}

func either(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// SavePlanProject adds (pr.ID 0) or replaces a project of a draft or
// returned plan, with its budget lines; expected is the plan's version.
func (s *Store) SavePlanProject(ctx context.Context, actor access.Principal, planID, expected int64, pr prevention.Project) (Plan, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return Plan{}, errs.E(errs.Forbidden, "无权编制工伤预防计划")
	}
	pr.Lines = append([]prevention.BudgetLine(nil), pr.Lines...)
	pr.State, pr.PaidFen, pr.ApprovedFen = "planned", 0, 0
	for i := range pr.Lines {
		pr.Lines[i].ID, pr.Lines[i].ApprovedFen, pr.Lines[i].PaidFen = 0, 0, 0
	}
	pr.Normalize()
	if err := pr.Validate(registry.MustReference()); err != nil {
		return Plan{}, err
	}
	var out Plan
	err := s.write(ctx, actor, func(t *tx) error {
		p, err := t.planForUpdate(ctx, planID, expected)
		if err != nil {
			return err
		}
		if err := checkEditable(p); err != nil {
			return err
		}
		var before any
		if pr.ID == 0 {
			if len(p.Projects) >= prevention.MaxProjects {
				return errs.Field("projects", "too_many", "一个计划最多%d个项目", prevention.MaxProjects)
			}
			for _, x := range p.Projects {
				pr.Seq = max(pr.Seq, x.Seq)
			}
			pr.Seq++
			if err := t.insertProject(ctx, p, &pr); err != nil {
				return err
			}
			p.Projects = append(p.Projects, pr)
		} else {
			at := -1
			for i, x := range p.Projects {
				if x.ID == pr.ID {
					at = i
				}
			}
			if at < 0 {
				return errs.Field("project_id", "unknown", "项目%d不属于本计划", pr.ID)
			}
			before, pr.Seq = p.Projects[at], p.Projects[at].Seq
			_, err := t.ExecContext(ctx, `UPDATE prevention_projects SET kind = $1, title = $2, programme = $3, industry = $4, audience = $5,
				enterprises = $6, sessions = $7, attendance = $8, provider_kind = $9, provider = $10, requested_fen = $11, version = version + 1
				WHERE id = $12`, pr.Kind, pr.Title, pr.Programme, pr.Industry, jsonList(pr.Audience), jsonList(pr.Enterprises), pr.Sessions,
				pr.Attendance, pr.ProviderKind, pr.Provider, pr.RequestedFen, pr.ID)
			if err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `DELETE FROM prevention_budget_lines WHERE project_id = $1`, pr.ID); err != nil {
				return err
			}
			if err := t.insertLines(ctx, &pr); err != nil {
				return err
			}
			p.Projects[at] = pr
		}
		p.Totals()
		if err := t.savePlan(ctx, &p); err != nil {
			return err
		}
		out = p
		return t.audit(ctx, "prevention.plan.project", "prevention_plan", p.ID, p.Region, before, pr)
	})
	return out, err
}

// RemovePlanProject deletes a project of a draft or returned plan.
func (s *Store) RemovePlanProject(ctx context.Context, actor access.Principal, planID, expected, projectID int64) (Plan, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return Plan{}, errs.E(errs.Forbidden, "无权编制工伤预防计划")
	}
	var out Plan
	err := s.write(ctx, actor, func(t *tx) error {
		p, err := t.planForUpdate(ctx, planID, expected)
		if err != nil {
			return err
		}
		if err := checkEditable(p); err != nil {
			return err
		}
		at := -1
		for i, x := range p.Projects {
			if x.ID == projectID {
				at = i
			}
		}
		if at < 0 {
			return errs.Field("project_id", "unknown", "项目%d不属于本计划", projectID)
		}
		gone := p.Projects[at]
		if _, err := t.ExecContext(ctx, `DELETE FROM prevention_budget_lines WHERE project_id = $1`, projectID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM prevention_projects WHERE id = $1`, projectID); err != nil {
			return err
		}
		p.Projects = append(p.Projects[:at], p.Projects[at+1:]...)
		p.Totals()
		if err := t.savePlan(ctx, &p); err != nil {
			return err
		}
		out = p
		return t.audit(ctx, "prevention.plan.project_remove", "prevention_plan", p.ID, p.Region, gone, nil)
	})
	return out, err
}

// record keeps a step of the plan's history with the plan as it now is.
func (t *tx) record(ctx context.Context, p Plan, action, note string, cuts []prevention.Cut) error {
	if cuts == nil {
		cuts = []prevention.Cut{}
	}
	snap, _ := json.Marshal(p.AnnualPlan)
	cj, _ := json.Marshal(cuts)
	_, err := t.ExecContext(ctx, t.s.engine.insertSQL("prevention_plan_reviews", []string{"plan_id", "region_code", "revision", "action", "note", "cuts",
		"snapshot", "requested_fen", "approved_fen", "by_user", "by_role", "at"}, 1),
		p.ID, p.Region, p.Revision, action, note, string(cj), string(snap), p.RequestedFen, p.ApprovedFen, t.actor.Username, string(t.actor.Role), t.now)
	return err
}

// SubmitPlan submits a draft or returned plan with at least one project to
// the city; note is the county's covering remark.
func (s *Store) SubmitPlan(ctx context.Context, actor access.Principal, planID, expected int64, note string) (Plan, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return Plan{}, errs.E(errs.Forbidden, "无权报送工伤预防计划")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > prevention.MaxNote {
		return Plan{}, errs.Field("note", "length", "报送说明最多%d字", prevention.MaxNote)
	}
	var out Plan
	err := s.write(ctx, actor, func(t *tx) error {
		p, err := t.planForUpdate(ctx, planID, expected)
		if err != nil {
			return err
		}
		before := p
		to, err := prevention.Next(p.State, prevention.ActSubmit)
		if err != nil {
			return err
		}
		if len(p.Projects) == 0 {
			return errs.Field("projects", "required", "计划至少要有一个项目才能报送")
		}
		p.State, p.Revision, p.Note = to, p.Revision+1, note
		if err := t.savePlan(ctx, &p); err != nil {
			return err
		}
		if err := t.record(ctx, p, "submit", note, nil); err != nil {
			return err
		}
		out = p
		return t.audit(ctx, "prevention.plan.submit", "prevention_plan", p.ID, p.Region, planHead(before), planHead(p))
	})
	return out, err
}

// planHead is a plan's row without its projects, for the audit.
func planHead(p Plan) Plan { p.Projects = nil; return p }

// mayApprove reports whether actor is the prevention approver of the city
// region belongs to (never the insurer's staff, never a county's).
func mayApprove(actor access.Principal, region string) error {
	if !actor.Can(access.PermPreventionApprove) {
		return errs.E(errs.Forbidden, "无权审批工伤预防计划")
	}
	if actor.RegionCode != preventionCity(region) {
		return errs.E(errs.Forbidden, "工伤预防计划由市级审批")
	}
	return nil
}

// ReviewPlan is the city's decision on a submitted plan: return it with
// comments, or approve it (with cuts). An approval takes the year's lock
// and is refused, with the figures, when the city's approved plans would
// exceed the year's cap.
func (s *Store) ReviewPlan(ctx context.Context, actor access.Principal, planID, expected int64, r prevention.Review) (Plan, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return Plan{}, errs.E(errs.Forbidden, "无权审批工伤预防计划")
	}
	var out Plan
	err := s.write(ctx, actor, func(t *tx) error {
		var region string
		var year int
		err := t.QueryRowContext(ctx, `SELECT region_code, year FROM prevention_plans WHERE id = $1`, planID).Scan(&region, &year)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: region}) {
			return errs.E(errs.NotFound, "工伤预防计划不存在")
		}
		if err != nil {
			return err
		}
		if err := mayApprove(actor, region); err != nil {
			return err
		}
		var y PreventionYear
		if r.Action == prevention.ActApprove {
			// the year first, then the plan: every approval locks in this order
			var found bool
			if y, found, err = t.yearForUpdate(ctx, preventionCity(region), year); err != nil {
				return err
			}
			if !found {
				return errs.Field("year", "unset", "%d年度工伤预防费预算（上年度基金征缴收入和上限比例）尚未设置，不能批准计划", year)
			}
		}
		p, err := t.planForUpdate(ctx, planID, expected)
		if err != nil {
			return err
		}
		before := p
		before.Projects = append([]prevention.Project(nil), p.Projects...)
		if err := p.ApplyReview(r); err != nil {
			return err
		}
		if r.Action == prevention.ActApprove {
			approved, _, err := t.s.preventionUsed(ctx, t, y.Region, year)
			if err != nil {
				return err
			}
			if err := prevention.CheckCap(year, y.CapFen, approved, p.ApprovedFen); err != nil {
				return err
			}
			for _, pr := range p.Projects {
				if _, err := t.ExecContext(ctx, `UPDATE prevention_projects SET approved_fen = $1, version = version + 1 WHERE id = $2`, pr.ApprovedFen, pr.ID); err != nil {
					return err
				}
				for _, l := range pr.Lines {
					if _, err := t.ExecContext(ctx, `UPDATE prevention_budget_lines SET approved_fen = $1 WHERE id = $2`, l.ApprovedFen, l.ID); err != nil {
						return err
					}
				}
			}
		}
		if err := t.savePlan(ctx, &p); err != nil {
			return err
		}
		if err := t.record(ctx, p, string(r.Action), p.Note, r.Cuts); err != nil {
			return err
		}
		out = p
		return t.audit(ctx, "prevention.plan."+string(r.Action), "prevention_plan", p.ID, p.Region, planHead(before),
			map[string]any{"plan": planHead(p), "cuts": r.Cuts})
	})
	return out, err
}

const reviewCols = `id, plan_id, revision, action, note, cuts, snapshot, requested_fen, approved_fen, by_user, by_role, at`

// PlanReviews lists a plan's history, oldest first (the caller has
// checked the plan is the viewer's).
func (s *Store) PlanReviews(ctx context.Context, planID int64) ([]PlanReview, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reviewCols+` FROM prevention_plan_reviews WHERE plan_id = $1 ORDER BY id`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: plan reviews: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (PlanReview, error) {
		var v PlanReview
		var cuts, snap string
		err := r.Scan(&v.ID, &v.PlanID, &v.Revision, &v.Action, &v.Note, &cuts, &snap, &v.RequestedFen, &v.ApprovedFen, &v.By, &v.Role, &v.At)
		_ = json.Unmarshal([]byte(cuts), &v.Cuts)
		_ = json.Unmarshal([]byte(snap), &v.Snapshot)
		return v, err
	})
}

const changeCols = `id, plan_id, region_code, state, reason, ops, delta_fen, requested_by, requested_at, decided_by, decided_at, decision_note, version`

func scanChange(r interface{ Scan(...any) error }) (PlanChange, error) {
	var c PlanChange
	var ops string
	var decided sql.NullTime
	err := r.Scan(&c.ID, &c.PlanID, &c.Region, &c.State, &c.Reason, &ops, &c.DeltaFen, &c.RequestedBy, &c.RequestedAt, &c.DecidedBy, &decided,
		&c.DecisionNote, &c.Version)
	_ = json.Unmarshal([]byte(ops), &c.Ops)
	if decided.Valid {
		c.DecidedAt = &decided.Time
	}
	return c, err
}

// PlanChanges lists a plan's change requests, newest first.
func (s *Store) PlanChanges(ctx context.Context, planID int64) ([]PlanChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+changeCols+` FROM prevention_changes WHERE plan_id = $1 ORDER BY id DESC`, planID)
	if err != nil {
		return nil, fmt.Errorf("store: plan changes: %w", err)
	}
	return collect(rows, scanChange)
}

// FindPlanChange reads a change request the viewer may see.
func (s *Store) FindPlanChange(ctx context.Context, viewer access.Principal, id int64) (PlanChange, error) {
	c, err := scanChange(s.db.QueryRowContext(ctx, `SELECT `+changeCols+` FROM prevention_changes WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!viewer.Can(access.PermPreventionRead) || !viewer.MaySee(access.Owners{Region: c.Region})) {
		return PlanChange{}, errs.E(errs.NotFound, "变更申请不存在")
	}
	return c, err
}

// RequestPlanChange files a change request to an approved plan (one
// pending at a time), checked against the plan as it now is.
func (s *Store) RequestPlanChange(ctx context.Context, actor access.Principal, planID int64, c prevention.Change) (PlanChange, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return PlanChange{}, errs.E(errs.Forbidden, "无权提出计划变更")
	}
	c.Reason = strings.TrimSpace(c.Reason)
	var out PlanChange
	err := s.write(ctx, actor, func(t *tx) error {
		var version int64
		err := t.QueryRowContext(ctx, `SELECT version FROM prevention_plans WHERE id = $1`, planID).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "工伤预防计划不存在")
		}
		if err != nil {
			return err
		}
		p, err := t.planForUpdate(ctx, planID, version)
		if err != nil {
			return err
		}
		after := p.AnnualPlan
		if err := after.ApplyChange(c, registry.MustReference()); err != nil {
			return err
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM prevention_changes WHERE plan_id = $1 AND state = 'pending'`, planID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.E(errs.Conflict, "本计划已有一项待审批的变更申请")
		}
		ops, _ := json.Marshal(c.Ops)
		out = PlanChange{PlanID: planID, Region: p.Region, State: "pending", Reason: c.Reason, Ops: c.Ops, DeltaFen: after.ApprovedFen - p.ApprovedFen,
			RequestedBy: actor.Username, RequestedAt: t.now, Version: 1}
		id, err := t.insertAudited(ctx, "prevention_changes", []string{"plan_id", "region_code", "state", "reason", "ops", "delta_fen",
			"requested_by", "requested_at", "version"}, []any{planID, p.Region, "pending", c.Reason, string(ops), out.DeltaFen, actor.Username, t.now, 1},
			"prevention.change.request", "prevention_change", p.Region, func(id int64) any { x := out; x.ID = id; return x })
		out.ID = id
		return err
	})
	return out, err
}

// DecidePlanChange is the city's decision on a pending change request:
// approved, it is applied to the plan whole — checked again against the
// plan as it now is and, when it adds money, against the year's cap under
// the year's lock; rejected, it needs a note.
func (s *Store) DecidePlanChange(ctx context.Context, actor access.Principal, changeID, expected int64, approve bool, note string) (PlanChange, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return PlanChange{}, errs.E(errs.Forbidden, "无权审批计划变更")
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return PlanChange{}, errs.Field("note", "required", "不批准变更应写明理由")
	}
	if utf8.RuneCountInString(note) > prevention.MaxNote {
		return PlanChange{}, errs.Field("note", "length", "审批意见最多%d字", prevention.MaxNote)
	}
	var out PlanChange
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := scanChange(t.QueryRowContext(ctx, `SELECT `+changeCols+` FROM prevention_changes WHERE id = $1`, changeID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: c.Region}) {
			return errs.E(errs.NotFound, "变更申请不存在")
		}
		if err != nil {
			return err
		}
		if err := mayApprove(actor, c.Region); err != nil {
			return err
		}
		var year int
		var planVersion int64
		if err := t.QueryRowContext(ctx, `SELECT year, version FROM prevention_plans WHERE id = $1`, c.PlanID).Scan(&year, &planVersion); err != nil {
			return err
		}
		// the year, the plan, then the request: the approvals' lock order
		y, found, err := t.yearForUpdate(ctx, preventionCity(c.Region), year)
		if err != nil {
			return err
		}
		p, err := t.planForUpdate(ctx, c.PlanID, planVersion)
		if err != nil {
			return err
		}
		c, err = scanChange(t.QueryRowContext(ctx, `SELECT `+changeCols+` FROM prevention_changes WHERE id = $1`+t.s.engine.forUpdate(), changeID))
		if err != nil {
			return err
		}
		if c.Version != expected {
			return staleVersion()
		}
		if c.State != "pending" {
			return errs.E(errs.Conflict, "变更申请%s", PlanChangeStates[c.State])
		}
		before := c
		c.State, c.DecidedBy, c.DecisionNote, c.Version = either(approve, "approved", "rejected"), actor.Username, note, c.Version+1
		now := t.now
		c.DecidedAt = &now
		if approve {
			after := p
			if err := after.ApplyChange(prevention.Change{Reason: c.Reason, Ops: c.Ops}, registry.MustReference()); err != nil {
				return err
			}
			if after.ApprovedFen > p.ApprovedFen {
				if !found {
					return errs.Field("year", "unset", "%d年度工伤预防费预算尚未设置", year)
				}
				approved, _, err := t.s.preventionUsed(ctx, t, y.Region, year)
				if err != nil {
					return err
				}
				if err := prevention.CheckCap(year, y.CapFen, approved-p.ApprovedFen, after.ApprovedFen); err != nil {
					return err
				}
			}
			if err := t.applyApproved(ctx, &after); err != nil {
				return err
			}
			if err := t.savePlan(ctx, &after); err != nil {
				return err
			}
			if err := t.record(ctx, after, "change", c.Reason, nil); err != nil {
				return err
			}
			if err := t.audit(ctx, "prevention.plan.change", "prevention_plan", p.ID, p.Region, p, after); err != nil {
				return err
			}
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_changes SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4, version = version + 1
			WHERE id = $5 AND version = $6`, c.State, c.DecidedBy, t.now, note, c.ID, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = c
		return t.audit(ctx, "prevention.change."+either(approve, "approve", "reject"), "prevention_change", c.ID, c.Region, before, c)
	})
	return out, err
}

// applyApproved writes an approved plan's projects after a change: new
// projects inserted, the others' sessions, attendance, state and approved
// amounts updated; a line is never set below what was paid on it (a
// payment recorded meanwhile makes the change stale).
func (t *tx) applyApproved(ctx context.Context, p *Plan) error {
	for i := range p.Projects {
		pr := &p.Projects[i]
		if pr.ID == 0 {
			if err := t.insertProject(ctx, *p, pr); err != nil {
				return err
			}
			continue
		}
		if _, err := t.ExecContext(ctx, `UPDATE prevention_projects SET sessions = $1, attendance = $2, state = $3, approved_fen = $4, version = version + 1
			WHERE id = $5`, pr.Sessions, pr.Attendance, pr.State, pr.ApprovedFen, pr.ID); err != nil {
			return err
		}
		for _, l := range pr.Lines {
			res, err := t.ExecContext(ctx, `UPDATE prevention_budget_lines SET approved_fen = $1 WHERE id = $2 AND paid_fen <= $1`, l.ApprovedFen, l.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errs.E(errs.Conflict, "预算项“%s”已支付的金额超过变更后的核定金额，请刷新后重新审批", l.Item)
			}
		}
	}
	return nil
}

// The audit actions of the prevention section's exports.
const (
	ExportPreventionPlans      = "prevention_plan.export"      // a year's plan list
	ExportPreventionIndustries = "prevention_industry.export"  // the key-industry table
	ExportPreventionKPI        = "prevention_dashboard.export" // a table of the prevention dashboard
)
