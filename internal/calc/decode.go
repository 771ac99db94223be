package calc

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// invalid is an invalid request as the project's one field error (errs):
// Field is the JSON path of the offending field ("level",
// "dependants[0].birth_date", "[2].start" inside an array), and the message
// names it by its Chinese label, never by the key.
func invalid(path, format string, a ...any) *errs.Error {
	return errs.Field(path, "calc_invalid", "%s%s", Label(path), fmt.Sprintf(format, a...))
}

// obj reads one JSON object field by field, records which fields were read
// and keeps the first error, so that every message names its field.
type obj struct {
	path string
	m    map[string]any
	used map[string]bool
	err  error
}

func newObj(path string, v any) (*obj, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(path, "应为 JSON 对象")
	}
	return &obj{path: path, m: m, used: map[string]bool{}}, nil
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	if name != "" && name[0] == '[' {
		return path + name
	}
	return path + "." + name
}

func (o *obj) field(name string) string { return join(o.path, name) }

func (o *obj) fail(name, format string, a ...any) {
	if o.err == nil {
		o.err = invalid(o.field(name), format, a...)
	}
}

// get returns the raw value; missing and null are "absent".
func (o *obj) get(name string, required bool) (any, bool) {
	o.used[name] = true
	v, ok := o.m[name]
	if !ok || v == nil {
		if required {
			o.fail(name, "为必填项")
		}
		return nil, false
	}
	return v, true
}

func (o *obj) has(name string) bool { v, ok := o.m[name]; return ok && v != nil }

func (o *obj) str(name string, required bool) string {
	v, ok := o.get(name, required)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		o.fail(name, "应为字符串")
	}
	return s
}

func (o *obj) boolean(name string) bool {
	v, ok := o.get(name, false)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		o.fail(name, "应为 true 或 false")
	}
	return b
}

func (o *obj) integer(name string, required bool, lo, hi int) int {
	v, ok := o.get(name, required)
	if !ok {
		return 0
	}
	num, isNum := v.(json.Number)
	n, err := strconv.Atoi(string(num))
	if !isNum || err != nil {
		o.fail(name, "应为整数")
		return 0
	}
	if n < lo || n > hi {
		o.fail(name, "应在 %d–%d 之间（收到 %d）", lo, hi, n)
	}
	return n
}

func (o *obj) money(name string, required bool) int64 {
	v, ok := o.get(name, required)
	if !ok {
		return 0
	}
	s, isStr := v.(string)
	if !isStr {
		o.fail(name, "金额应为字符串，如 \"6000.00\"")
		return 0
	}
	fen, err := param.ParseMoney(s)
	if err != nil {
		o.fail(name, "%v", err)
	}
	return fen
}

func (o *obj) decimal(name string, required bool) *big.Rat {
	s := o.str(name, required)
	if s == "" || o.err != nil {
		return new(big.Rat)
	}
	r, err := param.ParseDecimal(s)
	if err != nil {
		o.fail(name, "%v", err)
		return new(big.Rat)
	}
	return r
}

func (o *obj) date(name string, required bool) time.Time {
	s := o.str(name, required)
	if s == "" {
		if o.has(name) {
			o.fail(name, "日期不能为空")
		}
		return time.Time{}
	}
	t, err := param.ParseDate(s)
	if err != nil {
		o.fail(name, "%v", err)
	}
	return t
}

func (o *obj) oneOf(name, def string, allowed ...string) string {
	s := o.str(name, false)
	if s == "" && !o.has(name) {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	o.fail(name, "应为 %s 之一（收到“%s”）", strings.Join(allowed, "、"), s)
	return def
}

// objects returns the elements of an array of objects.
func (o *obj) objects(name string) []*obj {
	v, ok := o.get(name, false)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		o.fail(name, "应为数组")
		return nil
	}
	if len(arr) > 50 {
		o.fail(name, "最多 50 项")
		return nil
	}
	out := make([]*obj, 0, len(arr))
	for i, el := range arr {
		sub, err := newObj(o.field(name)+"["+strconv.Itoa(i)+"]", el)
		if err != nil {
			if o.err == nil {
				o.err = err
			}
			return nil
		}
		out = append(out, sub)
	}
	return out
}

// strings returns a string-valued object field as a map (params).
func (o *obj) strings(name string) map[string]string {
	v, ok := o.get(name, false)
	if !ok {
		return nil
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		o.fail(name, "应为 JSON 对象")
		return nil
	}
	out := map[string]string{}
	for k, x := range m {
		s, isStr := x.(string)
		if !isStr {
			o.fail(name+"."+k, "应为字符串")
			return nil
		}
		out[k] = s
	}
	return out
}

// done reports the first error, or the first unknown field (sorted).
func (o *obj) done() error {
	if o.err != nil {
		return o.err
	}
	var unknown []string
	for k := range o.m {
		if !o.used[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return errs.Field(o.field(unknown[0]), "calc_unknown_field", "请求中有未知字段“%s”", o.field(unknown[0]))
	}
	return nil
}

// child folds a nested object's error into the parent.
func (o *obj) child(c *obj) {
	if err := c.done(); err != nil && o.err == nil {
		o.err = err
	}
}
