package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/demo"
	"gongshang/internal/his"
	"gongshang/internal/hisapi"
	"gongshang/internal/hissim"
	"gongshang/internal/params"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// settleLevels are the numbers of hospitals settling at once, each a
// distinct institution.
var settleLevels = []int{1, 16, 64}

// settleLines is the number of fee lines of each flow (one 2301).
const settleLines = 40

// settlePersons is how many recognised workers the bench prepares, so
// that 64 hospitals never wait for a free person.
const settlePersons = 256

// ceilingPath is the bare JSON handler of the HTTP ceiling.
const ceilingPath = "/bench/ceiling"

// settleBench drives whole hospital flows (9001 once per hospital, then
// 1101 → 2401 → 2301 with 40 lines → 2402 → 2303 → 2304) over real HTTP
// on loopback with 1, 16 and 64 hospitals at once, against two ceilings
// measured in the same run at the same concurrency: a bare JSON handler
// on the same server and listener, through the same client (HTTP
// ceiling), and single-row INSERT transactions on the same store
// (write ceiling). It also counts what a flow writes (commits, archive
// and audit rows) and follows the audit sealer: its backlog while
// driving, the backlog left at the end, the time to drain it, and a
// verification of the chain afterwards.
var settleBench = perEngine(settleOn)

type settleRig struct {
	s       *store.Store
	engine  string
	log     *slog.Logger // errors only: a failed transaction's cause
	url     string
	httpc   *http.Client
	insts   []hissim.FixtureInstitution
	persons []hissim.FixturePerson
	items   []hissim.FixtureItem
	// ceilBody is a signed 2304 envelope's size, posted to the ceiling.
	ceilBody []byte
}

