package portal

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/deadline"
	"gongshang/internal/errs"
	"gongshang/internal/letters"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// done names the fixed success messages a redirect may ask a page to show.
var done = map[string]string{
	"apply":     "申请已提交，经办机构将在法定时限内审核",
	"upload":    "材料已上传",
	"corrected": "补正材料已提交，经办机构将继续办理",
}

type homePage struct {
	base
	Cases []caseRow
}

type caseRow struct {
	ID                                          int64
	Number, InjuryDate, Worker, Employer, State string
}

// home is 我的案件: a worker's own cases, an employer's workers' cases.
func (s *Server) home(w http.ResponseWriter, r *http.Request, rq *request) error {
	list, err := s.store.CasesOf(r.Context(), rq.P, 0, 0)
	if err != nil {
		return err
	}
	p := &homePage{base: base{Title: "我的案件", Flash: done[r.URL.Query().Get("done")]}}
	for _, c := range list {
		p.Cases = append(p.Cases, caseRow{c.ID, c.Number, c.InjuryDate, c.WorkerName, c.Employer, c.Recognition.Name()})
	}
	s.render(w, r, rq, http.StatusOK, "home", p)
	return nil
}

type casePage struct {
	base
	Case      casebundle.Case
	Worker    string
	Employer  string
	Services  []serviceView
	Materials []option // what may be uploaded
	Files     []fileView
	Letters   []letterView
	History   []eventView
	Documents int // the documents the applicant provides for the whole case
	Fields    map[string]string
}

type serviceView struct {
	ID, Version       int64
	Kind, State, Step string
	Due               string
	Overdue, YourTurn bool
	Missing           []string // what nothing satisfies yet, by name
	Notice            []noticeItem
	CanCorrect        bool
}

type noticeItem struct {
	Name     string
	Uploaded bool
}

type option struct{ Value, Label string }

type fileView struct {
	ID                   int64
	Material, Name, When string
}

type letterView struct {
	ID                    int64
	Title, Number, Issued string
}

type eventView struct {
	On, Service, Action, Change, Note, Actor string
}

func (s *Server) caseShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showCase(w, r, rq, http.StatusOK, map[string]string{})
}

// showCase renders the case page, with fields' errors of a refused upload
// or correction beside their fields.
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, rq *request, status int, fields map[string]string) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.store.FindCase(ctx, rq.P, id)
	if err != nil {
		return err
	}
	needs, err := s.store.CaseMaterials(ctx, &c)
	if err != nil {
		return err
	}
	files, err := s.store.CaseFiles(ctx, c.ID)
	if err != nil {
		return err
	}
	p := &casePage{base: base{Title: "案件 " + c.Number, Flash: done[r.URL.Query().Get("done")]}, Case: c, Fields: fields,
		Documents: len(casebundle.ApplicantDocuments(needs))}
	p.Worker, p.Employer = s.parties(r, rq, c.ID)
	p.Services = serviceViews(&c, needs, files)
	p.Materials = uploadable(&c)
	for _, f := range files {
		m, _ := casebundle.MaterialByCode(f.Material)
		p.Files = append(p.Files, fileView{f.ID, m.Name, f.FileName, f.UploadedAt.In(web.CST).Format("2006-01-02 15:04")})
	}
	if p.Letters, err = s.letterViews(r, c.ID); err != nil {
		return err
	}
	if p.History, err = s.history(r, &c); err != nil {
		return err
	}
	s.render(w, r, rq, status, "case", p)
	return nil
}

// parties names the case's worker and employer from the caller's own list.
func (s *Server) parties(r *http.Request, rq *request, caseID int64) (string, string) {
	list, err := s.store.CasesOf(r.Context(), rq.P, 0, 0)
	if err != nil {
		return "", ""
	}
	for _, c := range list {
		if c.ID == caseID {
			return c.WorkerName, c.Employer
		}
	}
	return "", ""
}

// serviceViews show each service's state, current step, due date, what is
// still missing for it, and the correction notice's materials.
func serviceViews(c *casebundle.Case, needs []casebundle.Needs, files []store.CaseFile) []serviceView {
	var out []serviceView
	for _, svc := range c.Services {
		v := serviceView{ID: svc.ID, Version: svc.Version, Kind: svc.Kind.Name(), State: svc.State.Name(), Due: svc.Due,
			Overdue: svc.Overdue, YourTurn: svc.Party == casebundle.PartyApplicant}
		if st, ok := deadline.StepByName(svc.Step); ok {
			v.Step = st.Title
		}
		for _, n := range needs {
			if n.Service != svc.Kind {
				continue
			}
			for _, it := range n.Items {
				if it.Missing() && it.Material.Upload {
					v.Missing = append(v.Missing, it.Material.Name)
				}
			}
		}
		if svc.State == casebundle.Correction {
			v.CanCorrect = len(svc.Detail.Missing) > 0
			for _, m := range svc.Detail.Missing {
				mat, _ := casebundle.MaterialByCode(m)
				up := slices.ContainsFunc(files, func(f store.CaseFile) bool { return f.Material == m })
				v.Notice = append(v.Notice, noticeItem{mat.Name, up})
				v.CanCorrect = v.CanCorrect && up
			}
		}
		out = append(out, v)
	}
	return out
}

