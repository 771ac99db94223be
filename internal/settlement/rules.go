package settlement

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"gongshang/internal/catalogue"
	"gongshang/internal/supervision"
)

// Severity is a finding's result type (fund-audit.md §3.2).
type Severity string

// The two result types; sev_deg carries the Chinese names.
const (
	Definite   Severity = "definite"   // 明确违规: the fund does not pay the amount
	Suspicious Severity = "suspicious" // 高度可疑: paid, reported, queued for review
)

// Name is the sev_deg text.
func (s Severity) Name() string {
	if s == Definite {
		return "明确违规"
	}
	return "高度可疑"
}

// Rule is one real-time rule as data: its id, the framework's name, the
// category of fund-audit.md §2.2, the result type and the legal basis.
// The fund-supervision screening shares these ids.
type Rule struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Category string   `json:"category"` // the behaviour type (vola_bhvr_type)
	Severity Severity `json:"severity"`
	Basis    string   `json:"basis"`
	Window   string   `json:"window"` // 单日 / 当次住院 / 使用年限
	Logic    string   `json:"logic"`  // plain-language logic
}

// Rules are the real-time line rules: the rules of the one rule base
// (supervision.Base) that run at the real-time stage, with their ids,
// names, result types and legal bases; vola_bhvr_type is their behaviour.
var Rules = realtimeRules()

func realtimeRules() []Rule {
	var out []Rule
	for _, r := range supervision.Base {
		if r.Runs(supervision.StageRealtime) {
			out = append(out, Rule{ID: r.ID, Name: r.Name, Category: r.Behaviour, Severity: Severity(r.Severity), Basis: r.Basis, Window: r.Window, Logic: r.Logic})
		}
	}
	return out
}

// RuleByID finds a rule.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Finding is one hit of a rule on a line or an encounter, with its
// evidence. Amount is, for a definite finding, what the fund does not pay
// because of it; for a suspicious one, the amount concerned.
type Finding struct {
	RuleID   string   `json:"rule_id"`
	RuleName string   `json:"rule_name"`
	Severity Severity `json:"severity"`
	Category string   `json:"category"`
	LineSN   string   `json:"feedetl_sn,omitempty"`
	Amount   int64    `json:"amount"`
	Content  string   `json:"content"`  // vola_cont: what happened
	Evidence string   `json:"evidence"` // vola_evid: the lines and reference rows
}

// DeviceUse is an earlier device configuration of the worker (for the
// minimum service life).
type DeviceUse struct {
	Code string
	Day  string
}

// Check is what the rules are run over: the encounter, its unsettled
// lines (priced), the injury's diagnosis and the worker's device history.
type Check struct {
	Encounter  *Encounter
	Lines      []*Line
	Pricing    Pricing
	InjuryDiag string // ICD-10 code of the recognised injury ("" unknown)
	Devices    []DeviceUse
	AsOf       time.Time // for an open stay: now
	// Off names the rules an administrator switched off in the rule base:
	// they neither deduct nor report.
	Off map[string]bool
}

// Result is the rules' outcome: findings, and per line the amount the fund
// pays (in-scope minus definite deductions).
type Result struct {
	Findings []Finding
	Payable  map[string]int64 // by feedetl_sn
}

// Evaluate runs every rule. Lines must be priced.
func Evaluate(c Check) Result {
	r := Result{Payable: map[string]int64{}}
	for _, l := range c.Lines {
		r.Payable[l.SN] = l.InScope
	}
	ev := evaluator{c: c, r: &r, outside: map[string]bool{}}
	ev.outsideStay()
	ev.bedDays()
	ev.priceAndScope()
	ev.bundles()
	ev.frequency()
	ev.deviceLife()
	ev.duplicates()
	ev.injuryRegion()
	return r
}

type evaluator struct {
	c       Check
	r       *Result
	outside map[string]bool // lines refused by GS-D01: not part of the stay's counts
}

