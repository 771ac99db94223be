package his

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gongshang/internal/errs"
)

// The transaction numbers (infno).
const (
	InfnoSignIn           = "9001"
	InfnoPerson           = "1101"
	InfnoAdmission        = "2401"
	InfnoDischarge        = "2402"
	InfnoCancelAdmission  = "2404"
	InfnoFeeUpload        = "2301"
	InfnoCancelLines      = "2302"
	InfnoPreSettle        = "2303"
	InfnoSettle           = "2304"
	InfnoCancelSettlement = "2305"
	InfnoReversal         = "2601"
	InfnoAudit            = "3101"
	InfnoReconcileTotals  = "3201"
	InfnoReconcileLines   = "3202"
)

// Transactions lists the supported transactions in the doc's order, for
// documentation and the back office.
var Transactions = []struct{ Infno, Name string }{
	{InfnoSignIn, "签到"},
	{InfnoPerson, "人员信息获取"},
	{InfnoAdmission, "入院办理"},
	{InfnoDischarge, "出院办理"},
	{InfnoCancelAdmission, "入院撤销"},
	{InfnoFeeUpload, "费用明细上传"},
	{InfnoCancelLines, "费用明细撤销"},
	{InfnoPreSettle, "预结算"},
	{InfnoSettle, "结算"},
	{InfnoCancelSettlement, "结算撤销"},
	{InfnoReversal, "冲正交易"},
	{InfnoAudit, "明细审核"},
	{InfnoReconcileTotals, "对总账"},
	{InfnoReconcileLines, "对明细账"},
}

// TransactionName is the Chinese name of infno, or "" if unsupported.
func TransactionName(infno string) string {
	for _, t := range Transactions {
		if t.Infno == infno {
			return t.Name
		}
	}
	return ""
}

// NamesPerson reports whether infno's input names an insured person
// (psn_no), so the envelope must carry insuplc_admdvs.
func NamesPerson(infno string) bool {
	switch infno {
	case InfnoSignIn, InfnoPerson, InfnoReconcileTotals, InfnoReconcileLines:
		return false
	}
	return TransactionName(infno) != ""
}

// Request is the envelope a HIS posts. The fields are strings as in the
// national spec; ParseRequest also takes numbers for them.
type Request struct {
	Infno          string          `json:"infno"`
	Msgid          string          `json:"msgid"`
	MdtrtareaAdmvs string          `json:"mdtrtarea_admvs"`
	InsuplcAdmdvs  string          `json:"insuplc_admdvs"`
	RecerSysCode   string          `json:"recer_sys_code"`
	DevNo          string          `json:"dev_no"`
	DevSafeInfo    string          `json:"dev_safe_info" his:"max=4000"`
	Cainfo         string          `json:"cainfo" his:"max=20000"`
	Signtype       string          `json:"signtype"`
	Infver         string          `json:"infver"`
	OpterType      string          `json:"opter_type"`
	Opter          string          `json:"opter"`
	OpterName      string          `json:"opter_name"`
	InfTime        string          `json:"inf_time"`
	FixmedinsCode  string          `json:"fixmedins_code"`
	FixmedinsName  string          `json:"fixmedins_name"`
	SignNo         string          `json:"sign_no"`
	Input          json.RawMessage `json:"input"`
}

// MaxMsgid is the longest msgid.
const MaxMsgid = 30

