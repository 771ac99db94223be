package auditsynth

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

type implant struct {
	key      string
	min, max int
}

// diag is a recognised-injury code with the care pattern of its group.
type diag struct {
	code, kind string
	parts      []string
	weight     float64
	surg       string
	anaes      string
	implants   []implant
	ip         float64 // share with an inpatient stay
	surgP      float64 // share of stays with surgery
	rehabP     float64
	removalP   float64
	los        [2]int
	ct, mr     bool
	followups  int
}

var diags = []*diag{
	// minor injuries: outpatient only
	{code: "S60.0", kind: "minor", parts: []string{"wrist_hand"}, weight: 3.5, followups: 1},
	{code: "S61.0", kind: "minor", parts: []string{"wrist_hand"}, weight: 3.5, followups: 2},
	{code: "S93.4", kind: "minor", parts: []string{"ankle_foot"}, weight: 2.8, followups: 1},
	{code: "S80.0", kind: "minor", parts: []string{"knee_lower_leg"}, weight: 2.1, followups: 1},
	{code: "S00.0", kind: "minor", parts: []string{"head"}, weight: 1.4, followups: 1},
	{code: "S50.0", kind: "minor", parts: []string{"elbow_forearm"}, weight: 2.1, followups: 1},
	{code: "S40.0", kind: "minor", parts: []string{"shoulder_upper_arm"}, weight: 1.4, followups: 1},
	{code: "S70.0", kind: "minor", parts: []string{"hip_thigh"}, weight: 1.4, followups: 1},
	{code: "S20.2", kind: "minor", parts: []string{"thorax"}, weight: 1.4, followups: 1},
	{code: "S30.0", kind: "minor", parts: []string{"lumbar_pelvis"}, weight: 1.4, followups: 1},
	{code: "S39.0", kind: "minor", parts: []string{"lumbar_pelvis"}, weight: 1.4, followups: 2},
	{code: "S90.0", kind: "minor", parts: []string{"ankle_foot"}, weight: 1.4, followups: 1},
	{code: "S13.4", kind: "minor", parts: []string{"neck"}, weight: 0.7, followups: 2},
	{code: "S05.0", kind: "eye", parts: []string{"eye"}, weight: 2.5, followups: 1},
	{code: "S05.1", kind: "eye", parts: []string{"eye"}, weight: 1, followups: 2},
	{code: "S05.5", kind: "eye", parts: []string{"eye"}, weight: 0.6, ip: 1, surgP: 1, surg: "s_eye", anaes: "local", los: [2]int{5, 9}, followups: 2},
	// hand
	{code: "S62.6", kind: "hand", parts: []string{"wrist_hand"}, weight: 6, ip: 0.5, surgP: 1, surg: "s_finger", anaes: "plexus", implants: []implant{{"kwire", 1, 3}}, los: [2]int{3, 8}, rehabP: 0.12, followups: 3},
	{code: "S66.1", kind: "hand", parts: []string{"wrist_hand"}, weight: 3, ip: 0.7, surgP: 1, surg: "s_tendon", anaes: "plexus", los: [2]int{4, 9}, rehabP: 0.3, followups: 3},
	{code: "S68.1", kind: "hand", parts: []string{"wrist_hand"}, weight: 2, ip: 0.9, surgP: 1, surg: "s_replant", anaes: "plexus", implants: []implant{{"kwire", 1, 2}}, los: [2]int{7, 14}, rehabP: 0.3, followups: 3},
	{code: "S62.3", kind: "hand", parts: []string{"wrist_hand"}, weight: 3, ip: 0.6, surgP: 1, surg: "s_finger", anaes: "plexus", implants: []implant{{"plate", 1, 1}, {"screw", 4, 6}}, los: [2]int{4, 9}, rehabP: 0.15, removalP: 0.2, followups: 3},
	{code: "S62.5", kind: "hand", parts: []string{"wrist_hand", "elbow_forearm"}, weight: 1, ip: 0.6, surgP: 1, surg: "s_finger", anaes: "plexus", implants: []implant{{"kwire", 2, 4}}, los: [2]int{4, 9}, rehabP: 0.4, followups: 3},
	// fractures
	{code: "S52.5", kind: "fracture", parts: []string{"elbow_forearm"}, weight: 4, ip: 0.85, surgP: 0.85, surg: "s_radius", anaes: "plexus", implants: []implant{{"plate", 1, 1}, {"screw", 5, 8}}, los: [2]int{7, 14}, rehabP: 0.4, removalP: 0.3, followups: 3},
	{code: "S42.2", kind: "fracture", parts: []string{"shoulder_upper_arm"}, weight: 2, ip: 0.9, surgP: 0.85, surg: "s_humerus", anaes: "ga", implants: []implant{{"plate", 1, 1}, {"screw", 6, 10}}, los: [2]int{9, 16}, rehabP: 0.5, removalP: 0.25, mr: true, followups: 3},
	{code: "S72.0", kind: "fracture", parts: []string{"hip_thigh"}, weight: 1.5, ip: 1, surgP: 0.95, surg: "s_hip", anaes: "spinal", implants: []implant{{"hip", 1, 1}}, los: [2]int{12, 20}, rehabP: 0.6, ct: true, followups: 3},
	{code: "S72.3", kind: "fracture", parts: []string{"hip_thigh"}, weight: 1.5, ip: 1, surgP: 0.95, surg: "s_femur", anaes: "spinal", implants: []implant{{"nail", 1, 1}, {"screw", 2, 4}}, los: [2]int{12, 20}, rehabP: 0.6, removalP: 0.35, followups: 3},
	{code: "S82.2", kind: "fracture", parts: []string{"knee_lower_leg"}, weight: 3, ip: 0.95, surgP: 0.9, surg: "s_tibia", anaes: "spinal", implants: []implant{{"plate", 1, 1}, {"screw", 6, 10}}, los: [2]int{10, 18}, rehabP: 0.5, removalP: 0.35, ct: true, followups: 3},
	{code: "S82.0", kind: "fracture", parts: []string{"knee_lower_leg"}, weight: 1.5, ip: 0.9, surgP: 0.8, surg: "s_tibia", anaes: "spinal", implants: []implant{{"kwire", 2, 2}, {"screw", 2, 3}}, los: [2]int{8, 14}, rehabP: 0.5, removalP: 0.4, mr: true, followups: 3},
	{code: "S92.0", kind: "fracture", parts: []string{"ankle_foot"}, weight: 2, ip: 0.95, surgP: 0.85, surg: "s_calc", anaes: "spinal", implants: []implant{{"plate", 1, 1}, {"screw", 6, 9}}, los: [2]int{10, 18}, rehabP: 0.45, removalP: 0.3, ct: true, followups: 3},
	{code: "S32.5", kind: "fracture", parts: []string{"lumbar_pelvis"}, weight: 0.8, ip: 1, surgP: 0.3, surg: "s_debride", anaes: "ga", los: [2]int{10, 20}, rehabP: 0.4, ct: true, followups: 2},
	// spine
	{code: "S32.0", kind: "spine", parts: []string{"spine", "lumbar_pelvis"}, weight: 2, ip: 1, surgP: 0.5, surg: "s_spine", anaes: "ga", implants: []implant{{"pedicle", 4, 6}}, los: [2]int{12, 22}, rehabP: 0.5, ct: true, mr: true, followups: 2},
	{code: "S22.0", kind: "spine", parts: []string{"spine", "thorax"}, weight: 1, ip: 1, surgP: 0.5, surg: "s_spine", anaes: "ga", implants: []implant{{"pedicle", 4, 6}}, los: [2]int{12, 22}, rehabP: 0.5, ct: true, mr: true, followups: 2},
	{code: "S12.2", kind: "spine", parts: []string{"spine", "neck"}, weight: 0.5, ip: 1, surgP: 0.3, surg: "s_spine", anaes: "ga", implants: []implant{{"pedicle", 4, 4}}, los: [2]int{12, 22}, rehabP: 0.5, ct: true, mr: true, followups: 2},
	// head
	{code: "S06.0", kind: "head", parts: []string{"head"}, weight: 3, ip: 0.8, los: [2]int{3, 7}, ct: true, followups: 1},
	{code: "S06.5", kind: "head", parts: []string{"head"}, weight: 1, ip: 1, surgP: 0.35, surg: "s_hematoma", anaes: "ga", los: [2]int{10, 20}, ct: true, rehabP: 0.3, followups: 2},
	{code: "S02.0", kind: "head", parts: []string{"head"}, weight: 0.8, ip: 1, los: [2]int{6, 12}, ct: true, followups: 1},
	// thorax
	{code: "S22.3", kind: "thorax", parts: []string{"thorax"}, weight: 2, ip: 0.8, los: [2]int{5, 10}, ct: true, followups: 1},
	{code: "S27.0", kind: "thorax", parts: []string{"thorax"}, weight: 0.8, ip: 1, surgP: 0.8, surg: "s_drain", anaes: "local", los: [2]int{6, 12}, ct: true, followups: 1},
	// burns
	{code: "T23.2", kind: "burn", parts: []string{"wrist_hand"}, weight: 2, ip: 0.6, surgP: 0.2, surg: "s_graft", anaes: "plexus", los: [2]int{7, 16}, rehabP: 0.15, followups: 2},
	{code: "T22.2", kind: "burn", parts: []string{"shoulder_upper_arm", "elbow_forearm"}, weight: 1, ip: 0.8, surgP: 0.3, surg: "s_graft", anaes: "ga", los: [2]int{9, 20}, rehabP: 0.2, followups: 2},
	{code: "T24.2", kind: "burn", parts: []string{"hip_thigh", "knee_lower_leg"}, weight: 1, ip: 0.8, surgP: 0.3, surg: "s_graft", anaes: "spinal", los: [2]int{9, 20}, rehabP: 0.2, followups: 2},
	{code: "T20.2", kind: "burn", parts: []string{"head"}, weight: 0.6, ip: 0.7, los: [2]int{7, 14}, followups: 2},
	{code: "T29.2", kind: "burn", parts: []string{"burn_multi"}, weight: 0.6, ip: 1, surgP: 0.6, surg: "s_graft", anaes: "ga", los: [2]int{14, 28}, rehabP: 0.3, followups: 2},
	// severe (look-alikes for over-treatment and over-examination)
	{code: "T29.3", kind: "burnsevere", parts: []string{"burn_multi"}, weight: 0.25, ip: 1, surgP: 1, surg: "s_graft", anaes: "ga", los: [2]int{35, 60}, rehabP: 0.6, followups: 2},
	{code: "T02.7", kind: "poly", parts: []string{"thorax", "lumbar_pelvis", "hip_thigh"}, weight: 0.2, ip: 1, surgP: 1, surg: "s_femur", anaes: "ga", implants: []implant{{"nail", 1, 1}, {"screw", 2, 4}}, los: [2]int{28, 50}, rehabP: 0.7, ct: true, followups: 3},
	{code: "T02.8", kind: "poly", parts: []string{"head", "thorax", "knee_lower_leg"}, weight: 0.15, ip: 1, surgP: 1, surg: "s_tibia", anaes: "ga", implants: []implant{{"plate", 1, 1}, {"screw", 6, 10}}, los: [2]int{28, 50}, rehabP: 0.7, ct: true, followups: 3},
}

