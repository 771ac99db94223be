package portal

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Self check-in at a prevention training (工伤预防培训扫码签到): the
// session page in the back office shows /portal/checkin/{token} and its
// code; a participant opens it on a phone (no login: experts, enterprises
// and their staff have no accounts) and gives name, ID number, employer
// and audience. It is the portal's because the portal is the public
// surface; the form carries the portal's double-submit token as the login
// form does, and a source address with checkinLimit refused check-ins in
// checkinWindow is refused until they age (in this process; the store
// refuses a duplicate person or a full session regardless).

const (
	checkinLimit  = 30
	checkinWindow = 10 * time.Minute
)

// checkinThrottle counts refused check-ins per source address: a whole
// hall of trainees behind one venue's network address checks in at once
// and must not be stopped, so only refusals (a bad ID number, someone
// already in, a full session, an unknown code) count against the limit —
// what probing ID numbers or codes would produce.
type checkinThrottle struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

// recent is addr's refusals within the window (the older ones dropped).
func (c *checkinThrottle) recent(addr string, now time.Time) []time.Time {
	if c.seen == nil {
		c.seen = map[string][]time.Time{}
	}
	keep := c.seen[addr][:0]
	for _, t := range c.seen[addr] {
		if now.Sub(t) < checkinWindow {
			keep = append(keep, t)
		}
	}
	c.seen[addr] = keep
	return keep
}

// allow reports whether addr is still under the limit of refusals.
func (c *checkinThrottle) allow(addr string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.recent(addr, now)) < checkinLimit
}

// refused records a refused check-in from addr.
func (c *checkinThrottle) refused(addr string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[addr] = append(c.recent(addr, now), now)
	if len(c.seen) > 10000 { // bound the memory: forget everyone else
		c.seen = map[string][]time.Time{addr: c.seen[addr]}
	}
}

var checkins checkinThrottle

type checkinPage struct {
	base
	FormToken string
	Token     string
	Info      store.CheckinInfo
	Audiences []string
	Form      prevention.Attendee
	Fields    map[string]string
	Error     string
	Done      bool
}

// checkinCode is GET /portal/checkin: type the code shown at the session.
func (s *Server) checkinCode(w http.ResponseWriter, r *http.Request, rq *request) error {
	if code := strings.TrimSpace(r.URL.Query().Get("code")); code != "" {
		http.Redirect(w, r, "/portal/checkin/"+strings.ToUpper(strings.ReplaceAll(code, "-", "")), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, rq, http.StatusOK, "checkin", &checkinPage{base: base{Title: "培训签到"}})
	return nil
}

func (s *Server) checkinForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showCheckin(w, r, rq, http.StatusOK, &checkinPage{})
}

func (s *Server) showCheckin(w http.ResponseWriter, r *http.Request, rq *request, status int, p *checkinPage) error {
	info, err := s.store.CheckinSession(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	p.base.Title = "培训签到 · " + info.Topic
	p.Token, p.Info, p.Audiences = r.PathValue("token"), info, prevention.AttendeeAudiences
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	p.FormToken = access.NewToken()
	http.SetCookie(w, s.cookie(r, formCookie, p.FormToken, 0))
	s.render(w, r, rq, status, "checkin", p)
	return nil
}

// checkinSubmit is POST /portal/checkin/{token}.
func (s *Server) checkinSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a := prevention.Attendee{Name: r.PostFormValue("name"), IDNumber: r.PostFormValue("id_number"), Employer: r.PostFormValue("employer"),
		Audience: r.PostFormValue("audience")}
	p := &checkinPage{Form: a}
	if !formTokenOK(r) {
		p.Error = "签到页面已过期，请重新填写"
		return s.showCheckin(w, r, rq, http.StatusForbidden, p)
	}
	if !checkins.allow(web.ClientAddr(r), time.Now()) {
		return errs.E(errs.Locked, "签到过于频繁，请稍后再试")
	}
	err := s.store.Checkin(r.Context(), r.PathValue("token"), a)
	if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
		checkins.refused(web.ClientAddr(r), time.Now())
	}
	if errs.Is(err, errs.Invalid) || errs.Is(err, errs.Conflict) {
		p.Fields = fieldErrors(err)
		p.Error = err.Error()
		return s.showCheckin(w, r, rq, statusOf(err), p)
	}
	if err != nil {
		return err
	}
	p.Done, p.Form = true, prevention.Attendee{Name: a.Name}
	return s.showCheckin(w, r, rq, http.StatusOK, p)
}
