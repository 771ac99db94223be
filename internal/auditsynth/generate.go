// Package auditsynth generates a labelled synthetic city-year of work-injury
// settlements in the settlement-extract format (docs/settlement-extract.md)
// for measuring the fund-supervision detectors, and scores their findings
// against the labels.
//
// The extract follows the documents, not any detector: normal care follows
// clinical patterns per injury group, violations of the six categories are
// injected with the mechanics of fund-audit.md §4 at a minority of
// institutions, and legitimate look-alikes (mass-casualty events, severe
// injuries, implant removals, price changes, transfers, …) are labelled so
// false alarms can be measured.
package auditsynth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"
)

// Options control the generation.
type Options struct {
	Seed  uint64
	Scale float64 // 1.0 = a city-year, about 35,000 encounters
	Year  int     // calendar year of the encounters; 0 = 2025
}

// Summary counts what was written.
type Summary struct {
	Dir          string
	Institutions int
	Offenders    int
	Doctors      int
	Persons      int
	Injuries     int
	CatalogRows  int
	Bundles      int
	Encounters   int
	Lines        int
	Purchases    int
	Attendance   int
	Bytes        map[string]int64
	Violations   map[string]int   // labelled (encounter, category) violation rows per category
	Amount       map[string]int64 // fen per category
	ByPattern    map[string]int   // label rows per pattern, violations and look-alikes
	Lookalikes   int
}

// Extract file names of settlement-extract.md §2.
var Files = []string{"institutions.csv", "doctors.csv", "persons.csv", "injuries.csv", "catalog.csv", "bundles.csv",
	"encounters.csv", "lines.csv", "purchases.csv", "attendance.csv"}

// Headers of each file, in the order written.
var Headers = map[string][]string{
	"institutions.csv": {"fixmedins_code", "fixmedins_name", "admvs", "type", "level", "beds", "equipment"},
	"doctors.csv":      {"dr_codg", "fixmedins_code", "dr_name", "role", "employed_from", "employed_to"},
	"persons.csv":      {"certno", "psn_name", "gend", "brdy", "death_date", "emp_uscc", "insuplc_admdvs"},
	"injuries.csv":     {"injury_id", "certno", "emp_uscc", "injury_date", "rcgn_date", "injured_parts", "diag_code", "event_id"},
	"catalog.csv": {"med_list_codg", "name", "category", "body_region", "pric_lv1", "pric_lv2", "pric_lv3", "unit", "per_day_limit",
		"per_stay_limit", "min_interval_days", "covered", "family", "tier", "requires_equipment", "minutes", "related_regions", "valid_from", "valid_to"},
	"bundles.csv":    {"item1", "item2", "indicator", "valid_from", "valid_to"},
	"encounters.csv": {"mdtrt_id", "fixmedins_code", "certno", "injury_id", "med_type", "begntime", "endtime", "dscg_maindiag_code", "other_diag_codes", "atddr_no", "setl_id", "setl_time", "medfee_sumamt", "fund_pay_sumamt"},
	"lines.csv":      {"mdtrt_id", "feedetl_sn", "fee_ocur_time", "med_list_codg", "cnt", "pric", "det_item_fee_sumamt", "bilg_dr_codg", "bilg_dept_codg", "report_no"},
	"purchases.csv":  {"fixmedins_code", "month", "med_list_codg", "qty"},
	"attendance.csv": {"certno", "emp_uscc", "date"},
}

// Generate writes a complete extract folder and its labels (dir/labels).
func Generate(dir string, opt Options) (Summary, error) {
	if opt.Year == 0 {
		opt.Year = 2025
	}
	if opt.Scale <= 0 {
		return Summary{}, fmt.Errorf("规模（scale）必须大于 0，收到 %v", opt.Scale)
	}
	if err := os.MkdirAll(filepath.Join(dir, "labels"), 0o755); err != nil {
		return Summary{}, fmt.Errorf("无法创建输出目录 %s：%w", dir, err)
	}
	p := plan(opt)
	s := Summary{Dir: dir, Bytes: map[string]int64{}, Violations: map[string]int{}, Amount: map[string]int64{}, ByPattern: map[string]int{}}
	o := &output{p: p, dir: dir, sum: &s, tally: map[tallyKey]int64{}, firstUse: map[[2]string]use{}}
	if err := o.writeAll(); err != nil {
		return s, err
	}
	return s, nil
}

