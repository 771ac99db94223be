package backoffice

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Remote-treatment filings (异地就医备案) at the window: the card on the
// worker's page (his filings, the form to file one, cancellation after
// the holding period), the form page that shows a refused filing's field
// errors, and the region's list of filings.

// filingCard is the 异地就医备案 card of a worker's page.
type filingCard struct {
	WorkerID  int64
	CSRF      string
	Items     []filingItem
	CanManage bool
	Form      filingForm
}

// filingItem is one filing with whether (or from when) it may change.
type filingItem struct {
	store.FilingRow
	MayChange   bool
	ChangeNote  string // why not, with the date from which it may
	TreatName   string
	KindName    string
	StateName   string
	Cancellable bool // active: the cancel form is offered (or its date)
}

// filingForm is the file-a-filing form: its choices and what was entered.
type filingForm struct {
	Cases   []store.CaseSummary // the worker's decided recognitions
	Regions []registry.Region   // treatment regions outside his pooling region
	Kinds   []settlement.FilingKind
	F       settlement.Filing
	Errors  map[string]string
}

var filingKinds = []settlement.FilingKind{settlement.Residence, settlement.Posted, settlement.Referral}

// filingCardFor builds the card of worker (insured in region) for rq.
func (s *Server) filingCardFor(ctx context.Context, rq *request, workerID int64, region string) (*filingCard, error) {
	if !rq.P.Can(access.PermSettleRead) && !rq.P.Can(access.PermFilingManage) {
		return nil, nil
	}
	card := &filingCard{WorkerID: workerID, CSRF: rq.CSRF, CanManage: rq.P.Can(access.PermFilingManage)}
	rows, _, err := s.store.FindFilings(ctx, rq.P, store.FilingQuery{WorkerID: workerID}, store.Page{Limit: 50})
	if err != nil {
		return nil, err
	}
	today := cstDay(s.store.Now())
	for _, row := range rows {
		it := filingItem{FilingRow: row, TreatName: regionText(row.TreatRegion), KindName: row.Kind.Name(), StateName: row.State.Name(),
			Cancellable: row.State == settlement.FilingActive}
		if it.Cancellable {
			rules, err := store.FilingRules(s.params.Set(ctx), row.RegionCode, today)
			if err != nil {
				return nil, err
			}
			it.ChangeNote = row.MayChange(rules, today)
			it.MayChange = it.ChangeNote == ""
		}
		card.Items = append(card.Items, it)
	}
	if card.CanManage {
		if card.Form, err = s.filingFormFor(ctx, rq, workerID, region); err != nil {
			return nil, err
		}
	}
	return card, nil
}

// filingFormFor lists the form's choices: the worker's cases with a
// decided recognition (the store refuses one that is not 认定工伤), and
// the regions outside his pooling region.
func (s *Server) filingFormFor(ctx context.Context, rq *request, workerID int64, region string) (filingForm, error) {
	form := filingForm{Kinds: filingKinds, F: settlement.Filing{Kind: settlement.Residence, ValidFrom: cstDay(s.store.Now())}}
	cases, err := s.store.CasesOf(ctx, rq.P, workerID, 0)
	if err != nil {
		return form, err
	}
	for _, c := range cases {
		if c.Recognition == casebundle.Decided || c.Recognition == casebundle.Delivered || c.Recognition == casebundle.Appealed {
			form.Cases = append(form.Cases, c)
		}
	}
	all, err := registry.Regions()
	if err != nil {
		return form, err
	}
	for _, r := range all {
		if settlement.IsRemote(r.Code, region) {
			form.Regions = append(form.Regions, r)
		}
	}
	return form, nil
}

type filingFormPage struct {
	base
	WorkerID   int64
	WorkerName string
	Form       filingForm
}

