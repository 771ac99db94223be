package main

import (
	"fmt"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// TestBirthDateHiddenWithoutPersonalData: the masked ID hides exactly the
// birth date, so roles without personal.full (合作经办, 12333) see the
// birth year only — in pages and API answers — and audit snapshots keep
// the year, never the date. A clerk still sees the date.
func TestBirthDateHiddenWithoutPersonalData(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	birth := e.Worker.BirthDate // storetest workers are born 1988-03-15
	if birth != "1988-03-15" {
		t.Fatalf("fixture born %s", birth)
	}
	leaks := []string{birth, "19880315", "1988-03", "198803", "03-15", "0315"}
	paths := []string{
		"/workers", fmt.Sprintf("/workers/%d", e.Worker.ID), fmt.Sprintf("/employers/%d", e.Home.ID),
		"/api/v1/workers", fmt.Sprintf("/api/v1/workers/%d", e.Worker.ID), fmt.Sprintf("/api/v1/workers?employer_id=%d", e.Home.ID),
	}
	for _, role := range []access.Role{access.RoleInsurer, access.RoleHotline, access.RolePrevention} {
		c := e.Login(string(role) + "-370800")
		for _, p := range paths {
			code, body := c.Raw("GET", p, "", "")
			if code != 200 {
				t.Fatalf("%s %s: %d", role, p, code)
			}
			if !strings.Contains(body, e.Worker.IDMasked) || !strings.Contains(body, "1988") {
				t.Errorf("%s %s: masked ID or birth year missing", role, p)
			}
			for _, leak := range leaks {
				if strings.Contains(body, leak) {
					t.Errorf("%s %s shows %q beside the masked ID %s: the ID can be rebuilt", role, p, leak, e.Worker.IDMasked)
				}
			}
		}
	}
	clerk := e.Login("clerk-370800")
	if _, body := clerk.Raw("GET", fmt.Sprintf("/workers/%d", e.Worker.ID), "", ""); !strings.Contains(body, birth) {
		t.Errorf("a clerk (personal.full) should see the birth date")
	}
	entries, _, err := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370000"), store.AuditFilter{ObjectType: "worker", Page: store.Page{Limit: 200}})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	for _, en := range entries {
		for _, leak := range []string{birth, "19880315"} {
			if strings.Contains(string(en.Before)+string(en.After), leak) {
				t.Errorf("audit entry %d (%s) stores the birth date beside the masked ID: %s", en.Seq, en.Action, en.After)
			}
		}
	}
}

// TestEmployerPhoneMasked: the employer's contact phone is shown masked to
// roles without personal.full, in full to a clerk.
func TestEmployerPhoneMasked(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	const phone, masked = "13953712345", "139****2345" // storetest.MustEmployer's phone
	paths := []string{fmt.Sprintf("/employers/%d", e.Home.ID), fmt.Sprintf("/api/v1/employers/%d", e.Home.ID), "/api/v1/employers", "/employers"}
	for _, role := range []access.Role{access.RoleInsurer, access.RoleHotline} {
		c := e.Login(string(role) + "-370800")
		for _, p := range paths {
			code, body := c.Raw("GET", p, "", "")
			if code != 200 || strings.Contains(body, phone) {
				t.Errorf("%s %s: %d, shows the phone in full: %v", role, p, code, strings.Contains(body, phone))
			}
		}
		if _, body := c.Raw("GET", paths[0], "", ""); !strings.Contains(body, masked) {
			t.Errorf("%s: the employer page should show %s", role, masked)
		}
	}
	clerk := e.Login("clerk-370800")
	if _, body := clerk.Raw("GET", paths[0], "", ""); !strings.Contains(body, phone) {
		t.Errorf("a clerk should see the contact phone in full")
	}
	if _, body := clerk.Raw("GET", "/api/v1/employers", "", ""); strings.Contains(body, phone) || !strings.Contains(body, masked) {
		t.Errorf("lists carry the masked phone only")
	}
}
