package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/payroll"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// Bulk seeding for `gongshang bench payroll` and the payroll's crash
// test: many entitlements with a realistic mix, written in multi-row
// statements without the checks and audit entries an officer's entry
// makes. Nothing here runs in production.

// PayrollCycleChunk is the number of entitlements or lines one
// transaction of a cycle's job handles (the crash test seeds several).
const PayrollCycleChunk = cycleChunk

// PayrollSeed describes what SeedPayroll writes.
type PayrollSeed struct {
	Entitlements int      // total, spread round-robin over Regions
	Regions      []string // county codes
	Month        string   // the month the next cycle pays, YYYY-MM
	Seed         uint64
}

// PayrollSeeded counts what SeedPayroll wrote.
type PayrollSeeded struct {
	Workers, Dependants, Entitlements, Amounts, Events int
	// Active is the number of active entitlements per region: every one
	// of them gets exactly one regular line in the month's cycle.
	Active map[string]int
}

// seedEnt is one entitlement to write; the payee is Workers[worker], or
// the dependant deps[dep] when dep >= 0.
type seedEnt struct {
	worker, dep int32
	region      uint8
	typ         uint8 // seedDisability, seedNursing, seedSurvivor
	level       uint8
	care        uint8
	bank        uint8 // index into seedBanks
	invalid     bool
	amount      int32
	start, cert string
}

const (
	seedDisability = iota
	seedNursing
	seedSurvivor
)

type seedDep struct {
	worker        int32
	name, birth   string
	relation      string
	incapacitated bool
}

type seedEvent struct {
	worker, dep int32
	kind        string
	on, until   string
}

// seedBanks are the agency's eight banks by code.
var seedBanks = []string{"ICBC", "ABC", "CCB", "BOC", "BOCOM", "PSBC", "RCB", "JNB"}

var (
	seedSurnames = []rune("王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	seedGiven    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文志梅海波宁春雪琴云飞鹏辉燕凤晶颖晓红林森立新宏德")
)

func seedName(rng *rand.Rand) string {
	n := string(seedSurnames[rng.IntN(len(seedSurnames))]) + string(seedGiven[rng.IntN(len(seedGiven))])
	if rng.IntN(3) > 0 {
		n += string(seedGiven[rng.IntN(len(seedGiven))])
	}
	return n
}

// seedCard is a bank card number of the bank that passes
// payroll.CheckAccount, or fails it when invalid.
func seedCard(bank, serial int, invalid bool) string {
	body := fmt.Sprintf("6%02d%015d", 20+bank, 300000000+serial)
	d := payroll.LuhnDigit(body)
	if invalid {
		d = '0' + (d-'0'+1)%10
	}
	return body + string(d)
}

// SeedPayroll writes p.Entitlements active monthly entitlements over
// p.Regions: about 60% 伤残津贴 levels 1–4, 25% 生活护理费, 10% 供养亲属抚恤金
// to the dependants of deceased workers, 5% levels 5–6 paid by the
// employer; about 2% with an event (prison, death, retirement; for
// dependants remarriage, employment, adoption), 1% with an account that
// fails its check, 3% whose 资格认证 is overdue, some children past 18.
// Workers are registered for them (one per ten plain entitlements; one of
// their own for those with an event and for each deceased worker), each
// entitlement with its amount history. Banks are spread over the eight
// codes; the sealed accounts are a few distinct values reused.
func (s *Store) SeedPayroll(ctx context.Context, p PayrollSeed) (PayrollSeeded, error) {
	res := PayrollSeeded{Active: map[string]int{}}
	m, err := payroll.ParseMonth("month", p.Month)
	if err != nil {
		return res, err
	}
	if len(p.Regions) == 0 || len(p.Regions) > 255 || p.Entitlements <= 0 {
		return res, fmt.Errorf("store: seed payroll: regions and entitlements wanted")
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x9e3779b97f4a7c15))
	g := &seeder{rng: rng, m: m, regions: p.Regions, want: p.Entitlements, shared: make([]int32, len(p.Regions)), left: make([]int, len(p.Regions))}
	for i := range g.shared {
		g.shared[i] = -1
	}
	for len(g.ents) < p.Entitlements {
		g.entitlement(uint8(len(g.ents) % len(p.Regions)))
	}
	if err := s.LoadBulk(ctx, access.System, &Bulk{Workers: g.workers}, LoadOptions{Action: "bench.payroll_seed"}); err != nil {
		return res, fmt.Errorf("store: seed payroll workers: %w", err)
	}
	depIDs, err := s.seedDependants(ctx, g)
	if err != nil {
		return res, err
	}
	if err := s.seedEntitlements(ctx, g, depIDs); err != nil {
		return res, err
	}
	if err := s.seedEvents(ctx, g, depIDs); err != nil {
		return res, err
	}
	amounts, err := s.seedAmounts(ctx)
	if err != nil {
		return res, err
	}
	for _, e := range g.ents {
		res.Active[p.Regions[e.region]]++
	}
	res.Workers, res.Dependants, res.Entitlements, res.Amounts, res.Events = len(g.workers), len(g.deps), len(g.ents), amounts, len(g.events)
	if len(g.ents) >= analyzeAfter {
		if err := s.Analyze(ctx, false); err != nil {
			return res, err
		}
	}
	return res, nil
}

