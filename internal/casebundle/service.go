package casebundle

import (
	"time"

	"gongshang/internal/access"
	"gongshang/internal/deadline"
)

// ServiceKind is one service a case bundles.
type ServiceKind string

// The services.
const (
	Recognition      ServiceKind = "recognition"       // 工伤认定
	InitialAssess    ServiceKind = "assessment"        // 劳动能力鉴定（初次）
	Reassessment     ServiceKind = "reassessment"      // 再次鉴定 (provincial committee)
	ReviewAssessment ServiceKind = "review_assessment" // 复查鉴定 (a year after the conclusion)
	BenefitApproval  ServiceKind = "benefit"           // 待遇核定
	PaidLeaveExt     ServiceKind = "paid_leave_ext"    // 停工留薪期延长确认
	Recurrence       ServiceKind = "recurrence"        // 工伤复发确认
	DeviceConfirm    ServiceKind = "device"            // 辅助器具配置确认
	RehabConfirm     ServiceKind = "rehab"             // 康复确认
)

var serviceNames = map[ServiceKind]string{
	Recognition: "工伤认定", InitialAssess: "劳动能力鉴定", Reassessment: "再次鉴定", ReviewAssessment: "复查鉴定",
	BenefitApproval: "待遇核定", PaidLeaveExt: "停工留薪期延长确认", Recurrence: "工伤复发确认",
	DeviceConfirm: "辅助器具配置确认", RehabConfirm: "康复确认",
}

// Name is the Chinese label.
func (k ServiceKind) Name() string { return serviceNames[k] }

// Valid reports whether k is a known service.
func (k ServiceKind) Valid() bool { _, ok := serviceNames[k]; return ok }

// ServiceKinds lists the services in display order.
var ServiceKinds = []ServiceKind{Recognition, InitialAssess, Reassessment, ReviewAssessment, BenefitApproval,
	PaidLeaveExt, Recurrence, DeviceConfirm, RehabConfirm}

// IsAssessment reports whether k is one of the three assessments.
func (k ServiceKind) IsAssessment() bool {
	return k == InitialAssess || k == Reassessment || k == ReviewAssessment
}

// IsConfirmation reports whether k is one of the later confirmations.
func (k ServiceKind) IsConfirmation() bool {
	return k == PaidLeaveExt || k == Recurrence || k == DeviceConfirm || k == RehabConfirm
}

// StandardBundle is what one application at the window opens: recognition,
// the initial assessment and the benefit decision.
var StandardBundle = []ServiceKind{Recognition, InitialAssess, BenefitApproval}

// State is a service's state; the names are shared between the services
// where they mean the same.
type State string

// The states.
const (
	Received      State = "received"      // 已接收申请
	Correction    State = "correction"    // 待补正（已一次性告知）
	Corrected     State = "corrected"     // 已补正
	Accepted      State = "accepted"      // 已受理
	NotAccepted   State = "not_accepted"  // 不予受理
	Investigating State = "investigating" // 调查核实中
	Suspended     State = "suspended"     // 中止
	Decided       State = "decided"       // 已作出决定
	Delivered     State = "delivered"     // 已送达
	Appealed      State = "appealed"      // 复议或诉讼中

	Prepared   State = "prepared"   // 预备：待认定决定
	Panel      State = "panel"      // 专家组已抽取
	Scheduled  State = "scheduled"  // 已安排鉴定
	Concluded  State = "concluded"  // 已作出结论
	Terminated State = "terminated" // 终止鉴定
	Abandoned  State = "abandoned"  // 视为放弃申请
	Cancelled  State = "cancelled"  // 不再办理（前序结果不支持）

	Precheck State = "precheck"  // 预审中
	Ready    State = "ready"     // 待核定
	Computed State = "computed"  // 已核算，待复核
	SentBack State = "sent_back" // 已退回
	Approved State = "approved"  // 已核定
)

