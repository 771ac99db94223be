package bench

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/auditsynth"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// benchExtract writes the labelled synthetic settlement extract of the
// given scale (1 = a city-year, settlement-extract.md §1) into dir.
var benchExtract = func(dir string, scale float64) error {
	_, err := auditsynth.Generate(dir, auditsynth.Options{Seed: 1, Scale: scale})
	return err
}

// supervisionBench measures the fund-supervision screening of a synthetic
// extract: its import, the read of the stored extract, and the scan
// against a raw pass over the same lines (read the stored extract, look
// up each line's catalogue row valid that day, sum per encounter). The
// ratio scan / raw pass is what the detectors cost over touching every
// line once.
var supervisionBench = perEngine(supervisionOn)

func supervisionOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	dir, cleanup, err := benchExtractDir(opt)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	files, err := extractDir(dir)
	if err != nil {
		return nil, err
	}
	s, done, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer done()
	return measureSupervision(ctx, opt, s, "supervision_"+engine, dir, files)
}

// benchExtractDir is --extract, or a folder benchExtract fills.
func benchExtractDir(opt Options) (string, func(), error) {
	if opt.Extract != "" {
		return opt.Extract, func() {}, nil
	}
	if benchExtract == nil {
		return "", nil, errors.New("bench supervision: no extract generator (benchExtract is nil: point it at auditsynth.Generate, or give --extract DIR)")
	}
	dir, err := os.MkdirTemp("", "gongshang-extract-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	if err := benchExtract(dir, opt.Scale); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("generate extract: %w", err)
	}
	return dir, cleanup, nil
}

func measureSupervision(ctx context.Context, opt Options, s *store.Store, name, dir string, files map[string][]byte) ([]Line, error) {
	runtime.GC()
	rssBase := procStatusMB("VmRSS")
	resetPeakRSS()
	var info store.ExtractInfo
	imp, err := since(func() (err error) { info, err = s.ImportExtract(ctx, access.System, dir, files); return err })
	if err != nil {
		return nil, err
	}
	logf(opt, "%s: imported %d encounters, %d lines in %s", name, info.Counts["encounters"], info.Counts["lines"], imp.Round(time.Millisecond))
	read, err := since(func() error { _, err := s.LoadExtract(ctx, info.ID); return err })
	if err != nil {
		return nil, err
	}
	var sum int64
	raw, err := since(func() error {
		x, err := s.LoadExtract(ctx, info.ID)
		if err == nil {
			sum = rawPass(x)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	var findings int
	scan, err := since(func() error {
		x, err := s.LoadExtract(ctx, info.ID)
		if err == nil {
			findings = len(supervision.Scan(x, supervision.Config{}, nil))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	peak := procStatusMB("VmHWM")
	logf(opt, "%s: read %s, raw pass %s (checksum %d), scan %s (%d findings); RSS %.0f MB before, peak %.0f MB",
		name, read.Round(time.Millisecond), raw.Round(time.Millisecond), sum, scan.Round(time.Millisecond), findings, rssBase, peak)
	return []Line{
		{Name: name, Metric: "import_s", Unit: "s", Value: imp.Seconds(), Baseline: read.Seconds()},
		{Name: name, Metric: "read_s", Unit: "s", Value: read.Seconds(), Baseline: raw.Seconds()},
		{Name: name, Metric: "lines", Unit: "lines", Value: float64(info.Counts["lines"])},
		{Name: name, Metric: "scan_s", Unit: "s", Value: scan.Seconds(), Baseline: raw.Seconds()},
		{Name: name, Metric: "peak_rss_mb", Unit: "MB", Value: peak, Baseline: rssBase},
	}, nil
}

func since(op func() error) (time.Duration, error) {
	start := time.Now()
	err := op()
	return time.Since(start), err
}

// extractDir reads the extract files of a folder.
func extractDir(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, name := range supervision.ExtractFiles {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	return files, nil
}

// rawPass is the least a screening must do: every line's catalogue row
// valid on its day, the price over its institution's ceiling, and each
// encounter's sum. It returns a checksum so the work cannot be dropped.
func rawPass(x *supervision.Extract) int64 {
	rows := map[string][]int32{}
	for i := range x.Items {
		rows[x.Items[i].Code] = append(rows[x.Items[i].Code], int32(i))
	}
	level := map[string]int{}
	for _, in := range x.Institutions {
		level[in.Code] = in.Level
	}
	var check int64
	for ei := range x.Encounters {
		e := &x.Encounters[ei]
		lv := level[e.Institution]
		var sum int64
		for _, li := range e.Lines {
			l := &x.Lines[li]
			sum += l.Amount
			d := l.Time.Day()
			if i := slices.IndexFunc(rows[l.Code], func(r int32) bool { return x.Items[r].ValidOn(d) }); i >= 0 {
				if over := l.Price - x.Items[rows[l.Code][i]].Ceiling(lv); over > 0 {
					check += over
				}
			}
		}
		check += sum - e.Total
	}
	return check
}
