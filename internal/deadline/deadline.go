// Package deadline computes statutory time limits by the civil-code counting
// rules adopted in regulation.md §9.2: the first day is not counted; periods
// in months and years end on the corresponding day; a last day that is a rest
// day moves to the next working day (make-up working days are working days);
// a suspension keeps the days used and counting resumes the day after the
// obstacle ends. Dates are civil dates (UTC midnight, see package param). The
// package is pure: the calendar and every time limit come from param tables.
package deadline

import (
	"gongshang/internal/errs"

	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongshang/internal/param"
)

// Mode says what kind of date a step yields.
type Mode string

// Modes.
const (
	ModeDeadline  Mode = "deadline"   // last day, rolled forward past rest days
	ModeExtended  Mode = "extended"   // base period + extension, then rolled
	ModeEarliest  Mode = "earliest"   // first day an application is allowed; not rolled
	ModePeriodEnd Mode = "period_end" // end of an entitlement period; not rolled
)

// Step describes one procedural step. The time limit itself is data: the
// time_limit table under Key (or paid_leave_months for the paid-leave steps).
type Step struct {
	Name      string
	Title     string // Chinese name of the step
	From      string // Chinese description of the start event
	Key       string // time_limit key
	SimpleKey string // time_limit key used when Simple is set; "" = no simple procedure
	ExtKey    string // extension key (ModeExtended)
	Mode      Mode
}

var steps = []Step{
	{Name: "employer_application", Title: "用人单位提出工伤认定申请", From: "事故伤害发生之日或被诊断、鉴定为职业病之日", Key: "employer_application", Mode: ModeDeadline},
	{Name: "worker_application", Title: "职工或其近亲属、工会组织提出工伤认定申请", From: "事故伤害发生之日或被诊断、鉴定为职业病之日", Key: "worker_application", Mode: ModeDeadline},
	{Name: "recognition_acceptance", Title: "工伤认定申请受理审查", From: "收到工伤认定申请（完整材料）之日", Key: "recognition_acceptance", SimpleKey: "recognition_acceptance_simple", Mode: ModeDeadline},
	{Name: "recognition_acceptance_corrected", Title: "补正材料后作出受理决定", From: "收到全部补正材料之日", Key: "recognition_acceptance_corrected", Mode: ModeDeadline},
	{Name: "recognition_decision", Title: "作出工伤认定决定", From: "受理之日", Key: "recognition_decision", SimpleKey: "recognition_decision_simple", Mode: ModeDeadline},
	{Name: "recognition_delivery", Title: "送达工伤认定决定书", From: "作出工伤认定决定之日", Key: "recognition_delivery", Mode: ModeDeadline},
	{Name: "assessment_correction", Title: "劳动能力鉴定申请材料补正告知", From: "收到劳动能力鉴定申请之日", Key: "assessment_correction", Mode: ModeDeadline},
	{Name: "assessment_conclusion", Title: "作出劳动能力鉴定结论", From: "收到劳动能力鉴定申请（完整材料）之日", Key: "assessment_conclusion", Mode: ModeDeadline},
	{Name: "assessment_conclusion_extended", Title: "作出劳动能力鉴定结论（延长后）", From: "收到劳动能力鉴定申请（完整材料）之日", Key: "assessment_conclusion", ExtKey: "assessment_extension", Mode: ModeExtended},
	{Name: "assessment_delivery", Title: "送达劳动能力鉴定结论", From: "作出鉴定结论之日", Key: "assessment_delivery", Mode: ModeDeadline},
	{Name: "reassessment_request", Title: "申请再次鉴定", From: "收到鉴定结论之日", Key: "reassessment_request", Mode: ModeDeadline},
	{Name: "review_assessment_earliest", Title: "最早可申请复查鉴定之日", From: "作出鉴定结论之日", Key: "review_assessment", Mode: ModeEarliest},
	{Name: "admin_review_request", Title: "申请行政复议", From: "知道或者应当知道该行政行为之日", Key: "admin_review", Mode: ModeDeadline},
	{Name: "admin_lawsuit_filing", Title: "直接提起行政诉讼", From: "知道或者应当知道作出行政行为之日", Key: "admin_lawsuit", Mode: ModeDeadline},
	{Name: "paid_leave_end", Title: "停工留薪期届满（一般）", From: "停工留薪期开始之日（通常为受伤之日）", Key: "normal", Mode: ModePeriodEnd},
	{Name: "paid_leave_end_extended", Title: "停工留薪期届满（经确认延长后最长）", From: "停工留薪期开始之日（通常为受伤之日）", Key: "normal", ExtKey: "extension", Mode: ModePeriodEnd},
}

// Steps lists every step, for documentation and the UI.
func Steps() []Step { return append([]Step(nil), steps...) }

// SimpleSteps lists the steps that have a simple procedure (简易程序).
func SimpleSteps() []Step {
	var out []Step
	for _, s := range steps {
		if s.SimpleKey != "" {
			out = append(out, s)
		}
	}
	return out
}

// StepByName returns a step.
func StepByName(name string) (Step, bool) {
	for _, s := range steps {
		if s.Name == name {
			return s, true
		}
	}
	return Step{}, false
}

// Suspension is a 中止: days up to and including From count as used;
// counting resumes the day after To.
type Suspension struct {
	From, To time.Time
}

// Request asks for the date of one step.
type Request struct {
	Step        string
	Start       time.Time // date of the triggering event
	Simple      bool      // simple procedure: steps with a SimpleKey (recognition acceptance and decision)
	Suspensions []Suspension
}

