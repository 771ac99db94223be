package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// payrollBench: `gongshang bench payroll` seeds 1,000,000 entitlements
// (× --scale) over Jining's eleven counties and runs every county's
// monthly cycle to its bank files: OpenCycle as the system, the job's
// chunks (snapshot, checks), submit and approve by two officers,
// GenerateBankFiles (which streams every file's bytes into the hash it
// records); downloading the files again is timed apart (download_s). In the
// same run it bulk-inserts as many rows into a scratch table shaped like
// payroll_lines, in transactions of the cycle's chunk size (the physical
// write): cycle_s's baseline. Target (issue 10): ratio ≤ 2 on both
// engines, memory flat (peak RSS against the RSS after seeding).
var payrollBench = perEngine(payrollOn)

// payrollPhases are the parts of a cycle timed on their own.
var payrollPhases = []string{"snapshot", "checks", "approve", "files"}

func payrollOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	regions := payrollRegions()
	month := payroll.MonthOf(time.Now())
	n := max(1000, int(1_000_000*opt.Scale))
	t0 := time.Now()
	seeded, err := s.SeedPayroll(ctx, store.PayrollSeed{Entitlements: n, Regions: regions, Month: month.String(), Seed: 10})
	if err != nil {
		return nil, fmt.Errorf("seeding: %w", err)
	}
	logf(opt, "%s: seeded %d entitlements (%d amount rows, %d events) of %d workers and %d dependants over %d counties in %s",
		engine, seeded.Entitlements, seeded.Amounts, seeded.Events, seeded.Workers, seeded.Dependants, len(regions), time.Since(t0).Round(time.Millisecond))
	if err := s.Analyze(ctx, engine == "postgres"); err != nil {
		return nil, err
	}
	ps, err := params.New(ctx, s, params.Options{MaxAge: params.DefaultMaxAge})
	if err != nil {
		return nil, err
	}
	set := ps.Set(ctx)
	runtime.GC()
	debug.FreeOSMemory()
	rssBase := procStatusMB("VmRSS")
	resetPeakRSS()

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
	phase := map[string]time.Duration{}
	var lines int64
	var batches []int64
	start := time.Now()
	for _, r := range regions {
		c, err := payrollCycle(ctx, s, set, r, month.String(), phase, &batches)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r, err)
		}
		if c.LineCount != int64(seeded.Active[r]) {
			return nil, fmt.Errorf("%s: %d lines for %d active entitlements", r, c.LineCount, seeded.Active[r])
		}
		lines += c.LineCount
	}
	cycle := time.Since(start)
	if opt.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	download, err := downloadFiles(ctx, s, batches)
	if err != nil {
		return nil, err
	}
	peak := procStatusMB("VmHWM")
	if err := logLineStates(ctx, opt, s, engine); err != nil {
		return nil, err
	}
	physical, err := s.PayrollPhysicalWrite(ctx, int(lines))
	if err != nil {
		return nil, err
	}
	logf(opt, "%s: %d cycles, %d lines in %s (snapshot %s, checks %s, approve %s, files %s); physical write of %d rows %s; RSS %.0f MB after seeding, peak %.0f MB",
		engine, len(regions), lines, cycle.Round(time.Millisecond), phase["snapshot"].Round(time.Millisecond), phase["checks"].Round(time.Millisecond),
		phase["approve"].Round(time.Millisecond), phase["files"].Round(time.Millisecond), lines, physical.Round(time.Millisecond), rssBase, peak)
	name := "payroll." + engine
	out := []Line{
		{Name: name, Metric: "cycle_s", Value: cycle.Seconds(), Unit: "s", Baseline: physical.Seconds()},
		{Name: name, Metric: "lines_per_s", Value: float64(lines) / cycle.Seconds(), Unit: "lines/s", Baseline: float64(lines) / physical.Seconds()},
		{Name: name, Metric: "peak_rss_mb", Value: peak, Unit: "MB", Baseline: rssBase},
	}
	for _, p := range payrollPhases {
		out = append(out, Line{Name: name, Metric: p + "_s", Value: phase[p].Seconds(), Unit: "s", Baseline: physical.Seconds()})
	}
	out = append(out, Line{Name: name, Metric: "download_s", Value: download.Seconds(), Unit: "s", Baseline: physical.Seconds()})
	return out, nil
}