// deduct takes up to amount of a line's payable share for a definite rule.
func (ev *evaluator) deduct(ruleID string, l *Line, amount int64, content, evidence string) {
	if ev.c.Off[ruleID] {
		return
	}
	if left := ev.r.Payable[l.SN]; amount > left {
		amount = left
	}
	if amount <= 0 {
		return
	}
	ev.r.Payable[l.SN] -= amount
	ev.add(ruleID, l.SN, amount, content, evidence)
}

func (ev *evaluator) add(ruleID, sn string, amount int64, content, evidence string) {
	if ev.c.Off[ruleID] {
		return
	}
	rule, _ := RuleByID(ruleID)
	ev.r.Findings = append(ev.r.Findings, Finding{RuleID: rule.ID, RuleName: rule.Name, Severity: rule.Severity,
		Category: rule.Category, LineSN: sn, Amount: amount, Content: content, Evidence: evidence})
}

func (ev *evaluator) flag(ruleID string, l *Line, amount int64, content, evidence string) {
	ev.add(ruleID, l.SN, amount, content, evidence)
}

func lineRef(l *Line) string {
	return fmt.Sprintf("明细%s：%s %s，%s×%s元=%s元，%s", l.SN, l.Code, l.Name, supervision.QtyText(l.Qty), Yuan(l.Price), Yuan(l.Amount), l.FeeTime.In(CST).Format(time.DateTime))
}

func (ev *evaluator) outsideStay() {
	e := ev.c.Encounter
	begin := Day(e.Begin)
	end := ""
	if e.End != nil {
		end = Day(*e.End)
	}
	for _, l := range ev.c.Lines {
		d := Day(l.FeeTime)
		if d < begin || (end != "" && d > end) {
			ev.outside[l.SN] = true
		}
		switch {
		case d < begin:
			ev.deduct("GS-D01", l, l.InScope, fmt.Sprintf("费用发生日期%s早于入院（就诊）日期%s", d, begin), lineRef(l))
		case end != "" && d > end:
			ev.deduct("GS-D01", l, l.InScope, fmt.Sprintf("费用发生日期%s晚于出院日期%s", d, end), lineRef(l))
		}
	}
}

// byTime orders lines by fee time, then by feedetl_sn, so the later
// charges are the ones beyond a limit.
func byTime(ls []*Line) []*Line {
	out := append([]*Line(nil), ls...)
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].FeeTime.Equal(out[j].FeeTime) {
			return out[i].FeeTime.Before(out[j].FeeTime)
		}
		return out[i].SN < out[j].SN
	})
	return out
}

func (ev *evaluator) bedDays() {
	e := ev.c.Encounter
	if !e.MedType.Stay() {
		return
	}
	days := int64(e.StayDays(ev.c.AsOf))
	// Per bed code: a ward transfer swaps one bed code for another, so the
	// limit holds for the sum over all bed codes and for each code.
	var used int64
	for _, l := range byTime(ev.c.Lines) {
		if l.Category != catalogue.Bed || !strings.Contains(l.Name, "床位") || ev.outside[l.SN] {
			continue
		}
		units := l.Units()
		if used+units > days {
			over := used + units - days
			if over > units {
				over = units
			}
			amount := Times(over*QtyScale, l.Price)
			if l.Ceiling > 0 && l.Price > l.Ceiling {
				amount = Times(over*QtyScale, l.Ceiling)
			}
			ev.deduct("GS-D03", l, amount, fmt.Sprintf("床位费累计%d天，住院%d天（入院当天计、出院当天不计），超出%d天", used+units, days, over), lineRef(l))
		}
		used += units
	}
}

func (ev *evaluator) priceAndScope() {
	for _, l := range ev.c.Lines {
		if l.OverLimit > 0 {
			ev.add("GS-D06", l.SN, l.OverLimit, fmt.Sprintf("%s单价%s元，就诊日限价%s元", l.Name, Yuan(l.Price), Yuan(l.Ceiling)), lineRef(l))
		}
		if l.OwnPay > 0 {
			name := l.Name
			if name == "" {
				name = l.Code
			}
			ev.add("GS-D09", l.SN, l.OwnPay, name+"不属于工伤保险基金支付范围（"+l.Memo+"）", lineRef(l))
		}
	}
}

