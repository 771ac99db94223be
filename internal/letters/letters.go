// Package letters writes the 工伤一件事 case's letters — 受理决定书,
// 不予受理决定书, 补正材料通知书 (一次性告知), 中止通知书, 认定工伤决定书 /
// 不予认定工伤决定书 (every element of 令8号 Art. 19), 劳动能力鉴定结论书
// and 待遇核定通知书 — as pdf.Letter content from a case and the act that
// issues them. Pure: the store numbers, renders and keeps them.
package letters

import (
	"fmt"
	"strings"

	"gongshang/internal/casebundle"
	"gongshang/internal/deadline"
	"gongshang/internal/param"
	"gongshang/internal/pdf"
)

// Kind is a type of letter.
type Kind string

// The letters.
const (
	Acceptance    Kind = "acceptance"     // 工伤认定申请受理决定书
	Refusal       Kind = "refusal"        // 工伤认定申请不予受理决定书
	Correction    Kind = "correction"     // 补正材料通知书
	Suspension    Kind = "suspension"     // 工伤认定中止通知书
	Recognised    Kind = "recognised"     // 认定工伤决定书
	NotRecognised Kind = "not_recognised" // 不予认定工伤决定书
	Conclusion    Kind = "conclusion"     // 劳动能力鉴定结论书
	BenefitNotice Kind = "benefit"        // 工伤保险待遇核定通知书
	Confirmation  Kind = "confirmation"   // 确认结论通知书
	ExamNotice    Kind = "exam_notice"    // 劳动能力鉴定通知书 (time and place, 令55号 Art. 12)
)

var titles = map[Kind]string{
	Acceptance: "工伤认定申请受理决定书", Refusal: "工伤认定申请不予受理决定书", Correction: "补正材料通知书",
	Suspension: "工伤认定中止通知书", Recognised: "认定工伤决定书", NotRecognised: "不予认定工伤决定书",
	Conclusion: "劳动能力鉴定结论书", BenefitNotice: "工伤保险待遇核定通知书", Confirmation: "确认结论通知书",
	ExamNotice: "劳动能力鉴定通知书",
}

// prefixes make letter numbers: 任人社工受〔2026〕000012号.
var prefixes = map[Kind]string{
	Acceptance: "人社工受", Refusal: "人社工不受", Correction: "人社工补", Suspension: "人社工止", Recognised: "人社工认",
	NotRecognised: "人社工不认", Conclusion: "劳鉴", BenefitNotice: "社保工待", Confirmation: "劳鉴确", ExamNotice: "劳鉴通",
}

// Title is the letter's Chinese title.
func (k Kind) Title() string { return titles[k] }

// For says which letter an action issues on a service, if any.
func For(svc casebundle.ServiceKind, act casebundle.ActionName, outcome casebundle.Outcome) (Kind, bool) {
	switch {
	case act == casebundle.ActNotice:
		return Correction, true
	case svc == casebundle.Recognition && act == casebundle.ActAccept:
		return Acceptance, true
	case svc == casebundle.Recognition && act == casebundle.ActRefuse:
		return Refusal, true
	case svc == casebundle.Recognition && act == casebundle.ActSuspend:
		return Suspension, true
	case svc == casebundle.Recognition && act == casebundle.ActDecide && outcome.Positive():
		return Recognised, true
	case svc == casebundle.Recognition && act == casebundle.ActDecide:
		return NotRecognised, true
	case svc.IsAssessment() && act == casebundle.ActConclude:
		return Conclusion, true
	case svc.IsAssessment() && (act == casebundle.ActSchedule || act == casebundle.ActReschedule):
		return ExamNotice, true
	case svc.IsConfirmation() && act == casebundle.ActConfirm:
		return Confirmation, true
	case svc == casebundle.BenefitApproval && act == casebundle.ActApprove:
		return BenefitNotice, true
	}
	return "", false
}

// Number formats a letter number: the region's first character, the
// kind's prefix, the year and a sequence.
func Number(regionName string, k Kind, year int, seq int64) string {
	first := []rune(regionName)
	short := "鲁"
	if len(first) > 0 {
		short = string(first[0])
	}
	return fmt.Sprintf("%s%s〔%d〕%06d号", short, prefixes[k], year, seq)
}

// Party is what the letters say about the worker and the employer.
type Party struct {
	WorkerName string
	Sex        string // 男 / 女
	Age        int    // at the injury
	IDNumber   string // in full: the decision names it (令8号 Art. 19)
	Employer   string
}

