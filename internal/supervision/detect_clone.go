package supervision

import (
	"fmt"
	"sort"
	"strings"
)

// cloneRules is GS-F08: stays of different workers at one institution
// with the same length, the same total and near-identical records: the
// Jaccard similarity over (day offset, clock time to the minute, item,
// quantity) at or above the parameter. Protocolised care gives the same
// items day by day, even the same totals; it does not give the same
// clock times for different patients, a copied record does.
func (s *scanner) cloneRules() {
	const id = "GS-F08"
	if !s.rs.on(id) {
		return
	}
	minDays := int(s.rs.val(id, "min_days"))
	jac := s.rs.val(id, "jaccard")
	type key struct {
		inst  string
		days  int
		total int64
	}
	groups := map[key][]int32{}
	for i := range s.x.Encounters {
		e := &s.x.Encounters[i]
		if e.Stay() && e.days() >= minDays {
			k := key{e.Institution, e.days(), e.Total}
			groups[k] = append(groups[k], int32(i))
		}
	}
	flag := map[int32][]string{}
	for _, es := range groups {
		if len(es) < 2 {
			continue
		}
		sigs := make([]map[string]bool, len(es))
		for i, ei := range es {
			sigs[i] = s.signature(&s.x.Encounters[ei])
		}
		for i := range es {
			for j := i + 1; j < len(es); j++ {
				a, b := &s.x.Encounters[es[i]], &s.x.Encounters[es[j]]
				if a.CertNo == b.CertNo {
					continue
				}
				if sim := jaccard(sigs[i], sigs[j]); sim >= jac {
					flag[es[i]] = append(flag[es[i]], fmt.Sprintf("%s（相似度%.2f）", b.ID, sim))
					flag[es[j]] = append(flag[es[j]], fmt.Sprintf("%s（相似度%.2f）", a.ID, sim))
				}
			}
		}
	}
	for _, ei := range sortedEnc(flag) {
		e := &s.x.Encounters[ei]
		others := flag[ei]
		sort.Strings(others)
		s.hit(id, e, nil, e.FundPaid, 0.55, fmt.Sprintf("住院%d天、总额%s元，逐日项目与其他职工的住院几乎相同：%s", e.days(), YuanText(e.Total), strings.Join(others, "、")),
			nil, s.params(id, "min_days", "jaccard"))
	}
}

// signature is a stay's set of (day offset, item, quantity).
func (s *scanner) signature(e *Encounter) map[string]bool {
	sig := make(map[string]bool, len(e.Lines))
	b := e.Begin.Day()
	for _, li := range e.Lines {
		l := &s.x.Lines[li]
		sig[fmt.Sprintf("%d|%d|%s|%d", l.Time.Day()-b, (int64(l.Time)+8*3600)%86400/60, l.Code, l.Cnt)] = true
	}
	return sig
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
