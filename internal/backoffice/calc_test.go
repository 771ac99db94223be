package backoffice

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/storetest"
)

// A calculation started from a worker takes 本人工资 from the 12 months of
// recorded wages before the injury month, and the region from the worker;
// another county's officer is refused the worker; a bad date is marked on
// its field.
func TestCalcFromWorker(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	ctx := context.Background()
	// the clock is 2026-03-02: wages 2025-02 … 2026-02; 2025-02 is before the window
	var ws []registry.Wage
	for m := 0; m < 13; m++ {
		ws = append(ws, registry.Wage{EmployerID: e.Home.ID, Period: fmt.Sprintf("%04d-%02d", 2025+(1+m)/12, (1+m)%12+1), AmountFen: 600000})
	}
	ws[0].AmountFen = 1 // 2025-02: outside the window
	if err := e.S.RecordWages(ctx, access.System, e.Worker.ID, ws); err != nil {
		t.Fatal(err)
	}
	c := e.Login("benefits-370800")
	path := fmt.Sprintf("/calc?worker=%d&injury_date=2026-03-01", e.Worker.ID)
	code, page := c.Raw("GET", path, "", "")
	text := visibleText(page)
	if code != http.StatusOK || !strings.Contains(page, `value="6000.00"`) || !strings.Contains(page, `<option value="370811" selected>`) ||
		!strings.Contains(text, "2025年3月至2026年2月") || !strings.Contains(text, "第六十四条") || !strings.Contains(text, "¥6,000.00") {
		t.Fatalf("GET %s: %d\n%s", path, code, text)
	}
	form := url.Values{"csrf": {c.CSRF}, "kind": {"disability"}, "worker": {fmt.Sprint(e.Worker.ID)}, "injury_date": {"2026-03-01"},
		"region": {"370811"}, "level": {"7"}, "care": {"none"}}
	code, page = c.Raw("POST", "/calc", "application/x-www-form-urlencoded", form.Encode())
	if code != http.StatusOK || !strings.Contains(page, "¥78,000.00") || !strings.Contains(page, `value="6000.00"`) {
		t.Fatalf("POST from worker: %d\n%s", code, visibleText(page))
	}
	for _, bad := range []string{"regulation.md", "wage_avg_12m", "S1 ", "PROJ"} {
		if strings.Contains(visibleText(page), bad) {
			t.Errorf("the result shows %q", bad)
		}
	}
	// a new injury date takes the records again; the officer's own figure is kept
	form.Set("wage_avg_12m", "6000.00")
	form.Set("wage_auto", "6000.00||")
	form.Set("injury_date", "2026-02-15") // 2025-02 … 2026-01: 11 × 6,000.00 + 0.01
	if code, page = c.Raw("POST", "/calc", "application/x-www-form-urlencoded", form.Encode()); code != http.StatusOK || !strings.Contains(page, `value="5500.00"`) {
		t.Errorf("new injury date: %d, want 本人工资 taken again (5500.00)\n%s", code, visibleText(page))
	}
	form.Set("wage_avg_12m", "7000.00")
	if code, page = c.Raw("POST", "/calc", "application/x-www-form-urlencoded", form.Encode()); code != http.StatusOK ||
		!strings.Contains(page, `value="7000.00"`) || !strings.Contains(page, "已手工修改") {
		t.Errorf("the officer's figure: %d, want it kept\n%s", code, visibleText(page))
	}
	form.Del("wage_avg_12m")
	form.Del("wage_auto")
	form.Set("injury_date", "2026-02-30")
	code, page = c.Raw("POST", "/calc", "application/x-www-form-urlencoded", form.Encode())
	if code != http.StatusBadRequest || !strings.Contains(page, `<div class="field invalid"><input type="date" id="injury_date"`) {
		t.Errorf("bad date: %d, want 400 with the field marked\n%s", code, visibleText(page))
	}
	q := e.Login("benefits-370881")
	if code, _ := q.Raw("GET", path, "", ""); code != http.StatusForbidden {
		t.Errorf("曲阜 officer on 任城区's worker: %d, want 403", code)
	}
	form.Set("csrf", q.CSRF)
	form.Set("injury_date", "2026-03-01")
	if code, _ := q.Raw("POST", "/calc", "application/x-www-form-urlencoded", form.Encode()); code != http.StatusForbidden {
		t.Errorf("曲阜 officer posting 任城区's worker: %d, want 403", code)
	}
}

// The deadline form names regions and marks a bad date on its field.
func TestDeadlineFormMarksField(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("benefits-370800")
	_, page := c.Raw("GET", "/deadlines", "", "")
	if !strings.Contains(page, `<option value="370800" selected>济宁市</option>`) {
		t.Errorf("the region select does not name the user's region")
	}
	form := url.Values{"csrf": {c.CSRF}, "step": {"recognition_decision"}, "start": {"2025-13-01"}, "region": {"370881"}}
	code, page := c.Raw("POST", "/deadlines", "application/x-www-form-urlencoded", form.Encode())
	if code != http.StatusBadRequest || !strings.Contains(page, `<div class="field invalid"><input type="date" id="start"`) {
		t.Errorf("bad start: %d\n%s", code, visibleText(page))
	}
}
