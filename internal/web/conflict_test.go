package web

import (
	"fmt"
	"net/url"
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
	for _, eng := range []struct {
		name string
		open storetest.Opener
	}{{"SQLite", storetest.OpenSQLite}, {"Postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			if eng.name == "Postgres" {
				storetest.PostgresURL(t)
			}
			e := newEnv(t, eng.open)
			a, b := e.login("clerk-370800"), e.login("admin-370800")
			path := "/api/v1/employers/" + itoa64(e.home.ID)
			for i := range 20 {
				addr, contact := fmt.Sprintf("任城区济安桥路%d号", i), fmt.Sprintf("联系人%d", i)
				var wg sync.WaitGroup
				codes := make([]int, 2)
				wg.Add(2)
				go func() { defer wg.Done(); codes[0] = a.json("PATCH", path, map[string]any{"address": addr}, nil) }()
				go func() {
					defer wg.Done()
					codes[1] = b.json("PATCH", path, map[string]any{"contact_name": contact}, nil)
				}()
				wg.Wait()
				if codes[0] != 200 || codes[1] != 200 {
					t.Fatalf("pair %d: statuses %v", i, codes)
				}
				var got registry.Employer
				a.json("GET", path, nil, &got)
				if got.Address != addr || got.ContactName != contact {
					t.Fatalf("pair %d lost a change: address %q contact %q", i, got.Address, got.ContactName)
				}
			}
			var got registry.Employer
			a.json("GET", path, nil, &got)
			var stale apiError
			if code := a.json("PATCH", path, map[string]any{"address": "旧版本", "version": got.Version - 1}, &stale); code != 409 ||
				len(stale.Error.Fields) != 1 || stale.Error.Fields[0].Code != "version_conflict" || !strings.Contains(stale.Error.Message, "已被他人修改") {
				t.Fatalf("stale PATCH: %d %+v", code, stale)
			}
			if code := a.json("PATCH", path, map[string]any{"address": "当前版本", "version": got.Version}, nil); code != 200 {
				t.Fatalf("PATCH from the current version: %d", code)
			}
		})
	}
}

// An edit form submitted after someone else saved the record shows 已被他人
// 修改 and writes nothing.
func TestStaleEditFormIsRefused(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.login("clerk-370800")
	path := "/api/v1/workers/" + itoa64(e.worker.ID)
	if code := c.json("PATCH", path, map[string]any{"bank_name": "中国银行济宁分行"}, nil); code != 200 {
		t.Fatalf("first change: %d", code)
	}
	form := url.Values{"csrf": {c.csrf}, "version": {"1"}, "name": {"孙明"}, "phone": {"13812345678"},
		"bank_name": {"农业银行"}, "bank_account": {"6222021608001234567"}}
	code, body := c.raw("POST", "/workers/"+itoa64(e.worker.ID), "application/x-www-form-urlencoded", form.Encode())
	if code < 400 || !strings.Contains(body, "已被他人修改，请刷新后重试") {
		t.Fatalf("stale form: %d %s", code, body)
	}
	var got registry.Worker
	c.json("GET", path, nil, &got)
	if got.BankName != "中国银行济宁分行" {
		t.Fatalf("a stale form overwrote the newer change: %q", got.BankName)
	}
}
