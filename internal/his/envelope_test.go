package his

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// wantInvalid checks err is an errs.Invalid naming field in a message
// containing msg.
func wantInvalid(t *testing.T, err error, field, msg string) {
	t.Helper()
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("error %v (%T), want an *errs.Error of kind Invalid", err, err)
	}
	f, _ := errs.First(err)
	if f.Field != field {
		t.Errorf("field %q, want %q (message %s)", f.Field, field, e.Error())
	}
	if !strings.Contains(f.Message, msg) {
		t.Errorf("message %q, want it to contain %q", f.Message, msg)
	}
}

func TestParseRequestValid(t *testing.T) {
	for infno, in := range validInputs {
		req, err := ParseRequest([]byte(envelopeFor(infno, in)))
		if err != nil {
			t.Fatalf("%s: %v", infno, err)
		}
		if req.Infno != infno || req.Msgid != "H37081100001202612011000000001" || req.SignNo != "SN0001" {
			t.Errorf("%s: parsed %+v", infno, req)
		}
		if !json.Valid(req.Input) || req.Input[0] != '{' {
			t.Errorf("%s: input %s", infno, req.Input)
		}
	}
}

func TestParseRequestNumbersAsStrings(t *testing.T) {
	body := `{"infno":2304,"msgid":"M1","opter_type":1,"fixmedins_code":"H37081100001","insuplc_admdvs":370800,"input":{},"unknown":[1,2]}`
	req, err := ParseRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if req.Infno != "2304" || req.OpterType != "1" || req.InsuplcAdmdvs != "370800" {
		t.Errorf("parsed %+v", req)
	}
}

func TestParseRequestRefusals(t *testing.T) {
	base := map[string]any{"infno": "2304", "msgid": "M1", "fixmedins_code": "H37081100001", "insuplc_admdvs": "370800", "input": map[string]any{}}
	with := func(k string, v any) string {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, body, field, msg string
	}{
		{"not json", `{"infno":`, "body", "JSON对象"},
		{"array", `[1]`, "body", "JSON对象"},
		{"no infno", with("infno", nil), "infno", "infno（交易编号）不能为空"},
		{"unknown infno", with("infno", "2999"), "infno", "不是本平台支持的交易"},
		{"infno bool", with("infno", true), "infno", "应为字符串"},
		{"no msgid", with("msgid", nil), "msgid", "msgid（报文ID）不能为空"},
		{"empty msgid", with("msgid", ""), "msgid", "msgid（报文ID）不能为空"},
		{"long msgid", with("msgid", strings.Repeat("9", 31)), "msgid", "不能超过30个字符"},
		{"msgid space", with("msgid", "M 1"), "msgid", "可见ASCII"},
		{"msgid chinese", with("msgid", "报文1"), "msgid", "可见ASCII"},
		{"fixmedins short", with("fixmedins_code", "H3708"), "fixmedins_code", "fixmedins_code（定点医药机构编号）应为12位"},
		{"fixmedins missing", with("fixmedins_code", nil), "fixmedins_code", "应为12位"},
		{"inf_time format", with("inf_time", "2026-12-01T10:00:00"), "inf_time", "inf_time（交易时间）格式应为yyyy-MM-dd HH:mm:ss"},
		{"inf_time day", with("inf_time", "2026-02-30 10:00:00"), "inf_time", "格式应为"},
		{"mdtrtarea 5", with("mdtrtarea_admvs", "37081"), "mdtrtarea_admvs", "6位数字"},
		{"insuplc letters", with("insuplc_admdvs", "37080X"), "insuplc_admdvs", "6位数字"},
		{"insuplc missing for a person", with("insuplc_admdvs", nil), "insuplc_admdvs", "insuplc_admdvs（参保地医保区划）不能为空"},
		{"opter_type 4", with("opter_type", 4), "opter_type", "opter_type（经办人类别）应为1"},
		{"long cainfo", with("cainfo", strings.Repeat("x", 20001)), "cainfo", "不能超过20000个字符"},
		{"no input", with("input", nil), "input", "input（交易输入）不能为空"},
		{"input array", with("input", []int{1}), "input", "应为JSON对象"},
		{"input string", with("input", "{}"), "input", "应为JSON对象"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRequest([]byte(tt.body))
			wantInvalid(t, err, tt.field, tt.msg)
		})
	}
}

func TestParseRequestSignInNeedsNoRegion(t *testing.T) {
	body := `{"infno":"9001","msgid":"M1","fixmedins_code":"H37081100001","input":{"signIn":{"opter_no":"1"}}}`
	if _, err := ParseRequest([]byte(body)); err != nil {
		t.Fatal(err)
	}
}

var at = time.Date(2026, 12, 1, 2, 0, 1, 234_000_000, time.UTC) // 10:00:01.234 in CST

