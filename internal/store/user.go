package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

const userCols = "id, username, display_name, kind, role, region_code, password_hash, failed_logins, locked_until, disabled, last_login_at, created_at, updated_at"

// scanUser scans userCols, then any extra columns selected after them.
func scanUser(r interface{ Scan(...any) error }, extra ...any) (access.User, error) {
	var u access.User
	var locked, last sql.NullTime
	err := r.Scan(append([]any{&u.ID, &u.Username, &u.DisplayName, &u.Kind, &u.Role, &u.RegionCode, &u.PasswordHash,
		&u.FailedLogins, &locked, &u.Disabled, &last, &u.CreatedAt, &u.UpdatedAt}, extra...)...)
	if locked.Valid {
		u.LockedUntil = &locked.Time
	}
	if last.Valid {
		u.LastLoginAt = &last.Time
	}
	return u, err
}

// CreateUser adds a staff user within the actor's scope.
func (s *Store) CreateUser(ctx context.Context, actor access.Principal, n access.NewUser) (access.User, error) {
	u, err := newUser(n)
	if err != nil {
		return u, err
	}
	err = s.write(ctx, actor, func(t *tx) error { return t.createUser(ctx, &u) })
	return u, err
}

// newUser validates the input and hashes the password, outside any
// transaction: argon2 is deliberately slow.
func newUser(n access.NewUser) (access.User, error) {
	if err := n.Validate(); err != nil {
		return access.User{}, err
	}
	return access.User{Username: n.Username, DisplayName: n.DisplayName, Kind: access.KindStaff, Role: n.Role,
		RegionCode: n.RegionCode, PasswordHash: access.HashPassword(n.Password)}, nil
}

func (t *tx) createUser(ctx context.Context, u *access.User) error {
	if err := mayGrant(t.actor, u.Role); err != nil {
		return err
	}
	if err := t.checkRegion(ctx, "region_code", u.RegionCode); err != nil {
		return err
	}
	var c int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&c); err != nil {
		return err
	}
	if c > 0 {
		return &errs.Error{Kind: errs.Conflict, Message: "用户名已存在",
			Fields: []errs.FieldError{{Field: "username", Code: "username_taken", Message: "用户名“" + u.Username + "”已存在"}}}
	}
	u.CreatedAt, u.UpdatedAt = t.now, t.now
	if err := t.QueryRowContext(ctx, `INSERT INTO users (username, display_name, kind, role, region_code, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, u.Username, u.DisplayName, u.Kind, u.Role, u.RegionCode,
		u.PasswordHash, u.CreatedAt, u.UpdatedAt).Scan(&u.ID); err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	return t.audit(ctx, "user.create", "user", u.ID, u.RegionCode, nil, u)
}

// FindUsers lists the users in scope by username.
func (s *Store) FindUsers(ctx context.Context, scope access.Scope) ([]access.User, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users WHERE region_code >= $1 AND region_code < $2 ORDER BY region_code, username`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	defer rows.Close()
	var out []access.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindUserByID returns a user.
func (s *Store) FindUserByID(ctx context.Context, id int64) (access.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.E(errs.NotFound, "用户不存在")
	}
	return u, err
}

// Session is a signed-in browser or API client.
type Session struct {
	User      access.User
	CSRFToken string
	ExpiresAt time.Time
	Flash     string // the success message to show once on the next page ("" for none)
}

// FindSession resolves a session token; expired or unknown tokens and
// disabled users are Unauth.
func (s *Store) FindSession(ctx context.Context, token string) (Session, error) {
	var sess Session
	row := s.db.QueryRowContext(ctx, `SELECT `+prefixed("u.", userCols)+`, s.csrf_token, s.expires_at, s.flash
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash(token))
	u, err := scanUser(row, &sess.CSRFToken, &sess.ExpiresAt, &sess.Flash)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!s.now().Before(sess.ExpiresAt) || u.Disabled) {
		return Session{}, errs.E(errs.Unauth, "请先登录")
	}
	sess.User = u
	return sess, err
}

// SetFlash keeps msg with the session, to be shown once by the next page
// (the back office's success message after a change and its redirect).
// It is no audited change: the change it reports was audited.
func (s *Store) SetFlash(ctx context.Context, token, msg string) error {
	if _, err := s.exec(ctx, `UPDATE sessions SET flash = $1 WHERE token_hash = $2`, msg, tokenHash(token)); err != nil {
		return fmt.Errorf("store: set flash: %w", err)
	}
	return nil
}

// ClearFlash removes the session's message once a page has shown it. The
// guard on the message leaves a newer one, set in the meantime by another
// tab's change, for the next page.
func (s *Store) ClearFlash(ctx context.Context, token, shown string) error {
	if _, err := s.exec(ctx, `UPDATE sessions SET flash = '' WHERE token_hash = $1 AND flash = $2`, tokenHash(token), shown); err != nil {
		return fmt.Errorf("store: clear flash: %w", err)
	}
	return nil
}

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	sess, err := s.FindSession(ctx, token)
	if err != nil {
		return nil // already gone
	}
	return s.write(ctx, sess.User.Principal(), func(t *tx) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
			return err
		}
		return t.audit(ctx, "user.logout", "user", sess.User.ID, sess.User.RegionCode, nil, nil)
	})
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ChangePassword sets a user's own password after checking the current
// one, and ends the user's other sessions.
func (s *Store) ChangePassword(ctx context.Context, actor access.Principal, current, next, keepToken string) error {
	u, err := s.FindUserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if !access.CheckPassword(u.PasswordHash, current) {
		return errs.Field("current", "password_wrong", "当前密码不正确")
	}
	if err := access.ValidatePassword("password", next, u.Username); err != nil {
		return err
	}
	if next == current {
		return errs.Field("password", "password_same", "新密码不能与当前密码相同")
	}
	hash := access.HashPassword(next)
	return s.write(ctx, actor, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, t.now, u.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, u.ID, tokenHash(keepToken)); err != nil {
			return err
		}
		return t.audit(ctx, "user.password", "user", u.ID, u.RegionCode, nil, nil)
	})
}

// prefixed qualifies each column of a comma-separated list.
func prefixed(prefix, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, c := range parts {
		parts[i] = prefix + c
	}
	return strings.Join(parts, ", ")
}

// SweepSessions deletes the sessions that expired before now and returns
// how many. Expired sessions already open nothing (FindSession refuses
// them); the periodic sweep keeps the table small between logins.
func (s *Store) SweepSessions(ctx context.Context) (int64, error) {
	n, err := s.exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, s.now().UTC())
	if err != nil {
		return 0, fmt.Errorf("store: sweep sessions: %w", err)
	}
	return n, nil
}
