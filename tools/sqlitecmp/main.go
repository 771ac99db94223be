// Command sqlitecmp compares SQLite drivers for gongshang through database/sql.
//
// Run from this directory:
//
//	go run . -scale 1
//
// Without a driver build tag the program is an orchestrator: it builds itself
// once per driver (-tags modernc|mattn|ncruces), once more per driver with
// CGO_ENABLED=0 (and runs a smoke test of that binary), then runs the
// benchmark binaries for -rounds rounds with the driver order rotated each
// round, and prints Markdown tables of medians. mattn and ncruces both
// register the database/sql name "sqlite3", so each driver lives in its own
// binary; this also keeps one driver's heap out of another's timings.
//
// With a tag, the binary is a worker for that one driver:
//
//	go run -tags modernc . -scale 0.1          # human-readable
//	go run -tags modernc . -worker bench ...   # JSON, as the orchestrator reads it
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"
)

// driverDef is filled in by the one drv_*.go file selected by build tag.
type driverDef struct {
	name   string
	module string
	open   func(path string) (*sql.DB, error)
}

var compiled *driverDef

var allDrivers = []string{"modernc", "mattn", "ncruces"}

const (
	baseN     = 200_000 // batched inserts
	baseM     = 5_000   // single-row committed transactions
	baseK     = 50_000  // point selects (each kind)
	groupReps = 3       // GROUP BY repetitions
	employers = 20_000
	batchSize = 1_000
)

func main() {
	scale := flag.Float64("scale", 1, "multiplies N=200,000 inserts, M=5,000 single-row tx, K=50,000 point selects (paged lists: K/100)")
	rounds := flag.Int("rounds", 3, "rounds per driver; the driver order is rotated each round")
	dir := flag.String("dir", os.TempDir(), "where the temporary databases and binaries go")
	only := flag.String("drivers", strings.Join(allDrivers, ","), "comma-separated drivers to compare (orchestrator)")
	worker := flag.String("worker", "", "worker mode (needs a driver build tag): bench or smoke")
	seed := flag.Uint64("seed", 1, "data generator seed")
	flag.Parse()

	if compiled == nil {
		if *worker != "" {
			fatalf("-worker needs a driver build tag: -tags modernc|mattn|ncruces")
		}
		orchestrate(*scale, *rounds, *dir, strings.Split(*only, ","))
		return
	}
	var rep any
	switch *worker {
	case "smoke":
		rep = smoke(*dir)
	case "bench", "":
		r, err := bench(*dir, *scale, *seed)
		if err != nil {
			fatalf("%s: %v", compiled.name, err)
		}
		if *worker == "" { // run by hand: human output
			for _, o := range r.Ops {
				fmt.Printf("%-28s %8d ops  %s/op\n", o.Label, o.Count, fmtDur(o.perOp()))
			}
			return
		}
		rep = r
	default:
		fatalf("unknown -worker %q", *worker)
	}
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "sqlitecmp: "+format+"\n", a...)
	os.Exit(1)
}

// ---------------------------------------------------------------- worker

type report struct {
	Driver       string
	Module       string
	Version      string
	SQLite       string
	CGO          bool
	Pragmas      map[string]string
	Placeholders map[string]string // check -> "ok" or what happened
	FKEnforced   bool
	Ops          []op
}

type op struct {
	Key   string
	Label string
	Count int
	NS    int64 // wall time
	CPUNS int64 // process user+system CPU time (includes GC and any helper threads)
}

func (o op) perOp() time.Duration { return time.Duration(o.NS / int64(o.Count)) }

type smokeReport struct {
	Driver string
	OK     bool
	Detail string
}

func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "?"
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			return d.Version
		}
	}
	return "?"
}

func cgoEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "CGO_ENABLED" {
			return s.Value == "1"
		}
	}
	return false
}

const schema = `
CREATE TABLE employers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL
);
CREATE TABLE workers (
	id          INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL,
	name        TEXT NOT NULL,
	id_hash     BLOB NOT NULL UNIQUE,
	id_enc      BLOB NOT NULL,
	birth_date  TEXT NOT NULL,
	sex         TEXT NOT NULL,
	phone_enc   BLOB,
	employer_id INTEGER REFERENCES employers(id),
	created_at  TIMESTAMP NOT NULL
);
CREATE INDEX workers_region_name ON workers (region_code, name);
`

