package storetest

import (
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/store"
)

// PortalPassword is the password MustPortal sets.
const PortalPassword = "Portal-pass-2931"

// portalPolicy is the lock-out policy of the portal tests.
var portalPolicy = access.LockPolicy{MaxFailures: 3, LockFor: 15 * time.Minute}

// MustPortal activates the portal account of a worker or employer (kind
// store.PortalWorker or store.PortalEmployer, id, login: the ID number or
// credit code) with PortalPassword and returns its principal.
func MustPortal(t testing.TB, s *store.Store, kind string, id int64, login string) access.Principal {
	t.Helper()
	region, err := regionOf(s, kind, id)
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.IssuePortalCode(ctx, Actor(access.RoleClerk, region), kind, id)
	if err != nil {
		t.Fatalf("MustPortal: issue: %v", err)
	}
	if err := s.ActivatePortal(ctx, "", kind, login, code, PortalPassword, portalPolicy); err != nil {
		t.Fatalf("MustPortal: activate: %v", err)
	}
	_, sess, err := s.PortalLogin(ctx, "", kind, login, PortalPassword, portalPolicy, time.Hour)
	if err != nil {
		t.Fatalf("MustPortal: login: %v", err)
	}
	return sess.Account.Principal()
}

func regionOf(s *store.Store, kind string, id int64) (string, error) {
	o, err := s.OwnersOf(ctx, access.KindStaff, kind, id)
	return o.Region, err
}

func testPortalActivateLogin(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "赵磊")
	if _, err := s.IssuePortalCode(ctx, Actor(access.RoleClerk, "370881"), store.PortalWorker, w.ID); !errs.Is(err, errs.Forbidden) {
		t.Errorf("another county's clerk issues a code: %v", err)
	}
	if _, err := s.IssuePortalCode(ctx, Actor(access.RoleAssessment, "370811"), store.PortalWorker, w.ID); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a role without case.open issues a code: %v", err)
	}
	code, err := s.IssuePortalCode(ctx, Actor(access.RoleClerk, "370811"), store.PortalWorker, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) < 8 || len(code) > 10 || strings.ContainsAny(code, "01OIL") {
		t.Errorf("code %q: want 8–10 characters without ambiguous ones", code)
	}
	// Before activation there is no password to log in with.
	if _, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, "", portalPolicy, time.Hour); !errs.Is(err, errs.Unauth) {
		t.Errorf("login before activation: %v", err)
	}
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, code, "short", portalPolicy); !hasField(err, "password", "password_short") {
		t.Errorf("weak password: %v", err)
	}
	typed := strings.ToLower(code[:5]) + "-" + code[5:]
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, typed, PortalPassword, portalPolicy); err != nil {
		t.Fatalf("activate: %v", err)
	}
	token, sess, err := s.PortalLogin(ctx, "203.0.113.9", store.PortalWorker, strings.ToLower(w.IDNumber), PortalPassword, portalPolicy, time.Hour)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	p := sess.Account.Principal()
	if p.Kind != access.KindWorker || p.WorkerID != w.ID || p.Name != "赵磊" || p.RegionCode != "370811" {
		t.Errorf("principal %+v", p)
	}
	got, err := s.FindPortalSession(ctx, token)
	if err != nil || got.Account.WorkerID != w.ID || got.CSRFToken != sess.CSRFToken {
		t.Fatalf("session: %+v %v", got, err)
	}
	if _, err := s.FindSession(ctx, token); !errs.Is(err, errs.Unauth) {
		t.Errorf("a portal token opens a staff session: %v", err)
	}
	// The employer logs in with its credit code, apart from the worker.
	ep := MustPortal(t, s, store.PortalEmployer, e.ID, e.CreditCode)
	if ep.Kind != access.KindEmployer || ep.EmployerID != e.ID || ep.UserID == p.UserID {
		t.Errorf("employer principal %+v", ep)
	}
	if _, _, err := s.PortalLogin(ctx, "", store.PortalEmployer, w.IDNumber, PortalPassword, portalPolicy, time.Hour); !errs.Is(err, errs.Unauth) {
		t.Errorf("worker's ID number as an employer: %v", err)
	}
	// Changing the password ends the other sessions.
	other, _, _ := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, PortalPassword, portalPolicy, time.Hour)
	if err := s.ChangePortalPassword(ctx, p, "wrong", "Another-pass-8264", token); !hasField(err, "current", "password_wrong") {
		t.Errorf("wrong current password: %v", err)
	}
	if err := s.ChangePortalPassword(ctx, p, PortalPassword, "Another-pass-8264", token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindPortalSession(ctx, other); !errs.Is(err, errs.Unauth) {
		t.Errorf("other session after a password change: %v", err)
	}
	if err := s.PortalLogout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindPortalSession(ctx, token); !errs.Is(err, errs.Unauth) {
		t.Errorf("session after logout: %v", err)
	}
	MustSeal(t, s)
	for _, a := range []string{"portal.code", "portal.activate", "portal.login", "portal.password", "portal.logout"} {
		if _, n, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{Action: a}); n == 0 {
			t.Errorf("no %s audit entry", a)
		}
	}
	es, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{Action: "portal.code"})
	for _, en := range es {
		if strings.Contains(en.After, code) {
			t.Error("the audit log keeps the activation code")
		}
	}
}

