package backoffice

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/payroll"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// A cycle's page (GET /payroll/cycles/{id}): its state and who prepared
// and approved it, the countdown, its progress (a bar while the job
// freezes and checks the lines, which the page follows by refreshing
// itself every 2 s), the lines by state and by reason, the moves the
// viewer may make, the bank files, and the line search with the moves of
// a line. format=xlsx exports the lines found, streamed.

// stateCount is the lines of a cycle in one state.
type stateCount struct {
	State      payroll.LineState
	Count, Fen int64
	Href       string
}

// cycleMove is a move of the cycle the viewer may make.
type cycleMove struct {
	Action payroll.Action
	Name   string
	Reason bool // asks for a reason (send back)
}

type cyclePage struct {
	base
	C           cycleRow
	Names       map[string]string // opened, submitted, approved: who
	Running     bool
	Done, Of    int64 // progress while the job runs
	Progress    string
	States      []stateCount
	Total       int64
	Settled     int64
	Reasons     []store.ReasonCount
	Moves       []cycleMove
	Batches     []store.PayrollBatch
	CanPrepare  bool
	CanDownload bool
	CanGenerate bool
	L           *web.ListQuery
	Lines       []store.PayrollLine
	Pager       web.Pager
	Error       string
	Problems    []string
	LineID      int64 // the line the error is about
}

// cycleLineSpec declares the line search of a cycle.
func cycleLineSpec(id int64, batches []store.PayrollBatch) *web.ListSpec {
	states := make([]web.Choice, 0, len(payroll.LineStates))
	for _, s := range payroll.LineStates {
		states = append(states, web.Choice{Value: string(s), Name: s.Name()})
	}
	var reasons []web.Choice
	for _, r := range []payroll.Reason{payroll.ReasonDeath, payroll.ReasonWorkerDeath, payroll.ReasonEnded, payroll.ReasonAge18,
		payroll.ReasonRemarried, payroll.ReasonEmployed, payroll.ReasonAdopted, payroll.ReasonRetired, payroll.ReasonPrison,
		payroll.ReasonCertOverdue, payroll.ReasonBankInvalid, payroll.ReasonEmployerPaid, payroll.ReasonHeld} {
		reasons = append(reasons, web.Choice{Value: string(r), Name: r.Label()})
	}
	var kinds []web.Choice
	for _, k := range []string{payroll.KindRegular, payroll.KindArrears, payroll.KindOneOff, payroll.KindReissue} {
		kinds = append(kinds, web.Choice{Value: k, Name: payroll.KindName(k)})
	}
	bank := web.Filter{Key: "bank", Label: "银行"}
	seen := map[string]bool{}
	for _, b := range batches {
		if !seen[b.BankCode] {
			seen[b.BankCode] = true
			bank.Choices = append(bank.Choices, web.Choice{Value: b.BankCode, Name: payroll.BankName(b.BankCode)})
		}
	}
	return &web.ListSpec{Path: fmt.Sprintf("/payroll/cycles/%d", id), Name: "发放明细", Filters: []web.Filter{
		{Key: "state", Label: "状态", Choices: states}, {Key: "reason", Label: "原因", Choices: reasons},
		{Key: "kind", Label: "类别", Choices: kinds}, bank}}
}

func (s *Server) cycleShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showCycle(w, r, rq, id, http.StatusOK, &cyclePage{})
}

