// Package jobs runs gongshang's background jobs with River, in the same
// database as everything else. Jobs are enqueued by the store inside the
// write transaction of the change that causes them (store.ParamsChanged),
// or by River's scheduler (the session sweep). A Runner works them; it runs
// inside `gongshang serve` and `demo` unless GONGSHANG_WORKERS=off, and on
// its own in `gongshang worker`.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongshang/internal/params"
	"gongshang/internal/store"
)

// Tuning measured in platform-notes: with River's defaults both engines
// cap at about 500 jobs/s; 200 workers and a 1 ms fetch cool-down reached
// 11,728 (PostgreSQL) and 1,419 (SQLite).
const (
	DefaultMaxWorkers    = 200
	DefaultFetchCooldown = time.Millisecond
)

// Options configure a Runner.
type Options struct {
	MaxWorkers        int           // DefaultMaxWorkers when 0
	FetchCooldown     time.Duration // DefaultFetchCooldown when 0
	FetchPollInterval time.Duration // River's default (1 s) when 0; notifications wake workers sooner
	SessionSweep      time.Duration // how often expired sessions are deleted; 1 h when 0
	// PayrollTick is how often the payroll's clockwork runs (open, resume,
	// remind); 10 min when 0. It also runs at start, so a cycle a crash
	// left half-way resumes at once (a second job on a cycle only waits
	// for the first's chunk lock).
	PayrollTick time.Duration
	Logger      *slog.Logger
}

// Runner works the jobs of one process.
type Runner struct {
	client *river.Client[*sql.Tx]
	log    *slog.Logger
}

// New builds a runner over s; svc is the process's parameter service,
// reloaded when a ParamsChanged notice arrives.
func New(s *store.Store, svc *params.Service, opt Options) (*Runner, error) {
	if opt.MaxWorkers == 0 {
		opt.MaxWorkers = DefaultMaxWorkers
	}
	if opt.FetchCooldown == 0 {
		opt.FetchCooldown = DefaultFetchCooldown
	}
	if opt.SessionSweep == 0 {
		opt.SessionSweep = time.Hour
	}
	if opt.PayrollTick == 0 {
		opt.PayrollTick = 10 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	log := opt.Logger.With(slog.String("component", "jobs"))
	workers := river.NewWorkers()
	river.AddWorker(workers, &sessionSweepWorker{store: s, log: log})
	river.AddWorker(workers, &paramsChangedWorker{store: s, params: svc, log: log})
	river.AddWorker(workers, &caseReminderWorker{store: s, log: log})
	river.AddWorker(workers, &renderLetterWorker{store: s})
	river.AddWorker(workers, &payrollStepWorker{store: s, params: svc, log: log})
	river.AddWorker(workers, &payrollTickWorker{store: s, params: svc, log: log, stale: 0})
	river.AddWorker(workers, &supervisionScanWorker{store: s, log: log})
	sweep := river.NewPeriodicJob(river.PeriodicInterval(opt.SessionSweep),
		func() (river.JobArgs, *river.InsertOpts) { return SessionSweep{}, nil },
		&river.PeriodicJobOpts{ID: "session_sweep", RunOnStart: true})
	tick := river.NewPeriodicJob(river.PeriodicInterval(opt.PayrollTick),
		func() (river.JobArgs, *river.InsertOpts) { return PayrollTick{}, nil },
		&river.PeriodicJobOpts{ID: "payroll_tick", RunOnStart: true})
	client, err := river.NewClient(s.JobDriver(), &river.Config{
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.MaxWorkers}},
		FetchCooldown:     opt.FetchCooldown,
		FetchPollInterval: opt.FetchPollInterval,
		Workers:           workers,
		PeriodicJobs:      []*river.PeriodicJob{sweep, tick},
		Logger:            log,
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Runner{client: client, log: log}, nil
}

// Start begins fetching and working jobs in the background. The runner
// lives until Stop, not until ctx ends, so that shutdown can be graceful.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	// The periodic tick runs on River's elected leader only, and after a
	// crash the dead leader's lease must expire first: a tick of our own,
	// which any worker takes, resumes a cycle the crash left half-way at
	// once.
	if _, err := r.client.Insert(ctx, PayrollTick{}, nil); err != nil {
		return fmt.Errorf("jobs: start: payroll tick: %w", err)
	}
	r.log.Info("workers started")
	return nil
}

// Stop stops fetching and waits for running jobs until ctx ends; then it
// cancels them and waits for them to return.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		r.log.Warn("jobs still running at shutdown; cancelling them")
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = r.client.StopAndCancel(cctx)
	}
	if err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	r.log.Info("workers stopped")
	return nil
}

// Client exposes the River client (for tests and subscriptions).
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// SessionSweep deletes expired sessions and the hospital interface's
// expired nonces; River's scheduler enqueues it.
type SessionSweep struct{}

// Kind implements river.JobArgs.
func (SessionSweep) Kind() string { return "session_sweep" }

type sessionSweepWorker struct {
	river.WorkerDefaults[SessionSweep]
	store *store.Store
	log   *slog.Logger
}

