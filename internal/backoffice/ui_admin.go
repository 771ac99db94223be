package backoffice

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type auditPage struct {
	base
	Type, Object, Actor string
	Types               []string
	Items               []audit.Entry
	Total               int
	Pager               pager
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request, rq *request) error {
	pg, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AuditFilter{ObjectType: q.Get("type"), ObjectID: q.Get("object"), Actor: q.Get("actor"), Page: pg}
	items, total, err := s.store.FindAuditEntries(r.Context(), rq.P.Scope(), f)
	if err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "audit", &auditPage{base: base{Title: "审计日志"}, Type: f.ObjectType, Object: f.ObjectID,
		Actor: f.Actor, Types: []string{"employer", "worker", "employment", "user", "batch", "param"},
		Items: items, Total: total, Pager: newPager(r, pg, total)})
	return nil
}

type usersPage struct {
	base
	Users   []access.User
	Roles   []access.Role
	Regions []registry.Region
	New     access.NewUser
	Errors  map[string]string
	Flash   string
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, rq *request, n access.NewUser, err error, flash string) error {
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	p := &usersPage{base: base{Title: "用户管理"}, Roles: access.Roles, New: n, Errors: fe, Flash: flash}
	if p.Users, err = s.store.FindUsers(r.Context(), rq.P.Scope()); err != nil {
		return err
	}
	if p.Regions, err = s.store.Regions(r.Context(), rq.P.Scope()); err != nil {
		return err
	}
	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	}
	s.render(w, r, rq, status, "users", p)
	return nil
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, nil, "")
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	n := access.NewUser{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Role: access.Role(r.PostFormValue("role")), RegionCode: r.PostFormValue("region_code"), Password: r.PostFormValue("password")}
	if _, err := s.store.CreateUser(r.Context(), rq.P, n); err != nil {
		n.Password = ""
		return s.showUsers(w, r, rq, n, err, "")
	}
	return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, nil, "用户“"+n.Username+"”已创建。")
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.setDisabled(w, r, rq, true)
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.setDisabled(w, r, rq, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, rq *request, disabled bool) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.SetUserDisabled(r.Context(), rq.P, id, disabled); err != nil {
		return err
	}
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}

type passwordPage struct {
	base
	Errors map[string]string
	Flash  string
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "password", &passwordPage{base: base{Title: "修改密码"}})
	return nil
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	err := s.store.ChangePassword(r.Context(), rq.P, r.PostFormValue("current"), r.PostFormValue("password"), rq.Token)
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	p := &passwordPage{base: base{Title: "修改密码"}, Errors: fe}
	status := http.StatusOK
	if fe != nil {
		status = http.StatusBadRequest
	} else {
		p.Flash = "密码已修改。"
	}
	s.render(w, r, rq, status, "password", p)
	return nil
}
