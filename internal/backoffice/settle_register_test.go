package backoffice

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

func form(c *webtest.Client, kv ...string) string {
	v := url.Values{"csrf": {c.CSRF}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func postForm(c *webtest.Client, path string, kv ...string) (int, string) {
	return c.Raw("POST", path, "application/x-www-form-urlencoded", form(c, kv...))
}

var institutionPath = regexp.MustCompile(`^/institutions/([0-9]+)$`)

// registerInstitution registers an institution in 任城 through the form as
// the city's administrator and returns its id.
func registerInstitution(t *testing.T, c *webtest.Client, code, name string) int64 {
	t.Helper()
	resp := c.Do("POST", "/institutions", "application/x-www-form-urlencoded", strings.NewReader(form(c, "code", code, "name", name,
		"region_code", "370811", "type", "medical", "level", "3", "beds", "1200", "depts", "骨科\n手外科、康复医学科",
		"equipment", "CT", "agreement_from", "2026-01-01", "agreement_to", "2026-12-31", "address", "济宁市任城区", "contact", "王主任")))
	resp.Body.Close()
	m := institutionPath.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("register: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// The register: created through the form, listed and exported in the
// city's scope, invisible to 微山; the token shown once and kept out of
// the audit log; a stale edit is a 409 page; a suspension with a reason.
func TestInstitutionRegister(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	storetest.MustUser(t, e.S, "admin-370826", access.RoleAdmin, "370826", webtest.Password)
	admin := e.Login("admin-370800")
	weishan := e.Login("admin-370826")

	code, page := postForm(admin, "/institutions", "code", "h3708", "name", "", "region_code", "370811", "type", "medical", "level", "x",
		"agreement_from", "2026-01-01", "agreement_to", "2025-01-01")
	text := visibleText(page)
	for _, want := range []string{"机构编码应为12位", "请填写机构名称", "机构等级应为整数", "协议终止日期不能早于起始日期"} {
		if code != http.StatusBadRequest || !strings.Contains(text, want) {
			t.Errorf("bad form: %d, want %q in\n%s", code, want, text)
		}
	}
	id := registerInstitution(t, admin, "H37081100901", "济宁测试骨科医院")
	path := "/institutions/" + strconv.FormatInt(id, 10)
	code, page = admin.Raw("GET", path, "", "")
	if code != 200 || !strings.Contains(page, "手外科") || !strings.Contains(page, "未发放接口凭证") || !strings.Contains(page, "三级") {
		t.Fatalf("page: %d\n%s", code, visibleText(page))
	}
	if code, page := admin.Raw("GET", "/institutions?q=测试骨科&type=medical", "", ""); code != 200 || !strings.Contains(page, "H37081100901") {
		t.Errorf("list: %d %s", code, visibleText(page))
	}
	// 微山's administrator neither sees nor changes 任城's institution.
	for _, probe := range []struct{ method, path string }{{"GET", path}, {"GET", path + "/edit"}, {"POST", path}, {"POST", path + "/token"}, {"POST", path + "/status"}} {
		var code int
		if probe.method == "GET" {
			code, _ = weishan.Raw("GET", probe.path, "", "")
		} else {
			code, _ = postForm(weishan, probe.path, "version", "1", "status", "suspended", "status_reason", "x", "name", "x")
		}
		if code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("微山 %s %s: %d", probe.method, probe.path, code)
		}
	}
	if _, page := weishan.Raw("GET", "/institutions", "", ""); strings.Contains(page, "H37081100901") {
		t.Error("微山's list shows 任城's institution")
	}
	// A clerk reads the register but may not issue credentials.
	if code, _ := postForm(e.Login("clerk-370800"), path+"/token"); code != http.StatusForbidden {
		t.Errorf("a clerk issues a token: %d", code)
	}

	// Credentials: shown on the answer once, never again, not audited.
	code, page = postForm(admin, path+"/token")
	token := regexp.MustCompile(`id="token-value">([0-9a-f]{48})<`).FindStringSubmatch(page)
	if code != 200 || token == nil || !strings.Contains(page, "只在本页显示这一次") {
		t.Fatalf("token: %d\n%s", code, visibleText(page))
	}
	in, tok, err := e.S.InstitutionByPaasID(t.Context(), regexp.MustCompile(`id="token-paasid">([^<]+)<`).FindStringSubmatch(page)[1])
	if err != nil || tok != token[1] || in.ID != id {
		t.Fatalf("the issued token is not the stored one: %v", err)
	}
	if _, page := admin.Raw("GET", path, "", ""); strings.Contains(page, token[1]) || strings.Contains(page, "token-value") {
		t.Error("the token is shown again after reload")
	}
	code, page = postForm(admin, path+"/token")
	if code != 200 || !strings.Contains(page, "原令牌已立即失效") || strings.Contains(page, token[1]) {
		t.Errorf("rotation: %d\n%s", code, visibleText(page))
	}
	if _, tok, _ := e.S.InstitutionByPaasID(t.Context(), in.PaasID); tok == token[1] {
		t.Error("the old token still works after rotation")
	}
	storetest.MustSeal(t, e.S)
	var leaks int
	if err := e.S.DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM audit_log WHERE after_json LIKE $1 OR before_json LIKE $1`, "%"+token[1]+"%").Scan(&leaks); err != nil || leaks != 0 {
		t.Errorf("the token is in %d audit entries (%v)", leaks, err)
	}

	// Edit with the version seen: a stale form is 409 with the message.
	in, _ = e.S.FindInstitution(t.Context(), access.System, id)
	edit := func(version int64, name string) (int, string) {
		return postForm(admin, path, "version", strconv.FormatInt(version, 10), "name", name, "region_code", "370811", "type", "medical",
			"level", "2", "beds", "1000", "agreement_from", "2026-01-01", "agreement_to", "2026-12-31")
	}
	if code, page := edit(in.Version, "济宁测试骨科医院（二部）"); code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", code, visibleText(page))
	}
	code, page = edit(in.Version, "过期的表单")
	if code != http.StatusConflict || !strings.Contains(page, "已被他人修改，请刷新后重试") || !strings.Contains(page, `id="form-stale"`) {
		t.Errorf("stale edit: %d\n%s", code, visibleText(page))
	}
	in, _ = e.S.FindInstitution(t.Context(), access.System, id)
	if in.Name != "济宁测试骨科医院（二部）" || in.Level != 2 || in.Code != "H37081100901" || in.PaasID == "" {
		t.Errorf("after edits: %+v", in)
	}

	// Suspension needs a reason; then the page says transactions are refused.
	if code, page := postForm(admin, path+"/status", "version", strconv.FormatInt(in.Version, 10), "status", "suspended"); code != http.StatusBadRequest ||
		!strings.Contains(page, "请填写状态变更原因") {
		t.Errorf("suspension without a reason: %d %s", code, visibleText(page))
	}
	if code, _ := postForm(admin, path+"/status", "version", strconv.FormatInt(in.Version, 10), "status", "suspended", "status_reason", "飞行检查发现挂床住院"); code != http.StatusSeeOther {
		t.Fatalf("suspend: %d", code)
	}
	if _, page := admin.Raw("GET", path, "", ""); !strings.Contains(page, "暂停结算（飞行检查发现挂床住院）") || !strings.Contains(page, "联网结算现被拒绝") {
		t.Errorf("suspended page:\n%s", visibleText(page))
	}

	// The export: every register column, audited.
	resp := admin.Do("GET", "/institutions?status=suspended&format=xlsx", "", nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("export: %d %v", resp.StatusCode, err)
	}
	rows, _ := f.GetRows("协议机构")
	if len(rows) != 4 || rows[0][0] != "协议机构名单（协议状态：暂停结算）" || rows[3][0] != "H37081100901" || rows[3][10] != "暂停结算" || rows[3][12] != in.PaasID {
		t.Errorf("export rows %q", rows)
	}
	entries, _, _ := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370800"), store.AuditFilter{Actor: "admin-370800"})
	if len(entries) == 0 || entries[0].Action != store.ExportInstitutions {
		t.Errorf("the export is not audited: %+v", entries)
	}
}

// catalogueUpload posts the catalogue import form with the files given.
func catalogueUpload(t *testing.T, c *webtest.Client, files map[string][2]string) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	for field, f := range files {
		fw, _ := mw.CreateFormFile(field, f[0])
		fw.Write([]byte(f[1]))
	}
	mw.Close()
	return c.Raw("POST", "/catalogue/import", mw.FormDataContentType(), body.String())
}

// sampleCSV is the demo's catalogue as an import sheet.
func sampleCSV(es []catalogue.Entry) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(catalogue.EntryHeader())
	for _, e := range es {
		var row []string
		for _, c := range catalogue.EntryCells(e) {
			if c == nil {
				row = append(row, "")
			} else {
				row = append(row, fmt.Sprint(c))
			}
		}
		w.Write(row)
	}
	w.Flush()
	return b.String()
}

func catalogueRows(t *testing.T, s *store.Store) []catalogue.Entry {
	t.Helper()
	var out []catalogue.Entry
	if err := s.EachCatalogueEntry(context.Background(), store.CatalogueQuery{}, func(e catalogue.Entry) error {
		e.ID = 0
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A catalogue sheet with bad rows imports nothing and reports each row
// and column, with an error file; a good one imports; the list's export
// imports again unchanged.
func TestCatalogueImportAndRoundTrip(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	admin := e.Login("admin-370800")
	es, bs := catalogue.Sample()
	good := sampleCSV(es)
	bad := good + "药品,XJ01,坏编码药,,支,1,1,1,是,2025-01-01,,,,,,,000000,\n" +
		"诊疗项目,001102000010000,限价倒挂,,次,20,10,30,是,2025-01-01,,,,,,,370000,\n" +
		"辅助器具,D37062409001,假肢,,件,,,,也许,2025-13-01,,,,,,,370000,\n"
	code, page := catalogueUpload(t, admin, map[string][2]string{"file": {"目录.csv", bad}})
	text := visibleText(page)
	if code != http.StatusUnprocessableEntity || !strings.Contains(text, "未导入") {
		t.Fatalf("bad upload: %d\n%s", code, text)
	}
	n := len(es) + 1 // header
	for _, want := range []string{fmt.Sprintf("第%d行", n+1), "医保目录编码：“XJ01”格式不对", fmt.Sprintf("第%d行", n+2), "低等级机构的限价不能高于高等级",
		"工伤基金支付(是/否)：“也许”应为是或否", "生效日期：“2025-13-01”不是日期", "辅助器具必须填写最高支付限额"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if got := catalogueRows(t, e.S); len(got) != 0 {
		t.Fatalf("a bad sheet imported %d rows", len(got))
	}
	m := regexp.MustCompile(`href="(/catalogue/import/errors/[0-9a-f]{32})"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no error file")
	}
	resp := admin.Do("GET", m[1], "", nil)
	xf, err := excelize.OpenReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	erows, _ := xf.GetRows(xf.GetSheetList()[0])
	last := len(catalogue.EntryHeader())
	if len(erows) != n+3 || erows[0][last] != "错误原因" || !strings.Contains(erows[n][last], "“XJ01”格式不对") || len(erows[1]) > last && erows[1][last] != "" {
		t.Errorf("error file: %d rows, %q / %q", len(erows), erows[0], erows[n])
	}
	if code, _ := catalogueUpload(t, e.Login("clerk-370800"), map[string][2]string{"file": {"目录.csv", good}}); code != http.StatusForbidden {
		t.Errorf("a clerk imports: %d", code)
	}

	var bundles strings.Builder
	bw := csv.NewWriter(&bundles)
	bw.Write(catalogue.BundleHeader())
	for _, b := range bs {
		bw.Write([]string{b.Code1, b.Code2, strconv.Itoa(b.Indicator), b.ValidFrom, b.ValidTo, b.Rationale, b.Region})
	}
	bw.Flush()
	resp = admin.Do("POST", "/catalogue/import", "", nil) // no body: refused
	resp.Body.Close()
	code, page = catalogueUpload(t, admin, map[string][2]string{"file": {"目录.csv", good}, "bundles": {"同收.csv", bundles.String()}})
	if code != http.StatusSeeOther {
		t.Fatalf("good upload: %d\n%s", code, visibleText(page))
	}
	before := catalogueRows(t, e.S)
	if len(before) != len(es) {
		t.Fatalf("%d rows imported, want %d", len(before), len(es))
	}
	if got, _ := e.S.CatalogueBundles(t.Context()); len(got) != len(bs) {
		t.Errorf("%d bundles, want %d", len(got), len(bs))
	}

	// The list: today's rows by default; a device shows its limit and life.
	code, page = admin.Raw("GET", "/catalogue?category=device", "", "")
	if code != 200 || !strings.Contains(page, "个月") || !strings.Contains(page, "（2026-03-02有效）") {
		t.Errorf("device list: %d\n%s", code, visibleText(page))
	}

	// Export everything and import the file again: nothing changes.
	resp = admin.Do("GET", "/catalogue?all=1&format=xlsx", "", nil)
	x, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	code, page = catalogueUpload(t, admin, map[string][2]string{"file": {"导出.xlsx", string(x)}})
	if code != http.StatusSeeOther {
		t.Fatalf("re-import of the export: %d\n%s", code, visibleText(page))
	}
	after := catalogueRows(t, e.S)
	if len(after) != len(before) {
		t.Fatalf("re-import: %d rows, want %d", len(after), len(before))
	}
	for i := range before {
		if fmt.Sprint(before[i]) != fmt.Sprint(after[i]) {
			t.Errorf("row %d changed by the round trip:\n%+v\n%+v", i, before[i], after[i])
		}
	}
	entries, _, _ := e.S.FindAuditEntries(t.Context(), access.ScopeOf("370800"), store.AuditFilter{Actor: "admin-370800", Action: "catalogue.import"})
	if len(entries) != 2 || !strings.Contains(entries[0].After, fmt.Sprintf(`"Replaced":%d`, len(es))) {
		t.Errorf("audit of the imports: %+v", entries)
	}
}

// At the window: the worker's page lists his filings with a form; a bad
// filing shows the fields' errors; a good one is listed; a cancellation
// inside the holding period is refused with its date; 曲阜's clerk cannot
// file for 任城's worker; the region's list and export.
func TestFilingAtTheWindow(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := storetest.MustRecognisedCase(t, e.S, "370811")
	clerk := e.Login("clerk-370800")
	wpath := "/workers/" + strconv.FormatInt(c.WorkerID, 10)
	code, page := clerk.Raw("GET", wpath, "", "")
	if code != 200 || !strings.Contains(page, "暂无异地就医备案") || !strings.Contains(page, c.Number) || !strings.Contains(page, `id="filing-form"`) {
		t.Fatalf("worker page: %d\n%s", code, visibleText(page))
	}
	caseID := strconv.FormatInt(c.ID, 10)
	code, page = postForm(clerk, wpath+"/filings", "case_id", caseID, "kind", "referral", "treat_region", "", "reason", "", "valid_from", "2027-01-01")
	text := visibleText(page)
	for _, want := range []string{"就医地应为6位行政区划代码", "请填写备案事由", "备案开始日期应在今天前30天至后90天之内", "转诊转院须填写接收机构的12位机构编码"} {
		if code != http.StatusBadRequest || !strings.Contains(text, want) {
			t.Errorf("bad filing: %d, want %q in\n%s", code, want, text)
		}
	}
	if code, page := postForm(clerk, wpath+"/filings", "case_id", caseID, "kind", "residence", "treat_region", "370800", "reason", "同城"); code != http.StatusBadRequest ||
		!strings.Contains(page, "同属一个统筹地区") {
		t.Errorf("same pooling region: %d %s", code, visibleText(page))
	}
	if code, _ := postForm(e.Login("clerk-370881"), wpath+"/filings", "case_id", caseID, "kind", "residence", "treat_region", "370100", "reason", "x"); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("曲阜's clerk files for 任城's worker: %d", code)
	}
	if code, _ := postForm(e.Login("assessment-370800"), wpath+"/filings", "case_id", caseID, "kind", "residence", "treat_region", "370100", "reason", "x"); code != http.StatusForbidden {
		t.Errorf("an assessment officer files: %d", code)
	}
	code, page = postForm(clerk, wpath+"/filings", "case_id", caseID, "kind", "residence", "treat_region", "370100", "reason", "随子女在济南长期居住",
		"address", "济南市历下区")
	if code != http.StatusSeeOther {
		t.Fatalf("filing: %d\n%s", code, visibleText(page))
	}
	code, page = clerk.Raw("GET", wpath, "", "")
	if code != 200 || !strings.Contains(page, "异地长期居住") || !strings.Contains(page, "2026-03-02 至 2027-03-01") ||
		!strings.Contains(page, "满3个月后方可变更或撤销（2026-06-02起）") {
		t.Fatalf("after filing:\n%s", visibleText(page))
	}
	rows, _, _ := e.S.FindFilings(t.Context(), access.System, store.FilingQuery{WorkerID: c.WorkerID}, store.Page{})
	if len(rows) != 1 || rows[0].Channel != "window" {
		t.Fatalf("filings %+v", rows)
	}
	fpath := "/filings/" + strconv.FormatInt(rows[0].ID, 10) + "/cancel"
	if code, page := postForm(clerk, fpath, "version", "1", "reason", "已回济宁"); code != http.StatusConflict || !strings.Contains(page, "2026-06-02起") {
		t.Errorf("cancel in the holding period: %d %s", code, visibleText(page))
	}
	if code, _ := postForm(e.Login("clerk-370881"), fpath, "version", "1", "reason", "x"); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("曲阜's clerk cancels: %d", code)
	}
	// A filing made five months ago is past its holding period: the
	// page offers the cancellation and the clerk cancels it.
	old := settlement.Filing{CaseID: c.ID, WorkerID: c.WorkerID, RegionCode: c.RegionCode, Kind: settlement.Posted, TreatRegion: "320300",
		Reason: "派驻徐州项目部", ValidFrom: "2025-10-01", ValidTo: "2026-09-30", FiledOn: "2025-10-01", State: settlement.FilingActive, Channel: "window"}
	if err := e.S.LoadFiling(t.Context(), access.System, &old); err != nil {
		t.Fatal(err)
	}
	if _, page := clerk.Raw("GET", wpath, "", ""); !strings.Contains(page, `action="/filings/`+strconv.FormatInt(old.ID, 10)+`/cancel"`) {
		t.Errorf("no cancel form for the old filing:\n%s", visibleText(page))
	}
	opath := "/filings/" + strconv.FormatInt(old.ID, 10) + "/cancel"
	if code, page := postForm(clerk, opath, "version", "1", "reason", "项目结束已回济宁"); code != http.StatusSeeOther {
		t.Fatalf("cancel: %d %s", code, visibleText(page))
	}
	if f, _ := e.S.FindFiling(t.Context(), access.System, old.ID); f.State != settlement.FilingCancelled || !strings.Contains(f.Reason, "撤销：项目结束已回济宁") {
		t.Errorf("cancelled: %+v", f)
	}
	code, page = clerk.Raw("GET", "/filings?kind=posted", "", "")
	if code != 200 || !strings.Contains(page, c.Number) || !strings.Contains(page, "已撤销") {
		t.Errorf("list: %d\n%s", code, visibleText(page))
	}
	if _, page := e.Login("clerk-370881").Raw("GET", "/filings", "", ""); strings.Contains(page, c.Number) {
		t.Error("曲阜 lists 任城's filing")
	}
	resp := clerk.Do("GET", "/filings?format=xlsx", "", nil)
	f, err := excelize.OpenReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := f.GetRows("异地就医备案")
	if len(xrows) != 5 || xrows[3][1] != c.Number || xrows[3][3] != "常驻异地工作" || xrows[3][10] != "已撤销" || xrows[4][3] != "异地长期居住" {
		t.Errorf("export %q", xrows)
	}
}
