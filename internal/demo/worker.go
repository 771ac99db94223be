package demo

import (
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// workers adds n workers, each with a current employment at an active
// employer and a year of wages from it; some also with an earlier one.
func (g *gen) workers(b *store.Bulk, firms []firm, n int) {
	active := activeFirms(firms)
	if len(active) == 0 {
		return
	}
	employerOf := newPicker(len(active), func(i int) float64 { return firms[active[i]].size })
	b.Workers = make([]registry.Worker, n)
	b.Employments = make([]store.BulkEmployment, 0, n+n/8)
	b.Wages = make([]store.BulkWage, 0, n*wageMonths)
	for i := range b.Workers {
		e := active[i%len(active)] // every active employer gets someone
		if i >= len(active) {
			e = active[employerOf.pick(g.rng)]
		}
		birth := g.worker(&b.Workers[i], firms[e])
		g.employments(b, i, e, len(firms), birth)
		g.wages(b, i, e, firms[e].wage)
	}
}

func activeFirms(firms []firm) []int {
	var out []int
	for i, f := range firms {
		if f.active {
			out = append(out, i)
		}
	}
	return out
}

// worker fills w for someone employed by f and returns the birth date.
func (g *gen) worker(w *registry.Worker, f firm) time.Time {
	male := g.chance(industries[f.industry].Male)
	id, birth := g.ids.next(g.birthCode(f.county), g.birthDate(male), male)
	bk := g.bank.pick(g.rng)
	*w = registry.Worker{
		IDNumber:    id,
		Name:        g.personName(f.county, male),
		Sex:         sexCode(male),
		BirthDate:   date(birth),
		Phone:       g.mobile(),
		BankName:    branchNames[bk][f.county][g.rng.IntN(2)],
		BankAccount: cardNumber(banks[bk], g.rng),
		RegionCode:  counties[f.county].Code,
	}
	return birth
}

func sexCode(male bool) string {
	if male {
		return "M"
	}
	return "F"
}

// birthCode is mostly the employer's county, sometimes another Jining
// county or another Shandong city.
func (g *gen) birthCode(c int) string {
	x := g.rng.Float64()
	switch {
	case x < 0.72:
		return oneOf(g.rng, counties[c].Birth)
	case x < 0.88:
		return oneOf(g.rng, counties[g.countyOf.pick(g.rng)].Birth)
	}
	return oneOf(g.rng, otherBirth)
}

// ageBands weight the working population by age; women mostly retire by 55.
var ageBands = []struct {
	From, To int
	Weight   float64
}{{18, 24, 0.12}, {25, 34, 0.30}, {35, 44, 0.28}, {45, 54, 0.22}, {55, 60, 0.08}}

var agePicker = newPicker(len(ageBands), func(i int) float64 { return ageBands[i].Weight })

// birthDate gives an age in whole years within 18–60 at today.
func (g *gen) birthDate(male bool) time.Time {
	band := ageBands[agePicker.pick(g.rng)]
	age := band.From + g.rng.IntN(band.To-band.From+1)
	if !male && age > 55 {
		age = 45 + g.rng.IntN(11)
	}
	latest := g.today.AddDate(-age, 0, 0)
	earliest := g.today.AddDate(-age-1, 0, 1)
	days := int(latest.Sub(earliest).Hours() / 24)
	return earliest.AddDate(0, 0, g.rng.IntN(days+1))
}

// personName is a surname and a one- or two-character given name.
func (g *gen) personName(c int, male bool) string {
	sur := surnames[g.surname.pick(g.rng)].Name
	if local, ok := localSurnames[counties[c].Code]; ok && g.chance(local.Share) {
		sur = local.Name
	}
	chars := femaleChars
	if male {
		chars = maleChars
	}
	var b strings.Builder
	b.WriteString(sur)
	if g.chance(0.7) {
		if g.chance(0.3) {
			b.WriteRune(oneOf(g.rng, neutralChars))
		} else {
			b.WriteRune(oneOf(g.rng, chars))
		}
	}
	b.WriteRune(oneOf(g.rng, chars))
	return b.String()
}

// mobile is an 11-digit mobile number with an operator prefix.
func (g *gen) mobile() string {
	var buf [11]byte
	copy(buf[:3], oneOf(g.rng, mobilePrefixes))
	putDigits(buf[3:], g.rng.IntN(100_000_000))
	return string(buf[:])
}

// branchNames[bank][county] are two names of the bank with a Jining
// branch, built once so that workers share the strings: 中国工商银行济宁分行,
// 中国农业银行济宁邹城支行, 济宁银行曲阜支行, 山东梁山农村商业银行营业部.
var branchNames = func() [][][2]string {
	out := make([][][2]string, len(banks))
	for b, bk := range banks {
		out[b] = make([][2]string, len(counties))
		for c, ct := range counties {
			out[b][c] = branchName(bk, ct)
		}
	}
	return out
}()

func branchName(bk bank, c county) [2]string {
	switch bk.Kind {
	case bankRural:
		return [2]string{"山东" + c.Short + bk.Name, "山东" + c.Short + bk.Name + "营业部"}
	case bankCity:
		return [2]string{bk.Name + c.Short + "支行", bk.Name + c.Short + "支行"}
	}
	return [2]string{bk.Name + "济宁分行", bk.Name + "济宁" + c.Short + "支行"}
}

// cardNumber is the bank's prefix, random digits and a Luhn check digit.
func cardNumber(bk bank, r *rand.Rand) string {
	buf := make([]byte, bk.Digits)
	copy(buf, bk.Prefix)
	for k := len(bk.Prefix); k < len(buf)-1; k++ {
		buf[k] = byte('0' + r.IntN(10))
	}
	buf[len(buf)-1] = luhnDigit(buf[:len(buf)-1])
	return string(buf)
}

func luhnDigit(digits []byte) byte {
	sum := 0
	for k := len(digits) - 1; k >= 0; k-- {
		d := int(digits[k] - '0')
		if (len(digits)-1-k)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// employments records the current period (started on or before the first
// wage month) and, for some, an earlier period at another employer.
func (g *gen) employments(b *store.Bulk, w, e, nFirms int, birth time.Time) {
	earliest := birth.AddDate(18, 0, 0)
	if earliest.After(g.wageStart) {
		earliest = birth.AddDate(16, 0, 0) // 16 is the legal minimum working age
	}
	start := g.before(g.wageStart, earliest, 5)
	if nFirms > 1 && g.chance(earlierShare) {
		end := start.AddDate(0, 0, -1-g.rng.IntN(90))
		if end.After(earliest.AddDate(0, 3, 0)) {
			prev := g.before(end.AddDate(0, -3, 0), earliest, 3)
			other := (e + 1 + g.rng.IntN(nFirms-1)) % nFirms
			b.Employments = append(b.Employments, store.BulkEmployment{Worker: w, Employer: other, Start: date(prev), End: date(end)})
		}
	}
	b.Employments = append(b.Employments, store.BulkEmployment{Worker: w, Employer: e, Start: date(start)})
}

// before is a day no later than latest and no earlier than earliest,
// about meanYears back (exponential tenure).
func (g *gen) before(latest, earliest time.Time, meanYears float64) time.Time {
	span := int(latest.Sub(earliest).Hours() / 24)
	if span <= 0 {
		return latest
	}
	back := min(span, int(g.rng.ExpFloat64()*meanYears*365))
	return latest.AddDate(0, 0, -back)
}

// Contribution wages lie between a floor and a ceiling near three times
// the provincial average.
const (
	minWageYuan = 2100
	maxWageYuan = 21000
)

// wages records the worker's monthly wages from employer e.
func (g *gen) wages(b *store.Bulk, w, e int, firmWage float64) {
	const sd = 0.3
	base := firmWage * math.Exp(sd*g.rng.NormFloat64()-sd*sd/2)
	jiao := g.chance(0.3) // some payrolls are kept to the jiao
	for _, p := range g.periods {
		b.Wages = append(b.Wages, store.BulkWage{Worker: w, Employer: e, Period: p, AmountFen: g.amount(base, jiao)})
	}
}

func (g *gen) amount(base float64, jiao bool) int64 {
	y := base * (1 + 0.04*g.rng.NormFloat64())
	y = min(max(y, minWageYuan), maxWageYuan)
	if jiao {
		return int64(math.Round(y*10)) * 10
	}
	return int64(math.Round(y)) * 100
}
