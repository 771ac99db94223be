// Package demo generates a realistic, deterministic data set for the Jining
// agency: employers across the eleven county-level units, their workers with
// employment histories and a year of contribution wages, and one staff user
// per role in the city and two counties. Everything is invented; ID numbers
// and credit codes carry valid check characters but belong to no one.
package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gongshang/internal/store"
)

// At scale 1.
const (
	baseEmployers = 2000
	baseWorkers   = 20000
	wageMonths    = 12
	earlierShare  = 0.10 // workers with an earlier, ended employment
)

// Generate builds the data set for scale (1 ≈ 2,000 employers and 20,000
// workers) as of today. It is pure: the same seed, scale and today give the
// same records. Records refer to each other by position, ready for
// (*store.Store).LoadBulk.
func Generate(seed uint64, scale float64, today time.Time) *store.Bulk {
	g := newGen(seed, today)
	b := &store.Bulk{}
	var firms []firm
	b.Employers, firms = g.employers(scaled(baseEmployers, scale))
	g.workers(b, firms, scaled(baseWorkers, scale))
	return b
}

// gen carries the generator's state through one Generate call.
type gen struct {
	rng       *rand.Rand
	today     time.Time // civil date at UTC midnight
	periods   []string  // wage months, oldest first
	wageStart time.Time // first day of the oldest wage month
	countyOf  picker    // county by employer weight
	surname   picker
	bank      picker
	ids       *idAllocator
}

func newGen(seed uint64, today time.Time) *gen {
	civil := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	g := &gen{
		rng:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		today: civil,
		ids:   newIDAllocator(civil),
	}
	g.periods, g.wageStart = wagePeriods(civil)
	g.countyOf = newPicker(len(counties), func(i int) float64 { return counties[i].Weight })
	g.surname = newPicker(len(surnames), func(i int) float64 { return surnames[i].Weight })
	g.bank = newPicker(len(banks), func(i int) float64 { return banks[i].Weight })
	return g
}

// wagePeriods returns the wageMonths full months before today's month.
func wagePeriods(today time.Time) ([]string, time.Time) {
	first := time.Date(today.Year(), today.Month()-wageMonths, 1, 0, 0, 0, 0, time.UTC)
	ps := make([]string, wageMonths)
	for i := range ps {
		ps[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return ps, first
}

// scaled is n·scale rounded, at least 1.
func scaled(n int, scale float64) int {
	return max(1, int(math.Round(float64(n)*scale)))
}

// picker draws an index with probability proportional to its weight.
type picker struct{ cum []float64 }

func newPicker(n int, weight func(int) float64) picker {
	cum := make([]float64, n)
	total := 0.0
	for i := range cum {
		total += weight(i)
		cum[i] = total
	}
	return picker{cum: cum}
}

func (p picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	return sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > x })
}

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

// oneOf returns a random element.
func oneOf[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// date formats a civil date.
func date(t time.Time) string { return t.Format("2006-01-02") }
