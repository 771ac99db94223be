package backoffice

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// Fund supervision (基金监管): import a settlement extract (a .zip of its
// CSV files), start a scan of it or of gongshang's own settlements (a job;
// the page shows its progress), work a scan's leads (filters, sort, Excel
// export; a lead's page shows every evidence line and takes the review),
// the institution ranking, and the rule base with its hit statistics and
// an administrator's settings.

// maxExtractUpload bounds an extract's upload (a city-year zips to about
// 40 MB; its CSV files are about 170 MB).
const maxExtractUpload = 256 << 20

type supervisionPage struct {
	base
	Scans     []store.ScanInfo
	Extracts  []store.ExtractInfo
	CanScreen bool
	Year      int
	Problems  []supervision.Problem
	Total     int
	Error     string
}

func (s *Server) supervisionHome(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showSupervision(w, r, rq, http.StatusOK, &supervisionPage{})
}

func (s *Server) showSupervision(w http.ResponseWriter, r *http.Request, rq *request, status int, p *supervisionPage) error {
	var err error
	if p.Scans, err = s.store.Scans(r.Context(), rq.P.Scope(), 20); err != nil {
		return err
	}
	if p.Extracts, err = s.store.Extracts(r.Context()); err != nil {
		return err
	}
	p.base = base{Title: "基金监管"}
	p.CanScreen = rq.P.Can(access.PermSupervisionScreen)
	if p.Year == 0 {
		p.Year = s.store.Now().In(cst).Year()
	}
	s.render(w, r, rq, status, "supervision", p)
	return nil
}

// extractUpload imports a .zip of an extract's CSV files: all or nothing,
// every bad row listed.
func (s *Server) extractUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	name, data, err := web.ReadUpload(r, "file")
	if err != nil {
		return s.showSupervision(w, r, rq, http.StatusUnprocessableEntity, &supervisionPage{Error: "请选择结算数据压缩包（.zip，内含institutions.csv、lines.csv等文件）"})
	}
	files, err := unzipExtract(data)
	if err != nil {
		return s.showSupervision(w, r, rq, http.StatusUnprocessableEntity, &supervisionPage{Error: err.Error()})
	}
	info, err := s.store.ImportExtract(r.Context(), rq.P, name, files)
	var ee *supervision.ExtractError
	if errors.As(err, &ee) {
		return s.showSupervision(w, r, rq, http.StatusUnprocessableEntity, &supervisionPage{Problems: ee.Problems, Total: ee.Total,
			Error: fmt.Sprintf("结算数据有%d处错误，未导入（一行也未写入）。", ee.Total)})
	}
	if err != nil {
		return err
	}
	s.flash(r, rq, fmt.Sprintf("已导入结算数据“%s”：%d次就诊、%d条费用明细。", info.Name, info.Counts["encounters"], info.Counts["lines"]))
	http.Redirect(w, r, "/supervision", http.StatusSeeOther)
	return nil
}

// unzipExtract reads the CSV files of a zip (in its root or one folder).
func unzipExtract(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errs.Field("file", "zip", "文件不是有效的zip压缩包")
	}
	files := map[string][]byte{}
	var total int64
	for _, f := range zr.File {
		base := path.Base(f.Name)
		if f.FileInfo().IsDir() || !strings.HasSuffix(base, ".csv") || strings.HasPrefix(base, ".") {
			continue
		}
		total += int64(f.UncompressedSize64)
		if total > 2<<30 {
			return nil, errs.Field("file", "too_large", "压缩包解压后超过2GB")
		}
		rc, err := f.Open()
		if err != nil {
			return nil, errs.Field("file", "zip", "无法读取压缩包中的%s", base)
		}
		b, err := io.ReadAll(io.LimitReader(rc, 2<<30))
		rc.Close()
		if err != nil {
			return nil, errs.Field("file", "zip", "无法读取压缩包中的%s", base)
		}
		files[base] = b
	}
	if len(files) == 0 {
		return nil, errs.Field("file", "zip", "压缩包中没有CSV文件")
	}
	return files, nil
}

