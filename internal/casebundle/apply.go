package casebundle

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// Env is what an action is decided against besides the case itself.
type Env struct {
	Today  time.Time        // civil date in China Standard Time
	Actor  access.Principal // who acts
	Params *param.Resolver  // the case region's parameters, for the clocks
	// Missing lists, per service, the material codes nothing satisfies yet
	// (Resolve), so acceptance can be refused and a notice checked.
	Missing map[ServiceKind][]string
}

// Event is one recorded move of a service.
type Event struct {
	ServiceID int64       `json:"service_id"`
	Service   ServiceKind `json:"service"`
	Action    ActionName  `json:"action"` // "" for a move caused by another service's action
	From, To  State       `json:"-"`
	On        string      `json:"on"`
	Note      string      `json:"note,omitempty"`
}

// Apply performs action a on the case's service svcID: checks the
// principal, the state and the inputs, moves the service, lets the other
// services follow (a positive recognition starts the prepared assessment,
// a conclusion readies the benefit decision), and recomputes every clock.
// On error nothing in c is changed.
func (c *Case) Apply(svcID int64, a Action, env Env) ([]Event, error) {
	work := c.clone()
	svc := work.ServiceByID(svcID)
	if svc == nil {
		return nil, errs.E(errs.NotFound, "该案件没有这项业务")
	}
	if a.Version != nil && *a.Version != svc.Version {
		return nil, &errs.Error{Kind: errs.Conflict, Message: "已被他人修改，请刷新后重试",
			Fields: []errs.FieldError{{Field: "version", Code: "version_conflict", Message: "已被他人修改，请刷新后重试"}}}
	}
	t, err := find(env.Actor, svc, a.Name)
	if err != nil {
		return nil, err
	}
	on, err := actDate(work, a, env.Today)
	if err != nil {
		return nil, err
	}
	from := svc.State
	note, err := work.perform(svc, t, a, on, env)
	if err != nil {
		return nil, err
	}
	events := []Event{{ServiceID: svc.ID, Service: svc.Kind, Action: a.Name, From: from, To: svc.State, On: on, Note: note}}
	events = append(events, work.cascade(svc, on)...)
	if err := work.Reclock(env.Params); err != nil {
		return nil, err
	}
	*c = *work
	return events, nil
}

func (c *Case) clone() *Case {
	w := *c
	w.Services = make([]Service, len(c.Services))
	for i, s := range c.Services {
		s.Suspensions = slices.Clone(s.Suspensions)
		s.Detail.Missing = slices.Clone(s.Detail.Missing)
		s.Detail.Investigators = slices.Clone(s.Detail.Investigators)
		s.Detail.PanelIDs = slices.Clone(s.Detail.PanelIDs)
		s.Detail.Clauses = slices.Clone(s.Detail.Clauses)
		s.Detail.Lines = slices.Clone(s.Detail.Lines)
		w.Services[i] = s
	}
	return &w
}

