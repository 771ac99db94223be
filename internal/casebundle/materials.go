package casebundle

import (
	"slices"
	"strconv"
	"strings"
)

// Material is one type of document a service may need.
type Material struct {
	Code   string
	Name   string
	Upload bool   // the applicant may be asked for it (false: the system always holds it)
	Basis  string // where the law asks for it
}

// Materials is the catalogue of material types.
var Materials = []Material{
	{"application_form", "工伤认定申请表", true, "条例第十八条第一款第（一）项；《工伤认定办法》第六条"},
	{"labour_relation", "劳动关系证明（含事实劳动关系）", true, "条例第十八条第一款第（二）项"},
	{"diagnosis", "医疗诊断证明书", true, "条例第十八条第一款第（三）项；令55号第九条"},
	{"occ_disease", "职业病诊断证明书或职业病诊断鉴定书", true, "条例第十八条第一款第（三）项"},
	{"medical_records", "完整病历资料", true, "令55号第九条第（一）项；《社会保险经办条例》第二十一条"},
	{"identity", "居民身份证或社会保障卡", false, "令55号第九条第（二）项"},
	{"assessment_form", "劳动能力鉴定申请表", false, "令55号第九条"},
	{"benefit_form", "工伤保险待遇申请表", false, "工伤保险经办规程"},
	{"recognition_decision", "认定工伤决定书", false, "工伤保险经办规程"},
	{"assessment_conclusion", "劳动能力鉴定结论书", false, "令55号第十九条、第二十条；工伤保险经办规程"},
	{"wage_history", "本人工资（受伤前12个月缴费工资）", true, "条例第六十四条第二款"},
	{"bank_account", "本人银行账户", true, "工伤保险经办规程"},
	{"change_records", "伤情变化的诊断证明和病历资料", true, "令55号第二十条；济宁市复查鉴定办事指南"},
}

// MaterialByCode returns a material type.
func MaterialByCode(code string) (Material, bool) {
	i := slices.IndexFunc(Materials, func(m Material) bool { return m.Code == code })
	if i < 0 {
		return Material{}, false
	}
	return Materials[i], true
}

// MaterialNames joins the Chinese names of codes with 、.
func MaterialNames(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if m, ok := MaterialByCode(c); ok {
			names[i] = m.Name
		}
	}
	return strings.Join(names, "、")
}

// Requirements lists the material codes a service of the case needs.
func (c *Case) Requirements(k ServiceKind) []string {
	diag := "diagnosis"
	if c.InjuryKind == InjuryDisease {
		diag = "occ_disease"
	}
	switch k {
	case Recognition:
		return []string{"application_form", "labour_relation", diag, "identity"}
	case InitialAssess:
		return []string{"assessment_form", diag, "medical_records", "identity"}
	case Reassessment:
		return []string{"assessment_form", "assessment_conclusion", "medical_records", "identity"}
	case ReviewAssessment:
		return []string{"assessment_form", "assessment_conclusion", "change_records", "identity"}
	case BenefitApproval:
		req := []string{"benefit_form", "recognition_decision"}
		if c.Service(InitialAssess) != nil {
			req = append(req, "assessment_conclusion")
		}
		return append(req, "identity", "wage_history", "bank_account")
	case PaidLeaveExt, Recurrence, DeviceConfirm, RehabConfirm:
		return []string{diag, "medical_records", "identity"}
	}
	return nil
}

// Source says what satisfies a requirement.
type Source string

// The sources.
const (
	SourceUpload      Source = "upload"      // 申请人提交的文件
	SourceRegistry    Source = "registry"    // 系统登记信息
	SourceDecision    Source = "decision"    // 本案已作出的决定
	SourceApplication Source = "application" // 本案的一次申请
	SourceNone        Source = ""            // nothing yet
)

var sourceNames = map[Source]string{SourceUpload: "申请人已提交", SourceRegistry: "系统登记信息共享", SourceDecision: "本案决定共享",
	SourceApplication: "本案一次申请", SourceNone: "缺少"}

