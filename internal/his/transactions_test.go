package his

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"gongshang/internal/errs"
)

func TestDecodeValid(t *testing.T) {
	for infno, in := range validInputs {
		v, err := Decode(infno, json.RawMessage(in))
		if err != nil {
			t.Fatalf("%s: %v", infno, err)
		}
		if v == nil {
			t.Fatalf("%s: nil input", infno)
		}
	}
}

func TestDecodeValues(t *testing.T) {
	v, err := Decode(InfnoFeeUpload, json.RawMessage(validInputs[InfnoFeeUpload]))
	if err != nil {
		t.Fatal(err)
	}
	in := v.(*FeeInput)
	l0, l1 := in.Feedetail[0], in.Feedetail[1]
	if l0.Pric != 1250 || l0.Cnt != 2*QtyUnit || l0.DetItemFeeSumamt != 2500 || l1.FeedetlSn != "2" || l1.Cnt != QtyUnit || l1.Pric != 4000 {
		t.Errorf("decoded %+v %+v", l0, l1)
	}
	v, err = Decode(InfnoSettle, json.RawMessage(validInputs[InfnoSettle]))
	if err != nil {
		t.Fatal(err)
	}
	if s := v.(*SettleInput).Data; s.Insutype != "410" || s.MedfeeSumamt != 6500 {
		t.Errorf("decoded %+v", s)
	}
	v, err = Decode(InfnoReconcileTotals, json.RawMessage(validInputs[InfnoReconcileTotals]))
	if err != nil {
		t.Fatal(err)
	}
	if r := v.(*ReconcileTotalsInput).Data; r.FixmedinsSetlCnt != 3 || r.FundPaySumamt != 90000 {
		t.Errorf("decoded %+v", r)
	}
}

