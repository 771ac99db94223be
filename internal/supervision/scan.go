package supervision

import (
	"fmt"
	"sort"
	"strconv"
)

// Config is what a scan runs under: the rule base with an administrator's
// settings applied (switched-off rules, tuned parameters). Rules lists only
// the overridden rules; the others run as shipped (Base).
type Config struct {
	Rules []Rule
}

// Progress is told how far a scan is (done of total steps).
type Progress func(done, total int)

// scanner is one scan's state.
type scanner struct {
	x   *Extract
	rs  ruleSet
	out []Finding
	pg  *peers
	li  []*Item // the catalogue row of each line, valid on its day

	lineBuf []*Line // a view's slices, reused from encounter to encounter
	itemBuf []*Item
	fam     map[string][]*Item
}

// Scan screens the extract with every enabled rule and returns the
// findings, ordered by institution, encounter and rule.
func Scan(x *Extract, cfg Config, progress Progress) []Finding {
	x.Index()
	s := &scanner{x: x, rs: Configure(cfg), pg: newPeers(len(x.Encounters))}
	s.li = make([]*Item, len(x.Lines))
	for i := range x.Lines {
		s.li[i] = x.item(x.Lines[i].Code, x.Lines[i].Time.Day())
	}
	steps := []func(){
		s.encounterRules,
		s.personRules,
		s.clinicianRules,
		s.reportRules,
		s.groupRules,
		s.censusRules,
		s.cloneRules,
		s.stockRules,
		s.tierRules,
		s.peerRules,
	}
	for i, step := range steps {
		step()
		if progress != nil {
			progress(i+1, len(steps))
		}
	}
	sort.SliceStable(s.out, func(i, j int) bool {
		a, b := &s.out[i], &s.out[j]
		if a.Institution != b.Institution {
			return a.Institution < b.Institution
		}
		if a.MdtrtID != b.MdtrtID {
			return a.MdtrtID < b.MdtrtID
		}
		return a.RuleID < b.RuleID
	})
	return s.out
}

// encounterRules run the per-encounter rules, one encounter at a time.
func (s *scanner) encounterRules() {
	for i := range s.x.Encounters {
		e := &s.x.Encounters[i]
		v := s.view(e)
		s.gather(i, v)
		s.bedDays(v)
		s.price(v)
		s.bundles(v)
		s.frequency(v)
		s.scope(v)
		s.arithmetic(v)
		s.outsideStay(v)
		s.afterDeath(v)
		s.employment(v)
		s.injuryLink(v)
		s.ghost(v)
		s.sequence(v)
		s.emptyDays(v)
		s.atWork(v)
		s.equipment(v)
		s.ctAndMR(v)
		s.regionMismatch(v)
	}
}

// view is an encounter with its lines resolved against the catalogue.
type view struct {
	e       *Encounter
	inst    *Institution
	lines   []*Line
	items   []*Item // row valid on the line's day (nil: none)
	regions []string
	level   int
}

func (s *scanner) view(e *Encounter) *view {
	v := &view{e: e, inst: s.x.ix.inst[e.Institution], regions: s.x.regions(e), level: 3}
	if v.inst != nil {
		v.level = v.inst.Level
	}
	v.lines = s.lineBuf[:0]
	v.items = s.itemBuf[:0]
	for range e.Lines {
		v.lines, v.items = append(v.lines, nil), append(v.items, nil)
	}
	s.lineBuf, s.itemBuf = v.lines, v.items
	for k, li := range e.Lines {
		l := &s.x.Lines[li]
		v.lines[k] = l
		v.items[k] = s.li[li]
	}
	return v
}

// hit records a finding.
func (s *scanner) hit(id string, e *Encounter, lines []*Line, fen int64, score float64, reason string, evidence []string, params map[string]string) {
	r := s.rs[id]
	f := Finding{RuleID: id, RuleVersion: r.Version, Category: r.Category, Severity: r.Severity, MdtrtID: e.ID,
		Institution: e.Institution, Region: s.regionOf(e.Institution), Fen: Yuan(fen), Score: clamp01(score), Reason: reason, Params: params, Lines: []string{}}
	for _, l := range lines {
		f.Lines = append(f.Lines, l.SN)
		f.Evidence = append(f.Evidence, s.lineText(l))
	}
	f.Evidence = append(f.Evidence, evidence...)
	s.out = append(s.out, f)
}

// regionOf is an institution's county code, "" if unknown.
func (s *scanner) regionOf(code string) string {
	if in := s.x.ix.inst[code]; in != nil {
		return in.Region
	}
	return ""
}

// lineText is a fee line as a reviewer reads it.
func (s *scanner) lineText(l *Line) string {
	name := l.Code
	if it := s.x.anyItem(l.Code, l.Time.Day()); it != nil {
		name = l.Code + " " + it.Name
	}
	return fmt.Sprintf("明细%s：%s，%s×%s元=%s元，%s，医务人员%s", l.SN, name, QtyText(l.Cnt), YuanText(l.Price), YuanText(l.Amount), l.Time, l.Doctor)
}

// param formats parameter values for a finding.
func (s *scanner) params(id string, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = strconv.FormatFloat(s.rs.val(id, n), 'f', -1, 64)
	}
	return m
}

func clamp01(v float64) float64 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// mulQty is price × a × QtyScale quantity, rounded to the fen.
func mulQty(price, qty int64) int64 { return roundDiv(price*qty, QtyScale) }

// roundDiv divides rounding half away from zero.
func roundDiv(a, b int64) int64 {
	if a < 0 {
		return -roundDiv(-a, b)
	}
	return (a + b/2) / b
}

func sumAmount(ls []*Line) int64 {
	var t int64
	for _, l := range ls {
		t += l.Amount
	}
	return t
}