// showCycle renders (or exports) cycle id; p may carry an error of the
// change before.
func (s *Server) showCycle(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, p *cyclePage) error {
	ctx := r.Context()
	c, err := s.store.FindCycle(ctx, rq.P, id)
	if err != nil {
		return err
	}
	batches, err := s.store.CycleBatches(ctx, rq.P, id)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, cycleLineSpec(id, batches))
	if err != nil {
		return err
	}
	f := store.LineFilter{State: q.Get("state"), Reason: q.Get("reason"), Kind: q.Get("kind"), Bank: q.Get("bank"), Q: q.Q,
		Offset: q.Offset(), Limit: q.Size}
	if q.Export {
		return s.exportCycle(w, r, rq, c, q, f)
	}
	p.Title = fmt.Sprintf("%s %s 待遇发放", regionText(c.RegionCode), c.Month)
	p.C, p.Batches, p.L = s.cycleRowOf(c), batches, q
	p.CanPrepare = rq.P.Can(access.PermPayrollPrepare)
	p.CanDownload = p.CanPrepare && rq.P.Can(access.PermPersonalData)
	p.CanGenerate = p.CanPrepare && (c.State == payroll.Approved || c.State == payroll.Paying)
	p.Names = s.cycleNames(ctx, c)
	p.Moves = cycleMoves(rq.P, c)
	if err := s.cycleProgress(ctx, rq, c, p); err != nil {
		return err
	}
	if p.Reasons, err = s.store.CycleReasons(ctx, rq.P, id); err != nil {
		return err
	}
	lines, total, err := s.store.CycleLines(ctx, rq.P, id, f)
	if err != nil {
		return err
	}
	p.Lines, p.Pager = lines, q.Pager(int(total))
	if p.Running {
		// The job moves on without the page: it reloads itself.
		w.Header().Set("Refresh", "2")
	}
	s.render(w, r, rq, status, "payroll_cycle", p)
	return nil
}

// cycleProgress fills the counts by state and, while the job runs, how
// far it is.
func (s *Server) cycleProgress(ctx context.Context, rq *request, c store.PayrollCycle, p *cyclePage) error {
	counts, err := s.store.CycleCounts(ctx, rq.P, c.ID)
	if err != nil {
		return err
	}
	by := map[payroll.LineState]*stateCount{}
	for _, st := range payroll.LineStates {
		p.States = append(p.States, stateCount{State: st, Href: fmt.Sprintf("/payroll/cycles/%d?state=%s#lines", c.ID, st)})
	}
	for i := range p.States {
		by[p.States[i].State] = &p.States[i]
	}
	for _, n := range counts {
		if sc := by[n.State]; sc != nil {
			sc.Count += n.Count
			sc.Fen += n.Fen
		}
		p.Total += n.Count
		if n.State.Settled() {
			p.Settled += n.Count
		}
	}
	switch c.State {
	case payroll.Opening:
		p.Running, p.Done, p.Of = true, 0, 0
		p.Progress = fmt.Sprintf("正在生成快照：已冻结%d条发放明细（已处理至待遇编号%d）", c.LineCount, c.Cursor)
	case payroll.Checking:
		pending := by[payroll.LinePending].Count
		p.Running, p.Done, p.Of = true, p.Total-pending, p.Total
		p.Progress = fmt.Sprintf("正在核查：已核查%d条，共%d条", p.Total-pending, p.Total)
	default:
		p.Done, p.Of = p.Settled, p.Total
		p.Progress = fmt.Sprintf("已到账或已说明%d条，共%d条", p.Settled, p.Total)
	}
	return nil
}

// cycleNames names who opened, submitted and approved the cycle.
func (s *Server) cycleNames(ctx context.Context, c store.PayrollCycle) map[string]string {
	name := func(id int64) string {
		if id == 0 {
			return ""
		}
		u, err := s.store.FindUserByID(ctx, id)
		if err != nil {
			return fmt.Sprintf("用户%d", id)
		}
		return u.DisplayName
	}
	return map[string]string{"opened": name(c.OpenedBy), "submitted": name(c.SubmittedBy), "approved": name(c.ApprovedBy)}
}

// cycleMoves are the moves of the cycle's state the viewer's permissions
// allow; the store decides the rest (a different approver).
func cycleMoves(p access.Principal, c store.PayrollCycle) []cycleMove {
	var out []cycleMove
	add := func(perm access.Permission, a payroll.Action, reason bool) {
		if p.Can(perm) {
			out = append(out, cycleMove{Action: a, Name: a.Name(), Reason: reason})
		}
	}
	switch c.State {
	case payroll.Review:
		add(access.PermPayrollPrepare, payroll.Submit, false)
		add(access.PermPayrollPrepare, payroll.Recheck, false)
	case payroll.Submitted:
		if p.UserID != c.SubmittedBy {
			add(access.PermPayrollApprove, payroll.Approve, false)
			add(access.PermPayrollApprove, payroll.SendBack, true)
		}
	case payroll.Paying:
		add(access.PermPayrollPrepare, payroll.Close, false)
	}
	return out
}

