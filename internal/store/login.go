package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// errBadLogin is the one answer to a refused login, whatever the reason —
// unknown user, wrong password, locked or disabled account — unless the
// password is right: a caller must not learn which usernames exist.
var errBadLogin = errs.E(errs.Unauth, "用户名或密码错误")

// cst is China Standard Time, for messages.
var cst = time.FixedZone("CST", 8*3600)

// Login checks a password under the lock-out policy and opens a session,
// returning its token. It is LoginFrom without a source address.
func (s *Store) Login(ctx context.Context, username, password string, pol access.LockPolicy, ttl time.Duration) (string, Session, error) {
	return s.LoginFrom(ctx, "", username, password, pol, ttl)
}

// LoginFrom checks a password coming from source (the client address; ""
// when unknown) and opens a session. Attempts are counted before any
// password is checked, in one statement each: per source address and
// window (pol.SourceLimit), then per account. So parallel attempts each
// consume one, and at most pol.MaxFailures passwords of an account are
// ever compared before it locks. Every refusal looks the same
// (errBadLogin) unless the password is right; a source over its limit is
// Locked for everyone alike.
func (s *Store) LoginFrom(ctx context.Context, source, username, password string, pol access.LockPolicy, ttl time.Duration) (string, Session, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	window := pol.SourceWindowStart(now)
	if err := s.countSource(ctx, source, window, pol); err != nil {
		return "", Session{}, err
	}
	u, err := s.countAttempt(ctx, username, now)
	if errors.Is(err, sql.ErrNoRows) {
		access.CheckPassword(access.DummyHash(), password) // same cost as a real check
		return "", Session{}, errBadLogin
	}
	if err != nil {
		return "", Session{}, err
	}
	if err := s.checkAttempt(ctx, u, password, now, pol); err != nil {
		return "", Session{}, err
	}
	return s.openSession(ctx, u, source, window, ttl)
}

// countSource adds one attempt to the source's window and refuses when the
// window is full. Successful logins give their attempt back.
func (s *Store) countSource(ctx context.Context, source string, window time.Time, pol access.LockPolicy) error {
	if source == "" {
		return nil
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `INSERT INTO login_attempts (source, window_start, attempts) VALUES ($1, $2, 1)
		ON CONFLICT (source, window_start) DO UPDATE SET attempts = login_attempts.attempts + 1 RETURNING attempts`,
		source, window).Scan(&n); err != nil {
		return fmt.Errorf("store: count login attempt: %w", err)
	}
	if n > pol.SourceLimit() {
		s.log.Warn("login throttled", "source", source, "attempts", n)
		return errs.E(errs.Locked, "该地址登录失败次数过多，请%d分钟后再试", int(pol.SourceWindow().Minutes()))
	}
	return nil
}

// countAttempt adds one attempt to the account and returns the row as it
// is after: one statement, so concurrent attempts each see their own
// count. An expired lock is lifted by the same statement, the attempt
// then counting as the first; while a lock holds, nothing is counted
// (nothing can succeed either).
func (s *Store) countAttempt(ctx context.Context, username string, now time.Time) (access.User, error) {
	return scanUser(s.db.QueryRowContext(ctx, `UPDATE users SET
		failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 WHEN locked_until <= $2 THEN 1 ELSE failed_logins END,
		locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN NULL ELSE locked_until END
		WHERE username = $1 RETURNING `+userCols, username, now))
}

// checkAttempt decides a counted attempt. Attempts beyond the limit are
// refused without comparing the password (the hashing work is still spent
// on a dummy, so timing says nothing either).
func (s *Store) checkAttempt(ctx context.Context, u access.User, password string, now time.Time, pol access.LockPolicy) error {
	if u.FailedLogins > pol.MaxFailures {
		access.CheckPassword(access.DummyHash(), password)
		if u.Locked(now) {
			return errBadLogin
		}
		return s.lock(ctx, u, pol) // the attempt that should have locked it has not yet
	}
	right := access.CheckPassword(u.PasswordHash, password)
	switch {
	case !right && u.Locked(now) || !right && u.Disabled:
		return errBadLogin
	case !right:
		return s.loginFailed(ctx, u, pol)
	case u.Disabled:
		return errs.E(errs.Unauth, "账号已停用，请联系系统管理员")
	case u.Locked(now):
		return errs.E(errs.Locked, "登录失败次数过多，账号已锁定至%s", u.LockedUntil.In(cst).Format("15:04"))
	}
	return nil
}

// loginFailed audits a checked wrong password, locking the account when
// it was the last one allowed.
func (s *Store) loginFailed(ctx context.Context, u access.User, pol access.LockPolicy) error {
	if u.FailedLogins >= pol.MaxFailures {
		return s.lock(ctx, u, pol)
	}
	err := s.write(ctx, u.Principal(), func(t *tx) error {
		return t.audit(ctx, "user.login_failed", "user", u.ID, u.RegionCode, nil, map[string]int{"failed_logins": u.FailedLogins})
	})
	if err != nil {
		return err
	}
	return errBadLogin
}

// lock locks the account for pol.LockFor unless a concurrent attempt did
// already, and answers like any other refusal.
func (s *Store) lock(ctx context.Context, u access.User, pol access.LockPolicy) error {
	err := s.write(ctx, u.Principal(), func(t *tx) error {
		until := t.now.Add(pol.LockFor)
		res, err := t.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2 AND locked_until IS NULL`, until, u.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return t.audit(ctx, "user.locked", "user", u.ID, u.RegionCode, nil, map[string]any{"locked_until": until})
	})
	if err != nil {
		return err
	}
	return errBadLogin
}

// openSession resets the account's counter, gives the source its attempt
// back and opens the session.
func (s *Store) openSession(ctx context.Context, u access.User, source string, window time.Time, ttl time.Duration) (string, Session, error) {
	token := access.NewToken()
	sess := Session{User: u, CSRFToken: access.NewToken()}
	sess.User.FailedLogins, sess.User.LockedUntil = 0, nil
	err := s.write(ctx, u.Principal(), func(t *tx) error {
		sess.ExpiresAt, sess.User.LastLoginAt = t.now.Add(ttl), &t.now
		if _, err := t.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1`, u.ID, t.now); err != nil {
			return err
		}
		if source != "" {
			if _, err := t.ExecContext(ctx, `UPDATE login_attempts SET attempts = attempts - 1 WHERE source = $1 AND window_start = $2 AND attempts > 0`, source, window); err != nil {
				return err
			}
		}
		// Expired sessions and past windows are useless; each login sweeps them away.
		if _, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM login_attempts WHERE window_start < $1`, window); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			tokenHash(token), u.ID, sess.CSRFToken, t.now, sess.ExpiresAt); err != nil {
			return err
		}
		return t.audit(ctx, "user.login", "user", u.ID, u.RegionCode, nil, nil)
	})
	return token, sess, err
}
