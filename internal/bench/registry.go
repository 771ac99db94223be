package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/blob"
	"gongshang/internal/demo"
	"gongshang/internal/imports"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
)

// registryBench loads 100,000 workers × scale, then measures list and search
// latency against a trivial query's latency on the same store, and the
// import rate of a .xlsx of as many further workers against the rate of
// merely reading that file.
var registryBench = perEngine(registryOn)

func registryOn(ctx context.Context, opt Options, engine string) ([]Line, error) {
	s, cleanup, err := freshStore(ctx, opt, engine)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	workers := int(100000 * opt.Scale)
	today := time.Now()
	all := demo.Generate(7, 2*float64(workers)/20000, today)
	loaded, rest := split(all)
	name := "registry." + engine
	t0 := time.Now()
	if err := s.LoadBulk(ctx, access.System, loaded, store.LoadOptions{Action: "bench.load"}); err != nil {
		return nil, err
	}
	logf(opt, "%s: loaded %d employers, %d workers, %d wages in %s", engine, len(loaded.Employers), len(loaded.Workers), len(loaded.Wages), time.Since(t0).Round(time.Millisecond))
	// Measure the steady state a running system is in once autovacuum has
	// passed, not the minutes right after a bulk load.
	if err := s.Analyze(ctx, true); err != nil {
		return nil, err
	}
	lines, err := measureQueries(ctx, s, name, loaded)
	if err != nil {
		return lines, err
	}
	imp, err := measureImport(ctx, opt, s, name, loaded, rest)
	return append(lines, imp...), err
}

// split keeps all employers and the first half of the workers (with their
// links) for loading; the second half becomes the import file.
func split(b *store.Bulk) (*store.Bulk, []registry.Worker) {
	half := len(b.Workers) / 2
	loaded := &store.Bulk{Employers: b.Employers, Workers: b.Workers[:half]}
	for _, e := range b.Employments {
		if e.Worker < half {
			loaded.Employments = append(loaded.Employments, e)
		}
	}
	for _, w := range b.Wages {
		if w.Worker < half {
			loaded.Wages = append(loaded.Wages, w)
		}
	}
	return loaded, b.Workers[half:]
}

func freshStore(ctx context.Context, opt Options, engine string) (*store.Store, func(), error) {
	// A temporary folder holds the SQLite file and the file store (the
	// demo's cases print letters into it).
	dir, err := os.MkdirTemp("", "gongshang-bench-")
	if err != nil {
		return nil, nil, err
	}
	files, err := blob.NewDir(filepath.Join(dir, "files"), 20<<20)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	so := store.Options{DataKey: pii.NewKey(), AuditKey: audit.NewKey(), Files: files}
	if engine == "sqlite" {
		s, err := store.Open(ctx, filepath.Join(dir, "bench.db"), so)
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return s, func() { s.Close(); os.RemoveAll(dir) }, nil
	}
	admin, err := sql.Open("pgx", opt.Database)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	schema := fmt.Sprintf("gs_bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	sep := "?"
	if strings.Contains(opt.Database, "?") {
		sep = "&"
	}
	s, err := store.Open(ctx, opt.Database+sep+"search_path="+schema, so)
	drop := func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
		os.RemoveAll(dir)
	}
	if err != nil {
		drop()
		return nil, nil, err
	}
	return s, func() { s.Close(); drop() }, nil
}

// query is one kind of list or search a clerk runs: the i-th call.
type query struct {
	metric string
	run    func(ctx context.Context, i int) error
}

// workers and employers make queries of FindWorkers and FindEmployers.
func workers(s *store.Store, metric string, scope access.Scope, filter func(i int) store.WorkerFilter) query {
	return query{metric, func(ctx context.Context, i int) error {
		_, _, err := s.FindWorkers(ctx, scope, filter(i))
		return err
	}}
}

func employers(s *store.Store, metric string, scope access.Scope, filter func(i int) store.EmployerFilter) query {
	return query{metric, func(ctx context.Context, i int) error {
		_, _, err := s.FindEmployers(ctx, scope, filter(i))
		return err
	}}
}

// picker returns the i-th of the n values that keep and their part, spread
// over the whole set, so 200 calls look up 200 different names.
func picker[T any](all []T, part func(T) (string, bool)) func(i int) string {
	var parts []string
	for _, v := range all {
		if p, ok := part(v); ok {
			parts = append(parts, p)
		}
	}
	return func(i int) string { return parts[i*7919%len(parts)] }
}

// runeRange is s[from:to] counted in characters, or false when s has
// fewer than want characters.
func runeRange(s string, want, from, to int) (string, bool) {
	r := []rune(s)
	if len(r) < want {
		return "", false
	}
	return string(r[from:to]), true
}

