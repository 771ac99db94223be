package backoffice

import (
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/web"
)

type paramTable struct {
	param.Table
	Versions []param.Version
}

type paramsPage struct {
	base
	Tables      []paramTable
	Sources     []param.Source
	CanManage   bool
	Form        map[string]string
	Error       string
	Confidences []string
}

func (s *Server) showParams(w http.ResponseWriter, r *http.Request, rq *request, status int, form map[string]string, msg string) {
	set := s.params.Set(r.Context())
	var tables []paramTable
	for _, t := range param.Catalogue() {
		tables = append(tables, paramTable{Table: t, Versions: set.TableVersions(t.Name)})
	}
	s.render(w, r, rq, status, "params", &paramsPage{base: base{Title: "法定参数"}, Tables: tables, Sources: param.Sources(),
		CanManage: rq.P.Can(access.PermParamsManage), Form: form, Error: msg, Confidences: []string{"C", "C2", "U"}})
}

func (s *Server) paramList(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.showParams(w, r, rq, http.StatusOK, map[string]string{"region": rq.P.RegionCode, "confidence": "C2"}, "")
	return nil
}

func (s *Server) paramAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := map[string]string{}
	for _, f := range []string{"table", "key", "region", "effective_from", "value", "source", "confidence", "note"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	v, err := web.ParseVersion(func(k string) string { return form[k] })
	if err == nil {
		_, err = s.params.Add(r.Context(), rq.P, v)
	}
	if errs.Is(err, errs.Invalid) {
		s.showParams(w, r, rq, http.StatusBadRequest, form, err.Error())
		return nil
	}
	if errs.Is(err, errs.Forbidden) { // a region outside the user's scope: keep the form
		s.showParams(w, r, rq, http.StatusForbidden, form, err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, rq, "已新增参数版本："+v.Table+" "+v.Key+" = "+v.Value)
	http.Redirect(w, r, "/params", http.StatusSeeOther)
	return nil
}