func testPortalCodeRefused(t *testing.T, s *store.Store, c *Clock) {
	e := MustEmployer(t, s, "370881")
	w := MustWorker(t, s, e, "钱芳")
	clerk := Actor(access.RoleClerk, "370881")
	code, err := s.IssuePortalCode(ctx, clerk, store.PortalWorker, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	pol := access.LockPolicy{MaxFailures: 10, LockFor: time.Minute}
	wrong := "ABCDEFGHJK"
	if wrong == code {
		wrong = "KJHGFEDCBA"
	}
	for _, tt := range []struct{ name, login, code string }{
		{"wrong code", w.IDNumber, wrong},
		{"unknown ID number", IDNumber("370881", "19900101"), code},
		{"empty code", w.IDNumber, ""},
	} {
		if err := s.ActivatePortal(ctx, "", store.PortalWorker, tt.login, tt.code, PortalPassword, pol); !errs.Is(err, errs.Unauth) {
			t.Errorf("%s: %v, want the one refusal", tt.name, err)
		}
	}
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, code, PortalPassword, pol); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, code, "Reused-pass-4815", pol); !errs.Is(err, errs.Unauth) {
		t.Errorf("reused code: %v", err)
	}
	if _, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, PortalPassword, pol, time.Hour); err != nil {
		t.Errorf("the reuse changed the password: %v", err)
	}
	// A new code expires after 30 days.
	code, _ = s.IssuePortalCode(ctx, clerk, store.PortalWorker, w.ID)
	c.T = c.T.Add(store.PortalCodeTTL + time.Minute)
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, code, "Expired-pass-4815", pol); !errs.Is(err, errs.Unauth) {
		t.Errorf("expired code: %v", err)
	}
	// Within 30 days a new code sets a new password (forgotten password).
	code, _ = s.IssuePortalCode(ctx, clerk, store.PortalWorker, w.ID)
	c.T = c.T.Add(store.PortalCodeTTL - time.Hour)
	if err := s.ActivatePortal(ctx, "", store.PortalWorker, w.IDNumber, code, "Renewed-pass-4815", pol); err != nil {
		t.Errorf("code on day 29: %v", err)
	}
	if _, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, "Renewed-pass-4815", pol, time.Hour); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}

