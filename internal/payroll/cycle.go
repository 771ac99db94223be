package payroll

import (
	"gongshang/internal/errs"
)

// State is a monthly cycle's state.
type State string

// The cycle's states, in order.
const (
	Opening   State = "opening"   // the snapshot job is freezing the month's lines
	Checking  State = "checking"  // the checks job is running
	Review    State = "review"    // checked; the preparer reviews and submits
	Submitted State = "submitted" // waiting for a second officer's approval
	Approved  State = "approved"  // approved; bank files may be generated
	Paying    State = "paying"    // every bank file sent; returns come in
	Closed    State = "closed"    // every line paid or explained
)

var stateNames = map[State]string{Opening: "生成快照", Checking: "核查中", Review: "待提交", Submitted: "待审批",
	Approved: "已审批", Paying: "发放中", Closed: "已关闭"}

// Name is the state's Chinese label.
func (s State) Name() string { return stateNames[s] }

// States lists the states in order.
var States = []State{Opening, Checking, Review, Submitted, Approved, Paying, Closed}

// Action is what a person does to a cycle.
type Action string

// The actions.
const (
	Submit   Action = "submit"    // 提交审批 (preparer)
	Approve  Action = "approve"   // 审批通过 (a different officer or the cycle approver)
	SendBack Action = "send_back" // 退回 (idem, with a reason)
	Recheck  Action = "recheck"   // 重新核查 (preparer, before submitting)
	Close    Action = "close"     // 关闭 (preparer, when every line is paid or explained)
)

var actionNames = map[Action]string{Submit: "提交审批", Approve: "审批通过", SendBack: "退回修改", Recheck: "重新核查", Close: "关闭发放周期"}

// Name is the action's Chinese label.
func (a Action) Name() string { return actionNames[a] }

// Who may act: the preparer edits and submits (PermPayrollPrepare); the
// checker approves or sends back (PermPayrollApprove) and must not be
// the one who submitted.
var transitions = map[Action]struct {
	from []State
	to   State
}{
	Submit:   {[]State{Review}, Submitted},
	Approve:  {[]State{Submitted}, Approved},
	SendBack: {[]State{Submitted}, Review},
	Recheck:  {[]State{Review}, Checking},
	Close:    {[]State{Paying}, Closed},
}

// Next is the state action a leads to from s, or a conflict naming why not.
func Next(s State, a Action) (State, error) {
	t, ok := transitions[a]
	if !ok {
		return "", errs.Field("action", "action", "未知的操作")
	}
	for _, f := range t.from {
		if f == s {
			return t.to, nil
		}
	}
	return "", errs.E(errs.Conflict, "发放周期当前为“%s”，不能%s", s.Name(), a.Name())
}

// Approver checks maker-checker: the approver must not be the officer who
// submitted the cycle (or prepared the adjustment).
func Approver(preparedBy, actor int64) error {
	if preparedBy != 0 && preparedBy == actor {
		return errs.E(errs.Forbidden, "提交人不能审批自己提交的内容，请由另一名经办人员审批")
	}
	return nil
}

// LineState is a payment line's state.
type LineState string

// Line states. Pending lines wait for the checks; payable, held (by an
// officer), suspended, stopped and recorded are the check's outcomes;
// sent lines are in a bank file; paid and failed come from the return
// file; a failed line is reissued (a new line) or explained.
const (
	LinePending   LineState = "pending"
	LinePayable   LineState = "payable"
	LineSuspended LineState = "suspended"
	LineStopped   LineState = "stopped"
	LineRecorded  LineState = "recorded"
	LineSent      LineState = "sent"
	LinePaid      LineState = "paid"
	LineFailed    LineState = "failed"
	LineReissued  LineState = "reissued"
	LineExplained LineState = "explained"
)

var lineNames = map[LineState]string{LinePending: "待核查", LinePayable: "待发放", LineSuspended: "暂停发放", LineStopped: "停发",
	LineRecorded: "单位支付", LineSent: "已报盘", LinePaid: "已到账", LineFailed: "退票", LineReissued: "已重发", LineExplained: "已说明"}

// Name is the line state's label.
func (s LineState) Name() string { return lineNames[s] }

// LineStates lists the states in display order.
var LineStates = []LineState{LinePending, LinePayable, LineSuspended, LineStopped, LineRecorded, LineSent, LinePaid, LineFailed, LineReissued, LineExplained}

// Settled reports whether a line needs nothing more for the cycle to
// close: paid, or explained by its reason.
func (s LineState) Settled() bool {
	switch s {
	case LinePaid, LineSuspended, LineStopped, LineRecorded, LineReissued, LineExplained:
		return true
	}
	return false
}

// Line kinds.
const (
	KindRegular = "regular" // the month's payment of a monthly entitlement (one per entitlement and month)
	KindArrears = "arrears" // 补发: suspended months paid back, or an adjustment's difference for paid months
	KindOneOff  = "oneoff"  // a one-off item (lump sum, meal allowance, funeral grant…)
	KindReissue = "reissue" // 重发 of a failed payment after the account was corrected
)

// KindName is the Chinese name of a line kind.
func KindName(k string) string {
	return map[string]string{KindRegular: "按月待遇", KindArrears: "补发", KindOneOff: "一次性待遇", KindReissue: "退票重发"}[k]
}