func settleOn(ctx context.Context, opt Options, engine string) (out []Line, err error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	t0 := time.Now()
	rig, err := loadSettleRig(ctx, s, engine)
	if err != nil {
		return nil, fmt.Errorf("loading: %w", err)
	}
	rig.log = slog.New(slog.NewTextHandler(opt.Log, &slog.HandlerOptions{Level: slog.LevelError}))
	logf(opt, "%s: loaded the demo registry, %d institutions, %d recognised workers and the catalogue in %s",
		engine, len(rig.insts), len(rig.persons), time.Since(t0).Round(time.Millisecond))
	if err := s.Analyze(ctx, engine == "postgres"); err != nil {
		return nil, err
	}
	// The whole load is sealed before the server starts, so the backlog
	// measured below is the flows' own.
	if _, err := untilSealedDirect(ctx, s); err != nil {
		return nil, err
	}
	sctx, stopSealer := context.WithCancel(ctx)
	sealed := make(chan error, 1)
	go func() { sealed <- s.RunAuditSealer(sctx, store.AuditSealEvery, time.Hour, nil) }()
	defer func() {
		stopSealer()
		if serr := <-sealed; err == nil && serr != nil {
			err = serr
		}
	}()
	stop, err := rig.serve(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()

	flows := max(16, int(2000*opt.Scale))
	ceilFor := time.Duration(float64(3*time.Second) * min(1, max(opt.Scale, 0.1)))
	name := "settle." + engine
	var totalFlows int
	var counts, before rowCounts
	var peak atomic.Int64
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watched := make(chan struct{})
	go func() { defer close(watched); watchBacklog(watch, s, &peak) }()
	// The ceilings first, then the flows, so that the profile holds the
	// flows alone.
	hps := map[int]httpCeil{}
	wcs := map[int]float64{}
	for _, c := range settleLevels {
		if c > len(rig.insts) {
			return out, fmt.Errorf("%d hospitals wanted, %d institutions", c, len(rig.insts))
		}
		if hps[c], err = rig.httpCeiling(ctx, c, ceilFor); err != nil {
			return out, fmt.Errorf("HTTP ceiling: %w", err)
		}
		if wcs[c], err = writeCeiling(ctx, s, c, ceilFor); err != nil {
			return out, fmt.Errorf("write ceiling: %w", err)
		}
	}
	if opt.CPUProfile != "" {
		f, err := os.Create(profileName(opt.CPUProfile, engine))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	if before, err = countRows(ctx, s); err != nil {
		return nil, err
	}
	for _, c := range settleLevels {
		hp, wc := hps[c], wcs[c]
		n := flows
		if c == 1 {
			n = max(8, flows/4)
		}
		st, err := rig.drive(ctx, c, n)
		if err != nil {
			return out, err
		}
		if st.Errors > 0 {
			return out, fmt.Errorf("%d hospitals: %d of %d flows failed; the first: %w", c, st.Errors, n, st.FirstErr)
		}
		totalFlows += st.Flows
		p := st.Latency[his.InfnoSettle]
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		cs := "_c" + strconv.Itoa(c)
		logf(opt, "%s, %d hospitals: %d flows in %s, %.1f flows/s (write ceiling %.0f tx/s); 2304 p50 %.2f p99 %.2f ms (HTTP ceiling p50 %.2f p99 %.2f ms, %.0f req/s)",
			engine, c, st.Flows, st.Elapsed.Round(time.Millisecond), st.FlowsPerSec, wc, ms(p.P50), ms(p.P99), hp.p50, hp.p99, hp.rate)
		for _, step := range hissim.FlowSteps {
			if l, ok := st.Latency[step]; ok {
				logf(opt, "    %s: n %d, p50 %.2f ms, p99 %.2f ms, max %.2f ms", step, l.N, ms(l.P50), ms(l.P99), ms(l.Max))
			}
		}
		out = append(out,
			Line{Name: name, Metric: "flows_per_s" + cs, Value: st.FlowsPerSec, Unit: "flows/s", Baseline: wc},
			Line{Name: name, Metric: "p50_2304" + cs, Value: ms(p.P50), Unit: "ms", Baseline: hp.p50},
			Line{Name: name, Metric: "p99_2304" + cs, Value: ms(p.P99), Unit: "ms", Baseline: hp.p99},
			Line{Name: name, Metric: "http_ceiling" + cs, Value: hp.rate, Unit: "req/s", Baseline: hp.rate},
			Line{Name: name, Metric: "write_ceiling" + cs, Value: wc, Unit: "tx/s", Baseline: wc})
	}
	if opt.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	stopWatch()
	<-watched
	backlog, err := s.AuditPending(ctx)
	if err != nil {
		return out, err
	}
	drain, err := untilSealed(ctx, s)
	if err != nil {
		return out, err
	}
	if counts, err = countRows(ctx, s); err != nil {
		return out, err
	}
	rep, err := s.VerifyAudit(ctx, nil)
	if err != nil {
		return out, err
	}
	if rep.Problem != nil {
		return out, fmt.Errorf("audit chain after the run: %v", rep.Problem)
	}
	per := func(a, b int64) float64 { return float64(a-b) / float64(totalFlows) }
	commits, audits := per(counts.messages, before.messages), per(counts.audit, before.audit)
	logf(opt, "%s: per flow %.2f write transactions (archived envelopes, each one commit), %.2f audit entries, %.2f fee lines, %.2f settlements; "+
		"sealer: backlog at most %d while driving, %d at the end, drained in %s; audit verify: %d sealed, no problem",
		engine, commits, audits, per(counts.lines, before.lines), per(counts.settlements, before.settlements),
		peak.Load(), backlog, drain.Round(time.Millisecond), rep.Sealed)
	out = append(out,
		Line{Name: name, Metric: "commits_per_flow", Value: commits, Unit: "tx", Baseline: 20},
		Line{Name: name, Metric: "audit_per_flow", Value: audits, Unit: "entries", Baseline: commits},
		Line{Name: name, Metric: "audit_backlog_peak", Value: float64(peak.Load()), Unit: "entries", Baseline: audits * float64(totalFlows)},
		Line{Name: name, Metric: "audit_drain_ms", Value: float64(drain.Microseconds()) / 1000, Unit: "ms", Baseline: float64(store.AuditSealEvery.Milliseconds())})
	return out, nil
}

// profileName adds the engine to the profile's name when both run.
func profileName(path, engine string) string {
	if i := strings.LastIndexByte(path, '.'); i > strings.LastIndexByte(path, '/') {
		return path[:i] + "." + engine + path[i:]
	}
	return path + "." + engine
}

// loadSettleRig loads the demo registry, institutions with their tokens,
// the sample catalogue and the meal-allowance rate (the demo's own
// loaders), then gives settlePersons workers with a current employment a
// recognised injury (decided ten days ago), in one bulk load.
func loadSettleRig(ctx context.Context, s *store.Store, engine string) (*settleRig, error) {
	const seed = 20260301
	now := time.Now()
	f, err := demo.LoadWithSettlement(ctx, s, seed, 0.05, now)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(f)
	fx, err := hissim.ParseFixtures(b)
	if err != nil {
		return nil, err
	}
	rig := &settleRig{s: s, engine: engine, items: fx.CoveredItems("drug", "item", "material")}
	for _, d := range f.Institutions {
		if d.Type != "medical" || d.Status != "active" || !strings.HasPrefix(d.Admvs, "3708") {
			continue
		}
		for _, in := range fx.Institutions {
			if in.FixmedinsCode == d.Code {
				rig.insts = append(rig.insts, in)
			}
		}
	}
	if rig.persons, err = benchPersons(ctx, s, now); err != nil {
		return nil, err
	}
	return rig, nil
}

// benchPersons gives recognised injuries to workers who have a current
// employment and no case yet.
func benchPersons(ctx context.Context, s *store.Store, now time.Time) ([]hissim.FixturePerson, error) {
	today := day(now)
	rows, err := s.DB().QueryContext(ctx, `SELECT m.worker_id, m.employer_id, e.region_code FROM employments m JOIN employers e ON e.id = m.employer_id
		WHERE m.start_date <= $1 AND m.end_date IS NULL AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.worker_id = m.worker_id)
		ORDER BY m.worker_id LIMIT $2`, today, settlePersons*2)
	if err != nil {
		return nil, err
	}
	type emp struct {
		worker, employer int64
		region           string
	}
	var emps []emp
	seen := map[int64]bool{}
	for rows.Next() {
		var e emp
		if err := rows.Scan(&e.worker, &e.employer, &e.region); err != nil {
			rows.Close()
			return nil, err
		}
		if !seen[e.worker] && len(emps) < settlePersons {
			seen[e.worker] = true
			emps = append(emps, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(emps) < settlePersons {
		return nil, fmt.Errorf("only %d workers to make recognised, %d wanted", len(emps), settlePersons)
	}
	injured, applied, decided := now.AddDate(0, 0, -40), now.AddDate(0, 0, -38), now.AddDate(0, 0, -10)
	cs := make([]casebundle.Case, len(emps))
	for i, e := range emps {
		c := casebundle.Case{RegionCode: e.region, WorkerID: e.worker, EmployerID: e.employer, InjuryDate: day(injured), ApplicationDate: day(applied),
			InjuryKind: casebundle.InjuryAccident, Channel: casebundle.Channels[0], Applicant: casebundle.ApplicantEmployer, ApplicantName: "测量用人单位",
			Place: "车间", Cause: "benchmark", InjuredPart: "右手", Diagnosis: "S62.6 右手示指骨折"}
		c.Number = casebundle.FormatNumber(e.region, applied.Year(), int64(900000+i))
		rec := casebundle.Service{Kind: casebundle.Recognition, State: casebundle.Decided, Step: "recognition_delivery", Party: casebundle.PartyAgency,
			Due: day(decided.AddDate(0, 0, 20)), Detail: casebundle.Detail{ReceivedOn: c.ApplicationDate, Outcome: casebundle.OutcomeRecognised,
				Ground: "14.1", DecidedOn: day(decided)}}
		c.Services = []casebundle.Service{rec}
		cs[i] = c
	}
	if err := s.LoadCases(ctx, access.System, cs, "demo.load"); err != nil {
		return nil, err
	}
	out := make([]hissim.FixturePerson, len(cs))
	for i, c := range cs {
		w, err := s.FindWorkerByID(ctx, access.ScopeOf("370000"), c.WorkerID)
		if err != nil {
			return nil, err
		}
		out[i] = hissim.FixturePerson{Certno: w.IDNumber, PsnName: w.Name, InsuplcAdmdvs: "370800", Kind: hissim.KindRecognized,
			InjuryID: c.Number, DiagCode: "S62.6", TreatAdmvs: w.RegionCode}
	}
	return out, nil
}

// serve starts the real server on loopback: the hospital interface as
// serve mounts it, and the ceiling's bare JSON handler on the same
// server, listener and pipeline.
func (rig *settleRig) serve(ctx context.Context) (func(), error) {
	ps, err := params.New(ctx, rig.s, params.Options{MaxAge: params.DefaultMaxAge})
	if err != nil {
		return nil, err
	}
	hp := hisapi.New(hisapi.Options{Store: rig.s, Params: ps, Logger: rig.log})
	h, err := web.Mount(web.Options{Store: rig.s}, hp, ceilingSurface())
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	go srv.Serve(ln)
	rig.url = "http://" + ln.Addr().String()
	rig.httpc = &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}}
	// The ceiling's body: a 2304 envelope of the usual size.
	env := his.Request{Infno: his.InfnoSettle, Msgid: strings.Repeat("1", 30), MdtrtareaAdmvs: "370811", InsuplcAdmdvs: "370800", RecerSysCode: "GSHIS",
		Infver: "V1.0", OpterType: "1", Opter: "HISSIM", OpterName: "模拟经办人", InfTime: his.FormatDateTime(time.Now()), FixmedinsCode: "H37081100001",
		FixmedinsName: "济宁市第一人民医院", SignNo: "SN1", Input: json.RawMessage(`{"data":{"psn_no":"370800000000000001","mdtrt_cert_type":"02",` +
			`"mdtrt_cert_no":"370811199001011234","medfee_sumamt":1234.56,"psn_setlway":"01","mdtrt_id":"37080000000000001","insutype":"410","mid_setl_flag":"0","acct_used_flag":"0"}}`)}
	rig.ceilBody, _ = json.Marshal(env)
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		rig.httpc.CloseIdleConnections()
	}, nil
}

// ceilingSurface is the bare JSON handler: it decodes the body and
// answers a fixed envelope, with no signature, store or archive.
func ceilingSurface() *web.Surface {
	reply := []byte(`{"infcode":0,"inf_refmsgid":"","refmsg_time":"","respond_time":"","err_msg":"","warn_msg":"","output":{}}`)
	return &web.Surface{Name: "bench", MaxBodyBytes: his.MaxBody,
		Fail: func(w http.ResponseWriter, r *http.Request, rq *web.Request, err error) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		},
		Routes: []web.Route{{Pattern: "POST " + ceilingPath, H: func(w http.ResponseWriter, r *http.Request, _ *web.Request) error {
			var env map[string]any
			if err := json.NewDecoder(r.Body).Decode(&env); err != nil {
				return err
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, err := w.Write(reply)
			return err
		}}}}
}

// clients are c hospitals, each a distinct institution.
func (rig *settleRig) clients(c int) []*hissim.Client {
	cl := make([]*hissim.Client, c)
	for i := range cl {
		cl[i] = &hissim.Client{BaseURL: rig.url, Inst: rig.insts[i], HTTP: rig.httpc}
	}
	return cl
}

func (rig *settleRig) drive(ctx context.Context, c, flows int) (hissim.Stats, error) {
	return hissim.DriveN(ctx, rig.clients(c), rig.persons, rig.items, c, flows, settleLines)
}

type httpCeil struct{ rate, p50, p99 float64 }

// httpCeiling posts the ceiling body from c goroutines for d through the
// flows' client.
func (rig *settleRig) httpCeiling(ctx context.Context, c int, d time.Duration) (httpCeil, error) {
	var mu sync.Mutex
	var all timings
	var firstErr error
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine timings
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t := time.Now()
				err := rig.postCeiling(ctx)
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return httpCeil{}, firstErr
	}
	return httpCeil{rate: float64(len(all)) / time.Since(start).Seconds(), p50: all.pct(50), p99: all.pct(99)}, nil
}

func (rig *settleRig) postCeiling(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rig.url+ceilingPath, bytes.NewReader(rig.ceilBody))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json;charset=utf-8")
	res, err := rig.httpc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", res.StatusCode)
	}
	return nil
}

