package supervision

import (
	"fmt"
	"math"
	"sort"
)

// RankInstitutions orders the extract's institutions for the field audit,
// most urgent first, every institution of the extract included
// (fund-audit.md §4.8): the amount at stake weighted by each finding's
// strength (definite findings count in full), relative to what the fund
// paid the institution, plus the density of encounters with definite
// findings. Score = 1 − e^(−risk/0.05): a risk of 5 % of the fund's
// payments scores 0.63, 10 % 0.86.
func RankInstitutions(x *Extract, fs []Finding) []Rank {
	x.Index()
	type acc struct {
		r        Rank
		weighted float64
		encs     map[string]bool
		defEncs  map[string]bool
		n        int
		cats     map[string]int64
	}
	by := map[string]*acc{}
	for _, in := range x.Institutions {
		by[in.Code] = &acc{r: Rank{Institution: in.Code, Name: in.Name}, encs: map[string]bool{}, defEncs: map[string]bool{}, cats: map[string]int64{}}
	}
	get := func(code string) *acc {
		a := by[code]
		if a == nil {
			a = &acc{r: Rank{Institution: code}, encs: map[string]bool{}, defEncs: map[string]bool{}, cats: map[string]int64{}}
			by[code] = a
		}
		return a
	}
	for i := range x.Encounters {
		e := &x.Encounters[i]
		a := get(e.Institution)
		a.r.Settled += e.FundPaid
		a.n++
	}
	for _, f := range fs {
		a := get(f.Institution)
		w := f.Score
		if f.Severity == Definite {
			w = 1
			a.r.Definite++
			a.defEncs[f.MdtrtID] = true
		} else {
			a.r.Suspicious++
		}
		a.weighted += w * float64(f.Fen)
		a.r.Fen += int64(f.Fen)
		a.encs[f.MdtrtID] = true
		a.cats[f.Category] += int64(f.Fen)
	}
	out := make([]Rank, 0, len(by))
	for _, a := range by {
		risk := 0.0
		if a.r.Settled > 0 {
			risk = a.weighted / float64(a.r.Settled)
		}
		if a.n > 0 {
			risk += 0.1 * float64(len(a.defEncs)) / float64(a.n)
		}
		a.r.Score = math.Round((1-math.Exp(-risk/0.05))*10000) / 10000
		for _, c := range Categories {
			if v := a.cats[c]; v > 0 {
				a.r.Reasons = append(a.r.Reasons, fmt.Sprintf("%s %s元", CategoryName(c), YuanText(v)))
			}
		}
		out = append(out, a.r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].Fen != out[j].Fen {
			return out[i].Fen > out[j].Fen
		}
		return out[i].Institution < out[j].Institution
	})
	return out
}
