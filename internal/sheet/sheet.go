// Package sheet reads tabular uploads — Excel .xlsx (excelize, streamed
// row by row) and .csv in UTF-8 or GBK/GB18030, as Chinese offices save
// them — into rows of trimmed strings, and writes .xlsx templates.
package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongshang/internal/errs"
)

// Limits bound what one upload may expand to, so a small file cannot
// exhaust the server: a zip of repeated XML deflates about a thousandfold.
type Limits struct {
	Uncompressed  int64 // all parts of an .xlsx together, uncompressed bytes
	SharedStrings int64 // the shared-strings part of an .xlsx, uncompressed bytes
	Strings       int   // number of shared strings
	Parts         int   // number of parts (zip entries) of an .xlsx
	Rows          int   // rows, header included
	Cells         int   // cells of one row
}

// DefaultLimits fit the largest real import (a county's 200,000 workers,
// seven columns) with room to spare.
var DefaultLimits = Limits{Uncompressed: 160 << 20, SharedStrings: 64 << 20, Strings: 2_000_000, Parts: 1000, Rows: 200_000, Cells: 200}

// Read returns the rows of the first sheet (xlsx) or the file (csv),
// header included, chosen by the file name's extension, within
// DefaultLimits. It stops when ctx ends.
func Read(ctx context.Context, filename string, data []byte) ([][]string, error) {
	return ReadLimited(ctx, filename, data, DefaultLimits)
}

// ReadLimited is Read within lim. Every refusal is a field error on
// "file" with a Chinese message naming the file and the limit or row;
// no Go error text reaches the user.
func ReadLimited(ctx context.Context, filename string, data []byte, lim Limits) ([][]string, error) {
	r := &reader{ctx: ctx, name: filename, lim: lim}
	ext := strings.ToLower(filepath.Ext(filename))
	if ext == ".xls" || ext == ".et" || (ext == ".xlsx" && bytes.HasPrefix(data, oleMagic)) {
		return nil, errs.Field("file", "file_xls", "文件“%s”是旧版 Excel（.xls）格式，请另存为 .xlsx 后再导入（在Excel或WPS中打开，“另存为”选择“Excel 工作簿（*.xlsx）”）", filename)
	}
	switch ext {
	case ".xlsx":
		return r.xlsx(data)
	case ".csv":
		return r.csv(data)
	}
	return nil, errs.Field("file", "file_type", "只支持 .xlsx 或 .csv 文件，当前为“%s”", filename)
}

// oleMagic starts an OLE compound file: the old .xls format (also when
// renamed to .xlsx).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// reader reads one upload.
type reader struct {
	ctx  context.Context
	name string
	lim  Limits
	out  [][]string
}

func (r *reader) fail(code, format string, args ...any) error {
	return errs.Field("file", code, "文件“%s”："+format, append([]any{r.name}, args...)...)
}

// add appends a row, enforcing the row and cell limits and ctx.
func (r *reader) add(cols []string) error {
	if len(r.out)%256 == 0 && r.ctx.Err() != nil {
		return r.fail("import_cancelled", "读取已中止：请求已结束（连接断开或超时）")
	}
	if len(r.out) >= r.lim.Rows {
		return r.fail("too_many_rows", "超过%d行的上限，请分成几个文件导入", r.lim.Rows)
	}
	if len(cols) > r.lim.Cells {
		return r.fail("too_many_cells", "第%d行有%d列，超过每行%d列的上限", len(r.out)+1, len(cols), r.lim.Cells)
	}
	r.out = append(r.out, trim(cols))
	return nil
}

var errNotXLSX = "不是有效的Excel（.xlsx）文件，可能已损坏，或是旧版.xls格式（请在Excel中另存为.xlsx）"

