// Package param holds the effective-dated parameter tables of the work-injury
// rules: every statutory figure, share, time limit and calendar day, each with
// its source (S1…S20 of regulation.md), its confidence tag and its effective
// date. The defaults are embedded from data/*.csv; further versions are added
// at run time with (*Set).Add. The package does no I/O beyond reading its
// embedded files.
package param

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed data/params.csv data/sources.csv
var dataFS embed.FS

// Confidence tags (regulation.md, "Confidence").
const (
	Confirmed   = "C"  // read in the legal text
	Secondary   = "C2" // confirmed from a secondary source only
	Unconfirmed = "U"  // no source found: flagged 「未确认」 wherever used
)

// National is the region code of nation-wide values.
const National = "000000"

// ErrNotFound is returned when no version of a parameter applies.
var ErrNotFound = errors.New("参数未找到")

// ErrInvalid is wrapped by every validation error of Add.
var ErrInvalid = errors.New("参数版本无效")

// Version is one effective-dated value of a parameter. Versions are never
// edited in place: a correction is a further version. For the same table,
// key, region and effective date, the version added last wins.
type Version struct {
	Table         string    // table name, see Catalogue
	Key           string    // e.g. level "7", relation "spouse", step "recognition_decision"; "" for keyless tables
	Region        string    // GB/T 2260 code: 370881 曲阜, 370800 济宁, 370000 山东, 000000 national
	EffectiveFrom time.Time // civil date (UTC midnight) from which the value applies
	Value         string    // the value as written in data (see Table.Kind)
	Source        string    // source id (S1…S20, HOL2025, PROJ) — see Sources
	Confidence    string    // C, C2 or U
	Note          string    // short Chinese note: article, scope, caveat
}

// Unconfirmed reports whether the version is tagged U.
func (v Version) Unconfirmed() bool { return v.Confidence == Unconfirmed }

// Money returns the value in fen (for money tables).
func (v Version) Money() (int64, error) { return ParseMoney(v.Value) }

// Rat returns the value as an exact decimal (rates, months, numbers, years).
func (v Version) Rat() (*big.Rat, error) { return ParseDecimal(v.Value) }

// Period returns the value as a time limit (time_limit table).
func (v Version) Period() (Period, error) { return ParsePeriod(v.Value) }

// Cite is the Chinese citation of the version, used in explanations for
// staff and citizens: the document and its article, the date from which
// the value applies and where, and how sure the value is — 「未确认」 for U,
// with the note saying what is unknown. No source code, key or file name.
func (v Version) Cite() string {
	if v.Source == RequestSource {
		return "本次测算填写的假设值，覆盖参数表"
	}
	s := "依据" + SourceShort(v.Source)
	if v.Note != "" {
		if strings.HasPrefix(v.Note, "第") {
			s += v.Note
		} else {
			s += "，" + v.Note
		}
	}
	s += fmt.Sprintf("；自 %s 起施行；适用于%s", FormatDate(v.EffectiveFrom), RegionTitle(v.Region))
	switch v.Confidence {
	case Secondary:
		s += "；据二手来源，待核对原文"
	case Unconfirmed:
		s += "「未确认」"
	}
	return s
}

// Source is one entry of the source list (regulation.md §0).
type Source struct {
	ID    string
	Title string
}

var sources = mustLoadSources()

func mustLoadSources() []Source {
	rows, err := readCSV("data/sources.csv", 2)
	if err != nil {
		panic(err) // embedded file: covered by tests
	}
	out := make([]Source, 0, len(rows))
	for _, r := range rows {
		out = append(out, Source{ID: r[0], Title: r[1]})
	}
	return out
}

// Sources lists the known sources.
func Sources() []Source { return append([]Source(nil), sources...) }

// SourceTitle returns the title of a source id, or "" if unknown.
func SourceTitle(id string) string {
	for _, s := range sources {
		if s.ID == id {
			return s.Title
		}
	}
	return ""
}

// Set is a collection of parameter versions. It is safe for concurrent use.
type Set struct {
	mu       sync.RWMutex
	versions []Version
}

// Default returns a Set holding the embedded default tables.
func Default() (*Set, error) {
	rows, err := readCSV("data/params.csv", 8)
	if err != nil {
		return nil, err
	}
	s := &Set{}
	for i, r := range rows {
		eff, err := ParseDate(r[3])
		if err != nil {
			return nil, fmt.Errorf("params.csv 第%d行：%v", i+2, err)
		}
		v := Version{Table: r[0], Key: r[1], Region: r[2], EffectiveFrom: eff, Value: r[4], Source: r[5], Confidence: r[6], Note: r[7]}
		if err := s.Add(v); err != nil {
			return nil, fmt.Errorf("params.csv 第%d行：%w", i+2, err)
		}
	}
	return s, nil
}

func readCSV(name string, cols int) ([][]string, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = cols
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s：%w", name, err)
	}
	return rows[1:], nil
}

