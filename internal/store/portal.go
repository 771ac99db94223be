package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
)

// The portal's accounts: one per worker or employer, found by the keyed
// hash of the ID number or credit code (never the plain value), activated
// with a one-time code issued at the window. Logins and activations are
// counted like staff logins (LoginFrom): per source address in
// login_attempts, then on the account in one statement, before any
// password or code is compared.

// The portal's account kinds.
const (
	PortalWorker   = "worker"
	PortalEmployer = "employer"
)

// PortalCodeTTL is how long an activation code may be used.
const PortalCodeTTL = 30 * 24 * time.Hour

// portalCodeAlphabet has no letters or digits people confuse (0 O, 1 I L).
const portalCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// portalCodeLen is the length of an activation code (about 49 bits).
const portalCodeLen = 10

// errPortalBadLogin is the one answer to a refused portal login, whatever
// the reason, unless the password is right.
var errPortalBadLogin = errs.E(errs.Unauth, "证件号码或密码错误")

// errPortalBadCode is the one answer to a refused activation, whatever the
// reason (unknown number, wrong, expired or used code), unless the code is right.
var errPortalBadCode = errs.E(errs.Unauth, "证件号码或激活码不正确，或激活码已过期、已使用，请到经办窗口重新获取")

// PortalAccount is a worker's or an employer's portal account.
type PortalAccount struct {
	ID           int64
	Kind         string // PortalWorker or PortalEmployer
	WorkerID     int64
	EmployerID   int64
	Name         string // the worker's or employer's name
	RegionCode   string // the worker's or employer's region
	PasswordHash string
	CodeHash     []byte
	CodeExpires  *time.Time
	FailedLogins int
	LockedUntil  *time.Time
	Disabled     bool
	LastLoginAt  *time.Time
}

// Principal is the acting identity of the account.
func (a PortalAccount) Principal() access.Principal {
	p := access.Principal{UserID: a.ID, Username: "portal-" + strconv.FormatInt(a.ID, 10), Name: a.Name, RegionCode: a.RegionCode}
	if a.Kind == PortalEmployer {
		p.Kind, p.EmployerID = access.KindEmployer, a.EmployerID
	} else {
		p.Kind, p.WorkerID = access.KindWorker, a.WorkerID
	}
	return p
}

// Locked reports whether failed attempts have locked the account at now.
func (a PortalAccount) Locked(now time.Time) bool {
	return a.LockedUntil != nil && now.Before(*a.LockedUntil)
}

// PortalSession is a signed-in worker or employer.
type PortalSession struct {
	Account   PortalAccount
	CSRFToken string
	ExpiresAt time.Time
}

const portalCols = `id, kind, COALESCE(worker_id, 0), COALESCE(employer_id, 0), password_hash, code_hash, code_expires_at,
	failed_logins, locked_until, disabled, last_login_at`

func scanPortal(r interface{ Scan(...any) error }, extra ...any) (PortalAccount, error) {
	var a PortalAccount
	var exp, locked, last sql.NullTime
	err := r.Scan(append([]any{&a.ID, &a.Kind, &a.WorkerID, &a.EmployerID, &a.PasswordHash, &a.CodeHash, &exp,
		&a.FailedLogins, &locked, &a.Disabled, &last}, extra...)...)
	for _, x := range []struct {
		v *sql.NullTime
		p **time.Time
	}{{&exp, &a.CodeExpires}, {&locked, &a.LockedUntil}, {&last, &a.LastLoginAt}} {
		if x.v.Valid {
			t := x.v.Time
			*x.p = &t
		}
	}
	return a, err
}

// portalKey is the login key of an ID number (worker) or credit code
// (employer): the same keyed hash as workers.id_hash.
func (s *Store) portalKey(kind, login string) ([]byte, error) {
	switch kind {
	case PortalWorker:
		return s.pii.Hash(registry.NormalizeIDNumber(login)), nil
	case PortalEmployer:
		return s.pii.Hash(strings.ToUpper(strings.TrimSpace(login))), nil
	}
	return nil, errs.Field("kind", "unknown", "请选择职工或用人单位")
}

// codeHash is the keyed hash an activation code is kept as.
func (s *Store) codeHash(code string) []byte {
	return s.pii.Hash("portal-code:" + NormalizePortalCode(code))
}

// NormalizePortalCode reads a code as people type it: any case, with
// spaces or dashes between its groups.
func NormalizePortalCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// newPortalCode draws a code from portalCodeAlphabet.
func newPortalCode() string {
	b := make([]byte, portalCodeLen)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = portalCodeAlphabet[int(b[i])%len(portalCodeAlphabet)]
	}
	return string(b)
}

