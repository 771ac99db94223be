package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// LoadPrevention records the prevention programme of PreventionData the
// way the agency would have: each year's budget, every county's approved
// plan with a project per programme or industry, the city's expert pool,
// and every session with its roster, marked held; the sessions before this
// month are evaluated, archived with their recording and closed, and
// their projects paid (prepared by the partner insurer's staff, approved
// by the city); the hazardous-chemicals programme's provincial target;
// and next year's plans, one submitted and one returned. Once per store.

const preventionMetaKey = "demo_prevention"

// PreventionSummary is what LoadPrevention made.
type PreventionSummary struct {
	Plans, Sessions, Attendances, Linked, Paid int
}

// prevYearIncome is the city's work-injury contribution income of the
// year before each prevention year, in fen (an estimate: about 0.9–1.2
// billion yuan; the 3 % cap is then 27–36 million, far above what the
// programme spends).
var prevYearIncome = map[int]int64{2022: 90_000_000_000, 2023: 95_000_000_000, 2024: 101_000_000_000, 2025: 108_000_000_000, 2026: 116_000_000_000, 2027: 121_000_000_000}

var prevExperts = []prevention.Expert{
	{Name: "孔德华", Specialty: prevention.SpecialtyHazchem, Department: prevention.DeptEmergency, Title: "高级工程师", Qualifications: "注册安全工程师、国家安全生产培训师", Employer: "济宁化工园区管委会"},
	{Name: "颜丽君", Specialty: prevention.SpecialtyOccupational, Department: prevention.DeptHealth, Title: "主任医师", Employer: "济宁市职业病防治院"},
	{Name: "孟庆海", Specialty: prevention.SpecialtyMining, Department: prevention.DeptEmergency, Title: "高级工程师", Employer: "兖矿能源集团"},
	{Name: "曾宪波", Specialty: prevention.SpecialtyConstruction, Department: prevention.DeptHousing, Title: "一级建造师", Employer: "济宁市建筑安全监督站"},
	{Name: "仲伟", Specialty: prevention.SpecialtyTransport, Department: prevention.DeptTransport, Title: "高级工程师", Employer: "济宁市道路运输服务中心"},
	{Name: "闵晓燕", Specialty: prevention.SpecialtyPolicy, Department: prevention.DeptHRSS, Title: "高级经济师", Employer: "济宁市社会保险事业中心"},
}

