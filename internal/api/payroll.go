package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/errs"
	"gongshang/internal/payroll"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The monthly payroll (待遇发放): cycles per region and month, their lines,
// the moves of the maker-checker, payee events, a worker's entitlements,
// batch adjustments. Bank files and returns are on the back office (a
// file download and an upload).

var (
	docCycleList   = &apiDoc{Summary: "查询发放周期（本人管辖地区，按月份倒序）", Tag: "待遇发放", Response: []store.PayrollCycle{}, Status: 200}
	docCycleOpen   = &apiDoc{Summary: "开启某地区某月的发放周期（已开启的返回原周期；随即生成快照并核查）", Tag: "待遇发放", Request: cycleOpenInput{}, Response: store.PayrollCycle{}, Status: 201}
	docCycleGet    = &apiDoc{Summary: "查看发放周期及各状态明细的笔数和金额", Tag: "待遇发放", Response: cycleBody{}, Status: 200}
	docCycleAct    = &apiDoc{Summary: "经办发放周期：submit 提交审批、recheck 重新核查、close 关闭；须给出读取时的version", Tag: "待遇发放", Request: cycleActInput{}, Response: store.PayrollCycle{}, Status: 200}
	docCycleDecide = &apiDoc{Summary: "审批发放周期：approve 审批通过（须非提交人）、send_back 退回（须填原因）；须给出读取时的version", Tag: "待遇发放", Request: cycleActInput{}, Response: store.PayrollCycle{}, Status: 200}
	docCycleLines  = &apiDoc{Summary: "查询发放明细（state、reason、kind、bank、q 姓名前缀或明细号 L…，offset、limit）", Tag: "待遇发放", Query: []string{"state", "reason", "kind", "bank", "q", "offset", "limit"}, Response: linesBody{}, Status: 200}
	docPayeeEvent  = &apiDoc{Summary: "登记领取人事项：certified 资格认证、death 死亡、retired 退休、prison 服刑、remarried 再婚、employed 就业或参军、adopted 被收养", Tag: "待遇发放", Request: store.NewPayeeEvent{}, Response: idBody{}, Status: 201}
	docWorkerEnts  = &apiDoc{Summary: "职工（及其供养亲属）的待遇", Tag: "待遇发放", Response: []store.Entitlement{}, Status: 200}
	docAdjPreview  = &apiDoc{Summary: "预览批量调整：调整人数、每月增加额、已发月份应补差额", Tag: "待遇发放", Request: adjustmentInput{}, Response: store.AdjustmentPreview{}, Status: 200}
	docAdjPrepare  = &apiDoc{Summary: "提交批量调整，待另一名经办人员审批", Tag: "待遇发放", Request: adjustmentInput{}, Response: store.Adjustment{}, Status: 201}
	docAdjDecision = &apiDoc{Summary: "审批批量调整（approve=true 执行并产生补发；false 退回，须填原因）；须非准备人", Tag: "待遇发放", Request: adjustmentDecisionInput{}, Response: store.Adjustment{}, Status: 200}
)

type cycleOpenInput struct {
	RegionCode string `json:"region_code"`
	Month      string `json:"month"` // YYYY-MM
}

type cycleActInput struct {
	Action  string `json:"action"`
	Version int64  `json:"version"`
	Reason  string `json:"reason" openapi:"optional"`
}

type cycleBody struct {
	store.PayrollCycle
	Counts  []store.CycleCount  `json:"counts"`
	Reasons []store.ReasonCount `json:"reasons"`
}

type linesBody struct {
	Items  []store.PayrollLine `json:"items"`
	Total  int64               `json:"total"`
	Offset int                 `json:"offset"`
	Limit  int                 `json:"limit"`
}

type idBody struct {
	ID int64 `json:"id"`
}

type adjustmentInput struct {
	RegionCode string             `json:"region_code"`
	Rule       payroll.Adjustment `json:"rule"`
}

type adjustmentDecisionInput struct {
	Approve bool   `json:"approve"`
	Version int64  `json:"version"`
	Reason  string `json:"reason" openapi:"optional"`
}

func (s *Server) apiCycleList(w http.ResponseWriter, r *http.Request, rq *request) error {
	cs, err := s.store.Cycles(r.Context(), rq.P, 0)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, nonNil(cs))
	return nil
}

func (s *Server) apiCycleOpen(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in cycleOpenInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.store.OpenCycle(r.Context(), rq.P, s.params.Set(r.Context()), in.RegionCode, in.Month)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiCycleGet(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	c, err := s.store.FindCycle(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	counts, err := s.store.CycleCounts(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	reasons, err := s.store.CycleReasons(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, cycleBody{PayrollCycle: c, Counts: nonNil(counts), Reasons: nonNil(reasons)})
	return nil
}

func (s *Server) apiCycleAct(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.cycleMove(w, r, rq, payroll.Submit, payroll.Recheck, payroll.Close)
}

func (s *Server) apiCycleDecide(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.cycleMove(w, r, rq, payroll.Approve, payroll.SendBack)
}

// cycleMove makes one of the moves the route offers.
func (s *Server) cycleMove(w http.ResponseWriter, r *http.Request, rq *request, allowed ...payroll.Action) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in cycleActInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if !slices.Contains(allowed, payroll.Action(in.Action)) {
		names := make([]string, len(allowed))
		for i, a := range allowed {
			names[i] = string(a) + " " + a.Name()
		}
		return errs.Field("action", "action", "action应为%s之一", strings.Join(names, "、"))
	}
	c, err := s.store.ActOnCycle(r.Context(), rq.P, id, store.CycleAction{Action: payroll.Action(in.Action), Version: in.Version, Reason: in.Reason})
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiCycleLines(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.LineFilter{State: q.Get("state"), Reason: q.Get("reason"), Kind: q.Get("kind"), Bank: q.Get("bank"), Q: q.Get("q")}
	for name, dst := range map[string]*int{"offset": &f.Offset, "limit": &f.Limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errs.Field(name, "number", "%s应为非负整数", name)
			}
			*dst = n
		}
	}
	if f.Limit == 0 || f.Limit > 200 {
		f.Limit = 50
	}
	ls, total, err := s.store.CycleLines(r.Context(), rq.P, id, f)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, linesBody{Items: nonNil(ls), Total: total, Offset: f.Offset, Limit: f.Limit})
	return nil
}

func (s *Server) apiPayeeEvent(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in store.NewPayeeEvent
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	id, err := s.store.RecordPayeeEvent(r.Context(), rq.P, s.params.Set(r.Context()), in)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, idBody{ID: id})
	return nil
}

func (s *Server) apiWorkerEntitlements(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	es, err := s.store.WorkerEntitlements(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, nonNil(es))
	return nil
}

func (s *Server) apiAdjustmentPreview(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in adjustmentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.store.PreviewAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), in.RegionCode, in.Rule)
	if err != nil {
		return err
	}
	p.Sample = nonNil(p.Sample)
	web.WriteJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) apiAdjustmentPrepare(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in adjustmentInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.store.PrepareAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), in.RegionCode, in.Rule)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) apiAdjustmentDecision(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in adjustmentDecisionInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.DecideAdjustment(r.Context(), rq.P, s.params.Set(r.Context()), id, in.Version, in.Approve, in.Reason); err != nil {
		return err
	}
	a, err := s.store.FindAdjustment(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}