var stateNames = map[State]string{
	Received: "已接收申请", Correction: "待补正", Corrected: "已补正", Accepted: "已受理", NotAccepted: "不予受理",
	Investigating: "调查核实中", Suspended: "中止", Decided: "已作出决定", Delivered: "已送达", Appealed: "复议或诉讼中",
	Prepared: "预备（待认定决定）", Panel: "专家组已抽取", Scheduled: "已安排鉴定", Concluded: "已作出鉴定结论",
	Terminated: "终止鉴定", Abandoned: "视为放弃", Cancelled: "不再办理",
	Precheck: "预审中", Ready: "待核定", Computed: "已核算待复核", SentBack: "已退回", Approved: "已核定",
}

// Name is the Chinese label.
func (s State) Name() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return string(s)
}

// States lists every state, for filters.
func States() []State {
	return []State{Received, Correction, Corrected, Accepted, NotAccepted, Investigating, Suspended, Decided, Delivered,
		Appealed, Prepared, Panel, Scheduled, Concluded, Terminated, Abandoned, Cancelled, Precheck, Ready, Computed, SentBack, Approved}
}

// Final reports whether nothing more is done in state s (an appeal may
// still reopen a delivered recognition).
func (s State) Final() bool {
	switch s {
	case NotAccepted, Delivered, Terminated, Abandoned, Cancelled, Approved:
		return true
	}
	return false
}

// Outcome of a recognition (条例 Arts. 14–16).
type Outcome string

// The outcomes.
const (
	OutcomeRecognised    Outcome = "recognised"     // 认定工伤
	OutcomeDeemed        Outcome = "deemed"         // 视同工伤
	OutcomeNotRecognised Outcome = "not_recognised" // 不予认定工伤
)

var outcomeNames = map[Outcome]string{OutcomeRecognised: "认定工伤", OutcomeDeemed: "视同工伤", OutcomeNotRecognised: "不予认定工伤"}

// Name is the Chinese label.
func (o Outcome) Name() string { return outcomeNames[o] }

// Positive reports whether the outcome grants benefits.
func (o Outcome) Positive() bool { return o == OutcomeRecognised || o == OutcomeDeemed }

