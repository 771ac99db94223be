package storetest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// MustSeal seals every pending audit entry.
func MustSeal(t testing.TB, s *store.Store) {
	t.Helper()
	for {
		n, err := s.SealAudit(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// MustCheckpoint signs the current head.
func MustCheckpoint(t testing.TB, s *store.Store) audit.Checkpoint {
	t.Helper()
	cp, err := s.AuditCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// wantAudit verifies and requires the given problem ("" for an intact
// chain) at seq, reported with the reason's words.
func wantAudit(t *testing.T, s *store.Store, cps []audit.Checkpoint, seq int64, reason string) store.AuditReport {
	t.Helper()
	rep, err := s.VerifyAudit(ctx, cps)
	switch {
	case err != nil:
		t.Fatal(err)
	case reason == "" && rep.Problem != nil:
		t.Fatalf("intact chain reported %v", rep.Problem)
	case reason != "" && (rep.Problem == nil || rep.Problem.Seq != seq || !strings.Contains(rep.Problem.Reason, reason)):
		t.Fatalf("problem = %v, want at seq %d: %s", rep.Problem, seq, reason)
	}
	return rep
}

func mustExec(t *testing.T, s *store.Store, query string, args ...any) {
	t.Helper()
	if _, err := s.DB().ExecContext(ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// employers registers n employers, n audit entries.
func employers(t *testing.T, s *store.Store, n int) {
	for i := 0; i < n; i++ {
		MustEmployer(t, s, "370811")
	}
}

func testAuditChain(t *testing.T, s *store.Store, _ *Clock) {
	e := MustEmployer(t, s, "370811")
	MustWorker(t, s, e, "赵磊")
	MustEmployer(t, s, "370812")
	if rep := wantAudit(t, s, nil, 0, ""); rep.Sealed != 0 || rep.Pending != 4 {
		t.Fatalf("before sealing: %+v", rep)
	}
	MustSeal(t, s)
	if rep := wantAudit(t, s, nil, 0, ""); rep.Sealed != 4 || rep.Pending != 0 {
		t.Fatalf("after sealing: %+v", rep)
	}
	var version int
	var kind string
	if err := s.DB().QueryRowContext(ctx, `SELECT hash_version, actor_kind FROM audit_log WHERE seq = 1`).Scan(&version, &kind); err != nil || version != audit.V2 || kind != "staff" {
		t.Fatalf("sealed entry: version %d, actor kind %q, %v", version, kind, err)
	}
	mustExec(t, s, `UPDATE audit_log SET after_json = '{}' WHERE seq = 2`)
	wantAudit(t, s, nil, 2, "内容与哈希不符")
	mustExec(t, s, `UPDATE audit_log SET after_json = '' WHERE seq = 2`)
	mustExec(t, s, `UPDATE audit_log SET actor_kind = 'system' WHERE seq = 3`)
	wantAudit(t, s, nil, 2, "内容与哈希不符")
}

// testAuditConcurrent appends from 16 writers at once while a sealer runs:
// the chain must come out gap-free and verifiable.
func testAuditConcurrent(t *testing.T, s *store.Store, _ *Clock) {
	const n = 16
	errc := make(chan error, n)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.SealAudit(ctx, 5); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		go func() {
			e := registry.Employer{CreditCode: CreditCode("370811"), Name: "济宁并发测试有限公司", RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100}
			errc <- s.CreateEmployer(ctx, city(), &e)
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	MustSeal(t, s)
	if rep := wantAudit(t, s, nil, 0, ""); rep.Sealed != n || rep.Pending != 0 {
		t.Fatalf("after %d concurrent writers: %+v", n, rep)
	}
}

// testAuditPendingListed: readers of the log see entries before they are
// sealed, newest first, and the same entries after.
func testAuditPendingListed(t *testing.T, s *store.Store, _ *Clock) {
	a, b := MustEmployer(t, s, "370811"), MustEmployer(t, s, "370811")
	list := func() []audit.Entry {
		got, total, err := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{ObjectType: "employer"})
		if err != nil || total != 2 || len(got) != 2 {
			t.Fatalf("entries: %d %+v %v", total, got, err)
		}
		return got
	}
	got := list()
	if got[0].ObjectID != itoa(b.ID) || got[1].ObjectID != itoa(a.ID) || got[0].Sealed() || got[0].ActorKind != "staff" {
		t.Fatalf("pending entries, newest first: %+v", got)
	}
	MustSeal(t, s)
	if got = list(); got[0].Seq != 2 || got[1].Seq != 1 || got[0].Hash == "" {
		t.Fatalf("sealed entries: %+v", got)
	}
}

// testAuditTailCut: deleting the newest rows and setting the head to the
// last row left is detected by the head's MAC, without checkpoints.
func testAuditTailCut(t *testing.T, s *store.Store, _ *Clock) {
	employers(t, s, 5)
	MustSeal(t, s)
	mustExec(t, s, `DELETE FROM audit_log WHERE seq > 3`)
	mustExec(t, s, `UPDATE audit_head SET seq = 3, hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1`)
	wantAudit(t, s, nil, 4, "链头签名无效")
	mustExec(t, s, `UPDATE audit_head SET mac = '' WHERE id = 1`)
	wantAudit(t, s, nil, 4, "链头签名无效")
}

// testAuditHeadReplayed: with the head row copied before the newest rows
// were written and put back after deleting them, only a checkpoint
// written in between shows the cut.
func testAuditHeadReplayed(t *testing.T, s *store.Store, _ *Clock) {
	employers(t, s, 3)
	MustSeal(t, s)
	var seq int64
	var hash, mac string
	if err := s.DB().QueryRowContext(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&seq, &hash, &mac); err != nil {
		t.Fatal(err)
	}
	employers(t, s, 2)
	MustSeal(t, s)
	cps := []audit.Checkpoint{MustCheckpoint(t, s)}
	wantAudit(t, s, cps, 0, "")
	mustExec(t, s, `DELETE FROM audit_log WHERE seq > 3`)
	mustExec(t, s, `UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1`, seq, hash, mac)
	wantAudit(t, s, nil, 0, "") // the limit of what the database alone can show
	wantAudit(t, s, cps, 4, "日志末尾被截断")
	employers(t, s, 2) // the chain regrows to the checkpoint's length
	MustSeal(t, s)
	wantAudit(t, s, cps, 5, "检查点不符")
}

// testAuditWholeLogDeleted: deleting every row and resetting the head to
// its state on a new database is shown by a checkpoint.
func testAuditWholeLogDeleted(t *testing.T, s *store.Store, _ *Clock) {
	employers(t, s, 3)
	MustSeal(t, s)
	cps := []audit.Checkpoint{MustCheckpoint(t, s)}
	mustExec(t, s, `DELETE FROM audit_log`)
	wantAudit(t, s, cps, 1, "日志末尾缺失")
	mustExec(t, s, `UPDATE audit_head SET seq = 0, hash = $1, mac = '' WHERE id = 1`, audit.Genesis)
	if rep := wantAudit(t, s, cps, 1, "日志末尾被截断"); rep.Sealed != 0 {
		t.Fatalf("report: %+v", rep)
	}
}

// testAuditRechained: editing a row and re-chaining it and every later row
// with the public audit.Seal, head included, is detected without the key:
// the hashes are not the audit key's.
func testAuditRechained(t *testing.T, s *store.Store, _ *Clock) {
	employers(t, s, 4)
	MustSeal(t, s)
	cps := []audit.Checkpoint{MustCheckpoint(t, s)}
	rows, _, err := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{})
	if err != nil || len(rows) != 4 {
		t.Fatalf("entries: %d %v", len(rows), err)
	}
	es := []audit.Entry{rows[3], rows[2], rows[1], rows[0]} // seq order
	es[1].After = `{"name":"改写"}`
	guess, _ := audit.ParseKey(audit.NewKey())
	head := audit.Head{Seq: es[0].Seq, Hash: es[0].Hash}
	for i := 1; i < len(es); i++ {
		audit.Seal(&es[i], head.Seq, head.Hash, guess)
		head = audit.Head{Seq: es[i].Seq, Hash: es[i].Hash}
		mustExec(t, s, `UPDATE audit_log SET after_json = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
			es[i].After, es[i].PrevHash, es[i].Hash, es[i].Seq)
	}
	audit.SignHead(&head, guess)
	mustExec(t, s, `UPDATE audit_head SET hash = $1, mac = $2 WHERE id = 1`, head.Hash, head.MAC)
	wantAudit(t, s, nil, 2, "内容与哈希不符")
	// Downgraded to the keyless version 1 from the start, with the head
	// unsigned, the rows look like a log from before keys: only a
	// checkpoint shows it.
	prev := audit.Genesis
	for i := range es {
		es[i].HashVersion, es[i].PrevHash = audit.V1, prev
		es[i].Hash = audit.ComputeHash(es[i], nil)
		prev = es[i].Hash
		mustExec(t, s, `UPDATE audit_log SET hash_version = 1, prev_hash = $1, hash = $2 WHERE seq = $3`, es[i].PrevHash, es[i].Hash, es[i].Seq)
	}
	mustExec(t, s, `UPDATE audit_head SET hash = $1, mac = '' WHERE id = 1`, prev)
	wantAudit(t, s, nil, 0, "")
	wantAudit(t, s, cps, 4, "检查点不符")
}

// testAuditSealerLoop: the run loop seals what writers append, hands out
// signed checkpoints when the chain grew, and seals and checkpoints once
// more when stopped.
func testAuditSealerLoop(t *testing.T, s *store.Store, _ *Clock) {
	var mu sync.Mutex
	var kept []audit.Checkpoint
	keep := func(cp audit.Checkpoint) error { mu.Lock(); kept = append(kept, cp); mu.Unlock(); return nil }
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		c, cancel := contextUntil(stop)
		defer cancel()
		done <- s.RunAuditSealer(c, 10*time.Millisecond, 20*time.Millisecond, keep)
	}()
	employers(t, s, 3)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, err := s.AuditPending(ctx); err != nil || (n == 0 && len(snapshot(&mu, kept)) > 0) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sealer did not seal within 10 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	employers(t, s, 2)
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got := snapshot(&mu, kept)
	last := got[len(got)-1]
	if last.Seq != 5 || !last.Valid(auditKey(t)) {
		t.Fatalf("checkpoints %+v: the last must be at seq 5 and valid", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Seq == got[i-1].Seq {
			t.Fatalf("checkpoint repeated without growth: %+v", got)
		}
	}
	wantAudit(t, s, got, 0, "")
}

func snapshot(mu *sync.Mutex, cps []audit.Checkpoint) []audit.Checkpoint {
	mu.Lock()
	defer mu.Unlock()
	return append([]audit.Checkpoint(nil), cps...)
}

func auditKey(t *testing.T) audit.Key {
	k, err := audit.ParseKey(TestAuditKey)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func contextUntil(stop <-chan struct{}) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-stop:
			cancel()
		case <-c.Done():
		}
	}()
	return c, cancel
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// testAuditWritersSkipHead: on PostgreSQL an audited write does not wait
// for the chain head, even while a sealer holds its lock; before the
// sealer every write bumped the head and queued behind whoever held it.
func testAuditWritersSkipHead(t *testing.T, s *store.Store, _ *Clock) {
	if s.Engine() != store.Postgres {
		t.Skip("SQLite has one writer: every write waits for any other, head or not")
	}
	holder, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, `SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	e := registry.Employer{CreditCode: CreditCode("370811"), Name: "济宁不等链头有限公司", RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100}
	if err := s.CreateEmployer(c, city(), &e); err != nil {
		t.Fatalf("audited write while the head is locked: %v", err)
	}
	holder.Rollback()
	MustSeal(t, s)
	wantAudit(t, s, nil, 0, "")
}

// testAuditIDsAfterSealing: once the sealer has emptied audit_pending, new
// entries (one, and several in one transaction) still take ids after every
// sealed one, seal without a clash, and list newest first.
func testAuditIDsAfterSealing(t *testing.T, s *store.Store, _ *Clock) {
	employers(t, s, 2)
	MustSeal(t, s)
	if n, err := s.AuditPending(ctx); err != nil || n != 0 {
		t.Fatalf("pending after sealing: %d %v", n, err)
	}
	employers(t, s, 1)
	b := &store.Bulk{Employers: []registry.Employer{
		{CreditCode: CreditCode("370811"), Name: "济宁批量一有限公司", RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100, Status: "active"},
		{CreditCode: CreditCode("370811"), Name: "济宁批量二有限公司", RegionCode: "370811", Industry: "51", RiskClass: 2, RateTierPct: 100, Status: "active"},
	}}
	if err := s.LoadBulk(ctx, city(), b, store.LoadOptions{AuditEach: true}); err != nil {
		t.Fatal(err)
	}
	list := func() []audit.Entry {
		got, total, err := s.FindAuditEntries(ctx, access.ScopeOf("370800"), store.AuditFilter{ObjectType: "employer"})
		if err != nil || total != 5 || len(got) != 5 {
			t.Fatalf("entries: %d %+v %v", total, got, err)
		}
		return got
	}
	got := list()
	for i := 1; i < len(got); i++ {
		if got[i].ID >= got[i-1].ID {
			t.Fatalf("ids not newest first and distinct: %+v", got)
		}
	}
	if got[0].Sealed() || got[2].Sealed() || !got[3].Sealed() {
		t.Fatalf("three pending above two sealed: %+v", got)
	}
	MustSeal(t, s)
	if got = list(); got[0].Seq != 5 || got[4].Seq != 1 {
		t.Fatalf("sealed in id order: %+v", got)
	}
	if rep := wantAudit(t, s, nil, 0, ""); rep.Sealed != 5 || rep.Pending != 0 {
		t.Fatalf("report: %+v", rep)
	}
}

// testAuditTwoSealers: two sealers at once (two server processes) while
// writers append: each seals only against the head it read, so the chain
// comes out whole and every entry once.
func testAuditTwoSealers(t *testing.T, s *store.Store, _ *Clock) {
	const n = 40
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.SealAudit(ctx, 3); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	employers(t, s, n)
	close(stop)
	wg.Wait()
	MustSeal(t, s)
	if rep := wantAudit(t, s, nil, 0, ""); rep.Sealed != n || rep.Pending != 0 {
		t.Fatalf("after two sealers: %+v", rep)
	}
}
