// Package web is the HTTP plumbing every surface of gongshang shares:
// mounting surfaces on one ServeMux, the request pipeline (body limit,
// caller, permission, change proof, region check, error writer), probes,
// metrics, security headers, decoding with the text check, and the staff
// session. The surfaces themselves live elsewhere: the back office in
// internal/backoffice, the JSON API in internal/api. Each brings one route
// table, an authenticator, a body limit and an error writer (surface.go).
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"gongshang/internal/store"
)

// Options configure the shared part of the server.
type Options struct {
	Store  *store.Store
	Logger *slog.Logger
	// MetricsToken, when set, is the bearer token /metrics requires.
	MetricsToken string
	// MetricsSeparate serves /metrics only through MetricsHandler, on a
	// listener of its own; the main handler then answers 404 there.
	// With neither set, /metrics is refused (metrics.go).
	MetricsSeparate bool
}

// Server is every mounted surface behind one handler.
type Server struct {
	opt     Options
	store   *store.Store
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux
	routes  []Mounted
}

// Mounted is one route as mounted, with the surface it belongs to.
type Mounted struct {
	Surface string
	Route
}

// Mount builds the server: the shared probes surface, then each given
// surface's route table on one ServeMux. A pattern two surfaces claim
// stops start-up.
func Mount(opt Options, surfaces ...*Surface) (s *Server, err error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	s = &Server{opt: opt, store: opt.Store, log: opt.Logger, metrics: newMetrics(), mux: http.NewServeMux()}
	defer func() {
		if v := recover(); v != nil { // ServeMux panics on conflicting patterns
			s, err = nil, fmt.Errorf("web: mounting: %v", v)
		}
	}()
	for _, sf := range append([]*Surface{s.probes()}, surfaces...) {
		if sf.Fail == nil {
			return nil, fmt.Errorf("web: surface %s has no error writer", sf.Name)
		}
		for _, rt := range sf.Routes {
			s.mux.Handle(rt.Pattern, s.wrap(sf, rt))
			s.routes = append(s.routes, Mounted{Surface: sf.Name, Route: rt})
		}
	}
	return s, nil
}

// Routes lists every mounted route of every surface, in mounting order.
func (s *Server) Routes() []Mounted { return s.routes }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.serve(s.mux, w, r)
}

func (s *Server) serve(h http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "error", v, "path", r.URL.Path)
			http.Error(rw, "内部错误", http.StatusInternalServerError)
		}
		s.metrics.observe(rw.pattern, rw.status, time.Since(start))
		s.log.Debug("request", slog.Group("request", "method", r.Method, "path", r.URL.Path, "status", rw.status, "ms", time.Since(start).Milliseconds()))
	}()
	secureHeaders(rw)
	h.ServeHTTP(rw, r)
}

type statusWriter struct {
	http.ResponseWriter
	status  int
	wrote   bool
	pattern string // the matched route, set by wrap
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func secureHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
}

// ready reports whether the database answers.
func (s *Server) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.store.Ping(ctx)
}
