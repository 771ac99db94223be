package auditsynth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

type county struct {
	admvs, name string
	weight      float64 // share of employers and injuries
	towns       []string
}

var counties = []county{
	{"370811", "任城区", 0.20, []string{"李营", "长沟", "安居", "唐口"}},
	{"370812", "兖州区", 0.10, []string{"新兖", "漕河", "颜店", "小孟"}},
	{"370826", "微山县", 0.07, []string{"夏镇", "韩庄", "欢城", "两城"}},
	{"370827", "鱼台县", 0.05, []string{"谷亭", "王鲁", "张黄", "清河"}},
	{"370828", "金乡县", 0.08, []string{"鸡黍", "羊山", "胡集", "化雨"}},
	{"370829", "嘉祥县", 0.08, []string{"纸坊", "梁宝寺", "满硐", "马村"}},
	{"370830", "汶上县", 0.07, []string{"南旺", "康驿", "郭楼", "次丘"}},
	{"370831", "泗水县", 0.05, []string{"泉林", "星村", "柘沟", "金庄"}},
	{"370832", "梁山县", 0.07, []string{"拳铺", "馆驿", "小路口", "韩岗"}},
	{"370881", "曲阜市", 0.09, []string{"陵城", "书院", "尼山", "吴村"}},
	{"370883", "邹城市", 0.14, []string{"太平", "峄山", "城前", "香城"}},
}

func countyName(admvs string) string {
	for _, c := range counties {
		if c.admvs == admvs {
			return c.name
		}
	}
	return ""
}

type inst struct {
	idx                      int
	code, name, admvs, typ   string
	level, beds              int
	equip                    map[string]bool
	doctors, anaes, nurses   []*doctor
	therapists, former       []*doctor
	offender                 int // 0 clean, 1 offender (labelled), 2 light (a few violations, labelled 0)
	patterns                 map[string]float64
	highTierItems, stockKeys []string
	census                   map[int]int
}

func (in *inst) has(eq string) bool { return in.equip[eq] }

func (in *inst) equipList() []string {
	order := []string{"DR", "CT", "MR15T", "MR3T", "DSA", "LAMINAR", "RECOVERY", "ICU", "BURN", "HBO", "REHAB_ROBOT"}
	var out []string
	for _, e := range order {
		if in.equip[e] {
			out = append(out, e)
		}
	}
	return out
}

type doctor struct {
	idx              int
	code, name, role string
	dept             string
	in               *inst
	from, to         int // to 0 = still employed
}

func (d *doctor) employed(day int) bool { return day >= d.from && (d.to == 0 || day <= d.to) }