// dayKey groups lines by day and code.
type dayKey struct{ day, code string }

func (ev *evaluator) bundles() {
	if ev.c.Pricing.Book == nil {
		return
	}
	byDay := map[dayKey][]*Line{}
	for _, l := range ev.c.Lines {
		if l.InScope > 0 {
			k := dayKey{Day(l.FeeTime), l.Code}
			byDay[k] = append(byDay[k], l)
		}
	}
	seen := map[string]bool{}
	for _, l := range byTime(ev.c.Lines) {
		day := Day(l.FeeTime)
		for _, b := range ev.c.Pricing.Book.BundlesOf(l.Code, day) {
			if b.Code1 != l.Code {
				continue
			}
			for _, other := range byDay[dayKey{day, b.Code2}] {
				if seen[other.SN+"|"+b.Code1] {
					continue
				}
				seen[other.SN+"|"+b.Code1] = true
				content := fmt.Sprintf("%s已包含%s，同日（%s）另行收费", l.Name, other.Name, day)
				evidence := lineRef(l) + "；" + lineRef(other) + "；理由：" + b.Rationale
				if b.Indicator == 0 {
					ev.deduct("GS-D07", other, other.InScope, content, evidence)
				} else {
					ev.add("GS-D07", other.SN, other.InScope, content+"（须有单独收费的理由）", evidence)
					ev.r.Findings[len(ev.r.Findings)-1].Severity = Suspicious
				}
			}
		}
	}
}

