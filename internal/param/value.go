package param

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Dates. A statutory date is a civil date in China Standard Time. Inside the
// system it is a time.Time at 00:00 UTC of that calendar day, so that AddDate
// and day differences never meet a daylight-saving or zone offset. Use
// ParseDate and FormatDate at every edge.

// DateLayout is the only accepted date format (ISO 8601 calendar date).
const DateLayout = "2006-01-02"

// MinYear and MaxYear bound every accepted date, so that day-by-day counting
// stays cheap and nonsense years are rejected.
const (
	MinYear = 1900
	MaxYear = 2200
)

// ParseDate parses "YYYY-MM-DD" into a civil date (UTC midnight).
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil || len(s) != len(DateLayout) {
		return time.Time{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", s)
	}
	if t.Year() < MinYear || t.Year() > MaxYear {
		return time.Time{}, fmt.Errorf("日期年份应在 %d–%d 之间：%q", MinYear, MaxYear, s)
	}
	return t, nil
}

// FormatDate formats a civil date as "YYYY-MM-DD".
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// Money. Amounts are int64 fen inside the system and "1234.56" strings at the
// edges (yuan with exactly two decimals on output).

// MaxMoneyFen bounds accepted amounts (10^13 yuan) so products never overflow.
const MaxMoneyFen = int64(1e15)

// ErrMoney is wrapped by every money parsing error.
var ErrMoney = errors.New("金额格式错误")

// ParseMoney parses a non-negative yuan amount with at most two decimals
// ("7506", "7506.0", "7506.00") into fen. Signs, exponents, spaces, thousands
// separators and more than two decimals are rejected.
func ParseMoney(s string) (int64, error) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return 0, fmt.Errorf("%w：应为不带符号的元金额，如 \"7506.00\"（收到 %q）", ErrMoney, s)
	}
	if len(frac) > 2 {
		return 0, fmt.Errorf("%w：最多两位小数（收到 %q）", ErrMoney, s)
	}
	if len(intPart) > 13 {
		return 0, fmt.Errorf("%w：金额过大（收到 %q）", ErrMoney, s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	yuan, _ := strconv.ParseInt(intPart, 10, 64)
	fen, _ := strconv.ParseInt(frac, 10, 64)
	return yuan*100 + fen, nil
}

// FormatMoney formats fen as yuan with two decimals ("78000.00").
func FormatMoney(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// FormatMoneyGrouped formats fen with thousands separators ("78,000.00"), for
// explanations.
func FormatMoneyGrouped(fen int64) string {
	intPart, frac, _ := strings.Cut(FormatMoney(fen), ".")
	sign, digits := "", intPart
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	return sign + groupDigits(digits) + "." + frac
}

// Thousands writes a count with thousands separators: 34,555.
func Thousands(n int64) string {
	if n < 0 {
		return "-" + groupDigits(strconv.FormatInt(-n, 10))
	}
	return groupDigits(strconv.FormatInt(n, 10))
}

// groupDigits puts a comma between every three digits from the right.
func groupDigits(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ParseDecimal parses a non-negative decimal ("0.75", "19.5", "20") exactly.
func ParseDecimal(s string) (*big.Rat, error) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return nil, fmt.Errorf("应为不带符号的小数，如 \"0.75\"（收到 %q）", s)
	}
	if len(intPart) > 9 || len(frac) > 6 {
		return nil, fmt.Errorf("数值位数过多（收到 %q）", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("无法解析数值 %q", s)
	}
	return r, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Unit is the unit of a statutory period.
type Unit string

// Units of a Period.
const (
	UnitDays     Unit = "d"  // calendar days (日)
	UnitWorkdays Unit = "wd" // working days (工作日)
	UnitMonths   Unit = "m"  // months (月)
	UnitYears    Unit = "y"  // years (年)
)

// Period is a statutory time limit such as 60 days, 5 working days or 1 year.
type Period struct {
	N    int
	Unit Unit
}

// maxPeriod bounds N per unit (about 30 years) to keep counting cheap.
var maxPeriod = map[Unit]int{UnitDays: 11000, UnitWorkdays: 7500, UnitMonths: 360, UnitYears: 30}

// ParsePeriod parses "60d", "5wd", "6m" or "1y".
func ParsePeriod(s string) (Period, error) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	u := Unit(s[i:])
	limit, ok := maxPeriod[u]
	if i == 0 || i > 6 || !ok {
		return Period{}, fmt.Errorf("期限格式应为 数字+单位（d 日、wd 工作日、m 月、y 年），如 \"60d\"（收到 %q）", s)
	}
	n, _ := strconv.Atoi(s[:i])
	if n < 1 || n > limit {
		return Period{}, fmt.Errorf("期限数值应在 1–%d 之间（收到 %q）", limit, s)
	}
	return Period{N: n, Unit: u}, nil
}

// String returns the data form ("60d").
func (p Period) String() string { return strconv.Itoa(p.N) + string(p.Unit) }

// Chinese returns the period in words ("60日", "5个工作日").
func (p Period) Chinese() string {
	switch p.Unit {
	case UnitWorkdays:
		return fmt.Sprintf("%d个工作日", p.N)
	case UnitMonths:
		return fmt.Sprintf("%d个月", p.N)
	case UnitYears:
		return fmt.Sprintf("%d年", p.N)
	}
	return fmt.Sprintf("%d日", p.N)
}
