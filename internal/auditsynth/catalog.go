package auditsynth

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Regions is the closed body-region list of the extract.
var Regions = []string{"head", "neck", "thorax", "abdomen", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm",
	"wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot", "burn_multi", "spine", "eye"}

var regionCN = map[string]string{"head": "头颅", "neck": "颈部", "thorax": "胸部", "abdomen": "腹部", "lumbar_pelvis": "腰骶骨盆",
	"shoulder_upper_arm": "肩关节及上臂", "elbow_forearm": "肘关节及前臂", "wrist_hand": "腕关节及手", "hip_thigh": "髋关节及大腿",
	"knee_lower_leg": "膝关节及小腿", "ankle_foot": "踝关节及足", "burn_multi": "多部位", "spine": "脊柱", "eye": "眼部"}

// adjacent regions: an examination of an adjacent region is clinically plausible.
var adjacent = map[string][]string{
	"head": {"neck", "eye"}, "eye": {"head"}, "neck": {"head", "spine", "thorax", "shoulder_upper_arm"},
	"thorax": {"neck", "abdomen", "spine", "shoulder_upper_arm"}, "abdomen": {"thorax", "lumbar_pelvis", "spine"},
	"lumbar_pelvis": {"abdomen", "hip_thigh", "spine"}, "spine": {"neck", "thorax", "abdomen", "lumbar_pelvis"},
	"shoulder_upper_arm": {"neck", "thorax", "elbow_forearm"}, "elbow_forearm": {"shoulder_upper_arm", "wrist_hand"},
	"wrist_hand": {"elbow_forearm"}, "hip_thigh": {"lumbar_pelvis", "knee_lower_leg"}, "knee_lower_leg": {"hip_thigh", "ankle_foot"},
	"ankle_foot": {"knee_lower_leg"}, "burn_multi": nil,
}

// item is one catalogue row: one item in one validity window.
type item struct {
	key      string // generator's own handle
	code     string
	name     string
	cat      string
	region   string
	price    [3]int64 // fen at levels 1, 2, 3
	unit     string
	perDay   int
	perStay  int
	interval int
	covered  bool
	family   string
	tier     int
	equip    string
	minutes  int
	related  string // drugs: list, any, systemic or empty
	from, to int    // days; to 0 = open
	pack     int    // drugs: units per pack
}

func (it *item) ceiling(level int) int64 { return it.price[level-1] }

// catalog holds the catalogue rows and the bundle edits.
type catalog struct {
	rows    []*item
	byKey   map[string][]*item // windows of one item, in date order
	byCode  map[string][]*item
	bundles []bundle
	serial  map[string]int
}

type bundle struct {
	item1, item2 string // codes
	k1, k2       string // keys
	indicator    int
	from, to     int
}

// at is the row of an item valid on a day (the last window if none covers it).
func (c *catalog) at(key string, day int) *item {
	ws := c.byKey[key]
	if ws == nil {
		panic("auditsynth: no catalogue item " + key)
	}
	for _, w := range ws {
		if day >= w.from && (w.to == 0 || day <= w.to) {
			return w
		}
	}
	return ws[len(ws)-1]
}

func (c *catalog) has(key string) bool { return c.byKey[key] != nil }

// otherCeilings: the highest ceiling of the item's other windows (0 if one window).
func (c *catalog) otherWindowCeiling(it *item, level int) (int64, bool) {
	ws := c.byKey[it.key]
	if len(ws) < 2 {
		return 0, false
	}
	var lo int64 = -1
	for _, w := range ws {
		if w != it && (lo < 0 || w.ceiling(level) < lo) {
			lo = w.ceiling(level)
		}
	}
	return lo, true
}

// bundleOn reports the indicator-0 edits (item1, item2 keys) valid on a day.
func (c *catalog) bundleOn(day int, indicator int) []bundle {
	var out []bundle
	for _, b := range c.bundles {
		if b.indicator == indicator && day >= b.from && (b.to == 0 || day <= b.to) {
			out = append(out, b)
		}
	}
	return out
}

func levelPrices(base float64, flat bool) [3]int64 {
	f := int64(base*100 + 0.5)
	if flat {
		return [3]int64{f, f, f}
	}
	r := func(x float64) int64 { return int64(x*10+0.5) * 10 }
	return [3]int64{r(base * 0.80), r(base * 0.90), f}
}

// spec is a compact catalogue line: key|name|cat|region|price|unit|perDay|perStay|interval|covered|family|tier|equip|minutes|related|pack
type spec struct {
	key, name, cat, region string
	price                  float64
	unit                   string
	perDay, perStay, intv  int
	covered                bool
	family                 string
	tier                   int
	equip                  string
	minutes                int
	related                string
	pack                   int
}

