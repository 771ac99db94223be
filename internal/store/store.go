// Package store keeps gongshang's records in SQLite (embedded, the default)
// or PostgreSQL (production) behind one domain-shaped API. SQL is written
// once with $n placeholders, which both drivers bind; where the engines
// differ the difference is a named seam on Engine. Public methods own their
// transaction; private functions take a querier. Every change is appended to
// the audit log inside the same transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/blob"
	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// Engine names the SQL engine behind a store.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the one storage handle.
type Store struct {
	db     *sql.DB
	engine Engine
	pii    *pii.Codec
	now    func() time.Time
	log    *slog.Logger

	listenPool *pgxpool.Pool          // PostgreSQL: River's LISTEN connection
	jobs       *river.Client[*sql.Tx] // inserts jobs inside write transactions
	auditKey   audit.Key
	appendOne  *sql.Stmt     // one unsealed audit entry
	regions    sync.Map      // region codes known to exist (regions are never deleted)
	eachBatch  int           // rows per batch of Each*, 0 for eachBatch (tests set it)
	files      blob.Store    // uploaded materials and issued letters, by SHA-256
	books      bookCache     // the work-injury catalogues in memory
	ruleCache  settingsCache // the rule base's settings, for the real-time rules
	writers    chan struct{} // SQLite: this process's write transactions, one at a time (beginWrite)
	group      *committer    // SQLite: runs write's transactions, several under one commit (group.go)
}

// Options configure Open.
type Options struct {
	DataKey  string           // base64 AES-256 key for personal data
	AuditKey string           // base64 key sealing the audit log and signing its checkpoints
	Now      func() time.Time // injected clock; time.Now when nil
	Logger   *slog.Logger
	// Files keeps case materials and letters (content-addressed); without
	// it uploads and letters are refused. Several processes over one
	// database must share it (one folder, or an object store later).
	Files blob.Store
}

// Open connects to url (a SQLite file path, "file:" URI, or postgres://
// URL), applies pending migrations and loads the region reference data.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	codec, err := pii.New(opt.DataKey)
	if err != nil {
		return nil, err
	}
	auditKey, err := audit.ParseKey(opt.AuditKey)
	if err != nil {
		return nil, err
	}
	s := &Store{pii: codec, auditKey: auditKey, now: opt.Now, log: opt.Logger, files: opt.Files}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.engine, s.db, err = connect(url); err != nil {
		return nil, err
	}
	if s.engine == SQLite {
		s.writers = make(chan struct{}, 1)
		s.group = newCommitter(s)
	}
	if s.engine == Postgres {
		if s.listenPool, err = listenPool(url); err != nil {
			s.db.Close()
			return nil, err
		}
	}
	if err := s.newJobInserter(); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect %s: %w", s.engine, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	s.warnTrigramLocale(ctx)
	if err := s.sealEmployerPhones(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.loadRegions(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.appendOne, err = s.db.PrepareContext(ctx, s.engine.appendSQL()); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: prepare audit append: %w", err)
	}
	return s, nil
}

func connect(url string) (Engine, *sql.DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return "", nil, fmt.Errorf("store: %w", err)
		}
		// pgx prepares every statement; after five runs PostgreSQL may
		// switch to one generic plan for all parameter values, and a
		// generic plan cannot tell one employer's ten workers from a
		// county's ten thousand (measured: 13 ms instead of 0.3 ms).
		if _, set := cfg.RuntimeParams["plan_cache_mode"]; !set {
			cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
		}
		db := stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		return Postgres, db, nil
	}
	db := openSQLite(sqliteDSN(url))
	// WAL lets readers run beside the one writer; synchronous=FULL syncs
	// the WAL at every commit, so a power cut loses no committed change
	// (NORMAL may lose the last ones); _txlock=immediate takes the write
	// lock at BEGIN so two writers queue on busy_timeout instead of failing
	// at their first write; foreign keys are off by default in SQLite and
	// must be switched on per connection.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	return SQLite, db, nil
}

