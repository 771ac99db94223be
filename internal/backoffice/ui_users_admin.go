package backoffice

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/web"
)

// userAssign changes a user's role and region. The store refuses a change
// of oneself, a region outside the administrator's subtree, a role above
// their own and demoting or moving a region's last administrator; the
// users page shows the refusal on the user's row.
func (s *Server) userAssign(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	role, region := access.Role(r.PostFormValue("role")), r.PostFormValue("region_code")
	if err := s.store.AssignUser(r.Context(), rq.P, id, role, region); err != nil {
		return s.userRefused(w, r, rq, id, err)
	}
	return s.userAdminDone(w, r, rq, id, "现为："+regionText(region)+" · "+role.Name()+"。")
}

// userResetPassword sets a new password for a user who forgot theirs; the
// user's sessions end and a lock is lifted. A password the policy refuses
// is answered on the user's row with its reason.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.ResetPassword(r.Context(), rq.P, id, r.PostFormValue("password")); err != nil {
		return s.userRefused(w, r, rq, id, err)
	}
	return s.userAdminDone(w, r, rq, id, "的密码已重置，其登录会话已全部结束。请将新密码当面或以安全方式告知本人。")
}

// userUnlock lifts a failed-login lock.
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.UnlockUser(r.Context(), rq.P, id); err != nil {
		return s.userRefused(w, r, rq, id, err)
	}
	return s.userAdminDone(w, r, rq, id, "已解除锁定。")
}

// userAdminDone reports a change of a user through the flash and shows
// the users page again.
func (s *Server) userAdminDone(w http.ResponseWriter, r *http.Request, rq *request, id int64, what string) error {
	u, err := s.store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	s.flash(r, rq, "用户“"+u.Username+"”（"+u.DisplayName+"）"+what)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}

// userRefused shows a refused change (bad input, the last-administrator
// rule, a change of oneself) on the user's row; other errors are the error
// page's.
func (s *Server) userRefused(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error) error {
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Conflict:
		return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, err, id)
	case errs.Forbidden:
		if _, ferr := fieldErrors(err); ferr == nil { // a region or role beyond the administrator's own
			return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, err, id)
		}
	}
	return err
}