func TestFailure(t *testing.T) {
	req := Request{Infno: "2304", Msgid: "M1", InfTime: "2026-12-01 10:00:00"}
	b, err := json.Marshal(Failure(req, MsgDuplicateMsgid, at))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"infcode":-1,"inf_refmsgid":"M1","refmsg_time":"2026-12-01 10:00:00","respond_time":"20261201100001234","err_msg":"报文ID重复：同一报文ID的请求内容不同","warn_msg":"","output":{}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestSuccessEmptyOutputs(t *testing.T) {
	for _, out := range []any{nil, Empty{}, struct{}{}} {
		r, err := Success(Request{Msgid: "M"}, out, "", at)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(r)
		if !bytes.Contains(b, []byte(`"output":{}`)) || !bytes.Contains(b, []byte(`"infcode":0`)) {
			t.Errorf("%T: %s", out, b)
		}
	}
	b, _ := json.Marshal(Response{})
	if !bytes.Contains(b, []byte(`"output":{}`)) {
		t.Errorf("zero response: %s", b)
	}
	b, _ = json.Marshal(AuditOutput{})
	if string(b) != `{"result":[]}` {
		t.Errorf("empty audit output: %s", b)
	}
}

func TestSuccessMarshalError(t *testing.T) {
	if _, err := Success(Request{}, func() {}, "", at); err == nil {
		t.Fatal("marshalling a func succeeded")
	}
}

// The golden 2304 answer: what a HIS adapter parses.
func TestSettleGolden(t *testing.T) {
	req := Request{Infno: InfnoSettle, Msgid: "H37081100001202612011000000001", InfTime: "2026-12-01 10:00:00"}
	out := SettleOutput{
		Setlinfo: SetlInfo{SetlID: "ST2026000001", MdtrtID: "MD2026000001", PsnNo: "37080000000001", PsnName: "张三",
			Insutype: "410", MedType: "42", SetlTime: "2026-12-01 10:00:01", MedfeeSumamt: 6550, FulamtOwnpayAmt: 500,
			OverlmtSelfpay: 30, InscpScpAmt: 6020, FundPaySumamt: 5020, PsnCashPay: 1530, AcctPay: 0,
			ClrOptins: "370811", ClrWay: "1", ClrType: "21"},
		Setldetail: []SetlDetail{{FundPayType: FundPayTypeInjury, FundPayTypeName: "工伤保险基金", InscpScpAmt: 6020, FundPayamt: 5020}},
		Auditinfo: []Finding{{RuleID: "R-STAY", RuleName: "住院期间外收费", VolaCont: "费用发生时间在住院期间外", VolaAmt: 1000,
			SevDeg: SevDefinite, VolaEvid: "fee_ocur_time 2026-11-20 10:00:00 早于入院时间", VolaBhvrType: "1", FeedetlSn: "7"}},
	}
	r, err := Success(req, out, "", at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "settle_2304.golden")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("2304 envelope differs from %s (run with -update):\n%s", golden, got)
	}
	// A 2303 output has no setl_id.
	out.Setlinfo.SetlID = ""
	b, _ := json.Marshal(out)
	if bytes.Contains(b, []byte("setl_id")) {
		t.Errorf("2303 output names setl_id: %s", b)
	}
}

func TestTransactions(t *testing.T) {
	if len(Transactions) != 14 || len(newInput) != 14 {
		t.Fatalf("%d transactions, %d inputs", len(Transactions), len(newInput))
	}
	for _, tx := range Transactions {
		if newInput[tx.Infno] == nil || validInputs[tx.Infno] == "" || tx.Name == "" {
			t.Errorf("%s %s: no input, seed or name", tx.Infno, tx.Name)
		}
	}
}

// Encode writes what the envelope's marshalling wrote before it, byte for
// byte (output {} when empty): answers archived before and after it
// replay alike.
func TestEncodeIsMarshal(t *testing.T) {
	type plain Response
	before := func(r Response) ([]byte, error) {
		p := plain(r)
		if len(p.Output) == 0 || string(p.Output) == "null" {
			p.Output = emptyObject
		}
		return json.Marshal(p)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	req := Request{Infno: InfnoSettle, Msgid: "H37080200001202612011000000001", InfTime: "2026-12-01 18:00:00"}
	ok, err := Success(req, map[string]any{"setlinfo": map[string]any{"psn_name": "张<三>&", "fund_pay_sumamt": Amount(12345)}, "list": []int{1, 2}}, "警告：<b>", now)
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := Success(req, nil, "", now)
	for _, r := range []Response{ok, empty, Failure(req, "input.data.psn_no（人员编号）不存在 \"x\"", now), {Output: nil}, {Output: json.RawMessage("null")}} {
		want, err := before(r)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := json.Marshal(r); err != nil || string(m) != string(want) {
			t.Errorf("json.Marshal: %s, %v", m, err)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("Encode:\n%s\nwant\n%s", got, want)
		}
	}
}
