package portal

import (
	"fmt"
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// 异地就医备案 on the portal: the injured worker files a long-term
// residence or posted-work filing for his own recognised injury, sees his
// filings and cancels one after its holding period. The store checks the
// case is his (a worker principal sees only his own cases) and refuses a
// referral, which the agency files.

func init() {
	done["filing"] = "异地就医备案已办理，备案期间在备案地协议机构就医可直接结算"
	done["filing_cancel"] = "异地就医备案已撤销"
}

type filingsPage struct {
	base
	Items   []filingRow
	Cases   []store.CaseSummary
	Regions []registry.Region
	Kinds   []settlement.FilingKind
	Form    settlement.Filing
	Fields  map[string]string
}

type filingRow struct {
	store.FilingRow
	Treat, Note string
	MayCancel   bool
}

// mine refuses anyone but an injured worker: an employer has no filing
// pages (the filing is the worker's own, as the store also checks).
func mine(rq *request) error {
	if rq.P.Kind != access.KindWorker {
		return errs.E(errs.NotFound, "异地就医备案由工伤职工本人办理，单位账号没有此页面")
	}
	return nil
}

func (s *Server) filingsPageOf(r *http.Request, rq *request) (*filingsPage, error) {
	ctx := r.Context()
	p := &filingsPage{base: base{Title: "异地就医备案", Flash: done[r.URL.Query().Get("done")]},
		Kinds: []settlement.FilingKind{settlement.Residence, settlement.Posted}, Form: settlement.Filing{Kind: settlement.Residence}}
	rows, _, err := s.store.FindFilings(ctx, rq.P, store.FilingQuery{}, store.Page{Limit: 50})
	if err != nil {
		return nil, err
	}
	today := s.store.Now().In(web.CST).Format("2006-01-02")
	set := s.opt.Params.Set(ctx)
	for _, row := range rows {
		fr := filingRow{FilingRow: row, Treat: web.RegionName(row.TreatRegion)}
		if fr.Treat == "" {
			fr.Treat = row.TreatRegion
		}
		if row.State == settlement.FilingActive {
			rules, err := store.FilingRules(set, row.RegionCode, today)
			if err != nil {
				return nil, err
			}
			fr.Note = row.MayChange(rules, today)
			fr.MayCancel = fr.Note == ""
		}
		p.Items = append(p.Items, fr)
	}
	cases, err := s.store.CasesOf(ctx, rq.P, 0, 0)
	if err != nil {
		return nil, err
	}
	insured := ""
	for _, c := range cases {
		if c.Recognition == casebundle.Decided || c.Recognition == casebundle.Delivered || c.Recognition == casebundle.Appealed {
			p.Cases = append(p.Cases, c)
		}
	}
	if len(p.Cases) > 0 {
		if k, err := s.store.FindCase(ctx, rq.P, p.Cases[0].ID); err == nil {
			insured = k.RegionCode
		}
	}
	all, err := registry.Regions()
	if err != nil {
		return nil, err
	}
	for _, reg := range all {
		if insured == "" || settlement.IsRemote(reg.Code, insured) {
			p.Regions = append(p.Regions, reg)
		}
	}
	return p, nil
}

func (s *Server) filingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := mine(rq); err != nil {
		return err
	}
	p, err := s.filingsPageOf(r, rq)
	if err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "filings", p)
	return nil
}

func (s *Server) filingSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := mine(rq); err != nil {
		return err
	}
	f := settlement.Filing{Kind: settlement.FilingKind(r.PostFormValue("kind")), TreatRegion: strings.TrimSpace(r.PostFormValue("treat_region")),
		Reason: r.PostFormValue("reason"), Address: strings.TrimSpace(r.PostFormValue("address")),
		ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), Channel: "portal"}
	var err error
	if _, serr := fmt.Sscanf(r.PostFormValue("case_id"), "%d", &f.CaseID); serr != nil || f.CaseID <= 0 {
		err = errs.Field("case_id", "required", "请选择备案所依据的工伤认定案件")
	} else {
		err = s.store.CreateFiling(r.Context(), rq.P, s.opt.Params.Set(r.Context()), &f)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			return err
		}
		p, perr := s.filingsPageOf(r, rq)
		if perr != nil {
			return perr
		}
		p.Form, p.Fields = f, fieldErrors(err)
		s.render(w, r, rq, http.StatusBadRequest, "filings", p)
		return nil
	}
	http.Redirect(w, r, "/portal/filings?done=filing", http.StatusSeeOther)
	return nil
}

func (s *Server) filingCancel(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := mine(rq); err != nil {
		return err
	}
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var version int64
	fmt.Sscanf(r.PostFormValue("version"), "%d", &version)
	if err := s.store.CancelFiling(r.Context(), rq.P, s.opt.Params.Set(r.Context()), id, version, r.PostFormValue("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/portal/filings?done=filing_cancel", http.StatusSeeOther)
	return nil
}
