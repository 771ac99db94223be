package backoffice

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/casebundle"
	"gongshang/internal/deadline"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/web"
)

// The audit log shows what changed as a table of fields, before and after,
// with Chinese labels and values as the other pages show them (region and
// role names, money in yuan, instants in China Standard Time). The
// snapshots hold masked personal data only (registry.Worker.Masked), and
// are shown as they are: nothing here can unmask them.

// diffRow is one field of an entry's snapshots.
type diffRow struct {
	Label, Before, After string
	Changed              bool // both snapshots exist and the value differs
}

// auditFieldLabels are the Chinese names of the snapshot fields of every
// audited object (employers, workers, employments, wages, users, parameter
// versions, imports, batches). A key not listed shows as itself.
var auditFieldLabels = map[string]string{
	"id": "编号", "credit_code": "统一社会信用代码", "name": "名称", "region_code": "所属地区", "industry": "行业",
	"risk_class": "行业风险类别", "rate_tier_pct": "浮动费率档次", "contact_name": "联系人", "contact_phone": "联系电话",
	"contact_phone_masked": "联系电话", "address": "地址", "status": "状态", "version": "版本号",
	"created_at": "创建时间", "updated_at": "修改时间",
	"id_number": "身份证号码", "id_number_masked": "身份证号码", "sex": "性别", "birth_date": "出生日期", "birth_year": "出生年份",
	"phone": "手机号码", "phone_masked": "手机号码", "bank_name": "开户银行", "bank_account": "银行账号", "bank_account_masked": "银行账号",
	"worker_id": "职工编号", "employer_id": "用人单位编号", "employer_name": "用人单位", "start": "入职日期", "end": "离职日期",
	"period": "缴费月份", "amount_fen": "缴费工资",
	"username": "用户名", "display_name": "姓名", "kind": "类别", "role": "角色", "failed_logins": "连续登录失败次数",
	"locked_until": "锁定至", "disabled": "已停用", "last_login_at": "最近登录",
	"Table": "参数表", "Key": "参数键", "Region": "地区", "EffectiveFrom": "生效日期", "Value": "参数值", "Source": "来源",
	"Confidence": "可信度", "Note": "备注",
	"filename": "文件名", "sha256": "文件摘要（SHA-256）", "total_rows": "总行数", "good_rows": "正确行数", "bad_rows": "错误行数",
	"imported": "已导入", "outcome": "结果", "summary": "说明", "problems": "问题",
	"employers": "用人单位数", "workers": "职工数", "employments": "劳动关系数", "wages": "缴费工资条数",
	// 工伤一件事 cases, their services, reminders, uploads, letters and experts.
	"number": "编号", "injury_date": "受伤日期", "application_date": "申请日期", "channel": "申请渠道", "applicant": "申请人",
	"simple": "简易程序", "late": "逾期申请", "de_facto": "事实劳动关系", "services": "办理事项", "state": "办理状态",
	"due": "办理时限", "service_id": "办理事项编号", "step": "程序步骤", "reminder": "提醒", "material": "材料",
	"size": "大小（字节）", "type": "文件类型", "letter_id": "文书编号", "cases": "案件数", "group": "专业门类",
	"hospital": "所在医院", "title": "职称", "term_start": "聘期开始", "term_end": "聘期结束",
}

// auditObjectTypes are the object types of the log, in the filter's order.
var auditObjectTypes = []struct{ Code, Name string }{
	{"employer", "用人单位"}, {"worker", "职工"}, {"employment", "劳动关系"}, {"user", "用户"},
	{"param", "法定参数"}, {"import", "批量导入"}, {"batch", "批量载入"}, {"case", "工伤一件事案件"}, {"expert", "鉴定专家"},
}

func objectTypeName(t string) string {
	for _, o := range auditObjectTypes {
		if o.Code == t {
			return o.Name
		}
	}
	return t
}

// auditActions are the actions of the log, in the filter's order; their
// names come from audit.ActionName.
var auditActions = []string{"employer.create", "employer.update", "worker.create", "worker.update",
	"employment.create", "employment.end", "wage.record", "import.run", "param.add",
	"user.create", "user.update", "user.role", "user.password_reset", "user.unlock", "user.password",
	"user.login", "user.login_failed", "user.locked", "user.logout", "demo.load",
	"case.open", "case.upload", "case.correction_notice", "case.accept", "case.refuse", "case.suspend", "case.resume", "case.decide",
	"case.deliver", "case.draw_panel", "case.conclude", "case.compute", "case.approve", "case.send_back", "case.letter", "case.overdue",
	"case.use_simple", "case.fallback", "expert.create"}

// field is one flattened snapshot value: its label path and its shown text.
type field struct{ key, label, text string }

