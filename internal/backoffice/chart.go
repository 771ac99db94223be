package backoffice

import (
	"fmt"
	"html/template"
	"strings"

	"gongshang/internal/param"
)

// bar is one bar of a chart: a label, its value and where it links.
type bar struct {
	Label string
	Value int
	Href  string
}

// barChart draws bars as a horizontal bar chart in SVG titled title (id
// is the title element's id), rendered on the
// server (no script, no CDN): each bar carries its value as text, links to
// its list when Href is set, and the chart is labelled for screen readers
// (role="img" with a title; the page keeps the figures in a table too).
// Colours pass WCAG AA against white.
func barChart(id, title string, bars []bar) template.HTML {
	return drawBars(id, title, bars, chartScale{Text: thousands})
}

// chartScale sets how a chart scales and writes its values: Max is the
// full bar (the largest value when 0), Text writes a value (a share in
// per cent, a tenth of a document).
type chartScale struct {
	Max  int
	Text func(int) string
}

// drawBars is barChart with its scale and value text set by sc.
func drawBars(id, title string, bars []bar, sc chartScale) template.HTML {
	const (
		labelW, barW, valueW = 150, 420, 70
		rowH, barH, top      = 26, 16, 8
	)
	most := max(1, sc.Max)
	for _, b := range bars {
		most = max(most, b.Value)
	}
	h := top*2 + rowH*max(len(bars), 1)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-labelledby="%[1]s" viewBox="0 0 %[2]d %[3]d" width="100%%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="%[1]s">%[4]s</title>`,
		template.HTMLEscapeString(id), labelW+barW+valueW, h, template.HTMLEscapeString(title))
	if len(bars) == 0 {
		fmt.Fprintf(&sb, `<text x="0" y="%d" fill="#555">暂无数据</text>`, top+rowH/2+4)
	}
	for i, b := range bars {
		y := top + i*rowH
		w := b.Value * barW / most
		if b.Value > 0 {
			w = max(w, 2)
		}
		open, close := "", ""
		if b.Href != "" {
			open, close = fmt.Sprintf(`<a href="%s">`, template.HTMLEscapeString(b.Href)), `</a>`
		}
		fmt.Fprintf(&sb, `%s<g><text x="%d" y="%d" text-anchor="end" fill="#222" font-size="13">%s</text>`+
			`<rect x="%d" y="%d" width="%d" height="%d" fill="#1f5f99" rx="2"><title>%s：%s</title></rect>`+
			`<text x="%d" y="%d" fill="#222" font-size="13">%s</text></g>%s`,
			open, labelW-8, y+barH-3, template.HTMLEscapeString(b.Label),
			labelW, y, w, barH, template.HTMLEscapeString(b.Label), template.HTMLEscapeString(sc.Text(b.Value)),
			labelW+w+6, y+barH-3, template.HTMLEscapeString(sc.Text(b.Value)), close)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// thousands writes n with thousands separators: 12,345.
func thousands(n int) string { return param.Thousands(int64(n)) }
