package api

import (
	"net/http"

	"gongshang/internal/imports"
	"gongshang/internal/web"
)

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	name, data, err := web.ReadUpload(r, "file")
	if err != nil {
		return err
	}
	res, err := imports.Run(r.Context(), s.store, rq.P, r.FormValue("kind"), name, data, r.FormValue("good_only") != "")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Outcome == imports.OutcomeRejected {
		status = http.StatusUnprocessableEntity
	}
	web.WriteJSON(w, status, res)
	return nil
}
