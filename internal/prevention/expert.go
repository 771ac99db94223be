package prevention

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// The expert pool (工伤预防培训专家库): the city's trainers, recommended by
// an industry department (行业部门推荐), listed by specialty (按专业领域),
// managed dynamically (动态管理: an expert is suspended, reinstated or
// removed, each time with a reason), and their courseware reviewed
// centrally (课件统一论证) before it is taught. Only an active expert may be
// given a new training session (MayTeach).

// Specialty is an expert's field (专业领域).
type Specialty string

// The specialties, in the order the pool lists them.
const (
	SpecialtySafety       Specialty = "safety"        // 安全生产
	SpecialtyOccupational Specialty = "occupational"  // 职业病防治
	SpecialtyHazchem      Specialty = "hazchem"       // 危险化学品
	SpecialtyConstruction Specialty = "construction"  // 建筑施工
	SpecialtyMining       Specialty = "mining"        // 矿山
	SpecialtyTransport    Specialty = "transport"     // 交通运输
	SpecialtyMachinery    Specialty = "machinery"     // 机械制造
	SpecialtyFire         Specialty = "fire"          // 消防
	SpecialtyEmergency    Specialty = "emergency"     // 应急救援
	SpecialtyEquipment    Specialty = "equipment"     // 特种设备
	SpecialtyElectrical   Specialty = "electrical"    // 电气安全
	SpecialtyPolicy       Specialty = "policy"        // 工伤保险政策
	SpecialtyRehab        Specialty = "rehab"         // 工伤康复
	SpecialtyPsychology   Specialty = "psychology"    // 职业心理健康
	SpecialtyOther        Specialty = "other_special" // 其他
)

// Specialties lists every specialty in order.
var Specialties = []Specialty{SpecialtySafety, SpecialtyOccupational, SpecialtyHazchem, SpecialtyConstruction, SpecialtyMining,
	SpecialtyTransport, SpecialtyMachinery, SpecialtyFire, SpecialtyEmergency, SpecialtyEquipment, SpecialtyElectrical,
	SpecialtyPolicy, SpecialtyRehab, SpecialtyPsychology, SpecialtyOther}

var specialtyNames = map[Specialty]string{
	SpecialtySafety: "安全生产", SpecialtyOccupational: "职业病防治", SpecialtyHazchem: "危险化学品", SpecialtyConstruction: "建筑施工",
	SpecialtyMining: "矿山", SpecialtyTransport: "交通运输", SpecialtyMachinery: "机械制造", SpecialtyFire: "消防",
	SpecialtyEmergency: "应急救援", SpecialtyEquipment: "特种设备", SpecialtyElectrical: "电气安全", SpecialtyPolicy: "工伤保险政策",
	SpecialtyRehab: "工伤康复", SpecialtyPsychology: "职业心理健康", SpecialtyOther: "其他",
}

// Valid reports whether s is a known specialty.
func (s Specialty) Valid() bool { _, ok := specialtyNames[s]; return ok }

// Name is the specialty's Chinese name (the code itself when unknown).
func (s Specialty) Name() string {
	if n, ok := specialtyNames[s]; ok {
		return n
	}
	return string(s)
}

// Department is the department that recommended an expert (推荐部门).
type Department string

// The recommending departments: the joint meeting's members that
// recommend trainers, and the social insurance side itself.
const (
	DeptEmergency Department = "emergency" // 应急管理局
	DeptHealth    Department = "health"    // 卫生健康委员会
	DeptHousing   Department = "housing"   // 住房和城乡建设局
	DeptTransport Department = "transport" // 交通运输局
	DeptIndustry  Department = "industry"  // 工业和信息化局
	DeptUnion     Department = "union"     // 总工会
	DeptMarket    Department = "market"    // 市场监督管理局
	DeptEducation Department = "education" // 教育局
	DeptFire      Department = "fire"      // 消防救援支队
	DeptHRSS      Department = "hrss"      // 人力资源和社会保障局
	DeptEnergy    Department = "energy"    // 能源局
)

// Departments lists every recommending department in order.
var Departments = []Department{DeptEmergency, DeptHealth, DeptHousing, DeptTransport, DeptIndustry, DeptUnion, DeptMarket,
	DeptEducation, DeptFire, DeptHRSS, DeptEnergy}

var departmentNames = map[Department]string{
	DeptEmergency: "应急管理局", DeptHealth: "卫生健康委员会", DeptHousing: "住房和城乡建设局", DeptTransport: "交通运输局",
	DeptIndustry: "工业和信息化局", DeptUnion: "总工会", DeptMarket: "市场监督管理局", DeptEducation: "教育局",
	DeptFire: "消防救援支队", DeptHRSS: "人力资源和社会保障局", DeptEnergy: "能源局",
}

// Valid reports whether d is a known department.
func (d Department) Valid() bool { _, ok := departmentNames[d]; return ok }

