package api

import (
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/web"
)

// The 工伤一件事 endpoints. Every {id} route names a case (Obj "case"): the
// pipeline checks the caller's region before the handler runs, and every
// store call checks it again.

// caseInput is the application that opens a case.
type caseInput struct {
	WorkerID         int64                    `json:"worker_id"`
	EmployerID       int64                    `json:"employer_id"`
	InjuryDate       string                   `json:"injury_date"`
	ApplicationDate  string                   `json:"application_date"`
	InjuryKind       casebundle.InjuryKind    `json:"injury_kind" openapi:"optional"` // accident when empty
	Applicant        casebundle.Applicant     `json:"applicant"`
	ApplicantName    string                   `json:"applicant_name"`
	Place            string                   `json:"place" openapi:"optional"`
	Cause            string                   `json:"cause"`
	InjuredPart      string                   `json:"injured_part" openapi:"optional"`
	Diagnosis        string                   `json:"diagnosis"`
	Hospital         string                   `json:"hospital" openapi:"optional"`
	ExcludedDays     int                      `json:"excluded_days" openapi:"optional"`
	ExcludedReason   string                   `json:"excluded_reason" openapi:"optional"`
	DeFacto          bool                     `json:"de_facto" openapi:"optional"`          // a de-facto labour relation is claimed (before a registered employment)
	EmployerDisputes bool                     `json:"employer_disputes" openapi:"optional"` // the employer denies the injury: its burden of proof
	Simple           bool                     `json:"simple" openapi:"optional"`
	Checklist        casebundle.Checklist     `json:"checklist" openapi:"optional"`
	Services         []casebundle.ServiceKind `json:"services" openapi:"optional"` // the standard bundle when empty
	Channel          casebundle.Channel       `json:"channel" openapi:"optional"`  // hotline or window; the caller's own channel when empty
}

// channelOf is the channel an application is recorded under: the caller's
// own (casebundle.ChannelFor), or for staff a 12333 injury report or a
// window application entered on its behalf. The partner insurer's staff
// are always recorded as assisting: their work is attributed to them.
func channelOf(p access.Principal, asked casebundle.Channel) (casebundle.Channel, error) {
	own := casebundle.ChannelFor(p)
	switch {
	case asked == "" || asked == own:
		return own, nil
	case p.Kind == access.KindStaff && own != casebundle.ChannelInsurer &&
		(asked == casebundle.ChannelHotline || asked == casebundle.ChannelWindow):
		return asked, nil
	}
	return "", errs.Field("channel", "channel_not_allowed", "申请渠道“%s”不可用：可填写12333热线备案（hotline）或窗口受理（window），不填时为%s",
		clipText(string(asked)), own.Name())
}

// clipText shortens an echoed value for a message.
func clipText(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

func (s *Server) apiCaseOpen(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in caseInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	ch, err := channelOf(rq.P, in.Channel)
	if err != nil {
		return err
	}
	c := casebundle.Case{WorkerID: in.WorkerID, EmployerID: in.EmployerID, InjuryDate: in.InjuryDate, ApplicationDate: in.ApplicationDate,
		InjuryKind: in.InjuryKind, Channel: ch, Applicant: in.Applicant, ApplicantName: in.ApplicantName, Place: in.Place, Cause: in.Cause,
		InjuredPart: in.InjuredPart, Diagnosis: in.Diagnosis, Hospital: in.Hospital, ExcludedDays: in.ExcludedDays,
		ExcludedReason: in.ExcludedReason, DeFacto: in.DeFacto, EmployerDisputes: in.EmployerDisputes, Simple: in.Simple, Checklist: in.Checklist}
	set := s.params.Set(r.Context())
	if err := s.store.OpenCase(r.Context(), rq.P, set, &c, in.Services); err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusCreated, c)
}

// writeCase answers the case in full as rq's caller sees it.
func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, rq *request, status int, c casebundle.Case) error {
	d, err := s.caseDetail(r, rq, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, status, d)
	return nil
}

func (s *Server) caseDetail(r *http.Request, rq *request, c casebundle.Case) (caseDetail, error) {
	needs, err := s.store.CaseMaterials(r.Context(), &c)
	if err != nil {
		return caseDetail{}, err
	}
	return detailOf(rq.P, s.params.Set(r.Context()), c, needs)
}

// caseAt loads the case named by {id} as the caller may see it.
func (s *Server) caseAt(r *http.Request, rq *request) (casebundle.Case, error) {
	id, err := web.PathID(r)
	if err != nil {
		return casebundle.Case{}, err
	}
	return s.store.FindCase(r.Context(), rq.P, id)
}

func (s *Server) apiCaseGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusOK, c)
}

// apiCaseByNumber finds a case by its number (the 12333 system's "where is
// my case"); another region's case is not found.
func (s *Server) apiCaseByNumber(w http.ResponseWriter, r *http.Request, rq *request) error {
	n := r.PathValue("number")
	if _, _, _, ok := casebundle.ParseNumber(n); !ok {
		return errs.Field("number", "number_format", "案件编号“%s”格式不正确，应如GS370881-2025-000123", clipText(n))
	}
	c, err := s.store.FindCaseByNumber(r.Context(), rq.P, n)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusOK, c)
}

