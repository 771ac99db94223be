package demo

import (
	"fmt"
	"math"
	"strings"

	"gongshang/internal/registry"
)

// firm is what the worker generator needs to know about an employer.
type firm struct {
	county   int
	industry int
	size     float64 // relative number of workers
	wage     float64 // mean monthly wage in yuan
	active   bool
}

// Shares of employers that stopped paying or were deregistered.
const (
	suspendedShare = 0.02
	closedShare    = 0.015
)

func (g *gen) employers(n int) ([]registry.Employer, []firm) {
	ref := registry.MustReference()
	industryOf := newPicker(len(industries), func(i int) float64 { return industries[i].Weight })
	countyFor := make([]picker, len(industries))
	for i, in := range industries {
		countyFor[i] = newPicker(len(counties), func(c int) float64 { return counties[c].Weight * where(in.Where, counties[c].Code) })
	}
	names := make(map[string]bool, n)
	es := make([]registry.Employer, n)
	fs := make([]firm, n)
	for i := range es {
		in := industryOf.pick(g.rng)
		c := countyFor[in].pick(g.rng)
		fs[i] = g.firm(c, in)
		es[i] = g.employer(i, fs[i], ref, names)
	}
	g.setStatuses(es, fs)
	return es, fs
}

func where(m map[string]float64, code string) float64 {
	if w, ok := m[code]; ok {
		return w
	}
	return 1
}

func (g *gen) firm(c, in int) firm {
	return firm{
		county:   c,
		industry: in,
		size:     industries[in].Size * math.Exp(1.1*g.rng.NormFloat64()),
		wage:     industries[in].WageYuan * math.Exp(0.15*g.rng.NormFloat64()),
		active:   true,
	}
}

func (g *gen) employer(i int, f firm, ref *registry.Reference, names map[string]bool) registry.Employer {
	in := industries[f.industry]
	c := counties[f.county]
	class := mustIndustry(ref, in.Code).RiskClass
	return registry.Employer{
		CreditCode:   g.creditCode(i, c.Code),
		Name:         g.uniqueName(f, names),
		RegionCode:   c.Code,
		Industry:     in.Code,
		RiskClass:    class,
		RateTierPct:  g.rateTier(ref, class),
		ContactName:  g.personName(f.county, g.chance(0.5)),
		ContactPhone: g.mobile(),
		Address:      g.address(c),
		Status:       registry.EmployerActive,
	}
}

func mustIndustry(ref *registry.Reference, code string) registry.Industry {
	in, ok := ref.Industry(code)
	if !ok {
		panic("demo: industry " + code + " missing from the reference table")
	}
	return in
}

// rateTier is mostly the base rate, sometimes a floating tier allowed for
// the class (class 1 has no 80% tier).
func (g *gen) rateTier(ref *registry.Reference, class int) int {
	x := g.rng.Float64()
	tier := 100
	switch {
	case x < 0.07:
		tier = 80
	case x < 0.14:
		tier = 120
	case x < 0.17:
		tier = 150
	}
	if !ref.TierAllowed(class, tier) {
		return 100
	}
	return tier
}

// setStatuses suspends or closes a few employers.
func (g *gen) setStatuses(es []registry.Employer, fs []firm) {
	n := len(es)
	suspended := int(math.Round(float64(n) * suspendedShare))
	closed := int(math.Round(float64(n) * closedShare))
	for k, i := range g.rng.Perm(n)[:min(n-1, suspended+closed)] {
		es[i].Status = registry.EmployerSuspended
		if k >= suspended {
			es[i].Status = registry.EmployerClosed
		}
		fs[i].active = false
	}
}

// uniqueName draws names until one is new; after a few tries it accepts a
// duplicate (names are not keys).
func (g *gen) uniqueName(f firm, seen map[string]bool) string {
	var name string
	for range 20 {
		if name = g.companyName(f); !seen[name] {
			break
		}
	}
	seen[name] = true
	return name
}

// companyName is place + brand + trade + legal form:
// 济宁市任城区鑫源机械制造有限公司, 金乡县宏达大蒜食品有限公司.
func (g *gen) companyName(f firm) string {
	c := counties[f.county]
	trades := industries[f.industry].Trades
	if local, ok := localTrades[[2]string{c.Code, industries[f.industry].Code}]; ok && g.chance(0.6) {
		trades = local
	}
	return g.placePrefix(c) + g.brand() + g.legalForm(oneOf(g.rng, trades))
}

func (g *gen) placePrefix(c county) string {
	x := g.rng.Float64()
	switch {
	case x < 0.2:
		return "济宁"
	case x < 0.28:
		return "山东"
	case strings.HasSuffix(c.Name, "区"):
		return "济宁市" + c.Name
	}
	return c.Name
}

func (g *gen) brand() string {
	for {
		a, b := oneOf(g.rng, brandFirst), oneOf(g.rng, brandSecond)
		if s := string([]rune{a, b}); a != b && !blockedBrands[s] {
			return s
		}
	}
}

// legalForm varies the standard 有限公司 ending now and then.
func (g *gen) legalForm(trade string) string {
	base, ok := strings.CutSuffix(trade, "有限公司")
	if !ok || strings.HasSuffix(base, "股份") || strings.HasSuffix(base, "责任") {
		return trade
	}
	x := g.rng.Float64()
	switch {
	case x < 0.10:
		return base + "有限责任公司"
	case x < 0.13:
		return base + "股份有限公司"
	case x < 0.15:
		return base + "集团有限公司"
	}
	return trade
}

// address is a street address: 济宁市任城区太白湖路88号, or in the county's
// development zone for some.
func (g *gen) address(c county) string {
	zone := ""
	if g.chance(0.2) {
		zone = "经济开发区"
	}
	return fmt.Sprintf("济宁市%s%s%s%d号", c.Name, zone, oneOf(g.rng, c.Roads), 1+g.rng.IntN(299))
}

// creditCode is a 统一社会信用代码: 9 (registered by market regulation) 1
// (company), the registering authority's region, a GB 11714 organisation
// code and the GB 32100 check character. Organisation codes are distinct
// per employer index, so codes are unique.
func (g *gen) creditCode(i int, region string) string {
	if g.chance(0.2) {
		region = "370800" // registered with the city
	}
	s := "91" + region + g.orgCode(i)
	return s + string(registry.CreditCodeCheckChar(s))
}

// codeChars are the characters of both codes (GB 32100 excludes I, O, S,
// V and Z).
const codeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// orgCode is an organisation code: the older all-digit kind, or the "MA"
// kind issued since 2015, with the GB 11714 check character.
func (g *gen) orgCode(i int) string {
	var body [8]byte
	if g.chance(0.4) {
		v := (uint64(i)*61_803_399 + 23_456_789) % 100_000_000 // bijective: the factor is prime to 10
		for k := 7; k >= 0; k-- {
			body[k] = byte('0' + v%10)
			v /= 10
		}
	} else {
		body[0], body[1] = 'M', 'A'
		v := (uint64(i)*387_420_489 + 98_765_432) % 887_503_681 // 31^6; bijective: 3^18 is prime to 31
		for k := 7; k >= 2; k-- {
			body[k] = codeChars[v%31]
			v /= 31
		}
	}
	return string(body[:]) + string(orgCheckChar(body))
}

// orgCheckChar is GB 11714's check: weights 3,7,9,10,5,8,4,2; letters
// count 10–35.
func orgCheckChar(body [8]byte) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, ch := range body {
		v := int(ch - '0')
		if ch >= 'A' {
			v = int(ch-'A') + 10
		}
		sum += v * weights[k]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}
