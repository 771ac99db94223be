package store

import (
	"context"
	"errors"
	"fmt"

	"gongshang/internal/errs"
)

// Stale is the code of the field error a refused stale change carries.
const Stale = "version_conflict"

// staleError is the Conflict of a change made from a version that is no
// longer current.
func staleError() error {
	return &errs.Error{Kind: errs.Conflict, Message: "已被他人修改，请刷新后重试",
		Fields: []errs.FieldError{{Field: "version", Code: Stale, Message: "已被他人修改，请刷新后重试"}}}
}

// IsStale reports whether err refuses a change for a stale version.
func IsStale(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.Conflict && len(e.Fields) == 1 && e.Fields[0].Code == Stale
}

// checkVersion refuses a change made from version want when have is current.
func checkVersion(want *int64, have int64) error {
	if want != nil && *want != have {
		return staleError()
	}
	return nil
}

// updateVersioned runs UPDATE table SET sets, version = version + 1 WHERE
// id = $1 AND version = $2, with args binding $3 on. No row matched means
// another transaction changed the row after it was read: a stale error.
// On PostgreSQL the UPDATE waits for the other writer's commit and then
// re-checks the version, so the check holds under READ COMMITTED.
func (t *tx) updateVersioned(ctx context.Context, table string, id, version int64, sets string, args ...any) error {
	res, err := t.ExecContext(ctx, `UPDATE `+table+` SET `+sets+`, version = version + 1 WHERE id = $1 AND version = $2`,
		append([]any{id, version}, args...)...)
	if err != nil {
		return fmt.Errorf("store: update %s: %w", table, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update %s: %w", table, err)
	}
	if n != 1 {
		return staleError()
	}
	return nil
}

// maxStaleRetries bounds how often a patch that lost a race is re-applied.
const maxStaleRetries = 8

// retryStale runs fn again while it fails for a stale version, unless the
// caller pinned the version it had seen (then the conflict is the answer).
func (s *Store) retryStale(ctx context.Context, pinned bool, fn func() error) error {
	for i := 0; ; i++ {
		err := fn()
		if pinned || !IsStale(err) || i == maxStaleRetries || ctx.Err() != nil {
			return err
		}
	}
}
