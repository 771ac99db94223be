package prevention

import (
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// A training session (培训场次) is one sitting of a training project: a
// date inside its plan's year, a place or online, the enterprises taught,
// the expert, the topic, the seats (capacity) and the attendance planned.
// Its attendance is recorded per person — from an enterprise's roster,
// by self check-in on a phone at the session, or by hand — and refused
// above the capacity or for a person already on it.

// Session states.
const (
	SessionPlanned   = "planned"
	SessionHeld      = "held"
	SessionClosed    = "closed"
	SessionCancelled = "cancelled"
)

// SessionStates names the states.
var SessionStates = map[string]string{SessionPlanned: "待举办", SessionHeld: "已举办", SessionClosed: "已验收", SessionCancelled: "已取消"}

// Attendance sources.
const (
	SourceRoster  = "roster"
	SourceCheckin = "checkin"
	SourceManual  = "manual"
)

// AttendanceSources names the sources.
var AttendanceSources = map[string]string{SourceRoster: "名单导入", SourceCheckin: "扫码签到", SourceManual: "手工登记"}

// AttendeeAudiences are the kinds of people a training teaches (the
// issue's 分管负责人, 安全管理负责人, 技术骨干, 班组长…): a plan's audiences and 其他.
var AttendeeAudiences = append(append([]string(nil), Audiences...), "其他")

// Text limits.
const (
	MaxTopic    = 100
	MaxPlace    = 100
	MaxName     = 30
	MaxEmployer = 100
	MaxCapacity = 100000
)

// SessionInput is a session as entered.
type SessionInput struct {
	HeldOn      string   // YYYY-MM-DD
	Place       string   // required unless Online
	Online      bool     //
	Capacity    int      // seats (online: the platform's limit)
	Planned     int      // attendance planned
	Enterprises []string // names of the enterprises taught
	ExpertID    int64    // 0: no expert (the insurer's or an organisation's own staff teach)
	Topic       string
}

// SessionContext is what a session is checked against: its project and
// plan, and whether its expert may teach (prevention.MayTeach of the
// expert pool: an active expert).
type SessionContext struct {
	PlanYear       int
	PlanApproved   bool
	ProjectKind    string // training, publicity
	ProjectState   string // planned, accepted, paid, cancelled
	ExpertMayTeach bool
	ExpertName     string
}

// Normalize trims the text of a session.
func (in *SessionInput) Normalize() {
	in.Place, in.Topic, in.HeldOn = strings.TrimSpace(in.Place), strings.TrimSpace(in.Topic), strings.TrimSpace(in.HeldOn)
	var es []string
	for _, e := range in.Enterprises {
		if e = strings.TrimSpace(e); e != "" {
			es = append(es, e)
		}
	}
	in.Enterprises = es
}

// ValidSession checks a session against its project, plan and expert;
// every problem is a field error naming the field.
func ValidSession(in SessionInput, c SessionContext) error {
	var fs errs.Fields
	if !c.PlanApproved {
		fs.Add("project_id", "plan_not_approved", "该项目所属的年度计划尚未批准，不能安排培训场次")
	}
	switch {
	case c.ProjectKind != "training":
		fs.Add("project_id", "not_training", "该项目是宣传项目，不能安排培训场次")
	case c.ProjectState == "cancelled" || c.ProjectState == "paid":
		fs.Add("project_id", "project_closed", "该项目已%s，不能再安排培训场次", map[string]string{"cancelled": "取消", "paid": "支付"}[c.ProjectState])
	}
	if d, err := time.Parse(time.DateOnly, in.HeldOn); err != nil {
		fs.Add("held_on", "date", "培训日期应为YYYY-MM-DD格式的日期")
	} else if d.Year() != c.PlanYear {
		fs.Add("held_on", "outside_year", "培训日期%s不在计划年度%d年内", in.HeldOn, c.PlanYear)
	}
	if !in.Online && in.Place == "" {
		fs.Add("place", "required", "线下培训须填写培训地点")
	}
	textField(&fs, "place", "培训地点", in.Place, MaxPlace, false)
	textField(&fs, "topic", "培训主题", in.Topic, MaxTopic, true)
	for _, e := range in.Enterprises {
		textField(&fs, "enterprises", "参训企业", e, MaxEmployer, false)
	}
	switch {
	case in.Capacity <= 0 || in.Capacity > MaxCapacity:
		fs.Add("capacity", "range", "容纳人数应为1–%d的整数", MaxCapacity)
	case in.Planned < 0:
		fs.Add("planned", "range", "计划人数不能为负数")
	case in.Planned > in.Capacity:
		fs.Add("planned", "over_capacity", "计划人数%d超过场地容纳人数%d", in.Planned, in.Capacity)
	}
	if in.ExpertID != 0 && !c.ExpertMayTeach {
		name := c.ExpertName
		if name == "" {
			name = "所选专家"
		}
		fs.Add("expert_id", "expert_inactive", "%s不在专家库的在库状态（暂停或已移出），不能授课", name)
	}
	return fs.Err()
}

func textField(fs *errs.Fields, field, label, v string, max int, required bool) {
	if err := registry.CleanText(field, label, v); err != nil {
		fs.Add(field, "bad_chars", "%s含有不允许的字符", label)
		return
	}
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && required:
		fs.Add(field, "required", "%s不能为空", label)
	case n > max:
		fs.Add(field, "too_long", "%s最多%d个字，当前%d个字", label, max, n)
	}
}

