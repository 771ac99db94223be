package supervision

import "fmt"

// LeadState is where a screening finding (a lead) stands. Reviewing a
// lead confirms or dismisses it; either updates its rule's hit statistics.
type LeadState string

// The lead states.
const (
	LeadNew       LeadState = "new"
	LeadConfirmed LeadState = "confirmed" // became (part of) an audit finding
	LeadDismissed LeadState = "dismissed" // not a violation; the reason is recorded
)

var leadNames = map[LeadState]string{LeadNew: "待核实", LeadConfirmed: "已确认", LeadDismissed: "已排除"}

// Name is the state's Chinese name.
func (s LeadState) Name() string { return leadNames[s] }

// FindingState is where an audit finding (稽核发现) stands in the
// workflow of fund-audit.md §5.5.
type FindingState string

// The audit finding states, in workflow order.
const (
	FindingDraft      FindingState = "draft"      // recorded on site
	FindingFedBack    FindingState = "fed_back"   // sent to the institution, reply due
	FindingReplied    FindingState = "replied"    // the institution's reply or argument is in
	FindingConfirmed  FindingState = "confirmed"  // collective review: confirmed
	FindingDismissed  FindingState = "dismissed"  // collective review: dismissed (final)
	FindingNotified   FindingState = "notified"   // decision letter issued
	FindingRectifying FindingState = "rectifying" // rectification plan with a deadline
	FindingClosed     FindingState = "closed"     // followed up (回头看) and recovered
)

var findingNames = map[FindingState]string{FindingDraft: "现场记录", FindingFedBack: "已反馈待回复", FindingReplied: "机构已回复",
	FindingConfirmed: "集体审议确认", FindingDismissed: "集体审议排除", FindingNotified: "已书面通知", FindingRectifying: "整改中", FindingClosed: "已办结"}

// Name is the state's Chinese name.
func (s FindingState) Name() string { return findingNames[s] }

// FindingAction is a step of the audit finding workflow.
type FindingAction string

// The actions.
const (
	ActFeedBack FindingAction = "feed_back" // send to the institution with a reply deadline
	ActReply    FindingAction = "reply"     // record the institution's reply (or its silence after the deadline)
	ActConfirm  FindingAction = "confirm"   // collective review confirms
	ActDismiss  FindingAction = "dismiss"   // collective review dismisses
	ActNotify   FindingAction = "notify"    // issue the decision letter
	ActRectify  FindingAction = "rectify"   // set the rectification deadline
	ActClose    FindingAction = "close"     // follow-up check done and the amount recovered
)

var actionNames = map[FindingAction]string{ActFeedBack: "反馈机构", ActReply: "登记回复", ActConfirm: "审议确认", ActDismiss: "审议排除",
	ActNotify: "书面通知", ActRectify: "责令整改", ActClose: "复查办结"}

// Name is the action's Chinese name.
func (a FindingAction) Name() string { return actionNames[a] }

// findingFlow is the transition table: from state, action → to state.
var findingFlow = map[FindingState]map[FindingAction]FindingState{
	FindingDraft:      {ActFeedBack: FindingFedBack, ActDismiss: FindingDismissed},
	FindingFedBack:    {ActReply: FindingReplied},
	FindingReplied:    {ActConfirm: FindingConfirmed, ActDismiss: FindingDismissed},
	FindingConfirmed:  {ActNotify: FindingNotified},
	FindingNotified:   {ActRectify: FindingRectifying, ActClose: FindingClosed},
	FindingRectifying: {ActClose: FindingClosed},
}

// NextState is the state an action leads to, or an error naming why the
// action is not open in this state.
func NextState(from FindingState, a FindingAction) (FindingState, error) {
	to, ok := findingFlow[from][a]
	if !ok {
		return "", fmt.Errorf("稽核发现处于“%s”，不能“%s”", from.Name(), a.Name())
	}
	return to, nil
}

// Actions lists the actions open in a state, in workflow order.
func Actions(from FindingState) []FindingAction {
	var out []FindingAction
	for _, a := range []FindingAction{ActFeedBack, ActReply, ActConfirm, ActDismiss, ActNotify, ActRectify, ActClose} {
		if _, ok := findingFlow[from][a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// RecoveryKind is how a confirmed amount comes back to the fund.
type RecoveryKind string

// The recovery kinds.
const (
	RecoveryRefund RecoveryKind = "refund" // the institution pays it back
	RecoveryOffset RecoveryKind = "offset" // deducted from its next monthly clearing statements
)

// HitStats are a rule's measured statistics over reviewed leads.
type HitStats struct {
	Triggered int   `json:"triggered"`
	Confirmed int   `json:"confirmed"`
	Dismissed int   `json:"dismissed"`
	Flagged   int64 `json:"flagged_fen"`
	Recovered int64 `json:"recovered_fen"`
}

// Precision is confirmed ÷ reviewed, and whether any lead was reviewed.
func (h HitStats) Precision() (float64, bool) {
	n := h.Confirmed + h.Dismissed
	if n == 0 {
		return 0, false
	}
	return float64(h.Confirmed) / float64(n), true
}
