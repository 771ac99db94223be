package web

import (
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

var testRegions = []registry.Region{{Code: "370800", Name: "济宁市"}, {Code: "370811", Name: "任城区"}, {Code: "370881", Name: "曲阜市"}}

func parse(t *testing.T, spec *ListSpec, rawQuery string) (*ListQuery, error) {
	t.Helper()
	return ParseList(httptest.NewRequest("GET", spec.Path+"?"+rawQuery, nil), spec)
}

func TestParseListErrorsNameTheField(t *testing.T) {
	spec := WorkerListSpec("/workers", "employer", testRegions, false)
	tests := []struct {
		query, field, code, says string
	}{
		{"page=0", "page", "page_range", "页码"},
		{"page=x", "page", "page_range", "页码"},
		{"page=100001", "page", "page_range", "页码"},
		{"size=30", "size", "size_choice", "每页条数应为20、50、100、200之一"},
		{"size=-1", "size", "size_choice", "每页条数"},
		{"sort=id_enc", "sort", "sort_unknown", "排序“id_enc”不可用，可按姓名、参保地区、登记日期排序"},
		{"sort=birth", "sort", "sort_unknown", "排序“birth”不可用"}, // not for roles without personal.full
		{"sort=name&dir=up", "dir", "dir_unknown", "排序方向"},
		{"format=pdf", "format", "format_unknown", "导出格式“pdf”不支持"},
		{"region=370899", "region", "filter_choice", "参保地区“370899”不在可选范围内"},
		{"sex=X", "sex", "filter_choice", "性别"},
		{"from=2026-02-30", "from", "date_format", "登记日期起“2026-02-30”无效"},
		{"employer=abc", "employer", "filter_id", "用人单位编号“abc”无效"},
		{"from=2026-03-01&to=2026-02-01", "to", "date_order", "登记日期止（2026-02-01）早于登记日期起（2026-03-01）"},
		{"q=" + strings.Repeat("张", 101), "q", "query_long", "查询内容过长"},
	}
	for _, tt := range tests {
		_, err := parse(t, spec, tt.query)
		fe, ok := errs.First(err)
		if !errs.Is(err, errs.Invalid) || !ok || fe.Field != tt.field || fe.Code != tt.code || !strings.Contains(fe.Message, tt.says) {
			t.Errorf("%s: %v (%+v), want %s/%s saying %q", tt.query, err, fe, tt.field, tt.code, tt.says)
		}
	}
	// Every bad value is reported at once.
	_, err := parse(t, spec, "page=0&size=7&sort=x")
	if e, ok := err.(*errs.Error); !ok || len(e.Fields) != 3 {
		t.Errorf("three bad values: %v", err)
	}
	if _, err := parse(t, WorkerListSpec("/workers", "employer", testRegions, true), "sort=birth&dir=desc"); err != nil {
		t.Errorf("birth sort for a role with personal.full: %v", err)
	}
}

func TestParseListReadsTheQuery(t *testing.T) {
	spec := EmployerListSpec("/employers", testRegions)
	q, err := parse(t, spec, "q=+济宁+&region=370811&risk_class=4&status=active&sort=name&dir=desc&page=3&size=20&format=xlsx&unknown=1")
	if err != nil {
		t.Fatal(err)
	}
	f := EmployerFilterOf(q)
	if f.Query != "济宁" || f.RegionCode != "370811" || f.RiskClass != 4 || f.Status != "active" || f.Sort != "name" || !f.Desc ||
		q.Page != 3 || q.Size != 20 || q.Offset() != 40 || !q.Export {
		t.Fatalf("parsed %+v, filter %+v", q, f)
	}
	// Defaults: page 1, 50 a page, the list's own order.
	q, err = parse(t, spec, "")
	if err != nil || q.Page != 1 || q.Size != DefaultPageSize || q.Sort != "" || q.Export || q.URL() != "/employers" {
		t.Fatalf("defaults: %+v %v", q, err)
	}
	// A sort without dir takes its own first direction.
	q, _ = parse(t, spec, "sort=created")
	if !q.Desc {
		t.Errorf("sort=created: ascending, want its first direction (newest first)")
	}
}

func TestListLinksKeepTheQuery(t *testing.T) {
	spec := EmployerListSpec("/employers", testRegions)
	q, err := parse(t, spec, "q=济宁&industry=34&sort=name&page=2&size=20")
	if err != nil {
		t.Fatal(err)
	}
	query := func(link string) url.Values {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil || u.Path != "/employers" {
			t.Fatalf("link %q", link)
		}
		return u.Query()
	}
	if v := query(q.URL()); v.Get("q") != "济宁" || v.Get("industry") != "34" || v.Get("sort") != "name" || v.Get("dir") != "asc" || v.Get("page") != "2" || v.Get("size") != "20" {
		t.Errorf("URL %s", q.URL())
	}
	if v := query(q.PageURL(5)); v.Get("page") != "5" || v.Get("industry") != "34" || v.Get("size") != "20" {
		t.Errorf("PageURL %s", q.PageURL(5))
	}
	if v := query(q.PageURL(1)); v.Has("page") {
		t.Errorf("page 1 is the default, left out: %s", q.PageURL(1))
	}
	// The sorted column toggles and starts again at page 1; another sorts by its first direction.
	name := q.Col("name")
	if v := query(name.Href); v.Get("sort") != "name" || v.Get("dir") != "desc" || v.Has("page") || v.Get("industry") != "34" || name.Aria != "ascending" {
		t.Errorf("sorted column: %+v", name)
	}
	created := q.Col("created")
	if v := query(created.Href); v.Get("sort") != "created" || v.Get("dir") != "desc" || created.Aria != "" {
		t.Errorf("other column: %+v", created)
	}
	// Export: same filter and order, all pages.
	if v := query(q.ExportURL()); v.Get("format") != "xlsx" || v.Has("page") || v.Get("q") != "济宁" || v.Get("sort") != "name" {
		t.Errorf("ExportURL %s", q.ExportURL())
	}
	// Forms keep what they do not set.
	names := func(ps []Param) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name)
		}
		return strings.Join(s, ",")
	}
	if got := names(q.FilterHidden()); got != "sort,dir,size" {
		t.Errorf("filter form keeps %s, want sort,dir,size", got)
	}
	if got := names(q.Hidden("page")); got != "q,industry,sort,dir,size" {
		t.Errorf("page jump keeps %s", got)
	}
	if got := names(q.Hidden("size")); got != "q,industry,sort,dir" {
		t.Errorf("size form keeps %s (a new size starts at page 1)", got)
	}
	if d := q.Describe(); d != "行业：34 通用设备制造业；查询：济宁；排序：单位名称升序" {
		t.Errorf("Describe: %q", d)
	}
}

