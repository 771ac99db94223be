package storetest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/bankfile"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The payroll's conformance cases: a cycle from open to closed with a
// return and a re-issue, every check's reason code, arrears when a
// suspension clears, an adjustment with arrears, recoveries, maker-checker
// and concurrent moves, on both engines.

var payrollSuite = []struct {
	name string
	fn   func(t *testing.T, s *store.Store, c *Clock)
}{
	{"PayrollCycleFlow", testPayrollCycleFlow},
	{"PayrollChecks", testPayrollChecks},
	{"PayrollSurvivorChecks", testPayrollSurvivorChecks},
	{"PayrollArrearsOnResume", testPayrollArrearsOnResume},
	{"PayrollAdjustment", testPayrollAdjustment},
	{"PayrollRecovery", testPayrollRecovery},
	{"PayrollConcurrent", testPayrollConcurrent},
	{"PayrollBadReturn", testPayrollBadReturn},
	{"PayrollNursingRerate", testPayrollNursingRerate},
	{"PayrollOneOffs", testPayrollOneOffs},
}

// maker and checker are two benefits officers of the city; approver is
// the cycle approver.
func maker() access.Principal {
	p := Actor(access.RoleBenefits, "370800")
	p.UserID = 11
	return p
}

func checker() access.Principal {
	p := Actor(access.RoleBenefits, "370800")
	p.UserID = 12
	return p
}

func approver() access.Principal {
	p := Actor(access.RoleCycleApprover, "370800")
	p.UserID = 13
	return p
}

var cardSerial int

// Card is a valid (Luhn) bank card number, a new one each call.
func Card() string {
	cardSerial++
	body := fmt.Sprintf("622202160%09d", 100000000+cardSerial)
	return body + string(payroll.LuhnDigit(body))
}

// MustPayee registers a worker in region with a valid bank card.
func MustPayee(t testing.TB, s *store.Store, e registry.Employer, name, birth string) registry.Worker {
	t.Helper()
	w := registry.Worker{IDNumber: IDNumber(e.RegionCode, birth), Name: name, Phone: "13812345678",
		BankName: "中国工商银行济宁分行", BankAccount: Card(), RegionCode: e.RegionCode}
	if err := s.CreateWorker(ctx, Actor(access.RoleClerk, e.RegionCode), &w, &registry.Employment{EmployerID: e.ID, Start: "2010-07-01"}); err != nil {
		t.Fatalf("MustPayee: %v", err)
	}
	return w
}

// MustEntitlement records a legacy entitlement paid since start.
func MustEntitlement(t testing.TB, s *store.Store, w registry.Worker, typ string, level int, fen int64, start string) int64 {
	t.Helper()
	n := store.NewEntitlement{WorkerID: w.ID, Type: typ, Level: level, AmountFen: fen, Start: start, BankName: "中国工商银行济宁分行",
		BankAccount: Card(), CertifiedOn: "2026-01-05"}
	if typ == payroll.TypeNursing {
		n.Care = "most"
	}
	id, err := s.CreateLegacyEntitlement(ctx, maker(), n)
	if err != nil {
		t.Fatalf("MustEntitlement: %v", err)
	}
	return id
}

// openRun opens region's cycle for the clock's month and runs its job.
func openRun(t testing.TB, s *store.Store, region string, c *Clock) store.PayrollCycle {
	t.Helper()
	set := params(t)
	cy, err := s.OpenCycle(ctx, maker(), set, region, payroll.MonthOf(c.T).String())
	if err != nil {
		t.Fatalf("open cycle: %v", err)
	}
	if err := s.RunCycle(ctx, set, cy.ID); err != nil {
		t.Fatalf("run cycle: %v", err)
	}
	cy, err = s.FindCycle(ctx, maker(), cy.ID)
	if err != nil || cy.State != payroll.Review {
		t.Fatalf("cycle after run: %v %v", cy.State, err)
	}
	return cy
}

// approve submits (maker) and approves (the cycle approver) a cycle.
func approve(t testing.TB, s *store.Store, cy store.PayrollCycle) store.PayrollCycle {
	t.Helper()
	cy, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Submit, Version: cy.Version})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	cy, err = s.ActOnCycle(ctx, approver(), cy.ID, store.CycleAction{Action: payroll.Approve, Version: cy.Version})
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	return cy
}

