package casebundle

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// ActionName names one action on a service.
type ActionName string

// The actions.
const (
	ActNotice      ActionName = "correction_notice" // 一次性告知补正
	ActCorrected   ActionName = "corrected"         // 收到全部补正材料
	ActAccept      ActionName = "accept"            // 受理
	ActRefuse      ActionName = "refuse"            // 不予受理
	ActInvestigate ActionName = "investigate"       // 调查核实
	ActSuspend     ActionName = "suspend"           // 中止
	ActResume      ActionName = "resume"            // 恢复（中止事由消除）
	ActDecide      ActionName = "decide"            // 作出认定决定
	ActDeliver     ActionName = "deliver"           // 送达
	ActAppeal      ActionName = "appeal"            // 登记复议或诉讼
	ActAppealEnd   ActionName = "appeal_result"     // 登记复议或诉讼结果

	ActReceive    ActionName = "receive"    // 接收鉴定申请（材料齐全）
	ActDrawPanel  ActionName = "draw_panel" // 抽取专家组
	ActSchedule   ActionName = "schedule"   // 安排鉴定
	ActReschedule ActionName = "reschedule" // 应职工申请改期
	ActExtend     ActionName = "extend"     // 延长30日
	ActConclude   ActionName = "conclude"   // 作出鉴定结论
	ActTerminate  ActionName = "terminate"  // 终止鉴定
	ActAbandon    ActionName = "abandon"    // 视为放弃

	ActPrecheck ActionName = "precheck"  // 预审记录
	ActCompute  ActionName = "compute"   // 核算待遇
	ActApprove  ActionName = "approve"   // 复核通过
	ActSendBack ActionName = "send_back" // 退回重算

	ActConfirm ActionName = "confirm" // 作出确认结论（确认类）
)

var actionNames = map[ActionName]string{
	ActNotice: "一次性告知补正", ActCorrected: "收到全部补正材料", ActAccept: "受理", ActRefuse: "不予受理",
	ActInvestigate: "调查核实", ActSuspend: "中止", ActResume: "恢复计算时限", ActDecide: "作出认定决定",
	ActDeliver: "送达", ActAppeal: "登记复议或诉讼", ActAppealEnd: "登记复议或诉讼结果",
	ActReceive: "接收申请", ActDrawPanel: "抽取专家组", ActSchedule: "安排鉴定", ActReschedule: "应申请人要求改期",
	ActExtend: "延长30日", ActConclude: "作出鉴定结论", ActTerminate: "终止鉴定", ActAbandon: "视为放弃申请",
	ActPrecheck: "预审记录", ActCompute: "核算待遇", ActApprove: "复核通过", ActSendBack: "退回重算",
	ActConfirm: "作出确认结论",
}

// Name is the Chinese label.
func (a ActionName) Name() string { return actionNames[a] }

// Action is one action with its inputs; which inputs count depends on Name.
type Action struct {
	Name ActionName `json:"action"`
	On   string     `json:"on,omitempty"` // the date the act took effect (YYYY-MM-DD); today when empty

	Reason        string   `json:"reason,omitempty"`
	Missing       []string `json:"missing,omitempty"` // material codes
	Investigators []string `json:"investigators,omitempty"`
	Evidence      string   `json:"evidence,omitempty"`
	Outcome       Outcome  `json:"outcome,omitempty"`
	Ground        string   `json:"ground,omitempty"`
	AppealKind    string   `json:"appeal_kind,omitempty"`   // review / lawsuit
	AppealResult  string   `json:"appeal_result,omitempty"` // upheld / revoked

	PanelSize int       `json:"panel_size,omitempty"`
	PanelIDs  []int64   `json:"panel_ids,omitempty"`
	PanelSeed string    `json:"panel_seed,omitempty"`
	ExamOn    string    `json:"exam_on,omitempty"`
	ExamPlace string    `json:"exam_place,omitempty"`
	Level     *int      `json:"level,omitempty"` // 0 = 未达到伤残等级
	CareLevel CareLevel `json:"care_level,omitempty"`
	Clauses   []string  `json:"clauses,omitempty"`

	Notes string `json:"notes,omitempty"`
	// AvgWageFen corrects the recorded average wage of a compute (with a
	// Reason); Proposal is filled by the store from internal/benefit, never
	// taken from the caller.
	AvgWageFen *int64    `json:"avg_wage_fen,omitempty"`
	Proposal   *Proposal `json:"-"`
	Granted    *bool     `json:"granted,omitempty"`

	Version *int64 `json:"version,omitempty"` // the service version the caller saw; a conflict when stale
}

