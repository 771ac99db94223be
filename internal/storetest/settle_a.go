package storetest

import (
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/store"
)

// MustRecognisedCase opens a standard case in region (MustCase) and walks
// it to a positive recognition decision: the two materials, acceptance,
// 认定工伤 on ground 14.1. It returns the case as read afterwards.
func MustRecognisedCase(t testing.TB, s *store.Store, region string) casebundle.Case {
	t.Helper()
	c := MustCase(t, s, region)
	for _, m := range []string{"application_form", "diagnosis"} {
		pdf := "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + m
		if _, err := s.PutCaseFile(ctx, Actor(access.RoleClerk, region), c.ID, m, m+".pdf", strings.NewReader(pdf)); err != nil {
			t.Fatalf("MustRecognisedCase: %s: %v", m, err)
		}
	}
	rec := Actor(access.RoleRecognition, region)
	sid := c.Service(casebundle.Recognition).ID
	for _, a := range []casebundle.Action{{Name: casebundle.ActAccept, On: "2026-02-24"},
		{Name: casebundle.ActDecide, Outcome: casebundle.OutcomeRecognised, Ground: "14.1"}} {
		if _, _, err := s.ActOnCase(ctx, rec, params(t), c.ID, sid, a); err != nil {
			t.Fatalf("MustRecognisedCase: %s: %v", a.Name, err)
		}
	}
	got, err := s.FindCase(ctx, access.System, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
