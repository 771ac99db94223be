package auditsynth

import "sort"

func diagByCode(code string) *diag {
	for _, d := range diags {
		if d.code == code {
			return d
		}
	}
	panic("auditsynth: no diagnosis " + code)
}

// massEvents: accidents with many injured workers of one employer admitted together (look-alike).
func (p *planner) massEvents(n int, tot float64) {
	r := p.r
	codes := []string{"S52.5", "S82.2", "S06.0", "S22.3", "T23.2", "S32.0", "S62.6"}
	for i := 0; i < n; i++ {
		e := p.pickEmployer(r, tot)
		date := p.randomDay(r, p.y0()+20, p.y0()+340)
		in := p.chooseInst(r, e.admvs, "severe")
		p.events++
		event := "SG" + dayTime(date).Format("20060102") + "M" + itoa(p.events)
		k := 5 + r.IntN(6)
		for j := 0; j < k; j++ {
			d := diagByCode(codes[r.IntN(len(codes))])
			inj := p.newInjury(r, e, d, date, event)
			start := len(p.encs)
			p.force = in
			p.careFor(r, inj)
			p.force = nil
			for _, x := range p.encs[start:] {
				if x.role == "stay" && x.adm == date {
					x.look = append(x.look, "LA_MASS")
				}
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// lookalikeStays turns some ordinary stays into legitimate look-alikes.
func (p *planner) lookalikeStays() {
	r := p.r
	var extra []*enc
	for _, e := range p.encs {
		if e.role != "stay" || len(e.look) > 0 {
			continue
		}
		k := e.inj.dx.kind
		x := r.Float64()
		switch {
		case e.surgery && k == "fracture" && x < 0.12:
			w := 3 + r.IntN(5)
			e.wait = w
			e.dis += w
			e.look = append(e.look, "LA_PREOP")
		case e.surgery && x < 0.17:
			e.other = append(e.other, "T81.4")
			e.dis += 3 + r.IntN(4)
			e.look = append(e.look, "LA_COMPLICATION")
		case (k == "fracture" || k == "head" || k == "spine") && e.in.level <= 2 && e.dis-e.adm >= 5 && x < 0.22:
			b := p.chooseInst(r, e.in.admvs, "severe")
			if b == e.in {
				continue
			}
			t := &enc{in: b, inj: e.inj, med: "42", adm: e.adm + 1 + r.IntN(2), role: "stay", surgery: e.surgery}
			t.dis = e.dis + 1
			t.wait = max(0, e.wait-(t.adm-e.adm))
			if t.wait >= t.dis-t.adm-1 {
				t.wait = 0
			}
			t.admMin, t.disMin = 11*60+r.IntN(10*60), e.disMin
			t.normalDis = t.dis
			e.surgery = false
			e.dis, e.normalDis = t.adm, t.adm
			e.disMin = 8*60 + r.IntN(120)
			e.look = append(e.look, "LA_TRANSFER", "LA_TRANSFER_STAY")
			t.look = append(t.look, "LA_TRANSFER", "LA_TRANSFER_STAY")
			extra = append(extra, t)
		case x < 0.29:
			e.other = append(e.other, []string{"I10", "E11.9"}[r.IntN(2)])
			e.look = append(e.look, "LA_PREEXIST")
		}
		e.normalDis = e.dis
	}
	for _, t := range extra {
		p.add(t)
	}
	// deaths in hospital
	dead := map[*injury]int{}
	for _, e := range p.encs {
		transfer := false
		for _, l := range e.look {
			transfer = transfer || l == "LA_TRANSFER"
		}
		if _, done := dead[e.inj]; !done && !transfer && e.role == "stay" && (e.inj.dx.severe() || e.inj.dx.code == "S06.5") && r.Float64() < 0.12 {
			e.dis = e.adm + 3 + r.IntN(max(1, e.dis-e.adm-3))
			e.normalDis = e.dis
			e.died, e.disMin = true, r.IntN(20*60)+60
			e.inj.p.death = e.dis
			e.look = append(e.look, "LA_DEATH_IN_HOSPITAL")
			dead[e.inj] = e.dis
		}
	}
	kept := p.encs[:0]
	for _, e := range p.encs {
		if d, ok := dead[e.inj]; ok && !e.died && e.adm >= d {
			continue
		}
		kept = append(kept, e)
	}
	p.encs = kept
}

// planViolations adds the violations that are whole encounters or span encounters.
func (p *planner) planViolations(scale float64, tot float64) {
	for _, in := range p.offenderWith("OT_SPLIT") {
		p.splits(in)
	}
	for _, in := range p.offenderWith("FB_OVERLAP") {
		p.overlaps(in, scaled(160*in.patterns["FB_OVERLAP"], scale))
	}
	for _, in := range p.offenderWith("FB_AFTERDEATH") {
		p.afterDeath(in, scaled(150*in.patterns["FB_AFTERDEATH"], scale))
	}
	for _, in := range p.offenderWith("PS_GROUP") {
		for g := scaled(12*in.patterns["PS_GROUP"], scale); g > 0; g-- {
			p.group(in, tot)
		}
	}
	for _, in := range p.offenderWith("FB_CLONE") {
		for g := scaled(12*in.patterns["FB_CLONE"], scale); g > 0; g-- {
			p.clones(in, tot)
		}
	}
}

func (p *planner) byInjury() map[*injury][]*enc {
	m := map[*injury][]*enc{}
	for _, e := range p.encs {
		m[e.inj] = append(m[e.inj], e)
	}
	for _, es := range m {
		sort.SliceStable(es, func(i, j int) bool { return es[i].adm < es[j].adm })
	}
	return m
}

func (p *planner) splits(in *inst) {
	r := p.r
	rate := in.patterns["OT_SPLIT"]
	byInj := p.byInjury()
	var add []*enc
	for _, e := range p.encs {
		los := e.dis - e.adm
		if e.in != in || e.role != "stay" || los < 9 || len(e.viol) > 0 || len(e.look) > 0 || e.ghost || r.Float64() >= rate*1.5 {
			continue
		}
		k := max(e.wait+3, 4+r.IntN(los-7))
		if k >= los-2 {
			continue
		}
		g := 1 + r.IntN(6)
		oldDis := e.dis
		e.dis, e.normalDis = e.adm+k, e.adm+k
		s := &enc{in: in, inj: e.inj, med: "42", adm: e.dis + g, dis: oldDis + g, role: "split", admMin: 8*60 + r.IntN(8*60), disMin: 8*60 + r.IntN(180)}
		s.normalDis = s.dis
		s.viol = []string{"OT_SPLIT"}
		for _, o := range byInj[e.inj] {
			if o != e && o.adm >= oldDis {
				o.adm += g
				o.dis += g
				o.normalDis += g
			}
		}
		add = append(add, s)
	}
	for _, s := range add {
		p.add(s)
	}
}

func (p *planner) overlaps(in *inst, n int) {
	r := p.r
	var cands []*enc
	for _, e := range p.encs {
		if e.in != in && e.med == "42" && e.dis-e.adm >= 6 && !e.died && e.adm >= p.y0() && len(e.atWork) == 0 {
			cands = append(cands, e)
		}
	}
	seen := map[*injury]bool{}
	for i := 0; i < n && len(cands) > 0; i++ {
		s := cands[r.IntN(len(cands))]
		if seen[s.inj] {
			continue
		}
		seen[s.inj] = true
		los := s.dis - s.adm
		f := &enc{in: in, inj: s.inj, med: "42", adm: s.adm + 1 + r.IntN(los-4), role: "fake", admMin: 8*60 + r.IntN(8*60), disMin: 8*60 + r.IntN(180)}
		f.dis = f.adm + 4 + r.IntN(5)
		f.normalDis = f.dis
		f.viol = []string{"FB_OVERLAP"}
		p.add(f)
	}
}

func (p *planner) afterDeath(in *inst, n int) {
	r := p.r
	byInj := p.byInjury()
	var injs []*injury
	for inj, es := range byInj {
		last := es[len(es)-1]
		if len(es) >= 2 && last.in == in && last.role == "follow" && inj.p.death == 0 {
			injs = append(injs, inj)
		}
	}
	sort.Slice(injs, func(i, j int) bool { return injs[i].id < injs[j].id })
	r.Shuffle(len(injs), func(i, j int) { injs[i], injs[j] = injs[j], injs[i] })
	for _, inj := range injs {
		if n == 0 {
			break
		}
		es := byInj[inj]
		last := es[len(es)-1]
		prevDis := 0
		for _, o := range es[:len(es)-1] {
			prevDis = max(prevDis, o.dis)
		}
		death := last.adm - 5 - r.IntN(40)
		if death <= prevDis+1 {
			continue
		}
		inj.p.death = death
		last.viol = []string{"FB_AFTERDEATH"}
		n--
	}
}

func (p *planner) group(in *inst, tot float64) {
	r := p.r
	e := p.pickEmployer(r, tot)
	adm := p.randomDay(r, p.y0()+40, p.y0()+320)
	los := 10 + r.IntN(5)
	codes := []string{"S30.0", "S20.2", "S80.0", "S39.0", "S13.4"}
	for j, k := 0, 6+r.IntN(3); j < k; j++ {
		d := diagByCode(codes[r.IntN(len(codes))])
		inj := p.newInjury(r, e, d, adm-1-r.IntN(45), "")
		x := p.add(&enc{in: in, inj: inj, med: "42", adm: adm, dis: adm + los + r.IntN(2), role: "stay", ghost: true,
			admMin: 8*60 + r.IntN(6*60), disMin: 8*60 + r.IntN(180)})
		x.normalDis = x.dis
		x.viol = []string{"PS_GROUP"}
	}
}

func (p *planner) clones(in *inst, tot float64) {
	r := p.r
	med, code, los := "42", "S52.5", 9+r.IntN(5)
	if in.typ == "rehab" {
		med, code, los = "43", "S82.2", 24+r.IntN(10)
	}
	d := diagByCode(code)
	base := p.randomDay(r, p.y0()+10, p.y0()+200)
	seed := r.Uint64()
	p.clone++
	for j, k := 0, 6+r.IntN(3); j < k; j++ {
		adm := base + 7*j*(1+r.IntN(2))
		inj := p.newInjury(r, p.pickEmployer(r, tot), d, adm-20-r.IntN(60), "")
		if med == "42" {
			inj.date = adm - r.IntN(2)
		}
		x := p.add(&enc{in: in, inj: inj, med: med, adm: adm, dis: adm + los, role: "clone", clone: p.clone,
			admMin: 9 * 60, disMin: 9*60 + 30})
		x.seed = seed
		x.normalDis = x.dis
		x.viol = []string{"FB_CLONE"}
	}
}

// census: phantom stays that push the registered in-patients above the licensed beds.
func (p *planner) census(scale float64) {
	r := p.r
	codes := []string{"S32.5", "S22.3", "S82.0", "S39.0"}
	for _, in := range p.offenderWith("PS_CENSUS") {
		if scale < 0.5 {
			in.beds = max(5, int(60*scale))
		}
		ws := p.randomDay(r, p.y0()+60, p.y0()+270)
		low := 1 << 30
		cen := p.censusOf(in)
		for d := ws; d < ws+30; d++ {
			low = min(low, cen[d])
		}
		k := (in.beds*115+99)/100 - low + 2
		for j := 0; j < k; j++ {
			d := diagByCode(codes[r.IntN(len(codes))])
			adm := ws - 5 + r.IntN(6)
			inj := p.newInjury(r, p.pickEmployer(r, p.totW), d, adm-r.IntN(3), "")
			x := p.add(&enc{in: in, inj: inj, med: "42", adm: adm, dis: ws + 30 + r.IntN(6), role: "stay", ghost: true,
				admMin: 8*60 + r.IntN(10*60), disMin: 8*60 + r.IntN(180)})
			x.normalDis = x.dis
			x.viol = []string{"PS_CENSUS"}
		}
	}
}

func (p *planner) censusOf(in *inst) map[int]int {
	c := map[int]int{}
	for _, e := range p.encs {
		if e.in == in && e.med != "41" {
			for d := e.adm; d < max(e.dis, e.adm+1); d++ {
				c[d]++
			}
		}
	}
	return c
}

// fitBeds raises licensed beds where the planned in-patients would not fit.
func (p *planner) fitBeds() {
	peak := map[*inst]int{}
	cen := map[*inst]map[int]int{}
	for _, e := range p.encs {
		if e.med == "41" {
			continue
		}
		m := cen[e.in]
		if m == nil {
			m = map[int]int{}
			cen[e.in] = m
		}
		for d := e.adm; d < max(e.dis, e.adm+1); d++ {
			m[d]++
			peak[e.in] = max(peak[e.in], m[d])
		}
	}
	for _, in := range p.insts {
		if in.patterns["PS_CENSUS"] > 0 {
			continue
		}
		if need := peak[in]*13/10 + 2; in.beds < need {
			in.beds = need
		}
	}
}
