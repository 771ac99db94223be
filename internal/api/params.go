package api

import (
	"net/http"

	"gongshang/internal/param"
	"gongshang/internal/web"
)

type paramJSON struct {
	Table         string `json:"table"`
	Key           string `json:"key" openapi:"optional"`
	Region        string `json:"region"`
	EffectiveFrom string `json:"effective_from"`
	Value         string `json:"value"`
	Source        string `json:"source"`
	Confidence    string `json:"confidence"`
	Note          string `json:"note" openapi:"optional"`
	Unconfirmed   bool   `json:"unconfirmed" openapi:"optional"`
}

func toParamJSON(v param.Version) paramJSON {
	return paramJSON{v.Table, v.Key, v.Region, param.FormatDate(v.EffectiveFrom), v.Value, v.Source, v.Confidence, v.Note, v.Unconfirmed()}
}

func (s *Server) apiParams(w http.ResponseWriter, r *http.Request, rq *request) error {
	vs := s.params.Set(r.Context()).Versions()
	out := make([]paramJSON, len(vs))
	for i, v := range vs {
		out[i] = toParamJSON(v)
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[paramJSON]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

func (s *Server) apiParamAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	var in paramJSON
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	m := map[string]string{"table": in.Table, "key": in.Key, "region": in.Region, "effective_from": in.EffectiveFrom,
		"value": in.Value, "source": in.Source, "confidence": in.Confidence, "note": in.Note}
	v, err := web.ParseVersion(func(k string) string { return m[k] })
	if err != nil {
		return err
	}
	if _, err := s.params.Add(r.Context(), rq.P, v); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, toParamJSON(v))
	return nil
}
