package his

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// The decoder walks a JSON document along a Go type's json tags, so every
// refusal carries the field's path (input.feedetail[3].cnt). It accepts
// numbers where strings are declared and numeric strings where amounts,
// quantities and counts are, as a HIS written for the national platform
// sends them. Unknown fields are ignored; null, and "" for a string or
// amount, count as absent. Field options come from the `his` tag:
//
//	required  absent, null, "" or [] is refused
//	date      yyyy-MM-dd
//	time      yyyy-MM-dd HH:mm:ss
//	admvs     six digits
//	nonneg    an amount or count not below zero
//	positive  a quantity above zero
//	max=N     at most N characters, or N elements of a list
type decoder struct {
	fs errs.Fields
}

// maxFieldErrors bounds the refusals collected from one document.
const maxFieldErrors = 50

// maxString is the default length limit of a string field, in characters.
const maxString = 1000

type opts struct {
	required, date, time, admvs, nonneg, positive bool
	max                                           int
}

type fieldInfo struct {
	name  string
	index int
	opts  opts
}

var (
	rawType    = reflect.TypeFor[json.RawMessage]()
	amountType = reflect.TypeFor[Amount]()
	qtyType    = reflect.TypeFor[Qty]()
	ratioType  = reflect.TypeFor[Ratio]()
	fieldCache sync.Map // reflect.Type → []fieldInfo
)

func (d *decoder) fail(path, code, format string, args ...any) {
	if len(d.fs) < maxFieldErrors {
		d.fs.Add(path, code, format, args...)
	}
}

func (d *decoder) err() error { return d.fs.Err() }

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// absent reports whether raw stands for a missing value of v's type.
func absent(raw []byte, v reflect.Value) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	if string(raw) == `""` {
		switch v.Kind() {
		case reflect.String, reflect.Int, reflect.Int64:
			return true
		}
	}
	return false
}

// value decodes raw (one JSON value, already known to be well formed) into v.
func (d *decoder) value(path string, raw []byte, v reflect.Value, o opts) {
	raw = bytes.TrimSpace(raw)
	if absent(raw, v) {
		if o.required {
			d.fail(path, "required", "%s不能为空", fieldName(path))
		}
		return
	}
	switch v.Type() {
	case rawType:
		v.SetBytes(append([]byte(nil), raw...))
		return
	case amountType:
		d.fixed(path, raw, v, 2, int64(MaxAmount), "应为金额（数字，最多两位小数）", o)
		return
	case qtyType:
		d.fixed(path, raw, v, 4, int64(MaxQty), "应为数量（数字，最多四位小数）", o)
		return
	case ratioType:
		d.fixed(path, raw, v, 2, 1_000_000, "应为比例（数字，最多两位小数）", o)
		return
	}
	switch v.Kind() {
	case reflect.String:
		d.str(path, raw, v, o)
	case reflect.Int, reflect.Int64:
		d.integer(path, raw, v, o)
	case reflect.Struct:
		d.object(path, raw, v)
	case reflect.Slice:
		d.list(path, raw, v, o)
	default:
		d.fail(path, "type", "%s类型不受支持", fieldName(path))
	}
}

func (d *decoder) fixed(path string, raw []byte, v reflect.Value, decimals int, limit int64, want string, o opts) {
	n, err := unmarshalFixed(raw, decimals, limit)
	switch {
	case err != nil:
		d.fail(path, "number", "%s%s", fieldName(path), want)
	case o.nonneg && n < 0:
		d.fail(path, "negative", "%s不能为负数", fieldName(path))
	case o.positive && n <= 0:
		d.fail(path, "positive", "%s应大于0", fieldName(path))
	default:
		v.SetInt(n)
	}
}

