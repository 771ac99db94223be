// Package payroll holds the rules of the monthly benefit payroll: the
// payroll month and its dates, the checks each snapshot line goes through
// (with their reason codes), the cycle's states and who may move them,
// batch adjustments with their arrears, recovery deductions and the bank
// account check. It is pure: the store feeds it facts and writes what it
// decides.
package payroll

import (
	"fmt"
	"time"

	"gongshang/internal/errs"
)

// Month is a payroll month.
type Month struct {
	Year int
	Mon  time.Month
}

// ParseMonth reads "YYYY-MM"; field names the input for the error.
func ParseMonth(field, s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return Month{}, errs.Field(field, "month", "发放月份格式应为YYYY-MM，例如2026-11")
	}
	if t.Year() < 2000 || t.Year() > 2099 {
		return Month{}, errs.Field(field, "month_range", "发放月份应在2000年至2099年之间")
	}
	return Month{t.Year(), t.Month()}, nil
}

// MonthOf is the month a day falls in.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

// MonthOfDate is the month of a 'YYYY-MM-DD' date; ok is false for an
// empty or malformed date.
func MonthOfDate(d string) (Month, bool) {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return Month{}, false
	}
	return MonthOf(t), true
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Mon)) }

// Label is the month in Chinese: 2026年11月.
func (m Month) Label() string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Mon)) }

// First is the first day of the month.
func (m Month) First() time.Time { return time.Date(m.Year, m.Mon, 1, 0, 0, 0, 0, time.UTC) }

// Last is the last day of the month.
func (m Month) Last() time.Time { return m.First().AddDate(0, 1, -1) }

// Day is the given day of the month (clamped to its last day).
func (m Month) Day(d int) time.Time {
	t := m.First().AddDate(0, 0, d-1)
	if t.Month() != m.Mon {
		return m.Last()
	}
	return t
}

// Add moves n months.
func (m Month) Add(n int) Month { return MonthOf(m.First().AddDate(0, n, 0)) }

// Before reports whether m is earlier than o.
func (m Month) Before(o Month) bool { return m.Index() < o.Index() }

// Index counts months from year 0, for differences.
func (m Month) Index() int { return m.Year*12 + int(m.Mon) - 1 }

// Since is the number of months from o to m (m - o).
func (m Month) Since(o Month) int { return m.Index() - o.Index() }
