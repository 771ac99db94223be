package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// Run is the store conformance suite. Every engine must pass all of it.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *store.Store, c *Clock)
	}{
		{"Regions", testRegions},
		{"EmployerCreateFind", testEmployerCreateFind},
		{"EmployerInvalidWritesNothing", testEmployerInvalid},
		{"EmployerConflict", testEmployerConflict},
		{"WorkerConflict", testWorkerConflict},
		{"EmployerScope", testEmployerScope},
		{"EmployerUpdate", testEmployerUpdate},
		{"WorkerEncryptedAtRest", testWorkerEncrypted},
		{"WorkerSearch", testWorkerSearch},
		{"SearchEmployerName", testSearchEmployerName},
		{"SearchCreditCode", testSearchCreditCode},
		{"SearchWorker", testSearchWorker},
		{"SearchLiteralWildcards", testSearchLiteralWildcards},
		{"SearchRenamed", testSearchRenamed},
		{"SearchBulkLoaded", testSearchBulkLoaded},
		{"WorkerRollbackOnBadEmployment", testWorkerRollback},
		{"Wages", testWages},
		{"AuditChain", testAuditChain},
		{"AuditChainConcurrent", testAuditConcurrent},
		{"AuditPendingListed", testAuditPendingListed},
		{"AuditTailCut", testAuditTailCut},
		{"AuditTailCutOldHeadReplayed", testAuditHeadReplayed},
		{"AuditWholeLogDeleted", testAuditWholeLogDeleted},
		{"AuditRechainedWithSeal", testAuditRechained},
		{"AuditSealerLoop", testAuditSealerLoop},
		{"AuditIDsAfterSealing", testAuditIDsAfterSealing},
		{"AuditTwoSealers", testAuditTwoSealers},
		{"AuditWritersSkipHead", testAuditWritersSkipHead},
		{"LoginLockout", testLoginLockout},
		{"DisabledUserLosesSessions", testDisableUser},
		{"OwnersRegion", testRegionOf},
		{"EndEmployment", testEndEmployment},
		{"ChangePassword", testChangePassword},
		{"AuditVisibleToObjectRegion", testAuditObjectRegion},
		{"EmployerConcurrentPatches", testEmployerConcurrentPatches},
		{"EmployerStaleVersion", testEmployerStaleVersion},
		{"WorkerConcurrentPatches", testWorkerConcurrentPatches},
		{"EndEmploymentConcurrent", testEndEmploymentConcurrent},
		{"WagesConcurrent", testWagesConcurrent},
		{"OwnersOf", testOwnersOf},
		{"AuditFilters", testAuditFilters},
		{"AuditObjects", testAuditObjects},
		{"AssignUser", testAssignUser},
		{"AssignUserConcurrent", testAssignUserConcurrent},
		{"SessionFlash", testSessionFlash},
		{"CaseOpenFind", testCaseOpenFind},
		{"CaseActions", testCaseActions},
		{"CaseConcurrentActions", testCaseConcurrentActions},
		{"CaseReminders", testCaseReminders},
		{"CaseQueue", testCaseQueue},
		{"CaseToBenefits", testCaseToBenefits},
		{"CaseClaim", testCaseClaim},
		{"CaseConcurrentOpen", testCaseConcurrentOpen},
		{"CaseBeforeEmployment", testCaseBeforeEmployment},
		{"PortalActivateLogin", testPortalActivateLogin},
		{"PortalCodeRefused", testPortalCodeRefused},
		{"PortalLockoutConcurrent", testPortalLockoutConcurrent},
		{"PortalCorrection", testPortalCorrection},
		{"SettleStaffReads", testSettleStaffReads},
		{"SettleReview", testSettleReview},
		{"SettleReviewConcurrent", testSettleReviewConcurrent},
		{"SettleClearing", testSettleClearing},
		{"SettleClearingConcurrent", testSettleClearingConcurrent},
		{"SettleReconciliation", testSettleReconciliation},
	}
	tests = append(tests, payrollSuite...)
	tests = append(tests, supervisionSuite...)
	tests = append(tests, preventionExpertSuite...)
	tests = append(tests, preventionSuite...)
	tests = append(tests, preventionTrainingSuite...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewClock()
			tt.fn(t, open(t, c), c)
		})
	}
}

