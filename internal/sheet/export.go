package sheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Export describes a list as exported to .xlsx: a title row naming the
// list and its filter, a note row naming the exporter and the time, the
// header row, then the rows.
type Export struct {
	Sheet   string   // sheet name, e.g. 用人单位
	Title   string   // e.g. 用人单位名单（地区：任城区；查询：机械）
	Note    string   // e.g. 导出人：任城区 · 窗口受理 · 高静　导出时间：2026年12月1日 22:30（北京时间）
	Columns []Column // the header
}

// Column is one exported column.
type Column struct {
	Header string
	Width  float64 // in Excel character widths; 0 means 14
}

// Money is an amount in fen, written as a number of yuan with two
// decimals and thousands separators.
type Money int64

// RowFunc adds one row of cells: string, int, int64, Money or nil.
type RowFunc func(cells ...any) error

// ExportXLSX streams ex to w: fill calls add once per row, and rows go
// through excelize's StreamWriter, which keeps a bounded part of the sheet
// in memory (the rest in a temporary file), so a million rows do not need
// a gigabyte. Text cells that a spreadsheet would run as a formula are
// neutralised (Neutralise).
func ExportXLSX(w io.Writer, ex Export, fill func(add RowFunc) error) error {
	f := excelize.NewFile()
	defer f.Close()
	ex.Sheet = cmpOr(ex.Sheet, "Sheet1")
	if err := f.SetSheetName("Sheet1", ex.Sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := streamSheet(f, st, ex, fill); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// streamSheet streams ex's sheet of f (which must exist): widths, the
// title row merged across the columns, the note row, the header, then the
// rows fill adds, every cell through st.cell.
func streamSheet(f *excelize.File, st styles, ex Export, fill func(add RowFunc) error) error {
	sw, err := f.NewStreamWriter(ex.Sheet)
	if err != nil {
		return err
	}
	for i, c := range ex.Columns {
		width := c.Width
		if width == 0 {
			width = 14
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	row := 0
	put := func(cells []any) error {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return sw.SetRow(cell, cells)
	}
	last, _ := excelize.CoordinatesToCellName(max(len(ex.Columns), 1), 1)
	if err := put([]any{excelize.Cell{StyleID: st.title, Value: Neutralise(ex.Title)}}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last); err != nil {
		return err
	}
	if err := put([]any{excelize.Cell{StyleID: st.note, Value: Neutralise(ex.Note)}}); err != nil {
		return err
	}
	head := make([]any, len(ex.Columns))
	for i, c := range ex.Columns {
		head[i] = excelize.Cell{StyleID: st.head, Value: Neutralise(c.Header)}
	}
	if err := put(head); err != nil {
		return err
	}
	add := func(cells ...any) error {
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = st.cell(c)
		}
		return put(out)
	}
	if err := fill(add); err != nil {
		return err
	}
	return sw.Flush()
}

type styles struct{ title, note, head, money int }

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	if s.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return s, err
	}
	if s.note, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "666666"}}); err != nil {
		return s, err
	}
	if s.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF5"}}}); err != nil {
		return s, err
	}
	fmtMoney := "#,##0.00"
	s.money, err = f.NewStyle(&excelize.Style{CustomNumFmt: &fmtMoney})
	return s, err
}

// cell converts one value for the stream writer.
func (s styles) cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return Neutralise(x)
	case Money:
		return excelize.Cell{StyleID: s.money, Value: float64(x) / 100}
	case int, int64, int32:
		return x
	default:
		return Neutralise(fmt.Sprint(x))
	}
}

// Neutralise keeps a text cell from being run as a formula when the file
// is opened elsewhere (formula injection): a value starting with = + - @,
// or with a tab or carriage return, which some programs strip before
// looking, is prefixed with a single quote, as OWASP advises.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	if strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