// seeder generates the entitlements and what they refer to, by position.
type seeder struct {
	rng     *rand.Rand
	m       payroll.Month
	regions []string
	want    int
	workers []registry.Worker
	deps    []seedDep
	ents    []seedEnt
	events  []seedEvent
	shared  []int32 // per region: the worker plain entitlements go to
	left    []int   // per region: plain entitlements the shared worker still takes
}

// worker registers a new worker of region. The birth date and the
// serial come from the worker's position, so no two ID numbers repeat
// (birth dates spread over 1955–1990).
func (g *seeder) worker(region uint8) int32 {
	code := g.regions[region]
	n := len(g.workers)
	birth := time.Date(1955, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n/1000)*37%13000)
	first17 := fmt.Sprintf("%s%s%03d", code, birth.Format("20060102"), n%1000)
	w := registry.Worker{IDNumber: first17 + string(registry.IDCheckChar(first17)), Name: seedName(g.rng), BirthDate: birth.Format(time.DateOnly),
		Phone: fmt.Sprintf("13%09d", 100000000+n), BankName: payroll.BankName(seedBanks[n%len(seedBanks)]),
		BankAccount: seedCard(n%len(seedBanks), n%64, false), RegionCode: code, BirthYear: birth.Year(), Sex: "F"}
	if n%2 == 1 {
		w.Sex = "M"
	}
	g.workers = append(g.workers, w)
	return int32(n)
}

// day is a random day of month mm (an offset from the cycle's month).
func (g *seeder) day(offset int) string {
	return g.m.Add(offset).First().AddDate(0, 0, g.rng.IntN(28)).Format(time.DateOnly)
}

func (g *seeder) entitlement(region uint8) {
	r := g.rng.Float64()
	e := seedEnt{dep: -1, region: region, bank: uint8(g.rng.IntN(len(seedBanks))), invalid: g.rng.Float64() < 0.01}
	// Paid since a month between 10 years and 1 month ago.
	startOff := -1 - g.rng.IntN(120)
	e.start = g.m.Add(startOff).First().Format(time.DateOnly)
	// 资格认证 within the last 11 months, 3% overdue (13–24 months ago),
	// never before the start.
	certOff := -1 - g.rng.IntN(11)
	if g.rng.Float64() < 0.03 {
		certOff = -13 - g.rng.IntN(12)
	}
	e.cert = g.day(max(certOff, startOff))
	if max(certOff, startOff) == startOff {
		e.cert = e.start
	}
	event := g.rng.Float64() < 0.02
	switch {
	case r < 0.60:
		e.typ, e.level = seedDisability, uint8(1+g.rng.IntN(4))
		e.amount = int32([]int{563800, 507400, 451000, 394700}[e.level-1] + g.rng.IntN(40000))
	case r < 0.85:
		e.typ, e.care = seedNursing, uint8(g.rng.IntN(3))
		e.amount = int32([]int{430900, 344700, 258500}[e.care])
	case r < 0.95:
		g.survivors(e, event)
		return
	default:
		e.typ, e.level = seedDisability, uint8(5+g.rng.IntN(2))
		e.amount = int32([]int{338300, 282000}[e.level-5] + g.rng.IntN(30000))
	}
	if event {
		e.worker = g.worker(region)
		kinds := []string{payroll.EventPrison, payroll.EventDeath}
		if e.typ == seedDisability {
			kinds = append(kinds, payroll.EventRetired)
		}
		ev := seedEvent{worker: e.worker, dep: -1, kind: kinds[g.rng.IntN(len(kinds))], on: g.day(-1 - g.rng.IntN(3))}
		if ev.kind == payroll.EventPrison && g.rng.IntN(2) == 0 {
			ev.until = g.day(6 + g.rng.IntN(24))
		}
		g.events = append(g.events, ev)
		g.ents = append(g.ents, e)
		return
	}
	if g.left[region] == 0 {
		g.shared[region], g.left[region] = g.worker(region), 10
	}
	e.worker = g.shared[region]
	g.left[region]--
	g.ents = append(g.ents, e)
}

