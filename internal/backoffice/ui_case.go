package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/letters"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The case page (案件): the header, the parties, one card per service
// with the forms of the actions the user may take now, the procedure box,
// the materials panel, the letters and the history.

// partyNames say who must act by a service's due date.
var partyNames = map[casebundle.Party]string{casebundle.PartyAgency: "经办机构", casebundle.PartyApplicant: "申请人（补正）",
	casebundle.PartyWindow: "当事人（救济期间）"}

// addableKinds are the services a case can gain later.
var addableKinds = []casebundle.ServiceKind{casebundle.Reassessment, casebundle.ReviewAssessment, casebundle.PaidLeaveExt,
	casebundle.Recurrence, casebundle.DeviceConfirm, casebundle.RehabConfirm}

// letterName is a letter kind's title (letters.Kind.Title).
func letterName(kind string) string {
	if t := letters.Kind(kind).Title(); t != "" {
		return t
	}
	return "案件文书"
}

// fact is one line of a service's recorded facts.
type fact struct{ Label, Value string }

// actionForm is the form of one allowed action: which inputs it shows.
type actionForm struct {
	Name                        casebundle.ActionName
	Label                       string
	CaseID, SvcID, Version      int64
	ReasonLabel                 string // "" = no reason input
	Missing                     []casebundle.Material
	Investigators, Decide       bool
	AppealKind, AppealResult    bool
	Exam, Conclude, Notes, Conf bool
	Panel, Compute              bool
	Danger                      bool
	Open                        bool              // the form failed last time: shown unfolded
	Errors                      map[string]string // its field errors
	Message                     string            // its refusal without a field
	In                          map[string]string // what was entered, for a failed form
}

// serviceCard is one service of the case.
type serviceCard struct {
	S              casebundle.Service
	KindName       string
	StateName      string
	StepTitle      string
	Party          string
	Late, DueToday bool
	Facts          []fact
	Forms          []actionForm
	CanClaim, Mine bool                 // the user's role works this service; it is the user's
	Proposal       *casebundle.Proposal // the benefit decision the facts give now (compute offered)
	ProposalErr    string               // why none can be computed yet
}

type groundGroup struct {
	Outcome casebundle.Outcome
	Name    string
	Grounds []casebundle.Ground
}

type needView struct {
	Service string
	Items   []casebundle.Item
}

type historyLine struct {
	On, Who, What, Service, Note string
}

type fileView struct {
	store.CaseFile
	MaterialName string
}

type letterView struct {
	store.CaseLetter
	Name string
}

type casePage struct {
	base
	C             casebundle.Case
	Worker        *registry.Worker
	Employer      *registry.Employer
	ChannelName   string
	ApplicantName string
	InjuryName    string
	LateNote      string
	Cards         []serviceCard
	Needs         []needView
	Documents     int
	Uploadable    []casebundle.Material
	MissingCodes  map[string]bool
	Files         []fileView
	Letters       []letterView
	History       []historyLine
	Outcomes      []casebundle.Outcome
	GroundGroups  []groundGroup
	Levels        []int
	Cares         []casebundle.CareLevel
	Groups        []expertpool.Group
	AddKinds      []casebundle.ServiceKind
	CanUpload     bool
	CanProcedure  bool
	CanAdd        bool
	// Errors of the procedure, add-service and upload forms.
	Where   string
	Errors  map[string]string
	Message string
	Today   string
}

// caseFailure is a refused change shown on the case page beside its form:
// where is "action:<service id>:<action>", "procedure", "service" or "upload".
type caseFailure struct {
	where string
	err   error
	in    map[string]string
}

// caseShow is GET /cases/{id}.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showCase(w, r, rq, id, nil)
}