// refuse shows the cycle page with a refusal of a change (a Chinese
// message naming the field or line), or returns err when it is not one.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, rq *request, cycleID int64, lineID int64, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid && e.Kind != errs.Conflict {
		return err
	}
	p := &cyclePage{Error: e.Message, LineID: lineID}
	if len(e.Fields) > 0 {
		var msgs []string
		for _, f := range e.Fields {
			msgs = append(msgs, f.Message)
		}
		p.Error = strings.Join(msgs, "；")
	}
	var rp *store.ReturnProblems
	if errors.As(err, &rp) {
		for _, pr := range rp.Problems {
			if pr.Line > 0 {
				p.Problems = append(p.Problems, fmt.Sprintf("第%d行：%s", pr.Line, pr.Message))
			} else {
				p.Problems = append(p.Problems, pr.Message)
			}
		}
	}
	r.URL.RawQuery = ""
	return s.showCycle(w, r, rq, cycleID, web.Status(err), p)
}

func (s *Server) backToCycle(w http.ResponseWriter, r *http.Request, rq *request, id int64, msg, anchor string) error {
	s.flash(r, rq, msg)
	http.Redirect(w, r, fmt.Sprintf("/payroll/cycles/%d%s", id, anchor), http.StatusSeeOther)
	return nil
}

// cycleAct makes one move of the cycle at the version the page showed.
func (s *Server) cycleAct(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	a := payroll.Action(r.PostFormValue("action"))
	if a.Name() == "" {
		return errs.Field("action", "action", "操作应为提交审批、审批通过、退回修改、重新核查或关闭发放周期之一")
	}
	c, err := s.store.ActOnCycle(r.Context(), rq.P, id, store.CycleAction{Action: a, Version: formVersion(r), Reason: r.PostFormValue("reason")})
	if err != nil {
		return s.refuse(w, r, rq, id, 0, err)
	}
	return s.backToCycle(w, r, rq, id, fmt.Sprintf("已%s，发放周期现为“%s”。", a.Name(), c.State.Name()), "")
}

// cycleGenerate generates the bank files the cycle lacks.
func (s *Server) cycleGenerate(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	bs, err := s.store.GenerateBankFiles(r.Context(), rq.P, id)
	if err != nil {
		return s.refuse(w, r, rq, id, 0, err)
	}
	return s.backToCycle(w, r, rq, id, fmt.Sprintf("报盘文件已生成，本周期共%d个。", len(bs)), "#batches")
}

// batchDownload sends a bank file's bytes: the same bytes every time.
func (s *Server) batchDownload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	b, _, err := s.store.FindBatch(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	out := &lazyHeaders{ResponseWriter: w, set: func(h http.Header) {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		h.Set("Content-Disposition", web.ContentDisposition(b.Ref+".txt", b.Ref+".txt"))
		h.Set("X-Content-Type-Options", "nosniff")
	}}
	if _, err := s.store.BankFile(r.Context(), rq.P, id, out); err != nil {
		if out.started {
			s.log.Error("bank file", "batch", b.Ref, "error", err)
			return nil
		}
		return err
	}
	return nil
}

