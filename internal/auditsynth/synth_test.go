package auditsynth

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	smallOnce sync.Once
	smallDir  string
	smallErr  error
)

// small is one extract at scale 0.03, shared by the tests that only read it.
func small(t *testing.T) string {
	t.Helper()
	smallOnce.Do(func() {
		smallDir, smallErr = os.MkdirTemp("", "auditsynth")
		if smallErr == nil {
			_, smallErr = Generate(smallDir, Options{Seed: 11, Scale: 0.03, Year: 2025})
		}
	})
	if smallErr != nil {
		t.Fatal(smallErr)
	}
	return smallDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallDir != "" {
		os.RemoveAll(smallDir)
	}
	os.Exit(code)
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed uint64
	}{{a, 5}, {b, 5}, {c, 6}} {
		if _, err := Generate(d.dir, Options{Seed: d.seed, Scale: 0.01}); err != nil {
			t.Fatal(err)
		}
	}
	names := append(append([]string{}, Files...), "labels/labels.csv", "labels/institutions.csv", "labels/README.md")
	for _, n := range names {
		x, err := os.ReadFile(filepath.Join(a, n))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", n)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "lines.csv"))
	z, _ := os.ReadFile(filepath.Join(c, "lines.csv"))
	if bytes.Equal(x, z) {
		t.Error("lines.csv is the same for seeds 5 and 6")
	}
}

// documented is settlement-extract.md §2, copied from the document.
var documented = map[string]string{
	"institutions.csv": "fixmedins_code,fixmedins_name,admvs,type,level,beds,equipment",
	"doctors.csv":      "dr_codg,fixmedins_code,dr_name,role,employed_from,employed_to",
	"persons.csv":      "certno,psn_name,gend,brdy,death_date,emp_uscc,insuplc_admdvs",
	"injuries.csv":     "injury_id,certno,emp_uscc,injury_date,rcgn_date,injured_parts,diag_code,event_id",
	"catalog.csv":      "med_list_codg,name,category,body_region,pric_lv1,pric_lv2,pric_lv3,unit,per_day_limit,per_stay_limit,min_interval_days,covered,family,tier,requires_equipment,minutes,related_regions,valid_from,valid_to",
	"bundles.csv":      "item1,item2,indicator,valid_from,valid_to",
	"encounters.csv":   "mdtrt_id,fixmedins_code,certno,injury_id,med_type,begntime,endtime,dscg_maindiag_code,other_diag_codes,atddr_no,setl_id,setl_time,medfee_sumamt,fund_pay_sumamt",
	"lines.csv":        "mdtrt_id,feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt,bilg_dr_codg,bilg_dept_codg,report_no",
	"purchases.csv":    "fixmedins_code,month,med_list_codg,qty",
	"attendance.csv":   "certno,emp_uscc,date",
}

