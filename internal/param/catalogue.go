package param

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind says how a table's Value is written and validated.
type Kind string

// Value kinds.
const (
	KindMoney    Kind = "money"     // yuan, ≤ 2 decimals ("7506.00"); stored as fen
	KindRate     Kind = "rate"      // share as a decimal ("0.75" = 75%)
	KindMonths   Kind = "months"    // number of months, may be fractional ("19.5")
	KindNumber   Kind = "number"    // plain multiplier or count ("20")
	KindYears    Kind = "years"     // whole years of age ("60")
	KindPeriod   Kind = "period"    // time limit ("60d", "5wd", "6m", "1y")
	KindEnum     Kind = "enum"      // one of Table.Enum
	KindRateList Kind = "rate_list" // comma-separated rates ("0.5,0.8,1,1.2,1.5")
)

// KeyKind says what a table's Key means.
type KeyKind string

// Key kinds.
const (
	KeyNone  KeyKind = "none" // the table has no key: Key is ""
	KeyEnum  KeyKind = "enum" // Key is one of Table.Keys
	KeyYear  KeyKind = "year" // Key is a year ("2024")
	KeyDate  KeyKind = "date" // Key is a date ("2025-10-01")
	KeyFree  KeyKind = "free" // any non-empty identifier
	maxValue         = 1_000_000
)

// Table describes one parameter table: its name, Chinese title, value kind
// and key, so that the admin UI can validate new versions.
type Table struct {
	Name     string
	Title    string
	Kind     Kind
	Unit     string // unit shown after the value in Chinese ("元/月", "个月")
	KeyKind  KeyKind
	KeyTitle string
	Keys     []string // allowed keys when KeyKind is KeyEnum
	Enum     []string // allowed values when Kind is KindEnum
}

func levels(from, to int, suffix string) []string {
	var ks []string
	for l := from; l <= to; l++ {
		ks = append(ks, strconv.Itoa(l)+suffix)
	}
	return ks
}