// Input is everything one letter needs.
type Input struct {
	Kind       Kind
	Number     string
	Case       *casebundle.Case
	Service    *casebundle.Service // after the act
	On         string              // the act's date
	Party      Party
	RegionName string // the case's county: 任城区
	CityName   string // its city: 济宁市
	Params     *param.Resolver
}

// Compose writes a letter's content.
func Compose(in Input) (pdf.Letter, error) {
	date, ok := casebundle.ParseDate(in.On)
	if !ok {
		return pdf.Letter{}, fmt.Errorf("letters: bad date %q", in.On)
	}
	l := pdf.Letter{Title: in.Kind.Title(), Number: in.Number, Date: date,
		Footer: "案件编号 " + in.Case.Number}
	authority := in.CityName + in.RegionName + "人力资源和社会保障局"
	if strings.HasSuffix(in.RegionName, "市") && in.CityName == "" {
		authority = in.RegionName + "人力资源和社会保障局"
	}
	l.Authority, l.Signer = authority, authority+"（工伤认定专用章）"
	p, c, d := in.Party, in.Case, in.Service.Detail
	worker := fmt.Sprintf("%s（%s，%d岁，公民身份号码%s）", p.WorkerName, p.Sex, p.Age, p.IDNumber)
	to := p.Employer + "、" + p.WorkerName + "："
	switch in.Kind {
	case Acceptance:
		l.To = c.ApplicantName + "："
		l.Paragraphs = []string{
			fmt.Sprintf("你（单位）于%s提出的%s的工伤认定申请，经审查，符合《工伤保险条例》第十八条和《工伤认定办法》第七条规定的受理条件，本部门决定予以受理。", cnDate(c.ApplicationDate), worker),
			"本部门将自受理之日起" + limitText(in, "recognition_decision", c.Simple) + "内作出工伤认定决定，并书面通知你（单位）。" + simpleNote(c),
		}
		l.Fields = []pdf.Field{{Label: "用人单位", Value: p.Employer}, {Label: "受伤职工", Value: p.WorkerName}, {Label: "受伤时间", Value: cnDate(c.InjuryDate)},
			{Label: "受理日期", Value: cnDate(in.On)}}
	case Refusal:
		l.To = c.ApplicantName + "："
		l.Paragraphs = []string{fmt.Sprintf("你（单位）于%s提出的%s的工伤认定申请，经审查，%s，根据《工伤认定办法》第八条的规定，本部门决定不予受理。", cnDate(c.ApplicationDate), worker, d.Reason)}
		l.Notice = rights(in)
	case Correction:
		l.To = c.ApplicantName + "："
		l.Paragraphs = []string{fmt.Sprintf("你（单位）于%s提出的%s的%s申请，所提交的材料不完整。根据《工伤保险条例》第十八条第三款（劳动能力鉴定：《劳动能力鉴定管理办法》第十条）的规定，现一次性书面告知需补正的全部材料如下：", cnDate(c.ApplicationDate), worker, in.Service.Kind.Name()),
			"请按上述清单补正材料。收到全部补正材料后，本部门将依法作出受理决定；系统已掌握的身份、劳动关系登记、缴费工资和本案已作出的决定无需重复提交。"}
		for _, code := range d.Missing {
			m, _ := casebundle.MaterialByCode(code)
			l.Items = append(l.Items, m.Name+"（"+m.Basis+"）")
		}
	case Suspension:
		l.To = to
		l.Paragraphs = []string{fmt.Sprintf("本部门受理的%s工伤认定一案，因%s，作出工伤认定决定需要以司法机关或者有关行政主管部门的结论为依据。根据《工伤保险条例》第二十条第三款和《工伤认定办法》第二十条的规定，自%s起中止工伤认定时限，待中止事由消除后恢复计算。", worker, d.Reason, cnDate(in.On))}
	case Recognised, NotRecognised:
		l = decision(in, l, worker, to)
	case Conclusion:
		l = conclusion(in, l, worker, to)
	case ExamNotice:
		d := in.Service.Detail
		l.Authority = in.CityName + "劳动能力鉴定委员会"
		l.Signer = l.Authority
		l.To = p.WorkerName + "、" + p.Employer + "："
		l.Paragraphs = []string{fmt.Sprintf("%s的%s申请已受理。根据《劳动能力鉴定管理办法》第十二条的规定，现通知如下：", worker, in.Service.Kind.Name()),
			"请工伤职工本人携带居民身份证或社会保障卡原件、诊断证明和病历资料原件，按上述时间到达鉴定地点接受鉴定。因特殊情况不能按时参加的，请提前申请改期（改期的，鉴定期限相应顺延）；无正当理由不参加鉴定的，终止本次鉴定（第十四条）。"}
		l.Fields = []pdf.Field{{Label: "鉴定时间", Value: cnDate(d.ExamOn)}, {Label: "鉴定地点", Value: d.ExamPlace}}
		if d.Reschedules > 0 {
			l.Fields = append(l.Fields, pdf.Field{Label: "改期说明", Value: fmt.Sprintf("应申请人要求改期（第%d次）：%s", d.Reschedules, d.Reason)})
		}
	case BenefitNotice:
		l = benefitNotice(in, l, worker, to)
	case Confirmation:
		l.Authority = in.CityName + "劳动能力鉴定委员会"
		l.Signer = l.Authority
		l.To = to
		verdict := map[bool]string{true: "予以确认", false: "不予确认"}[d.Granted]
		l.Paragraphs = []string{fmt.Sprintf("%s申请%s，经审查，本委员会%s。%s", worker, in.Service.Kind.Name(), verdict, d.Reason)}
	default:
		return pdf.Letter{}, fmt.Errorf("letters: unknown kind %q", in.Kind)
	}
	return l, nil
}

