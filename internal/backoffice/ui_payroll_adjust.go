package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Batch adjustments (调待, /payroll/adjustments): the list, the rule's
// form with its preview (who changes, the monthly cost, the arrears, the
// first rows) before it is prepared, and the page where a second officer
// approves or rejects it.

type adjustForm struct {
	Region, Type, Level, Percent, Flat, Floor, Cap, Effective, Note string
	Rerate                                                          bool
}

type adjustmentsPage struct {
	base
	Items      []store.Adjustment
	Regions    []registry.Region
	Types      []web.Choice
	CanPrepare bool
	F          adjustForm
	Errors     map[string]string
	Preview    *store.AdjustmentPreview
}

func (s *Server) adjustmentList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showAdjustments(w, r, rq, http.StatusOK, &adjustmentsPage{F: adjustForm{Region: rq.P.RegionCode,
		Effective: payroll.MonthOf(s.store.Now().In(cst)).String()}})
}

func (s *Server) showAdjustments(w http.ResponseWriter, r *http.Request, rq *request, status int, p *adjustmentsPage) error {
	var err error
	if p.Items, err = s.store.Adjustments(r.Context(), rq.P); err != nil {
		return err
	}
	if p.Regions, err = s.store.Regions(r.Context(), rq.P.Scope()); err != nil {
		return err
	}
	for _, t := range payroll.Adjustable {
		p.Types = append(p.Types, web.Choice{Value: t, Name: payroll.TypeName(t)})
	}
	p.Title, p.CanPrepare = "待遇调整", rq.P.Can(access.PermPayrollPrepare)
	s.render(w, r, rq, status, "payroll_adjustments", p)
	return nil
}

// adjustFromForm reads the rule: the percentage in per cent, amounts in
// yuan (the flat amount may be negative).
func adjustFromForm(r *http.Request) (adjustForm, payroll.Adjustment, errs.Fields) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := adjustForm{Region: v("region"), Type: v("type"), Level: v("level"), Percent: v("percent"), Flat: v("flat"), Floor: v("floor"),
		Cap: v("cap"), Effective: v("effective"), Note: v("note"), Rerate: r.PostFormValue("rerate") == "1"}
	var fs errs.Fields
	a := payroll.Adjustment{Type: f.Type, Effective: f.Effective, Note: f.Note, Rerate: f.Rerate}
	if f.Level != "" {
		n, err := strconv.Atoi(f.Level)
		if err != nil {
			fs.Add("level", "int_format", "伤残等级应为0至6的整数（0表示全部），当前为“%s”", clip(f.Level))
		}
		a.Level = n
	}
	a.PercentBP = signedHundredths(&fs, "percent", "调整比例（%）", f.Percent)
	a.FlatFen = signedHundredths(&fs, "flat", "定额调整（元）", f.Flat)
	a.FloorFen = signedHundredths(&fs, "floor", "增加额下限（元）", f.Floor)
	a.CapFen = signedHundredths(&fs, "cap", "增加额上限（元）", f.Cap)
	return f, a, fs
}

// signedHundredths parses "3.5" or "-120.00" into hundredths (basis
// points of a per cent, or fen of a yuan); empty is 0.
func signedHundredths(fs *errs.Fields, name, label, v string) int64 {
	if v == "" {
		return 0
	}
	neg := strings.HasPrefix(v, "-")
	n, err := param.ParseMoney(strings.TrimPrefix(v, "-"))
	if err != nil {
		fs.Add(name, "number", "%s应为数字，最多两位小数（当前为“%s”）", label, clip(v))
		return 0
	}
	if neg {
		return -n
	}
	return n
}

// adjustFields names the rule's fields as the form does.
var adjustFields = map[string]string{"percent_bp": "percent", "flat_fen": "flat", "floor_fen": "floor", "cap_fen": "cap", "region_code": "region"}

