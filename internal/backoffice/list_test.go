package backoffice

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

func TestListPagesKeepTheQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	code, page := c.Raw("GET", "/employers?region=370811&risk_class=4&sort=name&size=20", "", "")
	if code != 200 {
		t.Fatalf("employers: %d\n%s", code, page)
	}
	for _, want := range []string{
		`<option value="370811" selected>任城区</option>`, `<option value="4" selected>四类</option>`,
		`aria-sort="ascending"`, `href="/employers?region=370811&amp;risk_class=4&amp;sort=name&amp;dir=desc&amp;size=20"`, // the header toggles
		`id="export" href="/employers?region=370811&amp;risk_class=4&amp;sort=name&amp;dir=asc&amp;size=20&amp;format=xlsx"`,
		`<option value="20" selected>20</option>`, `共 1 家`, e.Home.Name,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("employers page lacks %s", want)
		}
	}
	if strings.Contains(page, e.Other.Name) {
		t.Errorf("任城区 filter shows 曲阜's %s", e.Other.Name)
	}
	code, page = c.Raw("GET", "/workers?sex=M&sort=created", "", "")
	if code != 200 || !strings.Contains(page, `aria-sort="descending"`) || !strings.Contains(page, `<option value="M" selected>男</option>`) {
		t.Errorf("workers: %d\n%s", code, page)
	}
	// Birth-date sorting is a header only for roles that see birth dates.
	if _, page := e.Login("hotline-370800").Raw("GET", "/workers", "", ""); strings.Contains(page, "sort=birth") {
		t.Errorf("the hotline, who sees birth years only, is offered a birth-date sort")
	}
}

func TestListBadQueryNamesTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	for path, says := range map[string]string{
		"/employers?page=0":          "页码",
		"/employers?size=33":         "每页条数",
		"/employers?sort=phone":      "排序“phone”不可用",
		"/employers?region=370899":   "地区“370899”不在可选范围内",
		"/workers?format=csv":        "导出格式",
		"/workers?from=2026-13-01":   "登记日期起",
		"/workers?employer=99999999": "用人单位不存在",
	} {
		code, page := c.Raw("GET", path, "", "")
		if code/100 != 4 || !strings.Contains(page, says) {
			t.Errorf("%s: %d, want a 4xx page saying %s", path, code, says)
		}
	}
}

func TestListExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("hotline-370800") // sees masked data only
	resp := c.Do("GET", "/workers?q="+url.QueryEscape("孙")+"&format=xlsx", "", nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
		t.Fatalf("export: %d %v\n%.300s", resp.StatusCode, resp.Header, body)
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || !strings.HasPrefix(params["filename"], "职工名单-") || !strings.HasSuffix(params["filename"], ".xlsx") {
		t.Errorf("Content-Disposition %q: %v %v", resp.Header.Get("Content-Disposition"), params, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("职工")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "职工名单（查询：孙）" || !strings.Contains(rows[1][0], "导出人：济宁市 · 12333话务员 · 测试12333话务员") ||
		!strings.Contains(rows[1][0], "（北京时间）") || !strings.Contains(rows[1][0], "共1条") || rows[2][1] != "身份证号码" {
		t.Fatalf("export rows: %q", rows)
	}
	w := rows[3]
	if w[0] != "孙明" || w[1] != e.Worker.IDMasked || w[3] != "1988年" || w[4] != e.Worker.PhoneMasked || w[5] != "任城区" {
		t.Errorf("worker row %q, want masked as on screen (birth year only)", w)
	}
	// The export is in the audit log with its filter and count.
	entries, _, err := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370800"), store.AuditFilter{Actor: "hotline-370800"})
	if err != nil || len(entries) == 0 || entries[0].Action != store.ExportWorkers {
		t.Fatalf("audit after export: %v %+v", err, entries)
	}
	var rec store.ExportRecord
	if err := json.Unmarshal([]byte(entries[0].After), &rec); err != nil || rec.Rows != 1 || rec.Filters["q"] != "孙" || rec.Title != rows[0][0] {
		t.Errorf("audit entry %s: %+v %v", entries[0].After, rec, err)
	}
	// A bad query is an error page, not a file.
	if code, page := c.Raw("GET", "/employers?format=xlsx&size=7", "", ""); code != 400 || !strings.Contains(page, "每页条数") {
		t.Errorf("export with a bad size: %d", code)
	}
}