// perform applies one transition's effect to svc; the returned note sums
// it up for the case history.
func (c *Case) perform(svc *Service, t transition, a Action, on string, env Env) (string, error) {
	d := &svc.Detail
	next := t.to
	var note string
	switch a.Name {
	case ActNotice:
		if err := c.checkNotice(svc, a.Missing, env.Missing[svc.Kind]); err != nil {
			return "", err
		}
		d.Missing, d.NoticeOn = slices.Clone(a.Missing), on
		note = "告知补正：" + MaterialNames(a.Missing)
	case ActCorrected:
		d.CorrectedOn, d.Missing = on, nil
		next = Corrected
		if svc.Kind.IsAssessment() || svc.Kind.IsConfirmation() {
			next, d.ReceivedOn = Received, on // the complete application counts from the correction
		}
	case ActAccept:
		if err := c.checkAcceptable(env); err != nil {
			return "", err
		}
		d.AcceptedOn = on
	case ActRefuse, ActTerminate, ActAbandon, ActSendBack:
		if err := required("reason", "理由", a.Reason, maxLongText); err != nil {
			return "", err
		}
		d.Reason, note = strings.TrimSpace(a.Reason), strings.TrimSpace(a.Reason)
		if a.Name == ActRefuse {
			d.DecidedOn = on
		}
	case ActInvestigate:
		if err := checkInvestigators(a.Investigators); err != nil {
			return "", err
		}
		d.Investigators, d.Evidence = trimAll(a.Investigators), strings.TrimSpace(a.Evidence)
		note = "调查人员：" + strings.Join(d.Investigators, "、")
	case ActSuspend:
		if err := required("reason", "中止事由", a.Reason, maxLongText); err != nil {
			return "", err
		}
		d.Reason, d.SuspendedOn, d.ResumeState = strings.TrimSpace(a.Reason), on, svc.State
		note = d.Reason
	case ActResume:
		if err := resume(svc, on); err != nil {
			return "", err
		}
		next = d.ResumeState
		d.ResumeState, d.SuspendedOn = "", ""
	case ActDecide:
		if err := decide(d, a); err != nil {
			return "", err
		}
		d.DecidedOn = on
		note = d.Outcome.Name() + "（" + d.Ground + "）"
	case ActDeliver:
		d.DeliveredOn = on
	case ActAppeal:
		if a.AppealKind != "review" && a.AppealKind != "lawsuit" {
			return "", errs.Field("appeal_kind", "invalid", "请选择救济途径：行政复议或行政诉讼")
		}
		d.AppealKind, d.AppealFiledOn, d.AppealResult = a.AppealKind, on, ""
	case ActAppealEnd:
		switch a.AppealResult {
		case "upheld":
			next = Delivered
			if d.Outcome == "" {
				next = NotAccepted
			}
		case "revoked":
			next, d.Outcome, d.Ground, d.DecidedOn, d.DeliveredOn = Accepted, "", "", "", ""
			d.AcceptedOn = on // the agency decides again: the limit runs from the ruling
		default:
			return "", errs.Field("appeal_result", "invalid", "请选择复议或诉讼结果：维持或撤销")
		}
		d.AppealResult = a.AppealResult
	default:
		return c.performLater(svc, t, a, on, env)
	}
	svc.State = next
	return note, nil
}

