package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/config"
	"gongshang/internal/param"
	"gongshang/internal/portal"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// newEnv runs the handler serve runs, with the default configuration, on
// a test store.
func newEnv(t *testing.T, open storetest.Opener) *webtest.Env { return newEnvWith(t, open, nil) }

// newEnvWith is newEnv with settings changed from their defaults.
func newEnvWith(t *testing.T, open storetest.Opener, settings map[string]string) *webtest.Env {
	over := map[string]string{"GONGSHANG_MAX_BODY_BYTES": "1048576"}
	for k, v := range settings {
		over[k] = v
	}
	cfg, err := config.Load(func(string) string { return "" }, over)
	if err != nil {
		t.Fatal(err)
	}
	return webtest.New(t, open, func(s *store.Store) (*web.Server, error) { return mount(cfg, s, nil, nil) })
}

// TestEveryRouteEveryRole walks the route table of every mounted surface
// with every role of the city, then with every role of another county
// against 任城区's objects. Every answer to a signed-in route, allowed or
// not, must forbid caching: they show personal data in full.
func TestEveryRouteEveryRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := homeCase(t, e)
	si := storetest.MustSettlements(t, e.S)
	ids := map[string]int64{"employer": e.Home.ID, "worker": e.Worker.ID, "case": c.ID,
		"settlement": si.Settlement, "finding": si.Finding, "statement": si.Statement}
	ids["institution"], ids["filing"] = settleRegisterIDs(t, e, c)
	payrollIDs(t, e, ids)
	supervisionIDs(t, e, ids)
	preventionExpertIDs(t, e, ids)
	preventionIDs(t, e, ids)
	preventionTrainingIDs(t, e, ids)
	outside := portalClients(t, e)
	for _, rt := range e.Srv.Routes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || rt.Perm == "" {
			continue
		}
		if strings.Contains(path, "{id}") && rt.Obj == "" {
			t.Errorf("%s: {id} route without an object kind: its region would go unchecked", rt.Pattern)
		}
		if rt.Surface == "portal" {
			checkPortalRoute(t, e, rt, method, path, ids, outside)
			continue
		}
		// Every staff route refuses the portal's principals: their cookie
		// is no staff session.
		for name, pc := range outside {
			if code, loc := sendLoc(pc.client, method, fill(path, rt.Obj, ids)); !refusedAnon(code, loc, "/login") {
				t.Errorf("%s as %s: status %d %s, want it refused", rt.Pattern, name, code, loc)
			}
		}
		for _, role := range access.Roles {
			city := e.Login(string(role) + "-370800")
			ids["user"] = e.Users[string(role)+"-370800"].ID + 1000 // a missing user: permission must be checked first
			url := fill(path, rt.Obj, ids)
			code, cache := send(city, method, url)
			if cache != "no-store" {
				t.Errorf("%s as city %s: Cache-Control %q, want no-store", rt.Pattern, role, cache)
			}
			switch {
			case !role.Can(rt.Perm) && code != http.StatusForbidden:
				t.Errorf("%s as city %s: status %d, want 403", rt.Pattern, role, code)
			case role.Can(rt.Perm) && (code == http.StatusForbidden || code == http.StatusUnauthorized || code >= 500):
				t.Errorf("%s as city %s: status %d, want it allowed", rt.Pattern, role, code)
			}
			if rt.Obj == "" || !role.Can(rt.Perm) {
				continue
			}
			other := e.Login(string(role) + "-370881")
			ids["user"] = e.Users["clerk-370800"].ID // a city user, outside 曲阜's scope
			if code, _ := send(other, method, fill(path, rt.Obj, ids)); code != http.StatusForbidden && !(countyReadable[rt.Obj] && method == http.MethodGet && code == http.StatusOK) {
				t.Errorf("%s as 曲阜 %s on 任城区's %s: status %d, want 403", rt.Pattern, role, rt.Obj, code)
			}
		}
	}
}

// portalClient is a worker or employer signed in to the portal, and
// whether the test case (homeCase) is theirs.
type portalClient struct {
	client *webtest.Client
	owns   bool
}

// homeCase opens a case of 任城区's worker at 任城区's employer.
func homeCase(t *testing.T, e *webtest.Env) *casebundle.Case {
	t.Helper()
	set, err := param.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := &casebundle.Case{WorkerID: e.Worker.ID, EmployerID: e.Home.ID, InjuryDate: "2026-02-10", ApplicationDate: "2026-02-20",
		Applicant: casebundle.ApplicantEmployer, ApplicantName: e.Home.Name, Place: "车间", Cause: "搬运时砸伤左脚",
		InjuredPart: "左足", Diagnosis: "左足骨折", Hospital: "济宁市第一人民医院"}
	if err := e.S.OpenCase(context.Background(), storetest.Actor(access.RoleClerk, "370811"), set, c, nil); err != nil {
		t.Fatal(err)
	}
	return c
}

