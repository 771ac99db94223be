package auditsynth

import (
	"sort"
	"time"
)

// inject applies the encounter's per-encounter violation patterns to its lines.
func (g *gen) inject() {
	for _, v := range g.e.viol {
		g.tag = ""
		switch v {
		case "CF_OVERPRICE":
			g.overprice()
		case "CF_BUNDLE0":
			g.bundle0()
		case "CF_PERDAY":
			g.perDay()
		case "CF_PERSTAY":
			g.perStay()
		case "CF_INTERVAL":
			g.interval()
		case "CF_UNCOVERED":
			g.uncovered()
		case "CF_UNRELATED":
			g.unrelated()
		case "CF_OUTSIDE":
			g.outside()
		case "CF_BEDDAYS":
			g.bedDays()
		case "IS_EQUIPMENT":
			g.equipment()
		case "IS_REGION":
			g.region()
		case "FB_NOTEMPLOYED":
			g.notEmployed()
		case "OE_REPEAT":
			g.repeatExam()
		case "OE_SHARE":
			g.examShare()
		case "OE_CTMR":
			g.ctmr()
		case "OT_COST":
			g.cost()
		}
	}
	g.tag = ""
}

func (g *gen) linesOf(cats ...string) []*line {
	var out []*line
	for _, l := range g.lines {
		for _, c := range cats {
			if l.it.cat == c {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func (g *gen) mark(pat string, l *line, amt int64) {
	g.ev[pat] = append(g.ev[pat], l)
	g.amt[pat] += amt
	l.fund = true
}

func (g *gen) overprice() {
	cands := g.linesOf("treatment", "consult", "exam_imaging", "lab", "nursing", "bed", "rehab")
	if len(cands) == 0 {
		return
	}
	key := cands[g.r.IntN(len(cands))].it.key
	f := 110 + int64(g.r.IntN(40))
	for _, l := range g.lines {
		if l.it.key == key {
			ceil := l.it.ceiling(g.e.in.level)
			l.pric = (ceil*f/100 + 5) / 10 * 10
			if l.pric <= ceil {
				l.pric = ceil + 10
			}
			l.amt = l.pric * l.cnt
			g.mark("CF_OVERPRICE", l, (l.pric-ceil)*l.cnt)
		}
	}
}

func (g *gen) bundle0() {
	byDay := map[int]map[string]*line{}
	for _, l := range g.lines {
		if byDay[l.day] == nil {
			byDay[l.day] = map[string]*line{}
		}
		byDay[l.day][l.it.key] = l
	}
	var days []int
	for d := range byDay {
		days = append(days, d)
	}
	sort.Ints(days)
	g.r.Shuffle(len(days), func(i, j int) { days[i], days[j] = days[j], days[i] })
	for _, d := range days {
		for _, b := range g.w.cat.bundleOn(d, 0) {
			l1, ok1 := byDay[d][b.k1]
			_, ok2 := byDay[d][b.k2]
			if ok1 && !ok2 {
				g.tag = "CF_BUNDLE0"
				l := g.svc(b.k2, d, 1)
				l.report = l1.report
				g.tag = ""
				return
			}
			if ok2 && !ok1 && b.k1 == "composite" {
				g.tag = "CF_BUNDLE0"
				g.svc(b.k1, d, 1)
				g.tag = ""
				return
			}
		}
	}
}

func (g *gen) perDay() {
	var cands []*line
	for _, l := range g.lines {
		if (l.it.key == "consult_ip" || l.it.key == "exercise" || l.it.key == "composite" || l.it.key == "ot" || l.it.key == "balance") && l.it.perDay == 1 && l.cnt == 1 {
			cands = append(cands, l)
		}
	}
	if len(cands) == 0 {
		return
	}
	n := 2 + g.r.IntN(4)
	for i := 0; i < n && len(cands) > 0; i++ {
		j := g.r.IntN(len(cands))
		l := cands[j]
		cands = append(cands[:j], cands[j+1:]...)
		l.cnt = 2
		l.trueCnt = 1
		l.amt = l.pric * 2
		g.mark("CF_PERDAY", l, l.pric)
	}
}

func (g *gen) perStay() {
	e := g.e
	key := "abo"
	if e.med == "43" {
		key = "assess_init"
	}
	have := false
	for _, l := range g.lines {
		if l.it.key == key {
			have = true
		}
	}
	if !have {
		g.svc(key, e.adm, 1)
	}
	g.tag = "CF_PERSTAY"
	g.svc(key, e.adm+1+g.r.IntN(max(1, e.dis-e.adm-1)), 1)
	g.tag = ""
}

func (g *gen) interval() {
	e := g.e
	g.tag = "CF_INTERVAL"
	g.svc("assess", e.adm+14+4+g.r.IntN(6), 1)
	g.tag = ""
}

func (g *gen) uncovered() {
	e := g.e
	g.tag = "CF_UNCOVERED"
	switch {
	case e.med == "41":
		if g.r.IntN(2) == 0 {
			g.svc("cosmetic_suture", e.adm, 1)
		} else {
			g.bill("m_import", e.adm, 1, nil)
		}
	case g.r.IntN(2) == 0:
		for d := e.adm; d < min(e.dis, e.adm+5); d++ {
			g.bill("coenzyme", d, 1, nil)
		}
	default:
		for d := e.adm + 1; d < min(e.dis, e.adm+4); d++ {
			g.bill("m_import", d, 1, nil)
		}
		g.bill("bed_single", e.adm, 1, nil)
	}
	g.tag = ""
}

func (g *gen) unrelated() {
	e := g.e
	k := []string{"amlodipine", "nifedipine", "metformin", "atorva", "cough"}[g.r.IntN(5)]
	g.tag = "CF_UNRELATED"
	for _, d := range g.bedDayList() {
		if k == "cough" && (d-e.adm)%3 != 0 {
			continue
		}
		g.bill(k, d, 1, nil)
	}
	g.tag = ""
}

func (g *gen) outside() {
	e := g.e
	g.tag = "CF_OUTSIDE"
	if g.r.IntN(3) == 0 {
		g.labPanel(e.adm-1-g.r.IntN(2), "cbc")
	} else {
		for i := 1; i <= 1+g.r.IntN(3); i++ {
			g.svc("dressing_s", e.dis+i, 1)
			g.bill("celecoxib", e.dis+i, 2, nil)
		}
	}
	g.tag = ""
}

func (g *gen) bedDays() {
	e := g.e
	g.tag = "CF_BEDDAYS"
	g.hotel(e.dis, false, false)
	g.tag = ""
}

func (g *gen) equipment() {
	e, in := g.e, g.e.in
	// substitute MR 3.0 T where only 1.5 T exists
	if !in.has("MR3T") {
		for _, l := range g.lines {
			if len(l.it.key) > 3 && l.it.key[:3] == "mr:" {
				hi := g.w.cat.at("mr3:"+l.it.region, l.day)
				lo := l.pric
				l.it, l.pric = hi, hi.ceiling(in.level)
				l.amt = l.pric * l.cnt
				g.mark("IS_EQUIPMENT", l, l.amt-lo*l.cnt)
				return
			}
		}
	}
	if e.med == "43" && !in.has("REHAB_ROBOT") {
		g.tag = "IS_EQUIPMENT"
		for d := e.adm + 2; d < e.dis; d += 3 {
			if weekday(d) != time.Sunday {
				g.svc("gait_robot", d, 1)
			}
		}
		g.tag = ""
		return
	}
	if e.surgery && !in.has("RECOVERY") {
		g.tag = "IS_EQUIPMENT"
		g.bill("pacu", e.adm+e.wait, 2, nil)
		g.tag = ""
		return
	}
	if !in.has("LAMINAR") {
		n := 0
		for _, l := range g.lines {
			if l.it.key == "bed" && n < 5 {
				hi := g.w.cat.at("bed_laminar", l.day)
				lo := l.pric
				l.it, l.pric = hi, hi.ceiling(in.level)
				l.amt = l.pric * l.cnt
				g.mark("IS_EQUIPMENT", l, l.amt-lo)
				n++
			}
		}
	}
}

// farRegion is a region neither injured nor adjacent to an injured region.
func (g *gen) farRegion() string {
	bad := map[string]bool{"burn_multi": true, "eye": true}
	for _, p := range g.parts() {
		bad[p] = true
		for _, a := range adjacent[p] {
			bad[a] = true
		}
	}
	var ok []string
	for _, r := range imagingRegions {
		if !bad[r] && g.w.cat.has("mr:"+r) {
			ok = append(ok, r)
		}
	}
	return ok[g.r.IntN(len(ok))]
}

func (g *gen) region() {
	e := g.e
	day := e.adm
	if e.med == "42" && e.dis > e.adm+1 {
		day = e.adm + 1
	}
	g.tag = "IS_REGION"
	kind := "dr"
	if e.in.has("MR15T") && g.r.IntN(2) == 0 {
		kind = "mr"
	} else if e.in.has("CT") && g.r.IntN(2) == 0 {
		kind = "ct"
	}
	g.exam(kind, g.farRegion(), day)
	g.tag = ""
}

func (g *gen) notEmployed() {
	in := g.e.in
	if len(in.former) == 0 {
		return
	}
	f := in.former[g.r.IntN(len(in.former))]
	n := 0
	for _, l := range g.lines {
		if (l.it.cat == "consult" || l.it.cat == "treatment" && l.it.minutes > 0) && !f.employed(l.day) && n < 4 {
			l.dr = f
			g.mark("FB_NOTEMPLOYED", l, l.amt)
			n++
		}
	}
}

func (g *gen) firstImaging() *line {
	for _, l := range g.lines {
		if l.it.cat == "exam_imaging" && l.it.region != "" && l.it.region != "eye" && (l.it.key[:3] == "ct:" || l.it.key[:3] == "mr:") {
			return l
		}
	}
	return nil
}

func (g *gen) repeatExam() {
	e := g.e
	part := g.parts()[0]
	base := e.adm
	if e.surgery {
		base = e.adm + e.wait + 1
		if base >= e.dis-1 {
			return
		}
		g.exam("ct", part, base)
	} else if g.firstImaging() == nil {
		g.exam("ct", part, base)
	}
	d := base + 2 + g.r.IntN(3)
	if d >= e.dis {
		d = e.dis - 1
	}
	if d <= base {
		return
	}
	g.tag = "OE_REPEAT"
	g.exam("ct", part, d)
	g.tag = ""
}

func (g *gen) examShare() {
	g.tag = "OE_SHARE"
	days := g.bedDayList()
	for i, d := range days {
		if i == 0 || i%2 == 1 || i > 10 {
			continue
		}
		g.labPanel(d, "cbc", "liver", "renal", "electro", "crp", "ck")
	}
	g.labPanel(days[len(days)/2], "thyroid", "tumour", "lipid", "ddimer")
	part := g.parts()[0]
	if part != "burn_multi" {
		g.exam("dr", part, days[len(days)-1])
	}
	if part != "burn_multi" && len(days) > 3 {
		g.exam("dr", part, days[1])
	}
	g.tag = ""
}

func (g *gen) ctmr() {
	e := g.e
	part := g.parts()[0]
	if !g.w.cat.has("mr:"+part) || !e.in.has("MR15T") || !e.in.has("CT") {
		return
	}
	var ct *line
	for _, l := range g.lines {
		if l.it.key == "ct:"+part {
			ct = l
			break
		}
	}
	if ct == nil {
		g.exam("ct", part, e.adm)
		ct = g.lines[len(g.lines)-1]
	}
	for _, l := range g.lines {
		if (l.it.key == "mr:"+part || l.it.key == "mr3:"+part) && l.day == ct.day {
			return
		}
	}
	g.tag = "OE_CTMR"
	g.exam("mr", part, ct.day)
	g.tag = ""
}

func (g *gen) cost() {
	g.tag = "OT_COST"
	for i, d := range g.bedDayList() {
		if i == 0 {
			continue
		}
		g.bill("aminoacid", d, 2, nil)
		g.svc("dressing_l", d, 1)
		if i%3 == 1 {
			g.svc("vsd", d, 1)
			g.bill("m_vsd", d, 1, nil)
		}
		if i < 6 {
			g.bill("albumin", d, 1, nil)
		}
	}
	g.tag = ""
}
