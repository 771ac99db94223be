package api

import (
	"net/http"
	"strconv"

	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Fund supervision's API: scans, a scan's leads (filtered, paged, in the
// caller's scope), one lead with its evidence, and the review of a lead
// under its version.

var (
	docScanList   = &apiDoc{Summary: "查询筛查记录（本人管辖地区，最近的在前）", Tag: "基金监管", Response: []store.ScanInfo{}, Status: 200}
	docScanStart  = &apiDoc{Summary: "开始筛查：extract_id 导入的结算数据，或 year 本系统联网结算年度；作为后台任务运行，progress 为进度", Tag: "基金监管", Request: scanStartInput{}, Response: store.ScanInfo{}, Status: 202}
	docScanGet    = &apiDoc{Summary: "一次筛查的状态、进度与汇总", Tag: "基金监管", Response: store.ScanInfo{}, Status: 200}
	docScanLeads  = &apiDoc{Summary: "筛查线索（category、severity、rule、institution、review 过滤；sort=amount|score，offset、limit）", Tag: "基金监管", Query: []string{"category", "severity", "rule", "institution", "review", "sort", "offset", "limit"}, Response: leadsBody{}, Status: 200}
	docLeadGet    = &apiDoc{Summary: "一条线索及其逐条证据", Tag: "基金监管", Response: store.Lead{}, Status: 200}
	docLeadReview = &apiDoc{Summary: "核实线索：decision=confirm 确认或 dismiss 排除，须填 reason，须给出读取时的version；合作保险机构人员不能核实", Tag: "基金监管", Request: leadReviewInput{}, Response: store.Lead{}, Status: 200}
)

type scanStartInput struct {
	ExtractID int64 `json:"extract_id,omitempty"`
	Year      int   `json:"year,omitempty"`
}

type leadsBody struct {
	Total int          `json:"total"`
	Leads []store.Lead `json:"leads"`
}

type leadReviewInput struct {
	Version  int64  `json:"version"`
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

func (s *Server) apiScanList(w http.ResponseWriter, r *http.Request, rq *request) error {
	scans, err := s.store.Scans(r.Context(), rq.P.Scope(), 100)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, nonNil(scans))
	return nil
}

func (s *Server) apiScanStart(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in scanStartInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	sc, err := s.store.StartScan(r.Context(), rq.P, in.ExtractID, in.Year)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusAccepted, sc)
	return nil
}

func (s *Server) apiScanGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sc, err := s.store.FindScan(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, sc)
	return nil
}

func (s *Server) apiScanLeads(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	f := store.LeadFilter{ScanID: id, Category: q.Get("category"), Severity: q.Get("severity"), Rule: q.Get("rule"),
		Institution: q.Get("institution"), Review: q.Get("review"), Sort: q.Get("sort"), Page: store.Page{Offset: max(offset, 0), Limit: limit}}
	leads, total, err := s.store.FindLeads(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, leadsBody{Total: total, Leads: nonNil(leads)})
	return nil
}

func (s *Server) apiLeadGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	l, err := s.store.FindLead(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, l)
	return nil
}

func (s *Server) apiLeadReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in leadReviewInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	l, err := s.store.ReviewLead(r.Context(), rq.P, id, in.Version, in.Decision, in.Reason)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, l)
	return nil
}

// The supervision dashboard: the figures of the back office's
// /supervision/dashboard (store.SupervisionDashboard) as JSON, in the
// caller's scope; amounts in fen.

var docSupervisionDash = &apiDoc{Summary: "基金监管统计：筛查线索按类别和结果类型、稽核发现按类别、区县和机构（前20家）、追回进度、规则命中率、稽核计划各检查组进度（本人管辖地区；金额单位为分）",
	Tag: "基金监管", Response: store.SupervisionDash{}, Status: 200, Params: []any{
		map[string]any{"name": "year", "in": "query", "description": "稽核计划的年度（默认本年度；all 为全部年度）", "schema": map[string]any{"type": "string"}},
		map[string]any{"name": "campaign_id", "in": "query", "description": "一个稽核计划的编号（给出时按该计划统计，年度取该计划的年度）", "schema": map[string]any{"type": "integer"}},
	}}

func (s *Server) apiSupervisionDash(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	var f store.DashFilter
	switch y := q.Get("year"); y {
	case "":
		f.Year = s.store.Now().In(web.CST).Year()
	case "all":
	default:
		n, err := strconv.Atoi(y)
		if err != nil {
			return errs.Field("year", "number", "年度“%s”无效，应为四位数字或all（全部年度）", y)
		}
		f.Year = n
	}
	if v := q.Get("campaign_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return errs.Field("campaign_id", "id", "稽核计划编号“%s”无效", v)
		}
		f.CampaignID, f.Year = id, 0
	}
	d, err := s.store.SupervisionDashboard(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	d.Campaigns, d.Leads, d.ByCategory, d.ByCounty = nonNil(d.Campaigns), nonNil(d.Leads), nonNil(d.ByCategory), nonNil(d.ByCounty)
	d.ByInstitution, d.Recovery, d.Rules, d.Teams = nonNil(d.ByInstitution), nonNil(d.Recovery), nonNil(d.Rules), nonNil(d.Teams)
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}
