package casebundle

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// Channel is how an application reached the agency.
type Channel string

// The channels.
const (
	ChannelWindow  Channel = "window"  // 窗口受理 by a clerk
	ChannelPortal  Channel = "portal"  // 网上申请 by the worker, a relative or the employer
	ChannelHotline Channel = "hotline" // 12333 工伤认定备案 (an injury report)
	ChannelInsurer Channel = "insurer" // 合作经办: the partner insurer's staff assisting
)

var channelNames = map[Channel]string{ChannelWindow: "窗口受理", ChannelPortal: "网上申请", ChannelHotline: "12333热线备案", ChannelInsurer: "合作经办协助"}

// Name is the Chinese label.
func (c Channel) Name() string { return channelNames[c] }

// Channels lists the channels in display order.
var Channels = []Channel{ChannelWindow, ChannelPortal, ChannelHotline, ChannelInsurer}

// Applicant is who applies for recognition (条例 Art. 17).
type Applicant string

// The applicants.
const (
	ApplicantEmployer Applicant = "employer" // 用人单位 (30 days)
	ApplicantWorker   Applicant = "worker"   // 职工本人 (1 year)
	ApplicantRelative Applicant = "relative" // 近亲属 (1 year)
	ApplicantUnion    Applicant = "union"    // 工会组织 (1 year)
)

var applicantNames = map[Applicant]string{ApplicantEmployer: "用人单位", ApplicantWorker: "职工本人", ApplicantRelative: "近亲属", ApplicantUnion: "工会组织"}

// Name is the Chinese label.
func (a Applicant) Name() string { return applicantNames[a] }

// Applicants lists the applicants in display order.
var Applicants = []Applicant{ApplicantEmployer, ApplicantWorker, ApplicantRelative, ApplicantUnion}

// InjuryKind is an accident or an occupational disease.
type InjuryKind string

// The injury kinds.
const (
	InjuryAccident InjuryKind = "accident"             // 事故伤害
	InjuryDisease  InjuryKind = "occupational_disease" // 职业病
)

var injuryNames = map[InjuryKind]string{InjuryAccident: "事故伤害", InjuryDisease: "职业病"}

// Name is the Chinese label.
func (k InjuryKind) Name() string { return injuryNames[k] }

// Checklist is the simple procedure's (简易程序) four conditions; all must hold.
type Checklist struct {
	FactsClear        bool `json:"facts_clear"`        // 事实清楚
	EmployerConfirms  bool `json:"employer_confirms"`  // 用人单位对工伤事实无异议
	MaterialsComplete bool `json:"materials_complete"` // 材料齐全
	NoThirdParty      bool `json:"no_third_party"`     // 无第三方争议
}

// Complete reports whether every condition holds.
func (c Checklist) Complete() bool {
	return c.FactsClear && c.EmployerConfirms && c.MaterialsComplete && c.NoThirdParty
}

// Missing names the conditions that do not hold.
func (c Checklist) Missing() []string {
	var out []string
	for _, x := range []struct {
		ok   bool
		name string
	}{{c.FactsClear, "事实清楚"}, {c.EmployerConfirms, "用人单位对工伤事实无异议"}, {c.MaterialsComplete, "材料齐全"}, {c.NoThirdParty, "无第三方争议"}} {
		if !x.ok {
			out = append(out, x.name)
		}
	}
	return out
}

// Case is one 工伤一件事: one worker, one injury, one employer.
type Case struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"` // GS370881-2025-000123
	RegionCode string `json:"region_code"`
	WorkerID   int64  `json:"worker_id"`
	EmployerID int64  `json:"employer_id"`

	InjuryDate      string     `json:"injury_date"`      // 事故伤害发生或职业病诊断之日, YYYY-MM-DD
	ApplicationDate string     `json:"application_date"` // 收到申请之日
	InjuryKind      InjuryKind `json:"injury_kind"`
	Channel         Channel    `json:"channel"`
	Applicant       Applicant  `json:"applicant"`
	ApplicantName   string     `json:"applicant_name"`

	Place       string `json:"place"`        // 事故地点
	Cause       string `json:"cause"`        // 事故经过
	InjuredPart string `json:"injured_part"` // 受伤部位
	Diagnosis   string `json:"diagnosis"`    // 诊断
	Hospital    string `json:"hospital"`     // 就诊医院 (the experts' recusal)

	// DeFacto records a claim of a de-facto labour relation: the registry
	// shows no employment with this employer on the injury date. Such a case
	// is examined on the evidence, never refused silently.
	DeFacto bool `json:"de_facto"`
	// EmployerDisputes records an employer's denial of the injury: the burden
	// of proof is the employer's (条例 Art. 19 ¶2).
	EmployerDisputes bool `json:"employer_disputes"`
	// ExcludedDays are days not counted in the worker's one-year period
	// (法释〔2014〕9号 Art. 7), with the reason.
	ExcludedDays   int    `json:"excluded_days"`
	ExcludedReason string `json:"excluded_reason"`

	Simple         bool      `json:"simple"`
	Checklist      Checklist `json:"checklist"`
	FallbackReason string    `json:"fallback_reason"` // why a simple case went back to the normal procedure

	// Late is set when the application came after its period: for an
	// employer, benefits arising in the delay are the employer's to pay.
	Late bool `json:"late"`

	OpenedBy  int64     `json:"opened_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`

	Services []Service `json:"services"`
}