// Attendee is one person on a session's attendance.
type Attendee struct {
	Name     string
	IDNumber string // GB 11643 居民身份证号码
	Employer string
	Audience string // one of AttendeeAudiences, or ""
}

// Normalize trims an attendee's fields and upper-cases a trailing x.
func (a *Attendee) Normalize() {
	a.Name, a.Employer, a.Audience = strings.TrimSpace(a.Name), strings.TrimSpace(a.Employer), strings.TrimSpace(a.Audience)
	a.IDNumber = registry.NormalizeIDNumber(strings.ToUpper(strings.TrimSpace(a.IDNumber)))
}

// Masked is the attendee with the ID number masked.
func (a Attendee) Masked() string { return pii.MaskID(a.IDNumber) }

// ValidAttendee checks one attendee (normalized): a name, a valid ID
// number, the employer, an audience from the list.
func ValidAttendee(a Attendee, today time.Time) error {
	var fs errs.Fields
	textField(&fs, "name", "姓名", a.Name, MaxName, true)
	if a.IDNumber == "" {
		fs.Add("id_number", "required", "身份证号码不能为空")
	} else if _, err := registry.ParseIDNumber("id_number", a.IDNumber, today); err != nil {
		var e *errs.Error
		if ok := asErr(err, &e); ok && len(e.Fields) > 0 {
			fs = append(fs, e.Fields...)
		} else {
			fs.Add("id_number", "id_format", "身份证号码无效")
		}
	}
	textField(&fs, "employer", "工作单位", a.Employer, MaxEmployer, true)
	if a.Audience != "" && !contains(AttendeeAudiences, a.Audience) {
		fs.Add("audience", "choice", "人员类别“%s”不在可选范围内（%s）", a.Audience, strings.Join(AttendeeAudiences, "、"))
	}
	return fs.Err()
}

// Admission is what a session's attendance holds when people are added.
type Admission struct {
	Capacity int
	Present  int                        // attendees already recorded
	Already  func(idNumber string) bool // whether a person is already recorded
}

// RowProblem is one problem of an attendance row (row 0: not of a row).
type RowProblem struct {
	Row   int    // index in the batch, from 0
	Field string // id_number, name, employer, audience, capacity
	Code  string
	Msg   string
}

// Admit checks a batch of attendees (normalized) against each other and
// the session: each row valid, no person twice in the batch or already
// recorded, and no more people than seats. It returns every problem; the
// batch is taken whole or not at all.
func Admit(batch []Attendee, adm Admission, today time.Time) []RowProblem {
	var out []RowProblem
	seen := map[string]int{}
	good := 0
	for i, a := range batch {
		if err := ValidAttendee(a, today); err != nil {
			var e *errs.Error
			if asErr(err, &e) {
				for _, f := range e.Fields {
					out = append(out, RowProblem{Row: i, Field: f.Field, Code: f.Code, Msg: f.Message})
				}
			}
			continue
		}
		if j, ok := seen[a.IDNumber]; ok {
			out = append(out, RowProblem{Row: i, Field: "id_number", Code: "duplicate",
				Msg: "身份证号码" + a.Masked() + "与第" + itoa(j+1) + "条重复，同一人在一个场次只登记一次"})
			continue
		}
		seen[a.IDNumber] = i
		if adm.Already != nil && adm.Already(a.IDNumber) {
			out = append(out, RowProblem{Row: i, Field: "id_number", Code: "already", Msg: "身份证号码" + a.Masked() + "的人员已在本场次签到名单中"})
			continue
		}
		good++
	}
	if len(out) == 0 && adm.Present+good > adm.Capacity {
		out = append(out, RowProblem{Row: -1, Field: "capacity", Code: "over_capacity",
			Msg: "参训人数将达" + itoa(adm.Present+good) + "人，超过场地容纳人数" + itoa(adm.Capacity) + "人（已登记" + itoa(adm.Present) + "人）"})
	}
	return out
}
