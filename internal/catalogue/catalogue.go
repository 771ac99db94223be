// Package catalogue holds the work-injury catalogues (工伤目录) as
// effective-dated data: the drug catalogue, the treatment-item catalogue,
// medical materials, the service-facility standards (beds), rehab items and
// the assistive-device catalogue. Each row has a national-format code, a
// price ceiling per institution level, a coverage flag, frequency limits
// and, for devices, the payable limit and minimum service life. Bundling
// pairs (重复收费: items that may not be charged together) are rows too.
// The package is pure: a Book answers "which row is valid for this code on
// this date in this catalogue region", nothing here reads a file or a
// database.
package catalogue

import (
	"sort"
	"strings"
)

// Category is the kind of catalogue a row belongs to. The values are the
// HIS fixtures' category names.
type Category string

// The categories.
const (
	Drug     Category = "drug"     // 工伤保险药品目录
	Item     Category = "item"     // 工伤保险诊疗项目目录
	Material Category = "material" // 医用耗材
	Bed      Category = "bed"      // 住院服务设施标准 (bed, nursing, meals of the ward)
	Rehab    Category = "rehab"    // 工伤康复服务项目
	Device   Category = "device"   // 辅助器具配置目录
)

// Categories lists every category in display order.
var Categories = []Category{Drug, Item, Material, Bed, Rehab, Device}

var categoryNames = map[Category]string{
	Drug: "药品", Item: "诊疗项目", Material: "医用耗材", Bed: "服务设施", Rehab: "康复项目", Device: "辅助器具",
}

// Name is the category's Chinese name.
func (c Category) Name() string { return categoryNames[c] }

// Valid reports whether c is one of the categories.
func (c Category) Valid() bool { _, ok := categoryNames[c]; return ok }

// Levels are the institution levels a price ceiling is given for: 一级,
// 二级, 三级 (an institution without a level is priced as 三级, see
// Entry.Ceiling).
const Levels = 3

// Entry is one effective-dated row of a catalogue.
type Entry struct {
	ID       int64    `json:"id,omitempty"`
	Region   string   `json:"region"` // the issuing region: 000000 (national), a province (370000) or a city (370800)
	Code     string   `json:"code"`   // national code (med_list_codg)
	Name     string   `json:"name"`
	Category Category `json:"category"`
	Spec     string   `json:"spec,omitempty"` // 规格/剂型
	Unit     string   `json:"unit,omitempty"` // 计价单位

	// Prices are the price ceilings in fen for levels 一, 二, 三 (index
	// level−1); 0 means no ceiling at that level (the row's price is
	// whatever is charged within the catalogue: drugs with 支付标准 unset).
	Prices [Levels]int64 `json:"prices"`

	Covered bool `json:"covered"` // inside the work-injury catalogues (false: listed to be refused by code)

	ValidFrom string `json:"valid_from"`         // YYYY-MM-DD
	ValidTo   string `json:"valid_to,omitempty"` // YYYY-MM-DD inclusive, "" open

	PerDay      int `json:"per_day,omitempty"`      // max units per day, 0 no limit
	PerStay     int `json:"per_stay,omitempty"`     // max units per stay, 0 no limit
	MinInterval int `json:"min_interval,omitempty"` // min days between two charges, 0 none

	DeviceLimit int64 `json:"device_limit,omitempty"` // fen, the payable maximum of a device
	LifeMonths  int   `json:"life_months,omitempty"`  // minimum service life of a device

	Note string `json:"note,omitempty"`
}

// ValidOn reports whether the row is valid on day (YYYY-MM-DD).
func (e Entry) ValidOn(day string) bool {
	return e.ValidFrom <= day && (e.ValidTo == "" || day <= e.ValidTo)
}