// LoadPrevention loads the programme; today is the day the demo was
// generated (the registry's workers, some of whom attended, are those of
// Generate(seed, scale, today)).
func LoadPrevention(ctx context.Context, s *store.Store, set *param.Set, seed uint64, scale float64, today time.Time) (PreventionSummary, error) {
	var sum PreventionSummary
	if done, err := s.Meta(ctx, preventionMetaKey); err != nil || done != "" {
		return sum, err
	}
	city, county, insurer, err := preventionStaff(ctx, s)
	if err != nil {
		return sum, err
	}
	workers := Generate(seed, scale, today).Workers
	sessions, people := PreventionData(seed, len(workers))
	for y := 2022; y <= 2027; y++ {
		if _, err := s.SetPreventionYear(ctx, city, set, "370800", y, prevYearIncome[y], 0, "", 0); err != nil {
			return sum, fmt.Errorf("prevention year %d: %w", y, err)
		}
	}
	experts, err := demoExpertPool(ctx, s, city)
	if err != nil {
		return sum, err
	}
	projects, publicity, err := demoPlans(ctx, s, city, insurer, sessions, &sum)
	if err != nil {
		return sum, err
	}
	month := today.Format("2006-01")
	paid := map[int64]bool{}
	for i, ps := range sessions {
		ss, err := demoSession(ctx, s, county(ps.Region), set, projects[projectKey(ps)], experts[i%len(experts)], ps, people, workers, ps.Day.Format("2006-01") < month, &sum)
		if err != nil {
			return sum, fmt.Errorf("prevention session %d (%s): %w", i, ps.Day.Format(time.DateOnly), err)
		}
		_ = ss
	}
	// pay the projects whose sessions are all closed
	for key, id := range projects {
		if paid[id] || key.year >= today.Year() {
			continue
		}
		p, err := s.PrepareTrainingPayment(ctx, insurer, set, id)
		if err != nil {
			return sum, fmt.Errorf("prevention payment of project %d: %w", id, err)
		}
		if _, err := s.ApproveTrainingPayment(ctx, city, p.ID, p.Version); err != nil {
			return sum, fmt.Errorf("prevention payment approval of project %d: %w", id, err)
		}
		paid[id] = true
		sum.Paid++
	}
	// the past years' publicity accepted and paid; this year's delivered,
	// waiting for its acceptance
	for year, id := range publicity {
		if year >= today.Year() {
			continue
		}
		if _, err := s.AcceptPublicity(ctx, city, id, "短视频、户外大屏和微信推送按计划完成投放，播放及投放记录齐全", "同意验收"); err != nil {
			return sum, fmt.Errorf("accepting the %d publicity: %w", year, err)
		}
		p, err := s.PrepareTrainingPayment(ctx, insurer, set, id)
		if err != nil {
			return sum, err
		}
		if _, err := s.ApproveTrainingPayment(ctx, city, p.ID, p.Version); err != nil {
			return sum, err
		}
		sum.Paid++
	}
	if _, err := s.AddTrainingTarget(ctx, city, prevention.Target{Region: "370800", Programme: PrevProgrammeHazchem, YearFrom: 2024, YearTo: 2026,
		Target: PrevHazchemTarget, Source: "山东省危险化学品企业工伤预防能力提升培训工程省考核任务（三年）"}); err != nil {
		return sum, err
	}
	if err := demoNextYear(ctx, s, city, insurer, today.Year()+1); err != nil {
		return sum, err
	}
	return sum, s.SetMeta(ctx, preventionMetaKey, "done")
}

// preventionStaff are the demo's prevention officers: the city's (who
// approves), a county's officer for each county (the city's acting where
// the demo has none), and the partner insurer's staff.
func preventionStaff(ctx context.Context, s *store.Store) (city access.Principal, county func(string) access.Principal, insurer access.Principal, err error) {
	users, err := s.FindUsers(ctx, access.ScopeOf("370800"))
	if err != nil {
		return city, nil, insurer, err
	}
	local := map[string]access.Principal{}
	for _, u := range users {
		switch {
		case u.Username == "jn-prevention":
			city = u.Principal()
		case u.Username == "jn-insurer":
			insurer = u.Principal()
		case u.Role == access.RolePrevention:
			local[u.RegionCode] = u.Principal()
		}
	}
	if city.Username == "" || insurer.Username == "" {
		return city, nil, insurer, fmt.Errorf("demo: no jn-prevention or jn-insurer user")
	}
	return city, func(region string) access.Principal {
		if p, ok := local[region]; ok {
			return p
		}
		return city
	}, insurer, nil
}

func demoExpertPool(ctx context.Context, s *store.Store, city access.Principal) ([]int64, error) {
	var ids []int64
	for _, e := range prevExperts {
		x, err := s.AddPreventionExpert(ctx, city, e)
		if err != nil {
			return nil, fmt.Errorf("prevention expert %s: %w", e.Name, err)
		}
		ids = append(ids, x.ID)
	}
	return ids, nil
}

// planKey is a project of a county's plan: its year and what it is about.
type planKey struct {
	region string
	year   int
	topic  string
}

func projectKey(ps PrevSession) planKey {
	return planKey{ps.Region, ps.Day.Year(), ps.Programme + "|" + ps.Industry + "|" + ps.Topic}
}

