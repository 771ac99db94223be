package backoffice

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The case dashboard (办理统计, GET /cases/dashboard): the newspaper's
// figures of the 工伤一件事 counted from the data by store.CaseDashboard —
// days from the application to the recognition decision (median and 90th
// percentile, normal and simple procedure) against the statutory and the
// local limits, the share decided within each, documents per case against
// the 11 before the reform, trips avoided, applications by channel, and
// the open and overdue steps. The figures are kept per scope for
// dashboardTTL; the page says when they were counted.

// dashboardTTL is how long a scope's figures are reused: the dashboard
// reads every decided recognition and every application of the year in
// scope, too much for each opening of a page many officers keep open.
const dashboardTTL = homeCountsTTL

// scopeCache keeps one value per region scope for a while.
type scopeCache[T any] struct {
	mu sync.Mutex
	m  map[string]scopeCached[T]
}

type scopeCached[T any] struct {
	at time.Time
	v  T
}

// get returns scope's value and when it was counted, counting anew when
// none is younger than ttl. Two requests at once may both count; the later
// count wins, which is harmless.
func (c *scopeCache[T]) get(scope access.Scope, now time.Time, ttl time.Duration, count func() (T, error)) (T, time.Time, error) {
	lo, hi := scope.Range()
	key := lo + "-" + hi
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok && now.Sub(v.at) < ttl && !now.Before(v.at) {
		return v.v, v.at, nil
	}
	got, err := count()
	if err != nil {
		var zero T
		return zero, time.Time{}, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]scopeCached[T]{}
	}
	c.m[key] = scopeCached[T]{at: now, v: got}
	c.mu.Unlock()
	return got, now, nil
}

// dashboardSpec declares the dashboard's one filter: a region inside the
// user's scope.
func dashboardSpec(regions []registry.Region) *web.ListSpec {
	choices := make([]web.Choice, len(regions))
	for i, r := range regions {
		choices[i] = web.Choice{Value: r.Code, Name: r.Name}
	}
	return &web.ListSpec{Path: "/cases/dashboard", Name: "办理统计",
		Filters: []web.Filter{{Key: "region", Label: "地区", Choices: choices}}}
}

// The time_limit keys of the recognition decision, by procedure.
const (
	decisionKey       = "recognition_decision"
	decisionSimpleKey = "recognition_decision_simple"
)

// statuteRegion is the region of the national (statutory) parameters.
const statuteRegion = "000000"

// dashProcedure is one procedure's row of the dashboard.
type dashProcedure struct {
	ID, Name string // normal/simple, 普通程序/简易程序
	store.Durations
	Legal      string       // the statutory limit in words: 60日
	Locals     []localLimit // regions in scope whose own limit differs
	LegalShare string       // decided within the statutory limit, 93.5% ("—" with none decided)
	LocalShare string
	Chart      template.HTML
}

// LocalText is the local limit in words: 7日 for one region, 曲阜市7日 for
// several, 同法定时限 when no region in scope has its own.
func (p dashProcedure) LocalText() string {
	if len(p.Locals) == 0 {
		return "同法定时限"
	}
	if len(p.Locals) == 1 && p.Locals[0].Only {
		return p.Locals[0].Limit
	}
	parts := make([]string, len(p.Locals))
	for i, l := range p.Locals {
		parts[i] = l.RegionName + l.Limit
	}
	return strings.Join(parts, "；") + "；其余同法定时限"
}

// localLimit is a region's own time limit for a decision.
type localLimit struct {
	RegionName, Limit string
	Days              int  // the limit in calendar days (0 when not counted in days)
	Only              bool // the region is the whole scope
}

// dashChannel is one channel's row.
type dashChannel struct {
	Name  string
	Cases int
}

type dashboardPage struct {
	base
	L            *web.ListQuery
	RegionName   string // the scope shown: the filter's region or the user's
	CountedAt    string // HH:MM in China Standard Time
	F            store.CaseFigures
	Procedures   []dashProcedure
	Channels     []dashChannel
	Documents    string // per case, one decimal
	DocsChart    template.HTML
	ShareChart   template.HTML
	ChannelChart template.HTML
	QueueURL     string
	OverdueURL   string
}

// caseDashboard is GET /cases/dashboard.
func (s *Server) caseDashboard(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, scope := r.Context(), rq.P.Scope()
	regions, err := s.store.Regions(ctx, scope)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, dashboardSpec(regions))
	if err != nil {
		return err
	}
	root := rq.P.RegionCode
	if code := q.Get("region"); code != "" {
		root, scope = code, access.ScopeOf(code)
		regions = slices.DeleteFunc(regions, func(rg registry.Region) bool { return !scope.Covers(rg.Code) })
	}
	f, at, err := s.figures.get(scope, s.store.Now(), dashboardTTL, func() (store.CaseFigures, error) {
		return s.store.CaseDashboard(ctx, scope)
	})
	if err != nil {
		return err
	}
	p := &dashboardPage{base: base{Title: "办理统计"}, L: q, RegionName: cmp.Or(web.RegionNames[root], root), F: f,
		CountedAt: at.In(cst).Format("15:04"), Documents: strconv.FormatFloat(f.Documents, 'f', 1, 64)}
	p.QueueURL, p.OverdueURL = queueLinks(q.Get("region"))
	if p.Procedures, err = s.dashProcedures(ctx, f, root, regions); err != nil {
		return err
	}
	p.Channels = dashChannels(f.ByChannel)
	p.ShareChart, p.DocsChart, p.ChannelChart = shareChart(p.Procedures), docsChart(f), channelChart(p.Channels)
	s.render(w, r, rq, http.StatusOK, "case_dashboard", p)
	return nil
}