// scanStart starts a scan of an extract (extract=ID) or of own
// settlements (own year) and shows its page.
func (s *Server) scanStart(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	var extract int64
	var year int
	if v := r.PostFormValue("extract"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return s.showSupervision(w, r, rq, http.StatusUnprocessableEntity, &supervisionPage{Error: "请选择要筛查的结算数据"})
		}
		extract = id
	} else {
		y, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
		if err != nil {
			return s.showSupervision(w, r, rq, http.StatusUnprocessableEntity, &supervisionPage{Error: "年度应为四位数字，如2025"})
		}
		year = y
	}
	sc, err := s.store.StartScan(r.Context(), rq.P, extract, year)
	if err != nil {
		if fe, ok := errs.First(err); ok {
			return s.showSupervision(w, r, rq, web.Status(err), &supervisionPage{Error: fe.Message, Year: year})
		}
		return err
	}
	s.flash(r, rq, "筛查已开始，完成后本页自动显示结果。")
	http.Redirect(w, r, fmt.Sprintf("/supervision/scans/%d", sc.ID), http.StatusSeeOther)
	return nil
}

type scanPage struct {
	base
	Scan   store.ScanInfo
	L      *web.ListQuery
	Leads  []store.Lead
	Pager  web.Pager
	ByCat  []catTotal
	Top    []supervision.Rank
	Review bool
}

type catTotal struct {
	Category, Name string
	Count          int
	Fen            int64
}

// LeadListSpec is a scan's lead list.
func LeadListSpec(path string) *web.ListSpec {
	var cats, rules []web.Choice
	for _, c := range supervision.Categories {
		cats = append(cats, web.Choice{Value: c, Name: supervision.CategoryName(c)})
	}
	for _, r := range supervision.Base {
		if r.Runs(supervision.StageScreening) {
			rules = append(rules, web.Choice{Value: r.ID, Name: r.ID + " " + r.Name})
		}
	}
	return &web.ListSpec{Path: path, Name: "筛查线索", Filters: []web.Filter{
		{Key: "category", Label: "行为类别", Choices: cats},
		{Key: "severity", Label: "结果类型", Choices: []web.Choice{{Value: supervision.Definite, Name: "明确违规"}, {Value: supervision.Suspicious, Name: "可疑"}}},
		{Key: "rule", Label: "规则", Choices: rules},
		{Key: "institution", Label: "机构编码"},
		{Key: "review", Label: "核实状态", Choices: []web.Choice{{Value: "new", Name: "待核实"}, {Value: "confirmed", Name: "已确认"}, {Value: "dismissed", Name: "已排除"}}},
	}, Sorts: []web.Sort{{Key: "amount", Label: "涉及金额", Desc: true}, {Key: "score", Label: "证据强度", Desc: true}}}
}

func (s *Server) scanShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sc, err := s.store.FindScan(r.Context(), id)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, LeadListSpec(fmt.Sprintf("/supervision/scans/%d", id)))
	if err != nil {
		return err
	}
	f := store.LeadFilter{ScanID: id, Category: q.Get("category"), Severity: q.Get("severity"), Rule: q.Get("rule"),
		Institution: strings.TrimSpace(q.Get("institution")), Review: q.Get("review"), Sort: q.Sort, Asc: q.Sort != "" && !q.Desc, Page: storePage(q)}
	if q.Export {
		return s.exportLeads(w, r, rq, q, f)
	}
	p := &scanPage{base: base{Title: fmt.Sprintf("筛查 %d", id)}, Scan: sc, L: q, Review: rq.P.Can(access.PermSupervisionReview)}
	if sc.State == "running" {
		w.Header().Set("Refresh", "2")
	}
	if sc.State == "done" {
		if p.Leads, p.Pager.Total, err = s.store.FindLeads(r.Context(), rq.P.Scope(), f); err != nil {
			return err
		}
		p.Pager = q.Pager(p.Pager.Total)
		if p.ByCat, err = s.categoryTotals(r, rq, id); err != nil {
			return err
		}
		rank, err := s.store.ScanRanking(r.Context(), id)
		if err != nil {
			return err
		}
		p.Top = rank[:min(10, len(rank))]
	}
	s.render(w, r, rq, http.StatusOK, "supervision_scan", p)
	return nil
}

