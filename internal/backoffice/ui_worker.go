package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type workersPage struct {
	base
	L            *web.ListQuery
	EmployerName string
	RegionNames  map[string]string
	Items        []registry.Worker
	CanWrite     bool
	Pager        web.Pager
}

// workerList is the list of 职工 (web.WorkerListSpec), masked: search,
// filters, sorting, paging, and with format=xlsx the export of all pages.
func (s *Server) workerList(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, scope := r.Context(), rq.P.Scope()
	regions, err := s.store.Regions(ctx, scope)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, web.WorkerListSpec("/workers", "employer", regions, rq.P.Can(access.PermPersonalData)))
	if err != nil {
		return err
	}
	page := &workersPage{base: base{Title: "职工"}, L: q, RegionNames: web.RegionNames, CanWrite: rq.P.Can(access.PermRegistryWrite)}
	if id := q.ID("employer"); id != 0 {
		e, err := s.store.FindEmployerByID(ctx, scope, id)
		if err != nil {
			return err
		}
		page.EmployerName = e.Name
		q.SetName("employer", e.Name)
	}
	f := web.WorkerFilterOf(q)
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindWorkers(ctx, scope, f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportWorkers(w, r, rq, q, f, total)
	}
	page.Items, page.Pager = web.DiscloseAll(rq.P, items), q.Pager(total)
	s.render(w, r, rq, http.StatusOK, "workers", page)
	return nil
}

// workerColumns are the export's columns: the list's own.
var workerColumns = []sheet.Column{{Header: "姓名", Width: 12}, {Header: "身份证号码", Width: 22}, {Header: "性别", Width: 6},
	{Header: "出生日期", Width: 12}, {Header: "手机", Width: 14}, {Header: "参保地区", Width: 10}, {Header: "登记日期", Width: 12}}

func (s *Server) exportWorkers(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.WorkerFilter, total int) error {
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportWorkers, File: "workers", Columns: workerColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			one := make([]registry.Worker, 1)
			err := s.store.EachWorker(r.Context(), rq.P.Scope(), f, func(wk registry.Worker) error {
				n++
				one[0] = wk
				wk = web.DiscloseAll(rq.P, one)[0] // masked exactly as the list shows it
				return add(wk.Name, wk.IDMasked, registry.SexNames[wk.Sex], web.BirthText(wk.BirthDate, wk.BirthYear), wk.PhoneMasked,
					web.RegionNames[wk.RegionCode], cstDay(wk.CreatedAt))
			})
			return n, err
		}})
}

type workerFormPage struct {
	base
	W                   registry.Worker
	Edit                bool
	EmployerCode, Start string
	Errors              map[string]string
}

func (s *Server) showWorkerForm(w http.ResponseWriter, r *http.Request, rq *request, p *workerFormPage, err error) error {
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	if fe["employer_id"] != "" && fe["employer_code"] == "" {
		fe["employer_code"] = fe["employer_id"]
	}
	p.Errors, p.Title = fe, "职工"
	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	}
	s.render(w, r, rq, status, "worker_form", p)
	return nil
}

func (s *Server) workerNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	// 登记职工 on an employer's page names the employer.
	code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("employer_code")))
	return s.showWorkerForm(w, r, rq, &workerFormPage{EmployerCode: code}, nil)
}

func workerFromForm(r *http.Request) registry.Worker {
	return registry.Worker{IDNumber: r.PostFormValue("id_number"), Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"),
		BankName: r.PostFormValue("bank_name"), BankAccount: r.PostFormValue("bank_account")}
}

func (s *Server) workerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	wk := workerFromForm(r)
	p := &workerFormPage{W: wk, EmployerCode: strings.TrimSpace(strings.ToUpper(r.PostFormValue("employer_code"))), Start: r.PostFormValue("start")}
	e, err := s.employerByCode(r, rq, p.EmployerCode)
	if err != nil {
		// Report the employer problem together with the worker's own.
		var fs errs.Fields
		fs.Merge(err)
		wk.RegionCode = rq.P.RegionCode
		if verr := wk.Validate(s.store.Now()); verr != nil {
			fs.Merge(verr)
		}
		return s.showWorkerForm(w, r, rq, p, fs.Err())
	}
	wk.RegionCode = e.RegionCode
	emp := registry.Employment{EmployerID: e.ID, Start: p.Start}
	if err := s.store.CreateWorker(r.Context(), rq.P, &wk, &emp); err != nil {
		return s.showWorkerForm(w, r, rq, p, err)
	}
	s.flash(r, rq, "职工“"+wk.Name+"”已登记。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d", wk.ID), http.StatusSeeOther)
	return nil
}

// employerByCode finds the employer named in a form, as a field error.
func (s *Server) employerByCode(r *http.Request, rq *request, code string) (registry.Employer, error) {
	if err := registry.ValidateCreditCode("employer_code", code); err != nil {
		return registry.Employer{}, err
	}
	e, err := s.store.FindEmployerByCreditCode(r.Context(), rq.P.Scope(), code)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		return e, errs.Field("employer_code", "employer_unknown", "本地区没有统一社会信用代码为“%s”的用人单位", code)
	}
	return e, err
}