// survivors adds a deceased worker with one to three dependants, each
// with a 供养亲属抚恤金; the first inherits the drawn event and account.
func (g *seeder) survivors(first seedEnt, event bool) {
	w := g.worker(first.region)
	death := g.m.Add(-2-g.rng.IntN(100)).First().AddDate(0, 0, g.rng.IntN(28))
	g.events = append(g.events, seedEvent{worker: w, dep: -1, kind: payroll.EventDeath, on: death.Format(time.DateOnly)})
	start := payroll.MonthOf(death).Add(1).First().Format(time.DateOnly)
	n := min(1+g.rng.IntN(3), g.want-len(g.ents))
	for k := range n {
		d := seedDep{worker: w, name: seedName(g.rng)}
		switch {
		case k == 0 && g.rng.IntN(3) > 0:
			// A spouse or a parent: supported because unable to work.
			d.relation, d.incapacitated = []string{"配偶", "父母"}[g.rng.IntN(2)], true
			d.birth = g.m.Add(-12*(45+g.rng.IntN(30))).First().AddDate(0, 0, g.rng.IntN(28)).Format(time.DateOnly)
		default:
			// A child: 0–17, some just past 18.
			d.relation = "子女"
			age := g.rng.IntN(18)
			if g.rng.Float64() < 0.05 {
				age = 18
			}
			d.birth = g.m.Add(-12*age-1-g.rng.IntN(11)).First().AddDate(0, 0, g.rng.IntN(28)).Format(time.DateOnly)
		}
		e := first
		if k > 0 {
			e.bank, e.invalid = uint8(g.rng.IntN(len(seedBanks))), g.rng.Float64() < 0.01
		}
		e.worker, e.dep, e.typ, e.level, e.start = w, int32(len(g.deps)), seedSurvivor, 0, start
		if e.cert < start {
			e.cert = start
		}
		e.amount = int32(120000 + g.rng.IntN(150000))
		if event && k == 0 {
			kinds := []string{payroll.EventDeath, payroll.EventPrison}
			if d.relation == "配偶" {
				kinds = append(kinds, payroll.EventRemarried)
			} else if d.relation == "子女" {
				kinds = append(kinds, payroll.EventEmployed, payroll.EventAdopted)
			}
			g.events = append(g.events, seedEvent{worker: w, dep: e.dep, kind: kinds[g.rng.IntN(len(kinds))], on: g.day(-1 - g.rng.IntN(3))})
		}
		g.deps = append(g.deps, d)
		g.ents = append(g.ents, e)
	}
}

// seedDependants writes the dependants and returns their ids by position.
func (s *Store) seedDependants(ctx context.Context, g *seeder) ([]int64, error) {
	ids := make([]int64, len(g.deps))
	index := make(map[string]int, len(g.deps))
	cols := []string{"worker_id", "region_code", "name", "relation", "birth_date", "incapacitated", "id_hash", "id_enc", "id_masked",
		"guardian_name", "created_at", "updated_at"}
	sealed := s.pii.Seal("370811201001010000")
	err := s.write(ctx, access.System, func(t *tx) error {
		row := func(i int) []any {
			d := g.deps[i]
			w := g.workers[d.worker]
			first17 := fmt.Sprintf("%s%s%03d", w.RegionCode, strings.ReplaceAll(d.birth, "-", ""), i%1000)
			idn := first17 + string(registry.IDCheckChar(first17))
			hash := s.pii.Hash(fmt.Sprintf("%s#%d", idn, i))
			index[string(hash)] = i
			guardian := ""
			if !d.incapacitated {
				guardian = w.Name
			}
			return []any{w.ID, w.RegionCode, d.name, d.relation, d.birth, d.incapacitated, hash, sealed, pii.MaskID(idn), guardian, t.now, t.now}
		}
		return t.insertReturning(ctx, "dependants", cols, len(g.deps), row, "id_hash", func(id int64, key any) error {
			i, ok := index[string(key.([]byte))]
			if !ok {
				return fmt.Errorf("store: seed dependants: unexpected key")
			}
			ids[i] = id
			return nil
		})
	})
	return ids, err
}

