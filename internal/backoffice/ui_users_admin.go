package backoffice

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/web"
)

// userResetPassword sets a new password for a user who forgot theirs; the
// user's sessions end and a lock is lifted. The users page shows the
// outcome; a password the policy refuses is answered with its reason.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.ResetPassword(r.Context(), rq.P, id, r.PostFormValue("password")); err != nil {
		return err
	}
	return s.userAdminDone(w, r, rq, id, "的密码已重置，其登录会话已全部结束。")
}

// userUnlock lifts a failed-login lock.
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.UnlockUser(r.Context(), rq.P, id); err != nil {
		return err
	}
	return s.userAdminDone(w, r, rq, id, "已解除锁定。")
}

func (s *Server) userAdminDone(w http.ResponseWriter, r *http.Request, rq *request, id int64, what string) error {
	u, err := s.store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, nil, "用户“"+u.Username+"”"+what)
}
