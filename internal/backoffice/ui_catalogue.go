package backoffice

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/imports"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The work-injury catalogues (工伤目录): the list of rows valid on a day,
// the import of catalogue and bundling sheets in the national code format
// (all-or-nothing, with the row-level report and error files the registry
// imports give), the templates, and the export, which re-imports
// unchanged.

type cataloguePage struct {
	base
	L         *web.ListQuery
	Items     []catalogue.Entry
	On        string // the day shown, "" all dates
	CanImport bool
	Pager     web.Pager
}

func (s *Server) catalogueList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, web.CatalogueListSpec("/catalogue"))
	if err != nil {
		return err
	}
	f := web.CatalogueFilterOf(q, cstDay(s.store.Now()))
	page := storePage(q)
	if q.Export {
		page = store.Page{Limit: 1}
	}
	items, total, err := s.store.FindCatalogue(r.Context(), f, page)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportCatalogue(w, r, rq, q, f, total)
	}
	s.render(w, r, rq, http.StatusOK, "catalogue", &cataloguePage{base: base{Title: "工伤保险目录"}, L: q, Items: items, On: f.On,
		CanImport: rq.P.Can(access.PermCatalogueManage), Pager: q.Pager(total)})
	return nil
}

// catalogueColumns are the import sheet's own columns (EntryHeader), so an
// exported file imports again unchanged.
func catalogueColumns() []sheet.Column {
	var cols []sheet.Column
	for _, h := range catalogue.EntryHeader() {
		width := 12.0
		switch h {
		case catalogue.ColCode:
			width = 26
		case catalogue.ColName:
			width = 28
		case catalogue.ColCovered:
			width = 18
		}
		cols = append(cols, sheet.Column{Header: h, Width: width})
	}
	return cols
}

// sheetCells converts catalogue.EntryCells for the exporter: money as
// sheet.Money (a number of yuan the import reads back), the rest as is.
func sheetCells(e catalogue.Entry) []any {
	cells := catalogue.EntryCells(e)
	for i, c := range cells {
		if m, ok := c.(catalogue.Money); ok {
			cells[i] = sheet.Money(m)
		}
	}
	return cells
}

func (s *Server) exportCatalogue(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.CatalogueQuery, total int) error {
	if f.On != "" && q.Get("on") == "" {
		q.SetName("on", f.On) // the title names the day shown, also when it is today's default
	}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportCatalogue, File: "catalogue", Columns: catalogueColumns(), Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			err := s.store.EachCatalogueEntry(r.Context(), f, func(e catalogue.Entry) error {
				n++
				return add(sheetCells(e)...)
			})
			return n, err
		}})
}

type catalogueImportPage struct {
	base
	Done      *store.CatalogueImport
	Entries   *sheetReport // the catalogue sheet's report, nil when none was uploaded
	Bundles   *sheetReport
	FileError map[string]string // a refusal of a file itself, by field
}

// sheetReport is one uploaded sheet's outcome.
type sheetReport struct {
	Name      string
	Rows      int // data rows read
	Problems  []catalogue.Problem
	Shown     []catalogue.Problem // the first shownProblems, in file order
	More      int                 // problems not shown (all are in the error file)
	Groups    []importGroup
	ErrorFile string
}

// shownProblems is how many problems the page lists row by row.
const shownProblems = 100

// reportView is one sheet's report on the page.
type reportView struct {
	Key, Title string
	R          *sheetReport
}

func init() {
	funcs["reports"] = func(entries, bundles *sheetReport) []reportView {
		var out []reportView
		if entries != nil {
			out = append(out, reportView{"entries", "目录文件", entries})
		}
		if bundles != nil {
			out = append(out, reportView{"bundles", "同收规则文件", bundles})
		}
		return out
	}
	funcs["catRegion"] = func(code string) string {
		if code == "000000" {
			return "国家"
		}
		return regionText(code)
	}
}

func (s *Server) catalogueImportForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "catalogue_import", &catalogueImportPage{base: base{Title: "导入工伤保险目录"}})
	return nil
}

// headerAt finds the header row of an uploaded sheet: the first row with a
// cell titled title. A file exported from the list has its title and note
// rows above it; a template or hand-made sheet starts with it. -1: none.
func headerAt(rows [][]string, title string) int {
	for i, row := range rows {
		if i > 10 {
			break
		}
		for _, c := range row {
			if strings.TrimSpace(c) == title {
				return i
			}
		}
	}
	return -1
}

// readCatalogueSheet reads one upload of field (false when none was
// given) and parses it with parse from its header row on; problems keep
// the upload's own row numbers.
func readCatalogueSheet[T any](r *http.Request, field, title string, parse func([][]string) ([]T, []catalogue.Problem)) (rep *sheetReport, out []T, data []byte, err error) {
	if _, _, ferr := r.FormFile(field); ferr != nil {
		return nil, nil, nil, nil
	}
	name, data, err := web.ReadUpload(r, field)
	if err != nil {
		return nil, nil, nil, err
	}
	rows, err := sheet.Read(r.Context(), name, data)
	if err != nil {
		return nil, nil, nil, err
	}
	rep = &sheetReport{Name: name}
	skip := max(headerAt(rows, title), 0)
	out, rep.Problems = parse(rows[skip:])
	for i := range rep.Problems {
		rep.Problems[i].Row += skip
	}
	rep.Shown = rep.Problems[:min(len(rep.Problems), shownProblems)]
	rep.More = len(rep.Problems) - len(rep.Shown)
	for _, row := range rows[skip+min(1, len(rows)-skip):] {
		if !sheet.Blank(row) {
			rep.Rows++
		}
	}
	return rep, out, data, nil
}