// portalClients are the case's worker and employer, another worker and
// another employer, each signed in to the portal.
func portalClients(t *testing.T, e *webtest.Env) map[string]portalClient {
	t.Helper()
	stranger := storetest.MustWorker(t, e.S, e.Other, "吴刚")
	sign := func(kind, login string, id int64) *webtest.Client {
		storetest.MustPortal(t, e.S, kind, id, login)
		token, sess, err := e.S.PortalLogin(context.Background(), "", kind, login, storetest.PortalPassword,
			access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		c := e.Anon()
		u, _ := url.Parse(e.TS.URL + "/portal/")
		c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: portal.SessionCookie, Value: token, Path: "/portal/"}})
		c.CSRF = sess.CSRFToken
		return c
	}
	return map[string]portalClient{
		"the case's worker":   {sign(store.PortalWorker, e.Worker.IDNumber, e.Worker.ID), true},
		"the case's employer": {sign(store.PortalEmployer, e.Home.CreditCode, e.Home.ID), true},
		"another worker":      {sign(store.PortalWorker, stranger.IDNumber, stranger.ID), false},
		"another employer":    {sign(store.PortalEmployer, e.Other.CreditCode, e.Other.ID), false},
	}
}

// checkPortalRoute walks a portal route: staff sessions never open it;
// the case's worker and employer may; another worker or employer is
// refused the case (404: it is not admitted to exist, or 403).
func checkPortalRoute(t *testing.T, e *webtest.Env, rt web.Mounted, method, path string, ids map[string]int64, outside map[string]portalClient) {
	t.Helper()
	url := fill(path, rt.Obj, ids)
	for _, role := range access.Roles {
		if code, loc := sendLoc(e.Login(string(role)+"-370800"), method, url); !refusedAnon(code, loc, "/portal/login") {
			t.Errorf("%s as staff %s: status %d %s, want the portal login", rt.Pattern, role, code, loc)
		}
	}
	if rt.Pattern == "POST /portal/logout" {
		return // it would end the sessions the walk goes on with; internal/portal tests it
	}
	for name, pc := range outside {
		if rt.Obj == "filing" {
			pc.owns = name == "the case's worker" // a filing is the worker's alone
		}
		code, cache := send(pc.client, method, url)
		if cache != "no-store" {
			t.Errorf("%s as %s: Cache-Control %q, want no-store", rt.Pattern, name, cache)
		}
		switch {
		case rt.Obj != "" && !pc.owns && code != http.StatusNotFound && code != http.StatusForbidden:
			t.Errorf("%s as %s: status %d, want the case refused", rt.Pattern, name, code)
		case (rt.Obj == "" || pc.owns) && (code == http.StatusForbidden || code == http.StatusUnauthorized || code >= 500):
			t.Errorf("%s as %s: status %d, want it allowed", rt.Pattern, name, code)
		}
	}
}

// sendLoc is send returning the redirect target instead of the cache header.
func sendLoc(c *webtest.Client, method, path string) (int, string) {
	ct, body := "application/x-www-form-urlencoded", ""
	switch {
	case method == http.MethodGet || method == http.MethodDelete:
		ct = ""
	case strings.HasPrefix(path, "/api/"):
		ct, body = "application/json", "{}"
	}
	resp := c.Do(method, path, ct, strings.NewReader(body))
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location")
}

// refusedAnon reports whether an answer treats the caller as signed out
// (401, or a redirect to the surface's login page) or refuses it (403).
func refusedAnon(code int, loc, login string) bool {
	return code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusSeeOther && strings.HasPrefix(loc, login)
}

func fill(path, obj string, ids map[string]int64) string {
	path = strings.ReplaceAll(path, "{id}", fmt.Sprint(ids[obj]))
	path = strings.ReplaceAll(path, "{eid}", "1")
	for _, sub := range []string{"{sid}", "{fid}", "{lid}"} { // a case's service, file, letter
		path = strings.ReplaceAll(path, sub, "1")
	}
	path = strings.ReplaceAll(path, "{number}", "GS370811-2026-000001")
	path = strings.ReplaceAll(path, "{kind}", "workers")
	path = strings.ReplaceAll(path, "{file}", "app.css")
	return strings.TrimSuffix(path, "{$}")
}

