package supervision

import (
	"fmt"
	"sort"
	"strings"
)

// modality is an imaging item's kind: "ct", "mr", "xray" or "".
func modality(it *Item) string {
	if it == nil || it.Category != CatImaging {
		return ""
	}
	switch it.Equipment {
	case "CT":
		return "ct"
	case "MR15T", "MR3T":
		return "mr"
	case "DR":
		return "xray"
	}
	n := strings.ToUpper(it.Name)
	switch {
	case strings.Contains(n, "CT"):
		return "ct"
	case strings.Contains(n, "磁共振") || strings.Contains(n, "MR"):
		return "mr"
	case strings.Contains(n, "X线") || strings.Contains(n, "DR") || strings.Contains(n, "摄影") || strings.Contains(n, "摄片"):
		return "xray"
	}
	return ""
}

// ctAndMR is GS-E03: CT and MR of one region on one day, except for
// intracranial and spinal-cord injuries.
func (s *scanner) ctAndMR(v *view) {
	const id = "GS-E03"
	if !s.rs.on(id) || severe(v.e.MainDiag) || severe(s.injuryDiag(v.e)) {
		return
	}
	type key struct {
		day    Day
		region string
	}
	ct := map[key]bool{}
	mr := map[key][]*Line{}
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil || it.Region == "" {
			continue
		}
		kk := key{l.Time.Day(), it.Region}
		switch modality(it) {
		case "ct":
			ct[kk] = true
		case "mr":
			mr[kk] = append(mr[kk], l)
		}
	}
	var ev []*Line
	var notes []string
	for kk, ls := range mr {
		if ct[kk] {
			ev = append(ev, ls...)
			notes = append(notes, fmt.Sprintf("%s %s", kk.day, kk.region))
		}
	}
	if len(ev) == 0 {
		return
	}
	sort.Slice(ev, func(i, j int) bool { return ev[i].Time < ev[j].Time })
	sort.Strings(notes)
	s.hit(id, v.e, ev, sumAmount(ev), 0.5, "同日同部位既做CT又做磁共振："+strings.Join(notes, "；"), nil, nil)
}

// regionMismatch is GS-C03 for imaging and GS-T03 for rehabilitation: an
// item of a body region that is neither injured nor next to an injured
// region. A chest radiograph before an operation is routine.
func (s *scanner) regionMismatch(v *view) {
	if len(v.regions) == 0 {
		return
	}
	surgical := false
	for _, it := range v.items {
		if it != nil && it.Category == CatSurgery {
			surgical = true
			break
		}
	}
	var exams, rehab []*Line
	var er, rr []string
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil || it.Region == "" || near(v.regions, it.Region) {
			continue
		}
		switch it.Category {
		case CatImaging:
			if it.Region == "thorax" && modality(it) == "xray" && (surgical || v.e.Stay()) {
				continue
			}
			exams = append(exams, l)
			er = append(er, it.Region)
		case CatRehab:
			rehab = append(rehab, l)
			rr = append(rr, it.Region)
		}
	}
	inj := strings.Join(v.regions, "、")
	if len(exams) > 0 && s.rs.on("GS-C03") {
		s.hit("GS-C03", v.e, exams, sumAmount(exams), 0.6, fmt.Sprintf("检查部位（%s）不在认定受伤部位（%s）及相邻部位内", strings.Join(uniq(er), "、"), inj), nil, nil)
	}
	if len(rehab) > 0 && s.rs.on("GS-T03") {
		s.hit("GS-T03", v.e, rehab, sumAmount(rehab), 0.6, fmt.Sprintf("康复项目部位（%s）不在认定受伤部位（%s）及相邻部位内", strings.Join(uniq(rr), "、"), inj), nil, nil)
	}
}

// repeatExams is GS-E01 over one worker's encounters: the same imaging
// item of the same region again within the interval, with no operation in
// between: CT and MR within one institution's encounters, plain films
// within one encounter. Repeat head CT within 24 hours of a head injury is
// standard.
func (s *scanner) repeatExams(es []int32) {
	const id = "GS-E01"
	if !s.rs.on(id) {
		return
	}
	type exam struct {
		l  *Line
		it *Item
	}
	var exams []exam
	var ops []Time
	for _, ei := range es {
		for _, li := range s.x.Encounters[ei].Lines {
			l := &s.x.Lines[li]
			it := s.li[li]
			if it == nil {
				continue
			}
			switch {
			case it.Category == CatSurgery:
				ops = append(ops, l.Time)
			case modality(it) != "":
				exams = append(exams, exam{l, it})
			}
		}
	}
	if len(exams) < 2 {
		return
	}
	sort.Slice(exams, func(i, j int) bool { return exams[i].l.Time < exams[j].l.Time })
	ctDays, xDays := Day(s.rs.val(id, "ct_mr_days")), Day(s.rs.val(id, "xray_days"))
	last := map[string]exam{}
	flag := map[int32][]*Line{}
	notes := map[int32][]string{}
	for _, ex := range exams {
		k := ex.l.Code + "|" + ex.it.Region
		prev, ok := last[k]
		last[k] = ex
		if !ok {
			continue
		}
		gap := ex.l.Time.Day() - prev.l.Time.Day()
		limit := ctDays
		if modality(ex.it) == "xray" {
			limit = xDays
			if prev.l.Enc != ex.l.Enc {
				continue // a film at the emergency visit and again on admission: routine
			}
		} else if s.x.Encounters[prev.l.Enc].Institution != s.x.Encounters[ex.l.Enc].Institution {
			continue // another institution's imaging: a referral, judged there
		}
		if gap >= limit || between(ops, prev.l.Time, ex.l.Time) || s.headRecheck(ex, prev.l) {
			continue
		}
		if gap == 0 && prev.l.Enc == ex.l.Enc {
			continue // same day in one encounter: a per-day matter (GS-D08)
		}
		flag[ex.l.Enc] = append(flag[ex.l.Enc], ex.l)
		notes[ex.l.Enc] = append(notes[ex.l.Enc], fmt.Sprintf("%s于%s已做（明细%s），%d天后重复", ex.it.Name, prev.l.Time.Day(), prev.l.SN, gap))
	}
	for _, enc := range sortedEnc(flag) {
		ls := flag[enc]
		s.hit(id, &s.x.Encounters[enc], ls, sumAmount(ls), 0.55, "短期内重复检查且其间无手术："+strings.Join(notes[enc], "；"), nil, s.params(id, "ct_mr_days", "xray_days"))
	}
}

// headRecheck excuses a repeat head CT within 24 hours for a head injury.
func (s *scanner) headRecheck(ex struct {
	l  *Line
	it *Item
}, prev *Line) bool {
	if ex.it.Region != "head" || modality(ex.it) != "ct" || ex.l.Time-prev.Time > 24*3600 {
		return false
	}
	e := &s.x.Encounters[ex.l.Enc]
	return DiagRegion(e.MainDiag) == "head" || near(s.x.regions(e), "head") && contains(s.x.regions(e), "head")
}

// between reports an operation on a day from a's day to b's day: the
// films before and after an operation are both needed, and the clock
// times within a day are not reliable enough to order them.
func between(ts []Time, a, b Time) bool {
	for _, t := range ts {
		if d := t.Day(); d >= a.Day() && d <= b.Day() {
			return true
		}
	}
	return false
}
