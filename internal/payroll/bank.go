package payroll

import "strings"

// Banks the agency pays through, by the code its payment files carry.
var banks = []struct{ code, name, match string }{
	{"ICBC", "中国工商银行", "工商"},
	{"ABC", "中国农业银行", "农业银行"},
	{"CCB", "中国建设银行", "建设"},
	{"BOC", "中国银行", "中国银行"},
	{"BOCOM", "交通银行", "交通"},
	{"PSBC", "中国邮政储蓄银行", "邮"},
	{"RCB", "山东省农村信用社（农商银行）", "农商|农村商业|信用社|农信"},
	{"JNB", "济宁银行", "济宁银行"},
}

// BankCode is the payment-file code of a bank name as staff write it
// (工商银行, 中国工商银行济宁分行…); OTHER when it is none of the agency's
// banks.
func BankCode(name string) string {
	for _, b := range banks {
		for _, m := range strings.Split(b.match, "|") {
			if strings.Contains(name, m) {
				return b.code
			}
		}
	}
	return "OTHER"
}

// BankName is the Chinese name of a bank code.
func BankName(code string) string {
	for _, b := range banks {
		if b.code == code {
			return b.name
		}
	}
	return "其他银行"
}
