package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"gongshang/internal/access"
)

// Writers at once on SQLite share commits, and each still gets exactly
// its own outcome: a success is committed, a failure rolled back to its
// savepoint without touching the others, a panic raised in its caller, a
// request whose context ended before its turn not run; one whose context
// ends while it runs is not interrupted (SQLite would roll back the whole
// group with an interrupted statement).
func TestGroupCommit(t *testing.T) {
	s := openInternal(t, SQLite)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE g (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	const n = 200
	errBad := errors.New("bad")
	outcome := make([]string, n)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					outcome[i] = fmt.Sprint("panic ", p)
				}
			}()
			c := ctx
			if i%50 == 3 {
				c = cancelled
			}
			mid, stop := context.WithCancel(ctx)
			defer stop()
			if i%50 == 11 {
				c = mid
			}
			err := s.write(c, access.System, func(t *tx) error {
				if i%50 == 11 {
					stop() // the caller gives up while its write runs
				}
				if _, err := t.ExecContext(c, `INSERT INTO g (n) VALUES ($1)`, i); err != nil {
					return err
				}
				switch {
				case i%5 == 0:
					return errBad // after its insert: rolled back to its savepoint
				case i%50 == 7:
					panic("member")
				case i%50 == 9:
					_, err := t.ExecContext(ctx, `INSERT INTO g (n) VALUES ($1)`, i) // a duplicate: the statement fails
					return err
				}
				return nil
			})
			if outcome[i] == "" {
				outcome[i] = fmt.Sprint(err)
			}
		}()
	}
	wg.Wait()
	rows, err := s.db.QueryContext(ctx, `SELECT n FROM g`)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		stored[v] = true
	}
	rows.Close()
	for i := range n {
		want := "<nil>"
		switch {
		case i%5 == 0:
			want = "bad"
		case i%50 == 3:
			want = context.Canceled.Error()
		case i%50 == 7:
			want = "panic member"
		case i%50 == 9:
			want = "记录已存在"
		}
		if outcome[i] != want {
			t.Errorf("writer %d: %q, want %q", i, outcome[i], want)
		}
		if stored[i] != (want == "<nil>") {
			t.Errorf("writer %d: stored %v, outcome %q", i, stored[i], outcome[i])
		}
	}
	commits, writes := s.WriteGroups()
	t.Logf("%d writes in %d commits", writes, commits)
	if commits == 0 || commits >= writes {
		t.Errorf("%d writes took %d commits: no group was formed", writes, commits)
	}
}
