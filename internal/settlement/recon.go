package settlement

import (
	"fmt"
	"sort"
)

// Reconciliation (对账): the institution's figures against ours for a
// period, totals (3201) or settlement by settlement (3202).

// TotalsLine is one side of a totals reconciliation.
type TotalsLine struct {
	MedFee  int64
	FundPay int64
	Count   int
}

// ReconcileTotals compares the institution's totals with ours: "0"
// balanced, "1" not, with the differences in words.
func ReconcileTotals(theirs, ours TotalsLine) (result, text string) {
	var diffs []string
	if theirs.MedFee != ours.MedFee {
		diffs = append(diffs, fmt.Sprintf("医疗费总额：机构%s元，经办机构%s元", Yuan(theirs.MedFee), Yuan(ours.MedFee)))
	}
	if theirs.FundPay != ours.FundPay {
		diffs = append(diffs, fmt.Sprintf("基金支付总额：机构%s元，经办机构%s元", Yuan(theirs.FundPay), Yuan(ours.FundPay)))
	}
	if theirs.Count != ours.Count {
		diffs = append(diffs, fmt.Sprintf("结算笔数：机构%d笔，经办机构%d笔", theirs.Count, ours.Count))
	}
	if len(diffs) == 0 {
		return "0", fmt.Sprintf("对账平衡：%d笔，医疗费总额%s元，基金支付%s元", ours.Count, Yuan(ours.MedFee), Yuan(ours.FundPay))
	}
	return "1", "对账不平：" + join(diffs)
}

// DetailLine is one settlement in a detail reconciliation.
type DetailLine struct {
	SetlID   string
	MedFee   int64
	FundPay  int64
	CashPay  int64
	Refunded bool // refd_setl_flag "1": cancelled or reversed
}

// Difference is one settlement that does not match.
type Difference struct {
	SetlID string
	Result string // "1" differs
	Text   string
}

// ReconcileLines compares the institution's list with ours in both
// directions: settlements only one side knows, and amounts or refund
// flags that differ. Differences come in setl_id order.
func ReconcileLines(theirs, ours []DetailLine) []Difference {
	mine := map[string]DetailLine{}
	for _, o := range ours {
		mine[o.SetlID] = o
	}
	seen := map[string]bool{}
	var out []Difference
	for _, t := range theirs {
		seen[t.SetlID] = true
		o, ok := mine[t.SetlID]
		if !ok {
			out = append(out, Difference{t.SetlID, "1", "经办机构无此结算记录（机构有、经办机构无）"})
			continue
		}
		var diffs []string
		if t.Refunded != o.Refunded {
			diffs = append(diffs, fmt.Sprintf("退费标志：机构%s，经办机构%s", refundText(t.Refunded), refundText(o.Refunded)))
		}
		if t.MedFee != o.MedFee {
			diffs = append(diffs, fmt.Sprintf("医疗费总额：机构%s元，经办机构%s元", Yuan(t.MedFee), Yuan(o.MedFee)))
		}
		if t.FundPay != o.FundPay {
			diffs = append(diffs, fmt.Sprintf("基金支付：机构%s元，经办机构%s元", Yuan(t.FundPay), Yuan(o.FundPay)))
		}
		if t.CashPay != o.CashPay {
			diffs = append(diffs, fmt.Sprintf("个人现金支付：机构%s元，经办机构%s元", Yuan(t.CashPay), Yuan(o.CashPay)))
		}
		if len(diffs) > 0 {
			out = append(out, Difference{t.SetlID, "1", join(diffs)})
		}
	}
	for _, o := range ours {
		if !seen[o.SetlID] {
			out = append(out, Difference{o.SetlID, "1", "机构未上报此结算记录（经办机构有、机构无）"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SetlID < out[j].SetlID })
	return out
}

func refundText(b bool) string {
	if b {
		return "已退费"
	}
	return "未退费"
}

func join(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += "；"
		}
		s += x
	}
	return s
}