// plan builds the world and every encounter, without fee lines.
func plan(opt Options) *planner {
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	w := &world{year: opt.Year, r: r, cat: buildCatalog(opt.Year), certSeen: map[string]bool{}, load: map[[2]int]int{}}
	w.buildInstitutions()
	w.assignOffenders()
	w.buildEmployers(max(60, int(900*min(1, opt.Scale*2))))
	p := &planner{world: w}
	for _, e := range w.employers {
		p.totW += e.weight
	}
	totD := 0.0
	for _, d := range diags {
		totD += d.weight
	}
	from := dayOf(opt.Year-1, time.January, 1)
	span := dayOf(opt.Year+1, time.January, 1) - from
	n := int(2 * 10600 * opt.Scale)
	for i := 0; i < n; i++ {
		e := p.pickEmployer(r, p.totW)
		d := pickDiag(r, totD)
		inj := p.newInjury(r, e, d, from+r.IntN(span), "")
		p.careFor(r, inj)
	}
	p.massEvents(scaled(14, opt.Scale), p.totW)
	p.lookalikeStays()
	p.inScope()
	p.markViolations()
	p.planViolations(opt.Scale, p.totW)
	p.census(opt.Scale)
	p.inScope()
	p.pickAttending()
	p.fitBeds()
	return p
}

// pickAttending chooses an attending doctor employed through each encounter.
func (p *planner) pickAttending() {
	for _, e := range p.encs {
		p.attending(e)
	}
}

func (p *planner) attending(e *enc) {
	ds := e.in.doctors
	start := p.r.IntN(len(ds))
	for i := range ds {
		d := ds[(start+i)%len(ds)]
		if d.employed(e.adm) && d.employed(e.dis+5) {
			e.atd = d
			return
		}
	}
	for i := range ds {
		if d := ds[(start+i)%len(ds)]; d.employed(e.adm) {
			e.atd = d
			return
		}
	}
	e.atd = ds[start]
}

type tallyKey struct {
	inst  int
	month int // year*12 + month-1
	code  string
}

type use struct {
	day int
	enc string
}

// output writes the files.
type output struct {
	p        *planner
	dir      string
	sum      *Summary
	labels   []*label
	tally    map[tallyKey]int64
	firstUse map[[2]string]use
}

type csvFile struct {
	f *os.File
	b *bufio.Writer
	w *csv.Writer
	n int
}

func (o *output) create(name string) (*csvFile, error) {
	f, err := os.Create(filepath.Join(o.dir, name))
	if err != nil {
		return nil, fmt.Errorf("无法创建 %s：%w", name, err)
	}
	b := bufio.NewWriterSize(f, 1<<20)
	c := &csvFile{f: f, b: b, w: csv.NewWriter(b)}
	if h, ok := Headers[name]; ok {
		c.w.Write(h)
	}
	return c, nil
}

func (c *csvFile) row(rec ...string) {
	c.w.Write(rec)
	c.n++
}

func (o *output) close(name string, c *csvFile) error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", name, err)
	}
	if err := c.b.Flush(); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", name, err)
	}
	st, err := c.f.Stat()
	if err == nil {
		o.sum.Bytes[name] = st.Size()
	}
	return c.f.Close()
}