// categoryTotals counts a scan's leads in scope by category.
func (s *Server) categoryTotals(r *http.Request, rq *request, scanID int64) ([]catTotal, error) {
	by := map[string]*catTotal{}
	err := s.store.EachLead(r.Context(), rq.P.Scope(), store.LeadFilter{ScanID: scanID}, func(l store.Lead) error {
		c := by[l.Finding.Category]
		if c == nil {
			c = &catTotal{Category: l.Finding.Category, Name: supervision.CategoryName(l.Finding.Category)}
			by[l.Finding.Category] = c
		}
		c.Count++
		c.Fen += int64(l.Finding.Fen)
		return nil
	})
	var out []catTotal
	for _, c := range supervision.Categories {
		if t := by[c]; t != nil {
			out = append(out, *t)
		}
	}
	return out, err
}

var leadColumns = []sheet.Column{{Header: "线索号", Width: 10}, {Header: "规则", Width: 30}, {Header: "行为类别", Width: 16}, {Header: "结果类型", Width: 10},
	{Header: "就诊ID", Width: 18}, {Header: "机构编码", Width: 16}, {Header: "机构", Width: 24}, {Header: "涉及金额", Width: 12}, {Header: "证据强度", Width: 10},
	{Header: "证据明细", Width: 40}, {Header: "疑点说明", Width: 60}, {Header: "核实状态", Width: 10}, {Header: "核实意见", Width: 30}}

func (s *Server) exportLeads(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.LeadFilter) error {
	f.Page = store.Page{Limit: 1}
	_, total, err := s.store.FindLeads(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportLeads, File: "leads", Columns: leadColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			err := s.store.EachLead(r.Context(), rq.P.Scope(), f, func(l store.Lead) error {
				n++
				fd := l.Finding
				return add(strconv.FormatInt(l.ID, 10), fd.RuleID+" "+l.RuleName, supervision.CategoryName(fd.Category), supervision.SeverityName(fd.Severity),
					fd.MdtrtID, fd.Institution, l.Institution, sheet.Money(int64(fd.Fen)), strconv.FormatFloat(fd.Score, 'f', 2, 64),
					strings.Join(fd.Lines, "；"), fd.Reason, store.LeadReviews[l.Review], l.ReviewReason)
			})
			return n, err
		}})
}

type leadPage struct {
	base
	Lead   store.Lead
	Rule   supervision.Rule
	Review bool
	Err    string
	Reason string
}

func (s *Server) leadShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showLead(w, r, rq, http.StatusOK, "", "")
}

func (s *Server) showLead(w http.ResponseWriter, r *http.Request, rq *request, status int, msg, reason string) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	l, err := s.store.FindLead(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	rule, _ := supervision.RuleByID(l.Finding.RuleID)
	s.render(w, r, rq, status, "supervision_lead", &leadPage{base: base{Title: "筛查线索 " + strconv.FormatInt(id, 10)}, Lead: l, Rule: rule,
		Review: rq.P.Can(access.PermSupervisionReview), Err: msg, Reason: reason})
	return nil
}

func (s *Server) leadReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	reason := r.PostFormValue("reason")
	l, err := s.store.ReviewLead(r.Context(), rq.P, id, version, r.PostFormValue("decision"), reason)
	if err != nil {
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) {
			msg := err.Error()
			if fe, ok := errs.First(err); ok {
				msg = fe.Message
			}
			if errs.Is(err, errs.Conflict) && !strings.Contains(msg, "不能") {
				msg = "已被他人修改，请刷新后重试"
			}
			return s.showLead(w, r, rq, web.Status(err), msg, reason)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("线索%d已%s。", id, store.LeadReviews[l.Review]))
	http.Redirect(w, r, fmt.Sprintf("/supervision/leads/%d", id), http.StatusSeeOther)
	return nil
}

type rankingPage struct {
	base
	Scan  store.ScanInfo
	Ranks []supervision.Rank
}

