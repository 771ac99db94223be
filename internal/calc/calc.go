// Package calc is the JSON contract of `gongshang calc` and of the HTTP
// calculator: one request (or an array of requests) in, benefit items or a
// deadline with its explanation out. Invalid input is an *errs.Error whose
// field errors carry the JSON path and a Chinese message naming the field
// by its label. The contract is documented in docs/calc.md.
package calc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gongshang/internal/benefit"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// MaxRequestBytes bounds the input size.
const MaxRequestBytes = 1 << 20

// Item is one benefit item of the answer.
type Item struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Payer       string `json:"payer"`  // fund, employer, or "" for information items
	Period      string `json:"period"` // once, monthly, info
	Amount      string `json:"amount"` // yuan, two decimals
	Dependant   *int   `json:"dependant,omitempty"`
	Unconfirmed bool   `json:"unconfirmed"`
	Explanation string `json:"explanation"`
}

// BenefitAnswer is the answer to a benefit request.
type BenefitAnswer struct {
	Items []Item `json:"items"`
}

// DeadlineAnswer is the answer to a deadline request.
type DeadlineAnswer struct {
	Due         string `json:"due"`
	Mode        string `json:"mode"`
	Provisional bool   `json:"provisional"`
	Unconfirmed bool   `json:"unconfirmed"`
	Explanation string `json:"explanation"`
}

// Kinds of request.
var kinds = []string{"disability", "exit", "death", "missing", "deadline", "premium", "prevention_cap"}

