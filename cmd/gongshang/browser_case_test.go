package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/expertpool"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// The 工伤一件事 walked end to end in the browser (issue 8's first "done
// when"): the window clerk opens the case from the worker's page and
// uploads the three documents; the recognition officer accepts,
// investigates, decides and delivers; the city's assessment secretary
// draws the panel, schedules and concludes; one benefits officer computes,
// is refused his own approval, and a second approves; then the worker
// activates his portal account, sees the case and downloads the decision
// letter, his employer sees the case and another employer does not.
//
// The store clock of the test server stands at 2026-03-02 (a Monday,
// storetest.NewClock), so every due date below is computed by hand from
// regulation.md §9.2: the first day is not counted, days are calendar
// days, and a last day on a rest day moves to the next working day (no
// 2026 holiday calendar is loaded, so only weekends are rest days).

// caseWalk is one case to walk and what its pages must show.
type caseWalk struct {
	name    string // screenshot prefix
	region  string // the employer's county
	simple  bool   // opened under 简易程序 with the checklist ticked
	worker  string // the injured worker's name
	injury  string // 受伤日期
	applied string // 申请日期 = the day recognition's acceptance clock starts
	// acceptDue is the acceptance limit shown before acceptance.
	acceptDue string
	// acceptOn is the date typed into the acceptance form, decisionDue the
	// decision limit then shown.
	acceptOn, decisionDue string
	wageFen               int64  // each of the 12 months' wages before the injury
	wage, lumpSum         string // 本人工资 and level 9's 一次性伤残补助金 (9 × 本人工资) as shown
}

// TestBrowserCaseNormal: 任城区, the statutory limits. Applied Wed
// 2026-02-25: acceptance within 15 days → Thu 2026-03-12 (令8号 Art. 8).
// Accepted Fri 2026-02-27: decision within 60 days → Tue 2026-04-28
// (条例 Art. 20). 本人工资 6,000.00; level 9: 9 months = 54,000.00.
func TestBrowserCaseNormal(t *testing.T) {
	t.Parallel()
	walkCase(t, caseWalk{name: "case-normal", region: "370811", worker: "王建国", injury: "2026-02-20", applied: "2026-02-25",
		acceptDue: "2026-03-12", acceptOn: "2026-02-27", decisionDue: "2026-04-28",
		wageFen: 600000, wage: "¥6,000.00", lumpSum: "¥54,000.00"})
}

// TestBrowserCaseSimple: 曲阜市 under 简易程序, the shortened local limits.
// Applied Wed 2026-02-25: acceptance within 3 days → Sat 2026-02-28, a
// rest day (so is Sunday), rolled to Mon 2026-03-02. Accepted that Monday:
// decision within 7 days → Mon 2026-03-09. 本人工资 5,200.00; level 9:
// 46,800.00.
func TestBrowserCaseSimple(t *testing.T) {
	t.Parallel()
	walkCase(t, caseWalk{name: "case-simple", region: "370881", simple: true, worker: "李卫东", injury: "2026-02-23", applied: "2026-02-25",
		acceptDue: "2026-03-02", acceptOn: "2026-03-02", decisionDue: "2026-03-09",
		wageFen: 520000, wage: "¥5,200.00", lumpSum: "¥46,800.00"})
}

// caseWorld is what the store holds before the browser starts.
type caseWorld struct {
	e              *webtest.Env
	employer       registry.Employer // the worker's, in the walk's county
	stranger       registry.Employer // another county's, with its own portal account
	worker         registry.Worker
	workerCode     string            // his portal activation code
	staff          map[string]string // role key → username
	maker, checker string            // the two benefits officers' display names
	docs           map[string]string // material code → a PDF on disk
}

const casePassword = webtest.Password