// pathInt reads a positive integer path value; a bad one names nothing
// that exists.
func pathInt(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, errs.E(errs.NotFound, "编号“%s”无效", clipText(v))
	}
	return n, nil
}

func (s *Server) apiCaseAct(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sid, err := pathInt(r, "sid")
	if err != nil {
		return err
	}
	var a casebundle.Action
	if err := web.DecodeJSON(r, &a); err != nil {
		return err
	}
	c, events, err := s.store.ActOnCase(r.Context(), rq.P, s.params.Set(r.Context()), id, sid, a)
	if err != nil {
		return err
	}
	d, err := s.caseDetail(r, rq, c)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, actionResult{Case: d, Events: eventsOf(events)})
	return nil
}

// procedureInput switches a case to the simple procedure (checklist) or
// back to the normal one (reason).
type procedureInput struct {
	Simple    bool                 `json:"simple"`
	Checklist casebundle.Checklist `json:"checklist" openapi:"optional"`
	Reason    string               `json:"reason" openapi:"optional"`
}

func (s *Server) apiCaseProcedure(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in procedureInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.store.ChangeProcedure(r.Context(), rq.P, s.params.Set(r.Context()), id, in.Simple, in.Checklist, in.Reason)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusOK, c)
}

// serviceInput gives a case a later service.
type serviceInput struct {
	Service casebundle.ServiceKind `json:"service"`
	On      string                 `json:"on" openapi:"optional"` // the application date; today when empty
}

func (s *Server) apiCaseAddService(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in serviceInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if !in.Service.Valid() {
		return errs.Field("service", "unknown", "请选择要增加的办理事项（再次鉴定、复查鉴定或确认类事项）")
	}
	c, err := s.store.AddCaseService(r.Context(), rq.P, s.params.Set(r.Context()), id, in.Service, strings.TrimSpace(in.On))
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusCreated, c)
}

func (s *Server) apiCaseHistory(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	evs, err := s.store.CaseHistory(r.Context(), c.ID)
	if err != nil {
		return err
	}
	items := historyOf(evs)
	web.WriteJSON(w, http.StatusOK, web.ListBody[historyItem]{Items: items, Total: len(items), Limit: len(items)})
	return nil
}

func (s *Server) apiCaseFiles(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	fs, err := s.store.CaseFiles(r.Context(), c.ID)
	if err != nil {
		return err
	}
	items := make([]fileBody, len(fs))
	for i, f := range fs {
		items[i] = fileOf(f)
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[fileBody]{Items: items, Total: len(items), Limit: len(items)})
	return nil
}

// apiCaseUpload takes one material (multipart: material, file) within the
// surface's body limit; the store checks its type and size.
func (s *Server) apiCaseUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if r.MultipartForm == nil {
		return errs.E(errs.Invalid, "请以multipart/form-data上传：material（材料类型）和file（文件）")
	}
	material := strings.TrimSpace(r.FormValue("material"))
	if material == "" {
		return errs.Field("material", "required", "请选择材料类型")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errs.Field("file", "file_required", "请选择要上传的文件")
	}
	defer f.Close()
	cf, err := s.store.PutCaseFile(r.Context(), rq.P, id, material, hdr.Filename, f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, fileOf(cf))
	return nil
}

func (s *Server) apiCaseFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	fid, err := pathInt(r, "fid")
	if err != nil {
		return err
	}
	rc, f, err := s.store.OpenCaseFile(r.Context(), rq.P, id, fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: f.ContentType, Size: f.Size, Name: f.FileName, Fallback: "file-" + strconv.FormatInt(f.ID, 10)})
	return nil
}

func (s *Server) apiCaseLetters(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	ls, err := s.store.CaseLetters(r.Context(), c.ID)
	if err != nil {
		return err
	}
	items := make([]letterBody, len(ls))
	for i, l := range ls {
		items[i] = letterOf(l)
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[letterBody]{Items: items, Total: len(items), Limit: len(items)})
	return nil
}

func (s *Server) apiCaseLetter(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	lid, err := pathInt(r, "lid")
	if err != nil {
		return err
	}
	rc, l, err := s.store.OpenCaseLetter(r.Context(), rq.P, id, lid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: "application/pdf", Size: l.Size, Name: l.Number + ".pdf", Fallback: "letter-" + strconv.FormatInt(l.ID, 10) + ".pdf"})
	return nil
}

// claimInput takes a service on (assign true) or gives it back.
type claimInput struct {
	Assign  *bool  `json:"assign" openapi:"required"`
	Version *int64 `json:"version,omitempty"` // the service version seen; a conflict when stale
}

func (s *Server) apiCaseClaim(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sid, err := pathInt(r, "sid")
	if err != nil {
		return err
	}
	var in claimInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Assign == nil {
		return errs.Field("assign", "required", "请指明认领（true）或释放（false）")
	}
	c, err := s.store.ClaimCaseService(r.Context(), rq.P, id, sid, *in.Assign, in.Version)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusOK, c)
}
