package store

import (
	"context"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
)

// AddParamVersion appends a parameter version, validated against the
// catalogue, if the actor administers its region (paramScope), and
// enqueues the ParamsChanged notice in the same transaction.
func (s *Store) AddParamVersion(ctx context.Context, actor access.Principal, v param.Version) (int64, error) {
	if err := param.Validate(v); err != nil {
		return 0, errs.Field("value", "param_invalid", "%s", err.Error())
	}
	if err := paramScope(actor, v.Region); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, actor, func(t *tx) error {
		if v.Region != param.National {
			if ok, err := s.regionExists(ctx, t, v.Region); err != nil {
				return err
			} else if !ok {
				return errs.Field("region", "unknown_region", "地区代码“%s”不存在", v.Region)
			}
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO param_versions (table_name, key, region, effective_from, value, source, confidence, note, actor_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, v.Table, v.Key, v.Region, param.FormatDate(v.EffectiveFrom),
			v.Value, v.Source, v.Confidence, v.Note, actor.UserID, t.now).Scan(&id); err != nil {
			return fmt.Errorf("store: add param version: %w", err)
		}
		if err := t.enqueue(ctx, ParamsChanged{VersionID: id, Region: v.Region}); err != nil {
			return err
		}
		return t.audit(ctx, "param.add", "param", id, v.Region, nil, v)
	})
	return id, err
}

// paramScope decides who may add a parameter version for region: the
// region must lie in the actor's subtree, so a county administers only its
// own county's rows, a city its city-level and county rows, a province all
// of its province's; nation-wide rows need a provincial administrator.
func paramScope(actor access.Principal, region string) error {
	if region == param.National {
		if registry.RegionLevel(actor.RegionCode) == "province" {
			return nil
		}
		return regionForbidden("无权维护全国参数：需要省级管理员")
	}
	if actor.Scope().Covers(region) {
		return nil
	}
	need := map[string]string{"province": "省级管理员", "city": "市级或省级管理员", "county": "该区县或其上级的管理员"}[registry.RegionLevel(region)]
	return regionForbidden("无权维护%s的参数：需要%s（您的地区为%s）", regionLabel(region), need, regionLabel(actor.RegionCode))
}

// regionForbidden is a Forbidden error that names the region field.
func regionForbidden(format string, args ...any) error {
	e := errs.E(errs.Forbidden, format, args...)
	e.Fields = []errs.FieldError{{Field: "region", Code: "region_scope", Message: e.Message}}
	return e
}

// ParamStamp identifies the stored versions cheaply: versions are never
// changed or deleted, so a different count or last id means new ones.
type ParamStamp struct {
	Count  int64
	LastID int64
}

// ParamStamp reads the stamp of the stored versions.
func (s *Store) ParamStamp(ctx context.Context) (ParamStamp, error) {
	var st ParamStamp
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM param_versions`).Scan(&st.Count, &st.LastID)
	if err != nil {
		return st, fmt.Errorf("store: param stamp: %w", err)
	}
	return st, nil
}

// ParamVersions lists the added versions in the order they were added.
func (s *Store) ParamVersions(ctx context.Context) ([]param.Version, error) {
	vs, _, err := s.ParamVersionsStamped(ctx)
	return vs, err
}

// ParamVersionsStamped lists the added versions with the stamp of exactly
// the rows read, so a reader knows which state its list reflects.
func (s *Store) ParamVersionsStamped(ctx context.Context) ([]param.Version, ParamStamp, error) {
	var st ParamStamp
	rows, err := s.db.QueryContext(ctx, `SELECT id, table_name, key, region, effective_from, value, source, confidence, note FROM param_versions ORDER BY id`)
	if err != nil {
		return nil, st, fmt.Errorf("store: param versions: %w", err)
	}
	defer rows.Close()
	var out []param.Version
	for rows.Next() {
		var v param.Version
		var from string
		if err := rows.Scan(&st.LastID, &v.Table, &v.Key, &v.Region, &from, &v.Value, &v.Source, &v.Confidence, &v.Note); err != nil {
			return nil, st, err
		}
		if v.EffectiveFrom, err = time.Parse("2006-01-02", from); err != nil {
			return nil, st, err
		}
		out = append(out, v)
	}
	st.Count = int64(len(out))
	return out, st, rows.Err()
}

// ParamRecord is a stored parameter version with who added it and when,
// for the parameter book's history.
type ParamRecord struct {
	ID        int64
	Version   param.Version
	ActorName string // the adding user's display name ("" if the user is gone)
	CreatedAt time.Time
}

// ParamRecords lists the added versions with their authors, in the order
// they were added. Parameters are public law: no scope applies.
func (s *Store) ParamRecords(ctx context.Context) ([]ParamRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.table_name, p.key, p.region, p.effective_from, p.value, p.source, p.confidence, p.note,
		COALESCE(u.display_name, ''), p.created_at FROM param_versions p LEFT JOIN users u ON u.id = p.actor_id ORDER BY p.id`)
	if err != nil {
		return nil, fmt.Errorf("store: param records: %w", err)
	}
	defer rows.Close()
	var out []ParamRecord
	for rows.Next() {
		var r ParamRecord
		var from string
		v := &r.Version
		if err := rows.Scan(&r.ID, &v.Table, &v.Key, &v.Region, &from, &v.Value, &v.Source, &v.Confidence, &v.Note, &r.ActorName, &r.CreatedAt); err != nil {
			return nil, err
		}
		if v.EffectiveFrom, err = time.Parse("2006-01-02", from); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
