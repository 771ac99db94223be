package supervision

import (
	"fmt"
	"sort"
)

// censusRules is GS-H05: days on which an institution's registered
// work-injury inpatients alone exceed its licensed beds × the parameter.
// The extract holds only work-injury patients, so such a day cannot be
// real; on each, the stays with the least active care that day (only
// hotel items first) make up the excess, and a stay picked on at least
// the parameter's days is a lead.
func (s *scanner) censusRules() {
	const id = "GS-H05"
	if !s.rs.on(id) {
		return
	}
	ratio, minDays := s.rs.val(id, "ratio"), int(s.rs.val(id, "min_days"))
	for _, code := range sortedKeys(s.x.ix.byInst) {
		in := s.x.ix.inst[code]
		if in == nil || in.Beds <= 0 {
			continue
		}
		capacity := int(float64(in.Beds) * ratio)
		present := map[Day][]int32{}
		for _, ei := range s.x.ix.byInst[code] {
			e := &s.x.Encounters[ei]
			if !e.Stay() {
				continue
			}
			for d := e.Begin.Day(); d < e.End.Day() || d == e.Begin.Day(); d++ {
				present[d] = append(present[d], ei)
			}
		}
		picked := map[int32][]Day{}
		for _, d := range sortedDays(present) {
			es := present[d]
			if len(es) <= capacity {
				continue
			}
			active := make(map[int32]int64, len(es))
			for _, ei := range es {
				active[ei] = s.activeOn(&s.x.Encounters[ei], d)
			}
			sort.SliceStable(es, func(i, j int) bool { return active[es[i]] < active[es[j]] })
			for _, ei := range es[:len(es)-capacity] {
				picked[ei] = append(picked[ei], d)
			}
		}
		for _, ei := range sortedEnc(picked) {
			ds := picked[ei]
			if len(ds) < minDays {
				continue
			}
			e := &s.x.Encounters[ei]
			set := map[Day]bool{}
			for _, d := range ds {
				set[d] = true
			}
			var ev []*Line
			for _, li := range e.Lines {
				if it := s.li[li]; it != nil && hotel(it.Category) && set[s.x.Lines[li].Time.Day()] {
					ev = append(ev, &s.x.Lines[li])
				}
			}
			s.hit(id, e, ev, sumAmount(ev), 0.55, fmt.Sprintf("%s登记床位%d张，%d天中工伤住院人数超过床位的%.0f%%，本次住院在这些天里治疗最少：%s",
				code, in.Beds, len(ds), ratio*100, dayList(ds)), nil, s.params(id, "ratio", "min_days"))
		}
	}
}

// activeOn is a stay's active (non-hotel) cost on day d.
func (s *scanner) activeOn(e *Encounter, d Day) int64 {
	var t int64
	for _, li := range e.Lines {
		l := &s.x.Lines[li]
		if l.Time.Day() != d {
			continue
		}
		if it := s.li[li]; it == nil || !hotel(it.Category) {
			t += l.Amount
		}
	}
	return t
}
