package storetest

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The fund supervision's conformance cases: an extract imported, replaced
// by a re-import, refused whole with every bad row listed, a scan saved
// and read back, and who may import and scan.

var supervisionSuite = []struct {
	name string
	fn   func(t *testing.T, s *store.Store, c *Clock)
}{
	{"SupervisionImport", testSupervisionImport},
	{"SupervisionReimport", testSupervisionReimport},
	{"SupervisionConcurrentImport", testSupervisionConcurrentImport},
	{"SupervisionBadExtract", testSupervisionBadExtract},
	{"SupervisionScanRoundTrip", testSupervisionScanRoundTrip},
	{"SupervisionPermissions", testSupervisionPermissions},
	{"SupervisionScanJob", testSupervisionScanJob},
	{"SupervisionLeadReview", testSupervisionLeadReview},
	{"SupervisionRuleSettings", testSupervisionRuleSettings},
	{"SupervisionRealtimeSwitchOff", testSupervisionRealtimeSwitchOff},
	{"SupervisionCampaignWalk", testSupervisionCampaignWalk},
	{"SupervisionCampaignConcurrent", testSupervisionCampaignConcurrent},
	{"SupervisionCampaignRecusal", testSupervisionCampaignRecusal},
	{"SupervisionReferral", testSupervisionReferral},
	{"SupervisionAuditLetters", testSupervisionAuditLetters},
	{"SupervisionVisitPack", testSupervisionVisitPack},
	{"SupervisionEvidence", testSupervisionEvidence},
	{"SupervisionCampaignClose", testSupervisionCampaignClose},
	{"SupervisionInspectorRetire", testSupervisionInspectorRetire},
	{"SupervisionOffsetClearing", testSupervisionOffsetClearing},
	{"SupervisionOffsetConcurrent", testSupervisionOffsetConcurrent},
	{"SupervisionDashboard", testSupervisionDashboard},
	{"SupervisionPoints", testSupervisionPoints},
	{"SupervisionRatingHistory", testSupervisionRatingHistory},
	{"SupervisionInstitutionFindings", testSupervisionInstitutionFindings},
}

//go:embed testdata/extract
var extractFS embed.FS

// Extract is a small hand-made settlement extract (testdata/extract): two
// institutions, three encounters, eleven fee lines, and a file that is not
// part of an extract. Each call returns fresh copies.
func Extract() map[string][]byte {
	files := map[string][]byte{}
	ents, _ := fs.ReadDir(extractFS, "testdata/extract")
	for _, e := range ents {
		b, _ := extractFS.ReadFile("testdata/extract/" + e.Name())
		files[e.Name()] = b
	}
	return files
}

func screener() access.Principal { return Actor(access.RoleAuditor, "370800") }

func mustImport(t *testing.T, s *store.Store, name string, files map[string][]byte) store.ExtractInfo {
	t.Helper()
	info, err := s.ImportExtract(ctx, screener(), name, files)
	if err != nil {
		t.Fatalf("ImportExtract: %v", err)
	}
	return info
}

