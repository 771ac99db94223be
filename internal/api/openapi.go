package api

import (
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// apiDoc describes one API operation for the OpenAPI document. Schemas
// are derived from the Go types the handler really decodes and encodes.
type apiDoc struct {
	Summary  string
	Tag      string
	Query    []string      // query parameter names
	List     *web.ListSpec // a list's query (filters, sort, paging), documented from its spec
	Request  any           // value of the body type, nil for none
	Response any           // value of the success body type
	Status   int           // success status

	Params    []any             // further query parameters, documented in full
	Multipart map[string]any    // the schema of a multipart/form-data body, instead of Request
	Binary    string            // the content type of a success body of bytes, instead of Response
	Path      map[string]string // descriptions of path parameters
}

var (
	docLogin          = &apiDoc{Summary: "登录，返回CSRF令牌（会话由Cookie携带）", Tag: "会话", Request: loginRequest{}, Response: sessionBody{}, Status: 201}
	docLogout         = &apiDoc{Summary: "退出登录", Tag: "会话", Status: 204}
	docMe             = &apiDoc{Summary: "当前用户及权限", Tag: "会话", Response: meBody{}, Status: 200}
	docRegions        = &apiDoc{Summary: "管辖范围内的行政区划", Tag: "基础信息", Response: web.ListBody[registry.Region]{}, Status: 200}
	docIndustries     = &apiDoc{Summary: "国民经济行业大类及工伤风险类别", Tag: "基础信息", Response: web.ListBody[registry.Industry]{}, Status: 200}
	docEmployerList   = &apiDoc{Summary: "查询用人单位（筛选、排序、分页同经办平台列表）", Tag: "用人单位", List: web.EmployerListSpec("/api/v1/employers", nil), Response: web.ListBody[registry.Employer]{}, Status: 200}
	docEmployerCreate = &apiDoc{Summary: "登记用人单位", Tag: "用人单位", Request: employerInput{}, Response: registry.Employer{}, Status: 201}
	docEmployerGet    = &apiDoc{Summary: "用人单位详情", Tag: "用人单位", Response: registry.Employer{}, Status: 200}
	docEmployerUpdate = &apiDoc{Summary: "修改用人单位（只改给出的字段）", Tag: "用人单位", Request: registry.EmployerUpdate{}, Response: registry.Employer{}, Status: 200}
	docWorkerList     = &apiDoc{Summary: "查询职工（个人信息脱敏；筛选、排序、分页同经办平台列表）", Tag: "职工", List: web.WorkerListSpec("/api/v1/workers", "employer_id", nil, true), Response: web.ListBody[registry.Worker]{}, Status: 200}
	docWorkerCreate   = &apiDoc{Summary: "登记职工及劳动关系", Tag: "职工", Request: workerInput{}, Response: registry.Worker{}, Status: 201}
	docWorkerGet      = &apiDoc{Summary: "职工详情（无权限时脱敏）", Tag: "职工", Response: registry.Worker{}, Status: 200}
	docWorkerUpdate   = &apiDoc{Summary: "修改职工联系方式和银行账户", Tag: "职工", Request: registry.WorkerUpdate{}, Response: registry.Worker{}, Status: 200}
	docEmployments    = &apiDoc{Summary: "职工的劳动关系", Tag: "职工", Response: web.ListBody[registry.Employment]{}, Status: 200}
	docEmploymentAdd  = &apiDoc{Summary: "新增劳动关系", Tag: "职工", Request: employmentInput{}, Response: registry.Employment{}, Status: 201}
	docWages          = &apiDoc{Summary: "职工月缴费工资", Tag: "职工", Response: web.ListBody[registry.Wage]{}, Status: 200}
	docWagesRecord    = &apiDoc{Summary: "登记或更正月缴费工资（按月覆盖）", Tag: "职工", Request: wagesInput{}, Response: web.ListBody[registry.Wage]{}, Status: 200}
	docImport         = &apiDoc{Summary: "批量导入（multipart：kind=employers|workers|wages、file、good_only）", Tag: "导入", Response: store.ImportRecord{}, Status: 201}
	docAudit          = &apiDoc{Summary: "审计日志", Tag: "审计", Query: []string{"object_type", "object_id", "actor", "action", "region", "from", "to", "offset", "limit"}, Response: web.ListBody[audit.Entry]{}, Status: 200}
	docCalc           = &apiDoc{Summary: "工伤待遇或法定时限计算（请求格式见 docs/calc.md，可为数组）", Tag: "待遇测算", Request: map[string]any{}, Response: map[string]any{}, Status: 200}
	docParams         = &apiDoc{Summary: "全部法定参数版本（含来源与可信度）", Tag: "法定参数", Response: web.ListBody[paramJSON]{}, Status: 200}
	docParamAdd       = &apiDoc{Summary: "新增参数版本（只增不改）", Tag: "法定参数", Request: paramJSON{}, Response: paramJSON{}, Status: 201}
	docUsers          = &apiDoc{Summary: "用户列表", Tag: "用户", Response: web.ListBody[access.User]{}, Status: 200}
	docUserCreate     = &apiDoc{Summary: "新建用户", Tag: "用户", Request: access.NewUser{}, Response: access.User{}, Status: 201}
)

// openapiDoc builds the OpenAPI 3 document from the route table.
func (s *Server) openapiDoc() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		if rt.doc == nil {
			continue
		}
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = operation(rt, path)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "济宁市工伤保险经办平台 API", "version": s.opt.Version},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": web.SessionCookie},
				"csrf":    map[string]any{"type": "apiKey", "in": "header", "name": web.CSRFHeader},
			},
			"schemas": map[string]any{"Error": schemaOf(reflect.TypeOf(web.ErrorBody{}))},
		},
	}
}

