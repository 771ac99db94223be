package api

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/registry"
	"gongshang/internal/storetest"
)

// Two API callers PATCH different fields of one employer at once, twenty
// times: on both engines every change survives; a PATCH that names the
// version it was made from after the record moved on answers 409.
func TestConcurrentPatchesKeepEveryChange(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		a, b := e.Login("clerk-370800"), e.Login("admin-370800")
		path := "/api/v1/employers/" + itoa64(e.Home.ID)
		for i := range 20 {
			addr, contact := fmt.Sprintf("任城区济安桥路%d号", i), fmt.Sprintf("联系人%d", i)
			var wg sync.WaitGroup
			codes := make([]int, 2)
			wg.Add(2)
			go func() { defer wg.Done(); codes[0] = a.JSON("PATCH", path, map[string]any{"address": addr}, nil) }()
			go func() {
				defer wg.Done()
				codes[1] = b.JSON("PATCH", path, map[string]any{"contact_name": contact}, nil)
			}()
			wg.Wait()
			if codes[0] != 200 || codes[1] != 200 {
				t.Fatalf("pair %d: statuses %v", i, codes)
			}
			var got registry.Employer
			a.JSON("GET", path, nil, &got)
			if got.Address != addr || got.ContactName != contact {
				t.Fatalf("pair %d lost a change: address %q contact %q", i, got.Address, got.ContactName)
			}
		}
		var got registry.Employer
		a.JSON("GET", path, nil, &got)
		var stale apiError
		if code := a.JSON("PATCH", path, map[string]any{"address": "旧版本", "version": got.Version - 1}, &stale); code != 409 ||
			len(stale.Error.Fields) != 1 || stale.Error.Fields[0].Code != "version_conflict" || !strings.Contains(stale.Error.Message, "已被他人修改") {
			t.Fatalf("stale PATCH: %d %+v", code, stale)
		}
		if code := a.JSON("PATCH", path, map[string]any{"address": "当前版本", "version": got.Version}, nil); code != 200 {
			t.Fatalf("PATCH from the current version: %d", code)
		}
	})
}
