package api

import (
	"context"
	"sync"
	"testing"

	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// A cycle through the API: opened by a benefits officer, submitted, then
// approved by the cycle approver while a second benefits officer sends it
// back — one wins, the other gets 409; the preparer may not approve; a
// county's officer does not see the city's cycles of another county.
func TestPayrollCycleAPI(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		w := storetest.MustPayee(t, e.S, e.Home, "接口甲", "19700101")
		storetest.MustEntitlement(t, e.S, w, payroll.TypeDisability, 1, 350000, "2025-06")
		maker, approver := e.Login("benefits-370800"), e.Login("cycle_approver-370800")
		var c store.PayrollCycle
		if code := maker.JSON("POST", "/api/v1/payroll/cycles", map[string]any{"region_code": "370811", "month": "2026-03"}, &c); code != 201 {
			t.Fatalf("open: %d", code)
		}
		var bad apiError
		if code := maker.JSON("POST", "/api/v1/payroll/cycles", map[string]any{"region_code": "370811", "month": "2026-3"}, &bad); code != 400 ||
			len(bad.Error.Fields) != 1 || bad.Error.Fields[0].Field != "month" {
			t.Fatalf("bad month: %d %+v", code, bad)
		}
		set, _ := param.Default()
		if err := e.S.RunCycle(context.Background(), set, c.ID); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/payroll/cycles/" + itoa64(c.ID)
		var body cycleBody
		if code := maker.JSON("GET", path, nil, &body); code != 200 || body.State != payroll.Review || body.PayableFen != 350000 {
			t.Fatalf("cycle: %d %+v", code, body)
		}
		if code := maker.JSON("POST", path+"/actions", map[string]any{"action": "submit", "version": body.Version}, &c); code != 200 {
			t.Fatalf("submit: %d", code)
		}
		if code := maker.JSON("POST", path+"/decision", map[string]any{"action": "approve", "version": c.Version}, nil); code != 403 {
			t.Fatalf("preparer approving: %d", code)
		}
		other := e.Login("benefits-370881")
		if code := other.JSON("GET", path, nil, nil); code != 404 && code != 403 {
			t.Fatalf("曲阜 officer reading a 任城 cycle: %d", code)
		}
		second := e.Login("admin-370800") // holds no payroll permission
		if code := second.JSON("POST", path+"/decision", map[string]any{"action": "send_back", "version": c.Version, "reason": "x"}, nil); code != 403 {
			t.Fatalf("admin sending back: %d", code)
		}
		codes := make([]int, 2)
		var wg sync.WaitGroup
		if code := approver.JSON("POST", path+"/actions", map[string]any{"action": "close", "version": c.Version}, nil); code != 403 {
			t.Fatalf("the cycle approver closing: %d", code)
		}
		wg.Go(func() {
			codes[0] = approver.JSON("POST", path+"/decision", map[string]any{"action": "approve", "version": c.Version}, nil)
		})
		wg.Go(func() {
			codes[1] = approver.JSON("POST", path+"/decision", map[string]any{"action": "send_back", "version": c.Version, "reason": "请核对"}, nil)
		})
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("approve and send back at once: %v", codes)
		}
		var lines linesBody
		if code := maker.JSON("GET", path+"/lines?state=&limit=10", nil, &lines); code != 200 || lines.Total != 1 || len(lines.Items) != 1 {
			t.Fatalf("lines: %d %+v", code, lines)
		}
	})
}