func (d *diag) severe() bool { return d.kind == "poly" || d.kind == "burnsevere" }

// enc is one planned encounter.
type enc struct {
	idx        int
	id         string
	in         *inst
	inj        *injury
	med        string // 41, 42, 43
	adm, dis   int
	admMin     int
	disMin     int
	maindiag   string
	other      []string
	atd        *doctor
	role       string // first, follow, stay, rehab, removal
	surgery    bool
	wait       int // days from admission to surgery
	seed       uint64
	viol       []string // violation patterns to inject
	look       []string // look-alike patterns
	ghost      bool     // fabricated or phantom whole stay: low intensity, no work-up
	noWorkup   bool
	headRepeat bool
	died       bool
	extraDays  int // OT_LOS / PS_EMPTY / OT_REHAB: days added to the normal stay
	normalDis  int
	atWork     []int // PS_ATTEND: days the worker was at work
	clone      int
	labels     []*label
	fundPay    int64
	total      int64
	lines      int
}

func (e *enc) hasViol(p string) bool {
	for _, v := range e.viol {
		if v == p {
			return true
		}
	}
	return false
}

func (e *enc) inpatient() bool { return e.med != "41" }

// bedDays of a stay under 计入不计出.
func (e *enc) bedDays() int { return max(1, e.dis-e.adm) }

