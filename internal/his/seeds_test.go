package his

// validInputs holds one valid input per infno: the tests' starting point
// and the fuzz seed corpus.
var validInputs = map[string]string{
	InfnoSignIn: `{"signIn":{"opter_no":"OP001","mac":"00-1A-2B-3C-4D-5E","ip":"10.0.0.8"}}`,
	InfnoPerson: `{"data":{"mdtrt_cert_type":"02","mdtrt_cert_no":"370811199001011234","psn_cert_type":"01","certno":"370811199001011234","psn_name":"张三"}}`,
	InfnoAdmission: `{"mdtrtinfo":{"psn_no":"37080000000001","insutype":"410","begntime":"2026-11-28 09:30:00","mdtrt_cert_type":"02",
		"mdtrt_cert_no":"370811199001011234","med_type":"42","ipt_no":"ZY2026001","atddr_no":"D01","chfpdr_name":"李医生",
		"adm_diag_dscr":"右手骨折","adm_dept_codg":"A03","adm_dept_name":"骨科","adm_bed":"12","dscg_maindiag_code":"S62.6",
		"dscg_maindiag_name":"手指骨折","injury_id":"GS2026000123"},
		"diseinfo":[{"psn_no":"37080000000001","diag_type":"1","maindiag_flag":"1","diag_srt_no":"1","diag_code":"S62.6","diag_name":"手指骨折","diag_time":"2026-11-28 09:30:00"}]}`,
	InfnoDischarge:       `{"dscginfo":{"mdtrt_id":"MD2026000001","psn_no":"37080000000001","insutype":"410","endtime":"2026-12-01 10:00:00","dscg_way":"1","dscg_dept_codg":"A03"},"diseinfo":[]}`,
	InfnoCancelAdmission: `{"data":{"mdtrt_id":"MD2026000001","psn_no":"37080000000001"}}`,
	InfnoFeeUpload: `{"feedetail":[
		{"feedetl_sn":"1","mdtrt_id":"MD2026000001","psn_no":"37080000000001","med_type":"42","fee_ocur_time":"2026-11-28 10:00:00","med_list_codg":"XB01","medins_list_codg":"H-XB01","det_item_fee_sumamt":25.00,"cnt":2,"pric":"12.50","bilg_dept_codg":"A03","bilg_dr_codg":"D01"},
		{"feedetl_sn":2,"mdtrt_id":"MD2026000001","psn_no":"37080000000001","fee_ocur_time":"2026-11-29 10:00:00","med_list_codg":"BED1","det_item_fee_sumamt":"40","cnt":"1.0000","pric":40}]}`,
	InfnoCancelLines:      `{"data":{"feedetl_sn":"0000","mdtrt_id":"MD2026000001","psn_no":"37080000000001"}}`,
	InfnoPreSettle:        `{"data":{"psn_no":"37080000000001","mdtrt_cert_type":"02","mdtrt_cert_no":"370811199001011234","medfee_sumamt":"65.00","psn_setlway":"01","mdtrt_id":"MD2026000001","insutype":"410","mid_setl_flag":"0","acct_used_flag":"0"}}`,
	InfnoSettle:           `{"data":{"psn_no":"37080000000001","mdtrt_cert_type":"02","mdtrt_cert_no":"370811199001011234","medfee_sumamt":65,"psn_setlway":"01","mdtrt_id":"MD2026000001","insutype":410,"mid_setl_flag":"0","acct_used_flag":"0"}}`,
	InfnoCancelSettlement: `{"data":{"setl_id":"ST2026000001","mdtrt_id":"MD2026000001","psn_no":"37080000000001"}}`,
	InfnoReversal:         `{"data":{"psn_no":"37080000000001","omsgid":"H37081100001202612011000000001","oinfno":"2304"}}`,
	InfnoAudit:            `{"data":{"psn_no":"37080000000001","mdtrt_id":"MD2026000001"}}`,
	InfnoReconcileTotals:  `{"data":{"insutype":"410","clr_type":"21","setl_optins":"370811","stmt_begndate":"2026-11-01","stmt_enddate":"2026-11-30","medfee_sumamt":"1000.00","fund_pay_sumamt":900,"acct_pay":0,"fixmedins_setl_cnt":"3"}}`,
	InfnoReconcileLines: `{"data":{"setl_optins":"370811","stmt_begndate":"2026-11-01","stmt_enddate":"2026-11-30",
		"detail":[{"setl_id":"ST2026000001","medfee_sumamt":65,"fund_pay_sumamt":65,"psn_cash_pay":0,"refd_setl_flag":"0"}]}}`,
}

// envelopeFor wraps input in a valid envelope of infno.
func envelopeFor(infno, input string) string {
	return `{"infno":"` + infno + `","msgid":"H37081100001202612011000000001","mdtrtarea_admvs":"370811","insuplc_admdvs":"370800",
		"recer_sys_code":"HIS","dev_no":"","dev_safe_info":"","cainfo":"","signtype":"SM2","infver":"V1.0","opter_type":"1",
		"opter":"OP001","opter_name":"王五","inf_time":"2026-12-01 10:00:00","fixmedins_code":"H37081100001",
		"fixmedins_name":"济宁市第一人民医院","sign_no":"SN0001","input":` + input + `}`
}
