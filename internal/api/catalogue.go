package api

import (
	"net/http"
	"strings"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/sheet"
	"gongshang/internal/web"
)

// The work-injury catalogues (工伤目录): the list, and the import of a
// catalogue sheet and a bundling sheet (all-or-nothing, with per-cell
// problems).

var (
	docCatalogueList   = &apiDoc{Summary: "查询工伤保险目录（默认当日有效的条目；all=1为全部日期；筛选、排序、分页同经办平台列表）", Tag: "工伤目录", List: web.CatalogueListSpec("/api/v1/catalogue"), Response: web.ListBody[catalogue.Entry]{}, Status: 200}
	docCatalogueImport = &apiDoc{Summary: "导入工伤保险目录（multipart：file为目录表、bundles为同收规则表，至少一个；任一行有错误时均不导入，返回422及逐行问题）", Tag: "工伤目录",
		Multipart: map[string]any{"type": "object", "properties": map[string]any{
			"file":    map[string]any{"type": "string", "format": "binary", "description": "目录表（.xlsx或.csv，表头见目录导入模板；从目录列表导出的文件可直接导入）"},
			"bundles": map[string]any{"type": "string", "format": "binary", "description": "同收规则表（.xlsx或.csv）"},
		}}, Response: catalogueImportBody{}, Status: 201}
)

func init() {
	queryText[docCatalogueList] = map[string]string{"q": "检索词：医保目录编码开头（不区分大小写）或名称中任意位置的文字"}
}

// catalogueImportBody is what an import did, or why it did nothing.
type catalogueImportBody struct {
	Outcome  string              `json:"outcome"` // imported | rejected
	Added    int                 `json:"added"`
	Replaced int                 `json:"replaced"`
	Bundles  int                 `json:"bundles"`
	Problems []catalogue.Problem `json:"problems"`        // the catalogue sheet's, rows as in the file
	Pairs    []catalogue.Problem `json:"bundle_problems"` // the bundling sheet's
}

func (s *Server) apiCatalogueList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, pg, err := apiList(r, web.CatalogueListSpec(r.URL.Path))
	if err != nil {
		return err
	}
	items, total, err := s.store.FindCatalogue(r.Context(), web.CatalogueFilterOf(q, s.store.Now().In(web.CST).Format("2006-01-02")), pg)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[catalogue.Entry]{Items: nonNil(items), Total: total, Offset: pg.Offset, Limit: pg.Limit})
	return nil
}

// uploadRows reads a multipart file and parses it from its header row (the
// first with a cell titled title: an exported list has a title and a note
// above it); problems keep the file's row numbers. ok is false when the
// field is absent.
func uploadRows[T any](r *http.Request, field, title string, parse func([][]string) ([]T, []catalogue.Problem)) (out []T, probs []catalogue.Problem, ok bool, err error) {
	if _, _, ferr := r.FormFile(field); ferr != nil {
		return nil, nil, false, nil
	}
	name, data, err := web.ReadUpload(r, field)
	if err != nil {
		return nil, nil, true, err
	}
	rows, err := sheet.Read(r.Context(), name, data)
	if err != nil {
		return nil, nil, true, err
	}
	skip := 0
	for i := 0; i < len(rows) && i <= 10; i++ {
		found := false
		for _, c := range rows[i] {
			found = found || strings.TrimSpace(c) == title
		}
		if found {
			skip = i
			break
		}
	}
	out, probs = parse(rows[skip:])
	for i := range probs {
		probs[i].Row += skip
	}
	return out, probs, true, nil
}

func (s *Server) apiCatalogueImport(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	rows, probs, gotRows, err := uploadRows(r, "file", catalogue.ColCode, catalogue.ParseEntries)
	if err != nil {
		return err
	}
	pairs, pprobs, gotPairs, err := uploadRows(r, "bundles", catalogue.ColCode1, catalogue.ParseBundles)
	if err != nil {
		return err
	}
	if !gotRows && !gotPairs {
		return errs.Field("file", "file_required", "请上传目录表（file）或同收规则表（bundles）")
	}
	body := catalogueImportBody{Outcome: "rejected", Problems: nonNil(probs), Pairs: nonNil(pprobs)}
	if len(probs)+len(pprobs) > 0 {
		web.WriteJSON(w, http.StatusUnprocessableEntity, body)
		return nil
	}
	res, err := s.store.ImportCatalogue(r.Context(), rq.P, rows, pairs)
	if err != nil {
		return err
	}
	body.Outcome, body.Added, body.Replaced, body.Bundles = "imported", res.Added, res.Replaced, res.Bundles
	web.WriteJSON(w, http.StatusCreated, body)
	return nil
}