type planner struct {
	*world
	encs    []*enc
	nextEnc int
	nextInj int
	events  int
	force   *inst // mass events: every injured worker goes to one institution
	clone   int
	totW    float64
}

func (p *planner) newInjury(r *rand.Rand, e *employer, d *diag, date int, event string) *injury {
	p.nextInj++
	per := p.newPerson(e)
	if event == "" {
		p.events++
		event = fmt.Sprintf("SG%s%05d", dayTime(date).Format("20060102"), p.events)
	}
	inj := &injury{id: fmt.Sprintf("RD%s%d%06d", e.admvs, p.year, p.nextInj), p: per, emp: e, date: date,
		rcgn: date + 15 + r.IntN(50), parts: d.parts, dx: d, event: event}
	p.injuries = append(p.injuries, inj)
	return inj
}

func (p *planner) add(e *enc) *enc {
	p.nextEnc++
	e.idx = p.nextEnc
	e.seed = uint64(p.nextEnc)*0x9E3779B97F4A7C15 + 1
	if e.maindiag == "" {
		e.maindiag = e.inj.dx.code
	}
	p.encs = append(p.encs, e)
	return e
}

func pickDiag(r *rand.Rand, tot float64) *diag {
	x := r.Float64() * tot
	for _, d := range diags {
		if x < d.weight {
			return d
		}
		x -= d.weight
	}
	return diags[0]
}

