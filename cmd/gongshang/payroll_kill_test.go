package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/pii"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// payrollKillRegion is the one county the crash test pays.
const payrollKillRegion = "370811"

// payrollKills is the least number of SIGKILLs that must land while the
// cycle is still opening or checking.
const payrollKills = 20

// TestPayrollKillDuringCycle seeds three chunks' worth of entitlements in
// one county, opens the month's cycle (which enqueues its job), and runs
// `gongshang worker` on that database, killing it with SIGKILL at a
// random moment at least 20 times while the cycle is opening or checking
// and restarting it each time (the payroll tick resumes the cycle at
// start). After every kill the lines are consistent with the committed
// cursor; at the end every active entitlement has exactly one regular
// line for the month, none is pending, the cycle is in review and its
// line_count matches — on SQLite, and on PostgreSQL when
// GONGSHANG_TEST_DATABASE_URL is set (required under CI).
func TestPayrollKillDuringCycle(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a unix signal")
	}
	if testing.Short() {
		t.Skip("builds the binary and seeds 60,000 entitlements")
	}
	bin := buildCrashBinary(t)
	for _, eng := range []struct {
		name string
		url  func(t *testing.T, dir string) string
	}{
		{"sqlite", func(t *testing.T, dir string) string { return filepath.Join(dir, "gongshang.db") }},
		{"postgres", func(t *testing.T, _ string) string { return storetest.PostgresSchemaURL(t) }},
	} {
		t.Run(eng.name, func(t *testing.T) {
			dir := t.TempDir()
			testPayrollKill(t, bin, dir, eng.url(t, dir))
		})
	}
}