// performLater handles the assessment, confirmation and benefit actions.
func (c *Case) performLater(svc *Service, t transition, a Action, on string, env Env) (string, error) {
	d := &svc.Detail
	next := t.to
	var note string
	switch a.Name {
	case ActReceive:
		if rec := c.Service(Recognition); svc.Kind == InitialAssess && (rec == nil || !rec.Detail.Outcome.Positive()) {
			return "", errs.E(errs.Conflict, "工伤认定决定作出前不能接收劳动能力鉴定申请")
		}
		d.ReceivedOn = on
	case ActDrawPanel:
		if a.PanelSize != 3 && a.PanelSize != 5 {
			return "", errs.Field("panel_size", "invalid", "专家组人数应为3人或5人（条例第二十五条）")
		}
		if len(a.PanelIDs) != a.PanelSize || a.PanelSeed == "" {
			return "", errs.Field("panel_ids", "invalid", "专家组抽取结果不完整：应有%d名专家和抽取种子", a.PanelSize)
		}
		d.PanelSize, d.PanelIDs, d.PanelSeed = a.PanelSize, slices.Clone(a.PanelIDs), a.PanelSeed
		note = fmt.Sprintf("随机抽取%d名专家", a.PanelSize)
	case ActSchedule, ActReschedule:
		if err := schedule(svc, a, on); err != nil {
			return "", err
		}
		note = "鉴定日期 " + d.ExamOn + " " + d.ExamPlace
	case ActExtend:
		if d.Extended {
			return "", errs.E(errs.Conflict, "鉴定期限已延长过一次，不能再次延长")
		}
		if err := required("reason", "延长理由", a.Reason, maxLongText); err != nil {
			return "", err
		}
		d.Extended, d.Reason, next, note = true, strings.TrimSpace(a.Reason), svc.State, strings.TrimSpace(a.Reason)
	case ActConclude:
		if err := conclude(d, a); err != nil {
			return "", err
		}
		d.DecidedOn = on
		note = LevelName(d.Level)
		if d.CareLevel != CareNone {
			note += "，" + d.CareLevel.Name()
		}
	case ActDeliver:
		d.DeliveredOn = on
	case ActConfirm:
		if a.Granted == nil {
			return "", errs.Field("granted", "required", "请选择确认结论：予以确认或不予确认")
		}
		d.Granted, d.DecidedOn = *a.Granted, on
		note = map[bool]string{true: "予以确认", false: "不予确认"}[d.Granted]
		if a.Reason != "" {
			d.Reason = strings.TrimSpace(a.Reason)
		}
	case ActPrecheck:
		if err := required("notes", "预审意见", a.Notes, maxLongText); err != nil {
			return "", err
		}
		d.Notes, next, note = strings.TrimSpace(a.Notes), svc.State, strings.TrimSpace(a.Notes)
	case ActCompute:
		p := a.Proposal
		if p == nil || p.BaseWageFen <= 0 {
			return "", errs.E(errs.Conflict, "待遇须按本案事实核算后提交")
		}
		if p.Corrected {
			if err := required("reason", "更正月平均缴费工资的依据", a.Reason, maxLongText); err != nil {
				return "", err
			}
			d.Reason = strings.TrimSpace(a.Reason)
		}
		d.BaseWageFen, d.TotalFen, d.MonthlyFen, d.Lines = p.BaseWageFen, p.TotalFen, p.MonthlyFen, slices.Clone(p.Lines)
		d.AvgWageFen, d.Corrected = p.AvgFen, p.Corrected
		note = "一次性待遇 " + Yuan(p.TotalFen) + "，按月待遇 " + Yuan(p.MonthlyFen) + "/月"
		d.PreparedBy, d.PreparedName, d.ApprovedBy, d.ApprovedName = env.Actor.UserID, env.Actor.Name, 0, ""
	case ActApprove:
		if env.Actor.UserID == 0 || env.Actor.UserID == d.PreparedBy {
			return "", errs.E(errs.Forbidden, "核算与复核不能为同一人：本核定由%s核算，须由另一名经办人员复核", d.PreparedName)
		}
		d.ApprovedBy, d.ApprovedName, d.DecidedOn = env.Actor.UserID, env.Actor.Name, on
	}
	svc.State = next
	return note, nil
}

// cascade lets the other services follow a move of svc.
func (c *Case) cascade(svc *Service, on string) []Event {
	var out []Event
	move := func(s *Service, to State, note string) {
		out = append(out, Event{ServiceID: s.ID, Service: s.Kind, From: s.State, To: to, On: on, Note: note})
		s.State = to
	}
	switch {
	case svc.Kind == Recognition && svc.State == Decided:
		positive := svc.Detail.Outcome.Positive()
		for i := range c.Services {
			s := &c.Services[i]
			switch {
			case s.Kind == InitialAssess && s.State == Prepared && positive:
				s.Detail.ReceivedOn = on
				move(s, Received, "认定工伤决定作出，预备的鉴定申请自动转入办理")
			case s.Kind == InitialAssess && s.State == Prepared, s.Kind == BenefitApproval && s.State == Precheck && !positive:
				move(s, Cancelled, "不予认定工伤，不再办理")
			case s.Kind == BenefitApproval && s.State == Precheck && positive && c.Service(InitialAssess) == nil:
				move(s, Ready, "认定工伤决定作出，可核定待遇")
			}
		}
	case svc.Kind == Recognition && svc.State == NotAccepted:
		for i := range c.Services {
			if s := &c.Services[i]; (s.Kind == InitialAssess && s.State == Prepared) || (s.Kind == BenefitApproval && s.State == Precheck) {
				move(s, Cancelled, "工伤认定申请不予受理，不再办理")
			}
		}
	case svc.Kind == InitialAssess && svc.State == Concluded:
		if b := c.Service(BenefitApproval); b != nil && b.State == Precheck {
			move(b, Ready, "鉴定结论作出，可核定待遇")
		}
	}
	return out
}

