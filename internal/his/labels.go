package his

import "strings"

// labels are the Chinese names of the JSON fields, shown after the path
// in every err_msg: input.data.psn_no（人员编号）不能为空.
var labels = map[string]string{
	// envelope
	"infno": "交易编号", "msgid": "报文ID", "mdtrtarea_admvs": "就医地医保区划", "insuplc_admdvs": "参保地医保区划",
	"recer_sys_code": "接收方系统代码", "dev_no": "设备编号", "dev_safe_info": "设备安全信息", "cainfo": "数字签名信息",
	"signtype": "签名类型", "infver": "接口版本号", "opter_type": "经办人类别", "opter": "经办人", "opter_name": "经办人姓名",
	"inf_time": "交易时间", "fixmedins_code": "定点医药机构编号", "fixmedins_name": "定点医药机构名称", "sign_no": "签到编号",
	"input": "交易输入", "body": "请求报文",
	// 9001
	"signIn": "签到信息", "opter_no": "操作员编号", "mac": "签到MAC地址", "ip": "签到IP地址",
	// 1101
	"data": "输入数据", "mdtrt_cert_type": "就诊凭证类型", "mdtrt_cert_no": "就诊凭证编号", "psn_cert_type": "人员证件类型",
	"certno": "证件号码", "psn_name": "人员姓名", "psn_no": "人员编号",
	// 2401, 2402
	"mdtrtinfo": "就诊信息", "insutype": "险种类型", "begntime": "开始时间", "med_type": "医疗类别", "ipt_no": "住院号",
	"atddr_no": "主治医生编码", "chfpdr_name": "主诊医师姓名", "adm_diag_dscr": "入院诊断描述", "adm_dept_codg": "入院科室编码",
	"adm_dept_name": "入院科室名称", "adm_bed": "入院床位", "dscg_maindiag_code": "住院主诊断代码",
	"dscg_maindiag_name": "住院主诊断名称", "injury_id": "工伤认定编号", "diseinfo": "诊断信息", "diag_type": "诊断类别",
	"maindiag_flag": "主诊断标志", "diag_srt_no": "诊断排序号", "diag_code": "诊断代码", "diag_name": "诊断名称",
	"diag_time": "诊断时间", "dscginfo": "出院信息", "mdtrt_id": "就诊ID", "endtime": "结束时间", "dscg_way": "离院方式",
	"dscg_dept_codg": "出院科室编码",
	// 2301, 2302
	"feedetail": "费用明细", "feedetl_sn": "费用明细流水号", "fee_ocur_time": "费用发生时间", "med_list_codg": "医疗目录编码",
	"medins_list_codg": "医药机构目录编码", "det_item_fee_sumamt": "明细项目费用总额", "cnt": "数量", "pric": "单价",
	"bilg_dept_codg": "开单科室编码", "bilg_dr_codg": "开单医生编码",
	// 2303, 2304, 2305, 2601, 3101
	"medfee_sumamt": "医疗费总额", "psn_setlway": "个人结算方式", "mid_setl_flag": "中途结算标志",
	"acct_used_flag": "个人账户使用标志", "setl_id": "结算ID", "omsgid": "原发送方报文ID", "oinfno": "原交易编号",
	// 3201, 3202
	"clr_type": "清算类别", "setl_optins": "结算经办机构", "stmt_begndate": "对账开始日期", "stmt_enddate": "对账结束日期",
	"fund_pay_sumamt": "基金支付总额", "acct_pay": "个人账户支出", "fixmedins_setl_cnt": "定点医药机构结算笔数",
	"detail": "对账明细", "psn_cash_pay": "个人现金支出", "refd_setl_flag": "退费结算标志",
}

// fieldName is path followed by the field's Chinese name in full-width
// brackets, e.g. input.feedetail[3].cnt（数量）.
func fieldName(path string) string {
	name := path
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	if l, ok := labels[name]; ok {
		return path + "（" + l + "）"
	}
	return path
}
