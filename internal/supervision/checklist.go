package supervision

// Checklist is what an audit team checks on site for one behaviour
// category (fund-audit.md §4.3–4.7 field verification, §5.4 pre-visit
// pack): the records to ask for and the checks to make, each a short
// instruction a team member ticks off.
type Checklist struct {
	Category string   `json:"category"`
	Name     string   `json:"name"`  // the category's Chinese name
	Items    []string `json:"items"` // in the order they are done on site
}

// checklistItems are written from fund-audit.md in our own words; the
// order within a category is the order of the visit (records first,
// then the ward, then the people).
var checklistItems = map[string][]string{
	CatalogueFee: {
		"调取物价部门核准的收费标准和本机构执行的价格表，按机构等级核对线索明细的单价",
		"对照捆绑收费规则，核查同一天同时收取的主项目与包含项目，查看是否有单独收费的书面依据",
		"核对限定频次、限定天数的项目：逐日计数，超出部分是否有医嘱和执行记录",
		"核查非工伤目录项目和与认定伤情无关的药品（如降压、降糖药）是否由工伤保险基金支付",
		"核对床位费、护理费、诊查费天数与住院天数（计入不计出），以及伙食补助天数",
		"核对结算单合计与费用明细合计是否一致",
	},
	ItemSubstitution: {
		"调取线索涉及药品、耗材、植入物的进销存台账和采购发票，按月核对购入量、库存与结算数量",
		"核对植入物条码、合格证粘贴记录与手术记录、结算明细是否一一对应",
		"现场查看收费项目所需设备、场地和资质（如3.0T磁共振、层流病房、康复设备）是否具备并在用",
		"抽查高价项目（如锁定螺钉、数字化摄影、综合康复训练）的医嘱、执行单和报告，看实际做的是否为所收项目",
		"核对收费项目的检查部位是否与认定受伤部位相符",
	},
	PhantomStay: {
		"不打招呼到病区床旁点名（夜间或周末），逐床核对在床患者与住院名单",
		"查看床旁有无个人生活用品、输液和治疗痕迹",
		"调取考勤、刷脸或刷卡签到记录以及请假登记，核对患者在院天数",
		"核对护理记录、体温单、医嘱执行记录与计费天数是否相符",
		"电话或上门回访患者本人，并向用人单位核实住院期间的出勤记录",
		"核对同期药品发放记录与计费数量",
	},
	Fabricated: {
		"逐项比对病历、医嘱、执行记录、检查报告与结算明细，填写病历比对表",
		"核对检查报告编号、影像资料是否在不同患者间重复使用",
		"核对开单医师和治疗师当日在岗、排班、执业地点和工作量是否可能完成所收服务",
		"对无检查、无护理记录、无伙食补助的住院，电话回访患者核实是否真实就医",
		"核对手术与麻醉、植入物与手术记录是否配套",
	},
	OverExamination: {
		"调取重复检查的申请单和报告，查看两次检查之间有无病情变化、手术等正当理由",
		"核对是否已有可互认的检查检验结果而仍重复检查",
		"查看同日同部位CT与磁共振、化验套餐与其组成项目同时收取的情况",
		"请临床专家评估检查项目与诊断、受伤部位的关联",
	},
	OverTreatment: {
		"调取超长住院、超高费用病例的病程记录，请临床专家评估住院必要性和天数",
		"核查短期内出院又再次入院的病例（分解住院），看是否为计划分期手术、取内固定或转院",
		"核对康复治疗的评定记录、治疗频次和功能改善情况，评估是否需要继续治疗",
		"核对无住院指征（轻微挫伤、扭伤）收治入院的病例",
	},
}

// Checklists returns the checklist of each category asked for, in the
// categories' display order (Categories); no categories means all six.
// Unknown categories are left out.
func Checklists(categories ...string) []Checklist {
	want := map[string]bool{}
	for _, c := range categories {
		want[c] = true
	}
	var out []Checklist
	for _, c := range Categories {
		if len(categories) > 0 && !want[c] {
			continue
		}
		out = append(out, Checklist{Category: c, Name: CategoryName(c), Items: append([]string(nil), checklistItems[c]...)})
	}
	return out
}
