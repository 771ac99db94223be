package backoffice

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// pages are the surface's parsed screens (web.ParsePages).
type pages = web.Pages

// base is the part of every page's data the layout uses.
type base struct {
	Title   string
	Flash   string // the success message of the change before, shown once by the layout
	User    access.Principal
	Signed  bool
	CSRF    string
	Nav     []navItem
	SubNav  []navItem // the tabs of the section the page is in
	Path    string
	CSSHash string
}

type navItem struct {
	Href, Label string
	Active      bool
}

func (b *base) pageBase() *base { return b }

// page is implemented by every typed page struct through its embedded base.
type page interface{ pageBase() *base }

var cst = web.CST

var funcs = template.FuncMap{
	"fen":       param.Yuan, // ¥12,345.67, the one money format of the pages
	"thousands": thousands,
	"riskWarning": func(industry string, class int) string {
		if industry == "" || class == 0 {
			return ""
		}
		return registry.MustReference().RiskMismatch(industry, class)
	},
	"datetime":   func(t time.Time) string { return t.In(cst).Format("2006-01-02 15:04") },
	"roleName":   func(r access.Role) string { return r.Name() },
	"regionName": regionText,
	"statusName": func(s string) string { return registry.EmployerStatusNames[s] },
	"sexName":    func(s string) string { return registry.SexNames[s] },
	"birth":      web.BirthText,
	"action":     audit.ActionName,
	"industry":   industryName,
	"className":  web.ClassName,
	"day":        cstDay,
	"add":        func(a, b int) int { return a + b },
	"fieldErr":   func(fe map[string]string, name string) string { return fe[name] },
	"short":      func(h string) string { return h[:min(12, len(h))] },
	"levelName":  casebundle.LevelName,
	"entStatus": func(s string) string {
		return map[string]string{"active": "正在发放", "stopped": "已停发"}[s]
	},
	"reasonLabel": func(r string) string {
		if l := payroll.Reason(r).Label(); l != "" {
			return l
		}
		return r
	},
	"categoryName": supervision.CategoryName,
	"percent":      prevention.Percent,
	"amount":       func(y supervision.Yuan) string { return param.Yuan(int64(y)) },
	"severityName": supervision.SeverityName,
	"leadReview":   func(s string) string { return store.LeadReviews[s] },
	"fileSize":     func(n int64) string { return thousands(int(n)) + " 字节" },
	"fmtdate":      func(t time.Time) string { return t.Format("2006-01-02") },
	"audittime": func(at string) string {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return at
		}
		return t.In(cst).Format("2006-01-02 15:04:05")
	},
}

