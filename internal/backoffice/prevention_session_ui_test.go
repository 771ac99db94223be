package backoffice

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

var attendeeRow = regexp.MustCompile(`id="attendee-[0-9]+"`)

var sessionPath = regexp.MustCompile(`^/prevention/sessions/([0-9]+)$`)

func uploadTo(t *testing.T, c *webtest.Client, path, name, content string, kv ...string) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", c.CSRF)
	for i := 0; i+1 < len(kv); i += 2 {
		_ = mw.WriteField(kv[i], kv[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	return c.Raw("POST", path, mw.FormDataContentType(), b.String())
}

// A county's training through the pages: recorded, a roster refused with
// its error file, then imported; the archive, the evaluation, closing for
// payment, the payment prepared by the insurer's staff and approved by
// the city's prevention staff; the insurer sees masked IDs and no
// approval.
func TestPreventionTrainingThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		f := storetest.TrainingFixture(t, e.S, e.Clock.Now())
		// the fixture's county is 任城 (370811): the city's users see it
		city, insurer, qf := e.Login("prevention-370800"), e.Login("insurer-370800"), e.Login("prevention-370881")

		list := getPage(t, insurer, "/prevention/sessions", 200)
		if !strings.Contains(list, `id="session-form"`) || !strings.Contains(list, "危险化学品企业安全培训") {
			t.Fatalf("sessions page:\n%s", list)
		}
		if code, body := postForm(insurer, "/prevention/sessions", "project_id", fmt.Sprint(f.ProjectID), "held_on", "2025-12-01",
			"topic", "危化品", "place", "任城", "capacity", "50", "planned", "40"); code != http.StatusBadRequest || !strings.Contains(body, "不在计划年度2026年内") {
			t.Fatalf("outside the year: %d\n%s", code, body)
		}
		resp := insurer.Do("POST", "/prevention/sessions", "application/x-www-form-urlencoded", strings.NewReader(form(insurer,
			"project_id", fmt.Sprint(f.ProjectID), "held_on", "2026-02-20", "topic", "危险化学品储存安全", "place", "任城区人社局", "capacity", "3", "planned", "3")))
		resp.Body.Close()
		m := sessionPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		path := "/prevention/sessions/" + m[1]
		getPage(t, qf, path, http.StatusForbidden) // another county's session

		// a roster with a bad ID number: refused whole, the error file offered
		a, b := storetest.IDNumber("370811", "19900307"), storetest.IDNumber("370811", "19850101")
		bad := "姓名,身份证号码,工作单位,人员类别\n张三," + a + ",甲化工,班组长\n李四,370811198501011230,甲化工,\n"
		code, body := uploadTo(t, insurer, path+"/roster", "名单.csv", bad)
		if code != http.StatusBadRequest || !strings.Contains(body, `id="roster-problems"`) || !strings.Contains(body, "身份证号码校验位错误") {
			t.Fatalf("bad roster: %d\n%s", code, body)
		}
		fm := regexp.MustCompile(`id="roster-error-file" href="data:[^;]+;base64,([^"]+)"`).FindStringSubmatch(body)
		if fm == nil {
			t.Fatalf("no error file:\n%s", body)
		}
		raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(fm[1]))
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 3 || !strings.Contains(strings.Join(rows[2], "|"), "校验位") || strings.Contains(strings.Join(rows[1], "|"), "校验位") {
			t.Fatalf("error file rows: %q", rows)
		}
		if n := len(attendeeRow.FindAllString(getPage(t, insurer, path, 200), -1)); n != 0 {
			t.Fatalf("refused roster added %d", n)
		}
		good := "姓名,身份证号码,工作单位,人员类别\n张三," + a + ",甲化工,班组长\n李四," + b + ",甲化工,\n"
		if code, body := uploadTo(t, insurer, path+"/roster", "名单.csv", good); code != http.StatusSeeOther {
			t.Fatalf("good roster: %d\n%s", code, body)
		}
		page := getPage(t, insurer, path, 200)
		if len(attendeeRow.FindAllString(page, -1)) != 2 || strings.Contains(page, a) || !strings.Contains(page, a[:6]+"********"+a[14:]) {
			t.Fatalf("attendance (masked):\n%s", page)
		}
		if !strings.Contains(page, "/portal/checkin/") || !strings.Contains(page, `id="checkin-code"`) {
			t.Fatalf("no check-in URL:\n%s", page)
		}
		// the QR code is a PNG of the check-in address
		qr := regexp.MustCompile(`src="data:image/png;base64,([^"]+)"[^>]*id="checkin-qr"`).FindStringSubmatch(page)
		if qr == nil {
			t.Fatal("no check-in QR code on the session page")
		}
		if png, err := base64.StdEncoding.DecodeString(html.UnescapeString(qr[1])); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
			t.Fatalf("the QR code is not a PNG (%v)", err)
		}
		// held, recorded, evaluated, closed
		mustPost(t, insurer, path+"/held", http.StatusSeeOther, "version", versionIn(t, page, "held-form"))
		if code, body := uploadTo(t, insurer, path+"/archive", "录像.mp4", "\x00\x00\x00\x18ftypmp42"+strings.Repeat("\x00", 32), "minutes", "90"); code != http.StatusSeeOther {
			t.Fatalf("archive: %d\n%s", code, body)
		}
		page = getPage(t, insurer, path, 200)
		if code, body := postForm(insurer, path+"/close", "version", versionIn(t, page, "close-form")); code != http.StatusConflict || !strings.Contains(body, "评估表") {
			t.Fatalf("close without evaluation: %d\n%s", code, body)
		}
		mustPost(t, city, path+"/checklist", http.StatusSeeOther, "score_plan", "10", "score_attendance", "10", "score_expert", "10",
			"score_content", "10", "score_materials", "10", "score_record", "10")
		if code, body := postForm(insurer, path+"/questionnaire", "responses", "5 5 9"); code != http.StatusBadRequest || !strings.Contains(body, "满意度应为1–5分") {
			t.Fatalf("bad questionnaire: %d\n%s", code, body)
		}
		mustPost(t, insurer, path+"/questionnaire", http.StatusSeeOther, "responses", "5 5 5 10/10\n5 5 5 10/10")
		page = getPage(t, insurer, path, 200)
		if !strings.Contains(page, "100.00分") {
			t.Fatalf("score:\n%s", page)
		}
		mustPost(t, insurer, path+"/close", http.StatusSeeOther, "version", versionIn(t, page, "close-form"))
		arch := regexp.MustCompile(`href="/prevention/archive/([0-9]+)"`).FindStringSubmatch(getPage(t, city, path, 200))
		if arch == nil {
			t.Fatal("no archive link")
		}
		resp = city.Do("GET", "/prevention/archive/"+arch[1], "", nil)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/mp4" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("archive file: %d %v", resp.StatusCode, resp.Header)
		}

		// the payment: prepared by the insurer's staff, approved by the city
		pay := getPage(t, insurer, "/prevention/payments", 200)
		if !strings.Contains(pay, fmt.Sprintf(`id="prepare-%d"`, f.ProjectID)) {
			t.Fatalf("payments page:\n%s", pay)
		}
		mustPost(t, insurer, fmt.Sprintf("/prevention/projects/%d/payments", f.ProjectID), http.StatusSeeOther)
		pay = getPage(t, insurer, "/prevention/payments", 200)
		if strings.Contains(pay, `id="approve-`) || !strings.Contains(pay, "¥10,000.00") {
			t.Fatalf("insurer's payments page:\n%s", pay)
		}
		pay = getPage(t, city, "/prevention/payments", 200)
		pm := regexp.MustCompile(`id="approve-([0-9]+)"><input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="version" value="([0-9]+)"`).FindStringSubmatch(pay)
		if pm == nil {
			t.Fatalf("no approve form:\n%s", pay)
		}
		if code, _ := postForm(insurer, "/prevention/payments/"+pm[1]+"/approve", "version", pm[2]); code != http.StatusForbidden {
			t.Fatalf("insurer approves: %d", code)
		}
		mustPost(t, city, "/prevention/payments/"+pm[1]+"/approve", http.StatusSeeOther, "version", pm[2])
		b2, err := e.S.ProjectBudget(t.Context(), storetest.Actor(access.RolePrevention, "370800"), f.ProjectID)
		if err != nil || b2.PaidFen != 1000000 || b2.RemainingFen != 3000000 {
			t.Fatalf("budget after approval: %+v %v", b2, err)
		}
		if !strings.Contains(getPage(t, city, "/prevention/payments", 200), "¥30,000.00") {
			t.Fatal("remaining budget not shown")
		}

		// the list exports to Excel, audited
		resp = city.Do("GET", "/prevention/sessions?format=xlsx&state=closed", "", nil)
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		x, err = excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = x.GetRows(x.GetSheetList()[0])
		if !strings.Contains(strings.Join(rows[len(rows)-1], "|"), "危险化学品储存安全") {
			t.Fatalf("export rows: %q", rows)
		}
		_ = id
	})
}
