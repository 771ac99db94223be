// Package webtest runs HTTP surfaces on a real store for tests: two
// counties' data, one user per role in the city and in 曲阜, and clients
// that are signed in once per user.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// Password is every test user's password.
const Password = "test-password-1"

// Staff are the session settings of the test servers.
var Staff = web.StaffSessions{SessionTTL: time.Hour, Lock: access.LockPolicy{MaxFailures: 5, LockFor: time.Minute}}

// Env is a running server on a real store with two counties' data: 任城区
// (370811, Home) and 曲阜市 (370881, Other), and one user per role in the
// city and in 曲阜, named "<role>-370800" and "<role>-370881".
type Env struct {
	T      *testing.T
	S      *store.Store
	Srv    *web.Server
	TS     *httptest.Server
	Clock  *storetest.Clock
	Home   registry.Employer // in 370811
	Other  registry.Employer // in 370881
	Worker registry.Worker   // employed by Home
	Users  map[string]access.User

	mu       sync.Mutex
	sessions map[string]session
}

type session struct{ token, csrf string }

// Mounter builds the server under test on the store.
type Mounter func(s *store.Store) (*web.Server, error)

// New starts the server mount builds. Password hashing is made cheap for
// the whole test binary (access.LowerHashCostForTests).
func New(t *testing.T, open storetest.Opener, mount Mounter) *Env {
	t.Helper()
	access.LowerHashCostForTests()
	e := &Env{T: t, Clock: storetest.NewClock(), Users: map[string]access.User{}, sessions: map[string]session{}}
	e.S = open(t, e.Clock)
	e.Home = storetest.MustEmployer(t, e.S, "370811")
	e.Other = storetest.MustEmployer(t, e.S, "370881")
	e.Worker = storetest.MustWorker(t, e.S, e.Home, "孙明")
	storetest.MustWorker(t, e.S, e.Other, "周婷")
	for _, region := range []string{"370800", "370881"} {
		for _, role := range access.Roles {
			name := string(role) + "-" + region
			u, err := e.S.CreateUser(context.Background(), access.System, access.NewUser{Username: name, DisplayName: "测试" + role.Name(), Role: role, RegionCode: region, Password: Password})
			if err != nil {
				t.Fatal(err)
			}
			e.Users[name] = u
		}
	}
	srv, err := mount(e.S)
	if err != nil {
		t.Fatal(err)
	}
	e.Srv = srv
	e.TS = httptest.NewServer(srv)
	t.Cleanup(e.TS.Close)
	return e
}

// Client is a signed-in API or browser-like caller.
type Client struct {
	T    *testing.T
	Base string
	HTTP *http.Client
	CSRF string
}

// Anon is a caller without a session.
func (e *Env) Anon() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: e.T, Base: e.TS.URL, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login is a caller signed in as username. The session is opened once per
// user and Env (in the store, as the login handlers do) and shared by
// every client of that user until a request ends it; tests of the login
// itself use the handlers.
func (e *Env) Login(username string) *Client {
	e.T.Helper()
	e.mu.Lock()
	sess, ok := e.sessions[username]
	if ok {
		if _, err := e.S.FindSession(context.Background(), sess.token); err != nil {
			ok = false // ended by a logout
		}
	}
	if !ok {
		token, s, err := e.S.Login(context.Background(), username, Password, Staff.Lock, Staff.SessionTTL)
		if err != nil {
			e.mu.Unlock()
			e.T.Fatalf("login %s: %v", username, err)
		}
		sess = session{token: token, csrf: s.CSRFToken}
		e.sessions[username] = sess
	}
	e.mu.Unlock()
	c := e.Anon()
	u, _ := url.Parse(e.TS.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: sess.token, Path: "/"}})
	c.CSRF = sess.csrf
	return c
}

// Do sends a request with the CSRF header set.
func (c *Client) Do(method, path, contentType string, body io.Reader) *http.Response {
	c.T.Helper()
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		c.T.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.CSRF != "" {
		req.Header.Set(web.CSRFHeader, c.CSRF)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatal(err)
	}
	return resp
}

// JSON sends in as JSON (nil for no body) and decodes the answer into out.
func (c *Client) JSON(method, path string, in, out any) int {
	c.T.Helper()
	var body io.Reader
	ct := ""
	if in != nil {
		b, _ := json.Marshal(in)
		body, ct = bytes.NewReader(b), "application/json"
	}
	resp := c.Do(method, path, ct, body)
	defer resp.Body.Close()
	if out != nil {
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, out); err != nil {
			c.T.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, b, err)
		}
	}
	return resp.StatusCode
}

// Raw sends a literal body.
func (c *Client) Raw(method, path, contentType, body string) (int, string) {
	c.T.Helper()
	resp := c.Do(method, path, contentType, strings.NewReader(body))
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// HasHan reports whether s holds a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
