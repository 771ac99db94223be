package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

var workerCols = []string{"id", "id_hash", "id_enc", "id_masked", "name", "sex", "birth_date", "phone_enc",
	"phone_masked", "bank_name", "bank_enc", "bank_masked", "region_code", "created_at", "updated_at", "version"}

// workerListCols leave the sealed columns out: lists show masked data only.
const workerListCols = "id, id_masked, name, sex, birth_date, phone_masked, bank_name, bank_masked, region_code, created_at, updated_at, version"

func scanWorkerListed(r interface{ Scan(...any) error }) (registry.Worker, error) {
	var w registry.Worker
	err := r.Scan(&w.ID, &w.IDMasked, &w.Name, &w.Sex, &w.BirthDate, &w.PhoneMasked, &w.BankName,
		&w.BankAccountMasked, &w.RegionCode, &w.CreatedAt, &w.UpdatedAt, &w.Version)
	w.BirthYear = registry.BirthYearOf(w.BirthDate, 0)
	return w, err
}

// workerRow seals the personal data of w for an INSERT of workerCols[1:].
func (s *Store) workerRow(w *registry.Worker) []any {
	w.IDMasked, w.PhoneMasked, w.BankAccountMasked = pii.MaskID(w.IDNumber), pii.MaskPhone(w.Phone), pii.MaskAccount(w.BankAccount)
	if w.Version == 0 {
		w.Version = 1
	}
	return []any{s.pii.Hash(w.IDNumber), s.pii.Seal(w.IDNumber), w.IDMasked, w.Name, w.Sex, w.BirthDate,
		s.pii.Seal(w.Phone), w.PhoneMasked, w.BankName, s.pii.Seal(w.BankAccount), w.BankAccountMasked,
		w.RegionCode, w.CreatedAt, w.UpdatedAt, w.Version}
}

// CreateWorker validates and registers a worker, with a first employment
// period when emp is not nil. Returns Invalid, Forbidden or Conflict (the
// ID number is registered already).
func (s *Store) CreateWorker(ctx context.Context, actor access.Principal, w *registry.Worker, emp *registry.Employment) error {
	w.Normalize()
	var fs errs.Fields
	today := s.now()
	fs.Merge(w.Validate(today))
	if emp != nil {
		fs.Merge(emp.Validate(today))
	}
	if err := fs.Err(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		if err := t.createWorker(ctx, w); err != nil {
			return err
		}
		if emp == nil {
			return nil
		}
		emp.WorkerID = w.ID
		return t.createEmployment(ctx, emp, w.RegionCode)
	})
}

func (t *tx) createWorker(ctx context.Context, w *registry.Worker) error {
	if err := t.checkRegion(ctx, "region_code", w.RegionCode); err != nil {
		return err
	}
	w.CreatedAt, w.UpdatedAt = t.now, t.now
	id, err := t.insertAudited(ctx, "workers", workerCols[1:], t.s.workerRow(w), "worker.create", "worker", w.RegionCode,
		func(id int64) any { m := w.Masked(); m.ID = id; return m })
	if uniqueOn(err, "id_hash") {
		// The unique constraint decides, as for credit codes.
		return &errs.Error{Kind: errs.Conflict, Message: "该身份证号码的职工已登记",
			Fields: []errs.FieldError{{Field: "id_number", Code: "id_taken", Message: "身份证号码" + pii.MaskID(w.IDNumber) + "的职工已登记"}}}
	}
	if err != nil {
		return fmt.Errorf("store: create worker: %w", err)
	}
	w.ID = id
	return nil
}

