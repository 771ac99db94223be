// Package bench holds the `gongshang bench NAME` measurements. Each ends
// with one line per figure:
//
//	BENCH name=… metric=… value=… unit=… baseline=… ratio=…
//
// where the baseline is measured in the same run on the same machine, so a
// noisy, shared box still yields a comparable ratio.
package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// Line is one reported figure.
type Line struct {
	Name, Metric, Unit string
	Value, Baseline    float64
}

func (l Line) String() string {
	ratio := 0.0
	if l.Baseline != 0 {
		ratio = l.Value / l.Baseline
	}
	return fmt.Sprintf("BENCH name=%s metric=%s value=%s unit=%s baseline=%s ratio=%.3f",
		l.Name, l.Metric, num(l.Value), l.Unit, num(l.Baseline), ratio)
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// Options are the flags every benchmark takes.
type Options struct {
	Scale    float64
	Engine   string // sqlite, postgres or both
	Database string // PostgreSQL URL
	// CPUProfile, when set, is where bench settle writes a pprof CPU
	// profile of its driving phase (the engine added before the suffix).
	CPUProfile string
	// Extract, when set, is a settlement extract folder bench supervision
	// measures instead of generating one.
	Extract string
	Out     io.Writer
	Log     io.Writer
}

var benches = map[string]func(context.Context, Options) ([]Line, error){
	"registry": registryBench,
	// audit: the audit log's figures, then the fund audit's (the
	// screening of a city-year against a raw pass, as `gongshang audit`
	// names the fund-supervision commands); each family also alone.
	"audit":       both(auditBench, supervisionBench),
	"auditlog":    auditBench,
	"demo":        demoBench,
	"export":      exportBench,
	"cases":       casesBench,
	"settle":      settleBench,
	"payroll":     payrollBench,
	"supervision": supervisionBench,
}

// both runs one benchmark, then the other, and reports the lines of both.
func both(a, b func(context.Context, Options) ([]Line, error)) func(context.Context, Options) ([]Line, error) {
	return func(ctx context.Context, opt Options) ([]Line, error) {
		out, err := a(ctx, opt)
		if err != nil {
			return out, err
		}
		more, err := b(ctx, opt)
		return append(out, more...), err
	}
}

// Run parses `bench NAME [flags]` and runs it.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || benches[args[0]] == nil {
		fmt.Fprintln(stderr, "用法: gongshang bench registry|audit|auditlog|demo|export|cases|settle|payroll|supervision [--scale 1] [--engine sqlite|postgres|both] [--database postgres://…]")
		return fmt.Errorf("unknown benchmark")
	}
	name := args[0]
	fs := flag.NewFlagSet("bench "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	opt := Options{Out: stdout, Log: stderr}
	fs.Float64Var(&opt.Scale, "scale", 1, "size factor; 1 is the documented default size")
	fs.StringVar(&opt.Engine, "engine", "sqlite", "sqlite, postgres or both")
	fs.StringVar(&opt.Database, "database", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL URL for --engine postgres")
	fs.StringVar(&opt.CPUProfile, "cpuprofile", "", "bench settle: write a pprof CPU profile of the driving phase to this file")
	fs.StringVar(&opt.Extract, "extract", "", "bench supervision: measure this extract folder instead of a generated one")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if opt.Scale <= 0 || opt.Scale > 100 {
		return fmt.Errorf("--scale must be in (0, 100]")
	}
	lines, err := benches[name](ctx, opt)
	for _, l := range lines {
		fmt.Fprintln(stdout, l)
	}
	return err
}

// perEngine runs a measurement on each engine asked for, in turn.
func perEngine(on func(context.Context, Options, string) ([]Line, error)) func(context.Context, Options) ([]Line, error) {
	return func(ctx context.Context, opt Options) ([]Line, error) {
		var out []Line
		for _, engine := range engines(opt) {
			lines, err := on(ctx, opt, engine)
			out = append(out, lines...)
			if err != nil {
				return out, fmt.Errorf("%s: %w", engine, err)
			}
		}
		return out, nil
	}
}

// engines lists the engines to measure.
func engines(opt Options) []string {
	switch opt.Engine {
	case "both":
		return []string{"sqlite", "postgres"}
	case "postgres":
		return []string{"postgres"}
	}
	return []string{"sqlite"}
}

// timings collects durations and reports percentiles in milliseconds.
type timings []time.Duration

func (t timings) pct(p float64) float64 {
	s := append(timings(nil), t...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return float64(s[max(i, 0)].Microseconds()) / 1000
}

func logf(opt Options, format string, args ...any) {
	fmt.Fprintf(opt.Log, strings.TrimSuffix(format, "\n")+"\n", args...)
}
