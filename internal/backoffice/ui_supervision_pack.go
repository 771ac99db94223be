package backoffice

import (
	"bytes"
	"cmp"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/letters"
	"gongshang/internal/pdf"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// A visit's downloads: the pre-visit pack as PDF and as Excel (风险概况,
// 线索, 抽样病例, 检查清单), and the letters to the institution (the
// feedback of its findings, the notice after the collective review). Each
// download is built in full, audited, then sent; a failed audit sends
// nothing.

func (s *Server) visitPackPDF(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.visitPack(r, rq)
	if err != nil {
		return err
	}
	now := s.store.Now().In(cst)
	b, err := pdf.RenderReport(packReport(p, exporter(rq.P), now))
	if err != nil {
		return err
	}
	return s.sendVisitFile(w, r, rq, store.PackDownload, p.Visit, "application/pdf", "稽核检查资料", "pack", "pdf", b,
		map[string]any{"format": "pdf", "leads": len(p.Leads), "sample": len(p.Sample), "masked": p.Masked})
}

func (s *Server) visitPackXLSX(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := s.visitPack(r, rq)
	if err != nil {
		return err
	}
	now := s.store.Now().In(cst)
	var buf bytes.Buffer
	if err := sheet.WriteWorkbook(&buf, packPages(p, exporter(rq.P), now)); err != nil {
		return err
	}
	return s.sendVisitFile(w, r, rq, store.PackDownload, p.Visit, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"稽核检查资料", "pack", "xlsx", buf.Bytes(), map[string]any{"format": "xlsx", "leads": len(p.Leads), "sample": len(p.Sample), "masked": p.Masked})
}

func (s *Server) visitPack(r *http.Request, rq *request) (store.VisitPack, error) {
	id, err := web.PathID(r)
	if err != nil {
		return store.VisitPack{}, err
	}
	return s.store.VisitPack(r.Context(), rq.P, id)
}

// visitLetter prints the draft of the feedback (feedback.pdf) or the
// notice (notice.pdf) over every finding of the visit in the right state:
// not numbered, not kept; issuing it is visitLetterIssue.
func (s *Server) visitLetter(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	name, ok := strings.CutSuffix(r.PathValue("file"), ".pdf")
	kind := letters.AuditKind(name)
	if !ok || kind.Title() == "" {
		return errs.E(errs.NotFound, "文书不存在：可下载反馈意见书（feedback.pdf）或结论通知书（notice.pdf）")
	}
	ctx := r.Context()
	v, err := s.store.FindVisit(ctx, rq.P, id)
	if err != nil {
		return err
	}
	l, ids, err := s.store.AuditLetterDraft(ctx, rq.P, id, kind)
	if err != nil {
		return err
	}
	b, err := pdf.Render(l)
	if err != nil {
		return err
	}
	return s.sendVisitFile(w, r, rq, store.LetterDownload, v, "application/pdf", kind.Title()+"（草稿）", "letter-"+name, "pdf", b,
		map[string]any{"kind": string(kind), "draft": true, "findings": ids})
}

// visitLetterIssue issues the visit's feedback or notice: numbered, its
// content kept, printed the same on every download.
func (s *Server) visitLetterIssue(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	l, err := s.store.IssueAuditLetter(r.Context(), rq.P, id, letters.AuditKind(r.PathValue("kind")))
	return s.afterVisitChange(w, r, rq, id, err, fmt.Sprintf("已出具%s %s。", l.Kind.Title(), l.Number))
}

// auditLetterFile prints an issued letter from its kept content.
func (s *Server) auditLetterFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	l, doc, err := s.store.AuditLetterDoc(ctx, rq.P, id)
	if err != nil {
		return err
	}
	v, err := s.store.FindVisit(ctx, rq.P, l.VisitID)
	if err != nil {
		return err
	}
	b, err := pdf.Render(doc)
	if err != nil {
		return err
	}
	return s.sendVisitFile(w, r, rq, store.LetterDownload, v, "application/pdf", l.Kind.Title()+"-"+l.Number, "letter-"+string(l.Kind), "pdf", b,
		map[string]any{"kind": string(l.Kind), "letter_id": l.ID, "number": l.Number, "findings": l.FindingIDs})
}

// sendVisitFile audits a download of a visit, then sends its bytes as an
// attachment named name-<institution>.<ext> (fallback for old clients:
// file-<visit id>.<ext>).
func (s *Server) sendVisitFile(w http.ResponseWriter, r *http.Request, rq *request, action string, v store.CampaignVisit,
	contentType, name, file, ext string, b []byte, rec map[string]any) error {
	if err := s.store.RecordVisitDownload(r.Context(), rq.P, action, v, rec); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", web.ContentDisposition(name+"-"+v.Institution+"."+ext, file+"-"+strconv.FormatInt(v.ID, 10)+"."+ext))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, err := w.Write(b)
	return err
}

var medTypeNames = map[string]string{supervision.Outpatient: "门诊", supervision.Inpatient: "住院", supervision.RehabStay: "康复住院"}

// riskTierNames are the ranking tiers' names (the pack, the campaign page
// and its export).
var riskTierNames = map[string]string{"high": "高风险", "medium": "中风险", "low": "低风险"}

