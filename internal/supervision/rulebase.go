package supervision

import "fmt"

// Legal bases the rules cite.
const (
	basisScope   = "《工伤保险条例》第三十条（符合工伤保险诊疗项目目录、药品目录、住院服务标准的，从工伤保险基金支付；治疗非工伤引发的疾病不享受工伤医疗待遇）"
	basisViolate = "《医疗保障基金使用监督管理条例》第三十八条（分解住院、挂床住院、过度诊疗、过度检查、重复收费、超标准收费、串换项目等）"
	basisFraud   = "《医疗保障基金使用监督管理条例》第四十条、《工伤保险条例》第六十条（伪造医学文书、虚构医药服务项目骗取基金）"
	basisAgree   = "工伤保险协议医疗机构服务协议（医疗服务行为与收费管理）"
)

// Base is the rule base shipped with the release: every rule with its
// metadata and parameter defaults. An administrator's settings (store)
// switch rules off or tune values; Configure applies them.
var Base = []Rule{
	// 目录与收费违规
	{ID: "GS-D03", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "超住院天数收费", Name: "床位类费用天数超过住院天数", Category: CatalogueFee, Severity: Definite, FindingType: "超标准收费",
		Basis: basisViolate, Window: "当次住院", Logic: "床位费、护理费、住院诊查费等按日计费项目的数量之和超过住院天数（入院当天计、出院当天不计，至少1天）",
		Disposal: "超出天数的费用拒付追回", Params: []Param{{Name: "tolerance_days", Label: "允许误差天数", Default: 0, Min: 0, Max: 3, Unit: "天"}}},
	{ID: "GS-D06", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "超标准收费", Name: "超限定单价收费", Category: CatalogueFee, Severity: Definite, FindingType: "超标准收费",
		Basis: basisScope, Window: "单条明细", Logic: "单价高于就诊日有效目录行按机构等级的限价，超出部分不予支付（价格调整以有效期为准）",
		Disposal: "超出部分拒付追回", Params: []Param{{Name: "tolerance_pct", Label: "允许误差", Default: 0.5, Min: 0, Max: 10, Unit: "%"}}},
	{ID: "GS-D07", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "重复收费", Name: "医疗服务项目重复收费", Category: CatalogueFee, Severity: Definite, FindingType: "重复收费",
		Basis: basisViolate, Window: "单日", Logic: "同一就诊同日收取了打包互斥的两个项目（互斥标志0：不得同时收取）",
		Disposal: "被包含项目的费用拒付追回", Params: []Param{{Name: "flag_indicator1", Label: "标志1（需临床说明）也提示", Default: 0, Min: 0, Max: 1}}},
	{ID: "GS-D08", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "超频次收费", Name: "医疗服务项目限定频次", Category: CatalogueFee, Severity: Definite, FindingType: "超标准收费",
		Basis: basisViolate, Window: "单日/当次住院", Logic: "每日限量（按部位计价的按认定受伤部位数放宽）、每次住院限量或最短间隔天数超出目录规定",
		Disposal: "超出数量的费用拒付追回"},
	{ID: "GS-D09", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "超支付范围", Name: "超工伤保险支付范围", Category: CatalogueFee, Severity: Definite, FindingType: "将不属于医保支付范围的费用纳入结算",
		Basis: basisScope, Window: "当次就诊", Logic: "基金支付额超过目录内且与认定工伤相关的费用：目录外项目或与工伤无关的药品（降压、降糖等）由基金支付",
		Disposal: "超范围部分拒付追回，基础疾病费用转基本医保", Params: []Param{{Name: "tolerance_yuan", Label: "允许误差", Default: 1, Min: 0, Max: 100, Unit: "元"}}},
	{ID: "GS-D11", Version: 1, Stages: []string{StageScreening}, Name: "结算金额与明细不符", Category: CatalogueFee, Severity: Definite, FindingType: "超标准收费",
		Basis: basisAgree, Window: "当次就诊", Logic: "明细金额不等于数量×单价，或结算总额大于明细金额之和",
		Disposal: "多计部分拒付追回"},
	{ID: "GS-D12", Version: 1, Stages: []string{StageRealtime}, Behaviour: "辅助器具超限", Name: "辅助器具未到最低使用年限更换", Category: CatalogueFee, Severity: Definite, FindingType: "超标准收费",
		Basis: "《工伤职工劳动能力鉴定管理办法》、工伤保险辅助器具配置管理办法第十六条", Window: "使用年限", Logic: "同一辅助器具在最低使用年限内再次配置",
		Disposal: "不予支付，确因损坏、残肢变化的附说明"},
	{ID: "GS-D04", Version: 1, Stages: []string{StageRealtime}, Behaviour: "重复计费", Name: "同一明细重复上传", Category: CatalogueFee, Severity: Suspicious, FindingType: "重复收费",
		Basis: basisViolate, Window: "单日", Logic: "编码、时间、数量、医师均相同的明细在同次就诊中出现多次", Disposal: "核对医嘱执行记录"},
	// 虚构服务 / 虚假病历
	{ID: "GS-D01", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "计费日期不符", Name: "计费日期与住院时间不符", Category: CatalogueFee, Severity: Definite, FindingType: "虚构医药服务项目",
		Basis: basisFraud, Window: "当次住院", Logic: "住院费用的发生日期早于入院日期或晚于出院日期",
		Disposal: "拒付追回，调取医嘱与执行记录核实"},
	{ID: "GS-D02", Version: 1, Stages: []string{StageScreening}, Name: "死亡后发生费用", Category: Fabricated, Severity: Definite, FindingType: "虚构医药服务项目",
		Basis: basisFraud, Window: "当次就诊", Logic: "费用发生日期晚于登记的死亡日期", Disposal: "拒付追回；死亡日期来源有误的先核实"},
	{ID: "GS-D05", Version: 1, Stages: []string{StageScreening}, Name: "同一时间在两处住院", Category: Fabricated, Severity: Definite, FindingType: "虚假就医",
		Basis: basisFraud, Window: "自然日", Logic: "同一职工两次住院的在院时间重叠达到参数天数（转院当天出入院不算）",
		Disposal: "重叠日费用拒付，核查两家机构病历", Params: []Param{{Name: "overlap_days", Label: "重叠天数", Default: 2, Min: 1, Max: 10, Unit: "天"}}},
	{ID: "GS-F09", Version: 1, Stages: []string{StageScreening}, Name: "医师不在职期间计费", Category: Fabricated, Severity: Definite, FindingType: "虚构医药服务项目",
		Basis: basisFraud, Window: "单日", Logic: "开单或执行医师当日不在该机构任职（入职前、离职后或为其他机构人员）",
		Disposal: "拒付追回，核查排班与签名"},
	{ID: "GS-F02", Version: 1, Stages: []string{StageScreening}, Name: "医务人员日工作量超出可能", Category: Fabricated, Severity: Suspicious, FindingType: "虚构医药服务项目",
		Basis: basisFraud, Window: "单日", Logic: "同一医务人员一日内所计项目的标准耗时之和超过上限（医师、护士12小时，治疗师8小时）",
		Disposal: "核查排班、治疗记录与患者签到", Params: []Param{
			{Name: "doctor_minutes", Label: "医师每日上限", Default: 720, Min: 240, Max: 1440, Unit: "分钟"},
			{Name: "therapist_minutes", Label: "治疗师每日上限", Default: 480, Min: 240, Max: 1440, Unit: "分钟"}}},
	{ID: "GS-F03", Version: 1, Stages: []string{StageScreening}, Name: "检查检验报告单号跨患者重复", Category: Fabricated, Severity: Suspicious, FindingType: "伪造变造资料",
		Basis: basisFraud, Window: "当年", Logic: "同一报告单号出现在不同职工的就诊中", Disposal: "调取报告原件与影像核对"},
	{ID: "GS-F04", Version: 1, Stages: []string{StageScreening}, Name: "骨折住院无任何检查检验", Category: Fabricated, Severity: Suspicious, FindingType: "虚假就医",
		Basis: basisFraud, Window: "当次住院", Logic: "骨折或手术住院没有任何影像和检验费用", Disposal: "核查病历、影像与床旁记录"},
	{ID: "GS-F06", Version: 1, Stages: []string{StageScreening}, Name: "手术与麻醉、植入物不匹配", Category: Fabricated, Severity: Suspicious, FindingType: "虚构医药服务项目",
		Basis: basisFraud, Window: "当次住院", Logic: "收取植入物而无手术，或收取手术而无麻醉", Disposal: "核查手术记录与耗材出入库"},
	{ID: "GS-D13", Version: 1, Stages: []string{StageRealtime, StageScreening}, Behaviour: "与工伤无关", Name: "就诊与认定工伤不符", Category: Fabricated, Severity: Suspicious, FindingType: "虚假就医",
		Basis: basisScope, Window: "当次就诊", Logic: "就诊所挂认定记录不存在、属于他人、晚于就诊，或主诊断部位不在认定受伤部位及相邻部位内（取内固定、并发症除外）",
		Disposal: "核查认定结论与病历，非工伤费用转基本医保"},
	{ID: "GS-F08", Version: 1, Stages: []string{StageScreening}, Name: "医疗项目雷同", Category: Fabricated, Severity: Suspicious, FindingType: "伪造变造资料",
		Basis: basisFraud, Window: "当年", Logic: "同一机构不同职工的住院天数、总额相同，逐日项目（第几天、项目、数量）的相似度达到参数",
		Disposal: "调取病历比对，回访患者", Params: []Param{{Name: "min_days", Label: "最少住院天数", Default: 5, Min: 2, Max: 30, Unit: "天"},
			{Name: "jaccard", Label: "相似度", Default: 0.9, Min: 0.5, Max: 1}}},
	// 挂床住院
	{ID: "GS-H01", Version: 1, Stages: []string{StageScreening}, Name: "住院空床日", Category: PhantomStay, Severity: Suspicious, FindingType: "虚构医药服务项目",
		Basis: basisViolate, Window: "当次住院", Logic: "住院期间（不含入出院日）只有床位、护理、诊查、膳食费用而无药品、治疗、检查的日子连续达到参数天数或占比超过参数；骨折术前消肿等待（手术前参数天数内）不计",
		Disposal: "夜间、周末突击查床，核对护理记录与请假记录", Params: []Param{
			{Name: "consecutive", Label: "连续空床日", Default: 3, Min: 2, Max: 10, Unit: "天"},
			{Name: "share", Label: "空床日占比", Default: 0.4, Min: 0.1, Max: 1},
			{Name: "preop_days", Label: "术前等待天数", Default: 7, Min: 0, Max: 14, Unit: "天"}}},
	{ID: "GS-H03", Version: 1, Stages: []string{StageScreening}, Name: "住院期间在岗或另有就诊", Category: PhantomStay, Severity: Suspicious, FindingType: "虚构医药服务项目",
		Basis: basisViolate, Window: "自然日", Logic: "住院期间（不含入出院日）用人单位考勤记录其在岗，或在其他机构门诊就诊",
		Disposal: "调取考勤与门诊记录，询问用人单位"},
	{ID: "GS-H04", Version: 1, Stages: []string{StageScreening}, Name: "结伴住院", Category: PhantomStay, Severity: Suspicious, FindingType: "虚假就医",
		Basis: basisViolate, Window: "当次住院", Logic: "同一机构同一用人单位的多名职工相差不超过1天入院、1天出院，且非同一事故（群体伤亡事故除外）",
		Disposal: "逐人回访、查床", Params: []Param{{Name: "group_size", Label: "人数", Default: 4, Min: 3, Max: 20, Unit: "人"}}},
	{ID: "GS-H05", Version: 1, Stages: []string{StageScreening}, Name: "在院人数超过床位", Category: PhantomStay, Severity: Suspicious, FindingType: "虚假就医",
		Basis: basisViolate, Window: "自然日", Logic: "某日机构的工伤住院人数已超过登记床位×参数；当日治疗最少的住院补足超出人数，累计达到参数天数的住院为线索",
		Disposal: "核对床位使用登记与护理记录，突击查床", Params: []Param{{Name: "ratio", Label: "床位倍数", Default: 1.05, Min: 1, Max: 2},
			{Name: "min_days", Label: "最少天数", Default: 2, Min: 1, Max: 30, Unit: "天"}}},
	// 串换项目
	{ID: "GS-C01", Version: 1, Stages: []string{StageScreening}, Name: "机构无相应设备而收费", Category: ItemSubstitution, Severity: Definite, FindingType: "串换项目",
		Basis: basisViolate, Window: "单条明细", Logic: "收费项目需要的设备（如3.0T磁共振、DSA、层流病房）不在机构登记的设备中；有同类低档项目的按差价计",
		Disposal: "按实际提供的项目价格结算，差额追回"},
	{ID: "GS-C02", Version: 1, Stages: []string{StageScreening}, Name: "药品耗材进销存不符", Category: ItemSubstitution, Severity: Suspicious, FindingType: "串换项目",
		Basis: basisViolate, Window: "自然月（累计）", Logic: "截至某月累计计费数量超过累计进货数量（允许误差），或计费的药品、植入物从未进货",
		Disposal: "核对进货发票与库存台账", Params: []Param{
			{Name: "tolerance_pct", Label: "允许误差", Default: 2, Min: 0, Max: 20, Unit: "%"},
			{Name: "tolerance_units", Label: "允许误差数量", Default: 1, Min: 0, Max: 50}}},
	{ID: "GS-C04", Version: 1, Stages: []string{StageScreening}, Name: "高价同类项目占比异常", Category: ItemSubstitution, Severity: Suspicious, FindingType: "串换项目",
		Basis: basisViolate, Window: "当年", Logic: "同类项目中高档项目的占比高于同类机构的参数分位数且为中位数的数倍", Disposal: "抽查病历与耗材条码",
		Params: []Param{{Name: "percentile", Label: "同类机构分位数", Default: 90, Min: 50, Max: 99}, {Name: "factor", Label: "高于中位数倍数", Default: 2, Min: 1, Max: 10},
			{Name: "min_share", Label: "最低高档占比", Default: 0.5, Min: 0, Max: 1}}},
	// 过度检查
	{ID: "GS-E01", Version: 1, Stages: []string{StageScreening}, Name: "短期重复检查", Category: OverExamination, Severity: Suspicious, FindingType: "过度检查",
		Basis: basisViolate, Window: "参数天数", Logic: "同一部位同一影像项目在参数天数内重复，其间无手术（颅脑损伤24小时内复查CT、术后复查X线除外）",
		Disposal: "核查检查指征与报告", Params: []Param{{Name: "ct_mr_days", Label: "CT/磁共振间隔", Default: 7, Min: 1, Max: 30, Unit: "天"},
			{Name: "xray_days", Label: "X线间隔", Default: 3, Min: 1, Max: 14, Unit: "天"}}},
	{ID: "GS-E03", Version: 1, Stages: []string{StageScreening}, Name: "同日同部位CT与磁共振", Category: OverExamination, Severity: Suspicious, FindingType: "过度检查",
		Basis: basisViolate, Window: "单日", Logic: "同一天对同一部位既做CT又做磁共振（颅脑、脊髓损伤除外）", Disposal: "核查检查指征"},
	{ID: "GS-C03", Version: 1, Stages: []string{StageScreening}, Name: "检查部位与认定伤情不符", Category: ItemSubstitution, Severity: Suspicious, FindingType: "串换项目",
		Basis: basisScope, Window: "当次就诊", Logic: "影像检查部位不在认定受伤部位及其相邻部位内（术前胸片除外）", Disposal: "核查检查指征"},
	{ID: "GS-E02", Version: 1, Stages: []string{StageScreening}, Name: "检查检验费用占比异常", Category: OverExamination, Severity: Suspicious, FindingType: "过度检查",
		Basis: basisViolate, Window: "当次就诊", Logic: "就诊的检查检验费用高于同一伤情组同类机构的参数分位数且超过中位数的数倍（组内少于参数例数不比较）",
		Disposal: "抽查病历", Params: []Param{{Name: "percentile", Label: "分位数", Default: 97, Min: 80, Max: 99.9}, {Name: "factor", Label: "高于中位数倍数", Default: 2.5, Min: 1, Max: 10},
			{Name: "min_group", Label: "最少例数", Default: 30, Min: 10, Max: 200, Unit: "例"}}},
	// 过度治疗 / 分解住院
	{ID: "GS-T01", Version: 1, Stages: []string{StageScreening}, Name: "住院天数异常", Category: OverTreatment, Severity: Suspicious, FindingType: "过度诊疗",
		Basis: basisViolate, Window: "当次住院", Logic: "住院天数的对数高于同一伤情组中位数参数个稳健标准差（四分位距÷1.349）且超出参数天数（组内少于参数例数不比较；死亡、转院不计）",
		Disposal: "专家审查病程记录", Params: []Param{{Name: "z", Label: "稳健z值", Default: 2, Min: 1, Max: 5},
			{Name: "min_group", Label: "最少例数", Default: 30, Min: 10, Max: 200, Unit: "例"}, {Name: "min_excess_days", Label: "最少超出天数", Default: 5, Min: 1, Max: 30, Unit: "天"}}},
	{ID: "GS-T02", Version: 1, Stages: []string{StageScreening}, Name: "住院费用异常", Category: OverTreatment, Severity: Suspicious, FindingType: "过度诊疗",
		Basis: basisViolate, Window: "当次住院", Logic: "住院总费用高于同一伤情组平均费用的参数倍数（按病种分值付费的“超高”界值为2倍，重症组按5倍；组内少于参数例数不比较；死亡、转院不计）",
		Disposal: "专家审查", Params: []Param{{Name: "ratio", Label: "高于组平均倍数", Default: 2, Min: 1.5, Max: 10},
			{Name: "min_group", Label: "最少例数", Default: 30, Min: 10, Max: 200, Unit: "例"}}},
	{ID: "GS-T05", Version: 1, Stages: []string{StageScreening}, Name: "分解住院", Category: OverTreatment, Severity: Suspicious, FindingType: "分解收费",
		Basis: basisViolate, Window: "参数天数", Logic: "同一机构同一认定工伤出院后参数天数内再次入院（取内固定、转院除外）",
		Disposal: "核查两次住院病历", Params: []Param{{Name: "gap_days", Label: "间隔天数", Default: 15, Min: 1, Max: 60, Unit: "天"}}},
	{ID: "GS-T03", Version: 1, Stages: []string{StageScreening}, Name: "康复治疗超出损伤部位", Category: OverTreatment, Severity: Suspicious, FindingType: "过度诊疗",
		Basis: basisScope, Window: "当次就诊", Logic: "康复项目的部位不在认定受伤部位及相邻部位内", Disposal: "核查康复评定与治疗记录"},
}

