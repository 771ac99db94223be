package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

func paramTotal(t *testing.T, c *webtest.Client) int {
	var list web.ListBody[paramJSON]
	if code := c.JSON("GET", "/api/v1/params", nil, &list); code != 200 {
		t.Fatalf("list: %d", code)
	}
	return list.Total
}

// The case: 任城区's administrator adding versions for 曲阜市, the
// city, the province and the nation is refused with 403 and a Chinese
// message, and nothing reaches the set calculations use.
func TestCountyAdminCannotAddOtherRegionsParams(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		if _, err := e.S.CreateUser(context.Background(), access.System, access.NewUser{Username: "rc-admin", DisplayName: "任城管理员",
			Role: access.RoleAdmin, RegionCode: "370811", Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
		rc := e.Login("rc-admin")
		add := func(region string) map[string]string {
			return map[string]string{"table": "min_wage", "region": region, "effective_from": "2026-01-01", "value": "5999.40", "source": "PROJ", "confidence": "U", "note": "测试"}
		}
		before := paramTotal(t, rc)
		for region, name := range map[string]string{"370881": "曲阜市", "370800": "济宁市", "370000": "山东省", "000000": "全国"} {
			code, body := rc.Raw("POST", "/api/v1/params", "application/json", mustJSON(add(region)))
			if code != http.StatusForbidden || !strings.Contains(body, name) {
				t.Errorf("rc-admin adding %s: %d %s, want 403 with a Chinese message naming the region", region, code, body)
			}
		}
		if got := paramTotal(t, rc); got != before {
			t.Fatalf("refused additions reached the set: %d versions, want %d", got, before)
		}
		if code := rc.JSON("POST", "/api/v1/params", add("370811"), nil); code != http.StatusCreated {
			t.Fatalf("rc-admin adding its own county: %d, want 201", code)
		}
	})
}

// Sixty concurrent additions over the API all reach the set that the
// calculations and GET /api/v1/params use (before, 22 of 60 did).
func TestConcurrentParamAdditionsOverAPI(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		admin := e.Login("admin-370800")
		before := paramTotal(t, admin)
		const n = 60
		var wg sync.WaitGroup
		codes := make(chan int, n)
		for i := range n {
			wg.Go(func() {
				v := map[string]string{"table": "holiday_calendar", "key": fmt.Sprintf("2031-%02d-%02d", i/28+1, i%28+1), "region": "370800",
					"effective_from": "2026-01-01", "value": "holiday", "source": "PROJ", "confidence": "U", "note": "并发测试"}
				code, _ := admin.Raw("POST", "/api/v1/params", "application/json", mustJSON(v))
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
		if got := paramTotal(t, admin); got-before != n {
			t.Fatalf("after %d concurrent additions the set has %d more versions", n, got-before)
		}
	})
}