// Name is the Chinese label.
func (s Source) Name() string { return sourceNames[s] }

// Facts are what gongshang holds about a case besides its uploads.
type Facts struct {
	Employed    string          // the registered employment covering the injury date, described; "" when none
	WageMonths  int             // months with a recorded wage in the 12 before the injury
	BankAccount bool            // the worker's bank account is registered
	Uploaded    map[string]bool // material codes with an uploaded file in this case
}

// Item is one requirement of a service and what satisfies it.
type Item struct {
	Material Material `json:"material"`
	Source   Source   `json:"source"`
	Detail   string   `json:"detail"` // which registry fact or decision
}

// Missing reports whether nothing satisfies the requirement.
func (it Item) Missing() bool { return it.Source == SourceNone }

// Needs are the items of one service.
type Needs struct {
	Service ServiceKind `json:"service"`
	Items   []Item      `json:"items"`
}

// Resolve shows, per service of the case, each requirement and what
// satisfies it: the system's own data first (never asked again, 令55号
// Art. 9 ¶2), then an upload.
func (c *Case) Resolve(f Facts) []Needs {
	var out []Needs
	for _, s := range c.Services {
		n := Needs{Service: s.Kind}
		for _, code := range c.Requirements(s.Kind) {
			m, _ := MaterialByCode(code)
			src, detail := c.satisfy(code, f)
			n.Items = append(n.Items, Item{Material: m, Source: src, Detail: detail})
		}
		out = append(out, n)
	}
	return out
}

func (c *Case) satisfy(code string, f Facts) (Source, string) {
	switch code {
	case "identity":
		return SourceRegistry, "职工登记的身份证号码"
	case "assessment_form", "benefit_form":
		return SourceApplication, "本案申请（" + c.Number + "）一并提出"
	case "labour_relation":
		if f.Employed != "" {
			return SourceRegistry, f.Employed
		}
	case "wage_history":
		if f.WageMonths > 0 {
			return SourceRegistry, "登记的缴费工资（受伤前12个月中" + strconv.Itoa(f.WageMonths) + "个月）"
		}
	case "bank_account":
		if f.BankAccount {
			return SourceRegistry, "职工登记的银行账户"
		}
	case "recognition_decision":
		if r := c.Service(Recognition); r != nil && r.Detail.Outcome.Positive() {
			return SourceDecision, "本案认定工伤决定（" + r.Detail.DecidedOn + "）"
		}
		return SourceNone, "待本案认定工伤决定作出后自动共享"
	case "assessment_conclusion":
		if a := c.Service(InitialAssess); a != nil && (a.State == Concluded || a.State == Delivered) {
			return SourceDecision, "本案劳动能力鉴定结论（" + a.Detail.DecidedOn + "）"
		}
		return SourceNone, "待本案鉴定结论作出后自动共享"
	}
	if f.Uploaded[code] {
		return SourceUpload, ""
	}
	return SourceNone, ""
}

// MissingUploads lists, per service, the missing items the applicant can
// supply (what a correction notice may ask for).
func MissingUploads(needs []Needs) map[ServiceKind][]string {
	out := map[ServiceKind][]string{}
	for _, n := range needs {
		for _, it := range n.Items {
			if it.Missing() && it.Material.Upload {
				out[n.Service] = append(out[n.Service], it.Material.Code)
			}
		}
	}
	return out
}

// ApplicantDocuments counts the distinct documents the applicant provides
// (or still has to) for the whole case: each upload counts once however
// many services use it.
func ApplicantDocuments(needs []Needs) []string {
	var codes []string
	for _, n := range needs {
		for _, it := range n.Items {
			if it.Material.Upload && (it.Source == SourceUpload || it.Missing()) && !slices.Contains(codes, it.Material.Code) {
				codes = append(codes, it.Material.Code)
			}
		}
	}
	return codes
}
