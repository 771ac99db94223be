package storetest

import (
	"bytes"
	"cmp"
	"fmt"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// RunSecurity is the conformance suite of the account protections: login
// counting under concurrency, answers that do not tell accounts apart, the
// per-source throttle and the administrators' account actions.
func RunSecurity(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *store.Store, c *Clock)
	}{
		{"LoginConcurrentLockout", testLoginConcurrent},
		{"LoginAnswersAlike", testLoginAnswersAlike},
		{"LoginSourceThrottle", testLoginSourceThrottle},
		{"AdminCannotDisableSelfOrLastAdmin", testLastAdmin},
		{"LastAdminConcurrent", testLastAdminConcurrent},
		{"ResetPasswordAndUnlock", testResetUnlock},
		{"EmployerPhoneSealed", testEmployerPhoneSealed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewClock()
			tt.fn(t, open(t, c), c)
		})
	}
}

// MustUser creates a staff user with password pw.
func MustUser(t testing.TB, s *store.Store, username string, role access.Role, region, pw string) access.User {
	t.Helper()
	u, err := s.CreateUser(ctx, access.System, access.NewUser{Username: username, DisplayName: "测试用户", Role: role, RegionCode: region, Password: pw})
	if err != nil {
		t.Fatalf("MustUser %s: %v", username, err)
	}
	return u
}

// parallelLogins runs n logins at once, password(i) for the i-th, and
// returns how many succeeded and the errors of the others.
func parallelLogins(s *store.Store, n int, source, username string, password func(i int) string, pol access.LockPolicy) (int, []error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, fails := 0, []error{}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := s.LoginFrom(ctx, source, username, password(i), pol, time.Hour)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else {
				fails = append(fails, err)
			}
		}()
	}
	wg.Wait()
	return ok, fails
}