func (s *Server) scanRanking(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sc, err := s.store.FindScan(r.Context(), id)
	if err != nil {
		return err
	}
	ranks, err := s.store.ScanRanking(r.Context(), id)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		q, err := web.ParseList(r, &web.ListSpec{Path: fmt.Sprintf("/supervision/scans/%d/ranking", id), Name: "机构风险排序"})
		if err != nil {
			return err
		}
		cols := []sheet.Column{{Header: "排名", Width: 6}, {Header: "机构编码", Width: 16}, {Header: "机构", Width: 28}, {Header: "风险分", Width: 8},
			{Header: "明确违规", Width: 10}, {Header: "可疑", Width: 8}, {Header: "涉及金额", Width: 14}, {Header: "基金支付", Width: 14}, {Header: "构成", Width: 60}}
		return s.exportList(w, r, rq, q, listExport{Action: store.ExportRanking, File: "ranking", Columns: cols, Total: len(ranks),
			Rows: func(add sheet.RowFunc) (int, error) {
				for i, k := range ranks {
					if err := add(strconv.Itoa(i+1), k.Institution, k.Name, strconv.FormatFloat(k.Score, 'f', 4, 64), strconv.Itoa(k.Definite),
						strconv.Itoa(k.Suspicious), sheet.Money(k.Fen), sheet.Money(k.Settled), strings.Join(k.Reasons, "；")); err != nil {
						return i, err
					}
				}
				return len(ranks), nil
			}})
	}
	s.render(w, r, rq, http.StatusOK, "supervision_ranking", &rankingPage{base: base{Title: "机构风险排序"}, Scan: sc, Ranks: ranks})
	return nil
}

type rulesPage struct {
	base
	Rules    []ruleRow
	CanTune  bool
	Region   string
	Err      string
	Settings []store.RuleSetting
}

type ruleRow struct {
	supervision.Rule
	Stat store.RuleStat
}

func (s *Server) ruleList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showRules(w, r, rq, http.StatusOK, "")
}

func (s *Server) showRules(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	stats, err := s.store.RuleStats(r.Context(), "")
	if err != nil {
		return err
	}
	byID := map[string]store.RuleStat{}
	for _, st := range stats {
		byID[st.RuleID] = st
	}
	cfg, err := s.store.RuleConfig(r.Context(), rq.P.RegionCode, cstDay(s.store.Now()))
	if err != nil {
		return err
	}
	set := map[string]supervision.Rule{}
	for _, c := range cfg.Rules {
		set[c.ID] = c
	}
	var rows []ruleRow
	for _, b := range supervision.Base {
		row := ruleRow{Rule: b, Stat: byID[b.ID]}
		row.Enabled = true
		if c, ok := set[b.ID]; ok {
			row.Enabled, row.Values = c.Enabled, c.Values
		}
		rows = append(rows, row)
	}
	if r.Method == http.MethodGet && wantsExport(r) {
		return s.exportRules(w, r, rq, rows)
	}
	settings, err := s.store.RuleSettings(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, rq, status, "supervision_rules", &rulesPage{base: base{Title: "规则库"}, Rules: rows, CanTune: rq.P.Can(access.PermSupervisionRules),
		Region: rq.P.RegionCode, Err: msg, Settings: settings})
	return nil
}

// ruleSet records an administrator's setting: enabled, values "name=v"
// per parameter field, the region and the day it applies from.
func (s *Server) ruleSet(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	st := store.RuleSetting{RuleID: r.PostFormValue("rule_id"), Region: strings.TrimSpace(r.PostFormValue("region")),
		ValidFrom: strings.TrimSpace(r.PostFormValue("valid_from")), Enabled: r.PostFormValue("enabled") == "on", Values: map[string]float64{}}
	rule, ok := supervision.RuleByID(st.RuleID)
	if !ok {
		return s.showRules(w, r, rq, http.StatusUnprocessableEntity, "规则不存在")
	}
	for _, p := range rule.Params {
		v := strings.TrimSpace(r.PostFormValue("p_" + p.Name))
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return s.showRules(w, r, rq, http.StatusUnprocessableEntity, fmt.Sprintf("参数“%s”应为数字", p.Label))
		}
		st.Values[p.Name] = f
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if _, err := s.store.SetRuleSetting(r.Context(), rq.P, st, version); err != nil {
		if fe, ok := errs.First(err); ok {
			return s.showRules(w, r, rq, web.Status(err), rule.ID+"："+fe.Message)
		}
		if errs.Is(err, errs.Conflict) {
			return s.showRules(w, r, rq, http.StatusConflict, "已被他人修改，请刷新后重试")
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("规则%s的设置已保存，自%s起在%s适用。", rule.ID, st.ValidFrom, regionText(st.Region)))
	http.Redirect(w, r, "/supervision/rules", http.StatusSeeOther)
	return nil
}
