package supervision

import (
	"fmt"
	"strings"
)

// ParseYuan reads a yuan amount with at most two decimals ("123.40",
// "12", "-3.5") as fen, without going through a float.
func ParseYuan(s string) (int64, error) {
	v, ok := parseFixed(s, 2)
	if !ok {
		return 0, fmt.Errorf("金额应为元，最多两位小数：%q", s)
	}
	return v, nil
}

// ParseQty reads a decimal quantity with at most four decimals as
// × QtyScale.
func ParseQty(s string) (int64, error) {
	v, ok := parseFixed(s, 4)
	if !ok {
		return 0, fmt.Errorf("数量应为数字，最多四位小数：%q", s)
	}
	return v, nil
}

// parseFixed reads [-]digits[.digits] with at most places decimals as an
// integer scaled by 10^places.
func parseFixed(s string, places int) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	ip, fp, dot := strings.Cut(s, ".")
	if ip == "" || len(ip) > 12 || len(fp) > places || (dot && fp == "") {
		return 0, false
	}
	var v int64
	for i := 0; i < len(ip); i++ {
		c := ip[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	for i := 0; i < places; i++ {
		v *= 10
		if i < len(fp) {
			c := fp[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v += int64(c - '0')
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

// QtyText prints a × QtyScale quantity without trailing zeros.
func QtyText(q int64) string {
	s := fmt.Sprintf("%d.%04d", q/QtyScale, abs64(q%QtyScale))
	if q < 0 && q > -QtyScale {
		s = "-" + s
	}
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