func (d *decoder) integer(path string, raw []byte, v reflect.Value, o opts) {
	s, ok := unquoteNumber(raw)
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case !ok || err != nil || n > 1<<40 || n < -(1<<40):
		d.fail(path, "integer", "%s应为整数", fieldName(path))
	case o.nonneg && n < 0:
		d.fail(path, "negative", "%s不能为负数", fieldName(path))
	default:
		v.SetInt(n)
	}
}

func (d *decoder) str(path string, raw []byte, v reflect.Value, o opts) {
	var s string
	switch c := raw[0]; {
	case c == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw):
		s = string(raw[1 : len(raw)-1]) // well-formed JSON without escapes: the text itself
	case c == '"':
		if err := json.Unmarshal(raw, &s); err != nil {
			d.fail(path, "string", "%s应为字符串", fieldName(path))
			return
		}
	case c == '-' || (c >= '0' && c <= '9'):
		s = string(raw) // a code sent as a number, e.g. "psn_no": 37080012
	default:
		d.fail(path, "string", "%s应为字符串", fieldName(path))
		return
	}
	if strings.TrimSpace(s) == "" {
		if o.required {
			d.fail(path, "required", "%s不能为空", fieldName(path))
		}
		return
	}
	if msg := checkString(s, o); msg != "" {
		d.fail(path, "format", "%s%s", fieldName(path), msg)
		return
	}
	v.SetString(s)
}

// checkString returns what is wrong with s under o, or "".
func checkString(s string, o opts) string {
	limit := o.max
	if limit == 0 {
		limit = maxString
	}
	switch {
	case utf8.RuneCountInString(s) > limit:
		return "长度不能超过" + strconv.Itoa(limit) + "个字符"
	case o.date:
		if _, err := ParseDate(s); err != nil {
			return "格式应为yyyy-MM-dd"
		}
	case o.time:
		if _, err := ParseDateTime(s); err != nil {
			return "格式应为yyyy-MM-dd HH:mm:ss"
		}
	case o.admvs:
		if !isAdmvs(s) {
			return "应为6位数字的行政区划代码"
		}
	}
	return ""
}

func isAdmvs(s string) bool { return len(s) == 6 && allDigits(s) }

func (d *decoder) object(path string, raw []byte, v reflect.Value) {
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		d.fail(path, "object", "%s应为JSON对象", fieldName(path))
		return
	}
	for _, f := range fieldsOf(v.Type()) {
		d.value(join(path, f.name), m[f.name], v.Field(f.index), f.opts)
	}
}

func (d *decoder) list(path string, raw []byte, v reflect.Value, o opts) {
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		d.fail(path, "array", "%s应为数组", fieldName(path))
		return
	}
	if len(items) == 0 {
		if o.required {
			d.fail(path, "required", "%s不能为空", fieldName(path))
		}
		return
	}
	if o.max > 0 && len(items) > o.max {
		d.fail(path, "too_many", "%s不能超过%d条", fieldName(path), o.max)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(items), len(items))
	for i, item := range items {
		p := path + "[" + strconv.Itoa(i) + "]"
		elem := s.Index(i)
		if len(bytes.TrimSpace(item)) == 0 || string(bytes.TrimSpace(item)) == "null" {
			d.fail(p, "required", "%s不能为空", fieldName(p))
			continue
		}
		d.value(p, item, elem, opts{})
	}
	v.Set(s)
}

func fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var fs []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		fs = append(fs, fieldInfo{name: name, index: i, opts: parseOpts(sf.Tag.Get("his"))})
	}
	fieldCache.Store(t, fs)
	return fs
}

func parseOpts(tag string) opts {
	var o opts
	for _, part := range strings.Split(tag, ",") {
		switch {
		case part == "required":
			o.required = true
		case part == "date":
			o.date = true
		case part == "time":
			o.time = true
		case part == "admvs":
			o.admvs = true
		case part == "nonneg":
			o.nonneg = true
		case part == "positive":
			o.positive = true
		case strings.HasPrefix(part, "max="):
			o.max, _ = strconv.Atoi(part[4:])
		}
	}
	return o
}