// seedEntitlements writes the entitlements, 50,000 per transaction.
func (s *Store) seedEntitlements(ctx context.Context, g *seeder, depIDs []int64) error {
	type acct struct {
		name, masked string
		enc          []byte
	}
	// Four valid accounts per bank and one that fails its check.
	valid, invalid := make([][]acct, len(seedBanks)), make([]acct, len(seedBanks))
	for b := range seedBanks {
		name := payroll.BankName(seedBanks[b])
		for k := range 4 {
			n := seedCard(b, 900+k, false)
			valid[b] = append(valid[b], acct{name, pii.MaskAccount(n), s.pii.Seal(n)})
		}
		n := seedCard(b, 999, true)
		invalid[b] = acct{name, pii.MaskAccount(n), s.pii.Seal(n)}
	}
	hashes := make([][]byte, 64)
	for i := range hashes {
		hashes[i] = s.pii.Hash(fmt.Sprintf("payee-%d", i))
	}
	cols := []string{"worker_id", "region_code", "type", "payer", "amount_fen", "start_date", "payee_kind", "payee_name", "payee_id_hash",
		"payee_id_masked", "bank_name", "bank_enc", "bank_masked", "status", "created_at", "updated_at", "version", "source", "level", "care",
		"dependant_id", "guardian_name", "bank_code", "bank_valid", "certified_on", "watch", "payee_birth", "payee_incapacitated"}
	watched := map[[2]int32]bool{}
	for _, ev := range g.events {
		watched[[2]int32{ev.worker, ev.dep}] = true
	}
	const per = 50000
	for start := 0; start < len(g.ents); start += per {
		part := g.ents[start:min(start+per, len(g.ents))]
		err := s.write(ctx, access.System, func(t *tx) error {
			return t.insertMany(ctx, "entitlements", cols, len(part), func(i int) []any {
				e := part[i]
				w := g.workers[e.worker]
				a := valid[e.bank][(start+i)%4]
				if e.invalid {
					a = invalid[e.bank]
				}
				typ, payer, care, source := payroll.TypeDisability, "fund", "", "legacy"
				kind, name, masked, guardian := "worker", w.Name, w.IDMasked, ""
				var dep, birth any
				incap := false
				switch e.typ {
				case seedNursing:
					typ, care = payroll.TypeNursing, []string{"full", "most", "partial"}[e.care]
				case seedSurvivor:
					d := g.deps[e.dep]
					typ, source, kind, name, masked = payroll.TypeSurvivor, "death", "dependant", d.name, "370811********0000"
					dep, birth, incap = depIDs[e.dep], d.birth, d.incapacitated
					if !d.incapacitated {
						guardian = w.Name
					}
				}
				if e.level >= 5 {
					payer = "employer"
				}
				return []any{w.ID, w.RegionCode, typ, payer, int64(e.amount), e.start, kind, name, hashes[(start+i)%len(hashes)],
					masked, a.name, a.enc, a.masked, "active", t.now, t.now, 1, source, int(e.level), care,
					dep, guardian, seedBanks[e.bank], !e.invalid, e.cert, watched[[2]int32{e.worker, e.dep}], birth, incap}
			}, "")
		})
		if err != nil {
			return fmt.Errorf("store: seed entitlements: %w", err)
		}
	}
	return nil
}

// seedEvents writes the payee events.
func (s *Store) seedEvents(ctx context.Context, g *seeder, depIDs []int64) error {
	cols := []string{"region_code", "worker_id", "dependant_id", "kind", "on_date", "until_date", "note", "created_at", "updated_at"}
	return s.write(ctx, access.System, func(t *tx) error {
		return t.insertMany(ctx, "payroll_events", cols, len(g.events), func(i int) []any {
			ev := g.events[i]
			w := g.workers[ev.worker]
			var dep, until any
			if ev.dep >= 0 {
				dep = depIDs[ev.dep]
			}
			if ev.until != "" {
				until = ev.until
			}
			return []any{w.RegionCode, w.ID, dep, ev.kind, ev.on, until, "测量数据", t.now, t.now}
		}, "")
	})
}

// seedAmounts gives every entitlement its amount history in two
// set-based statements: the amount since its start and, for one in five
// started before 2025, the 2025 adjustment that raised it by 30 yuan.
func (s *Store) seedAmounts(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, access.System, func(t *tx) error {
		r1, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_at)
			SELECT id, start_date, CASE WHEN id % 5 = 0 AND start_date < '2025-01-01' THEN amount_fen - 3000 ELSE amount_fen END, '存量待遇迁移', $1
			FROM entitlements WHERE source IN ('legacy', 'death') AND NOT EXISTS (SELECT 1 FROM entitlement_amounts a WHERE a.entitlement_id = entitlements.id)`, t.now)
		if err != nil {
			return err
		}
		r2, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_at)
			SELECT id, '2025-01-01', amount_fen, '2025年待遇调整', $1 FROM entitlements WHERE id % 5 = 0 AND start_date < '2025-01-01'`, t.now)
		if err != nil {
			return err
		}
		a, _ := r1.RowsAffected()
		b, _ := r2.RowsAffected()
		n = a + b
		// The 2025 adjustment's amount is the latest: amount_fen holds it
		// from then on.
		_, err = t.ExecContext(ctx, `UPDATE entitlements SET amount_from = '2025-01-01' WHERE id % 5 = 0 AND start_date < '2025-01-01'`)
		return err
	})
	return int(n), err
}

