package api

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type sessionBody struct {
	User      meBody `json:"user"`
	CSRFToken string `json:"csrf_token"`
	ExpiresAt string `json:"expires_at"`
}

type meBody struct {
	ID          int64               `json:"id"`
	Username    string              `json:"username"`
	DisplayName string              `json:"display_name"`
	Role        access.Role         `json:"role"`
	RoleName    string              `json:"role_name"`
	RegionCode  string              `json:"region_code"`
	Permissions []access.Permission `json:"permissions"`
}

func meOf(p access.Principal) meBody {
	var perms []access.Permission
	for _, pm := range []access.Permission{access.PermRegistryRead, access.PermRegistryWrite, access.PermRegistryImport,
		access.PermPersonalData, access.PermAuditRead, access.PermUsersManage, access.PermParamsRead, access.PermParamsManage, access.PermBenefitCalc} {
		if p.Can(pm) {
			perms = append(perms, pm)
		}
	}
	return meBody{ID: p.UserID, Username: p.Username, DisplayName: p.Name, Role: p.Role, RoleName: p.Role.Name(), RegionCode: p.RegionCode, Permissions: perms}
}

// apiLogin opens a session: the cookie carries it, and the CSRF token in
// the answer must accompany every change as the X-CSRF-Token header.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in loginRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	token, sess, err := s.store.LoginFrom(r.Context(), web.ClientAddr(r), in.Username, in.Password, s.auth.Lock, s.auth.SessionTTL)
	if err != nil {
		return err
	}
	s.auth.SetSession(w, r, token)
	web.WriteJSON(w, http.StatusCreated, sessionBody{User: meOf(sess.User.Principal()), CSRFToken: sess.CSRFToken, ExpiresAt: sess.ExpiresAt.UTC().Format("2006-01-02T15:04:05Z")})
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.auth.EndSession(w, r, rq); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, rq *request) error {
	web.WriteJSON(w, http.StatusOK, meOf(rq.P))
	return nil
}

func (s *Server) apiRegions(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Region]{Items: regions, Total: len(regions), Limit: len(regions)})
	return nil
}

func (s *Server) apiIndustries(w http.ResponseWriter, r *http.Request, rq *request) error {
	ins := registry.MustReference().Industries
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Industry]{Items: ins, Total: len(ins), Limit: len(ins)})
	return nil
}

// apiPage reads offset and limit.
func apiPage(r *http.Request) (store.Page, error) {
	off, err := web.QueryInt(r, "offset", 0)
	if err != nil {
		return store.Page{}, err
	}
	lim, err := web.QueryInt(r, "limit", 50)
	if err != nil {
		return store.Page{}, err
	}
	if lim == 0 || lim > 200 {
		return store.Page{}, errs.Field("limit", "limit_range", "limit应为1至200")
	}
	return store.Page{Offset: off, Limit: lim}, nil
}

// apiList reads a list query (web.ParseList: the filters, sort and dir,
// page and size the back office takes) and its window: offset and limit
// when given, else the page and size. The API does not export (format).
func apiList(r *http.Request, spec *web.ListSpec) (*web.ListQuery, store.Page, error) {
	q, err := web.ParseList(r, spec)
	if err != nil {
		return nil, store.Page{}, err
	}
	if q.Export {
		return nil, store.Page{}, errs.Field("format", "format_unknown", "接口不提供导出，请在经办平台的列表页导出Excel")
	}
	pg := store.Page{Offset: q.Offset(), Limit: q.Size}
	v := r.URL.Query()
	if v.Has("offset") || v.Has("limit") {
		if pg, err = apiPage(r); err != nil {
			return nil, store.Page{}, err
		}
	}
	return q, pg, nil
}

func (s *Server) apiEmployerList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, pg, err := apiList(r, web.EmployerListSpec(r.URL.Path, regions))
	if err != nil {
		return err
	}
	f := web.EmployerFilterOf(q)
	f.Page = pg
	items, total, err := s.store.FindEmployers(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Employer]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// employerInput is the JSON body for a new employer.
type employerInput struct {
	CreditCode   string `json:"credit_code"`
	Name         string `json:"name"`
	RegionCode   string `json:"region_code"`
	Industry     string `json:"industry"`
	RiskClass    int    `json:"risk_class"`
	RateTierPct  int    `json:"rate_tier_pct"`
	ContactName  string `json:"contact_name" openapi:"optional"`
	ContactPhone string `json:"contact_phone" openapi:"optional"`
	Address      string `json:"address" openapi:"optional"`
}

func (s *Server) apiEmployerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in employerInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e := registry.Employer{CreditCode: in.CreditCode, Name: in.Name, RegionCode: in.RegionCode, Industry: in.Industry, RiskClass: in.RiskClass,
		RateTierPct: in.RateTierPct, ContactName: in.ContactName, ContactPhone: in.ContactPhone, Address: in.Address}
	if err := s.store.CreateEmployer(r.Context(), rq.P, &e); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, web.DiscloseEmployer(rq.P, e))
	return nil
}

func (s *Server) apiEmployerGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	e, err := s.employerAt(r, rq)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.DiscloseEmployer(rq.P, e))
	return nil
}

