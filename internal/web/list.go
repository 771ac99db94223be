package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// The list toolkit. A list declares its filters and sort keys once
// (ListSpec); ParseList reads the whole query from the URL — q, the
// filters, sort and dir, page, size, format=xlsx — and answers a bad
// value with a Chinese field error naming the field (400). The parsed
// ListQuery makes every link of the list from the same query, so a list
// can be bookmarked and shared: sort headers that toggle the direction,
// page links, the page-jump and page-size forms, the export link.

// PageSizes are the page sizes a list offers; DefaultPageSize is the one
// a URL without size= gets.
var PageSizes = []int{20, 50, 100, 200}

// DefaultPageSize is the page size of a URL without size=.
const DefaultPageSize = 50

// MaxPage bounds page=: deeper pages are an error, not a slow scan.
const MaxPage = 100000

// MaxQueryRunes bounds the search box.
const MaxQueryRunes = 100

// ListSpec declares one list.
type ListSpec struct {
	Path    string   // the list's URL path, e.g. /employers
	Name    string   // its name, e.g. 用人单位 (the export's sheet and title)
	Filters []Filter // in the order links and titles name them
	Sorts   []Sort   // the sort whitelist: only keys an index serves
}

// Filter is one filter of a list, a URL parameter. With Choices it is a
// select and its value must be one of them; Date takes YYYY-MM-DD; ID a
// positive integer; otherwise it is free text.
type Filter struct {
	Key     string
	Label   string
	Choices []Choice
	Date    bool
	ID      bool
	// NotBefore names a Date filter this one may not precede (a range's
	// end after its start).
	NotBefore string
}

// Choice is one option of a select filter.
type Choice struct{ Value, Name string }

// Sort is one sortable column: its key in sort=, its header, and the
// direction its header sorts by first.
type Sort struct {
	Key, Label string
	Desc       bool
}

// ListQuery is a parsed list URL.
type ListQuery struct {
	Spec   *ListSpec
	Q      string
	Sort   string // "" is the list's own order
	Desc   bool
	Page   int // 1-based
	Size   int
	Export bool // format=xlsx

	values map[string]string // filter key → value (valid, non-empty)
	names  map[string]string // filter key → display name set by the handler
}

// ParseList reads the list query of r. Every bad value is reported, each
// as a field error naming its field in Chinese.
func ParseList(r *http.Request, spec *ListSpec) (*ListQuery, error) {
	v := r.URL.Query()
	q := &ListQuery{Spec: spec, Page: 1, Size: DefaultPageSize, values: map[string]string{}, names: map[string]string{}}
	var fs errs.Fields
	q.Q = strings.TrimSpace(v.Get("q"))
	if n := utf8.RuneCountInString(q.Q); n > MaxQueryRunes {
		fs.Add("q", "query_long", "查询内容过长（%d字），最多%d字", n, MaxQueryRunes)
	}
	for _, f := range spec.Filters {
		val := strings.TrimSpace(v.Get(f.Key))
		if val == "" {
			continue
		}
		if err := f.check(val); err != nil {
			fs.Merge(err)
			continue
		}
		q.values[f.Key] = val
	}
	for _, f := range spec.Filters {
		if f.NotBefore == "" || q.values[f.Key] == "" || q.values[f.NotBefore] == "" {
			continue
		}
		if q.values[f.Key] < q.values[f.NotBefore] {
			fs.Add(f.Key, "date_order", "%s（%s）早于%s（%s）", f.Label, q.values[f.Key], spec.filter(f.NotBefore).Label, q.values[f.NotBefore])
		}
	}
	if s := v.Get("sort"); s != "" {
		if so, ok := spec.sort(s); ok {
			q.Sort, q.Desc = so.Key, so.Desc
		} else {
			fs.Add("sort", "sort_unknown", "排序“%s”不可用，可按%s排序", clip(s), spec.sortNames())
		}
	}
	switch d := v.Get("dir"); d {
	case "":
	case "asc", "desc":
		q.Desc = d == "desc"
	default:
		fs.Add("dir", "dir_unknown", "排序方向“%s”无效，应为asc（升序）或desc（降序）", clip(d))
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxPage {
			fs.Add("page", "page_range", "页码应为1至%d的整数，当前为“%s”", MaxPage, clip(p))
		} else {
			q.Page = n
		}
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || !validSize(n) {
			fs.Add("size", "size_choice", "每页条数应为%s之一，当前为“%s”", sizeNames(), clip(s))
		} else {
			q.Size = n
		}
	}
	switch f := v.Get("format"); f {
	case "":
	case "xlsx":
		q.Export = true
	default:
		fs.Add("format", "format_unknown", "导出格式“%s”不支持，仅支持xlsx", clip(f))
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

func (f Filter) check(v string) error {
	switch {
	case f.Choices != nil:
		for _, c := range f.Choices {
			if c.Value == v {
				return nil
			}
		}
		return errs.Field(f.Key, "filter_choice", "%s“%s”不在可选范围内", f.Label, clip(v))
	case f.Date:
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return errs.Field(f.Key, "date_format", "%s“%s”无效（格式YYYY-MM-DD）", f.Label, clip(v))
		}
	case f.ID:
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
			return errs.Field(f.Key, "filter_id", "%s编号“%s”无效（应为正整数）", f.Label, clip(v))
		}
	}
	return nil
}

