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
		if err := streamSheet(f, st, p.Export, p.fill); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// fill adds the page's rows.
func (p Page) fill(add RowFunc) error {
	for _, cells := range p.Rows {
		if err := add(cells...); err != nil {
			return err
		}
	}
	return nil
}
