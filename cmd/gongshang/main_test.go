package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
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
	url, _ := startStoppableDemo(t, dir, args...)
	return url
}

// startStoppableDemo is startDemo that also returns a function stopping
// the demo and waiting for it to exit (as Ctrl+C would).
func startStoppableDemo(t *testing.T, dir string, args ...string) (string, func()) {
	t.Helper()
	access.LowerHashCostForTests() // the demo's logins; a test binary only
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		// The cases (their acts, and the letters their jobs print) are
		// left out unless a test asks for them with --cases.
		all := append([]string{"demo", "--data", dir, "--listen", "127.0.0.1:0", "--scale", "0.02", "--cases=false"}, args...)
		done <- run(ctx, all, testEnv(map[string]string{"GONGSHANG_LOG_LEVEL": "warn"}), nil, pw, io.Discard)
		pw.Close()
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
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
		return url, stop
	case err := <-done:
		t.Fatalf("demo exited: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("demo did not start within 60 s")
	}
	return "", stop
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
	url := startDemo(t, dir, "--cases")
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
	_, stop := startStoppableDemo(t, dir)
	stop() // seals every entry on the way out
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

// TestAuditVerifyCheckpoints: the demo writes a signed checkpoint when it
// stops; cutting the newest rows and putting the head back to the last row
// left fails verification, and with the head row's MAC also copied from
// an earlier state, --checkpoints still shows the cut.
func TestAuditVerifyCheckpoints(t *testing.T) {
	dir := t.TempDir()
	_, stop := startStoppableDemo(t, dir)
	stop()
	cps := filepath.Join(dir, "audit-checkpoints.jsonl")
	verify := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"audit", "verify", "--data", dir}, args...), testEnv(nil), nil, &out, io.Discard)
		return out.String(), err
	}
	if out, err := verify("--checkpoints", cps); err != nil || !strings.Contains(out, "个检查点相符") {
		t.Fatalf("intact log: %v %s", err, out)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "gongshang.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`DELETE FROM audit_log WHERE seq > 1`,
		`UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := verify(); err == nil || !strings.Contains(out, "链头签名无效") {
		t.Fatalf("tail cut, head reset: err %v, output %s", err, out)
	}
	if _, err := db.Exec(`DELETE FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_head SET seq = 0, hash = ?, mac = ''`, strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
	if out, err := verify("--checkpoints", cps); err == nil || !strings.Contains(out, "日志末尾被截断") {
		t.Fatalf("whole log deleted: err %v, output %s", err, out)
	}
	if err := os.WriteFile(cps, []byte(strings.Replace(mustRead(t, cps), `"seq":`, `"seq":1`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := verify("--checkpoints", cps); err == nil || !strings.Contains(out, "签名无效") {
		t.Fatalf("edited checkpoint: err %v, output %s", err, out)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
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

func TestServeNeedsAuditKey(t *testing.T) {
	env := testEnv(map[string]string{"GONGSHANG_DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="})
	err := run(context.Background(), []string{"serve", "--data", t.TempDir()}, env, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "GONGSHANG_AUDIT_KEY") {
		t.Fatalf("serve without an audit key: %v", err)
	}
}
