package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
)

// Pages are a surface's screens: one template set per page, each parsed
// with the layout (a broken template stops start-up), and the stylesheet's
// content hash for its cache-busting URL.
type Pages struct {
	ByName  map[string]*template.Template
	CSSHash string
}

// ParsePages parses every templates/NAME.html of fsys together with
// templates/layout.html, keyed by NAME, and hashes css.
func ParsePages(fsys fs.FS, css []byte, funcs template.FuncMap) (*Pages, error) {
	sum := sha256.Sum256(css)
	p := &Pages{ByName: map[string]*template.Template{}, CSSHash: hex.EncodeToString(sum[:4])}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(fsys, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		p.ByName[name] = t
	}
	return p, nil
}
