package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
)

// TestBrowserSupervisionLead walks a lead from the screening list to a
// confirmed lead: the city's auditor uploads a settlement extract (a zip
// of its CSV files), starts a scan (the test runs its job; the page
// follows it by refreshing itself), filters the leads, opens one, reads
// its evidence and confirms it with a reason.
func TestBrowserSupervisionLead(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	zipPath := filepath.Join(t.TempDir(), "extract-2025.zip")
	f, err := os.Create(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, b := range storetest.Extract() {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	zw.Close()
	f.Close()

	base := e.TS.URL
	b := staffTab(t, base, "auditor-370800")
	b.do(chromedp.Navigate(base+"/supervision"), chromedp.WaitVisible(`#extract-form`),
		chromedp.SetUploadFiles(`#extract-file`, []string{zipPath}))
	b.submit(`#extract-submit`)
	b.do(chromedp.WaitVisible(`#flash`))
	if got := b.text(`#flash`); !strings.Contains(got, "已导入结算数据") {
		t.Fatalf("import: %q", got)
	}
	b.shot("supervision-01-imported")
	b.do(chromedp.SetValue(`#scan-extract`, "1"))
	b.submit(`#scan-submit`)
	b.do(chromedp.WaitVisible(`#scan-progress`))
	scans, err := e.S.Scans(t.Context(), access.ScopeOf("370800"), 5)
	if err != nil || len(scans) != 1 {
		t.Fatalf("scans: %v %v", scans, err)
	}
	if err := e.S.RunScan(t.Context(), scans[0].ID); err != nil {
		t.Fatal(err)
	}
	// The page reloads itself until the scan is done.
	b.do(chromedp.WaitVisible(`#leads`))
	b.shot("supervision-02-leads")
	b.do(chromedp.SetValue(`#f-category`, "fabricated"))
	b.submit(`#search`)
	if got := b.text(`#total`); !strings.Contains(got, "虚构") {
		t.Fatalf("filtered list: %q", got)
	}
	b.submit(`#leads tbody tr:first-child a`)
	b.do(chromedp.WaitVisible(`#lead-evidence`))
	if got := b.text(`#lead-reason`); got == "" {
		t.Fatal("a lead without its reason")
	}
	b.do(chromedp.SetValue(`#reason`, "调取病历与影像，情况属实"))
	b.submit(`#confirm`)
	b.do(chromedp.WaitVisible(`#flash`))
	if got := b.text(`#lead-review`); !strings.Contains(got, "已确认") || !strings.Contains(got, "情况属实") {
		t.Fatalf("after confirming: %q", got)
	}
	b.shot("supervision-03-confirmed")
}
