package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/errs"
)

// ErrorBody is the JSON form of an error.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the stable code, the message and the fields at fault.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  []errs.FieldError `json:"fields,omitempty"`
}

// ListBody is the envelope of every list answer.
type ListBody[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// WriteJSON answers v as JSON with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// DecodeJSON reads one JSON object into dst: the body must be JSON, hold no
// unknown fields and nothing after the object, and every string must
// pass CheckText; errors name the field.
func DecodeJSON(r *http.Request, dst any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return errs.E(errs.Invalid, "请求体必须是JSON（Content-Type: application/json）")
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return DecodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return DecodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.E(errs.Invalid, "JSON对象之后还有多余内容")
	}
	return CheckJSON(raw)
}

// DecodeError turns a JSON decoding error into a field error.
func DecodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return errs.E(errs.TooLarge, "请求内容超过%d字节的上限", mbe.Limit)
	case errors.As(err, &syn):
		return errs.E(errs.Invalid, "JSON格式错误（第%d字节附近）", syn.Offset)
	case errors.As(err, &typ):
		return errs.Field(typ.Field, "type", "%s类型错误：应为%s", Label(typ.Field), jsonType(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Field(name, "unknown_field", "未知字段“%s”", name)
	case errors.Is(err, io.EOF):
		return errs.E(errs.Invalid, "请求体为空")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.E(errs.Invalid, "JSON不完整：请求体在对象结束之前中断")
	}
	return errs.E(errs.Invalid, "JSON无法解析，请检查格式")
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "int", "int64", "float64":
		return "数字"
	case "bool":
		return "true或false"
	}
	return kind
}

// PathID parses the {id} path value.
func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "编号“%s”无效", r.PathValue("id"))
	}
	return id, nil
}

// QueryInt reads a non-negative integer query parameter.
func QueryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errs.Field(name, "query_int", "查询参数“%s”应为非负整数，当前为“%s”", name, v)
	}
	return n, nil
}

// WriteJSONError answers err as the JSON error body.
func WriteJSONError(w http.ResponseWriter, status int, e *errs.Error) {
	WriteJSON(w, status, ErrorBody{Error: ErrorDetail{Code: string(e.Kind), Message: e.Error(), Fields: e.Fields}})
}

// ParseForm parses url-encoded and multipart bodies alike.
func ParseForm(r *http.Request) error {
	err := r.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errs.E(errs.TooLarge, "请求内容超过%d字节的上限", mbe.Limit)
	}
	if err != nil {
		return errs.E(errs.Invalid, "表单无法解析：请求体不是有效的表单或上传格式")
	}
	return nil
}
