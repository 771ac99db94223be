// Package web is gongshang's HTTP surface: the Chinese back office
// (server-rendered, usable without JavaScript) and the JSON API under
// /api/v1, both listed in one route table (routes.go) on the standard
// ServeMux. Handlers return errors; one adapter turns them into a page or a
// JSON body with a status.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/params"
	"gongshang/internal/store"
)

// Options configure the server.
type Options struct {
	Store         *store.Store
	Logger        *slog.Logger
	SessionTTL    time.Duration
	Lock          access.LockPolicy
	SecureCookies bool
	MaxBodyBytes  int64
	Version       string
	Params        *params.Service // effective legal parameters; loaded from Store when nil
}

// Server serves the back office and the API.
type Server struct {
	opt     Options
	store   *store.Store
	log     *slog.Logger
	pages   *pages
	metrics *metrics
	mux     *http.ServeMux
	routes  []route
	params  *params.Service
}

// New builds the server and its route table; templates are parsed here so
// a broken template stops start-up.
func New(opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBodyBytes == 0 {
		opt.MaxBodyBytes = 32 << 20
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, store: opt.Store, log: opt.Logger, pages: p, metrics: newMetrics(), mux: http.NewServeMux()}
	if opt.Params == nil {
		if opt.Params, err = params.New(context.Background(), opt.Store, params.Options{MaxAge: params.DefaultMaxAge, Logger: opt.Logger}); err != nil {
			return nil, err
		}
	}
	s.params = opt.Params
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	s.mux.ServeHTTP(rw, r)
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
