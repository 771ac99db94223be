package backoffice

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// minimalPDF passes the file store's type and end checks.
const minimalPDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

const formType = "application/x-www-form-urlencoded"

// openCase opens a case at the store for w at emp, applied for on app.
func openCase(t *testing.T, e *webtest.Env, w registry.Worker, emp registry.Employer, injury, app string) *casebundle.Case {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := &casebundle.Case{WorkerID: w.ID, EmployerID: emp.ID, InjuryDate: injury, ApplicationDate: app,
		Applicant: casebundle.ApplicantEmployer, ApplicantName: emp.Name, Place: "一号车间", Cause: "搬运钢材时被砸伤左脚",
		InjuredPart: "左足", Diagnosis: "左足第一跖骨骨折", Hospital: "济宁市第一人民医院"}
	if err := e.S.OpenCase(t.Context(), storetest.Actor(access.RoleClerk, emp.RegionCode), set, c, nil); err != nil {
		t.Fatalf("open case: %v", err)
	}
	return c
}

// uploadCaseFile posts a file to the case's materials.
func uploadCaseFile(t *testing.T, c *webtest.Client, caseID int64, material, name, content string) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", c.CSRF)
	_ = mw.WriteField("material", material)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	return c.Raw("POST", fmt.Sprintf("/cases/%d/files", caseID), mw.FormDataContentType(), b.String())
}

// act posts one action form of a service.
func act(t *testing.T, c *webtest.Client, caseID, svcID int64, form url.Values) (int, string) {
	t.Helper()
	form.Set("csrf", c.CSRF)
	return c.Raw("POST", fmt.Sprintf("/cases/%d/services/%d/actions", caseID, svcID), formType, form.Encode())
}

// recognition reads the case's recognition service from the store.
func recognition(t *testing.T, e *webtest.Env, id int64) casebundle.Service {
	t.Helper()
	c, err := e.S.FindCase(t.Context(), e.Users["recognition-370800"].Principal(), id)
	if err != nil {
		t.Fatal(err)
	}
	return *c.Service(casebundle.Recognition)
}

func TestCaseOpenFormAndDuplicate(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := e.Login("clerk-370800")
		// The worker page offers the application and leads to the form with the employer preselected.
		_, page := c.Raw("GET", fmt.Sprintf("/workers/%d", e.Worker.ID), "", "")
		if !strings.Contains(page, fmt.Sprintf(`href="/cases/new?worker=%d"`, e.Worker.ID)) || !strings.Contains(page, "工伤一件事案件") {
			t.Fatalf("worker page lacks the application button or the case list")
		}
		code, page := c.Raw("GET", fmt.Sprintf("/cases/new?worker=%d", e.Worker.ID), "", "")
		if code != 200 || !strings.Contains(page, fmt.Sprintf(`<option value="%d" selected>%s`, e.Home.ID, e.Home.Name)) {
			t.Fatalf("form: %d\n%s", code, page)
		}
		form := url.Values{"csrf": {c.CSRF}, "worker_id": {strconv.FormatInt(e.Worker.ID, 10)}, "employer_id": {strconv.FormatInt(e.Home.ID, 10)},
			"injury_kind": {"accident"}, "injury_date": {"2026-02-25"}, "applicant": {"employer"}, "applicant_name": {e.Home.Name},
			"application_date": {"2026-03-01"}, "place": {"二号车间"}, "cause": {"<script>alert(1)</script>操作冲床时压伤右手"},
			"injured_part": {"右手"}, "diagnosis": {"右手食指骨折"}, "hospital": {"济宁市第一人民医院"}}
		// A future injury date: the message beside the field, nothing opened.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("injury_date", "2026-04-01")
		code, page = c.Raw("POST", "/cases", formType, bad.Encode())
		if code != 400 || !regexp.MustCompile(`id="injury_date-error">受伤（诊断）日期不能晚于今天`).MatchString(page) {
			t.Fatalf("future injury: %d\n%s", code, page)
		}
		resp := c.Do("POST", "/cases", formType, strings.NewReader(form.Encode()))
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/cases/") {
			t.Fatalf("open: %d %s", resp.StatusCode, loc)
		}
		code, page = c.Raw("GET", loc, "", "")
		num := caseNumberRe.FindString(page)
		for _, want := range []string{"窗口受理", "工伤认定", "劳动能力鉴定", "待遇核定", "申请人提交材料", "原流程需11件（含3件重复）",
			"&lt;script&gt;alert(1)&lt;/script&gt;", "已受理申请，案件编号"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %s", want)
			}
		}
		if code != 200 || num == "" || strings.Contains(page, "<script>alert") {
			t.Fatalf("case page: %d %q (escaped: %v)", code, num, !strings.Contains(page, "<script>alert"))
		}
		// The same injury again: refused with a link to the first case.
		code, page = c.Raw("POST", "/cases", formType, form.Encode())
		if code != 409 || !strings.Contains(page, `<a href="`+loc+`">`+num+`</a>`) {
			t.Fatalf("duplicate: %d\n%s", code, page)
		}
		// The worker's and the employer's pages list it.
		for _, p := range []string{fmt.Sprintf("/workers/%d", e.Worker.ID), fmt.Sprintf("/employers/%d", e.Home.ID)} {
			if _, page := c.Raw("GET", p, "", ""); !strings.Contains(page, num) {
				t.Errorf("%s does not list %s", p, num)
			}
		}
		// An ID number nobody registered here: a field error.
		if code, page := c.Raw("GET", "/cases/new?id_number=110101199003074514", "", ""); code != 400 || !strings.Contains(page, "本地区没有登记该职工") {
			t.Errorf("unknown worker: %d", code)
		}
	})
}