func testSupervisionImport(t *testing.T, s *store.Store, c *Clock) {
	if _, err := s.LatestExtract(ctx); !errs.Is(err, errs.NotFound) {
		t.Fatalf("LatestExtract before any import: %v, want NotFound", err)
	}
	info := mustImport(t, s, "/data/2025", Extract())
	if info.Year != 2025 || info.Counts["lines"] != 11 || info.Counts["encounters"] != 3 || len(info.SHA256) != 64 ||
		!info.ImportedAt.Equal(c.T) || info.Region != "370800" {
		t.Fatalf("info %+v", info)
	}
	latest, err := s.LatestExtract(ctx)
	if err != nil || latest.ID != info.ID || latest.Counts["catalog"] != 8 || latest.Source != "/data/2025" {
		t.Fatalf("LatestExtract: %+v, %v", latest, err)
	}
	files, err := s.ExtractFiles(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := Extract()
	if _, kept := files["readme.txt"]; kept || len(files) != 10 || string(files["lines.csv"]) != string(want["lines.csv"]) {
		t.Fatalf("stored files: %d, readme kept %v", len(files), kept)
	}
	x, err := s.LoadExtract(ctx, info.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 11 || x.Items[0].Code != "001101000010000" || len(x.Encounters[1].Lines) != 6 {
		t.Fatalf("loaded extract: %d lines, first item %q", len(x.Lines), x.Items[0].Code)
	}
	if _, err := s.LoadExtract(ctx, info.ID+100); !errs.Is(err, errs.NotFound) {
		t.Fatalf("LoadExtract of no extract: %v", err)
	}
	auditHas(t, s, "supervision.extract.import", 1)
}

func testSupervisionReimport(t *testing.T, s *store.Store, c *Clock) {
	first := mustImport(t, s, "/data/2025", Extract())
	other := mustImport(t, s, "/data/other", Extract())
	if _, err := s.SaveScan(ctx, screener(), first.ID, sampleFindings(), nil); err != nil {
		t.Fatal(err)
	}
	files := Extract()
	delete(files, "attendance.csv")
	second := mustImport(t, s, "/data/2025", files)
	if second.ID == first.ID || second.Counts["attendance"] != 0 || second.SHA256 == first.SHA256 {
		t.Fatalf("re-import %+v after %+v", second, first)
	}
	if _, err := s.FindExtract(ctx, first.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the replaced extract: %v, want NotFound", err)
	}
	if _, err := s.LatestScan(ctx, first.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the replaced extract's scan: %v, want NotFound", err)
	}
	if _, err := s.FindExtract(ctx, other.ID); err != nil {
		t.Fatalf("an extract of another name went with it: %v", err)
	}
	x, err := s.LoadExtract(ctx, second.ID)
	if err != nil || len(x.Attendance) != 0 {
		t.Fatalf("re-imported extract: %v", err)
	}
	auditHas(t, s, "supervision.extract.import", 3)
}

// Two people import an extract of the same name at once: each import
// either lands (the later replacing the earlier) or is refused as a
// conflict, never an internal error, and one extract of the name remains.
func testSupervisionConcurrentImport(t *testing.T, s *store.Store, c *Clock) {
	const n = 4
	errc := make(chan error, n)
	for range n {
		go func() {
			_, err := s.ImportExtract(ctx, screener(), "/data/2025", Extract())
			errc <- err
		}()
	}
	landed := 0
	for range n {
		switch err := <-errc; {
		case err == nil:
			landed++
		case errs.Is(err, errs.Conflict):
		default:
			t.Errorf("concurrent import: %v, want success or a conflict", err)
		}
	}
	if landed == 0 {
		t.Fatal("no concurrent import landed")
	}
	list, err := s.Extracts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, x := range list {
		if x.Name == "/data/2025" {
			named++
		}
	}
	if named != 1 {
		t.Fatalf("%d extracts named /data/2025 after concurrent imports, want 1", named)
	}
}

func testSupervisionBadExtract(t *testing.T, s *store.Store, c *Clock) {
	files := Extract()
	replace := func(file, old, new string) {
		if !strings.Contains(string(files[file]), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		files[file] = []byte(strings.Replace(string(files[file]), old, new, 1))
	}
	replace("institutions.csv", ",rehab,2,", ",rehab,4,")
	replace("catalog.csv", "2020-01-01,2025-06-30", "2020-01-01,2025-06-31")
	replace("lines.csv", "L0000000002,MZ2025000001", "L0000000001,MZ2025000001")
	replace("lines.csv", "2,40.00,80.00", "2,40.00,81.00")
	_, err := s.ImportExtract(ctx, screener(), "/data/bad", files)
	var ee *supervision.ExtractError
	if !errors.As(err, &ee) {
		t.Fatalf("got %v, want an *ExtractError", err)
	}
	var got []string
	for _, p := range ee.Problems {
		got = append(got, fmt.Sprintf("%s %d %s", p.File, p.Row, p.Field))
	}
	want := []string{"institutions.csv 3 level", "catalog.csv 2 valid_to", "lines.csv 3 feedetl_sn"}
	if strings.Join(got, "|") != strings.Join(want, "|") || ee.Total != len(want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
	if _, err := s.LatestExtract(ctx); !errs.Is(err, errs.NotFound) {
		t.Fatalf("a refused extract was written: %v", err)
	}
	auditHas(t, s, "supervision.extract.import", 0)
}

// sampleFindings cover what a finding may carry: several lines or none,
// evidence, parameters, amounts and scores that JSON must keep exactly.
func sampleFindings() []supervision.Finding {
	return []supervision.Finding{
		{RuleID: "CF-PRICE", RuleVersion: 2, Category: supervision.CatalogueFee, Severity: supervision.Definite,
			MdtrtID: "MZ2025000001", Lines: []string{"L0000000002"}, Institution: "H37080200001", Fen: 10000, Score: 1,
			Reason: "3.0T磁共振按二级价格700.00元收费，超过限价", Evidence: []string{"目录限价：600.00元（三级）"},
			Params: map[string]string{"level": "3"}},
		{RuleID: "PS-ATTEND", RuleVersion: 1, Category: supervision.PhantomStay, Severity: supervision.Suspicious,
			MdtrtID: "ZY2025000002", Lines: []string{"L0000000005", "L0000000006"}, Institution: "H37080200001", Fen: 8000,
			Score: 0.6180339887498949, Reason: "住院期间有考勤记录"},
		{RuleID: "OT-SPLIT", RuleVersion: 1, Category: supervision.OverTreatment, Severity: supervision.Suspicious,
			MdtrtID: "KF2025000003", Institution: "H37088100002", Fen: 1, Score: 0.1, Reason: "整次就诊"},
	}
}

func testSupervisionScanRoundTrip(t *testing.T, s *store.Store, c *Clock) {
	info := mustImport(t, s, "/data/2025", Extract())
	fs := sampleFindings()
	ranking := []supervision.Rank{
		{Institution: "H37080200001", Score: 0.87, Name: "济宁市第一人民医院", Definite: 1, Suspicious: 1, Fen: 18000, Settled: 93760, Reasons: []string{"超限价"}},
		{Institution: "H37088100002", Score: 0.1, Suspicious: 1, Fen: 1, Settled: 16000},
	}
	scan, err := s.SaveScan(ctx, screener(), info.ID, fs, ranking)
	if err != nil {
		t.Fatal(err)
	}
	if scan.Findings != 3 || scan.Fen != 18001 || scan.Lines != 11 || scan.State != "done" {
		t.Fatalf("scan %+v", scan)
	}
	got, err := s.ScanFindings(ctx, scan.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fs)
	b, _ := json.Marshal(got)
	if string(a) != string(b) {
		t.Fatalf("findings read back\n%s\nwant\n%s", b, a)
	}
	rank, err := s.ScanRanking(ctx, scan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", rank) != fmt.Sprintf("%+v", ranking) {
		t.Fatalf("ranking %+v, want %+v", rank, ranking)
	}
	latest, err := s.LatestScan(ctx, info.ID)
	if err != nil || latest.ID != scan.ID {
		t.Fatalf("LatestScan: %+v, %v", latest, err)
	}
	empty, err := s.SaveScan(ctx, screener(), info.ID, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	none, err := s.ScanFindings(ctx, empty.ID)
	if b, _ := json.Marshal(none); err != nil || string(b) != "[]" {
		t.Fatalf("findings of a clean scan: %s, %v", b, err)
	}
	if latest, _ := s.LatestScan(ctx, info.ID); latest.ID != empty.ID {
		t.Fatalf("LatestScan after a second scan: %d, want %d", latest.ID, empty.ID)
	}
	auditHas(t, s, "supervision.scan", 2)
}

func testSupervisionPermissions(t *testing.T, s *store.Store, c *Clock) {
	insurer := Actor(access.RoleInsurer, "370800")
	info, err := s.ImportExtract(ctx, insurer, "/data/insurer", Extract())
	if err != nil {
		t.Fatalf("insurer import: %v", err)
	}
	if _, err := s.SaveScan(ctx, insurer, info.ID, sampleFindings(), nil); err != nil {
		t.Fatalf("insurer scan: %v", err)
	}
	for _, role := range []access.Role{access.RoleClerk, access.RoleAdmin} {
		p := Actor(role, "370800")
		if _, err := s.ImportExtract(ctx, p, "/data/"+string(role), Extract()); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s import: %v, want Forbidden", role, err)
		}
		if _, err := s.SaveScan(ctx, p, info.ID, sampleFindings(), nil); !errs.Is(err, errs.Forbidden) {
			t.Errorf("%s scan: %v, want Forbidden", role, err)
		}
	}
	latest, err := s.LatestExtract(ctx)
	if err != nil || latest.ID != info.ID {
		t.Fatalf("a refused import was written: %+v, %v", latest, err)
	}
	if scan, _ := s.LatestScan(ctx, info.ID); scan.Findings != 3 {
		t.Fatalf("a refused scan was written: %+v", scan)
	}
}

// auditHas checks the number of audit entries of an action (sealed or
// not yet).
func auditHas(t *testing.T, s *store.Store, action string, want int) {
	t.Helper()
	var n int
	err := s.DB().QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_pending WHERE action = $1) +
		(SELECT COUNT(*) FROM audit_log WHERE action = $1)`, action).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%d audit entries %s, want %d", n, action, want)
	}
}