// showCase renders the case page, with a failed change's messages when f
// is set (the status is the error's).
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, rq *request, id int64, f *caseFailure) error {
	ctx := r.Context()
	c, err := s.store.FindCase(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p := &casePage{base: base{Title: c.Number}, C: c, ChannelName: c.Channel.Name(), ApplicantName: c.Applicant.Name(),
		InjuryName: c.InjuryKind.Name(), Outcomes: []casebundle.Outcome{casebundle.OutcomeRecognised, casebundle.OutcomeDeemed, casebundle.OutcomeNotRecognised},
		Levels: []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0}, Cares: []casebundle.CareLevel{casebundle.CareNone, casebundle.CarePartial, casebundle.CareMost, casebundle.CareFull},
		AddKinds: addableKinds, Today: s.today(), Groups: expertpool.Groups(),
		CanUpload:    rq.P.Can(access.PermCaseOpen) || rq.P.Can(access.PermCaseRecognize) || rq.P.Can(access.PermCaseAssess),
		CanProcedure: rq.P.Can(access.PermCaseRecognize),
		CanAdd:       rq.P.Can(access.PermCaseOpen) || rq.P.Can(access.PermCaseAssess)}
	for _, o := range p.Outcomes {
		g := groundGroup{Outcome: o, Name: o.Name()}
		for _, gr := range casebundle.Grounds {
			if gr.Outcome == o {
				g.Grounds = append(g.Grounds, gr)
			}
		}
		p.GroundGroups = append(p.GroundGroups, g)
	}
	if err := s.caseParties(r, rq, p); err != nil {
		return err
	}
	if c.Late {
		p.LateNote = lateNote(&c, param.NewResolver(s.params.Set(ctx), c.RegionCode))
	}
	needs, err := s.store.CaseMaterials(ctx, &c)
	if err != nil {
		return err
	}
	s.caseMaterials(p, needs)
	missing := casebundle.MissingUploads(needs)
	for _, svc := range c.Services {
		card := s.serviceCard(rq.P, &c, svc, missing[svc.Kind], p.Today)
		if err := s.proposeFor(r, rq, &card); err != nil {
			return err
		}
		p.Cards = append(p.Cards, card)
	}
	if err := s.caseRecords(r, p); err != nil {
		return err
	}
	status := http.StatusOK
	if f != nil {
		if status, err = p.fail(f); err != nil {
			return err
		}
	}
	s.render(w, r, rq, status, "case", p)
	return nil
}

// fail puts a refused change's messages beside its form.
func (p *casePage) fail(f *caseFailure) (int, error) {
	var e *errs.Error
	if !errors.As(f.err, &e) {
		return 0, f.err
	}
	fe := map[string]string{}
	for _, x := range e.Fields {
		if k := baseField(x.Field); fe[k] == "" {
			fe[k] = x.Message
		}
	}
	// A field no form shows (a clock's, say) is said at the top of the form.
	msg := e.Message
	if len(e.Fields) > 0 && e.Kind == errs.Invalid {
		msg = ""
		for _, x := range e.Fields {
			if !formFields[baseField(x.Field)] {
				msg = x.Message
			}
		}
	}
	if kind, rest, ok := strings.Cut(f.where, ":"); ok && kind == "action" {
		sid, act, _ := strings.Cut(rest, ":")
		for i := range p.Cards {
			for j := range p.Cards[i].Forms {
				af := &p.Cards[i].Forms[j]
				if strconv.FormatInt(af.SvcID, 10) == sid && string(af.Name) == act {
					af.Open, af.Errors, af.Message, af.In = true, fe, msg, f.in
					return web.Status(f.err), nil
				}
			}
		}
		// The action is no longer offered (the state moved on): say why at the top.
		p.Where, p.Message = "top", e.Message
		return web.Status(f.err), nil
	}
	p.Where, p.Errors, p.Message = f.where, fe, msg
	return web.Status(f.err), nil
}

// formFields are the inputs the case page's forms show errors beside.
var formFields = map[string]bool{"on": true, "reason": true, "missing": true, "investigators": true, "outcome": true, "ground": true,
	"appeal_kind": true, "appeal_result": true, "exam_on": true, "exam_place": true, "level": true, "care_level": true, "clauses": true,
	"notes": true, "granted": true, "version": true, "action": true, "file": true, "material": true, "kind": true,
	"panel_size": true, "groups": true, "avg_wage": true}

// caseParties loads the worker and the employer, disclosed as the
// worker's and employer's own pages disclose them.
func (s *Server) caseParties(r *http.Request, rq *request, p *casePage) error {
	ctx, scope := r.Context(), rq.P.Scope()
	wk, err := s.store.FindWorkerByID(ctx, scope, p.C.WorkerID)
	switch {
	case err == nil:
		wk = web.Disclose(rq.P, wk)
		p.Worker = &wk
	case !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Forbidden):
		return err
	}
	e, err := s.store.FindEmployerByID(ctx, scope, p.C.EmployerID)
	switch {
	case err == nil:
		e = web.DiscloseEmployer(rq.P, e)
		p.Employer = &e
	case !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Forbidden):
		return err
	}
	return nil
}

// lateNote explains a late application and who pays for the delay.
func lateNote(c *casebundle.Case, res *param.Resolver) string {
	per, err := c.ApplicationPeriod(res)
	explain := ""
	if err == nil {
		explain = per.Explain + "。"
	}
	if c.Applicant == casebundle.ApplicantEmployer {
		return explain + "用人单位未在规定时限内提出申请，在此期间发生的工伤待遇等有关费用由用人单位负担（条例第十七条第四款）。"
	}
	return explain + "申请超过1年时限；有不计入时限的事由的，应记录其天数和事由。"
}

