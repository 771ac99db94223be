package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/param"
	"gongshang/internal/pii"
	"gongshang/internal/store"
)

// `gongshang calc` with a data folder uses the versions stored there, as
// the server does (before, it used the embedded law only).
func TestCalcUsesStoredParams(t *testing.T) {
	dir := t.TempDir()
	key := pii.NewKey()
	if err := os.WriteFile(filepath.Join(dir, "data.key"), []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	akey := audit.NewKey()
	if err := os.WriteFile(filepath.Join(dir, "audit.key"), []byte(akey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(t.Context(), filepath.Join(dir, "gongshang.db"), store.Options{DataKey: key, AuditKey: akey})
	if err != nil {
		t.Fatal(err)
	}
	v := param.Version{Table: "disability_lump_sum_months", Key: "7", Region: "370800", EffectiveFrom: time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC),
		Value: "20", Source: "PROJ", Confidence: "U", Note: "命令行测试"}
	if _, err := s.AddParamVersion(t.Context(), access.Principal{UserID: 1, Username: "admin", Kind: "staff", Role: access.RoleAdmin, RegionCode: "370800"}, v); err != nil {
		t.Fatal(err)
	}
	s.Close()
	req := `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"care":"none"}`
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"calc", "--data", dir}, testEnv(map[string]string{"GONGSHANG_LOG_LEVEL": "warn"}), strings.NewReader(req), &out, &errOut); err != nil {
		t.Fatalf("calc: %v %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), `"amount": "120000.00"`) || !strings.Contains(out.String(), "命令行测试") {
		t.Fatalf("calc did not use the stored 20 months:\n%.600s", out.String())
	}
}

// `gongshang worker` runs the jobs on its own and stops cleanly.
func TestWorkerCommand(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	env := testEnv(map[string]string{"GONGSHANG_LOG_LEVEL": "warn", "GONGSHANG_DATA_KEY": pii.NewKey(), "GONGSHANG_AUDIT_KEY": audit.NewKey()})
	go func() {
		done <- run(ctx, []string{"worker", "--data", dir}, env, nil, pw, io.Discard)
		pw.Close()
	}()
	started := make(chan struct{})
	go func() {
		b := make([]byte, 512)
		n, _ := pr.Read(b)
		if strings.Contains(string(b[:n]), "后台任务已启动") {
			close(started)
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("worker exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not start within 30 s")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker stop: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("worker did not stop within 30 s")
	}
}