// Twenty wrong passwords at once: the count is taken before any check, so
// the account locks after MaxFailures (one lock, MaxFailures−1 audited
// failures) and the right password afterwards is refused.
func testPortalLockoutConcurrent(t *testing.T, s *store.Store, c *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "孔亮")
	MustPortal(t, s, store.PortalWorker, w.ID, w.IDNumber)
	errsOf := together(20, func(i int) error {
		_, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, "wrong-password-"+itoa(int64(i)), portalPolicy, time.Hour)
		return err
	})
	for i, err := range errsOf {
		if !errs.Is(err, errs.Unauth) || err.Error() != "证件号码或密码错误" {
			t.Errorf("attempt %d: %v, want the one refusal", i, err)
		}
	}
	if _, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, PortalPassword, portalPolicy, time.Hour); !errs.Is(err, errs.Locked) {
		t.Errorf("right password after the lock: %v, want locked", err)
	}
	MustSeal(t, s)
	_, failed, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{Action: "portal.login_failed"})
	_, locked, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{Action: "portal.locked"})
	if failed != portalPolicy.MaxFailures-1 || locked != 1 {
		t.Errorf("%d failures and %d locks audited, want %d and 1: more passwords were compared than the limit", failed, locked, portalPolicy.MaxFailures-1)
	}
	c.T = c.T.Add(portalPolicy.LockFor + time.Minute)
	if _, _, err := s.PortalLogin(ctx, "", store.PortalWorker, w.IDNumber, PortalPassword, portalPolicy, time.Hour); err != nil {
		t.Errorf("after the lock: %v", err)
	}
	// The source address is throttled like a staff login's.
	pol := access.LockPolicy{MaxFailures: 100, LockFor: time.Minute, SourceMax: 3}
	for i := range 3 {
		s.PortalLogin(ctx, "198.51.100.7", store.PortalWorker, w.IDNumber, "wrong"+itoa(int64(i)), pol, time.Hour)
	}
	if _, _, err := s.PortalLogin(ctx, "198.51.100.7", store.PortalWorker, w.IDNumber, PortalPassword, pol, time.Hour); !errs.Is(err, errs.Locked) {
		t.Errorf("source over its limit: %v", err)
	}
}

// The applicant answers a correction notice once every listed material is
// uploaded; an employer answers for its worker's case, never another's.
func testPortalCorrection(t *testing.T, s *store.Store, _ *Clock) {
	c := MustCase(t, s, "370811")
	needs, err := s.CaseMaterials(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	missing := casebundle.MissingUploads(needs)[casebundle.Recognition]
	rec := c.Service(casebundle.Recognition)
	if _, _, err := s.ActOnCase(ctx, Actor(access.RoleClerk, "370811"), params(t), c.ID, rec.ID, casebundle.Action{Name: casebundle.ActNotice, Missing: missing}); err != nil {
		t.Fatal(err)
	}
	emp, _ := s.FindEmployerByID(ctx, access.ScopeOf("370811"), c.EmployerID)
	ep := MustPortal(t, s, store.PortalEmployer, emp.ID, emp.CreditCode)
	stranger := MustEmployer(t, s, "370811")
	sp := MustPortal(t, s, store.PortalEmployer, stranger.ID, stranger.CreditCode)
	if _, err := s.SubmitCorrection(ctx, sp, params(t), c.ID, rec.ID, nil); !errs.Is(err, errs.NotFound) {
		t.Errorf("another employer answers: %v", err)
	}
	if _, err := s.SubmitCorrection(ctx, ep, params(t), c.ID, rec.ID, nil); !hasField(err, "files", "missing") {
		t.Errorf("nothing uploaded: %v", err)
	}
	for _, m := range missing {
		if _, err := s.PutCaseFile(ctx, ep, c.ID, m, m+".pdf", strings.NewReader("%PDF-1.4\n"+m+"\n%%EOF\n")); err != nil {
			t.Fatalf("upload %s: %v", m, err)
		}
	}
	if _, err := s.PutCaseFile(ctx, sp, c.ID, missing[0], "x.pdf", strings.NewReader("%PDF-1.4\nx\n%%EOF\n")); !errs.Is(err, errs.NotFound) {
		t.Errorf("another employer uploads: %v", err)
	}
	got, err := s.SubmitCorrection(ctx, ep, params(t), c.ID, rec.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := got.Service(casebundle.Recognition).State; st != casebundle.Corrected {
		t.Errorf("after the answer: %s, want corrected", st)
	}
	cs, err := s.CasesOf(ctx, ep, 0, 0)
	if err != nil || len(cs) != 1 || cs[0].ID != c.ID {
		t.Errorf("employer's cases: %+v %v", cs, err)
	}
	if cs, _ := s.CasesOf(ctx, sp, 0, 0); len(cs) != 0 {
		t.Errorf("another employer lists %d cases", len(cs))
	}
	parties, err := s.PortalParties(ctx, ep)
	if err != nil || len(parties) != 1 || parties[0].ID != c.WorkerID {
		t.Errorf("employer's workers: %+v %v", parties, err)
	}
}