// queueLinks are the work queue's addresses of the open and the overdue
// steps, in the dashboard's region when it has one.
func queueLinks(region string) (open, overdue string) {
	open = "/cases?view=" + viewAll
	if region != "" {
		open += "&region=" + url.QueryEscape(region)
	}
	return open, open + "&overdue=1"
}

// dashProcedures are the normal and the simple procedure's rows, with the
// limits read from the parameters in force today: the statute's (the
// national set) and every region's in scope that has its own.
func (s *Server) dashProcedures(ctx context.Context, f store.CaseFigures, root string, regions []registry.Region) ([]dashProcedure, error) {
	set := s.params.Set(ctx)
	today, _ := time.Parse(time.DateOnly, s.today())
	out := []dashProcedure{
		{ID: "normal", Name: "普通程序", Durations: f.Normal},
		{ID: "simple", Name: "简易程序", Durations: f.Simple},
	}
	for i, key := range []string{decisionKey, decisionSimpleKey} {
		p := &out[i]
		legal, err := decisionLimit(set, statuteRegion, key, today)
		if err != nil {
			return nil, err
		}
		p.Legal = legal.Chinese()
		for _, rg := range regions {
			own, err := decisionLimit(set, rg.Code, key, today)
			if err != nil {
				return nil, err
			}
			if own != legal {
				p.Locals = append(p.Locals, localLimit{RegionName: cmp.Or(rg.Name, rg.Code), Limit: own.Chinese(), Days: days(own),
					Only: rg.Code == root && len(regions) == 1})
			}
		}
		p.LegalShare, p.LocalShare = share(p.WithinLegal, p.Decided), share(p.WithinLocal, p.Decided)
		p.Chart = durationChart(*p, days(legal))
	}
	return out, nil
}

// decisionLimit is the time limit of a recognition decision (key) in
// region on a date, from the parameter set.
func decisionLimit(set *param.Set, region, key string, on time.Time) (param.Period, error) {
	v, err := set.Lookup("time_limit", key, region, on)
	if err != nil {
		return param.Period{}, err
	}
	return v.Period()
}

// days is a period in calendar days, 0 when it is counted otherwise.
func days(p param.Period) int {
	if p.Unit != param.UnitDays {
		return 0
	}
	return p.N
}

// share is part of whole in per cent with one decimal, "—" of nothing.
func share(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
}

// permille is part of whole in tenths of a per cent, rounded.
func permille(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (part*1000 + whole/2) / whole
}

// durationChart draws a procedure's median and 90th percentile against
// the statutory limit and each local one, in days.
func durationChart(p dashProcedure, legalDays int) template.HTML {
	var bars []bar
	if p.Decided > 0 {
		bars = append(bars, bar{Label: "中位数", Value: p.Median}, bar{Label: "第90百分位", Value: p.P90})
	}
	if legalDays > 0 {
		bars = append(bars, bar{Label: "法定时限", Value: legalDays})
	}
	for _, l := range p.Locals {
		if l.Days > 0 {
			label := "本地时限"
			if !l.Only {
				label += "（" + l.RegionName + "）"
			}
			bars = append(bars, bar{Label: label, Value: l.Days})
		}
	}
	return drawBars("chart-days-"+p.ID, p.Name+"：申请至认定决定的天数与时限", bars, chartScale{Text: func(v int) string { return strconv.Itoa(v) + "日" }})
}

// shareChart draws the share decided within the statutory and the local
// limits, per procedure with decisions.
func shareChart(ps []dashProcedure) template.HTML {
	var bars []bar
	for _, p := range ps {
		if p.Decided == 0 {
			continue
		}
		bars = append(bars, bar{Label: p.Name + "·法定时限内", Value: permille(p.WithinLegal, p.Decided)},
			bar{Label: p.Name + "·本地时限内", Value: permille(p.WithinLocal, p.Decided)})
	}
	return drawBars("chart-share", "按时作出认定决定的比例", bars, chartScale{Max: 1000, Text: func(v int) string {
		return strconv.FormatFloat(float64(v)/10, 'f', 1, 64) + "%"
	}})
}

// docsChart draws the documents per case now against the baseline.
func docsChart(f store.CaseFigures) template.HTML {
	bars := []bar{{Label: "现在（每案平均）", Value: int(f.Documents*10 + 0.5)}, {Label: "改革前", Value: f.BaselineDocs * 10}}
	return drawBars("chart-docs", "每案申请材料（件）", bars, chartScale{Text: func(v int) string {
		return strconv.FormatFloat(float64(v)/10, 'f', 1, 64) + "件"
	}})
}

// channelOrder is the order the channels are shown in.
var channelOrder = []casebundle.Channel{casebundle.ChannelWindow, casebundle.ChannelPortal, casebundle.ChannelHotline, casebundle.ChannelInsurer}

// dashChannels are the applications by channel: the known channels in
// order (each, even with none), then any other the data holds.
func dashChannels(by map[casebundle.Channel]int) []dashChannel {
	var out []dashChannel
	for _, ch := range channelOrder {
		out = append(out, dashChannel{Name: ch.Name(), Cases: by[ch]})
	}
	var rest []casebundle.Channel
	for ch := range by {
		if !slices.Contains(channelOrder, ch) {
			rest = append(rest, ch)
		}
	}
	slices.Sort(rest)
	for _, ch := range rest {
		out = append(out, dashChannel{Name: cmp.Or(ch.Name(), "其他渠道"), Cases: by[ch]})
	}
	return out
}

// channelChart draws the applications by channel.
func channelChart(chs []dashChannel) template.HTML {
	bars := make([]bar, len(chs))
	for i, c := range chs {
		bars[i] = bar{Label: c.Name, Value: c.Cases}
	}
	return barChart("chart-channels", "近一年申请（按渠道）", bars)
}
