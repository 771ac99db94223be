package storetest

import (
	"fmt"
	"sync"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The concurrency cases: several callers change one record at the same
// moment. SQLite's single writer hides lost updates; PostgreSQL's READ
// COMMITTED shows them unless every read-modify-write checks its version.

// together runs n calls of fn at once and returns their errors.
func together(n int, fn func(i int) error) []error {
	out := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			out[i] = fn(i)
		}()
	}
	start.Done()
	done.Wait()
	return out
}

func strp(s string) *string { return &s }

// Four callers patch four different fields of one employer at once, ten
// rounds: every change survives and the version counts every one.
func testEmployerConcurrentPatches(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	actor := Actor(access.RoleClerk, "370811")
	for round := range 10 {
		want := []string{fmt.Sprintf("济宁并发机械有限公司%d", round), fmt.Sprintf("联系人%d", round),
			fmt.Sprintf("1395371%04d", round), fmt.Sprintf("任城区并发路%d号", round)}
		errsOf := together(4, func(i int) error {
			var u registry.EmployerUpdate
			switch i {
			case 0:
				u.Name = strp(want[0])
			case 1:
				u.ContactName = strp(want[1])
			case 2:
				u.ContactPhone = strp(want[2])
			case 3:
				u.Address = strp(want[3])
			}
			_, err := s.UpdateEmployer(ctx, actor, e.ID, u)
			return err
		})
		for i, err := range errsOf {
			if err != nil {
				t.Fatalf("round %d, patch %d: %v", round, i, err)
			}
		}
		got, err := s.FindEmployerByID(ctx, actor.Scope(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != want[0] || got.ContactName != want[1] || got.ContactPhone != want[2] || got.Address != want[3] {
			t.Fatalf("round %d: a concurrent change was lost: got name %q contact %q phone %q address %q, want %q",
				round, got.Name, got.ContactName, got.ContactPhone, got.Address, want)
		}
		if wantV := int64(1 + 4*(round+1)); got.Version != wantV {
			t.Fatalf("round %d: version %d, want %d", round, got.Version, wantV)
		}
	}
}

// Six callers change one employer from the same version they had seen:
// one wins, the five others are told it changed, and nothing of theirs is
// written.
func testEmployerStaleVersion(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	actor := Actor(access.RoleClerk, "370811")
	seen := e.Version
	if seen != 1 {
		t.Fatalf("a new employer has version %d, want 1", seen)
	}
	res := together(6, func(i int) error {
		_, err := s.UpdateEmployer(ctx, actor, e.ID, registry.EmployerUpdate{Version: &seen, Address: strp(fmt.Sprintf("地址%d", i))})
		return err
	})
	won := -1
	for i, err := range res {
		switch {
		case err == nil && won >= 0:
			t.Fatalf("callers %d and %d both won from version %d", won, i, seen)
		case err == nil:
			won = i
		case !store.IsStale(err) || !errs.Is(err, errs.Conflict):
			t.Fatalf("caller %d: %v, want a stale-version conflict", i, err)
		}
	}
	got, _ := s.FindEmployerByID(ctx, actor.Scope(), e.ID)
	if won < 0 || got.Address != fmt.Sprintf("地址%d", won) || got.Version != 2 {
		t.Fatalf("winner %d, stored %q version %d", won, got.Address, got.Version)
	}
	old := int64(1)
	if _, err := s.UpdateEmployer(ctx, actor, e.ID, registry.EmployerUpdate{Version: &old, Address: strp("迟到")}); !store.IsStale(err) {
		t.Fatalf("a change from an old version: %v, want stale", err)
	}
}

// The same two rules for workers' contact and bank data.
func testWorkerConcurrentPatches(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "并发甲")
	actor := Actor(access.RoleClerk, "370811")
	for round := range 6 {
		want := []string{fmt.Sprintf("并发乙%c", '甲'+rune(round)), fmt.Sprintf("1381234%04d", round),
			fmt.Sprintf("中国银行济宁%d支行", round), fmt.Sprintf("62220216080012%05d", round)}
		res := together(4, func(i int) error {
			var u registry.WorkerUpdate
			switch i {
			case 0:
				u.Name = strp(want[0])
			case 1:
				u.Phone = strp(want[1])
			case 2:
				u.BankName = strp(want[2])
			case 3:
				u.BankAccount = strp(want[3])
			}
			_, err := s.UpdateWorker(ctx, actor, w.ID, u)
			return err
		})
		for i, err := range res {
			if err != nil {
				t.Fatalf("round %d, patch %d: %v", round, i, err)
			}
		}
		got, err := s.FindWorkerByID(ctx, actor.Scope(), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != want[0] || got.Phone != want[1] || got.BankName != want[2] || got.BankAccount != want[3] {
			t.Fatalf("round %d: a concurrent change was lost: %q %q %q %q, want %q", round, got.Name, got.Phone, got.BankName, got.BankAccount, want)
		}
	}
	seen := int64(1 + 4*6)
	res := together(4, func(i int) error {
		_, err := s.UpdateWorker(ctx, actor, w.ID, registry.WorkerUpdate{Version: &seen, BankName: strp(fmt.Sprintf("银行%d", i))})
		return err
	})
	wins := 0
	for _, err := range res {
		if err == nil {
			wins++
		} else if !store.IsStale(err) {
			t.Fatalf("stale worker change: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d changes won from one version, want 1", wins)
	}
}

// Two clerks end one employment at once: one succeeds, the other is told.
func testEndEmploymentConcurrent(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "并发丙")
	emps, _ := s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	dates := []string{"2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30"}
	res := together(len(dates), func(i int) error {
		return s.EndEmployment(ctx, city(), w.ID, emps[0].ID, dates[i])
	})
	won := -1
	for i, err := range res {
		switch {
		case err == nil && won >= 0:
			t.Fatalf("the employment was ended twice (%s and %s)", dates[won], dates[i])
		case err == nil:
			won = i
		case !errs.Is(err, errs.Invalid):
			t.Fatalf("second ending: %v", err)
		}
	}
	emps, _ = s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	if won < 0 || emps[0].End != dates[won] {
		t.Fatalf("stored end %q, winner %d", emps[0].End, won)
	}
}

// Eight callers record the same month's wage at once: one row remains.
func testWagesConcurrent(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "并发丁")
	res := together(8, func(i int) error {
		return s.RecordWages(ctx, city(), w.ID, []registry.Wage{{EmployerID: e.ID, Period: "2026-01", AmountFen: int64(500000 + i)}})
	})
	for i, err := range res {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	ws, err := s.Wages(ctx, access.ScopeOf("370811"), w.ID)
	if err != nil || len(ws) != 1 || ws[0].AmountFen < 500000 || ws[0].AmountFen > 500007 {
		t.Fatalf("wages after concurrent upserts: %+v %v", ws, err)
	}
}

// OwnersOf names the region and the parties an object concerns, and
// MaySee decides on them for every kind of principal.
func testOwnersOf(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370832")
	other := MustEmployer(t, s, "370832")
	w := MustWorker(t, s, e, "梁山")
	if err := s.AddEmployment(ctx, city(), &registry.Employment{WorkerID: w.ID, EmployerID: other.ID, Start: "2025-01-01"}); err != nil {
		t.Fatal(err)
	}
	o, err := s.OwnersOf(ctx, access.KindEmployer, "worker", w.ID)
	if err != nil || o.Region != "370832" || o.WorkerID != w.ID || len(o.EmployerIDs) != 2 {
		t.Fatalf("worker owners %+v %v", o, err)
	}
	if staff, err := s.OwnersOf(ctx, access.KindStaff, "worker", w.ID); err != nil || staff.Region != o.Region || staff.EmployerIDs != nil {
		t.Fatalf("for staff, a worker's owners are its region without the employer query: %+v %v", staff, err)
	}
	for _, tt := range []struct {
		p    access.Principal
		want bool
	}{
		{Actor(access.RoleClerk, "370832"), true},
		{Actor(access.RoleClerk, "370811"), false},
		{access.Principal{Kind: access.KindWorker, WorkerID: w.ID}, true},
		{access.Principal{Kind: access.KindWorker, WorkerID: w.ID + 1}, false},
		{access.Principal{Kind: access.KindEmployer, EmployerID: other.ID}, true},
		{access.Principal{Kind: access.KindEmployer, EmployerID: other.ID + 1000}, false},
	} {
		if got := tt.p.MaySee(o); got != tt.want {
			t.Errorf("%+v MaySee worker = %v, want %v", tt.p, got, tt.want)
		}
	}
	eo, err := s.OwnersOf(ctx, access.KindEmployer, "employer", e.ID)
	if err != nil || eo.Region != "370832" || len(eo.EmployerIDs) != 1 || eo.EmployerIDs[0] != e.ID {
		t.Fatalf("employer owners %+v %v", eo, err)
	}
	if (access.Principal{Kind: access.KindEmployer, EmployerID: other.ID}).MaySee(eo) {
		t.Error("an employer sees another employer")
	}
	if _, err := s.OwnersOf(ctx, access.KindStaff, "worker", w.ID+1000); !errs.Is(err, errs.NotFound) {
		t.Errorf("missing worker: %v", err)
	}
}
