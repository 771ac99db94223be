package payroll

import "gongshang/internal/errs"

// CheckAccount checks a bank card number the payroll pays into: 16 to 19
// digits (银联借记卡) whose last digit is the Luhn check digit of the
// others (ISO/IEC 7812). field names the input for the error.
func CheckAccount(field, acct string) error {
	if acct == "" {
		return errs.Field(field, "required", "请填写收款银行账号")
	}
	if len(acct) < 16 || len(acct) > 19 {
		return errs.Field(field, "account_length", "银行卡号应为16至19位数字，现为%d位", len([]rune(acct)))
	}
	sum := 0
	for i := len(acct) - 1; i >= 0; i-- {
		c := acct[i]
		if c < '0' || c > '9' {
			return errs.Field(field, "account_digits", "银行卡号只能由数字组成")
		}
		d := int(c - '0')
		if (len(acct)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if sum%10 != 0 {
		return errs.Field(field, "account_checksum", "银行卡号校验位不正确，请核对卡号")
	}
	return nil
}

// LuhnDigit is the check digit that makes body+digit pass CheckAccount
// (for the demo's and tests' accounts).
func LuhnDigit(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