// checkNotice refuses a correction notice with no missing material, an
// unknown one, or one the system itself holds.
func (c *Case) checkNotice(svc *Service, codes, open []string) error {
	if len(codes) == 0 {
		return errs.Field("missing", "required", "补正通知须列明全部缺少的材料（一次性告知），请至少选择一项")
	}
	for i, code := range codes {
		m, ok := MaterialByCode(code)
		if !ok {
			return errs.Field(fmt.Sprintf("missing[%d]", i), "unknown", "材料类型“%s”不存在", code)
		}
		if !m.Upload {
			return errs.Field(fmt.Sprintf("missing[%d]", i), "shared", "%s由系统共享获取，不得要求申请人重复提交", m.Name)
		}
		if slices.Index(codes, code) != i {
			return errs.Field(fmt.Sprintf("missing[%d]", i), "duplicate", "%s重复列出", m.Name)
		}
		if open != nil && !slices.Contains(open, code) {
			return errs.Field(fmt.Sprintf("missing[%d]", i), "satisfied", "%s已经齐备，无需补正", m.Name)
		}
	}
	return nil
}

// checkAcceptable refuses acceptance while materials are missing or when
// a worker's own application is out of time.
func (c *Case) checkAcceptable(env Env) error {
	if m := env.Missing[Recognition]; len(m) > 0 {
		return &errs.Error{Kind: errs.Conflict, Message: "材料不齐全，不能受理：缺少" + MaterialNames(m) + "；请先一次性告知补正",
			Fields: []errs.FieldError{{Field: "missing", Code: "materials_missing", Message: "缺少" + MaterialNames(m)}}}
	}
	if env.Params == nil {
		return nil
	}
	p, err := c.ApplicationPeriod(env.Params)
	if err != nil {
		return err
	}
	if p.Late && c.Applicant != ApplicantEmployer {
		return errs.E(errs.Conflict, "申请已超过时限（%s），且不计入时限的事由不足以补足，应作出不予受理决定", p.Explain)
	}
	return nil
}

func checkInvestigators(names []string) error {
	names = trimAll(names)
	if len(names) < 2 {
		return errs.Field("investigators", "too_few", "调查核实应当由两名以上工作人员进行（《工伤认定办法》第九条），请填写至少两名调查人员")
	}
	for i, n := range names {
		if err := required(fmt.Sprintf("investigators[%d]", i), fmt.Sprintf("第%d名调查人员", i+1), n, 20); err != nil {
			return err
		}
		if slices.Index(names, n) != i {
			return errs.Field(fmt.Sprintf("investigators[%d]", i), "duplicate", "调查人员%s重复", n)
		}
	}
	return nil
}

func resume(svc *Service, on string) error {
	d := &svc.Detail
	from, _ := ParseDate(d.SuspendedOn)
	to, _ := ParseDate(on)
	if to.Before(from) {
		return errs.Field("on", "before_suspension", "恢复日期不能早于中止日期%s", d.SuspendedOn)
	}
	// Days up to the one before the suspension count; counting resumes the
	// day after the obstacle ended (regulation.md §9.2 rule 4).
	svc.Suspensions = append(svc.Suspensions, deadline.Suspension{From: from.AddDate(0, 0, -1), To: to})
	return nil
}

func decide(d *Detail, a Action) error {
	if !a.Outcome.Positive() && a.Outcome != OutcomeNotRecognised {
		return errs.Field("outcome", "required", "请选择认定结论：认定工伤、视同工伤或不予认定工伤")
	}
	if a.Ground == "" {
		return errs.Field("ground", "required", "请选择认定依据（条例第十四条、第十五条或第十六条的具体项）")
	}
	g, ok := GroundByCode(a.Ground)
	if !ok {
		return errs.Field("ground", "unknown", "认定依据“%s”不存在", a.Ground)
	}
	if g.Outcome != a.Outcome {
		return errs.Field("ground", "mismatch", "认定依据%s不能支持“%s”结论", g.Code, a.Outcome.Name())
	}
	d.Outcome, d.Ground = a.Outcome, a.Ground
	return nil
}

