package backoffice

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/storetest"
)

// An edit form submitted after someone else saved the record shows 已被他人
// 修改 and writes nothing.
func TestStaleEditFormIsRefused(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	bank := "中国银行济宁分行"
	if _, err := e.S.UpdateWorker(t.Context(), e.Users["clerk-370800"].Principal(), e.Worker.ID, registry.WorkerUpdate{BankName: &bank}); err != nil {
		t.Fatalf("first change: %v", err)
	}
	form := url.Values{"csrf": {c.CSRF}, "version": {"1"}, "name": {"孙明"}, "phone": {"13812345678"},
		"bank_name": {"农业银行"}, "bank_account": {"6222021608001234567"}}
	code, body := c.Raw("POST", "/workers/"+strconv.FormatInt(e.Worker.ID, 10), "application/x-www-form-urlencoded", form.Encode())
	if code < 400 || !strings.Contains(body, "已被他人修改，请刷新后重试") {
		t.Fatalf("stale form: %d %s", code, body)
	}
	got, err := e.S.FindWorkerByID(t.Context(), access.ScopeOf("370800"), e.Worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.BankName != "中国银行济宁分行" {
		t.Fatalf("a stale form overwrote the newer change: %q", got.BankName)
	}
}
