package auditsynth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// A day is a day number: days since 1970-01-01.
func dayOf(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(day int) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

func fmtDay(day int) string { return dayTime(day).Format("2006-01-02") }

func fmtMonth(day int) string { return dayTime(day).Format("2006-01") }

// fmtTime prints a day and a minute of that day as yyyy-MM-dd HH:mm:ss.
func fmtTime(day, minute int) string {
	return dayTime(day).Add(time.Duration(minute) * time.Minute).Format("2006-01-02 15:04:05")
}

func weekday(day int) time.Weekday { return dayTime(day).Weekday() }

// fmtYuan prints fen as yuan with two decimals.
func fmtYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// certWeights are the GB 11643 weights of the first 17 digits.
var certWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// certCheck is the GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits.
func certCheck(body string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += int(body[i]-'0') * certWeights[i]
	}
	return "10X98765432"[s%11]
}

// certNo builds an 18-character resident ID: birthplace, birth date,
// sequence (odd for men) and check digit.
func certNo(admvs string, birth int, seq int, male bool) string {
	if male != (seq%2 == 1) {
		seq++
	}
	body := admvs + dayTime(birth).Format("20060102") + fmt.Sprintf("%03d", seq%1000)
	return body + string(certCheck(body))
}

// ValidCertNo reports whether an 18-character resident ID has a valid
// GB 11643 check digit.
func ValidCertNo(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return certCheck(s[:17]) == s[17]
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgCheck is the GB 11714 check character of an 8-digit organisation code body.
func orgCheck(body string) byte {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := 0; i < 8; i++ {
		s += int(body[i]-'0') * w[i]
	}
	c := 11 - s%11
	switch c {
	case 10:
		return 'X'
	case 11:
		return '0'
	}
	return byte('0' + c)
}

// usccCheck is the GB 32100 check character of the first 17 characters.
func usccCheck(body string) byte {
	s := 0
	for i := 0; i < 17; i++ {
		s += strings.IndexByte(usccChars, body[i]) * usccWeights[i]
	}
	c := 31 - s%31
	if c == 31 {
		c = 0
	}
	return usccChars[c]
}

// uscc builds an 18-character unified social credit code of an enterprise
// (registration 9, type 1) in a county.
func uscc(admvs string, serial int) string {
	org := fmt.Sprintf("%08d", serial%100000000)
	body := "91" + admvs + org + string(orgCheck(org))
	return body + string(usccCheck(body))
}

// ValidUSCC reports whether a unified social credit code has valid GB 32100
// and GB 11714 check characters.
func ValidUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(usccChars, s[i]) < 0 {
			return false
		}
	}
	if usccCheck(s[:17]) != s[17] {
		return false
	}
	org := s[8:16]
	for i := 0; i < 8; i++ {
		if org[i] < '0' || org[i] > '9' {
			return true // letters in the organisation code: only the outer check applies here
		}
	}
	return orgCheck(org) == s[16]
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
var givenMale = []rune("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆志东建国庆林峰海成兵新春瑞")
var givenFemale = []rune("芳娜敏静丽艳娟霞燕玲桂秀英华红梅琳雪婷慧莉萍颖洁")

func personName(r *rand.Rand, male bool) string {
	g := givenFemale
	if male {
		g = givenMale
	}
	n := string(surnames[r.IntN(len(surnames))]) + string(g[r.IntN(len(g))])
	if r.IntN(3) > 0 {
		n += string(g[r.IntN(len(g))])
	}
	return n
}
