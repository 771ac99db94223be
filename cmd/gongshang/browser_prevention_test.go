package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
)

// TestBrowserPreventionPlanToPayment walks a county's prevention plan
// from submission to a paid training (issue 12's "done when"): the
// partner insurer's staff create 任城区's plan for the year with a
// training project of two sessions and one budget line of 20,000.00,
// and submit it; the city's prevention officer approves it with the line
// cut to 16,000.00 (refused first without the cut's reason), and the
// insurer then finds it frozen; the insurer records a session on the
// clock's day (2026-03-02) with the pool's expert, imports its roster,
// marks it held, uploads the recording, records the checklist and the
// questionnaires (full marks: 100.00) and closes it; the insurer
// prepares the project's payment — 16,000.00 ÷ 2 sessions = 8,000.00 for
// the one closed session at full marks — and the city approves it: paid
// 8,000.00, 8,000.00 of the project left.
//
// Only the prevention year (its cap) and the expert are set up through
// the store: every step of the walk is a page's form.
func TestBrowserPreventionPlanToPayment(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	ctx := t.Context()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	city := storetest.Actor(access.RolePrevention, "370800")
	// 10,000,000.00 of income × 3 %: a cap of 300,000.00
	if _, err := e.S.SetPreventionYear(ctx, city, set, "370800", 2026, 1_000_000_000, 0, "", 0); err != nil {
		t.Fatal(err)
	}
	expert, err := e.S.AddPreventionExpert(ctx, city, prevention.Expert{Name: "孙明", Specialty: prevention.SpecialtyHazchem,
		Department: prevention.DeptEmergency, Title: "高级工程师"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ids := []string{storetest.IDNumber("370811", "19900307"), storetest.IDNumber("370811", "19850101"), storetest.IDNumber("370811", "19921120")}
	roster := filepath.Join(dir, "名单.csv")
	csv := "姓名,身份证号码,工作单位,人员类别\n张三," + ids[0] + ",济宁示例化工有限公司,班组长\n李四," + ids[1] + ",济宁示例化工有限公司,一线职工\n王五," + ids[2] + ",济宁示例化工有限公司,\n"
	if err := os.WriteFile(roster, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(dir, "录像.mp4")
	if err := os.WriteFile(video, []byte("\x00\x00\x00\x18ftypmp42"+strings.Repeat("\x00", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	base := e.TS.URL
	expect := func(b *tab, sel, want, step string) {
		t.Helper()
		if got := b.text(sel); !strings.Contains(got, want) {
			t.Fatalf("%s: %s shows %q, want %q", step, sel, got, want)
		}
	}

	// 1. The insurer's staff create 任城区's plan, add the training, submit it.
	ins := staffTab(t, base, "insurer-370800")
	ins.do(chromedp.Navigate(base+"/prevention"), chromedp.WaitVisible(`#plan-create`),
		chromedp.SetValue(`#plan-region`, "370811"), chromedp.SetValue(`#plan-year`, "2026"))
	ins.submit(`#plan-create-submit`)
	ins.do(chromedp.WaitVisible(`#project-form`))
	planURL := get(ins, chromedp.Location())
	expect(ins, `#flash`, "任城区2026年度工伤预防计划", "plan created")
	expect(ins, `#plan-state`, "草稿", "plan created")
	ins.do(chromedp.SetValue(`#pj-kind`, "training"),
		chromedp.SetValue(`#pj-title`, "危险化学品企业安全培训"),
		chromedp.SetValue(`#pj-programme`, "危险化学品"),
		chromedp.SetValue(`#pj-industry`, "26"),
		chromedp.Click(`#project-form input[name=audience][value=班组长]`),
		chromedp.Click(`#project-form input[name=audience][value=一线职工]`),
		chromedp.SetValue(`#pj-sessions`, "2"),
		chromedp.SetValue(`#pj-attendance`, "60"),
		chromedp.SetValue(`#pj-provider-kind`, "insurer"),
		chromedp.SetValue(`#pj-provider`, "合作保险公司济宁分公司"),
		chromedp.SetValue(`#line-item-0`, "讲课费及场地费"),
		chromedp.SetValue(`#line-yuan-0`, "20000"))
	ins.submit(`#project-submit`)
	ins.do(chromedp.WaitVisible(`#submit-form`))
	expect(ins, `#flash`, "已保存", "project saved")
	expect(ins, `#plan-requested`, "¥20,000.00", "project saved")
	projectID := strings.TrimPrefix(get(ins, chromedp.AttributeValue(`div[id^=project-]`, "id")).Value, "project-")
	ins.shot("prevention-01-draft")
	ins.do(chromedp.SetValue(`#submit-note`, "2026年度任城区工伤预防培训计划"))
	ins.submit(`#submit-submit`)
	expect(ins, `#flash`, "已报送市级审核", "submitted")
	expect(ins, `#plan-state`, "已报送待审", "submitted")
	if n := ins.count(`#project-form, #submit-form, #review-form`); n != 0 {
		t.Fatalf("the insurer still sees %d forms of a submitted plan", n)
	}
	ins.shot("prevention-02-submitted")

	// 2. The city's prevention officer approves it, cutting the line.
	off := staffTab(t, base, "prevention-370800")
	off.do(chromedp.Navigate(planURL), chromedp.WaitVisible(`#review-form`))
	lineID := strings.TrimPrefix(get(off, chromedp.AttributeValue(`#review-form input[id^=approved-]`, "id")).Value, "approved-")
	off.do(chromedp.SetValue(`#approved-`+lineID, "16000"))
	off.submit(`#review-approve`)
	expect(off, `#plan-error`, "核减预算项“讲课费及场地费”应写明理由", "a cut without its reason")
	expect(off, `#plan-state`, "已报送待审", "a cut without its reason")
	off.do(chromedp.WaitVisible(`#review-form`),
		chromedp.SetValue(`#approved-`+lineID, "16000"),
		chromedp.SetValue(`#reason-`+lineID, "场地由区人社局提供，核减场地费"),
		chromedp.SetValue(`#review-note`, "同意，按核定金额执行"))
	off.submit(`#review-approve`)
	expect(off, `#flash`, "计划已批准，核定¥16,000.00", "approved")
	expect(off, `#plan-state`, "已批准", "approved")
	expect(off, `#plan-requested`, "¥20,000.00", "approved")
	expect(off, `#plan-approved`, "¥16,000.00", "approved")
	expect(off, `#line-`+lineID, "¥16,000.00", "approved")
	expect(off, `#history`, "核减 危险化学品企业安全培训 · 讲课费及场地费 至 ¥16,000.00：场地由区人社局提供", "approved")
	off.shot("prevention-03-approved")

	// The insurer finds it frozen: no project form, no submission; a change request only.
	ins.do(chromedp.Reload(), chromedp.WaitVisible(`#change-form`))
	expect(ins, `#plan-state`, "已批准", "frozen")
	expect(ins, `#plan-approved`, "¥16,000.00", "frozen")
	if n := ins.count(`#project-form, #submit-form, #review-form, form[id^=remove-], a[id^=edit-]`); n != 0 {
		t.Fatalf("the approved plan still offers %d editing forms to the insurer", n)
	}
	ins.shot("prevention-04-frozen")

	// 3. The session: recorded, its roster, held, recorded on video, evaluated, closed.
	ins.do(chromedp.Navigate(base+"/prevention/sessions"), chromedp.WaitVisible(`#session-form`),
		chromedp.SetValue(`#s-project`, projectID),
		chromedp.SetValue(`#s-date`, "2026-03-02"),
		chromedp.SetValue(`#s-topic`, "危险化学品储存安全"),
		chromedp.SetValue(`#s-place`, "任城区人社局培训室"),
		chromedp.SetValue(`#s-capacity`, "30"),
		chromedp.SetValue(`#s-planned`, "30"),
		chromedp.SetValue(`#s-expert`, fmt.Sprint(expert.ID)),
		chromedp.SetValue(`#s-ents`, "济宁示例化工有限公司"))
	ins.submit(`#session-submit`)
	ins.do(chromedp.WaitVisible(`#session-facts`))
	expect(ins, `#flash`, "已登记", "session recorded")
	expect(ins, `#session-state`, "待举办", "session recorded")
	expect(ins, `#session-facts`, "孙明", "session recorded")
	ins.do(chromedp.SetUploadFiles(`#roster-file`, []string{roster}))
	ins.submit(`#roster-submit`)
	if n := ins.count(`#roster-problems`); n != 0 {
		t.Fatalf("roster refused: %s", ins.text(`#roster-problems`))
	}
	expect(ins, `#attendance-count`, "3", "roster imported")
	att := ins.text(`#attendance`)
	if !strings.Contains(att, ids[0][:6]+"********"+ids[0][14:]) || strings.Contains(att, ids[0]) || !strings.Contains(att, "王五") {
		t.Fatalf("attendance (masked for the insurer): %q", att)
	}
	ins.shot("prevention-05-roster")
	ins.submit(`#held-form button`)
	expect(ins, `#session-state`, "已举办", "held")
	ins.do(chromedp.SetValue(`#ar-kind`, "video"), chromedp.SetUploadFiles(`#ar-file`, []string{video}),
		chromedp.SetValue(`#archive-form input[name=minutes]`, "90"))
	ins.submit(`#archive-submit`)
	expect(ins, `#archive`, "录像.mp4", "archive")
	expect(ins, `#archive`, "视频", "archive")
	var scores []chromedp.Action[chromedp.Void]
	for _, it := range prevention.DefaultChecklist {
		scores = append(scores, chromedp.SetValue(fmt.Sprintf(`#checklist-form input[name=score_%s]`, it.Code), fmt.Sprint(it.Max)))
	}
	ins.do(append(scores, chromedp.SetValue(`#c-note`, "组织规范，资料齐全"))...)
	ins.submit(`#checklist-submit`)
	expect(ins, `#evaluations`, "评估表", "checklist")
	ins.do(chromedp.SetValue(`#q-responses`, "5 5 5 10/10\n5 5 5 10/10\n5 5 5 10/10"))
	ins.submit(`#questionnaire-submit`)
	expect(ins, `#evaluations`, "3份", "questionnaire")
	expect(ins, `#session-score`, "100.00分", "evaluated")
	ins.shot("prevention-06-evaluated")
	ins.submit(`#close-form button`)
	expect(ins, `#session-state`, "已验收", "closed")
	if n := ins.count(`#roster-form, #archive-form, #checklist-form, #close-form`); n != 0 {
		t.Fatalf("a closed session still offers %d forms", n)
	}
	ins.shot("prevention-07-closed")

	// 4. The payment: the insurer prepares it, the city approves it.
	budget := `#budget-` + projectID
	ins.do(chromedp.Navigate(base+"/prevention/payments"), chromedp.WaitVisible(`#prepare-`+projectID))
	expect(ins, budget, "¥16,000.00", "payments")
	ins.submit(`#prepare-` + projectID + ` button`)
	expect(ins, `#payments tbody tr:first-child .state`, "待审批", "prepared")
	expect(ins, `#payments tbody tr:first-child`, "¥8,000.00", "prepared")
	expect(ins, `#payments tbody tr:first-child`, "16000.00元÷2场＝每场8000.00元", "prepared")
	expect(ins, `#payments tbody tr:first-child`, "评估得分100.00分", "prepared")
	if n := ins.count(`form[id^=approve-]`); n != 0 {
		t.Fatal("the insurer is offered the approval")
	}
	ins.shot("prevention-08-prepared")
	off.do(chromedp.Navigate(base+"/prevention/payments"), chromedp.WaitVisible(`form[id^=approve-]`))
	off.submit(`form[id^=approve-] button`)
	expect(off, `#flash`, "已审批支付8,000.00元", "approved payment")
	expect(off, `#payments tbody tr:first-child .state`, "已审批", "approved payment")
	cells := get(off, chromedp.Evaluate[[]string](`[...document.querySelectorAll('`+budget+` td')].map(td => td.innerText.trim())`))
	// 区县, 项目, 场次, 批准, 已支付, 待审批, 剩余
	if len(cells) < 7 || cells[3] != "¥16,000.00" || cells[4] != "¥8,000.00" || cells[5] != "¥0.00" || cells[6] != "¥8,000.00" {
		t.Fatalf("the project's budget after the payment: %q", cells)
	}
	expect(off, budget, "讲课费及场地费：批准¥16,000.00，已付¥8,000.00", "approved payment")
	off.shot("prevention-09-paid")
	off.do(chromedp.Navigate(base+"/prevention?year=2026"), chromedp.WaitVisible(`#budget`))
	expect(off, `#budget-approved`, "¥16,000.00", "the city's budget")
	expect(off, `#budget-paid`, "¥8,000.00", "the city's budget")
	expect(off, `#budget-remaining`, "¥284,000.00", "the city's budget")
	off.shot("prevention-10-budget")
}
