package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// TestLoginParallelOverHTTP: 40 simultaneous API logins with wrong
// passwords lock the account after at most five checks; then the right
// password does not get in until the lock expires; and every refusal
// answers like an unknown user's, on both engines.
func TestLoginParallelOverHTTP(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		// All come from 127.0.0.1; the address throttle is tested below.
		e := newEnvWith(t, open, map[string]string{"GONGSHANG_LOGIN_PER_ADDRESS": "1000", "GONGSHANG_LOCK_FOR": "1m"})
		const user = "clerk-370881"
		type answer struct {
			status int
			body   string
		}
		try := func(username, pw string) answer {
			var out apiError
			code := e.Anon().JSON("POST", "/api/v1/session", loginRequest{Username: username, Password: pw}, &out)
			return answer{code, out.Error.Code + "/" + out.Error.Message}
		}
		unknown := try("nobody-370881", "Wrong-pass-1")
		if unknown.status != http.StatusUnauthorized {
			t.Fatalf("unknown user: %+v", unknown)
		}
		var wg sync.WaitGroup
		answers := make([]answer, 40)
		for i := range answers {
			wg.Add(1)
			go func() { defer wg.Done(); answers[i] = try(user, fmt.Sprintf("Wrong-pass-%02d", i)) }()
		}
		wg.Wait()
		for i, a := range answers {
			if a != unknown {
				t.Fatalf("parallel attempt %d: %+v, unknown user gets %+v", i, a, unknown)
			}
		}
		for i := range answers {
			wg.Add(1)
			go func() { defer wg.Done(); answers[i] = try(user, webtest.Password) }()
		}
		wg.Wait()
		for i, a := range answers {
			if a.status == http.StatusCreated {
				t.Fatalf("parallel right password %d got in on a locked account", i)
			}
		}
		if a := try(user, "Wrong-pass-99"); a != unknown {
			t.Fatalf("locked account, wrong password: %+v, want %+v", a, unknown)
		}
		if a := try(user, webtest.Password); a.status != http.StatusLocked {
			t.Fatalf("locked account, right password: %+v, want 423", a)
		}
		e.Clock.T = e.Clock.T.Add(2 * 60e9) // the env locks for a minute
		if a := try(user, webtest.Password); a.status != http.StatusCreated {
			t.Fatalf("after the lock: %+v", a)
		}
	})
}

// TestLoginFormAnswersAlike: the back-office form says the same for an
// unknown user and for an existing account past its lock.
func TestLoginFormAnswersAlike(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	post := func(username, pw string) (int, string) {
		c := e.Anon()
		resp := c.Do("GET", "/login", "", nil)
		resp.Body.Close()
		var token string
		for _, ck := range resp.Cookies() {
			if ck.Name == "gs_login_csrf" {
				token = ck.Value
			}
		}
		form := url.Values{"username": {username}, "password": {pw}, web.CSRFField: {token}}
		code, body := c.Raw("POST", "/login", "application/x-www-form-urlencoded", form.Encode())
		i := strings.Index(body, `id="login-error"`)
		if i < 0 {
			return code, body
		}
		return code, body[i:min(len(body), i+120)]
	}
	wantCode, want := post("nobody-370800", "Wrong-pass-1")
	for i := range 7 {
		if code, got := post("auditor-370800", "Wrong-pass-1"); code != wantCode || got != want {
			t.Fatalf("attempt %d on an existing account: %d %q, unknown user: %d %q", i+1, code, got, wantCode, want)
		}
	}
}

// TestLoginSourceThrottleOverHTTP: one address spraying passwords over
// many usernames is stopped, whichever account it tries next.
func TestLoginSourceThrottleOverHTTP(t *testing.T) {
	const limit = 12
	e := newEnvWith(t, storetest.OpenSQLite, map[string]string{"GONGSHANG_LOGIN_PER_ADDRESS": "12"})
	for i := range limit {
		if code := e.Anon().JSON("POST", "/api/v1/session", loginRequest{Username: fmt.Sprintf("user%03d", i), Password: "Spring-2026!"}, nil); code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	var out apiError
	if code := e.Anon().JSON("POST", "/api/v1/session", loginRequest{Username: "clerk-370800", Password: webtest.Password}, &out); code != http.StatusLocked || !strings.Contains(out.Error.Message, "该地址") {
		t.Fatalf("attempt %d from one address: %d %+v, want 423", limit+1, code, out)
	}
}
