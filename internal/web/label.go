package web

import (
	"strconv"
	"strings"
)

// labels are the Chinese names of the form and JSON fields of the staff
// surfaces, for messages that name a field (the domain's own messages name
// theirs already).
var labels = map[string]string{
	"credit_code": "统一社会信用代码", "name": "名称", "region_code": "所属地区", "industry": "行业",
	"risk_class": "行业风险类别", "rate_tier_pct": "浮动费率档次", "contact_name": "联系人", "contact_phone": "联系电话",
	"address": "地址", "status": "状态", "id_number": "身份证号码", "phone": "手机号码", "bank_name": "开户银行",
	"bank_account": "银行账号", "employer_id": "用人单位", "employer_code": "用人单位统一社会信用代码",
	"start": "入职日期", "end": "离职日期", "wages": "缴费工资", "period": "缴费月份", "amount": "缴费工资",
	"amount_fen": "缴费工资（分）", "username": "用户名", "password": "密码", "display_name": "姓名", "role": "角色",
	"q": "查询内容", "region": "地区", "table": "参数表", "key": "参数键", "effective_from": "生效日期", "value": "参数值",
	"source": "来源", "confidence": "可信度", "note": "备注", "version": "版本号", "kind": "导入内容", "file": "文件",
	"current": "当前密码", "new": "新密码", "next": "登录后页面", "offset": "起始位置", "limit": "每页条数",
	"object_type": "对象类型", "object_id": "对象编号", "actor": "操作人", "good_rows_only": "仅导入正确的行",
	"csrf": "表单令牌",
	// The list toolkit (list.go).
	"page": "页码", "size": "每页条数", "sort": "排序", "dir": "排序方向", "format": "导出格式",
	"sex": "性别", "from": "登记日期起", "to": "登记日期止", "employer": "用人单位",
}

// Label names a form or JSON field in Chinese: "wages[1].period" is
// 「缴费工资第2项的缴费月份」; an unknown key keeps its name, quoted, so the
// message still points at it.
func Label(path string) string {
	if path == "" {
		return "「请求体」"
	}
	parts := strings.Split(path, ".")
	var b strings.Builder
	for n, part := range parts {
		key, idx := part, ""
		if j := strings.IndexByte(part, '['); j >= 0 {
			key = part[:j]
			if i, err := strconv.Atoi(strings.Trim(part[j:], "[]")); err == nil {
				idx = "第" + strconv.Itoa(i+1) + "项"
			}
		}
		if l, ok := labels[key]; ok {
			b.WriteString(l)
		} else if key != "" {
			b.WriteString("“" + printable(key) + "”")
		}
		b.WriteString(idx)
		if n < len(parts)-1 {
			b.WriteString("的")
		}
	}
	return "「" + b.String() + "」"
}

// printable makes a field name itself safe to show.
func printable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "?"), "\x00", "?")
}
