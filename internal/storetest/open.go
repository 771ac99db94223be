// Package storetest holds the store conformance suite, run against every
// engine, and the helpers that give each test its own real database: a
// temporary SQLite file, or a fresh schema in the PostgreSQL database named
// by GONGSHANG_TEST_DATABASE_URL. With CI set, a missing PostgreSQL is a
// failure, never a skip.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/blob"
	"gongshang/internal/pii"
	"gongshang/internal/store"
)

// TestKey is a fixed data key for tests.
var TestKey = pii.NewKey()

// TestAuditKey is a fixed audit key for tests.
var TestAuditKey = audit.NewKey()

// Clock is a settable clock for tests.
type Clock struct{ T time.Time }

// Now returns the current test time.
func (c *Clock) Now() time.Time { return c.T }

// NewClock starts at 2026-03-02 09:30 China Standard Time.
func NewClock() *Clock { return &Clock{T: time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)} }

// Opener opens a fresh, migrated store for one test.
type Opener func(t testing.TB, clock *Clock) *store.Store

// OpenSQLite opens a store on a temporary SQLite file.
func OpenSQLite(t testing.TB, clock *Clock) *store.Store {
	t.Helper()
	return OpenURL(t, SQLiteURL(t), clock)
}

// OpenPostgres opens a store in a new schema of the test database, dropped
// when the test ends.
func OpenPostgres(t testing.TB, clock *Clock) *store.Store {
	t.Helper()
	return OpenURL(t, PostgresSchemaURL(t), clock)
}

// URLer makes a fresh, empty database for one test and returns its URL,
// so that a test can open several stores (processes) on one database.
type URLer func(t testing.TB) string

// SQLiteURL returns the path of a new temporary SQLite file.
func SQLiteURL(t testing.TB) string { return filepath.Join(t.TempDir(), "test.db") }

// PostgresSchemaURL creates a schema in the test database, dropped when
// the test ends, and returns a URL whose search_path selects it.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	url := PostgresURL(t)
	schema := "gs_test_" + randomHex(6)
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	return WithSearchPath(url, schema)
}

// OpenURL opens a store on url with the test key and clock, closed when
// the test ends.
func OpenURL(t testing.TB, url string, clock *Clock) *store.Store {
	t.Helper()
	return OpenURLFiles(t, url, clock, files(t))
}

// OpenURLFiles is OpenURL with a file store of the test's choosing.
func OpenURLFiles(t testing.TB, url string, clock *Clock, fs blob.Store) *store.Store {
	t.Helper()
	access.LowerHashCostForTests()
	s, err := store.Open(context.Background(), url, store.Options{DataKey: TestKey, AuditKey: TestAuditKey, Now: clock.Now, Files: fs})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// WithSearchPath adds a search_path run-time parameter to a postgres URL.
func WithSearchPath(url, schema string) string {
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// PostgresURL returns the test database URL, skipping the test when it is
// not set, or failing it when CI is set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("GONGSHANG_TEST_DATABASE_URL")
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but GONGSHANG_TEST_DATABASE_URL is not: PostgreSQL tests must run in CI")
		}
		t.Skip("GONGSHANG_TEST_DATABASE_URL not set; skipping PostgreSQL")
	}
	return url
}

// EachEngine runs fn as a parallel subtest per engine, named "SQLite" and
// "Postgres"; the PostgreSQL one skips without GONGSHANG_TEST_DATABASE_URL
// and fails under CI (PostgresURL).
func EachEngine(t *testing.T, fn func(t *testing.T, open Opener)) {
	EachEngineURL(t, func(t *testing.T, url URLer) {
		fn(t, func(t testing.TB, clock *Clock) *store.Store { return OpenURL(t, url(t), clock) })
	})
}

// EachEngineURL is EachEngine for tests that open several stores on one
// database: fn gets a maker of fresh, empty databases.
func EachEngineURL(t *testing.T, fn func(t *testing.T, url URLer)) {
	for _, e := range []struct {
		name string
		url  URLer
	}{{"SQLite", SQLiteURL}, {"Postgres", PostgresSchemaURL}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.url)
		})
	}
}

// files is a file store in a temporary folder for one test.
func files(t testing.TB) blob.Store {
	t.Helper()
	d, err := blob.NewDir(t.TempDir(), 10<<20)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
