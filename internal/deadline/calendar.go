package deadline

import (
	"fmt"
	"strconv"
	"time"

	"gongshang/internal/param"
)

// Calendar tells working days from rest days using the holiday_calendar
// table: a date listed "holiday" is a rest day, a date listed "workday"
// (调休上班日) is a working day, any other Saturday or Sunday is a rest day.
// A year without any calendar row is "not loaded": its results are
// provisional.
type Calendar struct {
	r         *param.Resolver
	unloaded  map[int]bool // years met that have no calendar rows
	loaded    map[int]bool // cache of Loaded
	citations []param.Version
}

// NewCalendar returns a calendar backed by the resolver's tables.
func NewCalendar(r *param.Resolver) *Calendar {
	return &Calendar{r: r, unloaded: map[int]bool{}, loaded: map[int]bool{}}
}

// Loaded reports whether any calendar row exists for year.
func (c *Calendar) Loaded(year int) bool {
	l, ok := c.loaded[year]
	if !ok {
		l = c.r.HasKeyPrefix("holiday_calendar", strconv.Itoa(year)+"-")
		c.loaded[year] = l
	}
	return l
}

// IsRestDay reports whether d is a rest day and says why in Chinese.
func (c *Calendar) IsRestDay(d time.Time) (bool, string) {
	if !c.Loaded(d.Year()) {
		c.unloaded[d.Year()] = true
		return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday, weekendReason(d)
	}
	if v, err := c.r.Latest("holiday_calendar", param.FormatDate(d)); err == nil {
		c.cite(v)
		if v.Value == "holiday" {
			return true, "法定节假日"
		}
		return false, fmt.Sprintf("%s，调休上班日", weekday(d))
	}
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return true, weekday(d) + "，休息日"
	}
	return false, weekday(d)
}

// IsWorkday is the negation of IsRestDay.
func (c *Calendar) IsWorkday(d time.Time) bool {
	rest, _ := c.IsRestDay(d)
	return !rest
}

func (c *Calendar) cite(v param.Version) {
	for _, x := range c.citations {
		if x.Key == v.Key {
			return
		}
	}
	c.citations = append(c.citations, v)
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekday(d time.Time) string { return weekdays[d.Weekday()] }

// describe formats a date with its weekday: "2025-09-19（星期五）".
func describe(d time.Time) string { return param.FormatDate(d) + "（" + weekday(d) + "）" }

func weekendReason(d time.Time) string {
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return weekday(d) + "，休息日"
	}
	return weekday(d)
}
