package demo

import (
	"math/rand/v2"
	"time"
)

// The prevention programme the source text reports (市社保中心: "截至目前，
// 全市共开展工伤预防培训382场、34555人次，其中，在危化品企业工伤预防能力
// 提升培训工作中，先后培训1593人，完成省考核任务的273%，将三年的培训任务
// 提速至一年半完成"), as the trainings that produce those figures: the
// demo records them and every figure on the prevention dashboard is
// computed from the records. City-wide from 2022 (the 2021 pilot was the
// city's own); the hazardous-chemicals programme runs 2024–2026 with a
// provincial target of 584 people, reached within its first year and a
// half.

// The source text's figures.
const (
	PrevSessions        = 382
	PrevAttendances     = 34555
	PrevHazchemTrained  = 1593
	PrevHazchemTarget   = 584 // 1,593 ÷ 584 = 272.8 % → 273 %
	PrevHazchemSessions = 20
	prevHazchemRepeats  = 107 // attendances of people trained twice in the programme
)

// PrevProgrammeHazchem is the hazardous-chemicals programme's name.
const PrevProgrammeHazchem = "危险化学品企业工伤预防能力提升"

// PrevSession is one recorded training: where, when, what, and who came
// (indexes into the people PreventionData returns).
type PrevSession struct {
	Region    string
	Day       time.Time
	Programme string // "" outside a programme
	Industry  string // GB/T 4754 division
	Topic     string
	Place     string
	Online    bool
	People    []int
}

// PrevPerson is one attendee: a registered worker (Worker ≥ 0: the k-th
// worker the loader finds, linked by ID number) or someone the registry
// does not hold (born elsewhere in Shandong).
type PrevPerson struct {
	Worker   int // -1: not registered
	ID, Name string
	Audience string
}

var prevTopics = []struct{ industry, programme, topic string }{
	{"26", PrevProgrammeHazchem, "危险化学品储存与装卸作业安全"},
	{"06", "", "煤矿井下作业安全与职业病防治"},
	{"47", "", "建筑施工高处坠落与物体打击预防"},
	{"54", "", "道路运输驾驶员疲劳驾驶防范"},
	{"34", "", "机械设备操作安全与伤害预防"},
	{"27", "", "医药制造企业职业健康防护"},
	{"13", "", "食品加工企业机械伤害预防"},
	{"44", "", "电力生产作业安全"},
	{"", "", "工伤保险政策与工伤预防知识"},
}

var prevPlaces = []string{"企业会议室", "园区培训中心", "县人社局培训室", "项目部工地", "社区服务中心", "职业技术学院报告厅", "定点医院会议室"}

var prevAudiences = []string{"分管负责人", "安全管理负责人", "技术骨干", "班组长", "一线职工", "特种作业人员"}

// outsideBirth are Shandong county codes outside the registry's birth
// places, so an unregistered attendee's number never equals a worker's.
var outsideBirth = []string{"370602", "370702", "371102", "370303", "371402", "371602"}