// batchSent records that a bank file went to its bank.
func (s *Server) batchSent(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	b, _, err := s.store.FindBatch(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	if err := s.store.MarkBatchSent(r.Context(), rq.P, id, formVersion(r)); err != nil {
		return s.refuse(w, r, rq, b.CycleID, 0, err)
	}
	return s.backToCycle(w, r, rq, b.CycleID, fmt.Sprintf("报盘文件%s已标记为报送银行。", b.Ref), "#batches")
}

// batchReturn imports the bank's return file of a sent bank file; a
// refused file lists every problem by line, and nothing of it is applied.
func (s *Server) batchReturn(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	b, _, err := s.store.FindBatch(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return s.refuse(w, r, rq, b.CycleID, 0, errs.Field("file", "required", "请选择报盘文件%s的回盘文件", b.Ref))
	}
	defer file.Close()
	paid, failed, err := s.store.ImportReturn(r.Context(), rq.P, id, file)
	if err != nil {
		return s.refuse(w, r, rq, b.CycleID, 0, err)
	}
	return s.backToCycle(w, r, rq, b.CycleID, fmt.Sprintf("回盘文件已导入：%s到账%d笔，退票%d笔。", b.Ref, paid, failed), "#batches")
}

// lineMove runs one move of a line (hold, release, reissue, explain) and
// returns to its cycle.
func (s *Server) lineMove(move string) func(w http.ResponseWriter, r *http.Request, rq *request) error {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		l, err := s.store.FindLine(r.Context(), rq.P, id)
		if err != nil {
			return err
		}
		ctx, v, reason := r.Context(), formVersion(r), r.PostFormValue("reason")
		var msg string
		switch move {
		case "hold":
			err, msg = s.store.HoldLine(ctx, rq.P, id, v, reason), "已暂缓发放"
		case "release":
			err, msg = s.store.ReleaseLine(ctx, rq.P, s.params.Set(ctx), id, v), "已恢复核查"
		case "reissue":
			var nid int64
			nid, err = s.store.ReissueLine(ctx, rq.P, id, v)
			msg = "已安排重发（新明细L" + fmt.Sprintf("%010d", nid) + "）"
		case "explain":
			err, msg = s.store.ExplainLine(ctx, rq.P, id, v, reason, r.PostFormValue("carry") == "1"), "已说明结案"
		}
		if err != nil {
			return s.refuse(w, r, rq, l.CycleID, l.ID, err)
		}
		return s.backToCycle(w, r, rq, l.CycleID, fmt.Sprintf("明细%s（%s）%s。", l.Ref(), l.PayeeName, msg), "#lines")
	}
}

var cycleLineColumns = []sheet.Column{{Header: "明细编号", Width: 13}, {Header: "月份", Width: 9}, {Header: "类别", Width: 10},
	{Header: "待遇类型", Width: 14}, {Header: "领取人", Width: 10}, {Header: "应发金额", Width: 12}, {Header: "扣减", Width: 10},
	{Header: "实发金额", Width: 12}, {Header: "状态", Width: 9}, {Header: "原因", Width: 28}, {Header: "银行", Width: 14},
	{Header: "收款账号", Width: 22}, {Header: "报盘批次", Width: 8}, {Header: "回盘原因", Width: 16}, {Header: "说明", Width: 28}}

// exportCycle streams the cycle's lines found by f to an Excel file
// (accounts masked), audited with the filter and the count.
func (s *Server) exportCycle(w http.ResponseWriter, r *http.Request, rq *request, c store.PayrollCycle, q *web.ListQuery, f store.LineFilter) error {
	now := s.store.Now().In(cst)
	name := fmt.Sprintf("%s%s待遇发放明细", regionText(c.RegionCode), c.Month)
	title := name
	if d := q.Describe(); d != "" {
		title += "（" + d + "）"
	}
	stamp := now.Format("20060102-1504")
	out := &lazyHeaders{ResponseWriter: w, set: func(h http.Header) {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", web.ContentDisposition(name+"-"+stamp+".xlsx", fmt.Sprintf("payroll-%d-%s.xlsx", c.ID, stamp)))
		h.Set("X-Content-Type-Options", "nosniff")
	}}
	f.Offset, f.Limit = 0, 0
	note := "导出人：" + exporter(rq.P) + "　导出时间：" + now.Format("2006年1月2日 15:04") + "（北京时间）"
	err := sheet.ExportXLSX(out, sheet.Export{Sheet: "发放明细", Title: title, Note: note, Columns: cycleLineColumns}, func(add sheet.RowFunc) error {
		n := 0
		err := s.store.EachCycleLine(r.Context(), rq.P, c.ID, f, func(l store.PayrollLine) error {
			n++
			return add(l.Ref(), l.Month, payroll.KindName(l.Kind), payroll.TypeName(l.Type), l.PayeeName, sheet.Money(l.GrossFen),
				sheet.Money(l.DeductionFen), sheet.Money(l.NetFen()), l.State.Name(), l.Reason.Label(), payroll.BankName(l.BankCode),
				l.BankMasked, strconv.Itoa(l.BatchSeq), l.ReturnReason, l.Note)
		})
		if err != nil {
			return err
		}
		return s.store.RecordPayrollExport(r.Context(), rq.P, c, store.ExportRecord{Title: title, Filters: q.Filters(), Rows: n})
	})
	if err != nil && out.started {
		s.log.Error("export", "cycle", c.ID, "user", rq.P.Username, "error", err)
		return nil
	}
	return err
}