// filingCreate files a filing for the worker of {id}; a refusal shows the
// form again with the field errors (settlement.Prepare's and the store's).
func (s *Server) filingCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	wk, err := s.store.FindWorkerByID(r.Context(), rq.P.Scope(), id)
	if err != nil {
		return err
	}
	f := settlement.Filing{Kind: settlement.FilingKind(r.PostFormValue("kind")), TreatRegion: strings.TrimSpace(r.PostFormValue("treat_region")),
		Institution: strings.TrimSpace(r.PostFormValue("institution_code")), Reason: r.PostFormValue("reason"),
		Address: strings.TrimSpace(r.PostFormValue("address")), ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), Channel: "window"}
	var fs errs.Fields
	if _, err := fmt.Sscanf(r.PostFormValue("case_id"), "%d", &f.CaseID); err != nil || f.CaseID <= 0 {
		fs.Add("case_id", "required", "请选择备案所依据的工伤认定案件")
	}
	err = fs.Err()
	if err == nil {
		err = s.store.CreateFiling(r.Context(), rq.P, s.params.Set(r.Context()), &f)
	}
	if err != nil {
		fe, ferr := fieldErrors(err)
		if ferr != nil {
			return ferr
		}
		form, ferr := s.filingFormFor(r.Context(), rq, wk.ID, wk.RegionCode)
		if ferr != nil {
			return ferr
		}
		form.F, form.Errors = f, fe
		s.render(w, r, rq, http.StatusBadRequest, "filing_form", &filingFormPage{base: base{Title: "异地就医备案"}, WorkerID: wk.ID, WorkerName: wk.Name, Form: form})
		return nil
	}
	s.flash(r, rq, fmt.Sprintf("已办理%s备案（就医地%s，%s至%s）。", f.Kind.Name(), regionText(f.TreatRegion), f.ValidFrom, f.ValidTo))
	http.Redirect(w, r, fmt.Sprintf("/workers/%d#filings", wk.ID), http.StatusSeeOther)
	return nil
}

// filingCancel cancels the filing of {id} with a reason; refused before
// the holding period ends (settlement.MayChange, with the date).
func (s *Server) filingCancel(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	f, err := s.store.FindFiling(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	if err := s.store.CancelFiling(r.Context(), rq.P, s.params.Set(r.Context()), id, formVersion(r), r.PostFormValue("reason")); err != nil {
		return err
	}
	s.flash(r, rq, "异地就医备案已撤销。")
	http.Redirect(w, r, fmt.Sprintf("/workers/%d#filings", f.WorkerID), http.StatusSeeOther)
	return nil
}

type filingsPage struct {
	base
	L     *web.ListQuery
	Items []store.FilingRow
	Pager web.Pager
}

func (s *Server) filingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, web.FilingListSpec("/filings", regions))
	if err != nil {
		return err
	}
	f := web.FilingFilterOf(q)
	if f.WorkerID != 0 {
		wk, err := s.store.FindWorkerByID(r.Context(), rq.P.Scope(), f.WorkerID)
		if err != nil {
			return err
		}
		q.SetName("worker", wk.Name)
	}
	page := storePage(q)
	if q.Export {
		page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindFilings(r.Context(), rq.P, f, page)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportFilings(w, r, rq, q, f, total)
	}
	s.render(w, r, rq, http.StatusOK, "filings", &filingsPage{base: base{Title: "异地就医备案"}, L: q, Items: items, Pager: q.Pager(total)})
	return nil
}

var filingColumns = []sheet.Column{{Header: "职工", Width: 10}, {Header: "工伤认定案件", Width: 22}, {Header: "参保地区", Width: 10},
	{Header: "备案类型", Width: 14}, {Header: "就医地", Width: 12}, {Header: "接收机构", Width: 15}, {Header: "备案事由", Width: 30},
	{Header: "开始日期", Width: 12}, {Header: "有效期至", Width: 12}, {Header: "备案日期", Width: 12}, {Header: "状态", Width: 8},
	{Header: "办理渠道", Width: 10}}

var channelNames = map[string]string{"window": "窗口", "portal": "网上办理"}

func (s *Server) exportFilings(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.FilingQuery, total int) error {
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportFilings, File: "filings", Columns: filingColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			err := s.store.EachFiling(r.Context(), rq.P, f, func(row store.FilingRow) error {
				n++
				return add(row.WorkerName, row.CaseNumber, regionText(row.RegionCode), row.Kind.Name(), regionText(row.TreatRegion),
					row.Institution, row.Reason, row.ValidFrom, row.ValidTo, row.FiledOn, row.State.Name(), channelNames[row.Channel])
			})
			return n, err
		}})
}

func init() { funcs["channelName"] = func(c string) string { return channelNames[c] } }