// Result is the computed date with its explanation.
type Result struct {
	Due         time.Time
	Mode        Mode
	Provisional bool // a year whose holiday calendar is not loaded was consulted
	Unconfirmed bool // a U parameter or an unconfirmed rule was used
	Explanation string
}

// fieldErr is an input problem as the project's one field error (errs):
// field is the JSON field of the request, the message names it in Chinese.
func fieldErr(field, format string, a ...any) error {
	return errs.Field(field, "deadline_input", format, a...)
}

type note struct {
	lines       []string
	unconfirmed bool
}

func (n *note) add(f string, a ...any) { n.lines = append(n.lines, fmt.Sprintf(f, a...)) }
func (n *note) param(label string, v param.Version, shown string) {
	if v.Unconfirmed() {
		n.unconfirmed = true
	}
	n.add("参数：%s = %s（%s）", label, shown, v.Cite())
}

// Compute returns the date of a step.
func Compute(r *param.Resolver, req Request) (Result, error) {
	st, ok := StepByName(req.Step)
	if !ok {
		names := make([]string, len(steps))
		for i, s := range steps {
			names[i] = s.Title + "（" + s.Name + "）"
		}
		return Result{}, fieldErr("step", "程序步骤“%s”不存在，可用的步骤：%s", req.Step, strings.Join(names, "、"))
	}
	if err := checkSuspensions(req); err != nil {
		return Result{}, err
	}
	cal := NewCalendar(r)
	var n note
	n.add("规则：期间开始的当日不计入，自次日起算（民法典第二百零一条）；按月、年计算的期间到期月的对应日为末日，无对应日的为月末日（第二百零二条）；按日计算的为“日”即日历日，“工作日”另计")
	n.add("输入：步骤 = %s；起算事件 = %s，日期 %s", st.Title, st.From, describe(req.Start))
	if req.Simple {
		n.add("输入：简易程序 = 是")
	}
	for i, s := range req.Suspensions {
		n.add("输入：中止%d：%s 及之前的期间已计入，%s 中止事由消除，自次日起继续计算", i+1, param.FormatDate(s.From), param.FormatDate(s.To))
	}
	var res Result
	var err error
	switch st.Mode {
	case ModePeriodEnd:
		res, err = periodEnd(r, &n, st, req)
	case ModeEarliest:
		res, err = earliest(r, &n, st, req)
	default:
		res, err = due(r, cal, &n, st, req)
	}
	if err != nil {
		return Result{}, err
	}
	res.Mode = st.Mode
	citeCalendar(&n, cal.citations)
	if len(cal.unloaded) > 0 {
		res.Provisional = true
		var ys []string
		for y := range cal.unloaded {
			ys = append(ys, fmt.Sprint(y))
		}
		sort.Strings(ys)
		n.add("说明：%s年的节假日安排尚未载入，仅按周末判断休息日，结果为暂定「暂定」", strings.Join(ys, "、"))
	}
	res.Unconfirmed = res.Unconfirmed || n.unconfirmed
	res.Explanation = strings.Join(n.lines, "\n")
	return res, nil
}

func checkSuspensions(req Request) error {
	prev := req.Start
	for i, s := range req.Suspensions {
		f := fmt.Sprintf("suspensions[%d]", i)
		if s.From.Before(prev) || (i > 0 && !s.From.After(prev)) {
			return fieldErr(f+".from", "中止开始日期不能早于起算日期或上一中止的结束日期，且各中止须按时间先后排列")
		}
		if s.To.Before(s.From) {
			return fieldErr(f+".to", "中止期间的结束日期不能早于开始日期")
		}
		prev = s.To
	}
	return nil
}

func limit(r *param.Resolver, n *note, label, table, key string, on time.Time) (param.Period, error) {
	v, err := r.Get(table, key, on)
	if errors.Is(err, param.ErrNotFound) {
		return param.Period{}, fieldErr("params."+table+"."+key, "地区%s在%s没有「%s」的时限参数，请在法定参数中补充，或在测算请求中给出该参数", r.Region, param.FormatDate(on), label)
	}
	if err != nil {
		return param.Period{}, err
	}
	if table == "paid_leave_months" {
		m, err := v.Rat()
		if err != nil || !m.IsInt() || m.Sign() <= 0 || m.Num().Int64() > 360 {
			return param.Period{}, fieldErr("params."+table+"."+key, "停工留薪期月数应为1–360的整数")
		}
		n.param(label, v, fmt.Sprintf("%s个月", m.RatString()))
		return param.Period{N: int(m.Num().Int64()), Unit: param.UnitMonths}, nil
	}
	p, err := v.Period()
	if err != nil {
		return param.Period{}, err
	}
	n.param(label, v, p.Chinese())
	return p, nil
}

// citeCalendar cites the calendar rows used, grouped by kind and source.
func citeCalendar(n *note, vs []param.Version) {
	type group struct {
		v     param.Version
		dates []string
	}
	var groups []*group
	for _, v := range vs {
		var g *group
		for _, x := range groups {
			if x.v.Value == v.Value && x.v.Source == v.Source && x.v.Confidence == v.Confidence && x.v.EffectiveFrom.Equal(v.EffectiveFrom) {
				g = x
			}
		}
		if g == nil {
			g = &group{v: v}
			groups = append(groups, g)
		}
		g.dates = append(g.dates, v.Key)
	}
	names := map[string]string{"holiday": "法定节假日", "workday": "调休上班日"}
	for _, g := range groups {
		v := g.v
		v.Note = ""
		n.param("节假日安排 "+strings.Join(g.dates, "、"), v, names[v.Value])
	}
}
