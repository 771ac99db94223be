package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// A clerk filters the worker list, chooses 20 a page, sorts it by clicking
// a column header (twice: ascending, then descending), and clicks 导出Excel. The file the
// browser downloads is opened and checked against the list: the title
// names the filter and the order, the note the exporter, and the rows are
// the filter's (all pages), in the order chosen, masked as on screen, as
// many as the list's total.
// (The search box is left to the contains-search's own browser test.)
func TestBrowserListFilterSortExport(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	base := startDemo(t, t.TempDir())
	b.login(base, "rc-clerk")
	who := get(b, chromedp.Text(`#who`))
	clerk := who[strings.LastIndex(who, " · ")+len(" · "):] // the header: region · role · name

	// Filter: women; then 20 a page, so the list has several pages.
	b.do(chromedp.Navigate(base+"/workers"),
		chromedp.WaitVisible(`#filters`),
		chromedp.SetValue(`#f-sex`, "F"),
		chromedp.Click(`#search`),
		// The new page's header links carry the filter; the old page's do not.
		chromedp.WaitVisible(`#workers th a[href*="sex=F"]`),
		chromedp.SetValue(`#page-size`, "20"),
		chromedp.Click(`form.size button`),
		chromedp.WaitVisible(`#workers th a[href*="size=20"]`))
	// Sort by name: the header sorts ascending, a second click descending.
	b.do(chromedp.Click(`#workers th a[href*="sort=name"]`),
		chromedp.WaitVisible(`#workers th[aria-sort="ascending"]`),
		chromedp.Click(`#workers th a[href*="sort=name"]`),
		chromedp.WaitVisible(`#workers th[aria-sort="descending"]`))
	b.shot("list-01-workers-filtered-sorted")
	loc := get(b, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	if v := u.Query(); v.Get("sex") != "F" || v.Get("size") != "20" || v.Get("sort") != "name" || v.Get("dir") != "desc" {
		t.Fatalf("the list's URL does not keep the query: %s", loc)
	}
	total := countOf(t, get(b, chromedp.Text(`#total`)))
	if total <= 20 {
		t.Fatalf("the demo has %d women in 任城区: too few for two pages of 20", total)
	}
	const rowsJS = `Array.from(document.querySelectorAll('#workers tbody tr')).map(tr => Array.from(tr.cells).map(td => td.textContent.trim()))`
	shown := get(b, chromedp.Evaluate[[][]string](rowsJS))
	href := get(b, chromedp.AttributeValue(`#export`, "href")).Value
	if ev := mustQuery(t, href); ev.Get("format") != "xlsx" || ev.Has("page") || ev.Get("sex") != "F" || ev.Get("sort") != "name" || ev.Get("dir") != "desc" {
		t.Fatalf("导出Excel links to %s, want the list's query with format=xlsx", href)
	}

	// Click 导出Excel; the browser saves the file under its Chinese name.
	rows := b.export(t.TempDir())
	if len(rows) < 3 {
		t.Fatalf("export has %d rows", len(rows))
	}
	if want := "职工名单（性别：女；排序：姓名降序）"; rows[0][0] != want {
		t.Errorf("title row %q, want %q", rows[0][0], want)
	}
	note := rows[1][0]
	if !strings.Contains(note, "导出人：任城区 · 窗口受理 · "+clerk) || !strings.Contains(note, "（北京时间）") || !strings.Contains(note, "共"+strconv.Itoa(total)+"条") {
		t.Errorf("note row %q: want the exporter (任城区 · 窗口受理 · %s), the time in Beijing time and 共%d条", note, clerk, total)
	}
	if got := strings.Join(rows[2], ","); got != "姓名,身份证号码,性别,出生日期,手机,参保地区,登记日期" {
		t.Errorf("header %s", got)
	}
	data := rows[3:]
	if len(data) != total {
		t.Fatalf("export has %d workers, the list says %d", len(data), total)
	}
	idMask := regexp.MustCompile(`^\d{6}\*{8}\d{3}[\dX]$`)
	phoneMask := regexp.MustCompile(`^(\d{3}\*{4}\d{4})?$`)
	for i, r := range data {
		if r[2] != "女" || r[5] != "任城区" {
			t.Errorf("row %d %q does not match the filter (女, 任城区)", i+1, r)
		}
		if !idMask.MatchString(r[1]) || !phoneMask.MatchString(r[4]) {
			t.Errorf("row %d %q: ID number or phone not masked", i+1, r)
		}
		if i > 0 && r[0] > data[i-1][0] {
			t.Errorf("row %d %s after %s: not in descending name order", i+1, r[0], data[i-1][0])
		}
	}
	// The first two pages are the export's beginning, cell for cell.
	b.do(chromedp.Click(`#next-page`), chromedp.WaitVisible(`.listpager a[rel=prev]`))
	b.shot("list-02-workers-page-2")
	if page := get(b, chromedp.Text(`.listpager .current`)); page != "2" {
		t.Fatalf("after 下一页 the pager shows page %s", page)
	}
	shown = append(shown, get(b, chromedp.Evaluate[[][]string](rowsJS))...)
	if len(shown) != min(40, total) {
		t.Errorf("two pages show %d rows, want %d", len(shown), min(40, total))
	}
	for i, s := range shown {
		if i >= len(data) || strings.Join(s, "|") != strings.Join(data[i], "|") {
			t.Errorf("page row %d %q, export row %q", i+1, s, data[min(i, len(data)-1)])
		}
	}

	// The employer list: filters by name, not code; the sorted header marked.
	b.do(chromedp.Navigate(base+"/employers"), chromedp.WaitVisible(`#filters`),
		chromedp.SetValue(`#f-risk_class`, "4"), chromedp.Click(`#search`),
		chromedp.WaitVisible(`#employers th a[href*="risk_class=4"]`),
		chromedp.Click(`#employers th a[href*="sort=name"]`),
		chromedp.WaitVisible(`#employers th[aria-sort="ascending"]`))
	b.shot("list-03-employers-class4-by-name")
	if got := get(b, chromedp.Evaluate[string](`document.querySelector('#f-risk_class').selectedOptions[0].textContent`)); got != "四类" {
		t.Errorf("risk class filter shows %q, want 四类", got)
	}
	classes := get(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#employers tbody tr td:nth-child(5)')).map(td => td.textContent)`))
	for _, c := range classes {
		if c != "四类" {
			t.Errorf("employer of class %q listed under 四类", c)
		}
	}
	b.do(chromedp.Navigate(loc), chromedp.WaitVisible(`#workers th[aria-sort="descending"]`))

	// A search keeps the filter and the order: a surname, which a prefix
	// and a contains search both find, checked as "contains".
	b.do(chromedp.SetValue(`#q`, "张"), chromedp.Click(`#search`), chromedp.WaitVisible(`#workers th a[href*="q=%E5%BC%A0"]`))
	rows = b.export(t.TempDir())
	if want := "职工名单（性别：女；查询：张；排序：姓名降序）"; rows[0][0] != want {
		t.Errorf("title row %q, want %q", rows[0][0], want)
	}
	total = countOf(t, get(b, chromedp.Text(`#total`)))
	if len(rows)-3 != total {
		t.Errorf("search export has %d rows, the list says %d", len(rows)-3, total)
	}
	for i, r := range rows[3:] {
		if !strings.Contains(r[0], "张") || r[2] != "女" || i > 0 && r[0] > rows[3+i-1][0] {
			t.Errorf("search export row %d %q: not 张, 女, in descending order", i+1, r)
		}
	}
}

func countOf(t *testing.T, text string) int {
	t.Helper()
	m := regexp.MustCompile(`共 (\d+) 人`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("total: %q", text)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// export clicks 导出Excel, waits for the browser to save the file into
// dir, checks its Chinese name, and returns the rows of its sheet.
func (b *tab) export(dir string) [][]string {
	t := b.t
	t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			DownloadPath: dir})
		return err
	}), chromedp.Click(`#export`))
	file := waitForDownload(t, dir, ".xlsx")
	if name := filepath.Base(file); !strings.HasPrefix(name, "职工名单-") {
		t.Errorf("downloaded as %q, want the Chinese file name 职工名单-….xlsx", name)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("职工")
	if err != nil {
		t.Fatal(err)
	}
	for i := 3; i < len(rows); i++ {
		for len(rows[i]) < 7 {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

func mustQuery(t *testing.T, href string) url.Values {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

// waitForDownload waits for a finished file with the suffix in dir
// (Chromium writes a .crdownload file and renames it when done).
func waitForDownload(t *testing.T, dir, suffix string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		names, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
		if len(names) == 1 {
			if st, err := os.Stat(names[0]); err == nil && st.Size() > 0 {
				return names[0]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	t.Fatalf("no %s file downloaded into %s within 30 s (found %v)", suffix, dir, entries)
	return ""
}