var regionRe = regexp.MustCompile(`^[0-9]{6}$`)

// ValidRegion reports whether code is a six-digit GB/T 2260 code.
func ValidRegion(code string) bool { return regionRe.MatchString(code) }

// RegionChain returns the lookup order for a region: the region itself, its
// city (code[:4]+"00"), its province (code[:2]+"0000") and the nation.
func RegionChain(code string) []string {
	chain := []string{code}
	add := func(c string) {
		if c != chain[len(chain)-1] {
			chain = append(chain, c)
		}
	}
	if len(code) == 6 {
		add(code[:4] + "00")
		add(code[:2] + "0000")
	}
	add(National)
	return chain
}

// Validate checks a version against the catalogue.
func Validate(v Version) error {
	t, ok := TableByName(v.Table)
	if !ok {
		return fmt.Errorf("%w：未知参数表 %q", ErrInvalid, v.Table)
	}
	if err := t.ValidateKey(v.Key); err != nil {
		return fmt.Errorf("%w：%v", ErrInvalid, err)
	}
	if !ValidRegion(v.Region) {
		return fmt.Errorf("%w：地区代码应为6位数字（收到 %q）", ErrInvalid, v.Region)
	}
	if v.EffectiveFrom.IsZero() || v.EffectiveFrom.Year() < MinYear || v.EffectiveFrom.Year() > MaxYear {
		return fmt.Errorf("%w：缺少或超出范围的生效日期", ErrInvalid)
	}
	if err := t.ValidateValue(v.Value); err != nil {
		t, _ := TableByName(v.Table)
		return fmt.Errorf("%w：「%s」的值：%v", ErrInvalid, t.Title, err)
	}
	if strings.TrimSpace(v.Source) == "" {
		return fmt.Errorf("%w：缺少来源", ErrInvalid)
	}
	switch v.Confidence {
	case Confirmed, Secondary, Unconfirmed:
	default:
		return fmt.Errorf("%w：可信度应为 C、C2 或 U（收到 %q）", ErrInvalid, v.Confidence)
	}
	return nil
}

// Add validates a version and appends it to the set.
func (s *Set) Add(v Version) error {
	v.EffectiveFrom = civil(v.EffectiveFrom)
	if err := Validate(v); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.versions = append(s.versions, v)
	return nil
}

func civil(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Lookup returns the version of (table, key) that applies on date in region:
// the most specific region of RegionChain that has a version effective on or
// before date wins; within it, the latest effective date, then the version
// added last. It returns ErrNotFound if none applies.
func (s *Set) Lookup(table, key, region string, on time.Time) (Version, error) {
	return s.lookup(table, key, region, civil(on), false)
}

// LookupLatest is Lookup ignoring effective dates: the newest version in the
// most specific region. It serves keyed figures whose key already fixes the
// period (national_urban_income by year, holiday_calendar by date).
func (s *Set) LookupLatest(table, key, region string) (Version, error) {
	return s.lookup(table, key, region, time.Time{}, true)
}

func (s *Set) lookup(table, key, region string, on time.Time, anyDate bool) (Version, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range RegionChain(region) {
		best, found := Version{}, false
		for _, v := range s.versions {
			if v.Table != table || v.Key != key || v.Region != r {
				continue
			}
			if !anyDate && v.EffectiveFrom.After(on) {
				continue
			}
			if !found || !v.EffectiveFrom.Before(best.EffectiveFrom) {
				best, found = v, true
			}
		}
		if found {
			return best, nil
		}
	}
	return Version{}, fmt.Errorf("%w：%s[%s] 地区 %s", ErrNotFound, table, key, region)
}

// HasKeyPrefix reports whether any version of table has a key starting with
// prefix (used to know whether a year's holiday calendar is loaded).
func (s *Set) HasKeyPrefix(table, prefix string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.versions {
		if v.Table == table && strings.HasPrefix(v.Key, prefix) {
			return true
		}
	}
	return false
}

// Versions lists all versions for display, ordered by table (catalogue
// order), key, region and effective date; versions with equal coordinates
// keep the order in which they were added.
func (s *Set) Versions() []Version {
	s.mu.RLock()
	out := append([]Version(nil), s.versions...)
	s.mu.RUnlock()
	order := map[string]int{}
	for i, t := range catalogue {
		order[t.Name] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Table != b.Table {
			return order[a.Table] < order[b.Table]
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.EffectiveFrom.Before(b.EffectiveFrom)
	})
	return out
}

// TableVersions lists the versions of one table (same order as Versions).
func (s *Set) TableVersions(table string) []Version {
	var out []Version
	for _, v := range s.Versions() {
		if v.Table == table {
			out = append(out, v)
		}
	}
	return out
}

// Clone returns an independent copy of the set.
func (s *Set) Clone() *Set {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &Set{versions: append([]Version(nil), s.versions...)}
}

func ratInt(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }
