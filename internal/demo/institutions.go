package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/settlement"
)

// The demo's designated institutions: 73 medical and 18 rehab institutions
// across Jining's eleven county-level units (most in 任城区, the city
// centre), three Jining device suppliers, and three outside the city for
// remote treatment: a 三级 hospital and a rehab centre in 济南 历下区 and a
// 三级 hospital in 徐州 泉山区 (Jiangsu). Names are invented in the local
// style. All agreements are active except one suspended and one ended.

// instKind is a kind of institution, with what such a place has.
type instKind struct {
	typ       settlement.InstitutionType
	beds      [2]int // licensed beds, low and high
	depts     []string
	equipment []string
}

var (
	kindCity = instKind{settlement.Medical, [2]int{1200, 3200},
		[]string{"急诊科", "骨科", "手足外科", "烧伤科", "神经外科", "普通外科", "胸外科", "重症医学科", "麻醉科", "整形外科", "眼科", "耳鼻喉科", "康复医学科", "职业病科", "医学影像科", "检验科"},
		[]string{"CT", "MRI", "DR", "DSA", "彩超", "高压氧舱"}}
	kindCounty3 = instKind{settlement.Medical, [2]int{800, 1500},
		[]string{"急诊科", "骨科", "手足外科", "神经外科", "普通外科", "重症医学科", "麻醉科", "烧伤科", "康复医学科", "医学影像科", "检验科"},
		[]string{"CT", "MRI", "DR", "DSA", "彩超"}}
	kindCounty2 = instKind{settlement.Medical, [2]int{400, 800},
		[]string{"急诊科", "骨科", "神经外科", "普通外科", "重症医学科", "麻醉科", "康复医学科", "医学影像科", "检验科"},
		[]string{"CT", "MRI", "DR", "彩超"}}
	kindTCM = instKind{settlement.Medical, [2]int{300, 700},
		[]string{"急诊科", "骨伤科", "针灸推拿科", "普通外科", "康复医学科", "医学影像科", "检验科"},
		[]string{"CT", "DR", "彩超"}}
	kindSecond = instKind{settlement.Medical, [2]int{200, 450},
		[]string{"急诊科", "骨科", "普通外科", "康复医学科", "医学影像科", "检验科"},
		[]string{"CT", "DR", "彩超"}}
	kindOrtho = instKind{settlement.Medical, [2]int{150, 400},
		[]string{"急诊科", "创伤骨科", "手足外科", "脊柱外科", "关节外科", "麻醉科", "康复医学科", "医学影像科"},
		[]string{"CT", "MRI", "DR", "彩超"}}
	kindHand = instKind{settlement.Medical, [2]int{150, 300},
		[]string{"手足外科", "显微外科", "创伤骨科", "烧伤整形科", "麻醉科", "康复医学科", "医学影像科"},
		[]string{"CT", "DR", "彩超"}}
	kindBurn = instKind{settlement.Medical, [2]int{120, 260},
		[]string{"烧伤科", "整形外科", "重症医学科", "麻醉科", "康复医学科", "医学影像科"},
		[]string{"CT", "DR", "彩超", "高压氧舱"}}
	kindOccup = instKind{settlement.Medical, [2]int{200, 400},
		[]string{"职业病科", "尘肺病科", "中毒科", "急诊科", "康复医学科", "医学影像科", "检验科"},
		[]string{"CT", "DR", "彩超", "高压氧舱"}}
	kindTown = instKind{settlement.Medical, [2]int{30, 90},
		[]string{"全科医学科", "急诊科", "外科", "中医科", "检验科", "放射科"},
		[]string{"DR", "彩超"}}
	kindRehab3 = instKind{settlement.Rehab, [2]int{300, 600},
		[]string{"康复医学科", "康复评定科", "物理治疗科", "作业治疗科", "言语治疗科", "职业康复科", "假肢矫形科", "康复心理科"},
		[]string{"等速肌力训练系统", "作业治疗设备", "减重步态训练系统", "平衡功能训练系统", "上肢康复机器人", "中频治疗仪", "超短波治疗仪", "DR", "彩超"}}
	kindRehab2 = instKind{settlement.Rehab, [2]int{80, 260},
		[]string{"康复医学科", "康复评定科", "物理治疗科", "作业治疗科", "职业康复科"},
		[]string{"等速肌力训练系统", "作业治疗设备", "平衡功能训练系统", "中频治疗仪", "超短波治疗仪", "DR"}}
	kindDevice = instKind{settlement.Device, [2]int{0, 0},
		[]string{"假肢装配部", "矫形器装配部", "轮椅适配部", "康复评定室"},
		[]string{"假肢接受腔CAD/CAM系统", "三维扫描仪", "矫形器热塑成型设备", "步态分析系统"}}
)