var ctx = context.Background()

func city() access.Principal { return Actor(access.RoleClerk, "370800") }

func testRegions(t *testing.T, s *store.Store, _ *Clock) {
	all, err := s.Regions(ctx, access.ScopeOf("370800"))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 12 || all[0].Code != "370800" || all[1].Code != "370811" {
		t.Fatalf("Jining scope: got %d regions starting %v, want 12 starting 370800, 370811", len(all), all[:1])
	}
	one, _ := s.Regions(ctx, access.ScopeOf("370881"))
	if len(one) != 1 || one[0].Name != "曲阜市" || one[0].Parent != "370800" {
		t.Fatalf("曲阜 scope: %+v", one)
	}
}

func testEmployerCreateFind(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	got, err := s.FindEmployerByID(ctx, access.ScopeOf("370800"), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != e.Name || got.CreditCode != e.CreditCode || got.RiskClass != 4 || !got.CreatedAt.Equal(e.CreatedAt) {
		t.Fatalf("got %+v, want %+v", got, e)
	}
	byCode, err := s.FindEmployerByCreditCode(ctx, access.ScopeOf("370811"), e.CreditCode)
	if err != nil || byCode.ID != e.ID {
		t.Fatalf("by credit code: %v %v", byCode.ID, err)
	}
	list, total, err := s.FindEmployers(ctx, access.ScopeOf("370800"), store.EmployerFilter{Query: "济宁测试"})
	if err != nil || total != 1 || len(list) != 1 || list[0].ID != e.ID {
		t.Fatalf("name prefix search: total %d, %v", total, err)
	}
	if _, err := s.FindEmployerByID(ctx, access.ScopeOf("370800"), e.ID+1000); !errs.Is(err, errs.NotFound) {
		t.Fatalf("missing employer: %v, want not found", err)
	}
}

func testEmployerInvalid(t *testing.T, s *store.Store, _ *Clock) {
	e := registry.Employer{CreditCode: "91370811MA3C12345X", Name: "", RegionCode: "370811", Industry: "99", RiskClass: 1, RateTierPct: 50}
	err := s.CreateEmployer(ctx, city(), &e)
	var fs errs.Fields
	if fs.Merge(err) != nil || !fs.Has("credit_code") || !fs.Has("name") || !fs.Has("industry") || !fs.Has("rate_tier_pct") {
		t.Fatalf("want field errors for credit_code, name, industry, rate_tier_pct; got %v", err)
	}
	e = registry.Employer{CreditCode: CreditCode("370899"), Name: "不存在地区公司", RegionCode: "370899", Industry: "51", RiskClass: 2, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, city(), &e); !errs.Is(err, errs.Invalid) {
		t.Fatalf("unknown region: %v", err)
	}
	_, total, _ := s.FindEmployers(ctx, access.ScopeOf("370000"), store.EmployerFilter{})
	n, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{})
	if total != 0 || len(n) != 0 {
		t.Fatalf("invalid input wrote %d employers, %d audit entries", total, len(n))
	}
}