func (s *Server) adjustRefused(w http.ResponseWriter, r *http.Request, rq *request, f adjustForm, err error) error {
	fe, ferr := payrollFieldErrors(err)
	if ferr != nil {
		return ferr
	}
	for from, to := range adjustFields {
		if m, ok := fe[from]; ok {
			fe[to] = m
			delete(fe, from)
		}
	}
	return s.showAdjustments(w, r, rq, web.Status(err), &adjustmentsPage{F: f, Errors: fe})
}

// adjustmentPreview shows what the rule would change, without changing
// anything.
func (s *Server) adjustmentPreview(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, a, fs := adjustFromForm(r)
	err := errs.Fields(append(fs, fieldsOf(a.Validate())...)).Err()
	var pv store.AdjustmentPreview
	if err == nil {
		pv, err = s.store.PreviewAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), f.Region, a)
	}
	if err != nil {
		return s.adjustRefused(w, r, rq, f, err)
	}
	return s.showAdjustments(w, r, rq, http.StatusOK, &adjustmentsPage{F: f, Preview: &pv})
}

// adjustmentPrepare records the rule for a second officer's approval.
func (s *Server) adjustmentPrepare(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, a, fs := adjustFromForm(r)
	err := errs.Fields(append(fs, fieldsOf(a.Validate())...)).Err()
	var adj store.Adjustment
	if err == nil {
		adj, err = s.store.PrepareAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), f.Region, a)
	}
	if err != nil {
		return s.adjustRefused(w, r, rq, f, err)
	}
	s.flash(r, rq, fmt.Sprintf("调整已提交审批：涉及%d项待遇，每月增加%s，补发%s。", adj.Affected, param.Yuan(adj.MonthlyFen), param.Yuan(adj.ArrearsFen)))
	http.Redirect(w, r, fmt.Sprintf("/payroll/adjustments/%d", adj.ID), http.StatusSeeOther)
	return nil
}

type adjustmentPage struct {
	base
	A          store.Adjustment
	Preview    store.AdjustmentPreview
	Preparer   string
	Approver   string
	CanDecide  bool
	Error      string
	FieldError string
}

func (s *Server) adjustmentShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showAdjustment(w, r, rq, id, http.StatusOK, &adjustmentPage{})
}

func (s *Server) showAdjustment(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, p *adjustmentPage) error {
	ctx := r.Context()
	a, err := s.store.FindAdjustment(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p.A, p.Title = a, fmt.Sprintf("待遇调整%d", a.ID)
	if a.State == "prepared" {
		// The rows it will change, as the approver sees them now.
		if p.Preview, err = s.store.PreviewAdjustment(ctx, rq.P, s.params.Set(ctx), a.RegionCode, a.Rule); err != nil && !errs.Is(err, errs.Invalid) {
			return err
		}
	}
	names := s.cycleNames(ctx, store.PayrollCycle{OpenedBy: a.PreparedBy, ApprovedBy: a.ApprovedBy})
	p.Preparer, p.Approver = names["opened"], names["approved"]
	p.CanDecide = a.State == "prepared" && rq.P.Can(access.PermPayrollApprove) && rq.P.UserID != a.PreparedBy
	s.render(w, r, rq, status, "payroll_adjustment", p)
	return nil
}

// adjustmentDecide approves (applies) or rejects a prepared adjustment.
func (s *Server) adjustmentDecide(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	decision := r.PostFormValue("decision")
	if decision != "approve" && decision != "reject" {
		return errs.Field("decision", "decision", "请选择批准或退回")
	}
	approve := decision == "approve"
	if err := s.store.DecideAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), id, formVersion(r), approve, r.PostFormValue("reason")); err != nil {
		fe, ferr := payrollFieldErrors(err)
		if ferr != nil {
			return ferr
		}
		p := &adjustmentPage{Error: fe[""], FieldError: fe["reason"]}
		return s.showAdjustment(w, r, rq, id, web.Status(err), p)
	}
	msg := "调整已批准并执行。"
	if !approve {
		msg = "调整已退回。"
	}
	s.flash(r, rq, msg)
	http.Redirect(w, r, fmt.Sprintf("/payroll/adjustments/%d", id), http.StatusSeeOther)
	return nil
}