// instSpec is one row of the institution table.
type instSpec struct {
	region string
	name   string
	level  int
	kind   *instKind
}

// jiningInstitutions: per county, the people's and TCM hospitals, the
// specialist hospitals of the city centre, township health centres, then
// the rehab institutions. 73 medical, 18 rehab.
var jiningInstitutions = func() []instSpec {
	var out []instSpec
	add := func(region string, level int, k *instKind, names ...string) {
		for _, n := range names {
			out = append(out, instSpec{region, n, level, k})
		}
	}
	// 任城区: the city hospitals and specialists (14 medical).
	add("370811", 3, &kindCity, "济宁市第一人民医院", "济宁市太白湖医院", "济宁市中心医院")
	add("370811", 3, &kindTCM, "济宁市中医院")
	add("370811", 2, &kindOrtho, "济宁市创伤骨科医院")
	add("370811", 2, &kindHand, "济宁运河手外科医院")
	add("370811", 2, &kindBurn, "济宁市烧伤整形医院")
	add("370811", 2, &kindOccup, "济宁市职业病防治院")
	add("370811", 2, &kindCounty2, "济宁市任城区人民医院")
	add("370811", 1, &kindTown, "任城区李营街道社区卫生服务中心", "任城区长沟镇卫生院", "任城区喻屯镇卫生院",
		"任城区唐口街道社区卫生服务中心", "任城区安居街道社区卫生服务中心")
	// The other ten county-level units (59 medical).
	type countyPlan struct {
		region, name string
		level        int      // of the people's hospital
		second       string   // a second general hospital, or an orthopaedic one
		ortho        bool     // second is orthopaedic
		towns        []string // township health centres
	}
	for _, c := range []countyPlan{
		{"370812", "济宁市兖州区", 3, "兖州区骨伤医院", true, []string{"新驿镇", "颜店镇", "小孟镇"}},
		{"370826", "微山县", 2, "微山县第二人民医院", false, []string{"韩庄镇", "马坡镇", "欢城镇"}},
		{"370827", "鱼台县", 2, "鱼台县第二人民医院", false, []string{"王庙镇", "张黄镇"}},
		{"370828", "金乡县", 3, "金乡县骨科医院", true, []string{"鸡黍镇", "羊山镇", "胡集镇"}},
		{"370829", "嘉祥县", 3, "嘉祥县第二人民医院", false, []string{"纸坊镇", "梁宝寺镇", "马村镇"}},
		{"370830", "汶上县", 2, "汶上县骨伤医院", true, []string{"南站镇", "次丘镇", "康驿镇"}},
		{"370831", "泗水县", 2, "泗水县第二人民医院", false, []string{"泉林镇", "金庄镇", "星村镇"}},
		{"370832", "梁山县", 2, "梁山县骨科医院", true, []string{"馆驿镇", "小路口镇", "韩岗镇"}},
		{"370881", "曲阜市", 3, "曲阜市第二人民医院", false, []string{"尼山镇", "吴村镇", "陵城镇"}},
		{"370883", "邹城市", 3, "邹城市矿务局医院", false, []string{"峄山镇", "太平镇", "石墙镇"}},
	} {
		k := &kindCounty2
		if c.level == 3 {
			k = &kindCounty3
		}
		add(c.region, c.level, k, c.name+"人民医院")
		add(c.region, 2, &kindTCM, c.name+"中医院")
		sk := &kindSecond
		if c.ortho {
			sk = &kindOrtho
		}
		add(c.region, 2, sk, c.second)
		town := strings.TrimPrefix(c.name, "济宁市")
		for _, t := range c.towns {
			add(c.region, 1, &kindTown, town+t+"卫生院")
		}
	}
	// Rehab (18).
	add("370811", 3, &kindRehab3, "济宁市工伤康复中心", "济宁市康复医院")
	add("370811", 2, &kindRehab2, "济宁太白湖康复医院", "济宁运河康复医院", "任城区康复医院")
	add("370812", 2, &kindRehab2, "兖州区康复医院", "兖州矿区工伤康复中心")
	add("370883", 2, &kindRehab2, "邹城市康复医院", "邹城矿区工伤康复中心")
	add("370881", 2, &kindRehab2, "曲阜市中医康复医院", "曲阜尼山康复医院")
	add("370826", 2, &kindRehab2, "微山县康复医院")
	add("370827", 2, &kindRehab2, "鱼台县康复中心")
	add("370828", 2, &kindRehab2, "金乡县康复医院")
	add("370829", 2, &kindRehab2, "嘉祥县康复医院")
	add("370830", 2, &kindRehab2, "汶上县康复中心")
	add("370831", 2, &kindRehab2, "泗水县康复医院")
	add("370832", 2, &kindRehab2, "梁山县康复医院")
	// Device suppliers (3), no level.
	add("370811", 0, &kindDevice, "济宁市假肢矫形康复中心", "济宁康辅辅助器具配置有限公司")
	add("370883", 0, &kindDevice, "邹城市康复辅助器具服务中心")
	// Remote treatment: 济南 历下区 and 徐州 泉山区.
	add("370102", 3, &kindCity, "山东省泉城医院")
	add("370102", 3, &kindRehab3, "山东省工伤康复医院")
	add("320311", 3, &kindCity, "徐州市矿山总医院")
	return out
}()

