package portal

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// pages are the surface's parsed screens (web.ParsePages).
type pages = web.Pages

// base is the part of every page's data the layout uses.
type base struct {
	Title   string
	Flash   string
	User    access.Principal
	Signed  bool
	CSRF    string
	CSSHash string
}

func (b *base) pageBase() *base { return b }

type page interface{ pageBase() *base }

var funcs = template.FuncMap{
	"kindName": func(k access.Kind) string { return k.Name() },
	"datetime": func(t time.Time) string { return t.In(web.CST).Format("2006-01-02 15:04") },
	"fieldErr": func(fe map[string]string, name string) string { return fe[name] },
	"dict":     dict,
}

// dict builds a map from key, value pairs, for sub-templates.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			m[k] = kv[i+1]
		}
	}
	return m
}

func parsePages() (*pages, error) {
	css, err := staticFS.ReadFile("static/portal.css")
	if err != nil {
		return nil, err
	}
	return web.ParsePages(templateFS, css, funcs)
}

// render executes a page into a buffer first, so a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, rq *request, status int, name string, data page) {
	t, ok := s.pages.ByName[name]
	if !ok {
		panic("portal: no template " + name) // caught by tests that render every page
	}
	b := data.pageBase()
	b.User, b.Signed, b.CSRF, b.CSSHash = rq.P, rq.SignedIn(), rq.CSRF, s.pages.CSSHash
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.log.Error("render", "template", name, "error", err)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// static serves embedded assets; the URL carries a content hash.
func (s *Server) static(w http.ResponseWriter, r *http.Request, _ *request) error {
	b, err := staticFS.ReadFile("static/" + r.PathValue("file"))
	if err != nil {
		return web.NotFound(w, r, &request{})
	}
	if strings.HasSuffix(r.PathValue("file"), ".css") {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, err = w.Write(b)
	return err
}

// fieldErrors maps an error's field errors by field, for the form; the
// message of an error without fields goes to "".
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var fs []struct{ Field, Message string }
	if e, ok := asErr(err); ok {
		for _, f := range e.Fields {
			fs = append(fs, struct{ Field, Message string }{f.Field, f.Message})
		}
		if len(fs) == 0 {
			out[""] = e.Message
		}
	}
	for _, f := range fs {
		if out[f.Field] == "" {
			out[f.Field] = f.Message
		} else {
			out[f.Field] += "；" + f.Message
		}
	}
	return out
}
