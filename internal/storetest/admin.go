package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

var cstZone = time.FixedZone("CST", 8*3600)

func actions(es []audit.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action + " " + e.ObjectType + ":" + e.ObjectID
	}
	return out
}

// testAuditFilters: the audit log filtered by a date range (instants;
// the page turns China Standard Time dates into them), action and region,
// sealed and pending entries alike; EachAuditEntry walks exactly what
// FindAuditEntries lists, on all pages, in the same order.
func testAuditFilters(t *testing.T, s *store.Store, c *Clock) {
	day1 := c.T // 2026-03-02 09:30 CST
	rc := MustEmployer(t, s, "370811")
	qf := MustEmployer(t, s, "370881")
	c.T = day1.Add(24 * time.Hour)
	addr := "任城区新地址1号"
	if _, err := s.UpdateEmployer(ctx, city(), rc.ID, registry.EmployerUpdate{Address: &addr}); err != nil {
		t.Fatal(err)
	}
	MustSeal(t, s) // the day-1 entries and the update sealed; the next pending
	c.T = day1.Add(48 * time.Hour)
	if _, err := s.UpdateEmployer(ctx, city(), qf.ID, registry.EmployerUpdate{Address: &addr}); err != nil {
		t.Fatal(err)
	}
	midnight := func(d time.Time) time.Time {
		y, m, dd := d.In(cstZone).Date()
		return time.Date(y, m, dd, 0, 0, 0, 0, cstZone)
	}
	scope := access.ScopeOf("370800")
	for _, tt := range []struct {
		name string
		f    store.AuditFilter
		want []string
	}{
		{"all", store.AuditFilter{ObjectType: "employer"}, []string{"employer.update employer:" + itoa(qf.ID),
			"employer.update employer:" + itoa(rc.ID), "employer.create employer:" + itoa(qf.ID), "employer.create employer:" + itoa(rc.ID)}},
		{"day 2 only", store.AuditFilter{From: midnight(day1).AddDate(0, 0, 1), To: midnight(day1).AddDate(0, 0, 2)},
			[]string{"employer.update employer:" + itoa(rc.ID)}},
		{"from day 2", store.AuditFilter{From: midnight(day1).AddDate(0, 0, 1)},
			[]string{"employer.update employer:" + itoa(qf.ID), "employer.update employer:" + itoa(rc.ID)}},
		{"until day 1", store.AuditFilter{To: midnight(day1).AddDate(0, 0, 1)},
			[]string{"employer.create employer:" + itoa(qf.ID), "employer.create employer:" + itoa(rc.ID)}},
		{"action", store.AuditFilter{Action: "employer.create", Region: "370881"}, []string{"employer.create employer:" + itoa(qf.ID)}},
		{"region 曲阜", store.AuditFilter{Region: "370881"}, []string{"employer.update employer:" + itoa(qf.ID),
			"employer.create employer:" + itoa(qf.ID)}},
		{"nothing", store.AuditFilter{Action: "user.role"}, []string{}},
	} {
		got, total, err := s.FindAuditEntries(ctx, scope, tt.f)
		if err != nil || total != len(tt.want) || !slices.Equal(actions(got), tt.want) {
			t.Errorf("%s: total %d %v %v, want %v", tt.name, total, actions(got), err, tt.want)
		}
		var each []audit.Entry
		tt.f.Page = store.Page{Limit: 1, Offset: 1} // ignored by the walk
		if err := s.EachAuditEntry(ctx, scope, tt.f, func(e audit.Entry) error { each = append(each, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(actions(each), tt.want) {
			t.Errorf("%s: EachAuditEntry %v, want %v", tt.name, actions(each), tt.want)
		}
	}
	// A page of one keeps the order.
	if got, total, _ := s.FindAuditEntries(ctx, scope, store.AuditFilter{ObjectType: "employer", Page: store.Page{Limit: 1, Offset: 1}}); total != 4 ||
		len(got) != 1 || got[0].ObjectID != itoa(rc.ID) || got[0].Action != "employer.update" {
		t.Errorf("second page of one: %v (total %d)", actions(got), total)
	}
	// A region outside the scope is refused, by name.
	_, _, err := s.FindAuditEntries(ctx, access.ScopeOf("370881"), store.AuditFilter{Region: "370811"})
	if !hasField(err, "region", "region_forbidden") || !strings.Contains(err.Error(), "任城区") {
		t.Errorf("region outside the scope: %v", err)
	}
	if err := s.EachAuditEntry(ctx, access.ScopeOf("370881"), store.AuditFilter{Region: "370811"}, func(audit.Entry) error { return nil }); err == nil {
		t.Errorf("EachAuditEntry with a region outside the scope: no error")
	}
	// 曲阜's view has only its own entries, whatever the filter.
	got, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370881"), store.AuditFilter{})
	for _, e := range got {
		if e.ObjRegion != "370881" && e.Region != "370881" {
			t.Errorf("曲阜 sees %s in %s/%s", e.Action, e.Region, e.ObjRegion)
		}
	}
}

// testAuditObjects: the log names its objects (employer, worker, the
// worker of an employment, a user) with their pages, and only in scope.
func testAuditObjects(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "高静")
	u := MustUser(t, s, "rcclerk9", access.RoleClerk, "370811", "Right-horse-42")
	emps, err := s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	if err != nil || len(emps) != 1 {
		t.Fatal(emps, err)
	}
	es := []audit.Entry{{ObjectType: "employer", ObjectID: itoa(e.ID)}, {ObjectType: "worker", ObjectID: itoa(w.ID)},
		{ObjectType: "employment", ObjectID: itoa(emps[0].ID)}, {ObjectType: "user", ObjectID: itoa(u.ID)},
		{ObjectType: "batch", ObjectID: "0"}, {ObjectType: "employer", ObjectID: "x"}}
	got, err := s.AuditObjects(ctx, access.ScopeOf("370800"), es)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]store.AuditObject{
		"employer:" + itoa(e.ID):         {Name: e.Name, Href: "/employers/" + itoa(e.ID)},
		"worker:" + itoa(w.ID):           {Name: "高静", Href: "/workers/" + itoa(w.ID)},
		"employment:" + itoa(emps[0].ID): {Name: "高静的劳动关系", Href: "/workers/" + itoa(w.ID)},
		"user:" + itoa(u.ID):             {Name: u.DisplayName + "（rcclerk9）", Href: "/users"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("names:\n got %v\nwant %v", got, want)
	}
	if other, err := s.AuditObjects(ctx, access.ScopeOf("370881"), es); err != nil || len(other) != 0 {
		t.Errorf("曲阜 names 任城区's objects: %v %v", other, err)
	}
}

// testAssignUser: an administrator changes a user's role and region,
// audited with the user before and after; never their own, never outside
// their subtree, never a role above their own, never the last
// administrator of a region away from it.
func testAssignUser(t *testing.T, s *store.Store, _ *Clock) {
	city := MustUser(t, s, "cityadm", access.RoleAdmin, "370800", "Admin-pass-961").Principal()
	rc := MustUser(t, s, "rcadm", access.RoleAdmin, "370811", "Admin-pass-962").Principal()
	clerk := MustUser(t, s, "rcclerk", access.RoleClerk, "370811", "Right-horse-42")
	qf := MustUser(t, s, "qfclerk", access.RoleClerk, "370881", "Right-horse-43")

	if err := s.AssignUser(ctx, rc, clerk.ID, access.RoleAuditor, "370811"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.FindUserByID(ctx, clerk.ID)
	if got.Role != access.RoleAuditor || got.RegionCode != "370811" {
		t.Fatalf("after the change: %s %s", got.Role, got.RegionCode)
	}
	es, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370811"), store.AuditFilter{Action: "user.role"})
	if len(es) != 1 || es[0].Actor != "rcadm" || !strings.Contains(es[0].Before, `"role":"clerk"`) || !strings.Contains(es[0].After, `"role":"auditor"`) ||
		strings.Contains(es[0].After, "argon2") {
		t.Fatalf("audit of the change: %+v", es)
	}
	if err := s.AssignUser(ctx, rc, clerk.ID, access.RoleAuditor, "370811"); err != nil {
		t.Fatalf("no change: %v", err)
	}
	if es, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370811"), store.AuditFilter{Action: "user.role"}); len(es) != 1 {
		t.Fatalf("a change of nothing was audited: %d entries", len(es))
	}
	for _, tt := range []struct {
		name   string
		actor  access.Principal
		id     int64
		role   access.Role
		region string
		kind   errs.Kind
		text   string
	}{
		{"oneself", rc, rc.UserID, access.RoleClerk, "370811", errs.Conflict, "自己"},
		{"region outside the subtree", rc, clerk.ID, access.RoleClerk, "370881", errs.Invalid, "曲阜市"},
		{"a user outside the subtree", rc, qf.ID, access.RoleClerk, "370811", errs.Forbidden, "曲阜市"},
		{"unknown role", rc, clerk.ID, "boss", "370811", errs.Invalid, "角色"},
		{"unknown region", city, clerk.ID, access.RoleClerk, "370899", errs.Invalid, "370899"},
		{"role above one's own", Actor(access.RoleClerk, "370811"), clerk.ID, access.RoleAdmin, "370811", errs.Invalid, "系统管理"},
		{"the last administrator demoted", city, rc.UserID, access.RoleClerk, "370811", errs.Conflict, "任城区"},
		{"the last administrator moved", city, rc.UserID, access.RoleAdmin, "370812", errs.Conflict, "最后一个"},
	} {
		err := s.AssignUser(ctx, tt.actor, tt.id, tt.role, tt.region)
		if !errs.Is(err, tt.kind) || !strings.Contains(err.Error()+fmt.Sprint(err), tt.text) {
			t.Errorf("%s: %v, want %s mentioning %s", tt.name, err, tt.kind, tt.text)
		}
	}
	// The city moves its clerk to 曲阜: the entry shows in both counties.
	if err := s.AssignUser(ctx, city, clerk.ID, access.RoleClerk, "370881"); err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"370881", "370800"} {
		if es, _, _ := s.FindAuditEntries(ctx, access.ScopeOf(region), store.AuditFilter{Action: "user.role", Actor: "cityadm"}); len(es) != 1 {
			t.Errorf("the move seen from %s: %d entries", region, len(es))
		}
	}
	// With a second administrator, the first may be demoted.
	MustUser(t, s, "rcadm2", access.RoleAdmin, "370811", "Admin-pass-963")
	if err := s.AssignUser(ctx, city, rc.UserID, access.RoleClerk, "370811"); err != nil {
		t.Fatalf("demoting one of two: %v", err)
	}
	// One's own password is changed, not reset.
	if err := s.ResetPassword(ctx, city, city.UserID, "Fresh-horse-2026"); !errs.Is(err, errs.Conflict) {
		t.Errorf("resetting one's own password: %v", err)
	}
	// Creating a user with a role above one's own is refused as well.
	if _, err := s.CreateUser(ctx, Actor(access.RoleClerk, "370811"), access.NewUser{Username: "sneaky", DisplayName: "某某",
		Role: access.RoleAdmin, RegionCode: "370811", Password: "Right-horse-44"}); !hasField(err, "role", "role_above") {
		t.Errorf("a clerk creating an administrator: %v", err)
	}
}

// testAssignUserConcurrent: the two administrators of a region demote
// each other at the same moment; one must remain (on PostgreSQL the
// region's administrators are locked first).
func testAssignUserConcurrent(t *testing.T, s *store.Store, _ *Clock) {
	for round, region := range []string{"370883", "370811", "370812", "370826"} {
		a := MustUser(t, s, fmt.Sprintf("da%d", round), access.RoleAdmin, region, "Admin-pass-971")
		b := MustUser(t, s, fmt.Sprintf("db%d", round), access.RoleAdmin, region, "Admin-pass-972")
		var wg sync.WaitGroup
		var errA, errB error
		wg.Add(2)
		go func() { defer wg.Done(); errA = s.AssignUser(ctx, a.Principal(), b.ID, access.RoleClerk, region) }()
		go func() { defer wg.Done(); errB = s.AssignUser(ctx, b.Principal(), a.ID, access.RoleClerk, region) }()
		wg.Wait()
		if (errA == nil) == (errB == nil) {
			t.Fatalf("round %d: both or neither succeeded: %v / %v", round, errA, errB)
		}
		refused := errA
		if refused == nil {
			refused = errB
		}
		if !errs.Is(refused, errs.Conflict) {
			t.Fatalf("round %d: the refused one must be told why: %v / %v", round, errA, errB)
		}
		users, _ := s.FindUsers(ctx, access.ScopeOf(region))
		admins := 0
		for _, u := range users {
			if u.Role == access.RoleAdmin && !u.Disabled {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("round %d: %d administrators left, want 1", round, admins)
		}
	}
}

// testSessionFlash: a message kept with the session is read with it and
// cleared once shown; a newer message set meanwhile survives the clearing
// of the older one. The sign-in records the last login.
func testSessionFlash(t *testing.T, s *store.Store, c *Clock) {
	u := MustUser(t, s, "flashy", access.RoleClerk, "370811", "Right-horse-42")
	if u.LastLoginAt != nil {
		t.Fatalf("a new user has a last login: %v", u.LastLoginAt)
	}
	token, _, err := s.Login(ctx, "flashy", "Right-horse-42", access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindUserByID(ctx, u.ID); got.LastLoginAt == nil || !got.LastLoginAt.Equal(c.T) {
		t.Fatalf("last login %v, want %v", got.LastLoginAt, c.T)
	}
	flash := func() string {
		sess, err := s.FindSession(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return sess.Flash
	}
	if f := flash(); f != "" {
		t.Fatalf("a new session has a message: %q", f)
	}
	if err := s.SetFlash(ctx, token, "用人单位已登记。"); err != nil {
		t.Fatal(err)
	}
	if f := flash(); f != "用人单位已登记。" {
		t.Fatalf("message %q", f)
	}
	if err := s.SetFlash(ctx, token, "职工已登记。"); err != nil { // another tab's change
		t.Fatal(err)
	}
	if err := s.ClearFlash(ctx, token, "用人单位已登记。"); err != nil {
		t.Fatal(err)
	}
	if f := flash(); f != "职工已登记。" {
		t.Fatalf("the newer message was cleared with the older: %q", f)
	}
	if err := s.ClearFlash(ctx, token, "职工已登记。"); err != nil {
		t.Fatal(err)
	}
	if f := flash(); f != "" {
		t.Fatalf("after it was shown: %q", f)
	}
}