// setUpCase fills the store: the city's expert pool, the worker with 12
// months of wages, the county's staff, portal accounts for both employers
// and an activation code for the worker.
func setUpCase(t *testing.T, w caseWalk) *caseWorld {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t, storetest.OpenSQLite)
	cw := &caseWorld{e: e, employer: e.Home, stranger: e.Other, staff: map[string]string{}, docs: map[string]string{}}
	if w.region == e.Other.RegionCode {
		cw.employer, cw.stranger = e.Other, e.Home
	}
	clerk := storetest.Actor(access.RoleClerk, w.region)
	cw.worker = storetest.MustWorker(t, e.S, cw.employer, w.worker)
	// Wages 2025-02 … 2026-01: the 12 months before the February injury.
	var wages []registry.Wage
	for m := 2; m <= 13; m++ {
		wages = append(wages, registry.Wage{EmployerID: cw.employer.ID, Period: fmt.Sprintf("%04d-%02d", 2025+(m-1)/12, (m-1)%12+1), AmountFen: w.wageFen})
	}
	if err := e.S.RecordWages(ctx, clerk, cw.worker.ID, wages); err != nil {
		t.Fatal(err)
	}
	city := storetest.Actor(access.RoleAssessment, "370800")
	groups := []expertpool.Group{expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupOrtho, expertpool.GroupNeuro}
	for i, g := range groups {
		x := &expertpool.Expert{Name: fmt.Sprintf("鉴定专家%d", i+1), Group: g, Hospital: fmt.Sprintf("济宁市第%d人民医院", i+2), Title: "主任医师",
			TermStart: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), TermEnd: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}
		if err := e.S.CreateExpert(ctx, city, "370800", x); err != nil {
			t.Fatal(err)
		}
	}
	cw.maker, cw.checker = "钱核算", "孙复核"
	for _, u := range []struct {
		key, display string
		role         access.Role
	}{{"clerk", "窗口受理员", access.RoleClerk}, {"recognition", "工伤认定员", access.RoleRecognition},
		{"maker", cw.maker, access.RoleBenefits}, {"checker", cw.checker, access.RoleBenefits}} {
		name := "e2e-" + u.key + "-" + w.region
		if _, err := e.S.CreateUser(ctx, access.System, access.NewUser{Username: name, DisplayName: u.display, Role: u.role, RegionCode: w.region, Password: casePassword}); err != nil {
			t.Fatal(err)
		}
		cw.staff[u.key] = name
	}
	cw.staff["assessment"] = "assessment-370800" // the city committee's secretary (webtest.Env)
	code, err := e.S.IssuePortalCode(ctx, clerk, store.PortalWorker, cw.worker.ID)
	if err != nil {
		t.Fatal(err)
	}
	cw.workerCode = code
	storetest.MustPortal(t, e.S, store.PortalEmployer, cw.employer.ID, cw.employer.CreditCode)
	storetest.MustPortal(t, e.S, store.PortalEmployer, cw.stranger.ID, cw.stranger.CreditCode)
	dir := t.TempDir()
	for _, m := range []string{"application_form", "diagnosis", "medical_records"} {
		path := filepath.Join(dir, m+".pdf")
		if err := os.WriteFile(path, tinyPDF(m), 0o600); err != nil {
			t.Fatal(err)
		}
		cw.docs[m] = path
	}
	return cw
}

// tinyPDF is a valid one-page PDF (its cross-reference offsets right)
// that says what it stands for.
func tinyPDF(label string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"", // the content stream, below
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	content := "BT /F1 18 Tf 72 770 Td (" + label + ") Tj ET"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content)
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// staffTab is a new browser context signed in to the back office.
func staffTab(t *testing.T, base, username string) *tab {
	t.Helper()
	b := newTab(t)
	b.do(chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=username]`),
		chromedp.SetValue(`input[name=username]`, username),
		chromedp.SetValue(`input[name=password]`, casePassword),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`#who`))
	return b
}

// portalTab is a new browser context signed in to the portal as a worker
// or employer (kind store.PortalWorker or store.PortalEmployer).
func portalTab(t *testing.T, base, kind, login, password string) *tab {
	t.Helper()
	b := newTab(t)
	b.do(chromedp.Navigate(base+"/portal/login"), chromedp.WaitVisible(`#login`))
	b.portalLogin(kind, login, password)
	return b
}

