package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Background jobs are River jobs kept in the same database. The store owns
// the River tables (their migrations run with the store's own) and inserts
// jobs inside its write transactions, so a job exists exactly when the
// change that causes it was committed. internal/jobs runs the workers.

// JobArgs are the arguments of a job; Kind names its worker. River's
// JobArgs is the same interface, so plain structs serve both.
type JobArgs interface{ Kind() string }

// ParamsChanged is enqueued with every added parameter version: the job
// runner tells its parameter service to reload at once.
type ParamsChanged struct {
	VersionID int64  `json:"version_id"`
	Region    string `json:"region"`
}

// Kind implements JobArgs.
func (ParamsChanged) Kind() string { return "params_changed" }

// jobDriver returns River's driver for the engine over the store's pool.
// On PostgreSQL the database/sql driver works on the same *sql.Tx as the
// store (database/sql over pgx), and a one-connection pgx pool gives the
// job runner LISTEN/NOTIFY, so workers wake on a commit instead of polling.
func (s *Store) jobDriver() riverdriver.Driver[*sql.Tx] {
	if s.engine == Postgres {
		if s.listenPool != nil {
			return riverdatabasesql.NewWithPgxListener(s.db, s.listenPool)
		}
		return riverdatabasesql.New(s.db)
	}
	return riversqlite.New(s.db)
}

// JobDriver is the River driver internal/jobs builds its client on.
func (s *Store) JobDriver() riverdriver.Driver[*sql.Tx] { return s.jobDriver() }

// listenPool opens the pgx pool that lends River its LISTEN connection;
// pgxpool connects lazily, so a process without workers never uses it.
func listenPool(url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	cfg.MaxConns, cfg.MinConns = 1, 0
	return pgxpool.NewWithConfig(context.Background(), cfg)
}

// newJobInserter is an insert-only River client: it has no workers, so it
// accepts every kind, and it only ever writes inside a store transaction.
func (s *Store) newJobInserter() error {
	c, err := river.NewClient(s.jobDriver(), &river.Config{Logger: s.log})
	if err != nil {
		return fmt.Errorf("store: job client: %w", err)
	}
	s.jobs = c
	return nil
}

// enqueue inserts a job inside the write transaction: it runs only if the
// transaction commits, and never if it rolls back.
func (t *tx) enqueue(ctx context.Context, args JobArgs) error {
	if _, err := t.s.jobs.InsertTx(t.ctx(ctx), t.Tx, args, nil); err != nil {
		return fmt.Errorf("store: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// migrateJobs applies River's own migrations on conn, one version per
// transaction: PostgreSQL cannot use an enum value added in the same
// transaction, which River's later versions do.
func (s *Store) migrateJobs(ctx context.Context, conn *sql.Conn) error {
	m, err := rivermigrate.New(s.jobDriver(), &rivermigrate.Config{Logger: s.log.With(slog.String("component", "rivermigrate"))})
	if err != nil {
		return fmt.Errorf("store: job migrations: %w", err)
	}
	for _, v := range m.AllVersions() {
		if err := s.migrateJobsTo(ctx, conn, m, v.Version); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) migrateJobsTo(ctx context.Context, conn *sql.Conn, m *rivermigrate.Migrator[*sql.Tx], version int) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: version})
	if err != nil {
		return fmt.Errorf("store: job migrations: %w", err)
	}
	for _, v := range res.Versions {
		s.log.Info("job migration applied", "engine", s.engine, "version", v.Version, "name", v.Name)
	}
	return tx.Commit()
}
