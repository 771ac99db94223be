package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Industry is a GB/T 4754-2017 division (大类) with the work-injury risk
// class the 人社部发〔2015〕71号 annex assigns it. The division-to-class map
// is best knowledge of the annex (confidence U); an employer's class is
// stored on the employer and may differ.
type Industry struct {
	Code      string `json:"code"` // two-digit division
	Name      string `json:"name"`
	Section   string `json:"section"` // letter A–T
	RiskClass int    `json:"risk_class"`
}

// RateClass is one of the eight industry risk classes with its base rate
// and the floating tiers allowed for it (regulation.md §6.1).
type RateClass struct {
	Class      int
	BaseRateBP int   // basis points of payroll, 20 = 0.2%
	TiersPct   []int // allowed tiers, percent of base
	Source     string
	Confidence string
}

// Reference holds the embedded reference tables.
type Reference struct {
	Industries []Industry
	Classes    []RateClass
	byCode     map[string]Industry
}

var (
	refOnce sync.Once
	ref     *Reference
	refErr  error
)

// LoadReference parses the embedded tables once.
func LoadReference() (*Reference, error) {
	refOnce.Do(func() { ref, refErr = loadReference() })
	return ref, refErr
}

// MustReference is LoadReference for code paths where the embedded data
// has already been checked at start-up and by tests.
func MustReference() *Reference {
	r, err := LoadReference()
	if err != nil {
		panic(err)
	}
	return r
}

func loadReference() (*Reference, error) {
	r := &Reference{byCode: map[string]Industry{}}
	rows, err := readCSV("data/industries.csv")
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		class, err := strconv.Atoi(row[3])
		if err != nil {
			return nil, fmt.Errorf("registry: industry %s: %w", row[0], err)
		}
		in := Industry{Code: row[0], Name: row[1], Section: row[2], RiskClass: class}
		r.Industries = append(r.Industries, in)
		r.byCode[in.Code] = in
	}
	rows, err = readCSV("data/rate_classes.csv")
	if err != nil {
		return nil, err
	}
	for _, row := range rows {
		c := RateClass{Source: row[3], Confidence: row[4]}
		if c.Class, err = strconv.Atoi(row[0]); err != nil {
			return nil, fmt.Errorf("registry: rate class: %w", err)
		}
		if c.BaseRateBP, err = strconv.Atoi(row[1]); err != nil {
			return nil, fmt.Errorf("registry: rate class %d: %w", c.Class, err)
		}
		for _, t := range strings.Split(row[2], ";") {
			n, err := strconv.Atoi(t)
			if err != nil {
				return nil, fmt.Errorf("registry: rate class %d tier: %w", c.Class, err)
			}
			c.TiersPct = append(c.TiersPct, n)
		}
		r.Classes = append(r.Classes, c)
	}
	return r, nil
}

// Industry looks a division up by code.
func (r *Reference) Industry(code string) (Industry, bool) {
	in, ok := r.byCode[code]
	return in, ok
}

// Class returns the rate class, if 1–8.
func (r *Reference) Class(n int) (RateClass, bool) {
	for _, c := range r.Classes {
		if c.Class == n {
			return c, true
		}
	}
	return RateClass{}, false
}

// TierAllowed reports whether pct is a valid floating tier for class n.
func (r *Reference) TierAllowed(n, pct int) bool {
	c, ok := r.Class(n)
	return ok && slices.Contains(c.TiersPct, pct)
}

// RiskMismatch says, in Chinese, why an employer's risk class differs from
// the class that its industry division carries in the reference table
// (人社部发〔2015〕71号's 行业风险分类), or "" when they agree or the
// industry is unknown. Staff may have a reason (a unit whose main business
// differs from its registered division), so it is a warning, not an error.
func (r *Reference) RiskMismatch(industry string, class int) string {
	in, ok := r.byCode[industry]
	if !ok || in.RiskClass == 0 || in.RiskClass == class {
		return ""
	}
	return fmt.Sprintf("行业“%s”对应的行业风险类别为%s类，本单位登记为%s类，请核实行业或风险类别是否填写正确。",
		in.Name, classNumeral(in.RiskClass), classNumeral(class))
}

// classNumeral writes a risk class 1–8 as 一…八.
func classNumeral(n int) string {
	if n >= 1 && n <= 8 {
		return []string{"一", "二", "三", "四", "五", "六", "七", "八"}[n-1]
	}
	return fmt.Sprint(n)
}
