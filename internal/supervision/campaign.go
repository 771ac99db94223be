package supervision

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// Depth is how deep a field-audit visit goes (fund-audit.md §5.2).
type Depth string

// The visit depths.
const (
	DepthFull  Depth = "full"  // high risk, or drawn into the random slice
	DepthLight Depth = "light" // the 拉网式 visit every institution gets
)

// Visit is one institution in a campaign plan.
type Visit struct {
	Institution string  `json:"fixmedins_code"`
	County      string  `json:"admvs"`
	Tier        string  `json:"tier"` // high | medium | low
	Score       float64 `json:"score"`
	Depth       Depth   `json:"depth"`
	Random      bool    `json:"random"` // drawn into the random slice
	Team        int     `json:"team"`   // 1-based, 0 before the draw
}

// PlanOptions sets the tiers and the random slice.
type PlanOptions struct {
	HighShare   float64 // share of institutions in the high tier (by rank), e.g. 0.2
	MediumShare float64 // next share in the medium tier, e.g. 0.3
	RandomShare float64 // share of the rest drawn for a full visit regardless of score, e.g. 0.15
	Seed        uint64  // the draw's seed, recorded with the plan so the draw can be shown again
}

// Plan tiers every institution of the ranking (every one is visited: 拉网式),
// gives the high tier a full visit and draws a random slice of the others
// for a full visit too (the unbiased estimate, CERT-style).
func Plan(rank []Rank, counties map[string]string, o PlanOptions) []Visit {
	n := len(rank)
	hi := int(float64(n)*o.HighShare + 0.5)
	med := int(float64(n)*o.MediumShare + 0.5)
	vs := make([]Visit, n)
	var rest []int
	for i, r := range rank {
		v := Visit{Institution: r.Institution, County: counties[r.Institution], Score: r.Score, Depth: DepthLight}
		switch {
		case i < hi:
			v.Tier, v.Depth = "high", DepthFull
		case i < hi+med:
			v.Tier = "medium"
		default:
			v.Tier = "low"
		}
		if v.Depth != DepthFull {
			rest = append(rest, i)
		}
		vs[i] = v
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x6a79))
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	k := int(float64(len(rest))*o.RandomShare + 0.5)
	for _, i := range rest[:k] {
		vs[i].Depth, vs[i].Random = DepthFull, true
	}
	return vs
}

// Inspector is a member of the audit pool: agency staff or a medical
// expert, with their county and former employers for recusal.
type Inspector struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	County    string   `json:"admvs"`
	Specialty string   `json:"specialty"` // 基金管理, 骨科, 烧伤, 康复, 物价, 财务, 数据…
	Former    []string `json:"former"`    // institutions they worked at
	Officer   bool     `json:"officer"`   // holds enforcement credentials
}

// Team is one drawn audit team.
type Team struct {
	No      int         `json:"no"`
	Members []Inspector `json:"members"`
}

// DrawTeams draws the pool into n teams by lot, mixing specialties
// (members of one specialty are dealt round the teams in a random order),
// then assigns each visit to a team none of whose members comes from the
// institution's county or worked there (recusal), balancing the number of
// visits. Every team needs at least two enforcement officers.
func DrawTeams(pool []Inspector, visits []Visit, n int, seed uint64) ([]Team, []Visit, error) {
	if n < 1 || len(pool) < 2*n {
		return nil, nil, fmt.Errorf("稽核人员%d人，不足以组成%d个至少2人的检查组", len(pool), n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x7465616d))
	bySpec := map[string][]Inspector{}
	for _, p := range pool {
		bySpec[p.Specialty] = append(bySpec[p.Specialty], p)
	}
	specs := sortedKeys(bySpec)
	teams := make([]Team, n)
	for i := range teams {
		teams[i].No = i + 1
	}
	next := rng.IntN(n)
	for _, sp := range specs {
		ms := bySpec[sp]
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		for _, m := range ms {
			teams[next].Members = append(teams[next].Members, m)
			next = (next + 1) % n
		}
	}
	for _, t := range teams {
		officers := 0
		for _, m := range t.Members {
			if m.Officer {
				officers++
			}
		}
		if officers < 2 {
			return nil, nil, fmt.Errorf("第%d组执法人员不足2人，请增加持证人员后重新抽签", t.No)
		}
	}
	out := append([]Visit(nil), visits...)
	order := rng.Perm(len(out))
	load := make([]int, n)
	for _, i := range order {
		v := &out[i]
		best := -1
		for t := range teams {
			if recused(teams[t], v) {
				continue
			}
			if best < 0 || load[t] < load[best] {
				best = t
			}
		}
		if best < 0 {
			return nil, nil, fmt.Errorf("机构%s所在区县或曾任职的人员遍布各组，无法回避，请调整人员后重新抽签", v.Institution)
		}
		v.Team = best + 1
		load[best]++
	}
	return teams, out, nil
}

// recused reports whether a team may not audit a visit: a member from the
// institution's county or a former employee.
func recused(t Team, v *Visit) bool {
	for _, m := range t.Members {
		if m.County != "" && m.County == v.County || contains(m.Former, v.Institution) {
			return true
		}
	}
	return false
}

// Sample draws a stratified random sample of an institution's encounters
// for the on-site record review (fund-audit.md §5.3): strata are the
// medical type × amount tercile; perStratum encounters from each (all of
// a smaller stratum). Encounters with findings are reviewed anyway and
// are left out of the sample.
func Sample(x *Extract, inst string, flagged map[string]bool, perStratum int, seed uint64) []string {
	x.Index()
	var es []*Encounter
	for _, i := range x.ix.byInst[inst] {
		e := &x.Encounters[i]
		if !flagged[e.ID] {
			es = append(es, e)
		}
	}
	strata := map[string][]*Encounter{}
	byType := map[string][]*Encounter{}
	for _, e := range es {
		byType[e.MedType] = append(byType[e.MedType], e)
	}
	for mt, list := range byType {
		sort.Slice(list, func(i, j int) bool {
			if list[i].FundPaid != list[j].FundPaid {
				return list[i].FundPaid < list[j].FundPaid
			}
			return list[i].ID < list[j].ID
		})
		for k, e := range list {
			t := k * 3 / len(list)
			key := fmt.Sprintf("%s-%d", mt, t)
			strata[key] = append(strata[key], e)
		}
	}
	rng := rand.New(rand.NewPCG(seed, 0x73616d70))
	var out []string
	for _, key := range sortedKeys(strata) {
		list := strata[key]
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		for _, e := range list[:min(perStratum, len(list))] {
			out = append(out, e.ID)
		}
	}
	sort.Strings(out)
	return out
}
