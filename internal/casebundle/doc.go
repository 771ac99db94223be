// Package casebundle is the 工伤一件事 case (CaseBundle): one application
// that carries an injured worker from the injury to the approved benefits.
//
// A Case bundles services — 工伤认定 (令8号), 劳动能力鉴定 (令55号: initial,
// 再次, 复查), 待遇核定 and the confirmations a case may gain later — each a
// small state machine (Transitions) whose actions are checked against the
// principal, the state and the action's inputs, all in pure code. The front
// desk accepts once and the back offices work in parallel: the benefit
// service is pre-checked while recognition runs, and an assessment prepared
// before the decision starts the moment a positive decision lands (Apply
// cascades inside the case).
//
// Materials are declared once per service (Requirements) and resolved
// against what gongshang already holds (registry facts, earlier decisions,
// the case's own application), so the applicant is never asked twice.
// Every step's due date comes from internal/deadline (ClockOf). No I/O.
package casebundle