// A general admission (21) is read as work-injury inpatient (42), in 2401 and on fee lines.
func TestDecodeMedType21(t *testing.T) {
	in := strings.Replace(validInputs[InfnoAdmission], `"med_type":"42"`, `"med_type":"21"`, 1)
	v, err := Decode(InfnoAdmission, json.RawMessage(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(*AdmissionInput).Mdtrtinfo.MedType; got != MedTypeInpatient {
		t.Errorf("med_type %s, want 42", got)
	}
	in = strings.Replace(validInputs[InfnoFeeUpload], `"med_type":"42"`, `"med_type":21`, 1)
	v, err = Decode(InfnoFeeUpload, json.RawMessage(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(*FeeInput).Feedetail[0].MedType; got != MedTypeInpatient {
		t.Errorf("line med_type %s, want 42", got)
	}
}

func TestDecodeRefusals(t *testing.T) {
	feeLine := func(sn, psn, extra string) string {
		return `{"feedetl_sn":"` + sn + `","mdtrt_id":"MD1","psn_no":"` + psn + `","fee_ocur_time":"2026-11-28 10:00:00","med_list_codg":"X","det_item_fee_sumamt":1,"cnt":1,"pric":1` + extra + `}`
	}
	fee := func(lines ...string) string { return `{"feedetail":[` + strings.Join(lines, ",") + `]}` }
	replace := func(infno, old, new string) string {
		s := validInputs[infno]
		if !strings.Contains(s, old) {
			panic("seed lacks " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
	tests := []struct {
		name, infno, input, field, msg string
	}{
		{"input null", InfnoSignIn, `null`, "input", "input（交易输入）不能为空"},
		{"input array", InfnoSignIn, `[]`, "input", "应为JSON对象"},
		{"unknown infno", "1234", `{}`, "infno", "不是本平台支持的交易"},
		{"no signIn", InfnoSignIn, `{}`, "input.signIn", "input.signIn（签到信息）不能为空"},
		{"no opter_no", InfnoSignIn, `{"signIn":{"mac":"x"}}`, "input.signIn.opter_no", "input.signIn.opter_no（操作员编号）不能为空"},
		{"1101 cert type", InfnoPerson, replace(InfnoPerson, `"mdtrt_cert_type":"02"`, `"mdtrt_cert_type":"09"`), "input.data.mdtrt_cert_type", "02居民身份证"},
		{"1101 cert no", InfnoPerson, replace(InfnoPerson, `"mdtrt_cert_no":"370811199001011234"`, `"mdtrt_cert_no":""`), "input.data.mdtrt_cert_no", "不能为空"},
		{"1101 psn cert type", InfnoPerson, replace(InfnoPerson, `"psn_cert_type":"01"`, `"psn_cert_type":"1"`), "input.data.psn_cert_type", "2位代码"},
		{"2401 insutype", InfnoAdmission, replace(InfnoAdmission, `"insutype":"410"`, `"insutype":"310"`), "input.mdtrtinfo.insutype", "险种类型应为410工伤保险"},
		{"2401 med_type", InfnoAdmission, replace(InfnoAdmission, `"med_type":"42"`, `"med_type":"11"`), "input.mdtrtinfo.med_type", "42工伤住院"},
		{"2401 begntime", InfnoAdmission, replace(InfnoAdmission, `"begntime":"2026-11-28 09:30:00"`, `"begntime":"2026-11-28"`), "input.mdtrtinfo.begntime", "input.mdtrtinfo.begntime（开始时间）格式应为yyyy-MM-dd HH:mm:ss"},
		{"2401 no psn_no", InfnoAdmission, replace(InfnoAdmission, `"psn_no":"37080000000001","insutype"`, `"insutype"`), "input.mdtrtinfo.psn_no", "人员编号）不能为空"},
		{"2401 no ipt_no", InfnoAdmission, replace(InfnoAdmission, `"ipt_no":"ZY2026001"`, `"ipt_no":null`), "input.mdtrtinfo.ipt_no", "住院号）不能为空"},
		{"2401 no diseinfo", InfnoAdmission, replace(InfnoAdmission, `"diseinfo":[`, `"diseinfo":[],"x":[`), "input.diseinfo", "诊断信息）不能为空"},
		{"2401 diag psn", InfnoAdmission, replace(InfnoAdmission, `[{"psn_no":"37080000000001"`, `[{"psn_no":"1"`), "input.diseinfo[0].psn_no", "不一致"},
		{"2401 diag time", InfnoAdmission, replace(InfnoAdmission, `"diag_time":"2026-11-28 09:30:00"`, `"diag_time":"yesterday"`), "input.diseinfo[0].diag_time", "格式应为"},
		{"2401 diag type", InfnoAdmission, replace(InfnoAdmission, `"diag_type":"1"`, `"diag_type":"7"`), "input.diseinfo[0].diag_type", "1西医诊断"},
		{"2401 mdtrtinfo string", InfnoAdmission, `{"mdtrtinfo":"x","diseinfo":[]}`, "input.mdtrtinfo", "应为JSON对象"},
		{"2401 psn_no object", InfnoAdmission, replace(InfnoAdmission, `"psn_no":"37080000000001","insutype"`, `"psn_no":{},"insutype"`), "input.mdtrtinfo.psn_no", "应为字符串"},
		{"2402 endtime", InfnoDischarge, replace(InfnoDischarge, `"endtime":"2026-12-01 10:00:00"`, `"endtime":"2026-12-01 25:00:00"`), "input.dscginfo.endtime", "格式应为"},
		{"2402 insutype", InfnoDischarge, replace(InfnoDischarge, `"insutype":"410"`, `"insutype":"390"`), "input.dscginfo.insutype", "410"},
		{"2404 no mdtrt_id", InfnoCancelAdmission, `{"data":{"psn_no":"1"}}`, "input.data.mdtrt_id", "就诊ID）不能为空"},
		{"2301 empty", InfnoFeeUpload, `{"feedetail":[]}`, "input.feedetail", "费用明细）不能为空"},
		{"2301 not list", InfnoFeeUpload, `{"feedetail":{}}`, "input.feedetail", "应为数组"},
		{"2301 null line", InfnoFeeUpload, fee(feeLine("1", "P", ""), `null`), "input.feedetail[1]", "不能为空"},
		{"2301 fee time", InfnoFeeUpload, fee(feeLine("1", "P", ""), feeLine("2", "P", ""), feeLine("3", "P", ""), strings.Replace(feeLine("4", "P", ""), "2026-11-28 10:00:00", "2026-11-28 10:00", 1)),
			"input.feedetail[3].fee_ocur_time", "input.feedetail[3].fee_ocur_time（费用发生时间）格式应为yyyy-MM-dd HH:mm:ss"},
		{"2301 dup sn", InfnoFeeUpload, fee(feeLine("1", "P", ""), feeLine("1", "P", "")), "input.feedetail[1].feedetl_sn", "与第1条明细重复"},
		{"2301 sn 0000", InfnoFeeUpload, fee(feeLine("0000", "P", "")), "input.feedetail[0].feedetl_sn", "不能为0000"},
		{"2301 psn differs", InfnoFeeUpload, fee(feeLine("1", "P", ""), feeLine("2", "Q", "")), "input.feedetail[1].psn_no", "一名人员"},
		{"2301 mdtrt differs", InfnoFeeUpload, fee(feeLine("1", "P", ""), strings.Replace(feeLine("2", "P", ""), "MD1", "MD2", 1)), "input.feedetail[1].mdtrt_id", "一次就诊"},
		{"2301 cnt zero", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `"cnt":1`, `"cnt":"0.0000"`, 1)), "input.feedetail[0].cnt", "数量）应大于0"},
		{"2301 cnt decimals", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `"cnt":1`, `"cnt":1.23456`, 1)), "input.feedetail[0].cnt", "最多四位小数"},
		{"2301 pric negative", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `"pric":1`, `"pric":-1`, 1)), "input.feedetail[0].pric", "单价）不能为负数"},
		{"2301 sum decimals", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `"det_item_fee_sumamt":1`, `"det_item_fee_sumamt":"1.001"`, 1)), "input.feedetail[0].det_item_fee_sumamt", "最多两位小数"},
		{"2301 sum exponent", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `"det_item_fee_sumamt":1`, `"det_item_fee_sumamt":1e2`, 1)), "input.feedetail[0].det_item_fee_sumamt", "应为金额"},
		{"2301 no pric", InfnoFeeUpload, fee(strings.Replace(feeLine("1", "P", ""), `,"pric":1`, `,"pric":""`, 1)), "input.feedetail[0].pric", "不能为空"},
		{"2301 med_type", InfnoFeeUpload, fee(feeLine("1", "P", `,"med_type":"31"`)), "input.feedetail[0].med_type", "41工伤门诊"},
		{"2301 1001 lines", InfnoFeeUpload, fee(manyLines(1001)...), "input.feedetail", "不能超过1000条"},
		{"2302 no sn", InfnoCancelLines, `{"data":{"mdtrt_id":"M","psn_no":"P"}}`, "input.data.feedetl_sn", "费用明细流水号）不能为空"},
		{"2303 insutype", InfnoPreSettle, replace(InfnoPreSettle, `"insutype":"410"`, `"insutype":""`), "input.data.insutype", "险种类型）不能为空"},
		{"2304 sum negative", InfnoSettle, replace(InfnoSettle, `"medfee_sumamt":65`, `"medfee_sumamt":-65`), "input.data.medfee_sumamt", "不能为负数"},
		{"2304 setlway", InfnoSettle, replace(InfnoSettle, `"psn_setlway":"01"`, `"psn_setlway":"02"`), "input.data.psn_setlway", "01按项目结算"},
		{"2304 mid flag", InfnoSettle, replace(InfnoSettle, `"mid_setl_flag":"0"`, `"mid_setl_flag":"2"`), "input.data.mid_setl_flag", "应为0或1"},
		{"2304 no mdtrt_id", InfnoSettle, replace(InfnoSettle, `"mdtrt_id":"MD2026000001",`, ``), "input.data.mdtrt_id", "不能为空"},
		{"2305 no setl_id", InfnoCancelSettlement, `{"data":{"mdtrt_id":"M","psn_no":"P"}}`, "input.data.setl_id", "结算ID）不能为空"},
		{"2601 oinfno", InfnoReversal, replace(InfnoReversal, `"oinfno":"2304"`, `"oinfno":"2301"`), "input.data.oinfno", "2401、2304或2305"},
		{"2601 omsgid long", InfnoReversal, replace(InfnoReversal, `"omsgid":"H37081100001202612011000000001"`, `"omsgid":"H370811000012026120110000000011"`), "input.data.omsgid", "不能超过30个字符"},
		{"3101 no psn", InfnoAudit, `{"data":{"mdtrt_id":"M"}}`, "input.data.psn_no", "不能为空"},
		{"3201 dates", InfnoReconcileTotals, replace(InfnoReconcileTotals, `"stmt_enddate":"2026-11-30"`, `"stmt_enddate":"2026-10-31"`), "input.data.stmt_enddate", "不能早于"},
		{"3201 date format", InfnoReconcileTotals, replace(InfnoReconcileTotals, `"stmt_begndate":"2026-11-01"`, `"stmt_begndate":"20261101"`), "input.data.stmt_begndate", "格式应为yyyy-MM-dd"},
		{"3201 cnt", InfnoReconcileTotals, replace(InfnoReconcileTotals, `"fixmedins_setl_cnt":"3"`, `"fixmedins_setl_cnt":3.5`), "input.data.fixmedins_setl_cnt", "应为整数"},
		{"3201 insutype", InfnoReconcileTotals, replace(InfnoReconcileTotals, `"insutype":"410"`, `"insutype":"310"`), "input.data.insutype", "410"},
		{"3202 dup setl", InfnoReconcileLines, replace(InfnoReconcileLines, `"detail":[`, `"detail":[{"setl_id":"ST2026000001","medfee_sumamt":1,"fund_pay_sumamt":1,"psn_cash_pay":0},`), "input.data.detail[1].setl_id", "重复"},
		{"3202 refd flag", InfnoReconcileLines, replace(InfnoReconcileLines, `"refd_setl_flag":"0"`, `"refd_setl_flag":"Y"`), "input.data.detail[0].refd_setl_flag", "应为0或1"},
		{"3202 no cash", InfnoReconcileLines, replace(InfnoReconcileLines, `,"psn_cash_pay":0`, ``), "input.data.detail[0].psn_cash_pay", "个人现金支出）不能为空"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.infno, json.RawMessage(tt.input))
			wantInvalid(t, err, tt.field, tt.msg)
		})
	}
}

