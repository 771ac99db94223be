package param

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/registry"
)

// Chinese names for the parameter book and for explanations: every key a
// table has, every enum value, each source's short title, the groups of
// the parameter page, and values written as people read them (percentages,
// yuan with separators, periods in words). No key, value code or file name
// reaches a reader.

// Group is one section of the parameter book: a benefit or a procedure.
type Group struct {
	ID     string
	Title  string
	Tables []string
}

var groups = []Group{
	{ID: "base", Title: "本人工资与计发基数", Tables: []string{"avg_wage", "min_wage", "base_wage_clamp", "base_wage_short_rule", "rounding"}},
	{ID: "disability", Title: "伤残待遇", Tables: []string{"disability_lump_sum_months", "disability_allowance_rate", "disability_allowance_payer", "nursing_rate", "paid_leave_months", "meal_allowance"}},
	{ID: "exit", Title: "解除或终止劳动关系的一次性待遇", Tables: []string{"exit_medical_months", "exit_employment_months"}},
	{ID: "death", Title: "因工死亡与下落不明待遇", Tables: []string{"national_urban_income", "funeral_months", "death_lump_sum_multiple", "survivor_rate", "survivor_age", "survivor_cap_method", "missing_wage_months", "missing_advance_rate"}},
	{ID: "steps", Title: "程序时限（认定、鉴定、复议诉讼）", Tables: []string{"time_limit", "extension_base", "review_earliest_offset", "holiday_calendar"}},
	{ID: "premium", Title: "费率与工伤预防费", Tables: []string{"industry_base_rate", "rate_tier", "prevention_cap_rate", "prevention_pay", "prevention_pay_mode", "prevention_eval_weight"}},
	{ID: "settlement", Title: "联网结算与异地就医", Tables: []string{"remote_filing"}},
	{ID: "payroll", Title: "待遇发放", Tables: []string{"payroll", "recovery_floor"}},
}

// Groups lists the sections of the parameter book in reading order; every
// catalogue table is in exactly one.
func Groups() []Group {
	out := make([]Group, len(groups))
	copy(out, groups)
	return out
}

var levelNames = []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// keyLabels names the keys of the enum and free-key tables.
var keyLabels = map[string]map[string]string{
	"base_wage_clamp": {"min": "下限", "max": "上限"},
	"nursing_rate":    {"full": "生活完全不能自理", "most": "生活大部分不能自理", "partial": "生活部分不能自理"},
	"survivor_rate":   {"spouse": "配偶", "other": "其他供养亲属（每人）", "addon": "孤寡老人或孤儿加发（每人）", "cap": "抚恤金合计上限"},
	"survivor_age": {"spouse-M": "配偶（男）", "spouse-F": "配偶（女）", "parent-M": "父亲", "parent-F": "母亲",
		"grandparent-M": "祖父、外祖父", "grandparent-F": "祖母、外祖母", "minor": "子女、孙子女、兄弟姐妹（未成年）"},
	"paid_leave_months":      {"normal": "一般期限", "extension": "经确认可延长的期限"},
	"payroll":                {"cert_months": "资格认证有效月数", "pay_day": "每月发放截止日", "remind_day": "未审批催办日", "recovery_max_share": "追回每月扣减比例上限"},
	"prevention_pay":         {"full_score": "全额支付分", "min_score": "最低支付分"},
	"prevention_eval_weight": {"checklist": "评估表", "satisfaction": "满意度", "knowledge": "知识测试"},
	"remote_filing":          {"valid_months": "长期居住、工作备案有效月数", "hold_months": "备案后可变更、撤销的最短月数", "referral_days": "转诊转院备案有效天数"},
	"time_limit": {
		"employer_application":             "用人单位申请工伤认定",
		"worker_application":               "职工或其近亲属、工会组织申请工伤认定",
		"recognition_acceptance":           "工伤认定申请受理审查",
		"recognition_acceptance_simple":    "工伤认定申请受理审查（事实清楚的简易案件）",
		"recognition_acceptance_corrected": "补正材料后作出受理决定",
		"recognition_decision":             "作出工伤认定决定",
		"recognition_decision_simple":      "作出工伤认定决定（事实清楚的简易案件）",
		"recognition_delivery":             "送达工伤认定决定书",
		"assessment_correction":            "劳动能力鉴定申请材料补正告知",
		"assessment_conclusion":            "作出劳动能力鉴定结论",
		"assessment_extension":             "劳动能力鉴定结论可延长的期限",
		"assessment_delivery":              "送达劳动能力鉴定结论",
		"reassessment_request":             "申请再次鉴定",
		"review_assessment":                "申请复查鉴定（结论作出后）",
		"admin_review":                     "申请行政复议",
		"admin_lawsuit":                    "提起行政诉讼",
	},
}

