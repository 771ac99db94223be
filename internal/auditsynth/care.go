package auditsynth

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// line is one fee line being built.
type line struct {
	sn      string
	day     int
	min     int
	it      *item
	cnt     int64
	pric    int64
	amt     int64
	dr      *doctor
	dept    string
	report  string
	fund    bool
	trueCnt int64
}

// gen builds the fee lines of one encounter.
type gen struct {
	w        *world
	e        *enc
	r        *rand.Rand
	lines    []*line
	tag      string
	ev       map[string][]*line
	amt      map[string]int64
	nrep     int
	dept     string
	tierOff  bool // the institution substitutes high tiers
	dayUnits map[dayKey]int64
}

type dayKey struct {
	code string
	day  int
}

func newGen(w *world, e *enc) *gen {
	g := &gen{w: w, e: e, r: rand.New(rand.NewPCG(e.seed, uint64(w.year))), ev: map[string][]*line{}, amt: map[string]int64{}, dayUnits: map[dayKey]int64{}}
	g.dept = map[string]string{"minor": "A04.03", "hand": "A04.03", "fracture": "A04.03", "spine": "A04.03", "head": "A04.02",
		"burn": "A04.07", "burnsevere": "A04.07", "eye": "A10", "thorax": "A04.05", "poly": "A04.03"}[e.inj.dx.kind]
	if e.med == "43" {
		g.dept = "A21"
	} else if e.role == "first" && g.r.IntN(2) == 0 {
		g.dept = "A20"
	}
	g.tierOff = e.in.patterns["IS_HIGHTIER"] > 0
	return g
}

func (g *gen) report() string {
	g.nrep++
	return fmt.Sprintf("R%s%02d", g.e.id[2:], g.nrep)
}

// minuteOn is a plausible time of a line on a day of the encounter.
func (g *gen) minuteOn(day int) int {
	e := g.e
	lo, hi := 7*60, 20*60
	if day == e.adm {
		lo = min(e.admMin+5, 23*60)
		hi = max(hi, lo+30)
	}
	if day == e.dis && (e.med == "41" || day != e.adm || e.died) {
		hi = max(e.disMin-5, 1)
		if lo >= hi {
			lo = max(0, hi-60)
		}
	}
	if day > e.dis || day < e.adm { // outside the stay (injected)
		lo, hi = 8*60, 18*60
	}
	if hi > 23*60+59 {
		hi = 23*60 + 59
	}
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo)
}

// bill adds a line at the ceiling price of the item valid that day.
func (g *gen) bill(key string, day int, cnt int64, dr *doctor) *line {
	it := g.w.cat.at(key, day)
	if dr == nil {
		dr = g.e.atd
	}
	dept := g.dept
	if it.cat == "anaesthesia" {
		dept = "A26"
	} else if it.cat == "rehab" && dr.role == "therapist" {
		dept = "A21"
	}
	l := &line{day: day, min: g.minuteOn(day), it: it, cnt: cnt, pric: it.ceiling(g.e.in.level), dr: dr, dept: dept, trueCnt: cnt}
	l.amt = l.pric * l.cnt
	l.fund = it.covered && !(it.cat == "drug" && it.related == "")
	lim := int64(it.perDay)
	if it.unit == "部位" {
		lim *= int64(len(g.parts()))
	}
	k := dayKey{it.code, day}
	if lim > 0 && g.dayUnits[k]+cnt > lim {
		return l // ordinary care never bills beyond the daily limit: the line is dropped
	}
	g.dayUnits[k] += cnt
	g.lines = append(g.lines, l)
	if g.tag != "" {
		g.ev[g.tag] = append(g.ev[g.tag], l)
		g.amt[g.tag] += l.amt
		l.fund = true
	}
	return l
}

func (g *gen) doc(day, minutes int) *doctor {
	return g.w.pick(g.r, g.e.in.doctors, day, minutes, 600)
}

func (g *gen) ther(day, minutes int) *doctor {
	if len(g.e.in.therapists) == 0 {
		return g.doc(day, minutes)
	}
	return g.w.pick(g.r, g.e.in.therapists, day, minutes, 420)
}

func (g *gen) anaes(day, minutes int) *doctor {
	if len(g.e.in.anaes) == 0 {
		return g.doc(day, minutes)
	}
	return g.w.pick(g.r, g.e.in.anaes, day, minutes, 600)
}

