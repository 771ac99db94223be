package sheet

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestWriteWorkbook(t *testing.T) {
	var b bytes.Buffer
	pages := []Page{
		{Export: Export{Sheet: "风险概况", Title: "风险概况", Note: "导出人：高静", Columns: []Column{{Header: "项目"}, {Header: "内容"}}},
			Rows: [][]any{{"风险分", "0.87"}, {"金额", Money(70000)}}},
		{Export: Export{Sheet: "线索", Title: "线索", Columns: []Column{{Header: "线索号"}, {Header: "原因"}}},
			Rows: [][]any{{int64(7), "=cmd|' /C calc'!A0"}}},
	}
	if err := WriteWorkbook(&b, pages); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"风险概况", "线索"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := f.GetRows("风险概况")
	if len(rows) != 5 || rows[2][0] != "项目" || rows[4][1] != "700.00" {
		t.Fatalf("first sheet %q", rows)
	}
	rows, _ = f.GetRows("线索")
	if len(rows) != 4 || rows[3][0] != "7" || rows[3][1][0] != '\'' {
		t.Fatalf("second sheet %q", rows)
	}
	if err := WriteWorkbook(&b, nil); err == nil {
		t.Error("a workbook without sheets")
	}
	if err := WriteWorkbook(&b, []Page{{}}); err == nil {
		t.Error("a sheet without a name")
	}
}