// caseMaterials fills the materials panel: per service each requirement
// and what satisfies it, the applicant's documents and what may be uploaded.
func (s *Server) caseMaterials(p *casePage, needs []casebundle.Needs) {
	p.MissingCodes = map[string]bool{}
	for _, n := range needs {
		p.Needs = append(p.Needs, needView{Service: n.Service.Name(), Items: n.Items})
		for _, it := range n.Items {
			if it.Missing() && it.Material.Upload {
				p.MissingCodes[it.Material.Code] = true
			}
		}
	}
	p.Documents = len(casebundle.ApplicantDocuments(needs))
	for _, m := range casebundle.Materials {
		if m.Upload {
			p.Uploadable = append(p.Uploadable, m)
		}
	}
}

// caseRecords loads the files, letters and history.
func (s *Server) caseRecords(r *http.Request, p *casePage) error {
	ctx := r.Context()
	files, err := s.store.CaseFiles(ctx, p.C.ID)
	if err != nil {
		return err
	}
	for _, f := range files {
		name := f.Material
		if m, ok := casebundle.MaterialByCode(f.Material); ok {
			name = m.Name
		}
		p.Files = append(p.Files, fileView{CaseFile: f, MaterialName: name})
	}
	letters, err := s.store.CaseLetters(ctx, p.C.ID)
	if err != nil {
		return err
	}
	for _, l := range letters {
		p.Letters = append(p.Letters, letterView{CaseLetter: l, Name: letterName(l.Kind)})
	}
	events, err := s.store.CaseHistory(ctx, p.C.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		p.History = append(p.History, historyLineOf(&p.C, e))
	}
	return nil
}

func historyLineOf(c *casebundle.Case, e store.CaseEvent) historyLine {
	h := historyLine{On: e.On, Note: e.Note}
	switch {
	case e.ActorKind == access.KindStaff && e.ActorRole != "":
		h.Who = e.ActorRole.Name() + " " + e.ActorName
	case e.ActorKind != "":
		h.Who = e.ActorKind.Name() + " " + e.ActorName
	default:
		h.Who = "系统"
	}
	h.What = "随关联事项变更"
	if e.Action != "" {
		h.What = audit.ActionName("case." + e.Action)
	}
	if e.To != "" && e.From != e.To {
		if e.From != "" {
			h.What += "：" + e.From.Name() + " → " + e.To.Name()
		} else {
			h.What += "：" + e.To.Name()
		}
	}
	if svc := c.ServiceByID(e.ServiceID); svc != nil {
		h.Service = svc.Kind.Name()
	}
	return h
}

// serviceCard describes one service and the forms of its allowed actions.
func (s *Server) serviceCard(p access.Principal, c *casebundle.Case, svc casebundle.Service, missing []string, today string) serviceCard {
	card := serviceCard{S: svc, KindName: svc.Kind.Name(), StateName: svc.State.Name(), StepTitle: stepTitle(svc.Step),
		Party: partyNames[svc.Party], Facts: serviceFacts(&svc)}
	card.Late, card.DueToday = dueFlags(svc.Due, svc.Overdue, today)
	card.Mine = svc.AssigneeID != 0 && svc.AssigneeID == p.UserID
	card.CanClaim = p.Kind == access.KindStaff && slices.Contains(casebundle.QueueKinds(p.Role), svc.Kind) && (!svc.State.Final() || card.Mine)
	for _, a := range casebundle.Allowed(p, &svc) {
		card.Forms = append(card.Forms, actionFormFor(c, &svc, a, missing))
	}
	return card
}

// proposeFor shows the benefit decision the case's facts give now on the
// card whose compute form is offered (store.BenefitProposal).
func (s *Server) proposeFor(r *http.Request, rq *request, card *serviceCard) error {
	for _, f := range card.Forms {
		if f.Name != casebundle.ActCompute {
			continue
		}
		p, err := s.store.BenefitProposal(r.Context(), rq.P, s.params.Set(r.Context()), card.S.CaseID)
		var e *errs.Error
		switch {
		case err == nil:
			card.Proposal = &p
		case errors.As(err, &e) && !errs.Is(err, errs.NotFound):
			card.ProposalErr = e.Message
		default:
			return err
		}
	}
	return nil
}

