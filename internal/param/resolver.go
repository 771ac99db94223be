package param

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Request is the Source and Confidence of a value supplied with a request
// (a case input that overrides the tables for one calculation).
const (
	RequestSource     = "REQ"
	RequestConfidence = "输入"
)

// Resolver answers parameter look-ups for one calculation: one pooling
// region, the Set, and per-request overrides that win over every version.
type Resolver struct {
	Set       *Set
	Region    string
	overrides map[string]Version // by "table" or "table.key"
}

// NewResolver returns a resolver for region.
func NewResolver(set *Set, region string) *Resolver {
	return &Resolver{Set: set, Region: region, overrides: map[string]Version{}}
}

// Override sets a per-request value. name is a table name for keyless tables
// ("avg_wage") or "table.key" ("disability_lump_sum_months.7",
// "time_limit.recognition_decision"). The value is validated like a version.
func (r *Resolver) Override(name, value string, on time.Time) error {
	table, key, _ := strings.Cut(name, ".")
	t, ok := TableByName(table)
	if !ok {
		return fmt.Errorf("未知参数“%s”", name)
	}
	if err := t.ValidateKey(key); err != nil {
		return err
	}
	if err := t.ValidateValue(value); err != nil {
		return err
	}
	r.overrides[overrideKey(table, key)] = Version{
		Table: table, Key: key, Region: r.Region, EffectiveFrom: civil(on), Value: value,
		Source: RequestSource, Confidence: RequestConfidence, Note: "请求中提供，覆盖参数表",
	}
	return nil
}

func overrideKey(table, key string) string {
	if key == "" {
		return table
	}
	return table + "." + key
}

// Get returns the value of (table, key) on date.
func (r *Resolver) Get(table, key string, on time.Time) (Version, error) {
	if v, ok := r.overrides[overrideKey(table, key)]; ok {
		return v, nil
	}
	return r.Set.Lookup(table, key, r.Region, on)
}

// Latest returns the newest value of (table, key), ignoring effective dates.
func (r *Resolver) Latest(table, key string) (Version, error) {
	if v, ok := r.overrides[overrideKey(table, key)]; ok {
		return v, nil
	}
	return r.Set.LookupLatest(table, key, r.Region)
}

// HasKeyPrefix reports whether the set or the overrides hold a key of table
// starting with prefix.
func (r *Resolver) HasKeyPrefix(table, prefix string) bool {
	for k := range r.overrides {
		if strings.HasPrefix(k, table+"."+prefix) {
			return true
		}
	}
	return r.Set.HasKeyPrefix(table, prefix)
}

// OverrideNames lists the overridden parameter names, sorted.
func (r *Resolver) OverrideNames() []string {
	var out []string
	for k := range r.overrides {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
