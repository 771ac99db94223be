package sheet

import (
	"errors"
	"io"

	"github.com/xuri/excelize/v2"
)

// Page is one sheet of a workbook: laid out like an Export (title row,
// note row, header), then its rows of cells (string, int, int64, Money or
// nil).
type Page struct {
	Export
	Rows [][]any
}

// WriteWorkbook writes a workbook of several sheets, in order, each
// streamed like ExportXLSX's one sheet, text cells neutralised. Sheet
// names must be distinct and non-empty.
func WriteWorkbook(w io.Writer, pages []Page) error {
	if len(pages) == 0 {
		return errors.New("sheet: a workbook needs a sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, p := range pages {
		if p.Sheet == "" {
			return errors.New("sheet: a sheet needs a name")
		}
		if i == 0 {
			err = f.SetSheetName("Sheet1", p.Sheet)
		} else {
			_, err = f.NewSheet(p.Sheet)
		}
		if err != nil {
			return err
		}
		if err := writePage(f, st, p); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// writePage streams one page into its sheet.
func writePage(f *excelize.File, st styles, p Page) error {
	sw, err := f.NewStreamWriter(p.Sheet)
	if err != nil {
		return err
	}
	for i, c := range p.Columns {
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
	last, _ := excelize.CoordinatesToCellName(max(len(p.Columns), 1), 1)
	if err := put([]any{excelize.Cell{StyleID: st.title, Value: Neutralise(p.Title)}}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", last); err != nil {
		return err
	}
	if err := put([]any{excelize.Cell{StyleID: st.note, Value: Neutralise(p.Note)}}); err != nil {
		return err
	}
	head := make([]any, len(p.Columns))
	for i, c := range p.Columns {
		head[i] = excelize.Cell{StyleID: st.head, Value: Neutralise(c.Header)}
	}
	if err := put(head); err != nil {
		return err
	}
	for _, cells := range p.Rows {
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = st.cell(c)
		}
		if err := put(out); err != nil {
			return err
		}
	}
	return sw.Flush()
}