var (
	reDate   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	reTime   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
	reAmount = regexp.MustCompile(`^-?\d+\.\d{2}$`)
	reMonth  = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

func TestFilesParseWithDocumentedHeaders(t *testing.T) {
	dir := small(t)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if _, ok := documented[e.Name()]; !ok && e.Name() != "labels" {
			t.Errorf("undocumented file %s in the extract folder", e.Name())
		}
	}
	for name, head := range documented {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || bytes.Contains(b, []byte("\r\n")) {
			t.Errorf("%s: BOM or CRLF", name)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Join(recs[0], ","); got != head {
			t.Errorf("%s header\n got %s\nwant %s", name, got, head)
		}
		if len(recs) < 2 {
			t.Errorf("%s has no rows", name)
		}
		cols := strings.Split(head, ",")
		for i, r := range recs[1:] {
			for j, v := range r {
				if !fieldOK(cols[j], v) {
					t.Errorf("%s row %d: %s = %q", name, i+2, cols[j], v)
					break
				}
			}
		}
	}
}

func fieldOK(col, v string) bool {
	switch col {
	case "employed_from", "brdy", "injury_date", "rcgn_date", "valid_from", "date":
		return reDate.MatchString(v)
	case "employed_to", "death_date", "valid_to":
		return v == "" || reDate.MatchString(v)
	case "begntime", "endtime", "setl_time", "fee_ocur_time":
		return reTime.MatchString(v)
	case "pric_lv1", "pric_lv2", "pric_lv3", "medfee_sumamt", "fund_pay_sumamt", "pric", "det_item_fee_sumamt":
		return reAmount.MatchString(v)
	case "month":
		return reMonth.MatchString(v)
	case "cnt", "qty", "beds", "minutes":
		_, err := strconv.ParseFloat(v, 64)
		return err == nil
	case "med_type":
		return v == "41" || v == "42" || v == "43"
	case "body_region":
		return v == "" || containsS(Regions, v)
	case "injured_parts":
		for _, p := range strings.Split(v, ";") {
			if !containsS(Regions, p) {
				return false
			}
		}
		return true
	case "covered":
		return v == "0" || v == "1"
	case "role":
		return v == "doctor" || v == "therapist" || v == "nurse"
	case "type":
		return v == "medical" || v == "rehab"
	}
	return true
}

func TestEncounterTotalsEqualTheirLines(t *testing.T) {
	x := loadExtract(t, small(t))
	if len(x.encs) == 0 {
		t.Fatal("no encounters")
	}
	for _, e := range x.encs {
		var sum int64
		for _, l := range e.lines {
			if l.amt != l.cnt*l.pric {
				t.Errorf("%s: det_item_fee_sumamt %d ≠ cnt × pric", l.sn, l.amt)
			}
			sum += l.amt
		}
		if sum != e.total {
			t.Errorf("%s: medfee_sumamt %d ≠ Σ lines %d", e.id, e.total, sum)
		}
		if e.fund > e.total || e.fund < 0 {
			t.Errorf("%s: fund_pay_sumamt %d outside 0..%d", e.id, e.fund, e.total)
		}
		if len(e.lines) == 0 {
			t.Errorf("%s has no lines", e.id)
		}
	}
}

func TestIdentifiersAreValid(t *testing.T) {
	dir := small(t)
	pt := readTable(t, filepath.Join(dir, "persons.csv"))
	for _, r := range pt.rows {
		c := pt.get(r, "certno")
		if !ValidCertNo(c) {
			t.Errorf("certno %s: check digit", c)
		}
		if g := map[bool]string{true: "1", false: "2"}[(c[16]-'0')%2 == 1]; g != pt.get(r, "gend") {
			t.Errorf("certno %s: gend %s", c, pt.get(r, "gend"))
		}
		if strings.ReplaceAll(pt.get(r, "brdy"), "-", "") != c[6:14] {
			t.Errorf("certno %s: brdy %s", c, pt.get(r, "brdy"))
		}
		if !ValidUSCC(pt.get(r, "emp_uscc")) {
			t.Errorf("emp_uscc %s: check characters", pt.get(r, "emp_uscc"))
		}
	}
	in := readTable(t, filepath.Join(dir, "institutions.csv"))
	n := map[string]int{}
	codes := map[string]bool{}
	for _, c := range counties {
		codes[c.admvs] = true
	}
	for _, r := range in.rows {
		n[in.get(r, "type")]++
		if len(in.get(r, "fixmedins_code")) != 12 || !codes[in.get(r, "admvs")] {
			t.Errorf("institution %v", r)
		}
		eq := in.get(r, "equipment")
		if strings.Contains(eq, "MR3T") && !strings.Contains(eq, "MR15T") {
			t.Errorf("%s: MR3T without MR15T", in.get(r, "fixmedins_code"))
		}
	}
	if n["medical"] != 73 || n["rehab"] != 18 {
		t.Errorf("institutions %v, want 73 medical and 18 rehab", n)
	}
	it := readTable(t, filepath.Join(dir, "injuries.csv"))
	for _, r := range it.rows {
		if reg := regionOfDiag(it.get(r, "diag_code")); reg != "" && !strings.Contains(it.get(r, "injured_parts"), reg) {
			t.Errorf("injury %s: %s not in %s", it.get(r, "injury_id"), it.get(r, "diag_code"), it.get(r, "injured_parts"))
		}
	}
}

// regionOfDiag is the ICD-10 chapter XIX block mapping of fund-audit.md §4.1 (empty when it names several).
func regionOfDiag(code string) string {
	n, err := strconv.Atoi(code[1:3])
	if err != nil {
		return ""
	}
	if code[0] == 'T' {
		if n >= 20 && n <= 32 && (n == 29 || n == 31) {
			return "burn_multi"
		}
		return ""
	}
	blocks := []string{"head", "neck", "thorax", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm", "wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot"}
	if code == "S05.0" || code == "S05.1" || code == "S05.5" {
		return "eye"
	}
	if code[0] == 'S' && n/10 < len(blocks) {
		return blocks[n/10]
	}
	return ""
}

func TestValidators(t *testing.T) {
	for _, c := range []struct {
		s    string
		cert bool
	}{{"11010519491231002X", true}, {"110105194912310021", false}, {"440308199901101512", true}} {
		if ValidCertNo(c.s) != c.cert {
			t.Errorf("ValidCertNo(%s) = %v", c.s, !c.cert)
		}
	}
	if !ValidUSCC("91350100M000100Y43") || ValidUSCC("91350100M000100Y44") {
		t.Error("ValidUSCC on the GB 32100 example")
	}
	if u := uscc("370811", 12345678); !ValidUSCC(u) {
		t.Errorf("generated %s is not valid", u)
	}
}

func TestLabelsReferToTheExtract(t *testing.T) {
	dir := small(t)
	x := loadExtract(t, dir)
	lb := readTable(t, filepath.Join(dir, "labels", "labels.csv"))
	want := "mdtrt_id,category,kind,amount,feedetl_sn,fixmedins_code,pattern"
	var got []string
	for h := range lb.head {
		got = append(got, h)
	}
	if len(got) != 7 {
		t.Fatalf("labels.csv columns %v, want %s", got, want)
	}
	cats := map[string]bool{}
	for _, r := range lb.rows {
		e := x.byID[lb.get(r, "mdtrt_id")]
		if e == nil {
			t.Fatalf("label for unknown encounter %v", r)
		}
		if e.inst != lb.get(r, "fixmedins_code") {
			t.Errorf("label %v: institution", r)
		}
		p, ok := patternByID[lb.get(r, "pattern")]
		if !ok || p.category != lb.get(r, "category") || p.kind != lb.get(r, "kind") {
			t.Errorf("label %v: pattern", r)
		}
		amt := parseFen(t, lb.get(r, "amount"))
		if p.kind == "violation" && amt <= 0 || p.kind == "lookalike" && amt != 0 {
			t.Errorf("label %v: amount", r)
		}
		if sns := lb.get(r, "feedetl_sn"); sns != "" {
			for _, sn := range strings.Split(sns, ";") {
				if !strings.HasPrefix(sn, e.id) || !x.sns[sn] {
					t.Errorf("label %v: line %s is not a line of the encounter", r, sn)
				}
			}
		}
		if p.kind == "violation" {
			cats[p.category] = true
		}
	}
	if len(cats) != 6 {
		t.Errorf("violation categories %v, want all six", cats)
	}
	it := readTable(t, filepath.Join(dir, "labels", "institutions.csv"))
	off := 0
	for _, r := range it.rows {
		if it.get(r, "offender") == "1" {
			off++
		}
	}
	if len(it.rows) != 91 || off < 10 || off > 20 {
		t.Errorf("labels/institutions.csv: %d rows, %d offenders", len(it.rows), off)
	}
}
