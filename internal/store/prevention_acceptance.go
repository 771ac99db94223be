package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// Acceptance (验收) of a publicity project: the city's prevention staff
// record what was delivered (the short videos, the screens and weeks, the
// WeChat pushes, the leaflets) and accept it; the project is then paid
// its approved amount, prepared and approved by two people like a
// training's payment. A training project is accepted session by session
// (closed with its recording and evaluation) instead.

// Acceptance is a publicity project's acceptance.
type Acceptance struct {
	ID           int64     `json:"id"`
	ProjectID    int64     `json:"project_id"`
	Region       string    `json:"region_code"`
	Deliverables string    `json:"deliverables"`
	Note         string    `json:"note,omitempty"`
	AcceptedAt   time.Time `json:"accepted_at"`
	AcceptedBy   string    `json:"accepted_by"`
}

// AcceptPublicity accepts a publicity project of an approved plan
// (PermPreventionApprove: never the insurer's staff, who deliver it).
func (s *Store) AcceptPublicity(ctx context.Context, actor access.Principal, projectID int64, deliverables, note string) (Acceptance, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return Acceptance{}, errs.E(errs.Forbidden, "无权验收工伤预防项目（合作经办机构人员可经办，不能验收）")
	}
	deliverables, note = strings.TrimSpace(deliverables), strings.TrimSpace(note)
	var fs errs.Fields
	if n := utf8.RuneCountInString(deliverables); n == 0 {
		fs.Add("deliverables", "required", "请写明交付成果（如短视频条数及投放平台、户外大屏点位和时长、宣传品数量）")
	} else if n > MaxFindingText {
		fs.Add("deliverables", "too_long", "交付成果最多%d字", MaxFindingText)
	}
	if utf8.RuneCountInString(note) > MaxFindingText {
		fs.Add("note", "too_long", "验收意见最多%d字", MaxFindingText)
	}
	if err := fs.Err(); err != nil {
		return Acceptance{}, err
	}
	a := Acceptance{ProjectID: projectID, Deliverables: deliverables, Note: note, AcceptedBy: actor.Username}
	err := s.write(ctx, actor, func(t *tx) error {
		b, err := t.budget(ctx, projectID, true)
		if err != nil {
			return err
		}
		switch {
		case b.Kind != "publicity":
			return errs.Field("project_id", "kind", "培训项目按场次验收（场次须有影音资料和评估），不在此验收")
		case !b.PlanApproved:
			return errs.Field("project_id", "not_approved", "项目所在计划尚未批准，不能验收")
		case b.State != "planned":
			return errs.E(errs.Conflict, "项目%s，不能再验收", projectStateName(b.State))
		}
		a.Region, a.AcceptedAt = b.Region, t.now
		id, err := t.insertAudited(ctx, "prevention_acceptances", []string{"project_id", "region_code", "deliverables", "note", "accepted_at", "accepted_by"},
			[]any{projectID, b.Region, deliverables, note, t.now, actor.Username}, "prevention.project.accept", "training_project", b.Region,
			func(id int64) any { x := a; x.ID = id; return x })
		if err != nil {
			return err
		}
		a.ID = id
		res, err := t.ExecContext(ctx, `UPDATE prevention_projects SET state = 'accepted', version = version + 1 WHERE id = $1 AND version = $2`, projectID, b.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		return nil
	})
	return a, err
}

// FindAcceptance is a project's acceptance, or NotFound.
func (s *Store) FindAcceptance(ctx context.Context, viewer access.Principal, projectID int64) (Acceptance, error) {
	return acceptanceOf(ctx, s.db, viewer, projectID)
}

func acceptanceOf(ctx context.Context, q querier, viewer access.Principal, projectID int64) (Acceptance, error) {
	var a Acceptance
	err := q.QueryRowContext(ctx, `SELECT id, project_id, region_code, deliverables, note, accepted_at, accepted_by FROM prevention_acceptances WHERE project_id = $1`,
		projectID).Scan(&a.ID, &a.ProjectID, &a.Region, &a.Deliverables, &a.Note, &a.AcceptedAt, &a.AcceptedBy)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: a.Region}) {
		return Acceptance{}, errs.E(errs.NotFound, "项目尚未验收")
	}
	return a, err
}

func projectStateName(state string) string {
	switch state {
	case "accepted":
		return "已验收"
	case "paid":
		return "已支付"
	case "cancelled":
		return "已撤销"
	}
	return "计划中"
}