// Service is one service of a case with its state, its clock and what the
// back office recorded on it.
type Service struct {
	ID      int64       `json:"id"`
	CaseID  int64       `json:"case_id"`
	Kind    ServiceKind `json:"kind"`
	State   State       `json:"state"`
	Version int64       `json:"version"`

	// Clock: the current step, its due date, and what shifts it.
	Step    string `json:"step"`    // deadline step name, "" when no time limit runs
	Due     string `json:"due"`     // YYYY-MM-DD, "" when no time limit runs
	Party   Party  `json:"party"`   // who must act by Due
	Overdue bool   `json:"overdue"` // marked by the overdue job
	// The officer who took the service on (认领), 0 while it waits in the
	// region's queue; the name is for display.
	AssigneeID   int64                 `json:"assignee_id,omitempty"`
	AssigneeName string                `json:"assignee_name,omitempty"`
	Suspensions  []deadline.Suspension `json:"suspensions,omitempty"`

	Detail    Detail    `json:"detail"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Detail is what a service accumulates; each field belongs to the services
// that use it.
type Detail struct {
	// Dates of the steps, YYYY-MM-DD.
	ReceivedOn  string `json:"received_on,omitempty"`
	NoticeOn    string `json:"notice_on,omitempty"`
	CorrectedOn string `json:"corrected_on,omitempty"`
	AcceptedOn  string `json:"accepted_on,omitempty"`
	SuspendedOn string `json:"suspended_on,omitempty"`
	DecidedOn   string `json:"decided_on,omitempty"`
	DeliveredOn string `json:"delivered_on,omitempty"`
	ResumeState State  `json:"resume_state,omitempty"` // the state a suspension returns to

	Missing       []string `json:"missing,omitempty"` // material codes of the correction notice
	Reason        string   `json:"reason,omitempty"`  // refusal, suspension, termination, send-back, extension
	Investigators []string `json:"investigators,omitempty"`
	Evidence      string   `json:"evidence,omitempty"`

	Outcome Outcome `json:"outcome,omitempty"`
	Ground  string  `json:"ground,omitempty"` // legal ground code, e.g. 14.1

	AppealKind    string `json:"appeal_kind,omitempty"` // review / lawsuit
	AppealFiledOn string `json:"appeal_filed_on,omitempty"`
	AppealResult  string `json:"appeal_result,omitempty"`

	// Assessment.
	PanelSize   int       `json:"panel_size,omitempty"`
	PanelIDs    []int64   `json:"panel_ids,omitempty"`
	PanelSeed   string    `json:"panel_seed,omitempty"`
	ExamOn      string    `json:"exam_on,omitempty"`
	ExamPlace   string    `json:"exam_place,omitempty"`
	Reschedules int       `json:"reschedules,omitempty"`
	Extended    bool      `json:"extended,omitempty"`
	Level       int       `json:"level,omitempty"` // 1–10; 0 with Concluded: 未达到级别
	CareLevel   CareLevel `json:"care_level,omitempty"`
	Clauses     []string  `json:"clauses,omitempty"`

	// Benefit decision (maker-checker).
	PreparedBy   int64         `json:"prepared_by,omitempty"`
	PreparedName string        `json:"prepared_name,omitempty"`
	ApprovedBy   int64         `json:"approved_by,omitempty"`
	ApprovedName string        `json:"approved_name,omitempty"`
	BaseWageFen  int64         `json:"base_wage_fen,omitempty"`
	TotalFen     int64         `json:"total_fen,omitempty"` // one-off items
	MonthlyFen   int64         `json:"monthly_fen,omitempty"`
	Notes        string        `json:"notes,omitempty"` // pre-check notes
	Lines        []BenefitLine `json:"lines,omitempty"`
	AvgWageFen   int64         `json:"avg_wage_fen,omitempty"` // the average wage used
	Corrected    bool          `json:"corrected,omitempty"`    // the officer corrected the average (Reason says why)

	// Confirmations.
	Granted bool `json:"granted,omitempty"`
}

// CareLevel is the 生活自理障碍 level of an assessment conclusion.
type CareLevel string

// The care levels (条例 Art. 22; GB/T 16180 five activities).
const (
	CareNone    CareLevel = ""        // 无
	CarePartial CareLevel = "partial" // 生活部分不能自理
	CareMost    CareLevel = "most"    // 生活大部分不能自理
	CareFull    CareLevel = "full"    // 生活完全不能自理
)

var careNames = map[CareLevel]string{CareNone: "无", CarePartial: "生活部分不能自理", CareMost: "生活大部分不能自理", CareFull: "生活完全不能自理"}

// Name is the Chinese label.
func (c CareLevel) Name() string { return careNames[c] }

// Valid reports whether c is a known care level.
func (c CareLevel) Valid() bool { _, ok := careNames[c]; return ok }

// Party is who must act by a service's due date.
type Party string

// The parties.
const (
	PartyAgency    Party = "agency"    // the agency's statutory limit: work queues and reminders
	PartyApplicant Party = "applicant" // the applicant's period (a correction)
	PartyWindow    Party = "window"    // a window a party may use (appeal, re-assessment)
)

// QueueKinds are the services whose steps a staff role works: the queue
// "my steps" shows these.
func QueueKinds(r access.Role) []ServiceKind {
	switch r {
	case access.RoleClerk, access.RoleRecognition, access.RoleInsurer, access.RoleHotline:
		return []ServiceKind{Recognition}
	case access.RoleAssessment:
		return []ServiceKind{InitialAssess, Reassessment, ReviewAssessment, PaidLeaveExt, Recurrence, DeviceConfirm, RehabConfirm}
	case access.RoleBenefits:
		return []ServiceKind{BenefitApproval}
	}
	return nil
}