func testEmployerConflict(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370812")
	dup := e
	dup.ID = 0
	err := s.CreateEmployer(ctx, city(), &dup)
	if !errs.Is(err, errs.Conflict) || !hasField(err, "credit_code", "usc_taken") {
		t.Fatalf("duplicate credit code: %v, want a conflict on credit_code", err)
	}
	if _, n, _ := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{ObjectType: "employer"}); n != 1 {
		t.Fatalf("%d employer entries after a refused duplicate, want 1", n)
	}
	// The creation's entry names the new id in its object and snapshot.
	es, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{ObjectType: "employer"})
	if id := fmt.Sprint(e.ID); es[0].ObjectID != id || !strings.HasPrefix(es[0].After, `{"id":`+id+`,`) || es[0].Before != "" {
		t.Fatalf("creation entry: object %s, before %q, after %.60s…; want id %s", es[0].ObjectID, es[0].Before, es[0].After, id)
	}

	// Two clerks registering one credit code at once: one wins, the other
	// gets the same field error, not an engine error.
	w := MustEmployer(t, s, "370812")
	w.CreditCode = CreditCode("370812")
	var wg sync.WaitGroup
	res := make([]error, 4)
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := w
			res[i] = s.CreateEmployer(ctx, city(), &c)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range res {
		switch {
		case err == nil:
			won++
		case !hasField(err, "credit_code", "usc_taken"):
			t.Fatalf("concurrent duplicate: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of 4 concurrent registrations of one credit code succeeded", won)
	}
}

func testWorkerConflict(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370812")
	w := MustWorker(t, s, e, "王建国")
	dup := registry.Worker{IDNumber: w.IDNumber, Name: "王建军", RegionCode: "370812"}
	err := s.CreateWorker(ctx, city(), &dup, &registry.Employment{EmployerID: e.ID, Start: "2021-01-01"})
	if !errs.Is(err, errs.Conflict) || !hasField(err, "id_number", "id_taken") {
		t.Fatalf("duplicate ID number: %v, want a conflict on id_number", err)
	}
	if strings.Contains(err.Error(), w.IDNumber) {
		t.Fatal("the conflict shows the ID number in full")
	}
	if _, n, _ := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{ObjectType: "worker"}); n != 1 {
		t.Fatalf("%d worker entries after a refused duplicate, want 1", n)
	}
}

// hasField reports whether err carries a field error of field and code.
func hasField(err error, field, code string) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Code == code {
			return true
		}
	}
	return false
}

func testEmployerScope(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370881")
	if _, err := s.FindEmployerByID(ctx, access.ScopeOf("370883"), e.ID); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("邹城 reading 曲阜's employer: %v, want forbidden", err)
	}
	list, total, _ := s.FindEmployers(ctx, access.ScopeOf("370883"), store.EmployerFilter{})
	if total != 0 || len(list) != 0 {
		t.Fatal("邹城 list shows 曲阜's employer")
	}
	other := registry.Employer{CreditCode: CreditCode("370881"), Name: "越权登记公司", RegionCode: "370881", Industry: "51", RiskClass: 2, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, Actor(access.RoleClerk, "370883"), &other); !errs.Is(err, errs.Invalid) {
		t.Fatalf("邹城 clerk registering in 曲阜: %v", err)
	}
	if _, err := s.UpdateEmployer(ctx, Actor(access.RoleClerk, "370883"), e.ID, registry.EmployerUpdate{}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("邹城 clerk updating 曲阜's employer: %v", err)
	}
}

func testEmployerUpdate(t *testing.T, s *store.Store, c *Clock) {
	e := MustEmployer(t, s, "370811")
	c.T = c.T.Add(time.Hour)
	name, tier := "济宁新名称有限公司", 150
	got, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{Name: &name, RateTierPct: &tier})
	if err != nil || got.Name != name || got.RateTierPct != 150 || !got.UpdatedAt.Equal(c.T.UTC()) {
		t.Fatalf("update: %+v %v", got, err)
	}
	bad := 7
	if _, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{RateTierPct: &bad}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("bad tier: %v", err)
	}
	entries, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{ObjectType: "employer"})
	if len(entries) != 2 || entries[0].Action != "employer.update" || entries[0].Before == "" {
		t.Fatalf("audit after update: %+v", entries)
	}
}

