package supervision

import (
	"fmt"
	"sort"
	"strings"
)

// outsideStay is GS-D01: a line dated before the admission day or after
// the discharge day (take-home drugs on the discharge day are inside).
func (s *scanner) outsideStay(v *view) {
	const id = "GS-D01"
	if !s.rs.on(id) {
		return
	}
	var ev []*Line
	for _, l := range v.lines {
		if !s.inStay(v.e, l) {
			ev = append(ev, l)
		}
	}
	if len(ev) == 0 {
		return
	}
	s.hit(id, v.e, ev, sumAmount(ev), 0.95, fmt.Sprintf("%d条费用的发生日期不在就诊期间（%s至%s）内", len(ev), v.e.Begin, v.e.End), nil, nil)
}

// afterDeath is GS-D02: lines after the registered date of death.
func (s *scanner) afterDeath(v *view) {
	const id = "GS-D02"
	p := s.x.ix.person[v.e.CertNo]
	if !s.rs.on(id) || p == nil || p.Death == 0 {
		return
	}
	var ev []*Line
	for _, l := range v.lines {
		if l.Time.Day() > p.Death {
			ev = append(ev, l)
		}
	}
	if len(ev) == 0 {
		return
	}
	s.hit(id, v.e, ev, sumAmount(ev), 0.9, fmt.Sprintf("职工登记死亡日期为%s，其后仍发生%d条费用", p.Death, len(ev)), nil, nil)
}

// employment is GS-F09: lines billed by a clinician who was not employed
// at the institution that day, or is not registered at all.
func (s *scanner) employment(v *view) {
	const id = "GS-F09"
	if !s.rs.on(id) || len(s.x.Doctors) == 0 {
		return
	}
	bad := map[string][]*Line{}
	for _, l := range v.lines {
		if l.Doctor == "" {
			continue
		}
		if why := s.notEmployed(l.Doctor, v.e.Institution, l.Time.Day()); why != "" {
			bad[l.Doctor] = append(bad[l.Doctor], l)
		}
	}
	for _, dr := range sortedKeys(bad) {
		ls := bad[dr]
		why := s.notEmployed(dr, v.e.Institution, ls[0].Time.Day())
		score := 0.9
		if s.x.ix.doctor[dr] == nil {
			score = 0.6
		}
		s.hit(id, v.e, ls, sumAmount(ls), score, fmt.Sprintf("医务人员%s%s，仍有%d条费用由其开单或执行", dr, why, len(ls)), nil, nil)
	}
}

// notEmployed says why a clinician could not bill at inst on day d, "" if
// they could.
func (s *scanner) notEmployed(code, inst string, d Day) string {
	dr := s.x.ix.doctor[code]
	switch {
	case dr == nil:
		return "不在医务人员名册中"
	case dr.Institution != inst:
		return "为" + dr.Institution + "的人员"
	case d < dr.EmployedFrom:
		return fmt.Sprintf("%s入职，此前", dr.EmployedFrom)
	case dr.EmployedTo != 0 && d > dr.EmployedTo:
		return fmt.Sprintf("已于%s离职", dr.EmployedTo)
	}
	return ""
}

// injuryLink is GS-D13: the encounter's recognition record is missing,
// someone else's or later than the accident it treats, or the main
// diagnosis is an injury of a region that was not recognised.
func (s *scanner) injuryLink(v *view) {
	const id = "GS-D13"
	if !s.rs.on(id) {
		return
	}
	e := v.e
	in := s.x.ix.injury[e.Injury]
	var why string
	score := 0.8
	switch {
	case in == nil:
		why = "所挂认定记录" + e.Injury + "不存在"
	case in.CertNo != e.CertNo:
		why = "所挂认定记录" + e.Injury + "属于其他职工"
	case e.Begin.Day() < in.Date:
		why = fmt.Sprintf("就诊开始于%s，早于事故日期%s", e.Begin.Day(), in.Date)
	default:
		r := DiagRegion(e.MainDiag)
		if r == "" || aftercare(e.MainDiag) || near(in.Regions, r) {
			return
		}
		why = fmt.Sprintf("主诊断%s（%s）不在认定受伤部位（%s）及相邻部位内", e.MainDiag, r, strings.Join(in.Regions, "、"))
		score = 0.55
	}
	s.hit(id, e, nil, e.FundPaid, score, why, nil, nil)
}

// ghost is GS-F04: a fracture or surgical stay of several days with no
// imaging and no laboratory line at all.
func (s *scanner) ghost(v *view) {
	const id = "GS-F04"
	if !s.rs.on(id) || v.e.MedType != Inpatient || v.e.days() < 3 {
		return
	}
	surgical, workup := false, false
	for _, it := range v.items {
		if it == nil {
			continue
		}
		switch it.Category {
		case CatSurgery, CatImplant:
			surgical = true
		case CatImaging, CatLab:
			workup = true
		}
	}
	if workup || !(surgical || fracture(v.e.MainDiag) || fracture(s.injuryDiag(v.e))) {
		return
	}
	s.hit(id, v.e, nil, v.e.FundPaid, 0.6, fmt.Sprintf("住院%d天（主诊断%s），无任何影像与检验费用", v.e.days(), v.e.MainDiag), nil, nil)
}

func (s *scanner) injuryDiag(e *Encounter) string {
	if in := s.x.ix.injury[e.Injury]; in != nil {
		return in.Diag
	}
	return ""
}

