package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/bankfile"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The demo's payroll: every county's existing beneficiaries (存量待遇,
// migrated from the previous system), a death with its survivors'
// pensions, and a year of monthly cycles walked through the store's own
// actions on the days an office would take them — opened on the 1st,
// submitted on the 5th, approved on the 8th, sent to the banks on the
// 10th (one late month), returns with a few 退票 re-issued to corrected
// accounts, closed mid-month — then the current month open with returns
// still failed and a batch adjustment applied with arrears pending.

// Clock is the demo loader's clock: the store is opened with its Now so
// that the payroll's history happens on the days it says.
type Clock struct {
	mu sync.Mutex
	t  time.Time // zero: the real time
}

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

// Set moves the clock to t (zero: back to the real time).
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

const payrollMetaKey = "demo_payroll"

// PayrollSummary is what LoadPayroll made.
type PayrollSummary struct {
	Entitlements int
	Cycles       int
	Returns      int // failed payments (退票)
}

// LoadPayroll builds the payroll's demo on the store (opened with clock);
// once only.
//
// setClock moves the store's clock (the zero time: back to the real one).
func LoadPayroll(ctx context.Context, s *store.Store, set *param.Set, setClock func(time.Time), seed uint64, today time.Time) (PayrollSummary, error) {
	var sum PayrollSummary
	if v, err := s.Meta(ctx, payrollMetaKey); err != nil || v != "" {
		return sum, err
	}
	users, err := s.FindUsers(ctx, access.ScopeOf("370000"))
	if err != nil {
		return sum, err
	}
	who := map[string]access.Principal{}
	for _, u := range users {
		who[u.Username] = u.Principal()
	}
	p := &payrollDemo{s: s, set: set, setClock: setClock, rng: rand.New(rand.NewPCG(seed, 10)), maker: who["jn-benefits"], checker: who["jn-cycle_approver"],
		limit: today, approver: who["jn-approver"]}
	defer setClock(time.Time{})
	now := payroll.MonthOf(today)
	first := now.Add(-12)
	setClock(first.Add(-1).Day(20).Add(9 * time.Hour))
	for _, c := range counties {
		n, err := p.beneficiaries(ctx, c.Code, first)
		if err != nil {
			return sum, fmt.Errorf("demo beneficiaries in %s: %w", c.Name, err)
		}
		sum.Entitlements += n
	}
	if n, err := p.survivors(ctx, first); err != nil {
		return sum, fmt.Errorf("demo survivors: %w", err)
	} else {
		sum.Entitlements += n
	}
	for m := first; m.Before(now); m = m.Add(1) {
		p.events(ctx, m)
		for _, c := range counties {
			failed, err := p.cycle(ctx, c.Code, m, true)
			if err != nil {
				return sum, fmt.Errorf("demo cycle %s %s: %w", c.Name, m, err)
			}
			sum.Cycles++
			sum.Returns += failed
		}
	}
	// The current month: open, approved and sent before today, returned
	// with its 退票 not yet dealt with; then the year's adjustment.
	for _, c := range counties {
		failed, err := p.cycle(ctx, c.Code, now, false)
		if err != nil {
			return sum, fmt.Errorf("demo cycle %s %s: %w", c.Name, now, err)
		}
		sum.Cycles++
		sum.Returns += failed
	}
	setClock(today)
	if err := p.adjustment(ctx, now); err != nil {
		return sum, fmt.Errorf("demo adjustment: %w", err)
	}
	return sum, s.SetMeta(ctx, payrollMetaKey, fmt.Sprint(sum.Entitlements))
}

type payrollDemo struct {
	s              *store.Store
	set            *param.Set
	setClock       func(time.Time)
	rng            *rand.Rand
	maker, checker access.Principal
	approver       access.Principal  // the case approver, who decides survivors' pensions
	limit          time.Time         // nothing happens after it (the current month's steps)
	payees         []registry.Worker // the workers with legacy entitlements, for events
	survivorDeps   [][2]int64        // worker and dependant of the survivors' pensions
}

// at sets the clock to day d of month m at hour h (China time), but never
// past the limit: the current month's steps all happen by today.
func (p *payrollDemo) at(m payroll.Month, d, h int) {
	t := m.Day(d).Add(time.Duration(h-8) * time.Hour)
	if t.After(p.limit) {
		t = p.limit
	}
	p.setClock(t)
}