// checkedFailures counts the audited password checks that failed.
func checkedFailures(t *testing.T, s *store.Store, u access.User) int {
	t.Helper()
	entries, _, err := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{ObjectType: "user", ObjectID: fmt.Sprint(u.ID), Page: store.Page{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "user.login_failed" || e.Action == "user.locked" {
			n++
		}
	}
	return n
}

// testLoginConcurrent: 40 simultaneous wrong passwords consume 40 attempts
// and at most MaxFailures are compared; the account is then locked, 40
// simultaneous right passwords all fail, and the lock expires.
func testLoginConcurrent(t *testing.T, s *store.Store, c *Clock) {
	const pw = "Right-horse-42"
	u := MustUser(t, s, "para1", access.RoleClerk, "370811", pw)
	pol := access.LockPolicy{MaxFailures: 5, LockFor: 15 * time.Minute}
	ok, fails := parallelLogins(s, 40, "", "para1", func(i int) string { return fmt.Sprintf("guess-%02d", i) }, pol)
	if ok != 0 || len(fails) != 40 {
		t.Fatalf("40 wrong passwords: %d succeeded", ok)
	}
	if n := checkedFailures(t, s, u); n > pol.MaxFailures {
		t.Fatalf("%d wrong passwords were checked in parallel, limit %d", n, pol.MaxFailures)
	}
	ok, fails = parallelLogins(s, 40, "", "para1", func(int) string { return pw }, pol)
	if ok != 0 {
		t.Fatalf("right password accepted %d times on a locked account", ok)
	}
	for _, err := range fails {
		if !errs.Is(err, errs.Locked) && !errs.Is(err, errs.Unauth) {
			t.Fatalf("locked account: %v", err)
		}
	}
	// After the lock: a mix of 39 wrong and one right. The right one
	// succeeds only if it came within the limit; if it did not, no more
	// than MaxFailures wrong ones were compared again.
	c.T = c.T.Add(16 * time.Minute)
	before := checkedFailures(t, s, u)
	ok, _ = parallelLogins(s, 40, "", "para1", func(i int) string {
		if i == 39 {
			return pw
		}
		return fmt.Sprintf("guess-%02d", i)
	}, pol)
	if n := checkedFailures(t, s, u) - before; ok > 1 || ok == 0 && n > pol.MaxFailures {
		t.Fatalf("after the lock expired: %d successes, %d wrong passwords checked, limit %d", ok, n, pol.MaxFailures)
	}
	c.T = c.T.Add(16 * time.Minute)
	if _, sess, err := s.Login(ctx, "para1", pw, pol, time.Hour); err != nil || sess.User.ID != u.ID {
		t.Fatalf("login after the lock expired: %v", err)
	}
}

// testLoginAnswersAlike: unknown user, wrong password, locked and disabled
// accounts answer the same unless the password is right.
func testLoginAnswersAlike(t *testing.T, s *store.Store, _ *Clock) {
	const pw = "Right-horse-42"
	MustUser(t, s, "alike1", access.RoleClerk, "370811", pw)
	gone := MustUser(t, s, "alike2", access.RoleClerk, "370811", pw)
	if err := s.SetUserDisabled(ctx, Actor(access.RoleAdmin, "370800"), gone.ID, true); err != nil {
		t.Fatal(err)
	}
	pol := access.LockPolicy{MaxFailures: 3, LockFor: 15 * time.Minute}
	answer := func(user, pw string) string {
		_, _, err := s.Login(ctx, user, pw, pol, time.Hour)
		return fmt.Sprintf("%s/%v", errs.KindOf(err), err)
	}
	want := answer("nobody-here", "whatever-1")
	for i := range 6 { // past the lock: the answers stay the same
		if got := answer("alike1", "wrong-password"); got != want {
			t.Fatalf("existing account, failure %d: %q, unknown user: %q", i+1, got, want)
		}
		if got := answer("nobody-here", "wrong-password"); got != want {
			t.Fatalf("unknown user, attempt %d: %q, want %q", i+1, got, want)
		}
	}
	if got := answer("alike2", "wrong-password"); got != want {
		t.Fatalf("disabled account with a wrong password: %q, want %q", got, want)
	}
	if got := answer("alike2", pw); got == want {
		t.Fatalf("disabled account with the right password should say so: %q", got)
	}
	if got := answer("alike1", pw); got == want || !errs.Is(loginErr(s, "alike1", pw, pol), errs.Locked) {
		t.Fatalf("locked account with the right password should say so: %q", got)
	}
}

func loginErr(s *store.Store, user, pw string, pol access.LockPolicy) error {
	_, _, err := s.Login(ctx, user, pw, pol, time.Hour)
	return err
}

// testLoginSourceThrottle: one source spraying over many accounts is
// stopped after SourceMax refusals; other sources are not; the next
// window lets it in again.
func testLoginSourceThrottle(t *testing.T, s *store.Store, c *Clock) {
	const pw = "Right-horse-42"
	MustUser(t, s, "spray1", access.RoleClerk, "370811", pw)
	pol := access.LockPolicy{MaxFailures: 5, LockFor: 15 * time.Minute, SourceMax: 8}
	const bad, good = "203.0.113.9", "198.51.100.7"
	for i := range 8 {
		_, _, err := s.LoginFrom(ctx, bad, fmt.Sprintf("user%02d", i), "Spring-2026!", pol, time.Hour)
		if !errs.Is(err, errs.Unauth) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, _, err := s.LoginFrom(ctx, bad, "spray1", pw, pol, time.Hour); !errs.Is(err, errs.Locked) {
		t.Fatalf("9th attempt from the same address, right password: %v, want throttled", err)
	}
	if _, _, err := s.LoginFrom(ctx, good, "spray1", pw, pol, time.Hour); err != nil {
		t.Fatalf("another address: %v", err)
	}
	c.T = c.T.Add(16 * time.Minute)
	if _, _, err := s.LoginFrom(ctx, bad, "spray1", pw, pol, time.Hour); err != nil {
		t.Fatalf("next window: %v", err)
	}
	// Successes give their attempt back: an office behind one address is
	// not throttled by its own sign-ins.
	for i := range 12 {
		if _, _, err := s.LoginFrom(ctx, bad, "spray1", pw, pol, time.Hour); err != nil {
			t.Fatalf("sign-in %d from one address: %v", i+1, err)
		}
	}
	// 40 at once from one address: at most SourceMax get past the throttle.
	ok, fails := parallelLogins(s, 40, "192.0.2.1", "nobody", func(int) string { return "Spring-2026!" }, pol)
	throttled := 0
	for _, err := range fails {
		if errs.Is(err, errs.Locked) {
			throttled++
		}
	}
	if ok != 0 || throttled < 40-pol.SourceMax {
		t.Fatalf("40 parallel attempts from one address: %d throttled, want at least %d", throttled, 40-pol.SourceMax)
	}
}

// testLastAdmin: an administrator cannot disable themself nor the last
// enabled administrator of a region.
func testLastAdmin(t *testing.T, s *store.Store, _ *Clock) {
	a1 := MustUser(t, s, "adm1", access.RoleAdmin, "370881", "Admin-pass-931")
	a2 := MustUser(t, s, "adm2", access.RoleAdmin, "370881", "Admin-pass-932")
	city := MustUser(t, s, "admcity", access.RoleAdmin, "370800", "Admin-pass-933")
	if err := s.SetUserDisabled(ctx, a1.Principal(), a1.ID, true); !errs.Is(err, errs.Conflict) {
		t.Fatalf("disabling oneself: %v", err)
	}
	if err := s.SetUserDisabled(ctx, a1.Principal(), a2.ID, true); err != nil {
		t.Fatalf("disabling the other of two: %v", err)
	}
	if err := s.SetUserDisabled(ctx, city.Principal(), a1.ID, true); !errs.Is(err, errs.Conflict) {
		t.Fatalf("disabling the last admin of 曲阜: %v", err)
	}
	if err := s.SetUserDisabled(ctx, city.Principal(), a2.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, city.Principal(), a1.ID, true); err != nil {
		t.Fatalf("with a second admin enabled again: %v", err)
	}
}

// testLastAdminConcurrent: the two administrators of a region disable
// each other at the same moment; one must remain.
func testLastAdminConcurrent(t *testing.T, s *store.Store, _ *Clock) {
	for round, region := range []string{"370883", "370811", "370812", "370826"} {
		a := MustUser(t, s, fmt.Sprintf("ra%d", round), access.RoleAdmin, region, "Admin-pass-941")
		b := MustUser(t, s, fmt.Sprintf("rb%d", round), access.RoleAdmin, region, "Admin-pass-942")
		var wg sync.WaitGroup
		var errA, errB error
		wg.Add(2)
		go func() { defer wg.Done(); errA = s.SetUserDisabled(ctx, a.Principal(), b.ID, true) }()
		go func() { defer wg.Done(); errB = s.SetUserDisabled(ctx, b.Principal(), a.ID, true) }()
		wg.Wait()
		if (errA == nil) == (errB == nil) {
			t.Fatalf("round %d: both or neither succeeded: %v / %v", round, errA, errB)
		}
		if refused := cmp.Or(errA, errB); !errs.Is(refused, errs.Conflict) {
			t.Fatalf("round %d: the refused one must be told why, not fail: %v", round, refused)
		}
		users, _ := s.FindUsers(ctx, access.ScopeOf(region))
		enabled := 0
		for _, u := range users {
			if u.Role == access.RoleAdmin && !u.Disabled {
				enabled++
			}
		}
		if enabled != 1 {
			t.Fatalf("round %d: %d enabled admins, want 1", round, enabled)
		}
	}
}

// testResetUnlock: an administrator resets a password (policy applies,
// sessions end, lock lifted) and unlocks an account; both audited and
// region-scoped.
func testResetUnlock(t *testing.T, s *store.Store, _ *Clock) {
	const pw = "Right-horse-42"
	u := MustUser(t, s, "forgot1", access.RoleClerk, "370881", pw)
	admin := MustUser(t, s, "qfadmin", access.RoleAdmin, "370881", "Admin-pass-951").Principal()
	pol := access.LockPolicy{MaxFailures: 3, LockFor: 15 * time.Minute}
	token, _, err := s.Login(ctx, "forgot1", pw, pol, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		s.Login(ctx, "forgot1", "wrong-one", pol, time.Hour)
	}
	if err := loginErr(s, "forgot1", pw, pol); !errs.Is(err, errs.Locked) {
		t.Fatalf("should be locked: %v", err)
	}
	if err := s.UnlockUser(ctx, Actor(access.RoleAdmin, "370811"), u.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("任城 admin unlocking a 曲阜 user: %v", err)
	}
	if err := s.UnlockUser(ctx, admin, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := loginErr(s, "forgot1", pw, pol); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	var fs errs.Fields
	if fs.Merge(s.ResetPassword(ctx, admin, u.ID, "1234567890")) != nil || !fs.Has("password") {
		t.Fatalf("trivial new password: %v", fs)
	}
	if err := s.ResetPassword(ctx, Actor(access.RoleAdmin, "370811"), u.ID, "New-horse-77"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("任城 admin resetting a 曲阜 password: %v", err)
	}
	if err := s.ResetPassword(ctx, admin, u.ID, "New-horse-77"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, token); !errs.Is(err, errs.Unauth) {
		t.Fatalf("sessions must end on a reset: %v", err)
	}
	if err := loginErr(s, "forgot1", pw, pol); !errs.Is(err, errs.Unauth) {
		t.Fatalf("old password after reset: %v", err)
	}
	if err := loginErr(s, "forgot1", "New-horse-77", pol); err != nil {
		t.Fatalf("new password: %v", err)
	}
	entries, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370881"), store.AuditFilter{ObjectType: "user", ObjectID: fmt.Sprint(u.ID), Page: store.Page{Limit: 200}})
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
		if e.Action == "user.password_reset" && e.Actor != "qfadmin" {
			t.Errorf("reset audited as %q", e.Actor)
		}
	}
	if !seen["user.password_reset"] || !seen["user.unlock"] {
		t.Fatalf("audit: %v", seen)
	}
}

// testEmployerPhoneSealed: employer contact phones are sealed at rest,
// listed masked, shown in full by id, and audited masked.
func testEmployerPhoneSealed(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811") // contact phone 13953712345
	const phone = "13953712345"
	var plain, masked string
	var enc []byte
	if err := s.DB().QueryRowContext(ctx, `SELECT contact_phone, contact_phone_enc, contact_phone_masked FROM employers WHERE id = $1`, e.ID).Scan(&plain, &enc, &masked); err != nil {
		t.Fatal(err)
	}
	if plain != "" || len(enc) == 0 || bytes.Contains(enc, []byte(phone)) || masked != "139****2345" {
		t.Fatalf("stored: plain %q, sealed %d bytes, masked %q", plain, len(enc), masked)
	}
	got, err := s.FindEmployerByID(ctx, access.ScopeOf("370811"), e.ID)
	if err != nil || got.ContactPhone != phone || got.ContactPhoneMasked != masked {
		t.Fatalf("by id: %+v %v", got, err)
	}
	list, _, _ := s.FindEmployers(ctx, access.ScopeOf("370811"), store.EmployerFilter{})
	if len(list) != 1 || list[0].ContactPhone != "" || list[0].ContactPhoneMasked != masked {
		t.Fatalf("lists must carry the masked phone only: %+v", list)
	}
	next := "0537-2345678"
	if _, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{ContactPhone: &next}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindEmployerByID(ctx, access.ScopeOf("370811"), e.ID); got.ContactPhone != next || got.ContactPhoneMasked != "053*****5678" {
		t.Fatalf("after update: %+v", got)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT before_json, after_json FROM audit_log WHERE object_type = 'employer'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var before, after string
		rows.Scan(&before, &after)
		for _, p := range []string{phone, next} {
			if bytes.Contains([]byte(before+after), []byte(p)) {
				t.Fatalf("audit log holds the contact phone in full: %s %s", before, after)
			}
		}
	}
}
