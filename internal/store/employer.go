package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// employerCols: the contact phone is personal data, sealed like workers'
// phones (contact_phone_enc) and listed masked. The plain contact_phone
// column of 0001 stays empty since 0008 (sealEmployerPhones).
var employerCols = []string{"id", "credit_code", "name", "region_code", "industry", "risk_class",
	"rate_tier_pct", "contact_name", "contact_phone_enc", "contact_phone_masked", "address", "status", "created_at", "updated_at", "version"}

// scanEmployer scans employerCols, opening the sealed phone when codec is
// not nil; lists pass nil and show the masked phone only.
func scanEmployer(r interface{ Scan(...any) error }, codec *pii.Codec) (registry.Employer, error) {
	var e registry.Employer
	var phoneEnc []byte
	err := r.Scan(&e.ID, &e.CreditCode, &e.Name, &e.RegionCode, &e.Industry, &e.RiskClass,
		&e.RateTierPct, &e.ContactName, &phoneEnc, &e.ContactPhoneMasked, &e.Address, &e.Status, &e.CreatedAt, &e.UpdatedAt, &e.Version)
	if err != nil || codec == nil {
		return e, err
	}
	e.ContactPhone, err = codec.Open(phoneEnc)
	return e, err
}

// employerRow seals the contact phone of e for an INSERT of employerCols[1:].
func (s *Store) employerRow(e *registry.Employer) []any {
	e.ContactPhoneMasked = pii.MaskPhone(e.ContactPhone)
	if e.Version == 0 {
		e.Version = 1
	}
	return []any{e.CreditCode, e.Name, e.RegionCode, e.Industry, e.RiskClass, e.RateTierPct,
		e.ContactName, s.pii.Seal(e.ContactPhone), e.ContactPhoneMasked, e.Address, e.Status, e.CreatedAt, e.UpdatedAt, e.Version}
}

// CreateEmployer validates and registers an employer in the actor's scope.
// Returns Invalid (with fields), Forbidden or Conflict (credit code taken).
func (s *Store) CreateEmployer(ctx context.Context, actor access.Principal, e *registry.Employer) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error { return t.createEmployer(ctx, e) })
}

func (t *tx) createEmployer(ctx context.Context, e *registry.Employer) error {
	if err := t.checkRegion(ctx, "region_code", e.RegionCode); err != nil {
		return err
	}
	e.CreatedAt, e.UpdatedAt = t.now, t.now
	row := t.s.employerRow(e)
	id, err := t.insertAudited(ctx, "employers", employerCols[1:], row, "employer.create", "employer", e.RegionCode,
		func(id int64) any { m := e.Masked(); m.ID = id; return m })
	if uniqueOn(err, "credit_code") {
		return creditCodeTaken(e.CreditCode)
	}
	if err != nil {
		return fmt.Errorf("store: create employer: %w", err)
	}
	e.ID = id
	return nil
}

// checkRegion requires a known region inside the actor's scope.
func (t *tx) checkRegion(ctx context.Context, field, code string) error {
	ok, err := t.s.regionExists(ctx, t, code)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Field(field, "region_unknown", "行政区划代码“%s”不存在", code)
	}
	if !t.actor.Scope().Covers(code) {
		return errs.Field(field, "region_forbidden", "无权在其他地区（%s）登记", regionLabel(code))
	}
	return nil
}

// creditCodeTaken is the answer to a credit code already registered,
// which the unique constraint decides (a look-up first would only add a
// statement and still race with a concurrent registration).
func creditCodeTaken(code string) error {
	return &errs.Error{Kind: errs.Conflict, Message: "统一社会信用代码已登记",
		Fields: []errs.FieldError{{Field: "credit_code", Code: "usc_taken", Message: "统一社会信用代码“" + code + "”已登记"}}}
}

// FindEmployerByID returns the employer if it lies in scope: NotFound or
// Forbidden otherwise.
func (s *Store) FindEmployerByID(ctx context.Context, scope access.Scope, id int64) (registry.Employer, error) {
	return findEmployer(ctx, s.db, s.pii, scope, `id = $1`, id)
}

// FindEmployerByCreditCode looks an employer up by its credit code.
func (s *Store) FindEmployerByCreditCode(ctx context.Context, scope access.Scope, code string) (registry.Employer, error) {
	return findEmployer(ctx, s.db, s.pii, scope, `credit_code = $1`, code)
}

func findEmployer(ctx context.Context, q querier, codec *pii.Codec, scope access.Scope, where string, arg any) (registry.Employer, error) {
	e, err := scanEmployer(q.QueryRowContext(ctx, `SELECT `+joinCols(employerCols)+` FROM employers WHERE `+where, arg), codec)
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.E(errs.NotFound, "用人单位不存在")
	}
	if err != nil {
		return e, fmt.Errorf("store: find employer: %w", err)
	}
	return e, inScope(scope, e.RegionCode)
}

// EmployerFilter selects employers. Query is the search box
// (matchEmployers); the other fields narrow it; Sort is a key of
// EmployerSorts ("" is the list's own order), Desc its direction.
type EmployerFilter struct {
	Query      string
	RegionCode string // narrows the scope further
	Industry   string
	RiskClass  int    // 1–8, 0 for any
	Status     string // registry.EmployerActive…, "" for any
	Sort       string
	Desc       bool
	Page
}

