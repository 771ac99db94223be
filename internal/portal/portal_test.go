package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/param"
	"gongshang/internal/portal"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

var ctx = context.Background()

var lock = access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}

// env runs the portal alone on a real store.
func env(t *testing.T, open storetest.Opener) *webtest.Env {
	t.Helper()
	return webtest.New(t, open, func(s *store.Store) (*web.Server, error) {
		sf, err := portal.New(portal.Options{Store: s, SessionTTL: time.Hour, Lock: lock})
		if err != nil {
			return nil, err
		}
		return web.Mount(web.Options{Store: s}, sf)
	})
}

// party is a worker or employer with a portal account.
type party struct {
	kind, login string
	id          int64
}

func workerParty(w registry.Worker) party     { return party{store.PortalWorker, w.IDNumber, w.ID} }
func employerParty(e registry.Employer) party { return party{store.PortalEmployer, e.CreditCode, e.ID} }

// client activates p's account (once per store) and signs it in.
func client(e *webtest.Env, p party) *webtest.Client {
	e.T.Helper()
	token, sess, err := e.S.PortalLogin(ctx, "", p.kind, p.login, storetest.PortalPassword, lock, time.Hour)
	if err != nil {
		storetest.MustPortal(e.T, e.S, p.kind, p.id, p.login)
		token, sess, err = e.S.PortalLogin(ctx, "", p.kind, p.login, storetest.PortalPassword, lock, time.Hour)
	}
	if err != nil {
		e.T.Fatal(err)
	}
	c := e.Anon()
	u, _ := url.Parse(e.TS.URL + "/portal/")
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: portal.SessionCookie, Value: token, Path: "/portal/"}})
	c.CSRF = sess.CSRFToken
	return c
}

// openCase opens a case of a new worker at a new employer in region, by
// the county's clerk; it returns the case and both parties.
func openCase(t *testing.T, s *store.Store, region string) (*casebundle.Case, registry.Worker, registry.Employer) {
	t.Helper()
	emp := storetest.MustEmployer(t, s, region)
	w := storetest.MustWorker(t, s, emp, "刘强")
	c := &casebundle.Case{WorkerID: w.ID, EmployerID: emp.ID, InjuryDate: "2026-02-10", ApplicationDate: "2026-02-20",
		Applicant: casebundle.ApplicantEmployer, ApplicantName: emp.Name, Place: "二号车间", Cause: "操作冲床时压伤右手",
		InjuredPart: "右手", Diagnosis: "右手示指骨折", Hospital: "济宁市第一人民医院"}
	if err := s.OpenCase(ctx, storetest.Actor(access.RoleClerk, region), paramSet(t), c, nil); err != nil {
		t.Fatal(err)
	}
	return c, w, emp
}

