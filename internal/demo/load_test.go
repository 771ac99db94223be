package demo

import (
	"context"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

func TestLoadOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenSQLite(t, storetest.NewClock())

	loaded, err := Load(ctx, s, 7, 0.05, today)
	if err != nil || !loaded {
		t.Fatalf("first Load = %v, %v; want true, nil", loaded, err)
	}
	loaded, err = Load(ctx, s, 7, 0.05, today)
	if err != nil || loaded {
		t.Fatalf("second Load = %v, %v; want false, nil", loaded, err)
	}
	if seed, _ := s.Meta(ctx, "demo_seed"); seed != "7" {
		t.Errorf("demo_seed = %q, want 7", seed)
	}

	city := access.ScopeOf("370800")
	_, employers, err := s.FindEmployers(ctx, city, store.EmployerFilter{})
	if err != nil || employers != len(sample.Employers) {
		t.Errorf("employers in store = %d (%v), want %d", employers, err, len(sample.Employers))
	}
	_, workers, err := s.FindWorkers(ctx, city, store.WorkerFilter{})
	if err != nil || workers != len(sample.Workers) {
		t.Errorf("workers in store = %d (%v), want %d", workers, err, len(sample.Workers))
	}
	var plain, sealed int
	if err := s.DB().QueryRowContext(ctx, `SELECT
		SUM(CASE WHEN contact_phone <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN contact_phone_enc IS NOT NULL AND contact_phone_masked <> '' THEN 1 ELSE 0 END)
		FROM employers`).Scan(&plain, &sealed); err != nil || plain != 0 || sealed != employers {
		t.Errorf("demo contact phones: %d plain, %d sealed of %d (%v)", plain, sealed, employers, err)
	}

	pol := access.LockPolicy{MaxFailures: 5, LockFor: 15 * time.Minute}
	for _, u := range Users() {
		if _, sess, err := s.Login(ctx, u.Username, DemoPassword, pol, time.Hour); err != nil {
			t.Errorf("login %s: %v", u.Username, err)
		} else if sess.User.Role != u.Role || sess.User.RegionCode != u.RegionCode {
			t.Errorf("login %s: role %s region %s", u.Username, sess.User.Role, sess.User.RegionCode)
		}
	}
}

func TestUsers(t *testing.T) {
	us := Users()
	if want := 3*len(access.Roles) + 2; len(us) != want { // + jn-approver and jn-auditor2, the second benefits officer and auditor
		t.Fatalf("%d users, want %d", len(us), want)
	}
	seen := map[string]bool{}
	for _, u := range us {
		if seen[u.Username] {
			t.Errorf("username %s twice", u.Username)
		}
		seen[u.Username] = true
		if err := u.Validate(); err != nil {
			t.Errorf("%s: %v", u.Username, err)
		}
	}
	for _, name := range []string{"jn-clerk", "rc-clerk", "qf-clerk", "jn-admin", "qf-insurer"} {
		if !seen[name] {
			t.Errorf("no user %s", name)
		}
	}
	ls := Logins()
	if len(ls) != len(us) || ls[0] != (Login{Username: "jn-clerk", Role: "窗口受理", Region: "济宁市"}) {
		t.Errorf("Logins()[0] = %+v of %d", ls[0], len(ls))
	}
	for _, l := range ls {
		if l.Role == "" || l.Region == "" {
			t.Errorf("login %+v lacks a role or region name", l)
		}
	}
}