// clip keeps a bad value short enough for a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 20 {
		return s
	}
	return string([]rune(s)[:20]) + "…"
}

func validSize(n int) bool {
	for _, s := range PageSizes {
		if s == n {
			return true
		}
	}
	return false
}

func sizeNames() string {
	parts := make([]string, len(PageSizes))
	for i, s := range PageSizes {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, "、")
}

func (s *ListSpec) filter(key string) Filter {
	for _, f := range s.Filters {
		if f.Key == key {
			return f
		}
	}
	return Filter{}
}

func (s *ListSpec) sort(key string) (Sort, bool) {
	for _, so := range s.Sorts {
		if so.Key == key {
			return so, true
		}
	}
	return Sort{}, false
}

func (s *ListSpec) sortNames() string {
	parts := make([]string, len(s.Sorts))
	for i, so := range s.Sorts {
		parts[i] = so.Label
	}
	return strings.Join(parts, "、")
}

// Get is the value of a filter, "" when not set.
func (q *ListQuery) Get(key string) string { return q.values[key] }

// ID is the value of an ID filter, 0 when not set.
func (q *ListQuery) ID(key string) int64 {
	n, _ := strconv.ParseInt(q.values[key], 10, 64)
	return n
}

// Int is the value of a numeric filter, 0 when not set.
func (q *ListQuery) Int(key string) int {
	n, _ := strconv.Atoi(q.values[key])
	return n
}

// SetName gives a filter's value the name titles show (an ID filter's
// employer name, say).
func (q *ListQuery) SetName(key, name string) { q.names[key] = name }

// Offset is the first row of the page.
func (q *ListQuery) Offset() int { return (q.Page - 1) * q.Size }

// Param is one query parameter, for hidden form fields.
type Param struct{ Name, Value string }

// params lists the query in a fixed order (q, filters as declared, sort,
// dir, page, size), defaults left out.
func (q *ListQuery) params() []Param {
	var ps []Param
	if q.Q != "" {
		ps = append(ps, Param{"q", q.Q})
	}
	for _, f := range q.Spec.Filters {
		if v := q.values[f.Key]; v != "" {
			ps = append(ps, Param{f.Key, v})
		}
	}
	if q.Sort != "" {
		dir := "asc"
		if q.Desc {
			dir = "desc"
		}
		ps = append(ps, Param{"sort", q.Sort}, Param{"dir", dir})
	}
	if q.Page > 1 {
		ps = append(ps, Param{"page", strconv.Itoa(q.Page)})
	}
	if q.Size != DefaultPageSize {
		ps = append(ps, Param{"size", strconv.Itoa(q.Size)})
	}
	return ps
}

func (q *ListQuery) with(change func(c *ListQuery)) *ListQuery {
	c := *q
	c.Export = false
	change(&c)
	return &c
}

func (q *ListQuery) url(extra ...Param) string {
	ps := append(q.params(), extra...)
	if len(ps) == 0 {
		return q.Spec.Path
	}
	var b strings.Builder
	b.WriteString(q.Spec.Path)
	for i, p := range ps {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value))
	}
	return b.String()
}

// URL is the list's own address, the whole query kept.
func (q *ListQuery) URL() string { return q.with(func(*ListQuery) {}).url() }

// PageURL is the address of page n.
func (q *ListQuery) PageURL(n int) string { return q.with(func(c *ListQuery) { c.Page = n }).url() }

// ExportURL is the list's address with format=xlsx: the same rows, all
// pages (the page itself is left out).
func (q *ListQuery) ExportURL() string {
	return q.with(func(c *ListQuery) { c.Page = 1 }).url(Param{"format", "xlsx"})
}

// Hidden lists the query as hidden fields for a form that sets the named
// parameters itself (the filter form sets q and the filters; the page
// jump sets page; the size form sets size and starts again at page 1).
func (q *ListQuery) Hidden(set ...string) []Param {
	var out []Param
	skip := map[string]bool{}
	for _, s := range set {
		skip[s] = true
	}
	if skip["size"] || skip["q"] {
		skip["page"] = true // a new size or a new search starts at page 1
	}
	for _, p := range q.params() {
		if !skip[p.Name] {
			out = append(out, p)
		}
	}
	return out
}

// FilterHidden is Hidden for the filter form: sort and size are kept,
// the page starts again at 1.
func (q *ListQuery) FilterHidden() []Param {
	set := []string{"q"}
	for _, f := range q.Spec.Filters {
		set = append(set, f.Key)
	}
	return q.Hidden(set...)
}

// Column is a sortable header: its link toggles the direction when the
// list is sorted by it and sorts by its first direction otherwise.
type Column struct {
	Label string
	Href  string
	Aria  string // aria-sort: ascending or descending on the sorted column, else ""
	Arrow string // ▲ or ▼ on the sorted column
}

