package config

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadDefaultsAndErrors(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil || c.Listen != "127.0.0.1:8080" || c.LockFailures != 5 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	_, err = Load(env(map[string]string{"GONGSHANG_LOCK_FAILURES": "x", "GONGSHANG_DATA_KEY": "short"}), nil)
	if err == nil || !strings.Contains(err.Error(), "GONGSHANG_LOCK_FAILURES") || !strings.Contains(err.Error(), "GONGSHANG_DATA_KEY") {
		t.Fatalf("want both errors named, got %v", err)
	}
	if !c.Workers || c.SessionSweep.Hours() != 1 {
		t.Fatalf("workers on and an hourly sweep by default: %+v", c)
	}
	if c, err = Load(env(map[string]string{"GONGSHANG_WORKERS": "off"}), nil); err != nil || c.Workers {
		t.Fatalf("GONGSHANG_WORKERS=off: %+v %v", c.Workers, err)
	}
	if _, err = Load(env(map[string]string{"GONGSHANG_WORKERS": "maybe"}), nil); err == nil || !strings.Contains(err.Error(), "GONGSHANG_WORKERS") {
		t.Fatalf("GONGSHANG_WORKERS=maybe: %v", err)
	}
	c, _ = Load(env(map[string]string{"GONGSHANG_LISTEN": "0.0.0.0:1"}), map[string]string{"GONGSHANG_LISTEN": "127.0.0.1:9"})
	if c.Listen != "127.0.0.1:9" {
		t.Fatalf("flag must override env: %s", c.Listen)
	}
}

func TestPrintMasksSecrets(t *testing.T) {
	var b bytes.Buffer
	Print(&b, env(map[string]string{
		"GONGSHANG_DATABASE_URL": "postgres://app:hunter2@db:5432/gs",
		"GONGSHANG_DATA_KEY":     "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=",
	}), nil)
	out := b.String()
	if strings.Contains(out, "hunter2") || strings.Contains(out, "c2VjcmV0") {
		t.Fatalf("secret printed:\n%s", out)
	}
	if !strings.Contains(out, "postgres://****@db:5432/gs") {
		t.Fatalf("URL host should stay readable:\n%s", out)
	}
}

func TestMetricsSettings(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil || c.MetricsToken != "" || c.MetricsListen != "" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = Load(env(map[string]string{"GONGSHANG_METRICS_TOKEN": "abcdefghijklmnop-_09", "GONGSHANG_METRICS_LISTEN": "127.0.0.1:9100"}), nil)
	if err != nil || c.MetricsToken != "abcdefghijklmnop-_09" || c.MetricsListen != "127.0.0.1:9100" {
		t.Fatalf("set: %+v %v", c, err)
	}
	for k, v := range map[string]string{"GONGSHANG_METRICS_TOKEN": "short", "GONGSHANG_METRICS_LISTEN": "9100"} {
		if _, err := Load(env(map[string]string{k: v}), nil); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: want an error naming it, got %v", k, v, err)
		}
	}
	var b bytes.Buffer
	Print(&b, env(map[string]string{"GONGSHANG_METRICS_TOKEN": "abcdefghijklmnop-_09"}), nil)
	if strings.Contains(b.String(), "abcdefghijklmnop") {
		t.Fatalf("metrics token printed:\n%s", b.String())
	}
}

func TestAuditKey(t *testing.T) {
	if _, err := Load(env(map[string]string{"GONGSHANG_AUDIT_KEY": "c2hvcnQ="}), nil); err == nil || !strings.Contains(err.Error(), "GONGSHANG_AUDIT_KEY") {
		t.Fatalf("a 5-byte audit key must be refused by name: %v", err)
	}
	key := "YXVkaXRhdWRpdGF1ZGl0YXVkaXRhdWRpdGF1ZGl0MTI="
	c, err := Load(env(map[string]string{"GONGSHANG_AUDIT_KEY": key}), nil)
	if err != nil || c.AuditKey != key || c.AuditCheckpointEvery != time.Minute {
		t.Fatalf("audit settings: %q %s %v", c.AuditKey, c.AuditCheckpointEvery, err)
	}
	var b bytes.Buffer
	Print(&b, env(map[string]string{"GONGSHANG_AUDIT_KEY": key}), nil)
	if strings.Contains(b.String(), "YXVkaXRh") {
		t.Fatalf("audit key printed:\n%s", b.String())
	}
}
