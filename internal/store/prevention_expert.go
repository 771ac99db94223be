package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
)

// The prevention expert pool (工伤预防培训专家库, issue 12): the city's
// trainers by specialty, each recommended by a department, managed
// dynamically (suspended, reinstated, removed, always with a reason, each
// change kept in prevention_expert_events), with their courseware
// (prevention_courseware.go) and the sessions they taught.
//
// The pool is the city's (region_code a city, 370800): the city's
// prevention staff and the partner insurer's staff at the city keep it,
// the counties' staff read it (they choose trainers from it) and no one
// below the city changes it. Who decides: the insurer's staff
// (PermPreventionPrepare without Approve) may propose an expert and edit
// the details, but what they add enters suspended, "proposed", until the
// city's prevention staff (PermPreventionApprove) activate it; only those
// change an expert's status and review courseware. An expert's details are
// professional (name, title, employer), not personal data: the insurer
// reads them unmasked.

// ProposedReason is the status reason of an expert the insurer's staff
// proposed, suspended until the city activates them.
const ProposedReason = "合作保险机构推荐，待市级工伤预防部门审核后启用"

// cityOf is the city of a county or city code ("" for a province or a
// code that is not six digits).
func cityOf(code string) string {
	if len(code) != 6 || code[2:4] == "00" {
		return ""
	}
	return code[:4] + "00"
}

// poolVisible reports whether viewer may read the pool of region: staff
// whose subtree covers it, and staff of a county under it.
func poolVisible(viewer access.Principal, region string) bool {
	if viewer.Kind != access.KindStaff && viewer.Kind != access.KindSystem || !viewer.Can(access.PermPreventionRead) {
		return false
	}
	return viewer.Scope().Covers(region) || cityOf(viewer.RegionCode) == region
}

// poolKeeper refuses a change to the pool of region by actor unless its
// scope covers the pool (the city, or above it).
func poolKeeper(actor access.Principal, region string) error {
	if !actor.Scope().Covers(region) {
		return errs.E(errs.Forbidden, "专家库由市级工伤预防部门管理，区县只能查看")
	}
	return nil
}

// ExportPreventionExperts is the audit action of the pool's export.
const ExportPreventionExperts = "prevention_expert.export"

// ExpertQuery filters the pool: by specialty, status (all when empty),
// and a search in the name, employer, title and qualifications.
type ExpertQuery struct {
	Specialty prevention.Specialty
	Status    prevention.ExpertStatus
	Search    string
}

// ExpertEvent is one status change of an expert.
type ExpertEvent struct {
	ID        int64                   `json:"id"`
	ExpertID  int64                   `json:"expert_id"`
	From      prevention.ExpertStatus `json:"from_status"`
	To        prevention.ExpertStatus `json:"to_status"`
	Reason    string                  `json:"reason"`
	CreatedAt time.Time               `json:"created_at"`
	CreatedBy string                  `json:"created_by"`
}

const preventionExpertCols = `id, name, specialty, department, title, qualifications, employer, region_code, status, status_reason, created_by, version`

func scanPreventionExpert(r interface{ Scan(...any) error }) (prevention.Expert, error) {
	var e prevention.Expert
	err := r.Scan(&e.ID, &e.Name, &e.Specialty, &e.Department, &e.Title, &e.Qualifications, &e.Employer, &e.Region, &e.Status,
		&e.StatusReason, &e.CreatedBy, &e.Version)
	return e, err
}

func errNoExpert() error { return errs.E(errs.NotFound, "专家不存在") }

