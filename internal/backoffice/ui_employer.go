package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type employersPage struct {
	base
	L           *web.ListQuery
	RegionNames map[string]string
	Items       []registry.Employer
	CanWrite    bool
	Pager       web.Pager
}

// employerList is the list of 用人单位 (web.EmployerListSpec): search,
// filters, sorting, paging, and with format=xlsx the export of all pages.
func (s *Server) employerList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, web.EmployerListSpec("/employers", regions))
	if err != nil {
		return err
	}
	f := web.EmployerFilterOf(q)
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindEmployers(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportEmployers(w, r, rq, q, f, total)
	}
	s.render(w, r, rq, http.StatusOK, "employers", &employersPage{base: base{Title: "用人单位"}, L: q, RegionNames: web.RegionNames,
		Items: items, CanWrite: rq.P.Can(access.PermRegistryWrite), Pager: q.Pager(total)})
	return nil
}

// employerColumns are the export's columns: the list's own.
var employerColumns = []sheet.Column{{Header: "统一社会信用代码", Width: 22}, {Header: "单位名称", Width: 36}, {Header: "地区", Width: 10},
	{Header: "行业", Width: 28}, {Header: "风险类别", Width: 9}, {Header: "费率档次", Width: 9}, {Header: "状态", Width: 9}, {Header: "登记日期", Width: 12}}

func (s *Server) exportEmployers(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.EmployerFilter, total int) error {
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportEmployers, File: "employers", Columns: employerColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			err := s.store.EachEmployer(r.Context(), rq.P.Scope(), f, func(e registry.Employer) error {
				n++
				return add(e.CreditCode, e.Name, web.RegionNames[e.RegionCode], industryName(e.Industry), web.ClassName(e.RiskClass),
					strconv.Itoa(e.RateTierPct)+"%", registry.EmployerStatusNames[e.Status], cstDay(e.CreatedAt))
			})
			return n, err
		}})
}

// industryName is an industry as lists show it: code and name.
func industryName(code string) string {
	if in, ok := registry.MustReference().Industry(code); ok {
		return code + " " + in.Name
	}
	return code
}

type employerFormPage struct {
	base
	E          registry.Employer
	Edit       bool
	Errors     map[string]string
	Regions    []registry.Region
	Industries []registry.Industry
	Classes    []registry.RateClass
	Tiers      []int
	Statuses   map[string]string
}

func (s *Server) showEmployerForm(w http.ResponseWriter, r *http.Request, rq *request, e registry.Employer, edit bool, err error) error {
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	regions, rerr := s.store.Regions(r.Context(), rq.P.Scope())
	if rerr != nil {
		return rerr
	}
	ref := registry.MustReference()
	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	}
	s.render(w, r, rq, status, "employer_form", &employerFormPage{base: base{Title: "用人单位"}, E: e, Edit: edit, Errors: fe,
		Regions: regions, Industries: ref.Industries, Classes: ref.Classes, Tiers: []int{50, 80, 100, 120, 150}, Statuses: registry.EmployerStatusNames})
	return nil
}

// fieldErrors turns an Invalid or Conflict error with fields into a map
// for a form; any other error is returned to go to the error page.
func fieldErrors(err error) (map[string]string, error) {
	if err == nil {
		return nil, nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return nil, err
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		if m[f.Field] == "" {
			m[f.Field] = f.Message
		}
	}
	return m, nil
}

func (s *Server) employerNew(w http.ResponseWriter, r *http.Request, rq *request) error {
	e := registry.Employer{RegionCode: rq.P.RegionCode, RiskClass: 1, RateTierPct: 100, Industry: "01"}
	return s.showEmployerForm(w, r, rq, e, false, nil)
}

// employerFromForm reads the form into an employer; numbers that do not
// parse become field errors, reported with the rest by Validate.
func employerFromForm(r *http.Request) (registry.Employer, errs.Fields) {
	var fs errs.Fields
	e := registry.Employer{CreditCode: r.PostFormValue("credit_code"), Name: r.PostFormValue("name"),
		RegionCode: r.PostFormValue("region_code"), Industry: r.PostFormValue("industry"),
		ContactName: r.PostFormValue("contact_name"), ContactPhone: r.PostFormValue("contact_phone"),
		Address: r.PostFormValue("address"), Status: r.PostFormValue("status")}
	e.RiskClass = formInt(r, &fs, "risk_class", "行业风险类别")
	e.RateTierPct = formInt(r, &fs, "rate_tier_pct", "浮动费率档次")
	return e, fs
}

