package supervision

import (
	"fmt"
	"math"
	"strings"
)

// peers holds the per-encounter figures the peer rules compare within
// injury groups.
type peers struct {
	keys  [][3]string // group keys from fine to coarse, per encounter
	exam  []int64     // imaging + laboratory fen
	los   []int       // stay days (0: not a stay)
	cost  []int64     // total fen
	skip  []bool      // excluded from length-of-stay comparison (death, transfer)
	count map[string]int
}

// groupKeys is an encounter's injury group at three levels, fine to
// coarse: ICD-10 3-character code × surgical × severity band × medical
// type × institution type; the 3-character code × band × medical type;
// the first 2 characters × band × medical type. A group never mixes
// severities or medical types: an encounter without a group of the
// minimum size is not compared.
func (s *scanner) groupKeys(v *view) [3]string {
	diag := s.injuryDiag(v.e)
	if diag == "" {
		diag = v.e.MainDiag
	}
	diag = strings.ToUpper(diag)
	surg := "n"
	for _, it := range v.items {
		if it != nil && it.Category == CatSurgery {
			surg = "s"
			break
		}
	}
	band := "1"
	switch n := len(v.regions); {
	case n >= 3:
		band = "3"
	case n == 2:
		band = "2"
	}
	if severe(diag) {
		band += "x"
	}
	typ := ""
	if v.inst != nil {
		typ = v.inst.Type
	}
	tail := "|" + v.e.MedType + "|" + typ
	c3, c2 := diag, diag
	if len(diag) >= 3 {
		c3 = diag[:3]
	}
	if len(diag) >= 2 {
		c2 = diag[:2]
	}
	return [3]string{c3 + "|" + surg + "|" + band + tail, c3 + "|" + band + "|" + v.e.MedType, c2 + "|" + band + "|" + v.e.MedType}
}

// peerRules run the peer comparisons: GS-E02 exam cost, GS-T01 length of
// stay, GS-T02 cost.
func (s *scanner) peerRules() {
	p := s.pg
	for i := range s.x.Encounters {
		for _, k := range p.keys[i] {
			p.count[k]++
		}
	}
	s.examShare()
	s.lengthOfStay()
	s.costOutlier()
}

// newPeers sizes the per-encounter figures for n encounters.
func newPeers(n int) *peers {
	return &peers{keys: make([][3]string, n), exam: make([]int64, n), los: make([]int, n), cost: make([]int64, n), skip: make([]bool, n), count: map[string]int{}}
}

// gather records an encounter's figures for the peer rules, from the view
// the encounter rules already built.
func (s *scanner) gather(i int, v *view) {
	p := s.pg
	p.keys[i] = s.groupKeys(v)
	for k, l := range v.lines {
		if it := v.items[k]; it != nil && (it.Category == CatImaging || it.Category == CatLab) {
			p.exam[i] += l.Amount
		}
		p.cost[i] += l.Amount
	}
	if e := v.e; e.Stay() {
		p.los[i] = e.days()
		p.skip[i] = s.diedOrTransferred(e)
	}
}

// diedOrTransferred reports a stay that ended in death or in an
// admission elsewhere on the discharge day.
func (s *scanner) diedOrTransferred(e *Encounter) bool {
	if p := s.x.ix.person[e.CertNo]; p != nil && p.Death != 0 && p.Death <= e.End.Day() {
		return true
	}
	for _, j := range s.x.ix.byPerson[e.CertNo] {
		o := &s.x.Encounters[j]
		if o != e && o.Stay() && o.Institution != e.Institution && o.Begin.Day() == e.End.Day() {
			return true
		}
	}
	return false
}

// group is the finest group key of encounter i with at least min cases.
func (p *peers) group(i int, min int) (string, bool) {
	for _, k := range p.keys[i] {
		if p.count[k] >= min {
			return k, true
		}
	}
	return "", false
}

// collect gathers a figure per group for the encounters that take part.
func (s *scanner) collect(min int, take func(i int) (float64, bool)) (map[string][]float64, []string) {
	vals := map[string][]float64{}
	gk := make([]string, len(s.x.Encounters))
	for i := range s.x.Encounters {
		x, ok := take(i)
		if !ok {
			continue
		}
		k, ok := s.pg.group(i, min)
		if !ok {
			continue
		}
		gk[i] = k
		vals[k] = append(vals[k], x)
	}
	return vals, gk
}

// examShare is GS-E02: a stay's imaging and laboratory cost above the
// group's percentile and several times its median (outpatient visits are
// one examination or none: not compared).
func (s *scanner) examShare() {
	const id = "GS-E02"
	if !s.rs.on(id) {
		return
	}
	minN := int(s.rs.val(id, "min_group"))
	vals, gk := s.collect(minN, func(i int) (float64, bool) { return float64(s.pg.exam[i]), s.pg.los[i] > 0 })
	q, f := s.rs.val(id, "percentile")/100, s.rs.val(id, "factor")
	type stat struct{ pc, med float64 }
	st := map[string]stat{}
	for k, xs := range vals {
		if len(xs) >= minN {
			st[k] = stat{quantile(xs, q), quantile(xs, 0.5)}
		}
	}
	for i := range s.x.Encounters {
		k := gk[i]
		g, ok := st[k]
		x := float64(s.pg.exam[i])
		if !ok || x <= g.pc || x < f*g.med || x-g.med < 20000 {
			continue
		}
		e := &s.x.Encounters[i]
		ls := s.linesOf(e, CatImaging, CatLab)
		s.hit(id, e, ls, int64(x-g.med), 0.45, fmt.Sprintf("检查检验费用%s元，同伤情组（%s，%d例）第%.0f百分位%s元、中位数%s元",
			YuanText(int64(x)), k, len(vals[k]), q*100, YuanText(int64(g.pc)), YuanText(int64(g.med))), nil, s.params(id, "percentile", "factor", "min_group"))
	}
}