// employerWhere is the WHERE and ORDER BY of f in scope.
func (s *Store) employerWhere(scope access.Scope, f EmployerFilter) (*where, error) {
	w := newWhere(scope, f.RegionCode)
	s.matchEmployers(w, f.Query)
	if f.Industry != "" {
		w.eq("industry", f.Industry)
	}
	if f.RiskClass != 0 {
		w.eq("risk_class", f.RiskClass)
	}
	if f.Status != "" {
		w.eq("status", f.Status)
	}
	return w, w.sortBy(employerSorts, f.Sort, f.Desc)
}

// FindEmployers lists employers in scope, in the filter's order (by
// region, newest first, by default), with the total.
func (s *Store) FindEmployers(ctx context.Context, scope access.Scope, f EmployerFilter) ([]registry.Employer, int, error) {
	f.Page = f.Page.normalize()
	w, err := s.employerWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM employers WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count employers: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+joinCols(employerCols)+` FROM employers WHERE `+w.sql+w.page(w.order, f.Page), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: employers: %w", err)
	}
	defer rows.Close()
	var out []registry.Employer
	for rows.Next() {
		e, err := scanEmployer(rows, nil)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// EachEmployer calls fn with every employer FindEmployers would list for
// f, all pages, in the same order, masked (the sealed phone is never
// opened), read in batches after the last row (no OFFSET). It stops when
// ctx ends or fn fails, with that error.
func (s *Store) EachEmployer(ctx context.Context, scope access.Scope, f EmployerFilter, fn func(registry.Employer) error) error {
	w, err := s.employerWhere(scope, f)
	if err != nil {
		return err
	}
	return eachRow(ctx, s.db, s.batch(), "employers", joinCols(employerCols), w, []string{"id", "credit_code"}, employerCols,
		func(rows *sql.Rows, keys []any) error {
			e, err := scanEmployer(keyScanner{rows, keys}, nil)
			if err != nil {
				return err
			}
			return fn(e)
		})
}

// UpdateEmployer applies upd to an employer in the actor's scope. A change
// that lost a race to another is re-read and re-applied; when upd names the
// version it was made from and that version is no longer current, it is
// refused with a Conflict ("已被他人修改").
func (s *Store) UpdateEmployer(ctx context.Context, actor access.Principal, id int64, upd registry.EmployerUpdate) (registry.Employer, error) {
	var after registry.Employer
	err := s.retryStale(ctx, upd.Version != nil, func() error {
		return s.write(ctx, actor, func(t *tx) error {
			before, err := findEmployer(ctx, t, s.pii, actor.Scope(), `id = $1`, id)
			if err != nil {
				return err
			}
			if err := checkVersion(upd.Version, before.Version); err != nil {
				return err
			}
			after = before
			upd.Apply(&after)
			after.Normalize()
			if err := after.Validate(); err != nil {
				return err
			}
			after.UpdatedAt, after.Version = t.now, before.Version+1
			after.ContactPhoneMasked = pii.MaskPhone(after.ContactPhone)
			if err := t.updateVersioned(ctx, "employers", id, before.Version, `name = $3, industry = $4, risk_class = $5,
				rate_tier_pct = $6, contact_name = $7, contact_phone_enc = $8, contact_phone_masked = $9, address = $10,
				status = $11, updated_at = $12`,
				after.Name, after.Industry, after.RiskClass, after.RateTierPct, after.ContactName, s.pii.Seal(after.ContactPhone),
				after.ContactPhoneMasked, after.Address, after.Status, after.UpdatedAt); err != nil {
				return err
			}
			return t.audit(ctx, "employer.update", "employer", id, after.RegionCode, before.Masked(), after.Masked())
		})
	})
	return after, err
}

// where builds a WHERE clause that always starts with the scope range.
type where struct {
	sql   string
	args  []any
	order string
	from  string // the rows to read when not the table itself (source)
}

// source is what the list reads from: table, or the derived table a match
// put in its place (named as the table, so every condition still applies).
func (w *where) source(table string) string {
	if w.from != "" {
		return w.from
	}
	return table
}

func newWhere(scope access.Scope, region string) *where {
	if region != "" && scope.Covers(region) {
		scope = access.ScopeOf(region)
	}
	lo, hi := scope.Range()
	return &where{sql: "region_code >= $1 AND region_code < $2", args: []any{lo, hi}, order: listOrder}
}

func (w *where) eq(col string, v any) {
	w.args = append(w.args, v)
	w.sql += fmt.Sprintf(" AND %s = $%d", col, len(w.args))
}

// prefix matches col by prefix as a byte range, which an index serves on
// both engines (PostgreSQL columns use COLLATE "C").
func (w *where) prefix(col, p string) {
	w.args = append(w.args, p, p+"\U0010FFFF")
	w.sql += fmt.Sprintf(" AND %s >= $%d AND %s < $%d", col, len(w.args)-1, col, len(w.args))
}

func (w *where) page(order string, p Page) string {
	w.args = append(w.args, p.Limit, p.Offset)
	return fmt.Sprintf(" ORDER BY %s LIMIT $%d OFFSET $%d", order, len(w.args)-1, len(w.args))
}
