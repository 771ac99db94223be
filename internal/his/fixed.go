package his

import (
	"errors"
	"math"
	"math/bits"
	"strconv"

	"gongshang/internal/errs"
)

// Amount is a sum of money in fen (分). It reads a JSON number or a numeric
// string with at most two decimals and writes a JSON number with exactly two.
type Amount int64

// Qty is a quantity (cnt) in ten-thousandths: the national spec gives cnt
// up to four decimals.
type Qty int64

// Ratio is a proportion such as selfpay_prop in hundredths (1.00 = 100).
type Ratio int64

// The largest magnitudes accepted: 9,999,999,999.99 yuan and 99,999,999.9999 units.
const (
	MaxAmount Amount = 999_999_999_999
	MaxQty    Qty    = 999_999_999_999
)

// QtyUnit is one whole unit as a Qty.
const QtyUnit Qty = 10_000

var errFixed = errors.New("his: not a decimal number")

// parseFixed reads an optional minus sign, digits and up to decimals
// fractional digits (no exponent, no plus sign, no spaces) as an integer
// scaled by 10^decimals, refusing magnitudes above limit.
func parseFixed(s string, decimals int, limit int64) (int64, error) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac, dot := s, "", false
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			intPart, frac, dot = s[:i], s[i+1:], true
			break
		}
	}
	if intPart == "" || (dot && frac == "") || len(frac) > decimals || !allDigits(intPart) || !allDigits(frac) {
		return 0, errFixed
	}
	for len(intPart) > 1 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	if len(intPart) > 18 {
		return 0, errFixed
	}
	v, _ := strconv.ParseInt(intPart, 10, 64)
	for i := 0; i < decimals; i++ {
		d := int64(0)
		if i < len(frac) {
			d = int64(frac[i] - '0')
		}
		if v > (math.MaxInt64-d)/10 {
			return 0, errFixed
		}
		v = v*10 + d
	}
	if v > limit {
		return 0, errFixed
	}
	if neg {
		v = -v
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// appendFixed writes v scaled by 10^decimals; with trim, trailing zero
// decimals (and a bare point) are dropped.
func appendFixed(b []byte, v int64, decimals int, trim bool) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = uint64(-v)
	}
	scale := uint64(1)
	for i := 0; i < decimals; i++ {
		scale *= 10
	}
	b = strconv.AppendUint(b, u/scale, 10)
	frac := u % scale
	if decimals == 0 || (trim && frac == 0) {
		return b
	}
	digits := make([]byte, decimals)
	for i := decimals - 1; i >= 0; i-- {
		digits[i] = byte('0' + frac%10)
		frac /= 10
	}
	if trim {
		for len(digits) > 0 && digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
	}
	b = append(b, '.')
	return append(b, digits...)
}

// unquoteNumber returns the text of a JSON number or of a JSON string
// holding one (no escapes expected in numbers).
func unquoteNumber(data []byte) (string, bool) {
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		s := string(data[1 : len(data)-1])
		return s, s != ""
	}
	if len(data) > 0 && (data[0] == '-' || (data[0] >= '0' && data[0] <= '9')) {
		return string(data), true
	}
	return "", false
}

func unmarshalFixed(data []byte, decimals int, limit int64) (int64, error) {
	s, ok := unquoteNumber(data)
	if !ok {
		return 0, errFixed
	}
	return parseFixed(s, decimals, limit)
}

// ParseAmount reads "12", "12.5", "-3.00" as fen.
func ParseAmount(s string) (Amount, error) {
	v, err := parseFixed(s, 2, int64(MaxAmount))
	return Amount(v), err
}

// ParseQty reads "2", "0.5", "1.2500" as ten-thousandths.
func ParseQty(s string) (Qty, error) {
	v, err := parseFixed(s, 4, int64(MaxQty))
	return Qty(v), err
}

// UnmarshalJSON implements json.Unmarshaler.
func (a *Amount) UnmarshalJSON(data []byte) error {
	v, err := unmarshalFixed(data, 2, int64(MaxAmount))
	if err != nil {
		return errs.E(errs.Invalid, "金额应为数字，最多两位小数，不超过9999999999.99")
	}
	*a = Amount(v)
	return nil
}

// MarshalJSON implements json.Marshaler: a number with two decimals.
func (a Amount) MarshalJSON() ([]byte, error) { return appendFixed(nil, int64(a), 2, false), nil }

// String is the amount in yuan with two decimals.
func (a Amount) String() string { return string(appendFixed(nil, int64(a), 2, false)) }

// UnmarshalJSON implements json.Unmarshaler.
func (q *Qty) UnmarshalJSON(data []byte) error {
	v, err := unmarshalFixed(data, 4, int64(MaxQty))
	if err != nil {
		return errs.E(errs.Invalid, "数量应为数字，最多四位小数")
	}
	*q = Qty(v)
	return nil
}

// MarshalJSON implements json.Marshaler: a number with up to four
// decimals, trailing zeros dropped (2, 0.5, 1.25).
func (q Qty) MarshalJSON() ([]byte, error) { return appendFixed(nil, int64(q), 4, true), nil }

// String is the quantity as written in JSON.
func (q Qty) String() string { return string(appendFixed(nil, int64(q), 4, true)) }

// Times is q × price rounded half away from zero to the fen, saturating at
// the int64 range (validated inputs stay far below it).
func (q Qty) Times(price Amount) Amount {
	neg := (q < 0) != (price < 0)
	hi, lo := bits.Mul64(absU(int64(q)), absU(int64(price)))
	if hi >= uint64(QtyUnit) {
		return saturate(neg)
	}
	quo, rem := bits.Div64(hi, lo, uint64(QtyUnit))
	if rem*2 >= uint64(QtyUnit) {
		quo++
	}
	if quo > math.MaxInt64 {
		return saturate(neg)
	}
	if neg {
		return -Amount(quo)
	}
	return Amount(quo)
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

func saturate(neg bool) Amount {
	if neg {
		return math.MinInt64 + 1
	}
	return math.MaxInt64
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *Ratio) UnmarshalJSON(data []byte) error {
	v, err := unmarshalFixed(data, 2, 1_000_000)
	if err != nil {
		return errs.E(errs.Invalid, "比例应为数字，最多两位小数")
	}
	*r = Ratio(v)
	return nil
}

// MarshalJSON implements json.Marshaler: a number with two decimals (0.00, 1.00).
func (r Ratio) MarshalJSON() ([]byte, error) { return appendFixed(nil, int64(r), 2, false), nil }