func testWorkerEncrypted(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "张伟")
	var idEnc, phoneEnc []byte
	var masked string
	if err := s.DB().QueryRowContext(ctx, `SELECT id_enc, phone_enc, id_masked FROM workers WHERE id = $1`, w.ID).Scan(&idEnc, &phoneEnc, &masked); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(idEnc, []byte(w.IDNumber)) || bytes.Contains(phoneEnc, []byte(w.Phone)) {
		t.Fatal("personal data stored in plain text")
	}
	if masked != w.IDNumber[:6]+"********"+w.IDNumber[14:] {
		t.Fatalf("masked = %q", masked)
	}
	got, err := s.FindWorkerByID(ctx, access.ScopeOf("370811"), w.ID)
	if err != nil || got.IDNumber != w.IDNumber || got.Phone != "13812345678" || got.Sex != w.Sex || got.BirthDate != "1988-03-15" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	var after string
	s.DB().QueryRowContext(ctx, `SELECT after_json FROM audit_log WHERE object_type = 'worker'`).Scan(&after)
	if bytes.Contains([]byte(after), []byte(w.IDNumber)) || bytes.Contains([]byte(after), []byte(w.Phone)) {
		t.Fatalf("audit log holds personal data in full: %s", after)
	}
}

func testWorkerSearch(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370829")
	w1 := MustWorker(t, s, e, "王芳")
	MustWorker(t, s, e, "王刚")
	MustWorker(t, s, e, "李娜")
	scope := access.ScopeOf("370829")
	tests := []struct {
		q    string
		want int
	}{{"王", 2}, {"王芳", 1}, {"李", 1}, {"赵", 0}, {w1.IDNumber, 1}, {"", 3}}
	for _, tt := range tests {
		list, total, err := s.FindWorkers(ctx, scope, store.WorkerFilter{Query: tt.q})
		if err != nil || total != tt.want || len(list) != tt.want {
			t.Errorf("query %q: total %d len %d err %v, want %d", tt.q, total, len(list), err, tt.want)
		}
		for _, w := range list {
			if w.IDNumber != "" || w.IDMasked == "" {
				t.Errorf("list must carry masked data only: %+v", w)
			}
		}
	}
	if _, total, _ := s.FindWorkers(ctx, scope, store.WorkerFilter{EmployerID: e.ID, Page: store.Page{Limit: 2}}); total != 3 {
		t.Errorf("by employer: total %d", total)
	}
	if _, err := s.FindWorkerByIDNumber(ctx, access.ScopeOf("370830"), w1.IDNumber); !errs.Is(err, errs.Forbidden) {
		t.Errorf("汶上 finding 嘉祥's worker: %v", err)
	}
}

func testWorkerRollback(t *testing.T, s *store.Store, _ *Clock) {
	w := registry.Worker{IDNumber: IDNumber("370811", "19900101"), Name: "刘洋", RegionCode: "370811"}
	emp := registry.Employment{EmployerID: 999999, Start: "2021-01-01"}
	err := s.CreateWorker(ctx, city(), &w, &emp)
	var fs errs.Fields
	if fs.Merge(err) != nil || !fs.Has("employer_id") {
		t.Fatalf("unknown employer: %v", err)
	}
	if _, total, _ := s.FindWorkers(ctx, access.ScopeOf("370000"), store.WorkerFilter{}); total != 0 {
		t.Fatal("a failed registration left a worker behind")
	}
	if rep, err := s.VerifyAudit(ctx, nil); rep.Sealed+rep.Pending != 0 || rep.Problem != nil || err != nil {
		t.Fatalf("audit after rollback: %+v %v", rep, err)
	}
	bad := registry.Worker{IDNumber: "370811199002301234", Name: "X", RegionCode: "370811"}
	err = s.CreateWorker(ctx, city(), &bad, nil)
	fs = nil
	if fs.Merge(err) != nil || !fs.Has("id_number") || !fs.Has("name") {
		t.Fatalf("bad worker: %v", err)
	}
}

