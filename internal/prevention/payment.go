package prevention

import (
	"fmt"
	"math/big"

	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// The payment rule (《济宁市工伤预防培训评估管理暂行办法》: the evaluation
// is the main basis of paying the prevention fee, and every training keeps
// its audio/video record): a session's share of its project's approved
// amount is paid in full at a score of at least the full-pay score, pro
// rata (share × score/100) from the minimum score up to it, nothing below
// the minimum, and nothing without the audio/video record or without an
// evaluation. The scores and the mode are parameters (prevention_pay);
// the measures' own figures are not published, so they are the issue's
// example figures and unconfirmed.

// Pay modes.
const (
	ModeProRata = "pro_rata" // share × score/100 between the minimum and the full-pay score
)

// PayRule is the payment rule in force.
type PayRule struct {
	Full Score  // at or above: the whole share
	Min  Score  // below: nothing
	Mode string // ModeProRata
	Cite string // where the figures come from, for the explanation
}

// PayRuleFrom builds the rule from its parameter versions.
func PayRuleFrom(full, min, mode param.Version) (PayRule, error) {
	f, err := full.Rat()
	if err != nil {
		return PayRule{}, err
	}
	m, err := min.Rat()
	if err != nil {
		return PayRule{}, err
	}
	r := PayRule{Full: scoreOf(new(big.Rat).Quo(f, big.NewRat(100, 1))), Min: scoreOf(new(big.Rat).Quo(m, big.NewRat(100, 1))), Mode: mode.Value, Cite: full.Cite()}
	return r, r.Valid()
}

// Valid checks the rule's figures.
func (r PayRule) Valid() error {
	if r.Min < 0 || r.Full > MaxScore || r.Min > r.Full {
		return errs.E(errs.Invalid, "支付规则参数有误：最低分%s应不高于全额支付分%s，且在0–100之间", r.Min, r.Full)
	}
	if r.Mode != ModeProRata {
		return errs.E(errs.Invalid, "支付规则的计算方式“%s”不受支持", r.Mode)
	}
	return nil
}

// Step is one step of a payment's working, in Chinese.
type Step struct {
	Text      string `json:"text"`
	AmountFen int64  `json:"amount_fen"`
}

// SessionPay is what the rule needs of a session.
type SessionPay struct {
	SessionID  int64  `json:"session_id"`
	HeldOn     string `json:"held_on"`
	Topic      string `json:"topic"`
	Evaluated  bool   `json:"evaluated"`
	Score      Score  `json:"score"`
	HasArchive bool   `json:"has_archive"`
}

// Pay applies the rule to one amount (fen): the amount paid and its
// working.
func (r PayRule) Pay(amountFen int64, score Score, evaluated, hasArchive bool) (int64, Step) {
	y := param.FormatMoney(amountFen)
	switch {
	case !hasArchive:
		return 0, Step{Text: fmt.Sprintf("应付%s元；无影音资料，不予支付", y)}
	case !evaluated:
		return 0, Step{Text: fmt.Sprintf("应付%s元；未完成评估，不予支付", y)}
	case score >= r.Full:
		return amountFen, Step{Text: fmt.Sprintf("评估得分%s分，不低于%s分，全额支付%s元", score, r.Full, y), AmountFen: amountFen}
	case score < r.Min:
		return 0, Step{Text: fmt.Sprintf("评估得分%s分，低于%s分，不予支付", score, r.Min)}
	}
	paid := roundHalfUp(new(big.Rat).Mul(big.NewRat(amountFen, 1), big.NewRat(int64(score), int64(MaxScore))))
	return paid, Step{Text: fmt.Sprintf("评估得分%s分，在%s分至%s分之间，按比例支付：%s元×%s%%＝%s元", score, r.Min, r.Full, y, score, param.FormatMoney(paid)), AmountFen: paid}
}

// ProjectPayment is the amount due for a project and its working.
type ProjectPayment struct {
	ApprovedFen int64  `json:"approved_fen"`
	Sessions    int    `json:"sessions"`   // the sessions the approved amount is shared over
	AmountFen   int64  `json:"amount_fen"` // Σ of the closed sessions' payments
	Steps       []Step `json:"steps"`
	Rule        string `json:"rule"`
}

// PayProject computes a project's payment: the approved amount shared
// equally over its sessions (planned, or held if more were held; the
// fen left over by the division go to the first shares), and each closed
// session's share paid by the rule.
func (r PayRule) PayProject(approvedFen int64, planned int, closed []SessionPay) (ProjectPayment, error) {
	if err := r.Valid(); err != nil {
		return ProjectPayment{}, err
	}
	n := max(planned, len(closed))
	out := ProjectPayment{ApprovedFen: approvedFen, Sessions: n,
		Rule: fmt.Sprintf("支付规则：评估得分≥%s分全额支付，%s–%s分按得分比例支付，低于%s分或无影音资料不予支付（%s）", r.Full, r.Min, r.Full, r.Min, r.Cite)}
	if n == 0 {
		return out, errs.E(errs.Conflict, "项目没有已验收的培训场次，无可支付金额")
	}
	out.Steps = append(out.Steps, Step{Text: fmt.Sprintf("批准金额%s元÷%d场＝每场%s元", param.FormatMoney(approvedFen), n, param.FormatMoney(approvedFen/int64(n)))})
	for i, s := range closed {
		share := approvedFen/int64(n) + boolFen(int64(i) < approvedFen%int64(n))
		paid, st := r.Pay(share, s.Score, s.Evaluated, s.HasArchive)
		st.Text = fmt.Sprintf("%s %s：%s", s.HeldOn, s.Topic, st.Text)
		out.AmountFen += paid
		out.Steps = append(out.Steps, st)
	}
	out.Steps = append(out.Steps, Step{Text: fmt.Sprintf("合计应付%s元", param.FormatMoney(out.AmountFen)), AmountFen: out.AmountFen})
	return out, nil
}

func boolFen(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