func (g *gen) nurse(day int) *doctor {
	if len(g.e.in.nurses) == 0 {
		return g.e.atd
	}
	return g.w.pick(g.r, g.e.in.nurses, day, 0, 0)
}

// itemDoc bills an item by a clinician whose minutes are counted.
func (g *gen) svc(key string, day int, cnt int64) *line {
	it := g.w.cat.at(key, day)
	m := it.minutes * int(cnt)
	var d *doctor
	switch {
	case it.cat == "anaesthesia":
		d = g.anaes(day, m)
	case it.cat == "rehab":
		d = g.ther(day, m)
	case it.cat == "nursing" || it.cat == "bed" || it.cat == "meal":
		d = g.nurse(day)
		if it.cat != "nursing" {
			d = g.e.atd
		}
	case it.cat == "consult" && g.e.med == "41":
		d = g.e.atd
	case m > 0:
		d = g.doc(day, m)
	default:
		d = g.e.atd
	}
	return g.bill(key, day, cnt, d)
}

// tierKey picks the tier of a family: tier 2 sometimes; at a substituting
// institution the ordinary tier is billed as the high tier.
func (g *gen) tierKey(k1, k2 string, day int) (string, bool) {
	p2 := 0.12
	if g.e.in.level == 3 {
		p2 = 0.22
	}
	if it := g.w.cat.at(k2, day); it.equip != "" && !g.e.in.has(it.equip) {
		return k1, false
	}
	if g.r.Float64() < p2 {
		return k2, false
	}
	if g.tierOff && g.r.Float64() < 0.85 {
		return k2, true
	}
	return k1, false
}

// billTier bills one item of a family and records a substitution.
func (g *gen) billTier(k1, k2 string, day int, cnt int64) *line {
	k, subst := g.tierKey(k1, k2, day)
	l := g.svc(k, day, cnt)
	if subst {
		lo := g.w.cat.at(k1, day).ceiling(g.e.in.level)
		g.ev["IS_HIGHTIER"] = append(g.ev["IS_HIGHTIER"], l)
		g.amt["IS_HIGHTIER"] += (l.pric - lo) * l.cnt
	}
	return l
}

func (g *gen) parts() []string { return g.e.inj.parts }

func (g *gen) imaging(kind, part string, day int) *line {
	in := g.e.in
	switch kind {
	case "mr":
		if g.w.cat.has("mr:"+part) && in.has("MR15T") {
			if in.has("MR3T") && g.r.Float64() < 0.4 {
				return g.svc("mr3:"+part, day, 1)
			}
			return g.svc("mr:"+part, day, 1)
		}
		fallthrough
	case "ct":
		if in.has("CT") && g.w.cat.has("ct:"+part) {
			return g.svc("ct:"+part, day, 1)
		}
		fallthrough
	default:
		if part == "eye" {
			return g.svc("eyeexam", day, 1)
		}
		if part == "burn_multi" {
			return nil
		}
		return g.svc("dr:"+part, day, 1)
	}
}

func (g *gen) withReport(l *line, rep string) {
	if l != nil {
		l.report = rep
	}
}

// labPanel bills a set of laboratory items from one specimen.
func (g *gen) labPanel(day int, keys ...string) {
	rep := g.report()
	for _, k := range keys {
		var l *line
		switch k {
		case "infect":
			l = g.billTier("infect", "infect2", day, 1)
		case "crp":
			l = g.billTier("crp", "crp2", day, 1)
		default:
			l = g.svc(k, day, 1)
		}
		l.report = rep
	}
}

func (g *gen) exam(kind, part string, day int) {
	g.withReport(g.imaging(kind, part, day), g.report())
}

// generate builds all lines of the encounter.
func (g *gen) generate() {
	e := g.e
	switch {
	case e.med == "41":
		g.outpatient()
	case e.med == "43":
		g.rehabStay()
	default:
		g.stay()
	}
	g.inject()
}