// Name is the department's Chinese name (the code itself when unknown).
func (d Department) Name() string {
	if n, ok := departmentNames[d]; ok {
		return n
	}
	return string(d)
}

// ExpertStatus is an expert's standing in the pool.
type ExpertStatus string

// The statuses: active ⇄ suspended, either → removed (final).
const (
	ExpertActive    ExpertStatus = "active"    // 在库: may teach
	ExpertSuspended ExpertStatus = "suspended" // 暂停: kept in the pool, given no new session
	ExpertRemoved   ExpertStatus = "removed"   // 移出: left the pool for good
)

// ExpertStatuses lists the statuses in order.
var ExpertStatuses = []ExpertStatus{ExpertActive, ExpertSuspended, ExpertRemoved}

var expertStatusNames = map[ExpertStatus]string{ExpertActive: "在库", ExpertSuspended: "暂停", ExpertRemoved: "已移出"}

// Valid reports whether s is a known status.
func (s ExpertStatus) Valid() bool { _, ok := expertStatusNames[s]; return ok }

// Name is the status's Chinese name.
func (s ExpertStatus) Name() string {
	if n, ok := expertStatusNames[s]; ok {
		return n
	}
	return string(s)
}

// Verb names the change to the status, as its button says.
func (s ExpertStatus) Verb() string {
	switch s {
	case ExpertActive:
		return "恢复"
	case ExpertSuspended:
		return "暂停"
	case ExpertRemoved:
		return "移出专家库"
	}
	return string(s)
}

// Limits of an expert's text fields, in characters.
const (
	MaxExpertName      = 20
	MaxExpertTitle     = 30
	MaxQualifications  = 200
	MaxExpertEmployer  = 60
	MaxStatusReason    = 200
	MaxCoursewareTopic = 60
	MaxReviewNote      = 500
)

// Expert is one member of the pool.
type Expert struct {
	ID             int64        `json:"id"`
	Name           string       `json:"name"`
	Specialty      Specialty    `json:"specialty"`
	Department     Department   `json:"department"`
	Title          string       `json:"title"`          // 职称, e.g. 高级工程师
	Qualifications string       `json:"qualifications"` // 资格, e.g. 注册安全工程师、国家安全生产培训师
	Employer       string       `json:"employer"`       // 工作单位
	Region         string       `json:"region_code"`    // the pool's city
	Status         ExpertStatus `json:"status"`
	StatusReason   string       `json:"status_reason,omitempty"`
	CreatedBy      string       `json:"created_by"`
	Version        int64        `json:"version"`
}

// Normalize trims the text fields and collapses inner runs of spaces.
func (e *Expert) Normalize() {
	e.Name = strings.Join(strings.Fields(e.Name), " ")
	e.Title = strings.Join(strings.Fields(e.Title), " ")
	e.Qualifications = strings.TrimSpace(e.Qualifications)
	e.Employer = strings.Join(strings.Fields(e.Employer), " ")
	e.Specialty = Specialty(strings.TrimSpace(string(e.Specialty)))
	e.Department = Department(strings.TrimSpace(string(e.Department)))
}

// Validate checks the expert's details (not the status, which only
// Transition changes); the error names every bad field in Chinese.
func (e Expert) Validate() error {
	var fs errs.Fields
	switch n := utf8.RuneCountInString(e.Name); {
	case n == 0:
		fs.Add("name", "required", "请填写专家姓名")
	case n > MaxExpertName:
		fs.Add("name", "too_long", "专家姓名过长（%d字），最多%d字", n, MaxExpertName)
	case strings.ContainsFunc(e.Name, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsControl(r) }):
		fs.Add("name", "format", "专家姓名不能含数字或控制字符")
	}
	if !e.Specialty.Valid() {
		fs.Add("specialty", "choice", "请选择专家的专业领域")
	}
	if !e.Department.Valid() {
		fs.Add("department", "choice", "请选择推荐部门")
	}
	if e.Title == "" && e.Qualifications == "" {
		fs.Add("title", "required", "请填写专家的职称或资格（至少一项），如高级工程师、注册安全工程师")
	}
	if n := utf8.RuneCountInString(e.Title); n > MaxExpertTitle {
		fs.Add("title", "too_long", "职称过长（%d字），最多%d字", n, MaxExpertTitle)
	}
	if n := utf8.RuneCountInString(e.Qualifications); n > MaxQualifications {
		fs.Add("qualifications", "too_long", "资格说明过长（%d字），最多%d字", n, MaxQualifications)
	}
	if n := utf8.RuneCountInString(e.Employer); n > MaxExpertEmployer {
		fs.Add("employer", "too_long", "工作单位过长（%d字），最多%d字", n, MaxExpertEmployer)
	}
	return fs.Err()
}

