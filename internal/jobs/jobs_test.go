package jobs_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/casebundle"
	"gongshang/internal/jobs"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

func start(t *testing.T, s *store.Store, svc *params.Service) *jobs.Runner {
	t.Helper()
	r, err := jobs.New(s, svc, jobs.Options{FetchPollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	return r
}

// waitFor waits for a completed job of kind.
func waitFor(t *testing.T, events <-chan *river.Event, kind string) *river.Event {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind == kind {
				return ev
			}
		case <-deadline:
			t.Fatalf("no completed %s job within 20 s", kind)
		}
	}
}

// The periodic sweep runs when the workers start and deletes the sessions
// that have expired, keeping live ones.
func TestSessionSweep(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		clock := storetest.NewClock()
		s := storetest.OpenURL(t, url(t), clock)
		for _, name := range []string{"old", "new"} {
			if _, err := s.CreateUser(t.Context(), access.System, access.NewUser{Username: name, DisplayName: "测试", Role: access.RoleClerk,
				RegionCode: "370800", Password: "test-password-1"}); err != nil {
				t.Fatal(err)
			}
		}
		pol := access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}
		_, _, err := s.Login(t.Context(), "old", "test-password-1", pol, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		clock.T = clock.T.Add(2 * time.Hour)
		newToken, _, err := s.Login(t.Context(), "new", "test-password-1", pol, 8*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		// Login sweeps too; put an expired session back as if it aged in place.
		if _, err := s.DB().ExecContext(t.Context(), `UPDATE sessions SET expires_at = $1`, clock.T.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(t.Context(), `UPDATE sessions SET expires_at = $1 WHERE user_id = (SELECT id FROM users WHERE username = 'new')`, clock.T.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		svc, err := params.New(t.Context(), s, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := start(t, s, svc)
		events, cancel := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancel()
		waitFor(t, events, "session_sweep")
		var n int
		if err := s.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("sessions after the sweep: %d %v, want the one live session", n, err)
		}
		if _, err := s.FindSession(t.Context(), newToken); err != nil {
			t.Fatalf("live session swept: %v", err)
		}
	})
}

// Adding a version commits a ParamsChanged job with it; the workers of
// another process run it once and reload that process's parameters.
func TestParamsChangedReloadsWorkerProcess(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		u, clock := url(t), storetest.NewClock()
		web, worker := storetest.OpenURL(t, u, clock), storetest.OpenURL(t, u, clock)
		webParams, err := params.New(t.Context(), web, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// An hour: only the job can make the worker's service see the change.
		workerParams, err := params.New(t.Context(), worker, params.Options{MaxAge: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		r := start(t, worker, workerParams)
		events, cancel := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancel()
		v := param.Version{Table: "min_wage", Region: "370881", EffectiveFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Value: "2345.00", Source: "PROJ", Confidence: "U", Note: "测试"}
		id, err := webParams.Add(t.Context(), storetest.Actor(access.RoleAdmin, "370881"), v)
		if err != nil {
			t.Fatal(err)
		}
		ev := waitFor(t, events, "params_changed")
		if ev.Job.Attempt != 1 {
			t.Fatalf("attempt %d", ev.Job.Attempt)
		}
		got, err := workerParams.Set(t.Context()).Lookup("min_wage", "", "370881", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || got.Value != "2345.00" {
			t.Fatalf("worker's parameters after version %d: %+v %v", id, got, err)
		}
		var n int
		if err := worker.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM river_job WHERE kind = 'params_changed'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("params_changed jobs: %d %v, want 1", n, err)
		}
		// A refused addition commits no job.
		if _, err := webParams.Add(t.Context(), storetest.Actor(access.RoleAdmin, "370811"), v); err == nil {
			t.Fatal("out-of-scope addition accepted")
		}
		if err := worker.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM river_job WHERE kind = 'params_changed'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("params_changed jobs after a refused addition: %d %v, want 1", n, err)
		}
	})
}

// A case opened late has an overdue acceptance step: its overdue job runs
// at once and marks it; the same job again records nothing twice.
func TestCaseOverdueJob(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		clock := storetest.NewClock()
		s := storetest.OpenURL(t, url(t), clock)
		set, err := param.Default()
		if err != nil {
			t.Fatal(err)
		}
		svc, err := params.New(t.Context(), s, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := start(t, s, svc)
		events, cancel := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancel()
		e := storetest.MustEmployer(t, s, "370811")
		w := storetest.MustWorker(t, s, e, "刘洋")
		c := &casebundle.Case{WorkerID: w.ID, EmployerID: e.ID, InjuryDate: "2026-01-02", ApplicationDate: "2026-01-05",
			Applicant: casebundle.ApplicantEmployer, ApplicantName: e.Name, Place: "仓库", Cause: "叉车倒车时撞伤右腿",
			InjuredPart: "右小腿", Diagnosis: "右胫骨骨折"}
		if err := s.OpenCase(t.Context(), storetest.Actor(access.RoleClerk, "370811"), set, c, nil); err != nil {
			t.Fatal(err)
		}
		ev := waitFor(t, events, "case_reminder")
		got, err := s.FindCase(t.Context(), storetest.Actor(access.RoleRecognition, "370811"), c.ID)
		if err != nil || !got.Service(casebundle.Recognition).Overdue {
			t.Fatalf("not marked overdue after %s: %v", ev.Job.EncodedArgs, err)
		}
		rec := c.Service(casebundle.Recognition)
		if _, err := r.Client().Insert(t.Context(), store.CaseReminder{ServiceID: rec.ID, Step: rec.Step, Due: rec.Due, Reminder: "overdue"}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, events, "case_reminder")
		var n int
		if err := s.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM case_reminders WHERE service_id = $1`, rec.ID).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d reminder rows, want 1 (%v)", n, err)
		}
	})
}

// flakyFiles fails its first Put, as a full disk or a lost network share
// would, then works.
type flakyFiles struct {
	blob.Store
	failed atomic.Bool
}

func (f *flakyFiles) Put(ctx context.Context, r io.Reader) (blob.Ref, error) {
	if !f.failed.Swap(true) {
		return blob.Ref{}, errors.New("disk full")
	}
	return f.Store.Put(ctx, r)
}

// A letter whose printing fails is retried by River and printed on the
// next attempt; the decision was never without it (its content was
// recorded with the act).
func TestLetterJobRetries(t *testing.T) {
	storetest.EachEngineURL(t, func(t *testing.T, url storetest.URLer) {
		dir, err := blob.NewDir(t.TempDir(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		files := &flakyFiles{Store: dir}
		s := storetest.OpenURLFiles(t, url(t), storetest.NewClock(), files)
		set, _ := param.Default()
		c := storetest.MustCase(t, s, "370811")
		for _, m := range []string{"application_form", "diagnosis"} {
			if _, err := s.AddCaseFile(t.Context(), storetest.Actor(access.RoleClerk, "370811"), c.ID, m, m+".pdf",
				blob.Ref{SHA256: strings.Repeat("b", 64), Size: 1, Type: blob.PDF}); err != nil {
				t.Fatal(err)
			}
		}
		svc, err := params.New(t.Context(), s, params.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ActOnCase(t.Context(), storetest.Actor(access.RoleRecognition, "370811"), set, c.ID,
			c.Service(casebundle.Recognition).ID, casebundle.Action{Name: casebundle.ActAccept}); err != nil {
			t.Fatal(err)
		}
		r := start(t, s, svc)
		failed, cancelF := r.Client().Subscribe(river.EventKindJobFailed)
		defer cancelF()
		done, cancelD := r.Client().Subscribe(river.EventKindJobCompleted)
		defer cancelD()
		ev := waitFor(t, failed, "render_letter")
		if ev.Job.Attempt != 1 {
			t.Errorf("first failure at attempt %d", ev.Job.Attempt)
		}
		ev = waitFor(t, done, "render_letter")
		if ev.Job.Attempt != 2 {
			t.Errorf("printed at attempt %d, want 2", ev.Job.Attempt)
		}
		ls, err := s.CaseLetters(t.Context(), c.ID)
		if err != nil || len(ls) != 1 || ls[0].SHA256 == "" {
			t.Fatalf("letters after the retry: %+v %v", ls, err)
		}
	})
}
