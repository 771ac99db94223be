package backoffice

import (
	"fmt"
	"net/http"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/settlement"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The direct-settlement screens: encounters, settlements, a settlement's
// page and the daily reconciliation. Every list is region-scoped in the
// store (an encounter or settlement is seen by the treating institution's
// region and by the worker's region).

func init() {
	funcs["qty"] = func(q int64) string { return strconv.FormatFloat(float64(q)/settlement.QtyScale, 'f', -1, 64) }
	funcs["medType"] = func(m settlement.MedType) string { return m.Name() }
	funcs["encState"] = func(s settlement.EncounterState) string { return s.Name() }
	funcs["setlState"] = func(s settlement.SettlementState) string { return web.SettlementStateNames[string(s)] }
	funcs["setlKind"] = func(k string) string { return web.SettlementKindNames[k] }
	funcs["category"] = func(c catalogue.Category) string { return c.Name() }
	funcs["reviewName"] = func(r string) string { return store.ReviewStates[r] }
	funcs["severity"] = func(s string) string { return settlement.Severity(s).Name() }
	funcs["neg"] = func(n int64) bool { return n < 0 }
}

// nameInstitution lets a list's title name the institution its filter
// holds.
func (s *Server) nameInstitution(r *http.Request, rq *request, q *web.ListQuery) {
	if id := q.ID("institution"); id != 0 {
		if in, err := s.store.FindInstitution(r.Context(), rq.P, id); err == nil {
			q.SetName("institution", in.Name)
		}
	}
}

type encountersPage struct {
	base
	L     *web.ListQuery
	Items []store.EncounterItem
	Pager web.Pager
}

func (s *Server) encounterList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, web.EncounterListSpec("/encounters"))
	if err != nil {
		return err
	}
	s.nameInstitution(r, rq, q)
	f := web.EncounterFilterOf(q)
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindEncounters(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportEncounters, File: "encounters", Columns: encounterColumns, Total: total,
			Rows: func(add sheet.RowFunc) (int, error) {
				n := 0
				err := s.store.EachEncounter(r.Context(), rq.P.Scope(), f, func(e store.EncounterItem) error {
					n++
					end := ""
					if e.End != nil {
						end = e.End.In(cst).Format("2006-01-02 15:04")
					}
					return add(e.MdtrtID, e.InstitutionName, e.PsnName, e.IDMasked, e.MedType.Name(), e.Begin.In(cst).Format("2006-01-02 15:04"), end,
						e.DiagCode+" "+e.DiagName, e.InjuryID, yesNo(e.Payable), yesNo(e.Remote), e.State.Name())
				})
				return n, err
			}})
	}
	s.render(w, r, rq, http.StatusOK, "encounters", &encountersPage{base: base{Title: "就诊登记"}, L: q, Items: items, Pager: q.Pager(total)})
	return nil
}

var encounterColumns = []sheet.Column{{Header: "就诊ID", Width: 20}, {Header: "协议机构", Width: 28}, {Header: "姓名", Width: 10},
	{Header: "身份证号码", Width: 20}, {Header: "医疗类别", Width: 12}, {Header: "入院时间", Width: 17}, {Header: "出院时间", Width: 17},
	{Header: "诊断", Width: 24}, {Header: "工伤认定编号", Width: 22}, {Header: "可结算", Width: 8}, {Header: "异地", Width: 6}, {Header: "状态", Width: 8}}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

type settlementsPage struct {
	base
	L       *web.ListQuery
	Items   []store.SettlementItem
	Pager   web.Pager
	Heading string
	St      *store.Statement
}

func (s *Server) settlementList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, web.SettlementListSpec("/settlements"))
	if err != nil {
		return err
	}
	s.nameInstitution(r, rq, q)
	return s.settlementRows(w, r, rq, q, web.SettlementFilterOf(q), &settlementsPage{base: base{Title: "结算记录"}, Heading: "结算记录"})
}

