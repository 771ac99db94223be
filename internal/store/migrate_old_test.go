package store_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// oldDB is an empty database of one engine that a migration test brings
// to an earlier schema, fills as an old release would have, then opens
// with store.Open to run the later migrations.
type oldDB struct {
	engine store.Engine
	db     *sql.DB
	url    string // for store.Open
	ms     []store.Migration
}

// eachOldDB runs fn on a fresh old database of each engine: a temporary
// SQLite file, and a PostgreSQL schema of its own (storetest.PostgresURL
// skips without a test database, and fails under CI).
func eachOldDB(t *testing.T, fn func(t *testing.T, o *oldDB)) {
	t.Run("SQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "old.db")
		fn(t, openOldDB(t, store.SQLite, "sqlite", path))
	})
	t.Run("Postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		admin, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		schema := fmt.Sprintf("gs_test_old_%d", time.Now().UnixNano())
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() })
		fn(t, openOldDB(t, store.Postgres, "pgx", storetest.WithSearchPath(url, schema)))
	})
}

func openOldDB(t *testing.T, engine store.Engine, driver, url string) *oldDB {
	db, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ms, err := store.Migrations(engine)
	if err != nil {
		t.Fatal(err)
	}
	o := &oldDB{engine: engine, db: db, url: url, ms: ms}
	o.exec(t, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	return o
}

// apply runs the migrations numbered n, from ≤ n < to, recording them as
// store.Open does.
func (o *oldDB) apply(t *testing.T, from, to int) {
	t.Helper()
	for _, m := range o.ms {
		if m.Version >= from && m.Version < to {
			o.exec(t, m.SQL)
			o.exec(t, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, '2026-01-01T00:00:00Z')`, m.Version, m.Name)
		}
	}
}

func (o *oldDB) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := o.db.Exec(query, args...); err != nil {
		t.Fatalf("%.60s: %v", query, err)
	}
}
