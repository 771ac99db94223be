package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

const testPassword = "test-password-1"

// env is a running server on a real store with two counties' data: 任城区
// (370811, "home") and 曲阜市 (370881, "other"), and one user per role in
// the city and in 曲阜.
type env struct {
	t      *testing.T
	s      *store.Store
	srv    *Server
	ts     *httptest.Server
	clock  *storetest.Clock
	home   registry.Employer // in 370811
	other  registry.Employer // in 370881
	worker registry.Worker   // employed by home
	users  map[string]access.User
}

func newEnv(t *testing.T, open storetest.Opener) *env {
	t.Helper()
	e := &env{t: t, clock: storetest.NewClock(), users: map[string]access.User{}}
	e.s = open(t, e.clock)
	e.home = storetest.MustEmployer(t, e.s, "370811")
	e.other = storetest.MustEmployer(t, e.s, "370881")
	e.worker = storetest.MustWorker(t, e.s, e.home, "孙明")
	storetest.MustWorker(t, e.s, e.other, "周婷")
	for _, region := range []string{"370800", "370881"} {
		for _, role := range access.Roles {
			name := string(role) + "-" + region
			u, err := e.s.CreateUser(context.Background(), access.System, access.NewUser{Username: name, DisplayName: "测试" + role.Name(), Role: role, RegionCode: region, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			e.users[name] = u
		}
	}
	srv, err := New(Options{Store: e.s, SessionTTL: time.Hour, Lock: access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}, MaxBodyBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	return e
}

// client is a signed-in API or browser-like caller.
type client struct {
	t    *testing.T
	base string
	http *http.Client
	csrf string
}

func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.ts.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs a user in through the API.
func (e *env) login(username string) *client {
	e.t.Helper()
	c := e.anon()
	var out sessionBody
	if code := c.json("POST", "/api/v1/session", loginRequest{Username: username, Password: testPassword}, &out); code != http.StatusCreated {
		e.t.Fatalf("login %s: status %d", username, code)
	}
	c.csrf = out.CSRFToken
	return c
}

// do sends a request with the CSRF header set.
func (c *client) do(method, path, contentType string, body io.Reader) *http.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.csrf != "" {
		req.Header.Set(csrfHeader, c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

// json sends in as JSON (nil for no body) and decodes the answer into out.
func (c *client) json(method, path string, in, out any) int {
	c.t.Helper()
	var body io.Reader
	ct := ""
	if in != nil {
		b, _ := json.Marshal(in)
		body, ct = bytes.NewReader(b), "application/json"
	}
	resp := c.do(method, path, ct, body)
	defer resp.Body.Close()
	if out != nil {
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

// raw sends a literal body.
func (c *client) raw(method, path, contentType, body string) (int, string) {
	c.t.Helper()
	resp := c.do(method, path, contentType, strings.NewReader(body))
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
