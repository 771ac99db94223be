package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/pii"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// writeExtract writes the conformance suite's small extract into a folder.
func writeExtract(t *testing.T, dir string, edit func(files map[string][]byte)) {
	t.Helper()
	files := storetest.Extract()
	if edit != nil {
		edit(files)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// auditCmd runs `gongshang audit …` on a data folder and returns its
// stdout and stderr.
func auditCmd(t *testing.T, data string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append(append([]string{"audit"}, args...), "--data", data), testEnv(nil), nil, &out, &errOut)
	return out.String(), errOut.String(), err
}

// import → scan → rank on the embedded SQLite of a fresh data folder:
// stdout is JSON only, progress is on stderr.
func TestAuditImportScanRank(t *testing.T) {
	t.Parallel()
	data, folder := t.TempDir(), filepath.Join(t.TempDir(), "extract-2025")
	writeExtract(t, folder, nil)

	out, errOut, err := auditCmd(t, data, "import", folder)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	var info struct {
		ID     int64          `json:"id"`
		Name   string         `json:"name"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil || info.Name != folder || info.Counts["lines"] != 11 {
		t.Fatalf("import stdout %q: %v", out, err)
	}
	if !strings.Contains(errOut, "已导入结算数据") {
		t.Errorf("import stderr %q", errOut)
	}

	// rank before any scan scans first.
	out, errOut, err = auditCmd(t, data, "rank", "--json")
	if err != nil {
		t.Fatalf("rank: %v\n%s", err, errOut)
	}
	var rank []map[string]any
	if err := json.Unmarshal([]byte(out), &rank); err != nil || !strings.HasPrefix(out, "[") {
		t.Fatalf("rank stdout %q: %v", out, err)
	}
	if !strings.Contains(errOut, "先筛查") || !strings.Contains(errOut, "筛查1完成") {
		t.Errorf("rank stderr %q", errOut)
	}

	out, errOut, err = auditCmd(t, data, "scan", "--json")
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut)
	}
	var findings []map[string]any
	if err := json.Unmarshal([]byte(out), &findings); err != nil || !strings.HasPrefix(out, "[") {
		t.Fatalf("scan stdout %q: %v", out, err)
	}
	if !strings.Contains(errOut, "筛查3个就诊、11条费用明细") || !strings.Contains(errOut, "筛查2完成") {
		t.Errorf("scan stderr %q", errOut)
	}

	// A re-import of the same folder (named another way) replaces it.
	if err := os.Remove(filepath.Join(folder, "attendance.csv")); err != nil {
		t.Fatal(err)
	}
	out, errOut, err = auditCmd(t, data, "import", folder+"/./")
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, errOut)
	}
	var again struct {
		ID     int64          `json:"id"`
		Name   string         `json:"name"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal([]byte(out), &again); err != nil || again.Name != folder || again.ID == info.ID || again.Counts["attendance"] != 0 {
		t.Fatalf("re-import stdout %q: %v", out, err)
	}
	if out, _, err := auditCmd(t, data, "scan", "--json", "--extract", "1"); err == nil {
		t.Fatalf("scan of the replaced extract succeeded: %s", out)
	}
}

// A refused extract lists every bad row on stderr, prints nothing on
// stdout and exits non-zero.
func TestAuditImportRefused(t *testing.T) {
	t.Parallel()
	data, folder := t.TempDir(), t.TempDir()
	writeExtract(t, folder, func(f map[string][]byte) {
		f["lines.csv"] = bytes.Replace(f["lines.csv"], []byte("2,40.00,80.00"), []byte("two,40.00,80.00"), 1)
		f["doctors.csv"] = bytes.Replace(f["doctors.csv"], []byte(",doctor,"), []byte(",surgeon,"), 1)
	})
	out, errOut, err := auditCmd(t, data, "import", folder)
	if err == nil || out != "" {
		t.Fatalf("import of a bad extract: %v, stdout %q", err, out)
	}
	for _, want := range []string{"结算数据有2处错误", "doctors.csv 第2行 role", "lines.csv 第11行 cnt"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if out, _, err := auditCmd(t, data, "scan", "--json"); err == nil || out != "" {
		t.Fatalf("scan with no extract: %v, stdout %q", err, out)
	}
}

// The command line files an extract under the region that holds its
// institutions (or --region), so the city's auditors see it and its
// scans, and a scan applies that region's rule settings.
func TestAuditRegionAndRuleSettings(t *testing.T) {
	t.Parallel()
	data, folder := t.TempDir(), filepath.Join(t.TempDir(), "extract-2025")
	writeExtract(t, folder, nil)
	dataKey, auditKey := pii.NewKey(), audit.NewKey()
	for name, key := range map[string]string{"data.key": dataKey, "audit.key": auditKey} {
		if err := os.WriteFile(filepath.Join(data, name), []byte(key+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out, errOut, err := auditCmd(t, data, "import", folder, "--region", "379999"); err == nil || out != "" || !strings.Contains(errOut, "379999") {
		t.Fatalf("import with an unknown region: %v, stdout %q, stderr %q", err, out, errOut)
	}
	out, errOut, err := auditCmd(t, data, "import", folder)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, `"region":"370800"`) {
		t.Fatalf("an extract of Jining's institutions filed under %s", out)
	}

	s, err := store.Open(t.Context(), filepath.Join(data, "gongshang.db"), store.Options{DataKey: dataKey, AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	admin := access.Principal{UserID: 1, Username: "admin", Kind: access.KindStaff, Role: access.RoleAdmin, RegionCode: "370800"}
	if _, err := s.SetRuleSetting(t.Context(), admin, store.RuleSetting{RuleID: "GS-H03", Region: "370800", ValidFrom: "2020-01-01"}, 0); err != nil {
		t.Fatal(err)
	}
	s.Close()

	out, errOut, err = auditCmd(t, data, "scan", "--json")
	if err != nil {
		t.Fatalf("scan: %v\n%s", err, errOut)
	}
	var findings []struct {
		Rule string `json:"rule_id"`
	}
	if err := json.Unmarshal([]byte(out), &findings); err != nil || len(findings) == 0 {
		t.Fatalf("scan stdout %q: %v", out, err)
	}
	for _, f := range findings {
		if f.Rule == "GS-H03" {
			t.Fatalf("the scan reported %s, switched off for 370800", f.Rule)
		}
	}

	s, err = store.Open(t.Context(), filepath.Join(data, "gongshang.db"), store.Options{DataKey: dataKey, AuditKey: auditKey})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	scans, err := s.Scans(t.Context(), access.ScopeOf("370800"), 5)
	if err != nil || len(scans) != 1 {
		t.Fatalf("the city's auditors see %d scans (%v), want the command line's one", len(scans), err)
	}
	if scans, _ := s.Scans(t.Context(), access.ScopeOf("370811"), 5); len(scans) != 0 {
		t.Fatalf("a county sees the city's scan: %v", scans)
	}
}