func (w *sessionSweepWorker) Work(ctx context.Context, _ *river.Job[SessionSweep]) error {
	n, err := w.store.SweepSessions(ctx)
	if err != nil {
		return err
	}
	// The hospital interface's used nonces matter for ten minutes only.
	nonces, err := w.store.SweepNonces(ctx)
	if err != nil {
		return err
	}
	w.log.Info("expired sessions and nonces deleted", "sessions", n, "nonces", nonces)
	return nil
}

// paramsChangedWorker reloads this process's parameter service when a
// version was added (by any process).
type paramsChangedWorker struct {
	river.WorkerDefaults[store.ParamsChanged]
	store  *store.Store
	params *params.Service
	log    *slog.Logger
}

func (w *paramsChangedWorker) Work(ctx context.Context, job *river.Job[store.ParamsChanged]) error {
	if err := w.params.Reload(ctx); err != nil {
		return err
	}
	w.log.Info("parameter version added; parameters reloaded", "version_id", job.Args.VersionID, "region", job.Args.Region)
	// A new average wage re-rates 生活护理费: prepared here, approved by an officer.
	ids, err := w.store.PrepareNursingRerate(ctx, w.params.Set(ctx), job.Args.VersionID)
	if len(ids) > 0 {
		w.log.Info("nursing allowance re-rate prepared for approval", "adjustments", ids)
	}
	return err
}

// caseReminderWorker works a case step's reminders: the store records each
// once and marks an overdue step, only while the step still waits with that
// due date (store.RemindCase), so a retry or a duplicate does nothing twice.
type caseReminderWorker struct {
	river.WorkerDefaults[store.CaseReminder]
	store *store.Store
	log   *slog.Logger
}

func (w *caseReminderWorker) Work(ctx context.Context, job *river.Job[store.CaseReminder]) error {
	done, err := w.store.RemindCase(ctx, job.Args)
	if err != nil {
		return err
	}
	if done {
		w.log.Info("case step reminder", "service_id", job.Args.ServiceID, "step", job.Args.Step, "due", job.Args.Due, "reminder", job.Args.Reminder)
	}
	return nil
}

// renderLetterWorker prints an issued letter from its recorded content;
// printing it again (a retry, a download first) changes nothing.
type renderLetterWorker struct {
	river.WorkerDefaults[store.RenderLetter]
	store *store.Store
}

func (w *renderLetterWorker) Work(ctx context.Context, job *river.Job[store.RenderLetter]) error {
	_, err := w.store.RenderCaseLetter(ctx, job.Args.LetterID)
	return err
}

// payrollStepWorker runs a payroll cycle's snapshot and checks to the end,
// one committed chunk at a time: killed half-way, the next run (a retry,
// or the tick's) resumes at the last commit.
type payrollStepWorker struct {
	river.WorkerDefaults[store.PayrollStep]
	store  *store.Store
	params *params.Service
	log    *slog.Logger
}

// Timeout: a cycle of a million lines takes minutes, not River's default minute.
func (w *payrollStepWorker) Timeout(*river.Job[store.PayrollStep]) time.Duration { return time.Hour }

func (w *payrollStepWorker) Work(ctx context.Context, job *river.Job[store.PayrollStep]) error {
	if err := w.store.RunCycle(ctx, w.params.Set(ctx), job.Args.CycleID); err != nil {
		return err
	}
	w.log.Info("payroll cycle step done", "cycle_id", job.Args.CycleID)
	return nil
}

// PayrollTick opens the month's cycles, resumes unfinished ones and
// escalates unapproved ones on the reminder day; River's scheduler
// enqueues it.
type PayrollTick struct{}

// Kind implements river.JobArgs.
func (PayrollTick) Kind() string { return "payroll_tick" }

type payrollTickWorker struct {
	river.WorkerDefaults[PayrollTick]
	store  *store.Store
	params *params.Service
	log    *slog.Logger
	stale  time.Duration
}

func (w *payrollTickWorker) Work(ctx context.Context, _ *river.Job[PayrollTick]) error {
	res, err := w.store.PayrollTick(ctx, w.params.Set(ctx), w.stale)
	if err != nil {
		return err
	}
	for _, r := range res.Opened {
		w.log.Info("payroll cycle opened", "region", r)
	}
	for _, id := range res.Resumed {
		w.log.Warn("payroll cycle resumed after an interruption", "cycle_id", id)
	}
	for _, id := range res.Reminded {
		w.log.Warn("payroll cycle not approved on the reminder day: escalated", "cycle_id", id)
	}
	return nil
}

// supervisionScanWorker runs a screening scan started in the back office.
type supervisionScanWorker struct {
	river.WorkerDefaults[store.SupervisionScan]
	store *store.Store
	log   *slog.Logger
}

// Timeout: a city-year scan reads a million lines or two.
func (w *supervisionScanWorker) Timeout(*river.Job[store.SupervisionScan]) time.Duration {
	return 30 * time.Minute
}

func (w *supervisionScanWorker) Work(ctx context.Context, job *river.Job[store.SupervisionScan]) error {
	if err := w.store.RunScan(ctx, job.Args.ScanID); err != nil {
		return err
	}
	w.log.Info("screening scan done", "scan_id", job.Args.ScanID)
	return nil
}