// payrollRegions are Jining's county-level units.
func payrollRegions() []string {
	rs, err := registry.Regions()
	if err != nil {
		panic(err)
	}
	var out []string
	for _, r := range rs {
		if r.Parent == "370800" && r.Level == "county" {
			out = append(out, r.Code)
		}
	}
	return out
}

// The two officers of the maker-checker step.
var (
	payrollMaker   = access.Principal{UserID: 901, Username: "bench-maker", Kind: access.KindStaff, Role: access.RoleBenefits, RegionCode: "370800"}
	payrollChecker = access.Principal{UserID: 902, Username: "bench-checker", Kind: access.KindStaff, Role: access.RoleCycleApprover, RegionCode: "370800"}
)

// payrollCycle runs one region's cycle from open to its bank files, adding
// each phase's time to phase.
func payrollCycle(ctx context.Context, s *store.Store, set *param.Set, region, month string, phase map[string]time.Duration, batches *[]int64) (store.PayrollCycle, error) {
	t := time.Now()
	lap := func(p string) {
		now := time.Now()
		phase[p] += now.Sub(t)
		t = now
	}
	c, err := s.OpenCycle(ctx, access.System, set, region, month)
	if err != nil {
		return c, err
	}
	// The job's loop (RunCycle), one chunk at a time, to time the
	// snapshot and the checks apart.
	state := c.State
	for {
		more, err := s.AdvanceCycle(ctx, set, c.ID)
		if err != nil {
			return c, err
		}
		if c, err = s.FindCycle(ctx, access.System, c.ID); err != nil {
			return c, err
		}
		if state == payroll.Opening {
			lap("snapshot")
		} else {
			lap("checks")
		}
		state = c.State
		if !more {
			break
		}
	}
	if c.State != payroll.Review {
		return c, fmt.Errorf("cycle %d is %s after its job", c.ID, c.State)
	}
	if c, err = s.ActOnCycle(ctx, payrollMaker, c.ID, store.CycleAction{Action: payroll.Submit, Version: c.Version}); err != nil {
		return c, err
	}
	if c, err = s.ActOnCycle(ctx, payrollChecker, c.ID, store.CycleAction{Action: payroll.Approve, Version: c.Version}); err != nil {
		return c, err
	}
	lap("approve")
	// Generating a file streams every byte of it (through the SHA-256 the
	// batch records): the payment file is made here, once.
	bs, err := s.GenerateBankFiles(ctx, payrollMaker, c.ID)
	if err != nil {
		return c, err
	}
	lap("files")
	for _, b := range bs {
		*batches = append(*batches, b.ID)
	}
	return c, nil
}

// downloadFiles reads every file again as the officer downloading it for
// the bank does (regenerated and checked against its hash): timed apart,
// it is the transfer, not the cycle.
func downloadFiles(ctx context.Context, s *store.Store, batches []int64) (time.Duration, error) {
	t := time.Now()
	for _, id := range batches {
		if _, err := s.BankFile(ctx, payrollMaker, id, io.Discard); err != nil {
			return 0, err
		}
	}
	return time.Since(t), nil
}

// logLineStates logs how the lines of every cycle ended up, by state and
// reason: the seeded mix at work.
func logLineStates(ctx context.Context, opt Options, s *store.Store, engine string) error {
	rows, err := s.DB().QueryContext(ctx, `SELECT kind, state, reason, COUNT(*) FROM payroll_lines GROUP BY kind, state, reason ORDER BY kind, state, reason`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var kind, state, reason string
		var n int64
		if err := rows.Scan(&kind, &state, &reason, &n); err != nil {
			return err
		}
		parts = append(parts, strings.TrimSuffix(fmt.Sprintf("%s/%s/%s", kind, state, reason), "/")+" "+strconv.FormatInt(n, 10))
	}
	logf(opt, "%s: lines by kind/state/reason: %s", engine, strings.Join(parts, ", "))
	return rows.Err()
}

// procStatusMB reads a kB field of /proc/self/status in MB (0 where
// there is none).
func procStatusMB(field string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != field {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			return 0
		}
		return kb / 1024
	}
	return 0
}

// resetPeakRSS starts VmHWM again from the current RSS (Linux: writing 5
// to clear_refs), so the peak measured is the cycles' own, not the
// seeding's. Where it cannot, the peak includes the seeding.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