// Transition checks a status change from → to with its reason: active ⇄
// suspended, active or suspended → removed; a removed expert stays
// removed. Every change needs a reason (the pool is managed on the
// record: why an expert was suspended, reinstated or removed).
func Transition(from, to ExpertStatus, reason string) error {
	if !to.Valid() {
		return errs.Field("status", "choice", "专家状态应为在库、暂停或已移出")
	}
	if from == ExpertRemoved {
		return errs.E(errs.Conflict, "专家已移出专家库，状态不能再变更")
	}
	if from == to {
		return errs.E(errs.Conflict, "专家已是“%s”状态", to.Name())
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return errs.Field("reason", "required", "请填写%s的原因", to.Verb())
	case n > MaxStatusReason:
		return errs.Field("reason", "too_long", "原因过长（%d字），最多%d字", n, MaxStatusReason)
	}
	return nil
}

// NextStatuses are the statuses an expert in s may be moved to.
func NextStatuses(s ExpertStatus) []ExpertStatus {
	switch s {
	case ExpertActive:
		return []ExpertStatus{ExpertSuspended, ExpertRemoved}
	case ExpertSuspended:
		return []ExpertStatus{ExpertActive, ExpertRemoved}
	}
	return nil
}

// MayTeach reports whether an expert in status s may be given a new
// training session: only an active one.
func MayTeach(s ExpertStatus) bool { return s == ExpertActive }

// TeachError is the refusal of a new session for expert e (nil when e
// may teach), on the session's field "expert_id".
func TeachError(e Expert) error {
	if MayTeach(e.Status) {
		return nil
	}
	msg := "专家" + e.Name + e.Status.Name() + "，不能安排新的培训"
	if e.Status == ExpertSuspended || e.Status == ExpertRemoved {
		if e.StatusReason != "" {
			msg += "（原因：" + e.StatusReason + "）"
		}
	} else {
		msg = "专家" + e.Name + "状态不明，不能安排新的培训"
	}
	return errs.Field("expert_id", "expert_status", "%s", msg)
}

// CoursewareState is where a courseware revision stands in its review.
type CoursewareState string

// The courseware states: submitted → approved | rejected; an approved
// (or still submitted) revision is superseded when a later one of the
// same expert and topic is approved.
const (
	CoursewareSubmitted  CoursewareState = "submitted"  // 待论证
	CoursewareApproved   CoursewareState = "approved"   // 论证通过
	CoursewareRejected   CoursewareState = "rejected"   // 未通过
	CoursewareSuperseded CoursewareState = "superseded" // 已被新版替代
)

var coursewareStateNames = map[CoursewareState]string{CoursewareSubmitted: "待论证", CoursewareApproved: "论证通过",
	CoursewareRejected: "未通过", CoursewareSuperseded: "已被新版替代"}

// Name is the state's Chinese name.
func (s CoursewareState) Name() string {
	if n, ok := coursewareStateNames[s]; ok {
		return n
	}
	return string(s)
}

// NormalizeTopic trims a courseware topic and collapses inner spaces, so
// that revisions of one topic match.
func NormalizeTopic(topic string) string { return strings.Join(strings.Fields(topic), " ") }

// ValidTopic checks a (normalized) courseware topic.
func ValidTopic(topic string) error {
	switch n := utf8.RuneCountInString(topic); {
	case n == 0:
		return errs.Field("topic", "required", "请填写课件主题")
	case n > MaxCoursewareTopic:
		return errs.Field("topic", "too_long", "课件主题过长（%d字），最多%d字", n, MaxCoursewareTopic)
	}
	return nil
}

// MaySubmitCourseware refuses courseware of a removed expert; a
// suspended one may still submit a revised version (often the cause of
// the suspension).
func MaySubmitCourseware(e Expert) error {
	if e.Status == ExpertRemoved {
		return errs.E(errs.Conflict, "专家%s已移出专家库，不能再提交课件", e.Name)
	}
	return nil
}

// CheckCoursewareReview checks a review decision on a revision in state s: approve, or
// reject with a note saying why (the note is optional on approval).
func CheckCoursewareReview(s CoursewareState, approve bool, note string) error {
	if s != CoursewareSubmitted {
		return errs.E(errs.Conflict, "课件%s，只有待论证的课件可以论证", s.Name())
	}
	note = strings.TrimSpace(note)
	n := utf8.RuneCountInString(note)
	if !approve && n == 0 {
		return errs.Field("note", "required", "不通过时请填写论证意见（需修改之处）")
	}
	if n > MaxReviewNote {
		return errs.Field("note", "too_long", "论证意见过长（%d字），最多%d字", n, MaxReviewNote)
	}
	return nil
}

// AverageScore is the mean of the scored sessions' scores, and how many
// there were (0, 0 when none is scored).
func AverageScore(scores []*float64) (float64, int) {
	var sum float64
	var n int
	for _, s := range scores {
		if s != nil {
			sum += *s
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}
