package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/expertpool"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The demo's 工伤一件事 cases: in every county, cases at each stage of the
// bundle — just received with materials missing, waiting for a correction,
// accepted, under investigation, suspended, decided, at the assessment
// committee, computed and approved, refused — some overdue, some simple
// (most in 曲阜), each walked through the store's own actions with real
// users, so the letters, history, reminders and audit entries are those
// the system makes.

// stage is how far a demo case is walked; the later stages include the
// earlier ones' acts.
type stage int

const (
	stReceived stage = iota // materials missing
	stCorrection
	stAccepted
	stInvestigating
	stSuspended
	stDecided
	stAssessing // delivered; the assessment received
	stScheduled
	stConcluded
	stComputed
	stApproved
	stNotRecognised
	stRefused
)

// allStages are walked in 任城 and 曲阜; the other counties get a sample.
var (
	allStages    = []stage{stReceived, stCorrection, stAccepted, stInvestigating, stSuspended, stDecided, stAssessing, stScheduled, stConcluded, stComputed, stApproved, stNotRecognised, stRefused}
	sampleStages = []stage{stReceived, stAccepted, stDecided, stScheduled, stComputed, stApproved}
)

// injuries are realistic accident descriptions.
var injuries = []struct{ place, cause, part, diagnosis string }{
	{"一号车间冲压工位", "操作冲床时右手被上模压伤", "右手", "S62.6 右手示指、中指末节骨折"},
	{"建筑工地三号楼", "在脚手架上作业时踏空坠落", "腰部", "S32.0 腰1椎体压缩性骨折"},
	{"仓库装卸区", "叉车倒车时撞伤左小腿", "左小腿", "S82.2 左胫腓骨骨折"},
	{"机加工车间", "车床切屑飞溅伤及右眼", "右眼", "S05.6 右眼角膜穿通伤"},
	{"煤矿井下采煤工作面", "顶板落石砸伤背部", "背部", "S22.4 多发肋骨骨折"},
	{"食品加工车间", "清理绞肉机时左手被卷入", "左手", "S68.1 左手环指离断伤"},
	{"厂区道路", "搬运钢材时钢材滑落砸伤右足", "右足", "S92.3 右足第一跖骨骨折"},
	{"化工车间", "检修管道时被蒸汽烫伤双上肢", "双上肢", "T22.2 双上肢深二度烫伤（8%）"},
}

var hospitals = []string{"济宁市第一人民医院", "济宁医学院附属医院", "济宁市中医院", "兖矿新里程总医院", "邹城市人民医院", "曲阜市人民医院"}

// demoExperts are the city committee's pool: names and hospitals invented.
func demoExperts(today time.Time) []expertpool.Expert {
	groups := []expertpool.Group{expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupNeuro,
		expertpool.GroupNeuro, expertpool.GroupSense, expertpool.GroupSense, expertpool.GroupVisceral, expertpool.GroupVisceral,
		expertpool.GroupOccupational, expertpool.GroupOccupational, expertpool.GroupDevice, expertpool.GroupOrtho, expertpool.GroupVisceral}
	names := []string{"孔祥瑞", "刘振东", "王立新", "张海燕", "李德明", "赵文静", "孙建平", "周慧敏", "吴国庆", "郑晓红", "冯志强", "陈雪梅", "褚卫东", "魏长青", "蒋丽君"}
	titles := []string{"主任医师", "副主任医师"}
	start := time.Date(today.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]expertpool.Expert, len(names))
	for i, n := range names {
		out[i] = expertpool.Expert{Name: n, Group: groups[i], Hospital: hospitals[i%len(hospitals)], Title: titles[i%2],
			TermStart: start, TermEnd: start.AddDate(expertpool.TermYears, 0, -1)}
	}
	return out
}

// LoadCases walks the demo cases (once: it does nothing when cases exist).
func LoadCases(ctx context.Context, s *store.Store, set *param.Set, seed uint64, today time.Time) (int, error) {
	if n, err := s.Meta(ctx, casesMetaKey); err != nil || n != "" {
		return 0, err
	}
	users, err := s.FindUsers(ctx, access.ScopeOf("370000"))
	if err != nil {
		return 0, err
	}
	who := map[string]access.Principal{}
	for _, u := range users {
		who[u.Username] = u.Principal()
	}
	city := who["jn-assessment"]
	for _, e := range demoExperts(today) {
		if err := s.CreateExpert(ctx, city, "370800", &e); err != nil {
			return 0, fmt.Errorf("demo experts: %w", err)
		}
	}
	var mu sync.Mutex
	var total int
	var firstErr error
	var wg sync.WaitGroup
	work := make(chan county)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				n, err := walkCounty(ctx, s, set, who, c, seed, today)
				mu.Lock()
				total += n
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("demo cases in %s: %w", c.Name, err)
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range counties {
		work <- c
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return total, firstErr
	}
	return total, s.SetMeta(ctx, casesMetaKey, fmt.Sprint(total))
}

