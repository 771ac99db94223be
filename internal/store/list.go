package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// Sorting and streaming of lists. A list's sort keys map to the columns
// of an index that serves the order (migration 0012 and before), ending in
// a unique column, so the order is total: one direction applies to all of
// them. Streaming (Each*) reads the same filter in the same order in
// batches, each after the last row of the one before (keyset), never by
// OFFSET.

// sortSpec is a list's sort whitelist: key → ordering columns.
type sortSpec map[string][]string

// employerSorts are the sort keys of FindEmployers, each served by an index.
var employerSorts = sortSpec{
	"name":        {"name", "region_code", "id"},       // employers_name
	"credit_code": {"credit_code"},                     // unique
	"region":      {"region_code", "id"},               // employers_region_id
	"industry":    {"industry", "region_code", "id"},   // employers_industry (0012)
	"risk_class":  {"risk_class", "region_code", "id"}, // employers_risk_class (0012)
	"created":     {"id"},                              // registration order
}

// workerSorts are the sort keys of FindWorkers, each served by an index.
var workerSorts = sortSpec{
	"name":    {"name", "region_code", "id"},       // workers_name
	"region":  {"region_code", "id"},               // workers_region
	"birth":   {"birth_date", "region_code", "id"}, // workers_birth (0012)
	"created": {"id"},                              // registration order
}

// EmployerSorts and WorkerSorts name the sort keys the store accepts.
var (
	EmployerSorts = employerSorts.keys()
	WorkerSorts   = workerSorts.keys()
)

func (s sortSpec) keys() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	return out
}

// sortBy replaces the list's own order (listOrder, or the search's) by
// the sort key's, in one direction; "" keeps it.
func (w *where) sortBy(spec sortSpec, key string, desc bool) error {
	if key == "" {
		return nil
	}
	cols, ok := spec[key]
	if !ok {
		return errs.Field("sort", "sort_unknown", "排序“%s”不可用", key)
	}
	terms := make([]string, len(cols))
	for i, c := range cols {
		terms[i] = c
		if desc {
			terms[i] += " DESC"
		}
	}
	w.order = strings.Join(terms, ", ")
	return nil
}

// orderTerm is one column of an ORDER BY.
type orderTerm struct {
	col  string
	desc bool
}

// parseOrder reads an ORDER BY of plain columns (of allowed) with an
// optional direction each; ok is false for anything else (an expression
// a search might order by), which Each then reads in one query.
func parseOrder(order string, allowed []string) (terms []orderTerm, ok bool) {
	for _, part := range strings.Split(order, ",") {
		f := strings.Fields(part)
		if len(f) == 0 || len(f) > 2 {
			return nil, false
		}
		t := orderTerm{col: f[0]}
		if len(f) == 2 {
			switch strings.ToUpper(f[1]) {
			case "ASC":
			case "DESC":
				t.desc = true
			default:
				return nil, false
			}
		}
		if !slices.Contains(allowed, t.col) {
			return nil, false
		}
		terms = append(terms, t)
	}
	return terms, len(terms) > 0
}

// eachBatch is the number of rows a streaming read takes per statement
// (a store's eachBatch, when set, is the tests' smaller one).
const eachBatch = 500

func (s *Store) batch() int {
	if s.eachBatch > 0 {
		return s.eachBatch
	}
	return eachBatch
}

// eachRow streams the rows of table matching w in w's order to fn, in
// batches of batch rows after the last row read (keyset): cols are the
// selected columns and scan reads one row of them and the keys (through
// keyScanner). An order that is not plain columns of allowed ending in a
// unique one (of uniq) is read in one statement instead.
// It stops when ctx ends or fn fails.
func eachRow(ctx context.Context, q querier, batch int, table, cols string, w *where, uniq, allowed []string,
	scan func(rows *sql.Rows, keys []any) error) error {
	terms, ok := parseOrder(w.order, allowed)
	if !ok || !slices.Contains(uniq, terms[len(terms)-1].col) {
		return eachOnce(ctx, q, table, cols, w, scan)
	}
	keyCols := make([]string, len(terms))
	for i, t := range terms {
		keyCols[i] = t.col
	}
	var last []any
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		sqlText, args := w.sql, append([]any(nil), w.args...)
		if last != nil {
			cond, cargs := keysetAfter(terms, last, len(args))
			sqlText += " AND " + cond
			args = append(args, cargs...)
		}
		args = append(args, batch)
		rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s ORDER BY %s LIMIT $%d`,
			cols, strings.Join(keyCols, ", "), w.source(table), sqlText, w.order, len(args)), args...)
		if err != nil {
			return fmt.Errorf("store: each %s: %w", table, err)
		}
		n := 0
		for rows.Next() {
			keys := make([]any, len(terms))
			if err := scan(rows, keys); err != nil {
				rows.Close()
				return err
			}
			last = keys
			n++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("store: each %s: %w", table, err)
		}
		if n < batch {
			return ctx.Err()
		}
	}
}

// eachOnce is eachRow's reading in one statement.
func eachOnce(ctx context.Context, q querier, table, cols string, w *where, scan func(rows *sql.Rows, keys []any) error) error {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s WHERE %s ORDER BY %s`, cols, w.source(table), w.sql, w.order), w.args...)
	if err != nil {
		return fmt.Errorf("store: each %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows, nil); err != nil {
			return err
		}
	}
	return rows.Err()
}

