package catalogue

import "regexp"

// The code shapes of the catalogue rows (the national medical-insurance
// coding standards, 医保信息业务编码标准, that every HIS already carries as
// med_list_codg; read from public descriptions of the standards and from
// published rule tables keyed by these codes):
//
//   - Drugs (医保药品分类与代码), 23 characters, capitals and digits. The
//     first character marks the kind: X 西药 (chemical and biological), Z
//     中成药. Then the classification: for X the ATC level-4 group (a
//     letter, two digits, two letters: J01DC second-generation
//     cephalosporins); for Z the catalogue's own section in the same shape
//     (ZG02AA …). Then a 4-character generic-name code (a pinyin initial
//     and three digits) and a 2-character dosage-form code; these first 12
//     characters name the drug and form (XJ01DET084B0), the last 11 are the
//     specification/package and the manufacturer.
//   - Medical service items (医疗服务项目分类与代码), 15 digits: 2 digits of
//     origin ("00" for an item of the national 全国医疗服务价格项目规范, the
//     province's GB/T 2260 prefix for a province's own item, e.g. 37), the
//     9-digit item code of the 规范 (chapter and section first: 11 综合医疗
//     服务 with 1102 诊查费, 1103 床位费; 12 一般医疗服务 with 1201 护理费;
//     21 影像; 22 超声; 25 检验; 31 临床诊疗; 33 手术; 34 物理治疗与康复),
//     then 4 digits for the sub-item (项目内涵/计价单位 variant), 0000 when
//     none. Bed, nursing and consultation-day standards (服务设施) and rehab
//     items are service items, so they share the shape.
//   - Medical consumables (医保医用耗材分类与代码), 20 characters: C and 19
//     digits — a 6-digit classification in three 2-digit levels (03 骨科材料
//     …), a 3-digit generic name, a 5-digit feature code (material, spec)
//     and a 5-digit manufacturer code.
//   - Assistive devices have no national medical-insurance code. The
//     device catalogue's rows are keyed by a local shape: D, the issuing
//     province's 2-digit prefix, the 6-digit class of GB/T 16432 (ISO 9999:
//     06 24 09 transtibial prostheses, 12 22 03 manual wheelchairs …) and
//     a 3-digit serial: 12 characters, D37062409001.
//
// Sources: the 国家医疗保障局 coding standards 医保药品分类与代码,
// 医疗服务项目分类与代码, 医保医用耗材分类与代码 (nhsa.gov.cn, 2019–2020), as
// summarised at https://www.jiusongjiankang.com/health/news/5123665.html
// (drug code: 23 characters in six parts); code values checked against the
// published rule tables of github.com/jdzwq/MediModel (数据作业/2-字典生成:
// 15-digit service codes such as 003401000230600 牵引, consumable classes
// such as C030501079 螺钉, drug codes such as XJ01DET084B0).
var codeShapes = map[Category]*regexp.Regexp{
	Drug:     regexp.MustCompile(`^[XZ][A-Z][0-9]{2}[A-Z]{2}[0-9A-Z]{17}$`),
	Item:     serviceShape,
	Bed:      serviceShape,
	Rehab:    serviceShape,
	Material: regexp.MustCompile(`^C[0-9]{19}$`),
	Device:   regexp.MustCompile(`^D(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])[0-9]{9}$`),
}

// serviceShape: origin 00 or a province prefix (11–65), then 13 digits.
var serviceShape = regexp.MustCompile(`^(00|1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])[0-9]{13}$`)

// ValidCode reports whether code (as NormalizeCode leaves it) has the shape
// of category cat's codes, described above.
func ValidCode(cat Category, code string) bool {
	re, ok := codeShapes[cat]
	return ok && re.MatchString(code)
}

// codeShapeText describes a category's code shape for a problem message.
var codeShapeText = map[Category]string{
	Drug:     "药品编码应为23位：X（西药）或Z（中成药）开头，后接分类码、名称码、剂型码和规格企业码",
	Item:     "诊疗项目编码应为15位数字：00或省份代码开头，后接9位项目规范编码和4位子项",
	Bed:      "服务设施编码应为15位数字（医疗服务项目编码）",
	Rehab:    "康复项目编码应为15位数字（医疗服务项目编码）",
	Material: "医用耗材编码应为20位：C后接19位数字",
	Device:   "辅助器具编码应为12位：D、2位省份代码、6位GB/T 16432类目码和3位序号",
}
