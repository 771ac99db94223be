package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Monthly clearing (月度清算): the status per institution of a month
// (settled and not yet cleared; cleared, with its statement), the month's
// statements between regions, the close form for the pooling area's
// benefits officer, and a statement's page with its settlements.

type clearingPage struct {
	base
	L        *web.ListQuery
	F        store.ClearingFilter
	Items    []store.ClearingStatus
	Pager    web.Pager
	Remote   []store.Statement
	CanClose bool
	Pooling  string // the region the officer closes for
	Error    string
}

func (s *Server) clearingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showClearing(w, r, rq, http.StatusOK, "")
}

func (s *Server) showClearing(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	now := s.store.Now()
	q, err := web.ParseList(r, web.ClearingListSpec("/clearing", regions, now))
	if err != nil {
		return err
	}
	f := web.ClearingFilterOf(q, now)
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: -1}
	}
	items, total, err := s.store.ClearingStatuses(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		if q.Get("month") == "" {
			q.SetName("month", f.Month)
		}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportClearing, File: "clearing", Columns: clearingColumns, Total: total,
			Rows: func(add sheet.RowFunc) (int, error) {
				for _, it := range items {
					stmt := ""
					if it.StatementID != 0 {
						stmt = fmt.Sprint(it.StatementID)
					}
					if err := add(f.Month, it.InstitutionCode, it.InstitutionName, regionText(it.RegionCode), it.OpenCount, sheet.Money(it.OpenMedFee),
						sheet.Money(it.OpenFundPay), it.ClearedCount, sheet.Money(it.ClearedFundPay), stmt); err != nil {
						return 0, err
					}
				}
				return len(items), nil
			}})
	}
	remote, err := s.store.Statements(r.Context(), rq.P.Scope(), f.Month, "remote")
	if err != nil {
		return err
	}
	p := &clearingPage{base: base{Title: "月度清算"}, L: q, F: f, Items: items, Pager: q.Pager(total), Remote: remote, Error: msg,
		CanClose: rq.P.Can(access.PermClearing), Pooling: settlement.PoolingRegion(rq.P.RegionCode)}
	s.render(w, r, rq, status, "clearing", p)
	return nil
}

var clearingColumns = []sheet.Column{{Header: "清算月份", Width: 10}, {Header: "机构编码", Width: 14}, {Header: "协议机构", Width: 28},
	{Header: "所在地区", Width: 10}, {Header: "未清算笔数", Width: 10}, {Header: "未清算医疗费", Width: 14}, {Header: "未清算基金支付", Width: 14},
	{Header: "已清算笔数", Width: 10}, {Header: "已清算基金支付", Width: 14}, {Header: "清算单号", Width: 10}}

// clearingClose closes the month the form names for the officer's
// pooling region.
func (s *Server) clearingClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	month := r.PostFormValue("month")
	res, err := s.store.CloseClearing(r.Context(), rq.P, month, r.PostFormValue("region"))
	back := "/clearing?month=" + url.QueryEscape(month)
	if err != nil {
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid && e.Kind != errs.Conflict {
			return err
		}
		msg := e.Message
		for _, f := range e.Fields {
			msg = f.Message
		}
		r.URL.RawQuery = ""
		return s.showClearing(w, r, rq, web.Status(err), msg)
	}
	if len(res.Statements) == 0 {
		s.flash(r, rq, fmt.Sprintf("%s没有新的待清算结算，未生成清算单。", month))
	} else {
		s.flash(r, rq, fmt.Sprintf("%s月度清算完成：%d笔结算，生成清算单%d张。", month, res.Settlements, len(res.Statements)))
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) statementShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	st, err := s.store.FindStatement(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, web.StatementSettlementSpec(fmt.Sprintf("/clearing/%d", id)))
	if err != nil {
		return err
	}
	heading := fmt.Sprintf("清算单%d：%s %s", st.ID, st.Month, st.InstitutionName)
	if st.Kind == "remote" {
		heading = fmt.Sprintf("清算单%d：%s 异地就医 %s→%s", st.ID, st.Month, regionText(st.PayerRegion), regionText(st.PayeeRegion))
	}
	q.Spec.Name = heading
	// The viewer may see the statement (the route checked it), so every
	// settlement in it: an institution statement's are in the institution's
	// region, a remote one's also in the paying workers' regions.
	p := &settlementsPage{base: base{Title: heading}, Heading: heading, St: &st}
	return s.settlementRows(w, r, rq, q, store.SettlementFilter{StatementID: id}, p)
}
