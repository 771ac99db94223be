package registry

import (
	"regexp"
	"strings"
	"time"

	"gongshang/internal/errs"
)

// Worker is a 职工. IDNumber, Phone and BankAccount are personal data: the
// store keeps them encrypted, and screens show them masked to roles not
// entitled to see them (see package access).
type Worker struct {
	ID          int64     `json:"id"`
	IDNumber    string    `json:"id_number,omitempty"` // 居民身份证号码, GB 11643; "" when not disclosed
	Name        string    `json:"name"`
	Sex         string    `json:"sex"`                  // derived from IDNumber
	BirthDate   string    `json:"birth_date,omitempty"` // derived from IDNumber; "" when not disclosed
	BirthYear   int       `json:"birth_year"`           // derived from IDNumber, always present
	Phone       string    `json:"phone,omitempty"`
	BankName    string    `json:"bank_name"`
	BankAccount string    `json:"bank_account,omitempty"`
	RegionCode  string    `json:"region_code"` // insured region
	Version     int64     `json:"version"`     // bumped by every change; a stale one is refused
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`

	// The masked forms, always present: 370811********1234.
	IDMasked          string `json:"id_number_masked"`
	PhoneMasked       string `json:"phone_masked"`
	BankAccountMasked string `json:"bank_account_masked"`
}

// Masked returns a copy without the personal data in full: the birth
// date goes too, the year staying. The masked ID hides exactly the eight
// digits of the birth date (370811********2359), so showing the date
// beside it would give the whole number back.
func (w Worker) Masked() Worker {
	w.BirthYear = BirthYearOf(w.BirthDate, w.BirthYear)
	w.IDNumber, w.Phone, w.BankAccount, w.BirthDate = "", "", "", ""
	return w
}

// BirthYearOf is the year of a YYYY-MM-DD date, or fallback when the date
// is absent.
func BirthYearOf(date string, fallback int) int {
	if len(date) < 4 {
		return fallback
	}
	y := 0
	for _, c := range date[:4] {
		if c < '0' || c > '9' {
			return fallback
		}
		y = y*10 + int(c-'0')
	}
	return y
}

// SexNames labels sex codes.
var SexNames = map[string]string{"M": "男", "F": "女"}

var (
	mobileRe = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	bankRe   = regexp.MustCompile(`^[0-9]{12,30}$`)
)

// Normalize trims fields and upper-cases the ID check character.
func (w *Worker) Normalize() {
	w.IDNumber = NormalizeIDNumber(strings.TrimSpace(w.IDNumber))
	w.Name = strings.TrimSpace(w.Name)
	w.Phone = strings.TrimSpace(w.Phone)
	w.BankName = strings.TrimSpace(w.BankName)
	w.BankAccount = strings.ReplaceAll(strings.TrimSpace(w.BankAccount), " ", "")
	w.RegionCode = strings.TrimSpace(w.RegionCode)
}

// Validate checks every field and fills Sex and BirthDate from the ID number.
func (w *Worker) Validate(today time.Time) error {
	var fs errs.Fields
	info, err := ParseIDNumber("id_number", w.IDNumber, today)
	if fs.Merge(err) == nil && err == nil {
		w.Sex, w.BirthDate = info.Sex, info.BirthDate
		w.BirthYear = BirthYearOf(info.BirthDate, 0)
	}
	checkText(&fs, "name", "姓名", w.Name, 2, 40, true)
	if w.Phone != "" && !mobileRe.MatchString(w.Phone) {
		fs.Add("phone", "phone_format", "手机号码应为11位数字且以1开头，当前为“%s”", w.Phone)
	}
	checkText(&fs, "bank_name", "开户银行", w.BankName, 0, 60, false)
	if w.BankAccount != "" && !bankRe.MatchString(w.BankAccount) {
		fs.Add("bank_account", "bank_format", "银行账号应为12至30位数字")
	}
	checkRegion(&fs, "region_code", w.RegionCode)
	return fs.Err()
}

// WorkerUpdate changes the contact and bank fields that are set. The ID
// number is the worker's identity and is never updated in place.
type WorkerUpdate struct {
	Version     *int64  `json:"version"` // the version the change was made from, when known
	Name        *string `json:"name"`
	Phone       *string `json:"phone"`
	BankName    *string `json:"bank_name"`
	BankAccount *string `json:"bank_account"`
}

// Apply patches w.
func (u WorkerUpdate) Apply(w *Worker) {
	setIf(&w.Name, u.Name)
	setIf(&w.Phone, u.Phone)
	setIf(&w.BankName, u.BankName)
	setIf(&w.BankAccount, u.BankAccount)
}

// Employment is a period during which a worker works for an employer.
type Employment struct {
	ID         int64  `json:"id"`
	WorkerID   int64  `json:"worker_id"`
	EmployerID int64  `json:"employer_id"`
	Employer   string `json:"employer_name,omitempty"` // filled on reads
	Start      string `json:"start"`                   // YYYY-MM-DD
	End        string `json:"end,omitempty"`           // "" while current
}

// Validate checks the dates: real calendar days from 1950 on, not in the
// future, end not before start.
func (e *Employment) Validate(today time.Time) error {
	var fs errs.Fields
	if e.EmployerID <= 0 {
		fs.Add("employer_id", "required", "用人单位不能为空")
	}
	start, err := ParseDate("start", "入职日期", e.Start)
	if fs.Merge(err) == nil && err == nil {
		checkDateBounds(&fs, "start", "入职日期", start, today)
	}
	if e.End != "" {
		end, err := ParseDate("end", "离职日期", e.End)
		if fs.Merge(err) == nil && err == nil {
			switch {
			case !start.IsZero() && end.Before(start):
				fs.Add("end", "date_order", "离职日期不能早于入职日期")
			default:
				checkDateBounds(&fs, "end", "离职日期", end, today)
			}
		}
	}
	return fs.Err()
}

// EarliestDate is the first day a registry date may name: employment and
// contribution records of the insurance start long after it, so an earlier
// date is a typing error (0001-01-01, 1800-01-01).
var EarliestDate = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)

// checkDateBounds refuses a date before EarliestDate or after today.
func checkDateBounds(fs *errs.Fields, field, label string, d, today time.Time) {
	switch {
	case d.Before(EarliestDate):
		fs.Add(field, "date_too_early", "%s不能早于%s，当前为%s", label, EarliestDate.Format("2006-01-02"), d.Format("2006-01-02"))
	case d.After(civilDay(today)):
		fs.Add(field, "date_future", "%s不能晚于今天（%s）", label, civilDay(today).Format("2006-01-02"))
	}
}

// civilDay is the calendar day of an instant in China Standard Time, as a
// UTC midnight like ParseDate's results.
func civilDay(t time.Time) time.Time {
	y, m, d := t.In(cst).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var cst = time.FixedZone("CST", 8*3600)

// Wage is one month's contribution wage (缴费工资) of a worker, in fen.
type Wage struct {
	WorkerID   int64  `json:"worker_id"`
	EmployerID int64  `json:"employer_id"`
	Period     string `json:"period"` // YYYY-MM
	AmountFen  int64  `json:"amount_fen"`
}

// Validate checks period and amount: a real month from 1950-01 to the
// current month (a contribution is recorded for a month already worked).
func (w *Wage) Validate(today time.Time) error {
	var fs errs.Fields
	if p, err := time.Parse("2006-01", w.Period); err != nil || len(w.Period) != 7 {
		fs.Add("period", "period_format", "缴费月份应为YYYY-MM格式，当前为“%s”", w.Period)
	} else {
		day := civilDay(today)
		current := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		switch {
		case p.Before(EarliestDate):
			fs.Add("period", "period_too_early", "缴费月份不能早于%s，当前为%s", EarliestDate.Format("2006-01"), w.Period)
		case p.After(current):
			fs.Add("period", "period_future", "缴费月份不能晚于本月（%s），当前为%s", current.Format("2006-01"), w.Period)
		}
	}
	if w.AmountFen <= 0 || w.AmountFen > 100_000_000 {
		fs.Add("amount", "amount_range", "缴费工资应大于0且不超过100万元")
	}
	return fs.Err()
}

// ParseDate parses a civil date YYYY-MM-DD, rejecting impossible dates.
func ParseDate(field, label, s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || len(s) != 10 {
		return time.Time{}, errs.Field(field, "date_format", "%s“%s”不是有效日期（格式YYYY-MM-DD）", label, s)
	}
	return t, nil
}
