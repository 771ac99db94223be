package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
)

// The case: 任城区's administrator adding versions for 曲阜市, the
// city and the province is refused with 403 and a Chinese message, and
// nothing reaches the set calculations use.
func TestCountyAdminCannotAddOtherRegionsParams(t *testing.T) {
	for name, open := range openers {
		t.Run(name, func(t *testing.T) { testCountyAdminParams(t, open) })
	}
}

var openers = map[string]storetest.Opener{"SQLite": storetest.OpenSQLite, "Postgres": storetest.OpenPostgres}

func testCountyAdminParams(t *testing.T, open storetest.Opener) {
	e := newEnv(t, open)
	if _, err := e.s.CreateUser(context.Background(), access.System, access.NewUser{Username: "rc-admin", DisplayName: "任城管理员",
		Role: access.RoleAdmin, RegionCode: "370811", Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	rc := e.login("rc-admin")
	add := func(region string) map[string]string {
		return map[string]string{"table": "min_wage", "region": region, "effective_from": "2026-01-01", "value": "5999.40", "source": "PROJ", "confidence": "U", "note": "测试"}
	}
	before := len(e.srv.paramSet(t.Context()).Versions())
	for _, region := range []string{"370881", "370800", "370000", "000000"} {
		code, body := rc.raw("POST", "/api/v1/params", "application/json", mustJSON(add(region)))
		if code != http.StatusForbidden || !hasHan(body) || !strings.Contains(body, region) {
			t.Errorf("rc-admin adding %s: %d %s, want 403 with a Chinese message naming the region", region, code, body)
		}
	}
	// The back-office form goes through the same check.
	code, body := rc.raw("POST", "/params", "application/x-www-form-urlencoded",
		"table=min_wage&region=370881&effective_from=2026-01-01&value=5999.40&source=PROJ&confidence=U&note=x")
	if code != http.StatusForbidden || !strings.Contains(body, "无权维护地区 370881 的参数") || !strings.Contains(body, `value="5999.40"`) {
		t.Errorf("rc-admin form for 370881: %d, want 403 with the message and the input kept", code)
	}
	if got := len(e.srv.paramSet(t.Context()).Versions()); got != before {
		t.Fatalf("refused additions reached the set: %d versions, want %d", got, before)
	}
	if code := rc.json("POST", "/api/v1/params", add("370811"), nil); code != http.StatusCreated {
		t.Fatalf("rc-admin adding its own county: %d, want 201", code)
	}
}

// Sixty concurrent additions over the API all reach the set that the
// calculations and GET /api/v1/params use (before, 22 of 60 did).
func TestConcurrentParamAdditionsOverAPI(t *testing.T) {
	for name, open := range openers {
		t.Run(name, func(t *testing.T) { testConcurrentParamAdditions(t, open) })
	}
}

func testConcurrentParamAdditions(t *testing.T, open storetest.Opener) {
	e := newEnv(t, open)
	admin := e.login("admin-370800")
	var list listBody[paramJSON]
	if code := admin.json("GET", "/api/v1/params", nil, &list); code != 200 {
		t.Fatalf("list: %d", code)
	}
	before := list.Total
	const n = 60
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for i := range n {
		wg.Go(func() {
			v := map[string]string{"table": "holiday_calendar", "key": fmt.Sprintf("2031-%02d-%02d", i/28+1, i%28+1), "region": "370800",
				"effective_from": "2026-01-01", "value": "holiday", "source": "PROJ", "confidence": "U", "note": "并发测试"}
			code, _ := admin.raw("POST", "/api/v1/params", "application/json", mustJSON(v))
			codes <- code
		})
	}
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusCreated {
			t.Fatalf("concurrent addition: %d", code)
		}
	}
	if code := admin.json("GET", "/api/v1/params", nil, &list); code != 200 || list.Total-before != n {
		t.Fatalf("after %d concurrent additions the set has %d more versions", n, list.Total-before)
	}
}