// portalLogin fills the portal's login form on the current page.
func (b *tab) portalLogin(kind, login, password string) {
	b.t.Helper()
	b.do(chromedp.Click(`input[name=kind][value=`+kind+`]`),
		chromedp.SetValue(`#login`, login),
		chromedp.SetValue(`#password`, password))
	b.submit(`main form button[type=submit]`)
	b.do(chromedp.WaitVisible(`#who`))
}

// submit clicks a submit button and waits for the next document: the old
// page is marked first, so nothing of it can satisfy the waits after.
func (b *tab) submit(button string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
		chromedp.Click(button),
		chromedp.WaitReady(`body:not([data-stale])`))
}

// text is an element's visible text.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, chromedp.Text(sel)))
}

// fetchHead fetches url from the page, with its session, and returns the
// status and the first bytes of the body as text.
func (b *tab) fetchHead(url string, n int) (int, string) {
	b.t.Helper()
	js := fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer().then(buf => {
		const u = new Uint8Array(buf.slice(0, %d)); let s = '';
		for (let i = 0; i < u.length; i++) s += String.fromCharCode(u[i]);
		return r.status + ' ' + s;
	}))`, url, n)
	got := get(b, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	code, head, _ := strings.Cut(got, " ")
	status, _ := strconv.Atoi(code)
	return status, head
}

// caseActs drives the action forms of one case page for one service.
type caseActs struct {
	b   *tab
	svc int64
}

// open unfolds the form of action and returns its selector.
func (a caseActs) open(action casebundle.ActionName) string {
	a.b.t.Helper()
	form := fmt.Sprintf("#act-%d-%s", a.svc, action)
	a.b.do(chromedp.Click(`details:has(> `+form+`) > summary`), chromedp.WaitVisible(form+` button[type=submit]`))
	return form
}

// act fills the form of action (input name → value; a checkbox or radio
// is ticked when its value is given as "☑value") and submits it.
func (a caseActs) act(action casebundle.ActionName, fill ...[2]string) {
	a.b.t.Helper()
	form := a.open(action)
	for _, f := range fill {
		if v, ok := strings.CutPrefix(f[1], "☑"); ok {
			a.b.do(chromedp.Click(fmt.Sprintf(`%s input[name=%s][value=%q]`, form, f[0], v)))
			continue
		}
		a.b.do(chromedp.SetValue(fmt.Sprintf(`%s [name=%s]`, form, f[0]), f[1]))
	}
	a.b.submit(form + ` button[type=submit]`)
}

// state is the service's state tag.
func (a caseActs) state() string { return a.b.text(fmt.Sprintf("#svc-%d h3 .state", a.svc)) }

// due is the service's due date shown.
func (a caseActs) due() string { return a.b.text(fmt.Sprintf("#svc-%d .clock .due", a.svc)) }

// card is the text of the service's card.
func (a caseActs) card() string { return a.b.text(fmt.Sprintf("#svc-%d", a.svc)) }

func walkCase(t *testing.T, w caseWalk) {
	cw := setUpCase(t, w)
	base := cw.e.TS.URL

	// The window clerk: from the worker's page, 申请工伤一件事.
	clerk := staffTab(t, base, cw.staff["clerk"])
	clerk.do(chromedp.Navigate(fmt.Sprintf("%s/workers/%d", base, cw.worker.ID)),
		chromedp.WaitVisible(`#worker-case-new`),
		chromedp.Click(`#worker-case-new`),
		chromedp.WaitVisible(`#case-form`))
	if got := clerk.text(`#case-worker`); !strings.Contains(got, w.worker) {
		t.Fatalf("the form is for %q, want %s", got, w.worker)
	}
	clerk.do(chromedp.SetValue(`#injury_date`, w.injury),
		chromedp.SetValue(`#application_date`, w.applied),
		chromedp.SetValue(`#applicant_name`, cw.employer.Name),
		chromedp.SetValue(`#place`, "二号车间"),
		chromedp.SetValue(`#cause`, "操作冲床时左手被压伤"),
		chromedp.SetValue(`#injured_part`, "左手"),
		chromedp.SetValue(`#diagnosis`, "左手第二、三指骨折"),
		chromedp.SetValue(`#hospital`, "济宁市第一人民医院"))
	if w.simple {
		for _, box := range []string{"facts_clear", "employer_confirms", "materials_complete", "no_third_party", "simple"} {
			clerk.do(chromedp.Click(`#checklist input[name=` + box + `]`))
		}
	}
	clerk.shot(w.name + "-01-application")
	clerk.submit(`#submit`)
	clerk.do(chromedp.WaitVisible(`#case-number`))
	caseURL := get(clerk, chromedp.Location())
	id, err := strconv.ParseInt(caseURL[strings.LastIndexByte(caseURL, '/')+1:], 10, 64)
	if err != nil {
		t.Fatalf("after the application the browser is at %s", caseURL)
	}
	number := strings.TrimPrefix(clerk.text(`#case-number`), "案件 ")
	c, err := cw.e.S.FindCase(context.Background(), storetest.Actor(access.RoleAuditor, "370800"), id)
	if err != nil {
		t.Fatal(err)
	}
	recogID, assessID, benefitID := serviceID(t, &c, casebundle.Recognition), serviceID(t, &c, casebundle.InitialAssess), serviceID(t, &c, casebundle.BenefitApproval)
	procedure := clerk.text(`#case-procedure`)
	if w.simple != strings.Contains(procedure, "简易程序") {
		t.Errorf("办理程序 shows %q (simple: %v)", procedure, w.simple)
	}
	for _, m := range []string{"application_form", "diagnosis", "medical_records"} {
		clerk.do(chromedp.SetValue(`#material`, m), chromedp.SetUploadFiles(`#file`, []string{cw.docs[m]}))
		clerk.submit(`#upload button[type=submit]`)
		clerk.do(chromedp.WaitVisible(`#flash`))
		if files := clerk.text(`#files`); !strings.Contains(files, m+".pdf") {
			t.Fatalf("after uploading %s the files are %q", m, files)
		}
	}
	if docs := clerk.text(`#documents b`); docs != "3" {
		t.Errorf("the applicant provided %s documents, want 3 (the labour relation comes from the registry)", docs)
	}
	rec := caseActs{clerk, recogID}
	if due := rec.due(); due != w.acceptDue {
		t.Errorf("acceptance due %s, want %s", due, w.acceptDue)
	}
	clerk.shot(w.name + "-02-case-opened")

	// The recognition officer: accept, investigate, decide, deliver.
	officer := staffTab(t, base, cw.staff["recognition"])
	officer.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(`#case-number`))
	rec = caseActs{officer, recogID}
	rec.act(casebundle.ActAccept, [2]string{"on", w.acceptOn})
	if due := rec.due(); due != w.decisionDue {
		t.Errorf("decision due %s after accepting on %s, want %s", due, w.acceptOn, w.decisionDue)
	}
	if st := rec.state(); st != casebundle.Accepted.Name() {
		t.Fatalf("recognition is %q after 受理", st)
	}
	officer.shot(w.name + "-03-accepted")
	investigateTwo(t, rec)
	if st := rec.state(); st != casebundle.Investigating.Name() {
		t.Fatalf("recognition is %q after the investigation", st)
	}
	rec.act(casebundle.ActDecide, [2]string{"outcome", string(casebundle.OutcomeRecognised)}, [2]string{"ground", "14.1"})
	if st := rec.state(); st != casebundle.Decided.Name() {
		t.Fatalf("recognition is %q after the decision", st)
	}
	rec.act(casebundle.ActDeliver)
	card := rec.card()
	if st := rec.state(); st != casebundle.Delivered.Name() || !strings.Contains(card, "第十四条第（一）项") {
		t.Fatalf("recognition %q after delivery, card %q", st, card)
	}
	if letters := officer.text(`#letters`); !strings.Contains(letters, "认定工伤决定书") {
		t.Errorf("letters after the decision: %q", letters)
	}
	officer.shot(w.name + "-04-delivered")

	// The city's assessment secretary: the assessment started with the
	// decision; draw 3 experts of 骨科, schedule, conclude level 9.
	sec := staffTab(t, base, cw.staff["assessment"])
	sec.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(`#case-number`))
	as := caseActs{sec, assessID}
	if st := as.state(); st != casebundle.Received.Name() {
		t.Fatalf("the assessment is %q after the decision, want it received", st)
	}
	as.act(casebundle.ActDrawPanel, [2]string{"panel_size", "3"}, [2]string{"groups", "☑" + string(expertpool.GroupOrtho)})
	if st, card := as.state(), as.card(); st != casebundle.Panel.Name() || !strings.Contains(card, "3人") {
		t.Fatalf("after the draw: %q, card %q", st, card)
	}
	sec.shot(w.name + "-05-panel")
	as.act(casebundle.ActSchedule, [2]string{"exam_on", "2026-03-02"}, [2]string{"exam_place", "济宁市劳动能力鉴定中心"})
	as.act(casebundle.ActConclude, [2]string{"level", "9"}, [2]string{"clauses", "5.9.2(14)"})
	if st, card := as.state(), as.card(); st != casebundle.Concluded.Name() || !strings.Contains(card, "九级") || !strings.Contains(card, "5.9.2(14)") {
		t.Fatalf("after the conclusion: %q, card %q", st, card)
	}
	sec.shot(w.name + "-06-concluded")

	// The benefits officer computes; his own approval is refused.
	maker := staffTab(t, base, cw.staff["maker"])
	maker.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(fmt.Sprintf(`#proposal-%d`, benefitID)))
	ben := caseActs{maker, benefitID}
	proposal := maker.text(fmt.Sprintf(`#proposal-%d`, benefitID))
	if !strings.Contains(proposal, "本人工资 "+w.wage) || disabilityLump(maker, fmt.Sprintf(`#proposal-%d tbody tr`, benefitID)) != w.lumpSum {
		t.Fatalf("proposal (want 本人工资 %s, 一次性伤残补助金 %s): %q", w.wage, w.lumpSum, proposal)
	}
	maker.shot(w.name + "-07-proposal")
	ben.act(casebundle.ActCompute)
	if st, card := ben.state(), ben.card(); st != casebundle.Computed.Name() || !strings.Contains(card, w.lumpSum) || !strings.Contains(card, cw.maker) {
		t.Fatalf("after computing: %q, card %q", st, card)
	}
	ben.act(casebundle.ActApprove)
	refusal := maker.text(fmt.Sprintf(`#act-%d-%s [role=alert]`, benefitID, casebundle.ActApprove))
	if want := "核算与复核不能为同一人：本核定由" + cw.maker + "核算，须由另一名经办人员复核"; refusal != want {
		t.Errorf("the maker's approval: %q, want %q", refusal, want)
	}
	if st := ben.state(); st != casebundle.Computed.Name() {
		t.Fatalf("the maker's approval changed the state to %q", st)
	}
	maker.shot(w.name + "-08-maker-refused")

	// A second benefits officer approves.
	checker := staffTab(t, base, cw.staff["checker"])
	checker.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(`#case-number`))
	ben = caseActs{checker, benefitID}
	ben.act(casebundle.ActApprove)
	if st, card := ben.state(), ben.card(); st != casebundle.Approved.Name() || !strings.Contains(card, cw.checker) {
		t.Fatalf("after the approval: %q, card %q", st, card)
	}
	checker.shot(w.name + "-09-approved")

	// The worker activates his account with the code, signs in, sees the
	// case and its states and downloads the decision letter.
	wt := newTab(t)
	wt.do(chromedp.Navigate(base+"/portal/activate"), chromedp.WaitVisible(`#code`),
		chromedp.Click(`input[name=kind][value=`+store.PortalWorker+`]`),
		chromedp.SetValue(`#login`, cw.worker.IDNumber),
		chromedp.SetValue(`#code`, cw.workerCode),
		chromedp.SetValue(`#password`, "Worker-pass-4817"),
		chromedp.SetValue(`#password2`, "Worker-pass-4817"))
	wt.submit(`main form button[type=submit]`)
	wt.do(chromedp.WaitVisible(`#flash`))
	wt.portalLogin(store.PortalWorker, cw.worker.IDNumber, "Worker-pass-4817")
	if list := wt.text(`#cases`); !strings.Contains(list, number) {
		t.Fatalf("the worker's cases lack %s: %q", number, list)
	}
	wt.do(chromedp.Click(fmt.Sprintf(`#cases a[href="/portal/cases/%d"]`, id)), chromedp.WaitVisible(`#letters`))
	page := wt.text(`main`)
	for _, want := range []string{
		casebundle.Recognition.Name() + "：" + casebundle.Delivered.Name(),
		casebundle.InitialAssess.Name() + "：" + casebundle.Concluded.Name(),
		casebundle.BenefitApproval.Name() + "：" + casebundle.Approved.Name(),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the worker's case page lacks %q", want)
		}
	}
	wt.shot(w.name + "-10-worker-case")
	href := get(wt, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('#letters a')).find(a => a.textContent.trim() === '认定工伤决定书') || {}).href || ''`))
	if href == "" {
		t.Fatalf("no 认定工伤决定书 among the worker's letters: %q", wt.text(`#letters`))
	}
	if status, head := wt.fetchHead(href, 5); status != 200 || head != "%PDF-" {
		t.Fatalf("the decision letter %s: status %d, starts %q", href, status, head)
	}

	// His employer sees the case; another employer neither lists it nor
	// opens it.
	et := portalTab(t, base, store.PortalEmployer, cw.employer.CreditCode, storetest.PortalPassword)
	if list := et.text(`main`); !strings.Contains(list, number) {
		t.Fatalf("the employer's cases lack %s: %q", number, list)
	}
	et.do(chromedp.Click(fmt.Sprintf(`#cases a[href="/portal/cases/%d"]`, id)), chromedp.WaitVisible(`#letters`))
	if head := et.text(`h1`); !strings.Contains(head, number) {
		t.Errorf("the employer's case page is %q", head)
	}
	et.shot(w.name + "-11-employer-case")
	ot := portalTab(t, base, store.PortalEmployer, cw.stranger.CreditCode, storetest.PortalPassword)
	if list := ot.text(`main`); strings.Contains(list, number) {
		t.Errorf("another employer lists %s: %q", number, list)
	}
	if status, _ := ot.fetchHead(fmt.Sprintf("%s/portal/cases/%d", base, id), 0); status != 404 {
		t.Errorf("another employer opening the case: status %d, want 404", status)
	}
	ot.shot(w.name + "-12-other-employer")
}

