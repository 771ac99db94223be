package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/errs"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The review queue (疑点复核): the suspicious findings of the
// institutions in the auditor's region, oldest first, each with an accept
// and a reject form (a reason is required); above it each rule's
// statistics (confirmed ÷ reviewed).

type findingsPage struct {
	base
	L      *web.ListQuery
	Items  []store.FindingItem
	Pager  web.Pager
	Stats  []store.RuleStat
	Month  string
	Err    map[int64]string // a refused review's message, by finding
	Reason map[int64]string // what the reviewer typed
}

func (s *Server) findingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showFindings(w, r, rq, http.StatusOK, nil, nil)
}

func (s *Server) showFindings(w http.ResponseWriter, r *http.Request, rq *request, status int, fe, reason map[int64]string) error {
	q, err := web.ParseList(r, web.FindingListSpec("/findings", s.store.Now()))
	if err != nil {
		return err
	}
	s.nameInstitution(r, rq, q)
	f := web.FindingFilterOf(q)
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindFindings(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportFindings, File: "findings", Columns: findingColumns, Total: total,
			Rows: func(add sheet.RowFunc) (int, error) {
				n := 0
				err := s.store.EachFinding(r.Context(), rq.P.Scope(), f, func(it store.FindingItem) error {
					n++
					return add(it.SetlID, it.SetlDay, it.InstitutionName, it.PsnName, it.RuleID+" "+it.RuleName, it.LineSN, sheet.Money(it.Amount),
						it.Content, store.ReviewStates[it.Review], it.ReviewReason)
				})
				return n, err
			}})
	}
	stats, err := s.store.RuleStats(r.Context(), q.Get("month"))
	if err != nil {
		return err
	}
	s.render(w, r, rq, status, "findings", &findingsPage{base: base{Title: "疑点复核"}, L: q, Items: items, Pager: q.Pager(total),
		Stats: stats, Month: q.Get("month"), Err: fe, Reason: reason})
	return nil
}

var findingColumns = []sheet.Column{{Header: "结算ID", Width: 20}, {Header: "结算日期", Width: 12}, {Header: "协议机构", Width: 28},
	{Header: "姓名", Width: 10}, {Header: "规则", Width: 28}, {Header: "明细流水号", Width: 14}, {Header: "涉及金额", Width: 12},
	{Header: "疑点内容", Width: 50}, {Header: "复核状态", Width: 10}, {Header: "复核意见", Width: 30}}

// findingReview records a decision from the queue's form and goes back to
// the queue (the form carries the queue's query in back); a refusal shows
// the queue again with the message beside the finding.
func (s *Server) findingReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	reason := r.PostFormValue("reason")
	f, err := s.store.ReviewFinding(r.Context(), rq.P, id, version, r.PostFormValue("decision"), reason)
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/findings") || strings.ContainsAny(back, "\\\r\n") {
		back = "/findings"
	}
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) || (e.Kind != errs.Invalid && e.Kind != errs.Conflict) {
			return err
		}
		msg := e.Message
		for _, fe := range e.Fields {
			msg = fe.Message
		}
		// Show the queue the form came from.
		if u, perr := r.URL.Parse(back); perr == nil {
			r.URL.RawQuery = u.RawQuery
		}
		return s.showFindings(w, r, rq, web.Status(err), map[int64]string{id: msg}, map[int64]string{id: reason})
	}
	s.flash(r, rq, fmt.Sprintf("疑点%d（%s %s）已复核：%s。", f.ID, f.RuleID, f.SetlID, store.ReviewStates[f.Review]))
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
