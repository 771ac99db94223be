package api

import (
	"net/http"

	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Remote-treatment filings (异地就医备案): the region's list, filing one at
// the window, cancelling one after its holding period.

var (
	docFilingList   = &apiDoc{Summary: "查询异地就医备案（筛选、排序、分页同经办平台列表）", Tag: "异地就医备案", List: web.FilingListSpec("/api/v1/filings", nil), Response: web.ListBody[store.FilingRow]{}, Status: 200}
	docFilingCreate = &apiDoc{Summary: "办理异地就医备案（须有认定工伤或视同工伤的案件；有效期按参数计算）", Tag: "异地就医备案", Request: filingInput{}, Response: settlement.Filing{}, Status: 201}
	docFilingCancel = &apiDoc{Summary: "撤销异地就医备案（长期居住、常驻工作备案满3个月后方可撤销；须给出读取时的version）", Tag: "异地就医备案", Request: filingCancelInput{}, Response: settlement.Filing{}, Status: 200}
)

// filingInput is a new filing.
type filingInput struct {
	CaseID      int64  `json:"case_id"`                             // the recognised injury it rests on
	Kind        string `json:"kind"`                                // residence | posted | referral
	TreatRegion string `json:"treat_region"`                        // the treatment area: a region code outside the insured pooling region
	Institution string `json:"institution_code" openapi:"optional"` // referral: the receiving institution
	Reason      string `json:"reason"`
	Address     string `json:"address" openapi:"optional"`
	ValidFrom   string `json:"valid_from" openapi:"optional"` // YYYY-MM-DD, today when empty
}

// filingCancelInput cancels a filing seen at version.
type filingCancelInput struct {
	Version int64  `json:"version"`
	Reason  string `json:"reason"`
}

func (s *Server) apiFilingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, pg, err := apiList(r, web.FilingListSpec(r.URL.Path, regions))
	if err != nil {
		return err
	}
	items, total, err := s.store.FindFilings(r.Context(), rq.P, web.FilingFilterOf(q), pg)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[store.FilingRow]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func (s *Server) apiFilingCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in filingInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.CaseID <= 0 {
		return errs.Field("case_id", "required", "请给出备案所依据的工伤认定案件case_id")
	}
	f := settlement.Filing{CaseID: in.CaseID, Kind: settlement.FilingKind(in.Kind), TreatRegion: in.TreatRegion, Institution: in.Institution,
		Reason: in.Reason, Address: in.Address, ValidFrom: in.ValidFrom, Channel: "window"}
	if err := s.store.CreateFiling(r.Context(), rq.P, s.params.Set(r.Context()), &f); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, f)
	return nil
}

func (s *Server) apiFilingCancel(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in filingCancelInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.CancelFiling(r.Context(), rq.P, s.params.Set(r.Context()), id, in.Version, in.Reason); err != nil {
		return err
	}
	f, err := s.store.FindFiling(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, f)
	return nil
}
