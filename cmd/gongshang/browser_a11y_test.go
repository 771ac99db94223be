package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// pdfPageRe finds a PDF's page objects (not the /Pages tree).
var pdfPageRe = regexp.MustCompile(`/Type\s*/Page[^s]`)

// unlabelledJS lists the form fields of the page that have no label a
// screen reader would read: no <label>, no aria-label(ledby), no title.
const unlabelledJS = `[...document.querySelectorAll('input, select, textarea')]
	.filter(e => !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type))
	.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby') && !e.title)
	.map(e => (e.name || e.id || e.outerHTML.slice(0, 60)))`

// Every page a clerk or an administrator opens: each field is labelled,
// nothing runs off the side at 1280 px or on a tablet (768 px), the
// keyboard reaches the content first through 跳到正文, and a worker page
// prints on A4 without the navigation.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	base := startDemo(t, t.TempDir(), "--cases")
	b.login(base, "jn-admin")
	b.do(chromedp.Navigate(base+"/cases?view=all"), chromedp.WaitVisible(`main table tbody a`))
	caseURL := get(b, chromedp.Evaluate[string](`document.querySelector('main table tbody a').getAttribute('href')`))
	b.do(chromedp.Navigate(base+"/employers"), chromedp.WaitVisible(`#employers tbody a`))
	employer := get(b, chromedp.Evaluate[string](`document.querySelector('#employers tbody a').getAttribute('href')`))
	b.do(chromedp.Navigate(base+"/workers"), chromedp.WaitVisible(`#workers tbody a`))
	worker := get(b, chromedp.Evaluate[string](`document.querySelector('#workers tbody a').getAttribute('href')`))
	pages := []string{"/", "/employers", "/employers/new", employer, employer + "/edit", "/workers", "/workers/new",
		worker, worker + "/edit", "/import", "/calc", "/calc?worker=" + strings.TrimPrefix(worker, "/workers/"),
		"/deadlines", "/params", "/audit", "/users", "/account/password", "/cases?view=all", caseURL, "/cases/dashboard",
		"/institutions", "/institutions/new", "/catalogue", "/catalogue/import", "/filings"}

	for _, width := range []int64{1280, 768} {
		b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: width, Height: 900, DeviceScaleFactor: 1})
			return err
		}))
		for _, p := range pages {
			b.do(chromedp.Navigate(base+p), chromedp.WaitReady(`main`))
			if status := get(b, chromedp.Evaluate[string](`document.querySelector('#error-message') ? document.title : ''`)); status != "" {
				t.Errorf("%s: error page %q", p, status)
				continue
			}
			if bad := get(b, chromedp.Evaluate[[]string](unlabelledJS)); len(bad) > 0 && width == 1280 {
				t.Errorf("%s: fields without a label: %v", p, bad)
			}
			if over := get(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); over > 0 {
				t.Errorf("%s at %d px: the page is %d px wider than the window", p, width, over)
			}
		}
	}

	// The first Tab reaches 跳到正文, and following it puts the focus in
	// the content.
	b.do(chromedp.Navigate(base+worker), chromedp.WaitReady(`main`))
	b.do(chromedp.KeyEvent("\t"))
	if got := get(b, chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "跳到正文" {
		t.Errorf("the first Tab focuses %q, want 跳到正文", got)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.activeElement.click()`))
	if got := get(b, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
		t.Errorf("after 跳到正文 the focus is on %q, want main", got)
	}

	// Printing the worker page: A4, one page, no navigation.
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if shown := get(b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('header.top')).display`)); shown != "none" {
		t.Errorf("printed page shows the navigation (display %q)", shown)
	}
	var pdf []byte
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		yes := true
		r, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes})
		pdf = r.Data
		return err
	}))
	if n := len(pdfPageRe.FindAll(pdf, -1)); n != 1 {
		t.Errorf("the worker page prints on %d A4 pages, want 1", n)
	}
	// A printed list keeps its table and drops filters, paging and buttons.
	b.do(chromedp.Navigate(base+"/employers?size=20"), chromedp.WaitReady(`#employers`))
	hidden := get(b, chromedp.Evaluate[[]string](`['header.top', '#filters', 'nav.listpager', '#export']
		.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== 'none')`))
	if len(hidden) > 0 || get(b, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#employers')).display`)) == "none" {
		t.Errorf("printed list still shows %v (or hides its table)", hidden)
	}
}