// IssuePortalCode gives a worker or employer (kind PortalWorker or
// PortalEmployer, id) in the actor's scope a one-time activation code for
// the portal, valid PortalCodeTTL and replacing any earlier one; an
// active account keeps its password until the code is used (the code then
// sets a new one). Only the code's keyed hash is kept: the caller shows
// the code once. Audited as portal.code, without the code.
func (s *Store) IssuePortalCode(ctx context.Context, actor access.Principal, kind string, id int64) (string, error) {
	if (actor.Kind != access.KindStaff && actor.Kind != access.KindSystem) || !actor.Can(access.PermCaseOpen) {
		return "", errs.E(errs.Forbidden, "您的角色不能生成网上办理激活码")
	}
	var key []byte
	var region string
	var err error
	switch kind {
	case PortalWorker:
		err = s.db.QueryRowContext(ctx, `SELECT id_hash, region_code FROM workers WHERE id = $1`, id).Scan(&key, &region)
	case PortalEmployer:
		var code string
		err = s.db.QueryRowContext(ctx, `SELECT credit_code, region_code FROM employers WHERE id = $1`, id).Scan(&code, &region)
		key, _ = s.portalKey(PortalEmployer, code)
	default:
		return "", errs.Field("kind", "unknown", "请选择职工或用人单位")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.E(errs.NotFound, "记录不存在")
	}
	if err != nil {
		return "", fmt.Errorf("store: portal code: %w", err)
	}
	if err := inScope(actor.Scope(), region); err != nil {
		return "", err
	}
	code := newPortalCode()
	err = s.write(ctx, actor, func(t *tx) error {
		expires := t.now.Add(PortalCodeTTL)
		var wid, eid any
		if kind == PortalWorker {
			wid = id
		} else {
			eid = id
		}
		var account int64
		if err := t.QueryRowContext(ctx, `INSERT INTO portal_accounts (kind, worker_id, employer_id, login_key, code_hash, code_expires_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT (kind, login_key) DO UPDATE SET code_hash = excluded.code_hash, code_expires_at = excluded.code_expires_at,
				updated_at = excluded.updated_at, version = portal_accounts.version + 1 RETURNING id`,
			kind, wid, eid, key, s.codeHash(code), expires, t.now).Scan(&account); err != nil {
			return fmt.Errorf("store: portal code: %w", err)
		}
		return t.audit(ctx, "portal.code", kind, id, region, nil, map[string]any{"account_id": account, "expires_at": expires})
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

// countPortalAttempt adds one attempt to the account of key and returns it
// as it is after, in one statement (see countAttempt).
func (s *Store) countPortalAttempt(ctx context.Context, kind string, key []byte, now time.Time) (PortalAccount, error) {
	a, err := scanPortal(s.db.QueryRowContext(ctx, `UPDATE portal_accounts SET
		failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins + 1 WHEN locked_until <= $3 THEN 1 ELSE failed_logins END,
		locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= $3 THEN NULL ELSE locked_until END
		WHERE kind = $1 AND login_key = $2 RETURNING `+portalCols, kind, key, now))
	if err != nil {
		return a, err
	}
	return a, s.portalIdentity(ctx, &a)
}

// portalIdentity fills the account's name and region from the registry.
func (s *Store) portalIdentity(ctx context.Context, a *PortalAccount) error {
	q := `SELECT name, region_code FROM workers WHERE id = $1`
	id := a.WorkerID
	if a.Kind == PortalEmployer {
		q, id = `SELECT name, region_code FROM employers WHERE id = $1`, a.EmployerID
	}
	if err := s.db.QueryRowContext(ctx, q, id).Scan(&a.Name, &a.RegionCode); err != nil {
		return fmt.Errorf("store: portal account identity: %w", err)
	}
	return nil
}

// portalCounted counts one attempt of the source and then of the account
// named by kind and login. sql.ErrNoRows: no such account (the caller
// spends a dummy check and answers like any refusal).
func (s *Store) portalCounted(ctx context.Context, source, kind, login string, pol access.LockPolicy) (PortalAccount, time.Time, time.Time, error) {
	now := s.now().UTC().Truncate(time.Microsecond)
	window := pol.SourceWindowStart(now)
	key, err := s.portalKey(kind, login)
	if err != nil {
		return PortalAccount{}, now, window, err
	}
	if err := s.countSource(ctx, source, window, pol); err != nil {
		return PortalAccount{}, now, window, err
	}
	a, err := s.countPortalAttempt(ctx, kind, key, now)
	return a, now, window, err
}

// PortalLogin checks a worker's (ID number) or employer's (credit code)
// password from source under the lock-out policy and opens a portal
// session, returning its token. Attempts are counted before any check,
// as LoginFrom does for staff; every refusal looks the same unless the
// password is right.
func (s *Store) PortalLogin(ctx context.Context, source, kind, login, password string, pol access.LockPolicy, ttl time.Duration) (string, PortalSession, error) {
	a, now, window, err := s.portalCounted(ctx, source, kind, login, pol)
	if errors.Is(err, sql.ErrNoRows) {
		access.CheckPassword(access.DummyHash(), password)
		return "", PortalSession{}, errPortalBadLogin
	}
	if err != nil {
		return "", PortalSession{}, err
	}
	if err := s.checkPortalAttempt(ctx, a, now, pol, func() bool { return checkHash(a.PasswordHash, password) }, errPortalBadLogin); err != nil {
		return "", PortalSession{}, err
	}
	return s.openPortalSession(ctx, a, source, window, ttl)
}

// checkHash compares pw with an argon2id hash; an account without a
// password yet costs what a real check does and fails.
func checkHash(hash, pw string) bool {
	if hash == "" {
		access.CheckPassword(access.DummyHash(), pw)
		return false
	}
	return access.CheckPassword(hash, pw)
}

// checkPortalAttempt decides a counted attempt: right reports whether the
// secret (password or code) is right; refused is the one answer to a
// refusal. Attempts beyond the limit compare nothing.
func (s *Store) checkPortalAttempt(ctx context.Context, a PortalAccount, now time.Time, pol access.LockPolicy, right func() bool, refused error) error {
	if a.FailedLogins > pol.MaxFailures {
		access.CheckPassword(access.DummyHash(), "")
		if a.Locked(now) {
			return refused
		}
		return s.lockPortal(ctx, a, pol, refused)
	}
	ok := right()
	switch {
	case !ok && (a.Locked(now) || a.Disabled):
		return refused
	case !ok:
		return s.portalFailed(ctx, a, pol, refused)
	case a.Disabled:
		return errs.E(errs.Unauth, "账号已停用，请到经办窗口咨询")
	case a.Locked(now):
		return errs.E(errs.Locked, "失败次数过多，账号已锁定至%s", a.LockedUntil.In(cst).Format("15:04"))
	}
	return nil
}

// portalFailed audits a checked wrong secret, locking the account when it
// was the last one allowed.
func (s *Store) portalFailed(ctx context.Context, a PortalAccount, pol access.LockPolicy, refused error) error {
	if a.FailedLogins >= pol.MaxFailures {
		return s.lockPortal(ctx, a, pol, refused)
	}
	err := s.write(ctx, a.Principal(), func(t *tx) error {
		return t.audit(ctx, "portal.login_failed", "portal_account", a.ID, a.RegionCode, nil, map[string]int{"failed_logins": a.FailedLogins})
	})
	if err != nil {
		return err
	}
	return refused
}

// lockPortal locks the account for pol.LockFor unless a concurrent
// attempt did already.
func (s *Store) lockPortal(ctx context.Context, a PortalAccount, pol access.LockPolicy, refused error) error {
	err := s.write(ctx, a.Principal(), func(t *tx) error {
		until := t.now.Add(pol.LockFor)
		res, err := t.ExecContext(ctx, `UPDATE portal_accounts SET failed_logins = 0, locked_until = $1 WHERE id = $2 AND locked_until IS NULL`, until, a.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return t.audit(ctx, "portal.locked", "portal_account", a.ID, a.RegionCode, nil, map[string]any{"locked_until": until})
	})
	if err != nil {
		return err
	}
	return refused
}

// giveBack returns a successful attempt's count to its source.
func (t *tx) giveBack(ctx context.Context, source string, window time.Time) error {
	if source == "" {
		return nil
	}
	_, err := t.ExecContext(ctx, `UPDATE login_attempts SET attempts = attempts - 1 WHERE source = $1 AND window_start = $2 AND attempts > 0`, source, window)
	return err
}

// openPortalSession resets the account's counter and opens a session.
func (s *Store) openPortalSession(ctx context.Context, a PortalAccount, source string, window time.Time, ttl time.Duration) (string, PortalSession, error) {
	token := access.NewToken()
	sess := PortalSession{Account: a, CSRFToken: access.NewToken()}
	sess.Account.FailedLogins, sess.Account.LockedUntil = 0, nil
	err := s.write(ctx, a.Principal(), func(t *tx) error {
		sess.ExpiresAt, sess.Account.LastLoginAt = t.now.Add(ttl), &t.now
		if _, err := t.ExecContext(ctx, `UPDATE portal_accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1`, a.ID, t.now); err != nil {
			return err
		}
		if err := t.giveBack(ctx, source, window); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM portal_sessions WHERE expires_at <= $1`, t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO portal_sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			tokenHash(token), a.ID, sess.CSRFToken, t.now, sess.ExpiresAt); err != nil {
			return err
		}
		return t.audit(ctx, "portal.login", "portal_account", a.ID, a.RegionCode, nil, nil)
	})
	return token, sess, err
}

// ActivatePortal sets the password of the account named by kind and login
// (ID number or credit code) with its one-time code, from source: counted
// like a login; the code works once and until it expires. The password
// follows the staff policy (access.ValidatePassword).
func (s *Store) ActivatePortal(ctx context.Context, source, kind, login, code, password string, pol access.LockPolicy) error {
	if err := access.ValidatePassword("password", password, ""); err != nil {
		return err
	}
	if strings.TrimSpace(login) != "" && strings.Contains(strings.ToUpper(password), strings.ToUpper(strings.TrimSpace(login))) {
		return errs.Field("password", "password_username", "密码不能包含证件号码")
	}
	a, now, window, err := s.portalCounted(ctx, source, kind, login, pol)
	if errors.Is(err, sql.ErrNoRows) {
		return errPortalBadCode
	}
	if err != nil {
		return err
	}
	want := s.codeHash(code)
	right := func() bool {
		return a.CodeHash != nil && a.CodeExpires != nil && now.Before(*a.CodeExpires) && subtle.ConstantTimeCompare(a.CodeHash, want) == 1
	}
	if err := s.checkPortalAttempt(ctx, a, now, pol, right, errPortalBadCode); err != nil {
		return err
	}
	// Hashed only for a right code (an unknown number and a wrong code
	// cost the same), and outside the transaction: argon2 is slow.
	hash := access.HashPassword(password)
	return s.write(ctx, a.Principal(), func(t *tx) error {
		res, err := t.ExecContext(ctx, `UPDATE portal_accounts SET password_hash = $1, code_hash = NULL, code_expires_at = NULL,
			failed_logins = 0, locked_until = NULL, updated_at = $2, version = version + 1 WHERE id = $3 AND code_hash = $4`, hash, t.now, a.ID, want)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, errPortalBadCode) // used by a concurrent activation
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM portal_sessions WHERE account_id = $1`, a.ID); err != nil {
			return err
		}
		if err := t.giveBack(ctx, source, window); err != nil {
			return err
		}
		return t.audit(ctx, "portal.activate", "portal_account", a.ID, a.RegionCode, nil, nil)
	})
}

// FindPortalSession resolves a portal session token; expired or unknown
// tokens and disabled accounts are Unauth. A staff session token is no
// portal token (another table).
func (s *Store) FindPortalSession(ctx context.Context, token string) (PortalSession, error) {
	var sess PortalSession
	row := s.db.QueryRowContext(ctx, `SELECT a.id, a.kind, COALESCE(a.worker_id, 0), COALESCE(a.employer_id, 0), a.password_hash, a.code_hash,
		a.code_expires_at, a.failed_logins, a.locked_until, a.disabled, a.last_login_at, s.csrf_token, s.expires_at
		FROM portal_sessions s JOIN portal_accounts a ON a.id = s.account_id WHERE s.token_hash = $1`, tokenHash(token))
	a, err := scanPortal(row, &sess.CSRFToken, &sess.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (!s.now().Before(sess.ExpiresAt) || a.Disabled) {
		return PortalSession{}, errs.E(errs.Unauth, "请先登录")
	}
	if err != nil {
		return PortalSession{}, fmt.Errorf("store: portal session: %w", err)
	}
	if err := s.portalIdentity(ctx, &a); err != nil {
		return PortalSession{}, err
	}
	sess.Account = a
	return sess, nil
}

// PortalLogout ends a portal session.
func (s *Store) PortalLogout(ctx context.Context, token string) error {
	sess, err := s.FindPortalSession(ctx, token)
	if err != nil {
		return nil // already gone
	}
	return s.write(ctx, sess.Account.Principal(), func(t *tx) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM portal_sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
			return err
		}
		return t.audit(ctx, "portal.logout", "portal_account", sess.Account.ID, sess.Account.RegionCode, nil, nil)
	})
}

// ChangePortalPassword sets the signed-in account's password after
// checking the current one, and ends its other sessions.
func (s *Store) ChangePortalPassword(ctx context.Context, actor access.Principal, current, next, keepToken string) error {
	if actor.Kind != access.KindWorker && actor.Kind != access.KindEmployer {
		return errs.E(errs.Forbidden, "仅网上办理账号可以在此修改密码")
	}
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM portal_accounts WHERE id = $1`, actor.UserID).Scan(&hash); err != nil {
		return s.translate(err)
	}
	if !checkHash(hash, current) {
		return errs.Field("current", "password_wrong", "当前密码不正确")
	}
	if err := access.ValidatePassword("password", next, ""); err != nil {
		return err
	}
	if next == current {
		return errs.Field("password", "password_same", "新密码不能与当前密码相同")
	}
	newHash := access.HashPassword(next)
	return s.write(ctx, actor, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `UPDATE portal_accounts SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3`, newHash, t.now, actor.UserID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM portal_sessions WHERE account_id = $1 AND token_hash <> $2`, actor.UserID, tokenHash(keepToken)); err != nil {
			return err
		}
		return t.audit(ctx, "portal.password", "portal_account", actor.UserID, actor.RegionCode, nil, nil)
	})
}

