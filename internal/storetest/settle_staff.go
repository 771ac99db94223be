package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// testSettleStaffReads: encounters and settlements are seen by the
// treating institution's region and by the worker's region, nobody else;
// the detail has every line with its pricing, the findings and the
// message ids, and masks the worker for roles without personal.full.
func testSettleStaffReads(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	rencheng := e.institution("370811")
	w1, _ := e.recognised("370811")
	w2, _ := e.recognised("370881") // a 曲阜 worker treated in 任城
	a := e.settle(rencheng, w1, 3, true)
	b := e.settle(rencheng, w2, 2, false)

	for _, tc := range []struct {
		region string
		want   []int64
	}{{"370800", []int64{b.Encounter.ID, a.Encounter.ID}}, {"370811", []int64{b.Encounter.ID, a.Encounter.ID}},
		{"370881", []int64{b.Encounter.ID}}, {"370830", nil}} {
		got, total, err := s.FindEncounters(ctx, access.ScopeOf(tc.region), store.EncounterFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(tc.want) || len(got) != len(tc.want) {
			t.Fatalf("%s sees %d encounters (total %d), want %d", tc.region, len(got), total, len(tc.want))
		}
		for i := range got {
			if got[i].ID != tc.want[i] || got[i].InstitutionName != rencheng.Name || got[i].PsnName == "" || got[i].IDMasked == "" {
				t.Errorf("%s row %d: %+v", tc.region, i, got[i])
			}
		}
		sts, total, err := s.FindSettlements(ctx, access.ScopeOf(tc.region), store.SettlementFilter{})
		if err != nil || total != len(tc.want) {
			t.Fatalf("%s sees %d settlements, want %d (%v)", tc.region, total, len(tc.want), err)
		}
		for i := range sts {
			if sts[i].EncounterID != tc.want[i] {
				t.Errorf("%s settlement %d of encounter %d", tc.region, i, sts[i].EncounterID)
			}
		}
	}
	city := access.ScopeOf("370800")
	if got, n, _ := s.FindSettlements(ctx, city, store.SettlementFilter{Findings: "pending"}); n != 1 || got[0].ID != a.Bill.Settlement.ID || got[0].PendingCount != 1 {
		t.Errorf("with pending findings: %d %+v", n, got)
	}
	if _, n, _ := s.FindEncounters(ctx, city, store.EncounterFilter{State: "open"}); n != 0 {
		t.Errorf("%d open encounters", n)
	}
	if _, n, _ := s.FindEncounters(ctx, city, store.EncounterFilter{State: "settled", MedType: "41", Payable: "payable", Remote: "no",
		InstitutionID: rencheng.ID, From: settlement.Day(c.T), To: settlement.Day(c.T)}); n != 2 {
		t.Errorf("all filters: %d encounters", n)
	}
	if _, n, _ := s.FindEncounters(ctx, city, store.EncounterFilter{From: settlement.Day(c.T.AddDate(0, 0, 1))}); n != 0 {
		t.Errorf("admitted from tomorrow: %d", n)
	}
	if _, _, err := s.FindEncounters(ctx, city, store.EncounterFilter{State: "bogus"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("bad state filter: %v", err)
	}
	var streamed []int64
	if err := s.EachSettlement(ctx, city, store.SettlementFilter{}, func(it store.SettlementItem) error {
		streamed = append(streamed, it.ID)
		return nil
	}); err != nil || len(streamed) != 2 || streamed[0] != b.Bill.Settlement.ID {
		t.Errorf("streamed %v %v", streamed, err)
	}

	// The detail.
	auditor := Actor(access.RoleAuditor, "370881")
	d, err := s.FindSettlement(ctx, auditor, a.Bill.Settlement.ID)
	if !errs.Is(err, errs.NotFound) {
		t.Errorf("曲阜 sees a 任城 worker's settlement at a 任城 hospital: %v", err)
	}
	d, err = s.FindSettlement(ctx, auditor, b.Bill.Settlement.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Worker.IDNumber != w2.IDNumber || len(d.Lines) != 2 || d.Messages["2304"][0] != b.Bill.Settlement.Msgid || d.Institution.ID != rencheng.ID {
		t.Errorf("detail: worker %q lines %d messages %v", d.Worker.IDNumber, len(d.Lines), d.Messages)
	}
	d, err = s.FindSettlement(ctx, Actor(access.RoleInsurer, "370800"), a.Bill.Settlement.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Worker.IDNumber != "" || d.Worker.BirthDate != "" || d.Worker.IDMasked == "" {
		t.Errorf("insurer sees %q born %q", d.Worker.IDNumber, d.Worker.BirthDate)
	}
	var inScope, payable int64
	for _, l := range d.Lines {
		inScope += l.InScope
		payable += l.Payable
		if l.Name == "" || l.InScope+l.OverLimit+l.OwnPay != l.Amount {
			t.Errorf("line %s priced %+v", l.SN, l.Priced)
		}
	}
	if len(d.Lines) != 4 || payable != d.FundPay || inScope != d.InScope || len(d.Findings) != 1 || d.Findings[0].RuleID != "GS-D04" ||
		d.Findings[0].Review != "pending" || d.Encounter.PsnName != w1.Name {
		t.Errorf("detail of the flagged settlement: %d lines, payable %d fund %d, findings %+v", len(d.Lines), payable, d.FundPay, d.Findings)
	}
	// Owners: the worker's region sees it too, another county does not.
	o, err := s.OwnersOf(ctx, access.KindStaff, "settlement", b.Bill.Settlement.ID)
	if err != nil || !auditor.MaySee(o) || Actor(access.RoleAuditor, "370830").MaySee(o) || o.InstitutionID != rencheng.ID {
		t.Errorf("owners %+v %v", o, err)
	}
	o, err = s.OwnersOf(ctx, access.KindStaff, "encounter", a.Encounter.ID)
	if err != nil || auditor.MaySee(o) || !Actor(access.RoleAuditor, "370811").MaySee(o) {
		t.Errorf("encounter owners %+v %v", o, err)
	}
	if _, err := s.OwnersOf(ctx, access.KindStaff, "settlement", 999999); !errs.Is(err, errs.NotFound) {
		t.Errorf("owners of nothing: %v", err)
	}

	// A cancellation: the row and its original point at each other.
	if err := e.cancel(rencheng, b); err != nil {
		t.Fatal(err)
	}
	d, err = s.FindSettlement(ctx, auditor, b.Bill.Settlement.ID)
	if err != nil || d.State != settlement.SetlCancelled || d.Cancel == nil || d.Cancel.Kind != "cancel" || len(d.Messages["2305"]) != 1 {
		t.Fatalf("cancelled detail: %v %+v", err, d.Cancel)
	}
	cd, err := s.FindSettlement(ctx, auditor, d.Cancel.ID)
	if err != nil || cd.Cancel == nil || cd.Cancel.ID != b.Bill.Settlement.ID || len(cd.Lines) != 2 || cd.FundPay != -d.FundPay {
		t.Errorf("cancellation row detail: %v %+v", err, cd.Cancel)
	}
	if _, n, _ := s.FindSettlements(ctx, city, store.SettlementFilter{State: "valid", Kind: "settle"}); n != 1 {
		t.Errorf("%d settlements in force", n)
	}
}

// testSettleReview: the review queue, reasons required, scope, the rule's
// statistics, withdrawn findings.
func testSettleReview(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	inst := e.institution("370811")
	w, _ := e.recognised("370811")
	a := e.settle(inst, w, 2, true)
	w2, _ := e.recognised("370811")
	b := e.settle(inst, w2, 2, true)
	auditor := Actor(access.RoleAuditor, "370811")
	auditor.UserID = 7
	queue, n, err := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{})
	if err != nil || n != 2 || queue[0].SettlementID != a.Bill.Settlement.ID || queue[0].Version != 1 || queue[0].PsnName != w.Name {
		t.Fatalf("queue %d %+v %v", n, queue, err)
	}
	if _, n, _ := s.FindFindings(ctx, access.ScopeOf("370830"), store.FindingFilter{}); n != 0 {
		t.Errorf("汶上 sees %d findings", n)
	}
	if _, n, _ := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{Rule: "GS-D13"}); n != 0 {
		t.Errorf("rule filter: %d", n)
	}
	if _, n, _ := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{Month: settlement.Day(c.T)[:7], InstitutionID: inst.ID}); n != 2 {
		t.Errorf("month filter: %d", n)
	}
	f := queue[0]
	stats := func() store.RuleStat {
		rs, err := s.RuleStats(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.RuleID == "GS-D04" {
				return r
			}
		}
		t.Fatal("no GS-D04 statistics")
		return store.RuleStat{}
	}
	if st := stats(); st.Triggers != 2 || st.Reviewed() != 0 || st.HitRate() != "—" {
		t.Errorf("before review %+v", st)
	}
	// No reason: a field error, nothing written.
	if _, err := s.ReviewFinding(ctx, auditor, f.ID, 1, store.ReviewAccept, "  "); !errs.Is(err, errs.Invalid) || !onField(err, "reason") {
		t.Errorf("no reason: %v", err)
	}
	if _, err := s.ReviewFinding(ctx, auditor, f.ID, 1, "maybe", "x"); !onField(err, "decision") {
		t.Errorf("bad decision: %v", err)
	}
	if _, err := s.ReviewFinding(ctx, Actor(access.RoleAuditor, "370830"), f.ID, 1, store.ReviewAccept, "重复"); !errs.Is(err, errs.NotFound) {
		t.Errorf("another county reviews: %v", err)
	}
	if _, err := s.ReviewFinding(ctx, Actor(access.RoleClerk, "370811"), f.ID, 1, store.ReviewAccept, "重复"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("a clerk reviews: %v", err)
	}
	if _, err := s.ReviewFinding(ctx, auditor, f.ID, 2, store.ReviewAccept, "重复"); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale version: %v", err)
	}
	if got, _ := s.FindFinding(ctx, auditor, f.ID); got.Review != "pending" || got.Version != 1 || stats().Reviewed() != 0 {
		t.Fatalf("refused reviews wrote: %+v", got)
	}
	got, err := s.ReviewFinding(ctx, auditor, f.ID, 1, store.ReviewAccept, "同一医嘱重复计费，已核实")
	if err != nil || got.Review != "accepted" || got.Version != 2 || got.ReviewReason == "" {
		t.Fatalf("accept: %+v %v", got, err)
	}
	if st := stats(); st.Confirmed != 1 || st.Dismissed != 0 || st.HitRate() != "100.0%" {
		t.Errorf("after accept %+v", st)
	}
	if _, err := s.ReviewFinding(ctx, auditor, f.ID, 2, store.ReviewReject, "再审"); !errs.Is(err, errs.Conflict) {
		t.Errorf("review twice: %v", err)
	}
	if _, n, _ := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{}); n != 1 {
		t.Errorf("queue after one review: %d", n)
	}
	if _, n, _ := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{Review: "accepted"}); n != 1 {
		t.Errorf("accepted: %d", n)
	}
	// A cancelled settlement's pending finding leaves the queue.
	if err := e.cancel(inst, b); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := s.FindFindings(ctx, auditor.Scope(), store.FindingFilter{}); n != 0 {
		t.Errorf("queue after the cancellation: %d", n)
	}
	wd, _ := s.FindFinding(ctx, auditor, queue[1].ID)
	if _, err := s.ReviewFinding(ctx, auditor, wd.ID, wd.Version, store.ReviewReject, "x"); !errs.Is(err, errs.Conflict) {
		t.Errorf("review a withdrawn finding: %v", err)
	}
	var audited int
	if err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_pending WHERE action = 'finding.accept' AND object_id = $1)
		+ (SELECT COUNT(*) FROM audit_log WHERE action = 'finding.accept' AND object_id = $1)`, fmt.Sprint(f.ID)).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d audit entries for the acceptance", audited)
	}
}

// testSettleReviewConcurrent: eight auditors decide one finding at once:
// one wins, the others are told it changed; the statistics count one.
func testSettleReviewConcurrent(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	inst := e.institution("370811")
	w, _ := e.recognised("370811")
	e.settle(inst, w, 2, true)
	queue, _, err := s.FindFindings(ctx, access.ScopeOf("370811"), store.FindingFilter{})
	if err != nil || len(queue) != 1 {
		t.Fatal(len(queue), err)
	}
	var ok, stale atomic.Int32
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := Actor(access.RoleAuditor, "370811")
			a.UserID = int64(10 + i)
			decision := store.ReviewAccept
			if i%2 == 1 {
				decision = store.ReviewReject
			}
			_, err := s.ReviewFinding(ctx, a, queue[0].ID, 1, decision, "并发复核")
			switch {
			case err == nil:
				ok.Add(1)
			case errs.Is(err, errs.Conflict):
				stale.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 1 || stale.Load() != 7 {
		t.Fatalf("%d won, %d refused", ok.Load(), stale.Load())
	}
	rs, _ := s.RuleStats(ctx, settlement.Day(c.T)[:7])
	for _, r := range rs {
		if r.RuleID == "GS-D04" && r.Reviewed() != 1 {
			t.Errorf("statistics count %d reviews", r.Reviewed())
		}
	}
}

// onField reports whether err carries a field error of field.
func onField(err error, field string) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// testSettleClearing: a past month only, at the pooling area's level;
// one statement per institution and per pair of regions; closing again
// adds nothing; a cleared settlement can be neither cancelled nor lose
// its statement.
func testSettleClearing(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	rencheng, qufu := e.institution("370811"), e.institution("370881")
	jinan := e.institution("370102")
	w1, _ := e.recognised("370811")
	w2, _ := e.recognised("370881")
	w3, case3 := e.recognised("370811")
	f := settlement.Filing{CaseID: case3.ID, Kind: settlement.Residence, TreatRegion: "370100", Reason: "随子女在济南居住", Channel: "window",
		ValidFrom: settlement.Day(c.T.AddDate(0, 0, -1))}
	if err := s.CreateFiling(ctx, Actor(access.RoleClerk, "370811"), params(t), &f); err != nil {
		t.Fatal(err)
	}
	a := e.settle(rencheng, w1, 2, false)
	b := e.settle(rencheng, w2, 3, false)
	q := e.settle(qufu, w1, 1, false)
	r := e.settle(jinan, w3, 2, false)
	if !r.Bill.Settlement.Remote {
		t.Fatal("the 济南 settlement is not remote")
	}
	month := settlement.Day(c.T)[:7]
	officer := Actor(access.RoleBenefits, "370800")
	if _, err := s.CloseClearing(ctx, officer, month, "370800"); !onField(err, "month") {
		t.Errorf("closing the current month: %v", err)
	}
	c.T = c.T.AddDate(0, 1, 0)
	if _, err := s.CloseClearing(ctx, Actor(access.RoleBenefits, "370811"), month, "370811"); !onField(err, "region") {
		t.Errorf("a county closes: %v", err)
	}
	if _, err := s.CloseClearing(ctx, Actor(access.RoleAuditor, "370800"), month, "370800"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("an auditor closes: %v", err)
	}
	if _, err := s.CloseClearing(ctx, officer, month, "370100"); !errs.Is(err, errs.Forbidden) {
		t.Errorf("Jining closes 济南: %v", err)
	}
	if _, err := s.CloseClearing(ctx, officer, "2026-13", "370800"); !onField(err, "month") {
		t.Errorf("bad month: %v", err)
	}
	res, err := s.CloseClearing(ctx, officer, month, "370800")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Statements) != 2 || res.Settlements != 3 {
		t.Fatalf("Jining close: %d statements of %d settlements", len(res.Statements), res.Settlements)
	}
	var rc store.Statement
	for _, st := range res.Statements {
		if st.InstitutionID == rencheng.ID {
			rc = st
		}
	}
	if rc.Count != 2 || rc.FundPay != a.Bill.Settlement.FundPay+b.Bill.Settlement.FundPay || rc.Kind != "institution" {
		t.Errorf("任城 hospital statement %+v", rc)
	}
	again, err := s.CloseClearing(ctx, officer, month, "370800")
	if err != nil || len(again.Statements) != 0 || again.Settlements != 0 {
		t.Errorf("closing again: %+v %v", again, err)
	}
	jn, err := s.CloseClearing(ctx, Actor(access.RoleBenefits, "370100"), month, "370100")
	if err != nil || len(jn.Statements) != 2 {
		t.Fatalf("济南 close: %+v %v", jn, err)
	}
	var pair store.Statement
	for _, st := range jn.Statements {
		if st.Kind == "remote" {
			pair = st
		}
	}
	if pair.PayerRegion != "370800" || pair.PayeeRegion != "370100" || pair.Count != 1 || pair.FundPay != r.Bill.Settlement.FundPay {
		t.Errorf("remote statement %+v", pair)
	}
	// Jining sees the pair it pays; 济南 does not see Jining's hospitals.
	if got, err := s.FindStatement(ctx, officer, pair.ID); err != nil || got.ID != pair.ID {
		t.Errorf("payer reads the pair: %v", err)
	}
	if _, err := s.FindStatement(ctx, Actor(access.RoleBenefits, "370100"), rc.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("济南 reads a Jining statement: %v", err)
	}
	list, _ := s.Statements(ctx, access.ScopeOf("370800"), month, "")
	if len(list) != 3 {
		t.Errorf("Jining lists %d statements of %s", len(list), month)
	}
	if o, err := s.OwnersOf(ctx, access.KindStaff, "statement", pair.ID); err != nil || !officer.MaySee(o) || Actor(access.RoleBenefits, "370500").MaySee(o) {
		t.Errorf("statement owners %+v %v", o, err)
	}
	if got, n, _ := s.FindSettlements(ctx, access.ScopeOf("370800"), store.SettlementFilter{StatementID: rc.ID}); n != 2 || got[0].StatementID != rc.ID {
		t.Errorf("the statement's settlements: %d", n)
	}
	if got, n, _ := s.FindSettlements(ctx, access.ScopeOf("370000"), store.SettlementFilter{StatementID: pair.ID}); n != 1 || got[0].ID != r.Bill.Settlement.ID {
		t.Errorf("the pair's settlements: %d", n)
	}
	status, n, err := s.ClearingStatuses(ctx, access.ScopeOf("370800"), store.ClearingFilter{Month: month})
	if err != nil || n != 2 || status[0].OpenCount != 0 || status[0].ClearedCount == 0 || status[0].StatementID == 0 {
		t.Errorf("clearing status %+v %v", status, err)
	}
	// Cleared: no cancellation, no reversal.
	if err := e.cancel(rencheng, a); err == nil || !errs.Is(err, errs.Conflict) {
		t.Errorf("cancel a cleared settlement: %v", err)
	}
	if err := e.cancel(qufu, q); err == nil {
		t.Error("cancel a cleared 曲阜 settlement succeeded")
	}
	// A settlement of this (open) month is not cleared and shows as open.
	late := e.settle(rencheng, w2, 1, false)
	status, _, _ = s.ClearingStatuses(ctx, access.ScopeOf("370800"), store.ClearingFilter{Month: settlement.Day(c.T)[:7], State: "open"})
	if len(status) != 1 || status[0].OpenCount != 1 || status[0].OpenFundPay != late.Bill.Settlement.FundPay {
		t.Errorf("open month status %+v", status)
	}
}

// testSettleClearingConcurrent: four officers close one month at once;
// every settlement ends in exactly one statement and no statement is
// made twice.
func testSettleClearingConcurrent(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	insts := []settlement.Institution{e.institution("370811"), e.institution("370881"), e.institution("370830")}
	w, _ := e.recognised("370811")
	w2, _ := e.recognised("370811")
	for _, in := range insts {
		e.settle(in, w, 1, false)
		e.settle(in, w2, 1, false)
	}
	month := settlement.Day(c.T)[:7]
	c.T = c.T.AddDate(0, 1, 0)
	var made, settled atomic.Int32
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := Actor(access.RoleBenefits, "370800")
			a.UserID = int64(20 + i)
			res, err := s.CloseClearing(ctx, a, month, "370800")
			if err != nil && !errs.Is(err, errs.Conflict) {
				t.Error(err)
			}
			made.Add(int32(len(res.Statements)))
			if err == nil {
				settled.Add(int32(res.Settlements))
			}
		}()
	}
	wg.Wait()
	var statements, unstated, counted int
	_ = s.DB().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(count), 0) FROM clearing_statements`).Scan(&statements, &counted)
	_ = s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM settlements WHERE statement_id IS NULL`).Scan(&unstated)
	if statements != 3 || counted != 6 || unstated != 0 || settled.Load() != 6 {
		t.Fatalf("%d statements counting %d, %d unstated, closes settled %d", statements, counted, unstated, settled.Load())
	}
	res, err := s.CloseClearing(ctx, Actor(access.RoleBenefits, "370800"), month, "370800")
	if err != nil || len(res.Statements) != 0 {
		t.Errorf("after the race: %+v %v", res, err)
	}
	if made.Load() != 3 {
		t.Errorf("the closes made %d statements together", made.Load())
	}
}

// testSettleReconciliation: every 3201 is recorded with what both sides
// had; the view balances, then shows the difference when a settlement is
// cancelled on our side only.
func testSettleReconciliation(t *testing.T, s *store.Store, c *Clock) {
	e := newSettleEnv(t, s, c)
	inst := e.institution("370811")
	other := e.institution("370881")
	w, _ := e.recognised("370811")
	w2, _ := e.recognised("370811")
	a := e.settle(inst, w, 2, false)
	b := e.settle(inst, w2, 3, false)
	e.settle(other, w, 1, false)
	day := settlement.Day(c.T)
	theirs := settlement.TotalsLine{Count: 2, MedFee: a.Bill.Settlement.MedFee + b.Bill.Settlement.MedFee, FundPay: a.Bill.Settlement.FundPay + b.Bill.Settlement.FundPay}
	var result string
	if _, err := e.his(inst, "3201", func(ops *store.HISOps) error {
		var err error
		result, _, err = ops.ReconcileTotals(ctx, day, day, theirs)
		return err
	}); err != nil || result != "0" {
		t.Fatalf("3201: %s %v", result, err)
	}
	scope := access.ScopeOf("370800")
	rows, n, err := s.Reconciliation(ctx, scope, store.ReconFilter{From: day, To: day})
	if err != nil || n != 2 {
		t.Fatalf("%d rows %v", n, err)
	}
	byInst := map[int64]store.ReconRow{}
	for _, r := range rows {
		byInst[r.InstitutionID] = r
	}
	if r := byInst[inst.ID]; r.Status() != "balanced" || r.Ours != theirs || r.Theirs == nil || r.Theirs.Infno != "3201" {
		t.Errorf("reconciled institution: %+v", r)
	}
	if r := byInst[other.ID]; r.Status() != "none" || r.Ours.Count != 1 {
		t.Errorf("unreconciled institution: %+v", r)
	}
	// Cancelled on our side only: the same declaration no longer balances.
	if err := e.cancel(inst, b); err != nil {
		t.Fatal(err)
	}
	rows, _, _ = s.Reconciliation(ctx, scope, store.ReconFilter{From: day, To: day, InstitutionID: inst.ID})
	if len(rows) != 1 || rows[0].Status() != "differs" || rows[0].Ours.Count != 1 || !rows[0].Theirs.Balance {
		t.Errorf("after a one-sided cancellation: %+v", rows)
	}
	// A 3202 over the same day records the line differences.
	if _, err := e.his(inst, "3202", func(ops *store.HISOps) error {
		_, err := ops.ReconcileLines(ctx, day, day, []settlement.DetailLine{
			{SetlID: a.Bill.Settlement.SetlID, MedFee: a.Bill.Settlement.MedFee, FundPay: a.Bill.Settlement.FundPay, CashPay: a.Bill.Settlement.CashPay},
			{SetlID: b.Bill.Settlement.SetlID, MedFee: b.Bill.Settlement.MedFee, FundPay: b.Bill.Settlement.FundPay, CashPay: b.Bill.Settlement.CashPay},
		})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	rows, _, _ = s.Reconciliation(ctx, scope, store.ReconFilter{From: day, To: day, Status: "differs"})
	if len(rows) != 1 || rows[0].Theirs.Infno != "3202" || rows[0].Theirs.Diffs != 1 {
		t.Errorf("after 3202: %+v", rows)
	}
	if _, n, _ := s.Reconciliation(ctx, access.ScopeOf("370830"), store.ReconFilter{From: day, To: day}); n != 0 {
		t.Errorf("汶上 sees %d rows", n)
	}
	if _, _, err := s.Reconciliation(ctx, scope, store.ReconFilter{From: day}); !onField(err, "to") {
		t.Errorf("no end day: %v", err)
	}
}