// The index on id_hash is the one SQLite creates for UNIQUE
// (sqlite_autoindex_workers_1); a second CREATE INDEX on it would only
// duplicate it and slow inserts.

const insertSQL = `INSERT INTO workers
	(region_code, name, id_hash, id_enc, birth_date, sex, phone_enc, employer_id, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

const selectCols = `id, region_code, name, id_hash, id_enc, birth_date, sex, phone_enc, employer_id, created_at`

type row struct {
	regionCode string
	name       string
	idHash     []byte
	idEnc      []byte
	birthDate  string
	sex        string
	phoneEnc   []byte
	employerID int64
	createdAt  time.Time
}

func (r *row) args() []any {
	return []any{r.regionCode, r.name, r.idHash, r.idEnc, r.birthDate, r.sex, r.phoneEnc, r.employerID, r.createdAt}
}

type scanned struct {
	id int64
	row
}

func (s *scanned) dest() []any {
	return []any{&s.id, &s.regionCode, &s.name, &s.idHash, &s.idEnc, &s.birthDate, &s.sex, &s.phoneEnc, &s.employerID, &s.createdAt}
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉玉兰春梅海燕飞鹏宇浩")
)

// cities are 4-digit prefixes; each has districts 01..10, so region codes
// look like 320101 and a pooling region (a city) is a prefix range.
func cities() []string {
	var c []string
	for _, p := range []int{32, 33} {
		for i := 1; i <= 10; i++ {
			c = append(c, fmt.Sprintf("%02d%02d", p, i))
		}
	}
	return c
}

type gen struct {
	r      *rand.Rand
	cities []string
	seq    uint64
	t0     time.Time
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), cities: cities(),
		t0: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], g.r.Uint64())
		copy(b[i:], w[:])
	}
	return b
}

func (g *gen) next() row {
	g.seq++
	city := g.cities[g.r.IntN(len(g.cities))]
	nm := []rune{surnames[g.r.IntN(len(surnames))], given[g.r.IntN(len(given))]}
	if g.r.IntN(3) > 0 {
		nm = append(nm, given[g.r.IntN(len(given))])
	}
	birth := time.Date(1960+g.r.IntN(46), time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	// an 18-character resident ID number; only its hash and ciphertext are stored
	idNo := fmt.Sprintf("%s%02d%s%03d%d", city, 1+g.r.IntN(10), birth.Format("20060102"), g.seq%1000, g.r.IntN(10))
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", idNo, g.seq)))
	sex := "M"
	if g.r.IntN(2) == 0 {
		sex = "F"
	}
	return row{
		regionCode: fmt.Sprintf("%s%02d", city, 1+g.r.IntN(10)),
		name:       string(nm),
		idHash:     h[:],
		idEnc:      g.bytes(46), // 12-byte nonce + 18 + 16-byte GCM tag
		birthDate:  birth.Format("2006-01-02"),
		sex:        sex,
		phoneEnc:   g.bytes(39), // 12 + 11 + 16
		employerID: 1 + int64(g.r.IntN(employers)),
		createdAt:  g.t0.Add(time.Duration(g.seq) * time.Second),
	}
}

func checkPragmas(ctx context.Context, db *sql.DB) (map[string]string, error) {
	want := map[string]string{"journal_mode": "wal", "synchronous": "1", "foreign_keys": "1", "busy_timeout": "10000"}
	got := map[string]string{}
	for _, p := range []string{"journal_mode", "synchronous", "foreign_keys", "busy_timeout", "cache_size", "page_size"} {
		var v string
		if err := db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&v); err != nil {
			return got, fmt.Errorf("PRAGMA %s: %w", p, err)
		}
		got[p] = v
		if w, ok := want[p]; ok && !strings.EqualFold(v, w) {
			return got, fmt.Errorf("PRAGMA %s = %s, want %s", p, v, w)
		}
	}
	return got, nil
}

func smoke(dir string) (rep smokeReport) {
	rep.Driver = compiled.name
	defer func() {
		if p := recover(); p != nil {
			rep.OK, rep.Detail = false, fmt.Sprintf("panic: %v", p)
		}
	}()
	tmp, err := os.MkdirTemp(dir, "sqlitecmp-smoke-")
	if err != nil {
		rep.Detail = err.Error()
		return
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()
	db, err := compiled.open(filepath.Join(tmp, "smoke.db"))
	if err != nil {
		rep.Detail = "open: " + err.Error()
		return
	}
	defer db.Close()
	if _, err := checkPragmas(ctx, db); err != nil {
		rep.Detail = err.Error()
		return
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		rep.Detail = "schema: " + err.Error()
		return
	}
	g := newGen(1)
	r := g.next()
	r.employerID = 1
	if _, err := db.ExecContext(ctx, `INSERT INTO employers (id, name) VALUES (1, 'e')`); err != nil {
		rep.Detail = "insert: " + err.Error()
		return
	}
	if _, err := db.ExecContext(ctx, insertSQL, r.args()...); err != nil {
		rep.Detail = "insert: " + err.Error()
		return
	}
	var s scanned
	if err := db.QueryRowContext(ctx, `SELECT `+selectCols+` FROM workers WHERE id = $1`, 1).Scan(s.dest()...); err != nil {
		rep.Detail = "select: " + err.Error()
		return
	}
	if s.name != r.name || !bytes.Equal(s.idHash, r.idHash) || !s.createdAt.Equal(r.createdAt) {
		rep.Detail = "select: row read back differs"
		return
	}
	rep.OK, rep.Detail = true, "created, inserted and read back a row"
	return
}

func placeholders(ctx context.Context, db *sql.DB) map[string]string {
	checks := []struct {
		name, q string
		args    []any
		want    string
	}{
		{"in order: $1 $2", `SELECT $1 || '|' || $2`, []any{"a", "b"}, "a|b"},
		{"reversed: $2 $1", `SELECT $2 || '|' || $1`, []any{"a", "b"}, "b|a"},
		{"repeated: $1 $1", `SELECT $1 || '|' || $1`, []any{"a"}, "a|a"},
	}
	out := map[string]string{}
	for _, c := range checks {
		var got string
		err := db.QueryRowContext(ctx, c.q, c.args...).Scan(&got)
		switch {
		case err != nil:
			out[c.name] = "error: " + err.Error()
		case got != c.want:
			out[c.name] = fmt.Sprintf("wrong: got %q, PostgreSQL gives %q", got, c.want)
		default:
			out[c.name] = "ok"
		}
	}
	return out
}

func bench(dir string, scale float64, seed uint64) (*report, error) {
	n := max(int(baseN*scale), batchSize)
	m := max(int(baseM*scale), 10)
	k := max(int(baseK*scale), 100)
	p := max(k/100, 10)
	ctx := context.Background()

	tmp, err := os.MkdirTemp(dir, "sqlitecmp-"+compiled.name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	db, err := compiled.open(filepath.Join(tmp, "bench.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetMaxIdleConns(4)

	rep := &report{Driver: compiled.name, Module: compiled.module, Version: moduleVersion(compiled.module), CGO: cgoEnabled()}
	if err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&rep.SQLite); err != nil {
		return nil, err
	}
	if rep.Pragmas, err = checkPragmas(ctx, db); err != nil {
		return nil, err
	}
	rep.Placeholders = placeholders(ctx, db)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if err := loadEmployers(ctx, db); err != nil {
		return nil, err
	}

	// All rows are generated before any timing starts.
	g := newGen(seed)
	batch := make([]row, n)
	for i := range batch {
		batch[i] = g.next()
	}
	single := make([]row, m)
	for i := range single {
		single[i] = g.next()
	}
	total := int64(n + m)
	r := rand.New(rand.NewPCG(seed+1, 7))
	pkIDs := make([]int64, k)
	hashes := make([][]byte, k)
	for i := range k {
		pkIDs[i] = 1 + r.Int64N(total)
		j := r.IntN(n + m)
		if j < n {
			hashes[i] = batch[j].idHash
		} else {
			hashes[i] = single[j-n].idHash
		}
	}
	type page struct{ lo, hi, nlo, nhi string }
	cs := cities()
	pages := make([]page, p)
	for i := range pages {
		c := cs[r.IntN(len(cs))]
		s := surnames[r.IntN(len(surnames))]
		pages[i] = page{c, incLast(c), string(s), string(s + 1)}
	}

	timed := func(key, label string, count int, f func() error) error {
		runtime.GC()
		c := cpuTime()
		t := time.Now()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		rep.Ops = append(rep.Ops, op{key, label, count, time.Since(t).Nanoseconds(), cpuTime() - c})
		return nil
	}

	// (1) batched insert, 1,000 rows per transaction, statement prepared per tx.
	err = timed("insert_batch", "insert, 1,000/tx (per row)", n, func() error {
		for off := 0; off < n; off += batchSize {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			st, err := tx.PrepareContext(ctx, insertSQL)
			if err != nil {
				tx.Rollback()
				return err
			}
			for i := off; i < min(off+batchSize, n); i++ {
				if _, err := st.ExecContext(ctx, batch[i].args()...); err != nil {
					tx.Rollback()
					return err
				}
			}
			st.Close()
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// (2) single-row committed transactions.
	err = timed("insert_tx", "single-row committed tx", m, func() error {
		for i := range single {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, insertSQL, single[i].args()...); err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.Commit(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var count int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM workers`).Scan(&count); err != nil {
		return nil, err
	}
	if count != total {
		return nil, fmt.Errorf("count(*) = %d, want %d", count, total)
	}
	// foreign_keys(1) must make a dangling employer_id fail.
	bad := single[0]
	bad.idHash = bytes.Repeat([]byte{0xff}, 32)
	bad.employerID = employers + 1
	_, fkErr := db.ExecContext(ctx, insertSQL, bad.args()...)
	rep.FKEnforced = fkErr != nil

	// (3) point selects: SQL text per call (as handler code does), then a
	// prepared statement for the PK case to show per-call prepare cost.
	var s scanned
	byPK := `SELECT ` + selectCols + ` FROM workers WHERE id = $1`
	err = timed("select_pk", "select by PK", k, func() error {
		for _, id := range pkIDs {
			if err := db.QueryRowContext(ctx, byPK, id).Scan(s.dest()...); err != nil {
				return err
			}
			if s.id != id {
				return fmt.Errorf("got id %d, want %d", s.id, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = timed("select_hash", "select by id_hash", k, func() error {
		for _, h := range hashes {
			if err := db.QueryRowContext(ctx, `SELECT `+selectCols+` FROM workers WHERE id_hash = $1`, h).Scan(s.dest()...); err != nil {
				return err
			}
			if !bytes.Equal(s.idHash, h) {
				return errors.New("wrong row")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = timed("select_pk_prep", "select by PK, prepared stmt", k, func() error {
		st, err := db.PrepareContext(ctx, byPK)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, id := range pkIDs {
			if err := st.QueryRowContext(ctx, id).Scan(s.dest()...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// (4) GROUP BY region_code over the whole table.
	err = timed("group_by", "GROUP BY region_code (full)", groupReps, func() error {
		for range groupReps {
			rows, err := db.QueryContext(ctx, `SELECT region_code, count(*), sum(sex = 'F'),
				min(birth_date), max(birth_date), count(DISTINCT employer_id)
				FROM workers GROUP BY region_code ORDER BY region_code`)
			if err != nil {
				return err
			}
			var sum, groups int64
			for rows.Next() {
				var rc, lo, hi string
				var c, f, e int64
				if err := rows.Scan(&rc, &c, &f, &lo, &hi, &e); err != nil {
					rows.Close()
					return err
				}
				sum += c
				groups++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			rows.Close()
			if sum != total || groups == 0 || groups > 200 {
				return fmt.Errorf("GROUP BY: %d rows in %d groups, want %d in at most 200", sum, groups, total)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// (5) paged list: a city (region prefix range) and a surname prefix range.
	listSQL := `SELECT id, region_code, name, birth_date, sex, employer_id, created_at FROM workers
		WHERE region_code >= $1 AND region_code < $2 AND name >= $3 AND name < $4
		ORDER BY name, id LIMIT 50`
	err = timed("page", "paged list, 50 rows", p, func() error {
		got := 0
		for _, pg := range pages {
			rows, err := db.QueryContext(ctx, listSQL, pg.lo, pg.hi, pg.nlo, pg.nhi)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, emp int64
				var rc, nm, bd, sx string
				var ca time.Time
				if err := rows.Scan(&id, &rc, &nm, &bd, &sx, &emp, &ca); err != nil {
					rows.Close()
					return err
				}
				got++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			rows.Close()
		}
		if got == 0 {
			return fmt.Errorf("paged list returned no rows over %d pages", p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func loadEmployers(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := 1; i <= employers; i++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO employers (id, name) VALUES ($1, $2)`, i, fmt.Sprintf("单位%05d", i)); err != nil {
			return fmt.Errorf("employers: %w", err)
		}
	}
	return tx.Commit()
}

// incLast returns the smallest string greater than every string with prefix s
// (for ASCII digits: "3201" -> "3202").
func incLast(s string) string {
	b := []byte(s)
	b[len(b)-1]++
	return string(b)
}

// ---------------------------------------------------------------- orchestrator

type buildInfo struct {
	Driver     string
	Bin        string
	BuildErr   string
	Size       int64
	Static     bool
	NoCGOBuild string // "ok" or the error
	NoCGOSize  int64
	NoCGOStat  bool
	NoCGOSmoke string
	NoCGOOK    bool
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

func build(tag, out string, cgo bool) error {
	cmd := exec.Command(goTool(), "build", "-tags", tag, "-o", out, ".")
	env := "CGO_ENABLED=0"
	if cgo {
		env = "CGO_ENABLED=1"
	}
	cmd.Env = append(os.Environ(), env)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, firstLines(buf.String(), 3))
	}
	return nil
}

func firstLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(ls[:min(n, len(ls))], " / ")
}

func isStatic(bin string) bool {
	f, err := elf.Open(bin)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	libs, _ := f.ImportedLibraries()
	return len(libs) == 0
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func runWorker(bin string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		return out.Bytes(), fmt.Errorf("%v: %s", err, firstLines(errb.String(), 4))
	}
	return out.Bytes(), nil
}

func orchestrate(scale float64, rounds int, dir string, drivers []string) {
	if _, err := os.Stat("go.mod"); err != nil {
		fatalf("run from tools/sqlitecmp (it builds itself): %v", err)
	}
	for _, d := range drivers {
		if !slices.Contains(allDrivers, d) {
			fatalf("unknown driver %q", d)
		}
	}
	binDir, err := os.MkdirTemp(dir, "sqlitecmp-bin-")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(binDir)
	start := time.Now()
	logf := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "[%6.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
	}

	builds := map[string]*buildInfo{}
	for _, d := range drivers {
		b := &buildInfo{Driver: d, Bin: filepath.Join(binDir, d)}
		builds[d] = b
		logf("build %s (CGO_ENABLED=1)", d)
		if err := build(d, b.Bin, true); err != nil {
			b.BuildErr = err.Error()
			logf("  failed: %v", err)
		} else {
			b.Size, b.Static = fileSize(b.Bin), isStatic(b.Bin)
		}
		logf("build %s (CGO_ENABLED=0)", d)
		nb := b.Bin + "-nocgo"
		if err := build(d, nb, false); err != nil {
			b.NoCGOBuild = "fails: " + err.Error()
			logf("  failed: %v", err)
			continue
		}
		b.NoCGOBuild, b.NoCGOSize, b.NoCGOStat = "ok", fileSize(nb), isStatic(nb)
		out, err := runWorker(nb, "-worker", "smoke", "-dir", dir)
		var sr smokeReport
		switch {
		case err != nil:
			b.NoCGOSmoke = "crashed: " + err.Error()
		case json.Unmarshal(out, &sr) != nil:
			b.NoCGOSmoke = "unreadable output: " + firstLines(string(out), 2)
		default:
			b.NoCGOOK, b.NoCGOSmoke = sr.OK, sr.Detail
		}
		logf("  smoke: ok=%v %s", b.NoCGOOK, b.NoCGOSmoke)
	}

	results := map[string][]*report{}
	failures := map[string]string{}
	var runnable []string
	for _, d := range drivers {
		if builds[d].BuildErr == "" {
			runnable = append(runnable, d)
		}
	}
	for r := range rounds {
		order := append(slices.Clone(runnable[r%max(len(runnable), 1):]), runnable[:r%max(len(runnable), 1)]...)
		for _, d := range order {
			if failures[d] != "" {
				continue
			}
			t := time.Now()
			out, err := runWorker(builds[d].Bin, "-worker", "bench", "-scale", fmt.Sprint(scale), "-dir", dir)
			if err != nil {
				failures[d] = err.Error()
				logf("  failed: %v", err)
				continue
			}
			var rep report
			if err := json.Unmarshal(out, &rep); err != nil {
				failures[d] = "unreadable output: " + err.Error()
				continue
			}
			results[d] = append(results[d], &rep)
			logf("round %d/%d: %s took %.1fs", r+1, rounds, d, time.Since(t).Seconds())
		}
	}
	logf("done")
	printTables(os.Stdout, scale, rounds, drivers, builds, results, failures)
}

func median(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func printTables(w *os.File, scale float64, rounds int, drivers []string, builds map[string]*buildInfo,
	results map[string][]*report, failures map[string]string) {
	var cols []string
	for _, d := range drivers {
		if len(results[d]) > 0 {
			cols = append(cols, d)
		}
	}
	fmt.Fprintf(w, "\nsqlitecmp -scale %g, %d rounds (driver order rotated), medians; GOOS/GOARCH %s/%s, %s, %d CPUs\n\n",
		scale, rounds, runtime.GOOS, runtime.GOARCH, runtime.Version(), runtime.NumCPU())
	if len(cols) > 0 {
		ref := "modernc"
		if len(results[ref]) == 0 {
			ref = cols[0]
		}
		for _, mt := range [][2]string{
			{"wall time", "Wall time, median of rounds:"},
			{"CPU time", "Process CPU time (user+system, GC included), median of rounds; less disturbed by other load on the box:"},
		} {
			metric, title := mt[0], mt[1]
			fmt.Fprintf(w, "%s\n\n| operation (%s per op) | count |", title, metric)
			for _, d := range cols {
				r := results[d][0]
				fmt.Fprintf(w, " %s %s |", d, r.Version)
			}
			fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(cols)))
			med := func(d string, i int) (int64, int64, int64) {
				var ns []int64
				for _, r := range results[d] {
					v := r.Ops[i].NS
					if metric == "CPU time" {
						v = r.Ops[i].CPUNS
					}
					ns = append(ns, v/int64(r.Ops[i].Count))
				}
				return median(ns), slices.Min(ns), slices.Max(ns)
			}
			for i, o := range results[cols[0]][0].Ops {
				refMed, _, _ := med(ref, i)
				fmt.Fprintf(w, "| %s | %d |", o.Label, o.Count)
				for _, d := range cols {
					m, _, _ := med(d, i)
					fmt.Fprintf(w, " %s (%.2f) |", fmtDur(time.Duration(m)), float64(m)/float64(refMed))
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "\n(ratio) = median ÷ %s's median; lower is faster. Worst spread across rounds, (max−min)/median:", ref)
			for _, d := range cols {
				worst := 0.0
				for i := range results[d][0].Ops {
					m, lo, hi := med(d, i)
					worst = max(worst, float64(hi-lo)/float64(m))
				}
				fmt.Fprintf(w, " %s %.0f%% (%d rounds);", d, worst*100, len(results[d]))
			}
			fmt.Fprint(w, "\n\n")
		}
	}

	fmt.Fprintf(w, "\n| driver | SQLite | default build (CGO_ENABLED=1) | CGO_ENABLED=0 build | CGO_ENABLED=0 run | `$2 … $1` / `$1 … $1` bound as PostgreSQL does | FK enforced |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|\n")
	for _, d := range drivers {
		b := builds[d]
		sqliteV, ph, fk := "?", "?", "?"
		if rs := results[d]; len(rs) > 0 {
			r := rs[0]
			sqliteV = r.SQLite
			ph = r.Placeholders["reversed: $2 $1"] + " / " + r.Placeholders["repeated: $1 $1"]
			fk = fmt.Sprint(r.FKEnforced)
		}
		bin := "build failed: " + b.BuildErr
		if b.BuildErr == "" {
			link := "dynamic (libc)"
			if b.Static {
				link = "static"
			}
			bin = fmt.Sprintf("%.1f MB, %s", float64(b.Size)/1e6, link)
		}
		run, nb := "-", b.NoCGOBuild
		if b.NoCGOBuild == "ok" {
			nb = fmt.Sprintf("ok, %.1f MB, %s", float64(b.NoCGOSize)/1e6, map[bool]string{true: "static", false: "dynamic"}[b.NoCGOStat])
			run = map[bool]string{true: "yes", false: "no"}[b.NoCGOOK] + ": " + b.NoCGOSmoke
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", d, sqliteV, bin, nb, run, ph, fk)
	}
	for _, d := range drivers {
		if f := failures[d]; f != "" {
			fmt.Fprintf(w, "\n%s failed a benchmark run: %s\n", d, f)
		}
	}
}