// uploadable lists the materials the case's services need that an
// applicant can provide.
func uploadable(c *casebundle.Case) []option {
	var out []option
	for _, svc := range c.Services {
		for _, code := range c.Requirements(svc.Kind) {
			m, ok := casebundle.MaterialByCode(code)
			if ok && m.Upload && !slices.ContainsFunc(out, func(o option) bool { return o.Value == code }) {
				out = append(out, option{code, m.Name})
			}
		}
	}
	return out
}

func (s *Server) letterViews(r *http.Request, caseID int64) ([]letterView, error) {
	ls, err := s.store.CaseLetters(r.Context(), caseID)
	if err != nil {
		return nil, err
	}
	out := make([]letterView, 0, len(ls))
	for _, l := range ls {
		title := letters.Kind(l.Kind).Title()
		if title == "" {
			title = "文书"
		}
		out = append(out, letterView{l.ID, title, l.Number, l.IssuedOn})
	}
	return out, nil
}

// shownNotes are the actions whose notes an applicant reads; the others
// may name staff (investigators) or hold internal working notes.
var shownNotes = []string{"open", "upload", string(casebundle.ActNotice), string(casebundle.ActRefuse), string(casebundle.ActSuspend),
	string(casebundle.ActDecide), string(casebundle.ActSchedule), string(casebundle.ActReschedule), string(casebundle.ActConclude),
	string(casebundle.ActTerminate), string(casebundle.ActAbandon), string(casebundle.ActConfirm)}

// eventActions names the events that are no casebundle action.
var eventActions = map[string]string{"open": "提出申请", "upload": "上传材料", "follow": "随之变化", "use_simple": "适用简易程序", "fallback": "转为普通程序"}

// history is the case's events without staff names: who acted is shown by
// role (staff) or kind (worker, employer, system).
func (s *Server) history(r *http.Request, c *casebundle.Case) ([]eventView, error) {
	evs, err := s.store.CaseHistory(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		v := eventView{On: e.On, Action: eventActions[e.Action]}
		if v.Action == "" {
			v.Action = casebundle.ActionName(e.Action).Name()
		}
		if svc := c.ServiceByID(e.ServiceID); svc != nil {
			v.Service = svc.Kind.Name()
		}
		if e.From != e.To && e.To != "" {
			v.Change = strings.TrimPrefix(e.From.Name()+" → ", " → ") + e.To.Name()
		}
		if slices.Contains(shownNotes, e.Action) {
			v.Note = e.Note
		}
		v.Actor = e.ActorKind.Name()
		if e.ActorKind == access.KindStaff {
			v.Actor = e.ActorRole.Name()
		}
		out = append(out, v)
	}
	return out, nil
}

// letterDownload sends one of the case's letters, the same bytes every time.
func (s *Server) letterDownload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := web.PathID(r)
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "文书不存在")
	}
	rc, l, err := s.store.OpenCaseLetter(r.Context(), rq.P, id, lid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: "application/pdf", Size: l.Size, Name: l.Number + ".pdf",
		Fallback: "letter-" + strconv.FormatInt(l.ID, 10) + ".pdf"})
	return nil
}

// fileView shows one of the case's uploaded files.
func (s *Server) fileView(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := web.PathID(r)
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "文件不存在")
	}
	rc, f, err := s.store.OpenCaseFile(r.Context(), rq.P, id, fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: f.ContentType, Size: f.Size, Name: f.FileName, Fallback: "file-" + strconv.FormatInt(f.ID, 10)})
	return nil
}

// fileUpload stores one material of the case (type and size checked by
// the store); a refusal shows beside the upload form.
func (s *Server) fileUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := web.PathID(r)
	if err := web.ParseForm(r); err != nil {
		return err
	}
	err := s.upload(r, rq, id)
	if e, ok := asErr(err); ok && (e.Kind == errs.Invalid || e.Kind == errs.TooLarge) {
		fields := fieldErrors(err)
		if msg := fields[""]; msg != "" {
			fields["file"], fields[""] = msg, ""
		}
		return s.showCase(w, r, rq, web.Status(err), fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/cases/%d?done=upload", id), http.StatusSeeOther)
	return nil
}

func (s *Server) upload(r *http.Request, rq *request, id int64) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errs.Field("file", "file_required", "请选择要上传的文件")
	}
	defer f.Close()
	_, err = s.store.PutCaseFile(r.Context(), rq.P, id, r.PostFormValue("material"), hdr.Filename, f)
	return err
}

