package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/registry"
)

// Bulk is a batch of new registry records that refer to each other by
// position, for imports, the demo and benchmarks.
type Bulk struct {
	Employers   []registry.Employer
	Workers     []registry.Worker
	Employments []BulkEmployment
	Wages       []BulkWage
}

// BulkEmployment links Workers[Worker] to an employer: Employers[Employer]
// when EmployerID is 0, else the existing employer EmployerID.
type BulkEmployment struct {
	Worker, Employer int
	EmployerID       int64
	Start, End       string
}

// BulkWage is a month's wage of Workers[Worker] (or the existing
// WorkerID) paid by Employers[Employer] (or the existing EmployerID). A wage
// already recorded for the same worker, employer and month is corrected.
type BulkWage struct {
	Worker, Employer int
	WorkerID         int64
	EmployerID       int64
	Region           string // the existing worker's region, for the audit
	Period           string
	AmountFen        int64
}

// LoadOptions tune LoadBulk.
type LoadOptions struct {
	// AuditEach appends one audit entry per created employer and worker
	// (imports by staff). Otherwise one summary entry records the batch
	// (the demo and benchmarks).
	AuditEach bool
	Action    string // summary action, e.g. "demo.load"

	// Users are created in the same transaction, and MetaKey is set to
	// MetaValue last, so a crash leaves either everything or nothing.
	Users              []access.NewUser
	MetaKey, MetaValue string
}

// LoadBulk validates nothing: callers validate rows first (the importer
// reports bad rows by line). It inserts everything in one transaction, in
// multi-row statements, and fills in the new IDs.
func (s *Store) LoadBulk(ctx context.Context, actor access.Principal, b *Bulk, opt LoadOptions) error {
	users := make([]access.User, len(opt.Users))
	for i, n := range opt.Users {
		u, err := newUser(n)
		if err != nil {
			return err
		}
		users[i] = u
	}
	err := s.write(ctx, actor, func(t *tx) error {
		if err := t.bulkInsert(ctx, b); err != nil {
			return err
		}
		if err := t.auditLoad(ctx, b, opt); err != nil {
			return err
		}
		for i := range users {
			if err := t.createUser(ctx, &users[i]); err != nil {
				return err
			}
		}
		if opt.MetaKey == "" {
			return nil
		}
		return setMeta(ctx, t, opt.MetaKey, opt.MetaValue)
	})
	if err == nil {
		s.analyzeIfLarge(ctx, b)
	}
	return err
}

func (t *tx) auditLoad(ctx context.Context, b *Bulk, opt LoadOptions) error {
	if opt.AuditEach {
		return t.auditBulk(ctx, b)
	}
	summary := map[string]int{"employers": len(b.Employers), "workers": len(b.Workers),
		"employments": len(b.Employments), "wages": len(b.Wages)}
	return t.audit(ctx, opt.Action, "batch", 0, t.actor.RegionCode, nil, summary)
}

// bulkInsert writes employers, workers, then the links between them. A
// large batch on SQLite is indexed for the search box in one pass
// (bulkIndexed) instead of row by row.
func (t *tx) bulkInsert(ctx context.Context, b *Bulk) error {
	rows := func() error {
		if err := t.bulkEmployers(ctx, b.Employers); err != nil {
			return err
		}
		return t.bulkWorkers(ctx, b.Workers)
	}
	var err error
	if t.s.engine == SQLite && len(b.Employers)+len(b.Workers) >= bulkIndexAfter {
		err = t.bulkIndexed(ctx, rows)
	} else {
		err = rows()
	}
	if err != nil {
		return err
	}
	return t.bulkLinks(ctx, b)
}

func (t *tx) bulkEmployers(ctx context.Context, es []registry.Employer) error {
	index := make(map[string]int, len(es))
	for i := range es {
		index[es[i].CreditCode] = i
	}
	row := func(i int) []any {
		es[i].CreatedAt, es[i].UpdatedAt = t.now, t.now
		return t.s.employerRow(&es[i])
	}
	return t.insertReturning(ctx, "employers", employerCols[1:], len(es), row, "credit_code", func(id int64, key any) error {
		i, ok := index[key.(string)]
		if !ok {
			return fmt.Errorf("store: bulk employers: unexpected key")
		}
		es[i].ID = id
		return nil
	})
}

func (t *tx) bulkWorkers(ctx context.Context, ws []registry.Worker) error {
	index := make(map[string]int, len(ws))
	row := func(i int) []any {
		ws[i].CreatedAt, ws[i].UpdatedAt = t.now, t.now
		r := t.s.workerRow(&ws[i])
		index[string(r[0].([]byte))] = i // the id_hash, to map ids back
		return r
	}
	return t.insertReturning(ctx, "workers", workerCols[1:], len(ws), row, "id_hash", func(id int64, key any) error {
		i, ok := index[string(key.([]byte))]
		if !ok {
			return fmt.Errorf("store: bulk workers: unexpected key")
		}
		ws[i].ID = id
		return nil
	})
}

// insertReturning inserts rows in multi-row statements and reports each new
// id with its natural key. The key maps ids back, since neither engine
// promises RETURNING rows in VALUES order.
func (t *tx) insertReturning(ctx context.Context, table string, cols []string, n int, row rowFunc, key string, got func(int64, any) error) error {
	return chunks(len(cols), n, row, func(count int, args []any) error {
		rs, err := t.QueryContext(ctx, t.s.engine.insertSQL(table, cols, count)+" RETURNING id, "+key, args...)
		if err != nil {
			return fmt.Errorf("store: bulk %s: %w", table, err)
		}
		defer rs.Close()
		for rs.Next() {
			var id int64
			var k any
			if err := rs.Scan(&id, &k); err != nil {
				return err
			}
			if err := got(id, k); err != nil {
				return err
			}
		}
		return rs.Close()
	})
}

