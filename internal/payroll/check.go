package payroll

import (
	"time"
)

// The monthly entitlement types (the benefit package's item codes, plus
// the 差额 the fund pays a retired level 1–4 worker).
const (
	TypeDisability = "disability_allowance" // 伤残津贴
	TypeNursing    = "nursing_allowance"    // 生活护理费
	TypeDifference = "pension_difference"   // 伤残津贴与基本养老金差额
	TypeSurvivor   = "survivor_pension"     // 供养亲属抚恤金
)

var typeNames = map[string]string{TypeDisability: "伤残津贴", TypeNursing: "生活护理费", TypeDifference: "养老金差额", TypeSurvivor: "供养亲属抚恤金",
	"disability_lump_sum": "一次性伤残补助金", "exit_medical_subsidy": "一次性工伤医疗补助金", "funeral_grant": "丧葬补助金",
	"death_lump_sum": "一次性工亡补助金", "meal_allowance": "住院伙食补助费"}

// TypeName is the Chinese name of an entitlement or one-off item type.
func TypeName(t string) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return t
}

// Effect is what a check does to a month's line.
type Effect string

// The effects, in the order they win: a stop beats a suspension, which
// beats recording an employer-paid line, which beats paying.
const (
	Pay     Effect = "payable"   // paid this month
	Suspend Effect = "suspended" // not paid now; paid later as arrears if the reason clears and allows it
	Stop    Effect = "stopped"   // the entitlement ends; nothing is owed for the month
	Record  Effect = "recorded"  // owed by the employer (levels 5–6), recorded, not paid by the fund
)

// Reason is a check's reason code.
type Reason string

// The reason codes.
const (
	ReasonNone         Reason = ""
	ReasonDeath        Reason = "DEATH"         // 死亡（领取人）
	ReasonWorkerDeath  Reason = "WORKER_DEATH"  // 工伤职工死亡（本人待遇停发）
	ReasonEnded        Reason = "ENDED"         // 待遇期满
	ReasonAge18        Reason = "DEP_AGE18"     // 供养亲属年满18周岁
	ReasonRemarried    Reason = "DEP_REMARRIED" // 配偶再婚
	ReasonEmployed     Reason = "DEP_EMPLOYED"  // 供养亲属就业或参军
	ReasonAdopted      Reason = "DEP_ADOPTED"   // 被他人收养
	ReasonRetired      Reason = "RETIRED"       // 退休：伤残津贴停发，改发差额
	ReasonPrison       Reason = "PRISON"        // 服刑
	ReasonCertOverdue  Reason = "CERT_OVERDUE"  // 12个月内未完成资格认证
	ReasonBankInvalid  Reason = "BANK_INVALID"  // 银行账号无效
	ReasonEmployerPaid Reason = "EMPLOYER_PAID" // 五至六级伤残津贴由用人单位支付
	ReasonHeld         Reason = "HELD"          // 经办人暂缓发放
)

type reasonInfo struct {
	label   string
	effect  Effect
	arrears bool // a suspended month is paid once the reason clears
}

var reasons = map[Reason]reasonInfo{
	ReasonDeath:        {"领取人死亡", Stop, false},
	ReasonWorkerDeath:  {"工伤职工死亡", Stop, false},
	ReasonEnded:        {"待遇期满", Stop, false},
	ReasonAge18:        {"供养亲属年满18周岁且未完全丧失劳动能力", Stop, false},
	ReasonRemarried:    {"配偶再婚", Stop, false},
	ReasonEmployed:     {"供养亲属就业或参军", Stop, false},
	ReasonAdopted:      {"供养亲属被他人收养", Stop, false},
	ReasonRetired:      {"已退休，伤残津贴停发，改发基本养老金差额", Stop, false},
	ReasonPrison:       {"服刑期间停发", Suspend, false},
	ReasonCertOverdue:  {"超过12个月未完成待遇资格认证", Suspend, true},
	ReasonBankInvalid:  {"收款银行账号无效", Suspend, true},
	ReasonEmployerPaid: {"五至六级伤残津贴由用人单位按月支付，基金不支付", Record, false},
	ReasonHeld:         {"经办人暂缓发放", Suspend, true},
}

// Label is the reason's Chinese text.
func (r Reason) Label() string { return reasons[r].label }

// Effect is what the reason does to a line.
func (r Reason) Effect() Effect {
	if r == ReasonNone {
		return Pay
	}
	return reasons[r].effect
}

// Arrears reports whether months suspended for r are paid once r clears:
// a late 资格认证, a corrected account or a released hold are paid back;
// months in prison are not (供养亲属 "服刑期间停止享受", S10 Art. 4; the
// same reading is applied to the worker's own allowances).
func (r Reason) Arrears() bool { return reasons[r].arrears }

// Known reports whether r is a reason code.
func (r Reason) Known() bool { _, ok := reasons[r]; return ok }

// Event kinds recorded against a payee (the worker or a dependant).
const (
	EventDeath     = "death"     // date of death
	EventRemarried = "remarried" // spouse remarried
	EventEmployed  = "employed"  // employed or enlisted
	EventAdopted   = "adopted"   // adopted by others
	EventRetired   = "retired"   // retired (the worker)
	EventPrison    = "prison"    // in prison from On until Until (empty: still)
	EventCertified = "certified" // 资格认证 done on On
)

