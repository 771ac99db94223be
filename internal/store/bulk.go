package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// maxParams keeps a multi-row statement under both engines' parameter
// limits (SQLite 32,766; PostgreSQL 65,535).
const maxParams = 30000

// rowFunc returns the values of row i. Rows are produced one statement's
// worth at a time, so a load of millions never holds them all boxed.
type rowFunc func(i int) []any

// insertMany inserts n rows in as few multi-row INSERT statements as the
// parameter limit allows. suffix (e.g. "ON CONFLICT … DO NOTHING") is added
// to each statement.
func (t *tx) insertMany(ctx context.Context, table string, cols []string, n int, row rowFunc, suffix string) error {
	return chunks(len(cols), n, row, func(count int, args []any) error {
		_, err := t.ExecContext(ctx, t.s.engine.insertSQL(table, cols, count)+" "+suffix, args...)
		return err
	})
}

// chunks calls do with the arguments of up to maxParams/width rows at a time.
func chunks(width, n int, row rowFunc, do func(count int, args []any) error) error {
	per := maxParams / width
	args := make([]any, 0, min(per, n)*width)
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = append(args, row(i)...)
		}
		if err := do(end-start, args); err != nil {
			return err
		}
	}
	return nil
}

// insertSQL builds INSERT INTO t (cols) VALUES ($1,…),(…) for n rows.
// SQLite gets anonymous ? markers: it resolves a $n by a linear search of
// the names already seen, which made a 30,000-parameter statement spend
// most of its time parsing (measured: 98% of a bulk load).
func (e Engine) insertSQL(table string, cols []string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, joinCols(cols))
	p := 1
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(e.param(p))
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}

func joinCols(cols []string) string { return strings.Join(cols, ", ") }

// param is the i-th (1-based) bind marker of a statement whose markers all
// appear in order.
func (e Engine) param(i int) string {
	if e == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(i)
}

// listOrder is the order of every registry list: by region, newest first
// within it. Both engines serve it from the (region_code, id) index
// scanned backwards, reading only the rows of the page; "newest first"
// across regions would sort every row in scope instead.
const listOrder = "region_code DESC, id DESC"

// nameOrder is the order of a name-prefix search, the order of its index.
const nameOrder = "name, region_code, id"