func paramSet(t *testing.T) *param.Set {
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// staffName is the clerk who sends correction notices: the portal never shows it.
const staffName = "窗口王晓"

// notice sends the case's correction notice for every missing upload and
// returns the listed materials.
func notice(t *testing.T, s *store.Store, c *casebundle.Case) []string {
	t.Helper()
	needs, err := s.CaseMaterials(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	missing := casebundle.MissingUploads(needs)[casebundle.Recognition]
	rec := c.Service(casebundle.Recognition)
	clerk := storetest.Actor(access.RoleClerk, c.RegionCode)
	clerk.Name = staffName
	if _, _, err := s.ActOnCase(ctx, clerk, paramSet(t), c.ID, rec.ID,
		casebundle.Action{Name: casebundle.ActNotice, Missing: missing}); err != nil {
		t.Fatal(err)
	}
	return missing
}

func get(c *webtest.Client, path string) (int, string) {
	c.T.Helper()
	return c.Raw("GET", path, "", "")
}

func form(c *webtest.Client, path string, v url.Values) (int, string) {
	c.T.Helper()
	v.Set("csrf", c.CSRF)
	return c.Raw("POST", path, "application/x-www-form-urlencoded", v.Encode())
}

func upload(c *webtest.Client, path, material, name, content string) (int, string) {
	c.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	mw.WriteField("material", material)
	fw, _ := mw.CreateFormFile("file", name)
	io.WriteString(fw, content)
	mw.Close()
	return c.Raw("POST", path, mw.FormDataContentType(), body.String())
}

var formToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// The whole way in: a code from the window, activation, login, the list.
func TestActivateAndLogin(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	c, w, _ := openCase(t, e.S, "370811")
	code, err := e.S.IssuePortalCode(ctx, storetest.Actor(access.RoleClerk, "370811"), store.PortalWorker, w.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := e.Anon()
	post := func(path string, v url.Values) (int, string, *http.Response) {
		_, page := get(b, path)
		m := formToken.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s has no form token", path)
		}
		v.Set("csrf", m[1])
		resp := b.Do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp
	}
	v := url.Values{"kind": {"worker"}, "login": {w.IDNumber}, "code": {code}, "password": {"Mine-pass-5821"}, "password2": {"Mine-pass-5821x"}}
	if code, page, _ := post("/portal/activate", v); code != http.StatusBadRequest || !strings.Contains(page, `id="password2-err"`) {
		t.Fatalf("mismatched passwords: %d, the error is not beside the field", code)
	}
	v.Set("password2", "Mine-pass-5821")
	if code, page, _ := post("/portal/activate", v); code != http.StatusOK || !strings.Contains(page, "账号已激活") {
		t.Fatalf("activate: %d %s", code, page)
	}
	bad := url.Values{"kind": {"worker"}, "login": {w.IDNumber}, "password": {"Wrong-pass-5821"}}
	if code, page, _ := post("/portal/login", bad); code != http.StatusUnauthorized || !strings.Contains(page, "证件号码或密码错误") {
		t.Fatalf("wrong password: %d", code)
	}
	bad.Set("login", storetest.IDNumber("370811", "19700101"))
	if code, page, _ := post("/portal/login", bad); code != http.StatusUnauthorized || !strings.Contains(page, "证件号码或密码错误") {
		t.Fatalf("unknown ID number: %d", code)
	}
	code2, _, resp := post("/portal/login", url.Values{"kind": {"worker"}, "login": {w.IDNumber}, "password": {"Mine-pass-5821"}})
	if code2 != http.StatusSeeOther || resp.Header.Get("Location") != "/portal/" {
		t.Fatalf("login: %d %s", code2, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == portal.SessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/portal/" {
		t.Fatalf("session cookie %+v", cookie)
	}
	status, page := get(b, "/portal/")
	if status != http.StatusOK || !strings.Contains(page, c.Number) || !strings.Contains(page, "刘强") {
		t.Fatalf("my cases: %d, lacks %s", status, c.Number)
	}
	// Logging out needs the session's token and ends the session.
	if code, _ := b.Raw("POST", "/portal/logout", "application/x-www-form-urlencoded", "csrf=wrong"); code != http.StatusForbidden {
		t.Errorf("logout without CSRF: %d", code)
	}
	b.CSRF = formToken.FindStringSubmatch(page)[1]
	if code, _ := form(b, "/portal/logout", url.Values{}); code != http.StatusSeeOther {
		t.Errorf("logout: %d", code)
	}
	if code, _ := get(b, "/portal/"); code != http.StatusSeeOther {
		t.Errorf("after logout: %d, want the login redirect", code)
	}
}

// A worker sees his own case only; an employer its worker's case, not
// another employer's; a staff session opens no portal page.
func TestCaseVisibility(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	c, w, emp := openCase(t, e.S, "370811")
	own := client(e, workerParty(w))
	other := client(e, workerParty(e.Worker))
	boss := client(e, employerParty(emp))
	stranger := client(e, employerParty(e.Home))
	path := fmt.Sprintf("/portal/cases/%d", c.ID)
	for _, tt := range []struct {
		name string
		c    *webtest.Client
		want int
	}{{"the worker", own, 200}, {"another worker", other, 404}, {"the employer", boss, 200}, {"another employer", stranger, 404}} {
		code, page := get(tt.c, path)
		if code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
		}
		if tt.want == 404 && strings.Contains(page, c.Number) {
			t.Errorf("%s: the refusal shows the case number", tt.name)
		}
		_, list := get(tt.c, "/portal/")
		if strings.Contains(list, c.Number) != (tt.want == 200) {
			t.Errorf("%s: my cases lists the case: %v", tt.name, strings.Contains(list, c.Number))
		}
	}
	code, page := get(own, path)
	if code != 200 || !strings.Contains(page, "工伤认定") || !strings.Contains(page, casebundle.Received.Name()) || !strings.Contains(page, c.Service(casebundle.Recognition).Due) {
		t.Errorf("case page lacks the recognition's state or due date")
	}
	staff := e.Login("clerk-370800")
	if code, _ := get(staff, path); code != http.StatusSeeOther {
		t.Errorf("staff session on the portal: %d, want the portal login", code)
	}
}

// Letters of one's own case only, the same bytes as stored.
func TestLetters(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	c, w, _ := openCase(t, e.S, "370811")
	notice(t, e.S, c)
	ls, err := e.S.CaseLetters(ctx, c.ID)
	if err != nil || len(ls) == 0 {
		t.Fatalf("no letter after the correction notice: %v", err)
	}
	own := client(e, workerParty(w))
	_, page := get(own, fmt.Sprintf("/portal/cases/%d", c.ID))
	if !strings.Contains(page, "补正材料通知书") || !strings.Contains(page, ls[0].Number) {
		t.Errorf("the case page does not list the letter")
	}
	if strings.Contains(page, staffName) || !strings.Contains(page, access.RoleClerk.Name()) {
		t.Errorf("the history names the clerk, or not the clerk's role")
	}
	path := fmt.Sprintf("/portal/cases/%d/letters/%d", c.ID, ls[0].ID)
	resp := own.Do("GET", path, "", nil)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("letter: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(b))
	}
	resp = own.Do("GET", path, "", nil)
	again, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(b, again) {
		t.Error("a second download gives other bytes")
	}
	if code, _ := get(client(e, workerParty(e.Worker)), path); code != http.StatusNotFound {
		t.Errorf("another worker downloads the letter: %d", code)
	}
	// A letter of another case through one's own case: not found.
	c2, w2, _ := openCase(t, e.S, "370811")
	notice(t, e.S, c2)
	ls2, _ := e.S.CaseLetters(ctx, c2.ID)
	if code, _ := get(client(e, workerParty(w2)), fmt.Sprintf("/portal/cases/%d/letters/%d", c2.ID, ls[0].ID)); code != http.StatusNotFound {
		t.Errorf("another case's letter under one's own case: %d", code)
	}
	if code, _ := get(own, fmt.Sprintf("/portal/cases/%d/letters/%d", c.ID, ls2[0].ID)); code != http.StatusNotFound {
		t.Errorf("another case's letter id: %d", code)
	}
}

// Upload the listed materials, then 提交补正; refusals show beside the field.
func TestUploadAndCorrection(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	c, _, emp := openCase(t, e.S, "370811")
	missing := notice(t, e.S, c)
	boss := client(e, employerParty(emp))
	base := fmt.Sprintf("/portal/cases/%d", c.ID)
	rec := c.Service(casebundle.Recognition)
	corrected := fmt.Sprintf("%s/services/%d/corrected", base, rec.ID)
	bare := *boss
	bare.CSRF = ""
	if code, _ := bare.Raw("POST", base+"/files", "application/x-www-form-urlencoded", "material=diagnosis"); code != http.StatusForbidden {
		t.Errorf("upload without CSRF: %d", code)
	}
	if code, page := upload(boss, base+"/files", missing[0], "a.txt", "plain text"); code != http.StatusBadRequest || !strings.Contains(page, `id="file-err"`) {
		t.Errorf("wrong type: %d, the error is not beside the file field", code)
	}
	if code, page := form(boss, corrected, url.Values{}); code != http.StatusBadRequest || !strings.Contains(page, "尚未上传") {
		t.Errorf("correction with nothing uploaded: %d", code)
	}
	_, page := get(boss, base)
	if strings.Contains(page, "提交补正</button>") {
		t.Error("提交补正 offered before the materials are uploaded")
	}
	for _, m := range missing {
		if code, _ := upload(boss, base+"/files", m, m+".pdf", "%PDF-1.4\n"+m+"\n%%EOF\n"); code != http.StatusSeeOther {
			t.Fatalf("upload %s: %d", m, code)
		}
	}
	_, page = get(boss, base)
	if !strings.Contains(page, "提交补正</button>") {
		t.Fatal("提交补正 not offered after every listed material is uploaded")
	}
	if code, _ := bare.Raw("POST", corrected, "application/x-www-form-urlencoded", "csrf=wrong"); code != http.StatusForbidden {
		t.Errorf("correction without CSRF: %d", code)
	}
	if code, _ := form(boss, corrected, url.Values{"version": {"999"}}); code != http.StatusConflict {
		t.Errorf("stale version: %d", code)
	}
	if code, _ := form(boss, corrected, url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("correction: %d", code)
	}
	got, _ := e.S.FindCase(ctx, storetest.Actor(access.RoleClerk, "370811"), c.ID)
	if st := got.Service(casebundle.Recognition).State; st != casebundle.Corrected {
		t.Errorf("after the correction: %s", st)
	}
	if code, _ := upload(client(e, employerParty(e.Home)), base+"/files", missing[0], "x.pdf", "%PDF-1.4\nx\n%%EOF\n"); code != http.StatusNotFound {
		t.Errorf("another employer uploads: %d", code)
	}
}

// A worker applies for himself at one of his employers; the case comes by
// the portal.
func TestApply(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	me := client(e, workerParty(e.Worker))
	if code, page := get(me, "/portal/apply"); code != 200 || !strings.Contains(page, e.Home.Name) {
		t.Fatalf("apply form: %d, lacks the employer", code)
	}
	v := url.Values{"party": {fmt.Sprint(e.Home.ID)}, "injury_date": {"2099-01-01"}, "injury_kind": {"accident"}, "applicant": {"worker"},
		"place": {"仓库"}, "cause": {"搬运货物时扭伤腰部"}, "injured_part": {"腰部"}, "diagnosis": {"腰椎间盘突出"}, "hospital": {"济宁市第一人民医院"}}
	if code, page := form(me, "/portal/apply", v); code != http.StatusBadRequest || !strings.Contains(page, `id="injury_date-err"`) {
		t.Errorf("future injury date: %d, the error is not beside the field", code)
	}
	v.Set("party", "999999")
	v.Set("injury_date", "2026-02-25")
	if code, page := form(me, "/portal/apply", v); code != http.StatusBadRequest || !strings.Contains(page, `id="party-err"`) {
		t.Errorf("an unknown employer: %d", code)
	}
	v.Set("party", fmt.Sprint(e.Home.ID))
	resp := me.Do("POST", "/portal/apply", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()+"&csrf="+url.QueryEscape(me.CSRF)))
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", resp.StatusCode)
	}
	list, err := e.S.CasesOf(ctx, storetest.Actor(access.RoleClerk, "370811"), e.Worker.ID, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("cases: %v %v", list, err)
	}
	c, _ := e.S.FindCase(ctx, storetest.Actor(access.RoleClerk, "370811"), list[0].ID)
	if c.Channel != casebundle.ChannelPortal || c.Applicant != casebundle.ApplicantWorker {
		t.Errorf("channel %s, applicant %s", c.Channel, c.Applicant)
	}
	if loc := resp.Header.Get("Location"); loc != fmt.Sprintf("/portal/cases/%d?done=apply", c.ID) {
		t.Errorf("redirect to %s", loc)
	}
}