// profile is the pack's risk profile as label–value rows.
func profile(p store.VisitPack, who string, now time.Time) []pdf.Field {
	in := p.Institution
	kind := map[string]string{"medical": "医疗机构", "rehab": "康复机构"}[in.Type]
	depth := "简易检查"
	if p.Visit.Depth == supervision.DepthFull {
		depth = "全面检查"
		if p.Visit.Random {
			depth += "（随机抽中）"
		}
	}
	place := "未进入排名"
	if p.Place > 0 {
		place = fmt.Sprintf("第%d名（共%d家）", p.Place, p.Ranked)
	}
	var members []string
	for _, m := range p.Team.Members {
		s := m.Name + "（" + m.Specialty
		if m.Officer {
			s += "，执法"
		}
		members = append(members, s+"）")
	}
	var fen int64
	definite := 0
	for _, l := range p.Leads {
		fen += int64(l.Finding.Fen)
		if l.Finding.Severity == supervision.Definite {
			definite++
		}
	}
	reasons := strings.Join(p.Rank.Reasons, "；")
	team := "未分组"
	if len(members) > 0 {
		team = fmt.Sprintf("第%d组：%s", p.Team.No, strings.Join(members, "、"))
	}
	return []pdf.Field{
		{Label: "被检查机构", Value: cmp.Or(in.Name, in.Code) + "（" + in.Code + "）"},
		{Label: "机构类型与等级", Value: fmt.Sprintf("%s，%d级，核定床位%d张", cmp.Or(kind, in.Type), in.Level, in.Beds)},
		{Label: "所在区县", Value: cmp.Or(web.RegionName(in.County), in.County)},
		{Label: "稽核计划", Value: fmt.Sprintf("%s（%d年度）", p.Campaign.Name, p.Campaign.Year)},
		{Label: "检查组", Value: team},
		{Label: "风险层级与检查深度", Value: cmp.Or(riskTierNames[p.Visit.Tier], p.Visit.Tier) + "，" + depth},
		{Label: "风险分与排名", Value: fmt.Sprintf("%.2f，%s", p.Visit.Score, place)},
		{Label: "筛查线索", Value: fmt.Sprintf("%d条（明确违规%d条，可疑%d条），涉及金额%s元", len(p.Leads), definite, len(p.Leads)-definite, supervision.YuanText(fen))},
		{Label: "基金支付（筛查期）", Value: supervision.YuanText(p.Rank.Settled) + "元"},
		{Label: "主要风险", Value: cmp.Or(reasons, "—")},
		{Label: "抽样", Value: fmt.Sprintf("按就诊类型×金额三分位分层，每层随机抽取%d例（线索病例不重复抽取），共%d例", p.PerStratum, len(p.Sample))},
		{Label: "制作", Value: who + "　" + now.Format("2006年1月2日 15:04") + "（北京时间）"},
	}
}

// leadRow is one lead as the pack lists it.
func leadRow(l store.Lead) []string {
	f := l.Finding
	return []string{strconv.FormatInt(l.ID, 10), f.RuleID + " " + l.RuleName, supervision.CategoryName(f.Category), supervision.SeverityName(f.Severity),
		f.MdtrtID, supervision.YuanText(int64(f.Fen)), f.Reason, strings.Join(f.Lines, "、"), store.LeadReviews[l.Review]}
}

var leadHeaders = []string{"线索号", "规则", "类别", "性质", "就诊流水号", "金额（元）", "原因", "证据明细（费用流水号）", "核实状态"}

var sampleHeaders = []string{"就诊流水号", "证件号码", "姓名", "就诊类型", "开始时间", "结束时间", "主诊断", "总费用（元）", "基金支付（元）", "明细条数"}

func sampleRow(e store.PackEncounter) []string {
	return []string{e.MdtrtID, e.CertNo, e.Name, cmp.Or(medTypeNames[e.MedType], e.MedType), e.Begin, e.End, e.MainDiag,
		supervision.YuanText(e.Total), supervision.YuanText(e.FundPaid), strconv.Itoa(e.Lines)}
}

