package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Stored is a file kept by the system (an upload, a letter) on its way out.
type Stored struct {
	ContentType string
	Size        int64  // 0 when unknown
	Name        string // the file name shown (any characters)
	Fallback    string // an ASCII name for old clients
	Attachment  bool   // download rather than show in the browser
}

// ServeStored writes a stored file: its own content type, never sniffed
// into another (an uploaded "PDF" is never run as HTML), its name for
// saving, its length. Every surface serves case files and letters through
// it. Once the answer has begun, a failed copy is the client going away.
func ServeStored(w http.ResponseWriter, rc io.Reader, f Stored) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	disp := ContentDisposition(f.Name, f.Fallback)
	if !f.Attachment {
		disp = "inline" + strings.TrimPrefix(disp, "attachment")
	}
	h.Set("Content-Disposition", disp)
	if f.Size > 0 {
		h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, rc)
}