// timeLimitStage is the procedure stage of each time_limit key, so that
// the book lists the steps in the order a case meets them.
var timeLimitStage = map[string]string{
	"employer_application": "工伤认定", "worker_application": "工伤认定", "recognition_acceptance": "工伤认定",
	"recognition_acceptance_simple": "工伤认定", "recognition_acceptance_corrected": "工伤认定", "recognition_decision": "工伤认定", "recognition_decision_simple": "工伤认定",
	"recognition_delivery": "工伤认定", "assessment_correction": "劳动能力鉴定", "assessment_conclusion": "劳动能力鉴定",
	"assessment_extension": "劳动能力鉴定", "assessment_delivery": "劳动能力鉴定", "reassessment_request": "劳动能力鉴定",
	"review_assessment": "劳动能力鉴定", "admin_review": "行政复议与诉讼", "admin_lawsuit": "行政复议与诉讼",
}

// KeyRank orders the keys of a table as a reader meets them: the
// catalogue's order for enum keys, the procedure's order for time limits,
// then by the key itself (years, dates).
func KeyRank(table, key string) int {
	t, _ := TableByName(table)
	for i, k := range t.Keys {
		if k == key {
			return i
		}
	}
	for i, k := range timeLimitOrder {
		if table == "time_limit" && k == key {
			return i
		}
	}
	return 1 << 20
}

var timeLimitOrder = []string{"employer_application", "worker_application", "recognition_acceptance", "recognition_acceptance_simple",
	"recognition_acceptance_corrected",
	"recognition_decision", "recognition_decision_simple", "recognition_delivery", "assessment_correction", "assessment_conclusion",
	"assessment_extension", "assessment_delivery", "reassessment_request", "review_assessment", "admin_review", "admin_lawsuit"}

// Stage is the procedure stage of a time_limit key ("" for other tables).
func Stage(table, key string) string {
	if table != "time_limit" {
		return ""
	}
	return timeLimitStage[key]
}

// valueLabels names the values of the enum tables.
var valueLabels = map[string]map[string]string{
	"base_wage_short_rule":       {"actual_months": "按实际缴费月数平均", "twelve_months": "按12个月平均"},
	"disability_allowance_payer": {"fund": "工伤保险基金", "employer": "用人单位"},
	"rounding":                   {"fen_half_up": "按分四舍五入", "jiao_half_up": "按角四舍五入", "yuan_half_up": "按元四舍五入"},
	"extension_base":             {"unrolled": "从原期限未顺延的末日起算", "rolled": "从顺延后的末日起算"},
	"survivor_cap_method":        {"proportional": "按比例核减各供养亲属的抚恤金"},
	"prevention_pay_mode":        {"pro_rata": "应付金额×评估得分/100"},
	"holiday_calendar":           {"holiday": "法定节假日（放假）", "workday": "调休上班日"},
}

// KeyLabel is the Chinese name of a key of table, and whether it has one.
// Keyless tables answer "" and true.
func KeyLabel(table, key string) (string, bool) {
	t, ok := TableByName(table)
	if !ok {
		return "", false
	}
	switch t.KeyKind {
	case KeyNone:
		return "", key == ""
	case KeyYear:
		if t.ValidateKey(key) != nil {
			return "", false
		}
		return key + "年度", true
	case KeyDate:
		d, err := ParseDate(key)
		if err != nil {
			return "", false
		}
		return DateCN(d), true
	}
	if l, ok := keyLabels[table][key]; ok {
		return l, true
	}
	switch table {
	case "disability_lump_sum_months", "disability_allowance_rate", "disability_allowance_payer", "exit_employment_months", "exit_medical_months":
		lv, occ := strings.CutSuffix(key, "-occ")
		if n, err := strconv.Atoi(lv); err == nil && n >= 1 && n <= 10 && t.ValidateKey(key) == nil {
			l := levelNames[n] + "级伤残"
			if occ {
				l += "（职业病）"
			}
			return l, true
		}
	case "industry_base_rate", "rate_tier":
		if n, err := strconv.Atoi(key); err == nil && n >= 1 && n <= 8 && t.ValidateKey(key) == nil {
			return levelNames[n] + "类行业", true
		}
	}
	return "", false
}

// KeyName is KeyLabel, or the key itself quoted when it has no label (a
// stored key the labels do not know yet).
func KeyName(table, key string) string {
	if l, ok := KeyLabel(table, key); ok {
		return l
	}
	return "“" + key + "”"
}

// ValueLabel is the Chinese name of an enum value, and whether it has one.
func ValueLabel(table, value string) (string, bool) {
	l, ok := valueLabels[table][value]
	return l, ok
}

