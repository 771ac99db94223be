package imports

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/errs"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
)

// isExample reports whether row is the template's example row, left in
// place: it is skipped, not imported and not counted.
func (p *plan) isExample(row []string) bool {
	for i, c := range columns[p.kind] {
		if p.cell(row, i) != c.example {
			return false
		}
	}
	return true
}

// KindTitle is the Chinese name of an import kind.
func KindTitle(kind string) string {
	return map[string]string{Employers: "用人单位", Workers: "职工（含劳动关系）", Wages: "月缴费工资"}[kind]
}

// Template writes the import template of kind: the sheet to fill, with
// the header and an example row (skipped if left in), and a notes sheet
// explaining each column. Every cell is text, so ID numbers keep their
// digits.
func Template(w io.Writer, kind string) error {
	cols, ok := columns[kind]
	if !ok {
		return errs.E(errs.NotFound, "没有“%s”的导入模板", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	const data, notes = "导入", "填写说明"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	if _, err := f.NewSheet(notes); err != nil {
		return err
	}
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F6"}}})
	example, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "667085"}, NumFmt: 49})
	for i, c := range cols {
		colName, _ := excelize.ColumnNumberToName(i + 1)
		title := c.title
		if err := f.SetCellStr(data, colName+"1", title); err != nil {
			return err
		}
		if err := f.SetCellStr(data, colName+"2", c.example); err != nil {
			return err
		}
		_ = f.SetColStyle(data, colName, text)
		_ = f.SetColWidth(data, colName, colName, float64(max(12, 2*len([]rune(c.title))+4)))
	}
	last, _ := excelize.ColumnNumberToName(len(cols))
	_ = f.SetCellStyle(data, "A1", last+"1", head)
	_ = f.SetCellStyle(data, "A2", last+"2", example)
	_ = f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	rows := [][]string{
		{KindTitle(kind) + "导入模板 · 填写说明"},
		{"1. 在“导入”工作表填写，第一行为表头，请勿修改表头文字；列的顺序可以调整，多余的列会被忽略。"},
		{"2. 第2行是示例，可直接覆盖；若原样保留，导入时自动跳过。"},
		{"3. 文件保存为 .xlsx（或 UTF-8 / GBK 编码的 .csv）；旧版 .xls 请先另存为 .xlsx。"},
		{"4. 默认只要有一行错误，整个文件都不导入；可在导入页勾选“仍导入其余正确的行”。导入结果可下载错误文件，按“错误原因”列改正后重新上传。"},
		{},
		{"列名", "是否必填", "填写说明", "示例"},
	}
	for _, c := range cols {
		req := "必填"
		if !c.required {
			req = "可空"
		}
		rows = append(rows, []string{c.title, req, c.note, c.example})
	}
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr(notes, cell, v); err != nil {
				return err
			}
		}
	}
	_ = f.SetColWidth(notes, "A", "A", 26)
	_ = f.SetColWidth(notes, "B", "B", 10)
	_ = f.SetColWidth(notes, "C", "C", 70)
	_ = f.SetColWidth(notes, "D", "D", 24)
	_ = f.SetCellStyle(notes, "A7", "D7", head)
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	_ = f.SetCellStyle(notes, "A1", "A1", bold)
	return f.Write(w)
}

// ReasonColumn is the title of the column the error file adds.
const ReasonColumn = "错误原因"

// ErrorFile writes the uploaded sheet back with a 错误原因 column: every
// row where it was in the upload (row numbers match the report), the
// reasons of a bad row joined in its last cell. The values are written as
// text, exactly as read, so the corrected file can be uploaded again (the
// import ignores the extra column).
func ErrorFile(ctx context.Context, w io.Writer, filename string, data []byte, problems []store.ImportProblem) error {
	rows, err := sheet.Read(ctx, filename, data)
	if err != nil {
		return err
	}
	reasons := map[int][]string{}
	for _, p := range problems {
		r := p.Reason
		if p.Column != "" {
			r = p.Column + "：" + r
		}
		reasons[p.Row] = append(reasons[p.Row], r)
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	f := excelize.NewFile()
	defer f.Close()
	const name = "错误行"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	bad, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "B42318"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF2F6"}}})
	_ = sw.SetColWidth(width+1, width+1, 60)
	if len(rows) == 0 {
		rows = [][]string{{}}
	}
	for i, r := range rows {
		cells := make([]any, width+1)
		for j := range width {
			v := ""
			if j < len(r) {
				v = r[j]
			}
			cells[j] = excelize.Cell{Value: v}
		}
		why := strings.Join(reasons[i+1], "；")
		switch {
		case i == 0:
			title := ReasonColumn
			if why != "" {
				title += "（表头：" + why + "）"
			}
			for j := range cells[:width] {
				cells[j] = excelize.Cell{StyleID: head, Value: cells[j].(excelize.Cell).Value}
			}
			cells[width] = excelize.Cell{StyleID: head, Value: title}
		case why != "":
			cells[width] = excelize.Cell{StyleID: bad, Value: why}
		default:
			cells[width] = excelize.Cell{Value: ""}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("imports: error file row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// ProblemGroup is the problems of one reason in one column.
type ProblemGroup struct {
	Column string
	Code   string
	Count  int                   // problems of this reason
	First  []store.ImportProblem // the first rows, in file order
}

// GroupProblems sums problems by column and reason code, the largest
// group first, keeping the first n rows of each.
func GroupProblems(ps []store.ImportProblem, n int) []ProblemGroup {
	idx := map[[2]string]int{}
	var out []ProblemGroup
	for _, p := range ps {
		code := p.Code
		if code == "" {
			code = p.Reason // reports saved before codes existed
		}
		k := [2]string{p.Column, code}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, ProblemGroup{Column: p.Column, Code: code})
		}
		out[i].Count++
		if len(out[i].First) < n {
			out[i].First = append(out[i].First, p)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Count > out[b].Count })
	return out
}