// catalogue lists every table the calculations read. Titles and kinds are
// metadata; the statutory figures themselves live in data/params.csv.
var catalogue = []Table{
	{Name: "avg_wage", Title: "统筹地区上年度职工月平均工资", Kind: KindMoney, Unit: "元/月", KeyKind: KeyNone},
	{Name: "min_wage", Title: "最低工资标准（月）", Kind: KindMoney, Unit: "元/月", KeyKind: KeyNone},
	{Name: "national_urban_income", Title: "全国城镇居民人均可支配收入", Kind: KindMoney, Unit: "元/年", KeyKind: KeyYear, KeyTitle: "统计年度"},
	{Name: "base_wage_clamp", Title: "本人工资上下限（占统筹地区职工月平均工资比例）", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "上限/下限", Keys: []string{"min", "max"}},
	{Name: "base_wage_short_rule", Title: "缴费不足12个月时本人工资的计算方法", Kind: KindEnum, KeyKind: KeyNone, Enum: []string{"actual_months", "twelve_months"}},
	{Name: "disability_lump_sum_months", Title: "一次性伤残补助金月数", Kind: KindMonths, Unit: "个月", KeyKind: KeyEnum, KeyTitle: "伤残等级", Keys: levels(1, 10, "")},
	{Name: "disability_allowance_rate", Title: "伤残津贴比例（占本人工资）", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "伤残等级", Keys: levels(1, 6, "")},
	{Name: "disability_allowance_payer", Title: "伤残津贴及最低工资补足的支付方", Kind: KindEnum, KeyKind: KeyEnum, KeyTitle: "伤残等级", Keys: levels(1, 6, ""), Enum: []string{"fund", "employer"}},
	{Name: "nursing_rate", Title: "生活护理费比例（占统筹地区职工月平均工资）", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "生活自理障碍程度", Keys: []string{"full", "most", "partial"}},
	{Name: "exit_medical_months", Title: "一次性工伤医疗补助金月数", Kind: KindMonths, Unit: "个月", KeyKind: KeyEnum, KeyTitle: "伤残等级（-occ 为职业病）", Keys: append(levels(5, 10, ""), levels(5, 10, "-occ")...)},
	{Name: "exit_employment_months", Title: "一次性伤残就业补助金月数", Kind: KindMonths, Unit: "个月", KeyKind: KeyEnum, KeyTitle: "伤残等级", Keys: levels(5, 10, "")},
	{Name: "funeral_months", Title: "丧葬补助金月数", Kind: KindMonths, Unit: "个月", KeyKind: KeyNone},
	{Name: "death_lump_sum_multiple", Title: "一次性工亡补助金倍数（全国城镇居民人均可支配收入）", Kind: KindNumber, Unit: "倍", KeyKind: KeyNone},
	{Name: "survivor_rate", Title: "供养亲属抚恤金比例（占本人工资）", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "配偶/其他亲属/孤寡孤儿加发/合计上限", Keys: []string{"spouse", "other", "addon", "cap"}},
	{Name: "survivor_age", Title: "供养亲属年龄条件", Kind: KindYears, Unit: "周岁", KeyKind: KeyEnum, KeyTitle: "亲属关系-性别", Keys: []string{"spouse-M", "spouse-F", "parent-M", "parent-F", "grandparent-M", "grandparent-F", "minor"}},
	{Name: "missing_wage_months", Title: "因工下落不明照发工资月数", Kind: KindMonths, Unit: "个月", KeyKind: KeyNone},
	{Name: "missing_advance_rate", Title: "因工下落不明预支一次性工亡补助金比例", Kind: KindRate, KeyKind: KeyNone},
	{Name: "paid_leave_months", Title: "停工留薪期（一般期限/延长期限）", Kind: KindMonths, Unit: "个月", KeyKind: KeyEnum, KeyTitle: "一般/延长", Keys: []string{"normal", "extension"}},
	{Name: "rounding", Title: "金额舍入规则", Kind: KindEnum, KeyKind: KeyNone, Enum: []string{"fen_half_up", "jiao_half_up", "yuan_half_up"}},
	{Name: "extension_base", Title: "延长期限的起算日", Kind: KindEnum, KeyKind: KeyNone, Enum: []string{"unrolled", "rolled"}},
	{Name: "review_earliest_offset", Title: "复查鉴定最早申请日（满1年对应日后第N日）", Kind: KindNumber, Unit: "日", KeyKind: KeyNone},
	{Name: "survivor_cap_method", Title: "抚恤金超过上限时的核减方法", Kind: KindEnum, KeyKind: KeyNone, Enum: []string{"proportional"}},
	{Name: "time_limit", Title: "法定时限", Kind: KindPeriod, KeyKind: KeyFree, KeyTitle: "程序步骤"},
	{Name: "holiday_calendar", Title: "节假日安排（法定节假日/调休上班日）", Kind: KindEnum, KeyKind: KeyDate, KeyTitle: "日期", Enum: []string{"holiday", "workday"}},
	{Name: "industry_base_rate", Title: "行业基准费率", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "行业风险类别", Keys: levels(1, 8, "")},
	{Name: "rate_tier", Title: "浮动费率档次（占基准费率）", Kind: KindRateList, KeyKind: KeyEnum, KeyTitle: "行业风险类别", Keys: levels(1, 8, "")},
	{Name: "prevention_cap_rate", Title: "工伤预防费上限（占上年度基金征缴收入）", Kind: KindRate, KeyKind: KeyNone},
	{Name: "prevention_pay", Title: "工伤预防培训按评估得分支付的分数线", Kind: KindNumber, Unit: "分", KeyKind: KeyEnum, KeyTitle: "全额支付分/最低支付分",
		Keys: []string{"full_score", "min_score"}},
	{Name: "prevention_pay_mode", Title: "工伤预防培训分数线之间的支付方式", Kind: KindEnum, KeyKind: KeyNone, Enum: []string{"pro_rata"}},
	{Name: "prevention_eval_weight", Title: "工伤预防培训场次得分的权重", Kind: KindRate, KeyKind: KeyEnum, KeyTitle: "评估表/满意度/知识测试",
		Keys: []string{"checklist", "satisfaction", "knowledge"}},
	{Name: "meal_allowance", Title: "住院伙食补助费", Kind: KindMoney, Unit: "元/天", KeyKind: KeyNone},
	{Name: "payroll", Title: "待遇发放规则", Kind: KindNumber, KeyKind: KeyEnum, KeyTitle: "资格认证有效月数/发放截止日/催办日/追回扣减比例上限",
		Keys: []string{"cert_months", "pay_day", "remind_day", "recovery_max_share"}},
	{Name: "recovery_floor", Title: "追回扣减后每月实发下限", Kind: KindMoney, Unit: "元/月", KeyKind: KeyNone},
	{Name: "remote_filing", Title: "异地就医备案期限", Kind: KindNumber, KeyKind: KeyEnum, KeyTitle: "有效月数/变更撤销须满月数/转诊有效天数", Keys: []string{"valid_months", "hold_months", "referral_days"}},
}