// transition is one row of a service's state table.
type transition struct {
	kinds []ServiceKind
	from  []State
	act   ActionName
	to    State // "" = the action computes it
	perm  []access.Permission
}

var (
	permOpen  = []access.Permission{access.PermCaseOpen}
	permRecog = []access.Permission{access.PermCaseRecognize}
	permAsses = []access.Permission{access.PermCaseAssess}
	permBen   = []access.Permission{access.PermCaseBenefit}
	permAppr  = []access.Permission{access.PermCaseApprove}

	kindsRecog   = []ServiceKind{Recognition}
	kindsAssess  = []ServiceKind{InitialAssess, Reassessment, ReviewAssessment}
	kindsConfirm = []ServiceKind{PaidLeaveExt, Recurrence, DeviceConfirm, RehabConfirm}
	kindsIntake  = append(append([]ServiceKind{Recognition}, kindsAssess...), kindsConfirm...)
)

// transitions is every allowed move. An action not listed for a service's
// state is refused with the states it is allowed in.
var transitions = []transition{
	// Intake shared by recognition, assessments and confirmations: the front
	// desk (or the back office) tells all missing items at once.
	{kindsIntake, []State{Received, Corrected}, ActNotice, Correction, append(permOpen, access.PermCaseRecognize, access.PermCaseAssess)},
	{kindsIntake, []State{Correction}, ActCorrected, "", append(permOpen, access.PermCaseRecognize, access.PermCaseAssess)},

	// 工伤认定 (令8号).
	{kindsRecog, []State{Received, Corrected}, ActAccept, Accepted, permRecog},
	{kindsRecog, []State{Received, Corrected, Correction}, ActRefuse, NotAccepted, permRecog},
	{kindsRecog, []State{Accepted, Investigating}, ActInvestigate, Investigating, permRecog},
	{kindsRecog, []State{Accepted, Investigating}, ActSuspend, Suspended, permRecog},
	{kindsRecog, []State{Suspended}, ActResume, "", permRecog},
	{kindsRecog, []State{Accepted, Investigating}, ActDecide, Decided, permRecog},
	{kindsRecog, []State{Decided}, ActDeliver, Delivered, permRecog},
	{kindsRecog, []State{Delivered, NotAccepted}, ActAppeal, Appealed, permRecog},
	{kindsRecog, []State{Appealed}, ActAppealEnd, "", permRecog},

	// 劳动能力鉴定 (令55号) and the confirmations, by the committee's office.
	{kindsAssess, []State{Prepared}, ActReceive, Received, permAsses},
	{kindsAssess, []State{Received}, ActDrawPanel, Panel, permAsses},
	{kindsAssess, []State{Panel}, ActSchedule, Scheduled, permAsses},
	{kindsAssess, []State{Scheduled}, ActReschedule, Scheduled, permAsses},
	{kindsAssess, []State{Panel, Scheduled}, ActExtend, "", permAsses},
	{kindsAssess, []State{Scheduled}, ActConclude, Concluded, permAsses},
	{kindsAssess, []State{Received, Panel, Scheduled}, ActTerminate, Terminated, permAsses},
	{kindsAssess, []State{Correction}, ActAbandon, Abandoned, permAsses},
	{kindsAssess, []State{Concluded}, ActDeliver, Delivered, permAsses},
	{kindsConfirm, []State{Received, Corrected}, ActConfirm, Concluded, permAsses},
	{kindsConfirm, []State{Concluded}, ActDeliver, Delivered, permAsses},
	{kindsConfirm, []State{Correction}, ActAbandon, Abandoned, permAsses},

	// 待遇核定: pre-check while recognition runs, compute, approve by another officer.
	{[]ServiceKind{BenefitApproval}, []State{Precheck, Ready, SentBack}, ActPrecheck, "", permBen},
	{[]ServiceKind{BenefitApproval}, []State{Ready, SentBack}, ActCompute, Computed, permBen},
	{[]ServiceKind{BenefitApproval}, []State{Computed}, ActApprove, Approved, permAppr},
	{[]ServiceKind{BenefitApproval}, []State{Computed}, ActSendBack, SentBack, permAppr},
}

