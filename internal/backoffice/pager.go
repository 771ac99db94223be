package backoffice

import (
	"net/http"
	"strconv"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// storePage is the window of a list query's page.
func storePage(q *web.ListQuery) store.Page { return store.Page{Offset: q.Offset(), Limit: q.Size} }

// listExport is one list's export: what it is called, its audit action,
// its columns, and the read of its rows (all pages, masked as on screen),
// which returns how many it added.
type listExport struct {
	Action  string // store.ExportEmployers …
	File    string // ASCII fallback of the file name, e.g. employers
	Columns []sheet.Column
	Total   int // the count the note names (the list's total)
	Rows    func(add sheet.RowFunc) (int, error)
}

// exportList answers a list's format=xlsx: the title names the list and
// its filter in Chinese, the note the exporter (region · role · name) and
// the time in China Standard Time, then every row, streamed through
// sheet.ExportXLSX. The export is audited (it discloses data) with the
// filter and the row count after the rows are read and before the file is
// sent; a failed audit sends nothing.
func (s *Server) exportList(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, ex listExport) error {
	now := s.store.Now().In(cst)
	title := q.Spec.Name + "名单"
	if d := q.Describe(); d != "" {
		title += "（" + d + "）"
	} else {
		title += "（全部）"
	}
	note := "导出人：" + exporter(rq.P) + "　导出时间：" + now.Format("2006年1月2日 15:04") + "（北京时间）　共" + strconv.Itoa(ex.Total) + "条"
	region := q.Get("region")
	if region == "" {
		region = rq.P.RegionCode
	}
	stamp := now.Format("20060102-1504")
	out := &lazyHeaders{ResponseWriter: w, set: func(h http.Header) {
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		h.Set("Content-Disposition", web.ContentDisposition(q.Spec.Name+"名单-"+stamp+".xlsx", ex.File+"-"+stamp+".xlsx"))
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
	}}
	err := sheet.ExportXLSX(out, sheet.Export{Sheet: q.Spec.Name, Title: title, Note: note, Columns: ex.Columns}, func(add sheet.RowFunc) error {
		n, err := ex.Rows(add)
		if err != nil {
			return err
		}
		return s.store.RecordExport(r.Context(), rq.P, ex.Action, region, store.ExportRecord{Title: title, Filters: q.Filters(), Rows: n})
	})
	if err != nil && out.started {
		// Part of the file is sent: no error page can follow it.
		s.log.Error("export", "list", q.Spec.Path, "user", rq.P.Username, "error", err)
		return nil
	}
	return err
}

// exporter names the principal as the note of an export does:
// 任城区 · 窗口受理 · 高静.
func exporter(p access.Principal) string {
	name := web.RegionName(p.RegionCode)
	if name == "" {
		name = p.RegionCode
	}
	return name + " · " + p.Label()
}

// lazyHeaders sets the file's headers at its first byte, so an error
// before it still gets the ordinary error page.
type lazyHeaders struct {
	http.ResponseWriter
	set     func(http.Header)
	started bool
}

func (l *lazyHeaders) Write(b []byte) (int, error) {
	if !l.started {
		l.started = true
		l.set(l.Header())
		l.WriteHeader(http.StatusOK)
	}
	return l.ResponseWriter.Write(b)
}

// cstDay is an instant's date in China Standard Time.
func cstDay(t time.Time) string { return t.In(cst).Format(time.DateOnly) }
