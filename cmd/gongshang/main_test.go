package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"

	_ "modernc.org/sqlite"
)

// testEnv is the environment a test run of the binary sees.
func testEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// startDemo runs `gongshang demo` on a free port in a temporary data folder
// and returns its URL once /healthz answers.
func startDemo(t *testing.T, dir string, args ...string) string {
	t.Helper()
	access.LowerHashCostForTests() // the demo's logins; a test binary only
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		all := append([]string{"demo", "--data", dir, "--listen", "127.0.0.1:0", "--scale", "0.02"}, args...)
		done <- run(ctx, all, testEnv(map[string]string{"GONGSHANG_LOG_LEVEL": "warn"}), nil, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 && strings.Contains(sc.Text(), "已启动") {
				urls <- strings.Fields(sc.Text()[i:])[0]
			}
		}
	}()
	select {
	case url := <-urls:
		waitHealthy(t, url)
		return url
	case err := <-done:
		t.Fatalf("demo exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("demo did not start within 60 s")
	}
	return ""
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s/healthz never answered", url)
}

func TestDemoStartsTwiceAndReusesData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url := startDemo(t, dir)
	if resp, err := http.Get(url + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	// A second process on the same folder reuses the data and the key.
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, []string{"audit", "verify", "--data", dir}, testEnv(nil), nil, &out, io.Discard)
	if err != nil || !strings.Contains(out.String(), "审计日志完整") {
		t.Fatalf("audit verify: %v %s", err, out.String())
	}
}

func TestAuditVerifyFindsEditedRow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	startDemo(t, dir)
	// The demo's job workers write too (River's leader election, the
	// session sweep): wait for the lock like every writer does.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "gongshang.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err = run(context.Background(), []string{"audit", "verify", "--data", dir}, testEnv(nil), nil, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "第2条") {
		t.Fatalf("tampered log: err %v, output %s", err, out.String())
	}
}

func TestCalcCommand(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	in := strings.NewReader(`{"kind":"deadline","step":"recognition_decision","start":"2025-06-09","simple":false,"region":"370800"}`)
	if err := run(context.Background(), []string{"calc"}, testEnv(nil), in, &out, &errOut); err != nil {
		t.Fatalf("calc: %v %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), `"due"`) {
		t.Fatalf("calc output: %s", out.String())
	}
	out.Reset()
	errOut.Reset()
	err := run(context.Background(), []string{"calc"}, testEnv(nil), strings.NewReader(`{"kind":"disability","level":11}`), &out, &errOut)
	if err != exitError(2) || !strings.Contains(errOut.String(), "level") && !strings.Contains(errOut.String(), "injury_date") {
		t.Fatalf("invalid calc input: err %v, stderr %s", err, errOut.String())
	}
}

func TestConfigMasksSecrets(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	env := testEnv(map[string]string{"GONGSHANG_DATABASE_URL": "postgres://app:s3cret@db.example:5432/gs", "GONGSHANG_DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
	if err := run(context.Background(), []string{"config"}, env, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "s3cret") || strings.Contains(out.String(), "AAAAAAAA") || !strings.Contains(out.String(), "GONGSHANG_LISTEN") {
		t.Fatalf("config output:\n%s", out.String())
	}
}

func TestServeNeedsDataKey(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"serve", "--data", t.TempDir()}, testEnv(nil), nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "GONGSHANG_DATA_KEY") {
		t.Fatalf("serve without a key: %v", err)
	}
}
