package auditsynth

// pattern describes one injected violation or look-alike.
type pattern struct {
	id, category, kind string
	desc               string
}

const (
	catFee   = "catalogue_fee"
	catSubst = "item_substitution"
	catStay  = "phantom_stay"
	catFab   = "fabricated"
	catExam  = "over_examination"
	catTreat = "over_treatment"
)

// Categories are the six behaviour categories of settlement-extract.md §3.
var Categories = []string{catSubst, catStay, catFab, catExam, catTreat, catFee}

var patterns = []pattern{
	{"CF_OVERPRICE", catFee, "violation", "一个收费项目在整次就诊中按高于该机构等级、服务当日有效目录行的限价收费（金额 = 超出部分 × 数量）"},
	{"CF_BUNDLE0", catFee, "violation", "同日同次就诊收取了指标为 0 的捆绑对的组成项（血常规+白细胞计数、特级护理+Ⅰ级护理、7月起综合康复训练+运动疗法等）；金额 = 组成项金额"},
	{"CF_PERDAY", catFee, "violation", "每日限量超出（住院诊查费、护理或康复项目一日收 2 次等）；金额 = 超出单位 × 单价"},
	{"CF_PERSTAY", catFee, "violation", "每次住院限量超出（康复初期评定、血型鉴定收两次）；金额 = 超出部分"},
	{"CF_INTERVAL", catFee, "violation", "最小间隔天数未满足（康复综合评定相隔不足 14 天、手功能评定相隔不足 30 天）；金额 = 违规的那一次"},
	{"CF_UNCOVERED", catFee, "violation", "目录外（covered=0）项目计入基金支付（进口敷料、单人间差价、复合辅酶、美容缝合）；金额 = 这些明细金额"},
	{"CF_UNRELATED", catFee, "violation", "与工伤无关的药品（降压、降糖、降脂、止咳，无既往诊断）计入基金支付；金额 = 这些明细金额"},
	{"CF_OUTSIDE", catFee, "violation", "住院费用明细发生在入院前或出院后的日期；金额 = 这些明细金额"},
	{"CF_BEDDAYS", catFee, "violation", "出院当日仍收床位、护理、诊查费，计费床日超过 max(1, 出院−入院)；金额 = 多收的床日明细"},
	{"IS_HIGHTIER", catSubst, "violation", "同族项目中同级机构普遍用 1 档时本机构按 2 档收费（锁定螺钉/接骨板、综合康复训练、化学发光法、特殊插管）；金额 = 与 1 档的差价 × 数量"},
	{"IS_EQUIPMENT", catSubst, "violation", "收取需要本机构没有的设备的项目（3.0T 磁共振、层流病房、麻醉恢复室、机器人步态训练）；金额 = 与可提供项目的差价，无替代项目时为全额"},
	{"IS_STOCK", catSubst, "violation", "植入物计费数量多于实际使用和进货数量（purchases.csv 只记录实际数量）；金额 = 多计数量 × 单价"},
	{"IS_REGION", catSubst, "violation", "影像检查部位与认定受伤部位及其相邻部位均不符（如手外伤做膝关节磁共振）；金额 = 该检查金额"},
	{"PS_EMPTY", catStay, "violation", "治疗结束后继续挂床 6–12 天，这些天只有床位、护理、诊查、伙食等住宿类项目；金额 = 这些天的明细"},
	{"PS_ATTEND", catStay, "violation", "住院期间连续 3–6 天用人单位考勤记录在岗，这些天只有住宿类项目；金额 = 这些天的明细"},
	{"PS_GROUP", catStay, "violation", "同一用人单位 6–8 名不同事故的工人同日入住同一机构、相差不超过 1 天出院，低强度住院（结伴住院）；整次就诊，金额 = 基金支付额"},
	{"PS_CENSUS", catStay, "violation", "机构在一段时间内登记在院人数超过核定床位的额外低强度住院；整次就诊，金额 = 基金支付额"},
	{"FB_NOTEMPLOYED", catFab, "violation", "由服务当日不在该机构执业（已离职）的医师开具或执行的明细；金额 = 这些明细金额"},
	{"FB_AFTERDEATH", catFab, "violation", "登记死亡日期之后的就诊；整次就诊，金额 = 基金支付额"},
	{"FB_OVERLAP", catFab, "violation", "与另一机构的真实住院重叠至少 2 天的虚构住院；整次就诊，金额 = 基金支付额"},
	{"FB_MINUTES", catFab, "violation", "同一治疗师在若干天内被记入远超 8 小时的治疗时间：额外加入的治疗明细；金额 = 这些明细金额"},
	{"FB_CLONE", catFab, "violation", "同一机构 6–8 名患者的明细按相同的（住院第几天、项目、数量）复制，住院天数相同；整次就诊，金额 = 基金支付额"},
	{"FB_NOWORKUP", catFab, "violation", "骨折等住院没有任何检验和影像，没有手术，只有住宿、少量药品和换药（虚构住院）；整次就诊，金额 = 基金支付额"},
	{"OE_REPEAT", catExam, "violation", "同一部位 CT/MR 在 7 天内无手术等事件重复检查；金额 = 重复的检查"},
	{"OE_SHARE", catExam, "violation", "检验检查大量超出同组（重复血常规、生化、甲功、肿瘤标志物、额外超声和 DR）；金额 = 额外的检验检查明细"},
	{"OE_CTMR", catExam, "violation", "同一部位同日既做 CT 又做 MR；金额 = 后加的那项检查"},
	{"OT_LOS", catTreat, "violation", "住院在正常出院日之后继续输液、换药等治疗，住院天数远超同组；金额 = 延长天数的明细"},
	{"OT_SPLIT", catTreat, "violation", "同一机构同一工伤出院后 1–6 天再次入院（分解住院）；标在第二次住院上，金额 = 重复的入院检验检查"},
	{"OT_REHAB", catTreat, "violation", "康复住院在正常疗程后继续 1–2 倍时长的治疗；金额 = 延长天数的明细"},
	{"OT_COST", catTreat, "violation", "住院每日加用高价治疗、耗材和营养支持药品，费用远超同组；金额 = 额外的明细"},

	{"LA_MASS", catStay, "lookalike", "群体伤事故：同一用人单位多名工人同一事故（同一 event_id）同日入院"},
	{"LA_SEVERE", catTreat, "lookalike", "真正的重伤（多发伤 T02、大面积烧伤 T29.3）：住院长、检查多、费用高（同时作为过度检查的相似例，见 LA_SEVERE_EXAM）"},
	{"LA_SEVERE_EXAM", catExam, "lookalike", "同 LA_SEVERE，作为过度检查的相似例"},
	{"LA_IMPLANT_REMOVAL", catTreat, "lookalike", "数月后同一机构因取内固定（Z47.0）再次入院"},
	{"LA_HEAD_CT", catExam, "lookalike", "颅脑损伤入院 24 小时内复查头颅 CT"},
	{"LA_PRICE_CHANGE", catFee, "lookalike", "年中调价的项目：调价前按旧价、调价后按新价收费，按另一窗口的限价看会超标"},
	{"LA_STAFF", catFab, "lookalike", "年内入职或离职的医务人员，只在执业期内（边界前后 30 天内）开具明细"},
	{"LA_TRANSFER", catFab, "lookalike", "转院：出院当日在另一机构入院（作为重叠住院的相似例）"},
	{"LA_TRANSFER_STAY", catStay, "lookalike", "同 LA_TRANSFER，作为挂床（住院期间另有住院）的相似例"},
	{"LA_PREOP", catStay, "lookalike", "骨折术前消肿等待 3–7 天，这些天只有住宿类项目，随后手术"},
	{"LA_TWO_REGIONS", catFee, "lookalike", "两个受伤部位：按“部位”计价的项目一日收到每日限量 × 部位数"},
	{"LA_DRUG_AHEAD", catSubst, "lookalike", "药品在首次使用的前一个月整包购进，当月没有进货"},
	{"LA_COMPLICATION", catFee, "lookalike", "并发症（术后切口感染 T81.4）加用抗生素、细菌培养，药品目录为 any/systemic"},
	{"LA_PREEXIST", catFee, "lookalike", "既往高血压/糖尿病（其他诊断 I10/E11.9）住院期间用降压/降糖药，但未计入基金支付（由基本医保支付）"},
	{"LA_ATTEND_EDGE", catStay, "lookalike", "受伤当天在岗有考勤、当天入院（考勤日 = 入院日）"},
	{"LA_DEATH_IN_HOSPITAL", catFab, "lookalike", "住院期间死亡：出院时间为死亡时间，当天死亡前仍有明细"},
}

var patternByID = func() map[string]pattern {
	m := map[string]pattern{}
	for _, p := range patterns {
		m[p.id] = p
	}
	return m
}()

// label is one row of labels/labels.csv.
type label struct {
	mdtrt, category, kind string
	amount                int64
	sns                   []string
	inst, pattern         string
}