// Allowed lists the actions a principal may take on svc now, in table order.
func Allowed(p access.Principal, svc *Service) []ActionName {
	var out []ActionName
	for _, t := range transitions {
		if slices.Contains(t.kinds, svc.Kind) && slices.Contains(t.from, svc.State) && mayAny(p, t.perm) && outsideMay(p, t.act) && !slices.Contains(out, t.act) {
			out = append(out, t.act)
		}
	}
	return out
}

// outsideMay keeps workers and employers on the portal to their side of
// a case: they answer a correction notice, they never act for the agency.
func outsideMay(p access.Principal, act ActionName) bool {
	if p.Kind != access.KindWorker && p.Kind != access.KindEmployer {
		return true
	}
	return act == ActCorrected
}

func mayAny(p access.Principal, perms []access.Permission) bool {
	return slices.ContainsFunc(perms, p.Can)
}

// find returns the transition of act from svc's state, or an error saying
// why the action is not possible: unknown, wrong state, or not permitted.
func find(p access.Principal, svc *Service, act ActionName) (transition, error) {
	if _, ok := actionNames[act]; !ok {
		return transition{}, errs.Field("action", "unknown_action", "办理动作“%s”不存在", act)
	}
	var states []string
	for _, t := range transitions {
		if t.act != act || !slices.Contains(t.kinds, svc.Kind) {
			continue
		}
		if slices.Contains(t.from, svc.State) {
			if !mayAny(p, t.perm) || !outsideMay(p, act) {
				return transition{}, errs.E(errs.Forbidden, "您的角色不能对%s办理“%s”", svc.Kind.Name(), act.Name())
			}
			return t, nil
		}
		for _, s := range t.from {
			states = append(states, s.Name())
		}
	}
	if len(states) == 0 {
		return transition{}, errs.Field("action", "not_for_service", "%s没有“%s”这一办理动作", svc.Kind.Name(), act.Name())
	}
	return transition{}, &errs.Error{Kind: errs.Conflict,
		Message: fmt.Sprintf("%s当前状态为“%s”，不能办理“%s”（仅在%s时可以办理）", svc.Kind.Name(), svc.State.Name(), act.Name(), strings.Join(states, "、")),
		Fields:  []errs.FieldError{{Field: "action", Code: "state", Message: fmt.Sprintf("当前状态“%s”不能办理“%s”", svc.State.Name(), act.Name())}}}
}

// actDate is the date the act took effect: On, or today; never in the
// future and never before the case's application.
func actDate(c *Case, a Action, today time.Time) (string, error) {
	day := today.Format(time.DateOnly)
	if a.On == "" {
		return day, nil
	}
	if _, ok := ParseDate(a.On); !ok {
		return "", errs.Field("on", "date_format", "办理日期“%s”无效（格式YYYY-MM-DD）", a.On)
	}
	if a.On > day {
		return "", errs.Field("on", "future", "办理日期不能晚于今天（%s）", day)
	}
	if a.On < c.ApplicationDate {
		return "", errs.Field("on", "before_application", "办理日期不能早于申请日期%s", c.ApplicationDate)
	}
	return a.On, nil
}

func required(field, label, v string, max int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	if n == 0 {
		return errs.Field(field, "required", "请填写%s", label)
	}
	if n > max {
		return errs.Field(field, "too_long", "%s不能超过%d个字（现有%d个）", label, max, n)
	}
	return nil
}
