package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gongshang/internal/access"
)

// ImportProblem is one reason a row was refused.
type ImportProblem struct {
	Row    int    `json:"row"` // 1 is the header
	Column string `json:"column"`
	Code   string `json:"code,omitempty"` // stable reason code, for the summary by reason
	Reason string `json:"reason"`
}

// ImportRecord is what an import did, kept with its report.
type ImportRecord struct {
	ID       int64           `json:"id"`
	Kind     string          `json:"kind"`
	Filename string          `json:"filename"`
	SHA256   string          `json:"sha256"`
	Total    int             `json:"total_rows"`
	Good     int             `json:"good_rows"`
	Bad      int             `json:"bad_rows"`
	Imported int             `json:"imported"`
	Outcome  string          `json:"outcome"`
	Summary  string          `json:"summary"`
	Problems []ImportProblem `json:"problems"`
}

// SaveImport records an import and, when b is not nil, loads its records,
// all in one transaction, with one audit entry per created record.
func (s *Store) SaveImport(ctx context.Context, actor access.Principal, rec *ImportRecord, b *Bulk) error {
	report, err := json.Marshal(rec.Problems)
	if err != nil {
		return err
	}
	err = s.write(ctx, actor, func(t *tx) error {
		if b != nil {
			if err := t.bulkInsert(ctx, b); err != nil {
				return err
			}
			if err := t.auditBulk(ctx, b); err != nil {
				return err
			}
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO imports (kind, filename, sha256, total_rows, good_rows, bad_rows, imported, outcome, report, actor_id, region, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, rec.Kind, rec.Filename, rec.SHA256, rec.Total, rec.Good,
			rec.Bad, rec.Imported, rec.Outcome, string(report), actor.UserID, actor.RegionCode, t.now).Scan(&rec.ID); err != nil {
			return fmt.Errorf("store: save import: %w", err)
		}
		summary := *rec
		summary.Problems = nil
		return t.audit(ctx, "import.run", "import", rec.ID, actor.RegionCode, nil, summary)
	})
	if err == nil {
		s.analyzeIfLarge(ctx, b)
	}
	return err
}
