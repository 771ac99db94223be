package pdf

import (
	"fmt"
	"math"

	"github.com/go-pdf/fpdf"
)

// Page geometry in millimetres (A4 portrait, binding edge on the left) and
// type sizes in points. Body text at 14 pt gives about 33 characters a line.
const (
	pageHeight   = 297.0
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 25.0
	marginBottom = 20.0
	contentWidth = 210.0 - marginLeft - marginRight
	footerBase   = pageHeight - 12 // baseline area of the last footer line

	authoritySize = 16.0
	titleSize     = 22.0
	bodySize      = 14.0
	tableSize     = 12.0
	footerSize    = 9.0

	mmPerPt    = 25.4 / 72
	bodyLead   = 1.6 // line height ÷ type size for running text
	headLead   = 1.4 // for headings and small print
	cellPad    = 1.5 // padding inside table cells, mm
	signIndent = 2   // characters between the signature block and the right margin

	ruleWidth   = 0.2  // table rules, mm
	titleStroke = 0.25 // outline that makes the title look bold, mm
)

// lineHeight is the distance between lines of type size pt at leading lead.
func lineHeight(pt, lead float64) float64 { return pt * mmPerPt * lead }

// layout writes a letter onto pages, breaking pages itself: y is the top of
// the next line on the current page, bottom the lowest a line may reach.
type layout struct {
	f      *fpdf.Fpdf
	y      float64
	bottom float64
	footer string   // the letter's footer text
	foot   []string // footer wrapped beside the page number
}

// setSize selects the font at pt and returns a measure for wrap.
func (d *layout) setSize(pt float64) func(string) float64 {
	d.f.SetFont(fontFamily, "", pt)
	return d.f.GetStringWidth
}

// newPage starts a page and puts y at its top margin.
func (d *layout) newPage() {
	d.f.AddPage()
	d.y = marginTop
}

// room starts a new page unless h more millimetres fit on this one.
func (d *layout) room(h float64) {
	if d.y+h > d.bottom {
		d.newPage()
	}
}

// line writes one line of text at the current size in a box from x of width
// w, aligned "L", "C" or "R", and moves y down by lh.
func (d *layout) line(x, w, lh float64, s, align string) {
	d.room(lh)
	d.f.SetXY(x, d.y)
	d.f.CellFormat(w, lh, s, "", 0, align, false, 0, "")
	d.y += lh
}

// block wraps s at size pt into the box from x of width w and writes it.
func (d *layout) block(s string, pt, lead, x, w float64, align string) {
	measure := d.setSize(pt)
	lh := lineHeight(pt, lead)
	for _, l := range wrap(s, w, measure) {
		d.line(x, w, lh, l, align)
	}
}

// letter writes every part of l in order.
func (d *layout) letter(l Letter) {
	d.f.SetCellMargin(0)
	d.f.SetLineWidth(ruleWidth)
	d.prepareFooter()
	d.newPage()
	if l.Authority != "" {
		d.block(l.Authority, authoritySize, headLead, marginLeft, contentWidth, "C")
		d.y += 2
	}
	d.title(l.Title)
	if l.Number != "" {
		d.block(l.Number, bodySize, bodyLead, marginLeft, contentWidth, "C")
	}
	d.y += lineHeight(bodySize, bodyLead) / 2
	if l.To != "" {
		d.block(l.To, bodySize, bodyLead, marginLeft, contentWidth, "L")
	}
	for _, p := range l.Paragraphs {
		d.paragraph(p)
	}
	d.table(l.Fields)
	d.items(l.Items)
	if l.Notice != "" {
		d.paragraph(l.Notice)
	}
	d.signature(l.Signer, ChineseDate(l.Date))
}

// title writes the title in a heavier stroke: the font has one weight, so
// the glyphs are filled and outlined.
func (d *layout) title(s string) {
	d.f.SetLineWidth(titleStroke)
	d.f.SetTextRenderingMode(2)
	d.block(s, titleSize, headLead, marginLeft, contentWidth, "C")
	d.f.SetTextRenderingMode(0)
	d.f.SetLineWidth(ruleWidth)
}

// paragraph writes running text with its first line indented two
// characters (two ideographic spaces, so the indent is exactly two
// characters wide).
func (d *layout) paragraph(p string) {
	d.block("\u3000\u3000"+p, bodySize, bodyLead, marginLeft, contentWidth, "L")
}

// items writes a numbered list, indented like a paragraph, with the text of
// every item aligned after its number.
func (d *layout) items(items []string) {
	if len(items) == 0 {
		return
	}
	measure := d.setSize(bodySize)
	lh := lineHeight(bodySize, bodyLead)
	x := marginLeft + measure("\u3000\u3000")
	numW := measure(fmt.Sprintf("%d.", len(items))) + measure(" ")
	textW := marginLeft + contentWidth - x - numW
	for i, it := range items {
		for j, l := range wrap(it, textW, measure) {
			d.room(lh)
			if j == 0 {
				d.f.SetXY(x, d.y)
				d.f.CellFormat(numW, lh, fmt.Sprintf("%d.", i+1), "", 0, "L", false, 0, "")
			}
			d.line(x+numW, textW, lh, l, "L")
		}
	}
}

// signature writes the signer and the date as one block, each line centred
// in the block, the block signIndent characters from the right margin; the
// block is never split across pages.
func (d *layout) signature(signer, date string) {
	measure := d.setSize(bodySize)
	lh := lineHeight(bodySize, bodyLead)
	indent := measure("\u3000") * signIndent
	var lines []string
	if signer != "" {
		lines = wrap(signer, contentWidth-indent, measure)
	}
	lines = append(lines, date)
	w := 0.0
	for _, l := range lines {
		w = math.Max(w, measure(l))
	}
	right := marginLeft + contentWidth - indent
	if w > contentWidth-indent {
		right = marginLeft + contentWidth
	}
	d.y += 2 * lh
	d.room(float64(len(lines)) * lh)
	for _, l := range lines {
		d.line(right-w, w, lh, l, "C")
	}
}