func measureQueries(ctx context.Context, s *store.Store, name string, b *store.Bulk) ([]Line, error) {
	city, county := access.ScopeOf("370800"), access.ScopeOf("370811")
	// A given name: the last two characters of a three-character name.
	given := picker(b.Workers, func(w registry.Worker) (string, bool) { return runeRange(w.Name, 3, 1, 3) })
	whole := picker(b.Workers, func(w registry.Worker) (string, bool) { return runeRange(w.Name, 3, 0, 3) })
	// A one-character given name: the second character of a two-character name.
	given1 := picker(b.Workers, func(w registry.Worker) (string, bool) {
		if r := []rune(w.Name); len(r) == 2 {
			return string(r[1]), true
		}
		return "", false
	})
	// Two-character words of trades, common and rare (机械 in about one
	// employer name in eight of the demo's, 纺织 in one in a hundred).
	trades := []string{"机械", "食品", "建筑", "物流", "化工", "纺织", "科技", "商贸", "制造", "煤炭", "医药", "印刷"}
	trade := func(i int) string { return trades[i%len(trades)] }
	qs := []query{
		workers(s, "list_city_p", city, func(int) store.WorkerFilter { return store.WorkerFilter{} }),
		workers(s, "list_county_p", county, func(int) store.WorkerFilter { return store.WorkerFilter{} }),
		workers(s, "list_page20_p", city, func(int) store.WorkerFilter { return store.WorkerFilter{Page: store.Page{Offset: 19 * 50, Limit: 50}} }),
		workers(s, "search_name_p", city, func(i int) store.WorkerFilter {
			return store.WorkerFilter{Query: b.Workers[i*7919%len(b.Workers)].Name[:3]}
		}),
		workers(s, "search_given1_p", city, func(i int) store.WorkerFilter { return store.WorkerFilter{Query: given1(i)} }),
		workers(s, "search_given2_p", city, func(i int) store.WorkerFilter { return store.WorkerFilter{Query: given(i)} }),
		workers(s, "search_name3_p", city, func(i int) store.WorkerFilter { return store.WorkerFilter{Query: whole(i)} }),
		workers(s, "search_id_p", city, func(i int) store.WorkerFilter {
			return store.WorkerFilter{Query: b.Workers[i*7919%len(b.Workers)].IDNumber}
		}),
		workers(s, "search_id4_p", city, func(i int) store.WorkerFilter {
			return store.WorkerFilter{Query: b.Workers[i*7919%len(b.Workers)].IDNumber[14:]}
		}),
		workers(s, "list_employer_p", city, func(i int) store.WorkerFilter {
			return store.WorkerFilter{EmployerID: b.Employers[i*31%len(b.Employers)].ID}
		}),
		employers(s, "employer_trade2_p", city, func(i int) store.EmployerFilter { return store.EmployerFilter{Query: trade(i)} }),
		// The home page's registry by region and industry, for the city.
		{"home_counts_p", func(ctx context.Context, _ int) error { _, err := s.RegistryCounts(ctx, city); return err }},
		employers(s, "employer_code8_p", city, func(i int) store.EmployerFilter {
			return store.EmployerFilter{Query: b.Employers[i*7919%len(b.Employers)].CreditCode[6:14]}
		}),
	}
	const n = 200
	base := make(timings, 0, n)
	for range n {
		t := time.Now()
		if err := s.Ping(ctx); err != nil {
			return nil, err
		}
		if _, err := s.Regions(ctx, county); err != nil {
			return nil, err
		}
		base = append(base, time.Since(t))
	}
	var out []Line
	for _, q := range qs {
		ts := make(timings, 0, n)
		for i := range n {
			t := time.Now()
			if err := q.run(ctx, i); err != nil {
				return out, fmt.Errorf("%s: %w", q.metric, err)
			}
			ts = append(ts, time.Since(t))
		}
		out = append(out,
			Line{Name: name, Metric: q.metric + "50", Unit: "ms", Value: ts.pct(50), Baseline: base.pct(50)},
			Line{Name: name, Metric: q.metric + "99", Unit: "ms", Value: ts.pct(99), Baseline: base.pct(99)})
	}
	return out, nil
}

// measureImport writes the workers to an .xlsx, times reading it alone
// (the baseline), then times the full import: read, validate, resolve
// employers, check duplicates, encrypt, insert and audit every row.
func measureImport(ctx context.Context, opt Options, s *store.Store, name string, b *store.Bulk, ws []registry.Worker) ([]Line, error) {
	rows := [][]string{imports.Header(imports.Workers)}
	for i, w := range ws {
		e := b.Employers[i%len(b.Employers)]
		rows = append(rows, []string{w.IDNumber, w.Name, w.Phone, w.BankName, w.BankAccount, e.CreditCode, "2021-03-01"})
	}
	var file bytes.Buffer
	if err := sheet.WriteXLSX(&file, "导入", rows); err != nil {
		return nil, err
	}
	t := time.Now()
	if _, err := sheet.Read(context.Background(), "bench.xlsx", file.Bytes()); err != nil {
		return nil, err
	}
	readRate := float64(len(ws)) / time.Since(t).Seconds()
	clerk := access.Principal{UserID: 1, Username: "bench", Kind: access.KindStaff, Role: access.RoleClerk, RegionCode: "370800"}
	t = time.Now()
	res, err := imports.Run(ctx, s, clerk, imports.Workers, "bench.xlsx", file.Bytes(), false)
	if err != nil {
		return nil, err
	}
	if res.Imported != len(ws) {
		return nil, fmt.Errorf("import: %d of %d rows imported (%s; first problem %+v)", res.Imported, len(ws), res.Summary, first(res.Problems))
	}
	rate := float64(len(ws)) / time.Since(t).Seconds()
	logf(opt, "%s: imported %d rows (%.0f MB file) in %s", name, len(ws), float64(file.Len())/1e6, time.Since(t).Round(time.Millisecond))
	return []Line{{Name: name, Metric: "import_xlsx_rate", Unit: "rows/s", Value: rate, Baseline: readRate}}, nil
}

func first(ps []store.ImportProblem) store.ImportProblem {
	if len(ps) == 0 {
		return store.ImportProblem{}
	}
	return ps[0]
}
