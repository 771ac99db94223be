package pdf

import "math"

// labelShare caps the label column's share of the table width.
const labelShare = 0.4

// table writes fields as a two-column table with ruled cells: the label
// column as wide as its widest label (at most labelShare of the width), the
// value column the rest. A row taller than the room left continues on the
// next page.
func (d *layout) table(fields []Field) {
	if len(fields) == 0 {
		return
	}
	measure := d.setSize(tableSize)
	labelW := 0.0
	for _, fl := range fields {
		labelW = math.Max(labelW, measure(fl.Label)+2*cellPad)
	}
	labelW = math.Min(labelW, contentWidth*labelShare)
	d.y += 2
	for _, fl := range fields {
		d.row(wrap(fl.Label, labelW-2*cellPad, measure), wrap(fl.Value, contentWidth-labelW-2*cellPad, measure), labelW)
	}
	d.y += 2
}

// row writes one table row, in pieces if it does not fit on the page.
func (d *layout) row(label, value []string, labelW float64) {
	lh := lineHeight(tableSize, headLead)
	n := max(len(label), len(value))
	for done := 0; done < n; {
		fit := int((d.bottom - d.y - 2*cellPad) / lh)
		whole := done == 0 && fit < n && float64(n)*lh+2*cellPad <= d.bottom-marginTop
		if fit < 1 || whole { // keep a row that fits on a page in one piece
			d.newPage()
			continue
		}
		k := min(fit, n-done)
		h := float64(k)*lh + 2*cellPad
		d.f.Rect(marginLeft, d.y, labelW, h, "D")
		d.f.Rect(marginLeft+labelW, d.y, contentWidth-labelW, h, "D")
		d.cells(label, done, k, marginLeft+cellPad, labelW-2*cellPad, lh)
		d.cells(value, done, k, marginLeft+labelW+cellPad, contentWidth-labelW-2*cellPad, lh)
		d.y += h
		done += k
	}
}

// cells writes lines[from:from+k] (those that exist) in one cell.
func (d *layout) cells(lines []string, from, k int, x, w, lh float64) {
	for i := from; i < from+k && i < len(lines); i++ {
		d.f.SetXY(x, d.y+cellPad+float64(i-from)*lh)
		d.f.CellFormat(w, lh, lines[i], "", 0, "L", false, 0, "")
	}
}