// Service returns the case's service of a kind, or nil.
func (c *Case) Service(k ServiceKind) *Service {
	for i := range c.Services {
		if c.Services[i].Kind == k {
			return &c.Services[i]
		}
	}
	return nil
}

// ServiceByID returns the case's service with id, or nil.
func (c *Case) ServiceByID(id int64) *Service {
	for i := range c.Services {
		if c.Services[i].ID == id {
			return &c.Services[i]
		}
	}
	return nil
}

var numberRe = regexp.MustCompile(`^GS(\d{6})-(\d{4})-(\d{6})$`)

// FormatNumber is the case number people read: GS, the region, the year of
// the application and a six-digit sequence within region and year.
func FormatNumber(region string, year int, seq int64) string {
	return fmt.Sprintf("GS%s-%04d-%06d", region, year, seq)
}

// ParseNumber splits a case number; ok is false when s is not one.
func ParseNumber(s string) (region string, year int, seq int64, ok bool) {
	m := numberRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", 0, 0, false
	}
	year, _ = strconv.Atoi(m[2])
	seq, _ = strconv.ParseInt(m[3], 10, 64)
	return m[1], year, seq, true
}

// Limits on the free-text fields, in characters.
const (
	maxShortText = 100
	maxLongText  = 2000
)

// Normalize trims the text fields.
func (c *Case) Normalize() {
	for _, p := range []*string{&c.ApplicantName, &c.Place, &c.Cause, &c.InjuredPart, &c.Diagnosis, &c.Hospital,
		&c.ExcludedReason, &c.FallbackReason, &c.InjuryDate, &c.ApplicationDate} {
		*p = strings.TrimSpace(*p)
	}
	if c.InjuryKind == "" {
		c.InjuryKind = InjuryAccident
	}
}

// ParseDate reads a civil date (YYYY-MM-DD) as UTC midnight.
func ParseDate(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// earliestDate is the plausibility bound shared with the registry.
const earliestDate = "1950-01-01"

// Validate checks an application on the day today (a civil date in China
// Standard Time). Each problem names its field in Chinese.
func (c *Case) Validate(today time.Time) error {
	var fs errs.Fields
	day := today.Format(time.DateOnly)
	if c.WorkerID <= 0 {
		fs.Add("worker_id", "required", "请选择受伤职工")
	}
	if c.EmployerID <= 0 {
		fs.Add("employer_id", "required", "请选择用人单位")
	}
	if _, ok := channelNames[c.Channel]; !ok {
		fs.Add("channel", "invalid", "申请渠道无效，可选：窗口受理、网上申请、12333热线备案、合作经办协助")
	}
	if _, ok := applicantNames[c.Applicant]; !ok {
		fs.Add("applicant", "invalid", "申请人无效，可选：用人单位、职工本人、近亲属、工会组织")
	}
	if _, ok := injuryNames[c.InjuryKind]; !ok {
		fs.Add("injury_kind", "invalid", "伤害类别无效，可选：事故伤害、职业病")
	}
	inj, injOK := ParseDate(c.InjuryDate)
	app, appOK := ParseDate(c.ApplicationDate)
	switch {
	case c.InjuryDate == "":
		fs.Add("injury_date", "required", "请填写受伤（诊断）日期")
	case !injOK:
		fs.Add("injury_date", "date_format", "受伤（诊断）日期“%s”无效（格式YYYY-MM-DD）", c.InjuryDate)
	case c.InjuryDate < earliestDate:
		fs.Add("injury_date", "date_range", "受伤（诊断）日期不能早于1950-01-01")
	case c.InjuryDate > day:
		fs.Add("injury_date", "future", "受伤（诊断）日期不能晚于今天（%s）", day)
	}
	switch {
	case c.ApplicationDate == "":
		fs.Add("application_date", "required", "请填写申请日期")
	case !appOK:
		fs.Add("application_date", "date_format", "申请日期“%s”无效（格式YYYY-MM-DD）", c.ApplicationDate)
	case c.ApplicationDate > day:
		fs.Add("application_date", "future", "申请日期不能晚于今天（%s）", day)
	case injOK && app.Before(inj):
		fs.Add("application_date", "before_injury", "申请日期不能早于受伤（诊断）日期%s", c.InjuryDate)
	}
	text := []struct {
		v, field, label string
		max             int
		required        bool
	}{
		{c.ApplicantName, "applicant_name", "申请人姓名（名称）", maxShortText, true},
		{c.Place, "place", "事故地点", maxShortText, c.InjuryKind == InjuryAccident},
		{c.Cause, "cause", "事故经过", maxLongText, true},
		{c.InjuredPart, "injured_part", "受伤部位", maxShortText, c.InjuryKind == InjuryAccident},
		{c.Diagnosis, "diagnosis", "诊断", maxShortText, true},
		{c.Hospital, "hospital", "就诊医院", maxShortText, false},
		{c.ExcludedReason, "excluded_reason", "不计入申请时限的事由", maxLongText, c.ExcludedDays > 0},
	}
	for _, x := range text {
		n := utf8.RuneCountInString(x.v)
		switch {
		case x.required && n == 0:
			fs.Add(x.field, "required", "请填写%s", x.label)
		case n > x.max:
			fs.Add(x.field, "too_long", "%s不能超过%d个字（现有%d个）", x.label, x.max, n)
		}
	}
	if c.ExcludedDays < 0 || c.ExcludedDays > 3650 {
		fs.Add("excluded_days", "range", "不计入申请时限的天数应在0–3650之间")
	}
	return fs.Err()
}
