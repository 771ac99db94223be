package backoffice

import (
	"bytes"
	"net/http"

	"gongshang/internal/errs"
	"gongshang/internal/imports"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type importPage struct {
	base
	Result *store.ImportRecord
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "import", &importPage{base: base{Title: "批量导入"}})
	return nil
}

// runImport reads the uploaded file and imports it.
func (s *Server) runImport(r *http.Request, rq *request) (store.ImportRecord, error) {
	name, data, err := web.ReadUpload(r, "file")
	if err != nil {
		return store.ImportRecord{}, err
	}
	return imports.Run(r.Context(), s.store, rq.P, r.FormValue("kind"), name, data, r.FormValue("good_only") != "")
}

func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	res, err := s.runImport(r, rq)
	if errs.Is(err, errs.Invalid) {
		res = store.ImportRecord{Outcome: imports.OutcomeRejected, Summary: "未导入：" + err.Error()}
	} else if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Outcome == imports.OutcomeRejected {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, rq, status, "import", &importPage{base: base{Title: "批量导入"}, Result: &res})
	return nil
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.PathValue("kind")
	header := imports.Header(kind)
	if header == nil {
		return errs.E(errs.NotFound, "没有“%s”的导入模板", kind)
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "导入", [][]string{header}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`-template.xlsx"`)
	_, err := buf.WriteTo(w)
	return err
}
