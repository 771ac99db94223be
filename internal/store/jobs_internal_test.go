package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/pii"
)

// probe is a job that counts its runs by N.
type probe struct {
	N int `json:"n"`
}

func (probe) Kind() string { return "test_probe" }

type probeWorker struct {
	river.WorkerDefaults[probe]
	runs *[3]atomic.Int32
}

func (w *probeWorker) Work(_ context.Context, job *river.Job[probe]) error {
	w.runs[job.Args.N].Add(1)
	return nil
}

// A job enqueued inside a write transaction runs exactly once if the
// transaction commits, and never if it rolls back; on both engines.
func TestEnqueueFollowsTransaction(t *testing.T) {
	for _, engine := range []Engine{SQLite, Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			s := openInternal(t, engine)
			var runs [3]atomic.Int32
			workers := river.NewWorkers()
			river.AddWorker(workers, &probeWorker{runs: &runs})
			client, err := river.NewClient(s.jobDriver(), &river.Config{
				Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}, Workers: workers,
				FetchCooldown: time.Millisecond, FetchPollInterval: 20 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			done, cancel := client.Subscribe(river.EventKindJobCompleted)
			defer cancel()
			ctx := t.Context()
			if err := client.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer client.Stop(context.Background())

			rollback := errors.New("later step failed")
			if err := s.write(ctx, access.System, func(t *tx) error {
				if err := t.enqueue(ctx, probe{N: 1}); err != nil {
					return err
				}
				return rollback
			}); !errors.Is(err, rollback) {
				t.Fatalf("rolled-back write: %v", err)
			}
			if err := s.write(ctx, access.System, func(t *tx) error { return t.enqueue(ctx, probe{N: 2}) }); err != nil {
				t.Fatal(err)
			}
			select {
			case ev := <-done:
				if ev.Job.Kind != "test_probe" {
					t.Fatalf("completed %s", ev.Job.Kind)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("the committed job did not run within 15 s")
			}
			time.Sleep(300 * time.Millisecond) // room for a wrong second run
			if r1, r2 := runs[1].Load(), runs[2].Load(); r1 != 0 || r2 != 1 {
				t.Fatalf("runs: rolled back %d (want 0), committed %d (want 1)", r1, r2)
			}
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("river_job rows: %d %v, want 1", n, err)
			}
		})
	}
}

// openInternal opens a fresh store for tests inside package store (which
// cannot use storetest: it imports this package).
func openInternal(t *testing.T, engine Engine) *Store {
	t.Helper()
	url := filepath.Join(t.TempDir(), "test.db")
	if engine == Postgres {
		base := os.Getenv("GONGSHANG_TEST_DATABASE_URL")
		if base == "" {
			if os.Getenv("CI") != "" {
				t.Fatal("CI is set but GONGSHANG_TEST_DATABASE_URL is not")
			}
			t.Skip("GONGSHANG_TEST_DATABASE_URL not set; skipping PostgreSQL")
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema := "gs_test_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); admin.Close() })
		sep := "?"
		if strings.Contains(base, "?") {
			sep = "&"
		}
		url = base + sep + "search_path=" + schema
	}
	s, err := Open(context.Background(), url, Options{DataKey: pii.NewKey(), AuditKey: audit.NewKey()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
