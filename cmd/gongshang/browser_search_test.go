package main

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// A clerk types part of a name into the search box: 机械 finds every
// employer with 机械 anywhere in its name (not only at its start), and a
// two-character given name finds the workers whose names end with it.
func TestBrowserContainsSearch(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	base := startDemo(t, t.TempDir())
	b.login(base, "jn-clerk")

	b.do(chromedp.Navigate(base+"/employers"), chromedp.WaitVisible(`#q`),
		chromedp.SendKeys(`#q`, "机械"), chromedp.Click(`#search`),
		chromedp.WaitVisible(`#q[value="机械"]`)) // the answer page: the attribute comes from the server
	names := get(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#employers tbody td:nth-child(2) a')].map(a => a.textContent)`))
	b.shot("search-01-employers")
	if len(names) == 0 {
		t.Fatal("机械 finds no employer")
	}
	inside := 0
	for _, n := range names {
		if !strings.Contains(n, "机械") {
			t.Errorf("机械 found %q", n)
		}
		if !strings.HasPrefix(n, "机械") {
			inside++
		}
	}
	if inside == 0 {
		t.Errorf("机械 found only names that start with it: %v", names)
	}
	if q := get(b, chromedp.Evaluate[string](`new URL(location.href).searchParams.get('q')`)); q != "机械" {
		t.Errorf("the URL keeps q=%q, want 机械 (a shareable list)", q)
	}

	// A given name of two characters, taken from the list itself.
	b.do(chromedp.Navigate(base+"/workers"), chromedp.WaitVisible(`#workers tbody a`))
	var given string
	for _, n := range get(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#workers tbody td:first-child a')].map(a => a.textContent)`)) {
		if utf8.RuneCountInString(n) == 3 {
			given = string([]rune(n)[1:])
			break
		}
	}
	if given == "" {
		t.Fatal("no three-character name on the first page")
	}
	b.do(chromedp.SetValue(`#q`, given), chromedp.Click(`#search`), chromedp.WaitVisible(`#q[value="`+given+`"]`))
	b.shot("search-02-workers")
	found := get(b, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#workers tbody td:first-child a')].map(a => a.textContent)`))
	if len(found) == 0 {
		t.Fatalf("the given name %s finds nobody", given)
	}
	for _, n := range found {
		if !strings.Contains(n, given) || strings.HasPrefix(n, given) {
			t.Errorf("the given name %s found %q", given, n)
		}
	}
}