func sqliteDSN(path string) string {
	path = strings.TrimPrefix(strings.TrimPrefix(path, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate&_time_format=sqlite"
}

// Close releases the connections.
func (s *Store) Close() error {
	if s.group != nil {
		s.group.close()
	}
	if s.listenPool != nil {
		s.listenPool.Close()
	}
	if s.appendOne != nil {
		s.appendOne.Close()
	}
	return s.db.Close()
}

// Engine reports which engine the store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Ping checks the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// DB exposes the handle for metrics and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// PII exposes the codec so callers can hash search input.
func (s *Store) PII() *pii.Codec { return s.pii }

// querier is satisfied by *sql.DB and *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx is a write transaction with its moment and actor fixed at the start,
// so every row and audit entry it writes agrees on both.
type tx struct {
	*sql.Tx
	s     *Store
	now   time.Time
	actor access.Principal
	// grouped: the transaction is shared with other writes (SQLite's
	// group commit). Its statements then ignore the caller's context
	// ending: SQLite interrupts a statement whose context ends and rolls
	// back the whole transaction with it — every write of the group.
	grouped bool
}

// ctx is the context t's statements run with.
func (t *tx) ctx(ctx context.Context) context.Context {
	if t.grouped {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

// ExecContext, QueryContext and QueryRowContext are *sql.Tx's with t.ctx.
func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.Tx.ExecContext(t.ctx(ctx), query, args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.Tx.QueryContext(t.ctx(ctx), query, args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.Tx.QueryRowContext(t.ctx(ctx), query, args...)
}

// write runs fn in a transaction and commits if it returns nil.
// On SQLite the committer runs it, perhaps in a group with others under
// one commit (group.go); write returns after the commit either way. fn
// must not call write itself: it would wait for its own group.
func (s *Store) write(ctx context.Context, actor access.Principal, fn func(*tx) error) error {
	if s.group != nil {
		return s.group.write(ctx, actor, fn)
	}
	sqlTx, release, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer release()
	t := &tx{Tx: sqlTx, s: s, now: s.now().UTC().Truncate(time.Microsecond), actor: actor}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return s.translate(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return s.translate(fmt.Errorf("store: commit: %w", err))
	}
	return nil
}

// exec runs one unaudited housekeeping statement (sessions, nonces, a
// rendered file's hash) as a write, and returns the rows it changed: on
// SQLite through the committer like every change, since a statement
// beside it would wait for the lock in busy_timeout's sleeps.
func (s *Store) exec(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, access.System, func(t *tx) error {
		res, err := t.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// beginWrite begins a write transaction; release after its commit or
// rollback. On SQLite the process's writers first queue here, in arrival
// order, for the one write lock: BEGIN IMMEDIATE waiting in busy_timeout
// polls with sleeps of up to 100 ms, so under 16 hospitals at once the
// lock sat free while waiters slept and 2304's p99 reached 300–470 ms
// (bench settle). A writer of another process still waits in
// busy_timeout.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, func(), error) {
	release := func() {}
	if s.writers != nil {
		select {
		case s.writers <- struct{}{}:
		case <-ctx.Done():
			return nil, release, ctx.Err()
		}
		release = func() { <-s.writers }
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		release()
		return nil, func() {}, err
	}
	return tx, release, nil
}

// translate turns engine constraint errors into the error vocabulary.
func (s *Store) translate(err error) error {
	if err == nil || errs.KindOf(err) != "" {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &errs.Error{Kind: errs.Conflict, Message: "记录已存在（" + pe.ConstraintName + "）"}
		case "23503":
			return &errs.Error{Kind: errs.Invalid, Message: "引用的记录不存在（" + pe.ConstraintName + "）"}
		}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &errs.Error{Kind: errs.Conflict, Message: "记录已存在"}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &errs.Error{Kind: errs.Invalid, Message: "引用的记录不存在"}
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "记录不存在")
	}
	return err
}

// uniqueOn reports whether err is a unique violation of a constraint on
// column (PostgreSQL names it table_column_key; SQLite says table.column).
func uniqueOn(err error, column string) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" && strings.Contains(pe.ConstraintName, "_"+column+"_")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE && strings.Contains(se.Error(), "."+column)
	}
	return false
}

// inScope refuses an object outside the actor's region subtree.
func inScope(scope access.Scope, region string) error {
	if !scope.Covers(region) {
		return errs.E(errs.Forbidden, "无权访问其他地区（%s）的数据", regionLabel(region))
	}
	return nil
}

// Page is a window into a list.
type Page struct {
	Offset int
	Limit  int
}

// normalize clamps the window to 1–200 rows.
func (p Page) normalize() Page {
	if p.Limit <= 0 || p.Limit > 200 {
		p.Limit = 50
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// loadRegions inserts the embedded region list (idempotent).
func (s *Store) loadRegions(ctx context.Context) error {
	regions, err := registry.Regions()
	if err != nil {
		return err
	}
	for _, r := range regions {
		var parent any
		if r.Parent != "" {
			parent = r.Parent
		}
		if _, err := s.db.ExecContext(ctx,
			`INSERT INTO regions (code, name, parent, level) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING`,
			r.Code, r.Name, parent, r.Level); err != nil {
			return fmt.Errorf("store: load region %s: %w", r.Code, err)
		}
	}
	return nil
}

// Regions lists the regions inside scope, ordered by code.
func (s *Store) Regions(ctx context.Context, scope access.Scope) ([]registry.Region, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx,
		`SELECT code, name, COALESCE(parent, ''), level FROM regions WHERE code >= $1 AND code < $2 ORDER BY code`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: regions: %w", err)
	}
	defer rows.Close()
	var out []registry.Region
	for rows.Next() {
		var r registry.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Parent, &r.Level); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// regionExists reports whether code is a known region. A code found once
// is remembered: no statement deletes a region (and the foreign keys on
// region_code would refuse a row of one that vanished), so only an unknown
// code, which another process may have added since, is looked up again.
func (s *Store) regionExists(ctx context.Context, q querier, code string) (bool, error) {
	if _, ok := s.regions.Load(code); ok {
		return true, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code = $1`, code).Scan(&n)
	if err == nil && n > 0 {
		s.regions.Store(code, struct{}{})
	}
	return n > 0, err
}

// Meta reads a value from the meta table ("" when absent).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, q querier, key, value string) error {
	_, err := q.ExecContext(ctx,
		`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// regionTables names, per object kind that routes address by id, the
// table holding its region.
var regionTables = map[string]string{"employer": "employers", "worker": "workers", "user": "users", "case": "cases",
	"institution": "institutions", "filing": "filings",
	"encounter": "encounters", "settlement": "settlements", "finding": "settlement_findings", "statement": "clearing_statements",
	"payroll_cycle": "payroll_cycles", "payroll_line": "payroll_lines", "payroll_batch": "payroll_batches", "entitlement": "entitlements",
	"payroll_adjustment": "payroll_adjustments", "payroll_recovery": "payroll_recoveries",
	"audit_scan": "audit_scans", "lead": "audit_findings",
	"campaign": "audit_campaigns", "visit": "audit_visits", "field_finding": "audit_field_findings",
	"evidence": "audit_evidence", "inspector": "audit_inspectors", "audit_letter": "audit_letters",
	"prevention_expert": "prevention_experts", "prevention_courseware": "prevention_courseware",
	"prevention_plan": "prevention_plans", "prevention_change": "prevention_changes",
	"training_session": "prevention_sessions", "training_archive": "prevention_archive", "training_payment": "prevention_payments",
	"training_project": "prevention_projects"}

// OwnersOf describes whom an object belongs to, for the one check every
// route with an {id} goes through (access.Principal.MaySee): its region,
// and the worker and employers it concerns. A worker's employers take a
// second query, read only when the viewer is an employer, the one kind
// that decides by them. NotFound when there is no such object.
func (s *Store) OwnersOf(ctx context.Context, viewer access.Kind, kind string, id int64) (access.Owners, error) {
	table, ok := regionTables[kind]
	if !ok {
		return access.Owners{}, fmt.Errorf("store: OwnersOf: unknown kind %q", kind)
	}
	var o access.Owners
	err := s.db.QueryRowContext(ctx, `SELECT region_code FROM `+table+` WHERE id = $1`, id).Scan(&o.Region)
	if errors.Is(err, sql.ErrNoRows) {
		return o, errs.E(errs.NotFound, "记录不存在")
	}
	if err != nil {
		return o, fmt.Errorf("store: owners of %s: %w", kind, err)
	}
	switch kind {
	case "case":
		var emp int64
		err = s.db.QueryRowContext(ctx, `SELECT worker_id, employer_id FROM cases WHERE id = $1`, id).Scan(&o.WorkerID, &emp)
		o.EmployerIDs = []int64{emp}
	case "encounter", "settlement", "finding", "statement":
		err = s.settleOwners(ctx, kind, id, &o)
	case "employer":
		o.EmployerIDs = []int64{id}
	case "institution":
		o.InstitutionID = id
	case "filing":
		err = s.db.QueryRowContext(ctx, `SELECT worker_id FROM filings WHERE id = $1`, id).Scan(&o.WorkerID)
	case "payroll_line", "entitlement", "payroll_recovery":
		err = s.db.QueryRowContext(ctx, `SELECT worker_id FROM `+table+` WHERE id = $1`, id).Scan(&o.WorkerID)
	case "prevention_expert", "prevention_courseware":
		// the city's pool: its counties' staff read it too
		o.Regions, err = s.countiesOf(ctx, o.Region)
	case "worker":
		o.WorkerID = id
		if viewer == access.KindEmployer {
			o.EmployerIDs, err = s.employersOf(ctx, id)
		}
	}
	return o, err
}

// countiesOf lists the regions whose parent is code.
func (s *Store) countiesOf(ctx context.Context, code string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code FROM regions WHERE parent = $1 ORDER BY code`, code)
	if err != nil {
		return nil, fmt.Errorf("store: counties of %s: %w", code, err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var c string
		err := r.Scan(&c)
		return c, err
	})
}

// employersOf lists the employers a worker has worked for.
func (s *Store) employersOf(ctx context.Context, workerID int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT employer_id FROM employments WHERE worker_id = $1 ORDER BY employer_id`, workerID)
	if err != nil {
		return nil, fmt.Errorf("store: employers of worker: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetMeta records a key in the meta table (demo markers and the like).
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return setMeta(ctx, s.db, key, value)
}