func parsePages() (*pages, error) {
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		return nil, err
	}
	return web.ParsePages(templateFS, css, funcs)
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, rq *request, status int, name string, data page) {
	t, ok := s.pages.ByName[name]
	if !ok {
		panic("web: no template " + name) // caught by tests that render every page
	}
	b := data.pageBase()
	b.User, b.Signed, b.Path, b.CSSHash = rq.P, rq.SignedIn(), r.URL.Path, s.pages.CSSHash
	b.CSRF = rq.CSRF
	b.Nav = navFor(rq, r.URL.Path)
	b.SubNav = subNavFor(rq, r.URL.Path)
	if rq.Flash != "" {
		msg, err := s.auth.TakeFlash(r, rq)
		if err != nil {
			s.log.Error("flash", "error", err) // shown now; it may show once more
		}
		b.Flash = msg
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.log.Error("render", "template", name, "error", err)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// settleSection are the pages of direct settlement, one entry (联网结算)
// in the top bar and these tabs under it.
var settleSection = []struct {
	href, label string
	perm        access.Permission
}{
	{"/settlements", "结算单", access.PermSettleRead},
	{"/encounters", "就诊登记", access.PermSettleRead},
	{"/findings", "疑点复核", access.PermFindingReview},
	{"/reconciliation", "每日对账", access.PermSettleRead},
	{"/clearing", "月度清算", access.PermSettleRead},
	{"/filings", "异地备案", access.PermSettleRead},
	{"/institutions", "协议机构", access.PermSettleRead},
	{"/catalogue", "工伤目录", access.PermSettleRead},
}

// inSettleSection reports whether path is one of direct settlement's pages.
func inSettleSection(path string) bool {
	for _, n := range settleSection {
		if path == n.href || strings.HasPrefix(path, n.href+"/") {
			return true
		}
	}
	return false
}

// payrollSection are the payroll's pages (待遇发放): its tabs, and the
// prefixes each tab covers.
var payrollSection = []struct {
	href, label string
	perm        access.Permission
	covers      []string
}{
	{"/payroll", "发放周期", access.PermPayrollRead, []string{"/payroll/cycles/", "/payroll/workers/"}},
	{"/payroll/adjustments", "待遇调整", access.PermPayrollRead, []string{"/payroll/adjustments/"}},
}

// payrollNav is the payroll's tabs when path is one of its pages.
func payrollNav(rq *request, path string) []navItem {
	if path != "/payroll" && !strings.HasPrefix(path, "/payroll/") {
		return nil
	}
	var out []navItem
	for _, n := range payrollSection {
		if !rq.P.Can(n.perm) {
			continue
		}
		active := path == n.href
		for _, c := range n.covers {
			active = active || strings.HasPrefix(path, c)
		}
		out = append(out, navItem{Href: n.href, Label: n.label, Active: active})
	}
	return out
}

// subNavFor is the tabs of the section path is in (direct settlement's,
// the payroll's), those the user may open.
func subNavFor(rq *request, path string) []navItem {
	if !rq.SignedIn() {
		return nil
	}
	if nav := payrollNav(rq, path); nav != nil {
		return nav
	}
	if path == "/supervision" || strings.HasPrefix(path, "/supervision/") {
		rules := path == "/supervision/rules"
		return []navItem{{Href: "/supervision", Label: "筛查与线索", Active: !rules}, {Href: "/supervision/rules", Label: "规则库", Active: rules}}
	}
	if !inSettleSection(path) {
		return nil
	}
	var out []navItem
	for _, n := range settleSection {
		if rq.P.Can(n.perm) {
			out = append(out, navItem{Href: n.href, Label: n.label, Active: path == n.href || strings.HasPrefix(path, n.href+"/")})
		}
	}
	return out
}

// navFor lists the sections the user may open.
func navFor(rq *request, path string) []navItem {
	if !rq.SignedIn() {
		return nil
	}
	all := []struct {
		href, label string
		perm        access.Permission
	}{
		{"/", "首页", access.PermSignedIn},
		{"/employers", "用人单位", access.PermRegistryRead},
		{"/workers", "职工", access.PermRegistryRead},
		{"/cases", "案件待办", access.PermCaseRead},
		{"/settlements", "联网结算", access.PermSettleRead},
		{"/payroll", "待遇发放", access.PermPayrollRead},
		{"/supervision", "基金监管", access.PermSupervisionRead},
		{"/prevention", "工伤预防", access.PermPreventionRead},
		{"/import", "批量导入", access.PermRegistryImport},
		{"/calc", "待遇测算", access.PermBenefitCalc},
		{"/deadlines", "时限计算", access.PermBenefitCalc},
		{"/params", "法定参数", access.PermParamsRead},
		{"/audit", "审计日志", access.PermAuditRead},
		{"/users", "用户管理", access.PermUsersManage},
	}
	var out []navItem
	for _, n := range all {
		if rq.P.Can(n.perm) {
			active := n.href == path || n.href != "/" && strings.HasPrefix(path, n.href) ||
				n.href == "/settlements" && inSettleSection(path)
			out = append(out, navItem{Href: n.href, Label: n.label, Active: active})
		}
	}
	return out
}

// static serves embedded assets; the URL carries a content hash, so they
// may be cached for long.
func (s *Server) static(w http.ResponseWriter, r *http.Request, _ *request) error {
	b, err := staticFS.ReadFile("static/" + r.PathValue("file"))
	if err != nil {
		return web.NotFound(w, r, &request{})
	}
	if strings.HasSuffix(r.PathValue("file"), ".css") {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(b)
	return err
}

// flash keeps a success message in the caller's session, for the page the
// change redirects to: every successful change of the back office reports
// itself this way, never through a query parameter (which anyone could
// open, and which a reload shows again).
func (s *Server) flash(r *http.Request, rq *request, msg string) {
	if err := s.auth.SetFlash(r, rq, msg); err != nil {
		s.log.Error("flash", "error", err) // the change is made; only its message is lost
	}
}

// errorTitles name the error pages by status.
var errorTitles = map[int]string{
	http.StatusBadRequest: "请求有误", http.StatusForbidden: "无权访问", http.StatusNotFound: "未找到",
	http.StatusConflict: "操作冲突", http.StatusRequestEntityTooLarge: "文件过大", http.StatusLocked: "账号已锁定",
	http.StatusUnprocessableEntity: "无法处理", http.StatusTooManyRequests: "请求过于频繁",
}

// errorTitle is the title of the error page of status.
func errorTitle(status int) string {
	if t, ok := errorTitles[status]; ok {
		return t
	}
	return "出错了"
}

type errorPage struct {
	base
	Status  int
	Message string
}
