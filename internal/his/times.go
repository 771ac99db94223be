package his

import "time"

// CST is China Standard Time, used for every date and time of the
// interface whatever the machine's zone.
var CST = time.FixedZone("CST", 8*3600)

// Layouts of the interface.
const (
	DateLayout        = "2006-01-02"
	DateTimeLayout    = "2006-01-02 15:04:05"
	RespondTimeLayout = "20060102150405.000" // written without the point, see FormatRespondTime
	MsgidTimeLayout   = "20060102150405"
)

// ParseDate reads yyyy-MM-dd as midnight China Standard Time.
func ParseDate(s string) (time.Time, error) {
	if len(s) != len(DateLayout) {
		return time.Time{}, &time.ParseError{Layout: DateLayout, Value: s, Message: ": wrong length"}
	}
	return time.ParseInLocation(DateLayout, s, CST)
}

// ParseDateTime reads yyyy-MM-dd HH:mm:ss as China Standard Time.
func ParseDateTime(s string) (time.Time, error) {
	if len(s) != len(DateTimeLayout) {
		return time.Time{}, &time.ParseError{Layout: DateTimeLayout, Value: s, Message: ": wrong length"}
	}
	return time.ParseInLocation(DateTimeLayout, s, CST)
}

// FormatDate writes t as yyyy-MM-dd in China Standard Time.
func FormatDate(t time.Time) string { return t.In(CST).Format(DateLayout) }

// FormatDateTime writes t as yyyy-MM-dd HH:mm:ss in China Standard Time.
func FormatDateTime(t time.Time) string { return t.In(CST).Format(DateTimeLayout) }

// FormatRespondTime writes t as yyyyMMddHHmmssSSS in China Standard Time.
func FormatRespondTime(t time.Time) string {
	s := t.In(CST).Format(RespondTimeLayout)
	return s[:14] + s[15:]
}
