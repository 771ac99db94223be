// Package backoffice is the Chinese back office for agency staff and the
// partner insurer: server-rendered pages usable without JavaScript, the
// staff session cookie and CSRF tokens in forms. Its routes are one table
// (routes.go) mounted by web.Mount.
package backoffice

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"gongshang/internal/params"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Options configure the back office.
type Options struct {
	Store        *store.Store
	Logger       *slog.Logger
	Staff        web.StaffSessions // session settings shared with the API
	Params       *params.Service
	MaxBodyBytes int64
}

// Server holds the back office's handlers.
type Server struct {
	opt    Options
	store  *store.Store
	log    *slog.Logger
	pages  *pages
	params *params.Service
	auth   web.StaffSessions

	errFiles errorFiles                    // recent uploads' error files (ui_import.go)
	progress importProgress                // running imports' progress (ui_import.go)
	counts   homeCounts                    // the home page's registry figures by scope (ui_home.go)
	figures  scopeCache[store.CaseFigures] // the case dashboard's figures by scope (ui_case_dashboard.go)
}

// request is the pipeline's view of the caller.
type request = web.Request

// New builds the back-office surface; templates are parsed here so a
// broken template stops start-up.
func New(opt Options) (*web.Surface, error) {
	s, err := newServer(opt)
	if err != nil {
		return nil, err
	}
	return &web.Surface{Name: "backoffice", Routes: s.routeTable(), Auth: s.auth, MaxBodyBytes: s.opt.MaxBodyBytes, Fail: s.fail}, nil
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
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	auth := opt.Staff
	auth.Store, auth.FormToken = opt.Store, true
	return &Server{opt: opt, store: opt.Store, log: opt.Logger, pages: p, params: opt.Params, auth: auth}, nil
}

// fail answers an error with the error page (JSON when the caller asks
// for it); an unauthenticated caller is sent to the login page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	status, e := web.Public(s.log, r, rq, err)
	if wantsJSON(r) {
		web.WriteJSONError(w, status, e)
		return
	}
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.render(w, r, rq, status, "error", &errorPage{base: base{Title: errorTitle(status)}, Status: status, Message: e.Error()})
}

func wantsJSON(r *http.Request) bool {
	return r.Header.Get("Accept") == "application/json"
}
