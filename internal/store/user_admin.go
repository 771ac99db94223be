package store

import (
	"context"
	"database/sql"
	"errors"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

// regionNames maps the embedded region codes (those the store loads) to
// their names, for messages.
var regionNames = registry.RegionNames()

// regionLabel names a region in a message: 曲阜市, or the code itself
// when it is no region.
func regionLabel(code string) string {
	if n, ok := regionNames[code]; ok {
		return n
	}
	return code
}

// permissions lists every staff permission, to compare two roles.
var permissions = []access.Permission{access.PermRegistryRead, access.PermRegistryWrite, access.PermRegistryImport,
	access.PermPersonalData, access.PermAuditRead, access.PermUsersManage, access.PermParamsRead, access.PermParamsManage,
	access.PermBenefitCalc}

// mayGrant refuses giving a role that holds a permission the actor lacks
// (a role above the actor's own).
func mayGrant(actor access.Principal, role access.Role) error {
	for _, p := range permissions {
		if role.Can(p) && !actor.Can(p) {
			return errs.Field("role", "role_above", "无权授予角色“%s”：它的权限超出您自己的角色", role.Name())
		}
	}
	return nil
}

// AssignUser changes the role and region of a user in the actor's scope
// (an administrator's act), audited as user.role with the user before and
// after. The new region must exist and lie in the actor's scope, the role
// must not be above the actor's, the actor cannot change themself, and the
// last enabled administrator of a region can be neither demoted nor moved
// away (mayRemoveAdmin, which locks the region's administrators first, so
// two administrators demoting each other at once cannot both succeed on
// PostgreSQL). Changing nothing is no error and writes nothing.
func (s *Store) AssignUser(ctx context.Context, actor access.Principal, id int64, role access.Role, region string) error {
	if !role.Valid() {
		return errs.Field("role", "role_unknown", "角色“%s”无效", role)
	}
	if err := mayGrant(actor, role); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		cur, err := scanUser(t.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "用户不存在")
		}
		if err != nil {
			return err
		}
		if err := inScope(actor.Scope(), cur.RegionCode); err != nil {
			return err
		}
		if cur.ID == actor.UserID && cur.Username == actor.Username {
			return errs.E(errs.Conflict, "不能修改自己的角色或地区")
		}
		ok, err := t.s.regionExists(ctx, t, region)
		if err != nil {
			return err
		}
		if !ok {
			return errs.Field("region_code", "region_unknown", "行政区划代码“%s”不存在", region)
		}
		if !actor.Scope().Covers(region) {
			return errs.Field("region_code", "region_forbidden", "无权把用户调往其他地区（%s）", regionLabel(region))
		}
		if cur.Role == access.RoleAdmin && (role != access.RoleAdmin || region != cur.RegionCode) {
			if cur, err = t.mayRemoveAdmin(ctx, id, "降级或调离"); err != nil {
				return err
			}
		}
		before, err := t.userForUpdate(ctx, id) // as it is now that the locks are held
		if err != nil {
			return err
		}
		if movedOn(cur, before) {
			return errUserMoved()
		}
		if before.Role == role && before.RegionCode == region {
			return nil
		}
		after := before
		after.Role, after.RegionCode, after.UpdatedAt = role, region, t.now
		if _, err := t.ExecContext(ctx, `UPDATE users SET role = $1, region_code = $2, updated_at = $3 WHERE id = $4`,
			role, region, t.now, id); err != nil {
			return err
		}
		// The object's region is the new one; the entry is also listed in
		// the old region through the actor's, who is in both scopes.
		return t.audit(ctx, "user.role", "user", id, region, before, after)
	})
}

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
		var seen access.User
		if disabled {
			var err error
			if seen, err = t.mayRemoveAdmin(ctx, id, "停用"); err != nil {
				return err
			}
		}
		before, err := t.userForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if disabled && movedOn(seen, before) {
			return errUserMoved()
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
// it, or a change of role or region; verb names the act in the message)
// when it is the actor, or the last enabled administrator of its region. The region's enabled administrators are
// locked before the user's own row, always in id order, so two
// administrators disabling each other at once neither deadlock nor both
// pass on PostgreSQL: the second waits for the first, then sees one
// administrator fewer.
//
// It returns the user as read before the locks; the caller compares it
// with the row it then locks (movedOn): a user promoted to administrator
// in between was judged as what it no longer is.
func (t *tx) mayRemoveAdmin(ctx context.Context, id int64, verb string) (access.User, error) {
	u, err := scanUser(t.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.E(errs.NotFound, "用户不存在")
	}
	if err != nil {
		return u, err
	}
	if err := inScope(t.actor.Scope(), u.RegionCode); err != nil {
		return u, err
	}
	if u.ID == t.actor.UserID && u.Username == t.actor.Username {
		return u, errs.E(errs.Conflict, "不能%s自己的账号", verb)
	}
	if u.Role != access.RoleAdmin {
		return u, nil
	}
	rows, err := t.QueryContext(ctx, `SELECT id FROM users WHERE region_code = $1 AND role = $2 AND disabled = $3 ORDER BY id`+t.s.engine.forUpdate(),
		u.RegionCode, access.RoleAdmin, false)
	if err != nil {
		return u, err
	}
	defer rows.Close()
	others, enabled := 0, false
	for rows.Next() {
		var aid int64
		if err := rows.Scan(&aid); err != nil {
			return u, err
		}
		if aid == u.ID {
			enabled = true
		} else {
			others++
		}
	}
	if err := rows.Err(); err != nil {
		return u, err
	}
	if enabled && others == 0 {
		return u, errs.E(errs.Conflict, "“%s”是本地区（%s）最后一个启用的系统管理员，不能%s", u.Username, regionLabel(u.RegionCode), verb)
	}
	return u, nil
}

// errUserMoved answers a change of a user whose role, region or state
// changed while the change was being decided.
func errUserMoved() error {
	return errs.E(errs.Conflict, "该用户刚被他人修改，请刷新后重试")
}

// movedOn reports whether the locked row differs from the one a decision
// was made on in what the last-administrator rule looks at.
func movedOn(seen, locked access.User) bool {
	return seen.Role != locked.Role || seen.RegionCode != locked.RegionCode || seen.Disabled != locked.Disabled
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
	if u.ID == actor.UserID && u.Username == actor.Username {
		// One's own password changes with the current one (ChangePassword):
		// a borrowed session must not be enough to take the account over.
		return errs.E(errs.Conflict, "不能重置自己的密码，请在“修改密码”中修改")
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