// EventName is the Chinese name of an event kind.
func EventName(k string) string {
	return map[string]string{EventDeath: "死亡", EventRemarried: "再婚", EventEmployed: "就业或参军", EventAdopted: "被他人收养",
		EventRetired: "退休", EventPrison: "服刑", EventCertified: "资格认证"}[k]
}

// EventKinds lists the kinds staff record, in display order.
var EventKinds = []string{EventCertified, EventDeath, EventRetired, EventPrison, EventRemarried, EventEmployed, EventAdopted}

// Event is one recorded fact about a payee.
type Event struct {
	Kind  string
	On    string // YYYY-MM-DD
	Until string // prison only: release date, empty while serving
}

// Rules are the check's parameters (internal/param, by region and date).
type Rules struct {
	CertMonths int // 资格认证 valid this many months (12)
	AdultAge   int // a dependant's pension stops after this birthday unless incapacitated (18)
}

// Facts are what a month's line is checked against.
type Facts struct {
	Type     string
	Payer    string // fund | employer
	Start    string // entitlement's first month, YYYY-MM-DD
	End      string // last day paid, empty when open-ended
	Survivor bool   // payee is a dependant (供养亲属)
	// BirthDate is set for a dependant eligible as a minor (a child,
	// grandchild or sibling): the pension stops after the adult age unless
	// Incapacitated. Empty for a spouse or parent.
	BirthDate     string
	Incapacitated bool
	Payee         []Event // events of the payee (the worker, or the dependant)
	AccountValid  bool
	Held          bool // an officer put the entitlement on hold
}

// Result is a check's outcome for one month.
type Result struct {
	Effect Effect
	Reason Reason
}

// Check decides what happens to an entitlement's line for month m. Stops
// come first (a dead payee's line is never merely suspended), then
// suspensions, then the employer-paid record.
func Check(f Facts, m Month, r Rules) Result {
	if rs := stopReason(f, m, r); rs != ReasonNone {
		return Result{Stop, rs}
	}
	if rs := suspendReason(f, m, r); rs != ReasonNone {
		return Result{Suspend, rs}
	}
	if f.Payer == "employer" {
		return Result{Record, ReasonEmployerPaid}
	}
	return Result{Pay, ReasonNone}
}

// after reports whether an event dated d stops month m: the month of the
// event is still paid, the following ones are not.
func after(d string, m Month) bool {
	em, ok := MonthOfDate(d)
	return ok && em.Before(m)
}

func stopReason(f Facts, m Month, r Rules) Reason {
	if f.End != "" && after(f.End, m) {
		return ReasonEnded
	}
	for _, e := range f.Payee {
		switch {
		case e.Kind == EventDeath && after(e.On, m):
			if f.Survivor {
				return ReasonDeath
			}
			return ReasonWorkerDeath
		case e.Kind == EventRetired && f.Type == TypeDisability && after(e.On, m):
			return ReasonRetired
		case f.Survivor && after(e.On, m):
			switch e.Kind {
			case EventRemarried:
				return ReasonRemarried
			case EventEmployed:
				return ReasonEmployed
			case EventAdopted:
				return ReasonAdopted
			}
		}
	}
	if f.Survivor && !f.Incapacitated && f.BirthDate != "" {
		// By months: the month of the birthday is the last one paid (a
		// 29 February birthday falls in February too).
		if bm, ok := MonthOfDate(f.BirthDate); ok && bm.Add(12*r.AdultAge).Before(m) {
			return ReasonAge18
		}
	}
	return ReasonNone
}

func suspendReason(f Facts, m Month, r Rules) Reason {
	for _, e := range f.Payee {
		if e.Kind == EventPrison && inPrison(e, m) {
			return ReasonPrison
		}
	}
	if certOverdue(f, m, r) {
		return ReasonCertOverdue
	}
	if !f.AccountValid && f.Payer != "employer" {
		return ReasonBankInvalid
	}
	if f.Held {
		return ReasonHeld
	}
	return ReasonNone
}

// inPrison: every month from the month imprisonment began to the month of
// release is suspended.
func inPrison(e Event, m Month) bool {
	from, ok := MonthOfDate(e.On)
	if !ok || m.Before(from) {
		return false
	}
	if e.Until == "" {
		return true
	}
	to, ok := MonthOfDate(e.Until)
	return ok && !to.Before(m)
}

// certOverdue: the last 资格认证 (or, before the first one, the
// entitlement's start) is more than CertMonths months before month m.
// Employer-paid lines are the employer's to check.
func certOverdue(f Facts, m Month, r Rules) bool {
	if f.Payer == "employer" {
		return false
	}
	last := LastCertified(f)
	lm, ok := MonthOfDate(last)
	return ok && m.Since(lm) > r.CertMonths
}

// LastCertified is the payee's last 资格认证, or the entitlement's start.
func LastCertified(f Facts) string {
	last := f.Start
	for _, e := range f.Payee {
		if e.Kind == EventCertified && e.On > last {
			last = e.On
		}
	}
	return last
}

// CertCutoff: a last certification (or start) before this date is overdue
// in month m. The store uses it to pick the candidate lines worth a check.
func CertCutoff(m Month, r Rules) string {
	return m.Add(-r.CertMonths).First().Format(time.DateOnly)
}

// AdultCutoff: a dependant born before this date is past the adult age in
// month m (the month of the birthday is still paid).
func AdultCutoff(m Month, r Rules) string {
	return m.Add(-12 * r.AdultAge).First().Format(time.DateOnly)
}
