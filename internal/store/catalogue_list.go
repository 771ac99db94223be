package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
)

// The work-injury catalogues as a list of the list toolkit. The
// catalogues are issued by the nation, the province and the city and
// apply to every county, so the list is not scoped by region: anyone with
// settle.read sees all of it.

// CatalogueQuery is the catalogue list's filter and order.
type CatalogueQuery struct {
	CatalogueFilter
	Covered string // "yes", "no", "" any
	Sort    string // a key of CatalogueSorts, "" the catalogue's order (category, code, region, valid_from)
	Desc    bool
}

// catalogueSorts are the sort keys of FindCatalogue, each served by an
// index (0017).
var catalogueSorts = sortSpec{
	"code":       {"code", "id"},       // catalogue_entries_code
	"name":       {"name", "id"},       // catalogue_entries_name
	"valid_from": {"valid_from", "id"}, // catalogue_entries_valid_from
}

// CatalogueSorts names the sort keys FindCatalogue accepts.
var CatalogueSorts = catalogueSorts.keys()

var catalogueOrderCols = []string{"category", "code", "region", "valid_from", "name", "id"}

func catalogueWhere(f CatalogueQuery) (*where, error) {
	w := &where{sql: "1 = 1", order: "category, code, region, valid_from"}
	if f.Category != "" {
		if !f.Category.Valid() {
			return nil, errs.Field("category", "invalid", "目录类别无效")
		}
		w.eq("category", string(f.Category))
	}
	if f.Region != "" {
		w.eq("region", f.Region)
	}
	switch f.Covered {
	case "":
	case "yes":
		w.eq("covered", true)
	case "no":
		w.eq("covered", false)
	default:
		return nil, errs.Field("covered", "invalid", "基金支付应为是或否")
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.args = append(w.args, likeEscape(catalogue.NormalizeCode(q)), likeEscape(q))
		w.sql += fmt.Sprintf(` AND (code LIKE $%d || '%%' ESCAPE '\' OR name LIKE '%%' || $%d || '%%' ESCAPE '\')`, len(w.args)-1, len(w.args))
	}
	if f.On != "" {
		w.args = append(w.args, f.On)
		n := len(w.args)
		w.sql += fmt.Sprintf(" AND valid_from <= $%d AND (valid_to = '' OR valid_to >= $%d)", n, n)
	}
	if err := w.sortBy(catalogueSorts, f.Sort, f.Desc); err != nil {
		return nil, err
	}
	return w, nil
}

// FindCatalogue lists catalogue rows with the list's filter and order,
// and the total.
func (s *Store) FindCatalogue(ctx context.Context, f CatalogueQuery, p Page) ([]catalogue.Entry, int, error) {
	p = p.normalize()
	w, err := catalogueWhere(f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM catalogue_entries WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count catalogue: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+entryCols+` FROM catalogue_entries WHERE `+w.sql+w.page(w.order, p), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: catalogue: %w", err)
	}
	defer rows.Close()
	var out []catalogue.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// EachCatalogueEntry calls fn with every row FindCatalogue would list for
// f, all pages, in the same order (a sort in keyset batches; the
// catalogue's own order, which ends in no unique column, in one
// streamed statement).
func (s *Store) EachCatalogueEntry(ctx context.Context, f CatalogueQuery, fn func(catalogue.Entry) error) error {
	w, err := catalogueWhere(f)
	if err != nil {
		return err
	}
	return eachRow(ctx, s.db, s.batch(), "catalogue_entries", entryCols, w, []string{"id"}, catalogueOrderCols,
		func(rows *sql.Rows, keys []any) error {
			e, err := scanEntry(keyScanner{rows, keys})
			if err != nil {
				return err
			}
			return fn(e)
		})
}