// AddPreventionExpert adds an expert to the actor's city pool: active when
// the actor may approve, else (the insurer's staff) suspended as proposed.
// The same name at the same employer in the same specialty is refused
// while that expert is in the pool.
func (s *Store) AddPreventionExpert(ctx context.Context, actor access.Principal, e prevention.Expert) (prevention.Expert, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return e, errs.E(errs.Forbidden, "无权维护工伤预防专家库")
	}
	region := actor.RegionCode
	if cityOf(region) != region {
		return e, errs.E(errs.Forbidden, "专家库由市级工伤预防部门管理，区县只能查看")
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.Region, e.CreatedBy, e.Version = region, actor.Username, 1
	e.Status, e.StatusReason = prevention.ExpertActive, ""
	if !actor.Can(access.PermPreventionApprove) {
		e.Status, e.StatusReason = prevention.ExpertSuspended, ProposedReason
	}
	err := s.write(ctx, actor, func(t *tx) error {
		if err := t.duplicateExpert(ctx, e); err != nil {
			return err
		}
		id, err := t.insertAudited(ctx, "prevention_experts", []string{"name", "specialty", "department", "title", "qualifications",
			"employer", "region_code", "status", "status_reason", "created_at", "created_by", "version"},
			[]any{e.Name, string(e.Specialty), string(e.Department), e.Title, e.Qualifications, e.Employer, e.Region, string(e.Status),
				e.StatusReason, t.now, e.CreatedBy, 1},
			"prevention.expert.add", "prevention_expert", region, func(id int64) any { x := e; x.ID = id; return x })
		if err != nil {
			return err
		}
		e.ID = id
		return t.expertEvent(ctx, e, "", e.Status, cmp.Or(e.StatusReason, "入库"))
	})
	return e, err
}

// duplicateExpert refuses e when another expert of the pool not removed
// has its name, employer and specialty.
func (t *tx) duplicateExpert(ctx context.Context, e prevention.Expert) error {
	var id int64
	err := t.QueryRowContext(ctx, `SELECT id FROM prevention_experts WHERE region_code = $1 AND name = $2 AND employer = $3
		AND specialty = $4 AND status <> 'removed' AND id <> $5 ORDER BY id LIMIT 1`,
		e.Region, e.Name, e.Employer, string(e.Specialty), e.ID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return errs.Field("name", "duplicate", "专家库中已有%s（%s，%s，编号%d）", e.Name, cmp.Or(e.Employer, "未填工作单位"), e.Specialty.Name(), id)
}

func (t *tx) expertEvent(ctx context.Context, e prevention.Expert, from, to prevention.ExpertStatus, reason string) error {
	_, err := t.ExecContext(ctx, `INSERT INTO prevention_expert_events (expert_id, region_code, from_status, to_status, reason, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, e.Region, string(from), string(to), reason, t.now, t.actor.Username)
	return err
}

// expertForUpdate reads an expert under its row lock, not found when
// outside what the actor may read.
func (t *tx) expertForUpdate(ctx context.Context, id int64) (prevention.Expert, error) {
	e, err := scanPreventionExpert(t.QueryRowContext(ctx, `SELECT `+preventionExpertCols+` FROM prevention_experts WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !poolVisible(t.actor, e.Region) {
		return e, errNoExpert()
	}
	return e, err
}

// UpdatePreventionExpert changes an expert's details (still at version
// expected); the status stays (SetPreventionExpertStatus). A removed
// expert's record is final.
func (s *Store) UpdatePreventionExpert(ctx context.Context, actor access.Principal, id, expected int64, in prevention.Expert) (prevention.Expert, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return in, errs.E(errs.Forbidden, "无权维护工伤预防专家库")
	}
	// who may change it first, then what the form says
	if cur, err := s.FindPreventionExpert(ctx, actor, id); err != nil {
		return in, err
	} else if err := poolKeeper(actor, cur.Region); err != nil {
		return in, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return in, err
	}
	var out prevention.Expert
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.expertForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := poolKeeper(actor, before.Region); err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.Status == prevention.ExpertRemoved {
			return errs.E(errs.Conflict, "专家%s已移出专家库，信息不能再修改", before.Name)
		}
		out = before
		out.Name, out.Specialty, out.Department, out.Title, out.Qualifications, out.Employer =
			in.Name, in.Specialty, in.Department, in.Title, in.Qualifications, in.Employer
		if err := t.duplicateExpert(ctx, out); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_experts SET name = $1, specialty = $2, department = $3, title = $4,
			qualifications = $5, employer = $6, version = version + 1 WHERE id = $7 AND version = $8`,
			out.Name, string(out.Specialty), string(out.Department), out.Title, out.Qualifications, out.Employer, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out.Version = before.Version + 1
		return t.audit(ctx, "prevention.expert.update", "prevention_expert", id, before.Region, before, out)
	})
	return out, err
}

// SetPreventionExpertStatus moves an expert (still at version expected)
// to status to with a reason: suspend, reinstate (or activate a proposed
// one), remove. The city's prevention staff only.
func (s *Store) SetPreventionExpertStatus(ctx context.Context, actor access.Principal, id, expected int64, to prevention.ExpertStatus, reason string) (prevention.Expert, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return prevention.Expert{}, errs.E(errs.Forbidden, "专家状态由工伤预防部门审核变更，合作保险机构人员不能变更")
	}
	reason = strings.TrimSpace(reason)
	var out prevention.Expert
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.expertForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if err := poolKeeper(actor, before.Region); err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if err := prevention.Transition(before.Status, to, reason); err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_experts SET status = $1, status_reason = $2, version = version + 1
			WHERE id = $3 AND version = $4`, string(to), reason, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = before
		out.Status, out.StatusReason, out.Version = to, reason, before.Version+1
		if err := t.expertEvent(ctx, out, before.Status, to, reason); err != nil {
			return err
		}
		return t.audit(ctx, "prevention.expert.status", "prevention_expert", id, before.Region, before, out)
	})
	return out, err
}

