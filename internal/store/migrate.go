package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the engine's migrations in version order.
func Migrations(engine Engine) ([]Migration, error) {
	dir := "migrations/" + string(engine)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// migrationLock names the PostgreSQL advisory lock held while migrating:
// serve, worker and migrate processes may start together, so the first to
// take the lock migrates and the others wait, then find nothing to do. The
// schema is part of the key so that separate schemas (tests) do not queue.
const migrationLock = `hashtext('gongshang.migrate.' || COALESCE(current_schema(), ''))`

// migrate applies every migration not yet recorded, each in its own
// transaction together with its record, so a crash leaves either the whole
// step or none of it; then River's migrations for the job tables. All of it
// runs on one connection, which on PostgreSQL holds the advisory lock
// (SQLite's single writer needs none).
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	defer conn.Close()
	if s.engine == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(`+migrationLock+`)`); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(`+migrationLock+`)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	ms, err := Migrations(s.engine)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.apply(ctx, conn, m); err != nil {
			return err
		}
	}
	return s.migrateJobs(ctx, conn)
}

func (s *Store) apply(ctx context.Context, conn *sql.Conn, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.Version, m.Name, s.now().UTC().Format("2006-01-02T15:04:05Z")); err != nil {
		return err
	}
	s.log.Info("migration applied", "engine", s.engine, "version", m.Version, "name", m.Name)
	return tx.Commit()
}
