package pdf

import (
	"fmt"
	"math"
)

// pageNumber is the page number printed at the right of every footer.
func pageNumber(n, total int) string { return fmt.Sprintf("第 %d 页 共 %d 页", n, total) }

// footerGap separates the footer text from the page number, mm.
const footerGap = 6.0

// prepareFooter wraps the footer text beside the widest page number
// expected and lifts the bottom of the text area above the footer.
func (d *layout) prepareFooter() {
	measure := d.setSize(footerSize)
	w := contentWidth - measure(pageNumber(999, 999)) - footerGap
	d.foot = nil
	if d.footer != "" {
		d.foot = wrap(d.footer, w, measure)
	}
	lh := lineHeight(footerSize, headLead)
	n := math.Max(1, float64(len(d.foot)))
	d.bottom = math.Min(pageHeight-marginBottom, footerBase-n*lh-4)
}

// footers writes the footer and "第 n 页 共 m 页" on every page once the
// pages are known. fpdf keeps one font state for the document, so the font
// is selected again on each page.
func (d *layout) footers() {
	total := d.f.PageCount()
	lh := lineHeight(footerSize, headLead)
	top := footerBase - math.Max(1, float64(len(d.foot)))*lh
	last := top + math.Max(0, float64(len(d.foot)-1))*lh
	for n := 1; n <= total; n++ {
		d.f.SetPage(n)
		d.setSize(footerSize)
		for i, l := range d.foot {
			d.f.SetXY(marginLeft, top+float64(i)*lh)
			d.f.CellFormat(contentWidth, lh, l, "", 0, "L", false, 0, "")
		}
		d.f.SetXY(marginLeft, last)
		d.f.CellFormat(contentWidth, lh, pageNumber(n, total), "", 0, "R", false, 0, "")
	}
}