// Col is the header of sort key k.
func (q *ListQuery) Col(k string) Column {
	so, ok := q.Spec.sort(k)
	if !ok {
		panic("web: list " + q.Spec.Path + " has no sort " + k) // caught by the tests that render every list
	}
	c := Column{Label: so.Label}
	desc := so.Desc
	if q.Sort == k {
		desc = !q.Desc
		c.Aria, c.Arrow = "ascending", "▲"
		if q.Desc {
			c.Aria, c.Arrow = "descending", "▼"
		}
	}
	c.Href = q.with(func(c *ListQuery) { c.Sort, c.Desc, c.Page = k, desc, 1 }).url()
	return c
}

// Value is the raw value of a filter or of q, for a form field.
func (q *ListQuery) Value(key string) string {
	if key == "q" {
		return q.Q
	}
	return q.values[key]
}

// Describe names the query in Chinese for a title: 地区：任城区；行业：C34
// 通用设备制造业；查询：机械；排序：单位名称升序. Choices are named, not
// coded; an ID number searched for is masked. "" when nothing is set.
func (q *ListQuery) Describe() string {
	var parts []string
	for _, f := range q.Spec.Filters {
		v := q.values[f.Key]
		if v == "" {
			continue
		}
		name := v
		if n, ok := q.names[f.Key]; ok {
			name = n
		}
		for _, c := range f.Choices {
			if c.Value == v {
				name = c.Name
			}
		}
		parts = append(parts, f.Label+"："+name)
	}
	if q.Q != "" {
		parts = append(parts, "查询："+MaskQuery(q.Q))
	}
	if q.Sort != "" {
		so, _ := q.Spec.sort(q.Sort)
		dir := "升序"
		if q.Desc {
			dir = "降序"
		}
		parts = append(parts, "排序："+so.Label+dir)
	}
	return strings.Join(parts, "；")
}

// Filters lists the query's set filters by key (and q), for an audit
// entry; an ID number searched for is masked.
func (q *ListQuery) Filters() map[string]string {
	m := map[string]string{}
	for k, v := range q.values {
		m[k] = v
	}
	if q.Q != "" {
		m["q"] = MaskQuery(q.Q)
	}
	if q.Sort != "" {
		m["sort"] = q.Sort
		m["dir"] = "asc"
		if q.Desc {
			m["dir"] = "desc"
		}
	}
	return m
}

// MaskQuery masks a search that looks like an ID number (15 or more
// digits, an X at the end allowed), as the list masks the numbers it
// shows: titles and audit entries name the search, not the person.
func MaskQuery(s string) string {
	n := registry.NormalizeIDNumber(s)
	if len(n) < 15 {
		return s
	}
	for i := 0; i < len(n); i++ {
		if (n[i] < '0' || n[i] > '9') && !(n[i] == 'X' && i == len(n)-1) {
			return s
		}
	}
	return pii.MaskID(n)
}

// Pager is the paging bar of a list: the total, page links around the
// current page, the page-jump form and the page-size form.
type Pager struct {
	Total, Page, Pages int
	First, Prev        string
	Next, Last         string
	Links              []PageLink
	Sizes              []SizeChoice
	Path               string
	JumpHidden         []Param
	SizeHidden         []Param
}

// PageLink is one numbered link; Gap is an ellipsis.
type PageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool
}

// SizeChoice is one option of the page-size select.
type SizeChoice struct {
	N        int
	Selected bool
}

// Pager builds the paging bar for total rows.
func (q *ListQuery) Pager(total int) Pager {
	pages := max(1, (total+q.Size-1)/q.Size)
	p := Pager{Total: total, Page: q.Page, Pages: pages, Path: q.Spec.Path,
		JumpHidden: q.Hidden("page"), SizeHidden: q.Hidden("size")}
	if q.Page > 1 {
		p.First, p.Prev = q.PageURL(1), q.PageURL(min(q.Page-1, pages))
	}
	if q.Page < pages {
		p.Next, p.Last = q.PageURL(q.Page+1), q.PageURL(pages)
	}
	shown := []int{1}
	for n := max(2, q.Page-2); n <= min(pages, q.Page+2); n++ {
		shown = append(shown, n)
	}
	if pages > shown[len(shown)-1] {
		shown = append(shown, pages)
	}
	for i, n := range shown {
		if i > 0 && n > shown[i-1]+1 {
			p.Links = append(p.Links, PageLink{Gap: true})
		}
		p.Links = append(p.Links, PageLink{N: n, Href: q.PageURL(n), Current: n == q.Page})
	}
	for _, s := range PageSizes {
		p.Sizes = append(p.Sizes, SizeChoice{N: s, Selected: s == q.Size})
	}
	return p
}

// ContentDisposition is an attachment header for a file name in Chinese
// (RFC 6266, with the RFC 5987 filename* in UTF-8), with an ASCII
// fallback for clients that know only filename.
func ContentDisposition(name, fallback string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, b.String())
}