// FindPreventionExpert reads one expert of a pool the viewer may read.
func (s *Store) FindPreventionExpert(ctx context.Context, viewer access.Principal, id int64) (prevention.Expert, error) {
	e, err := scanPreventionExpert(s.db.QueryRowContext(ctx, `SELECT `+preventionExpertCols+` FROM prevention_experts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !poolVisible(viewer, e.Region) {
		return prevention.Expert{}, errNoExpert()
	}
	if err != nil {
		return e, fmt.Errorf("store: prevention expert: %w", err)
	}
	return e, nil
}

// PreventionExperts lists the pools the viewer may read (its subtree's
// and its city's), filtered, by specialty in the pool's order then name.
func (s *Store) PreventionExperts(ctx context.Context, viewer access.Principal, f ExpertQuery) ([]prevention.Expert, error) {
	if viewer.Kind != access.KindStaff && viewer.Kind != access.KindSystem || !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防专家库")
	}
	var fs errs.Fields
	if f.Specialty != "" && !f.Specialty.Valid() {
		fs.Add("specialty", "choice", "未知的专业领域")
	}
	if f.Status != "" && !f.Status.Valid() {
		fs.Add("status", "choice", "专家状态应为在库、暂停或已移出")
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	lo, hi := viewer.Scope().Range()
	q := `SELECT ` + preventionExpertCols + ` FROM prevention_experts WHERE (region_code >= $1 AND region_code < $2 OR region_code = $3)`
	args := []any{lo, hi, cityOf(viewer.RegionCode)}
	if f.Specialty != "" {
		args = append(args, string(f.Specialty))
		q += fmt.Sprintf(` AND specialty = $%d`, len(args))
	}
	if f.Status != "" {
		args = append(args, string(f.Status))
		q += fmt.Sprintf(` AND status = $%d`, len(args))
	}
	if search := strings.TrimSpace(f.Search); search != "" {
		args = append(args, likeEscape(search))
		n := len(args)
		q += fmt.Sprintf(` AND (name LIKE '%%' || $%d || '%%' ESCAPE '\' OR employer LIKE '%%' || $%d || '%%' ESCAPE '\'
			OR title LIKE '%%' || $%d || '%%' ESCAPE '\' OR qualifications LIKE '%%' || $%d || '%%' ESCAPE '\')`, n, n, n, n)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: prevention experts: %w", err)
	}
	list, err := collect(rows, scanPreventionExpert)
	if err != nil {
		return nil, err
	}
	order := map[prevention.Specialty]int{}
	for i, sp := range prevention.Specialties {
		order[sp] = i
	}
	slices.SortStableFunc(list, func(a, b prevention.Expert) int {
		return cmp.Or(cmp.Compare(order[a.Specialty], order[b.Specialty]), cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}

// PreventionExpertEvents lists an expert's status changes, oldest first.
func (s *Store) PreventionExpertEvents(ctx context.Context, viewer access.Principal, id int64) ([]ExpertEvent, error) {
	if _, err := s.FindPreventionExpert(ctx, viewer, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, expert_id, from_status, to_status, reason, created_at, created_by
		FROM prevention_expert_events WHERE expert_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: expert events: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (ExpertEvent, error) {
		var ev ExpertEvent
		err := r.Scan(&ev.ID, &ev.ExpertID, &ev.From, &ev.To, &ev.Reason, &ev.CreatedAt, &ev.CreatedBy)
		return ev, err
	})
}

// TaughtSession is one training session an expert gave.
type TaughtSession struct {
	ID         int64    `json:"id"`
	ProjectID  int64    `json:"project_id"`
	Project    string   `json:"project"`
	Region     string   `json:"region_code"`
	HeldOn     string   `json:"held_on"`
	Topic      string   `json:"topic"`
	State      string   `json:"state"`
	Planned    int      `json:"planned"`
	Attendance int      `json:"attendance"`
	Score      *float64 `json:"score,omitempty"`
	Online     bool     `json:"online"`
	Place      string   `json:"place"`
}

// SessionStateNames names a training session's states.
var SessionStateNames = map[string]string{"planned": "计划中", "held": "已举办", "closed": "已结束", "cancelled": "已取消"}

// StateName names the session's state.
func (ts TaughtSession) StateName() string { return cmp.Or(SessionStateNames[ts.State], ts.State) }

// ExpertHistory is an expert's teaching record in the viewer's scope:
// the sessions (newest first, cancelled ones included and not counted),
// how many were held, the attendance and the average evaluation score of
// the scored ones.
type ExpertHistory struct {
	Sessions   []TaughtSession
	Held       int
	Attendance int
	Scored     int
	Average    float64
	// Partial: the viewer sees only its county's sessions of the expert.
	Partial bool
}

// PreventionExpertHistory reads the sessions an expert taught, those in
// the viewer's region subtree.
func (s *Store) PreventionExpertHistory(ctx context.Context, viewer access.Principal, id int64) (ExpertHistory, error) {
	e, err := s.FindPreventionExpert(ctx, viewer, id)
	if err != nil {
		return ExpertHistory{}, err
	}
	lo, hi := viewer.Scope().Range()
	rows, err := s.db.QueryContext(ctx, `SELECT ps.id, ps.project_id, p.title, ps.region_code, ps.held_on, ps.topic, ps.state, ps.planned,
		(SELECT COUNT(*) FROM prevention_attendance a WHERE a.session_id = ps.id), ps.score, ps.online, ps.place
		FROM prevention_sessions ps JOIN prevention_projects p ON p.id = ps.project_id
		WHERE ps.expert_id = $1 AND ps.region_code >= $2 AND ps.region_code < $3 ORDER BY ps.held_on DESC, ps.id DESC`, id, lo, hi)
	if err != nil {
		return ExpertHistory{}, fmt.Errorf("store: expert history: %w", err)
	}
	list, err := collect(rows, func(r interface{ Scan(...any) error }) (TaughtSession, error) {
		var ts TaughtSession
		var score sql.NullFloat64
		err := r.Scan(&ts.ID, &ts.ProjectID, &ts.Project, &ts.Region, &ts.HeldOn, &ts.Topic, &ts.State, &ts.Planned, &ts.Attendance,
			&score, &ts.Online, &ts.Place)
		if score.Valid {
			v := score.Float64
			ts.Score = &v
		}
		return ts, err
	})
	if err != nil {
		return ExpertHistory{}, err
	}
	h := ExpertHistory{Sessions: list, Partial: !viewer.Scope().Covers(e.Region)}
	var scores []*float64
	for _, ts := range list {
		if ts.State == "cancelled" {
			continue
		}
		if ts.State != "planned" {
			h.Held++
		}
		h.Attendance += ts.Attendance
		scores = append(scores, ts.Score)
	}
	h.Average, h.Scored = prevention.AverageScore(scores)
	return h, nil
}