// settlementRows renders (or exports) a settlement list: the list itself
// or a statement's settlements.
func (s *Server) settlementRows(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.SettlementFilter, p *settlementsPage) error {
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindSettlements(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		action := store.ExportSettlements
		if f.StatementID != 0 {
			action = store.ExportClearing
		}
		return s.exportList(w, r, rq, q, listExport{Action: action, File: "settlements", Columns: settlementColumns, Total: total,
			Rows: func(add sheet.RowFunc) (int, error) {
				n := 0
				err := s.store.EachSettlement(r.Context(), rq.P.Scope(), f, func(it store.SettlementItem) error {
					n++
					return add(it.SetlID, web.SettlementKindNames[it.Kind], it.SetlDay, it.InstitutionName, it.PsnName, it.IDMasked, it.MedType.Name(),
						yesNo(it.Remote), sheet.Money(it.MedFee), sheet.Money(it.InScope), sheet.Money(it.FundPay), sheet.Money(it.CashPay),
						sheet.Money(it.Definite), int64(it.FindingCount), web.SettlementStateNames[string(it.State)], cleared(it))
				})
				return n, err
			}})
	}
	p.L, p.Items, p.Pager = q, items, q.Pager(total)
	s.render(w, r, rq, http.StatusOK, "settlements", p)
	return nil
}

func cleared(it store.SettlementItem) string {
	if it.StatementID != 0 {
		return fmt.Sprintf("已清算（清算单%d）", it.StatementID)
	}
	return "未清算"
}

var settlementColumns = []sheet.Column{{Header: "结算ID", Width: 20}, {Header: "类型", Width: 9}, {Header: "结算日期", Width: 12},
	{Header: "协议机构", Width: 28}, {Header: "姓名", Width: 10}, {Header: "身份证号码", Width: 20}, {Header: "医疗类别", Width: 12},
	{Header: "异地", Width: 6}, {Header: "医疗费总额", Width: 13}, {Header: "目录内金额", Width: 13},
	{Header: "基金支付", Width: 13}, {Header: "个人支付", Width: 13}, {Header: "违规扣减", Width: 12},
	{Header: "审核发现", Width: 9}, {Header: "状态", Width: 8}, {Header: "清算", Width: 18}}

type settlementPage struct {
	base
	D         store.SettlementDetail
	Full      bool
	CanReview bool
}

func (s *Server) settlementShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	d, err := s.store.FindSettlement(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "settlement", &settlementPage{base: base{Title: "结算 " + d.SetlID}, D: d,
		Full: rq.P.Can(access.PermPersonalData), CanReview: rq.P.Can(access.PermFindingReview)})
	return nil
}

type reconPage struct {
	base
	L     *web.ListQuery
	F     store.ReconFilter
	Items []store.ReconRow
	Pager web.Pager
}

func (s *Server) reconciliation(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, web.ReconListSpec("/reconciliation"))
	if err != nil {
		return err
	}
	s.nameInstitution(r, rq, q)
	f := web.ReconFilterOf(q, s.store.Now())
	f.Page = storePage(q)
	if q.Export {
		f.Page = store.Page{Limit: -1}
	}
	items, total, err := s.store.Reconciliation(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportReconciliation, File: "reconciliation", Columns: reconColumns, Total: total,
			Rows: func(add sheet.RowFunc) (int, error) {
				for _, it := range items {
					var tc, tm, tf any
					text := ""
					if it.Theirs != nil {
						tc, tm, tf, text = it.Theirs.Totals.Count, sheet.Money(it.Theirs.Totals.MedFee), sheet.Money(it.Theirs.Totals.FundPay), it.Theirs.Infno+" "+it.Theirs.Text
					}
					if err := add(it.Period(), it.InstitutionCode, it.InstitutionName, it.Ours.Count, sheet.Money(it.Ours.MedFee), sheet.Money(it.Ours.FundPay),
						tc, tm, tf, store.ReconStatusNames[it.Status()], text); err != nil {
						return 0, err
					}
				}
				return len(items), nil
			}})
	}
	s.render(w, r, rq, http.StatusOK, "reconciliation", &reconPage{base: base{Title: "对账"}, L: q, F: f, Items: items, Pager: q.Pager(total)})
	return nil
}

var reconColumns = []sheet.Column{{Header: "对账期间", Width: 24}, {Header: "机构编码", Width: 14}, {Header: "协议机构", Width: 28},
	{Header: "经办笔数", Width: 9}, {Header: "经办医疗费总额", Width: 14}, {Header: "经办基金支付", Width: 14},
	{Header: "机构申报笔数", Width: 11}, {Header: "机构医疗费总额", Width: 14}, {Header: "机构基金支付", Width: 14},
	{Header: "对账结果", Width: 8}, {Header: "机构最近一次对账答复", Width: 40}}
