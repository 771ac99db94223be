package backoffice

import (
	"net/url"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

func TestFormKeepsInputOnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	form := url.Values{"csrf": {c.CSRF}, "credit_code": {"91370811MA3C12345X"}, "name": {"济宁市保留输入有限公司"},
		"region_code": {"370811"}, "industry": {"34"}, "risk_class": {"4"}, "rate_tier_pct": {"100"}}
	code, page := c.Raw("POST", "/employers", "application/x-www-form-urlencoded", form.Encode())
	if code != 400 || !strings.Contains(page, `value="济宁市保留输入有限公司"`) || !strings.Contains(page, "统一社会信用代码校验位错误") {
		t.Fatalf("form with a bad credit code: %d\n%s", code, page)
	}
}
