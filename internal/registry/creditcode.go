package registry

import (
	"strings"

	"gongshang/internal/errs"
)

// GB 32100-2015: the 统一社会信用代码 is 18 characters from a 31-character
// alphabet (digits and capitals without I, O, Z, S, V); the last is a check
// character with weights 3^i mod 31.
const uscAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var uscWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidateCreditCode checks length, alphabet and check character.
func ValidateCreditCode(field, s string) error {
	if len(s) != 18 {
		return errs.Field(field, "usc_length", "统一社会信用代码应为18位，当前为%d位", len([]rune(s)))
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(uscAlphabet, s[i]) < 0 {
			return errs.Field(field, "usc_format", "统一社会信用代码第%d位“%c”不是合法字符", i+1, s[i])
		}
	}
	if want := CreditCodeCheckChar(s[:17]); s[17] != want {
		return errs.Field(field, "usc_checksum", "统一社会信用代码校验位错误，请核对代码是否录入有误")
	}
	return nil
}

// CreditCodeCheckChar computes the check character for 17 valid characters.
func CreditCodeCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(uscAlphabet, first17[i]) * uscWeights[i]
	}
	return uscAlphabet[(31-sum%31)%31]
}