// ruleSet is the configured rule base a scan runs with.
type ruleSet map[string]*Rule

// Configure applies settings to the base: cfg.Rules overrides a base rule
// of the same id (enabled flag, values). An empty cfg is the base as shipped.
func Configure(cfg Config) ruleSet {
	rs := ruleSet{}
	for i := range Base {
		r := Base[i]
		r.Enabled = true
		rs[r.ID] = &r
	}
	for _, o := range cfg.Rules {
		r, ok := rs[o.ID]
		if !ok {
			continue
		}
		r.Enabled = o.Enabled
		if len(o.Values) > 0 {
			r.Values = o.Values
		}
		if o.Version > 0 {
			r.Version = o.Version
		}
	}
	return rs
}

// on reports whether a rule runs.
func (rs ruleSet) on(id string) bool { r := rs[id]; return r != nil && r.Enabled }

// val is a rule's parameter: the tuned value or the default.
func (rs ruleSet) val(id, name string) float64 {
	r := rs[id]
	if r == nil {
		panic("supervision: unknown rule " + id)
	}
	if v, ok := r.Values[name]; ok {
		return v
	}
	for _, p := range r.Params {
		if p.Name == name {
			return p.Default
		}
	}
	panic(fmt.Sprintf("supervision: rule %s has no parameter %s", id, name))
}

// RuleByID finds a base rule.
func RuleByID(id string) (Rule, bool) {
	for _, r := range Base {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Check validates tuned values against the rule's parameters (names and
// ranges); the message names the parameter.
func (r Rule) Check(values map[string]float64) error {
	for name, v := range values {
		var p *Param
		for i := range r.Params {
			if r.Params[i].Name == name {
				p = &r.Params[i]
			}
		}
		if p == nil {
			return fmt.Errorf("规则%s没有参数%s", r.ID, name)
		}
		if v < p.Min || v > p.Max {
			return fmt.Errorf("规则%s参数“%s”应在%g至%g之间", r.ID, p.Label, p.Min, p.Max)
		}
	}
	return nil
}