// investigateTwo records the investigation by two officers (令8号 Art. 11
// asks for at least two): the form's name inputs are found by their labels.
func investigateTwo(t *testing.T, a caseActs) {
	t.Helper()
	form := a.open(casebundle.ActInvestigate)
	a.b.do(chromedp.SetValue(form+` input[aria-label="第1名调查人员"]`, "赵立新"),
		chromedp.SetValue(form+` input[aria-label="第2名调查人员"]`, "孙晓梅"))
	a.b.submit(form + ` button[type=submit]`)
	if card := a.card(); !strings.Contains(card, "赵立新、孙晓梅") {
		t.Fatalf("investigators not recorded: %q", card)
	}
}

// disabilityLump is the amount of the 一次性伤残补助金 row among rows.
func disabilityLump(b *tab, rows string) string {
	b.t.Helper()
	return get(b, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const r = Array.from(document.querySelectorAll(%q)).find(tr => tr.cells[0].textContent.includes('一次性伤残补助金'));
		return r ? r.cells[1].textContent.trim() : '';
	})()`, rows)))
}

// serviceID is the id of the case's service of kind.
func serviceID(t *testing.T, c *casebundle.Case, kind casebundle.ServiceKind) int64 {
	t.Helper()
	s := c.Service(kind)
	if s == nil {
		t.Fatalf("case %s has no %s", c.Number, kind.Name())
	}
	return s.ID
}
