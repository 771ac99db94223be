package backoffice

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// homeCard is one figure of the home page, linking to its list.
type homeCard struct {
	ID, Label string
	Value     int
	Href      string
}

// homeAction is a task the user's role may start from the home page.
type homeAction struct{ Label, Href string }

// homeRow is one region's figures in the home page's table.
type homeRow struct {
	Code, Name         string
	Employers, Insured int
}

type homePage struct {
	base
	RegionName string
	Cards      []homeCard
	Actions    []homeAction
	ByRegion   []homeRow
	RegionBars template.HTML
	TradeBars  template.HTML
	CountedAt  string // when the figures by region and industry were counted (CST)
	Todo       *homeTodo
}

// homeTodo is the user's work queue in two figures.
type homeTodo struct{ Open, Overdue int }

// homeCountsTTL is how long the home page's figures by region and industry
// are reused: counting them reads every current employment in scope
// (measured at 100,000 workers: p50 352 ms on SQLite, 162 ms on
// PostgreSQL, `bench registry` home_counts), too slow for a page opened at
// every sign-in; the page says when they were counted.
const homeCountsTTL = 5 * time.Minute

// homeCounts keeps the last count per scope for homeCountsTTL.
type homeCounts struct {
	mu sync.Mutex
	m  map[string]homeCount
}

type homeCount struct {
	at     time.Time
	counts []store.RegistryCount
}

// get returns the counts of scope, counting anew when older than the TTL.
func (h *homeCounts) get(ctx context.Context, s *store.Store, scope access.Scope, now time.Time) (homeCount, error) {
	lo, hi := scope.Range()
	key := lo + "-" + hi
	h.mu.Lock()
	c, ok := h.m[key]
	h.mu.Unlock()
	if ok && now.Sub(c.at) < homeCountsTTL {
		return c, nil
	}
	counts, err := s.RegistryCounts(ctx, scope)
	if err != nil {
		return homeCount{}, err
	}
	c = homeCount{at: now, counts: counts}
	h.mu.Lock()
	if h.m == nil {
		h.m = map[string]homeCount{}
	}
	h.m[key] = c
	h.mu.Unlock()
	return c, nil
}

// home shows what the user's role works on: counts that link to their
// lists, the tasks the role may start, the user's own to-do (empty until
// the 工伤一件事 case brings work queues), and the region's registry by
// county and by industry as server-drawn charts.
func (s *Server) home(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, scope := r.Context(), rq.P.Scope()
	var cards []homeCard
	if rq.P.Can(access.PermRegistryRead) {
		_, ne, err := s.store.FindEmployers(ctx, scope, store.EmployerFilter{Page: store.Page{Limit: 1}})
		if err != nil {
			return err
		}
		_, nw, err := s.store.FindWorkers(ctx, scope, store.WorkerFilter{Page: store.Page{Limit: 1}})
		if err != nil {
			return err
		}
		cards = append(cards, homeCard{"stat-employers", "用人单位", ne, "/employers"}, homeCard{"stat-workers", "登记职工", nw, "/workers"})
	}
	if rq.P.Can(access.PermAuditRead) {
		_, na, err := s.store.FindAuditEntries(ctx, scope, store.AuditFilter{Page: store.Page{Limit: 1}})
		if err != nil {
			return err
		}
		cards = append(cards, homeCard{"stat-audit", "审计日志", na, "/audit"})
	}
	page := &homePage{base: base{Title: "首页"}, RegionName: web.RegionNames[rq.P.RegionCode], Cards: cards, Actions: homeActions(rq.P)}
	if todo, err := s.homeTodo(r, rq); err != nil {
		return err
	} else {
		page.Todo = todo
	}
	if rq.P.Can(access.PermRegistryRead) {
		c, err := s.counts.get(ctx, s.store, scope, s.store.Now())
		if err != nil {
			return err
		}
		page.ByRegion = byRegion(c.counts)
		page.RegionBars, page.TradeBars = registryCharts(page.ByRegion, c.counts)
		page.CountedAt = c.at.In(cst).Format("2006-01-02 15:04")
	}
	s.render(w, r, rq, http.StatusOK, "home", page)
	return nil
}

