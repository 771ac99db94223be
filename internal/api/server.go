// Package api is the JSON API under /api/v1 and its OpenAPI document,
// built from the same route table (routes.go). Callers are staff with the
// session cookie; every change carries the X-CSRF-Token header. Errors are
// JSON bodies {"error":{"code","message","fields"}}.
package api

import (
	"context"
	"log/slog"
	"net/http"

	"gongshang/internal/params"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Options configure the API.
type Options struct {
	Store        *store.Store
	Logger       *slog.Logger
	Staff        web.StaffSessions // session settings shared with the back office
	Params       *params.Service
	MaxBodyBytes int64
	Version      string
}

// Server holds the API's handlers.
type Server struct {
	opt    Options
	store  *store.Store
	log    *slog.Logger
	params *params.Service
	auth   web.StaffSessions
	routes []route
}

// request is the pipeline's view of the caller.
type request = web.Request

// New builds the API surface.
func New(opt Options) (*web.Surface, error) {
	s, err := newServer(opt)
	if err != nil {
		return nil, err
	}
	rts := make([]web.Route, len(s.routes))
	for i, rt := range s.routes {
		rts[i] = rt.Route
	}
	return &web.Surface{Name: "api", Routes: rts, Auth: s.auth, MaxBodyBytes: s.opt.MaxBodyBytes, Fail: s.fail}, nil
}

func newServer(opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBodyBytes == 0 {
		opt.MaxBodyBytes = 32 << 20
	}
	if opt.Params == nil {
		var err error
		if opt.Params, err = params.New(context.Background(), opt.Store, params.Options{MaxAge: params.DefaultMaxAge, Logger: opt.Logger}); err != nil {
			return nil, err
		}
	}
	auth := opt.Staff
	auth.Store, auth.FormToken = opt.Store, false
	s := &Server{opt: opt, store: opt.Store, log: opt.Logger, params: opt.Params, auth: auth}
	s.routes = s.routeTable()
	return s, nil
}

// fail answers every error as the JSON error body.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status, e := web.Public(s.log, r, rq, err)
	web.WriteJSONError(w, status, e)
}
