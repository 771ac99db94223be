package expertpool

import (
	"slices"
	"strings"
	"time"

	"gongshang/internal/errs"
)

// Status is an expert's standing in the pool.
type Status string

// Statuses.
const (
	StatusActive    Status = "active"    // 在聘: may be drawn
	StatusSuspended Status = "suspended" // 暂停: kept, not drawn
	StatusRetired   Status = "retired"   // 退出: left the pool
)

var statusNames = map[Status]string{StatusActive: "在聘", StatusSuspended: "暂停", StatusRetired: "退出"}

// Name is the Chinese name of the status.
func (s Status) Name() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return string(s)
}

// SeniorTitles are the titles 令55号 Art. 24 accepts as 高级专业技术职称:
// the clinical ones, and the teaching, research and engineering ones a
// device expert may hold.
var SeniorTitles = []string{
	"主任医师", "副主任医师",
	"主任技师", "副主任技师",
	"教授", "副教授",
	"研究员", "副研究员",
	"正高级工程师", "高级工程师",
}

// TermYears is the length of an expert's term (令55号 Arts. 24–25).
const TermYears = 3

// Expert is one member of the expert pool (专家库).
type Expert struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Group        Group     `json:"group"`
	Hospital     string    `json:"hospital"`                // where the expert works
	HospitalCode string    `json:"hospital_code,omitempty"` // the hospital's institution code, when known
	Title        string    `json:"title"`                   // 职称, one of SeniorTitles
	Status       Status    `json:"status"`
	TermStart    time.Time `json:"term_start"` // first day of the term (civil date)
	TermEnd      time.Time `json:"term_end"`   // last day of the term, at most TermYears after TermStart

	// Declared conflicts (申报回避): employers the expert must not assess
	// for, and hospitals whose patients the expert must not assess.
	ConflictEmployers []int64  `json:"conflict_employers,omitempty"`
	ConflictHospitals []string `json:"conflict_hospitals,omitempty"`
}

// Normalize trims the text fields.
func (e *Expert) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	e.Hospital = strings.TrimSpace(e.Hospital)
	e.HospitalCode = strings.TrimSpace(e.HospitalCode)
	e.Title = strings.TrimSpace(e.Title)
	for i, h := range e.ConflictHospitals {
		e.ConflictHospitals[i] = strings.TrimSpace(h)
	}
}

// Validate checks every field; the error names each bad one in Chinese.
func (e Expert) Validate() error {
	var fs errs.Fields
	if e.Name == "" {
		fs.Add("name", "required", "请填写专家姓名")
	}
	if !e.Group.Valid() {
		fs.Add("group", "unknown", "专家门类无效（%s），应为GB/T 16180的五个门类之一或辅助器具专家", e.Group)
	}
	if e.Hospital == "" {
		fs.Add("hospital", "required", "请填写专家所在医疗机构")
	}
	if !slices.Contains(SeniorTitles, e.Title) {
		fs.Add("title", "not_senior", "专家须具有高级专业技术职称（如主任医师、副主任医师），收到“%s”", e.Title)
	}
	if _, ok := statusNames[e.Status]; !ok {
		fs.Add("status", "unknown", "专家状态无效（%s），应为在聘、暂停或退出", e.Status)
	}
	validateTerm(&fs, e.TermStart, e.TermEnd)
	for _, h := range e.ConflictHospitals {
		if h == "" {
			fs.Add("conflict_hospitals", "empty", "申报回避的医疗机构名称不能为空")
			break
		}
	}
	return fs.Err()
}

// validateTerm checks that the term is set, ends after it starts and lasts
// at most TermYears.
func validateTerm(fs *errs.Fields, start, end time.Time) {
	switch {
	case start.IsZero():
		fs.Add("term_start", "required", "请填写聘期开始日期")
	case end.IsZero():
		fs.Add("term_end", "required", "请填写聘期结束日期")
	case end.Before(start):
		fs.Add("term_end", "before_start", "聘期结束日期不能早于开始日期")
	case end.After(start.AddDate(TermYears, 0, 0)):
		fs.Add("term_end", "too_long", "专家聘期不超过%d年（令55号第二十四条），结束日期最迟为%s", TermYears, start.AddDate(TermYears, 0, 0).Format("2006年1月2日"))
	}
}

// InTerm reports whether the term covers the civil date on (both ends
// included).
func (e Expert) InTerm(on time.Time) bool {
	d := civil(on)
	return !d.Before(civil(e.TermStart)) && !d.After(civil(e.TermEnd))
}

// WorksAt reports whether the expert works at hospital, given by name or
// by institution code.
func (e Expert) WorksAt(hospital string) bool {
	h := strings.TrimSpace(hospital)
	return h != "" && (h == e.Hospital || (e.HospitalCode != "" && h == e.HospitalCode))
}

// civil is the calendar date of t as a UTC midnight.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
