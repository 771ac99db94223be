package pdf

import (
	"strconv"
	"strings"
	"time"
)

var digits = []rune("〇一二三四五六七八九")

// ChineseDate writes the civil date of t the way Chinese official letters
// date themselves: 二〇二五年六月九日 (the year digit by digit with 〇, month
// and day as numbers: 十, 十一, 二十, 三十一).
func ChineseDate(t time.Time) string {
	var b strings.Builder
	for _, c := range strconv.Itoa(t.Year()) {
		if c >= '0' && c <= '9' {
			b.WriteRune(digits[c-'0'])
		}
	}
	b.WriteString("年")
	b.WriteString(chineseNumber(int(t.Month())))
	b.WriteString("月")
	b.WriteString(chineseNumber(t.Day()))
	b.WriteString("日")
	return b.String()
}

// chineseNumber writes 1–99 in Chinese numerals: 九, 十, 十一, 二十, 三十一.
func chineseNumber(n int) string {
	tens, ones := n/10, n%10
	var b strings.Builder
	if tens > 1 {
		b.WriteRune(digits[tens])
	}
	if tens > 0 {
		b.WriteString("十")
	}
	if ones > 0 || tens == 0 {
		b.WriteRune(digits[ones])
	}
	return b.String()
}