type workerPage struct {
	base
	W            registry.Worker
	Full         bool
	RegionName   string
	Employments  []registry.Employment
	Wages        []registry.Wage
	AvgFen       int64
	CanWrite     bool
	CanOpenCase  bool
	CanReadCases bool
	Cases        []store.CaseSummary
	Filing       *filingCard // 异地就医备案 (ui_filing.go), nil for roles without settle.read
}

func (s *Server) workerShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx, scope := r.Context(), rq.P.Scope()
	wk, err := s.store.FindWorkerByID(ctx, scope, id)
	if err != nil {
		return err
	}
	p := &workerPage{base: base{Title: wk.Name}, W: web.Disclose(rq.P, wk), Full: rq.P.Can(access.PermPersonalData),
		RegionName: web.RegionNames[wk.RegionCode], CanWrite: rq.P.Can(access.PermRegistryWrite)}
	if p.Employments, err = s.store.Employments(ctx, scope, id); err != nil {
		return err
	}
	if p.Wages, err = s.store.Wages(ctx, scope, id); err != nil {
		return err
	}
	if len(p.Wages) > 12 {
		p.Wages = p.Wages[:12]
	}
	p.AvgFen = averageFen(p.Wages)
	p.CanOpenCase, p.CanReadCases = mayOpenCase(rq.P), rq.P.Can(access.PermCaseRead)
	if p.CanReadCases {
		if p.Cases, err = s.store.CasesOf(ctx, rq.P, id, 0); err != nil {
			return err
		}
	}
	if p.Filing, err = s.filingCardFor(ctx, rq, id, wk.RegionCode); err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "worker", p)
	return nil
}

// averageFen is the mean of the wages, rounded half up to the fen.
func averageFen(ws []registry.Wage) int64 {
	if len(ws) == 0 {
		return 0
	}
	var sum int64
	for _, w := range ws {
		sum += w.AmountFen
	}
	n := int64(len(ws))
	return (sum*2 + n) / (2 * n)
}

func (s *Server) workerEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	wk, err := s.workerAt(r, rq)
	if err != nil {
		return err
	}
	return s.showWorkerForm(w, r, rq, &workerFormPage{W: web.Disclose(rq.P, wk), Edit: true}, nil)
}

func (s *Server) workerSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	in := workerFromForm(r)
	in.ID, in.Version = id, formVersion(r)
	upd := registry.WorkerUpdate{Version: &in.Version, Name: &in.Name, Phone: &in.Phone, BankName: &in.BankName, BankAccount: &in.BankAccount}
	if _, err := s.store.UpdateWorker(r.Context(), rq.P, id, upd); err != nil {
		return s.showWorkerForm(w, r, rq, &workerFormPage{W: in, Edit: true}, err)
	}
	s.flash(r, rq, "职工“"+in.Name+"”的信息已保存。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) employmentAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	e, err := s.employerByCode(r, rq, strings.TrimSpace(strings.ToUpper(r.PostFormValue("employer_code"))))
	if err != nil {
		return err
	}
	emp := registry.Employment{WorkerID: id, EmployerID: e.ID, Start: r.PostFormValue("start"), End: r.PostFormValue("end")}
	if err := s.store.AddEmployment(r.Context(), rq.P, &emp); err != nil {
		return err
	}
	s.flash(r, rq, "劳动关系已添加。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d", id), http.StatusSeeOther)
	return nil
}

func (s *Server) wageRecord(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	employer, err := strconv.ParseInt(r.PostFormValue("employer_id"), 10, 64)
	if err != nil {
		return errs.Field("employer_id", "required", "请选择发放工资的用人单位")
	}
	amount, err := param.ParseMoney(strings.TrimSpace(r.PostFormValue("amount")))
	if err != nil {
		return errs.Field("amount", "amount_format", "缴费工资金额“%s”无效（元，最多两位小数）", r.PostFormValue("amount"))
	}
	wage := registry.Wage{EmployerID: employer, Period: r.PostFormValue("period"), AmountFen: amount}
	if err := s.store.RecordWages(r.Context(), rq.P, id, []registry.Wage{wage}); err != nil {
		return err
	}
	s.flash(r, rq, "缴费工资已保存。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d", id), http.StatusSeeOther)
	return nil
}

// workerAt loads the worker named by {id}, within the user's scope, with
// personal data in full: callers pass it through disclose.
func (s *Server) workerAt(r *http.Request, rq *request) (registry.Worker, error) {
	id, err := web.PathID(r)
	if err != nil {
		return registry.Worker{}, err
	}
	return s.store.FindWorkerByID(r.Context(), rq.P.Scope(), id)
}

func (s *Server) employmentEnd(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	eid, err := strconv.ParseInt(r.PathValue("eid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "劳动关系编号“%s”无效", r.PathValue("eid"))
	}
	if err := s.store.EndEmployment(r.Context(), rq.P, id, eid, r.PostFormValue("end")); err != nil {
		return err
	}
	s.flash(r, rq, "劳动关系已终止。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d", id), http.StatusSeeOther)
	return nil
}
