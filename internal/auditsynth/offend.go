package auditsynth

import (
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// profile is the set of patterns an offender institution carries and their rate.
type profile struct {
	need     func(*inst) bool
	offender int
	rate     float64
	patterns []string
}

func l2surg(in *inst) bool { return in.typ == "medical" && in.level == 2 }

// fitEquipment gives an offender the equipment its profile's patterns assume
// (1.5 T but not 3.0 T MR for MR substitution, no robot for robot billing).
func fitEquipment(in *inst) {
	if in.patterns["IS_EQUIPMENT"] > 0 || in.patterns["IS_REGION"] > 0 || in.patterns["OE_CTMR"] > 0 {
		if in.typ == "medical" && in.level == 2 {
			in.equip["CT"], in.equip["MR15T"] = true, true
			delete(in.equip, "MR3T")
		}
		if in.typ == "rehab" {
			delete(in.equip, "REHAB_ROBOT")
		}
	}
}

var profiles = []profile{
	{l2surg, 1, 0.22, []string{"IS_HIGHTIER", "IS_STOCK", "CF_OVERPRICE", "OT_LOS", "OE_REPEAT", "FB_NOTEMPLOYED", "IS_EQUIPMENT", "PS_ATTEND:0.5"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 1 }, 1, 0.25, []string{"PS_EMPTY:0.3", "PS_GROUP", "PS_CENSUS", "PS_ATTEND:0.5", "FB_NOWORKUP", "CF_BEDDAYS", "CF_OUTSIDE"}},
	{func(in *inst) bool { return in.typ == "rehab" && in.level == 2 }, 1, 0.22, []string{"FB_MINUTES", "OT_REHAB", "CF_PERSTAY", "CF_INTERVAL", "IS_HIGHTIER", "IS_EQUIPMENT", "FB_CLONE", "CF_PERDAY"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 3 }, 1, 0.15, []string{"OE_SHARE", "OE_CTMR", "OT_COST", "CF_BUNDLE0", "OT_SPLIT", "CF_UNRELATED"}},
	{l2surg, 1, 0.22, []string{"CF_UNCOVERED", "CF_OUTSIDE", "FB_OVERLAP", "FB_AFTERDEATH", "IS_REGION", "IS_EQUIPMENT", "PS_EMPTY"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 1, 0.12, []string{"CF_OVERPRICE", "CF_PERDAY", "OE_REPEAT", "CF_BUNDLE0"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 1, 0.18, []string{"PS_EMPTY", "OT_SPLIT", "PS_ATTEND:0.6", "PS_GROUP", "FB_NOWORKUP:0.1"}},
	{func(in *inst) bool { return in.typ == "rehab" }, 1, 0.12, []string{"OT_REHAB", "IS_HIGHTIER", "CF_PERDAY", "FB_MINUTES"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 1 }, 1, 0.15, []string{"FB_NOTEMPLOYED", "CF_OUTSIDE", "FB_NOWORKUP", "CF_UNCOVERED"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 1, 0.12, []string{"IS_REGION", "OE_CTMR", "OT_LOS", "OE_SHARE"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 3 }, 1, 0.08, []string{"CF_BUNDLE0", "OT_COST", "IS_STOCK", "IS_HIGHTIER"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 1, 0.12, []string{"FB_CLONE", "CF_UNRELATED", "FB_OVERLAP", "CF_BEDDAYS"}},
	// light: a few violations, not an offender
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 2, 0.015, []string{"CF_OVERPRICE"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 3 }, 2, 0.01, []string{"OE_REPEAT"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 1 }, 2, 0.02, []string{"CF_OUTSIDE"}},
	{func(in *inst) bool { return in.typ == "rehab" }, 2, 0.02, []string{"CF_PERDAY"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 2, 0.015, []string{"IS_REGION"}},
	{func(in *inst) bool { return in.typ == "medical" && in.level == 2 }, 2, 0.015, []string{"OT_LOS"}},
}

// assignOffenders gives the profiles to institutions, in a random order.
func (w *world) assignOffenders() {
	order := w.r.Perm(len(w.insts))
	for _, pr := range profiles {
		for _, i := range order {
			in := w.insts[i]
			if in.offender == 0 && pr.need(in) {
				in.offender = pr.offender
				in.patterns = map[string]float64{}
				for _, p := range pr.patterns {
					rate := pr.rate
					if i := strings.IndexByte(p, ':'); i > 0 {
						rate, _ = strconv.ParseFloat(p[i+1:], 64)
						p = p[:i]
					}
					in.patterns[p] = rate
				}
				fitEquipment(in)
				break
			}
		}
	}
	for _, in := range w.insts {
		if in.patterns["IS_STOCK"] > 0 {
			in.stockKeys = []string{"screw2", "plate2", "screw1", "pedicle", "kwire"}
		}
		if in.patterns["PS_CENSUS"] > 0 {
			in.beds = 30
		}
	}
}

// eligible reports whether a per-encounter pattern can be injected into an encounter.
func eligible(p string, e *enc) bool {
	ip, reh := e.med == "42", e.med == "43"
	los := e.dis - e.adm
	sev := e.inj.dx.severe()
	switch p {
	case "CF_OVERPRICE", "CF_UNCOVERED", "FB_NOTEMPLOYED":
		return true
	case "CF_BUNDLE0", "CF_PERDAY", "CF_UNRELATED", "CF_OUTSIDE", "OE_SHARE":
		return ip || reh
	case "CF_PERSTAY", "CF_BEDDAYS":
		return (ip || reh) && los >= 2
	case "CF_INTERVAL":
		return reh && los >= 15
	case "IS_EQUIPMENT":
		return ip || reh
	case "IS_REGION":
		return e.role == "first" || ip
	case "PS_EMPTY", "OT_LOS", "OT_COST":
		return ip && !sev && e.role == "stay"
	case "PS_ATTEND":
		return ip && e.role == "stay" && los >= 6 && e.inj.emp.attendance && !sev
	case "FB_NOWORKUP":
		return ip && e.role == "stay" && !sev && (e.inj.dx.kind == "fracture" || e.inj.dx.kind == "hand" || e.inj.dx.kind == "spine")
	case "OE_REPEAT", "OE_CTMR":
		return ip && e.role == "stay" && !sev && e.inj.parts[0] != "burn_multi"
	case "OT_REHAB":
		return reh
	}
	return false
}

// perEncounter marks the per-encounter violation patterns of offender institutions.
func (p *planner) markViolations() {
	keys := func(m map[string]float64) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	byInj := p.byInjury()
	for _, e := range p.encs {
		if e.in.patterns == nil || e.clone > 0 || e.ghost {
			continue
		}
		for _, pat := range keys(e.in.patterns) {
			if eligible(pat, e) && p.r.Float64() < e.in.patterns[pat] {
				e.viol = append(e.viol, pat)
			}
		}
		// one stay extension at most
		ext := 0
		var kept []string
		for _, v := range e.viol {
			if v == "PS_EMPTY" || v == "OT_LOS" || v == "OT_REHAB" || v == "PS_ATTEND" {
				ext++
				if ext > 1 {
					continue
				}
			}
			kept = append(kept, v)
		}
		e.viol = kept
		if e.hasViol("FB_NOWORKUP") { // a ghost stay carries nothing else
			e.viol = []string{"FB_NOWORKUP"}
			e.ghost, e.noWorkup, e.surgery = true, true, false
		}
		oldDis := e.dis
		p.extendStay(e)
		if e.extraDays > 0 { // later encounters of the injury move with the longer stay
			for _, o := range byInj[e.inj] {
				if o != e && o.adm >= oldDis-1 {
					o.adm += e.extraDays
					o.dis += e.extraDays
					o.normalDis += e.extraDays
				}
			}
		}
	}
}

func remove(xs []string, x string) []string {
	out := xs[:0]
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// extendStay lengthens stays for PS_EMPTY, OT_LOS, OT_REHAB; places PS_ATTEND days.
func (p *planner) extendStay(e *enc) {
	r := p.r
	los := e.dis - e.adm
	switch {
	case e.hasViol("PS_EMPTY"):
		e.extraDays = 6 + r.IntN(7)
	case e.hasViol("OT_LOS"):
		e.extraDays = los + r.IntN(los+1)
	case e.hasViol("OT_REHAB"):
		e.extraDays = los/2 + r.IntN(los+1)
	case e.hasViol("PS_ATTEND"):
		start := e.adm + e.wait + 2 + r.IntN(max(1, los-e.wait-5))
		n := 3 + r.IntN(4)
		for d := start; d < start+n && d < e.dis-1; d++ {
			e.atWork = append(e.atWork, d)
		}
		if len(e.atWork) < 2 {
			e.viol = remove(e.viol, "PS_ATTEND")
			e.atWork = nil
		}
	}
	e.dis += e.extraDays
}

// y0 is the first day of the year.
func (p *planner) y0() int { return dayOf(p.year, time.January, 1) }

func (p *planner) offenderWith(pat string) []*inst {
	var out []*inst
	for _, in := range p.insts {
		if in.patterns[pat] > 0 {
			out = append(out, in)
		}
	}
	return out
}

// scaled is n × scale, at least 1.
func scaled(n float64, scale float64) int { return max(1, int(n*scale+0.5)) }

func (p *planner) randomDay(r *rand.Rand, from, to int) int { return from + r.IntN(max(1, to-from)) }
