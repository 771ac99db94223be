package api

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/web"
)

// passwordInput is the body of a password reset.
type passwordInput struct {
	Password string `json:"password"`
}

var (
	docUserResetPassword = &apiDoc{Summary: "管理员重置用户密码（结束其全部会话并解除锁定）", Tag: "用户", Request: passwordInput{}, Response: access.User{}, Status: 200}
	docUserUnlock        = &apiDoc{Summary: "解除登录失败锁定", Tag: "用户", Response: access.User{}, Status: 200}
)

func (s *Server) apiUserResetPassword(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in passwordInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.store.ResetPassword(r.Context(), rq.P, id, in.Password); err != nil {
		return err
	}
	return s.apiUserAt(w, r, id)
}

func (s *Server) apiUserUnlock(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.UnlockUser(r.Context(), rq.P, id); err != nil {
		return err
	}
	return s.apiUserAt(w, r, id)
}

func (s *Server) apiUserAt(w http.ResponseWriter, r *http.Request, id int64) error {
	u, err := s.store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, u)
	return nil
}
