package api

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"testing"

	"gongshang/internal/imports"
	"gongshang/internal/sheet"
	"gongshang/internal/storetest"
)

func TestImportOverHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	rows := [][]string{imports.Header(imports.Workers),
		{storetest.IDNumber("370811", "19870602"), "冯涛", "13900000000", "", "", e.Home.CreditCode, "2022-05-01"},
		{"370811198706020000", "错号", "", "", "", e.Home.CreditCode, "2022-05-01"},
	}
	var file bytes.Buffer
	if err := sheet.WriteXLSX(&file, "导入", rows); err != nil {
		t.Fatal(err)
	}
	upload := func(goodOnly bool) (int, map[string]any) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("kind", "workers")
		if goodOnly {
			mw.WriteField("good_only", "1")
		}
		fw, _ := mw.CreateFormFile("file", "职工.xlsx")
		fw.Write(file.Bytes())
		mw.Close()
		code, out := c.Raw("POST", "/api/v1/imports", mw.FormDataContentType(), body.String())
		var res map[string]any
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("import answer: %d %s", code, out)
		}
		return code, res
	}
	code, res := upload(false)
	if code != 422 || res["outcome"] != "rejected" || res["imported"] != 0.0 {
		t.Fatalf("file with a bad row: %d %v", code, res)
	}
	problems := res["problems"].([]any)
	if p := problems[0].(map[string]any); p["row"] != 3.0 || p["column"] != "身份证号码" {
		t.Fatalf("problem: %v", p)
	}
	code, res = upload(true)
	if code != 201 || res["outcome"] != "partial" || res["imported"] != 1.0 {
		t.Fatalf("good rows only: %d %v", code, res)
	}
}
