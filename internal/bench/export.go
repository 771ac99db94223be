package bench

import (
	"context"
	"io"
	"runtime"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/demo"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
)

// exportBench loads 100,000 workers × scale and exports the city's whole
// worker list to .xlsx as the back office does (EachWorker through
// sheet.ExportXLSX, the bytes discarded), in the list's own order and
// sorted by name. The baseline is the same read without the spreadsheet
// (EachWorker alone); the heap figure's baseline is the heap in use
// before the export.
var exportBench = perEngine(exportOn)

func exportOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	workers := int(100000 * opt.Scale)
	b := demo.Generate(7, float64(workers)/20000, time.Now())
	t0 := time.Now()
	if err := s.LoadBulk(ctx, access.System, b, store.LoadOptions{Action: "bench.load"}); err != nil {
		return nil, err
	}
	logf(opt, "%s: loaded %d employers, %d workers in %s", engine, len(b.Employers), len(b.Workers), time.Since(t0).Round(time.Millisecond))
	b = nil // the heap figures are the export's
	if err := s.Analyze(ctx, true); err != nil {
		return nil, err
	}
	city := access.ScopeOf("370800")
	name := "export." + engine
	var out []Line
	for _, sort := range []string{"", "name"} {
		f := store.WorkerFilter{Sort: sort}
		metric := "city"
		if sort != "" {
			metric += "_by_" + sort
		}
		t1 := time.Now()
		n := 0
		if err := s.EachWorker(ctx, city, f, func(registry.Worker) error { n++; return nil }); err != nil {
			return out, err
		}
		read := time.Since(t1)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := sampleHeap()
		t2 := time.Now()
		rows := 0
		cols := make([]sheet.Column, 7)
		err := sheet.ExportXLSX(io.Discard, sheet.Export{Sheet: "职工", Title: "职工名单（全部）", Note: "bench", Columns: cols}, func(add sheet.RowFunc) error {
			return s.EachWorker(ctx, city, f, func(w registry.Worker) error {
				rows++
				return add(w.Name, w.IDMasked, registry.SexNames[w.Sex], w.BirthDate, w.PhoneMasked, w.RegionCode, w.CreatedAt.Format(time.DateOnly))
			})
		})
		took, heap := time.Since(t2), peak()
		if err != nil {
			return out, err
		}
		logf(opt, "%s %s: %d rows read in %s, exported in %s, peak heap %d MB", engine, metric, n, read.Round(time.Millisecond), took.Round(time.Millisecond), heap>>20)
		out = append(out,
			Line{Name: name, Metric: metric + "_seconds", Unit: "s", Value: took.Seconds(), Baseline: read.Seconds()},
			Line{Name: name, Metric: metric + "_rows", Unit: "rows", Value: float64(rows), Baseline: float64(n)},
			Line{Name: name, Metric: metric + "_peak_heap", Unit: "MB", Value: float64(heap >> 20), Baseline: float64(before.HeapInuse >> 20)})
	}
	return out, nil
}

// sampleHeap samples the heap in use every 10 ms until the returned
// function is called, which gives the highest sample.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				mu.Lock()
				peak = max(peak, m.HeapInuse)
				mu.Unlock()
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
