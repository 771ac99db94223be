package supervision

import (
	"fmt"
	"time"
)

// cst is China Standard Time, the extract's zone (UTC+8, no DST).
var cst = time.FixedZone("CST", 8*3600)

// Day is a calendar day: days since 1970-01-01. 0 is "no date".
type Day int32

// Time is a moment: Unix seconds. 0 is "no time".
type Time int64

// ParseDay reads yyyy-MM-dd.
func ParseDay(s string) (Day, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return 0, fmt.Errorf("日期应为yyyy-MM-dd：%q", s)
	}
	return Day(t.Unix() / 86400), nil
}

// ParseTime reads yyyy-MM-dd HH:mm:ss in China Standard Time.
func ParseTime(s string) (Time, error) {
	t, err := time.ParseInLocation(time.DateTime, s, cst)
	if err != nil {
		return 0, fmt.Errorf("时间应为yyyy-MM-dd HH:mm:ss：%q", s)
	}
	return Time(t.Unix()), nil
}

// DayOf is the CST calendar day of t.
func DayOf(t time.Time) Day {
	y, m, d := t.In(cst).Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Day is the CST calendar day of the moment.
func (t Time) Day() Day { return Day((int64(t) + 8*3600) / 86400) }

// String is yyyy-MM-dd HH:mm:ss in CST.
func (t Time) String() string { return time.Unix(int64(t), 0).In(cst).Format(time.DateTime) }

// String is yyyy-MM-dd.
func (d Day) String() string {
	if d == 0 {
		return ""
	}
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// Month is yyyy-MM of the day.
func (d Day) Month() string { return d.String()[:7] }

// Weekday is the day's weekday.
func (d Day) Weekday() time.Weekday { return time.Unix(int64(d)*86400, 0).UTC().Weekday() }
