package backoffice

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/storetest"
)

// The employer page offers 登记职工 for that employer and warns when the
// risk class differs from the industry's.
func TestEmployerPageRegisterWorkerAndRiskWarning(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	odd := registry.Employer{CreditCode: storetest.CreditCode("370811"), Name: "济宁风险测试有限公司", RegionCode: "370811",
		Industry: "34", RiskClass: 2, RateTierPct: 100, Status: "active"}
	if err := e.S.CreateEmployer(context.Background(), storetest.Actor(access.RoleClerk, "370811"), &odd); err != nil {
		t.Fatal(err)
	}
	c := e.Login("clerk-370800")
	get := func(path string) string {
		resp := c.Do("GET", path, "", nil)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	page := get(fmt.Sprintf("/employers/%d", odd.ID))
	if !strings.Contains(page, `id="risk-warning"`) || !strings.Contains(page, "通用设备制造业") {
		t.Error("no warning for class 2 in 通用设备制造业 (class 4)")
	}
	link := "/workers/new?employer_code=" + odd.CreditCode
	if !strings.Contains(page, `href="`+link+`"`) {
		t.Errorf("no 登记职工 link %s", link)
	}
	if form := get(link); !strings.Contains(form, `value="`+odd.CreditCode+`"`) {
		t.Error("the worker form does not name the employer")
	}
	if page := get(fmt.Sprintf("/employers/%d", e.Home.ID)); strings.Contains(page, `id="risk-warning"`) {
		t.Error("warning for an employer whose class matches its industry")
	}
	// Roles that cannot register see no 登记职工.
	if p := e.Users["auditor-370800"].Principal(); !p.Can(access.PermRegistryWrite) {
		resp := e.Login("auditor-370800").Do("GET", fmt.Sprintf("/employers/%d", odd.ID), "", nil)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), link) {
			t.Error("an auditor is offered 登记职工")
		}
	}
}
