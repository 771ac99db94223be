package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

// TestImportBrokenFilesExplained: a corrupt .xlsx and a CSV with a stray
// quote are refused over the API with a Chinese message naming the file
// and row, never the Go error text.
func TestImportBrokenFilesExplained(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	for _, tt := range []struct{ name, data, want string }{
		{"单位.xlsx", "PK\x03\x04 truncated", "文件“单位.xlsx”：不是有效的Excel"},
		{"职工.csv", "身份证号码,姓名\n1\"2,x\n", "文件“职工.csv”：第2行"},
	} {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("kind", "workers")
		fw, _ := mw.CreateFormFile("file", tt.name)
		fw.Write([]byte(tt.data))
		mw.Close()
		code, out := c.Raw("POST", "/api/v1/imports", mw.FormDataContentType(), body.String())
		if code != http.StatusBadRequest || !strings.Contains(out, tt.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tt.name, code, out, tt.want)
		}
		for _, goText := range []string{"zip:", "bare \\\"", "not a valid", "parse error"} {
			if strings.Contains(out, goText) {
				t.Errorf("%s: answer embeds Go error text %q: %s", tt.name, goText, out)
			}
		}
	}
}

// TestBrokenUploadExplained: a truncated multipart upload is answered in
// Chinese, without the Go error text.
func TestBrokenUploadExplained(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	code, out := c.Raw("POST", "/api/v1/imports", "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc")
	if code != http.StatusBadRequest || !strings.Contains(out, "无法解析") || strings.Contains(out, "multipart") || strings.Contains(out, "EOF") {
		t.Fatalf("truncated upload: %d %s", code, out)
	}
}