func testWages(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "陈静")
	wages := []registry.Wage{{EmployerID: e.ID, Period: "2025-12", AmountFen: 612300}, {EmployerID: e.ID, Period: "2026-01", AmountFen: 598000}}
	if err := s.RecordWages(ctx, city(), w.ID, wages); err != nil {
		t.Fatal(err)
	}
	again := []registry.Wage{{EmployerID: e.ID, Period: "2026-01", AmountFen: 600000}}
	if err := s.RecordWages(ctx, city(), w.ID, again); err != nil {
		t.Fatal(err)
	}
	got, err := s.Wages(ctx, access.ScopeOf("370811"), w.ID)
	if err != nil || len(got) != 2 || got[0].Period != "2026-01" || got[0].AmountFen != 600000 {
		t.Fatalf("wages: %+v %v", got, err)
	}
	stranger := MustEmployer(t, s, "370811")
	var nf errs.Fields
	if nf.Merge(s.RecordWages(ctx, city(), w.ID, []registry.Wage{{EmployerID: stranger.ID, Period: "2026-02", AmountFen: 1}})) != nil || !nf.Has("wages[0].employer_id") {
		t.Fatalf("wage from an employer the worker never worked for: %+v", nf)
	}
	bad := []registry.Wage{{EmployerID: e.ID, Period: "2026-13", AmountFen: -1}}
	var fs errs.Fields
	if fs.Merge(s.RecordWages(ctx, city(), w.ID, bad)) != nil || !fs.Has("wages[0].period") || !fs.Has("wages[0].amount") {
		t.Fatalf("bad wage fields: %+v", fs)
	}
}

func testLoginLockout(t *testing.T, s *store.Store, c *Clock) {
	u, err := s.CreateUser(ctx, access.System, access.NewUser{Username: "clerk1", DisplayName: "王晓", Role: access.RoleClerk, RegionCode: "370811", Password: "correct-horse-1"})
	if err != nil {
		t.Fatal(err)
	}
	pol := access.LockPolicy{MaxFailures: 3, LockFor: 15 * time.Minute}
	for i := 0; i < 2; i++ {
		if _, _, err := s.Login(ctx, "clerk1", "wrong", pol, time.Hour); !errs.Is(err, errs.Unauth) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// The third failure locks, but says no more than any refusal does.
	if _, _, err := s.Login(ctx, "clerk1", "wrong", pol, time.Hour); !errs.Is(err, errs.Unauth) {
		t.Fatalf("third failure: %v", err)
	}
	if _, _, err := s.Login(ctx, "clerk1", "correct-horse-1", pol, time.Hour); !errs.Is(err, errs.Locked) {
		t.Fatalf("locked account accepted the right password: %v", err)
	}
	c.T = c.T.Add(16 * time.Minute)
	token, sess, err := s.Login(ctx, "clerk1", "correct-horse-1", pol, time.Hour)
	if err != nil || sess.User.ID != u.ID || sess.CSRFToken == "" {
		t.Fatalf("login after lock: %v", err)
	}
	if got, err := s.FindSession(ctx, token); err != nil || got.User.Username != "clerk1" {
		t.Fatalf("session: %v", err)
	}
	c.T = c.T.Add(2 * time.Hour)
	if _, err := s.FindSession(ctx, token); !errs.Is(err, errs.Unauth) {
		t.Fatalf("expired session: %v", err)
	}
}

func testDisableUser(t *testing.T, s *store.Store, _ *Clock) {
	admin := Actor(access.RoleAdmin, "370800")
	u, err := s.CreateUser(ctx, admin, access.NewUser{Username: "leaver", DisplayName: "李离", Role: access.RoleHotline, RegionCode: "370881", Password: "Exit-pass-7391"})
	if err != nil {
		t.Fatal(err)
	}
	pol := access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}
	token, _, err := s.Login(ctx, "leaver", "Exit-pass-7391", pol, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUserDisabled(ctx, Actor(access.RoleAdmin, "370811"), u.ID, true); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("任城 admin disabling a 曲阜 user: %v", err)
	}
	if err := s.SetUserDisabled(ctx, admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, token); !errs.Is(err, errs.Unauth) {
		t.Fatalf("session of a disabled user: %v", err)
	}
	if _, _, err := s.Login(ctx, "leaver", "Exit-pass-7391", pol, time.Hour); !errs.Is(err, errs.Unauth) {
		t.Fatalf("login of a disabled user: %v", err)
	}
}

