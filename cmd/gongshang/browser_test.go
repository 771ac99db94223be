package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongshang/internal/demo"
	"gongshang/internal/registry"
)

// chromium finds Debian's Chromium; without it the browser tests skip,
// except under CI, where a missing browser is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("GONGSHANG_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but Chromium is not installed: browser tests must run in CI")
	}
	t.Skip("Chromium not installed; skipping browser test")
	return ""
}

// tab drives one headless Chromium tab with a fresh profile, saving
// screenshots into GONGSHANG_SCREENSHOTS when it is set. (Without it they
// went to the test's temp folder, deleted at the end: encoding full-page
// PNGs for nobody took a third of the browser tests' time.)
type tab struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// browser is the one headless Chromium the browser tests share: each test
// gets a tab in a browser context of its own (its own cookies and storage),
// so they run in parallel without paying Chromium's start-up twice.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	dir    string
	err    error
}

func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	browser.once.Do(func() {
		if browser.dir, browser.err = os.MkdirTemp("", "gongshang-chromium-"); browser.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.UserDataDir(browser.dir),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-quic", true),
			chromedp.WindowSize(1366, 900),
			chromedp.Flag("lang", "zh-CN"), // dates and number inputs as a Chinese office sees them
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		browser.ctx, browser.cancel = bctx, func() { cancelBrowser(); cancelAlloc(); os.RemoveAll(browser.dir) }
		browser.err = chromedp.Do(bctx) // starts Chromium
	})
	if browser.err != nil {
		t.Fatalf("starting Chromium: %v", browser.err)
	}
	return browser.ctx
}

// TestMain stops the shared Chromium after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

func newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(sharedBrowser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel2)
	return &tab{t: t, ctx: ctx, shots: os.Getenv("GONGSHANG_SCREENSHOTS")}
}

// do runs steps and fails the test on the first error.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// get runs one action that returns a value.
func get[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// shot saves a full-page screenshot, when screenshots are asked for.
func (b *tab) shot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	buf := get(b, chromedp.FullScreenshot(100))
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", path)
}

func (b *tab) login(url, username string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		// The login form's own behaviour is tested over HTTP; typing key by
		// key here only cost seconds.
		chromedp.SetValue(`input[name=username]`, username),
		chromedp.SetValue(`input[name=password]`, demo.DemoPassword),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#who`))
}

func validCode(region, body string) string {
	s := "91" + region + body
	return s + string(registry.CreditCodeCheckChar(s))
}

func TestBrowserClerkRegistersEmployerAndWorker(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	code := validCode("370811", "MA3BRWQ1X")
	goodID := "37081119900307" + "123"
	goodID += string(registry.IDCheckChar(goodID))
	badID := goodID[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", goodID[17])+1)%11])

	b.login(url, "rc-clerk")
	b.shot("01-home")

	// Register an employer.
	b.do(chromedp.Navigate(url+"/employers/new"),
		chromedp.WaitVisible(`#credit_code`),
		chromedp.SendKeys(`#credit_code`, code),
		chromedp.SendKeys(`#name`, "济宁市任城区浏览器测试机械有限公司"),
		chromedp.SetValue(`#industry`, "34"),
		chromedp.SetValue(`#risk_class`, "4"),
		chromedp.SetValue(`#rate_tier_pct`, "100"),
		chromedp.SendKeys(`#contact_phone`, "13953711111"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#employer-name`))
	employerURL := get(b, chromedp.Location())
	b.shot("02-employer")

	// A worker with a wrong check digit: the form shows the error and keeps the input.
	b.do(chromedp.Navigate(url+"/workers/new"),
		chromedp.WaitVisible(`#id_number`),
		chromedp.SendKeys(`#id_number`, badID),
		chromedp.SendKeys(`#name`, "浏览器测试"),
		chromedp.SendKeys(`#employer_code`, code),
		chromedp.SetValue(`#start`, "2024-03-01"),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#id_number-error`))
	errText := get(b, chromedp.Text(`#id_number-error`))
	keptName, keptID := get(b, chromedp.Value(`#name`)), get(b, chromedp.Value(`#id_number`))
	b.shot("03-worker-bad-id")
	if !strings.Contains(errText, "校验位") || keptName != "浏览器测试" || keptID != badID {
		t.Fatalf("bad ID: error %q, kept name %q, kept ID %q", errText, keptName, keptID)
	}

	// Corrected, the worker is registered and found by ID number, masked.
	b.do(chromedp.SetValue(`#id_number`, goodID),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#flash`))
	b.shot("04-worker")
	b.do(chromedp.Navigate(url+"/workers?q="+goodID), chromedp.WaitVisible(`#workers td.id`))
	listedID := get(b, chromedp.Text(`#workers td.id`))
	b.shot("05-worker-found")
	if listedID != goodID[:6]+"********"+goodID[14:] {
		t.Fatalf("found worker's ID shows %q, want it masked", listedID)
	}

	// A user of another county is refused 任城区's employer.
	b.do(chromedp.Click(`header form button`), chromedp.WaitVisible(`input[name=username]`))
	b.login(url, "qf-clerk")
	who := get(b, chromedp.Text(`#who`))
	b.do(chromedp.Navigate(employerURL), chromedp.WaitVisible(`#error-message`))
	refusal := get(b, chromedp.Text(`#error-message`))
	b.shot("06-other-county-refused")
	if !strings.Contains(who, "曲阜市 · 窗口受理") || !strings.Contains(refusal, "无权") {
		t.Fatalf("曲阜 clerk on 任城区's employer: who %q, page says %q", who, refusal)
	}
}

func TestBrowserBenefitsOfficerCalculates(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	b.login(url, "jn-benefits")
	b.do(chromedp.Navigate(url+"/calc?kind=disability"),
		chromedp.WaitVisible(`#injury_date`),
		chromedp.SetValue(`#injury_date`, "2025-03-10"),
		chromedp.SendKeys(`#wage_avg_12m`, "6000.00"),
		chromedp.SetValue(`#level`, "7"),
		chromedp.Click(`#calc-submit`),
		chromedp.WaitVisible(`#calc-items`))
	items := get(b, chromedp.Text(`#calc-items`))
	b.shot("07-calc")
	// Level 7: 13 months × 6,000.00 = 78,000.00 (regulation.md E1).
	if !strings.Contains(items, "¥78,000.00") || !strings.Contains(items, "一次性伤残补助金") {
		t.Fatalf("calc items: %q", items)
	}
	b.do(chromedp.Navigate(url+"/deadlines"),
		chromedp.WaitVisible(`#start`),
		chromedp.SetValue(`#step`, "recognition_decision"),
		chromedp.SetValue(`#start`, "2025-06-09"),
		chromedp.Click(`#deadline-submit`),
		chromedp.WaitVisible(`#deadline-due`))
	due := get(b, chromedp.Text(`#deadline-due`))
	b.shot("08-deadline")
	if !regexp.MustCompile(`^2025-\d\d-\d\d$`).MatchString(due) {
		t.Fatalf("deadline due %q", due)
	}
}