const casesMetaKey = "demo_cases"

// actors are the users who act on a county's cases: its own where the demo
// has them (任城, 曲阜), else the city's.
type actors struct{ clerk, recog, assess, maker, checker access.Principal }

func actorsFor(who map[string]access.Principal, region string) actors {
	pick := func(role string) access.Principal {
		for _, p := range []string{"rc", "qf"} {
			if u, ok := who[p+"-"+role]; ok && u.RegionCode == region {
				return u
			}
		}
		return who["jn-"+role]
	}
	a := actors{clerk: pick("clerk"), recog: pick("recognition"), assess: who["jn-assessment"], maker: pick("benefits"), checker: who["jn-benefits"]}
	if a.maker.UserID == a.checker.UserID {
		a.checker = who["jn-approver"]
	}
	return a
}

func walkCounty(ctx context.Context, s *store.Store, set *param.Set, who map[string]access.Principal, c county, seed uint64, today time.Time) (int, error) {
	// Each county its own stream: the region code spread over the word
	// (nearby PCG seeds start out alike).
	code, _ := strconv.ParseUint(c.Code, 10, 64)
	rng := rand.New(rand.NewPCG(seed, code*0x9e3779b97f4a7c15))
	stages := sampleStages
	if c.Code == "370811" || c.Code == "370881" {
		stages = allStages
	}
	scope := access.ScopeOf(c.Code)
	firms, _, err := s.FindEmployers(ctx, scope, store.EmployerFilter{Page: store.Page{Limit: 2 * len(stages)}})
	if err != nil {
		return 0, err
	}
	a := actorsFor(who, c.Code)
	n := 0
	for i, st := range stages {
		if i >= len(firms) {
			break
		}
		f := firms[i]
		ws, _, err := s.FindWorkers(ctx, scope, store.WorkerFilter{EmployerID: f.ID, Page: store.Page{Limit: 1}})
		if err != nil || len(ws) == 0 {
			continue
		}
		w := ws[0]
		emps, err := s.Employments(ctx, scope, w.ID)
		if err != nil {
			return n, err
		}
		var emp registry.Employment
		for _, e := range emps {
			if e.EmployerID == f.ID {
				emp = e
			}
		}
		simple := c.Code == "370881" && st != stSuspended && st != stNotRecognised || rng.IntN(4) == 0 && st != stSuspended
		if err := walk(ctx, s, set, a, w, emp, st, simple, i, rng, today); err != nil {
			return n, fmt.Errorf("%s stage %d: %w", w.Name, st, err)
		}
		n++
	}
	return n, nil
}

