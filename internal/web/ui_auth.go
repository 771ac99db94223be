package web

import (
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

type loginPage struct {
	base
	LoginCSRF, Next, Username, Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.signedIn() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.showLogin(w, r, rq, http.StatusOK, "", "")
	return nil
}

// showLogin renders the form with a fresh double-submit CSRF token: the
// cookie and the hidden field must match on POST.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, rq *request, status int, username, msg string) {
	token := access.NewToken()
	http.SetCookie(w, s.cookie(r, loginCSRF, token, 0))
	s.render(w, r, rq, status, "login", &loginPage{base: base{Title: "登录"}, LoginCSRF: token,
		Next: safeNext(r.FormValue("next")), Username: username, Error: msg})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	c, err := r.Cookie(loginCSRF)
	if err != nil || c.Value == "" || c.Value != r.PostFormValue(csrfField) {
		s.showLogin(w, r, rq, http.StatusForbidden, "", "登录页面已过期，请重新输入")
		return nil
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	token, _, err := s.store.LoginFrom(r.Context(), clientAddr(r), username, r.PostFormValue("password"), s.opt.Lock, s.opt.SessionTTL)
	if k := errs.KindOf(err); k == errs.Unauth || k == errs.Locked {
		s.showLogin(w, r, rq, statusOf(err), username, err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, token, int(s.opt.SessionTTL.Seconds())))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// safeNext allows only local paths as a redirect target.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

// cookie builds a session-style cookie: HttpOnly, SameSite=Lax, Secure
// when the request came over TLS or configuration says a proxy ends TLS.
func (s *Server) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.opt.SecureCookies}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.store.Logout(r.Context(), rq.token); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type homePage struct {
	base
	RegionName                     string
	Regions                        []registry.Region
	Employers, Workers, AuditCount int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, scope := r.Context(), rq.p.Scope()
	regions, err := s.store.Regions(ctx, scope)
	if err != nil {
		return err
	}
	_, ne, err := s.store.FindEmployers(ctx, scope, store.EmployerFilter{Page: store.Page{Limit: 1}})
	if err != nil {
		return err
	}
	_, nw, err := s.store.FindWorkers(ctx, scope, store.WorkerFilter{Page: store.Page{Limit: 1}})
	if err != nil {
		return err
	}
	_, na, err := s.store.FindAuditEntries(ctx, scope, store.AuditFilter{Page: store.Page{Limit: 1}})
	if err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "home", &homePage{base: base{Title: "首页"}, RegionName: regionNames[rq.p.RegionCode],
		Regions: regions, Employers: ne, Workers: nw, AuditCount: na})
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ *request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *request) error {
	if err := s.ready(r.Context()); err != nil {
		s.log.Warn("not ready", "error", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ready\n"))
	return err
}

// regionNames maps every embedded region code to its name.
var regionNames = func() map[string]string {
	rs, err := registry.Regions()
	if err != nil {
		panic(err) // embedded data, checked by the registry tests
	}
	m := make(map[string]string, len(rs))
	for _, r := range rs {
		m[r.Code] = r.Name
	}
	return m
}()
