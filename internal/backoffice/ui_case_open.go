package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/web"
)

// The application (申请工伤一件事) at the window: one form opens the case
// with its standard bundle (recognition, assessment, benefit decision).

type caseFormPage struct {
	base
	C           casebundle.Case
	IDNumber    string // the worker searched for
	Worker      *registry.Worker
	Employments []registry.Employment
	Applicants  []casebundle.Applicant
	Kinds       []casebundle.InjuryKind
	Errors      map[string]string
	Message     string // a refusal without a field
	Existing    string // the number of the case the same injury already has
	ExistingID  int64
}

// caseNew is GET /cases/new: ?worker=ID (from a worker's page) or
// ?id_number= (typed at the window) picks the worker.
func (s *Server) caseNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	c := casebundle.Case{ApplicationDate: s.today(), InjuryKind: casebundle.InjuryAccident, Applicant: casebundle.ApplicantEmployer}
	p := &caseFormPage{C: c, IDNumber: strings.TrimSpace(r.URL.Query().Get("id_number"))}
	if id, err := strconv.ParseInt(r.URL.Query().Get("worker"), 10, 64); err == nil && id > 0 {
		p.C.WorkerID = id
	}
	var err error
	if p.C.WorkerID > 0 || p.IDNumber != "" {
		err = s.caseWorker(r, rq, p)
	}
	return s.showCaseForm(w, r, rq, p, err)
}

// caseWorker finds the form's worker (by ID, else by ID number) and his
// employments; the employer of the current one is preselected.
func (s *Server) caseWorker(r *http.Request, rq *request, p *caseFormPage) error {
	ctx, scope := r.Context(), rq.P.Scope()
	var wk registry.Worker
	var err error
	if p.C.WorkerID > 0 {
		wk, err = s.store.FindWorkerByID(ctx, scope, p.C.WorkerID)
	} else {
		if _, verr := registry.ParseIDNumber("id_number", p.IDNumber, s.store.Now()); verr != nil {
			return verr
		}
		wk, err = s.store.FindWorkerByIDNumber(ctx, scope, p.IDNumber)
	}
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field("id_number", "worker_unknown", "本地区没有登记该职工，请先登记职工及其劳动关系")
	}
	if err != nil {
		return err
	}
	if p.Employments, err = s.store.Employments(ctx, scope, wk.ID); err != nil {
		return err
	}
	wk = web.Disclose(rq.P, wk)
	p.Worker, p.C.WorkerID = &wk, wk.ID
	if p.C.EmployerID == 0 && len(p.Employments) > 0 {
		p.C.EmployerID = p.Employments[0].EmployerID
		for _, e := range p.Employments {
			if e.End == "" {
				p.C.EmployerID = e.EmployerID
				break
			}
		}
	}
	return nil
}

func (s *Server) showCaseForm(w http.ResponseWriter, r *http.Request, rq *request, p *caseFormPage, err error) error {
	p.Title, p.Applicants, p.Kinds = "申请工伤一件事", casebundle.Applicants, []casebundle.InjuryKind{casebundle.InjuryAccident, casebundle.InjuryDisease}
	status := http.StatusOK
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) || errs.Is(err, errs.NotFound) && len(e.Fields) == 0 {
			return err
		}
		status = web.Status(err)
		p.Errors = map[string]string{}
		for _, f := range e.Fields {
			if k := baseField(f.Field); p.Errors[k] == "" {
				p.Errors[k] = f.Message
			}
		}
		if len(e.Fields) == 0 {
			p.Message = e.Message
		}
		if n := caseNumberRe.FindString(e.Message); n != "" && errs.Is(err, errs.Conflict) {
			p.Existing = n
			if c, ferr := s.store.FindCaseByNumber(r.Context(), rq.P, n); ferr == nil {
				p.ExistingID = c.ID
			}
		}
	}
	s.render(w, r, rq, status, "case_form", p)
	return nil
}

// caseNumberRe finds a case number in a message.
var caseNumberRe = regexp.MustCompile(`GS\d{6}-\d{4}-\d{6}`)

// baseField is a field error's form field: missing[2] → missing.
func baseField(f string) string {
	if i := strings.IndexByte(f, '['); i > 0 {
		return f[:i]
	}
	return f
}

// caseFromForm reads the application form.
func caseFromForm(r *http.Request, fs *errs.Fields) casebundle.Case {
	v := r.PostFormValue
	c := casebundle.Case{InjuryDate: v("injury_date"), ApplicationDate: v("application_date"), InjuryKind: casebundle.InjuryKind(v("injury_kind")),
		Applicant: casebundle.Applicant(v("applicant")), ApplicantName: v("applicant_name"), Place: v("place"), Cause: v("cause"),
		InjuredPart: v("injured_part"), Diagnosis: v("diagnosis"), Hospital: v("hospital"), ExcludedReason: v("excluded_reason"),
		EmployerDisputes: v("employer_disputes") == "1", DeFacto: v("de_facto") == "1", Simple: v("simple") == "1", Checklist: checklistFromForm(r)}
	c.WorkerID, _ = strconv.ParseInt(v("worker_id"), 10, 64)
	c.EmployerID, _ = strconv.ParseInt(v("employer_id"), 10, 64)
	if d := strings.TrimSpace(v("excluded_days")); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil {
			fs.Add("excluded_days", "int_format", "不计入申请时限的天数应为整数，当前为“%s”", d)
		}
		c.ExcludedDays = n
	}
	return c
}

// checklistFromForm reads the simple procedure's four checkboxes.
func checklistFromForm(r *http.Request) casebundle.Checklist {
	on := func(k string) bool { return r.PostFormValue(k) == "1" }
	return casebundle.Checklist{FactsClear: on("facts_clear"), EmployerConfirms: on("employer_confirms"),
		MaterialsComplete: on("materials_complete"), NoThirdParty: on("no_third_party")}
}

// caseCreate is POST /cases: opens the case and shows its page.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var fs errs.Fields
	c := caseFromForm(r, &fs)
	p := &caseFormPage{C: c, IDNumber: strings.TrimSpace(r.PostFormValue("id_number"))}
	if c.WorkerID > 0 || p.IDNumber != "" {
		if err := s.caseWorker(r, rq, p); err != nil {
			return s.showCaseForm(w, r, rq, p, err)
		}
	} else {
		fs.Add("id_number", "required", "请输入受伤职工的身份证号码")
	}
	if err := fs.Err(); err != nil {
		return s.showCaseForm(w, r, rq, p, err)
	}
	c = p.C
	if err := s.store.OpenCase(r.Context(), rq.P, s.params.Set(r.Context()), &c, nil); err != nil {
		return s.showCaseForm(w, r, rq, p, err)
	}
	s.flash(r, rq, "已受理申请，案件编号"+c.Number+"。")
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), http.StatusSeeOther)
	return nil
}

// mayOpenCase reports whether p may apply (the worker page's button).
func mayOpenCase(p access.Principal) bool { return p.Can(access.PermCaseOpen) }
