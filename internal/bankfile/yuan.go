package bankfile

import (
	"strconv"

	"gongshang/internal/errs"
)

// maxFen is the largest amount a file carries, one payment or a total:
// 9999999999999.99 yuan (13 integer digits), far below int64's range.
const maxFen int64 = 999_999_999_999_999

// FormatYuan writes fen as yuan with exactly two decimals: 123456 is
// "1234.56", 5 is "0.05". A negative amount gets a leading '-' (files never
// carry one; ParseYuan refuses it).
func FormatYuan(fen int64) string { return string(appendYuan(nil, fen)) }

func appendYuan(b []byte, fen int64) []byte {
	u := uint64(fen)
	if fen < 0 {
		b = append(b, '-')
		u = -u // also right for math.MinInt64
	}
	b = strconv.AppendUint(b, u/100, 10)
	c := u % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// ParseYuan reads yuan with exactly two decimals back to fen, exactly:
// "1234.56" is 123456. It refuses signs, exponents, spaces, separators,
// leading zeros ("01.00"), other than two decimals and more than 13
// integer digits, so every amount has one spelling.
func ParseYuan(s string) (int64, error) {
	if v, ok := parseYuan(s); ok {
		return v, nil
	}
	return 0, errs.Field("amount", "yuan", "金额%s应为元，恰好两位小数，如1234.56", quote(s))
}

func parseYuan(s string) (int64, bool) {
	n := len(s)
	if n < 4 || s[n-3] != '.' {
		return 0, false
	}
	ip, fp := s[:n-3], s[n-2:]
	if len(ip) > 13 || (len(ip) > 1 && ip[0] == '0') || !allDigits(ip) || !allDigits(fp) {
		return 0, false
	}
	var v int64
	for i := 0; i < len(ip); i++ {
		v = v*10 + int64(ip[i]-'0')
	}
	return v*100 + int64(fp[0]-'0')*10 + int64(fp[1]-'0'), true
}

// parseCount reads a count written by strconv.Itoa: digits without a
// leading zero, at most maxCount.
func parseCount(s string) (int, bool) {
	if s == "" || len(s) > 6 || (len(s) > 1 && s[0] == '0') || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// parseSeq reads a six-digit zero-padded sequence number.
func parseSeq(s string) (int, bool) {
	if len(s) != 6 || !allDigits(s) {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, n > 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// addCapped adds a payment to a running sum without overflowing: sums
// beyond maxFen stay just above it, where they match no valid total.
func addCapped(sum, fen int64) int64 {
	if fen > maxFen || sum > maxFen-fen {
		return maxFen + 1
	}
	return sum + fen
}