// ParseRequest reads and checks an envelope. It does not decode input:
// Decode does, by infno. Every refusal is an errs.Invalid error naming
// the field.
func ParseRequest(body []byte) (Request, error) {
	var req Request
	if !json.Valid(body) || firstByte(body) != '{' {
		return Request{}, errs.Field("body", "json", MsgNotJSON)
	}
	var d decoder
	d.object("", body, reflect.ValueOf(&req).Elem())
	if d.err() == nil {
		checkEnvelope(&d, &req)
	}
	if err := d.err(); err != nil {
		return Request{}, err
	}
	return req, nil
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

func checkEnvelope(d *decoder, r *Request) {
	switch {
	case r.Infno == "":
		d.fail("infno", "required", "%s不能为空", fieldName("infno"))
	case TransactionName(r.Infno) == "":
		d.fail("infno", "unknown", "%s", MsgUnknownInfno)
	}
	checkMsgid(d, "msgid", r.Msgid)
	if len(r.FixmedinsCode) != 12 || !isCode(r.FixmedinsCode) {
		d.fail("fixmedins_code", "format", "%s应为12位字母或数字", fieldName("fixmedins_code"))
	}
	if r.InfTime != "" {
		if _, err := ParseDateTime(r.InfTime); err != nil {
			d.fail("inf_time", "format", "%s格式应为yyyy-MM-dd HH:mm:ss", fieldName("inf_time"))
		}
	}
	checkRegion(d, "mdtrtarea_admvs", r.MdtrtareaAdmvs, false)
	checkRegion(d, "insuplc_admdvs", r.InsuplcAdmdvs, NamesPerson(r.Infno))
	switch r.OpterType {
	case "", "1", "2", "3":
	default:
		d.fail("opter_type", "enum", "%s应为1（经办人）、2（自助终端）或3（移动终端）", fieldName("opter_type"))
	}
	if firstByte(r.Input) != '{' {
		if len(r.Input) == 0 {
			d.fail("input", "required", "%s不能为空", fieldName("input"))
		} else {
			d.fail("input", "object", "%s应为JSON对象", fieldName("input"))
		}
	}
}

func checkMsgid(d *decoder, field, s string) {
	switch {
	case s == "":
		d.fail(field, "required", "%s不能为空", fieldName(field))
	case len(s) > MaxMsgid:
		d.fail(field, "too_long", "%s长度不能超过%d个字符", fieldName(field), MaxMsgid)
	case !isVisibleASCII(s):
		d.fail(field, "format", "%s只能包含可见ASCII字符", fieldName(field))
	}
}

func checkRegion(d *decoder, field, s string, required bool) {
	switch {
	case s == "" && required:
		d.fail(field, "required", "%s不能为空（由1101人员信息获取返回）", fieldName(field))
	case s != "" && !isAdmvs(s):
		d.fail(field, "format", "%s应为6位数字的行政区划代码", fieldName(field))
	}
}

func isVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

func isCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// Response is the envelope the server answers.
type Response struct {
	Infcode     int             `json:"infcode"`
	InfRefmsgid string          `json:"inf_refmsgid"`
	RefmsgTime  string          `json:"refmsg_time"`
	RespondTime string          `json:"respond_time"`
	ErrMsg      string          `json:"err_msg"`
	WarnMsg     string          `json:"warn_msg"`
	Output      json.RawMessage `json:"output"`
}

// The infcode values.
const (
	InfcodeOK   = 0
	InfcodeFail = -1
)

var emptyObject = json.RawMessage(`{}`)

// MarshalJSON writes output as {} when it is empty (Encode).
func (r Response) MarshalJSON() ([]byte, error) { return r.Encode() }

// Success answers req with infcode 0 and output marshalled (nil gives {}).
func Success(req Request, output any, warn string, now time.Time) (Response, error) {
	r := reply(req, now)
	r.WarnMsg = warn
	if output != nil {
		b, err := json.Marshal(output)
		if err != nil {
			return Response{}, fmt.Errorf("his: marshal %s output: %w", req.Infno, err)
		}
		if string(b) != "null" {
			r.Output = b
		}
	}
	return r, nil
}

// head is a Response without its output, for Encode.
type head struct {
	Infcode     int    `json:"infcode"`
	InfRefmsgid string `json:"inf_refmsgid"`
	RefmsgTime  string `json:"refmsg_time"`
	RespondTime string `json:"respond_time"`
	ErrMsg      string `json:"err_msg"`
	WarnMsg     string `json:"warn_msg"`
}

// Encode writes the envelope, output as {} when it is empty, without
// encoding/json's further passes over the output (a RawMessage or a
// Marshaler's result is validated and compacted again: for 40 fee lines
// that was most of the answer's cost, spent under the store's write
// lock). r.Output must be compact JSON as json.Marshal writes it, as
// Success and Failure make it; json.Marshal(r) writes the same bytes.
func (r Response) Encode() ([]byte, error) {
	b, err := json.Marshal(head{r.Infcode, r.InfRefmsgid, r.RefmsgTime, r.RespondTime, r.ErrMsg, r.WarnMsg})
	if err != nil {
		return nil, err
	}
	out := r.Output
	if len(out) == 0 || string(out) == "null" {
		out = emptyObject
	}
	b = append(b[:len(b)-1], `,"output":`...)
	b = append(b, out...)
	return append(b, '}'), nil
}

// Failure answers req with infcode -1, msg as err_msg and output {}.
func Failure(req Request, msg string, now time.Time) Response {
	r := reply(req, now)
	r.Infcode = InfcodeFail
	r.ErrMsg = msg
	return r
}

func reply(req Request, now time.Time) Response {
	return Response{
		InfRefmsgid: req.Msgid,
		RefmsgTime:  req.InfTime,
		RespondTime: FormatRespondTime(now),
		Output:      emptyObject,
	}
}