// writeCeiling is single-row INSERT transactions per second from c
// goroutines for d, through the store's own connection pool (the same
// DSN, pragmas and pool settings; on SQLite the same immediate
// transactions).
func writeCeiling(ctx context.Context, s *store.Store, c int, d time.Duration) (float64, error) {
	db := s.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_write_ceiling (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, at TIMESTAMP NOT NULL)`); err != nil {
		return 0, err
	}
	var next, done atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var last int64
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM bench_write_ceiling`).Scan(&last); err != nil {
		return 0, err
	}
	next.Store(last)
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				err := func() error {
					tx, err := db.BeginTx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback()
					if _, err := tx.ExecContext(ctx, `INSERT INTO bench_write_ceiling (id, payload, at) VALUES ($1, $2, $3)`,
						next.Add(1), "济宁测量一行", time.Now().UTC()); err != nil {
						return err
					}
					return tx.Commit()
				}()
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	return float64(done.Load()) / time.Since(start).Seconds(), nil
}

type rowCounts struct{ messages, audit, lines, settlements int64 }

func countRows(ctx context.Context, s *store.Store) (rowCounts, error) {
	var c rowCounts
	err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM his_messages), (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM audit_pending),
		(SELECT COUNT(*) FROM fee_lines), (SELECT COUNT(*) FROM settlements)`).Scan(&c.messages, &c.audit, &c.lines, &c.settlements)
	return c, err
}

// watchBacklog samples the pending audit entries every 50 ms and keeps
// the largest.
func watchBacklog(ctx context.Context, s *store.Store, peak *atomic.Int64) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n, err := s.AuditPending(ctx); err == nil && n > peak.Load() {
			peak.Store(n)
		}
	}
}

// untilSealedDirect seals everything pending without the sealer running.
func untilSealedDirect(ctx context.Context, s *store.Store) (int, error) {
	total := 0
	for {
		n, err := s.SealAudit(ctx, 5000)
		if err != nil || n == 0 {
			return total, err
		}
		total += n
	}
}