// send makes a request with an empty body of the route's kind and returns
// the status and the Cache-Control header.
func send(c *webtest.Client, method, path string) (int, string) {
	ct, body := "application/x-www-form-urlencoded", ""
	switch {
	case method == http.MethodGet || method == http.MethodDelete:
		ct = ""
	case strings.HasPrefix(path, "/api/"):
		ct, body = "application/json", "{}"
	}
	resp := c.Do(method, path, ct, strings.NewReader(body))
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Cache-Control")
}

func TestAnonymousIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Anon()
	if code, _ := c.Raw("GET", "/api/v1/workers", "", ""); code != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", code)
	}
	resp := c.Do("GET", "/workers", "", nil)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
		t.Errorf("page without session: %d %s, want redirect to login", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/healthz", "/readyz", "/login", "/api/v1/openapi.json"} {
		if code, _ := c.Raw("GET", p, "", ""); code != http.StatusOK {
			t.Errorf("%s: %d, want 200", p, code)
		}
	}
	if code, _ := c.Raw("GET", "/metrics", "", ""); code != http.StatusForbidden {
		t.Errorf("/metrics without configuration: %d, want 403", code)
	}
}

// With a metrics token configured, the served handler counts every
// surface's requests by route and status.
func TestMetricsWithToken(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(testEnv(map[string]string{"GONGSHANG_METRICS_TOKEN": "metrics-token-0123456789"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := webtest.New(t, storetest.OpenSQLite, func(s *store.Store) (*web.Server, error) { return mount(cfg, s, nil, nil) })
	c := e.Anon()
	c.Raw("GET", "/healthz", "", "")
	c.Raw("GET", "/api/v1/workers", "", "")
	req, _ := http.NewRequest("GET", e.TS.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer metrics-token-0123456789")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{`route="GET /healthz",status="200"`, `route="GET /api/v1/workers",status="401"`} {
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("metrics: %d, lack %s:\n%s", resp.StatusCode, want, b)
		}
	}
}

func TestCSRFRequired(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	c.CSRF = ""
	code, body := c.Raw("POST", "/api/v1/employers", "application/json", `{"name":"x"}`)
	if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Fatalf("change without CSRF token: %d %s", code, body)
	}
	code, _ = c.Raw("POST", "/employers", "application/x-www-form-urlencoded", "csrf=wrong&name=x")
	if code != http.StatusForbidden {
		t.Fatalf("form with a wrong token: %d", code)
	}
}

func TestListsStayInScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370881")
	var out struct {
		Items []struct {
			RegionCode string `json:"region_code"`
		} `json:"items"`
		Total int `json:"total"`
	}
	for _, p := range []string{"/api/v1/employers", "/api/v1/workers"} {
		c.JSON("GET", p, nil, &out)
		if out.Total != 1 {
			t.Errorf("%s for 曲阜: total %d, want 1", p, out.Total)
		}
		for _, it := range out.Items {
			if it.RegionCode != "370881" {
				t.Errorf("%s for 曲阜 shows region %s", p, it.RegionCode)
			}
		}
	}
}

// serve with GONGSHANG_METRICS_LISTEN opens a second listener for
// /metrics, and the main one no longer shows it.
func TestServeMetricsOnOwnListener(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(testEnv(map[string]string{"GONGSHANG_LISTEN": "127.0.0.1:0", "GONGSHANG_METRICS_LISTEN": "127.0.0.1:0",
		"GONGSHANG_DATA_DIR": t.TempDir()}), nil) // serve writes its audit checkpoints there
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.OpenSQLite(t, storetest.NewClock())
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, s, slog.New(slog.DiscardHandler), pw, nil); pw.Close() }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	urls := regexp.MustCompile(`http://[0-9.:]+`)
	sc := bufio.NewScanner(pr)
	var main, metrics string
	for (main == "" || metrics == "") && sc.Scan() {
		switch line := sc.Text(); {
		case strings.Contains(line, "已启动"):
			main = urls.FindString(line)
		case strings.Contains(line, "运行指标"):
			metrics = urls.FindString(line)
		}
	}
	go io.Copy(io.Discard, pr)
	get := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(main + "/metrics"); code != http.StatusNotFound {
		t.Errorf("main listener /metrics: %d, want 404", code)
	}
	if code := get(metrics + "/metrics"); code != http.StatusOK {
		t.Errorf("metrics listener /metrics: %d, want 200", code)
	}
	if code := get(metrics + "/healthz"); code != http.StatusNotFound {
		t.Errorf("metrics listener serves only /metrics, /healthz: %d", code)
	}
}