// Catalogue returns the description of every parameter table.
func Catalogue() []Table {
	out := make([]Table, len(catalogue))
	copy(out, catalogue)
	return out
}

// TableByName returns the description of one table.
func TableByName(name string) (Table, bool) {
	for _, t := range catalogue {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// ValidateKey checks a key against the table's key kind.
func (t Table) ValidateKey(key string) error {
	switch t.KeyKind {
	case KeyNone:
		if key != "" {
			return fmt.Errorf("「%s」没有键，键应为空", t.Title)
		}
	case KeyEnum:
		for _, k := range t.Keys {
			if k == key {
				return nil
			}
		}
		var ks []string
		for _, k := range t.Keys {
			if l, ok := KeyLabel(t.Name, k); ok {
				k += "（" + l + "）"
			}
			ks = append(ks, k)
		}
		return fmt.Errorf("「%s」的键应为 %s 之一（收到“%s”）", t.Title, strings.Join(ks, "、"), key)
	case KeyYear:
		if y, err := strconv.Atoi(key); err != nil || len(key) != 4 || y < MinYear || y > MaxYear {
			return fmt.Errorf("「%s」的键应为四位年份（收到“%s”）", t.Title, key)
		}
	case KeyDate:
		if _, err := ParseDate(key); err != nil {
			return fmt.Errorf("「%s」的键应为日期：%v", t.Title, err)
		}
	case KeyFree:
		if key == "" || len(key) > 64 || strings.ContainsAny(key, " ,\t\n") {
			return fmt.Errorf("「%s」的键不能为空或含空白（收到“%s”）", t.Title, key)
		}
	}
	return nil
}

// ValidateValue checks a value against the table's kind.
func (t Table) ValidateValue(value string) error {
	switch t.Kind {
	case KindMoney:
		_, err := ParseMoney(value)
		return err
	case KindRate, KindMonths, KindNumber:
		r, err := ParseDecimal(value)
		if err != nil {
			return err
		}
		if r.Cmp(ratInt(maxValue)) > 0 {
			return fmt.Errorf("数值过大（收到 %q）", value)
		}
	case KindYears:
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 150 || strconv.Itoa(n) != value {
			return fmt.Errorf("应为0–150的整数周岁（收到 %q）", value)
		}
	case KindPeriod:
		_, err := ParsePeriod(value)
		return err
	case KindEnum:
		for _, e := range t.Enum {
			if e == value {
				return nil
			}
		}
		return fmt.Errorf("应为 %s 之一（收到 %q）", strings.Join(t.Enum, "、"), value)
	case KindRateList:
		for _, part := range strings.Split(value, ",") {
			if _, err := ParseDecimal(part); err != nil {
				return err
			}
		}
	}
	return nil
}