// homeTodo counts the open steps of the user's queue and the overdue
// ones: two counts on the queue's partial indexes, nil for roles that work
// no queue.
func (s *Server) homeTodo(r *http.Request, rq *request) (*homeTodo, error) {
	kinds := casebundle.QueueKinds(rq.P.Role)
	if len(kinds) == 0 || !rq.P.Can(access.PermCaseRead) {
		return nil, nil
	}
	f := store.QueueFilter{Kinds: kinds, Page: store.Page{Limit: 1}}
	_, open, err := s.store.CaseQueue(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return nil, err
	}
	f.Overdue = true
	_, late, err := s.store.CaseQueue(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return nil, err
	}
	return &homeTodo{Open: open, Overdue: late}, nil
}

// homeActions are the tasks p's role may start.
func homeActions(p access.Principal) []homeAction {
	var out []homeAction
	add := func(perm access.Permission, label, href string) {
		if p.Can(perm) {
			out = append(out, homeAction{label, href})
		}
	}
	add(access.PermCaseOpen, "申请工伤一件事", "/cases/new")
	add(access.PermCaseRead, "案件待办", "/cases")
	add(access.PermCaseRead, "办理统计", "/cases/dashboard")
	add(access.PermRegistryWrite, "登记用人单位", "/employers/new")
	add(access.PermRegistryWrite, "登记职工", "/workers/new")
	add(access.PermRegistryImport, "批量导入", "/import")
	add(access.PermBenefitCalc, "待遇测算", "/calc")
	add(access.PermBenefitCalc, "法定期限计算", "/deadlines")
	add(access.PermFindingReview, "疑点复核", "/findings")
	add(access.PermClearing, "月度清算", "/clearing")
	add(access.PermInstitutions, "登记协议机构", "/institutions/new")
	add(access.PermParamsRead, "法定参数", "/params")
	add(access.PermUsersManage, "用户管理", "/users")
	return out
}

// byRegion sums counts per region, in code order.
func byRegion(counts []store.RegistryCount) []homeRow {
	rows := map[string]*homeRow{}
	for _, c := range counts {
		row, ok := rows[c.Region]
		if !ok {
			row = &homeRow{Code: c.Region, Name: cmp.Or(web.RegionNames[c.Region], c.Region)}
			rows[c.Region] = row
		}
		row.Employers += c.Employers
		row.Insured += c.Insured
	}
	out := make([]homeRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b homeRow) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// topTrades is how many industries the chart shows before 其他行业.
const topTrades = 8

// registryCharts draws insured workers by region and employers by
// industry (the largest topTrades, the rest summed as 其他行业).
func registryCharts(regions []homeRow, counts []store.RegistryCount) (template.HTML, template.HTML) {
	var rb []bar
	for _, row := range regions {
		rb = append(rb, bar{row.Name, row.Insured, "/workers?region=" + url.QueryEscape(row.Code)})
	}
	trades := map[string]int{}
	for _, c := range counts {
		trades[c.Industry] += c.Employers
	}
	var tb []bar
	ref := registry.MustReference()
	for code, n := range trades {
		label := code
		if in, ok := ref.Industry(code); ok {
			label = in.Name
		}
		tb = append(tb, bar{label, n, "/employers?industry=" + url.QueryEscape(code)})
	}
	slices.SortFunc(tb, func(a, b bar) int { return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Label, b.Label)) })
	if len(tb) > topTrades {
		rest := 0
		for _, b := range tb[topTrades:] {
			rest += b.Value
		}
		tb = append(tb[:topTrades], bar{Label: "其他行业", Value: rest})
	}
	return barChart("chart-regions", "在职参保职工（按地区）", rb), barChart("chart-trades", "用人单位（按行业）", tb)
}