func (s *Server) apiEmployerUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var upd registry.EmployerUpdate
	if err := web.DecodeJSON(r, &upd); err != nil {
		return err
	}
	e, err := s.store.UpdateEmployer(r.Context(), rq.P, id, upd)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.DiscloseEmployer(rq.P, e))
	return nil
}

func (s *Server) apiWorkerList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, pg, err := apiList(r, web.WorkerListSpec(r.URL.Path, "employer_id", regions, rq.P.Can(access.PermPersonalData)))
	if err != nil {
		return err
	}
	f := web.WorkerFilterOf(q)
	f.Page = pg
	items, total, err := s.store.FindWorkers(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Worker]{Items: nonNil(web.DiscloseAll(rq.P, items)), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

// workerInput is the JSON body for a new worker and first employment.
type workerInput struct {
	IDNumber    string `json:"id_number"`
	Name        string `json:"name"`
	Phone       string `json:"phone" openapi:"optional"`
	BankName    string `json:"bank_name" openapi:"optional"`
	BankAccount string `json:"bank_account" openapi:"optional"`
	EmployerID  int64  `json:"employer_id"`
	Start       string `json:"start"`
}

func (s *Server) apiWorkerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in workerInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.store.FindEmployerByID(r.Context(), rq.P.Scope(), in.EmployerID)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return errs.Field("employer_id", "employer_unknown", "用人单位（编号%d）不存在或不在本地区", in.EmployerID)
	}
	if err != nil {
		return err
	}
	wk := registry.Worker{IDNumber: in.IDNumber, Name: in.Name, Phone: in.Phone, BankName: in.BankName, BankAccount: in.BankAccount, RegionCode: e.RegionCode}
	emp := registry.Employment{EmployerID: e.ID, Start: in.Start}
	if err := s.store.CreateWorker(r.Context(), rq.P, &wk, &emp); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, web.Disclose(rq.P, wk))
	return nil
}

func (s *Server) apiWorkerGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	wk, err := s.workerAt(r, rq)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Disclose(rq.P, wk))
	return nil
}

func (s *Server) apiWorkerUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var upd registry.WorkerUpdate
	if err := web.DecodeJSON(r, &upd); err != nil {
		return err
	}
	wk, err := s.store.UpdateWorker(r.Context(), rq.P, id, upd)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.Disclose(rq.P, wk))
	return nil
}

func (s *Server) apiEmployments(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	es, err := s.store.Employments(r.Context(), rq.P.Scope(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Employment]{Items: nonNil(es), Total: len(es), Limit: len(es)})
	return nil
}

type employmentInput struct {
	EmployerID int64  `json:"employer_id"`
	Start      string `json:"start"`
	End        string `json:"end" openapi:"optional"`
}

func (s *Server) apiEmploymentAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in employmentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	e := registry.Employment{WorkerID: id, EmployerID: in.EmployerID, Start: in.Start, End: in.End}
	if err := s.store.AddEmployment(r.Context(), rq.P, &e); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiWages(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ws, err := s.store.Wages(r.Context(), rq.P.Scope(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[registry.Wage]{Items: nonNil(ws), Total: len(ws), Limit: len(ws)})
	return nil
}

type wagesInput struct {
	Wages []struct {
		EmployerID int64  `json:"employer_id"`
		Period     string `json:"period"`
		AmountFen  int64  `json:"amount_fen"`
	} `json:"wages"`
}

func (s *Server) apiWagesRecord(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in wagesInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	ws := make([]registry.Wage, len(in.Wages))
	for i, x := range in.Wages {
		ws[i] = registry.Wage{WorkerID: id, EmployerID: x.EmployerID, Period: x.Period, AmountFen: x.AmountFen}
	}
	if err := s.store.RecordWages(r.Context(), rq.P, id, ws); err != nil {
		return err
	}
	return s.apiWages(w, r, rq)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, rq *request) error {
	pg, err := apiPage(r)
	if err != nil {
		return err
	}
	f, err := web.AuditQueryOf(r).Filter() // the back office's filter: dates, actor, object, action, region
	if err != nil {
		return err
	}
	f.Page = pg
	items, total, err := s.store.FindAuditEntries(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[audit.Entry]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request, rq *request) error {
	us, err := s.store.FindUsers(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[access.User]{Items: nonNil(us), Total: len(us), Limit: len(us)})
	return nil
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in access.NewUser
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.store.CreateUser(r.Context(), rq.P, in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, u)
	return nil
}

// employerAt loads the employer named by {id}, within the user's scope.
func (s *Server) employerAt(r *http.Request, rq *request) (registry.Employer, error) {
	id, err := web.PathID(r)
	if err != nil {
		return registry.Employer{}, err
	}
	return s.store.FindEmployerByID(r.Context(), rq.P.Scope(), id)
}

// workerAt loads the worker named by {id}, within the user's scope, with
// personal data in full: callers pass it through web.Disclose.
func (s *Server) workerAt(r *http.Request, rq *request) (registry.Worker, error) {
	id, err := web.PathID(r)
	if err != nil {
		return registry.Worker{}, err
	}
	return s.store.FindWorkerByID(r.Context(), rq.P.Scope(), id)
}