// PreventionData is the programme's sessions and people, the same for a
// seed. registered is how many registered workers the loader can link
// (some attendees are theirs).
func PreventionData(seed uint64, registered int) ([]PrevSession, []PrevPerson) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed_1202))
	var people []PrevPerson
	linked := 0 // registered workers handed out, each to one person
	usedIDs := map[string]bool{}
	newPerson := func() int {
		p := PrevPerson{Worker: -1, Audience: oneOf(rng, prevAudiences)}
		if linked < registered && rng.Float64() < 0.3 {
			p.Worker = linked
			linked++
		} else {
			male := rng.Float64() < 0.75
			sex := 0
			if male {
				sex = 1
			}
			for p.ID == "" || usedIDs[p.ID] {
				birth := time.Date(1965+rng.IntN(38), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				p.ID = idNumber(oneOf(rng, outsideBirth), birth, 2*(1+rng.IntN(499))+sex)
			}
			usedIDs[p.ID] = true
			p.Name = prevName(rng, male)
		}
		people = append(people, p)
		return len(people) - 1
	}

	// The hazardous-chemicals programme: 1,593 people, 107 of them twice,
	// in 20 sessions from 2024-01 to 2026-11, the earlier ones larger, so
	// that the 584th person is trained in the first year and a half.
	var out []PrevSession
	hazDays := spreadDays(rng, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), PrevHazchemSessions)
	hazPeople := make([]int, PrevHazchemTrained)
	for i := range hazPeople {
		hazPeople[i] = newPerson()
	}
	sizes := split(rng, PrevHazchemTrained, PrevHazchemSessions, 50, 120)
	next := 0
	for i, d := range hazDays {
		s := PrevSession{Region: hazRegion(i), Day: d, Programme: PrevProgrammeHazchem, Industry: "26", Topic: prevTopics[0].topic,
			Place: "化工园区培训中心"}
		s.People = append(s.People, hazPeople[next:next+sizes[i]]...)
		next += sizes[i]
		out = append(out, s)
	}
	for k := 0; k < prevHazchemRepeats; k++ { // refresher attendances in a later session
		i := PrevHazchemSessions/2 + rng.IntN(PrevHazchemSessions/2)
		p := hazPeople[rng.IntN(len(hazPeople)/2)]
		if !contains(out[i].People, p) {
			out[i].People = append(out[i].People, p)
		} else {
			k--
		}
	}

	// The other 362 sessions carry the rest of the 34,555 attendances;
	// about one attendee in six comes back to a later session.
	others := PrevSessions - PrevHazchemSessions
	hazTimes := PrevHazchemTrained + prevHazchemRepeats
	days := spreadDays(rng, time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), others)
	sizes = split(rng, PrevAttendances-hazTimes, others, 30, 160)
	var pool []int
	for i, d := range days {
		t := prevTopics[1+rng.IntN(len(prevTopics)-1)]
		s := PrevSession{Region: prevRegion(rng), Day: d, Industry: t.industry, Topic: t.topic, Place: oneOf(rng, prevPlaces), Online: rng.Float64() < 0.12}
		for len(s.People) < sizes[i] {
			var p int
			if len(pool) > 0 && rng.Float64() < 0.17 {
				p = pool[rng.IntN(len(pool))]
			} else {
				p = newPerson()
				pool = append(pool, p)
			}
			if !contains(s.People, p) {
				s.People = append(s.People, p)
			}
		}
		out = append(out, s)
	}
	return out, people
}

// hazRegion spreads the programme's sessions over the counties with
// chemical parks (金乡, 嘉祥, 邹城, 兖州, 微山) and the city.
func hazRegion(i int) string {
	return []string{"370828", "370829", "370883", "370812", "370826", "370800"}[i%6]
}

// prevRegion draws a session's region: the city's own and every county.
func prevRegion(rng *rand.Rand) string {
	if rng.Float64() < 0.2 {
		return "370800"
	}
	return counties[rng.IntN(len(counties))].Code
}

// spreadDays is n working days between from and to, in order.
func spreadDays(rng *rand.Rand, from, to time.Time, n int) []time.Time {
	span := int(to.Sub(from).Hours() / 24)
	out := make([]time.Time, n)
	for i := range out {
		d := from.AddDate(0, 0, span*i/n+rng.IntN(max(1, span/n)))
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		out[i] = d
	}
	return out
}

// split is n parts between lo and hi summing to total, earlier ones larger.
func split(rng *rand.Rand, total, n, lo, hi int) []int {
	out := make([]int, n)
	sum := 0
	for i := range out {
		w := hi - (hi-lo)*i/(2*n)
		out[i] = lo + rng.IntN(max(1, w-lo))
		sum += out[i]
	}
	for i := 0; sum != total; i = (i + 1) % n {
		switch {
		case sum < total && out[i] < hi*2:
			out[i]++
			sum++
		case sum > total && out[i] > lo:
			out[i]--
			sum--
		}
	}
	return out
}

func prevName(rng *rand.Rand, male bool) string {
	sur := surnames[rng.IntN(len(surnames))].Name
	chars := femaleChars
	if male {
		chars = maleChars
	}
	name := []rune(sur)
	if rng.Float64() < 0.7 {
		name = append(name, oneOf(rng, neutralChars))
	}
	return string(append(name, oneOf(rng, chars)))
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
