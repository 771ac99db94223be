package prevention

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

// Key industries from data (issue 12): the injury rate of each GB/T 4754
// division in each county — recognised injuries of the year (cases whose
// recognition decided 认定工伤 or 视同工伤, by the injury's year) per
// 1,000 insured workers of the division's employers (employments open in
// the year) — ranked, with the change against the year before. The joint
// meeting adopts the year's focus (divisions and enterprises) from it.

// InjuryCount is one county × division's figures of a year.
type InjuryCount struct {
	Region   string `json:"region_code"`
	Division string `json:"division"`
	Injuries int    `json:"injuries"`
	Insured  int    `json:"insured"`
}

// IndustryRate is one row of the ranking.
type IndustryRate struct {
	Rank     int    `json:"rank"`
	Region   string `json:"region_code"`
	Division string `json:"division"`
	Name     string `json:"name"`
	Injuries int    `json:"injuries"`
	Insured  int    `json:"insured"`
	// PerMille is injuries per 1,000 insured, in thousandths (12345 =
	// 12.345‰); Rated is false when nobody is insured in the row.
	PerMille int64 `json:"per_mille"`
	Rated    bool  `json:"rated"`
	// The year before, and the change of the rate (thousandths of ‰).
	PrevInjuries int   `json:"prev_injuries"`
	PrevInsured  int   `json:"prev_insured"`
	PrevPerMille int64 `json:"prev_per_mille"`
	PrevRated    bool  `json:"prev_rated"`
	Change       int64 `json:"change"`
}

// perMille is injuries per 1,000 insured in thousandths, rounded half up.
func perMille(injuries, insured int) (int64, bool) {
	if insured <= 0 {
		return 0, false
	}
	return (int64(injuries)*1_000_000 + int64(insured)/2) / int64(insured), true
}

// RankIndustries ranks the year's rows (cur) by rate, then injuries,
// highest first (rows without insured workers last), each with the year
// before's figures (prev) of the same county and division; rows with no
// injury in either year are left out. name names a division.
func RankIndustries(cur, prev []InjuryCount, name func(string) string) []IndustryRate {
	type key struct{ r, d string }
	before := map[key]InjuryCount{}
	for _, c := range prev {
		before[key{c.Region, c.Division}] = c
	}
	var out []IndustryRate
	for _, c := range cur {
		p := before[key{c.Region, c.Division}]
		if c.Injuries == 0 && p.Injuries == 0 {
			continue
		}
		row := IndustryRate{Region: c.Region, Division: c.Division, Name: name(c.Division), Injuries: c.Injuries, Insured: c.Insured,
			PrevInjuries: p.Injuries, PrevInsured: p.Insured}
		row.PerMille, row.Rated = perMille(c.Injuries, c.Insured)
		row.PrevPerMille, row.PrevRated = perMille(p.Injuries, p.Insured)
		if row.Rated && row.PrevRated {
			row.Change = row.PerMille - row.PrevPerMille
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b IndustryRate) int {
		if a.Rated != b.Rated {
			if a.Rated {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.PerMille, a.PerMille), cmp.Compare(b.Injuries, a.Injuries),
			cmp.Compare(a.Division, b.Division), cmp.Compare(a.Region, b.Region))
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// Focus is the year's key industries and enterprises as the joint meeting
// adopted them.
type Focus struct {
	Divisions   []string `json:"divisions"`
	Enterprises []string `json:"enterprises"`
	AdoptedAt   string   `json:"adopted_at,omitempty"` // RFC 3339, set by the store
	AdoptedBy   string   `json:"adopted_by,omitempty"`
}

// NormalizeFocus trims, upper-cases and de-duplicates, keeping the order.
func NormalizeFocus(f Focus) Focus {
	norm := func(xs []string, upper bool) []string {
		out := []string{}
		for _, x := range xs {
			if x = strings.TrimSpace(x); upper {
				x = strings.ToUpper(x)
			}
			if x != "" && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	f.Divisions, f.Enterprises = norm(f.Divisions, false), norm(f.Enterprises, true)
	return f
}

// ValidateFocus checks a normalized focus: at least one division, each a
// GB/T 4754 division, enterprises by credit code.
func ValidateFocus(f Focus, ref *registry.Reference) error {
	var fs errs.Fields
	if len(f.Divisions) == 0 {
		fs.Add("divisions", "required", "应至少选择一个重点行业")
	}
	if len(f.Divisions) > 50 {
		fs.Add("divisions", "too_many", "重点行业最多50个")
	}
	for _, d := range f.Divisions {
		if _, ok := ref.Industry(d); !ok {
			fs.Add("divisions", "industry_unknown", "行业代码“%s”不是国民经济行业分类（GB/T 4754）的大类代码", d)
			break
		}
	}
	if len(f.Enterprises) > 1000 {
		fs.Add("enterprises", "too_many", "重点企业最多1000家")
	}
	for _, e := range f.Enterprises {
		if err := registry.ValidateCreditCode("enterprises", e); err != nil {
			fe, _ := errs.First(err)
			fs.Add("enterprises", fe.Code, "重点企业%s：%s", e, fe.Message)
			break
		}
	}
	return fs.Err()
}

// FormatPerMille writes thousandths of ‰ as 12.345‰.
func FormatPerMille(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%03d‰", sign, v/1000, v%1000)
}

// YearRate is a division's injury rate in one year, over the counties
// asked for.
type YearRate struct {
	Year     int   `json:"year"`
	Injuries int   `json:"injuries"`
	Insured  int   `json:"insured"`
	PerMille int64 `json:"per_mille"` // thousandths of ‰, as IndustryRate
	Rated    bool  `json:"rated"`
}

// Trend is a trained division's injury rate year by year, with the day
// its first training was held: what the trainings did to the accidents.
type Trend struct {
	Division     string     `json:"division"`
	Name         string     `json:"name"`
	FirstTrained string     `json:"first_trained"`
	Years        []YearRate `json:"years"`
}

// InjuryTrends are the rates of each division trained (first: division →
// the day of its first held session) over years from..to: counts[y] holds
// the year's rows per county, summed here over the counties.
func InjuryTrends(counts map[int][]InjuryCount, from, to int, first map[string]string, name func(string) string) []Trend {
	var out []Trend
	for d, day := range first {
		t := Trend{Division: d, Name: name(d), FirstTrained: day}
		for y := from; y <= to; y++ {
			yr := YearRate{Year: y}
			for _, c := range counts[y] {
				if c.Division == d {
					yr.Injuries += c.Injuries
					yr.Insured += c.Insured
				}
			}
			yr.PerMille, yr.Rated = perMille(yr.Injuries, yr.Insured)
			t.Years = append(t.Years, yr)
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Trend) int {
		if c := strings.Compare(a.FirstTrained, b.FirstTrained); c != 0 {
			return c
		}
		return strings.Compare(a.Division, b.Division)
	})
	return out
}