func (g *gen) outpatient() {
	e, d, r := g.e, g.e.inj.dx, g.r
	day := e.adm
	if e.role == "first" {
		g.svc("consult_er", day, 1)
		for _, p := range g.parts() {
			switch {
			case d.kind == "burn" || d.kind == "burnsevere":
			case d.kind == "head" || p == "head" && r.IntN(2) == 0:
				g.exam("ct", p, day)
			case d.kind != "minor" || r.IntN(10) < 6:
				g.exam("dr", p, day)
			}
		}
		switch d.kind {
		case "minor", "hand":
			if d.code == "S61.0" || d.code == "S66.1" || d.code == "S68.1" || r.IntN(3) == 0 {
				g.svc("local", day, 1)
				g.svc("debride", day, 1)
				g.bill("tat", day, 1, nil)
			}
			g.svc("dressing_s", day, 1)
			g.bill("m_dressing", day, 2, nil)
		case "fracture":
			g.svc("cast", day, 1)
			g.bill("m_plaster", day, 2+int64(r.IntN(3)), nil)
		case "burn", "burnsevere":
			g.svc("dressing_s", day, 1)
			g.bill("silver", day, 1, nil)
		}
	} else {
		g.svc("consult_op", day, 1)
		if (d.kind == "fracture" || d.kind == "hand" || d.kind == "spine" || d.severe()) && r.IntN(10) < 7 {
			g.exam("dr", g.parts()[0], day)
		}
		if d.kind == "minor" || d.kind == "hand" || d.kind == "burn" {
			g.svc("dressing_s", day, 1)
		}
	}
	switch {
	case d.kind == "eye":
		g.bill("eyedrop", day, 1, nil)
		if e.role != "first" {
			g.svc("eyeexam", day, 1)
		}
	case d.kind == "burn" || d.kind == "burnsevere":
		g.bill("silver", day, 1, nil)
	case d.kind == "head":
		g.bill("ibuprofen", day, 12, nil)
	default:
		g.bill("ibuprofen", day, int64(10+2*r.IntN(3)), nil)
		if d.kind == "fracture" && e.role == "follow" {
			g.bill("tcm_bone", day, 42, nil)
		}
		if d.kind == "minor" && r.IntN(2) == 0 {
			g.bill("spray", day, 1, nil)
		}
	}
}

// hotel bills one bed-day's hotel items.
func (g *gen) hotel(day int, icu bool, first bool) {
	e := g.e
	bed := "bed"
	switch {
	case icu && e.in.has("ICU"):
		bed = "bed_icu"
	case (e.inj.dx.kind == "burn" || e.inj.dx.kind == "burnsevere") && e.in.has("BURN"):
		bed = "bed_burn"
	case e.med == "43":
		bed = "bed_rehab"
	}
	g.svc(bed, day, 1)
	nurse := "nurse2"
	switch {
	case icu:
		nurse = "nurse_special"
	case e.med == "43" && day-e.adm >= 7:
		nurse = "nurse3"
	case e.med == "42" && day-e.adm < 3:
		nurse = "nurse1"
	}
	g.svc(nurse, day, 1)
	g.bill("consult_ip", day, 1, nil)
	g.bill("meal", day, 1, nil)
}

func (g *gen) bedDayList() []int {
	e := g.e
	if e.dis <= e.adm {
		return []int{e.adm}
	}
	var ds []int
	for d := e.adm; d < e.dis; d++ {
		ds = append(ds, d)
	}
	return ds
}

func lowerBody(parts []string) bool {
	for _, p := range parts {
		if p == "hip_thigh" || p == "knee_lower_leg" || p == "ankle_foot" || p == "spine" || p == "lumbar_pelvis" {
			return true
		}
	}
	return false
}

