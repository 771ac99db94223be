package web

import (
	"context"
	"net/http"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// paramSet is the current parameter set, from the parameter service.
func (s *Server) paramSet(ctx context.Context) *param.Set { return s.params.Set(ctx) }

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
	Flash       string
	Confidences []string
}

func (s *Server) showParams(w http.ResponseWriter, r *http.Request, rq *request, status int, form map[string]string, msg, flash string) {
	set := s.paramSet(r.Context())
	var tables []paramTable
	for _, t := range param.Catalogue() {
		tables = append(tables, paramTable{Table: t, Versions: set.TableVersions(t.Name)})
	}
	s.render(w, r, rq, status, "params", &paramsPage{base: base{Title: "法定参数"}, Tables: tables, Sources: param.Sources(),
		CanManage: rq.p.Can(access.PermParamsManage), Form: form, Error: msg, Flash: flash, Confidences: []string{"C", "C2", "U"}})
}

func (s *Server) paramList(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.showParams(w, r, rq, http.StatusOK, map[string]string{"region": rq.p.RegionCode, "confidence": "C2"}, "", "")
	return nil
}

// versionOf reads a new version from form or JSON values.
func versionOf(get func(string) string) (param.Version, error) {
	v := param.Version{Table: get("table"), Key: get("key"), Region: get("region"), Value: get("value"),
		Source: get("source"), Confidence: get("confidence"), Note: get("note")}
	from, err := param.ParseDate(get("effective_from"))
	if err != nil {
		return v, errs.Field("effective_from", "date_format", "生效日期“%s”无效（格式YYYY-MM-DD）", get("effective_from"))
	}
	v.EffectiveFrom = from
	if err := param.Validate(v); err != nil {
		return v, errs.Field("value", "param_invalid", "%s", err.Error())
	}
	return v, nil
}

// addParam stores v through the parameter service (which checks it and
// the user's region) so that the next calculation uses it.
func (s *Server) addParam(r *http.Request, rq *request, v param.Version) error {
	_, err := s.params.Add(r.Context(), rq.p, v)
	return err
}

func (s *Server) paramAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := map[string]string{}
	for _, f := range []string{"table", "key", "region", "effective_from", "value", "source", "confidence", "note"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	v, err := versionOf(func(k string) string { return form[k] })
	if err == nil {
		err = s.addParam(r, rq, v)
	}
	if errs.Is(err, errs.Invalid) {
		s.showParams(w, r, rq, http.StatusBadRequest, form, err.Error(), "")
		return nil
	}
	if errs.Is(err, errs.Forbidden) { // a region outside the user's scope: keep the form
		s.showParams(w, r, rq, http.StatusForbidden, form, err.Error(), "")
		return nil
	}
	if err != nil {
		return err
	}
	s.showParams(w, r, rq, http.StatusOK, map[string]string{"region": form["region"]}, "", "已新增参数版本："+v.Table+" "+v.Key+" = "+v.Value)
	return nil
}

type paramJSON struct {
	Table         string `json:"table"`
	Key           string `json:"key"`
	Region        string `json:"region"`
	EffectiveFrom string `json:"effective_from"`
	Value         string `json:"value"`
	Source        string `json:"source"`
	Confidence    string `json:"confidence"`
	Note          string `json:"note"`
	Unconfirmed   bool   `json:"unconfirmed"`
}

func toParamJSON(v param.Version) paramJSON {
	return paramJSON{v.Table, v.Key, v.Region, param.FormatDate(v.EffectiveFrom), v.Value, v.Source, v.Confidence, v.Note, v.Unconfirmed()}
}

func (s *Server) apiParams(w http.ResponseWriter, r *http.Request, rq *request) error {
	vs := s.paramSet(r.Context()).Versions()
	out := make([]paramJSON, len(vs))
	for i, v := range vs {
		out[i] = toParamJSON(v)
	}
	writeJSON(w, http.StatusOK, listBody[paramJSON]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

func (s *Server) apiParamAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in paramJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	m := map[string]string{"table": in.Table, "key": in.Key, "region": in.Region, "effective_from": in.EffectiveFrom,
		"value": in.Value, "source": in.Source, "confidence": in.Confidence, "note": in.Note}
	v, err := versionOf(func(k string) string { return m[k] })
	if err != nil {
		return err
	}
	if err := s.addParam(r, rq, v); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toParamJSON(v))
	return nil
}
