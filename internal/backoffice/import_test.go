package backoffice

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

func upload(t *testing.T, c *webtest.Client, kind, name, data string, goodOnly bool) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	mw.WriteField("kind", kind)
	if goodOnly {
		mw.WriteField("good_only", "1")
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(data))
	mw.Close()
	return c.Raw("POST", "/import", mw.FormDataContentType(), body.String())
}

var errorFileRe = regexp.MustCompile(`href="(/import/errors/[0-9a-f]{32})"`)

// An import with bad rows answers with a summary by reason and an error
// file — the upload with a 错误原因 column — that only the uploader can
// fetch; the chosen 导入内容 is kept.
func TestImportReportAndErrorFile(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	var csv strings.Builder
	csv.WriteString("统一社会信用代码,单位名称,行政区划代码,行业代码,行业风险类别,浮动费率档次\n")
	csv.WriteString(storetest.CreditCode("370811") + ",济宁导入测试一公司,370811,34,4,100\n") // good
	for i := range 8 {
		fmt.Fprintf(&csv, "91370811BAD%07d,坏代码公司%d,370811,34,4,100\n", i, i) // bad check char
	}
	csv.WriteString(e.Home.CreditCode + ",已登记公司,370811,34,4,100\n") // registered already
	code, page := upload(t, c, "employers", "单位.csv", csv.String(), false)
	text := visibleText(page)
	if code != http.StatusUnprocessableEntity || !strings.Contains(text, "按错误原因汇总") || !strings.Contains(page, `<option value="employers" selected>`) {
		t.Fatalf("upload: %d\n%s", code, text)
	}
	if !strings.Contains(text, "另有3行，见错误文件") || !strings.Contains(text, "已经登记过") {
		t.Errorf("summary does not group by reason with the first rows:\n%s", text)
	}
	m := errorFileRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no error file link:\n%s", text)
	}
	resp := c.Do("GET", m[1], "", nil)
	defer resp.Body.Close()
	f, err := excelize.OpenReader(resp.Body)
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("error file: %d %v", resp.StatusCode, err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) != 11 {
		t.Fatalf("error file rows: %d %v", len(rows), err)
	}
	last := len(rows[0]) - 1
	if rows[0][last] != "错误原因" || len(rows[1]) > last && rows[1][last] != "" || !strings.Contains(rows[2][last], "统一社会信用代码") ||
		!strings.Contains(rows[10][last], "已经登记过") || rows[10][0] != e.Home.CreditCode {
		t.Errorf("error file: %q", rows)
	}
	// another user of the same region cannot fetch it
	other := e.Login("admin-370800")
	if code, _ := other.Raw("GET", m[1], "", ""); code != http.StatusNotFound {
		t.Errorf("another user's download: %d, want 404", code)
	}
	// an old .xls is answered with what to do, marked on the file field
	code, page = upload(t, c, "workers", "职工.xls", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", false)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "请另存为 .xlsx 后再导入") || !strings.Contains(page, `id="file-error"`) ||
		!strings.Contains(page, `<option value="workers" selected>`) {
		t.Errorf(".xls: %d\n%s", code, visibleText(page))
	}
}

// The template has the header and an example row, skipped when left in,
// and a notes sheet explaining each column.
func TestImportTemplate(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	resp := c.Do("GET", "/import/template/workers", "", nil)
	defer resp.Body.Close()
	f, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[1] != "填写说明" {
		t.Fatalf("sheets %v", got)
	}
	rows, _ := f.GetRows("导入")
	notes, _ := f.GetRows("填写说明")
	if len(rows) != 2 || rows[0][0] != "身份证号码" || rows[1][0] != "370811199003071234" {
		t.Errorf("template rows %q", rows)
	}
	joined := fmt.Sprint(notes)
	if !strings.Contains(joined, "科学计数法") || !strings.Contains(joined, "入职日期") || !strings.Contains(joined, "必填") {
		t.Errorf("notes %q", notes)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	code, page := upload(t, c, "workers", "模板.xlsx", buf.String(), false)
	if code != http.StatusUnprocessableEntity || !strings.Contains(visibleText(page), "没有数据行") {
		t.Errorf("the untouched template: %d, want no data rows (example skipped)\n%s", code, visibleText(page))
	}
}

// The upload reports its progress under the form's id, to its uploader
// only; the page serves the script that shows it.
func TestImportProgress(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	_, page := c.Raw("GET", "/import", "", "")
	m := regexp.MustCompile(`name="progress" value="([0-9a-f]{32})"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `<script src="/import/progress.js" defer>`) {
		t.Fatal("the import form has no progress id or script")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	mw.WriteField("kind", "employers")
	mw.WriteField("progress", m[1])
	fw, _ := mw.CreateFormFile("file", "e.csv")
	fw.Write([]byte("统一社会信用代码,单位名称,行政区划代码,行业代码,行业风险类别,浮动费率档次\nx,y,370811,34,4,100\nx2,y2,370811,34,4,100\n"))
	mw.Close()
	c.Raw("POST", "/import", mw.FormDataContentType(), body.String())
	code, out := c.Raw("GET", "/import/progress/"+m[1], "", "")
	if code != http.StatusOK || !strings.Contains(out, `"phase":"done"`) || !strings.Contains(out, `"done":2,"total":2`) {
		t.Errorf("progress after the upload: %d %s", code, out)
	}
	if code, _ := e.Login("admin-370800").Raw("GET", "/import/progress/"+m[1], "", ""); code != http.StatusNotFound {
		t.Errorf("another user's progress: %d, want 404", code)
	}
	resp := c.Do("GET", "/import/progress.js", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("script: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