func TestPagerLinks(t *testing.T) {
	spec := EmployerListSpec("/employers", testRegions)
	q, _ := parse(t, spec, "page=6&size=20&status=active")
	p := q.Pager(401) // 21 pages
	var shown []string
	for _, l := range p.Links {
		switch {
		case l.Gap:
			shown = append(shown, "…")
		case l.Current:
			shown = append(shown, "["+strconv.Itoa(l.N)+"]")
		default:
			shown = append(shown, strconv.Itoa(l.N))
		}
	}
	if got := strings.Join(shown, " "); got != "1 … 4 5 [6] 7 8 … 21" || p.Pages != 21 || p.Total != 401 {
		t.Errorf("pager %s of %d", got, p.Pages)
	}
	if !strings.Contains(p.Next, "page=7") || !strings.Contains(p.Last, "page=21") || !strings.Contains(p.Prev, "page=5") || !strings.Contains(p.Next, "status=active") {
		t.Errorf("pager links %+v", p)
	}
	if q, _ := parse(t, spec, ""); len(q.Pager(0).Links) != 1 || q.Pager(0).Next != "" || q.Pager(0).Prev != "" {
		t.Errorf("empty list pager: %+v", q.Pager(0))
	}
}

func TestMaskQueryAndFileName(t *testing.T) {
	if got := MaskQuery("370811199003071234"); got != "370811********1234" {
		t.Errorf("MaskQuery of an ID number: %q", got)
	}
	if got := MaskQuery("济宁"); got != "济宁" {
		t.Errorf("MaskQuery of a name: %q", got)
	}
	got := ContentDisposition("用人单位名单 (1).xlsx", "employers.xlsx")
	want := `attachment; filename="employers.xlsx"; filename*=UTF-8''%E7%94%A8%E4%BA%BA%E5%8D%95%E4%BD%8D%E5%90%8D%E5%8D%95%20%281%29.xlsx`
	if got != want {
		t.Errorf("ContentDisposition:\n%s\nwant\n%s", got, want)
	}
}