func TestCaseQueueOrderAndBadges(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		w2 := storetest.MustWorker(t, e.S, e.Home, "李强")
		later := openCase(t, e, e.Worker, e.Home, "2026-02-26", "2026-03-01") // acceptance due in March
		late := openCase(t, e, w2, e.Home, "2026-01-28", "2026-02-05")        // acceptance due in February: past
		rs := late.Service(casebundle.Recognition)
		if ok, err := e.S.RemindCase(t.Context(), store.CaseReminder{ServiceID: rs.ID, Step: rs.Step, Due: rs.Due, Reminder: "overdue"}); !ok || err != nil {
			t.Fatalf("overdue mark: %v %v", ok, err)
		}
		c := e.Login("recognition-370800")
		code, page := c.Raw("GET", "/cases", "", "")
		if code != 200 {
			t.Fatalf("queue: %d\n%s", code, page)
		}
		i, j := strings.Index(page, late.Number), strings.Index(page, later.Number)
		if i < 0 || j < 0 || i > j {
			t.Fatalf("queue order: late at %d, later at %d\n%s", i, j, page)
		}
		if !strings.Contains(page, `id="tab-mine" class="active"`) || !strings.Contains(page, "已超期") || !strings.Contains(page, "共 2 项待办") {
			t.Errorf("queue lacks the tab, the badge or the total:\n%s", page)
		}
		if !strings.Contains(page, late.Service(casebundle.Recognition).Due) {
			t.Errorf("queue lacks the due date %s", late.Service(casebundle.Recognition).Due)
		}
		// The assessment office has nothing yet: the prepared assessments wait for the decision.
		if _, page := e.Login("assessment-370800").Raw("GET", "/cases", "", ""); strings.Contains(page, late.Number) {
			t.Errorf("the assessment queue lists a recognition step")
		}
		// Filters: overdue only; by service; 曲阜 sees none of 任城区's.
		if _, page := c.Raw("GET", "/cases?view=all&overdue=1", "", ""); !strings.Contains(page, late.Number) || strings.Contains(page, later.Number) {
			t.Errorf("overdue filter")
		}
		if _, page := c.Raw("GET", "/cases?view=all&kind=benefit", "", ""); strings.Contains(page, late.Number) {
			t.Errorf("benefit filter lists recognition steps")
		}
		if _, page := e.Login("recognition-370881").Raw("GET", "/cases?view=all", "", ""); strings.Contains(page, late.Number) {
			t.Errorf("曲阜's queue lists 任城区's case")
		}
		if code, page := c.Raw("GET", "/cases?state=nonsense", "", ""); code != 400 || !strings.Contains(page, "状态“nonsense”不在可选范围内") {
			t.Errorf("bad state: %d", code)
		}
	})
}

func TestCaseRecognitionRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		k := openCase(t, e, e.Worker, e.Home, "2026-02-26", "2026-03-01")
		first := k
		c := e.Login("recognition-370800")
		sid := k.Service(casebundle.Recognition).ID
		step := func(name string, form url.Values, wantCode int, wantState casebundle.State, wantText string) {
			t.Helper()
			svc := recognition(t, e, k.ID)
			if form.Get("version") == "" {
				form.Set("version", strconv.FormatInt(svc.Version, 10))
			}
			form.Set("action", name)
			code, page := act(t, c, k.ID, sid, form)
			if code != wantCode || wantText != "" && !strings.Contains(page, wantText) {
				t.Fatalf("%s: %d, want %d with %q\n%s", name, code, wantCode, wantText, page)
			}
			if got := recognition(t, e, k.ID).State; got != wantState {
				t.Fatalf("%s: state %s, want %s", name, got, wantState)
			}
		}
		// The page offers the forms the officer may use now, with the version.
		_, page := c.Raw("GET", fmt.Sprintf("/cases/%d", k.ID), "", "")
		for _, id := range []string{"accept", "refuse", "correction_notice"} {
			if !strings.Contains(page, fmt.Sprintf(`id="act-%d-%s"`, sid, id)) {
				t.Errorf("no %s form", id)
			}
		}
		if strings.Contains(page, fmt.Sprintf(`id="act-%d-decide"`, sid)) {
			t.Error("decide offered before acceptance")
		}
		// Refused: acceptance with materials missing; a transition the state does not allow.
		step("accept", url.Values{}, 409, casebundle.Received, "材料不齐全，不能受理")
		step("deliver", url.Values{}, 409, casebundle.Received, "当前状态为“已接收申请”，不能办理“送达”")
		step("correction_notice", url.Values{"on": {"2026-03-01"}, "missing": {"application_form", "diagnosis"}}, 303, casebundle.Correction, "")
		for _, m := range []string{"application_form", "diagnosis", "medical_records"} {
			if code, page := uploadCaseFile(t, c, k.ID, m, m+".pdf", minimalPDF+m); code != 303 {
				t.Fatalf("upload %s: %d\n%s", m, code, page)
			}
		}
		step("corrected", url.Values{"on": {"2026-03-01"}}, 303, casebundle.Corrected, "")
		// A stale form: someone else moved the service on.
		step("accept", url.Values{"version": {"1"}}, 409, casebundle.Corrected, "已被他人修改，请刷新后重试")
		step("accept", url.Values{"on": {"2026-03-01"}}, 303, casebundle.Accepted, "")
		step("investigate", url.Values{"investigators": {"王磊", "", ""}}, 400, casebundle.Accepted, "两名以上工作人员")
		step("investigate", url.Values{"investigators": {"王磊", "赵敏", ""}, "evidence": {"现场照片、证人证言"}}, 303, casebundle.Investigating, "")
		step("decide", url.Values{"outcome": {"recognised"}, "ground": {"16.2"}}, 400, casebundle.Investigating, "认定依据16.2不能支持")
		step("decide", url.Values{"outcome": {"recognised"}, "ground": {"14.1"}}, 303, casebundle.Decided, "")
		step("deliver", url.Values{}, 303, casebundle.Delivered, "")
		_, page = c.Raw("GET", fmt.Sprintf("/cases/%d", k.ID), "", "")
		for _, want := range []string{"认定工伤。依据：《工伤保险条例》第十四条第（一）项", "王磊、赵敏", "调查核实", "作出认定决定",
			"申请人已提交", "本案认定工伤决定", "application_form.pdf", "测试工伤认定"} {
			if !strings.Contains(page, want) {
				t.Errorf("case page lacks %s", want)
			}
		}
		// The letters issued on the way download as the stored PDFs; 曲阜 gets none.
		ls, err := e.S.CaseLetters(t.Context(), k.ID)
		if err != nil || len(ls) == 0 {
			t.Fatalf("letters: %v %v", ls, err)
		}
		if !strings.Contains(page, "工伤认定申请受理决定书") {
			t.Errorf("the page does not list the acceptance letter")
		}
		lpath := fmt.Sprintf("/cases/%d/letters/%d", k.ID, ls[0].ID)
		resp := c.Do("GET", lpath, "", nil)
		pdf, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") ||
			!bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("letter: %d %v", resp.StatusCode, resp.Header)
		}
		if code, body := e.Login("recognition-370881").Raw("GET", lpath, "", ""); code != 403 && code != 404 || strings.HasPrefix(body, "%PDF") {
			t.Errorf("曲阜 downloads 任城区's letter: %d", code)
		}
		// The assessment office now has the draw form; a draw from an empty pool is refused in Chinese.
		as := e.Login("assessment-370800")
		asvc := k.Service(casebundle.InitialAssess)
		if _, page := as.Raw("GET", fmt.Sprintf("/cases/%d", k.ID), "", ""); !strings.Contains(page, fmt.Sprintf(`id="act-%d-draw_panel"`, asvc.ID)) {
			t.Errorf("no draw form for the assessment")
		}
		code, page := act(t, as, k.ID, asvc.ID, url.Values{"action": {"draw_panel"}, "panel_size": {"3"}, "groups": {"ortho"}})
		if code != 303 && (code < 400 || code >= 500 || !webtest.HasHan(page)) {
			t.Errorf("draw: %d", code)
		}
		// Suspension and resumption, on a second case three days on (a new
		// session: the old one expired). A suspended recognition's decision
		// is left out here: casebundle carries the suspension into the
		// delivery clock, which refuses it (reported to the lead).
		e.Clock.T = e.Clock.T.Add(72 * time.Hour)
		c = e.Login("recognition-370800")
		w2 := storetest.MustWorker(t, e.S, e.Home, "李强")
		k = openCase(t, e, w2, e.Home, "2026-02-26", "2026-03-01")
		sid = k.Service(casebundle.Recognition).ID
		for _, m := range []string{"application_form", "diagnosis"} {
			if code, _ := uploadCaseFile(t, c, k.ID, m, m+".pdf", minimalPDF+m); code != 303 {
				t.Fatalf("upload %s: %d", m, code)
			}
		}
		step("accept", url.Values{"on": {"2026-03-01"}}, 303, casebundle.Accepted, "")
		step("suspend", url.Values{"on": {"2026-03-04"}}, 400, casebundle.Accepted, "请填写中止事由")
		step("suspend", url.Values{"on": {"2026-03-04"}, "reason": {"等待司法机关结论"}}, 303, casebundle.Suspended, "")
		step("resume", url.Values{}, 303, casebundle.Accepted, "")
		if _, page := c.Raw("GET", fmt.Sprintf("/cases/%d", k.ID), "", ""); !strings.Contains(page, "等待司法机关结论") || !strings.Contains(page, "恢复计算时限") {
			t.Errorf("history lacks the suspension")
		}
		// The first case's assessment started the moment the decision landed.
		k = first
		got, _ := e.S.FindCase(t.Context(), e.Users["recognition-370800"].Principal(), k.ID)
		if st := got.Service(casebundle.InitialAssess).State; st != casebundle.Received {
			t.Errorf("assessment: %s", st)
		}
	})
}