func manyLines(n int) []string {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = `{}`
	}
	return lines
}

// Unknown fields, national-spec extras and long but valid lists pass.
func TestDecodeTolerates(t *testing.T) {
	in := strings.Replace(validInputs[InfnoSettle], `"data":{`, `"data":{"fulamt_ownpay_amt":"","pub_hosp_rfom_flag":"0","ext":{"a":[1]},`, 1)
	if _, err := Decode(InfnoSettle, json.RawMessage(in)); err != nil {
		t.Error(err)
	}
	lines := make([]string, MaxFeeLines)
	for i := range lines {
		lines[i] = `{"feedetl_sn":` + strings.Repeat("1", 1) + itoa(i) + `,"mdtrt_id":"M","psn_no":37080000000001,"fee_ocur_time":"2026-11-28 10:00:00","med_list_codg":"X","det_item_fee_sumamt":"1.00","cnt":1,"pric":1}`
	}
	v, err := Decode(InfnoFeeUpload, json.RawMessage(`{"feedetail":[`+strings.Join(lines, ",")+`]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(*FeeInput).Feedetail[999]; got.PsnNo != "37080000000001" || got.FeedetlSn != "1999" {
		t.Errorf("line 999: %+v", got)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestErrorsCollectAll(t *testing.T) {
	_, err := Decode(InfnoFeeUpload, json.RawMessage(`{"feedetail":[`+strings.Join(manyLines(200), ",")+`]}`))
	wantInvalid(t, err, "input.feedetail[0].feedetl_sn", "不能为空")
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) != maxFieldErrors {
		t.Errorf("%d field errors, want the cap %d", len(e.Fields), maxFieldErrors)
	}
}