// PayrollPhysicalWrite is the physical write a cycle of n lines is
// measured against: n rows shaped like payroll_lines (the same columns
// and types, the primary key, no other index) bulk-inserted in
// multi-row INSERTs, one transaction per PayrollCycleChunk rows, through
// the store's own connections and write path; the scratch table is
// dropped afterwards. It returns the time of the inserts alone.
func (s *Store) PayrollPhysicalWrite(ctx context.Context, n int) (time.Duration, error) {
	id := "INTEGER PRIMARY KEY"
	blob, ts, big := "BLOB", "TIMESTAMP", "INTEGER"
	if s.engine == Postgres {
		id, blob, ts, big = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA", "TIMESTAMPTZ", "BIGINT"
	}
	ddl := `CREATE TABLE bench_payroll_lines (id ` + id + `, cycle_id ` + big + ` NOT NULL, region_code TEXT NOT NULL, month TEXT NOT NULL,
		kind TEXT NOT NULL, entitlement_id ` + big + `, payable_id ` + big + `, worker_id ` + big + ` NOT NULL, type TEXT NOT NULL, payee_name TEXT NOT NULL,
		gross_fen ` + big + ` NOT NULL, deduction_fen ` + big + ` NOT NULL DEFAULT 0, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
		bank_code TEXT NOT NULL DEFAULT '', bank_enc ` + blob + `, bank_masked TEXT NOT NULL DEFAULT '', batch_seq INTEGER NOT NULL DEFAULT 1,
		for_months TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', replaces_id ` + big + `, repaid_by ` + big + `,
		return_code TEXT NOT NULL DEFAULT '', return_reason TEXT NOT NULL DEFAULT '', updated_at ` + ts + ` NOT NULL, version ` + big + ` NOT NULL DEFAULT 1)`
	if _, err := s.exec(ctx, `DROP TABLE IF EXISTS bench_payroll_lines`); err != nil {
		return 0, err
	}
	if _, err := s.exec(ctx, ddl); err != nil {
		return 0, err
	}
	defer s.exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS bench_payroll_lines`)
	// Payment rows are written into a payments table: indexed as payments
	// are (one per entitlement and month, by state, by bank), as
	// payroll_lines is for a regular line (its partial indexes hold no
	// regular line). No foreign keys: payroll_lines has none on its hot
	// columns either.
	for _, q := range []string{
		`CREATE UNIQUE INDEX bench_payroll_lines_regular ON bench_payroll_lines (entitlement_id, month) WHERE kind = 'regular'`,
		`CREATE INDEX bench_payroll_lines_cycle ON bench_payroll_lines (cycle_id, state, id)`,
		`CREATE INDEX bench_payroll_lines_bank ON bench_payroll_lines (cycle_id, bank_code, batch_seq, id)`,
	} {
		if _, err := s.exec(ctx, q); err != nil {
			return 0, err
		}
	}
	cols := []string{"cycle_id", "region_code", "month", "kind", "entitlement_id", "worker_id", "type", "payee_name", "gross_fen", "state",
		"bank_code", "bank_enc", "bank_masked", "updated_at"}
	enc := s.pii.Seal(seedCard(0, 1, false))
	masked := pii.MaskAccount(seedCard(0, 1, false))
	t0 := time.Now()
	for start := 0; start < n; start += cycleChunk {
		count := min(cycleChunk, n-start)
		err := s.write(ctx, access.System, func(t *tx) error {
			return t.insertMany(ctx, "bench_payroll_lines", cols, count, func(i int) []any {
				k := start + i
				return []any{1, "370811", "2026-03", "regular", k + 1, k/10 + 1, payroll.TypeDisability, "王建国", 512300 + k%40000, "payable",
					seedBanks[k%len(seedBanks)], enc, masked, t.now}
			}, "")
		})
		if err != nil {
			return 0, fmt.Errorf("store: physical write: %w", err)
		}
	}
	return time.Since(t0), nil
}