// sequence is GS-F06: implants without any surgery in the encounter, or
// a major operation without anaesthesia.
func (s *scanner) sequence(v *view) {
	const id = "GS-F06"
	if !s.rs.on(id) {
		return
	}
	var implants, surgeries []*Line
	anaesthesia := false
	var maxSurgery int64
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil {
			continue
		}
		switch it.Category {
		case CatImplant:
			implants = append(implants, l)
		case CatSurgery:
			surgeries = append(surgeries, l)
			maxSurgery = max(maxSurgery, l.Amount)
		case CatAnaesthesia:
			anaesthesia = true
		}
	}
	switch {
	case len(implants) > 0 && len(surgeries) == 0:
		s.hit(id, v.e, implants, sumAmount(implants), 0.7, fmt.Sprintf("收取植入物%d条而本次就诊没有手术", len(implants)), nil, nil)
	case len(surgeries) > 0 && !anaesthesia && maxSurgery >= 100000:
		s.hit(id, v.e, surgeries, sumAmount(surgeries), 0.45, "收取手术费而本次就诊没有麻醉费", nil, nil)
	}
}

// reportRules is GS-F03: one report serial on encounters of different
// workers. The earliest use is taken as the original.
func (s *scanner) reportRules() {
	const id = "GS-F03"
	if !s.rs.on(id) {
		return
	}
	type use struct {
		enc  int32
		line int32
	}
	byReport := map[string][]use{}
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		if l.Report != "" {
			byReport[l.Report] = append(byReport[l.Report], use{l.Enc, int32(i)})
		}
	}
	flag := map[int32][]*Line{}
	notes := map[int32]string{}
	for _, rep := range sortedKeys(byReport) {
		us := byReport[rep]
		persons := map[string]bool{}
		for _, u := range us {
			persons[s.x.Encounters[u.enc].CertNo] = true
		}
		if len(persons) < 2 {
			continue
		}
		sort.Slice(us, func(i, j int) bool { return s.x.Lines[us[i].line].Time < s.x.Lines[us[j].line].Time })
		first := s.x.Encounters[us[0].enc].CertNo
		for _, u := range us {
			if s.x.Encounters[u.enc].CertNo == first {
				continue
			}
			flag[u.enc] = append(flag[u.enc], &s.x.Lines[u.line])
			notes[u.enc] = fmt.Sprintf("报告单号%s已用于%d名职工的就诊（最早为%s）", rep, len(persons), s.x.Encounters[us[0].enc].ID)
		}
	}
	for _, enc := range sortedEnc(flag) {
		ls := flag[enc]
		s.hit(id, &s.x.Encounters[enc], ls, sumAmount(ls), 0.75, notes[enc], nil, nil)
	}
}

func sortedEnc[V any](m map[int32]V) []int32 {
	ks := make([]int32, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// clinicianRules is GS-F02: a clinician's billed standard minutes in one
// day above the cap for their role. Every encounter that shares the
// impossible day is a lead, scored by how far the day exceeds the cap.
func (s *scanner) clinicianRules() {
	const id = "GS-F02"
	if !s.rs.on(id) {
		return
	}
	type key struct {
		dr  string
		day Day
	}
	minutes := map[key]int64{} // × QtyScale
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		if l.Doctor == "" {
			continue
		}
		it := s.li[i]
		if it == nil || it.Minutes == 0 {
			continue
		}
		minutes[key{l.Doctor, l.Time.Day()}] += it.Minutes * l.Cnt / QtyScale
	}
	capOf := func(dr string) float64 {
		if d := s.x.ix.doctor[dr]; d != nil && d.Role == "therapist" {
			return s.rs.val(id, "therapist_minutes")
		}
		return s.rs.val(id, "doctor_minutes")
	}
	over := map[key]float64{}
	for k, m := range minutes {
		if c := capOf(k.dr); float64(m)/QtyScale > c {
			over[k] = float64(m) / QtyScale / c
		}
	}
	if len(over) == 0 {
		return
	}
	type hitKey struct {
		enc int32
		dr  string
	}
	lines := map[hitKey][]*Line{}
	ratio := map[hitKey]float64{}
	days := map[hitKey][]string{}
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		k := key{l.Doctor, l.Time.Day()}
		r, ok := over[k]
		if !ok {
			continue
		}
		if it := s.li[i]; it == nil || it.Minutes == 0 {
			continue
		}
		hk := hitKey{l.Enc, l.Doctor}
		lines[hk] = append(lines[hk], l)
		ratio[hk] = max(ratio[hk], r)
		d := fmt.Sprintf("%s共%.0f分钟", k.day, float64(minutes[k])/QtyScale)
		if ds := days[hk]; len(ds) == 0 || ds[len(ds)-1] != d {
			days[hk] = append(days[hk], d)
		}
	}
	keys := make([]hitKey, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].enc != keys[j].enc {
			return keys[i].enc < keys[j].enc
		}
		return keys[i].dr < keys[j].dr
	})
	for _, hk := range keys {
		ls := lines[hk]
		r := ratio[hk]
		share := 1 - 1/r // the part of the day beyond the cap
		fen := int64(float64(sumAmount(ls)) * share)
		s.hit(id, &s.x.Encounters[hk.enc], ls, fen, 0.35+0.3*min(r-1, 1), fmt.Sprintf("医务人员%s所计项目标准耗时超过每日上限%.0f分钟：%s",
			hk.dr, capOf(hk.dr), strings.Join(days[hk], "；")), nil, s.params(id, "doctor_minutes", "therapist_minutes"))
	}
}