// demoPlans makes and approves each county's plan of each year with one
// training project per programme or topic, sized to its sessions.
func demoPlans(ctx context.Context, s *store.Store, city, insurer access.Principal, sessions []PrevSession, sum *PreventionSummary) (map[planKey]int64, map[int]int64, error) {
	type agg struct{ sessions, people int }
	byKey := map[planKey]*agg{}
	plans := map[[2]any][]planKey{}
	for _, ps := range sessions {
		k := projectKey(ps)
		if byKey[k] == nil {
			byKey[k] = &agg{}
			pk := [2]any{k.region, k.year}
			plans[pk] = append(plans[pk], k)
		}
		byKey[k].sessions++
		byKey[k].people += len(ps.People)
	}
	keys := make([][2]any, 0, len(plans))
	for k := range plans {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][1].(int) != keys[j][1].(int) {
			return keys[i][1].(int) < keys[j][1].(int)
		}
		return keys[i][0].(string) < keys[j][0].(string)
	})
	out, publicity := map[planKey]int64{}, map[int]int64{}
	for _, pk := range keys {
		region, year := pk[0].(string), pk[1].(int)
		p, err := s.CreatePlan(ctx, insurer, region, year)
		if err != nil {
			return nil, nil, fmt.Errorf("plan %s %d: %w", region, year, err)
		}
		if region == "370800" { // the city's own publicity of the year
			if p, err = s.SavePlanProject(ctx, insurer, p.ID, p.Version, prevPublicity(year)); err != nil {
				return nil, nil, fmt.Errorf("plan %d publicity: %w", year, err)
			}
		}
		for _, k := range plans[pk] {
			a := byKey[k]
			parts := strings.SplitN(k.topic, "|", 3)
			pr := prevention.Project{Kind: prevention.KindTraining, Title: parts[2], Programme: parts[0], Industry: parts[1],
				Audience: []string{"分管负责人", "安全管理负责人", "班组长"}, Sessions: a.sessions, Attendance: a.people,
				ProviderKind: "insurer", Provider: "太平洋寿险济宁支公司",
				Lines: []prevention.BudgetLine{{Item: "授课费", RequestedFen: int64(a.sessions) * 300_000}, {Item: "场地、资料及音视频记录", RequestedFen: int64(a.sessions) * 200_000}}}
			if p, err = s.SavePlanProject(ctx, insurer, p.ID, p.Version, pr); err != nil {
				return nil, nil, fmt.Errorf("plan %s %d project %s: %w", region, year, pr.Title, err)
			}
		}
		if p, err = s.SubmitPlan(ctx, insurer, p.ID, p.Version, ""); err != nil {
			return nil, nil, err
		}
		if p, err = s.ReviewPlan(ctx, city, p.ID, p.Version, prevention.Review{Action: prevention.ActApprove, Note: "经市工伤预防联席会议论证，同意"}); err != nil {
			return nil, nil, fmt.Errorf("approving plan %s %d: %w", region, year, err)
		}
		for _, pr := range p.Projects {
			if pr.Kind == prevention.KindPublicity {
				publicity[year] = pr.ID
				continue
			}
			out[planKey{region, year, pr.Programme + "|" + pr.Industry + "|" + pr.Title}] = pr.ID
		}
		sum.Plans++
	}
	return out, publicity, nil
}

// prevPublicity is the city's publicity project of a year: the short
// videos by key industry, the outdoor screens and WeChat pushes (2023:
// the micro-film 《“我”是谁》, the national first prize).
func prevPublicity(year int) prevention.Project {
	title := "工伤预防系列短视频制作及户外大屏、微信“附近推”定点投放"
	if year == 2023 {
		title = "工伤预防微电影《“我”是谁》拍摄及融媒体投放"
	}
	return prevention.Project{Kind: prevention.KindPublicity, Title: title, ProviderKind: "insurer", Provider: "太平洋寿险济宁支公司",
		Lines: []prevention.BudgetLine{{Item: "制作费", RequestedFen: 6_000_000}, {Item: "投放费", RequestedFen: 4_000_000}}}
}

