package bench

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// auditWriters is how many clerks write at once.
const auditWriters = 16

// auditRounds alternates the two kinds of write so that load from other
// processes on a shared machine falls on both alike.
const auditRounds = 6

// auditBench measures audited employer creations per second from 16
// writers, 20,000 × scale of them, against the same transaction without its
// audit entry (the insert alone) on the same store,
// in alternating rounds. The sealer runs all the while, as in serve; after
// each audited round the bench waits for it to seal the round's last
// entries (seal_lag_ms, the longest wait) before the next unaudited round,
// and at the end the chain is verified.
var auditBench = perEngine(auditOn)

func auditOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.RunAuditSealer(sctx, store.AuditSealEvery, time.Hour, nil) }()
	perRound := max(int(20000*opt.Scale/auditRounds), auditWriters)
	m, err := measureAudit(ctx, s, perRound)
	stop()
	if serr := <-done; err == nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	sealRate, err := measureSealing(ctx, s, 5*perRound)
	if err != nil {
		return nil, err
	}
	m.n += 5 * perRound
	rep, err := s.VerifyAudit(ctx, nil)
	if err == nil && (rep.Problem != nil || rep.Sealed != int64(m.n) || rep.Pending != 0) {
		err = fmt.Errorf("chain after the run: %d sealed of %d, %d pending, problem %v", rep.Sealed, m.n, rep.Pending, rep.Problem)
	}
	if err != nil {
		return nil, err
	}
	written := float64(m.n - 5*perRound)
	audited, base := written/m.audited.Seconds(), written/m.plain.Seconds()
	lag := float64(m.lag.Microseconds()) / 1000
	logf(opt, "%s: %d employers each way from %d writers: %.0f/s unaudited, %.0f/s audited, sealed at most %.0f ms after a round's last commit; a backlog seals at %.0f/s",
		engine, m.n-5*perRound, auditWriters, base, audited, lag, sealRate)
	name := "audit." + engine
	return []Line{
		{Name: name, Metric: "create_employer_16w", Value: audited, Unit: "ops/s", Baseline: base},
		{Name: name, Metric: "seal_lag_ms", Value: lag, Unit: "ms", Baseline: float64(store.AuditSealEvery.Milliseconds())},
		{Name: name, Metric: "seal_rate", Value: sealRate, Unit: "entries/s", Baseline: audited},
	}, nil
}

// measureSealing leaves n audited writes unsealed, then times sealing them
// in batches as the sealer does: the most the one sealer can take.
func measureSealing(ctx context.Context, s *store.Store, n int) (float64, error) {
	var serial atomic.Int64
	serial.Store(500_000_000) // codes apart from the rounds'
	actor := access.Principal{Username: "bench", Name: "测量", Kind: "staff", Role: access.RoleClerk, RegionCode: "370800"}
	if _, err := timed(n, func() error {
		e := newEmployer(&serial)
		return s.CreateEmployer(ctx, actor, &e)
	}); err != nil {
		return 0, err
	}
	t0 := time.Now()
	for sealed := 0; sealed < n; {
		k, err := s.SealAudit(ctx, 5000)
		if err != nil {
			return 0, err
		}
		if k == 0 {
			return 0, fmt.Errorf("only %d of %d entries to seal", sealed, n)
		}
		sealed += k
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}

type auditMeasure struct {
	n              int // writes of each kind
	plain, audited time.Duration
	lag            time.Duration
}

// measureAudit runs the rounds of perRound writes each way.
func measureAudit(ctx context.Context, s *store.Store, perRound int) (auditMeasure, error) {
	var m auditMeasure
	var serial atomic.Int64
	actor := access.Principal{Username: "bench", Name: "测量", Kind: "staff", Role: access.RoleClerk, RegionCode: "370800"}
	for r := 0; r < auditRounds; r++ {
		d, err := timed(perRound, func() error { return plainCreate(ctx, s, newEmployer(&serial)) })
		if err != nil {
			return m, fmt.Errorf("unaudited: %w", err)
		}
		m.plain += d
		if d, err = timed(perRound, func() error {
			e := newEmployer(&serial)
			return s.CreateEmployer(ctx, actor, &e)
		}); err != nil {
			return m, fmt.Errorf("audited: %w", err)
		}
		m.audited += d
		lag, err := untilSealed(ctx, s)
		if err != nil {
			return m, err
		}
		m.lag = max(m.lag, lag)
		m.n += perRound
	}
	return m, nil
}

// untilSealed waits for the sealer to leave nothing pending.
func untilSealed(ctx context.Context, s *store.Store) (time.Duration, error) {
	t0 := time.Now()
	for {
		n, err := s.AuditPending(ctx)
		if err != nil || n == 0 {
			return time.Since(t0), err
		}
		if time.Since(t0) > time.Minute {
			return 0, fmt.Errorf("%d entries still unsealed after a minute", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// timed runs op n times from auditWriters goroutines and returns how long
// that took.
func timed(n int, op func() error) (time.Duration, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, auditWriters)
	t0 := time.Now()
	for w := 0; w < auditWriters; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) {
				if err := op(); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(errc)
	if err := <-errc; err != nil {
		return 0, err
	}
	return elapsed, nil
}

func newEmployer(serial *atomic.Int64) registry.Employer {
	code := fmt.Sprintf("91370811%09d", 100000000+serial.Add(1))
	return registry.Employer{CreditCode: code + string(registry.CreditCodeCheckChar(code)), Name: "济宁测量有限公司",
		RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100, Status: "active"}
}

// plainCreate is CreateEmployer's transaction without its audit entry:
// the same insert of the same columns. CreateEmployer checks the region
// against the store's memory of known codes (no statement once a code has
// been seen) and leaves the credit code's uniqueness to the constraint, so
// neither adds a statement here either.
func plainCreate(ctx context.Context, s *store.Store, e registry.Employer) error {
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.Now().UTC().Truncate(time.Microsecond)
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO employers (credit_code, name, region_code, industry, risk_class,
		rate_tier_pct, contact_name, contact_phone_enc, contact_phone_masked, address, status, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		e.CreditCode, e.Name, e.RegionCode, e.Industry, e.RiskClass, e.RateTierPct, e.ContactName, []byte{}, "",
		e.Address, e.Status, now, now, 1).Scan(&id); err != nil {
		return err
	}
	return tx.Commit()
}
