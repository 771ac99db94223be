package backoffice

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// The window clerk issues a portal code on the worker's and the employer's
// page; it shows once and activates the account.
func TestPortalCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	clerk := e.Login("clerk-370800")
	if _, page := clerk.Raw("GET", fmt.Sprintf("/workers/%d", e.Worker.ID), "", ""); !strings.Contains(page, "生成网上办理激活码") {
		t.Error("the worker page has no code button for a clerk")
	}
	if _, page := e.Login("auditor-370800").Raw("GET", fmt.Sprintf("/workers/%d", e.Worker.ID), "", ""); strings.Contains(page, "生成网上办理激活码") {
		t.Error("the worker page offers the code button to an auditor")
	}
	code, page := clerk.Raw("POST", fmt.Sprintf("/workers/%d/portal-code", e.Worker.ID), "application/x-www-form-urlencoded", "")
	m := regexp.MustCompile(`id="portal-code-value">([A-Z0-9]+)<`).FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		t.Fatalf("issue: %d", code)
	}
	pol := access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}
	if err := e.S.ActivatePortal(t.Context(), "", store.PortalWorker, e.Worker.IDNumber, m[1], storetest.PortalPassword, pol); err != nil {
		t.Errorf("the shown code does not activate: %v", err)
	}
	if code, _ := clerk.Raw("POST", fmt.Sprintf("/employers/%d/portal-code", e.Home.ID), "application/x-www-form-urlencoded", ""); code != http.StatusOK {
		t.Errorf("employer code: %d", code)
	}
	if code, _ := e.Login("clerk-370881").Raw("POST", fmt.Sprintf("/employers/%d/portal-code", e.Home.ID), "application/x-www-form-urlencoded", ""); code != http.StatusForbidden {
		t.Errorf("another county's clerk: %d", code)
	}
}
