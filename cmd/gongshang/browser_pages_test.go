package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// A calculation started from a worker: open a worker, click 计算待遇, and
// 本人工资 is filled from the recorded wages with the months shown; the
// result follows, in the one money format.
func TestBrowserCalcFromWorker(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	b.login(url, "rc-clerk")
	b.do(chromedp.Navigate(url+"/workers"),
		chromedp.WaitVisible(`tbody a[href^="/workers/"]`),
		chromedp.Click(`tbody a[href^="/workers/"]`),
		chromedp.WaitVisible(`#worker-calc`))
	name := get(b, chromedp.Text(`#worker-name`))
	b.shot("pages-01-worker")
	b.do(chromedp.Click(`#worker-calc`), chromedp.WaitVisible(`#calc-wage-basis`))
	basis := get(b, chromedp.Text(`#calc-wage-basis`))
	avg := get(b, chromedp.Value(`#wage_avg_12m`))
	worker := get(b, chromedp.Text(`#calc-worker`))
	b.shot("pages-02-calc-from-worker")
	if worker != name || !strings.Contains(basis, "第六十四条") || !strings.Contains(basis, "¥") || avg == "" {
		t.Fatalf("calculator from %s: worker %q, 本人工资 %q, basis %q", name, worker, avg, basis)
	}
	b.do(chromedp.SetValue(`#level`, "7"),
		chromedp.Click(`#calc-submit`),
		chromedp.WaitVisible(`#calc-items`))
	items := get(b, chromedp.Text(`#calc-items`))
	total := get(b, chromedp.Text(`#calc-total`))
	kept := get(b, chromedp.Value(`#wage_avg_12m`))
	b.shot("pages-03-calc-result")
	if !strings.Contains(items, "一次性伤残补助金") || !strings.Contains(items, "《工伤保险条例》") || !strings.HasPrefix(total, "¥") || kept != avg {
		t.Fatalf("result: total %q, 本人工资 kept %q (was %q), items %q", total, kept, avg, items)
	}
	for _, code := range []string{"regulation.md", "avg_wage", "S1 ", "PROJ"} {
		if strings.Contains(items, code) {
			t.Errorf("the explanation shows %q", code)
		}
	}
}

// An import with bad rows: upload, see the summary by reason, fetch the
// error file with the page's session and find the 错误原因 column.
func TestBrowserImportErrorFile(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	b.login(url, "rc-clerk")
	var csv strings.Builder
	csv.WriteString("统一社会信用代码,单位名称,行政区划代码,行业代码,行业风险类别,浮动费率档次\n")
	fmt.Fprintf(&csv, "%s,济宁市任城区浏览器导入一公司,370811,34,4,100\n", validCode("370811", "MA3BRWQ7X"))
	for i := range 7 {
		fmt.Fprintf(&csv, "91370811BAD%07d,校验位错误公司%d,370811,34,4,100\n", i, i)
	}
	fmt.Fprintf(&csv, "%s,无权地区公司,370881,34,4,100\n", validCode("370881", "MA3BRWQ8X"))
	path := filepath.Join(t.TempDir(), "单位导入.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(url+"/import"),
		chromedp.WaitVisible(`#kind`),
		chromedp.SetValue(`#kind`, "employers"),
		chromedp.SetUploadFiles(`#file`, []string{path}),
		chromedp.Click(`#import-submit`),
		chromedp.WaitVisible(`#import-summary`))
	summary := get(b, chromedp.Text(`#import-summary`))
	outcome := get(b, chromedp.Text(`#import-outcome`))
	kind := get(b, chromedp.Value(`#kind`))
	b.shot("pages-04-import-summary")
	if !strings.Contains(outcome, "未导入") || !strings.Contains(summary, "另有2行") || !strings.Contains(summary, "曲阜市") || kind != "employers" {
		t.Fatalf("import: kind %q, outcome %q, summary %q", kind, outcome, summary)
	}
	encoded := get(b, chromedp.Evaluate[string](`fetch(document.querySelector('#import-error-file').href).then(r => {
		if (!r.ok) throw new Error('status ' + r.status);
		return r.arrayBuffer();
	}).then(buf => {
		let s = ''; const u = new Uint8Array(buf);
		for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return btoa(s);
	})`, chromedp.EvalAwaitPromise))
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("error file does not open: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) != 10 {
		t.Fatalf("error file: %d rows, %v", len(rows), err)
	}
	col := len(rows[0]) - 1
	if rows[0][col] != "错误原因" {
		t.Fatalf("error file header %q", rows[0])
	}
	for i, r := range rows[2:] {
		if len(r) <= col || r[col] == "" {
			t.Errorf("error file row %d has no 错误原因: %q", i+3, r)
		}
	}
	if len(rows[1]) > col && rows[1][col] != "" {
		t.Errorf("the good row has a reason: %q", rows[1])
	}
	if !strings.Contains(rows[9][col], "曲阜市") && !strings.Contains(rows[9][col], "370881") {
		t.Errorf("the other county's row: %q", rows[9])
	}
}

// The parameter book: Chinese names, percentages, a row's history.
func TestBrowserParamBook(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	b.login(url, "rc-clerk")
	b.do(chromedp.Navigate(url+"/params"),
		chromedp.WaitVisible(`#param-toc`),
		chromedp.Click(`#t-survivor_age + table tr.history summary`),
		chromedp.WaitVisible(`#t-survivor_age + table tr.history table.inner`))
	book := get(b, chromedp.Text(`#g-death`))
	b.shot("pages-05-params")
	for _, want := range []string{"配偶（男）", "60周岁", "40%", "随系统发布", "《因工死亡职工供养亲属范围规定》"} {
		if !strings.Contains(book, want) {
			t.Errorf("parameter book lacks %q", want)
		}
	}
	if strings.Contains(book, "spouse-M") || strings.Contains(book, "S10") {
		t.Errorf("parameter book shows codes:\n%s", book)
	}
}