// Ceiling is the price ceiling in fen at an institution level (1–3). A
// level outside 1–3, or a level without its own ceiling, takes the nearest
// lower level's ceiling, then the nearest higher one; 0 when the row has
// none at all.
func (e Entry) Ceiling(level int) int64 {
	if level < 1 || level > Levels {
		level = Levels
	}
	for l := level; l >= 1; l-- {
		if p := e.Prices[l-1]; p > 0 {
			return p
		}
	}
	for l := level + 1; l <= Levels; l++ {
		if p := e.Prices[l-1]; p > 0 {
			return p
		}
	}
	return 0
}

// Bundle is one bundling pair: Code2 may not be charged with Code1 on the
// same day of the same stay (重复收费). Indicator 0: never together (a
// definite finding); 1: together only with a justification (suspicious).
type Bundle struct {
	ID        int64  `json:"id,omitempty"`
	Region    string `json:"region"`
	Code1     string `json:"code1"` // the comprehensive item
	Code2     string `json:"code2"` // the component or exclusive item
	Indicator int    `json:"indicator"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to,omitempty"`
	Rationale string `json:"rationale,omitempty"`
}

// ValidOn reports whether the pair applies on day.
func (b Bundle) ValidOn(day string) bool {
	return b.ValidFrom <= day && (b.ValidTo == "" || day <= b.ValidTo)
}

// Book is a read-only set of catalogue rows and bundles, indexed by code.
// Build it with NewBook; it is safe for concurrent use.
type Book struct {
	byCode  map[string][]Entry // rows of one code, by ValidFrom
	bundles map[string][]Bundle
}

// NewBook indexes rows and bundles.
func NewBook(rows []Entry, bundles []Bundle) *Book {
	b := &Book{byCode: map[string][]Entry{}, bundles: map[string][]Bundle{}}
	for _, r := range rows {
		b.byCode[r.Code] = append(b.byCode[r.Code], r)
	}
	for _, rs := range b.byCode {
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].ValidFrom < rs[j].ValidFrom })
	}
	for _, p := range bundles {
		b.bundles[p.Code1] = append(b.bundles[p.Code1], p)
		b.bundles[p.Code2] = append(b.bundles[p.Code2], p)
	}
	return b
}

// Len is the number of rows.
func (b *Book) Len() int {
	n := 0
	for _, rs := range b.byCode {
		n += len(rs)
	}
	return n
}

// Find returns the row of code valid on day, preferring the most specific
// region of regions (e.g. the city before the province); regions empty
// means any region.
func (b *Book) Find(code, day string, regions ...string) (Entry, bool) {
	rows := b.byCode[code]
	if len(regions) == 0 {
		for i := len(rows) - 1; i >= 0; i-- {
			if rows[i].ValidOn(day) {
				return rows[i], true
			}
		}
		return Entry{}, false
	}
	for _, reg := range regions {
		for i := len(rows) - 1; i >= 0; i-- {
			if rows[i].Region == reg && rows[i].ValidOn(day) {
				return rows[i], true
			}
		}
	}
	return Entry{}, false
}

// Known reports whether any row of any date has code.
func (b *Book) Known(code string) bool { return len(b.byCode[code]) > 0 }

// BundlesOf returns the pairs that name code and apply on day.
func (b *Book) BundlesOf(code, day string) []Bundle {
	var out []Bundle
	for _, p := range b.bundles[code] {
		if p.ValidOn(day) {
			out = append(out, p)
		}
	}
	return out
}

// Entries returns every row, by category, code and date.
func (b *Book) Entries() []Entry {
	var out []Entry
	for _, rs := range b.byCode {
		out = append(out, rs...)
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if a.Category != c.Category {
			return categoryIndex(a.Category) < categoryIndex(c.Category)
		}
		if a.Code != c.Code {
			return a.Code < c.Code
		}
		if a.Region != c.Region {
			return a.Region < c.Region
		}
		return a.ValidFrom < c.ValidFrom
	})
	return out
}

func categoryIndex(c Category) int {
	for i, x := range Categories {
		if x == c {
			return i
		}
	}
	return len(Categories)
}

// NormalizeCode trims and upper-cases a code as HIS systems send it.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }
