package pdf

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// Report is a working document of several sections (a field audit's
// pre-visit pack): a head like a letter's, then each section's heading,
// paragraphs, facts table and grid. Like a Letter it always renders to
// the same bytes.
type Report struct {
	Authority string    // centred at the top
	Title     string    // centred under it
	Subtitle  string    // centred under the title
	Date      time.Time // the document's date (metadata and the head)
	Footer    string    // small print on every page, beside the page number
	Sections  []Section
}

// Section is one part of a report.
type Section struct {
	Heading    string
	NewPage    bool // start on a new page
	Paragraphs []string
	Fields     []Field
	Grid       *Grid
}

// Grid is a table of many columns; its header row is repeated on every
// page it runs onto.
type Grid struct {
	Columns []GridColumn
	Rows    [][]string // each as long as Columns; missing cells are empty
}

// GridColumn is one column of a grid; Weight shares the width between the
// columns (0 counts as 1).
type GridColumn struct {
	Header string
	Weight float64
}

// Type sizes of a report in points.
const (
	headingSize = 14.0
	gridSize    = 9.0
)

// RenderReport lays out r as an A4 portrait PDF. A report without a title
// or a date, or with text the font cannot print, is refused with an
// Invalid *errs.Error naming the field.
func RenderReport(r Report) ([]byte, error) {
	ranges, err := fontCoverage()
	if err != nil {
		return nil, err
	}
	if err := r.validate(ranges); err != nil {
		return nil, err
	}
	f := newDocument(Letter{Title: r.Title, Authority: r.Authority, Date: r.Date})
	d := &layout{f: f, footer: r.Footer}
	d.report(r)
	d.footers()
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: render %q: %w", r.Title, err)
	}
	return buf.Bytes(), nil
}

func (r Report) validate(ranges []charRange) error {
	var fs errs.Fields
	if r.Title == "" {
		fs.Add("title", "required", "文书标题不能为空")
	}
	if r.Date.IsZero() {
		fs.Add("date", "required", "文书日期不能为空")
	}
	check := func(name, s string) {
		if !utf8.ValidString(s) {
			fs.Add(name, "encoding", "文书内容（%s）含有无法识别的字符", name)
		} else if c, ok := unprintable(ranges, s); ok {
			fs.Add(name, "glyph", "文书内容（%s）含有字库中没有的字符“%c”（U+%04X），无法打印", name, c, c)
		}
	}
	for _, p := range [][2]string{{"authority", r.Authority}, {"title", r.Title}, {"subtitle", r.Subtitle}, {"footer", r.Footer}} {
		check(p[0], p[1])
	}
	for i, s := range r.Sections {
		at := fmt.Sprintf("sections[%d]", i)
		check(at+".heading", s.Heading)
		for j, p := range s.Paragraphs {
			check(fmt.Sprintf("%s.paragraphs[%d]", at, j), p)
		}
		for j, fl := range s.Fields {
			check(fmt.Sprintf("%s.fields[%d].label", at, j), fl.Label)
			check(fmt.Sprintf("%s.fields[%d].value", at, j), fl.Value)
		}
		if s.Grid == nil {
			continue
		}
		if len(s.Grid.Columns) == 0 {
			fs.Add(at+".grid", "required", "表格没有列")
		}
		for j, c := range s.Grid.Columns {
			check(fmt.Sprintf("%s.grid.columns[%d]", at, j), c.Header)
		}
		for j, row := range s.Grid.Rows {
			if len(row) > len(s.Grid.Columns) {
				fs.Add(fmt.Sprintf("%s.grid.rows[%d]", at, j), "columns", "表格第%d行有%d格，多于%d列", j+1, len(row), len(s.Grid.Columns))
			}
			for k, c := range row {
				check(fmt.Sprintf("%s.grid.rows[%d][%d]", at, j, k), c)
			}
		}
	}
	return fs.Err()
}

// report writes the head and every section in order.
func (d *layout) report(r Report) {
	d.f.SetCellMargin(0)
	d.f.SetLineWidth(ruleWidth)
	d.prepareFooter()
	d.newPage()
	if r.Authority != "" {
		d.block(r.Authority, authoritySize, headLead, marginLeft, contentWidth, "C")
		d.y += 2
	}
	d.title(r.Title)
	if r.Subtitle != "" {
		d.block(r.Subtitle, bodySize, bodyLead, marginLeft, contentWidth, "C")
	}
	d.block(ChineseDate(r.Date), tableSize, bodyLead, marginLeft, contentWidth, "C")
	for _, s := range r.Sections {
		if s.NewPage {
			d.newPage()
		}
		d.y += 3
		if s.Heading != "" {
			d.room(lineHeight(headingSize, headLead) * 3) // a heading never ends a page
			d.block(s.Heading, headingSize, headLead, marginLeft, contentWidth, "L")
			d.y += 1
		}
		for _, p := range s.Paragraphs {
			d.block(p, tableSize, bodyLead, marginLeft, contentWidth, "L")
		}
		d.table(s.Fields)
		if s.Grid != nil {
			d.grid(*s.Grid)
		}
	}
}

// grid writes a grid with its header row, repeating the header on every
// new page; a row taller than a page continues on the next.
func (d *layout) grid(g Grid) {
	measure := d.setSize(gridSize)
	lh := lineHeight(gridSize, headLead)
	total := 0.0
	for _, c := range g.Columns {
		total += weight(c)
	}
	widths := make([]float64, len(g.Columns))
	for i, c := range g.Columns {
		widths[i] = contentWidth * weight(c) / total
	}
	wrapRow := func(cells []string) [][]string {
		out := make([][]string, len(widths))
		for i := range widths {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			out[i] = wrap(s, widths[i]-2*cellPad, measure)
		}
		return out
	}
	head := make([]string, len(g.Columns))
	for i, c := range g.Columns {
		head[i] = c.Header
	}
	header := wrapRow(head)
	headH := float64(tallest(header))*lh + 2*cellPad
	writeHeader := func() {
		d.f.SetFillColor(232, 238, 245)
		d.gridRow(header, 0, tallest(header), widths, lh, "DF")
	}
	d.room(headH + lh + 2*cellPad)
	writeHeader()
	for _, cells := range g.Rows {
		lines := wrapRow(cells)
		n := tallest(lines)
		for done := 0; done < n; {
			fit := int((d.bottom - d.y - 2*cellPad) / lh)
			whole := done == 0 && fit < n && float64(n)*lh+2*cellPad <= d.bottom-marginTop-headH
			if fit < 1 || whole { // keep a row that fits on a page in one piece
				d.newPage()
				writeHeader()
				continue
			}
			k := min(fit, n-done)
			d.gridRow(lines, done, k, widths, lh, "D")
			done += k
		}
	}
	d.y += 2
}

// gridRow writes lines[from:from+k] of each cell as one ruled row.
func (d *layout) gridRow(cells [][]string, from, k int, widths []float64, lh float64, style string) {
	h := float64(k)*lh + 2*cellPad
	x := marginLeft
	for i, w := range widths {
		d.f.Rect(x, d.y, w, h, style)
		d.cells(cells[i], from, k, x+cellPad, w-2*cellPad, lh)
		x += w
	}
	d.y += h
}

func tallest(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

func weight(c GridColumn) float64 {
	if c.Weight <= 0 {
		return 1
	}
	return c.Weight
}
