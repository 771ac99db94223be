package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
)

// The organiser's evaluation form (培训评估表): each city keeps its own as
// effective-dated versions (《济宁市工伤预防培训评估管理暂行办法》's
// 评估表格); a checklist is always scored on the form in force on its
// session's day, which the store applies — a caller's own list of items
// is not taken.

// EvaluationForm is a version of a city's form.
type EvaluationForm struct {
	ID        int64                      `json:"id"`
	Region    string                     `json:"region_code"`
	ValidFrom string                     `json:"valid_from"`
	Items     []prevention.ChecklistItem `json:"items"`
	CreatedAt time.Time                  `json:"created_at"`
	CreatedBy string                     `json:"created_by"`
}

// formCity is the city whose form a region's sessions use.
func formCity(region string) string {
	if len(region) != 6 {
		return region
	}
	return region[:4] + "00"
}

// SetEvaluationForm records a new version of the city's form from day
// validFrom (PermPreventionApprove at the city).
func (s *Store) SetEvaluationForm(ctx context.Context, actor access.Principal, city, validFrom string, items []prevention.ChecklistItem) (EvaluationForm, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return EvaluationForm{}, errs.E(errs.Forbidden, "无权设置培训评估表")
	}
	var fs errs.Fields
	if formCity(city) != city || !actor.Scope().Covers(city) {
		fs.Add("region_code", "city", "评估表由市级工伤预防机构设置（%s不是本人所在的市）", regionLabel(city))
	}
	if d, err := time.Parse(time.DateOnly, validFrom); err != nil || d.Format(time.DateOnly) != validFrom {
		fs.Add("valid_from", "date", "启用日期应为日期（如2027-01-01）")
	}
	fs.Merge(prevention.ValidChecklist(items))
	if err := fs.Err(); err != nil {
		return EvaluationForm{}, err
	}
	body, err := json.Marshal(items)
	if err != nil {
		return EvaluationForm{}, err
	}
	f := EvaluationForm{Region: city, ValidFrom: validFrom, Items: items, CreatedBy: actor.Username}
	err = s.write(ctx, actor, func(t *tx) error {
		f.CreatedAt = t.now
		id, err := t.insertAudited(ctx, "prevention_evaluation_forms", []string{"region_code", "valid_from", "items", "created_at", "created_by"},
			[]any{city, validFrom, string(body), t.now, actor.Username}, "prevention.evaluation_form.set", "evaluation_form", city,
			func(id int64) any { x := f; x.ID = id; return x })
		if uniqueOn(err, "valid_from") || uniqueOn(err, "region_code") {
			return errs.Field("valid_from", "duplicate", "%s起启用的评估表已经设置，请选择另一启用日期", validFrom)
		}
		f.ID = id
		return err
	})
	return f, err
}

// EvaluationFormOn is the form a session of region held on day is scored
// on: the city's version in force that day, else the default form.
func (s *Store) EvaluationFormOn(ctx context.Context, region, day string) (EvaluationForm, error) {
	return evaluationFormOn(ctx, s.db, region, day)
}

func evaluationFormOn(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, region, day string) (EvaluationForm, error) {
	f := EvaluationForm{Region: formCity(region)}
	var items string
	err := q.QueryRowContext(ctx, `SELECT id, valid_from, items, created_at, created_by FROM prevention_evaluation_forms
		WHERE region_code = $1 AND valid_from <= $2 ORDER BY valid_from DESC LIMIT 1`, f.Region, day).Scan(&f.ID, &f.ValidFrom, &items, &f.CreatedAt, &f.CreatedBy)
	if errors.Is(err, sql.ErrNoRows) {
		f.Items = prevention.DefaultChecklist
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("store: evaluation form: %w", err)
	}
	return f, json.Unmarshal([]byte(items), &f.Items)
}

// EvaluationForms lists a city's versions, newest first.
func (s *Store) EvaluationForms(ctx context.Context, city string) ([]EvaluationForm, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, region_code, valid_from, items, created_at, created_by FROM prevention_evaluation_forms
		WHERE region_code = $1 ORDER BY valid_from DESC`, city)
	if err != nil {
		return nil, fmt.Errorf("store: evaluation forms: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (EvaluationForm, error) {
		var f EvaluationForm
		var items string
		if err := r.Scan(&f.ID, &f.Region, &f.ValidFrom, &items, &f.CreatedAt, &f.CreatedBy); err != nil {
			return f, err
		}
		return f, json.Unmarshal([]byte(items), &f.Items)
	})
}