// keysetAfter is the condition "after the row with key values last" in
// the order of terms: a row value comparison when all terms share one
// direction (an index range on both engines), else the expanded form
// (a > x) OR (a = x AND b > y) ….
func keysetAfter(terms []orderTerm, last []any, nargs int) (string, []any) {
	same := true
	for _, t := range terms {
		same = same && t.desc == terms[0].desc
	}
	op := func(t orderTerm) string {
		if t.desc {
			return "<"
		}
		return ">"
	}
	marker := func(i int) string { return fmt.Sprintf("$%d", nargs+i+1) }
	if same {
		cols, marks := make([]string, len(terms)), make([]string, len(terms))
		for i, t := range terms {
			cols[i], marks[i] = t.col, marker(i)
		}
		if len(terms) == 1 {
			return fmt.Sprintf("%s %s %s", cols[0], op(terms[0]), marks[0]), last
		}
		return fmt.Sprintf("(%s) %s (%s)", strings.Join(cols, ", "), op(terms[0]), strings.Join(marks, ", ")), last
	}
	var ors []string
	for i, t := range terms {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, fmt.Sprintf("%s = %s", terms[j].col, marker(j)))
		}
		ands = append(ands, fmt.Sprintf("%s %s %s", t.col, op(t), marker(i)))
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", last
}

// keyScanner appends the key columns' destinations to a row scan.
type keyScanner struct {
	rows *sql.Rows
	keys []any
}

func (k keyScanner) Scan(dest ...any) error {
	for i := range k.keys {
		dest = append(dest, &k.keys[i])
	}
	return k.rows.Scan(dest...)
}

// The export actions: an export discloses data, so each is audited with
// its filter and row count.
const (
	ExportEmployers = "employer.export"
	ExportWorkers   = "worker.export"
	ExportUsers     = "user.export"
	ExportCases     = "case.export" // the work queue (案件待办)

	ExportInstitutions   = "institution.export" // 协议机构
	ExportCatalogue      = "catalogue.export"   // 工伤目录
	ExportFilings        = "filing.export"      // 异地就医备案
	ExportEncounters     = "encounter.export"
	ExportSettlements    = "settlement.export"
	ExportFindings       = "finding.export"
	ExportReconciliation = "reconciliation.export"
	ExportClearing       = "statement.export" // the clearing status and a statement's settlements
	ExportLeads          = "lead.export"      // a screening scan's leads
	ExportRanking        = "ranking.export"   // a scan's institution ranking
)

// ExportRecord is what an export's audit entry keeps.
type ExportRecord struct {
	Title   string            `json:"title"`
	Filters map[string]string `json:"filters"`
	Rows    int               `json:"rows"`
}

// RecordExport audits an export by actor of a list (ExportEmployers,
// ExportWorkers, ExportUsers or ExportCases) in region (the filter's, or
// the actor's own).
func (s *Store) RecordExport(ctx context.Context, actor access.Principal, action, region string, rec ExportRecord) error {
	objectType, _, _ := strings.Cut(action, ".")
	switch action {
	case ExportEmployers, ExportWorkers, ExportUsers, ExportCases, ExportInstitutions, ExportCatalogue, ExportFilings,
		ExportEncounters, ExportSettlements, ExportFindings, ExportReconciliation, ExportClearing, ExportLeads, ExportRanking,
		ExportSupervisionDash, ExportCampaigns, ExportInspectors, ExportVisits, ExportFieldFindings, ExportRuleStats,
		ExportPreventionExperts, ExportPreventionPlans, ExportPreventionIndustries, ExportTrainingSessions, ExportPreventionKPI:
	default:
		return fmt.Errorf("store: unknown export %q", action)
	}
	return s.write(ctx, actor, func(t *tx) error {
		return t.audit(ctx, action, objectType, 0, region, nil, rec)
	})
}
