package portal

import (
	"errors"
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// statusOf is the status a form answers with: 200, or the error's.
func statusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return web.Status(err)
}

func asErr(err error) (*errs.Error, bool) {
	var e *errs.Error
	ok := errors.As(err, &e)
	return e, ok
}

// accountKinds are the choices of the login and activation forms.
var accountKinds = []struct{ Value, Label, LoginLabel string }{
	{store.PortalWorker, "职工", "身份证号码"},
	{store.PortalEmployer, "用人单位", "统一社会信用代码"},
}

// authPage is the login and the activation form.
type authPage struct {
	base
	FormToken string // the double-submit token (no session yet)
	Kinds     any
	Kind      string
	Login     string
	Error     string
	Fields    map[string]string
}

func (s *Server) authPage(w http.ResponseWriter, r *http.Request, rq *request, status int, name, title string, p *authPage) {
	p.FormToken = access.NewToken()
	http.SetCookie(w, s.cookie(r, formCookie, p.FormToken, 0))
	p.Title, p.Kinds = title, accountKinds
	if p.Kind == "" {
		p.Kind = store.PortalWorker
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	s.render(w, r, rq, status, name, p)
}

// formTokenOK checks the double-submit token of a form sent without a session.
func formTokenOK(r *http.Request) bool {
	c, err := r.Cookie(formCookie)
	return err == nil && c.Value != "" && c.Value == r.PostFormValue(web.CSRFField)
}

// kindOf reads the form's account kind.
func kindOf(r *http.Request) string {
	if r.PostFormValue("kind") == store.PortalEmployer {
		return store.PortalEmployer
	}
	return store.PortalWorker
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.SignedIn() {
		http.Redirect(w, r, "/portal/", http.StatusSeeOther)
		return nil
	}
	s.authPage(w, r, rq, http.StatusOK, "login", "登录", &authPage{Kind: r.URL.Query().Get("kind")})
	return nil
}

// loginSubmit signs a worker in with the ID number, an employer with the
// credit code. Every refusal reads the same (store.PortalLogin).
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	kind, login := kindOf(r), strings.TrimSpace(r.PostFormValue("login"))
	p := &authPage{Kind: kind, Login: login}
	if !formTokenOK(r) {
		p.Error = "登录页面已过期，请重新输入"
		s.authPage(w, r, rq, http.StatusForbidden, "login", "登录", p)
		return nil
	}
	token, _, err := s.store.PortalLogin(r.Context(), web.ClientAddr(r), kind, login, r.PostFormValue("password"), s.opt.Lock, s.opt.SessionTTL)
	if k := errs.KindOf(err); k == errs.Unauth || k == errs.Locked || k == errs.Invalid {
		p.Error = err.Error()
		s.authPage(w, r, rq, web.Status(err), "login", "登录", p)
		return nil
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, SessionCookie, token, int(s.opt.SessionTTL.Seconds())))
	http.Redirect(w, r, "/portal/", http.StatusSeeOther)
	return nil
}

func (s *Server) activateForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.authPage(w, r, rq, http.StatusOK, "activate", "激活网上办理账号", &authPage{Kind: r.URL.Query().Get("kind")})
	return nil
}

// activateSubmit sets the password with the one-time code from the window.
func (s *Server) activateSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	kind, login := kindOf(r), strings.TrimSpace(r.PostFormValue("login"))
	p := &authPage{Kind: kind, Login: login}
	if !formTokenOK(r) {
		p.Error = "页面已过期，请重新输入"
		s.authPage(w, r, rq, http.StatusForbidden, "activate", "激活网上办理账号", p)
		return nil
	}
	pw := r.PostFormValue("password")
	var err error = errs.Field("password2", "password_mismatch", "两次输入的密码不一致")
	if pw == r.PostFormValue("password2") {
		err = s.store.ActivatePortal(r.Context(), web.ClientAddr(r), kind, login, r.PostFormValue("code"), pw, s.opt.Lock)
	}
	if err == nil {
		s.authPage(w, r, rq, http.StatusOK, "login", "登录", &authPage{base: base{Flash: "账号已激活，请用新密码登录"}, Kind: kind, Login: login})
		return nil
	}
	if _, ok := asErr(err); !ok {
		return err
	}
	p.Fields = fieldErrors(err)
	p.Error = p.Fields[""]
	s.authPage(w, r, rq, statusOf(err), "activate", "激活网上办理账号", p)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.store.PortalLogout(r.Context(), rq.Token); err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(r, SessionCookie, "", -1))
	http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
	return nil
}

type passwordPage struct {
	base
	Fields map[string]string
	Done   bool
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "password", &passwordPage{base: base{Title: "修改密码"}, Fields: map[string]string{}})
	return nil
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	pw := r.PostFormValue("password")
	var err error = errs.Field("password2", "password_mismatch", "两次输入的密码不一致")
	if pw == r.PostFormValue("password2") {
		err = s.store.ChangePortalPassword(r.Context(), rq.P, r.PostFormValue("current"), pw, rq.Token)
	}
	p := &passwordPage{base: base{Title: "修改密码"}, Fields: map[string]string{}, Done: err == nil}
	if err != nil {
		if _, ok := asErr(err); !ok {
			return err
		}
		p.Fields = fieldErrors(err)
	}
	s.render(w, r, rq, statusOf(err), "password", p)
	return nil
}
