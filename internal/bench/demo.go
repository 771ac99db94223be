package bench

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"gongshang/internal/api"
	"gongshang/internal/audit"
	"gongshang/internal/backoffice"
	"gongshang/internal/blob"
	"gongshang/internal/demo"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/pii"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// demoBench measures what `gongshang demo` does before it listens: the
// first start (migrate, generate, load, walk the cases; their letters are
// printed by jobs after it listens) and the second start (open the
// existing database, find the demo loaded, build the server). The baseline
// is opening a fresh, empty database in the same run.
func demoBench(ctx context.Context, opt Options) ([]Line, error) {
	dir, err := os.MkdirTemp("", "gongshang-bench-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	key := pii.NewKey()
	t := time.Now()
	empty, err := store.Open(ctx, filepath.Join(dir, "empty.db"), store.Options{DataKey: key, AuditKey: audit.NewKey()})
	if err != nil {
		return nil, err
	}
	baseline := time.Since(t).Seconds()
	empty.Close()

	path := filepath.Join(dir, "demo.db")
	first, err := startDemo(ctx, path, key, opt.Scale)
	if err != nil {
		return nil, err
	}
	second, err := startDemo(ctx, path, key, opt.Scale)
	if err != nil {
		return nil, err
	}
	return []Line{
		{Name: "demo.sqlite", Metric: "first_start", Unit: "s", Value: first, Baseline: baseline},
		{Name: "demo.sqlite", Metric: "second_start", Unit: "s", Value: second, Baseline: baseline},
	}, nil
}

// startDemo repeats run's start-up path and returns its duration in seconds.
func startDemo(ctx context.Context, path, key string, scale float64) (float64, error) {
	t := time.Now()
	files, err := blob.NewDir(filepath.Join(filepath.Dir(path), "files"), 20<<20)
	if err != nil {
		return 0, err
	}
	s, err := store.Open(ctx, path, store.Options{DataKey: key, AuditKey: audit.NewKey(), Files: files})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	loaded, err := demo.Load(ctx, s, 20260301, scale, time.Now())
	if err != nil {
		return 0, err
	}
	if loaded {
		set, err := param.Default()
		if err != nil {
			return 0, err
		}
		if _, err := demo.LoadCases(ctx, s, set, 20260301, time.Now()); err != nil {
			return 0, err
		}
	}
	ps, err := params.New(ctx, s, params.Options{MaxAge: params.DefaultMaxAge})
	if err != nil {
		return 0, err
	}
	bo, err := backoffice.New(backoffice.Options{Store: s, Params: ps})
	if err != nil {
		return 0, err
	}
	ap, err := api.New(api.Options{Store: s, Params: ps})
	if err != nil {
		return 0, err
	}
	if _, err := web.Mount(web.Options{Store: s}, bo, ap); err != nil {
		return 0, err
	}
	return time.Since(t).Seconds(), nil
}