func (ev *evaluator) frequency() {
	codes := map[string][]*Line{}
	for _, l := range byTime(ev.c.Lines) {
		if l.InScope > 0 && !ev.outside[l.SN] {
			codes[l.Code] = append(codes[l.Code], l)
		}
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, code := range keys {
		ls := codes[code]
		e, ok := ev.c.Pricing.Entry(code, Day(ls[0].FeeTime))
		if !ok {
			continue
		}
		if e.Category == catalogue.Bed && strings.Contains(e.Name, "床位") {
			continue // bed-days have their own rule
		}
		ev.perDay(e, ls)
		ev.perStay(e, ls)
		ev.interval(e, ls)
	}
}

func (ev *evaluator) perDay(e catalogue.Entry, ls []*Line) {
	if e.PerDay <= 0 {
		return
	}
	used := map[string]int64{}
	for _, l := range ls {
		d := Day(l.FeeTime)
		units := l.Units()
		if used[d]+units > int64(e.PerDay) {
			over := min(used[d]+units-int64(e.PerDay), units)
			ev.deduct("GS-D08", l, Times(over*QtyScale, unitPaid(l)), fmt.Sprintf("%s每日限%d次，%s共收%d次", e.Name, e.PerDay, d, used[d]+units), lineRef(l))
		}
		used[d] += units
	}
}

func (ev *evaluator) perStay(e catalogue.Entry, ls []*Line) {
	if e.PerStay <= 0 {
		return
	}
	var used int64
	for _, l := range ls {
		units := l.Units()
		if used+units > int64(e.PerStay) {
			over := min(used+units-int64(e.PerStay), units)
			ev.deduct("GS-D08", l, Times(over*QtyScale, unitPaid(l)), fmt.Sprintf("%s每次住院限%d次，本次共收%d次", e.Name, e.PerStay, used+units), lineRef(l))
		}
		used += units
	}
}

func (ev *evaluator) interval(e catalogue.Entry, ls []*Line) {
	if e.MinInterval <= 0 {
		return
	}
	last := ""
	for _, l := range ls {
		d := Day(l.FeeTime)
		if last != "" && d != last && daysBetween(last, d) < e.MinInterval {
			ev.deduct("GS-D08", l, ev.r.Payable[l.SN], fmt.Sprintf("%s两次收费应间隔至少%d天，%s与%s仅隔%d天", e.Name, e.MinInterval, last, d, daysBetween(last, d)), lineRef(l))
			continue
		}
		last = d
	}
}

// unitPaid is the fund's share of one unit of a line.
func unitPaid(l *Line) int64 {
	if l.Ceiling > 0 && l.Price > l.Ceiling {
		return l.Ceiling
	}
	return l.Price
}

func daysBetween(a, b string) int {
	ta, _ := time.Parse(time.DateOnly, a)
	tb, _ := time.Parse(time.DateOnly, b)
	return int(tb.Sub(ta).Hours() / 24)
}

func (ev *evaluator) deviceLife() {
	for _, l := range ev.c.Lines {
		if l.Category != catalogue.Device || l.InScope == 0 {
			continue
		}
		e, ok := ev.c.Pricing.Entry(l.Code, Day(l.FeeTime))
		if !ok || e.LifeMonths <= 0 {
			continue
		}
		for _, u := range ev.c.Devices {
			if u.Code != l.Code {
				continue
			}
			prev, _ := time.Parse(time.DateOnly, u.Day)
			due := prev.AddDate(0, e.LifeMonths, 0).Format(time.DateOnly)
			if Day(l.FeeTime) < due {
				ev.deduct("GS-D12", l, ev.r.Payable[l.SN], fmt.Sprintf("%s于%s配置，最低使用年限%d个月，%s前不予更换", e.Name, u.Day, e.LifeMonths, due), lineRef(l))
				break
			}
		}
	}
}

func (ev *evaluator) duplicates() {
	type key struct {
		code, doctor string
		at           int64
		qty          int64
	}
	first := map[key]*Line{}
	for _, l := range byTime(ev.c.Lines) {
		k := key{l.Code, l.Doctor, l.FeeTime.Unix(), l.Qty}
		if f, ok := first[k]; ok {
			ev.flag("GS-D04", l, l.Amount, fmt.Sprintf("与明细%s的编码、时间、数量、医师完全相同", f.SN), lineRef(f)+"；"+lineRef(l))
			continue
		}
		first[k] = l
	}
}

// injuryRegion compares the encounter's main diagnosis with the
// recognised injury by ICD-10 chapter XIX block (fund-audit.md §4.1);
// complications and non-S codes are not judged here.
func (ev *evaluator) injuryRegion() {
	e := ev.c.Encounter
	a, b := BodyRegion(e.DiagCode), BodyRegion(ev.c.InjuryDiag)
	if a == "" || b == "" || a == b {
		return
	}
	var sum int64
	for _, l := range ev.c.Lines {
		sum += l.InScope
	}
	ev.add("GS-D13", "", sum, fmt.Sprintf("就诊主诊断%s（%s）与认定工伤的诊断%s（%s）不在同一损伤部位", e.DiagCode, a, ev.c.InjuryDiag, b),
		"入院诊断 "+e.DiagCode+" "+e.DiagName+"；认定诊断 "+ev.c.InjuryDiag)
}

var blocks = []struct{ from, to, name string }{
	{"S00", "S09", "头部"}, {"S10", "S19", "颈部"}, {"S20", "S29", "胸部"}, {"S30", "S39", "腹部、下背、腰椎和骨盆"},
	{"S40", "S49", "肩和上臂"}, {"S50", "S59", "肘和前臂"}, {"S60", "S69", "腕和手"}, {"S70", "S79", "髋和大腿"},
	{"S80", "S89", "膝和小腿"}, {"S90", "S99", "踝和足"},
}

// BodyRegion maps an ICD-10 injury code (S00–S99) to its body region; ""
// for any other code.
func BodyRegion(code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) < 3 || code[0] != 'S' {
		return ""
	}
	head := code[:3]
	for _, b := range blocks {
		if head >= b.from && head <= b.to {
			return b.name
		}
	}
	return ""
}
