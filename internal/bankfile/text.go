package bankfile

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what one file holds.
const (
	maxField  = 256    // bytes of one text field
	maxCount  = 999999 // payments in one file: the seq has six digits
	maxLine   = 4096   // bytes of one line, without its "\n"
	maxReturn = 64 << 20
	maxShown  = 200 // problems listed in full
)

// textProblem says what is wrong with a text field, as a machine code and
// a Chinese message naming it by label; "" when nothing is. A field may not
// hold the separator, a line break or any other control character, since
// the bank reads the file line by line and field by field.
func textProblem(label, s string) (code, msg string) {
	switch {
	case s == "":
		return "required", label + "不能为空"
	case len(s) > maxField:
		return "too_long", fmt.Sprintf("%s不能超过%d字节", label, maxField)
	case !utf8.ValidString(s):
		return "utf8", label + "不是有效的UTF-8文本"
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '|':
			return "separator", label + "不能含有分隔符「|」"
		case c == '\r' || c == '\n':
			return "newline", label + "不能含有换行符（\\r或\\n）"
		case c < 0x20 || c == 0x7f:
			return "control", label + "不能含有控制字符"
		}
	}
	return "", ""
}

// accountProblem is textProblem for a bank account: digits only, at most 40.
func accountProblem(s string) (code, msg string) {
	if s == "" {
		return "required", "账号不能为空"
	}
	if len(s) > 40 || !allDigits(s) {
		return "account", "账号应为数字，最多40位"
	}
	return "", ""
}

func validMonth(s string) bool {
	t, err := time.Parse("2006-01", s)
	return err == nil && t.Format("2006-01") == s
}

func validDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// quote shows a value from a file inside a message: at most 40
// characters, invalid UTF-8 and control characters replaced, in 「」.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return "「" + s + "」"
}

// tail4 is the last four digits of an account, for messages.
func tail4(s string) string {
	if len(s) > 4 {
		s = s[len(s)-4:]
	}
	return quote(s)
}
