package store_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"gongshang/internal/storetest"
)

var update = flag.Bool("update", false, "rewrite the committed schema dumps")

// The committed dumps under schema/ must equal what the migrations build.
func TestSchemaDumpSQLite(t *testing.T) { checkSchema(t, "sqlite.sql", storetest.OpenSQLite) }

func TestPostgresSchemaDump(t *testing.T) {
	storetest.PostgresURL(t)
	checkSchema(t, "postgres.sql", storetest.OpenPostgres)
}

func checkSchema(t *testing.T, file string, open storetest.Opener) {
	s := open(t, storetest.NewClock())
	got, err := s.DumpSchema(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("schema", file)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("%s is out of date; run: go test ./internal/store -run Schema -update (with GONGSHANG_TEST_DATABASE_URL for PostgreSQL)\n--- got\n%s", path, got)
	}
}
