package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// The statement cache must not change what a query answers: a query run
// again while its own rows are still open (nested in a loop over them),
// a script of several statements, more distinct statements than the
// cache keeps, and a statement after the table under it changed.
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(sqliteDSN(filepath.Join(t.TempDir(), "c.db")))
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1) // every call on the one connection and its cache

	// A script: both statements run (a cached prepared statement would
	// hold only the first).
	if _, err := db.ExecContext(ctx, `CREATE TABLE n (v INTEGER); INSERT INTO n VALUES (1), (2), (3)`); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT v FROM n WHERE v >= $1 ORDER BY v`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := tx.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var v int
		if err := outer.Scan(&v); err != nil {
			t.Fatal(err)
		}
		// The same text while outer's rows are open.
		inner, err := tx.QueryContext(ctx, q, v)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for inner.Next() {
			n++
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%d", v, n))
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	outer.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1:3 2:2 3:1]" {
		t.Errorf("nested runs of one statement: %v, want [1:3 2:2 3:1]", got)
	}

	// Past the cache's bound: still answered.
	for i := range maxCachedStmts + 10 {
		var v int
		if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + v FROM n WHERE v = 1`, i)).Scan(&v); err != nil || v != i+1 {
			t.Fatalf("statement %d: %d, %v", i, v, err)
		}
	}

	// The table changes under a cached statement: SQLite prepares it again.
	var before, after int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM n`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE n ADD COLUMN w TEXT`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO n (v, w) VALUES ($1, $2)`, 4, "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM n`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != 3 || after != 4 {
		t.Errorf("count before and after the change: %d, %d", before, after)
	}
	// A failed statement leaves the cached one usable.
	if _, err := db.ExecContext(ctx, `INSERT INTO n (v, nope) VALUES (1, 1)`); err == nil {
		t.Error("insert into a missing column succeeded")
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM n`).Scan(&after); err != nil || after != 4 {
		t.Errorf("after a failure: %d, %v", after, err)
	}
	c, _ := db.Conn(ctx)
	defer c.Close()
	_ = c.Raw(func(dc any) error {
		if n := len(dc.(*cachingConn).stmts); n != maxCachedStmts {
			t.Errorf("cached statements: %d, want the bound %d", n, maxCachedStmts)
		}
		return nil
	})
}
