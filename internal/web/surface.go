package web

import (
	"cmp"
	"errors"
	"log/slog"
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/errs"
)

// Surface is one audience's part of the site: its route table and the
// three things the shared pipeline asks of it. The back office and the
// JSON API are surfaces; a worker portal (its own cookie and CSRF) and the
// hospital envelope interface (signature headers, HTTP 200 envelopes, its
// own body limit) plug in the same way.
type Surface struct {
	Name   string
	Routes []Route
	// Auth identifies callers and checks the proof a change must carry;
	// nil means every caller is anonymous (public routes only).
	Auth Authenticator
	// MaxBodyBytes bounds every request body of the surface.
	MaxBodyBytes int64
	// Fail writes an error in the surface's own form (page, JSON body,
	// envelope).
	Fail ErrorWriter
}

// Route is one entry of a surface's table: a ServeMux pattern, the
// permission it needs ("" for public), what kind of object its {id} names
// (employer, worker or user; checked against the caller's region before
// the handler runs), and the handler.
type Route struct {
	Pattern string
	Perm    access.Permission
	Obj     string
	H       Handler
	// MaxBodyBytes, when set, replaces the surface's body limit for this
	// route (a settlement extract's upload).
	MaxBodyBytes int64
}

// Handler is the shape of every handler: errors go to the surface's
// error writer.
type Handler func(w http.ResponseWriter, r *http.Request, rq *Request) error

// Request is what the pipeline knows about the caller.
type Request struct {
	P      access.Principal
	Signed bool   // a caller was identified
	Token  string // the caller's session token, if any
	CSRF   string // the token the caller's changes must carry, if any
	Flash  string // the success message the session holds for the next page (back office)
}

// SignedIn reports whether a caller was identified.
func (rq *Request) SignedIn() bool { return rq.Signed }

// Authenticator is a surface's way of knowing its callers.
type Authenticator interface {
	// Identify fills rq from the request's credentials. A request without
	// credentials leaves rq anonymous and is no error.
	Identify(r *http.Request, rq *Request) error
	// CheckChange verifies the proof of origin a signed-in caller's change
	// (any method but GET and HEAD) must carry.
	CheckChange(r *http.Request, rq *Request) error
}

// ErrorWriter answers a failed request.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, rq *Request, err error)

// wrap turns a route into an http.Handler: no-store, body limit, caller,
// permission, change proof, region, the text check of every query and
// form value (CheckText), then the handler; every error goes to the
// surface's error writer.
func (s *Server) wrap(sf *Surface, rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sw, ok := w.(*statusWriter); ok {
			sw.pattern = rt.Pattern
		}
		// Answers show personal data in full and carry session tokens: no
		// cache may keep them. Handlers of public assets override this.
		w.Header().Set("Cache-Control", "no-store")
		if limit := cmp.Or(rt.MaxBodyBytes, sf.MaxBodyBytes); limit > 0 {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		rq := &Request{}
		if err := s.pipeline(sf, rt, w, r, rq); err != nil {
			sf.Fail(w, r, rq, err)
		}
	})
}

func (s *Server) pipeline(sf *Surface, rt Route, w http.ResponseWriter, r *http.Request, rq *Request) error {
	if sf.Auth != nil {
		if err := sf.Auth.Identify(r, rq); err != nil {
			return err
		}
	}
	if err := s.authorize(sf, r, rq, rt.Perm); err != nil {
		return err
	}
	if err := s.inRegion(r, rq, rt.Obj); err != nil {
		return err
	}
	if err := checkRequestText(r); err != nil {
		return err
	}
	return rt.H(w, r, rq)
}

// authorize applies the route's permission and, for changes, the
// surface's proof of origin.
func (s *Server) authorize(sf *Surface, r *http.Request, rq *Request, perm access.Permission) error {
	if perm == "" {
		return nil
	}
	if !rq.SignedIn() {
		return errs.E(errs.Unauth, "请先登录")
	}
	if !rq.P.Can(perm) && rq.P.Kind == access.KindStaff {
		return errs.E(errs.Forbidden, "您的角色（%s）无权进行此操作", rq.P.Role.Name())
	}
	if !rq.P.Can(perm) {
		return errs.E(errs.Forbidden, "%s无权进行此操作", rq.P.Kind.Name())
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead || sf.Auth == nil {
		return nil
	}
	return sf.Auth.CheckChange(r, rq)
}

// inRegion refuses an object the principal may not see (access.MaySee on
// the object's owners: region subtree for staff, ownership for the others).
func (s *Server) inRegion(r *http.Request, rq *Request, obj string) error {
	if obj == "" {
		return nil
	}
	id, err := PathID(r)
	if err != nil {
		return err
	}
	owners, err := s.store.OwnersOf(r.Context(), rq.P.Kind, obj, id)
	if err != nil {
		return err
	}
	if !rq.P.MaySee(owners) {
		return errs.E(errs.Forbidden, "无权访问其他地区（%s）的数据", RegionName(owners.Region))
	}
	return nil
}

// Public turns err into what a caller may see: the status its kind maps
// to and an *errs.Error. Internal errors are logged and become only
// “内部错误”.
func Public(log *slog.Logger, r *http.Request, rq *Request, err error) (int, *errs.Error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.TooLarge, "请求内容超过%d字节的上限", mbe.Limit)
	}
	status := Status(err)
	var e *errs.Error
	if !errors.As(err, &e) {
		if log == nil {
			log = slog.Default()
		}
		log.Error("request failed", "error", err, "method", r.Method, "path", r.URL.Path, "user", rq.P.Username)
		e = &errs.Error{Kind: "internal", Message: "内部错误，请稍后重试或联系系统管理员"}
	}
	return status, e
}

// Status is the HTTP status an error kind maps to.
func Status(err error) int {
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

// NotFound is the handler of a surface's catch-all route.
func NotFound(w http.ResponseWriter, r *http.Request, rq *Request) error {
	return errs.E(errs.NotFound, "页面不存在：%s", r.URL.Path)
}