// linesOf are an encounter's lines of the given categories.
func (s *scanner) linesOf(e *Encounter, cats ...string) []*Line {
	var out []*Line
	for _, li := range e.Lines {
		l := &s.x.Lines[li]
		if it := s.li[li]; it != nil && contains(cats, it.Category) {
			out = append(out, l)
		}
	}
	return out
}

// flaggedFen is, per encounter, the amount of its findings of other
// categories than except.
func (s *scanner) flaggedFen(except string) map[int32]int64 {
	idx := map[string]int32{}
	for i := range s.x.Encounters {
		idx[s.x.Encounters[i].ID] = int32(i)
	}
	out := map[int32]int64{}
	for _, f := range s.out {
		if f.Category != except {
			out[idx[f.MdtrtID]] += int64(f.Fen)
		}
	}
	return out
}

// encountersWith are the encounters that already have a finding of a
// category (a phantom stay explains its own extra days).
func (s *scanner) encountersWith(cat string) map[int32]bool {
	idx := map[string]int32{}
	for i := range s.x.Encounters {
		idx[s.x.Encounters[i].ID] = int32(i)
	}
	out := map[int32]bool{}
	for _, f := range s.out {
		if f.Category == cat {
			out[idx[f.MdtrtID]] = true
		}
	}
	return out
}

// lengthOfStay is GS-T01: a stay whose log length of stay is z robust
// standard deviations above its group's median (fund-audit.md §4.7: log
// LOS z ≥ 2), by at least the minimum excess days; deaths and transfers
// excluded.
func (s *scanner) lengthOfStay() {
	const id = "GS-T01"
	if !s.rs.on(id) {
		return
	}
	minN := int(s.rs.val(id, "min_group"))
	vals, gk := s.collect(minN, func(i int) (float64, bool) {
		return math.Log(float64(s.pg.los[i])), s.pg.los[i] > 0 && !s.pg.skip[i]
	})
	z := s.rs.val(id, "z")
	minExcess := s.rs.val(id, "min_excess_days")
	type stat struct{ limit, med float64 }
	st := map[string]stat{}
	for g, xs := range vals {
		if len(xs) < minN {
			continue
		}
		// robust z-score of log LOS: median and σ = IQR / 1.349
		q1, med, q3 := quantile(xs, 0.25), quantile(xs, 0.5), quantile(xs, 0.75)
		sigma := max((q3-q1)/1.349, 0.05)
		st[g] = stat{math.Exp(med + z*sigma), math.Exp(med)}
	}
	phantom := s.encountersWith(PhantomStay)
	for i := range s.x.Encounters {
		g, ok := st[gk[i]]
		los := float64(s.pg.los[i])
		if !ok || s.pg.los[i] == 0 || s.pg.skip[i] || los <= g.limit || los-g.med < minExcess || phantom[int32(i)] {
			continue
		}
		e := &s.x.Encounters[i]
		excess := los - math.Ceil(g.limit)
		fen := int64(float64(s.pg.cost[i]) * excess / los)
		s.hit(id, e, nil, fen, 0.45+0.1*min(excess/g.med, 3), fmt.Sprintf("住院%d天，同伤情组（%s，%d例）中位数%.0f天、异常界值%.0f天，超出%.0f天",
			s.pg.los[i], gk[i], len(vals[gk[i]]), g.med, g.limit, excess), nil, s.params(id, "z", "min_group", "min_excess_days"))
	}
}

// costOutlier is GS-T02: a stay's total cost, less what its findings of
// other categories already account for, above the parameter times its
// group's mean (DIP's 超高 is above 2×, 5× for the heavy-tailed severe
// groups; deaths and transfers excluded).
func (s *scanner) costOutlier() {
	const id = "GS-T02"
	if !s.rs.on(id) {
		return
	}
	minN := int(s.rs.val(id, "min_group"))
	vals, gk := s.collect(minN, func(i int) (float64, bool) {
		if s.pg.los[i] == 0 || s.pg.skip[i] {
			return 0, false
		}
		return float64(s.pg.cost[i]), true
	})
	ratio := s.rs.val(id, "ratio")
	med := map[string]float64{} // the group's mean (DIP compares with the group's average cost)
	for g, xs := range vals {
		if len(xs) >= minN {
			var sum float64
			for _, x := range xs {
				sum += x
			}
			med[g] = sum / float64(len(xs))
		}
	}
	flagged := s.flaggedFen(OverTreatment)
	for i := range s.x.Encounters {
		m, ok := med[gk[i]]
		if !ok || s.pg.los[i] == 0 || s.pg.skip[i] {
			continue
		}
		// the part of the cost other findings already account for (a
		// substituted implant, an over-price) does not count twice
		x := float64(s.pg.cost[i] - flagged[int32(i)])
		r := ratio
		if strings.Contains(gk[i], "x|") {
			r = max(ratio, 5) // severe groups are heavy-tailed: DIP's 5× "extreme" bound
		}
		if x < r*m {
			continue
		}
		e := &s.x.Encounters[i]
		s.hit(id, e, nil, int64(x-r*m), 0.4, fmt.Sprintf("住院费用%s元，为同伤情组（%s，%d例）平均%s元的%.1f倍", YuanText(int64(x)), gk[i], len(vals[gk[i]]), YuanText(int64(m)), x/m),
			nil, s.params(id, "ratio", "min_group"))
	}
}
