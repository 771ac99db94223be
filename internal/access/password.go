package access

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// The password policy for staff accounts:
//
//   - 10 to 128 characters;
//   - at least three of the four classes lower case, upper case, digits and
//     other characters (symbols, spaces, Chinese), or two classes when the
//     password has 14 characters or more (a passphrase);
//   - at least 6 characters that do not follow from the one before — a
//     character follows when it repeats it, is the next or previous letter
//     or digit, or its neighbour on a keyboard row — so aaaaaaaaaa,
//     1234567890, abcdefghij and qwertyuiop are refused however decorated;
//   - not a common password: the password, with digits and symbols at its
//     ends removed and look-alike digits read as letters (P@ssw0rd2024! is
//     password), is not in commonPasswords;
//   - not containing the username.
const (
	passwordMin       = 10
	passwordMax       = 128
	passphraseMin     = 14
	passwordMinUnique = 6
)

// ValidatePassword applies the policy to pw for the account username
// ("" when unknown), naming field in its messages.
func ValidatePassword(field, pw, username string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < passwordMin:
		return errs.Field(field, "password_short", "密码至少%d位", passwordMin)
	case n > passwordMax:
		return errs.Field(field, "password_long", "密码不能超过%d位", passwordMax)
	case unpredictable(pw) < passwordMinUnique:
		return errs.Field(field, "password_trivial", "密码不能由重复、连续或键盘顺序的字符组成（如aaaaaaaaaa、1234567890、qwertyuiop）")
	case isCommon(pw):
		return errs.Field(field, "password_common", "密码过于常见，容易被猜中，请换一个")
	case len(username) >= 3 && strings.Contains(strings.ToLower(pw), strings.ToLower(username)):
		return errs.Field(field, "password_username", "密码不能包含用户名")
	}
	if c := classes(pw); c < 3 && !(c == 2 && n >= passphraseMin) {
		return errs.Field(field, "password_classes", "密码应包含大写字母、小写字母、数字和符号中的至少3类（14位及以上可为2类）")
	}
	return nil
}

// classes counts the character classes present in pw.
func classes(pw string) int {
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = 1
		case r >= 'A' && r <= 'Z':
			upper = 1
		case r >= '0' && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

// keyboardRows are the rows of a US keyboard, unshifted and shifted.
var keyboardRows = []string{"`1234567890-=", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "~!@#$%^&*()_+"}

// unpredictable counts the characters of pw that do not follow from the one
// before it (the first always counts).
func unpredictable(pw string) int {
	count := 0
	var prev rune = -1
	for _, r := range strings.ToLower(pw) {
		if prev < 0 || !follows(prev, r) {
			count++
		}
		prev = r
	}
	return count
}

func follows(prev, r rune) bool {
	if r == prev {
		return true
	}
	alnum := func(c rune) bool { return c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) }
	if alnum(prev) && alnum(r) && (r == prev+1 || r == prev-1) {
		return true
	}
	for _, row := range keyboardRows {
		i, j := strings.IndexRune(row, prev), strings.IndexRune(row, r)
		if i >= 0 && j >= 0 && (i-j == 1 || j-i == 1) {
			return true
		}
	}
	return false
}

// lookAlike reads the digits and symbols people put for letters.
var lookAlike = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t")

// isCommon reports whether pw is a common password, decorated or not.
func isCommon(pw string) bool {
	lower := strings.ToLower(pw)
	if commonPasswords[lower] {
		return true
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if core == "" {
		return false
	}
	return commonPasswords[core] || commonPasswords[lookAlike.Replace(core)]
}

// commonPasswords is our own short list of passwords that guessers try
// first: keyboard and dictionary favourites, and words anyone could guess
// for this office (the system, the province, the city, the hotline).
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		password passwort motdepasse admin administrator root system guest test tester
		welcome letmein changeme default secret login master superuser manager
		iloveyou sunshine princess football baseball basketball monkey dragon shadow
		superman batman trustno starwars whatever freedom hello hellokitty computer
		internet samsung huawei xiaomi apple google qwerty qwertyui asdfgh zxcvbn
		qazwsx qweasd abcabc abcd abcdef woaini woaiwojia woaiziji aini
		zhongguo china beijing shanghai shandong jinan jining qufu zoucheng
		gongshang gongshangbaoxian baoxian shebao shebaoju renshe renshiju laodong
		hotline rexian zhangsan lisi wangwu
		1qaz2wsx 1q2w3e4r qwer1234 abc123456 a123456789 aa123456789 1qaz2wsx3edc
	`) {
		m[w] = true
	}
	return m
}()