// actionFormFor declares exactly the inputs action a needs.
func actionFormFor(c *casebundle.Case, svc *casebundle.Service, a casebundle.ActionName, missing []string) actionForm {
	f := actionForm{Name: a, Label: a.Name(), CaseID: c.ID, SvcID: svc.ID, Version: svc.Version}
	switch a {
	case casebundle.ActNotice:
		for _, code := range missing {
			if m, ok := casebundle.MaterialByCode(code); ok {
				f.Missing = append(f.Missing, m)
			}
		}
	case casebundle.ActRefuse:
		f.ReasonLabel, f.Danger = "不予受理的理由", true
	case casebundle.ActTerminate:
		f.ReasonLabel, f.Danger = "终止鉴定的理由", true
	case casebundle.ActAbandon:
		f.ReasonLabel, f.Danger = "视为放弃的理由", true
	case casebundle.ActSendBack:
		f.ReasonLabel = "退回理由"
	case casebundle.ActSuspend:
		f.ReasonLabel = "中止事由"
	case casebundle.ActExtend:
		f.ReasonLabel = "延长理由"
	case casebundle.ActInvestigate:
		f.Investigators = true
	case casebundle.ActDecide:
		f.Decide = true
	case casebundle.ActAppeal:
		f.AppealKind = true
	case casebundle.ActAppealEnd:
		f.AppealResult = true
	case casebundle.ActSchedule:
		f.Exam = true
	case casebundle.ActReschedule:
		f.Exam, f.ReasonLabel = true, "改期原因"
	case casebundle.ActConclude:
		f.Conclude = true
	case casebundle.ActDrawPanel:
		f.Panel = true
	case casebundle.ActCompute:
		f.Compute, f.ReasonLabel = true, "更正月平均缴费工资的依据（更正时必填）"
	case casebundle.ActPrecheck:
		f.Notes = true
	case casebundle.ActConfirm:
		f.Conf, f.ReasonLabel = true, "说明（可不填）"
	}
	return f
}

// serviceFacts lists what the service has recorded that matters to the
// officer, in the order of the procedure.
func serviceFacts(svc *casebundle.Service) []fact {
	d := &svc.Detail
	var out []fact
	add := func(label, v string) {
		if v != "" {
			out = append(out, fact{label, v})
		}
	}
	add("接收申请", d.ReceivedOn)
	add("补正通知", d.NoticeOn)
	if len(d.Missing) > 0 {
		add("须补正材料", casebundle.MaterialNames(d.Missing))
	}
	add("收到补正", d.CorrectedOn)
	add("受理", d.AcceptedOn)
	add("调查人员", strings.Join(d.Investigators, "、"))
	add("调查证据", d.Evidence)
	add("中止日期", d.SuspendedOn)
	if d.Outcome != "" {
		v := d.Outcome.Name()
		if g, ok := casebundle.GroundByCode(d.Ground); ok {
			v += "。依据：" + g.Text
		}
		add("认定结论", v)
	}
	if d.PanelSize > 0 {
		add("专家组", fmt.Sprintf("%d人（抽取记录 %s）", d.PanelSize, d.PanelSeed))
	}
	if d.ExamOn != "" {
		add("鉴定安排", d.ExamOn+" "+d.ExamPlace)
	}
	if d.Reschedules > 0 {
		add("改期次数", strconv.Itoa(d.Reschedules))
	}
	if d.Extended {
		add("期限延长", "已延长30日")
	}
	if svc.Kind.IsAssessment() && (svc.State == casebundle.Concluded || svc.State == casebundle.Delivered) {
		add("伤残等级", casebundle.LevelName(d.Level))
		add("生活自理障碍", d.CareLevel.Name())
		add("依据条款", strings.Join(d.Clauses, "、"))
	}
	if svc.Kind.IsConfirmation() && d.DecidedOn != "" {
		add("确认结论", map[bool]string{true: "予以确认", false: "不予确认"}[d.Granted])
	}
	add("作出日期", d.DecidedOn)
	add("送达日期", d.DeliveredOn)
	if d.AppealKind != "" {
		add("救济途径", map[string]string{"review": "行政复议", "lawsuit": "行政诉讼"}[d.AppealKind]+"（"+d.AppealFiledOn+"提起）")
	}
	if d.AppealResult != "" {
		add("救济结果", map[string]string{"upheld": "维持", "revoked": "撤销"}[d.AppealResult])
	}
	add("预审意见", d.Notes)
	if d.BaseWageFen > 0 {
		if d.AvgWageFen > 0 {
			v := param.Yuan(d.AvgWageFen)
			if d.Corrected {
				v += "（经办人员更正）"
			}
			add("月平均缴费工资", v)
		}
		add("本人工资", param.Yuan(d.BaseWageFen))
		for _, l := range d.Lines {
			add(l.Name, param.Yuan(l.AmountFen)+" "+l.Explanation)
		}
		add("一次性待遇合计", param.Yuan(d.TotalFen))
		add("按月待遇", param.Yuan(d.MonthlyFen))
	}
	add("核算人", d.PreparedName)
	add("复核人", d.ApprovedName)
	add("理由", d.Reason)
	return out
}