// formVersion reads the hidden version an edit form was filled from; the
// store refuses the change when the record moved on since.
func formVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

func formInt(r *http.Request, fs *errs.Fields, name, label string) int {
	v := r.PostFormValue(name)
	n, err := strconv.Atoi(v)
	if err != nil {
		fs.Add(name, "int_format", "%s应为整数，当前为“%s”", label, v)
	}
	return n
}

func (s *Server) employerCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	e, fs := employerFromForm(r)
	if len(fs) > 0 {
		return s.showEmployerForm(w, r, rq, e, false, fs.Err())
	}
	if err := s.store.CreateEmployer(r.Context(), rq.P, &e); err != nil {
		return s.showEmployerForm(w, r, rq, e, false, err)
	}
	s.flash(r, rq, "用人单位“"+e.Name+"”已登记。")
	http.Redirect(w, r, fmt.Sprintf("/employers/%d", e.ID), http.StatusSeeOther)
	return nil
}

type employerPage struct {
	base
	E            registry.Employer
	RegionName   string
	RatePct      string
	RiskWarning  string
	Workers      []registry.Worker
	WorkerTotal  int
	CanWrite     bool
	CanReadCases bool
	Cases        []store.CaseSummary
}

func (s *Server) employerShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	e, err := s.employerAt(r, rq)
	if err != nil {
		return err
	}
	workers, total, err := s.store.FindWorkers(r.Context(), rq.P.Scope(), store.WorkerFilter{EmployerID: e.ID, Page: store.Page{Limit: 20}})
	if err != nil {
		return err
	}
	p := &employerPage{base: base{Title: e.Name}, E: web.DiscloseEmployer(rq.P, e), RegionName: web.RegionNames[e.RegionCode],
		RatePct: ratePct(e), RiskWarning: registry.MustReference().RiskMismatch(e.Industry, e.RiskClass), Workers: web.DiscloseAll(rq.P, workers), WorkerTotal: total,
		CanWrite: rq.P.Can(access.PermRegistryWrite), CanReadCases: rq.P.Can(access.PermCaseRead)}
	if p.CanReadCases {
		if p.Cases, err = s.store.CasesOf(r.Context(), rq.P, 0, e.ID); err != nil {
			return err
		}
	}
	s.render(w, r, rq, http.StatusOK, "employer", p)
	return nil
}

// ratePct is the employer's contribution rate: base rate × tier.
func ratePct(e registry.Employer) string {
	c, ok := registry.MustReference().Class(e.RiskClass)
	if !ok {
		return ""
	}
	// base in basis points × tier percent = rate in 1/1,000,000; show as %.
	millionths := c.BaseRateBP * e.RateTierPct
	return fmt.Sprintf("%d.%04d%%", millionths/10000, millionths%10000)
}

func (s *Server) employerEdit(w http.ResponseWriter, r *http.Request, rq *request) error {
	e, err := s.employerAt(r, rq)
	if err != nil {
		return err
	}
	return s.showEmployerForm(w, r, rq, e, true, nil)
}

func (s *Server) employerSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	before, err := s.store.FindEmployerByID(r.Context(), rq.P.Scope(), id)
	if err != nil {
		return err
	}
	in, fs := employerFromForm(r)
	in.ID, in.CreditCode, in.RegionCode = id, before.CreditCode, before.RegionCode
	if len(fs) > 0 {
		return s.showEmployerForm(w, r, rq, in, true, fs.Err())
	}
	in.Version = formVersion(r)
	upd := registry.EmployerUpdate{Version: &in.Version, Name: &in.Name, Industry: &in.Industry, RiskClass: &in.RiskClass, RateTierPct: &in.RateTierPct,
		ContactName: &in.ContactName, ContactPhone: &in.ContactPhone, Address: &in.Address, Status: &in.Status}
	if _, err := s.store.UpdateEmployer(r.Context(), rq.P, id, upd); err != nil {
		return s.showEmployerForm(w, r, rq, in, true, err)
	}
	s.flash(r, rq, "用人单位“"+in.Name+"”已保存。")
	http.Redirect(w, r, fmt.Sprintf("/employers/%d", id), http.StatusSeeOther)
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
