package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportXLSX(t *testing.T) {
	var b bytes.Buffer
	ex := Export{Sheet: "用人单位", Title: "用人单位名单（查询：机械）", Note: "导出人：高静",
		Columns: []Column{{Header: "名称"}, {Header: "人数"}, {Header: "金额（元）"}}}
	err := ExportXLSX(&b, ex, func(add RowFunc) error {
		if err := add("=HYPERLINK(\"http://x\")", 3, Money(123456789)); err != nil {
			return err
		}
		return add("济宁机械有限公司", int64(12), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("用人单位")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != ex.Title || rows[1][0] != ex.Note || rows[2][1] != "人数" {
		t.Fatalf("rows %q", rows)
	}
	if got := rows[3][0]; got != `'=HYPERLINK("http://x")` {
		t.Errorf("formula cell %q, want it neutralised", got)
	}
	if got := rows[3][2]; got != "1,234,567.89" {
		t.Errorf("money %q", got)
	}
	if f, _ := f.GetCellFormula("用人单位", "A4"); f != "" {
		t.Errorf("A4 has formula %q", f)
	}
}

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+86": "'+86", "-3": "'-3", "@SUM": "'@SUM",
		"\t=1": "'\t=1", "机械": "机械", "": "", "1=1": "1=1"} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}