// packReport lays the pack out as a PDF report.
func packReport(p store.VisitPack, who string, now time.Time) pdf.Report {
	leads := &pdf.Grid{Columns: []pdf.GridColumn{{Header: "线索号", Weight: 0.8}, {Header: "规则", Weight: 1.6}, {Header: "类别", Weight: 1.1},
		{Header: "性质", Weight: 0.8}, {Header: "就诊流水号", Weight: 1.5}, {Header: "金额（元）", Weight: 1.1}, {Header: "原因", Weight: 3.2},
		{Header: "证据明细", Weight: 1.8}, {Header: "核实", Weight: 0.8}}}
	for _, l := range p.Leads {
		leads.Rows = append(leads.Rows, leadRow(l))
	}
	sample := &pdf.Grid{Columns: []pdf.GridColumn{{Header: "序号", Weight: 0.6}, {Header: "就诊流水号", Weight: 1.6}, {Header: "证件号码", Weight: 2},
		{Header: "姓名", Weight: 0.9}, {Header: "类型", Weight: 0.9}, {Header: "开始", Weight: 1.5}, {Header: "结束", Weight: 1.5},
		{Header: "主诊断", Weight: 0.9}, {Header: "基金支付（元）", Weight: 1.2}, {Header: "核查结果", Weight: 1.4}}}
	for i, e := range p.Sample {
		r := sampleRow(e)
		sample.Rows = append(sample.Rows, []string{strconv.Itoa(i + 1), r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[8], ""})
	}
	rep := pdf.Report{Authority: web.RegionName(p.Campaign.Region) + "人力资源和社会保障局", Title: "工伤保险基金现场稽核检查资料",
		Subtitle: cmp.Or(p.Institution.Name, p.Institution.Code) + "（" + p.Institution.Code + "）",
		Date:     time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC),
		Footer:   "内部资料，注意保密。" + p.Campaign.Name + " · 检查对象" + strconv.FormatInt(p.Visit.ID, 10),
		Sections: []pdf.Section{
			{Heading: "一、风险概况", Fields: profile(p, who, now)},
			{Heading: fmt.Sprintf("二、筛查线索（%d条）", len(p.Leads)), Grid: leads},
			{Heading: fmt.Sprintf("三、随机抽样病例（%d例）", len(p.Sample)), Grid: sample},
		}}
	if len(p.Leads) == 0 {
		rep.Sections[1].Grid, rep.Sections[1].Paragraphs = nil, []string{"本次筛查未发现该机构的线索。"}
	}
	if len(p.Sample) == 0 {
		rep.Sections[2].Grid, rep.Sections[2].Paragraphs = nil, []string{"该机构没有可抽取的病例。"}
	}
	for i, cl := range p.Checklists {
		sec := pdf.Section{Heading: fmt.Sprintf("%s、检查清单：%s", []string{"四", "五", "六", "七", "八", "九"}[min(i, 5)], cl.Name), NewPage: i == 0}
		g := &pdf.Grid{Columns: []pdf.GridColumn{{Header: "序号", Weight: 0.6}, {Header: "检查内容", Weight: 7}, {Header: "结果", Weight: 1.2}, {Header: "记录人", Weight: 1.2}}}
		for j, it := range cl.Items {
			g.Rows = append(g.Rows, []string{strconv.Itoa(j + 1), it, "", ""})
		}
		sec.Grid = g
		rep.Sections = append(rep.Sections, sec)
	}
	return rep
}

// packPages lays the pack out as the workbook's four sheets.
func packPages(p store.VisitPack, who string, now time.Time) []sheet.Page {
	note := "制作人：" + who + "　制作时间：" + now.Format("2006年1月2日 15:04") + "（北京时间）"
	title := cmp.Or(p.Institution.Name, p.Institution.Code) + "（" + p.Institution.Code + "）"
	cols := func(widths []float64, heads ...string) []sheet.Column {
		out := make([]sheet.Column, len(heads))
		for i, h := range heads {
			out[i] = sheet.Column{Header: h, Width: widths[min(i, len(widths)-1)]}
		}
		return out
	}
	prof := sheet.Page{Export: sheet.Export{Sheet: "风险概况", Title: "风险概况：" + title, Note: note, Columns: cols([]float64{22, 80}, "项目", "内容")}}
	for _, f := range profile(p, who, now) {
		prof.Rows = append(prof.Rows, []any{f.Label, f.Value})
	}
	leads := sheet.Page{Export: sheet.Export{Sheet: "线索", Title: fmt.Sprintf("筛查线索：%s（%d条）", title, len(p.Leads)), Note: note,
		Columns: cols([]float64{10, 30, 16, 10, 18, 14, 60, 40, 10}, leadHeaders...)}}
	for _, l := range p.Leads {
		r := leadRow(l)
		leads.Rows = append(leads.Rows, []any{l.ID, r[1], r[2], r[3], r[4], sheet.Money(l.Finding.Fen), r[6], r[7], r[8]})
	}
	sample := sheet.Page{Export: sheet.Export{Sheet: "抽样病例", Title: fmt.Sprintf("随机抽样病例：%s（每层%d例，共%d例）", title, p.PerStratum, len(p.Sample)), Note: note,
		Columns: cols([]float64{18, 22, 10, 10, 20, 20, 12, 14, 14, 10}, append(sampleHeaders, "核查结果")...)}}
	for _, e := range p.Sample {
		r := sampleRow(e)
		sample.Rows = append(sample.Rows, []any{r[0], r[1], r[2], r[3], r[4], r[5], r[6], sheet.Money(e.Total), sheet.Money(e.FundPaid), e.Lines, ""})
	}
	check := sheet.Page{Export: sheet.Export{Sheet: "检查清单", Title: "现场检查清单：" + title, Note: note, Columns: cols([]float64{18, 8, 80, 12, 12}, "类别", "序号", "检查内容", "结果", "记录人")}}
	for _, cl := range p.Checklists {
		for j, it := range cl.Items {
			check.Rows = append(check.Rows, []any{cl.Name, j + 1, it, "", ""})
		}
	}
	return []sheet.Page{prof, leads, sample, check}
}