// Evaluate decodes one request object or an array of them and computes the
// answer: a *BenefitAnswer, a *DeadlineAnswer, or []any of those for an
// array. Every input error is an *errs.Error with field errors.
func Evaluate(set *param.Set, raw []byte) (any, error) {
	if len(raw) > MaxRequestBytes {
		return nil, errs.E(errs.TooLarge, "测算请求超过%d字节的上限", MaxRequestBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.Field("", "json_trailing", "测算请求的 JSON 之后还有多余内容")
	}
	if arr, ok := v.([]any); ok {
		out := make([]any, 0, len(arr))
		for i, el := range arr {
			ans, err := evaluateOne(set, fmt.Sprintf("[%d]", i), el)
			if err != nil {
				return nil, err
			}
			out = append(out, ans)
		}
		return out, nil
	}
	return evaluateOne(set, "", v)
}

func evaluateOne(set *param.Set, path string, v any) (any, error) {
	o, err := newObj(path, v)
	if err != nil {
		return nil, err
	}
	kind := o.oneOf("kind", "", kinds...)
	if kind == "" && o.err == nil {
		o.fail("kind", "为必填项，应为 %s 之一", strings.Join(kinds, "、"))
	}
	if o.err != nil {
		return nil, o.err
	}
	if kind == "deadline" {
		return evalDeadline(set, o)
	}
	return evalBenefit(set, o, kind)
}

// resolver reads region and params; region is required unless def is set.
func resolver(set *param.Set, o *obj, def string, on time.Time) *param.Resolver {
	region := o.str("region", def == "")
	if region == "" && !o.has("region") {
		region = def
	}
	if region != "" && !param.ValidRegion(region) {
		o.fail("region", "应为6位行政区划代码，如“370800”（收到“%s”）", region)
	}
	r := param.NewResolver(set, region)
	for name, value := range o.strings("params") {
		if err := r.Override(name, value, on); err != nil {
			o.fail("params."+name, "%v", err)
		}
	}
	return r
}

func wage(o *obj, required bool) *benefit.Wage {
	if o.has("wage_total") || o.has("contribution_months") {
		w := &benefit.Wage{Total: o.money("wage_total", true), Months: o.integer("contribution_months", true, 1, 11)}
		if o.has("wage_avg_12m") {
			o.fail("wage_avg_12m", "与「缴费工资总额」「缴费月数」只能二选一")
		}
		return w
	}
	if !required && !o.has("wage_avg_12m") {
		o.used["wage_avg_12m"] = true
		return nil
	}
	return &benefit.Wage{Avg12m: o.money("wage_avg_12m", true)}
}

func evalBenefit(set *param.Set, o *obj, kind string) (any, error) {
	items, err := computeBenefit(set, o, kind)
	if err != nil {
		return nil, err
	}
	ans := &BenefitAnswer{Items: []Item{}}
	for _, it := range items {
		out := Item{Code: it.Code, Name: it.Name, Payer: string(it.Payer), Period: string(it.Period),
			Amount: param.FormatMoney(it.Amount), Unconfirmed: it.Unconfirmed, Explanation: it.Explanation}
		if it.Dependant != benefit.NoDependant {
			i := it.Dependant
			out.Dependant = &i
		}
		ans.Items = append(ans.Items, out)
	}
	return ans, nil
}

func computeBenefit(set *param.Set, o *obj, kind string) ([]benefit.Item, error) {
	var run func() ([]benefit.Item, error)
	switch kind {
	case "disability":
		run = disability(set, o)
	case "exit":
		run = exit(set, o)
	case "death":
		run = death(set, o)
	case "missing":
		run = missing(set, o)
	case "premium":
		run = premium(set, o)
	case "prevention_cap":
		run = preventionCap(set, o)
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	items, err := run()
	return items, fieldError(o.path, err)
}

// fieldError puts the field errors of the rule packages under path (the
// request's place in an array); any other error is internal and returned
// unchanged, to be logged and never shown.
func fieldError(path string, err error) error {
	var e *errs.Error
	if err == nil || !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := &errs.Error{Kind: e.Kind, Message: e.Message}
	for _, f := range e.Fields {
		f.Field = fieldOr(path, f.Field)
		out.Fields = append(out.Fields, f)
	}
	return out
}

// jsonError describes a JSON syntax or type problem in Chinese, with the
// position, never with the decoder's English text.
func jsonError(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return errs.Field("", "json_syntax", "测算请求不是有效的 JSON（第%d个字节附近有语法错误）", syn.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.Field("", "json_syntax", "测算请求不是完整的 JSON")
	}
	return errs.Field("", "json_syntax", "测算请求不是有效的 JSON")
}

func fieldOr(path, field string) string {
	if field == "" {
		return join(path, "params")
	}
	return join(path, field)
}

func disability(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	c := benefit.DisabilityCase{InjuryDate: o.date("injury_date", true), AsOf: o.date("as_of", false)}
	r := resolver(set, o, "", c.InjuryDate)
	c.Wage = *wage(o, true)
	c.Level = o.integer("level", true, 1, 10)
	c.Care = benefit.Care(o.oneOf("care", "none", "none", "partial", "most", "full"))
	c.DeemedVeteran = o.boolean("deemed_veteran")
	c.Retired = o.boolean("retired")
	c.Pension = o.money("pension", false)
	return func() ([]benefit.Item, error) { return benefit.Disability(r, c) }
}

func exit(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	c := benefit.ExitCase{InjuryDate: o.date("injury_date", true), ExitDate: o.date("exit_date", true)}
	r := resolver(set, o, "", c.ExitDate)
	c.Level = o.integer("level", true, 1, 10)
	c.Wage = wage(o, false)
	c.OccupationalDisease = o.boolean("occupational_disease")
	c.RetirementAgeReached = o.boolean("retirement_age_reached")
	if o.err == nil && c.ExitDate.Before(c.InjuryDate) {
		o.fail("exit_date", "不能早于受伤日期")
	}
	return func() ([]benefit.Item, error) { return benefit.Exit(r, c) }
}

func death(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	c := benefit.DeathCase{InjuryDate: o.date("injury_date", true), DeathDate: o.date("death_date", true), AsOf: o.date("as_of", false)}
	r := resolver(set, o, "", c.InjuryDate)
	c.Wage = *wage(o, true)
	c.InPaidLeave = o.boolean("in_paid_leave")
	c.Level = o.integer("level", false, 0, 10)
	c.Dependants = dependants(o)
	if o.err == nil && c.DeathDate.Before(c.InjuryDate) {
		o.fail("death_date", "不能早于受伤日期")
	}
	return func() ([]benefit.Item, error) { return benefit.Death(r, c) }
}

func missing(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	c := benefit.MissingCase{AccidentDate: o.date("injury_date", true), AsOf: o.date("as_of", false)}
	r := resolver(set, o, "", c.AccidentDate)
	c.Wage = *wage(o, true)
	c.Dependants = dependants(o)
	return func() ([]benefit.Item, error) { return benefit.Missing(r, c) }
}

func dependants(o *obj) []benefit.Dependant {
	var out []benefit.Dependant
	for _, d := range o.objects("dependants") {
		dep := benefit.Dependant{
			Relation:       benefit.Relation(d.oneOf("relation", "", "spouse", "child", "parent", "grandparent", "grandchild", "sibling")),
			Sex:            d.oneOf("sex", "", "M", "F"),
			BirthDate:      d.date("birth_date", true),
			Incapacitated:  d.boolean("incapacitated"),
			OrphanOrLonely: d.boolean("orphan_or_lonely"),
			ParentsUnable:  d.boolean("parents_unable"),
			StopDate:       d.date("stop_date", false),
		}
		if dep.Relation == "" {
			d.fail("relation", "为必填项")
		}
		if dep.Sex == "" {
			d.fail("sex", "为必填项")
		}
		if d.has("stop_event") || !dep.StopDate.IsZero() {
			dep.Stop = benefit.StopEvent(d.oneOf("stop_event", "", "remarriage", "employment", "adoption", "death", "imprisonment"))
			if dep.Stop == "" {
				d.fail("stop_event", "填写 stop_date 时必须同时填写停止事由")
			} else if dep.StopDate.IsZero() {
				d.fail("stop_date", "填写 stop_event 时必须同时填写日期")
			}
		} else {
			d.used["stop_event"] = true
		}
		o.child(d)
		out = append(out, dep)
	}
	return out
}

func premium(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	c := benefit.PremiumCase{On: o.date("date", true)}
	r := resolver(set, o, "", c.On)
	c.RiskClass = o.integer("risk_class", true, 1, 8)
	c.Tier = o.decimal("tier", true)
	c.Payroll = o.money("payroll", true)
	return func() ([]benefit.Item, error) { return benefit.Premium(r, c) }
}

func preventionCap(set *param.Set, o *obj) func() ([]benefit.Item, error) {
	on := o.date("date", true)
	r := resolver(set, o, "", on)
	income := o.money("fund_income", true)
	return func() ([]benefit.Item, error) { return benefit.PreventionCap(r, on, income) }
}

func evalDeadline(set *param.Set, o *obj) (any, error) {
	req := deadline.Request{Step: o.str("step", true), Start: o.date("start", true), Simple: o.boolean("simple")}
	r := resolver(set, o, param.National, req.Start)
	for _, s := range o.objects("suspensions") {
		req.Suspensions = append(req.Suspensions, deadline.Suspension{From: s.date("from", true), To: s.date("to", true)})
		o.child(s)
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	res, err := deadline.Compute(r, req)
	if err != nil {
		return nil, fieldError(o.path, err)
	}
	return &DeadlineAnswer{Due: param.FormatDate(res.Due), Mode: string(res.Mode), Provisional: res.Provisional,
		Unconfirmed: res.Unconfirmed, Explanation: res.Explanation}, nil
}

// Main runs `gongshang calc`: one JSON request or an array on stdin, the
// answer as JSON on stdout. It returns 0 on success, 2 on invalid input
// (message on stderr naming the field) and 1 if stdin cannot be read.
func Main(stdin io.Reader, stdout, stderr io.Writer, set *param.Set) int {
	raw, err := io.ReadAll(io.LimitReader(stdin, MaxRequestBytes+1))
	if err != nil {
		fmt.Fprintf(stderr, "读取输入失败：%v\n", err)
		return 1
	}
	ans, err := Evaluate(set, raw)
	if fe, ok := errs.First(err); ok && fe.Field != "" {
		fmt.Fprintf(stderr, "输入无效（字段 %s）：%s\n", fe.Field, fe.Message)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "输入无效：%v\n", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ans); err != nil {
		fmt.Fprintf(stderr, "写出结果失败：%v\n", err)
		return 1
	}
	return 0
}
