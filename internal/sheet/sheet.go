// Package sheet reads tabular uploads — Excel .xlsx (excelize, streamed
// row by row) and .csv in UTF-8 or GBK/GB18030, as Chinese offices save
// them — into rows of trimmed strings, and writes .xlsx templates.
package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongshang/internal/errs"
)

// Read returns the rows of the first sheet (xlsx) or the file (csv),
// header included, chosen by the file name's extension.
func Read(filename string, data []byte) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".xlsx":
		return readXLSX(data)
	case ".csv":
		return readCSV(data)
	}
	return nil, errs.Field("file", "file_type", "只支持 .xlsx 或 .csv 文件，当前为“%s”", filename)
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, errs.Field("file", "xlsx_open", "无法读取Excel文件：%v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errs.Field("file", "xlsx_empty", "Excel文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, errs.Field("file", "xlsx_open", "无法读取工作表“%s”：%v", sheets[0], err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, errs.Field("file", "xlsx_row", "第%d行无法读取：%v", len(out)+1, err)
		}
		out = append(out, trim(cols))
	}
	return out, rows.Error()
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, errs.Field("file", "csv_encoding", "CSV文件既不是UTF-8也不是GBK编码")
		}
		data = dec
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, errs.Field("file", "csv_format", "CSV格式错误：%v", err)
		}
		out = append(out, trim(rec))
	}
}

func trim(cols []string) []string {
	for i, c := range cols {
		cols[i] = strings.TrimSpace(c)
	}
	return cols
}

// Blank reports whether a row has no content.
func Blank(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}

// WriteXLSX writes rows (header first) to one sheet with the stream
// writer, which keeps memory flat for large files. Every cell is text, so
// ID numbers keep all 18 digits.
func WriteXLSX(w io.Writer, sheetName string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return fmt.Errorf("sheet: row %d: %w", i+1, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