func (c *catalog) add(s spec, from, to int) *item {
	code := c.codeFor(s)
	it := &item{key: s.key, code: code, name: s.name, cat: s.cat, region: s.region,
		price: levelPrices(s.price, s.cat == "drug" || s.cat == "implant" || s.cat == "material"),
		unit:  s.unit, perDay: s.perDay, perStay: s.perStay, interval: s.intv, covered: s.covered, family: s.family,
		tier: s.tier, equip: s.equip, minutes: s.minutes, related: s.related, from: from, to: to, pack: s.pack}
	c.rows = append(c.rows, it)
	c.byKey[s.key] = append(c.byKey[s.key], it)
	c.byCode[code] = append(c.byCode[code], it)
	return it
}

// codeFor is a national-style code: service items 15 digits, drugs X/Z + 22,
// materials and implants C + 19.
func (c *catalog) codeFor(s spec) string {
	if ws := c.byKey[s.key]; ws != nil {
		return ws[0].code
	}
	n := c.serial[s.cat] + 1
	c.serial[s.cat] = n
	switch s.cat {
	case "drug":
		if strings.Contains(s.name, "片") && strings.Contains(s.key, "tcm") {
			return fmt.Sprintf("ZA%02dBAA%04d%010d", n%100, 370800+n, n*7919)
		}
		return fmt.Sprintf("XJ%02dDCA%04dA%09d", n%100, 1000+n, 10100000+n*37)
	case "material", "implant":
		prefix := map[string]string{"material": "C020101", "implant": "C031302"}[s.cat]
		return fmt.Sprintf("%s%012d", prefix, 100000000+n*13)
	}
	catNo := map[string]int{"exam_imaging": 21, "lab": 25, "treatment": 12, "rehab": 34, "surgery": 31, "anaesthesia": 33,
		"bed": 11, "nursing": 12, "consult": 11, "meal": 11}[s.cat]
	sub := map[string]int{"bed": 2, "nursing": 3, "consult": 1, "meal": 9}[s.cat]
	return fmt.Sprintf("00%02d%02d%03d%06d", catNo, sub, n, 10000+n*3)
}

// imagingRegions are the regions with DR/CT/MR items.
var imagingRegions = []string{"head", "neck", "thorax", "abdomen", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm",
	"wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot", "spine", "eye"}

func buildCatalog(year int) *catalog {
	c := &catalog{byKey: map[string][]*item{}, byCode: map[string][]*item{}, serial: map[string]int{}}
	from := dayOf(year-2, time.January, 1)
	for _, s := range baseSpecs() {
		c.add(s, from, 0)
	}
	for _, r := range imagingRegions {
		cn := regionCN[r]
		if r != "eye" {
			c.add(spec{key: "dr:" + r, name: cn + "数字化摄影(DR)", cat: "exam_imaging", region: r, price: 70, unit: "部位", perDay: 2, covered: true, equip: "DR"}, from, 0)
		}
		c.add(spec{key: "ct:" + r, name: cn + "X线计算机体层(CT)平扫", cat: "exam_imaging", region: r, price: 240, unit: "部位", perDay: 1, covered: true, equip: "CT"}, from, 0)
		if r == "head" || r == "thorax" || r == "abdomen" || r == "spine" {
			c.add(spec{key: "cte:" + r, name: cn + "X线计算机体层(CT)增强扫描", cat: "exam_imaging", region: r, price: 380, unit: "部位", perDay: 1, covered: true, equip: "CT"}, from, 0)
		}
		if r != "eye" && r != "thorax" && r != "abdomen" {
			c.add(spec{key: "mr:" + r, name: cn + "磁共振(MR)平扫(1.5T)", cat: "exam_imaging", region: r, price: 560, unit: "部位", perDay: 1, covered: true, family: "MR_" + r, tier: 1, equip: "MR15T"}, from, 0)
			c.add(spec{key: "mr3:" + r, name: cn + "磁共振(MR)平扫(3.0T)", cat: "exam_imaging", region: r, price: 820, unit: "部位", perDay: 1, covered: true, family: "MR_" + r, tier: 2, equip: "MR3T"}, from, 0)
		}
		c.add(spec{key: "ct3d:" + r, name: cn + "CT三维重建", cat: "exam_imaging", region: r, price: 150, unit: "部位", perDay: 1, covered: true, equip: "CT"}, from, 0)
		c.add(spec{key: "massage:" + r, name: cn + "推拿治疗", cat: "rehab", region: r, price: 30, unit: "次", perDay: 1, covered: true, minutes: 20}, from, 0)
		if r != "head" && r != "eye" && r != "abdomen" && r != "neck" {
			c.add(spec{key: "reduce:" + r, name: cn + "骨折闭合复位术", cat: "treatment", region: r, price: 260, unit: "次", perDay: 1, covered: true, minutes: 30}, from, 0)
		}
		if r == "abdomen" || r == "thorax" || r == "knee_lower_leg" || r == "shoulder_upper_arm" || r == "eye" {
			c.add(spec{key: "us:" + r, name: cn + "彩色多普勒超声检查", cat: "exam_imaging", region: r, price: 110, unit: "部位", perDay: 2, covered: true}, from, 0)
		}
	}
	for _, s := range extraSpecs() {
		c.add(s, from, 0)
	}
	priceChanges(c, year)
	buildBundles(c, year)
	return c
}