// chooseInst picks a treating institution for a need, preferring the county.
func (p *planner) chooseInst(r *rand.Rand, admvs, need string) *inst {
	var cands []*inst
	for _, in := range p.insts {
		if p.fits(in, need) {
			cands = append(cands, in)
		}
	}
	local := cands[:0:0]
	for _, in := range cands {
		if in.admvs == admvs {
			local = append(local, in)
		}
	}
	if len(local) > 0 && r.Float64() < 0.75 {
		cands = local
	}
	tot := 0.0
	for _, in := range cands {
		tot += instWeight(in, need)
	}
	x := r.Float64() * tot
	for _, in := range cands {
		if x < instWeight(in, need) {
			return in
		}
		x -= instWeight(in, need)
	}
	return cands[len(cands)-1]
}

func instWeight(in *inst, need string) float64 {
	w := map[int]float64{1: 1, 2: 3, 3: 5}[in.level]
	if need == "outpatient" && in.level == 1 {
		w = 2.5
	}
	if need == "conservative" {
		w = map[int]float64{1: 3, 2: 3, 3: 1}[in.level]
		if in.offender == 1 && in.level == 1 {
			w *= 12
		}
	}
	if in.offender == 1 {
		w *= 1.3
	}
	return w
}

func (p *planner) fits(in *inst, need string) bool {
	switch need {
	case "rehab":
		return in.typ == "rehab"
	case "outpatient", "conservative":
		return in.typ == "medical"
	case "surgical":
		return in.typ == "medical" && in.level >= 2
	case "ct":
		return in.typ == "medical" && in.level >= 2 && in.has("CT")
	case "burn":
		return in.typ == "medical" && in.has("BURN")
	case "severe":
		return in.typ == "medical" && in.level == 3 && in.has("ICU")
	case "mr":
		return in.typ == "medical" && in.level >= 2 && in.has("MR15T")
	}
	return false
}

func (p *planner) needFor(d *diag) string {
	switch {
	case d.severe() && d.kind == "burnsevere":
		return "burn"
	case d.severe():
		return "severe"
	case d.kind == "burn":
		return "burn"
	case d.mr || d.kind == "spine":
		return "mr"
	case d.ct || d.kind == "head":
		return "ct"
	}
	return "surgical"
}

func admTime(r *rand.Rand) int { return 6*60 + r.IntN(16*60) }

