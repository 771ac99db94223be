package api

import (
	"net/http"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/web"
)

// The register of designated institutions (协议机构), region-scoped like
// the back office's: {id} routes are Obj "institution".

var (
	docInstitutionList   = &apiDoc{Summary: "查询协议机构（筛选、排序、分页同经办平台列表）", Tag: "协议机构", List: web.InstitutionListSpec("/api/v1/institutions", nil), Response: web.ListBody[settlement.Institution]{}, Status: 200}
	docInstitutionCreate = &apiDoc{Summary: "登记协议机构（接口凭证另行发放）", Tag: "协议机构", Request: institutionInput{}, Response: settlement.Institution{}, Status: 201}
	docInstitutionGet    = &apiDoc{Summary: "协议机构详情（不含令牌）", Tag: "协议机构", Response: settlement.Institution{}, Status: 200}
	docInstitutionUpdate = &apiDoc{Summary: "修改协议机构（只改给出的字段；须给出读取时的version，已被他人修改时409）", Tag: "协议机构", Request: institutionPatch{}, Response: settlement.Institution{}, Status: 200}
	docInstitutionToken  = &apiDoc{Summary: "发放或更换接口凭证：返回接入标识和令牌，令牌只返回这一次，原令牌立即失效", Tag: "协议机构", Response: tokenBody{}, Status: 201}
)

func init() {
	queryText[docInstitutionList] = map[string]string{"q": "检索词：机构编码开头（不区分大小写）或机构名称中任意位置的文字；% _ \\ 按字面匹配"}
}

// institutionInput is a new register entry.
type institutionInput struct {
	Code          string   `json:"code"` // 12 characters, e.g. H37081100001
	Name          string   `json:"name"`
	RegionCode    string   `json:"region_code"`
	Type          string   `json:"type"`  // medical | rehab | device
	Level         int      `json:"level"` // 1–3; 0 none (device suppliers)
	Beds          int      `json:"beds" openapi:"optional"`
	Depts         []string `json:"depts" openapi:"optional"`
	Equipment     []string `json:"equipment" openapi:"optional"`
	AgreementFrom string   `json:"agreement_from"` // YYYY-MM-DD
	AgreementTo   string   `json:"agreement_to"`   // YYYY-MM-DD
	Address       string   `json:"address" openapi:"optional"`
	Contact       string   `json:"contact" openapi:"optional"`
}

// institutionPatch changes the fields it gives; the code and the
// credentials are not changed here. A status other than active needs its
// reason (status_reason).
type institutionPatch struct {
	Version       int64     `json:"version"`
	Name          *string   `json:"name,omitempty"`
	RegionCode    *string   `json:"region_code,omitempty"`
	Type          *string   `json:"type,omitempty"`
	Level         *int      `json:"level,omitempty"`
	Beds          *int      `json:"beds,omitempty"`
	Depts         *[]string `json:"depts,omitempty"`
	Equipment     *[]string `json:"equipment,omitempty"`
	AgreementFrom *string   `json:"agreement_from,omitempty"`
	AgreementTo   *string   `json:"agreement_to,omitempty"`
	Status        *string   `json:"status,omitempty"` // active | suspended | ended
	StatusReason  *string   `json:"status_reason,omitempty"`
	Address       *string   `json:"address,omitempty"`
	Contact       *string   `json:"contact,omitempty"`
}

// tokenBody is the credentials just issued, returned once.
type tokenBody struct {
	PaasID   string    `json:"paasid"`
	Token    string    `json:"token"`
	IssuedAt time.Time `json:"issued_at"`
	Rotated  bool      `json:"rotated"` // an earlier token existed and stopped working
}

func (s *Server) apiInstitutionList(w http.ResponseWriter, r *http.Request, rq *request) error {
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	q, pg, err := apiList(r, web.InstitutionListSpec(r.URL.Path, regions))
	if err != nil {
		return err
	}
	items, total, err := s.store.FindInstitutions(r.Context(), rq.P.Scope(), web.InstitutionFilterOf(q), pg)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[settlement.Institution]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func (s *Server) apiInstitutionCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in institutionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	inst := settlement.Institution{Code: in.Code, Name: in.Name, RegionCode: in.RegionCode, Type: settlement.InstitutionType(in.Type),
		Level: in.Level, Beds: in.Beds, Depts: in.Depts, Equipment: in.Equipment, AgreementFrom: in.AgreementFrom,
		AgreementTo: in.AgreementTo, Status: settlement.Active, Address: in.Address, Contact: in.Contact}
	if err := s.store.CreateInstitution(r.Context(), rq.P, &inst); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, inst)
	return nil
}

func (s *Server) institutionAt(r *http.Request, rq *request) (settlement.Institution, error) {
	id, err := web.PathID(r)
	if err != nil {
		return settlement.Institution{}, err
	}
	return s.store.FindInstitution(r.Context(), rq.P, id)
}

func (s *Server) apiInstitutionGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) apiInstitutionUpdate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var p institutionPatch
	if err := web.DecodeJSON(r, &p); err != nil {
		return err
	}
	if p.Version <= 0 {
		return errs.Field("version", "required", "请给出读取时的版本号version")
	}
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&in.Name, p.Name)
	set(&in.RegionCode, p.RegionCode)
	set(&in.AgreementFrom, p.AgreementFrom)
	set(&in.AgreementTo, p.AgreementTo)
	set(&in.StatusReason, p.StatusReason)
	set(&in.Address, p.Address)
	set(&in.Contact, p.Contact)
	if p.Type != nil {
		in.Type = settlement.InstitutionType(*p.Type)
	}
	if p.Status != nil {
		in.Status = settlement.Status(*p.Status)
		if in.Status == settlement.Active && p.StatusReason == nil {
			in.StatusReason = ""
		}
	}
	if p.Level != nil {
		in.Level = *p.Level
	}
	if p.Beds != nil {
		in.Beds = *p.Beds
	}
	if p.Depts != nil {
		in.Depts = *p.Depts
	}
	if p.Equipment != nil {
		in.Equipment = *p.Equipment
	}
	if err := s.store.UpdateInstitution(r.Context(), rq.P, &in, p.Version); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, in)
	return nil
}

func (s *Server) apiInstitutionToken(w http.ResponseWriter, r *http.Request, rq *request) error {
	in, err := s.institutionAt(r, rq)
	if err != nil {
		return err
	}
	paasid, token, err := s.store.IssueInstitutionToken(r.Context(), rq.P, in.ID)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, tokenBody{PaasID: paasid, Token: token, IssuedAt: s.store.Now().UTC(), Rotated: in.PaasID != ""})
	return nil
}