// PortalParty is a counterpart a portal user may apply with: a worker's
// employer, or an employer's worker.
type PortalParty struct {
	ID     int64
	Name   string
	Detail string // the employment's period (worker) or the masked ID number (employer)
}

// PortalParties lists a worker's employers, or an employer's workers, for
// the portal's application form; newest employment first.
func (s *Store) PortalParties(ctx context.Context, p access.Principal) ([]PortalParty, error) {
	var q string
	var arg int64
	switch p.Kind {
	case access.KindWorker:
		q, arg = `SELECT e.id, e.name, m.start_date, COALESCE(m.end_date, '') FROM employments m JOIN employers e ON e.id = m.employer_id
			WHERE m.worker_id = $1 ORDER BY m.start_date DESC, m.id DESC LIMIT 200`, p.WorkerID
	case access.KindEmployer:
		q, arg = `SELECT w.id, w.name, w.id_masked, '' FROM employments m JOIN workers w ON w.id = m.worker_id
			WHERE m.employer_id = $1 ORDER BY m.start_date DESC, m.id DESC LIMIT 200`, p.EmployerID
	default:
		return nil, errs.E(errs.Forbidden, "仅网上办理账号可用")
	}
	rows, err := s.db.QueryContext(ctx, q, arg)
	if err != nil {
		return nil, fmt.Errorf("store: portal parties: %w", err)
	}
	defer rows.Close()
	var out []PortalParty
	for rows.Next() {
		var pp PortalParty
		var a, b string
		if err := rows.Scan(&pp.ID, &pp.Name, &a, &b); err != nil {
			return nil, err
		}
		switch {
		case p.Kind == access.KindEmployer:
			pp.Detail = a
		case b == "":
			pp.Detail = a + "起"
		default:
			pp.Detail = a + "至" + b
		}
		if !slices.ContainsFunc(out, func(x PortalParty) bool { return x.ID == pp.ID }) {
			out = append(out, pp)
		}
	}
	return out, rows.Err()
}