// checkZip refuses an .xlsx whose parts would expand beyond the limits,
// before anything is parsed: first by the sizes the parts declare, then by
// reading each part through a counting reader, which archive/zip stops
// with an error as soon as a part yields more than it declared (a crafted
// file may lie) or fails its checksum. Reading costs no memory.
func (r *reader) checkZip(data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return r.fail("xlsx_open", errNotXLSX)
	}
	if len(z.File) > r.lim.Parts {
		return r.fail("xlsx_parts", "包含%d个部件，超过%d个的上限", len(z.File), r.lim.Parts)
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > uint64(r.lim.Uncompressed) || f.UncompressedSize64 > uint64(r.lim.Uncompressed) {
			return r.fail("xlsx_too_large", "解压后超过%dMB的上限（压缩前%.1fMB），请删去多余的行、列和格式后再导入", r.lim.Uncompressed>>20, float64(len(data))/(1<<20))
		}
		if strings.EqualFold(f.Name, "xl/sharedStrings.xml") && f.UncompressedSize64 > uint64(r.lim.SharedStrings) {
			return r.fail("xlsx_strings", "共享字符串表解压后超过%dMB的上限", r.lim.SharedStrings>>20)
		}
	}
	for _, f := range z.File {
		if err := r.readPart(f); err != nil {
			return err
		}
	}
	return nil
}

// readPart reads one part to its end, counting the shared strings.
func (r *reader) readPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return r.fail("xlsx_open", errNotXLSX)
	}
	defer rc.Close()
	cr := &countingReader{r: rc, ctx: r.ctx, max: int64(f.UncompressedSize64)}
	if strings.EqualFold(f.Name, "xl/sharedStrings.xml") {
		err = r.countStrings(cr)
	} else {
		_, err = io.Copy(io.Discard, cr)
	}
	switch {
	case r.ctx.Err() != nil:
		return r.fail("import_cancelled", "读取已中止：请求已结束（连接断开或超时）")
	case errs.KindOf(err) != "":
		return err
	case err != nil || cr.n > cr.max:
		return r.fail("xlsx_open", errNotXLSX)
	}
	return nil
}

// countingReader counts what it passes on, refuses more than max bytes and
// stops when ctx ends.
type countingReader struct {
	r   io.Reader
	ctx context.Context
	n   int64
	max int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, errors.New("sheet: part larger than declared")
	}
	return n, err
}

// countStrings refuses a shared-strings table with too many entries.
func (r *reader) countStrings(rd io.Reader) error {
	d := xml.NewDecoder(rd)
	n := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
			if n++; n > r.lim.Strings {
				return r.fail("xlsx_strings", "共享字符串超过%d个的上限", r.lim.Strings)
			}
		}
	}
}

func (r *reader) xlsx(data []byte) ([][]string, error) {
	if err := r.checkZip(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: r.lim.Uncompressed})
	if err != nil {
		return nil, r.fail("xlsx_open", errNotXLSX)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, r.fail("xlsx_empty", "Excel文件中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, r.fail("xlsx_open", "工作表“%s”无法读取，文件可能已损坏", sheets[0])
	}
	defer rows.Close()
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return nil, r.fail("xlsx_row", "第%d行无法读取，文件可能已损坏", len(r.out)+1)
		}
		if err := r.add(cols); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, r.fail("xlsx_row", "第%d行之后无法读取，文件可能已损坏", len(r.out))
	}
	return r.out, nil
}

func (r *reader) csv(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, r.fail("csv_encoding", "CSV文件既不是UTF-8也不是GBK编码")
		}
		data = dec
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return r.out, nil
		}
		if err != nil {
			return nil, r.csvError(err)
		}
		if err := r.add(rec); err != nil {
			return nil, err
		}
	}
}

// csvError names the row and column of a CSV syntax error in words.
func (r *reader) csvError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return r.fail("csv_format", "第%d行之后无法读取", len(r.out))
	}
	why := "格式不正确"
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		why = "未用引号括起的字段中出现了英文双引号（字段内的\"应写成\"\"，并把整个字段用双引号括起）"
	case errors.Is(pe.Err, csv.ErrQuote):
		why = "引号没有配对（以双引号开始的字段应以双引号结束，字段内的\"应写成\"\"）"
	case errors.Is(pe.Err, csv.ErrFieldCount):
		why = "列数与其他行不同"
	}
	return r.fail("csv_format", "第%d行%s", pe.Line, why)
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
