package settlement

import (
	"strings"
	"testing"
)

func TestReconcileTotals(t *testing.T) {
	ours := TotalsLine{MedFee: 10000, FundPay: 8000, Count: 3}
	tests := []struct {
		name   string
		theirs TotalsLine
		result string
		has    []string
		hasNot []string
	}{
		{"balanced", ours, "0", []string{"对账平衡", "3笔", "100.00元", "80.00元"}, nil},
		{"medical fee differs", TotalsLine{MedFee: 10001, FundPay: 8000, Count: 3}, "1",
			[]string{"对账不平", "医疗费总额：机构100.01元，经办机构100.00元"}, []string{"基金支付", "结算笔数"}},
		{"fund pay differs", TotalsLine{MedFee: 10000, FundPay: 7000, Count: 3}, "1",
			[]string{"基金支付总额：机构70.00元，经办机构80.00元"}, []string{"医疗费总额", "结算笔数"}},
		{"count differs", TotalsLine{MedFee: 10000, FundPay: 8000, Count: 4}, "1",
			[]string{"结算笔数：机构4笔，经办机构3笔"}, []string{"医疗费总额", "基金支付"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			result, text := ReconcileTotals(tt.theirs, ours)
			if result != tt.result {
				t.Errorf("result = %q, want %q (%s)", result, tt.result, text)
			}
			for _, s := range tt.has {
				if !strings.Contains(text, s) {
					t.Errorf("text %q lacks %q", text, s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(text, s) {
					t.Errorf("text %q names %q, which matches", text, s)
				}
			}
		})
	}
}

func TestReconcileLines(t *testing.T) {
	theirs := []DetailLine{
		{SetlID: "S5", MedFee: 100, FundPay: 80, CashPay: 20},
		{SetlID: "S3", MedFee: 100, FundPay: 80, CashPay: 20},
		{SetlID: "S1", MedFee: 12000, FundPay: 9000, CashPay: 3000},
		{SetlID: "S2", MedFee: 100, FundPay: 80, CashPay: 20, Refunded: true},
	}
	ours := []DetailLine{
		{SetlID: "S4", MedFee: 100, FundPay: 80, CashPay: 20},
		{SetlID: "S1", MedFee: 12000, FundPay: 8000, CashPay: 4000},
		{SetlID: "S2", MedFee: 100, FundPay: 80, CashPay: 20},
		{SetlID: "S5", MedFee: 100, FundPay: 80, CashPay: 20},
	}
	want := []struct{ id, has string }{
		{"S1", "基金支付：机构90.00元，经办机构80.00元；个人现金支付：机构30.00元，经办机构40.00元"},
		{"S2", "退费标志：机构已退费，经办机构未退费"},
		{"S3", "机构有、经办机构无"},
		{"S4", "经办机构有、机构无"},
	}
	got := ReconcileLines(theirs, ours)
	if len(got) != len(want) {
		t.Fatalf("differences = %+v, want %d", got, len(want))
	}
	for i, w := range want {
		if got[i].SetlID != w.id || got[i].Result != "1" || !strings.Contains(got[i].Text, w.has) {
			t.Errorf("difference %d = %+v, want %s with %q", i, got[i], w.id, w.has)
		}
	}
	if strings.Contains(got[0].Text, "医疗费总额") {
		t.Errorf("S1 text %q names the medical fee, which matches", got[0].Text)
	}
	if d := ReconcileLines(ours, ours); len(d) != 0 {
		t.Errorf("identical lists differ: %+v", d)
	}
}