func (t *tx) bulkLinks(ctx context.Context, b *Bulk) error {
	employer := func(i int, id int64) int64 {
		if id != 0 {
			return id
		}
		return b.Employers[i].ID
	}
	emp := func(i int) []any {
		e := b.Employments[i]
		var end any
		if e.End != "" {
			end = e.End
		}
		return []any{b.Workers[e.Worker].ID, employer(e.Employer, e.EmployerID), e.Start, end, t.now}
	}
	if err := t.insertMany(ctx, "employments", []string{"worker_id", "employer_id", "start_date", "end_date", "created_at"}, len(b.Employments), emp, ""); err != nil {
		return fmt.Errorf("store: bulk employments: %w", err)
	}
	wage := func(i int) []any {
		w := b.Wages[i]
		worker := w.WorkerID
		if worker == 0 {
			worker = b.Workers[w.Worker].ID
		}
		return []any{worker, employer(w.Employer, w.EmployerID), w.Period, w.AmountFen}
	}
	if err := t.insertMany(ctx, "wages", []string{"worker_id", "employer_id", "period", "amount_fen"}, len(b.Wages), wage,
		"ON CONFLICT (worker_id, period, employer_id) DO UPDATE SET amount_fen = excluded.amount_fen"); err != nil {
		return fmt.Errorf("store: bulk wages: %w", err)
	}
	return nil
}

func (t *tx) auditBulk(ctx context.Context, b *Bulk) error {
	cs := make([]change, 0, len(b.Employers)+len(b.Workers))
	for _, e := range b.Employers {
		cs = append(cs, change{"employer.create", "employer", strconv.FormatInt(e.ID, 10), e.RegionCode, nil, e.Masked()})
	}
	for _, w := range b.Workers {
		cs = append(cs, change{"worker.create", "worker", strconv.FormatInt(w.ID, 10), w.RegionCode, nil, w.Masked()})
	}
	for _, w := range b.Wages {
		if w.WorkerID == 0 {
			continue // part of a new worker's record
		}
		cs = append(cs, change{"wage.record", "worker", strconv.FormatInt(w.WorkerID, 10), w.Region, nil,
			registry.Wage{WorkerID: w.WorkerID, EmployerID: w.EmployerID, Period: w.Period, AmountFen: w.AmountFen}})
	}
	return t.auditMany(ctx, cs)
}

// ExistingKeys reports which keys are registered already: credit codes
// when employers is true, else ID numbers (through their keyed hash). A
// key is unique province-wide, so the check ignores scope. Keys are looked
// up in IN-lists of a few hundred, not one query each.
func (s *Store) ExistingKeys(ctx context.Context, employers bool, keys []string) (map[string]bool, error) {
	found := map[string]bool{}
	col, table := "id_hash", "workers"
	if employers {
		col, table = "credit_code", "employers"
	}
	byArg := map[string]string{}
	for len(keys) > 0 {
		n := min(500, len(keys))
		args := make([]any, n)
		for i, k := range keys[:n] {
			if employers {
				args[i] = k
			} else {
				h := s.pii.Hash(k)
				byArg[string(h)] = k
				args[i] = h
			}
		}
		rows, err := s.db.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s IN (%s)`, col, table, col, s.engine.placeholders(n)), args...)
		if err != nil {
			return nil, fmt.Errorf("store: existing keys: %w", err)
		}
		for rows.Next() {
			var v []byte
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return nil, err
			}
			if employers {
				found[string(v)] = true
			} else {
				found[byArg[string(v)]] = true
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return found, nil
}

// placeholders returns n bind markers for an IN-list.
func (e Engine) placeholders(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString(e.param(i))
	}
	return b.String()
}

// analyzeAfter is the batch size from which a load refreshes the planner's
// statistics: after a large import the planner otherwise keeps the plans it
// chose for near-empty tables.
const analyzeAfter = 5000

// Analyze refreshes planner statistics (and, with vacuum on PostgreSQL,
// the visibility map that index-only counts rely on). It runs outside any
// transaction.
func (s *Store) Analyze(ctx context.Context, vacuum bool) error {
	q := "ANALYZE"
	if vacuum && s.engine == Postgres {
		q = "VACUUM ANALYZE"
	}
	_, err := s.db.ExecContext(ctx, q)
	return err
}

func (s *Store) analyzeIfLarge(ctx context.Context, b *Bulk) {
	if b == nil || len(b.Workers)+len(b.Employers)+len(b.Wages) < analyzeAfter {
		return
	}
	if err := s.Analyze(ctx, false); err != nil {
		s.log.Warn("analyze after bulk load", "error", err)
	}
}

// Employed reports which (worker, employer) pairs have an employment.
func (s *Store) Employed(ctx context.Context, pairs [][2]int64) (map[[2]int64]bool, error) {
	out := map[[2]int64]bool{}
	for _, p := range pairs {
		if _, done := out[p]; done {
			continue
		}
		ok, err := employed(ctx, s.db, p[0], p[1])
		if err != nil {
			return nil, err
		}
		out[p] = ok
	}
	return out, nil
}
