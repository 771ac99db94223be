package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
)

const (
	sessionCookie = "gs_session"
	loginCSRF     = "gs_login_csrf"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// request is what the adapter knows about the caller.
type request struct {
	p     access.Principal
	sess  *store.Session
	token string
	api   bool
}

// signedIn reports whether a session was found.
func (rq *request) signedIn() bool { return rq.sess != nil }

// wrap turns a route into an http.Handler: body limit, session, permission,
// CSRF, then the handler, with every error sent to one place.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sw, ok := w.(*statusWriter); ok {
			sw.pattern = rt.pattern
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.opt.MaxBodyBytes)
		rq := &request{api: rt.api}
		if err := s.authenticate(r, rq); err != nil {
			s.fail(w, r, rq, err)
			return
		}
		if err := s.authorize(r, rq, rt.perm); err != nil {
			s.fail(w, r, rq, err)
			return
		}
		if err := s.inRegion(r, rq, rt.obj); err != nil {
			s.fail(w, r, rq, err)
			return
		}
		if err := rt.h(w, r, rq); err != nil {
			s.fail(w, r, rq, err)
		}
	})
}

// authenticate loads the session named by the cookie, if any.
func (s *Server) authenticate(r *http.Request, rq *request) error {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	sess, err := s.store.FindSession(r.Context(), c.Value)
	if errs.Is(err, errs.Unauth) {
		return nil
	}
	if err != nil {
		return err
	}
	rq.sess, rq.token, rq.p = &sess, c.Value, sess.User.Principal()
	return nil
}

// authorize applies the route's permission and, for changes made with a
// session cookie, the CSRF token.
func (s *Server) authorize(r *http.Request, rq *request, perm access.Permission) error {
	if perm == "" {
		return nil
	}
	if !rq.signedIn() {
		return errs.E(errs.Unauth, "请先登录")
	}
	if !rq.p.Can(perm) {
		return errs.E(errs.Forbidden, "您的角色（%s）无权进行此操作", rq.p.Role.Name())
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	return checkCSRF(r, rq)
}

// inRegion refuses an object outside the principal's region subtree.
func (s *Server) inRegion(r *http.Request, rq *request, obj string) error {
	if obj == "" {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	region, err := s.store.RegionOf(r.Context(), obj, id)
	if err != nil {
		return err
	}
	if !rq.p.Scope().Covers(region) {
		return errs.E(errs.Forbidden, "无权访问其他地区（%s）的数据", regionNames[region])
	}
	return nil
}

func checkCSRF(r *http.Request, rq *request) error {
	got := r.Header.Get(csrfHeader)
	if got == "" && !rq.api {
		if err := parseForm(r); err != nil {
			return err
		}
		got = r.PostFormValue(csrfField)
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(rq.sess.CSRFToken)) != 1 {
		return errs.E(errs.Forbidden, "表单已过期或来源不明（CSRF校验失败），请刷新页面后重试")
	}
	return nil
}

// parseForm parses url-encoded and multipart bodies alike.
func parseForm(r *http.Request) error {
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, "请求内容超过%d字节的上限", mbe.Limit)
	}
	if err != nil {
		return errs.E(errs.Invalid, "表单或上传的文件无法解析（内容不完整或格式不对），请重新提交")
	}
	return nil
}

// fail sends err to the caller as JSON or a page, with the status its kind
// maps to. Internal errors are logged and shown only as “内部错误”.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.TooLarge, "请求内容超过%d字节的上限", mbe.Limit)
	}
	status := statusOf(err)
	var e *errs.Error
	if !errors.As(err, &e) {
		s.log.Error("request failed", "error", err, "method", r.Method, "path", r.URL.Path, "user", rq.p.Username)
		e = &errs.Error{Kind: "internal", Message: "内部错误，请稍后重试或联系系统管理员"}
	}
	if rq.api || wantsJSON(r) {
		writeJSON(w, status, errorBody{Error: errorDetail{Code: string(e.Kind), Message: e.Error(), Fields: e.Fields}})
		return
	}
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.render(w, r, rq, status, "error", &errorPage{Status: status, Message: e.Error()})
}

func statusOf(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauth:
		return http.StatusUnauthorized
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.Locked:
		return http.StatusLocked
	}
	return http.StatusInternalServerError
}

func wantsJSON(r *http.Request) bool {
	return r.Header.Get("Accept") == "application/json"
}

func notFound(w http.ResponseWriter, r *http.Request, rq *request) error {
	return errs.E(errs.NotFound, "页面不存在：%s", r.URL.Path)
}