// beneficiaries migrates a county's existing entitlements: some of its
// registered workers with 伤残津贴 (levels 1–6) and some with 生活护理费.
func (p *payrollDemo) beneficiaries(ctx context.Context, region string, first payroll.Month) (int, error) {
	ws, _, err := p.s.FindWorkers(ctx, access.ScopeOf(region), store.WorkerFilter{RegionCode: region, Page: store.Page{Limit: 200}})
	if err != nil {
		return 0, err
	}
	want := 6 + len(ws)/12
	n := 0
	for i := 0; i < len(ws) && n < want; i += 3 {
		w, err := p.s.FindWorkerByID(ctx, access.ScopeOf(region), ws[i].ID)
		if err != nil {
			return n, err
		}
		if payroll.CheckAccount("bank_account", w.BankAccount) != nil {
			continue
		}
		// Most beneficiaries are levels 1–4 (fund-paid); levels 5–6 are
		// the employer's to pay, recorded only.
		level := []int{1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 6}[p.rng.IntN(12)]
		amount := int64(180000 + p.rng.IntN(420000))
		start := first.Add(-1 - p.rng.IntN(60))
		cert := first.Add(-1 - p.rng.IntN(11)).Day(1 + p.rng.IntN(19)).Format(time.DateOnly)
		if n%9 == 4 {
			cert = first.Add(-13).Day(10).Format(time.DateOnly) // overdue: suspended until certified
		}
		e := store.NewEntitlement{WorkerID: w.ID, Type: payroll.TypeDisability, Level: level, AmountFen: amount, Start: start.String(),
			BankName: w.BankName, BankAccount: w.BankAccount, CertifiedOn: cert, Note: fmt.Sprintf("原系统待遇编号 JN%06d", w.ID)}
		if _, err := p.s.CreateLegacyEntitlement(ctx, p.maker, e); err != nil {
			return n, err
		}
		n++
		if level <= 4 {
			p.payees = append(p.payees, w) // fund-paid: their events show in the fund's payroll
		}
		if level <= 3 && n%2 == 0 {
			care := []string{"full", "most", "partial"}[p.rng.IntN(3)]
			saw, _ := p.set.Lookup("avg_wage", "", region, first.First())
			wage, _ := saw.Money()
			rate := map[string]int64{"full": 50, "most": 40, "partial": 30}[care]
			e = store.NewEntitlement{WorkerID: w.ID, Type: payroll.TypeNursing, Care: care, AmountFen: wage * rate / 100, Start: start.String(),
				BankName: w.BankName, BankAccount: w.BankAccount, CertifiedOn: cert}
			if _, err := p.s.CreateLegacyEntitlement(ctx, p.maker, e); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// survivors: a 任城 worker who died in a 2025 accident; his wife, two
// children (one 17) and his father draw 供养亲属抚恤金.
func (p *payrollDemo) survivors(ctx context.Context, first payroll.Month) (int, error) {
	ws, _, err := p.s.FindWorkers(ctx, access.ScopeOf("370811"), store.WorkerFilter{RegionCode: "370811", Page: store.Page{Limit: 200}})
	if err != nil || len(ws) < 2 {
		return 0, err
	}
	w := ws[len(ws)-1]
	death := first.Add(-3).Day(17)
	card := func(n int) string {
		body := fmt.Sprintf("62284812%010d", 1000000000+n)
		return body + string(payroll.LuhnDigit(body))
	}
	birth := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	eldest := death.AddDate(-17, -2, 0)
	deps := []store.NewDependant{
		{Name: "韩秀梅", IDNumber: idNumber("370811", birth(1968, 4, 2), 902), Relation: "spouse", BankName: "中国农业银行济宁分行", BankAccount: card(1)},
		{Name: w.Name[:len(w.Name)-3] + "子轩", IDNumber: idNumber("370811", eldest, 913), Relation: "child", GuardianName: "韩秀梅", BankName: "中国农业银行济宁分行", BankAccount: card(2)},
		{Name: w.Name[:len(w.Name)-3] + "雨桐", IDNumber: idNumber("370811", birth(2016, 9, 30), 924), Relation: "child", GuardianName: "韩秀梅", BankName: "中国农业银行济宁分行", BankAccount: card(3)},
		{Name: w.Name[:len(w.Name)-3] + "德厚", IDNumber: idNumber("370811", birth(1952, 1, 8), 931), Relation: "parent", BankName: "济宁农商银行", BankAccount: card(4)},
	}
	ids, err := p.s.DecideSurvivorPensions(ctx, p.approver, p.set, store.SurvivorDecision{WorkerID: w.ID, DeathDate: death.Format(time.DateOnly),
		BaseWageFen: 720000, Dependants: deps})
	for _, id := range ids {
		if e, err := p.s.FindEntitlement(ctx, p.maker, id); err == nil {
			p.survivorDeps = append(p.survivorDeps, [2]int64{e.WorkerID, e.DependantID})
		}
	}
	return len(ids), err
}

// events: over the year a death reported a month late (a recovery), a
// retirement (the pension difference), a prison term, certifications
// renewed (arrears paid back).
func (p *payrollDemo) events(ctx context.Context, m payroll.Month) {
	if len(p.payees) < 20 {
		return
	}
	p.at(m, 1, 7)
	i := m.Index() % len(p.payees)
	w := p.payees[i]
	record := func(kind, on, until string, pension int64) {
		_, _ = p.s.RecordPayeeEvent(ctx, p.maker, p.set, store.NewPayeeEvent{WorkerID: w.ID, Kind: kind, On: on, Until: until, PensionFen: pension})
	}
	switch m.Index() % 6 {
	case 0:
		record(payroll.EventDeath, m.Add(-2).Day(11).Format(time.DateOnly), "", 0)
	case 1:
		record(payroll.EventRetired, m.Add(-1).Day(3).Format(time.DateOnly), "", 260000)
	case 2:
		record(payroll.EventPrison, m.Add(-1).Day(20).Format(time.DateOnly), m.Add(3).Day(19).Format(time.DateOnly), 0)
	}
	// The survivors certify yearly, in the month their pensions began.
	if m.Mon == 10 {
		for _, d := range p.survivorDeps {
			_, _ = p.s.RecordPayeeEvent(ctx, p.maker, p.set, store.NewPayeeEvent{WorkerID: d[0], DependantID: d[1], Kind: payroll.EventCertified, On: m.Day(1).Format(time.DateOnly)})
		}
	}
	// Everyone due renews the 资格认证 in the month: the overdue ones a
	// month after their suspension, paid back in arrears.
	for k, w := range p.payees {
		if k%9 == 4 || (k+m.Index())%12 == 0 {
			_, _ = p.s.RecordPayeeEvent(ctx, p.maker, p.set, store.NewPayeeEvent{WorkerID: w.ID, Kind: payroll.EventCertified, On: m.Day(1).Format(time.DateOnly)})
		}
	}
}

// cycle walks one county's month; closing settles the 退票 by re-issuing
// them to corrected accounts. It returns the number of failed payments.
func (p *payrollDemo) cycle(ctx context.Context, region string, m payroll.Month, closeIt bool) (int, error) {
	p.at(m, 1, 9)
	c, err := p.s.OpenCycle(ctx, p.maker, p.set, region, m.String())
	if err != nil {
		return 0, err
	}
	if err := p.s.RunCycle(ctx, p.set, c.ID); err != nil {
		return 0, err
	}
	p.at(m, 5, 10)
	c, _ = p.s.FindCycle(ctx, p.maker, c.ID)
	if c, err = p.s.ActOnCycle(ctx, p.maker, c.ID, store.CycleAction{Action: payroll.Submit, Version: c.Version}); err != nil {
		return 0, err
	}
	late := m.Index()%7 == 3 && region == "370829"
	day := 8
	if late {
		day = 21
	}
	p.at(m, day, 15)
	if c, err = p.s.ActOnCycle(ctx, p.checker, c.ID, store.CycleAction{Action: payroll.Approve, Version: c.Version}); err != nil {
		return 0, err
	}
	failed, err := p.pay(ctx, c, m, day+1, true)
	if err != nil || !closeIt {
		return failed, err
	}
	if failed > 0 {
		p.at(m, day+3, 10)
		if err := p.reissue(ctx, c); err != nil {
			return failed, err
		}
		if _, err := p.pay(ctx, c, m, day+4, false); err != nil {
			return failed, err
		}
	}
	p.at(m, day+6, 16)
	c, _ = p.s.FindCycle(ctx, p.maker, c.ID)
	if c.State == payroll.Paying {
		_, err = p.s.ActOnCycle(ctx, p.maker, c.ID, store.CycleAction{Action: payroll.Close, Version: c.Version})
	}
	return failed, err
}

// pay generates the cycle's new bank files, sends them on day d and
// imports the banks' returns two days later: with some=true a payment in
// about forty fails (账户已销户, 户名不符).
func (p *payrollDemo) pay(ctx context.Context, c store.PayrollCycle, m payroll.Month, d int, some bool) (int, error) {
	p.at(m, d, 9)
	bs, err := p.s.GenerateBankFiles(ctx, p.maker, c.ID)
	if err != nil {
		return 0, err
	}
	failed := 0
	for _, b := range bs {
		if b.State != "generated" {
			continue
		}
		var file bytes.Buffer
		if _, err := p.s.BankFile(ctx, p.maker, b.ID, &file); err != nil {
			return failed, err
		}
		p.at(m, d, 11)
		if err := p.s.MarkBatchSent(ctx, p.maker, b.ID, b.Version); err != nil {
			return failed, err
		}
		reasons := [][2]string{{"E01", "账户已销户"}, {"E05", "户名与账号不符"}, {"E09", "账户已冻结"}}
		ret, err := bankfile.SimulateReturn(file.Bytes(), func(bankfile.Payment) (string, string, bool) {
			if some && p.rng.IntN(40) == 0 {
				r := reasons[p.rng.IntN(len(reasons))]
				return r[0], r[1], true
			}
			return "", "", false
		})
		if err != nil {
			return failed, err
		}
		p.at(m, d+2, 14)
		_, f, err := p.s.ImportReturn(ctx, p.maker, b.ID, bytes.NewReader(ret))
		if err != nil {
			return failed, err
		}
		failed += f
	}
	return failed, nil
}

// reissue corrects the account of each failed line's entitlement (a new
// card at 济宁银行) and pays it again.
func (p *payrollDemo) reissue(ctx context.Context, c store.PayrollCycle) error {
	ls, _, err := p.s.CycleLines(ctx, p.maker, c.ID, store.LineFilter{State: string(payroll.LineFailed), Limit: 200})
	if err != nil {
		return err
	}
	for _, l := range ls {
		if l.EntitlementID != 0 {
			e, err := p.s.FindEntitlement(ctx, p.maker, l.EntitlementID)
			if err != nil {
				return err
			}
			body := fmt.Sprintf("621700%012d", l.ID*7919+int64(p.rng.IntN(1000)))
			if err := p.s.SetPayeeAccount(ctx, p.maker, e.ID, e.Version, "济宁银行", body+string(payroll.LuhnDigit(body))); err != nil {
				return err
			}
			if _, err := p.s.ReissueLine(ctx, p.maker, l.ID, l.Version); err != nil {
				return err
			}
			continue
		}
		if err := p.s.ExplainLine(ctx, p.maker, l.ID, l.Version, "领取人已去世，由继承人另行申领", false); err != nil {
			return err
		}
	}
	return nil
}

// adjustment: the year's 伤残津贴 increase for levels 1–4, 3% with at
// least 60 and at most 200 yuan, from the current month: applied after
// the month's lines were frozen, so its difference is owed as arrears.
func (p *payrollDemo) adjustment(ctx context.Context, now payroll.Month) error {
	rule := payroll.Adjustment{Type: payroll.TypeDisability, PercentBP: 300, FloorFen: 6000, CapFen: 20000, Effective: now.String(),
		Note: fmt.Sprintf("演示：%d年伤残津贴调整", now.Year)}
	a, err := p.s.PrepareAdjustment(ctx, p.maker, p.set, "370811", rule)
	if err != nil {
		return err
	}
	return p.s.DecideAdjustment(ctx, p.checker, p.set, a.ID, a.Version, true, "")
}