// payAll generates and sends the cycle's files and returns them from the
// simulated bank, failing the refs in fail; then closes the cycle if
// nothing failed.
func payAll(t testing.TB, s *store.Store, cy store.PayrollCycle, fail map[string]bool) {
	t.Helper()
	bs, err := s.GenerateBankFiles(ctx, maker(), cy.ID)
	if err != nil {
		t.Fatalf("bank files: %v", err)
	}
	for _, b := range bs {
		if b.State != "generated" {
			continue
		}
		var file bytes.Buffer
		if _, err := s.BankFile(ctx, maker(), b.ID, &file); err != nil {
			t.Fatalf("bank file: %v", err)
		}
		if err := s.MarkBatchSent(ctx, maker(), b.ID, b.Version); err != nil {
			t.Fatalf("sent: %v", err)
		}
		ret, err := bankfile.SimulateReturn(file.Bytes(), func(p bankfile.Payment) (string, string, bool) {
			return "E01", "账户已销户", fail[p.Ref]
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.ImportReturn(ctx, maker(), b.ID, bytes.NewReader(ret)); err != nil {
			t.Fatalf("return: %v", err)
		}
	}
	if len(fail) == 0 {
		cy, _ = s.FindCycle(ctx, maker(), cy.ID)
		if _, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Close, Version: cy.Version}); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
}

// linesOf maps a cycle's lines by entitlement and kind.
func linesOf(t testing.TB, s *store.Store, cycleID int64) map[string]store.PayrollLine {
	t.Helper()
	out := map[string]store.PayrollLine{}
	err := s.EachCycleLine(ctx, maker(), cycleID, store.LineFilter{}, func(l store.PayrollLine) error {
		k := fmt.Sprintf("%d/%s", l.EntitlementID, l.Kind)
		if _, dup := out[k]; dup && l.Kind != payroll.KindReissue {
			return fmt.Errorf("two %s lines for entitlement %d", l.Kind, l.EntitlementID)
		}
		out[k] = l
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func key(id int64, kind string) string { return fmt.Sprintf("%d/%s", id, kind) }

func testPayrollCycleFlow(t *testing.T, s *store.Store, c *Clock) {
	e := MustEmployer(t, s, "370811")
	a, b, d := MustPayee(t, s, e, "孙大伟", "19700101"), MustPayee(t, s, e, "钱小红", "19750601"), MustPayee(t, s, e, "李五", "19800101")
	ea := MustEntitlement(t, s, a, payroll.TypeDisability, 2, 512300, "2025-06")
	en := MustEntitlement(t, s, a, payroll.TypeNursing, 0, 304840, "2025-06")
	eb := MustEntitlement(t, s, b, payroll.TypeDisability, 4, 301000, "2025-10")
	ed := MustEntitlement(t, s, d, payroll.TypeDisability, 5, 280000, "2025-10")
	cy := openRun(t, s, "370811", c)
	ls := linesOf(t, s, cy.ID)
	for id, want := range map[int64]payroll.LineState{ea: payroll.LinePayable, en: payroll.LinePayable, eb: payroll.LinePayable, ed: payroll.LineRecorded} {
		if got := ls[key(id, payroll.KindRegular)].State; got != want {
			t.Errorf("entitlement %d: %s, want %s", id, got, want)
		}
	}
	if ls[key(ed, payroll.KindRegular)].Reason != payroll.ReasonEmployerPaid {
		t.Errorf("level 5: reason %q", ls[key(ed, payroll.KindRegular)].Reason)
	}
	if cy.PayableCount != 3 || cy.PayableFen != 512300+304840+301000 || cy.DueDate != "2026-03-20" {
		t.Fatalf("cycle: %d payable, %d fen, due %s", cy.PayableCount, cy.PayableFen, cy.DueDate)
	}
	// Opening again returns the same cycle and writes nothing more.
	again, err := s.OpenCycle(ctx, maker(), params(t), "370811", cy.Month)
	if err != nil || again.ID != cy.ID {
		t.Fatalf("open again: %d %v", again.ID, err)
	}
	cy, err = s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Submit, Version: cy.Version})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Approve, Version: cy.Version}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("preparer approving: %v, want forbidden", err)
	}
	if _, err := s.GenerateBankFiles(ctx, maker(), cy.ID); !errs.Is(err, errs.Conflict) {
		t.Fatalf("files before approval: %v", err)
	}
	cy, err = s.ActOnCycle(ctx, approver(), cy.ID, store.CycleAction{Action: payroll.Approve, Version: cy.Version})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ActOnCycle(ctx, approver(), cy.ID, store.CycleAction{Action: payroll.Close, Version: cy.Version}); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the cycle approver closing: %v, want forbidden", err)
	}
	bs, err := s.GenerateBankFiles(ctx, maker(), cy.ID)
	if err != nil || len(bs) != 1 || bs[0].LineCount != 3 || bs[0].Ref != "370811-2026-03-ICBC-1" {
		t.Fatalf("files: %+v %v", bs, err)
	}
	bs2, err := s.GenerateBankFiles(ctx, maker(), cy.ID)
	if err != nil || len(bs2) != 1 || bs2[0].ID != bs[0].ID {
		t.Fatalf("generating again made another file: %+v %v", bs2, err)
	}
	var f1, f2 bytes.Buffer
	if _, err := s.BankFile(ctx, maker(), bs[0].ID, &f1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BankFile(ctx, maker(), bs[0].ID, &f2); err != nil || !bytes.Equal(f1.Bytes(), f2.Bytes()) {
		t.Fatalf("regenerated file differs: %v", err)
	}
	if _, err := s.BankFile(ctx, approver(), bs[0].ID, &f2); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("cycle approver downloading accounts: %v", err)
	}
	h, pays, err := bankfile.ParsePayment(bytes.NewReader(f1.Bytes()))
	if err != nil || h.Count != 3 || h.TotalFen != cy.PayableFen || len(pays) != 3 {
		t.Fatalf("parsed file: %+v %d %v", h, len(pays), err)
	}
	if err := s.MarkBatchSent(ctx, maker(), bs[0].ID, bs[0].Version); err != nil {
		t.Fatal(err)
	}
	cy, _ = s.FindCycle(ctx, maker(), cy.ID)
	if cy.State != payroll.Paying || cy.OnTime == nil || !*cy.OnTime {
		t.Fatalf("after sending: %s on time %v", cy.State, cy.OnTime)
	}
	failRef := ls[key(eb, payroll.KindRegular)].Ref()
	ret, _ := bankfile.SimulateReturn(f1.Bytes(), func(p bankfile.Payment) (string, string, bool) { return "E01", "账户已销户", p.Ref == failRef })
	paid, failed, err := s.ImportReturn(ctx, maker(), bs[0].ID, bytes.NewReader(ret))
	if err != nil || paid != 2 || failed != 1 {
		t.Fatalf("return: %d paid %d failed %v", paid, failed, err)
	}
	if _, _, err := s.ImportReturn(ctx, maker(), bs[0].ID, bytes.NewReader(ret)); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "不能重复导入") {
		t.Fatalf("same return twice: %v", err)
	}
	if _, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Close, Version: cy.Version}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("closing with a failed line: %v", err)
	}
	fl := linesOf(t, s, cy.ID)[key(eb, payroll.KindRegular)]
	if fl.State != payroll.LineFailed || fl.ReturnReason != "账户已销户" {
		t.Fatalf("failed line: %+v", fl)
	}
	if _, err := s.ReissueLine(ctx, maker(), fl.ID, fl.Version); !errs.Is(err, errs.Invalid) {
		t.Fatalf("re-issue to the same account: %v", err)
	}
	ent, _ := s.FindEntitlement(ctx, maker(), eb)
	if !strings.HasPrefix(ent.BankMasked, "6222") || ent.BankValid {
		t.Fatalf("after a 退票 the account is under suspicion: %+v", ent)
	}
	if err := s.SetPayeeAccount(ctx, maker(), eb, ent.Version, "济宁银行", "123"); !errs.Is(err, errs.Invalid) {
		t.Fatalf("bad account: %v", err)
	}
	if err := s.SetPayeeAccount(ctx, maker(), eb, ent.Version, "济宁银行", Card()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReissueLine(ctx, maker(), fl.ID, fl.Version); err != nil {
		t.Fatal(err)
	}
	cy, _ = s.FindCycle(ctx, maker(), cy.ID)
	payAll(t, s, cy, nil)
	cy, _ = s.FindCycle(ctx, maker(), cy.ID)
	if cy.State != payroll.Closed {
		t.Fatalf("cycle: %s, want closed", cy.State)
	}
	bs, _ = s.CycleBatches(ctx, maker(), cy.ID)
	if len(bs) != 2 || bs[1].BankCode != "JNB" || bs[1].Seq != 2 || bs[1].LineCount != 1 {
		t.Fatalf("re-issue file: %+v", bs)
	}
	hist, err := s.WorkerPayments(ctx, maker(), a.ID, 0)
	if err != nil || len(hist) != 2 {
		t.Fatalf("history of 孙大伟: %d lines %v", len(hist), err)
	}
	var notices int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM payroll_notices WHERE kind = 'payment'`).Scan(&notices); err != nil || notices != 3 {
		t.Fatalf("payment notices: %d %v", notices, err)
	}
}

// eventCase is one check: an entitlement, the events recorded, the
// expected outcome of the March 2026 line.
func testPayrollChecks(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	type tc struct {
		name   string
		typ    string
		level  int
		events []store.NewPayeeEvent
		cert   string
		state  payroll.LineState
		reason payroll.Reason
	}
	cases := []tc{
		{"payable", payroll.TypeDisability, 1, nil, "", payroll.LinePayable, payroll.ReasonNone},
		{"death last month", payroll.TypeDisability, 1, []store.NewPayeeEvent{{Kind: payroll.EventDeath, On: "2026-02-10"}}, "", payroll.LineStopped, payroll.ReasonWorkerDeath},
		{"death this month: still paid", payroll.TypeNursing, 0, []store.NewPayeeEvent{{Kind: payroll.EventDeath, On: "2026-03-01"}}, "", payroll.LinePayable, payroll.ReasonNone},
		{"certification overdue", payroll.TypeDisability, 2, nil, "2025-01-20", payroll.LineSuspended, payroll.ReasonCertOverdue},
		{"certification 12 months ago", payroll.TypeDisability, 2, nil, "2025-03-01", payroll.LinePayable, payroll.ReasonNone},
		{"retired", payroll.TypeDisability, 3, []store.NewPayeeEvent{{Kind: payroll.EventRetired, On: "2026-01-15", PensionFen: 250000}}, "", payroll.LineStopped, payroll.ReasonRetired},
		{"retired keeps nursing", payroll.TypeNursing, 0, []store.NewPayeeEvent{{Kind: payroll.EventRetired, On: "2026-01-15"}}, "", payroll.LinePayable, payroll.ReasonNone},
		{"in prison", payroll.TypeDisability, 4, []store.NewPayeeEvent{{Kind: payroll.EventPrison, On: "2026-02-01"}}, "", payroll.LineSuspended, payroll.ReasonPrison},
		{"released", payroll.TypeDisability, 4, []store.NewPayeeEvent{{Kind: payroll.EventPrison, On: "2025-05-01", Until: "2026-02-27"}}, "", payroll.LinePayable, payroll.ReasonNone},
		{"employer pays level 6", payroll.TypeDisability, 6, nil, "", payroll.LineRecorded, payroll.ReasonEmployerPaid},
	}
	ents := make([]int64, len(cases))
	workers := make([]registry.Worker, len(cases))
	for i, k := range cases {
		workers[i] = MustPayee(t, s, e, fmt.Sprintf("核查%02d", i), "19660101")
		n := store.NewEntitlement{WorkerID: workers[i].ID, Type: k.typ, Level: k.level, AmountFen: 400000, Start: "2025-01", BankName: "中国农业银行",
			BankAccount: Card(), CertifiedOn: "2026-01-05"}
		if k.cert != "" {
			n.CertifiedOn = k.cert
		}
		if k.typ == payroll.TypeNursing {
			n.Care = "full"
		}
		id, err := s.CreateLegacyEntitlement(ctx, maker(), n)
		if err != nil {
			t.Fatalf("%s: %v", k.name, err)
		}
		ents[i] = id
		for _, ev := range k.events {
			ev.WorkerID = workers[i].ID
			if _, err := s.RecordPayeeEvent(ctx, maker(), set, ev); err != nil {
				t.Fatalf("%s: event: %v", k.name, err)
			}
		}
	}
	cy := openRun(t, s, "370811", c)
	ls := linesOf(t, s, cy.ID)
	for i, k := range cases {
		l := ls[key(ents[i], payroll.KindRegular)]
		if l.State != k.state || l.Reason != k.reason {
			t.Errorf("%s: %s %q, want %s %q", k.name, l.State, l.Reason, k.state, k.reason)
		}
	}
	// The retired level 3 worker: the difference (4,000 − 2,500 yuan) from February.
	es, _ := s.WorkerEntitlements(ctx, maker(), workers[5].ID)
	var diff *store.Entitlement
	for i := range es {
		if es[i].Type == payroll.TypeDifference {
			diff = &es[i]
		}
	}
	if diff == nil || diff.AmountFen != 150000 || diff.Start != "2026-02-01" || ls[key(diff.ID, payroll.KindRegular)].State != payroll.LinePayable {
		t.Fatalf("pension difference: %+v", diff)
	}
	// Approval ends the stopped entitlements: April snapshots none of them.
	approve(t, s, cy)
	if got, _ := s.FindEntitlement(ctx, maker(), ents[1]); got.Status != "stopped" || got.StatusReason != string(payroll.ReasonWorkerDeath) || got.End != "2026-02-28" {
		t.Fatalf("stopped entitlement: %+v", got)
	}
	// Bad input: an event in the future, a release before imprisonment.
	if _, err := s.RecordPayeeEvent(ctx, maker(), set, store.NewPayeeEvent{WorkerID: workers[0].ID, Kind: payroll.EventDeath, On: "2027-01-01"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("future event: %v", err)
	}
	if _, err := s.RecordPayeeEvent(ctx, maker(), set, store.NewPayeeEvent{WorkerID: workers[0].ID, Kind: payroll.EventPrison, On: "2026-02-01", Until: "2026-01-01"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("release before prison: %v", err)
	}
}

func testPayrollSurvivorChecks(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	w := MustPayee(t, s, e, "周亡故", "19680101")
	dep := func(name, rel, birth string, incap bool) store.NewDependant {
		return store.NewDependant{Name: name, IDNumber: IDNumber("370811", birth), Relation: rel, Incapacitated: incap, BankName: "中国建设银行", BankAccount: Card()}
	}
	d := store.SurvivorDecision{WorkerID: w.ID, DeathDate: "2025-06-12", BaseWageFen: 800000, Dependants: []store.NewDependant{
		dep("周妻", "spouse", "19650301", false),   // 0: remarried in January
		dep("周长子", "child", "20080110", false),   // 1: 18 in January 2026
		dep("周次子", "child", "20120505", false),   // 2: adopted in February
		dep("周女", "child", "20070707", true),     // 3: over 18 but fully incapacitated
		dep("周父", "parent", "19500101", false),   // 4: employed
		dep("周母", "parent", "19520101", false),   // 5: died in February
		dep("周幼女", "child", "20150101", false),   // 6: payable
		dep("周外人", "sibling", "19900101", false), // 7: an adult sibling: not eligible, no pension
	}}
	d.Dependants[1].GuardianName = "周妻"
	ids, err := s.DecideSurvivorPensions(ctx, checker(), set, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 7 {
		t.Fatalf("survivor entitlements: %d, want 7 (the adult sibling is not a dependant)", len(ids))
	}
	var total int64
	ents := make([]store.Entitlement, len(ids))
	for i, id := range ids {
		ents[i], _ = s.FindEntitlement(ctx, maker(), id)
		total += ents[i].AmountFen
	}
	if total > 800000 || ents[0].Start != "2025-07-01" {
		t.Fatalf("survivor pensions total %d (cap 800000), start %s", total, ents[0].Start)
	}
	if _, err := s.DecideSurvivorPensions(ctx, checker(), set, d); !errs.Is(err, errs.Conflict) {
		t.Fatalf("deciding twice: %v", err)
	}
	for _, ev := range []struct {
		i    int
		kind string
		on   string
	}{{0, payroll.EventRemarried, "2026-01-20"}, {2, payroll.EventAdopted, "2026-02-02"}, {4, payroll.EventEmployed, "2026-02-15"}, {5, payroll.EventDeath, "2026-02-20"}} {
		if _, err := s.RecordPayeeEvent(ctx, maker(), set, store.NewPayeeEvent{WorkerID: w.ID, DependantID: ents[ev.i].DependantID, Kind: ev.kind, On: ev.on}); err != nil {
			t.Fatal(err)
		}
	}
	cy := openRun(t, s, "370811", c)
	ls := linesOf(t, s, cy.ID)
	want := []payroll.Reason{payroll.ReasonRemarried, payroll.ReasonAge18, payroll.ReasonAdopted, payroll.ReasonNone, payroll.ReasonEmployed, payroll.ReasonDeath, payroll.ReasonNone}
	for i, r := range want {
		if got := ls[key(ids[i], payroll.KindRegular)].Reason; got != r {
			t.Errorf("dependant %s: reason %q, want %q", d.Dependants[i].Name, got, r)
		}
	}
	bad := d
	bad.Dependants = []store.NewDependant{dep("", "cousin", "20100101", false)}
	bad.Dependants[0].BankAccount = "6222021608001234567"
	err = func() error { _, err := s.DecideSurvivorPensions(ctx, checker(), set, bad); return err }()
	for _, f := range []string{"dependants[0].name", "dependants[0].relation", "dependants[0].bank_account"} {
		if !errs.Is(err, errs.Invalid) || !strings.Contains(fmt.Sprint(err.(*errs.Error).Fields), f) {
			t.Errorf("bad dependant: %v, want a message on %s", err, f)
		}
	}
}

func testPayrollArrearsOnResume(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	w := MustPayee(t, s, e, "吴认证", "19700101")
	id, err := s.CreateLegacyEntitlement(ctx, maker(), store.NewEntitlement{WorkerID: w.ID, Type: payroll.TypeDisability, Level: 1, AmountFen: 450000,
		Start: "2024-06", BankName: "交通银行", BankAccount: Card(), CertifiedOn: "2025-01-10"})
	if err != nil {
		t.Fatal(err)
	}
	march := openRun(t, s, "370811", c)
	if l := linesOf(t, s, march.ID)[key(id, payroll.KindRegular)]; l.Reason != payroll.ReasonCertOverdue {
		t.Fatalf("March: %q", l.Reason)
	}
	payAll(t, s, approve(t, s, march), nil)
	c.T = time.Date(2026, 3, 25, 1, 0, 0, 0, time.UTC)
	if _, err := s.RecordPayeeEvent(ctx, maker(), set, store.NewPayeeEvent{WorkerID: w.ID, Kind: payroll.EventCertified, On: "2026-03-25"}); err != nil {
		t.Fatal(err)
	}
	c.T = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	april := openRun(t, s, "370811", c)
	ls := linesOf(t, s, april.ID)
	reg, arr := ls[key(id, payroll.KindRegular)], ls[key(id, payroll.KindArrears)]
	if reg.State != payroll.LinePayable || arr.GrossFen != 450000 || arr.ForMonths != "2026-03" || arr.State != payroll.LinePayable {
		t.Fatalf("April: regular %s, arrears %+v", reg.State, arr)
	}
	// Sent back and rechecked, the cycle makes the same arrears once.
	approveBack := func() {
		cy, _ := s.FindCycle(ctx, maker(), april.ID)
		cy, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Submit, Version: cy.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ActOnCycle(ctx, checker(), cy.ID, store.CycleAction{Action: payroll.SendBack, Version: cy.Version}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("send back without a reason: %v", err)
		}
		cy, err = s.ActOnCycle(ctx, checker(), cy.ID, store.CycleAction{Action: payroll.SendBack, Version: cy.Version, Reason: "请核对补发"})
		if err != nil || cy.State != payroll.Review {
			t.Fatalf("send back: %v", err)
		}
		if _, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Recheck, Version: cy.Version}); err != nil {
			t.Fatal(err)
		}
		if err := s.RunCycle(ctx, set, cy.ID); err != nil {
			t.Fatal(err)
		}
	}
	approveBack()
	ls = linesOf(t, s, april.ID)
	if arr := ls[key(id, payroll.KindArrears)]; arr.GrossFen != 450000 {
		t.Fatalf("arrears after recheck: %+v", arr)
	}
}

func testPayrollAdjustment(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	w1, w2 := MustPayee(t, s, e, "调待甲", "19700101"), MustPayee(t, s, e, "调待乙", "19700101")
	e1 := MustEntitlement(t, s, w1, payroll.TypeDisability, 1, 300000, "2025-01")
	e2 := MustEntitlement(t, s, w2, payroll.TypeDisability, 1, 1200000, "2025-01")
	march := approve(t, s, openRun(t, s, "370811", c))
	rule := payroll.Adjustment{Type: payroll.TypeDisability, PercentBP: 500, FloorFen: 20000, CapFen: 50000, Effective: "2026-03", Note: "济人社字〔2026〕1号"}
	bad := rule
	bad.CapFen = 10000
	if _, err := s.PreviewAdjustment(ctx, maker(), set, "370811", bad); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "上限") {
		t.Fatalf("cap below floor: %v", err)
	}
	p, err := s.PreviewAdjustment(ctx, maker(), set, "370811", rule)
	// 5% of 3,000 is 150, raised to the floor of 200; 5% of 12,000 is 600, capped at 500.
	if err != nil || p.Affected != 2 || p.MonthlyFen != 20000+50000 || p.ArrearsFen != 20000+50000 {
		t.Fatalf("preview: %+v %v", p, err)
	}
	a, err := s.PrepareAdjustment(ctx, maker(), set, "370811", rule)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DecideAdjustment(ctx, maker(), set, a.ID, a.Version, true, ""); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("preparer approving: %v", err)
	}
	if err := s.DecideAdjustment(ctx, approver(), set, a.ID, a.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	hist, _ := s.EntitlementAmounts(ctx, maker(), e1)
	if len(hist) != 2 || hist[1].AmountFen != 320000 || hist[1].EffectiveFrom != "2026-03-01" || !strings.Contains(hist[1].Reason, "济人社字") {
		t.Fatalf("history: %+v", hist)
	}
	payAll(t, s, march, nil)
	c.T = time.Date(2026, 4, 2, 1, 0, 0, 0, time.UTC)
	april := openRun(t, s, "370811", c)
	ls := linesOf(t, s, april.ID)
	if ls[key(e1, payroll.KindRegular)].GrossFen != 320000 || ls[key(e1, payroll.KindArrears)].GrossFen != 20000 ||
		ls[key(e2, payroll.KindRegular)].GrossFen != 1250000 || ls[key(e2, payroll.KindArrears)].GrossFen != 50000 {
		t.Fatalf("April lines: %+v", ls)
	}
	// March is closed: an adjustment effective in March is refused.
	if _, err := s.PreviewAdjustment(ctx, maker(), set, "370811", rule); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "已关闭") {
		t.Fatalf("effective inside a closed cycle: %v", err)
	}
}

func testPayrollRecovery(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	w := MustPayee(t, s, e, "郑多发", "19700101")
	id := MustEntitlement(t, s, w, payroll.TypeDisability, 1, 300000, "2025-01")
	// A recovery by deduction: at most 30% a month, never below the floor.
	if _, err := s.CreateRecovery(ctx, maker(), store.NewRecovery{WorkerID: w.ID, EntitlementID: id, TotalFen: 100000, Reason: "重复发放2025年12月待遇"}); err != nil {
		t.Fatal(err)
	}
	march := openRun(t, s, "370811", c)
	l := linesOf(t, s, march.ID)[key(id, payroll.KindRegular)]
	if l.DeductionFen != 90000 || l.NetFen() != 210000 {
		t.Fatalf("March deduction %d net %d", l.DeductionFen, l.NetFen())
	}
	payAll(t, s, approve(t, s, march), nil)
	c.T = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	april := openRun(t, s, "370811", c)
	if l := linesOf(t, s, april.ID)[key(id, payroll.KindRegular)]; l.DeductionFen != 10000 {
		t.Fatalf("April deduction %d, want the rest 10000", l.DeductionFen)
	}
	payAll(t, s, approve(t, s, april), nil)
	rs, _ := s.WorkerRecoveries(ctx, maker(), w.ID)
	if len(rs) != 1 || rs[0].State != "settled" || rs[0].RecoveredFen != 100000 {
		t.Fatalf("recovery: %+v", rs)
	}
	// A death reported late: March and April were paid after it.
	if _, err := s.RecordPayeeEvent(ctx, maker(), set, store.NewPayeeEvent{WorkerID: w.ID, Kind: payroll.EventDeath, On: "2026-02-14"}); err != nil {
		t.Fatal(err)
	}
	rs, _ = s.WorkerRecoveries(ctx, maker(), w.ID)
	if len(rs) != 2 || rs[0].Method != "demand" || rs[0].TotalFen != 210000+290000 {
		t.Fatalf("late death: %+v", rs)
	}
	if _, err := s.CreateRecovery(ctx, maker(), store.NewRecovery{WorkerID: w.ID, TotalFen: 0, Reason: ""}); !errs.Is(err, errs.Invalid) {
		t.Fatalf("empty recovery: %v", err)
	}
}

func testPayrollConcurrent(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	var ids []int64
	for i := range 30 {
		ids = append(ids, MustEntitlement(t, s, MustPayee(t, s, e, fmt.Sprintf("并发%02d", i), "19700101"), payroll.TypeDisability, 1, 300000, "2025-01"))
	}
	// Two officers open the month at once, and two jobs run it at once.
	var wg sync.WaitGroup
	cys := make([]store.PayrollCycle, 2)
	errsOpen := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { cys[i], errsOpen[i] = s.OpenCycle(ctx, maker(), set, "370811", "2026-03") })
	}
	wg.Wait()
	if errsOpen[0] != nil || errsOpen[1] != nil || cys[0].ID != cys[1].ID {
		t.Fatalf("concurrent open: %v %v, cycles %d %d", errsOpen[0], errsOpen[1], cys[0].ID, cys[1].ID)
	}
	runErr := make([]error, 3)
	for i := range 3 {
		wg.Go(func() { runErr[i] = s.RunCycle(ctx, set, cys[0].ID) })
	}
	wg.Wait()
	for _, err := range runErr {
		if err != nil && !errs.Is(err, errs.Conflict) {
			t.Fatal(err)
		}
	}
	ls := linesOf(t, s, cys[0].ID)
	if len(ls) != len(ids) {
		t.Fatalf("lines: %d, want %d", len(ls), len(ids))
	}
	cy, _ := s.FindCycle(ctx, maker(), cys[0].ID)
	cy, err := s.ActOnCycle(ctx, maker(), cy.ID, store.CycleAction{Action: payroll.Submit, Version: cy.Version})
	if err != nil {
		t.Fatal(err)
	}
	// The checker approves while the approver sends back: exactly one wins.
	results := make([]error, 2)
	wg.Go(func() {
		_, results[0] = s.ActOnCycle(ctx, checker(), cy.ID, store.CycleAction{Action: payroll.Approve, Version: cy.Version})
	})
	wg.Go(func() {
		_, results[1] = s.ActOnCycle(ctx, approver(), cy.ID, store.CycleAction{Action: payroll.SendBack, Version: cy.Version, Reason: "核对"})
	})
	wg.Wait()
	if (results[0] == nil) == (results[1] == nil) || !errs.Is(errors2(results), errs.Conflict) {
		t.Fatalf("concurrent approve and send back: %v / %v", results[0], results[1])
	}
}

func errors2(es []error) error {
	for _, e := range es {
		if e != nil {
			return e
		}
	}
	return nil
}

func testPayrollBadReturn(t *testing.T, s *store.Store, c *Clock) {
	e := MustEmployer(t, s, "370811")
	MustEntitlement(t, s, MustPayee(t, s, e, "回盘甲", "19700101"), payroll.TypeDisability, 1, 300000, "2025-01")
	w := MustPayee(t, s, e, "回盘乙", "19700101")
	n := store.NewEntitlement{WorkerID: w.ID, Type: payroll.TypeDisability, Level: 2, AmountFen: 280000, Start: "2025-01", BankName: "中国银行",
		BankAccount: Card(), CertifiedOn: "2026-01-05"}
	if _, err := s.CreateLegacyEntitlement(ctx, maker(), n); err != nil {
		t.Fatal(err)
	}
	cy := approve(t, s, openRun(t, s, "370811", c))
	bs, err := s.GenerateBankFiles(ctx, maker(), cy.ID)
	if err != nil || len(bs) != 2 {
		t.Fatalf("files per bank: %+v %v", bs, err)
	}
	var icbc, boc bytes.Buffer
	s.BankFile(ctx, maker(), bs[0].ID, &boc)
	s.BankFile(ctx, maker(), bs[1].ID, &icbc)
	for _, b := range bs {
		if err := s.MarkBatchSent(ctx, maker(), b.ID, b.Version); err != nil {
			t.Fatal(err)
		}
	}
	ok := func(bankfile.Payment) (string, string, bool) { return "", "", false }
	other, _ := bankfile.SimulateReturn(icbc.Bytes(), ok)
	if _, _, err := s.ImportReturn(ctx, maker(), bs[0].ID, bytes.NewReader(other)); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "批次") {
		t.Fatalf("another bank's return: %v", err)
	}
	own, _ := bankfile.SimulateReturn(boc.Bytes(), ok)
	tampered := bytes.Replace(own, []byte("|2800.00|S"), []byte("|2900.00|S"), 1)
	if _, _, err := s.ImportReturn(ctx, maker(), bs[0].ID, bytes.NewReader(tampered)); !errs.Is(err, errs.Invalid) {
		t.Fatalf("tampered return: %v", err)
	}
	ls := linesOf(t, s, cy.ID)
	for _, l := range ls {
		if l.State != payroll.LineSent {
			t.Fatalf("a refused return changed line %d to %s", l.ID, l.State)
		}
	}
	if _, _, err := s.ImportReturn(ctx, maker(), bs[0].ID, bytes.NewReader(own)); err != nil {
		t.Fatal(err)
	}
}

// testPayrollNursingRerate: a new average wage prepares the 生活护理费
// re-rate (40% of it for 大部分不能自理), approved by an officer.
func testPayrollNursingRerate(t *testing.T, s *store.Store, c *Clock) {
	set := params(t)
	e := MustEmployer(t, s, "370811")
	id := MustEntitlement(t, s, MustPayee(t, s, e, "护理甲", "19700101"), payroll.TypeNursing, 0, 304840, "2025-06")
	admin := Actor(access.RoleAdmin, "370000")
	v := param.Version{Table: "avg_wage", Region: "370800", EffectiveFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Value: "8000.00",
		Source: "PROJ", Confidence: "U", Note: "测试：新的社平工资"}
	vid, err := s.AddParamVersion(ctx, admin, v)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Add(v); err != nil {
		t.Fatal(err)
	}
	ids, err := s.PrepareNursingRerate(ctx, set, vid)
	if err != nil || len(ids) != 1 {
		t.Fatalf("re-rate: %v %v", ids, err)
	}
	if again, err := s.PrepareNursingRerate(ctx, set, vid); err != nil || len(again) != 0 {
		t.Fatalf("prepared twice: %v %v", again, err)
	}
	a, err := s.FindAdjustment(ctx, maker(), ids[0])
	if err != nil || a.Affected != 1 || a.MonthlyFen != 320000-304840 || a.Rule.Effective != "2026-03" {
		t.Fatalf("re-rate adjustment: %+v %v", a, err)
	}
	if err := s.DecideAdjustment(ctx, approver(), set, a.ID, a.Version, true, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FindEntitlement(ctx, maker(), id); got.AmountFen != 320000 {
		t.Fatalf("nursing after the re-rate: %d, want 320000", got.AmountFen)
	}
}

// testPayrollOneOffs: a stay's meal allowance is paid once, by the first
// cycle after it, to the worker's account; while that account fails its
// check the item waits for a later cycle.
func testPayrollOneOffs(t *testing.T, s *store.Store, c *Clock) {
	si := MustSettlements(t, s)
	var caseID, workerID int64
	if err := s.DB().QueryRow(`SELECT e.case_id, e.worker_id FROM settlements st JOIN encounters e ON e.id = st.encounter_id WHERE st.id = $1`, si.Settlement).
		Scan(&caseID, &workerID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO meal_allowances (settlement_id, case_id, worker_id, region_code, days, daily_fen, amount_fen, created_at)
		VALUES ($1, $2, $3, '370811', 12, 5000, 60000, $4)`, si.Settlement, caseID, workerID, c.T.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	meal := func(cycleID int64) (n int, state payroll.LineState) {
		for _, l := range linesOf(t, s, cycleID) {
			if l.Type == "meal_allowance" {
				n++
				state = l.State
			}
		}
		return n, state
	}
	march := openRun(t, s, "370811", c)
	if n, _ := meal(march.ID); n != 0 {
		t.Fatalf("a meal allowance to an account that fails its check was put in the cycle")
	}
	card := Card()
	if _, err := s.UpdateWorker(ctx, Actor(access.RoleClerk, "370811"), workerID, registry.WorkerUpdate{BankAccount: &card}); err != nil {
		t.Fatal(err)
	}
	payAll(t, s, approve(t, s, march), nil)
	c.T = time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
	april := openRun(t, s, "370811", c)
	if n, st := meal(april.ID); n != 1 || st != payroll.LinePayable {
		t.Fatalf("April meal allowance lines: %d %s", n, st)
	}
	payAll(t, s, approve(t, s, april), nil)
	var status string
	if err := s.DB().QueryRow(`SELECT status FROM meal_allowances WHERE settlement_id = $1`, si.Settlement).Scan(&status); err != nil || status != "paid" {
		t.Fatalf("meal allowance after payment: %q %v", status, err)
	}
	c.T = time.Date(2026, 5, 1, 1, 0, 0, 0, time.UTC)
	if n, _ := meal(openRun(t, s, "370811", c).ID); n != 0 {
		t.Fatalf("the meal allowance was paid twice")
	}
}
