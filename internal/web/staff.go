package web

import (
	"crypto/subtle"
	"net/http"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
)

// The staff session: one cookie for the back office and the API, and the
// CSRF token stored with the session.
const (
	SessionCookie = "gs_session"
	CSRFField     = "csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// StaffSessions authenticates agency staff by the session cookie. Both
// staff surfaces use it; FormToken says whether the CSRF token may come in
// the form field (back-office forms) as well as in the header (API).
type StaffSessions struct {
	Store         *store.Store
	SessionTTL    time.Duration
	Lock          access.LockPolicy
	SecureCookies bool
	FormToken     bool
}

// Identify loads the session named by the cookie, if any.
func (a StaffSessions) Identify(r *http.Request, rq *Request) error {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := a.Store.FindSession(r.Context(), c.Value)
	if errs.Is(err, errs.Unauth) {
		return nil
	}
	if err != nil {
		return err
	}
	rq.P, rq.Signed, rq.Token, rq.CSRF, rq.Flash = sess.User.Principal(), true, c.Value, sess.CSRFToken, sess.Flash
	return nil
}

// SetFlash keeps a success message with the caller's session for the next
// page, which shows it once (the back office sets it before redirecting
// after a change; a message in the URL could be opened by anyone).
func (a StaffSessions) SetFlash(r *http.Request, rq *Request, msg string) error {
	if rq.Token == "" {
		return nil
	}
	return a.Store.SetFlash(r.Context(), rq.Token, msg)
}

// TakeFlash returns the caller's message and removes it from the session,
// so it shows once.
func (a StaffSessions) TakeFlash(r *http.Request, rq *Request) (string, error) {
	msg := rq.Flash
	if msg == "" || rq.Token == "" {
		return "", nil
	}
	rq.Flash = ""
	return msg, a.Store.ClearFlash(r.Context(), rq.Token, msg)
}

// CheckChange compares the CSRF token of the request with the session's.
func (a StaffSessions) CheckChange(r *http.Request, rq *Request) error {
	got := r.Header.Get(CSRFHeader)
	if got == "" && a.FormToken {
		if err := ParseForm(r); err != nil {
			return err
		}
		got = r.PostFormValue(CSRFField)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(rq.CSRF)) != 1 {
		return errs.E(errs.Forbidden, "表单已过期或来源不明（CSRF校验失败），请刷新页面后重试")
	}
	return nil
}

// Cookie builds a session-style cookie: HttpOnly, SameSite=Lax, Secure
// when the request came over TLS or configuration says a proxy ends TLS.
func (a StaffSessions) Cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || a.SecureCookies}
}

// SetSession sets the session cookie after a login.
func (a StaffSessions) SetSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, a.Cookie(r, SessionCookie, token, int(a.SessionTTL.Seconds())))
}

// EndSession ends the caller's session and clears the cookie.
func (a StaffSessions) EndSession(w http.ResponseWriter, r *http.Request, rq *Request) error {
	if err := a.Store.Logout(r.Context(), rq.Token); err != nil {
		return err
	}
	http.SetCookie(w, a.Cookie(r, SessionCookie, "", -1))
	return nil
}
