package supervision

import (
	"fmt"
	"strings"
)

// personRules run the rules over one worker's encounters together.
func (s *scanner) personRules() {
	for _, cert := range sortedKeys(s.x.ix.byPerson) {
		es := s.x.ix.byPerson[cert]
		s.overlaps(es)
		s.splits(es)
		s.outpatientDuringStay(es)
		s.repeatExams(es)
	}
}

// overlaps is GS-D05: two stays of one worker overlapping by at least the
// parameter's days (a transfer's discharge day = admission day is none).
// The lines of the overlapping days are the evidence on the stay that was
// admitted while the other was under way (on both when admitted the same
// day).
func (s *scanner) overlaps(es []int32) {
	const id = "GS-D05"
	if !s.rs.on(id) {
		return
	}
	need := Day(s.rs.val(id, "overlap_days"))
	for i, a := range es {
		ea := &s.x.Encounters[a]
		if !ea.Stay() {
			continue
		}
		for _, b := range es[i+1:] {
			eb := &s.x.Encounters[b]
			if eb.Begin.Day() >= ea.End.Day() {
				break
			}
			if !eb.Stay() {
				continue
			}
			from, to := max(ea.Begin.Day(), eb.Begin.Day()), min(ea.End.Day(), eb.End.Day())
			if to-from < need {
				continue
			}
			// The stay admitted while the other was under way is the one
			// in doubt; admitted the same day, both are.
			pairs := [][2]*Encounter{{eb, ea}}
			if eb.Begin.Day() == ea.Begin.Day() {
				pairs = append(pairs, [2]*Encounter{ea, eb})
			}
			for _, pair := range pairs {
				e, other := pair[0], pair[1]
				ls := s.linesBetween(e, from, to)
				s.hit(id, e, ls, sumAmount(ls), 0.85, fmt.Sprintf("%s至%s同时在%s住院（就诊%s，%s至%s），重叠%d天",
					from, to, other.Institution, other.ID, other.Begin.Day(), other.End.Day(), int(to-from)), nil, s.params(id, "overlap_days"))
			}
		}
	}
}

// linesBetween are an encounter's lines on days from ≤ d < to.
func (s *scanner) linesBetween(e *Encounter, from, to Day) []*Line {
	var out []*Line
	for _, li := range e.Lines {
		l := &s.x.Lines[li]
		if d := l.Time.Day(); d >= from && d < to {
			out = append(out, l)
		}
	}
	return out
}

// splits is GS-T05: a stay at the same institution for the same injury
// beginning within the gap after the previous stay's discharge. Removal
// of internal fixation (Z47.0) and a change of medical type are not
// splits.
func (s *scanner) splits(es []int32) {
	const id = "GS-T05"
	if !s.rs.on(id) {
		return
	}
	gap := Day(s.rs.val(id, "gap_days"))
	var prev *Encounter
	for _, i := range es {
		e := &s.x.Encounters[i]
		if !e.Stay() {
			continue
		}
		if p := prev; p != nil && p.Institution == e.Institution && p.Injury == e.Injury && p.MedType == e.MedType &&
			e.Begin.Day() >= p.End.Day() && e.Begin.Day()-p.End.Day() <= gap && !strings.HasPrefix(strings.ToUpper(e.MainDiag), "Z47") {
			s.hit(id, e, nil, e.FundPaid, 0.6, fmt.Sprintf("%s出院（就诊%s）后%d天又在同一机构因同一工伤入院", p.End.Day(), p.ID, int(e.Begin.Day()-p.End.Day())),
				nil, s.params(id, "gap_days"))
		}
		if prev == nil || e.End > prev.End {
			prev = e
		}
	}
}

// outpatientDuringStay is GS-H03 (other encounters): an outpatient visit
// at another institution on an inner day of an acute stay (42). A rehab
// inpatient's follow-up at the treating hospital's clinic is routine.
func (s *scanner) outpatientDuringStay(es []int32) {
	const id = "GS-H03"
	if !s.rs.on(id) {
		return
	}
	for _, a := range es {
		ea := &s.x.Encounters[a]
		if !ea.Stay() {
			continue
		}
		var notes []string
		var days []Day
		for _, b := range es {
			eb := &s.x.Encounters[b]
			d := eb.Begin.Day()
			if ea.MedType != Inpatient || eb.Stay() || eb.Institution == ea.Institution || d <= ea.Begin.Day() || d >= ea.End.Day() {
				continue
			}
			notes = append(notes, fmt.Sprintf("%s在%s门诊（就诊%s）", d, eb.Institution, eb.ID))
			days = append(days, d)
		}
		if len(notes) == 0 {
			continue
		}
		var ls []*Line
		for _, d := range days {
			ls = append(ls, s.linesBetween(ea, d, d+1)...)
		}
		s.hit(id, ea, ls, sumAmount(ls), 0.7, "住院期间在其他机构门诊就诊："+strings.Join(notes, "；"), nil, nil)
	}
}
