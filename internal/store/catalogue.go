package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
)

const entryCols = `id, region, code, name, category, spec, unit, price1, price2, price3, covered, valid_from, valid_to,
	per_day, per_stay, min_interval, device_limit, life_months, note`

func scanEntry(r interface{ Scan(...any) error }) (catalogue.Entry, error) {
	var e catalogue.Entry
	err := r.Scan(&e.ID, &e.Region, &e.Code, &e.Name, &e.Category, &e.Spec, &e.Unit, &e.Prices[0], &e.Prices[1], &e.Prices[2],
		&e.Covered, &e.ValidFrom, &e.ValidTo, &e.PerDay, &e.PerStay, &e.MinInterval, &e.DeviceLimit, &e.LifeMonths, &e.Note)
	return e, err
}

// CatalogueImport is what an import changed.
type CatalogueImport struct {
	Added, Replaced, Bundles int
}

// ImportCatalogue writes catalogue rows and bundling pairs in one
// transaction: a row of the same (region, code, valid_from) is replaced,
// any other is added. The cached book is rebuilt at its next use.
func (s *Store) ImportCatalogue(ctx context.Context, actor access.Principal, rows []catalogue.Entry, bundles []catalogue.Bundle) (CatalogueImport, error) {
	var res CatalogueImport
	if !actor.Can(access.PermCatalogueManage) {
		return res, errs.E(errs.Forbidden, "无权导入工伤保险目录")
	}
	err := s.write(ctx, actor, func(t *tx) error {
		res = CatalogueImport{}
		for _, e := range rows {
			n, err := t.upsertEntry(ctx, e)
			if err != nil {
				return err
			}
			if n {
				res.Added++
			} else {
				res.Replaced++
			}
		}
		for _, b := range bundles {
			if _, err := t.ExecContext(ctx, `DELETE FROM catalogue_bundles WHERE region = $1 AND code1 = $2 AND code2 = $3 AND valid_from = $4`,
				b.Region, b.Code1, b.Code2, b.ValidFrom); err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO catalogue_bundles (region, code1, code2, indicator, valid_from, valid_to, rationale)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, b.Region, b.Code1, b.Code2, b.Indicator, b.ValidFrom, b.ValidTo, b.Rationale); err != nil {
				return err
			}
			res.Bundles++
		}
		if err := setMeta(ctx, t, "catalogue_stamp", strconv.FormatInt(t.now.UnixNano(), 10)); err != nil {
			return err
		}
		return t.audit(ctx, "catalogue.import", "catalogue", 0, actor.RegionCode, nil, res)
	})
	if err == nil {
		s.books.invalidate()
	}
	return res, err
}

func (t *tx) upsertEntry(ctx context.Context, e catalogue.Entry) (added bool, err error) {
	res, err := t.ExecContext(ctx, `UPDATE catalogue_entries SET name = $4, category = $5, spec = $6, unit = $7, price1 = $8,
		price2 = $9, price3 = $10, covered = $11, valid_to = $12, per_day = $13, per_stay = $14, min_interval = $15,
		device_limit = $16, life_months = $17, note = $18 WHERE region = $1 AND code = $2 AND valid_from = $3`,
		e.Region, e.Code, e.ValidFrom, e.Name, string(e.Category), e.Spec, e.Unit, e.Prices[0], e.Prices[1], e.Prices[2],
		e.Covered, e.ValidTo, e.PerDay, e.PerStay, e.MinInterval, e.DeviceLimit, e.LifeMonths, e.Note)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return false, nil
	}
	_, err = t.ExecContext(ctx, `INSERT INTO catalogue_entries (region, code, valid_from, name, category, spec, unit, price1,
		price2, price3, covered, valid_to, per_day, per_stay, min_interval, device_limit, life_months, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		e.Region, e.Code, e.ValidFrom, e.Name, string(e.Category), e.Spec, e.Unit, e.Prices[0], e.Prices[1], e.Prices[2],
		e.Covered, e.ValidTo, e.PerDay, e.PerStay, e.MinInterval, e.DeviceLimit, e.LifeMonths, e.Note)
	return true, err
}

// CatalogueFilter narrows the catalogue list.
type CatalogueFilter struct {
	Category catalogue.Category
	Region   string
	Q        string // code prefix or part of the name
	On       string // valid on this day ("" any)
}

// allEntries reads every catalogue row, for the book.
func allEntries(ctx context.Context, q querier) ([]catalogue.Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+entryCols+` FROM catalogue_entries ORDER BY category, code, region, valid_from`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalogue.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CatalogueBundles lists every bundling pair.
func (s *Store) CatalogueBundles(ctx context.Context) ([]catalogue.Bundle, error) {
	return catalogueBundles(ctx, s.db)
}

func catalogueBundles(ctx context.Context, q querier) ([]catalogue.Bundle, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, region, code1, code2, indicator, valid_from, valid_to, rationale FROM catalogue_bundles ORDER BY code1, code2, valid_from`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []catalogue.Bundle
	for rows.Next() {
		var b catalogue.Bundle
		if err := rows.Scan(&b.ID, &b.Region, &b.Code1, &b.Code2, &b.Indicator, &b.ValidFrom, &b.ValidTo, &b.Rationale); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// bookCache holds the catalogue book in memory: pricing a bill line must
// not read the catalogue tables. It is rebuilt when the stored stamp
// changes (checked at most once a second, so other processes' imports
// are seen within a second) and at once after this process's import.
type bookCache struct {
	mu      sync.Mutex
	book    *catalogue.Book
	stamp   string
	checked time.Time
}

func (c *bookCache) invalidate() {
	c.mu.Lock()
	c.book, c.stamp = nil, ""
	c.mu.Unlock()
}

// Catalogue returns the current catalogue book.
func (s *Store) Catalogue(ctx context.Context) (*catalogue.Book, error) {
	return s.catalogue(ctx, s.db)
}

// catalogue is Catalogue reading through q. A write transaction passes
// itself: a statement sent through the pool from inside a transaction
// waits for a free connection, and on SQLite (four connections, the
// write lock taken at BEGIN) the other three can all be waiting for this
// transaction's lock — measured under 16 hospitals settling at once
// (bench settle), every 2301 stalled until busy_timeout failed the
// waiters after 10 s.
func (s *Store) catalogue(ctx context.Context, q querier) (*catalogue.Book, error) {
	c := &s.books
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.book != nil && time.Since(c.checked) < time.Second {
		return c.book, nil
	}
	var stamp string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, "catalogue_stamp").Scan(&stamp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	c.checked = time.Now()
	if c.book != nil && stamp == c.stamp {
		return c.book, nil
	}
	rows, err := allEntries(ctx, q)
	if err != nil {
		return nil, err
	}
	bundles, err := catalogueBundles(ctx, q)
	if err != nil {
		return nil, err
	}
	c.book, c.stamp = catalogue.NewBook(rows, bundles), stamp
	return c.book, nil
}