// SubmitCorrection records that the applicant has supplied every material
// a correction notice listed (casebundle.ActCorrected): refused, naming
// what is still missing, until each listed material has an uploaded file
// in the case. version is the service version the caller saw (nil: any).
func (s *Store) SubmitCorrection(ctx context.Context, actor access.Principal, set *param.Set, caseID, serviceID int64, version *int64) (casebundle.Case, error) {
	c, err := s.FindCase(ctx, actor, caseID)
	if err != nil {
		return c, err
	}
	svc := c.ServiceByID(serviceID)
	if svc == nil {
		return c, errs.E(errs.NotFound, "该案件没有这项业务")
	}
	if missing, err := s.StillMissing(ctx, &c, svc); err != nil || len(missing) > 0 {
		if err != nil {
			return c, err
		}
		return c, errs.Field("files", "missing", "尚未上传：%s", casebundle.MaterialNames(missing))
	}
	out, _, err := s.ActOnCase(ctx, actor, set, caseID, serviceID, casebundle.Action{Name: casebundle.ActCorrected, Version: version})
	return out, err
}

// StillMissing lists the materials of svc's correction notice with no
// uploaded file in the case yet.
func (s *Store) StillMissing(ctx context.Context, c *casebundle.Case, svc *casebundle.Service) ([]string, error) {
	files, err := s.CaseFiles(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range svc.Detail.Missing {
		if !slices.ContainsFunc(files, func(f CaseFile) bool { return f.Material == m }) {
			out = append(out, m)
		}
	}
	return out, nil
}
