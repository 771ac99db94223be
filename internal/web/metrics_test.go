package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongshang/internal/storetest"
)

func metricsGet(t *testing.T, h http.Handler, auth string) (int, http.Header, string) {
	t.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	req, _ := http.NewRequest("GET", ts.URL+"/metrics", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// /metrics is shown only as configured: refused by default, behind a
// bearer token, or on its own listener only.
func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t, storetest.NewClock())
	const token = "metrics-token-0123456789"
	mount := func(opt Options) *Server {
		opt.Store = s
		srv, err := Mount(opt)
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}

	if code, _, body := metricsGet(t, mount(Options{}), ""); code != http.StatusForbidden || !strings.Contains(body, "GONGSHANG_METRICS_TOKEN") {
		t.Errorf("unconfigured: %d %s, want 403 naming the settings", code, body)
	}

	withToken := mount(Options{MetricsToken: token})
	for _, auth := range []string{"", "Bearer wrong", token, "Basic " + token} {
		code, h, _ := metricsGet(t, withToken, auth)
		if code != http.StatusUnauthorized || !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("token set, Authorization %q: %d, want 401 with a Bearer challenge", auth, code)
		}
	}
	if code, _, body := metricsGet(t, withToken, "Bearer "+token); code != http.StatusOK || !strings.Contains(body, "gongshang_http_requests_total") {
		t.Errorf("right token: %d %s", code, body)
	}

	separate := mount(Options{MetricsSeparate: true})
	if code, _, _ := metricsGet(t, separate, ""); code != http.StatusNotFound {
		t.Errorf("own listener configured, main handler: %d, want 404", code)
	}
	if code, _, body := metricsGet(t, separate.MetricsHandler(), ""); code != http.StatusOK || !strings.Contains(body, `route="GET /metrics",status="404"`) {
		t.Errorf("own listener: %d %s, want 200 counting the main handler's 404", code, body)
	}

	both := mount(Options{MetricsSeparate: true, MetricsToken: token})
	if code, _, _ := metricsGet(t, both.MetricsHandler(), ""); code != http.StatusUnauthorized {
		t.Errorf("own listener with a token, no token sent: %d, want 401", code)
	}
	if code, _, _ := metricsGet(t, both.MetricsHandler(), "Bearer "+token); code != http.StatusOK {
		t.Errorf("own listener with the token: %d, want 200", code)
	}
}
