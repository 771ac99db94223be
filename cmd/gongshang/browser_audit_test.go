package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/demo"
)

// count is the number of elements matching a CSS selector.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return get(b, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// A clerk changes an employer's address: the page after saving says so
// once; an auditor then finds the change in the audit log as a before/after
// row with Chinese labels, the clerk and the employer named.
func TestBrowserAuditReadableDiff(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	const addr = "济宁市任城区浏览器审计路1号"

	b.login(url, "rc-clerk")
	if who := get(b, chromedp.Text(`#who`)); who != "任城区 · 窗口受理 · 高静" {
		t.Errorf("header %q, want 任城区 · 窗口受理 · 高静", who)
	}
	b.do(chromedp.Navigate(url+"/employers"), chromedp.WaitVisible(`#employers td a`))
	href := get(b, chromedp.AttributeValue(`#employers td a`, "href")).Value
	name := get(b, chromedp.Text(`#employers td a`))
	b.do(chromedp.Navigate(url+href+"/edit"),
		chromedp.WaitVisible(`#address`),
		chromedp.SetValue(`#address`, addr),
		chromedp.Click(`#submit`),
		chromedp.WaitVisible(`#flash`))
	flash := get(b, chromedp.Text(`#flash`))
	loc := get(b, chromedp.Location())
	b.shot("audit-01-saved")
	if !strings.Contains(flash, "已保存") || strings.Contains(loc, "?") {
		t.Fatalf("after saving: flash %q at %s", flash, loc)
	}
	b.do(chromedp.Reload(), chromedp.WaitVisible(`#employer-name`))
	if n := b.count(`#flash`); n != 0 {
		t.Fatalf("the message shows again after a reload")
	}

	b.do(chromedp.Click(`header form button`), chromedp.WaitVisible(`input[name=username]`))
	b.login(url, "rc-auditor")
	id := strings.TrimPrefix(href, "/employers/")
	b.do(chromedp.Navigate(url+"/audit?type=employer&object="+id+"&action=employer.update"),
		chromedp.WaitVisible(`#audit tr.changed`))
	changed := get(b, chromedp.Text(`#audit table.changes`))
	entry := get(b, chromedp.Text(`#audit > tbody > tr`))
	b.shot("audit-02-diff")
	if !strings.Contains(changed, "地址") || !strings.Contains(changed, addr) || !strings.Contains(changed, "变更前") {
		t.Errorf("changed fields: %q", changed)
	}
	for _, want := range []string{"高静", "窗口受理", "任城区", "修改用人单位", name} {
		if !strings.Contains(entry, want) {
			t.Errorf("the entry lacks %q: %q", want, entry)
		}
	}
	if strings.Contains(entry, `"address"`) || strings.Contains(entry, "370811") {
		t.Errorf("the entry shows raw JSON or a region code: %q", entry)
	}
	// The object links to the employer.
	if link := get(b, chromedp.AttributeValue(`#audit > tbody > tr a[href^="/employers/"]`, "href")).Value; link != href {
		t.Errorf("object link %q, want %q", link, href)
	}
}

// An administrator resets a clerk's forgotten password on the users page
// (the message shows once); the clerk then signs in with the new one.
func TestBrowserAdminResetsPassword(t *testing.T) {
	t.Parallel()
	b := newTab(t)
	url := startDemo(t, t.TempDir())
	const fresh = "Qingdao-Road-2026"

	b.login(url, "rc-admin")
	b.do(chromedp.Navigate(url+"/users"), chromedp.WaitVisible(`#users`))
	row := get(b, chromedp.Evaluate[string](`[...document.querySelectorAll('#users tbody tr')].find(tr => tr.querySelector('td.mono').textContent === 'rc-clerk').id`))
	if row == "" {
		t.Fatal("no row for rc-clerk")
	}
	sel := "#" + row
	b.do(chromedp.Click(sel+` details summary`),
		chromedp.WaitVisible(sel+` input[name=password]`),
		chromedp.SendKeys(sel+` input[name=password]`, fresh),
		chromedp.Click(sel+` form[action$="/password"] button`),
		chromedp.WaitVisible(`#flash`))
	flash := get(b, chromedp.Text(`#flash`))
	b.shot("users-01-reset")
	if !strings.Contains(flash, "rc-clerk") || !strings.Contains(flash, "密码已重置") {
		t.Fatalf("flash %q", flash)
	}
	b.do(chromedp.Navigate(url+"/users"), chromedp.WaitVisible(`#users`))
	if n := b.count(`#flash`); n != 0 {
		t.Fatalf("the message shows twice")
	}

	b.do(chromedp.Click(`header form button`), chromedp.WaitVisible(`input[name=username]`))
	// The old password no longer opens the account.
	b.do(chromedp.SetValue(`input[name=username]`, "rc-clerk"),
		chromedp.SetValue(`input[name=password]`, demo.DemoPassword),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#login-error`))
	b.do(chromedp.SetValue(`input[name=username]`, "rc-clerk"),
		chromedp.SetValue(`input[name=password]`, fresh),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#who`))
	b.shot("users-02-signed-in")
	if who := get(b, chromedp.Text(`#who`)); who != "任城区 · 窗口受理 · 高静" {
		t.Errorf("signed in as %q", who)
	}
}