func testPayrollKill(t *testing.T, bin, dir, url string) {
	ctx := context.Background()
	keys := []string{"GONGSHANG_DATA_KEY=" + pii.NewKey(), "GONGSHANG_AUDIT_KEY=" + audit.NewKey()}
	dataKey, auditKey := strings.TrimPrefix(keys[0], "GONGSHANG_DATA_KEY="), strings.TrimPrefix(keys[1], "GONGSHANG_AUDIT_KEY=")
	month := payroll.MonthOf(time.Now()).String()

	// Seed and open the cycle through the store, as the tick would.
	s, err := store.Open(ctx, url, store.Options{DataKey: dataKey, AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	n := 3 * store.PayrollCycleChunk
	seeded, err := s.SeedPayroll(ctx, store.PayrollSeed{Entitlements: n, Regions: []string{payrollKillRegion}, Month: month, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	cy, err := s.OpenCycle(ctx, access.System, set, payrollKillRegion, month)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := openRaw(t, url)

	seed := uint64(time.Now().UnixNano())
	t.Logf("random delays from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	// The delays adapt: longer after a run that committed nothing, up to
	// 5 s, shorter after one that did, so that kills land before, inside
	// and between the job's transactions (a PostgreSQL checks chunk may
	// outlast every run: the last run finishes it). A cycle that reaches
	// review before enough kills is sent back for a recheck by the
	// preparer, and its checks killed again. While the cycle is still
	// opening the delays are halved: the opening is over in a few
	// chunks, and some kills must land in it.
	kills, restarts, rechecks := 0, 0, 0
	var starting, running time.Duration
	midway := 0 // kills after the job's first commit
	upTo := 400 * time.Millisecond
	seen := map[payroll.State]int{}
	prev := cycleState(t, db, cy.ID)
	for kills < payrollKills {
		if restarts >= 8*payrollKills {
			t.Fatalf("%d restarts and only %d kills while the cycle ran", restarts, kills)
		}
		t0 := time.Now()
		w := startWorker(t, bin, dir, url, keys)
		restarts++
		starting += time.Since(t0)
		d := upTo/4 + time.Duration(rng.Int64N(int64(upTo*3/4)))
		if prev.state == payroll.Opening {
			// Opening is the short phase (a few chunks, once per
			// cycle): kill early while it lasts, so that kills land in
			// it however fast the machine is.
			d = time.Duration(rng.Int64N(int64(upTo / 2)))
		}
		time.Sleep(d)
		running += d
		st := cycleState(t, db, cy.ID)
		w.kill(t)
		after := cycleState(t, db, cy.ID)
		checkLines(t, db, cy.ID, after)
		if st.state == payroll.Opening || st.state == payroll.Checking {
			kills++
			seen[after.state]++
			if after.cursor > 0 || after.state == payroll.Checking {
				midway++
			}
		}
		if after == prev {
			upTo = min(upTo*3/2, 5*time.Second)
		} else {
			upTo = max(upTo*4/5, 400*time.Millisecond)
		}
		prev = after
		if after.state == payroll.Review && kills < payrollKills {
			recheck(t, url, dataKey, auditKey, cy.ID)
			rechecks++
			prev = cycleState(t, db, cy.ID)
		}
	}
	if seen[payroll.Opening] == 0 || midway == 0 {
		t.Fatalf("kills left the cycle %v, %d of them after the job's first commit; want some opening and some after a commit", seen, midway)
	}

	// The last run, left alone: the cycle reaches review.
	w := startWorker(t, bin, dir, url, keys)
	deadline := time.Now().Add(90 * time.Second)
	for cycleState(t, db, cy.ID).state != payroll.Review {
		if time.Now().After(deadline) {
			t.Fatalf("cycle still %s 90 s after the last restart\n%s", cycleState(t, db, cy.ID).state, w.out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	w.kill(t)
	t.Logf("%d kills while the cycle ran, %d after its first commit (%d restarts, %d rechecks; %s starting, %s running before the kill); states after a kill: %v",
		kills, midway, restarts, rechecks, starting.Round(time.Millisecond), running.Round(time.Millisecond), seen)

	active := seeded.Active[payrollKillRegion]
	var lines, distinct, pending int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT entitlement_id), COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END), 0)
		FROM payroll_lines WHERE kind = 'regular' AND month = $1`, month).Scan(&lines, &distinct, &pending); err != nil {
		t.Fatal(err)
	}
	var missing int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM entitlements e WHERE e.status = 'active' AND e.region_code = $1
		AND NOT EXISTS (SELECT 1 FROM payroll_lines l WHERE l.entitlement_id = e.id AND l.month = $2 AND l.kind = 'regular')`,
		payrollKillRegion, month).Scan(&missing); err != nil {
		t.Fatal(err)
	}
	end := cycleState(t, db, cy.ID)
	if lines != active || distinct != active || pending != 0 || missing != 0 || end.state != payroll.Review || end.lineCount != int64(active) {
		t.Errorf("after %d kills: %d regular lines, %d distinct entitlements, %d pending, %d active entitlements without a line; cycle %s with line_count %d; want %d of each, none pending or missing, review",
			kills, lines, distinct, pending, missing, end.state, end.lineCount, active)
	}
}

// recheck sends a cycle in review back to its checks, as the preparer
// does, while no worker runs.
func recheck(t *testing.T, url, dataKey, auditKey string, id int64) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, url, store.Options{DataKey: dataKey, AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	preparer := access.Principal{UserID: 1, Username: "preparer", Kind: access.KindStaff, Role: access.RoleBenefits, RegionCode: "370800"}
	c, err := s.FindCycle(ctx, preparer, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ActOnCycle(ctx, preparer, id, store.CycleAction{Action: payroll.Recheck, Version: c.Version}); err != nil {
		t.Fatalf("recheck: %v", err)
	}
}

// workerProc is one running `gongshang worker`.
type workerProc struct {
	cmd  *exec.Cmd
	done chan error
	out  *syncBuffer
}

// startWorker runs `gongshang worker` on url and waits until it says it
// runs the jobs.
func startWorker(t *testing.T, bin, dir, url string, keys []string) *workerProc {
	t.Helper()
	cmd := exec.Command(bin, "worker", "--data", dir, "--database", url)
	cmd.Env = append(os.Environ(), append([]string{"GONGSHANG_LOG_LEVEL=warn"}, keys...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &workerProc{cmd: cmd, done: make(chan error, 1), out: &syncBuffer{}}
	cmd.Stderr = w.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-w.done
		}
	})
	started := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "后台任务已启动") {
				close(started)
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { w.done <- cmd.Wait() }()
	select {
	case <-started:
	case err := <-w.done:
		w.done <- err
		t.Fatalf("gongshang worker exited before starting: %v\n%s", err, w.out)
	case <-time.After(time.Minute):
		t.Fatalf("gongshang worker did not start in a minute\n%s", w.out)
	}
	return w
}

// kill sends SIGKILL and waits for the process to end of it.
func (w *workerProc) kill(t *testing.T) {
	t.Helper()
	if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-w.done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("the worker ended with %v, want SIGKILL\n%s", err, w.out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the worker still runs 30 s after SIGKILL")
	}
}

func openRaw(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(url, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

type cycleRow struct {
	state     payroll.State
	cursor    int64
	lineCount int64
}

func cycleState(t *testing.T, db *sql.DB, id int64) cycleRow {
	t.Helper()
	var c cycleRow
	if err := db.QueryRow(`SELECT state, cursor, line_count FROM payroll_cycles WHERE id = $1`, id).Scan(&c.state, &c.cursor, &c.lineCount); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkLines: whatever the kill interrupted, the committed lines are
// those of the committed chunks — while opening, as many as line_count
// says and none beyond the cursor; never two regular lines of one
// entitlement.
func checkLines(t *testing.T, db *sql.DB, id int64, c cycleRow) {
	t.Helper()
	var n, distinct, beyond int64
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT entitlement_id), COALESCE(SUM(CASE WHEN entitlement_id > $2 THEN 1 ELSE 0 END), 0)
		FROM payroll_lines WHERE cycle_id = $1 AND kind = 'regular'`, id, c.cursor).Scan(&n, &distinct, &beyond); err != nil {
		t.Fatal(err)
	}
	if n != distinct {
		t.Fatalf("%d regular lines for %d entitlements", n, distinct)
	}
	if c.state == payroll.Opening && (n != c.lineCount || beyond != 0) {
		t.Fatalf("opening at cursor %d with line_count %d: %d lines, %d beyond the cursor", c.cursor, c.lineCount, n, beyond)
	}
}