// correctionSubmit answers a correction notice once every listed material
// is uploaded (store.SubmitCorrection): the one action of casebundle's
// table the portal offers.
func (s *Server) correctionSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, _ := web.PathID(r)
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "该案件没有这项业务")
	}
	var version *int64
	if v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err == nil {
		version = &v
	}
	set := s.opt.Params.Set(r.Context())
	_, err = s.store.SubmitCorrection(r.Context(), rq.P, set, id, sid, version)
	if k := errs.KindOf(err); k == errs.Invalid || k == errs.Conflict {
		fields := fieldErrors(err)
		if msg := fields[""]; msg != "" {
			fields["files"], fields[""] = msg, ""
		}
		if msg := fields["version"]; msg != "" {
			fields["files"] = msg
		}
		return s.showCase(w, r, rq, web.Status(err), fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/cases/%d?done=corrected", id), http.StatusSeeOther)
	return nil
}

type applyPage struct {
	base
	Parties   []store.PortalParty
	PartyName string // 用人单位 or 职工
	Worker    bool
	Form      applyForm
	Fields    map[string]string
}

type applyForm struct {
	Party, InjuryDate, InjuryKind, Applicant, ApplicantName string
	Place, Cause, InjuredPart, Diagnosis, Hospital          string
	DeFacto                                                 bool // 主张事实劳动关系
}

func (s *Server) applyForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showApply(w, r, rq, http.StatusOK, applyForm{InjuryKind: string(casebundle.InjuryAccident), Applicant: string(casebundle.ApplicantWorker)}, map[string]string{})
}

func (s *Server) showApply(w http.ResponseWriter, r *http.Request, rq *request, status int, f applyForm, fields map[string]string) error {
	parties, err := s.store.PortalParties(r.Context(), rq.P)
	if err != nil {
		return err
	}
	p := &applyPage{base: base{Title: "申请工伤认定"}, Parties: parties, Worker: rq.P.Kind == access.KindWorker, Form: f, Fields: fields}
	p.PartyName = "职工"
	if p.Worker {
		p.PartyName = "用人单位"
	}
	s.render(w, r, rq, status, "apply", p)
	return nil
}

// applySubmit opens a case: a worker for himself with one of his
// employers, an employer for one of its workers. The channel is the
// portal's (casebundle.ChannelFor); the store checks both parties.
func (s *Server) applySubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	f := applyForm{Party: r.PostFormValue("party"), InjuryDate: r.PostFormValue("injury_date"), InjuryKind: r.PostFormValue("injury_kind"),
		Applicant: r.PostFormValue("applicant"), ApplicantName: r.PostFormValue("applicant_name"), Place: r.PostFormValue("place"),
		Cause: r.PostFormValue("cause"), InjuredPart: r.PostFormValue("injured_part"), Diagnosis: r.PostFormValue("diagnosis"), Hospital: r.PostFormValue("hospital"),
		DeFacto: r.PostFormValue("de_facto") == "1"}
	c := s.application(rq.P, f)
	set := s.opt.Params.Set(r.Context())
	err := s.store.OpenCase(r.Context(), rq.P, set, c, nil)
	if k := errs.KindOf(err); k == errs.Invalid || k == errs.Conflict || k == errs.Forbidden {
		fields := fieldErrors(err)
		for _, k := range []string{"worker_id", "employer_id"} {
			if msg := fields[k]; msg != "" {
				fields["party"] = msg
			}
		}
		if k := errs.KindOf(err); k == errs.Forbidden {
			fields["party"] = err.Error()
		}
		return s.showApply(w, r, rq, web.Status(err), f, fields)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/cases/%d?done=apply", c.ID), http.StatusSeeOther)
	return nil
}

// application builds the case from the form: the caller is one party, the
// chosen counterpart the other.
func (s *Server) application(p access.Principal, f applyForm) *casebundle.Case {
	party, _ := strconv.ParseInt(strings.TrimSpace(f.Party), 10, 64)
	c := &casebundle.Case{InjuryDate: f.InjuryDate, ApplicationDate: s.store.Now().In(web.CST).Format(time.DateOnly),
		InjuryKind: casebundle.InjuryKind(f.InjuryKind), Place: f.Place, Cause: f.Cause, InjuredPart: f.InjuredPart,
		Diagnosis: f.Diagnosis, Hospital: f.Hospital, DeFacto: f.DeFacto}
	if p.Kind == access.KindEmployer {
		c.EmployerID, c.WorkerID, c.Applicant, c.ApplicantName = p.EmployerID, party, casebundle.ApplicantEmployer, p.Name
		return c
	}
	c.WorkerID, c.EmployerID, c.Applicant, c.ApplicantName = p.WorkerID, party, casebundle.ApplicantWorker, p.Name
	if f.Applicant == string(casebundle.ApplicantRelative) {
		c.Applicant, c.ApplicantName = casebundle.ApplicantRelative, f.ApplicantName
	}
	return c
}
