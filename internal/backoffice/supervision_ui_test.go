package backoffice

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// zipOf packs an extract's files.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create("extract/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func uploadExtract(t *testing.T, c *webtest.Client, data []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", "city-2025.zip")
	fw.Write(data)
	mw.Close()
	resp := c.Do("POST", "/supervision/extracts", mw.FormDataContentType(), &body)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var scanPath = regexp.MustCompile(`^/supervision/scans/([0-9]+)$`)
var leadLink = regexp.MustCompile(`href="/supervision/leads/([0-9]+)"`)

func TestSupervisionThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		auditor, insurer, admin := e.Login("auditor-370800"), e.Login("insurer-370800"), e.Login("admin-370800")

		// a bad extract is refused whole, every bad row listed
		bad := storetest.Extract()
		bad["institutions.csv"] = bytes.Replace(bad["institutions.csv"], []byte(",rehab,2,"), []byte(",rehab,4,"), 1)
		code, body := uploadExtract(t, auditor, zipOf(t, bad))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="extract-problems"`) || !strings.Contains(body, "institutions.csv") {
			t.Fatalf("bad extract: %d\n%s", code, body)
		}
		if code, _ := uploadExtract(t, auditor, []byte("not a zip")); code != http.StatusUnprocessableEntity {
			t.Fatalf("not a zip: %d", code)
		}
		if code, _ := uploadExtract(t, auditor, zipOf(t, storetest.Extract())); code != http.StatusSeeOther {
			t.Fatalf("good extract: %d", code)
		}
		home := getPage(t, auditor, "/supervision", 200)
		m := regexp.MustCompile(`<option value="([0-9]+)">city-2025.zip`).FindStringSubmatch(home)
		if m == nil {
			t.Fatalf("the imported extract is not offered for a scan:\n%s", home)
		}
		// the insurer's staff may start the pre-check scan
		resp := insurer.Do("POST", "/supervision/scans", "application/x-www-form-urlencoded", strings.NewReader(form(insurer, "extract", m[1])))
		resp.Body.Close()
		sm := scanPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || sm == nil {
			t.Fatalf("start scan: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		id, _ := strconv.ParseInt(sm[1], 10, 64)
		page := auditor.Do("GET", sm[0], "", nil)
		b, _ := io.ReadAll(page.Body)
		page.Body.Close()
		if page.Header.Get("Refresh") != "2" || !strings.Contains(string(b), `id="scan-progress"`) {
			t.Fatalf("a running scan shows its progress: %q\n%s", page.Header.Get("Refresh"), b)
		}
		if err := e.S.RunScan(t.Context(), id); err != nil {
			t.Fatal(err)
		}
		got := getPage(t, auditor, sm[0], 200)
		for _, want := range []string{`id="by-category"`, `id="top-ranking"`, `id="leads"`, "GS-"} {
			if !strings.Contains(got, want) {
				t.Fatalf("scan page lacks %q\n%s", want, got)
			}
		}
		filtered := getPage(t, auditor, sm[0]+"?category=catalogue_fee&sort=score", 200)
		if !strings.Contains(filtered, "目录与收费违规") {
			t.Fatalf("filter by category:\n%s", filtered)
		}
		if code, _ := auditor.Raw("GET", sm[0]+"?category=nonsense", "", ""); code != http.StatusUnprocessableEntity && code != http.StatusBadRequest {
			t.Fatalf("a bad filter value: %d", code)
		}
		lm := leadLink.FindStringSubmatch(got)
		if lm == nil {
			t.Fatalf("no lead link:\n%s", got)
		}
		lp := "/supervision/leads/" + lm[1]
		lead := getPage(t, auditor, lp, 200)
		if !strings.Contains(lead, `id="lead-evidence"`) || !strings.Contains(lead, `id="review-form"`) {
			t.Fatalf("lead page:\n%s", lead)
		}
		// the insurer sees the lead but has no review form, and a post is refused
		if il := getPage(t, insurer, lp, 200); strings.Contains(il, `id="review-form"`) {
			t.Fatal("the insurer's staff are offered the review")
		}
		if code, _ := postForm(insurer, lp+"/review", "version", "1", "decision", "confirm", "reason", "核实"); code != http.StatusForbidden {
			t.Fatalf("insurer review: %d", code)
		}
		// a review without a reason names the field; then it is confirmed
		if code, body := postForm(auditor, lp+"/review", "version", "1", "decision", "confirm", "reason", ""); code/100 != 4 || !strings.Contains(body, "核实意见不能为空") {
			t.Fatalf("empty reason: %d\n%s", code, body)
		}
		mustPost(t, auditor, lp+"/review", http.StatusSeeOther, "version", "1", "decision", "confirm", "reason", "调取病历核实属实")
		if after := getPage(t, auditor, lp, 200); !strings.Contains(after, "已确认") || strings.Contains(after, `id="review-form"`) {
			t.Fatalf("after review:\n%s", after)
		}
		if code, body := postForm(auditor, lp+"/review", "version", "1", "decision", "dismiss", "reason", "再看"); code != http.StatusConflict {
			t.Fatalf("a second review: %d\n%s", code, body)
		}
		// ranking and exports
		if r := getPage(t, auditor, fmt.Sprintf("/supervision/scans/%d/ranking", id), 200); !strings.Contains(r, `id="ranking"`) {
			t.Fatalf("ranking:\n%s", r)
		}
		for _, p := range []string{sm[0] + "?format=xlsx", fmt.Sprintf("/supervision/scans/%d/ranking?format=xlsx", id)} {
			resp := auditor.Do("GET", p, "", nil)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") {
				t.Fatalf("export %s: %d %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		}
		// the rule base: the auditor reads it, the administrator tunes it
		rules := getPage(t, auditor, "/supervision/rules", 200)
		if !strings.Contains(rules, `id="rule-GS-D06"`) || strings.Contains(rules, `id="form-GS-D06"`) {
			t.Fatal("rule base for an auditor")
		}
		if code, _ := postForm(auditor, "/supervision/rules", "rule_id", "GS-D06", "region", "370800", "valid_from", "2025-01-01", "enabled", "on"); code != http.StatusForbidden {
			t.Fatalf("an auditor tuned a rule: %d", code)
		}
		if code, body := postForm(admin, "/supervision/rules", "rule_id", "GS-D06", "region", "370800", "valid_from", "2025-01-01", "enabled", "on", "p_tolerance_pct", "50"); code/100 != 4 || !strings.Contains(body, "允许误差") {
			t.Fatalf("out-of-range value: %d\n%s", code, body)
		}
		mustPost(t, admin, "/supervision/rules", http.StatusSeeOther, "rule_id", "GS-D07", "region", "370800", "valid_from", "2025-01-01", "p_flag_indicator1", "0")
		if after := getPage(t, admin, "/supervision/rules", 200); !strings.Contains(after, "已停用") {
			t.Fatalf("switched-off rule not shown:\n%s", after)
		}
	})
}
