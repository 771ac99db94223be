package registry

import (
	"time"

	"gongshang/internal/errs"
)

// GB 11643-1999: the 18th character of a 居民身份证号码 is a check character
// computed from weights 2^(17-i) mod 11 over the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDNumberInfo is what a valid ID number tells about its holder.
type IDNumberInfo struct {
	Region    string // the six-digit address code at issue
	BirthDate string // YYYY-MM-DD
	Sex       string // "M" or "F": odd sequence code is male
}

// ParseIDNumber validates an 18-character 居民身份证号码 (GB 11643) and
// returns the birth date and sex it encodes. today bounds the birth date.
// field names the input for the error message.
func ParseIDNumber(field, s string, today time.Time) (IDNumberInfo, error) {
	if len(s) != 18 {
		return IDNumberInfo{}, errs.Field(field, "id_length", "身份证号码应为18位，当前为%d位", len([]rune(s)))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return IDNumberInfo{}, errs.Field(field, "id_format", "身份证号码前17位必须是数字")
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	if want := idCheckChars[sum%11]; last != want {
		return IDNumberInfo{}, errs.Field(field, "id_checksum", "身份证号码校验位错误，请核对号码是否录入有误")
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return IDNumberInfo{}, errs.Field(field, "id_birth_date", "身份证号码中的出生日期%s不存在", s[6:14])
	}
	if birth.After(today) || birth.Year() < 1900 {
		return IDNumberInfo{}, errs.Field(field, "id_birth_date", "身份证号码中的出生日期%s不合理", birth.Format("2006-01-02"))
	}
	sex := "F"
	if (s[16]-'0')%2 == 1 {
		sex = "M"
	}
	return IDNumberInfo{Region: s[:6], BirthDate: birth.Format("2006-01-02"), Sex: sex}, nil
}

// IDCheckChar returns the GB 11643 check character for 17 digits; the demo
// generator uses it to make valid numbers.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// NormalizeIDNumber upper-cases a trailing x, the one common variant.
func NormalizeIDNumber(s string) string {
	if len(s) == 18 && s[17] == 'x' {
		return s[:17] + "X"
	}
	return s
}
