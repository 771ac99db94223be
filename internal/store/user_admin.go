package store

import (
	"context"
	"database/sql"
	"errors"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// forUpdate locks the selected rows until the transaction ends on
// PostgreSQL; SQLite transactions take the write lock at BEGIN
// (_txlock=immediate), so writers are serialised there already.
func (e Engine) forUpdate() string {
	if e == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// userForUpdate reads a user in the actor's scope and locks the row.
func (t *tx) userForUpdate(ctx context.Context, id int64) (access.User, error) {
	u, err := scanUser(t.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.E(errs.NotFound, "用户不存在")
	}
	if err != nil {
		return u, err
	}
	return u, inScope(t.actor.Scope(), u.RegionCode)
}

// SetUserDisabled disables or enables a user in the actor's scope, and
// ends the user's sessions when disabling. An administrator cannot disable
// themself, nor the last enabled administrator of a region.
func (s *Store) SetUserDisabled(ctx context.Context, actor access.Principal, id int64, disabled bool) error {
	return s.write(ctx, actor, func(t *tx) error {
		if disabled {
			if err := t.mayRemoveAdmin(ctx, id); err != nil {
				return err
			}
		}
		before, err := t.userForUpdate(ctx, id)
		if err != nil {
			return err
		}
		after := before
		after.Disabled, after.FailedLogins, after.LockedUntil, after.UpdatedAt = disabled, 0, nil, t.now
		if _, err := t.ExecContext(ctx, `UPDATE users SET disabled = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3`,
			disabled, t.now, id); err != nil {
			return err
		}
		if disabled {
			if err := t.endSessions(ctx, id); err != nil {
				return err
			}
		}
		return t.audit(ctx, "user.update", "user", id, after.RegionCode, before, after)
	})
}

// mayRemoveAdmin refuses taking user id's administration away (disabling
// it, or later a change of role) when it is the actor, or the last enabled
// administrator of its region. The region's enabled administrators are
// locked before the user's own row, always in id order, so two
// administrators disabling each other at once neither deadlock nor both
// pass on PostgreSQL: the second waits for the first, then sees one
// administrator fewer.
func (t *tx) mayRemoveAdmin(ctx context.Context, id int64) error {
	u, err := scanUser(t.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "用户不存在")
	}
	if err != nil {
		return err
	}
	if err := inScope(t.actor.Scope(), u.RegionCode); err != nil {
		return err
	}
	if u.ID == t.actor.UserID && u.Username == t.actor.Username {
		return errs.E(errs.Conflict, "不能停用自己的账号")
	}
	if u.Role != access.RoleAdmin {
		return nil
	}
	rows, err := t.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = $2 AND disabled = $3 ORDER BY id`+t.s.engine.forUpdate(),
		u.RegionCode, access.RoleAdmin, false)
	if err != nil {
		return err
	}
	defer rows.Close()
	others, enabled := 0, false
	for rows.Next() {
		var aid int64
		if err := rows.Scan(&aid); err != nil {
			return err
		}
		if aid == u.ID {
			enabled = true
		} else {
			others++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if enabled && others == 0 {
		return errs.E(errs.Conflict, "“%s”是本地区（%s）最后一个启用的系统管理员，不能停用", u.Username, u.RegionCode)
	}
	return nil
}

func (t *tx) endSessions(ctx context.Context, userID int64) error {
	_, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// ResetPassword sets a new password for a user in the actor's scope (an
// administrator's act: the user forgot it), lifts a lock and ends the
// user's sessions. Audited without the password, of course.
func (s *Store) ResetPassword(ctx context.Context, actor access.Principal, id int64, password string) error {
	u, err := s.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	if err := inScope(actor.Scope(), u.RegionCode); err != nil {
		return err
	}
	if err := access.ValidatePassword("password", password, u.Username); err != nil {
		return err
	}
	hash := access.HashPassword(password) // slow: outside the transaction
	return s.write(ctx, actor, func(t *tx) error {
		before, err := t.userForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3`,
			hash, t.now, id); err != nil {
			return err
		}
		if err := t.endSessions(ctx, id); err != nil {
			return err
		}
		after := before
		after.FailedLogins, after.LockedUntil, after.UpdatedAt = 0, nil, t.now
		return t.audit(ctx, "user.password_reset", "user", id, before.RegionCode, before, after)
	})
}

// UnlockUser lifts the failed-login lock of a user in the actor's scope.
func (s *Store) UnlockUser(ctx context.Context, actor access.Principal, id int64) error {
	return s.write(ctx, actor, func(t *tx) error {
		before, err := t.userForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = $1 WHERE id = $2`, t.now, id); err != nil {
			return err
		}
		after := before
		after.FailedLogins, after.LockedUntil, after.UpdatedAt = 0, nil, t.now
		return t.audit(ctx, "user.unlock", "user", id, before.RegionCode, before, after)
	})
}