// demoSession records one session: created, its roster, held; a past one
// also evaluated, archived and closed.
func demoSession(ctx context.Context, s *store.Store, staff access.Principal, set *param.Set, projectID, expertID int64, ps PrevSession,
	people []PrevPerson, workers []registry.Worker, past bool, sum *PreventionSummary) (store.TrainingSession, error) {
	in := prevention.SessionInput{HeldOn: ps.Day.Format(time.DateOnly), Place: ps.Place, Online: ps.Online, Capacity: len(ps.People) + 20,
		Planned: len(ps.People), Topic: ps.Topic, ExpertID: expertID}
	if ps.Online {
		in.Place = ""
	}
	ss, err := s.CreateTrainingSession(ctx, staff, projectID, in)
	if err != nil {
		return ss, err
	}
	var roster strings.Builder
	roster.WriteString("姓名,身份证号码,工作单位,人员类别\n")
	for _, i := range ps.People {
		p := people[i]
		id, name := p.ID, p.Name
		if p.Worker >= 0 {
			id, name = workers[p.Worker].IDNumber, workers[p.Worker].Name
		}
		fmt.Fprintf(&roster, "%s,%s,%s,%s\n", name, id, "参训企业", p.Audience)
	}
	res, err := s.ImportRoster(ctx, staff, ss.ID, "名单.csv", []byte(roster.String()))
	if err != nil {
		return ss, fmt.Errorf("roster: %w %v", err, res.Problems)
	}
	sum.Sessions++
	sum.Attendances += res.Added
	sum.Linked += res.Linked
	if ss, err = s.FindTrainingSession(ctx, staff, ss.ID); err != nil {
		return ss, err
	}
	if ss, err = s.MarkTrainingHeld(ctx, staff, ss.ID, ss.Version); err != nil || !past {
		return ss, err
	}
	scores := map[string]int{}
	for _, it := range prevention.DefaultChecklist {
		scores[it.Code] = it.Max - (len(ps.People)+len(it.Code))%3
	}
	if _, err := s.RecordChecklist(ctx, staff, set, ss.ID, prevention.Checklist{Items: prevention.DefaultChecklist, Scores: scores}); err != nil {
		return ss, err
	}
	var q prevention.Questionnaire
	for k := 0; k < 5; k++ {
		q.Responses = append(q.Responses, prevention.Response{Satisfaction: []int{5, 4 + k%2, 5}, Correct: 7 + k%4, Total: 10})
	}
	if _, err := s.RecordQuestionnaire(ctx, staff, set, ss.ID, q); err != nil {
		return ss, err
	}
	if _, err := s.AddTrainingArchive(ctx, staff, ss.ID, store.ArchiveInput{DurationS: 5400, FileName: "培训录像.mp4"},
		strings.NewReader(demoVideo)); err != nil {
		return ss, err
	}
	if ss, err = s.FindTrainingSession(ctx, staff, ss.ID); err != nil {
		return ss, err
	}
	return s.CloseTrainingSession(ctx, staff, ss.ID, ss.Version)
}

// demoVideo stands for a session's recording: the head of an MP4 file
// (the demo keeps no real video).
var demoVideo = "\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + strings.Repeat("\x00", 64)

// demoNextYear is next year's plans at the start of the year: 任城's
// submitted for review, 曲阜's returned with comments.
func demoNextYear(ctx context.Context, s *store.Store, city, insurer access.Principal, year int) error {
	for _, region := range []string{"370811", "370881"} {
		p, err := s.CreatePlan(ctx, insurer, region, year)
		if err != nil {
			return err
		}
		if p, err = s.SavePlanProject(ctx, insurer, p.ID, p.Version, prevention.Project{Kind: prevention.KindTraining, Title: "危险化学品储存与装卸作业安全",
			Programme: PrevProgrammeHazchem, Industry: "26", Audience: []string{"安全管理负责人", "班组长"}, Sessions: 4, Attendance: 320,
			ProviderKind: "insurer", Provider: "太平洋寿险济宁支公司",
			Lines: []prevention.BudgetLine{{Item: "授课费", RequestedFen: 1_200_000}, {Item: "场地、资料及音视频记录", RequestedFen: 800_000}}}); err != nil {
			return err
		}
		if p, err = s.SubmitPlan(ctx, insurer, p.ID, p.Version, ""); err != nil {
			return err
		}
		if region == "370881" {
			if _, err := s.ReviewPlan(ctx, city, p.ID, p.Version, prevention.Review{Action: prevention.ActReturn,
				Note: "请补充目标企业名单，并按重点行业调整培训对象"}); err != nil {
				return err
			}
		}
	}
	return nil
}