var quoted = regexp.MustCompile(`“[^”]*”|第[0-9]+行`)

// importProblems are a sheet's problems as the registry imports report
// them (grouped by column and reason; the error file's 错误原因).
func importProblems(ps []catalogue.Problem) []store.ImportProblem {
	out := make([]store.ImportProblem, len(ps))
	for i, p := range ps {
		reason := strings.TrimPrefix(p.Message, p.Column+"：")
		code := quoted.ReplaceAllString(reason, "“…”") // one reason, whatever the value
		out[i] = store.ImportProblem{Row: p.Row, Column: p.Column, Code: code, Reason: reason}
	}
	return out
}

func (s *Server) catalogueImportSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	p := &catalogueImportPage{base: base{Title: "导入工伤保险目录"}, FileError: map[string]string{}}
	fail := func(field string, err error) error {
		fe, ok := errs.First(err)
		if !ok || !errs.Is(err, errs.Invalid) {
			return err
		}
		p.FileError[field] = fe.Message
		s.render(w, r, rq, http.StatusUnprocessableEntity, "catalogue_import", p)
		return nil
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	entries, rows, edata, err := readCatalogueSheet(r, "file", catalogue.ColCode, catalogue.ParseEntries)
	if err != nil {
		return fail("file", err)
	}
	bundles, pairs, bdata, err := readCatalogueSheet(r, "bundles", catalogue.ColCode1, catalogue.ParseBundles)
	if err != nil {
		return fail("bundles", err)
	}
	if entries == nil && bundles == nil {
		return fail("file", errs.Field("file", "file_required", "请选择目录文件或同收规则文件"))
	}
	p.Entries, p.Bundles = entries, bundles
	bad := false
	for _, rep := range []struct {
		r    *sheetReport
		data []byte
	}{{entries, edata}, {bundles, bdata}} {
		if rep.r == nil || len(rep.r.Problems) == 0 {
			continue
		}
		bad = true
		ips := importProblems(rep.r.Problems)
		for _, g := range imports.GroupProblems(ips, firstRows) {
			rep.r.Groups = append(rep.r.Groups, importGroup{ProblemGroup: g, More: g.Count - len(g.First)})
		}
		token, err := s.errFiles.put(rq.P.UserID, &errorFile{kind: "catalogue", filename: rep.r.Name, data: rep.data, problems: ips}, s.store.Now())
		if err != nil {
			return err
		}
		rep.r.ErrorFile = "/catalogue/import/errors/" + token
	}
	if bad {
		s.render(w, r, rq, http.StatusUnprocessableEntity, "catalogue_import", p)
		return nil
	}
	res, err := s.store.ImportCatalogue(r.Context(), rq.P, rows, pairs)
	if err != nil {
		return err
	}
	s.flash(r, rq, fmt.Sprintf("工伤保险目录已导入：新增%d条，更新%d条，同收规则%d条。", res.Added, res.Replaced, res.Bundles))
	http.Redirect(w, r, "/catalogue?all=1", http.StatusSeeOther)
	return nil
}

// catalogueImportErrors sends the error file of one of the user's own
// recent catalogue uploads.
func (s *Server) catalogueImportErrors(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, ok := s.errFiles.get(rq.P.UserID, r.PathValue("token"), s.store.Now())
	if !ok || f.kind != "catalogue" {
		return errs.E(errs.NotFound, "错误文件不存在或已过期（上传后保留%d分钟），请重新上传文件", int(errorFileTTL.Minutes()))
	}
	var buf bytes.Buffer
	if err := imports.ErrorFile(r.Context(), &buf, f.filename, f.data, f.problems); err != nil {
		return err
	}
	attachment(w, strings.TrimSuffix(f.filename, pathExt(f.filename))+"-错误原因.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

// catalogueTemplate sends an empty sheet with the header: entries (目录)
// or bundles (同收规则).
func (s *Server) catalogueTemplate(w http.ResponseWriter, r *http.Request, rq *request) error {
	var header []string
	var name string
	switch r.PathValue("kind") {
	case "entries":
		header, name = catalogue.EntryHeader(), "工伤保险目录导入模板.xlsx"
	case "bundles":
		header, name = catalogue.BundleHeader(), "同收规则导入模板.xlsx"
	default:
		return errs.E(errs.NotFound, "没有这种模板")
	}
	var buf bytes.Buffer
	if err := sheet.WriteXLSX(&buf, "目录", [][]string{header}); err != nil {
		return err
	}
	attachment(w, name)
	_, err := buf.WriteTo(w)
	return err
}