func (g *gen) stay() {
	e, d, r := g.e, g.e.inj.dx, g.r
	sev := d.severe()
	surgDay := -1
	if e.surgery {
		surgDay = e.adm + e.wait
	}
	icuDays := 0
	if sev {
		icuDays = 3 + r.IntN(5)
	}
	empty := map[int]bool{}
	for dd := e.adm + 1; dd < surgDay; dd++ {
		if e.wait >= 3 {
			empty[dd] = true // pre-operative waiting
		}
	}
	for _, dd := range e.atWork {
		empty[dd] = true
	}
	extFrom := e.normalDis
	if e.hasViol("PS_EMPTY") {
		for dd := extFrom; dd < e.dis; dd++ {
			empty[dd] = true
		}
	}
	for _, day := range g.bedDayList() {
		g.tag = ""
		if e.hasViol("PS_EMPTY") && day >= extFrom {
			g.tag = "PS_EMPTY"
		}
		if e.hasViol("OT_LOS") && day >= extFrom {
			g.tag = "OT_LOS"
		}
		if e.hasViol("PS_ATTEND") && contains(e.atWork, day) {
			g.tag = "PS_ATTEND"
		}
		g.hotel(day, day-e.adm < icuDays, day == e.adm)
		if empty[day] {
			continue
		}
		g.activeDay(day, surgDay, sev, day-e.adm < icuDays)
	}
	g.tag = ""
	// admission work-up
	if !e.noWorkup {
		g.admissionWorkup(e.adm)
	}
	if e.headRepeat && e.adm+1 < e.dis {
		g.exam("ct", "head", e.adm+1) // the control scan within 24 hours
		l := g.lines[len(g.lines)-1]
		l.min = max(0, min(l.min, e.admMin-60))
	}
	if sev {
		for _, off := range []int{3, 10, 20} {
			if e.adm+off < e.dis {
				for _, p := range g.parts() {
					if p != "burn_multi" {
						g.exam("ct", p, e.adm+off)
					}
				}
			}
		}
	}
	if surgDay >= 0 {
		g.surgery(surgDay)
		if surgDay+1 < e.dis {
			g.labPanel(surgDay+1, "cbc")
			if g.parts()[0] != "burn_multi" && d.kind != "head" && d.kind != "thorax" {
				g.exam("dr", g.parts()[0], surgDay+1)
			}
		}
		if sev && surgDay+7 < e.dis-1 {
			g.surgery(surgDay + 7)
		}
	}
	for _, o := range e.other {
		if o == "T81.4" && surgDay >= 0 {
			for dd := surgDay + 3; dd < e.dis && dd < surgDay+9; dd++ {
				g.bill("levo", dd, 1, nil)
				g.svc("dressing_l", dd, 1)
			}
			if surgDay+3 < e.dis {
				g.labPanel(surgDay+3, "culture", "crp")
			}
		}
		if o == "I10" || o == "E11.9" {
			for _, dd := range g.bedDayList() {
				k, n := "amlodipine", int64(1)
				if o == "E11.9" {
					k, n = "metformin", 2
				}
				g.bill(k, dd, n, nil).fund = false
			}
		}
	}
	// discharge day: dressing and take-home drugs
	if e.dis > e.adm && !e.died && !e.ghost {
		g.tag = ""
		if e.hasViol("OT_LOS") {
			g.tag = "OT_LOS"
		}
		g.svc("dressing_s", e.dis, 1)
		g.bill("celecoxib", e.dis, 14, nil)
		g.tag = ""
	}
	if e.died {
		g.bill("monitor", e.dis, int64(max(1, e.disMin/60)), nil)
		g.bill("oxygen", e.dis, int64(max(1, e.disMin/60)), nil)
	}
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (g *gen) admissionWorkup(day int) {
	e, d := g.e, g.e.inj.dx
	if e.ghost {
		if g.r.IntN(2) == 0 {
			g.labPanel(day, "cbc")
		}
		g.exam("dr", g.parts()[0], day)
		return
	}
	keys := []string{"cbc", "liver", "renal", "electro", "coag", "crp"}
	if e.surgery {
		keys = append(keys, "abo", "infect")
		g.withReport(g.svc("ecg", day, 1), g.report())
	}
	if e.role == "split" {
		g.tag = "OT_SPLIT"
	}
	g.labPanel(day, keys...)
	if d.severe() {
		g.labPanel(day, "bloodgas", "ck", "pct")
	}
	for _, p := range g.parts() {
		if p == "burn_multi" {
			continue
		}
		kind := "dr"
		if d.ct || d.kind == "head" || d.kind == "thorax" {
			kind = "ct"
		}
		g.exam(kind, p, day)
		if d.mr && e.role != "split" && g.w.cat.has("mr:"+p) && e.in.has("MR15T") && day+1 < e.dis {
			g.exam("mr", p, day+1)
		}
	}
	g.tag = ""
}

// activeDay bills the treatment of one ordinary in-patient day.
func (g *gen) activeDay(day, surgDay int, sev, icu bool) {
	e, d, r := g.e, g.e.inj.dx, g.r
	k := day - e.adm
	post := surgDay >= 0 && day >= surgDay && day <= surgDay+2
	acute := k < 4 || post
	if e.ghost {
		if k%2 == 0 {
			g.bill("ibuprofen", day, 2, nil)
		}
		if k%5 == 1 {
			g.svc("dressing_s", day, 1)
		}
		return
	}
	if acute || sev {
		g.bill("saline", day, 1+int64(r.IntN(2)), nil)
		g.svc("iv", day, 1)
		g.bill("m_ivset", day, 1, nil)
	}
	if post {
		g.bill("cefazolin", day, 2, nil)
		g.bill("parecoxib", day, 1, nil)
		if !icu {
			g.bill("monitor", day, 12, nil)
		}
	} else {
		g.bill("celecoxib", day, 2, nil)
	}
	if lowerBody(g.parts()) || sev {
		g.bill("enox", day, 1, nil)
	}
	switch d.kind {
	case "head":
		if k < 5 {
			g.bill("mannitol", day, 2, nil)
		}
		g.bill("nimodipine", day, 3, nil)
	case "thorax":
		g.bill("ambroxol", day, 2, nil)
		if k < 2 {
			g.bill("oxygen", day, 12, nil)
		}
	case "burn", "burnsevere":
		area := int64(3 + (e.idx % 8))
		if d.kind == "burnsevere" {
			area = 30 + int64(e.idx%15)
		}
		if k%2 == 0 {
			g.svc("burn_dressing", day, area)
			g.bill("silver", day, 1+area/10, nil)
		}
		if k == 1 {
			g.bill("egf", day, 1, nil)
		}
	case "eye":
		g.bill("eyedrop", day, 1, nil)
	case "fracture", "hand", "spine", "poly":
		if k < 5 && d.kind != "spine" && g.limb() {
			g.bill("aescin", day, 1, nil)
		}
		g.bill("tcm_bone", day, 9, nil)
		if d.kind == "hand" {
			g.bill("mecobalamin", day, 3, nil)
		}
	}
	if sev {
		g.bill("omep", day, 1, nil)
		g.bill("aminoacid", day, 1, nil)
		if icu {
			g.labPanel(day, "bloodgas")
			g.bill("albumin", day, 1, nil)
			g.bill("monitor", day, 24, nil)
		}
		if k%2 == 0 {
			g.labPanel(day, "cbc", "electro")
		}
		if k%4 == 2 {
			g.labPanel(day, "liver", "renal")
		}
	}
	if surgDay >= 0 && day > surgDay && (day-surgDay)%2 == 0 {
		g.svc("dressing_s", day, 1)
	}
}

// surgery bills an operation with its anaesthesia and implants.
func (g *gen) surgery(day int) {
	e, d, r := g.e, g.e.inj.dx, g.r
	key, anaes := d.surg, d.anaes
	if e.role == "removal" {
		key, anaes = "s_removal", "plexus"
		if lowerBody(g.parts()) {
			anaes = "spinal"
		}
	}
	if key == "" {
		return
	}
	cnt := int64(1)
	if key == "s_graft" {
		cnt = int64(2 + e.idx%8)
		if d.kind == "burnsevere" {
			cnt = 15 + int64(e.idx%10)
		}
	}
	g.svc(key, day, cnt)
	if anaes == "" {
		anaes = "local"
	}
	g.svc(anaes, day, 1)
	if anaes == "ga" {
		g.billTier("intub", "intub2", day, 1)
	}
	if e.in.has("RECOVERY") && anaes != "local" {
		g.bill("pacu", day, 1+int64(r.IntN(2)), nil)
	}
	g.bill("m_surgpack", day, 1, nil)
	if key == "s_graft" {
		g.bill("m_skin", day, cnt, nil)
	}
	if e.role == "removal" {
		return
	}
	tk, subst := g.tierKey("plate1", "plate2", day)
	for _, im := range d.implants {
		n := int64(im.min + r.IntN(im.max-im.min+1))
		k := im.key
		family := k == "plate" || k == "screw"
		if family {
			k = map[string]string{"plate1": k + "1", "plate2": k + "2"}[tk]
		}
		l := g.bill(k, day, n, nil)
		if subst && family {
			lo := g.w.cat.at(strings.TrimSuffix(k, "2")+"1", day).ceiling(e.in.level)
			g.ev["IS_HIGHTIER"] = append(g.ev["IS_HIGHTIER"], l)
			g.amt["IS_HIGHTIER"] += (l.pric - lo) * l.cnt
		}
		g.stock(l)
	}
}

// stock inflates implant counts at an institution that bills more than it uses.
func (g *gen) stock(l *line) {
	in := g.e.in
	if len(in.stockKeys) == 0 || g.r.Float64() >= 0.85 {
		return
	}
	for _, k := range in.stockKeys {
		if k == l.it.key {
			extra := int64(1 + g.r.IntN(2))
			if l.cnt >= 4 {
				extra += 1 + int64(g.r.IntN(2))
			}
			l.cnt += extra
			l.amt = l.cnt * l.pric
			g.ev["IS_STOCK"] = append(g.ev["IS_STOCK"], l)
			g.amt["IS_STOCK"] += extra * l.pric
			return
		}
	}
}

func (g *gen) rehabStay() {
	e := g.e
	parts := g.parts()
	n := int64(len(parts))
	upper, hand := false, false
	for _, p := range parts {
		if p == "wrist_hand" || p == "elbow_forearm" || p == "shoulder_upper_arm" {
			upper = true
		}
		if p == "wrist_hand" {
			hand = true
		}
	}
	minutesDay := map[int]bool{}
	for _, day := range g.bedDayList() {
		g.tag = ""
		if e.hasViol("OT_REHAB") && day >= e.normalDis {
			g.tag = "OT_REHAB"
		}
		g.hotel(day, false, day == e.adm)
		k := day - e.adm
		if k == 0 {
			g.svc("assess_init", day, 1)
			if hand {
				g.svc("handassess", day, 1)
			}
			continue
		}
		if weekday(day) == time.Sunday {
			continue
		}
		g.rehabTier(day)
		if upper {
			g.svc("ot", day, 1)
		} else {
			g.svc("balance", day, 1)
		}
		if hand {
			g.svc("handfn", day, 1)
		}
		g.svc("mobil", day, n)
		g.svc("emstim", day, n)
		if (e.seed>>uint(k%60))&3 == 0 {
			g.svc("acup", day, 1)
		}
		if !upper && e.in.has("REHAB_ROBOT") && k%3 == 0 {
			g.svc("gait_robot", day, 1)
		}
		if k == 14 || k == 28 || k == 42 {
			g.svc("assess", day, 1)
		}
		if hand && k == 35 {
			g.svc("handassess", day, 1)
		}
		if hand || containsS(parts, "spine") {
			g.bill("mecobalamin", day, 3, nil)
		}
		minutesDay[day] = true
	}
	g.tag = ""
	if !e.ghost {
		rep := g.report()
		g.svc("cbc", e.adm, 1).report = rep
		g.withReport(g.imaging("dr", parts[0], e.adm), g.report())
	}
	g.minutesFraud(minutesDay)
}

func (g *gen) limb() bool {
	for _, p := range g.parts() {
		if containsS(strings.Split("shoulder_upper_arm;elbow_forearm;wrist_hand;hip_thigh;knee_lower_leg;ankle_foot", ";"), p) {
			return true
		}
	}
	return false
}

func (g *gen) upperLimb() bool {
	for _, p := range g.parts() {
		if p == "wrist_hand" || p == "elbow_forearm" || p == "shoulder_upper_arm" {
			return true
		}
	}
	return false
}

func (g *gen) rehabTier(day int) {
	g.billTier("exercise", "composite", day, 1)
}

func containsS(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// minutesFraud adds sessions by one overloaded therapist on the institution's chosen days.
func (g *gen) minutesFraud(days map[int]bool) {
	in := g.e.in
	if in.patterns["FB_MINUTES"] == 0 || g.e.clone > 0 {
		return
	}
	ghost := g.w.ghostTherapist(in)
	var ds []int
	for d := range days {
		ds = append(ds, d)
	}
	sort.Ints(ds)
	for _, d := range ds {
		if !fraudDay(in, d) || !ghost.employed(d) {
			continue
		}
		g.tag = "FB_MINUTES"
		other := "ot"
		if g.upperLimb() {
			other = "balance"
		}
		keys := []string{other}
		if g.w.cat.has("massage:" + g.parts()[0]) {
			keys = append(keys, "massage:"+g.parts()[0])
		}
		for _, k := range keys {
			it := g.w.cat.at(k, d)
			g.w.load[[2]int{ghost.idx, d}] += it.minutes
			g.bill(k, d, 1, ghost)
		}
		g.tag = ""
	}
}

func fraudDay(in *inst, d int) bool { return (d*7+in.idx)%9 < 3 }

func (w *world) ghostTherapist(in *inst) *doctor {
	for _, t := range in.therapists {
		if t.to == 0 && t.from < dayOf(w.year, time.January, 1) {
			return t
		}
	}
	return in.therapists[0]
}
