package api

import (
	"net/http"

	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The assessment panel and the benefit decision: what the store computes
// or draws itself, never taken from the caller (the compute, approve and
// send-back actions go through the actions endpoint).

// panelInput asks for a panel of 3 or 5 experts needing the given 门类.
type panelInput struct {
	Size   int                `json:"size"`
	Groups []expertpool.Group `json:"groups"`
}

func (s *Server) apiCasePanel(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sid, err := pathInt(r, "sid")
	if err != nil {
		return err
	}
	var in panelInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.Size != 3 && in.Size != 5 {
		return errs.Field("size", "panel_size", "专家组应为3名或5名专家（《工伤职工劳动能力鉴定管理办法》第十一条）")
	}
	if len(in.Groups) == 0 {
		return errs.Field("groups", "required", "请选择伤情涉及的医学门类（至少一个）")
	}
	for _, g := range in.Groups {
		if !g.Valid() {
			return errs.Field("groups", "unknown", "医学门类“%s”不存在", clipText(string(g)))
		}
	}
	c, err := s.store.DrawPanel(r.Context(), rq.P, s.params.Set(r.Context()), id, sid, in.Size, in.Groups)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, rq, http.StatusOK, c)
}

// drawBody is one recorded panel draw with the pool it was drawn from, so
// anyone may replay it (expertpool.Replay).
type drawBody struct {
	Seq    int                 `json:"seq"`
	Record expertpool.Record   `json:"record"`
	Pool   []expertpool.Expert `json:"pool"`
}

func (s *Server) apiCasePanelDraws(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	sid, err := pathInt(r, "sid")
	if err != nil {
		return err
	}
	if svc := c.ServiceByID(sid); svc == nil || !svc.Kind.IsAssessment() {
		return errs.E(errs.NotFound, "该案件没有这项鉴定")
	}
	draws, err := s.store.PanelDraws(r.Context(), sid)
	if err != nil {
		return err
	}
	items := make([]drawBody, len(draws))
	for i, d := range draws {
		items[i] = drawBody{Seq: d.Seq, Record: d.Record, Pool: d.Pool}
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[drawBody]{Items: items, Total: len(items), Limit: len(items)})
	return nil
}

// apiCaseProposal is the benefit decision the case's facts give now,
// every item with its explanation, for the officer to review.
func (s *Server) apiCaseProposal(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	p, err := s.store.BenefitProposal(r.Context(), rq.P, s.params.Set(r.Context()), id)
	if err != nil {
		return err
	}
	if p.Lines == nil {
		p.Lines = []casebundle.BenefitLine{}
	}
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

// entitlementBody is one monthly entitlement an approval created.
type entitlementBody struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Payer     string `json:"payer"`
	AmountFen int64  `json:"amount_fen"`
	Start     string `json:"start"`
	Status    string `json:"status"`
}

// entitlementsBody is what a case's approved benefit decision created.
type entitlementsBody struct {
	Entitlements []entitlementBody    `json:"entitlements"`
	Payables     []casebundle.Payable `json:"payables"`
}

func (s *Server) apiCaseEntitlements(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := s.caseAt(r, rq)
	if err != nil {
		return err
	}
	ents, pays, err := s.store.CaseEntitlements(r.Context(), c.ID)
	if err != nil {
		return err
	}
	out := entitlementsBody{Entitlements: make([]entitlementBody, len(ents)), Payables: nonNil(pays)}
	for i, e := range ents {
		out.Entitlements[i] = entitlementOf(e)
	}
	web.WriteJSON(w, http.StatusOK, out)
	return nil
}

func entitlementOf(e store.CaseEntitlement) entitlementBody {
	return entitlementBody{ID: e.ID, Type: e.Type, Payer: e.Payer, AmountFen: e.AmountFen, Start: e.Start, Status: e.Status}
}