// createEmployment records e for a worker of region.
func (t *tx) createEmployment(ctx context.Context, e *registry.Employment, region string) error {
	emp, err := findEmployer(ctx, t, nil, t.actor.Scope(), `id = $1`, e.EmployerID)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field("employer_id", "employer_unknown", "用人单位（编号%d）不存在或不在本地区", e.EmployerID)
	}
	if err != nil {
		return err
	}
	e.Employer = emp.Name
	var end any
	if e.End != "" {
		end = e.End
	}
	if err := t.QueryRowContext(ctx, `INSERT INTO employments (worker_id, employer_id, start_date, end_date, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, e.WorkerID, e.EmployerID, e.Start, end, t.now).Scan(&e.ID); err != nil {
		return fmt.Errorf("store: create employment: %w", err)
	}
	return t.audit(ctx, "employment.create", "employment", e.ID, region, nil, e)
}

// AddEmployment records a further employment period for a worker in scope.
func (s *Store) AddEmployment(ctx context.Context, actor access.Principal, e *registry.Employment) error {
	if err := e.Validate(s.now()); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		w, err := findWorker(ctx, t, t.s.pii, actor.Scope(), `id = $1`, e.WorkerID)
		if err != nil {
			return err
		}
		return t.createEmployment(ctx, e, w.RegionCode)
	})
}

// FindWorkerByID returns a worker in scope with personal data decrypted.
// Callers mask it for roles without access.PermPersonalData.
func (s *Store) FindWorkerByID(ctx context.Context, scope access.Scope, id int64) (registry.Worker, error) {
	return findWorker(ctx, s.db, s.pii, scope, `id = $1`, id)
}

// FindWorkerByIDNumber finds a worker by ID number through its keyed hash.
func (s *Store) FindWorkerByIDNumber(ctx context.Context, scope access.Scope, idNumber string) (registry.Worker, error) {
	return findWorker(ctx, s.db, s.pii, scope, `id_hash = $1`, s.pii.Hash(registry.NormalizeIDNumber(idNumber)))
}

func findWorker(ctx context.Context, q querier, codec *pii.Codec, scope access.Scope, where string, arg any) (registry.Worker, error) {
	var w registry.Worker
	var hash, idEnc, phoneEnc, bankEnc []byte
	err := q.QueryRowContext(ctx, `SELECT `+joinCols(workerCols)+` FROM workers WHERE `+where, arg).Scan(
		&w.ID, &hash, &idEnc, &w.IDMasked, &w.Name, &w.Sex, &w.BirthDate, &phoneEnc, &w.PhoneMasked,
		&w.BankName, &bankEnc, &w.BankAccountMasked, &w.RegionCode, &w.CreatedAt, &w.UpdatedAt, &w.Version)
	w.BirthYear = registry.BirthYearOf(w.BirthDate, 0)
	if errors.Is(err, sql.ErrNoRows) {
		return w, errs.E(errs.NotFound, "职工不存在")
	}
	if err != nil {
		return w, fmt.Errorf("store: find worker: %w", err)
	}
	if err := inScope(scope, w.RegionCode); err != nil {
		return registry.Worker{}, err
	}
	for _, f := range []struct {
		dst *string
		src []byte
	}{{&w.IDNumber, idEnc}, {&w.Phone, phoneEnc}, {&w.BankAccount, bankEnc}} {
		if *f.dst, err = codec.Open(f.src); err != nil {
			return w, err
		}
	}
	return w, nil
}

// WorkerFilter selects workers. Query is the search box (matchWorkers);
// the other fields narrow it: the region, an employer (ever employed by
// it), the sex, and the registration date range (civil dates in China
// Standard Time, both included). Sort is a key of WorkerSorts ("" is the
// list's own order), Desc its direction.
type WorkerFilter struct {
	Query      string
	RegionCode string
	EmployerID int64
	Sex        string // registry.SexNames key, "" for any
	From, To   string // YYYY-MM-DD, "" for open
	Sort       string
	Desc       bool
	Page
}

// workerWhere is the WHERE and ORDER BY of f in scope.
func (s *Store) workerWhere(scope access.Scope, f WorkerFilter) (*where, error) {
	w := newWhere(scope, f.RegionCode)
	s.matchWorkers(w, f.Query)
	if f.EmployerID > 0 {
		w.args = append(w.args, f.EmployerID)
		w.sql += fmt.Sprintf(" AND id IN (SELECT worker_id FROM employments WHERE employer_id = $%d)", len(w.args))
	}
	if f.Sex != "" {
		w.eq("sex", f.Sex)
	}
	for _, b := range []struct {
		field, date, op string
		days            int
	}{{"from", f.From, ">=", 0}, {"to", f.To, "<", 1}} {
		if b.date == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, b.date, cst)
		if err != nil {
			return nil, errs.Field(b.field, "date_format", "登记日期“%s”无效（格式YYYY-MM-DD）", b.date)
		}
		w.args = append(w.args, d.AddDate(0, 0, b.days).UTC())
		w.sql += fmt.Sprintf(" AND created_at %s $%d", b.op, len(w.args))
	}
	return w, w.sortBy(workerSorts, f.Sort, f.Desc)
}

// FindWorkers lists workers in scope, in the filter's order (by region,
// newest first, by default), masked, with the total.
func (s *Store) FindWorkers(ctx context.Context, scope access.Scope, f WorkerFilter) ([]registry.Worker, int, error) {
	f.Page = f.Page.normalize()
	w, err := s.workerWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+w.source("workers")+` WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count workers: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+workerListCols+` FROM `+w.source("workers")+` WHERE `+w.sql+w.page(w.order, f.Page), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: workers: %w", err)
	}
	defer rows.Close()
	var out []registry.Worker
	for rows.Next() {
		wk, err := scanWorkerListed(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, wk)
	}
	return out, total, rows.Err()
}