// careFor plans all encounters of one injury.
func (p *planner) careFor(r *rand.Rand, inj *injury) {
	d := inj.dx
	home := inj.emp.admvs
	day := inj.date + map[bool]int{true: 1, false: 0}[r.IntN(8) == 0]
	ipIn := p.force
	if ipIn == nil && r.Float64() < d.ip {
		need := p.needFor(d)
		if r.Float64() >= d.surgP && (d.kind == "fracture" || d.kind == "hand" || d.kind == "thorax" || d.kind == "spine") && r.Float64() < 0.6 {
			need = "conservative"
		}
		ipIn = p.chooseInst(r, home, need)
	}
	firstIn := ipIn
	if firstIn == nil || r.IntN(4) == 0 {
		firstIn = p.chooseInst(r, home, "outpatient")
		if d.kind == "fracture" || d.kind == "hand" || d.kind == "head" {
			if in := p.chooseInst(r, home, "ct"); r.IntN(2) == 0 {
				firstIn = in
			}
		}
	}
	first := p.add(&enc{in: firstIn, inj: inj, med: "41", adm: day, role: "first"})
	first.admMin = admTime(r)
	first.dis, first.disMin = day, first.admMin+30+r.IntN(150)
	last := day
	var stay *enc
	if ipIn != nil {
		adm := day
		if firstIn != ipIn && r.IntN(3) == 0 {
			adm += 1 + r.IntN(3)
		}
		los := d.los[0] + r.IntN(d.los[1]-d.los[0]+1)
		stay = p.add(&enc{in: ipIn, inj: inj, med: "42", adm: adm, dis: adm + los, role: "stay"})
		stay.admMin = first.disMin + 20
		if stay.adm != first.adm || stay.admMin >= 23*60 {
			stay.admMin = admTime(r)
		}
		stay.disMin = 8*60 + 30 + r.IntN(180)
		stay.surgery = r.Float64() < d.surgP && d.surg != "" && ipIn.level >= 2
		if stay.surgery {
			stay.wait = r.IntN(3)
			if d.kind == "head" || d.kind == "thorax" || d.kind == "burn" || d.severe() {
				stay.wait = r.IntN(2)
			}
			if stay.wait >= stay.dis-stay.adm-1 {
				stay.wait = 0
			}
		}
		stay.normalDis = stay.dis
		if d.kind == "head" && d.code == "S06.0" && r.Float64() < 0.35 {
			stay.headRepeat = true
			stay.look = append(stay.look, "LA_HEAD_CT")
		}
		if d.severe() {
			stay.look = append(stay.look, "LA_SEVERE")
		}
		last = stay.dis
	}
	// follow-up visits
	nf := 0
	for i := 0; i < d.followups; i++ {
		if r.Float64() < 0.75 {
			nf++
		}
	}
	fIn := firstIn
	if stay != nil {
		fIn = stay.in
	}
	gap := 7 + r.IntN(7)
	if d.kind == "fracture" || d.kind == "spine" || d.severe() {
		gap = 25 + r.IntN(10)
	}
	fday := last
	for i := 0; i < nf; i++ {
		fday += gap + r.IntN(5)
		f := p.add(&enc{in: fIn, inj: inj, med: "41", adm: fday, role: "follow"})
		f.admMin = 8*60 + r.IntN(8*60)
		f.dis, f.disMin = fday, f.admMin+20+r.IntN(60)
	}
	if fday > last {
		last = fday
	}
	// rehabilitation
	if stay != nil && r.Float64() < d.rehabP {
		in := p.chooseInst(r, home, "rehab")
		adm := stay.dis + 7 + r.IntN(25)
		los := 18 + r.IntN(28)
		if d.severe() {
			los += 20
		}
		reh := p.add(&enc{in: in, inj: inj, med: "43", adm: adm, dis: adm + los, role: "rehab"})
		reh.admMin, reh.disMin = 8*60+r.IntN(6*60), 8*60+30+r.IntN(150)
		reh.normalDis = reh.dis
		if reh.dis > last {
			last = reh.dis
		}
	}
	// implant removal months later (look-alike for split admissions)
	if stay != nil && stay.surgery && r.Float64() < d.removalP {
		adm := stay.dis + 240 + r.IntN(180)
		rm := p.add(&enc{in: stay.in, inj: inj, med: "42", adm: adm, dis: adm + 2 + r.IntN(4), role: "removal", surgery: true, maindiag: "Z47.0"})
		rm.admMin, rm.disMin = 8*60+r.IntN(4*60), 8*60+30+r.IntN(150)
		rm.wait = r.IntN(2)
		rm.look = append(rm.look, "LA_IMPLANT_REMOVAL")
	}
	inj.absentTo = last + map[string]int{"minor": 3, "eye": 5, "hand": 30, "fracture": 45, "spine": 60, "head": 20, "thorax": 20, "burn": 30, "burnsevere": 90, "poly": 90}[d.kind]
}

// inScope drops encounters that did not begin in the year and marks the
// injuries and persons they use.
func (p *planner) inScope() {
	y0, y1 := dayOf(p.year, time.January, 1), dayOf(p.year+1, time.January, 1)
	for _, inj := range p.injuries {
		inj.used, inj.p.used = false, false
	}
	kept := p.encs[:0]
	for _, e := range p.encs {
		if e.adm >= y0 && e.adm < y1 {
			kept = append(kept, e)
			e.inj.used = true
			e.inj.p.used = true
		}
	}
	p.encs = kept
	sort.SliceStable(p.encs, func(i, j int) bool {
		if p.encs[i].adm != p.encs[j].adm {
			return p.encs[i].adm < p.encs[j].adm
		}
		return p.encs[i].idx < p.encs[j].idx
	})
	for i, e := range p.encs {
		e.id = fmt.Sprintf("MT%d%07d", p.year, i+1)
	}
}

func joinList(xs []string) string { return strings.Join(xs, ";") }
