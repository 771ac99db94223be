package supervision

import (
	"fmt"
	"sort"
	"strings"
)

// emptyDays is GS-H01: inner days of a stay with only hotel items. Days
// before an operation (waiting for swelling to subside) are excused.
func (s *scanner) emptyDays(v *view) {
	const id = "GS-H01"
	if !s.rs.on(id) || !v.e.Stay() {
		return
	}
	first, last := v.e.Begin.Day()+1, v.e.End.Day()-1
	if last < first {
		return
	}
	active := map[Day]bool{}
	hotelLines := map[Day][]*Line{}
	var surgeryDays []Day
	for k, l := range v.lines {
		it := v.items[k]
		d := l.Time.Day()
		switch {
		case it == nil:
			active[d] = true
		case hotel(it.Category):
			hotelLines[d] = append(hotelLines[d], l)
		default:
			active[d] = true
			if it.Category == CatSurgery {
				surgeryDays = append(surgeryDays, d)
			}
		}
	}
	preop := Day(s.rs.val(id, "preop_days"))
	excused := func(d Day) bool {
		for _, sd := range surgeryDays {
			if d < sd && sd-d <= preop {
				return true
			}
		}
		return false
	}
	var empty []Day
	run, longest := 0, 0
	inner := int(last - first + 1)
	for d := first; d <= last; d++ {
		if active[d] || excused(d) {
			run = 0
			continue
		}
		empty = append(empty, d)
		run++
		longest = max(longest, run)
	}
	need := int(s.rs.val(id, "consecutive"))
	share := float64(len(empty)) / float64(inner)
	if longest < need && !(share >= s.rs.val(id, "share") && len(empty) >= need) {
		return
	}
	var ev []*Line
	for _, d := range empty {
		ev = append(ev, hotelLines[d]...)
	}
	score := 0.45 + 0.05*float64(longest) + 0.2*share
	s.hit(id, v.e, ev, sumAmount(ev), min(score, 0.9), fmt.Sprintf("住院%d天中有%d天只有床位、护理、诊查、膳食费用（最长连续%d天，占住院中间日%.0f%%）：%s",
		v.e.days(), len(empty), longest, share*100, dayList(empty)), nil, s.params(id, "consecutive", "share", "preop_days"))
}

func dayList(ds []Day) string {
	var parts []string
	for i, d := range ds {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("等%d天", len(ds)))
			break
		}
		parts = append(parts, d.String())
	}
	return strings.Join(parts, "、")
}

// atWork is GS-H03 (attendance): the employer recorded the worker at
// work on an inner day of the stay.
func (s *scanner) atWork(v *view) {
	const id = "GS-H03"
	if !s.rs.on(id) || !v.e.Stay() {
		return
	}
	ds := s.x.workedBetween(v.e.CertNo, v.e.Begin.Day(), v.e.End.Day())
	if len(ds) == 0 {
		return
	}
	set := map[Day]bool{}
	for _, d := range ds {
		set[d] = true
	}
	var ev []*Line
	for _, l := range v.lines {
		if set[l.Time.Day()] {
			ev = append(ev, l)
		}
	}
	s.hit(id, v.e, ev, sumAmount(ev), min(0.6+0.08*float64(len(ds)), 0.95),
		fmt.Sprintf("住院期间用人单位考勤记录其%d天在岗：%s", len(ds), dayList(ds)), nil, nil)
}

// groupRules is GS-H04: several workers of one employer admitted to one
// institution within a day of each other and discharged within a day of
// each other, not hurt in one accident.
func (s *scanner) groupRules() {
	const id = "GS-H04"
	if !s.rs.on(id) {
		return
	}
	k := int(s.rs.val(id, "group_size"))
	type key struct{ inst, emp string }
	stays := map[key][]int32{}
	for i := range s.x.Encounters {
		e := &s.x.Encounters[i]
		if !e.Stay() {
			continue
		}
		emp := ""
		if in := s.x.ix.injury[e.Injury]; in != nil {
			emp = in.Employer
		} else if p := s.x.ix.person[e.CertNo]; p != nil {
			emp = p.Employer
		}
		if emp != "" {
			stays[key{e.Institution, emp}] = append(stays[key{e.Institution, emp}], int32(i))
		}
	}
	keys := make([]key, 0, len(stays))
	for kk := range stays {
		keys = append(keys, kk)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].inst != keys[j].inst {
			return keys[i].inst < keys[j].inst
		}
		return keys[i].emp < keys[j].emp
	})
	for _, kk := range keys {
		es := stays[kk]
		if len(es) < k {
			continue
		}
		s.groups(es, k)
	}
}

// groups finds, among one employer's stays at one institution (sorted by
// admission), clusters admitted and discharged within a day of each other.
func (s *scanner) groups(es []int32, k int) {
	const id = "GS-H04"
	done := map[int32]bool{}
	for i, a := range es {
		if done[a] {
			continue
		}
		ea := &s.x.Encounters[a]
		members := []int32{a}
		for _, b := range es[i+1:] {
			eb := &s.x.Encounters[b]
			if eb.Begin.Day()-ea.Begin.Day() > 1 {
				break
			}
			if d := eb.End.Day() - ea.End.Day(); d >= -1 && d <= 1 && eb.CertNo != ea.CertNo {
				members = append(members, b)
			}
		}
		if len(members) < k || s.oneEvent(members) {
			continue
		}
		var ids []string
		for _, m := range members {
			ids = append(ids, s.x.Encounters[m].ID)
		}
		for _, m := range members {
			done[m] = true
			e := &s.x.Encounters[m]
			s.hit(id, e, nil, e.FundPaid, min(0.4+0.05*float64(len(members)), 0.8),
				fmt.Sprintf("同一用人单位%d名职工于%s前后1天内入院、%s前后1天内出院，且不属同一事故：%s", len(members), ea.Begin.Day(), ea.End.Day(), strings.Join(ids, "、")),
				nil, s.params(id, "group_size"))
		}
	}
}

// oneEvent reports whether most of the stays treat injuries of one
// accident (a mass-casualty event).
func (s *scanner) oneEvent(es []int32) bool {
	count := map[string]int{}
	for _, i := range es {
		if in := s.x.ix.injury[s.x.Encounters[i].Injury]; in != nil && in.Event != "" {
			count[in.Event]++
		}
	}
	for _, n := range count {
		if 2*n >= len(es) {
			return true
		}
	}
	return false
}