func decision(in Input, l pdf.Letter, worker, to string) pdf.Letter {
	c, d := in.Case, in.Service.Detail
	g, _ := casebundle.GroundByCode(d.Ground)
	l.To = to
	facts := fmt.Sprintf("%s于%s在%s，%s。受伤部位：%s；诊断：%s（%s）。", worker, cnDate(c.InjuryDate), c.Place, c.Cause, c.InjuredPart, c.Diagnosis, hospitalOr(c.Hospital))
	l.Fields = []pdf.Field{{Label: "用人单位", Value: in.Party.Employer}, {Label: "职工姓名", Value: in.Party.WorkerName},
		{Label: "性别", Value: in.Party.Sex}, {Label: "年龄", Value: fmt.Sprintf("%d岁", in.Party.Age)}, {Label: "公民身份号码", Value: in.Party.IDNumber},
		{Label: "受伤时间", Value: cnDate(c.InjuryDate)}, {Label: "受伤部位", Value: c.InjuredPart}, {Label: "诊断", Value: c.Diagnosis}}
	if len(d.Investigators) > 0 {
		l.Fields = append(l.Fields, pdf.Field{Label: "调查核实", Value: strings.Join(d.Investigators, "、")})
	}
	if in.Kind == Recognised {
		l.Paragraphs = []string{"本部门于" + cnDate(c.Service(casebundle.Recognition).Detail.AcceptedOn) + "受理" + c.ApplicantName + "提出的工伤认定申请，经调查核实，现查明：",
			facts,
			"本部门认为，" + in.Party.WorkerName + "受到的伤害，符合" + g.Text + "之规定，属于" + d.Outcome.Name() + "范围，现予以" + d.Outcome.Name() + "。"}
	} else {
		l.Paragraphs = []string{"本部门于" + cnDate(c.Service(casebundle.Recognition).Detail.AcceptedOn) + "受理" + c.ApplicantName + "提出的工伤认定申请，经调查核实，现查明：",
			facts,
			"本部门认为，" + in.Party.WorkerName + "受到的伤害，" + notBasis(g) + "，决定不予认定或者视同工伤。"}
	}
	l.Notice = rights(in)
	return l
}

func notBasis(g casebundle.Ground) string {
	if g.Code == "none" {
		return g.Text
	}
	return "属于" + g.Text + "的情形，依照《工伤保险条例》第十六条的规定不得认定为工伤或者视同工伤"
}

