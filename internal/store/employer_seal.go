package store

import (
	"context"
	"fmt"

	"gongshang/internal/pii"
)

// sealEmployerPhones finishes migration 0008, which SQL cannot do: it
// seals each plain contact_phone left from before into contact_phone_enc
// with its mask, and empties the plain column. Run at every Open after
// the migrations; idempotent (a row is converted once, guarded by its
// plain value), in batches so a large table never holds one long
// transaction. The representation changes, not the data, so no audit
// entry is written; entries written before 0008 keep the phones they
// recorded, since the hash chain forbids rewriting them.
func (s *Store) sealEmployerPhones(ctx context.Context) error {
	const batch = 500
	total := 0
	for {
		n, err := s.sealPhoneBatch(ctx, batch)
		if err != nil {
			return fmt.Errorf("store: seal employer phones: %w", err)
		}
		total += n
		if n < batch {
			break
		}
	}
	if total > 0 {
		s.log.Info("employer contact phones sealed", "rows", total)
	}
	return nil
}

func (s *Store) sealPhoneBatch(ctx context.Context, limit int) (int, error) {
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer release()
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, contact_phone FROM employers WHERE contact_phone <> '' ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return 0, err
	}
	type plain struct {
		id    int64
		phone string
	}
	var todo []plain
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.id, &p.phone); err != nil {
			rows.Close()
			return 0, err
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, p := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE employers SET contact_phone_enc = $1, contact_phone_masked = $2, contact_phone = ''
			WHERE id = $3 AND contact_phone = $4`, s.pii.Seal(p.phone), pii.MaskPhone(p.phone), p.id, p.phone); err != nil {
			return 0, err
		}
	}
	return len(todo), tx.Commit()
}