// walk opens one case and takes it to stage st.
func walk(ctx context.Context, s *store.Store, set *param.Set, a actors, w registry.Worker, emp registry.Employment, st stage, simple bool, i int, rng *rand.Rand, today time.Time) error {
	// How long ago the application came: older for later stages. The
	// steps are timed to be open within their limits, except some left
	// overdue on purpose (a third of the new applications, half of the
	// accepted ones), so the queues show both.
	ago := []int{6, 10, 20, 40, 45, 30, 30, 45, 120, 170, 200, 90, 30}[st] + rng.IntN(4)
	if st == stReceived && rng.IntN(3) == 0 {
		ago = 24 // acceptance limit passed: overdue
	}
	if st == stAccepted && rng.IntN(2) == 0 {
		ago = 75 // decision limit passed: overdue
	}
	applied := today.AddDate(0, 0, -ago)
	injured := applied.AddDate(0, 0, -3-rng.IntN(10))
	if st == stRefused {
		injured = applied.AddDate(-1, 0, -40) // a worker's own application after the year
	}
	if empStart, _ := time.Parse(time.DateOnly, emp.Start); injured.Before(empStart) {
		injured = empStart.AddDate(0, 0, 30)
		if injured.After(applied) {
			applied = injured.AddDate(0, 0, 2)
		}
	}
	inj := injuries[rng.IntN(len(injuries))]
	c := &casebundle.Case{WorkerID: w.ID, EmployerID: emp.EmployerID, InjuryDate: day(injured), ApplicationDate: day(applied),
		Applicant: casebundle.ApplicantEmployer, ApplicantName: emp.Employer, Place: inj.place, Cause: inj.cause,
		InjuredPart: inj.part, Diagnosis: inj.diagnosis, Hospital: hospitals[rng.IntN(len(hospitals))], Simple: simple,
		Checklist: casebundle.Checklist{FactsClear: simple, EmployerConfirms: simple, MaterialsComplete: simple, NoThirdParty: simple}}
	if st == stRefused {
		c.Applicant, c.ApplicantName = casebundle.ApplicantWorker, w.Name
	}
	if err := s.OpenCase(ctx, a.clerk, set, c, nil); err != nil {
		return err
	}
	on := func(days int) string {
		d := applied.AddDate(0, 0, days)
		if d.After(today) {
			d = today
		}
		return day(d)
	}
	act := func(p access.Principal, k casebundle.ServiceKind, x casebundle.Action) error {
		got, _, err := s.ActOnCase(ctx, p, set, c.ID, c.Service(k).ID, x)
		if err == nil {
			*c = got
		}
		return err
	}
	if st == stReceived {
		return nil
	}
	upload := func(codes ...string) error {
		for _, m := range codes {
			if _, err := s.PutCaseFile(ctx, a.clerk, c.ID, m, materialFile(m), strings.NewReader(scanPDF(c.Number, m))); err != nil {
				return err
			}
		}
		return nil
	}
	if err := upload("application_form"); err != nil {
		return err
	}
	if st == stCorrection {
		return act(a.clerk, casebundle.Recognition, casebundle.Action{Name: casebundle.ActNotice, On: on(1), Missing: []string{"diagnosis"}})
	}
	if err := upload("diagnosis", "medical_records"); err != nil {
		return err
	}
	if c.DeFacto { // no registered employment on the injury date: the applicant proves it
		if err := upload("labour_relation"); err != nil {
			return err
		}
	}
	if st == stRefused {
		return act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActRefuse, On: on(3), Reason: "申请超过《工伤保险条例》第十七条第二款规定的1年时限，且无不计入时限的事由"})
	}
	if err := act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActAccept, On: on(2)}); err != nil {
		return err
	}
	if st == stAccepted {
		return nil
	}
	if err := act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActInvestigate, On: on(4), Investigators: []string{a.recog.Name, "张建军"}, Evidence: "现场勘查笔录、证人证言两份"}); err != nil {
		return err
	}
	switch st {
	case stInvestigating:
		return nil
	case stSuspended:
		return act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActSuspend, On: on(10), Reason: "等待公安交警部门出具道路交通事故认定书"})
	}
	decideOn := 5
	if !simple {
		decideOn = 20
	}
	switch st {
	case stDecided, stAssessing, stScheduled:
		decideOn = ago - 6 // decided days ago: delivery, correction and conclusion limits still run
	}
	outcome, ground := casebundle.OutcomeRecognised, "14.1"
	if st == stNotRecognised {
		outcome, ground = casebundle.OutcomeNotRecognised, "none"
	}
	if err := act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActDecide, On: on(decideOn), Outcome: outcome, Ground: ground}); err != nil {
		return err
	}
	if st == stDecided {
		return nil
	}
	if err := act(a.recog, casebundle.Recognition, casebundle.Action{Name: casebundle.ActDeliver, On: on(decideOn + 2)}); err != nil {
		return err
	}
	if st == stAssessing || st == stNotRecognised {
		return nil
	}
	got, err := s.DrawPanel(ctx, a.assess, set, c.ID, c.Service(casebundle.InitialAssess).ID, 3, []expertpool.Group{expertpool.GroupOrtho})
	if err != nil {
		return err
	}
	*c = got
	exam := min(decideOn+30, ago)
	switch st {
	case stScheduled:
		exam = ago + 7 // in the future: today + 7
	case stConcluded:
		exam = ago - 3 // concluded three days ago: its delivery is due
	}
	if err := act(a.assess, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActSchedule, On: on(min(decideOn+3, ago)), ExamOn: on(exam), ExamPlace: "济宁市劳动能力鉴定中心（太白湖新区）"}); err != nil {
		if st != stScheduled {
			return err
		}
		d := day(today.AddDate(0, 0, 7))
		if err := act(a.assess, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActSchedule, ExamOn: d, ExamPlace: "济宁市劳动能力鉴定中心（太白湖新区）"}); err != nil {
			return err
		}
	}
	if st == stScheduled {
		return nil
	}
	level := 7 + rng.IntN(4)
	clause := fmt.Sprintf("5.%d.2(%d)", level, 1+rng.IntN(12))
	if err := act(a.assess, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActConclude, On: on(exam), Level: &level, Clauses: []string{clause}}); err != nil {
		return err
	}
	if st == stConcluded {
		return nil
	}
	if err := act(a.assess, casebundle.InitialAssess, casebundle.Action{Name: casebundle.ActDeliver, On: on(exam + 2)}); err != nil {
		return err
	}
	if err := act(a.maker, casebundle.BenefitApproval, casebundle.Action{Name: casebundle.ActCompute, On: on(exam + 3)}); err != nil {
		return err
	}
	if st == stComputed {
		return nil
	}
	return act(a.checker, casebundle.BenefitApproval, casebundle.Action{Name: casebundle.ActApprove, On: on(exam + 5)})
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func materialFile(code string) string {
	m, _ := casebundle.MaterialByCode(code)
	return m.Name + ".pdf"
}

// scanPDF is a small valid PDF standing in for a scanned document.
func scanPDF(number, material string) string {
	return "%PDF-1.4\n% gongshang demo scan " + number + " " + material + "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
}
