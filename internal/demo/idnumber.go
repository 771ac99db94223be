package demo

import (
	"time"

	"gongshang/internal/registry"
)

// idAllocator hands out unique 居民身份证号码. A number is address code +
// birth date + three-digit sequence (odd for men) + check character; the
// allocator counts numbers used per address code, birth day and sex in one
// flat slice, so a million workers need no map of strings.
type idAllocator struct {
	codes  []string       // every address code in use
	index  map[string]int // code → position in codes
	oldest time.Time      // earliest birth day handed out
	days   int
	used   []uint16 // [code][day][sex] → numbers handed out
}

// seqSlots is how many sequence numbers there are per sex (1–499, doubled,
// plus the sex bit: 002–999).
const seqSlots = 499

func newIDAllocator(today time.Time) *idAllocator {
	a := &idAllocator{index: map[string]int{}, oldest: today.AddDate(-61, 0, 1)}
	for _, c := range counties {
		for _, code := range c.Birth {
			a.add(code)
		}
	}
	for _, code := range otherBirth {
		a.add(code)
	}
	a.days = int(today.Sub(a.oldest).Hours()/24) + 1
	a.used = make([]uint16, len(a.codes)*a.days*2)
	return a
}

func (a *idAllocator) add(code string) {
	if _, ok := a.index[code]; !ok {
		a.index[code] = len(a.codes)
		a.codes = append(a.codes, code)
	}
}

// next returns a new number for someone born on birth (or, if that day is
// full, the nearest later free day) and the birth date it encodes.
func (a *idAllocator) next(code string, birth time.Time, male bool) (string, time.Time) {
	ci := a.index[code]
	sex := 0
	if male {
		sex = 1
	}
	day := int(birth.Sub(a.oldest).Hours() / 24)
	for ; ; day = (day + 1) % a.days {
		slot := (ci*a.days+day)*2 + sex
		if n := int(a.used[slot]); n < seqSlots {
			a.used[slot]++
			// Spread the sequence over the range rather than counting up
			// from 001; 263 is prime to 499, so distinct n give distinct v.
			v := (n*263+ci*37+day)%seqSlots + 1
			b := a.oldest.AddDate(0, 0, day)
			return idNumber(code, b, 2*v+sex), b
		}
	}
}

func idNumber(code string, birth time.Time, seq int) string {
	var buf [18]byte
	copy(buf[:6], code)
	y, m, d := birth.Date()
	putDigits(buf[6:10], y)
	putDigits(buf[10:12], int(m))
	putDigits(buf[12:14], d)
	putDigits(buf[14:17], seq)
	buf[17] = registry.IDCheckChar(string(buf[:17]))
	return string(buf[:])
}

// putDigits writes v in decimal, zero-padded to len(dst).
func putDigits(dst []byte, v int) {
	for k := len(dst) - 1; k >= 0; k-- {
		dst[k] = byte('0' + v%10)
		v /= 10
	}
}
