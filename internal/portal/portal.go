// Package portal is the site for injured workers and employers (网上办理):
// activation with the one-time code issued at the window, login with the
// ID number or credit code, their cases with each step's state and due
// date, applying, uploading materials, answering a correction notice and
// downloading letters. It has its own cookie (gs_portal, path /portal/)
// and CSRF token, so a portal session never opens a staff page and a staff
// session never opens a portal page. Its routes are one table (routes.go)
// mounted by web.Mount under /portal/.
package portal

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/params"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The portal's cookies: the session, and the double-submit token of the
// forms used before a session exists (login, activation).
const (
	SessionCookie = "gs_portal"
	formCookie    = "gs_portal_form"
	cookiePath    = "/portal/"
)

// Options configure the portal.
type Options struct {
	Store         *store.Store
	Logger        *slog.Logger
	Params        *params.Service
	SessionTTL    time.Duration     // 12 hours when zero
	Lock          access.LockPolicy // the staff policy: failures, lock time, per-address limit
	SecureCookies bool
	MaxBodyBytes  int64 // 32 MiB when zero (uploads)
}

// Server holds the portal's handlers.
type Server struct {
	opt   Options
	store *store.Store
	log   *slog.Logger
	pages *pages
}

type request = web.Request

// New builds the portal surface; templates are parsed here so a broken
// template stops start-up.
func New(opt Options) (*web.Surface, error) {
	s, err := newServer(opt)
	if err != nil {
		return nil, err
	}
	return &web.Surface{Name: "portal", Routes: s.routeTable(), Auth: sessions{s}, MaxBodyBytes: s.opt.MaxBodyBytes, Fail: s.fail}, nil
}

func newServer(opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBodyBytes == 0 {
		opt.MaxBodyBytes = 32 << 20
	}
	if opt.SessionTTL == 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	if opt.Lock.MaxFailures == 0 {
		opt.Lock = access.LockPolicy{MaxFailures: 5, LockFor: 15 * time.Minute}
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
	return &Server{opt: opt, store: opt.Store, log: opt.Logger, pages: p}, nil
}

// sessions authenticates workers and employers by the portal cookie; the
// staff cookie means nothing here.
type sessions struct{ s *Server }

// Identify loads the portal session named by the cookie, if any.
func (a sessions) Identify(r *http.Request, rq *request) error {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := a.s.store.FindPortalSession(r.Context(), c.Value)
	if errs.Is(err, errs.Unauth) {
		return nil
	}
	if err != nil {
		return err
	}
	rq.P, rq.Signed, rq.Token, rq.CSRF = sess.Account.Principal(), true, c.Value, sess.CSRFToken
	return nil
}

// CheckChange compares the form's (or header's) CSRF token with the session's.
func (a sessions) CheckChange(r *http.Request, rq *request) error {
	got := r.Header.Get(web.CSRFHeader)
	if got == "" {
		if err := web.ParseForm(r); err != nil {
			return err
		}
		got = r.PostFormValue(web.CSRFField)
	}
	if rq.CSRF == "" || subtle.ConstantTimeCompare([]byte(got), []byte(rq.CSRF)) != 1 {
		return errs.E(errs.Forbidden, "表单已过期或来源不明（CSRF校验失败），请刷新页面后重试")
	}
	return nil
}

// cookie builds a portal cookie: HttpOnly, SameSite=Lax, path /portal/,
// Secure over TLS or when configuration says a proxy ends TLS.
func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.opt.SecureCookies}
}

// fail answers an error with the error page; an anonymous caller is sent
// to the login page. A case the caller may not see is not admitted to
// exist: the pipeline's refusal of another's object becomes “not found”.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	if errs.Is(err, errs.Forbidden) && rq.SignedIn() && !s.maySeeCase(r, rq) {
		err = errs.E(errs.NotFound, "案件不存在")
	}
	status, e := web.Public(s.log, r, rq, err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, rq, status, "error", &errorPage{base: base{Title: "无法完成"}, Status: status, Message: e.Error()})
}

// maySeeCase reports whether the route's case, if it names one, is the
// caller's.
func (s *Server) maySeeCase(r *http.Request, rq *request) bool {
	id, err := web.PathID(r)
	if r.PathValue("id") == "" || err != nil {
		return true
	}
	o, err := s.store.OwnersOf(r.Context(), rq.P.Kind, "case", id)
	return err == nil && rq.P.MaySee(o)
}

type errorPage struct {
	base
	Status  int
	Message string
}