// Display writes a version's value as people read it: rates as
// percentages, money as yuan with separators and the unit, periods and
// enum values in words.
func Display(table, value string) string {
	t, ok := TableByName(table)
	if !ok {
		return value
	}
	switch t.Kind {
	case KindMoney:
		if fen, err := ParseMoney(value); err == nil {
			return Yuan(fen) + strings.TrimPrefix(t.Unit, "元")
		}
	case KindRate:
		if r, err := ParseDecimal(value); err == nil {
			return Percent(r)
		}
	case KindRateList:
		var parts []string
		for _, p := range strings.Split(value, ",") {
			r, err := ParseDecimal(p)
			if err != nil {
				return value
			}
			parts = append(parts, Percent(r))
		}
		return strings.Join(parts, "、")
	case KindMonths, KindNumber, KindYears:
		if r, err := ParseDecimal(value); err == nil {
			return decimalText(r) + t.Unit
		}
	case KindPeriod:
		if p, err := ParsePeriod(value); err == nil {
			return p.Chinese()
		}
	case KindEnum:
		if l, ok := ValueLabel(table, value); ok {
			return l
		}
	}
	return value
}

// Yuan is the one money format of the system: fen as yuan with thousands
// separators and two decimals, after the yuan sign ("¥12,345.67").
func Yuan(fen int64) string { return "¥" + FormatMoneyGrouped(fen) }

// Percent writes a share as a percentage ("0.75" → "75%", "0.002" → "0.2%").
func Percent(r *big.Rat) string {
	return decimalText(new(big.Rat).Mul(r, big.NewRat(100, 1))) + "%"
}

func decimalText(r *big.Rat) string {
	s := r.FloatString(6)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// DateCN writes a civil date as 2025年3月10日.
func DateCN(t time.Time) string {
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}

// sourceShort is the name a citation uses for each source.
var sourceShort = map[string]string{
	"S1": "《工伤保险条例》", "S2": "《中华人民共和国社会保险法》", "S3": "《工伤认定办法》（人社部令第8号）",
	"S4": "《工伤职工劳动能力鉴定管理办法》（人社部令第21号）", "S5": "《劳动能力鉴定管理办法》（人社部令第55号）",
	"S6": "《实施〈中华人民共和国社会保险法〉若干规定》", "S7": "《社会保险经办条例》", "S8": "《工伤保险辅助器具配置管理办法》",
	"S9": "《最高人民法院关于审理工伤保险行政案件若干问题的规定》", "S10": "《因工死亡职工供养亲属范围规定》",
	"S11": "《劳动能力鉴定 职工工伤与职业病致残等级》（GB/T 16180-2014）", "S12": "《关于调整工伤保险费率政策的通知》（人社部发〔2015〕71号）",
	"S13": "《工伤预防费使用管理暂行办法》", "S14": "《关于全面开展工伤保险跨省异地就医直接结算工作的通知》",
	"S15": "国家统计局《居民收入和消费支出情况》", "S16": "《山东省贯彻〈工伤保险条例〉实施办法》（转载）",
	"S17": "山东省社会保险缴费基数公布（转引）", "S18": "济宁市人社局复查鉴定办事指南", "S19": "《关于阶段性降低失业保险、工伤保险费率有关问题的通知》",
	"S20": "《民法典》及行政复议、行政诉讼法律", "S21": "济宁日报《工伤保险》专版对曲阜市“工伤一件事”的报道", "S22": "济宁日报《工伤保险》专版对微山县待遇发放的报道",
	"HOL2025": "《国务院办公厅关于2025年部分节假日安排的通知》",
	"JNPXPG":  "《济宁市工伤预防培训评估管理暂行办法》（据济宁日报《工伤保险》专版报道，原文未公开）", "PROJ": "本系统经办约定（无法律依据）", "REQ": "本次测算填写的假设值",
}

// SourceShort is the short name of a source for citations; an unknown id
// (a stored version naming a new source) is returned unchanged.
func SourceShort(id string) string {
	if s, ok := sourceShort[id]; ok {
		return s
	}
	return id
}

var confidenceNames = map[string]string{Confirmed: "已核对原文", Secondary: "据二手来源，待核对原文", Unconfirmed: "未确认"}

// ConfidenceName is the Chinese meaning of a confidence tag.
func ConfidenceName(c string) string { return confidenceNames[c] }

// RegionTitle names a parameter's region for readers; set by the caller
// that knows region names (registry), defaulting to the code itself.
func RegionTitle(code string) string {
	if code == National {
		return "全国"
	}
	if n, ok := regionNames[code]; ok {
		return n
	}
	return code
}

var regionNames = func() map[string]string {
	m := map[string]string{}
	rs, err := registry.Regions()
	if err != nil {
		return m // embedded data, checked by the registry tests
	}
	for _, r := range rs {
		m[r.Code] = r.Name
	}
	return m
}()
