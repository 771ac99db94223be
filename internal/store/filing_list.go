package store

import (
	"context"
	"database/sql"
	"fmt"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/settlement"
)

// The remote-treatment filings of a region as a list of the list toolkit,
// each with the worker's name and the case number it rests on.

// FilingQuery is the filing list's filter and order.
type FilingQuery struct {
	Region   string // the insured region, inside the scope ("" all)
	Kind     settlement.FilingKind
	State    settlement.FilingState
	WorkerID int64
	Sort     string // a key of FilingSorts, "" the list's order (region, newest first)
	Desc     bool
}

// FilingRow is one filing as lists show it.
type FilingRow struct {
	settlement.Filing
	WorkerName string `json:"worker_name"`
	CaseNumber string `json:"case_number"`
}

// filingSorts are the sort keys of FindFilings, each served by an index
// (0016, 0017).
var filingSorts = sortSpec{
	"filed":    {"id"},                            // filing order
	"region":   {"region_code", "id"},             // filings_region
	"valid_to": {"valid_to", "region_code", "id"}, // filings_valid_to
}

// FilingSorts names the sort keys FindFilings accepts.
var FilingSorts = filingSorts.keys()

var filingOrderCols = []string{"id", "region_code", "valid_to"}

// filingSource is the filings with the worker's name and the case's
// number, under the table's own name so every condition applies.
const filingSource = `(SELECT f.*, w.name AS worker_name, c.number AS case_number FROM filings f
	JOIN workers w ON w.id = f.worker_id JOIN cases c ON c.id = f.case_id) filings`

const filingRowCols = filingCols + `, worker_name, case_number`

func scanFilingRow(r interface{ Scan(...any) error }) (FilingRow, error) {
	var row FilingRow
	f := &row.Filing
	err := r.Scan(&f.ID, &f.WorkerID, &f.CaseID, &f.RegionCode, &f.Kind, &f.TreatRegion, &f.Institution, &f.Reason, &f.Address,
		&f.ValidFrom, &f.ValidTo, &f.FiledOn, &f.State, &f.Channel, &f.CreatedAt, &f.UpdatedAt, &f.Version, &row.WorkerName, &row.CaseNumber)
	return row, err
}

// filingWhere scopes the list: staff and the system by region, a worker
// to his own filings (and nothing else: an employer or an institution
// sees none).
func filingWhere(viewer access.Principal, f FilingQuery) (*where, error) {
	var w *where
	switch viewer.Kind {
	case access.KindStaff, access.KindSystem:
		if f.Region != "" && !viewer.Scope().Covers(f.Region) {
			return nil, inScope(viewer.Scope(), f.Region)
		}
		w = newWhere(viewer.Scope(), f.Region)
	case access.KindWorker:
		w = &where{sql: "1 = 1", order: listOrder}
		f.WorkerID = viewer.WorkerID
		if f.WorkerID == 0 {
			f.WorkerID = -1
		}
	default:
		w = &where{sql: "1 = 0", order: listOrder}
	}
	w.from = filingSource
	if f.WorkerID != 0 {
		w.eq("worker_id", f.WorkerID)
	}
	if f.Kind != "" {
		w.eq("kind", string(f.Kind))
	}
	if f.State != "" {
		w.eq("state", string(f.State))
	}
	if err := w.sortBy(filingSorts, f.Sort, f.Desc); err != nil {
		return nil, err
	}
	return w, nil
}

// FindFilings lists the filings the viewer may see with the list's filter
// and order, and the total.
func (s *Store) FindFilings(ctx context.Context, viewer access.Principal, f FilingQuery, p Page) ([]FilingRow, int, error) {
	p = p.normalize()
	w, err := filingWhere(viewer, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM filings WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count filings: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+filingRowCols+` FROM `+w.source("filings")+` WHERE `+w.sql+w.page(w.order, p), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: filings: %w", err)
	}
	defer rows.Close()
	var out []FilingRow
	for rows.Next() {
		row, err := scanFilingRow(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, row)
	}
	return out, total, rows.Err()
}

// EachFiling calls fn with every filing FindFilings would list for f, all
// pages, in the same order, read in keyset batches.
func (s *Store) EachFiling(ctx context.Context, viewer access.Principal, f FilingQuery, fn func(FilingRow) error) error {
	w, err := filingWhere(viewer, f)
	if err != nil {
		return err
	}
	return eachRow(ctx, s.db, s.batch(), "filings", filingRowCols, w, []string{"id"}, filingOrderCols,
		func(rows *sql.Rows, keys []any) error {
			row, err := scanFilingRow(keyScanner{rows, keys})
			if err != nil {
				return err
			}
			return fn(row)
		})
}

// recognisedBy reports whether a recognition service holds a positive
// decision in force: decided, delivered (送达), or under review or
// lawsuit (the decision stands until revoked).
func recognisedBy(rec *casebundle.Service) bool {
	if rec == nil || !rec.Detail.Outcome.Positive() {
		return false
	}
	switch rec.State {
	case casebundle.Decided, casebundle.Delivered, casebundle.Appealed:
		return true
	}
	return false
}
