package store

import (
	"context"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
)

// AddParamVersion appends a parameter version (validated by the caller
// against the catalogue and the current set).
func (s *Store) AddParamVersion(ctx context.Context, actor access.Principal, v param.Version) (int64, error) {
	var id int64
	err := s.write(ctx, actor, func(t *tx) error {
		if err := t.QueryRowContext(ctx, `INSERT INTO param_versions (table_name, key, region, effective_from, value, source, confidence, note, actor_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, v.Table, v.Key, v.Region, param.FormatDate(v.EffectiveFrom),
			v.Value, v.Source, v.Confidence, v.Note, actor.UserID, t.now).Scan(&id); err != nil {
			return fmt.Errorf("store: add param version: %w", err)
		}
		return t.audit(ctx, "param.add", "param", id, v.Region, nil, v)
	})
	return id, err
}

// ParamVersions lists the added versions in the order they were added.
func (s *Store) ParamVersions(ctx context.Context) ([]param.Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT table_name, key, region, effective_from, value, source, confidence, note FROM param_versions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: param versions: %w", err)
	}
	defer rows.Close()
	var out []param.Version
	for rows.Next() {
		var v param.Version
		var from string
		if err := rows.Scan(&v.Table, &v.Key, &v.Region, &from, &v.Value, &v.Source, &v.Confidence, &v.Note); err != nil {
			return nil, err
		}
		if v.EffectiveFrom, err = time.Parse("2006-01-02", from); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
