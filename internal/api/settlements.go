package api

import (
	"net/http"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The direct-settlement reads of the staff, the review of a suspicious
// finding and the monthly clearing, over the same store calls and list
// declarations as the back office.

var (
	docEncounterList = &apiDoc{Summary: "就诊登记（协议机构所在地区或职工所在地区在管辖范围内的，新登记的在前）", Tag: "联网结算",
		List: web.EncounterListSpec("/api/v1/encounters"), Response: web.ListBody[store.EncounterItem]{}, Status: 200}
	docSettlementList = &apiDoc{Summary: "结算记录（含撤销结算行；协议机构所在地区或职工所在地区在管辖范围内的，新结算的在前）", Tag: "联网结算",
		List: web.SettlementListSpec("/api/v1/settlements"), Response: web.ListBody[store.SettlementItem]{}, Status: 200}
	docSettlementGet = &apiDoc{Summary: "结算详情：就诊、每条费用明细的目录比对结果（目录内、超限价、全自费、基金支付、审核扣减）、审核发现、住院伙食补助费、交易报文ID（无personal.full权限时职工信息脱敏）",
		Tag: "联网结算", Response: store.SettlementDetail{}, Status: 200}
	docFindingList = &apiDoc{Summary: "疑点复核队列（默认待复核，先发现的在前；按协议机构所在地区）", Tag: "联网结算",
		List: web.FindingListSpec("/api/v1/findings", time.Now()), Response: web.ListBody[store.FindingItem]{}, Status: 200}
	docFindingReview = &apiDoc{Summary: "复核一条疑点：decision为accept（确认违规）或reject（排除疑点），reason必填；version为所见版本，已被他人复核时返回409",
		Tag: "联网结算", Request: reviewInput{}, Response: store.FindingItem{}, Status: 200}
	docRuleStats = &apiDoc{Summary: "各规则的命中统计（触发次数、确认违规、排除疑点）", Tag: "联网结算", Query: []string{"month"},
		Response: []store.RuleStat{}, Status: 200}
	docStatementList = &apiDoc{Summary: "某月的月度清算单（本地区协议机构的，及本地区参保或就医的异地就医清算单）", Tag: "联网结算", Query: []string{"month", "kind"},
		Response: []store.Statement{}, Status: 200}
	docClearingClose = &apiDoc{Summary: "办理月度清算：为统筹地区（region）清算已结束的月份（month，YYYY-MM），每家协议机构一张、异地就医每对地区一张清算单；再次办理不重复生成",
		Tag: "联网结算", Request: clearingInput{}, Response: store.ClearingResult{}, Status: 200}
)

func (s *Server) apiEncounterList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, pg, err := apiList(r, web.EncounterListSpec(r.URL.Path))
	if err != nil {
		return err
	}
	f := web.EncounterFilterOf(q)
	f.Page = pg
	items, total, err := s.store.FindEncounters(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[store.EncounterItem]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func (s *Server) apiSettlementList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, pg, err := apiList(r, web.SettlementListSpec(r.URL.Path))
	if err != nil {
		return err
	}
	f := web.SettlementFilterOf(q)
	f.Page = pg
	items, total, err := s.store.FindSettlements(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[store.SettlementItem]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

func (s *Server) apiSettlementGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	d, err := s.store.FindSettlement(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) apiFindingList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, pg, err := apiList(r, web.FindingListSpec(r.URL.Path, s.store.Now()))
	if err != nil {
		return err
	}
	f := web.FindingFilterOf(q)
	f.Page = pg
	items, total, err := s.store.FindFindings(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[store.FindingItem]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

// reviewInput is the body of a review.
type reviewInput struct {
	Decision string `json:"decision"` // accept | reject
	Reason   string `json:"reason"`
	Version  int64  `json:"version"`
}

func (s *Server) apiFindingReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in reviewInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	f, err := s.store.ReviewFinding(r.Context(), rq.P, id, in.Version, in.Decision, in.Reason)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, f)
	return nil
}

func (s *Server) apiRuleStats(w http.ResponseWriter, r *http.Request, rq *request) error {
	month := r.URL.Query().Get("month")
	if month != "" {
		if _, err := time.Parse("2006-01", month); err != nil {
			return errs.Field("month", "month_format", "月份“%s”无效（格式YYYY-MM）", month)
		}
	}
	stats, err := s.store.RuleStats(r.Context(), month)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, stats)
	return nil
}

func (s *Server) apiStatementList(w http.ResponseWriter, r *http.Request, rq *request) error {
	v := r.URL.Query()
	month, kind := v.Get("month"), v.Get("kind")
	if _, err := time.Parse("2006-01", month); err != nil {
		return errs.Field("month", "month_format", "清算月份“%s”无效（格式YYYY-MM）", month)
	}
	if kind != "" && kind != "institution" && kind != "remote" {
		return errs.Field("kind", "kind_unknown", "清算单类型“%s”无效，应为institution或remote", kind)
	}
	list, err := s.store.Statements(r.Context(), rq.P.Scope(), month, kind)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, nonNil(list))
	return nil
}

// clearingInput is the body of a close.
type clearingInput struct {
	Month  string `json:"month"`  // YYYY-MM, a past month
	Region string `json:"region"` // the pooling region, e.g. 370800
}

func (s *Server) apiClearingClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in clearingInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	res, err := s.store.CloseClearing(r.Context(), rq.P, in.Month, in.Region)
	if err != nil {
		return err
	}
	if res.Statements == nil {
		res.Statements = []store.Statement{}
	}
	web.WriteJSON(w, http.StatusOK, res)
	return nil
}
