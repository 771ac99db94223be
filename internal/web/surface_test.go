package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/storetest"
)

// headerAuth is a signature-style authenticator: the caller is named by
// a header, and a change must carry a second one.
type headerAuth struct{}

func (headerAuth) Identify(r *http.Request, rq *Request) error {
	if r.Header.Get("X-Caller") == "hospital" {
		rq.P, rq.Signed = access.Principal{Username: "hospital", Kind: access.KindInstitution, InstitutionID: 1, RegionCode: "370800"}, true
	}
	return nil
}

func (headerAuth) CheckChange(r *http.Request, rq *Request) error {
	if r.Header.Get("X-Signature") != "ok" {
		return errs.E(errs.Forbidden, "签名无效")
	}
	return nil
}

// envelope answers every error with HTTP 200 and a code in the body, as
// the hospital interface will.
func envelope(w http.ResponseWriter, r *http.Request, rq *Request, err error) {
	status, e := Public(nil, r, rq, err)
	WriteJSON(w, http.StatusOK, map[string]any{"infcode": status, "err_msg": e.Error()})
}

// A surface brings its own authenticator, body limit and error writer to
// the shared pipeline, next to another with different ones.
func TestSurfaceBringsItsOwnAuthLimitAndErrors(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock())
	echo := func(w http.ResponseWriter, r *http.Request, rq *Request) error {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		WriteJSON(w, http.StatusOK, map[string]any{"caller": rq.P.Username, "bytes": len(b)})
		return nil
	}
	his := &Surface{Name: "envelopes", Auth: headerAuth{}, MaxBodyBytes: 16, Fail: envelope, Routes: []Route{
		{Pattern: "POST /his/call", Perm: access.PermSignedIn, H: echo},
	}}
	plain := &Surface{Name: "plain", MaxBodyBytes: 1 << 10, Fail: func(w http.ResponseWriter, r *http.Request, rq *Request, err error) {
		status, e := Public(nil, r, rq, err)
		http.Error(w, e.Error(), status)
	}, Routes: []Route{{Pattern: "POST /plain", H: echo}, {Pattern: "POST /plain/signed", Perm: access.PermSignedIn, H: echo}}}
	if _, err := Mount(Options{Store: s}, plain, plain); err == nil {
		t.Error("two surfaces claiming one pattern must stop start-up")
	}
	srv, err := Mount(Options{Store: s}, his, plain)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	call := func(path, body string, hdr ...string) (int, string) {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	envelopeCode := func(body string) float64 {
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatalf("not an envelope: %s", body)
		}
		code, _ := m["infcode"].(float64)
		return code
	}
	for _, tt := range []struct {
		name, body string
		hdr        []string
		infcode    float64
	}{
		{"anonymous", "{}", nil, 401},
		{"unsigned change", "{}", []string{"X-Caller", "hospital"}, 403},
		{"over the surface's limit", strings.Repeat("x", 17), []string{"X-Caller", "hospital", "X-Signature", "ok"}, 413},
		{"signed", "{}", []string{"X-Caller", "hospital", "X-Signature", "ok"}, 0},
	} {
		code, body := call("/his/call", tt.body, tt.hdr...)
		if code != http.StatusOK || envelopeCode(body) != tt.infcode {
			t.Errorf("%s: %d %s, want HTTP 200 with infcode %v", tt.name, code, body, tt.infcode)
		}
	}
	if code, body := call("/plain", strings.Repeat("x", 17)); code != 200 || !strings.Contains(body, `"bytes":17`) {
		t.Errorf("the other surface keeps its own limit: %d %s", code, body)
	}
	if code, body := call("/plain/signed", "{}", "X-Caller", "hospital"); code != http.StatusUnauthorized || strings.Contains(body, "infcode") {
		t.Errorf("the other surface has no authenticator and its own errors: %d %s", code, body)
	}
}