func conclusion(in Input, l pdf.Letter, worker, to string) pdf.Letter {
	d := in.Service.Detail
	l.Authority = in.CityName + "劳动能力鉴定委员会"
	if in.Service.Kind == casebundle.Reassessment {
		l.Authority = "山东省劳动能力鉴定委员会"
	}
	l.Signer = l.Authority
	l.To = to
	level := casebundle.LevelName(d.Level)
	if d.Level > 0 {
		level = "伤残" + level
	}
	l.Paragraphs = []string{
		fmt.Sprintf("%s（用人单位：%s）的%s申请，本委员会于%s受理。经专家组（%d人，随机抽取）依据《劳动能力鉴定 职工工伤与职业病致残等级》（GB/T 16180）鉴定，结论如下：",
			worker, in.Party.Employer, in.Service.Kind.Name(), cnDate(d.ReceivedOn), d.PanelSize),
	}
	l.Fields = []pdf.Field{{Label: "劳动功能障碍程度", Value: level}, {Label: "生活自理障碍程度", Value: d.CareLevel.Name()},
		{Label: "依据条款", Value: orDash(strings.Join(d.Clauses, "、"))}, {Label: "鉴定日期", Value: cnDate(d.ExamOn)}}
	if in.Service.Kind != casebundle.Reassessment {
		l.Notice = "如对本鉴定结论不服，可以在收到本结论书之日起" + limitText(in, "reassessment_request", false) + "内向山东省劳动能力鉴定委员会申请再次鉴定。自鉴定结论作出之日起1年后，工伤职工或者其近亲属、所在单位或者经办机构认为伤残情况发生变化的，可以申请劳动能力复查鉴定。"
	} else {
		l.Notice = "本结论为最终结论。"
	}
	return l
}

func benefitNotice(in Input, l pdf.Letter, worker, to string) pdf.Letter {
	d := in.Service.Detail
	l.Authority = in.CityName + in.RegionName + "社会保险事业中心"
	if in.CityName == "" {
		l.Authority = in.RegionName + "社会保险事业中心"
	}
	l.Signer = l.Authority
	l.To = to
	l.Paragraphs = []string{fmt.Sprintf("根据%s的认定工伤决定和劳动能力鉴定结论（%s），依照《工伤保险条例》及山东省有关规定，核定%s的工伤保险待遇如下（本人工资 %s/月）：",
		in.Case.Number, casebundle.LevelName(in.Case.Service(casebundle.InitialAssess).Detail.Level), worker, casebundle.Yuan(d.BaseWageFen))}
	for _, ln := range d.Lines {
		if ln.Code == "base_wage" {
			continue
		}
		payer := map[string]string{"fund": "工伤保险基金支付", "employer": "用人单位支付"}[string(ln.Payer)]
		unit := ""
		if ln.Period == "monthly" {
			unit = "/月"
		}
		l.Fields = append(l.Fields, pdf.Field{Label: ln.Name, Value: casebundle.Yuan(ln.AmountFen) + unit + "（" + payer + "）"})
	}
	l.Paragraphs = append(l.Paragraphs, fmt.Sprintf("经办：%s；复核：%s。按月待遇自鉴定结论作出的次月起按月发放，每月20日前足额发放。", d.PreparedName, d.ApprovedName))
	l.Notice = rights(in)
	return l
}

// rights is the review and lawsuit notice, with the periods from the
// parameter tables.
func rights(in Input) string {
	review := limitText(in, "admin_review_request", false)
	suit := limitText(in, "admin_lawsuit_filing", false)
	gov := in.CityName + in.RegionName + "人民政府"
	return "如对本决定不服，可以自收到本决定书之日起" + review + "内向" + gov + "申请行政复议，或者" + suit + "内向人民法院提起行政诉讼。"
}

// limitText is a step's time limit in words, from the parameters.
func limitText(in Input, step string, simple bool) string {
	st, ok := deadline.StepByName(step)
	if !ok || in.Params == nil {
		return "法定期限"
	}
	key := st.Key
	if simple && st.SimpleKey != "" {
		key = st.SimpleKey
	}
	d, _ := casebundle.ParseDate(in.On)
	v, err := in.Params.Get("time_limit", key, d)
	if err != nil {
		return "法定期限"
	}
	p, err := v.Period()
	if err != nil {
		return "法定期限"
	}
	return p.Chinese()
}

func simpleNote(c *casebundle.Case) string {
	if c.Simple {
		return "本案适用简易程序。"
	}
	return ""
}

func hospitalOr(h string) string {
	if h == "" {
		return "就诊医院诊断"
	}
	return h + "诊断"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// cnDate is 2026年2月24日.
func cnDate(s string) string {
	d, ok := casebundle.ParseDate(s)
	if !ok {
		return s
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}