func TestCaseFilesAndOtherCounty(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		k := openCase(t, e, e.Worker, e.Home, "2026-02-26", "2026-03-01")
		c := e.Login("clerk-370800")
		// A text file is refused with the message beside the upload form.
		code, page := uploadCaseFile(t, c, k.ID, "diagnosis", "说明.txt", "hello")
		if code != 400 || !strings.Contains(page, `id="upload-error"`) || !strings.Contains(page, "文件类型不支持") {
			t.Fatalf(".txt upload: %d\n%s", code, page)
		}
		if code, _ := uploadCaseFile(t, c, k.ID, "diagnosis", "诊断证明.pdf", minimalPDF); code != 303 {
			t.Fatalf("pdf upload: %d", code)
		}
		files, err := e.S.CaseFiles(t.Context(), k.ID)
		if err != nil || len(files) != 1 {
			t.Fatalf("files: %v %v", files, err)
		}
		path := fmt.Sprintf("/cases/%d/files/%d", k.ID, files[0].ID)
		resp := c.Do("GET", path, "", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || string(body) != minimalPDF || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "inline; filename=") || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Cache-Control") != "no-store" {
			t.Fatalf("file: %d %v", resp.StatusCode, h)
		}
		// No such letter here.
		if code, _ := c.Raw("GET", fmt.Sprintf("/cases/%d/letters/999", k.ID), "", ""); code != 404 {
			t.Errorf("missing letter: %d", code)
		}
		// Another county: refused for the case, its files and letters, nothing shown.
		other := e.Login("clerk-370881")
		for _, p := range []string{fmt.Sprintf("/cases/%d", k.ID), path, fmt.Sprintf("/cases/%d/letters/1", k.ID)} {
			code, page := other.Raw("GET", p, "", "")
			if code != 404 && code != 403 || strings.Contains(page, k.Number) || strings.Contains(page, minimalPDF) {
				t.Errorf("曲阜 on %s: %d", p, code)
			}
		}
		if code, _ := uploadCaseFile(t, other, k.ID, "diagnosis", "x.pdf", minimalPDF); code != 404 && code != 403 {
			t.Errorf("曲阜 uploads to 任城区's case: %d", code)
		}
		// A case that does not exist is 404.
		if code, _ := c.Raw("GET", "/cases/99999", "", ""); code != 404 {
			t.Errorf("missing case: %d", code)
		}
	})
}