// extraSpecs are catalogue items the ordinary care of the generator does not
// bill; a real price book holds many such rows.
func extraSpecs() []spec {
	var out []spec
	mrRegions := []string{"head", "neck", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm", "wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot", "spine"}
	for _, r := range mrRegions {
		out = append(out, spec{key: "mre:" + r, name: regionCN[r] + "磁共振(MR)增强扫描", cat: "exam_imaging", region: r, price: 760, unit: "部位", perDay: 1, covered: true, equip: "MR15T"})
		out = append(out, spec{key: "inject:" + r, name: regionCN[r] + "关节腔或软组织注射", cat: "treatment", region: r, price: 45, unit: "次", perDay: 1, covered: true, minutes: 15})
	}
	for _, r := range []string{"head", "neck", "thorax", "hip_thigh", "knee_lower_leg"} {
		out = append(out, spec{key: "cta:" + r, name: regionCN[r] + "CT血管成像(CTA)", cat: "exam_imaging", region: r, price: 680, unit: "部位", perDay: 1, covered: true, equip: "CT"})
	}
	labs := []struct {
		k, n string
		p    float64
	}{{"esr", "红细胞沉降率测定", 8}, {"bnp", "脑钠肽前体测定", 180}, {"amylase", "血清淀粉酶测定", 18}, {"lactate", "血乳酸测定", 30},
		{"myoglobin", "肌红蛋白测定", 60}, {"troponin", "肌钙蛋白I测定", 80}, {"fibrin", "纤维蛋白原测定", 15}, {"hba1c", "糖化血红蛋白测定", 60},
		{"stool", "粪便常规", 8}, {"bloodcult", "血培养及鉴定", 180}, {"il6", "白细胞介素6测定", 120}, {"ferritin", "铁蛋白测定", 45}}
	for _, l := range labs {
		out = append(out, spec{key: l.k, name: l.n, cat: "lab", price: l.p, unit: "次", perDay: 1, covered: true})
	}
	drugs := []struct {
		k, n, u, rel string
		p            float64
		cov          bool
	}{{"ceftriaxone", "注射用头孢曲松钠(1g)", "支", "any", 6.5, true}, {"clindamycin", "克林霉素磷酸酯注射液", "支", "any", 9, true},
		{"vancomycin", "注射用盐酸万古霉素", "支", "any", 65, true}, {"tramadol", "盐酸曲马多缓释片", "片", "any", 1.8, true},
		{"flurbiprofen", "氟比洛芬酯注射液", "支", "any", 38, true}, {"lidocaine", "盐酸利多卡因注射液", "支", "any", 0.8, true},
		{"ropivacaine", "盐酸罗哌卡因注射液", "支", "any", 22, true}, {"propofol", "丙泊酚中/长链脂肪乳注射液", "支", "systemic", 48, true},
		{"ondansetron", "盐酸昂丹司琼注射液", "支", "systemic", 6, true}, {"pantoprazole", "注射用泮托拉唑钠", "支", "systemic", 12, true},
		{"kcl", "氯化钾注射液", "支", "systemic", 1.2, true}, {"ringer", "乳酸钠林格注射液", "袋", "systemic", 4.5, true},
		{"rivaroxaban", "利伐沙班片", "片", "systemic", 4.8, true}, {"heparin", "肝素钠注射液", "支", "systemic", 8, true},
		{"tranexamic", "氨甲环酸注射液", "支", "systemic", 3.5, true}, {"citicoline", "胞磷胆碱钠注射液", "支", "head", 9, true},
		{"mouse_ngf", "注射用鼠神经生长因子", "支", "wrist_hand;elbow_forearm;shoulder_upper_arm;spine;head", 150, false},
		{"alprostadil", "前列地尔注射液", "支", "wrist_hand;burn_multi", 60, true}, {"calcium", "碳酸钙D3片", "片", "spine;hip_thigh;lumbar_pelvis;knee_lower_leg;ankle_foot", 0.5, true},
		{"alendronate", "阿仑膦酸钠片", "片", "spine;hip_thigh;lumbar_pelvis", 4, true}, {"diclofenac_gel", "双氯芬酸二乙胺乳胶剂", "支", "any", 18, true},
		{"mupirocin", "莫匹罗星软膏", "支", "any", 14, true}, {"atropine_eye", "硫酸阿托品眼用凝胶", "支", "eye", 12, true},
		{"insulin", "精蛋白生物合成人胰岛素注射液", "支", "", 45, true}, {"losartan", "氯沙坦钾片", "片", "", 1.1, true},
		{"aspirin", "阿司匹林肠溶片", "片", "", 0.15, true}, {"omeprazole_cap", "奥美拉唑肠溶胶囊", "粒", "", 0.6, true},
		{"tcm_cold", "感冒清热颗粒", "袋", "", 1.2, true}, {"ginkgo", "银杏叶提取物注射液", "支", "systemic", 25, false},
		{"thymosin", "注射用胸腺法新", "支", "systemic", 180, false}}
	for _, d := range drugs {
		out = append(out, spec{key: d.k, name: d.n, cat: "drug", price: d.p, unit: d.u, covered: d.cov, related: d.rel, pack: 10})
	}
	return out
}

// priceChanges: items whose price changes in the year (same code, two windows).
func priceChanges(c *catalog, year int) {
	change := func(key string, on int, factor float64) {
		ws := c.byKey[key]
		old := ws[len(ws)-1]
		old.to = on - 1
		nw := *old
		nw.from, nw.to = on, 0
		for i := range nw.price {
			nw.price[i] = int64(float64(old.price[i])*factor/10+0.5) * 10
		}
		c.rows = append(c.rows, &nw)
		c.byKey[key] = append(c.byKey[key], &nw)
		c.byCode[nw.code] = append(c.byCode[nw.code], &nw)
	}
	change("ct:head", dayOf(year, time.July, 1), 0.85)
	change("ct:spine", dayOf(year, time.July, 1), 0.85)
	change("exercise", dayOf(year, time.April, 1), 1.15)
	change("plate2", dayOf(year, time.May, 1), 0.55)
	change("nurse1", dayOf(year, time.September, 1), 1.20)
	change("consult_ip", dayOf(year, time.March, 1), 1.25)
}

func buildBundles(c *catalog, year int) {
	from := dayOf(year-2, time.January, 1)
	add := func(k1, k2 string, ind, f, t int) {
		c.bundles = append(c.bundles, bundle{item1: c.byKey[k1][0].code, item2: c.byKey[k2][0].code, k1: k1, k2: k2, indicator: ind, from: f, to: t})
	}
	add("cbc", "wbc", 0, from, 0)
	add("cbc", "hgb", 0, from, 0)
	add("liver", "alt", 0, from, 0)
	add("nurse_special", "nurse1", 0, from, 0)
	add("cte:head", "ct:head", 0, from, 0)
	add("cte:thorax", "ct:thorax", 0, from, 0)
	add("cte:spine", "ct:spine", 0, from, 0)
	add("fluoro", "dr:thorax", 1, from, 0)
	add("debride", "dressing_s", 1, from, 0)
	mid := dayOf(year, time.July, 1)
	add("composite", "exercise", 1, from, mid-1)
	add("composite", "exercise", 0, mid, 0)
}

func baseSpecs() []spec {
	const (
		fracture = "shoulder_upper_arm;elbow_forearm;wrist_hand;hip_thigh;knee_lower_leg;ankle_foot;spine;lumbar_pelvis;thorax"
		limbs    = "shoulder_upper_arm;elbow_forearm;wrist_hand;hip_thigh;knee_lower_leg;ankle_foot"
		nerve    = "wrist_hand;elbow_forearm;shoulder_upper_arm;spine;neck"
		burn     = "burn_multi;head;wrist_hand;elbow_forearm;shoulder_upper_arm;hip_thigh;knee_lower_leg;ankle_foot;thorax;abdomen"
	)
	return []spec{
		// bed, nursing, consultation, meals (hotel items)
		{key: "bed", name: "普通病房床位费", cat: "bed", price: 40, unit: "日", perDay: 1, covered: true, family: "BED", tier: 1},
		{key: "bed_laminar", name: "层流洁净病房床位费", cat: "bed", price: 160, unit: "日", perDay: 1, covered: true, family: "BED", tier: 2, equip: "LAMINAR"},
		{key: "bed_icu", name: "重症监护病房床位费", cat: "bed", price: 180, unit: "日", perDay: 1, covered: true, equip: "ICU"},
		{key: "bed_burn", name: "烧伤病房床位费", cat: "bed", price: 90, unit: "日", perDay: 1, covered: true, equip: "BURN"},
		{key: "bed_single", name: "单人间病房床位费(差价)", cat: "bed", price: 120, unit: "日", perDay: 1},
		{key: "bed_rehab", name: "康复病房床位费", cat: "bed", price: 35, unit: "日", perDay: 1, covered: true},
		{key: "nurse_special", name: "特级护理", cat: "nursing", price: 120, unit: "日", perDay: 1, covered: true},
		{key: "nurse1", name: "Ⅰ级护理", cat: "nursing", price: 26, unit: "日", perDay: 1, covered: true},
		{key: "nurse2", name: "Ⅱ级护理", cat: "nursing", price: 16, unit: "日", perDay: 1, covered: true},
		{key: "nurse3", name: "Ⅲ级护理", cat: "nursing", price: 9, unit: "日", perDay: 1, covered: true},
		{key: "consult_ip", name: "住院诊查费", cat: "consult", price: 24, unit: "日", perDay: 1, covered: true},
		{key: "consult_op", name: "门诊诊查费", cat: "consult", price: 18, unit: "次", perDay: 1, covered: true, minutes: 10},
		{key: "consult_er", name: "急诊诊查费", cat: "consult", price: 25, unit: "次", perDay: 1, covered: true, minutes: 15},
		{key: "consult_mdt", name: "院内会诊", cat: "consult", price: 40, unit: "次", perDay: 2, covered: true, minutes: 30},
		{key: "meal", name: "住院伙食费(工伤伙食补助)", cat: "meal", price: 30, unit: "日", perDay: 1, covered: true},
		{key: "monitor", name: "心电监测", cat: "treatment", price: 5, unit: "小时", perDay: 24, covered: true},
		// treatment
		{key: "oxygen", name: "氧气吸入", cat: "treatment", price: 3, unit: "小时", perDay: 24, covered: true},
		{key: "iv", name: "静脉输液", cat: "treatment", price: 12, unit: "组", perDay: 6, covered: true},
		{key: "im", name: "肌肉注射", cat: "treatment", price: 3, unit: "次", perDay: 4, covered: true},
		{key: "dressing_s", name: "换药(小)", cat: "treatment", price: 25, unit: "次", perDay: 2, covered: true, minutes: 10},
		{key: "dressing_l", name: "换药(大)", cat: "treatment", price: 55, unit: "次", perDay: 2, covered: true, minutes: 20},
		{key: "burn_dressing", name: "烧伤换药", cat: "treatment", price: 6, unit: "1%面积", perDay: 100, covered: true},
		{key: "debride", name: "清创缝合术(小)", cat: "treatment", price: 120, unit: "次", perDay: 2, covered: true, minutes: 30},
		{key: "cast", name: "石膏固定术", cat: "treatment", price: 150, unit: "次", perDay: 1, perStay: 2, covered: true, minutes: 20},
		{key: "traction", name: "骨牵引", cat: "treatment", price: 30, unit: "日", perDay: 1, covered: true},
		{key: "vsd", name: "负压封闭引流术", cat: "treatment", price: 380, unit: "次", perDay: 1, covered: true, minutes: 40},
		{key: "hbo", name: "高压氧舱治疗", cat: "treatment", price: 90, unit: "次", perDay: 1, covered: true, equip: "HBO"},
		{key: "nebul", name: "雾化吸入", cat: "treatment", price: 8, unit: "次", perDay: 3, covered: true},
		{key: "catheter", name: "导尿", cat: "treatment", price: 20, unit: "次", perDay: 2, covered: true},
		{key: "cosmetic_suture", name: "美容缝合(整形)", cat: "treatment", price: 300, unit: "次", perDay: 1, minutes: 40},
		// lab
		{key: "cbc", name: "血细胞分析(血常规)", cat: "lab", price: 20, unit: "次", perDay: 1, covered: true},
		{key: "wbc", name: "白细胞计数", cat: "lab", price: 4, unit: "次", perDay: 1, covered: true},
		{key: "hgb", name: "血红蛋白测定", cat: "lab", price: 4, unit: "次", perDay: 1, covered: true},
		{key: "urine", name: "尿液分析(尿常规)", cat: "lab", price: 12, unit: "次", perDay: 1, covered: true},
		{key: "liver", name: "肝功能全套", cat: "lab", price: 60, unit: "次", perDay: 1, covered: true},
		{key: "alt", name: "丙氨酸氨基转移酶测定", cat: "lab", price: 5, unit: "次", perDay: 1, covered: true},
		{key: "renal", name: "肾功能", cat: "lab", price: 30, unit: "次", perDay: 1, covered: true},
		{key: "electro", name: "电解质测定", cat: "lab", price: 25, unit: "次", perDay: 1, covered: true},
		{key: "coag", name: "凝血四项", cat: "lab", price: 55, unit: "次", perDay: 1, covered: true},
		{key: "abo", name: "ABO及Rh血型鉴定", cat: "lab", price: 20, unit: "次", perDay: 1, perStay: 1, covered: true},
		{key: "infect", name: "输血前四项(酶免法)", cat: "lab", price: 80, unit: "次", perDay: 1, covered: true, family: "INFECT", tier: 1},
		{key: "infect2", name: "输血前四项(化学发光法)", cat: "lab", price: 260, unit: "次", perDay: 1, covered: true, family: "INFECT", tier: 2},
		{key: "crp", name: "C反应蛋白测定(免疫比浊法)", cat: "lab", price: 20, unit: "次", perDay: 1, covered: true, family: "CRP", tier: 1},
		{key: "crp2", name: "超敏C反应蛋白测定(化学发光法)", cat: "lab", price: 65, unit: "次", perDay: 1, covered: true, family: "CRP", tier: 2},
		{key: "ddimer", name: "D-二聚体测定", cat: "lab", price: 45, unit: "次", perDay: 1, covered: true},
		{key: "bloodgas", name: "血气分析", cat: "lab", price: 60, unit: "次", perDay: 3, covered: true},
		{key: "ck", name: "心肌酶谱", cat: "lab", price: 70, unit: "次", perDay: 1, covered: true},
		{key: "glucose", name: "血糖测定", cat: "lab", price: 6, unit: "次", perDay: 4, covered: true},
		{key: "pct", name: "降钙素原测定", cat: "lab", price: 150, unit: "次", perDay: 1, covered: true},
		{key: "culture", name: "细菌培养及药敏", cat: "lab", price: 120, unit: "次", perDay: 2, covered: true},
		{key: "thyroid", name: "甲状腺功能全套", cat: "lab", price: 160, unit: "次", perDay: 1, covered: true},
		{key: "tumour", name: "肿瘤标志物组合", cat: "lab", price: 280, unit: "次", perDay: 1, covered: true},
		{key: "lipid", name: "血脂四项", cat: "lab", price: 40, unit: "次", perDay: 1, covered: true},
		{key: "ecg", name: "常规心电图检查", cat: "exam_imaging", price: 25, unit: "次", perDay: 2, covered: true},
		{key: "fluoro", name: "X线透视检查", cat: "exam_imaging", price: 15, unit: "次", perDay: 1, covered: true},
		{key: "dsa", name: "数字减影血管造影(DSA)", cat: "exam_imaging", price: 1800, unit: "次", perDay: 1, covered: true, equip: "DSA"},
		{key: "eyeexam", name: "裂隙灯检查", cat: "exam_imaging", region: "eye", price: 15, unit: "次", perDay: 1, covered: true},
		// rehabilitation
		{key: "exercise", name: "运动疗法", cat: "rehab", price: 45, unit: "次", perDay: 1, covered: true, family: "EXERCISE", tier: 1, minutes: 40},
		{key: "composite", name: "综合康复训练(多功能组合)", cat: "rehab", price: 120, unit: "次", perDay: 1, covered: true, family: "EXERCISE", tier: 2, minutes: 40},
		{key: "ot", name: "作业疗法", cat: "rehab", price: 40, unit: "次", perDay: 1, covered: true, minutes: 30},
		{key: "handfn", name: "手功能训练", cat: "rehab", region: "wrist_hand", price: 35, unit: "次", perDay: 1, covered: true, minutes: 30},
		{key: "mobil", name: "关节松动训练", cat: "rehab", price: 25, unit: "部位", perDay: 1, covered: true, minutes: 15},
		{key: "emstim", name: "中频脉冲电治疗", cat: "rehab", price: 18, unit: "部位", perDay: 1, covered: true, minutes: 5},
		{key: "balance", name: "平衡功能训练", cat: "rehab", price: 30, unit: "次", perDay: 1, covered: true, minutes: 20},
		{key: "gait_robot", name: "机器人辅助步态训练", cat: "rehab", price: 150, unit: "次", perDay: 1, covered: true, equip: "REHAB_ROBOT", minutes: 30},
		{key: "acup", name: "普通针刺", cat: "rehab", price: 22, unit: "次", perDay: 1, covered: true, minutes: 20},
		{key: "assess_init", name: "康复初期评定", cat: "rehab", price: 60, unit: "次", perDay: 1, perStay: 1, covered: true, minutes: 45},
		{key: "assess", name: "康复综合评定", cat: "rehab", price: 50, unit: "次", perDay: 1, perStay: 3, intv: 14, covered: true, minutes: 40},
		{key: "handassess", name: "手功能评定", cat: "rehab", region: "wrist_hand", price: 40, unit: "次", perDay: 1, intv: 30, covered: true, minutes: 30},
		// surgery
		{key: "s_finger", name: "指骨骨折切开复位内固定术", cat: "surgery", region: "wrist_hand", price: 900, unit: "次", perDay: 1, covered: true, minutes: 90},
		{key: "s_tendon", name: "屈指肌腱修复术", cat: "surgery", region: "wrist_hand", price: 1100, unit: "次", perDay: 1, covered: true, minutes: 100},
		{key: "s_replant", name: "断指再植术", cat: "surgery", region: "wrist_hand", price: 3200, unit: "指", perDay: 5, covered: true, minutes: 180},
		{key: "s_radius", name: "桡骨远端骨折切开复位内固定术", cat: "surgery", region: "elbow_forearm", price: 1800, unit: "次", perDay: 1, covered: true, minutes: 120},
		{key: "s_humerus", name: "肱骨近端骨折切开复位内固定术", cat: "surgery", region: "shoulder_upper_arm", price: 2200, unit: "次", perDay: 1, covered: true, minutes: 140},
		{key: "s_hip", name: "人工髋关节置换术", cat: "surgery", region: "hip_thigh", price: 3600, unit: "次", perDay: 1, covered: true, minutes: 160},
		{key: "s_femur", name: "股骨干骨折髓内钉内固定术", cat: "surgery", region: "hip_thigh", price: 2600, unit: "次", perDay: 1, covered: true, minutes: 150},
		{key: "s_tibia", name: "胫骨骨折切开复位内固定术", cat: "surgery", region: "knee_lower_leg", price: 2100, unit: "次", perDay: 1, covered: true, minutes: 130},
		{key: "s_calc", name: "跟骨骨折切开复位内固定术", cat: "surgery", region: "ankle_foot", price: 2000, unit: "次", perDay: 1, covered: true, minutes: 120},
		{key: "s_spine", name: "椎体骨折椎弓根钉内固定术", cat: "surgery", region: "spine", price: 4200, unit: "次", perDay: 1, covered: true, minutes: 180},
		{key: "s_hematoma", name: "颅内血肿清除术", cat: "surgery", region: "head", price: 4500, unit: "次", perDay: 1, covered: true, minutes: 180},
		{key: "s_drain", name: "胸腔闭式引流术", cat: "surgery", region: "thorax", price: 600, unit: "次", perDay: 1, covered: true, minutes: 40},
		{key: "s_eye", name: "眼球穿通伤缝合术", cat: "surgery", region: "eye", price: 1600, unit: "次", perDay: 1, covered: true, minutes: 90},
		{key: "s_graft", name: "烧伤切痂植皮术", cat: "surgery", price: 90, unit: "1%面积", perDay: 40, covered: true, minutes: 6},
		{key: "s_removal", name: "内固定装置取出术", cat: "surgery", price: 800, unit: "次", perDay: 1, covered: true, minutes: 60},
		{key: "s_debride", name: "清创术(大)", cat: "surgery", price: 500, unit: "次", perDay: 1, covered: true, minutes: 60},
		// anaesthesia
		{key: "ga", name: "全身麻醉", cat: "anaesthesia", price: 600, unit: "次", perDay: 1, covered: true, minutes: 150},
		{key: "plexus", name: "臂丛神经阻滞麻醉", cat: "anaesthesia", price: 260, unit: "次", perDay: 1, covered: true, minutes: 45},
		{key: "spinal", name: "椎管内麻醉", cat: "anaesthesia", price: 350, unit: "次", perDay: 1, covered: true, minutes: 60},
		{key: "local", name: "局部浸润麻醉", cat: "anaesthesia", price: 40, unit: "次", perDay: 2, covered: true, minutes: 10},
		{key: "pacu", name: "麻醉恢复室监护", cat: "anaesthesia", price: 50, unit: "小时", perDay: 4, covered: true, equip: "RECOVERY"},
		{key: "intub", name: "气管插管术", cat: "anaesthesia", price: 80, unit: "次", perDay: 1, covered: true, family: "INTUB", tier: 1, minutes: 10},
		{key: "intub2", name: "特殊方法气管插管术", cat: "anaesthesia", price: 300, unit: "次", perDay: 1, covered: true, family: "INTUB", tier: 2, minutes: 20},
		// materials
		{key: "m_ivset", name: "一次性使用输液器", cat: "material", price: 3.5, unit: "套", perDay: 6, covered: true},
		{key: "m_cannula", name: "静脉留置针", cat: "material", price: 18, unit: "支", perDay: 2, covered: true},
		{key: "m_dressing", name: "医用无菌敷料", cat: "material", price: 6, unit: "块", perDay: 10, covered: true},
		{key: "m_plaster", name: "石膏绷带", cat: "material", price: 22, unit: "卷", perDay: 6, covered: true},
		{key: "m_vsd", name: "负压引流敷料套件", cat: "material", price: 980, unit: "套", perDay: 1, covered: true},
		{key: "m_surgpack", name: "一次性手术包", cat: "material", price: 160, unit: "套", perDay: 2, covered: true},
		{key: "m_import", name: "进口功能性敷料", cat: "material", price: 260, unit: "块", perDay: 4},
		{key: "m_skin", name: "异种(猪)脱细胞真皮", cat: "material", price: 45, unit: "1%面积", perDay: 30, covered: true},
		// implants
		{key: "screw1", name: "普通接骨螺钉", cat: "implant", price: 60, unit: "枚", covered: true, family: "SCREW", tier: 1},
		{key: "screw2", name: "锁定接骨螺钉", cat: "implant", price: 380, unit: "枚", covered: true, family: "SCREW", tier: 2},
		{key: "plate1", name: "普通接骨板", cat: "implant", price: 650, unit: "块", covered: true, family: "PLATE", tier: 1},
		{key: "plate2", name: "锁定接骨板", cat: "implant", price: 3200, unit: "块", covered: true, family: "PLATE", tier: 2},
		{key: "nail", name: "髓内钉系统", cat: "implant", price: 5800, unit: "套", covered: true},
		{key: "hip", name: "人工髋关节假体", cat: "implant", price: 7800, unit: "套", covered: true},
		{key: "pedicle", name: "椎弓根螺钉", cat: "implant", price: 1200, unit: "枚", covered: true},
		{key: "kwire", name: "克氏针", cat: "implant", price: 25, unit: "枚", covered: true},
		{key: "anchor", name: "带线锚钉", cat: "implant", price: 2400, unit: "枚", covered: true},
		// drugs
		{key: "cefazolin", name: "注射用头孢唑林钠(1g)", cat: "drug", price: 8.5, unit: "支", covered: true, related: "any", pack: 10},
		{key: "cefuroxime", name: "注射用头孢呋辛钠(1.5g)", cat: "drug", price: 12, unit: "支", covered: true, related: "any", pack: 10},
		{key: "levo", name: "左氧氟沙星氯化钠注射液", cat: "drug", price: 18, unit: "袋", covered: true, related: "any", pack: 20},
		{key: "parecoxib", name: "注射用帕瑞昔布钠", cat: "drug", price: 35, unit: "支", covered: true, related: "any", pack: 10},
		{key: "ibuprofen", name: "布洛芬缓释胶囊", cat: "drug", price: 0.45, unit: "粒", covered: true, related: "any", pack: 24},
		{key: "celecoxib", name: "塞来昔布胶囊", cat: "drug", price: 2.1, unit: "粒", covered: true, related: "any", pack: 6},
		{key: "oxycod", name: "氨酚羟考酮片", cat: "drug", price: 1.6, unit: "片", covered: true, related: "any", pack: 10},
		{key: "spray", name: "云南白药气雾剂", cat: "drug", price: 28, unit: "瓶", covered: true, related: "any", pack: 1},
		{key: "tat", name: "破伤风抗毒素注射液", cat: "drug", price: 5, unit: "支", covered: true, related: "any", pack: 10},
		{key: "enox", name: "依诺肝素钠注射液", cat: "drug", price: 28, unit: "支", covered: true, related: "systemic", pack: 10},
		{key: "omep", name: "注射用奥美拉唑钠", cat: "drug", price: 9.8, unit: "支", covered: true, related: "systemic", pack: 10},
		{key: "saline", name: "0.9%氯化钠注射液(250ml)", cat: "drug", price: 2.8, unit: "袋", covered: true, related: "systemic", pack: 40},
		{key: "glucose5", name: "5%葡萄糖注射液(250ml)", cat: "drug", price: 3.1, unit: "袋", covered: true, related: "systemic", pack: 40},
		{key: "aminoacid", name: "复方氨基酸注射液(18AA)", cat: "drug", price: 26, unit: "袋", covered: true, related: "systemic", pack: 12},
		{key: "albumin", name: "人血白蛋白(10g)", cat: "drug", price: 380, unit: "瓶", covered: true, related: "systemic", pack: 1},
		{key: "coenzyme", name: "注射用复合辅酶", cat: "drug", price: 32, unit: "支", related: "systemic", pack: 10},
		{key: "mannitol", name: "甘露醇注射液(250ml)", cat: "drug", price: 6.5, unit: "袋", covered: true, related: "head", pack: 30},
		{key: "nimodipine", name: "尼莫地平片", cat: "drug", price: 0.6, unit: "片", covered: true, related: "head", pack: 50},
		{key: "valproate", name: "丙戊酸钠缓释片", cat: "drug", price: 1.4, unit: "片", covered: true, related: "head", pack: 30},
		{key: "aescin", name: "注射用七叶皂苷钠", cat: "drug", price: 15, unit: "支", covered: true, related: limbs, pack: 10},
		{key: "mecobalamin", name: "甲钴胺片", cat: "drug", price: 0.9, unit: "片", covered: true, related: nerve, pack: 20},
		{key: "ossotide", name: "骨肽注射液", cat: "drug", price: 12, unit: "支", covered: true, related: fracture, pack: 10},
		{key: "calcitonin", name: "鲑降钙素注射液", cat: "drug", price: 45, unit: "支", covered: true, related: "spine;hip_thigh;lumbar_pelvis", pack: 5},
		{key: "tcm_bone", name: "伤科接骨片", cat: "drug", price: 0.8, unit: "片", covered: true, related: fracture, pack: 60},
		{key: "silver", name: "磺胺嘧啶银乳膏", cat: "drug", price: 16, unit: "支", covered: true, related: burn, pack: 10},
		{key: "egf", name: "重组人表皮生长因子凝胶", cat: "drug", price: 120, unit: "支", covered: true, related: burn, pack: 1},
		{key: "eyedrop", name: "左氧氟沙星滴眼液", cat: "drug", price: 15, unit: "支", covered: true, related: "eye", pack: 10},
		{key: "eyeoint", name: "妥布霉素地塞米松眼膏", cat: "drug", price: 18, unit: "支", covered: true, related: "eye", pack: 10},
		{key: "ambroxol", name: "盐酸氨溴索注射液", cat: "drug", price: 8, unit: "支", covered: true, related: "thorax", pack: 10},
		{key: "amlodipine", name: "苯磺酸氨氯地平片", cat: "drug", price: 0.35, unit: "片", covered: true, pack: 28},
		{key: "nifedipine", name: "硝苯地平控释片", cat: "drug", price: 2.8, unit: "片", covered: true, pack: 30},
		{key: "metformin", name: "盐酸二甲双胍片", cat: "drug", price: 0.12, unit: "片", covered: true, pack: 60},
		{key: "atorva", name: "阿托伐他汀钙片", cat: "drug", price: 1.2, unit: "片", covered: true, pack: 28},
		{key: "cough", name: "复方甘草口服溶液", cat: "drug", price: 4.5, unit: "瓶", covered: true, pack: 20},
		{key: "vitc", name: "维生素C泡腾片", cat: "drug", price: 1.5, unit: "片", pack: 20},
	}
}

// sortedKeys of the catalogue in a stable order.
func (c *catalog) sortRows() {
	sort.SliceStable(c.rows, func(i, j int) bool {
		if c.rows[i].code != c.rows[j].code {
			return c.rows[i].code < c.rows[j].code
		}
		return c.rows[i].from < c.rows[j].from
	})
}
