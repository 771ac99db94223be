package web

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"gongshang/internal/errs"
)

// metrics counts requests by route pattern and status, and sums their
// durations, in the Prometheus text format. No dependency is needed for
// counters and a sum.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64
	seconds  map[string]float64
	started  time.Time
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, seconds: map[string]float64{}, started: time.Now()}
}

func (m *metrics) observe(pattern string, status int, d time.Duration) {
	if pattern == "" {
		pattern = "unmatched"
	}
	m.mu.Lock()
	m.requests[[2]string{pattern, fmt.Sprint(status)}]++
	m.seconds[pattern] += d.Seconds()
	m.mu.Unlock()
}

// Who may read /metrics is configuration: with MetricsSeparate it is
// served only on its own listener (MetricsHandler); with MetricsToken it
// needs "Authorization: Bearer <token>" (on either listener); with neither
// it is refused, so a deployment behind a proxy never shows it by accident.

// metricsMain is /metrics on the main handler.
func (s *Server) metricsMain(w http.ResponseWriter, r *http.Request, rq *Request) error {
	switch {
	case s.opt.MetricsSeparate:
		return NotFound(w, r, rq)
	case s.opt.MetricsToken == "":
		return errs.E(errs.Forbidden, "未开放运行指标：请设置 GONGSHANG_METRICS_TOKEN 或 GONGSHANG_METRICS_LISTEN")
	}
	return s.metricsWithToken(w, r, rq)
}

func (s *Server) metricsWithToken(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if tok := s.opt.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return errs.E(errs.Unauth, "读取运行指标需要令牌（Authorization: Bearer）")
		}
	}
	return s.metricsPage(w, r, rq)
}

// MetricsHandler serves /metrics alone, for a listener of its own.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	sf := &Surface{Name: "metrics", MaxBodyBytes: 1 << 10, Fail: s.failText}
	mux.Handle("GET /metrics", s.wrap(sf, Route{Pattern: "GET /metrics", H: s.metricsWithToken}))
	mux.Handle("/", s.wrap(sf, Route{Pattern: "/", H: NotFound}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(mux, w, r) })
}

func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request, _ *Request) error {
	m := s.metrics
	var b strings.Builder
	m.mu.Lock()
	b.WriteString("# HELP gongshang_http_requests_total HTTP requests by route and status.\n# TYPE gongshang_http_requests_total counter\n")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(&b, "gongshang_http_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	b.WriteString("# HELP gongshang_http_request_seconds_total Time spent serving requests by route.\n# TYPE gongshang_http_request_seconds_total counter\n")
	routes := make([]string, 0, len(m.seconds))
	for k := range m.seconds {
		routes = append(routes, k)
	}
	sort.Strings(routes)
	for _, k := range routes {
		fmt.Fprintf(&b, "gongshang_http_request_seconds_total{route=%q} %g\n", k, m.seconds[k])
	}
	m.mu.Unlock()
	st := s.store.DB().Stats()
	fmt.Fprintf(&b, "# HELP gongshang_db_open_connections Open database connections.\n# TYPE gongshang_db_open_connections gauge\ngongshang_db_open_connections %d\n", st.OpenConnections)
	fmt.Fprintf(&b, "# HELP gongshang_db_wait_seconds_total Time waited for a database connection.\n# TYPE gongshang_db_wait_seconds_total counter\ngongshang_db_wait_seconds_total %g\n", st.WaitDuration.Seconds())
	fmt.Fprintf(&b, "# HELP gongshang_uptime_seconds Seconds since start.\n# TYPE gongshang_uptime_seconds gauge\ngongshang_uptime_seconds %g\n", time.Since(m.started).Seconds())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, err := w.Write([]byte(b.String()))
	return err
}
