package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/storetest"
)

// TestBrowserSettlementAndReview: the city's auditor opens a settlement's
// page (every line with its pricing, the suspicious finding), then works
// the review queue: a review without a reason is refused with the message
// beside the finding, one finding is confirmed and one dismissed, each
// with a reason, and the rule's statistics follow (confirmed ÷ reviewed).
// The settlements were driven through store.HIS as the hospital interface
// does (storetest.MustSettlements).
func TestBrowserSettlementAndReview(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	first := storetest.MustSettlements(t, e.S)
	second := storetest.MustSettlements(t, e.S)
	base := e.TS.URL
	b := staffTab(t, base, "auditor-370800")

	b.do(chromedp.Navigate(fmt.Sprintf("%s/settlements/%d", base, first.Settlement)), chromedp.WaitVisible(`#lines`))
	lines := get(b, chromedp.Text(`#lines tbody`))
	findings := get(b, chromedp.Text(`#findings tbody`))
	fund := get(b, chromedp.Text(`#fund-pay`))
	msgs := get(b, chromedp.Text(`#messages`))
	b.shot("settlement-01-page")
	// Two lines and the duplicate of the first, each with its price,
	// amount, ceiling, in-scope share and what the fund pays.
	if rows := strings.Split(strings.TrimSpace(lines), "\n"); len(rows) != 3 || strings.Count(rows[0], "¥") != 5 || !strings.Contains(lines, "DUP1") {
		t.Errorf("lines show %q", lines)
	}
	if !strings.Contains(findings, "GS-D04") || !strings.Contains(findings, "待复核") || !strings.HasPrefix(fund, "¥") || !strings.Contains(msgs, "2304") {
		t.Errorf("findings %q, fund %q, messages %q", findings, fund, msgs)
	}

	stat := func(col string) string {
		t.Helper()
		return strings.TrimSpace(get(b, chromedp.Text(`#stat-GS-D04 .`+col)))
	}
	b.do(chromedp.Navigate(base+"/findings"), chromedp.WaitVisible(fmt.Sprintf(`#accept-%d`, first.Finding)))
	if c, d, r := stat("confirmed"), stat("dismissed"), stat("rate"); c != "0" || d != "0" || r != "—" {
		t.Fatalf("before review: confirmed %s dismissed %s rate %s", c, d, r)
	}
	b.shot("settlement-02-queue")

	// No reason: refused, the message beside the finding.
	b.do(chromedp.Click(fmt.Sprintf(`#accept-%d`, first.Finding)), chromedp.WaitVisible(fmt.Sprintf(`#finding-%d .alert`, first.Finding)))
	msg := get(b, chromedp.Text(fmt.Sprintf(`#finding-%d .alert`, first.Finding)))
	b.shot("settlement-03-no-reason")
	if !strings.Contains(msg, "复核意见不能为空") {
		t.Fatalf("no reason: %q", msg)
	}

	b.do(chromedp.SetValue(fmt.Sprintf(`#reason-%d`, first.Finding), "同一医嘱重复计费，已电话核实"),
		chromedp.Click(fmt.Sprintf(`#accept-%d`, first.Finding)), chromedp.WaitVisible(`#flash`),
		chromedp.WaitVisible(fmt.Sprintf(`#reject-%d`, second.Finding)))
	flash := get(b, chromedp.Text(`#flash`))
	if !strings.Contains(flash, "确认违规") || stat("confirmed") != "1" || stat("rate") != "100.0%" {
		t.Errorf("after the acceptance: flash %q, confirmed %s, rate %s", flash, stat("confirmed"), stat("rate"))
	}
	b.shot("settlement-04-accepted")

	b.do(chromedp.SetValue(fmt.Sprintf(`#reason-%d`, second.Finding), "两次检验医嘱时间不同，非重复"),
		chromedp.Click(fmt.Sprintf(`#reject-%d`, second.Finding)), chromedp.WaitVisible(`#flash`))
	if d, r := stat("dismissed"), stat("rate"); d != "1" || r != "50.0%" {
		t.Errorf("after the rejection: dismissed %s, rate %s", d, r)
	}
	empty := get(b, chromedp.Text(`#findings tbody`))
	b.shot("settlement-05-rejected")
	if !strings.Contains(empty, "没有符合条件的疑点") {
		t.Errorf("queue after both reviews: %q", empty)
	}

	// The settlement's page shows the outcome.
	b.do(chromedp.Navigate(fmt.Sprintf("%s/settlements/%d", base, first.Settlement)), chromedp.WaitVisible(`#findings`))
	if got := get(b, chromedp.Text(`#findings tbody`)); !strings.Contains(got, "确认违规：同一医嘱重复计费") {
		t.Errorf("settlement page after review: %q", got)
	}
}