// The one suspended and the one ended agreement, by name.
const (
	suspendedName = "梁山县骨科医院"
	endedName     = "任城区喻屯镇卫生院"
)

var areaCodes = map[string]string{"370102": "0531", "320311": "0516"}

// Institutions returns the demo's designated institutions, the same for the
// same today: agreements run from 2024-01-01 to the end of today's year
// (2026 at the earliest) or the year after; CreatedAt and UpdatedAt are
// today. PaasID is left empty (the store issues credentials). It is pure.
func Institutions(today time.Time) []settlement.Institution {
	civil := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	endYear := max(2026, civil.Year())
	serial := map[string]int{}
	out := make([]settlement.Institution, 0, len(jiningInstitutions))
	for i, s := range jiningInstitutions {
		serial[s.region]++
		n := serial[s.region]
		in := settlement.Institution{
			Code:          fmt.Sprintf("H%s%05d", s.region, n),
			Name:          s.name,
			RegionCode:    s.region,
			Type:          s.kind.typ,
			Level:         s.level,
			Beds:          beds(s.kind, i),
			Depts:         append([]string(nil), s.kind.depts...),
			Equipment:     equipment(s, i),
			AgreementFrom: "2024-01-01",
			AgreementTo:   strconv.Itoa(endYear+i%2) + "-12-31",
			Status:        settlement.Active,
			Address:       address(s, i),
			Contact:       contact(s.region, i),
			CreatedAt:     civil,
			UpdatedAt:     civil,
			Version:       1,
		}
		switch s.name {
		case suspendedName:
			in.Status, in.StatusReason = settlement.Suspended, "稽核发现违规，暂停结算"
		case endedName:
			in.Status, in.StatusReason, in.AgreementTo = settlement.Ended, "并入任城区人民医院，协议终止", "2025-12-31"
		}
		out = append(out, in)
	}
	return out
}

// beds spreads licensed beds over the kind's range, in steps of ten.
func beds(k *instKind, i int) int {
	lo, hi := k.beds[0], k.beds[1]
	if hi <= lo {
		return lo
	}
	return lo + (i*37%((hi-lo)/10+1))*10
}

// equipment: the kind's list; a few 二级 hospitals without MRI, and
// high-pressure oxygen only in some of the places that list it.
func equipment(s instSpec, i int) []string {
	var out []string
	for _, e := range s.kind.equipment {
		switch {
		case e == "MRI" && s.kind == &kindCounty2 && i%3 == 0:
			continue
		case e == "高压氧舱" && s.kind == &kindCity && i%2 == 1:
			continue
		}
		out = append(out, e)
	}
	return out
}

var remoteRoads = map[string][]string{"370102": {"经十路", "解放路", "历山路"}, "320311": {"中山南路", "淮海西路", "解放南路"}}

func address(s instSpec, i int) string {
	prov, city := "山东省", "济宁市"
	var roads []string
	county := ""
	for _, c := range counties {
		if c.Code == s.region {
			roads, county = c.Roads, c.Name
		}
	}
	switch s.region {
	case "370102":
		city, county, roads = "济南市", "历下区", remoteRoads[s.region]
	case "320311":
		prov, city, county, roads = "江苏省", "徐州市", "泉山区", remoteRoads[s.region]
	}
	return fmt.Sprintf("%s%s%s%s%d号", prov, city, county, roads[i%len(roads)], 8+i*13%180)
}

func contact(region string, i int) string {
	if code, ok := areaCodes[region]; ok { // eight-digit numbers in 济南 and 徐州
		return fmt.Sprintf("%s-8%07d", code, 1000000+i*7919%8000000)
	}
	return fmt.Sprintf("0537-%07d", 2200000+i*7919%7000000)
}