func testRegionOf(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370832")
	w := MustWorker(t, s, e, "梁山")
	for _, tt := range []struct {
		kind string
		id   int64
	}{{"employer", e.ID}, {"worker", w.ID}} {
		if got, err := s.OwnersOf(ctx, access.KindStaff, tt.kind, tt.id); err != nil || got.Region != "370832" {
			t.Errorf("OwnersOf(%s) = %+v, %v", tt.kind, got, err)
		}
	}
	if _, err := s.OwnersOf(ctx, access.KindStaff, "worker", w.ID+100); !errs.Is(err, errs.NotFound) {
		t.Errorf("missing worker: %v", err)
	}
	lower := w.IDNumber
	if lower[17] == 'X' {
		lower = lower[:17] + "x"
	}
	if got, err := s.FindWorkerByIDNumber(ctx, access.ScopeOf("370832"), lower); err != nil || got.ID != w.ID {
		t.Errorf("find by ID number %s: %v", lower, err)
	}
}

func testEndEmployment(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	w := MustWorker(t, s, e, "吴昊")
	emps, _ := s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	id := emps[0].ID
	var fs errs.Fields
	if fs.Merge(s.EndEmployment(ctx, city(), w.ID, id, "2019-01-01")) != nil || !fs.Has("end") {
		t.Fatalf("end before start: %+v", fs)
	}
	if err := s.EndEmployment(ctx, Actor(access.RoleClerk, "370881"), w.ID, id, "2025-12-31"); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("曲阜 clerk ending a 任城 employment: %v", err)
	}
	if err := s.EndEmployment(ctx, city(), w.ID, id, "2025-12-31"); err != nil {
		t.Fatal(err)
	}
	emps, _ = s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	if emps[0].End != "2025-12-31" {
		t.Fatalf("end not stored: %+v", emps[0])
	}
	if err := s.EndEmployment(ctx, city(), w.ID, id, "2026-01-31"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("ending twice: %v", err)
	}
}

func testChangePassword(t *testing.T, s *store.Store, _ *Clock) {
	u, err := s.CreateUser(ctx, access.System, access.NewUser{Username: "pwuser", DisplayName: "张改", Role: access.RoleClerk, RegionCode: "370811", Password: "first-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	pol := access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}
	keep, _, _ := s.Login(ctx, "pwuser", "first-password-1", pol, time.Hour)
	other, _, _ := s.Login(ctx, "pwuser", "first-password-1", pol, time.Hour)
	p := u.Principal()
	var fs errs.Fields
	if fs.Merge(s.ChangePassword(ctx, p, "wrong", "second-password-2", keep)) != nil || !fs.Has("current") {
		t.Fatalf("wrong current password: %+v", fs)
	}
	fs = nil
	if fs.Merge(s.ChangePassword(ctx, p, "first-password-1", "short", keep)) != nil || !fs.Has("password") {
		t.Fatalf("short new password: %+v", fs)
	}
	if err := s.ChangePassword(ctx, p, "first-password-1", "second-password-2", keep); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindSession(ctx, keep); err != nil {
		t.Fatalf("the session that changed the password must stay: %v", err)
	}
	if _, err := s.FindSession(ctx, other); !errs.Is(err, errs.Unauth) {
		t.Fatalf("other sessions must end: %v", err)
	}
	if _, _, err := s.Login(ctx, "pwuser", "second-password-2", pol, time.Hour); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

func testAuditObjectRegion(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370881") // registered by a 曲阜 clerk
	name := "曲阜市市级修改有限公司"
	if _, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.FindAuditEntries(ctx, access.ScopeOf("370881"), store.AuditFilter{ObjectType: "employer"})
	if err != nil || len(got) != 2 || got[0].Region != "370800" || got[0].ObjRegion != "370881" {
		t.Fatalf("曲阜 must see the city's change to its employer: %+v %v", got, err)
	}
	if other, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370883"), store.AuditFilter{}); len(other) != 0 {
		t.Fatalf("邹城 sees %d entries about 曲阜", len(other))
	}
}