func (o *output) writeAll() error {
	p := o.p
	// The encounters and lines come first: they fix the purchases and some labels.
	enc, err := o.create("encounters.csv")
	if err != nil {
		return err
	}
	lin, err := o.create("lines.csv")
	if err != nil {
		return err
	}
	for _, e := range p.encs {
		o.writeEncounter(enc, lin, e)
	}
	o.sum.Encounters, o.sum.Lines = enc.n, lin.n
	if err := o.close("encounters.csv", enc); err != nil {
		return err
	}
	if err := o.close("lines.csv", lin); err != nil {
		return err
	}
	steps := []func() error{o.writeInstitutions, o.writeDoctors, o.writePersons, o.writeInjuries, o.writeCatalog, o.writeBundles,
		o.writePurchases, o.writeAttendance, o.writeLabels}
	for _, f := range steps {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func cntStr(n int64) string { return strconv.FormatInt(n, 10) }

func (o *output) writeEncounter(ew, lw *csvFile, e *enc) {
	p := o.p
	if e.med == "41" {
		e.atd = p.pick(rand.New(rand.NewPCG(e.seed, 7)), e.in.doctors, e.adm, 15, 600)
	}
	g := newGen(p.world, e)
	g.generate()
	sort.SliceStable(g.lines, func(i, j int) bool {
		if g.lines[i].day != g.lines[j].day {
			return g.lines[i].day < g.lines[j].day
		}
		return g.lines[i].min < g.lines[j].min
	})
	var total, fund int64
	for i, l := range g.lines {
		l.sn = fmt.Sprintf("%s%04d", e.id, i+1)
		total += l.amt
		if l.fund {
			fund += l.amt
		}
		lw.row(e.id, l.sn, fmtTime(l.day, l.min), l.it.code, cntStr(l.cnt), fmtYuan(l.pric), fmtYuan(l.amt), l.dr.code, l.dept, l.report)
		o.tallyLine(e, l)
	}
	e.total, e.fundPay, e.lines = total, fund, len(g.lines)
	endDay, endMin := e.dis, e.disMin
	setlDay, setlMin := endDay, endMin+30+int(e.seed%90)
	if setlMin >= 24*60 {
		setlDay, setlMin = setlDay+1, setlMin-24*60+60
	}
	ew.row(e.id, e.in.code, e.inj.p.certno, e.inj.id, e.med, fmtTime(e.adm, e.admMin), fmtTime(endDay, endMin), e.maindiag,
		joinList(e.other), e.atd.code, "S"+e.id[2:], fmtTime(setlDay, setlMin), fmtYuan(total), fmtYuan(fund))
	o.encounterLabels(e, g)
}

func (o *output) tallyLine(e *enc, l *line) {
	if l.it.cat != "drug" && l.it.cat != "implant" {
		return
	}
	t := dayTime(l.day)
	k := tallyKey{e.in.idx, t.Year()*12 + int(t.Month()) - 1, l.it.code}
	o.tally[k] += l.trueCnt
	fk := [2]string{e.in.code, l.it.code}
	if u, ok := o.firstUse[fk]; !ok || l.day < u.day {
		o.firstUse[fk] = use{l.day, e.id}
	}
}

// encounterLabels records the violation and look-alike labels of one encounter.
func (o *output) encounterLabels(e *enc, g *gen) {
	add := func(pat string, amount int64, ls []*line) {
		pt := patternByID[pat]
		lb := &label{mdtrt: e.id, category: pt.category, kind: pt.kind, amount: amount, inst: e.in.code, pattern: pat}
		seen := map[string]bool{}
		for _, l := range ls {
			if !seen[l.sn] {
				seen[l.sn] = true
				lb.sns = append(lb.sns, l.sn)
			}
		}
		o.labels = append(o.labels, lb)
	}
	whole := map[string]bool{"FB_AFTERDEATH": true, "FB_OVERLAP": true, "FB_CLONE": true, "FB_NOWORKUP": true, "PS_GROUP": true, "PS_CENSUS": true}
	for _, v := range e.viol {
		if whole[v] {
			add(v, e.fundPay, nil)
		}
	}
	var pats []string
	for k := range g.ev {
		pats = append(pats, k)
	}
	sort.Strings(pats)
	for _, k := range pats {
		if len(g.ev[k]) > 0 && g.amt[k] > 0 {
			add(k, g.amt[k], g.ev[k])
		}
	}
	look := append([]string(nil), e.look...)
	for _, l := range e.look {
		if l == "LA_SEVERE" {
			look = append(look, "LA_SEVERE_EXAM")
		}
	}
	two, price, staff := false, false, false
	for _, l := range g.lines {
		if l.it.unit == "部位" && l.it.perDay > 0 && l.cnt > int64(l.it.perDay) && l.cnt <= int64(l.it.perDay*len(e.inj.parts)) {
			two = true
		}
		near := l.day-l.it.from <= 30 || l.it.to != 0 && l.it.to-l.day <= 30
		if c, ok := g.w.cat.otherWindowCeiling(l.it, e.in.level); ok && near && l.pric > c && l.pric <= l.it.ceiling(e.in.level) {
			price = true
		}
		if l.dr.employed(l.day) && l.dr.boundaryNear(l.day, g.w.year) {
			staff = true
		}
	}
	if two {
		look = append(look, "LA_TWO_REGIONS")
	}
	if price {
		look = append(look, "LA_PRICE_CHANGE")
	}
	if staff {
		look = append(look, "LA_STAFF")
	}
	for _, l := range look {
		add(l, 0, nil)
	}
}