// EachWorker calls fn with every worker FindWorkers would list for f,
// all pages, in the same order, masked (sealed columns are not read),
// in batches after the last row (no OFFSET). It stops when ctx ends or
// fn fails, with that error.
func (s *Store) EachWorker(ctx context.Context, scope access.Scope, f WorkerFilter, fn func(registry.Worker) error) error {
	w, err := s.workerWhere(scope, f)
	if err != nil {
		return err
	}
	return eachRow(ctx, s.db, s.batch(), "workers", workerListCols, w, []string{"id"}, strings.Split(workerListCols, ", "),
		func(rows *sql.Rows, keys []any) error {
			wk, err := scanWorkerListed(keyScanner{rows, keys})
			if err != nil {
				return err
			}
			return fn(wk)
		})
}

func isIDLike(s string) bool {
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// UpdateWorker changes contact and bank data of a worker in scope, with
// the same version rule as UpdateEmployer.
func (s *Store) UpdateWorker(ctx context.Context, actor access.Principal, id int64, upd registry.WorkerUpdate) (registry.Worker, error) {
	var after registry.Worker
	err := s.retryStale(ctx, upd.Version != nil, func() error {
		return s.write(ctx, actor, func(t *tx) error {
			before, err := findWorker(ctx, t, t.s.pii, actor.Scope(), `id = $1`, id)
			if err != nil {
				return err
			}
			if err := checkVersion(upd.Version, before.Version); err != nil {
				return err
			}
			after = before
			upd.Apply(&after)
			after.Normalize()
			if err := after.Validate(t.now); err != nil {
				return err
			}
			after.UpdatedAt, after.Version = t.now, before.Version+1
			row := t.s.workerRow(&after)
			if err := t.updateVersioned(ctx, "workers", id, before.Version, `name = $3, phone_enc = $4, phone_masked = $5,
				bank_name = $6, bank_enc = $7, bank_masked = $8, updated_at = $9`,
				after.Name, row[6], after.PhoneMasked, after.BankName, row[9], after.BankAccountMasked, after.UpdatedAt); err != nil {
				return err
			}
			return t.audit(ctx, "worker.update", "worker", id, after.RegionCode, before.Masked(), after.Masked())
		})
	})
	return after, err
}

// Employments lists a worker's employment periods, newest first.
func (s *Store) Employments(ctx context.Context, scope access.Scope, workerID int64) ([]registry.Employment, error) {
	if _, err := findWorker(ctx, s.db, s.pii, scope, `id = $1`, workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.id, m.worker_id, m.employer_id, e.name, m.start_date, COALESCE(m.end_date, '')
		FROM employments m JOIN employers e ON e.id = m.employer_id WHERE m.worker_id = $1 ORDER BY m.start_date DESC, m.id DESC`, workerID)
	if err != nil {
		return nil, fmt.Errorf("store: employments: %w", err)
	}
	defer rows.Close()
	var out []registry.Employment
	for rows.Next() {
		var e registry.Employment
		if err := rows.Scan(&e.ID, &e.WorkerID, &e.EmployerID, &e.Employer, &e.Start, &e.End); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordWages upserts monthly contribution wages for a worker in scope.
func (s *Store) RecordWages(ctx context.Context, actor access.Principal, workerID int64, wages []registry.Wage) error {
	var fs errs.Fields
	for i := range wages {
		wages[i].WorkerID = workerID
		if err := wages[i].Validate(s.now()); err != nil {
			for _, f := range err.(*errs.Error).Fields {
				f.Field = fmt.Sprintf("wages[%d].%s", i, f.Field)
				fs = append(fs, f)
			}
		}
	}
	if err := fs.Err(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		wk, err := findWorker(ctx, t, t.s.pii, actor.Scope(), `id = $1`, workerID)
		if err != nil {
			return err
		}
		if err := t.checkEmployed(ctx, workerID, wages); err != nil {
			return err
		}
		for _, w := range wages {
			if _, err := t.ExecContext(ctx, `INSERT INTO wages (worker_id, employer_id, period, amount_fen) VALUES ($1, $2, $3, $4)
				ON CONFLICT (worker_id, period, employer_id) DO UPDATE SET amount_fen = excluded.amount_fen`,
				w.WorkerID, w.EmployerID, w.Period, w.AmountFen); err != nil {
				return fmt.Errorf("store: record wage: %w", err)
			}
		}
		return t.audit(ctx, "wage.record", "worker", workerID, wk.RegionCode, nil, wages)
	})
}

// Wages lists a worker's contribution wages, newest month first.
func (s *Store) Wages(ctx context.Context, scope access.Scope, workerID int64) ([]registry.Wage, error) {
	if _, err := findWorker(ctx, s.db, s.pii, scope, `id = $1`, workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT worker_id, employer_id, period, amount_fen FROM wages WHERE worker_id = $1 ORDER BY period DESC, employer_id`, workerID)
	if err != nil {
		return nil, fmt.Errorf("store: wages: %w", err)
	}
	defer rows.Close()
	var out []registry.Wage
	for rows.Next() {
		var w registry.Wage
		if err := rows.Scan(&w.WorkerID, &w.EmployerID, &w.Period, &w.AmountFen); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// employed reports whether the worker ever worked for the employer.
func employed(ctx context.Context, q querier, workerID, employerID int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM employments WHERE worker_id = $1 AND employer_id = $2`, workerID, employerID).Scan(&n)
	return n > 0, err
}

// checkEmployed requires every wage's employer to have employed the worker.
func (t *tx) checkEmployed(ctx context.Context, workerID int64, wages []registry.Wage) error {
	var fs errs.Fields
	for i, w := range wages {
		ok, err := employed(ctx, t, workerID, w.EmployerID)
		if err != nil {
			return err
		}
		if !ok {
			fs.Add(fmt.Sprintf("wages[%d].employer_id", i), "not_employed", "该职工与用人单位（编号%d）没有劳动关系，不能登记其缴费工资", w.EmployerID)
		}
	}
	return fs.Err()
}

// EndEmployment sets the end date of a current employment of a worker in
// the actor's scope.
func (s *Store) EndEmployment(ctx context.Context, actor access.Principal, workerID, employmentID int64, end string) error {
	return s.write(ctx, actor, func(t *tx) error {
		w, err := findWorker(ctx, t, t.s.pii, actor.Scope(), `id = $1`, workerID)
		if err != nil {
			return err
		}
		var before registry.Employment
		err = t.QueryRowContext(ctx, `SELECT id, worker_id, employer_id, start_date, COALESCE(end_date, '') FROM employments WHERE id = $1 AND worker_id = $2`,
			employmentID, workerID).Scan(&before.ID, &before.WorkerID, &before.EmployerID, &before.Start, &before.End)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "劳动关系不存在")
		}
		if err != nil {
			return err
		}
		if before.End != "" {
			return errs.Field("end", "employment_ended", "该劳动关系已于%s终止", before.End)
		}
		after := before
		after.End = end
		if err := after.Validate(t.now); err != nil {
			return err
		}
		// Guarded by end_date IS NULL: of two clerks ending the same
		// employment at once, the second finds it ended and is told so.
		res, err := t.ExecContext(ctx, `UPDATE employments SET end_date = $1 WHERE id = $2 AND end_date IS NULL`, end, employmentID)
		if err != nil {
			return fmt.Errorf("store: end employment: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errs.Field("end", "employment_ended", "该劳动关系已被他人终止，请刷新后查看")
		}
		return t.audit(ctx, "employment.end", "employment", employmentID, w.RegionCode, before, after)
	})
}