// midYear reports whether the clinician joined or left within the year.
func (d *doctor) boundaryNear(day, year int) bool {
	y0, y1 := dayOf(year, time.January, 1), dayOf(year+1, time.January, 1)
	if d.from >= y0 && d.from < y1 && abs(day-d.from) <= 30 {
		return true
	}
	return d.to != 0 && d.to >= y0 && d.to < y1 && abs(day-d.to) <= 30
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

type employer struct {
	uscc, name, admvs string
	weight            float64
	attendance        bool
	sixDay            bool
}

type person struct {
	certno, name string
	male         bool
	birth        int
	death        int // 0 alive
	emp          *employer
	used         bool
}

type injury struct {
	id       string
	p        *person
	emp      *employer
	date     int
	rcgn     int
	parts    []string
	dx       *diag
	event    string
	used     bool
	absentTo int // last day of sick leave (attendance)
}

// world is everything that is not an encounter.
type world struct {
	year      int
	r         *rand.Rand
	insts     []*inst
	doctors   []*doctor
	employers []*employer
	persons   []*person
	injuries  []*injury
	cat       *catalog
	certSeen  map[string]bool
	load      map[[2]int]int // (doctor idx, day) → minutes
	nextDoc   int
}

func (w *world) buildInstitutions() {
	type proto struct {
		admvs, name, typ string
		level            int
	}
	var ps []proto
	l3 := []proto{{"370811", "济宁医学院附属医院", "medical", 3}, {"370811", "济宁市第一人民医院", "medical", 3},
		{"370811", "济宁市第二人民医院", "medical", 3}, {"370811", "济宁市中医院", "medical", 3},
		{"370812", "兖州区人民医院", "medical", 3}, {"370883", "邹城市人民医院", "medical", 3},
		{"370881", "曲阜市人民医院", "medical", 3}, {"370883", "兖矿新里程总医院", "medical", 3}}
	ps = append(ps, l3...)
	for _, c := range counties { // level 2: people's hospital (where not level 3), TCM hospital, a second hospital
		if c.admvs != "370812" && c.admvs != "370883" && c.admvs != "370881" && c.admvs != "370811" {
			ps = append(ps, proto{c.admvs, c.name + "人民医院", "medical", 2})
		}
		ps = append(ps, proto{c.admvs, c.name + "中医院", "medical", 2})
	}
	more2 := []proto{{"370811", "济宁骨科医院", "medical", 2}, {"370811", "济宁市任城区人民医院", "medical", 2},
		{"370811", "济宁手足外科医院", "medical", 2}, {"370883", "邹城市第二人民医院", "medical", 2},
		{"370812", "兖州煤业总医院东滩分院", "medical", 2}, {"370828", "金乡县第二人民医院", "medical", 2},
		{"370829", "嘉祥县第二人民医院", "medical", 2}, {"370832", "梁山县第二人民医院", "medical", 2},
		{"370826", "微山县第二人民医院", "medical", 2}, {"370881", "曲阜市中西医结合医院", "medical", 2},
		{"370811", "济宁市烧伤整形医院", "medical", 2}, {"370830", "汶上县骨伤医院", "medical", 2}}
	ps = append(ps, more2...)
	for len(ps) < 73 { // level 1: township and community hospitals
		c := counties[(len(ps)-len(l3)-len(more2)-18)%len(counties)]
		t := c.towns[(len(ps)/len(counties))%len(c.towns)]
		name := c.name + t + "镇卫生院"
		if c.admvs == "370811" {
			name = c.name + t + "街道社区卫生服务中心"
		}
		ps = append(ps, proto{c.admvs, name, "medical", 1})
	}
	rehab := []proto{{"370811", "济宁市工伤康复医院", "rehab", 2}, {"370811", "济宁康复医院", "rehab", 2},
		{"370883", "邹城市康复医院", "rehab", 2}, {"370812", "兖州区康复医院", "rehab", 2},
		{"370881", "曲阜市康复医院", "rehab", 2}, {"370828", "金乡县康复医院", "rehab", 2},
		{"370829", "嘉祥县康复医院", "rehab", 1}, {"370830", "汶上县康复医院", "rehab", 1},
		{"370826", "微山县康复医院", "rehab", 1}, {"370827", "鱼台县康复医院", "rehab", 1},
		{"370831", "泗水县康复医院", "rehab", 1}, {"370832", "梁山县康复医院", "rehab", 1},
		{"370811", "济宁颐和康复医院", "rehab", 1}, {"370811", "任城区工伤康复中心", "rehab", 1},
		{"370883", "邹城市工伤康复中心", "rehab", 1}, {"370812", "兖州区第二康复医院", "rehab", 1},
		{"370828", "金乡县骨伤康复医院", "rehab", 1}, {"370881", "曲阜市尼山康复医院", "rehab", 1}}
	ps = append(ps, rehab...)
	serial := map[string]int{}
	for i, p := range ps {
		serial[p.admvs]++
		in := &inst{idx: i, name: p.name, admvs: p.admvs, typ: p.typ, level: p.level, equip: map[string]bool{}, census: map[int]int{}}
		in.code = fmt.Sprintf("H%s%d%04d", p.admvs, p.level, 100+serial[p.admvs])
		w.equip(in)
		w.insts = append(w.insts, in)
	}
	for _, in := range w.insts {
		w.staff(in)
	}
}

func (w *world) equip(in *inst) {
	r := w.r
	set := func(e string, p float64) {
		if r.Float64() < p {
			in.equip[e] = true
		}
	}
	in.equip["DR"] = true
	switch {
	case in.typ == "rehab":
		in.beds = 40 + r.IntN(140)
		if in.level == 2 {
			in.beds += 80
		}
		set("REHAB_ROBOT", 0.5)
		set("HBO", 0.3)
	case in.level == 3:
		in.beds = 900 + r.IntN(1700)
		for _, e := range []string{"CT", "MR15T", "MR3T", "DSA", "LAMINAR", "RECOVERY", "ICU"} {
			in.equip[e] = true
		}
		set("BURN", 0.4)
		set("HBO", 0.5)
		set("REHAB_ROBOT", 0.3)
	case in.level == 2:
		in.beds = 180 + r.IntN(500)
		in.equip["CT"] = true
		set("MR15T", 0.75)
		set("RECOVERY", 0.7)
		set("ICU", 0.5)
		set("LAMINAR", 0.2)
		set("HBO", 0.15)
	default:
		in.beds = 25 + r.IntN(75)
		set("CT", 0.3)
	}
	if in.equip["MR3T"] {
		in.equip["MR15T"] = true
	}
	if len(in.name) > 0 && (containsStr(in.name, "烧伤") || in.name == "济宁医学院附属医院") {
		in.equip["BURN"] = true
	}
}

func containsStr(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// staff creates the institution's clinicians; some join or leave in the year, a few left earlier.
func (w *world) staff(in *inst) {
	var nd, na, nn, nt int
	switch {
	case in.typ == "rehab":
		nd, nn, nt = 5+in.beds/40, 6+in.beds/25, 10+in.beds/10
	case in.level == 3:
		nd, na, nn, nt = 45, 10, 45, 5
	case in.level == 2:
		nd, na, nn, nt = 22, 4, 22, 2
	default:
		nd, nn = 6, 6
	}
	depts := []string{"A04.03", "A04.03", "A04.01", "A04.02", "A20", "A04.07", "A10", "A04.05"}
	for i := 0; i < nd; i++ {
		dept := depts[i%len(depts)]
		if in.typ == "rehab" {
			dept = "A21"
		} else if in.level == 1 {
			dept = []string{"A04.01", "A04.03", "A20", "A03"}[i%4]
		}
		in.doctors = append(in.doctors, w.newDoctor(in, "doctor", dept))
	}
	for i := 0; i < na; i++ {
		in.anaes = append(in.anaes, w.newDoctor(in, "doctor", "A26"))
	}
	for i := 0; i < nn; i++ {
		in.nurses = append(in.nurses, w.newDoctor(in, "nurse", "A04.03"))
	}
	for i := 0; i < nt; i++ {
		in.therapists = append(in.therapists, w.newDoctor(in, "therapist", "A21"))
	}
	for i := 0; i < 2; i++ { // former staff: left before the year
		d := w.newDoctor(in, "doctor", in.doctors[0].dept)
		d.to = dayOf(w.year-1, time.Month(3+w.r.IntN(9)), 1+w.r.IntN(28))
		if d.from >= d.to {
			d.from = d.to - 800
		}
		in.former = append(in.former, d)
	}
}

func (w *world) newDoctor(in *inst, role, dept string) *doctor {
	r := w.r
	w.nextDoc++
	prefix := map[string]string{"doctor": "D", "nurse": "N", "therapist": "T"}[role]
	d := &doctor{idx: w.nextDoc, role: role, dept: dept, in: in, name: personName(r, r.IntN(10) < 6 || role == "doctor" && r.IntN(2) == 0)}
	if role == "nurse" {
		d.name = personName(r, r.IntN(10) == 0)
	}
	d.code = fmt.Sprintf("%s%s%06d", prefix, in.admvs, w.nextDoc)
	y0 := dayOf(w.year, time.January, 1)
	d.from = y0 - 200 - r.IntN(5000)
	switch x := r.Float64(); {
	case x < 0.04:
		d.from = y0 + 30 + r.IntN(280)
	case x < 0.08:
		d.to = y0 + 30 + r.IntN(280)
	}
	w.doctors = append(w.doctors, d)
	return d
}

// pick chooses a clinician of a list employed on a day whose minutes that day stay under a cap.
func (w *world) pick(r *rand.Rand, list []*doctor, day, minutes, limit int) *doctor {
	if len(list) == 0 {
		return nil
	}
	start := r.IntN(len(list))
	var best *doctor
	bestLoad := math.MaxInt
	for i := 0; i < len(list); i++ {
		d := list[(start+i)%len(list)]
		if !d.employed(day) {
			continue
		}
		l := w.load[[2]int{d.idx, day}]
		if l+minutes <= limit {
			best = d
			break
		}
		if l < bestLoad {
			best, bestLoad = d, l
		}
	}
	if best == nil {
		best = list[start]
		for _, d := range list {
			if d.employed(day) {
				best = d
				break
			}
		}
	}
	if minutes > 0 {
		w.load[[2]int{best.idx, day}] += minutes
	}
	return best
}

func (w *world) buildEmployers(n int) {
	kinds := []string{"建筑工程有限公司", "机械制造有限公司", "矿业有限公司", "化工有限公司", "食品有限公司", "物流有限公司", "建材有限公司", "纺织有限公司", "钢结构工程有限公司", "电力安装有限公司"}
	words := []string{"鲁兴", "泰和", "宏达", "金泉", "恒通", "鑫源", "华夏", "运河", "孔府", "圣源", "东方", "永安", "瑞丰", "铁军", "兴隆", "祥和", "宏图", "裕丰", "汇通", "万达"}
	for i := 0; i < n; i++ {
		c := pickCounty(w.r)
		e := &employer{admvs: c.admvs}
		e.uscc = uscc(c.admvs, 10000000+i*977+w.r.IntN(900))
		e.name = "济宁" + words[w.r.IntN(len(words))] + words[w.r.IntN(len(words))] + kinds[w.r.IntN(len(kinds))]
		e.weight = 1 / math.Pow(float64(i%97+1), 0.8)
		e.attendance = w.r.Float64() < 0.5+0.4*e.weight
		e.sixDay = w.r.IntN(3) == 0
		w.employers = append(w.employers, e)
	}
	sort.SliceStable(w.employers, func(i, j int) bool { return w.employers[i].uscc < w.employers[j].uscc })
}

func pickCounty(r *rand.Rand) county {
	x := r.Float64()
	for _, c := range counties {
		if x < c.weight {
			return c
		}
		x -= c.weight
	}
	return counties[0]
}

var birthplaces = []string{"370811", "370812", "370826", "370827", "370828", "370829", "370830", "370831", "370832", "370881", "370883", "370982", "371321", "411526", "341221", "372901"}

func (w *world) newPerson(e *employer) *person {
	r := w.r
	male := r.Float64() < 0.86
	birth := dayOf(1963+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	bp := birthplaces[r.IntN(len(birthplaces))]
	if r.Float64() < 0.7 {
		bp = e.admvs
	}
	var c string
	for {
		c = certNo(bp, birth, r.IntN(999)+1, male)
		if !w.certSeen[c] {
			break
		}
	}
	w.certSeen[c] = true
	p := &person{certno: c, name: personName(r, male), male: male, birth: birth, emp: e}
	w.persons = append(w.persons, p)
	return p
}

// pickEmployer draws an employer, bigger ones more often.
func (w *world) pickEmployer(r *rand.Rand, tot float64) *employer {
	x := r.Float64() * tot
	for _, e := range w.employers {
		if x < e.weight {
			return e
		}
		x -= e.weight
	}
	return w.employers[len(w.employers)-1]
}