// The password page changes the password with the current one.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := env(t, storetest.OpenSQLite)
	me := client(e, workerParty(e.Worker))
	if code, page := form(me, "/portal/account/password", url.Values{"current": {"nope"}, "password": {"Fresh-pass-7102"}, "password2": {"Fresh-pass-7102"}}); code != http.StatusBadRequest || !strings.Contains(page, `id="current-err"`) {
		t.Errorf("wrong current password: %d", code)
	}
	if code, page := form(me, "/portal/account/password", url.Values{"current": {storetest.PortalPassword}, "password": {"Fresh-pass-7102"}, "password2": {"Fresh-pass-7102"}}); code != 200 || !strings.Contains(page, `id="done"`) {
		t.Errorf("change: %d", code)
	}
	if _, _, err := e.S.PortalLogin(ctx, "", store.PortalWorker, e.Worker.IDNumber, "Fresh-pass-7102", lock, time.Hour); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}

func TestPostgres(t *testing.T) {
	storetest.PostgresURL(t)
	t.Parallel()
	e := env(t, storetest.OpenPostgres)
	c, w, emp := openCase(t, e.S, "370811")
	notice(t, e.S, c)
	for _, p := range []party{workerParty(w), employerParty(emp)} {
		cl := client(e, p)
		if code, page := get(cl, fmt.Sprintf("/portal/cases/%d", c.ID)); code != 200 || !strings.Contains(page, "补正材料通知书") {
			t.Errorf("%s: case page %d", p.kind, code)
		}
	}
	if code, _ := get(client(e, workerParty(e.Worker)), fmt.Sprintf("/portal/cases/%d", c.ID)); code != http.StatusNotFound {
		t.Errorf("another worker: %d", code)
	}
}