func TestCaseProcedureAndAddService(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	k := openCase(t, e, e.Worker, e.Home, "2026-02-26", "2026-03-01")
	c := e.Login("recognition-370800")
	path := fmt.Sprintf("/cases/%d", k.ID)
	code, page := c.Raw("POST", path+"/procedure", formType, url.Values{"csrf": {c.CSRF}, "mode": {"simple"}, "facts_clear": {"1"}}.Encode())
	if code != 400 || !strings.Contains(page, "尚不满足") {
		t.Fatalf("incomplete checklist: %d\n%s", code, page)
	}
	form := url.Values{"csrf": {c.CSRF}, "mode": {"simple"}, "facts_clear": {"1"}, "employer_confirms": {"1"}, "materials_complete": {"1"}, "no_third_party": {"1"}}
	if code, _ := c.Raw("POST", path+"/procedure", formType, form.Encode()); code != 303 {
		t.Fatalf("simple: %d", code)
	}
	if _, page := c.Raw("GET", path, "", ""); !strings.Contains(page, `<span class="tag">简易程序</span>`) || !strings.Contains(page, "转为普通程序") {
		t.Errorf("the page does not show the simple procedure")
	}
	if code, _ := c.Raw("POST", path+"/procedure", formType, url.Values{"csrf": {c.CSRF}, "mode": {"normal"}, "reason": {"第三人提出异议"}}.Encode()); code != 303 {
		t.Fatalf("fallback: %d", code)
	}
	if _, page := c.Raw("GET", path, "", ""); !strings.Contains(page, "由简易程序转入：第三人提出异议") {
		t.Errorf("the fallback reason is not shown")
	}
	// 再次鉴定 before any conclusion is refused with the store's message; a confirmation is added.
	clerk := e.Login("clerk-370800")
	code, page = clerk.Raw("POST", path+"/services", formType, url.Values{"csrf": {clerk.CSRF}, "kind": {"paid_leave_ext"}, "on": {"2026-03-02"}}.Encode())
	if code != 303 {
		t.Logf("add paid_leave_ext: %d\n%s", code, page)
		if code >= 500 || !webtest.HasHan(page) {
			t.Fatalf("add service: %d", code)
		}
	}
	if code, _ := clerk.Raw("POST", path+"/services", formType, url.Values{"csrf": {clerk.CSRF}}.Encode()); code != 400 {
		t.Errorf("no kind: %d", code)
	}
	// The auditor reads the case but may not change its procedure.
	if code, _ := e.Login("auditor-370800").Raw("POST", path+"/procedure", formType, form.Encode()); code != 403 {
		t.Errorf("auditor procedure: %d", code)
	}
}