func schedule(svc *Service, a Action, on string) error {
	d := &svc.Detail
	exam, ok := ParseDate(a.ExamOn)
	if !ok {
		return errs.Field("exam_on", "date_format", "请填写有效的鉴定日期（格式YYYY-MM-DD）")
	}
	if a.ExamOn < on {
		return errs.Field("exam_on", "past", "鉴定日期不能早于安排之日%s", on)
	}
	if err := required("exam_place", "鉴定地点", a.ExamPlace, maxShortText); err != nil {
		return err
	}
	if a.Name == ActReschedule {
		old, _ := ParseDate(d.ExamOn)
		if !exam.After(old) {
			return errs.Field("exam_on", "not_later", "改期后的鉴定日期应晚于原定的%s", d.ExamOn)
		}
		if err := required("reason", "改期原因", a.Reason, maxLongText); err != nil {
			return err
		}
		// A rescheduling at the worker's request extends the limit by the
		// days it moves (令55号 Art. 12).
		if n := len(svc.Suspensions); n == 0 || !svc.Suspensions[n-1].To.After(old) {
			svc.Suspensions = append(svc.Suspensions, deadline.Suspension{From: old, To: exam})
		} else {
			svc.Suspensions[n-1].To = exam
		}
		d.Reschedules++
		d.Reason = strings.TrimSpace(a.Reason)
	}
	d.ExamOn, d.ExamPlace = a.ExamOn, strings.TrimSpace(a.ExamPlace)
	return nil
}

var clauseRe = regexp.MustCompile(`^5\.(10|[1-9])\.2\((\d{1,3})\)$`)

// conclude checks a conclusion: level 0 (未达到伤残等级) to 10, a care
// level, and GB/T 16180 clauses (5.{level}.2({item})) consistent with the
// level: the most severe clause's level, or one level higher when several
// clauses of that level combine (晋级).
func conclude(d *Detail, a Action) error {
	if a.Level == nil || *a.Level < 0 || *a.Level > 10 {
		return errs.Field("level", "range", "请选择伤残等级：一级至十级，或未达到伤残等级")
	}
	if !a.CareLevel.Valid() {
		return errs.Field("care_level", "invalid", "生活自理障碍等级无效")
	}
	lvl := *a.Level
	if lvl == 0 && len(a.Clauses) > 0 {
		return errs.Field("clauses", "unexpected", "未达到伤残等级时不应列出伤残条款")
	}
	if lvl > 0 && len(a.Clauses) == 0 {
		return errs.Field("clauses", "required", "请填写所依据的GB/T 16180条款（如5.7.2(3)）")
	}
	severest, count := 11, map[int]int{}
	for i, cl := range a.Clauses {
		m := clauseRe.FindStringSubmatch(strings.TrimSpace(cl))
		if m == nil {
			return errs.Field(fmt.Sprintf("clauses[%d]", i), "format", "条款“%s”格式无效，应为5.级别.2(序号)，如5.7.2(3)", cl)
		}
		l, _ := strconv.Atoi(m[1])
		count[l]++
		severest = min(severest, l)
	}
	if lvl > 0 && lvl != severest && !(lvl == severest-1 && count[severest] >= 2) {
		return errs.Field("level", "clauses", "伤残等级%s与所列条款不符：最重条款为%s", LevelName(lvl), LevelName(severest))
	}
	d.Level, d.CareLevel, d.Clauses = lvl, a.CareLevel, trimAll(a.Clauses)
	return nil
}

// LevelName is 七级, or 未达到伤残等级 for 0.
func LevelName(l int) string {
	names := []string{"未达到伤残等级", "一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"}
	if l < 0 || l >= len(names) {
		return strconv.Itoa(l)
	}
	return names[l]
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
