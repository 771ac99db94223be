package backoffice

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/web"
)

// loginCSRF is the double-submit cookie of the login form, which has no
// session yet.
const loginCSRF = "gs_login_csrf"

type loginPage struct {
	base
	LoginCSRF, Next, Username, Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.SignedIn() {
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
	http.SetCookie(w, s.auth.Cookie(r, loginCSRF, token, 0))
	s.render(w, r, rq, status, "login", &loginPage{base: base{Title: "登录"}, LoginCSRF: token,
		Next: safeNext(r.FormValue("next")), Username: username, Error: msg})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	c, err := r.Cookie(loginCSRF)
	if err != nil || c.Value == "" || c.Value != r.PostFormValue(web.CSRFField) {
		s.showLogin(w, r, rq, http.StatusForbidden, "", "登录页面已过期，请重新输入")
		return nil
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	token, _, err := s.store.LoginFrom(r.Context(), web.ClientAddr(r), username, r.PostFormValue("password"), s.auth.Lock, s.auth.SessionTTL)
	if k := errs.KindOf(err); k == errs.Unauth || k == errs.Locked {
		s.showLogin(w, r, rq, web.Status(err), username, err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	s.auth.SetSession(w, r, token)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// safeNext allows only a clean path on this site as a redirect target,
// and "/" for anything else.
func safeNext(next string) string {
	if !localPath(next) {
		return "/"
	}
	return next
}

// localPath reports whether next is a path on this site: one leading "/"
// and no "//", no backslash, no control character, whitespace or invalid
// UTF-8 — as given and after percent-decoding, since browsers drop tabs
// and newlines and read "\" as "/" (so "/\t/host" would lead to //host) —
// and no scheme or host.
func localPath(next string) bool {
	dec, err := url.PathUnescape(next)
	if err != nil {
		return false
	}
	for _, v := range []string{next, dec} {
		if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.Contains(v, "\\") || !utf8.ValidString(v) {
			return false
		}
		for _, r := range v {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				return false
			}
		}
	}
	u, err := url.Parse(next)
	return err == nil && u.Scheme == "" && u.Host == "" && u.Opaque == "" && u.User == nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.auth.EndSession(w, r, rq); err != nil {
		return err
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
