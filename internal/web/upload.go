package web

import (
	"io"
	"net/http"

	"gongshang/internal/errs"
)

// ReadUpload reads the file of a multipart field, within the surface's
// body limit.
func ReadUpload(r *http.Request, field string) (name string, data []byte, err error) {
	if err := ParseForm(r); err != nil {
		return "", nil, err
	}
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return "", nil, errs.Field(field, "file_required", "请选择要上传的文件")
	}
	defer f.Close()
	data, err = io.ReadAll(f)
	return hdr.Filename, data, err
}