// diffOf lays an entry's snapshots side by side, in the order of their
// fields (before's first, then fields only after has). An entry without
// snapshots has no rows.
func diffOf(e audit.Entry) []diffRow {
	before, after := flattenSnapshot(e.Before), flattenSnapshot(e.After)
	idx := map[string]int{}
	var rows []diffRow
	both := e.Before != "" && e.After != ""
	for _, f := range before {
		idx[f.key] = len(rows)
		rows = append(rows, diffRow{Label: f.label, Before: f.text, Changed: both})
	}
	for _, f := range after {
		if i, ok := idx[f.key]; ok {
			rows[i].After = f.text
			rows[i].Changed = rows[i].Before != f.text
			continue
		}
		rows = append(rows, diffRow{Label: f.label, After: f.text, Changed: both})
	}
	return rows
}

// changeSummary is the export's text of an entry: the changed fields as
// 「地址：旧 → 新」, or every field of a creation.
func changeSummary(rows []diffRow) string {
	var parts []string
	for _, r := range rows {
		switch {
		case r.Changed:
			parts = append(parts, r.Label+"："+dash(r.Before)+" → "+dash(r.After))
		case r.Before == "" && r.After != "":
			parts = append(parts, r.Label+"："+r.After)
		}
	}
	return strings.Join(parts, "；")
}

func dash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

// flattenSnapshot reads a JSON snapshot into its leaf fields, keeping the
// order of its keys: nested objects and arrays become paths such as
// 「第1项 · 缴费月份」. Text that is no JSON shows as one field.
func flattenSnapshot(js string) []field {
	if js == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var out []field
	if err := flattenValue(dec, "", "", &out); err != nil {
		return []field{{key: "", label: "内容", text: js}}
	}
	return out
}

func flattenValue(dec *json.Decoder, key, label string, out *[]field) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if err := flattenValue(dec, join(key, k, "."), join(label, fieldLabel(k), " · "), out); err != nil {
					return err
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				n := strconv.Itoa(i + 1)
				if err := flattenValue(dec, join(key, "["+n+"]", ""), join(label, "第"+n+"项", " · "), out); err != nil {
					return err
				}
			}
		}
		_, err := dec.Token() // the closing delimiter
		if err == io.EOF {
			err = nil
		}
		return err
	default:
		*out = append(*out, field{key: key, label: cmpLabel(label), text: fieldText(lastKey(key), tok)})
	}
	return nil
}

func join(a, b, sep string) string {
	if a == "" {
		return b
	}
	return a + sep + b
}

func cmpLabel(l string) string {
	if l == "" {
		return "内容"
	}
	return l
}

func lastKey(path string) string {
	if i := strings.LastIndexAny(path, ".]"); i >= 0 {
		return path[i+1:]
	}
	return path
}

func fieldLabel(k string) string {
	if l, ok := auditFieldLabels[k]; ok {
		return l
	}
	return k
}

// fieldText shows one value as the pages show it.
func fieldText(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "是"
		}
		return "否"
	case json.Number:
		if key == "amount_fen" {
			if n, err := x.Int64(); err == nil {
				return param.FormatMoneyGrouped(n) + " 元"
			}
		}
		if key == "rate_tier_pct" {
			return x.String() + "%"
		}
		if key == "risk_class" {
			return x.String() + "类"
		}
		return x.String()
	case string:
		return stringText(key, x)
	}
	return fmt.Sprint(v)
}

func stringText(key, s string) string {
	switch key {
	case "region_code", "Region":
		if n := web.RegionNames[s]; n != "" {
			return n
		}
	case "role":
		if n := access.Role(s).Name(); n != "" {
			return n
		}
	case "kind":
		if n := access.Kind(s).Name(); n != "" {
			return n
		}
		if k := casebundle.ServiceKind(s); k.Valid() {
			return k.Name()
		}
	case "state":
		return casebundle.State(s).Name()
	case "channel":
		if n := casebundle.Channel(s).Name(); n != "" {
			return n
		}
	case "applicant":
		if n := casebundle.Applicant(s).Name(); n != "" {
			return n
		}
	case "step":
		if st, ok := deadline.StepByName(s); ok {
			return st.Title
		}
	case "reminder":
		if n := map[string]string{"before": "到期前一日提醒", "due": "到期当日提醒", "overdue": "已超期"}[s]; n != "" {
			return n
		}
	case "material":
		if m, ok := casebundle.MaterialByCode(s); ok {
			return m.Name
		}
	case "status":
		if n := registry.EmployerStatusNames[s]; n != "" {
			return n
		}
	case "sex":
		if n := registry.SexNames[s]; n != "" {
			return n
		}
	case "industry":
		if in, ok := registry.MustReference().Industry(s); ok {
			return s + " " + in.Name
		}
	case "EffectiveFrom":
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.Format("2006-01-02")
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil && len(s) >= 20 {
		return t.In(cst).Format("2006-01-02 15:04:05")
	}
	return s
}
