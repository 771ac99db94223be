package backoffice

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

var expertPath = regexp.MustCompile(`^/prevention/experts/([0-9]+)$`)

// uploadCourseware posts the expert page's courseware form with a file.
func uploadCourseware(c *webtest.Client, expertID int64, topic, name string, content []byte) (int, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", c.CSRF)
	_ = mw.WriteField("topic", topic)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return c.Raw("POST", fmt.Sprintf("/prevention/experts/%d/courseware", expertID), mw.FormDataContentType(), b.String())
}

// addExpertByForm posts the pool's add form and returns the new expert's id.
func addExpertByForm(t *testing.T, c *webtest.Client, name string) int64 {
	t.Helper()
	resp := c.Do("POST", "/prevention/experts", "application/x-www-form-urlencoded", strings.NewReader(form(c, "name", name,
		"specialty", "hazchem", "department", "emergency", "title", "高级工程师", "qualifications", "注册安全工程师", "employer", "济宁化工安全技术中心")))
	resp.Body.Close()
	m := expertPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("add expert %s: %d %s", name, resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestPreventionExpertsThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		city, county, insurer := e.Login("prevention-370800"), e.Login("prevention-370881"), e.Login("insurer-370800")

		// a bad add: every field named on the page, nothing saved
		code, body := postForm(city, "/prevention/experts", "name", "", "specialty", "cooking", "department", "emergency")
		if code != http.StatusBadRequest || !strings.Contains(body, "请填写专家姓名") || !strings.Contains(body, "请选择专家的专业领域") {
			t.Fatalf("bad add: %d\n%s", code, body)
		}
		id := addExpertByForm(t, city, "王建国")
		page := getPage(t, city, fmt.Sprintf("/prevention/experts/%d", id), http.StatusOK)
		for _, want := range []string{"危险化学品", "济宁市应急管理局", "在库", `id="status-suspended"`, `id="courseware-form"`, `id="expert-form"`} {
			if !strings.Contains(page, want) {
				t.Errorf("expert page lacks %s", want)
			}
		}
		// the insurer proposes; the proposal is suspended until the city activates it
		prop := addExpertByForm(t, insurer, "赵刚")
		page = getPage(t, insurer, fmt.Sprintf("/prevention/experts/%d", prop), http.StatusOK)
		if !strings.Contains(page, "待市级工伤预防部门审核") || !strings.Contains(page, "不能安排新的培训") || strings.Contains(page, `id="status-active"`) {
			t.Fatalf("proposed expert's page for the insurer:\n%s", page)
		}
		mustPost(t, insurer, fmt.Sprintf("/prevention/experts/%d/status", prop), http.StatusForbidden, "version", "1", "status", "active", "reason", "启用")
		mustPost(t, city, fmt.Sprintf("/prevention/experts/%d/status", prop), http.StatusSeeOther, "version", "1", "status", "active", "reason", "经审核同意入库")

		// courseware: an image refused, a PDF uploaded, reviewed, downloaded
		if code, body := uploadCourseware(city, id, "化工企业工伤预防", "slides.png", storetest.PNG(t)); code != http.StatusBadRequest ||
			!strings.Contains(body, "课件应为PDF文件") {
			t.Fatalf("png courseware: %d\n%s", code, body)
		}
		pdf := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
		if code, body := uploadCourseware(insurer, id, "化工企业工伤预防", "化工课件.pdf", pdf); code != http.StatusSeeOther {
			t.Fatalf("upload: %d\n%s", code, body)
		}
		if code, _ := uploadCourseware(county, id, "化工企业工伤预防", "县里.pdf", pdf); code != http.StatusForbidden {
			t.Fatalf("county upload: %d", code)
		}
		list, err := e.S.ExpertCourseware(ctx, storetest.Actor(access.RolePrevention, "370800"), id)
		if err != nil || len(list) != 1 || list[0].Revision != 1 || list[0].FileName != "化工课件.pdf" {
			t.Fatalf("courseware: %+v %v", list, err)
		}
		cw := list[0]
		page = getPage(t, city, fmt.Sprintf("/prevention/experts/%d", id), http.StatusOK)
		if !strings.Contains(page, "第1版") || !strings.Contains(page, "待论证") || !strings.Contains(page, fmt.Sprintf(`id="review-%d"`, cw.ID)) {
			t.Fatalf("expert page after the upload:\n%s", page)
		}
		if page := getPage(t, insurer, fmt.Sprintf("/prevention/experts/%d", id), http.StatusOK); strings.Contains(page, fmt.Sprintf(`id="review-%d"`, cw.ID)) {
			t.Fatal("the insurer is offered the review")
		}
		if code, body := postForm(city, fmt.Sprintf("/prevention/courseware/%d/review", cw.ID), "version", "1", "decision", "reject"); code != http.StatusBadRequest ||
			!strings.Contains(body, "不通过时请填写论证意见") {
			t.Fatalf("reject without a note: %d\n%s", code, body)
		}
		mustPost(t, county, fmt.Sprintf("/prevention/courseware/%d/review", cw.ID), http.StatusForbidden, "version", "1", "decision", "approve")
		mustPost(t, city, fmt.Sprintf("/prevention/courseware/%d/review", cw.ID), http.StatusSeeOther, "version", "1", "decision", "approve", "note", "内容准确")
		resp := county.Do("GET", fmt.Sprintf("/prevention/courseware/%d", cw.ID), "", nil)
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(got, pdf) {
			t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
		}

		// the county reads the pool and the expert, changes nothing
		page = getPage(t, county, fmt.Sprintf("/prevention/experts/%d", id), http.StatusOK)
		if strings.Contains(page, `id="expert-form"`) || strings.Contains(page, `id="status-suspended"`) || !strings.Contains(page, "论证通过") {
			t.Fatalf("county's expert page:\n%s", page)
		}
		mustPost(t, county, fmt.Sprintf("/prevention/experts/%d/status", id), http.StatusForbidden, "version", "1", "status", "suspended", "reason", "x")
		mustPost(t, county, fmt.Sprintf("/prevention/experts/%d", id), http.StatusForbidden, "version", "1", "name", "改名", "specialty", "mining",
			"department", "union", "title", "工程师")

		// suspend: a reason is required; the page then says the expert may not teach
		if code, body := postForm(city, fmt.Sprintf("/prevention/experts/%d/status", id), "version", "1", "status", "suspended", "reason", ""); code != http.StatusBadRequest ||
			!strings.Contains(body, "请填写暂停的原因") {
			t.Fatalf("suspend without a reason: %d\n%s", code, body)
		}
		mustPost(t, city, fmt.Sprintf("/prevention/experts/%d/status", id), http.StatusSeeOther, "version", "1", "status", "suspended", "reason", "评估得分低于60分")
		if code, _ := postForm(city, fmt.Sprintf("/prevention/experts/%d/status", id), "version", "1", "status", "removed", "reason", "旧页面"); code != http.StatusConflict {
			t.Fatalf("stale status change: %d", code)
		}
		page = getPage(t, city, fmt.Sprintf("/prevention/experts/%d", id), http.StatusOK)
		if !strings.Contains(page, "评估得分低于60分") || !strings.Contains(page, "不能安排新的培训") {
			t.Fatalf("suspended expert's page:\n%s", page)
		}
		x, _ := e.S.FindPreventionExpert(ctx, storetest.Actor(access.RolePrevention, "370800"), id)
		if prevention.MayTeach(x.Status) {
			t.Fatal("a suspended expert may teach")
		}
		// edit through the form at its version
		mustPost(t, city, fmt.Sprintf("/prevention/experts/%d", id), http.StatusSeeOther, "version", strconv.FormatInt(x.Version, 10), "name", "王建国",
			"specialty", "hazchem", "department", "emergency", "title", "正高级工程师", "qualifications", "注册安全工程师", "employer", "济宁化工安全技术中心")

		// the list filters, and the export
		list2 := getPage(t, county, "/prevention/experts?status=suspended", http.StatusOK)
		if !strings.Contains(list2, "王建国") || strings.Contains(list2, "赵刚") {
			t.Fatalf("suspended filter:\n%s", list2)
		}
		if code, _ := county.Raw("GET", "/prevention/experts?specialty=cooking", "", ""); code != http.StatusBadRequest {
			t.Fatalf("bad filter: %d", code)
		}
		resp = city.Do("GET", "/prevention/experts?format=xlsx&specialty=hazchem", "", nil)
		xb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/vnd.openxmlformats") || !bytes.HasPrefix(xb, []byte("PK")) {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if code, _ := county.Raw("GET", fmt.Sprintf("/prevention/experts/%d", id+1000), "", ""); code != http.StatusNotFound {
			t.Fatalf("a missing expert: %d", code)
		}
	})
}
