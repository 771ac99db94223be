package calc

import (
	"strconv"
	"strings"

	"gongshang/internal/param"
)

// labels are the Chinese names of the request's fields, for messages.
var labels = map[string]string{
	"kind": "测算类型", "region": "统筹地区", "params": "参数",
	"injury_date": "受伤日期", "as_of": "计算基准日", "level": "伤残等级", "care": "生活自理障碍程度",
	"wage_avg_12m": "本人工资（受伤前12个月平均月缴费工资）", "wage_total": "缴费工资总额", "contribution_months": "缴费月数",
	"deemed_veteran": "视同工伤（原革命伤残军人旧伤复发）", "retired": "是否已退休", "pension": "基本养老金",
	"in_paid_leave": "是否在停工留薪期内", "exit_date": "解除或终止劳动关系日期", "occupational_disease": "是否职业病",
	"retirement_age_reached": "是否达到法定退休年龄", "death_date": "死亡日期", "date": "日期",
	"dependants": "供养亲属", "relation": "亲属关系", "sex": "性别", "birth_date": "出生日期",
	"incapacitated": "是否完全丧失劳动能力", "orphan_or_lonely": "是否孤儿或孤寡老人", "parents_unable": "父母是否均无劳动能力",
	"stop_event": "停发事由", "stop_date": "停发日期",
	"step": "程序步骤", "start": "起算日期", "simple": "是否简易程序", "suspensions": "中止期间", "from": "开始日期", "to": "结束日期",
	"risk_class": "行业风险类别", "tier": "浮动费率档次", "payroll": "工资总额", "fund_income": "工伤保险基金收入",
}

// Label names a JSON path in Chinese for messages: "dependants[1].birth_date"
// is 「供养亲属第2人的出生日期」, "params.avg_wage" 「参数“统筹地区上年度职工月平均
// 工资”」, "[2].step" 「第3项请求的程序步骤」. An unknown key keeps its
// segment, quoted, so the message still points at it.
func Label(path string) string {
	if path == "" {
		return ""
	}
	var b strings.Builder
	rest := path
	if strings.HasPrefix(rest, "[") {
		i, tail := index(rest)
		b.WriteString("第" + strconv.Itoa(i+1) + "项请求的")
		rest = strings.TrimPrefix(tail, ".")
	}
	if name, ok := strings.CutPrefix(rest, "params."); ok {
		b.WriteString("参数“" + paramTitle(name) + "”")
		return "「" + b.String() + "」"
	}
	parts := strings.Split(rest, ".")
	for n, part := range parts {
		key, idx := part, -1
		if j := strings.IndexByte(part, '['); j >= 0 {
			key = part[:j]
			idx, _ = index(part[j:])
		}
		l, ok := labels[key]
		if !ok {
			l = "“" + key + "”"
		}
		b.WriteString(l)
		if idx >= 0 {
			b.WriteString(ordinal(key, idx))
		}
		if n < len(parts)-1 {
			b.WriteString("的")
		}
	}
	return "「" + b.String() + "」"
}

// ordinal says which element of an array: 第2人 for people, 第2段 for periods.
func ordinal(key string, i int) string {
	unit := "项"
	switch key {
	case "dependants":
		unit = "人"
	case "suspensions":
		unit = "段"
	}
	return "第" + strconv.Itoa(i+1) + unit
}

// index reads "[n]" at the start of s and returns n and what follows.
func index(s string) (int, string) {
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return 0, ""
	}
	n, _ := strconv.Atoi(s[1:end])
	return n, s[end+1:]
}

// paramTitle is the Chinese title of a parameter (table or table.key).
func paramTitle(name string) string {
	table, key, _ := strings.Cut(name, ".")
	t, ok := param.TableByName(table)
	if !ok {
		return name
	}
	if key == "" {
		return t.Title
	}
	return t.Title + "：" + param.KeyName(table, key)
}