// textPathParams are the path parameters that are not numbers.
var textPathParams = map[string]bool{"number": true}

// queryText describes query parameters whose meaning needs words: the
// search box q of the lists (store.matchEmployers, store.matchWorkers).
var queryText = map[*apiDoc]map[string]string{
	docEmployerList: {"q": "检索词：完整的18位统一社会信用代码精确匹配（不区分大小写）；否则查找单位名称中任意位置含该文字的单位" +
		"（1个字时为名称开头），3个字符以上同时查找统一社会信用代码的任意片段（不区分大小写）。% _ \\ 按字面匹配。按名称排序。"},
	docWorkerList: {"q": "检索词：18位身份证号码（经密钥散列精确匹配，不解密）；身份证号码后4位（数字，末位可为X）；" +
		"否则查找姓名中任意位置含该文字的职工（1个字时为姓名开头，即姓氏）。% _ \\ 按字面匹配。按姓名排序，个人信息脱敏。"},
}

func operation(rt route, path string) map[string]any {
	d := rt.doc
	op := map[string]any{"summary": d.Summary, "tags": []string{d.Tag}, "operationId": strings.ReplaceAll(rt.Pattern, " ", "")}
	var params []any
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			name := strings.Trim(seg, "{}")
			p := map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": "integer", "minimum": 1}}
			if textPathParams[name] {
				p["schema"] = map[string]any{"type": "string"}
			}
			if text := d.Path[name]; text != "" {
				p["description"] = text
			}
			params = append(params, p)
		}
	}
	for _, q := range d.Query {
		p := map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}}
		if text := queryText[d][q]; text != "" {
			p["description"] = text
		}
		params = append(params, p)
	}
	if d.List != nil {
		params = append(params, listParams(d.List)...)
	}
	params = append(params, d.Params...)
	if params != nil {
		op["parameters"] = params
	}
	if d.Request != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(d.Request))}}}
	}
	if d.Multipart != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": d.Multipart}}}
	}
	ok := map[string]any{"description": "成功"}
	if d.Response != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(d.Response))}}
	}
	if d.Binary != "" {
		ok["content"] = map[string]any{d.Binary: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
	}
	errResp := map[string]any{"description": "错误（code 为稳定的错误代码，fields 指明出错字段）",
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	op["responses"] = map[string]any{strconv.Itoa(d.Status): ok, "4XX": errResp}
	if rt.Perm != "" {
		op["security"] = []any{map[string]any{"session": []string{}, "csrf": []string{}}}
		op["x-permission"] = string(rt.Perm)
	}
	return op
}

// listParams documents a list's query from its spec (web.ParseList):
// the search, each filter, sort and dir, page and size, and the offset
// and limit that override page and size.
func listParams(spec *web.ListSpec) []any {
	param := func(name, desc string, schema map[string]any) any {
		return map[string]any{"name": name, "in": "query", "description": desc, "schema": schema}
	}
	out := []any{param("q", "查询内容（单位名称、统一社会信用代码，或职工姓名、身份证号码）", map[string]any{"type": "string", "maxLength": web.MaxQueryRunes})}
	for _, f := range spec.Filters {
		sc := map[string]any{"type": "string"}
		desc := f.Label
		switch {
		case f.Date:
			sc["format"] = "date"
			desc += "（YYYY-MM-DD，北京时间的日期，含当日）"
		case f.ID:
			sc = map[string]any{"type": "integer", "minimum": 1}
			desc += "编号"
		case f.Key == "region":
			desc += "（行政区划代码，须在本人管辖范围内，见 /api/v1/regions）"
		case f.Choices != nil:
			var enum []string
			var names []string
			for _, c := range f.Choices {
				enum = append(enum, c.Value)
				names = append(names, c.Value+"="+c.Name)
			}
			sc["enum"] = enum
			if len(names) <= 8 {
				desc += "（" + strings.Join(names, "，") + "）"
			}
		}
		out = append(out, param(f.Key, desc, sc))
	}
	var keys, names []string
	for _, so := range spec.Sorts {
		keys = append(keys, so.Key)
		names = append(names, so.Key+"="+so.Label)
	}
	sizes := make([]int, len(web.PageSizes))
	copy(sizes, web.PageSizes)
	return append(out,
		param("sort", "排序（"+strings.Join(names, "，")+"；不给出时按地区、登记先后倒序；birth 仅限可查看完整个人信息的角色）", map[string]any{"type": "string", "enum": keys}),
		param("dir", "排序方向：asc 升序，desc 降序（默认为该列的首选方向）", map[string]any{"type": "string", "enum": []string{"asc", "desc"}}),
		param("page", "页码（从1开始）", map[string]any{"type": "integer", "minimum": 1, "maximum": web.MaxPage, "default": 1}),
		param("size", "每页条数", map[string]any{"type": "integer", "enum": sizes, "default": web.DefaultPageSize}),
		param("offset", "起始位置（与 limit 一起给出时代替 page 和 size）", map[string]any{"type": "integer", "minimum": 0}),
		param("limit", "每页条数（1至200，代替 size）", map[string]any{"type": "integer", "minimum": 1, "maximum": 200}))
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf derives a JSON schema from a Go type through its json tags, as
// encoding/json sees it: an embedded struct without a json name
// contributes its fields (the outer field wins a name clash).
//
// The rule for required: a property is listed in "required" when its json
// tag has neither omitempty nor omitzero, its Go type is not a pointer,
// and it carries no openapi:"optional" tag. Such a property is always in
// an answer; a request must send it. Pointers are the optional fields of
// a change (absent = unchanged); openapi:"optional" marks a field that
// every answer holds but a request may leave out.
func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if st, ok := reflect.Zero(t).Interface().(interface{ OpenAPIType() string }); ok {
		return map[string]any{"type": st.OpenAPIType()}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case t.Kind() == reflect.Struct:
		props := map[string]any{}
		var required []string
		for _, f := range jsonFields(t) {
			props[f.name] = schemaOf(f.typ)
			if f.required {
				required = append(required, f.name)
			}
		}
		sc := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if required != nil {
			sort.Strings(required)
			sc["required"] = required
		}
		return sc
	}
	return map[string]any{}
}

type jsonField struct {
	name     string
	typ      reflect.Type
	required bool
}

// jsonFields lists the JSON properties of a struct type, embedded structs
// flattened, outer names first.
func jsonFields(t reflect.Type) []jsonField {
	var out, inner []jsonField
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			inner = append(inner, jsonFields(ft)...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		// openapi:"required" marks a pointer the server requires (to tell
		// false from absent).
		optional := (strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,") ||
			f.Type.Kind() == reflect.Pointer || f.Tag.Get("openapi") == "optional") && f.Tag.Get("openapi") != "required"
		seen[name] = true
		out = append(out, jsonField{name: name, typ: f.Type, required: !optional})
	}
	for _, f := range inner {
		if !seen[f.name] {
			seen[f.name] = true
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request, rq *request) error {
	web.WriteJSON(w, http.StatusOK, s.openapiDoc())
	return nil
}
