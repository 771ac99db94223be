package backoffice

import (
	"net/http"
	"strconv"

	"gongshang/internal/web"
)

// portalCodePage shows a one-time activation code for the portal, once:
// only its keyed hash is kept.
type portalCodePage struct {
	base
	Code     string
	Back     string // the worker's or employer's page
	ForLabel string // 职工 or 用人单位
	Login    string // what the holder logs in with
}

// portalCode issues an activation code for the worker or employer of the
// route ("worker" or "employer", store.PortalWorker/PortalEmployer) and
// shows it on a page of its own.
func (s *Server) portalCode(kind string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		code, err := s.store.IssuePortalCode(r.Context(), rq.P, kind, id)
		if err != nil {
			return err
		}
		p := &portalCodePage{base: base{Title: "网上办理激活码"}, Code: code}
		p.Back, p.ForLabel, p.Login = "/workers/"+strconv.FormatInt(id, 10), "职工", "身份证号码"
		if kind == "employer" {
			p.Back, p.ForLabel, p.Login = "/employers/"+strconv.FormatInt(id, 10), "用人单位", "统一社会信用代码"
		}
		s.render(w, r, rq, http.StatusOK, "portal_code", p)
		return nil
	}
}
