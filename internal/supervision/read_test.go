package supervision

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unsafe"
)

// tinyDir is the hand-made extract the store's conformance suite imports
// too.
const tinyDir = "../storetest/testdata/extract"

func tiny(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	ents, err := os.ReadDir(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(tinyDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	return m
}

func TestReadExtract(t *testing.T) {
	x, err := ReadExtract(tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	counts := []int{len(x.Institutions), len(x.Doctors), len(x.Persons), len(x.Injuries), len(x.Items), len(x.Bundles),
		len(x.Encounters), len(x.Lines), len(x.Purchases), len(x.Attendance)}
	if want := []int{2, 3, 2, 2, 8, 1, 3, 11, 2, 3}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("counts %v, want %v", counts, want)
	}
	in := x.Institutions[0]
	if in.Name != "济宁市第一人民医院,本部" || in.Level != 3 || in.Beds != 1200 || !in.Has("MR3T") || in.Has("HBO") {
		t.Errorf("institution %+v", in)
	}
	d := x.Doctors[2]
	if d.Code != "D370800000003" || d.Role != "nurse" || d.EmployedTo.String() != "2026-12-31" || d.Name != "王护士" {
		t.Errorf("doctor %+v", d)
	}
	it := x.Items[1]
	if it.Code != "001101000010000" || it.Prices != [3]int64{2200, 3300, 4500} || it.From.String() != "2025-07-01" || it.To != 0 || !it.Covered {
		t.Errorf("catalogue row %+v", it)
	}
	mri := x.Items[4]
	if mri.Family != "MRI" || mri.Tier != 2 || mri.Equipment != "MR3T" || mri.Minutes != 10*QtyScale || mri.PerDay != QtyScale {
		t.Errorf("catalogue row %+v", mri)
	}
	if x.Items[7].Covered || x.Items[6].Related[0] != "any" {
		t.Errorf("drugs %+v %+v", x.Items[6], x.Items[7])
	}
	e := x.Encounters[1]
	if e.MedType != Inpatient || e.Total != 16650 || e.FundPaid != 16600 || len(e.OtherDiags) != 2 || e.Begin.String() != "2025-06-28 14:00:00" {
		t.Errorf("encounter %+v", e)
	}
	if got := x.Injuries[0].Regions; len(got) != 2 || got[0] != "wrist_hand" {
		t.Errorf("injured parts %v", got)
	}
	if l := x.Lines[2]; l.Cnt != 13330 || l.Price != 120 || l.Amount != 160 || l.Report != "" || l.Enc != 0 {
		t.Errorf("line %+v", l)
	}
	if p := x.Purchases[0]; p.Month != "2025-02" || p.Qty != 200*QtyScale {
		t.Errorf("purchase %+v", p)
	}
}

func TestReadExtractLinesInTimeOrder(t *testing.T) {
	x, err := ReadExtract(tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range x.Encounters {
		var sns []string
		for _, i := range e.Lines {
			sns = append(sns, x.Lines[i].SN[len(x.Lines[i].SN)-2:])
		}
		got = append(got, strings.Join(sns, ","))
	}
	want := []string{"03,01,02", "04,08,09,05,06,07", "10,11"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("lines by encounter %v, want %v", got, want)
	}
}

// Repeated codes share one string: 2 M lines must not hold 2 M copies.
func TestReadExtractInterns(t *testing.T) {
	x, err := ReadExtract(tiny(t))
	if err != nil {
		t.Fatal(err)
	}
	a, b := x.Lines[3], x.Lines[4]
	if a.Code != b.Code || unsafe.StringData(a.Code) != unsafe.StringData(b.Code) {
		t.Fatalf("codes %q and %q are separate copies", a.Code, b.Code)
	}
	if unsafe.StringData(a.Doctor) != unsafe.StringData(b.Doctor) || unsafe.StringData(a.Dept) != unsafe.StringData(b.Dept) {
		t.Fatal("clinician or department not interned")
	}
}

func TestReadExtractOptionalFiles(t *testing.T) {
	m := tiny(t)
	delete(m, "bundles.csv")
	delete(m, "purchases.csv")
	delete(m, "attendance.csv")
	x, err := ReadExtract(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Bundles)+len(x.Purchases)+len(x.Attendance) != 0 || len(x.Lines) != 11 {
		t.Fatalf("got %d bundles, %d purchases, %d attendance, %d lines", len(x.Bundles), len(x.Purchases), len(x.Attendance), len(x.Lines))
	}
}

// edit replaces old by new in one file of the extract (old must occur).
func edit(t *testing.T, m fstest.MapFS, file, old, new string) {
	t.Helper()
	b := string(m[file].Data)
	if !strings.Contains(b, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(b, old, new, 1))}
}

func TestReadExtractProblems(t *testing.T) {
	type change struct{ file, old, new string }
	tests := []struct {
		name    string
		changes []change
		want    []string // "file row field" of each problem, in order
	}{
		{"missing file", []change{{"lines.csv", "", ""}}, []string{"lines.csv 0 "}},
		{"missing column", []change{{"institutions.csv", "level,", "lvl,"}}, []string{"institutions.csv 1 level"}},
		{"empty required field", []change{{"doctors.csv", "doctor,2015-01-01", "doctor,"}}, []string{"doctors.csv 2 employed_from"}},
		{"bad date", []change{{"persons.csv", "1980-05-12", "1980/05/12"}}, []string{"persons.csv 2 brdy"}},
		{"bad time", []change{{"lines.csv", "2025-03-01 09:30:00", "2025-03-01T09:30"}}, []string{"lines.csv 2 fee_ocur_time"}},
		{"bad enum", []change{{"institutions.csv", ",rehab,", ",clinic,"}}, []string{"institutions.csv 3 type"}},
		{"bad equipment", []change{{"institutions.csv", "REHAB_ROBOT", "ROBOT"}}, []string{"institutions.csv 3 equipment"}},
		{"bad region", []change{{"injuries.csv", "knee_lower_leg", "knee"}}, []string{"injuries.csv 3 injured_parts"}},
		{"bad category", []change{{"catalog.csv", ",bed,", ",beds,"}}, []string{"catalog.csv 2 category"}},
		{"bad tier", []change{{"catalog.csv", ",MRI,2,", ",MRI,3,"}}, []string{"catalog.csv 6 tier"}},
		{"bad indicator", []change{{"bundles.csv", ",0,2020", ",2,2020"}}, []string{"bundles.csv 2 indicator"}},
		{"bad med_type", []change{{"encounters.csv", ",43,", ",44,"}}, []string{"encounters.csv 4 med_type"}},
		{"bad gend", []change{{"persons.csv", ",2,1992", ",F,1992"}}, []string{"persons.csv 3 gend"}},
		{"duplicate institution", []change{{"institutions.csv", "H37088100002,曲阜", "H37080200001,曲阜"}},
			[]string{"institutions.csv 3 fixmedins_code", "doctors.csv 3 fixmedins_code", "encounters.csv 4 fixmedins_code"}},
		{"duplicate line", []change{{"lines.csv", "L0000000011", "L0000000010"}}, []string{"lines.csv 12 feedetl_sn"}},
		{"line of no encounter", []change{{"lines.csv", "L0000000011,KF2025000003", "L0000000011,KF2025999999"}},
			[]string{"lines.csv 12 mdtrt_id"}},
		{"encounter of no institution", []change{{"encounters.csv", "H37088100002,", "H37088100009,"}}, []string{"encounters.csv 4 fixmedins_code"}},
		{"bad amount", []change{{"lines.csv", "2,40.00,80.00", "2,40.00,80.001"}}, []string{"lines.csv 11 det_item_fee_sumamt"}},
		{"bad quantity", []change{{"lines.csv", "2,40.00,80.00", "two,40.00,80.00"}}, []string{"lines.csv 11 cnt"}},
		{"field count", []change{{"purchases.csv", "XB05XAZ0002,100", "XB05XAZ0002"}}, []string{"purchases.csv 3 "}},
		{"bad month", []change{{"purchases.csv", "2025-02", "2025-2"}}, []string{"purchases.csv 2 month"}},
		{"BOM", []change{{"doctors.csv", "dr_name", "\ufeffdr_name"}}, []string{"doctors.csv 0 "}},
		{"invalid UTF-8", []change{{"persons.csv", "赵一", "\xff\xfe"}}, []string{"persons.csv 2 psn_name"}},
		{"bad quoting", []change{{"attendance.csv", "2025-06-29", `2025-"06-29`}}, []string{"attendance.csv 3 "}},
		{"several files", []change{{"doctors.csv", "doctor,2015", "surgeon,2015"}, {"catalog.csv", "400.00", "4OO.00"},
			{"lines.csv", "D370800000002,A21,\n", "D370800000002,A21\n"}},
			[]string{"doctors.csv 2 role", "catalog.csv 5 pric_lv1", "lines.csv 11 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tiny(t)
			for _, c := range tt.changes {
				if c.old == "" {
					delete(m, c.file)
					continue
				}
				edit(t, m, c.file, c.old, c.new)
			}
			x, err := ReadExtract(m)
			var ee *ExtractError
			if !errors.As(err, &ee) {
				t.Fatalf("got %v, %v; want an *ExtractError", x, err)
			}
			var got []string
			for _, p := range ee.Problems {
				got = append(got, fmt.Sprintf("%s %d %s", p.File, p.Row, p.Field))
				if p.Message == "" {
					t.Errorf("problem without a message: %+v", p)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || ee.Total != len(tt.want) {
				t.Fatalf("problems %q (total %d), want %q\n%v", got, ee.Total, tt.want, err)
			}
			if !strings.Contains(err.Error(), "结算数据有") || !strings.Contains(err.Error(), tt.want[0][:strings.IndexByte(tt.want[0], ' ')]) {
				t.Fatalf("message %q", err)
			}
		})
	}
}

func TestReadExtractProblemsCapped(t *testing.T) {
	m := tiny(t)
	var b bytes.Buffer
	b.Write(m["attendance.csv"].Data)
	for i := 0; i < 450; i++ {
		fmt.Fprintf(&b, "370802198005120036,,2025-13-%02d\n", i%28+1)
	}
	m["attendance.csv"] = &fstest.MapFile{Data: b.Bytes()}
	_, err := ReadExtract(m)
	var ee *ExtractError
	if !errors.As(err, &ee) || ee.Total != 450 || len(ee.Problems) != MaxProblems {
		t.Fatalf("got %v", err)
	}
	if p := ee.Problems[MaxProblems-1]; p.Row != MaxProblems+4 || p.Field != "date" {
		t.Fatalf("last listed problem %+v", p)
	}
	if !strings.Contains(err.Error(), "450处") || !strings.Contains(err.Error(), "仅列出前200处") {
		t.Fatalf("message %q", err.Error()[:200])
	}
}

func TestLineAmount(t *testing.T) {
	tests := []struct {
		cnt, price, want int64
		exact            bool
	}{
		{1 * QtyScale, 7000, 7000, true},
		{13330, 120, 160, true},      // 1.333 × 1.20 = 1.5996 → 1.60
		{8333, 120, 100, true},       // 0.8333 × 1.20 = 0.99996 → 1.00
		{5000, 1, 1, true},           // 0.5 × 0.01 = 0.005 → 0.01 (half away from zero)
		{-5000, 1, -1, true},         // a refund line
		{4999, 1, 0, true},           // 0.4999 × 0.01 → 0.00
		{1 << 40, 1 << 40, 0, false}, // beyond int64 fen
	}
	for _, tt := range tests {
		got, exact := lineAmount(tt.cnt, tt.price)
		if got != tt.want || exact != tt.exact {
			t.Errorf("lineAmount(%d, %d) = %d, %v; want %d, %v", tt.cnt, tt.price, got, exact, tt.want, tt.exact)
		}
	}
}

// writeLarge writes an extract of enc encounters with perEnc lines each
// (about 100 bytes a line, 60 institutions, 400 catalogue codes).
func writeLarge(t testing.TB, dir string, enc, perEnc int) {
	t.Helper()
	small := tiny(t)
	for _, f := range []string{"doctors.csv", "persons.csv", "injuries.csv", "bundles.csv", "purchases.csv", "attendance.csv"} {
		if err := os.WriteFile(filepath.Join(dir, f), small[f].Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ins, cat, encs, lines bytes.Buffer
	ins.WriteString("fixmedins_code,fixmedins_name,admvs,type,level,beds,equipment\n")
	ins.WriteString("H37080200001,一院,370802,medical,3,1200,DR;CT\nH37088100002,康复,370881,rehab,2,150,DR\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&ins, "H370800%05d,医院%d,370811,medical,%d,300,DR;CT\n", i, i, i%3+1)
	}
	cat.WriteString("med_list_codg,name,category,pric_lv1,pric_lv2,pric_lv3,covered,valid_from\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&cat, "0031%011d,项目%d,treatment,10.00,12.00,15.00,1,2020-01-01\n", i, i)
	}
	encs.WriteString("mdtrt_id,fixmedins_code,certno,injury_id,med_type,begntime,endtime,medfee_sumamt,fund_pay_sumamt\n")
	lines.WriteString("mdtrt_id,feedetl_sn,fee_ocur_time,med_list_codg,cnt,pric,det_item_fee_sumamt,bilg_dr_codg,bilg_dept_codg,report_no\n")
	cert := strings.Split(string(small["persons.csv"].Data), "\n")[1][:18]
	base := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	sn := 0
	for e := 0; e < enc; e++ {
		start := base.Add(time.Duration(e%360) * 24 * time.Hour)
		fmt.Fprintf(&encs, "ZY%010d,H370800%05d,%s,RD2025000001,42,%s,%s,%d.00,%d.00\n", e, e%60, cert,
			start.Format(time.DateTime), start.Add(10*24*time.Hour).Format(time.DateTime), 15*perEnc, 15*perEnc)
		for l := 0; l < perEnc; l++ {
			sn++
			at := start.Add(time.Duration(perEnc-l) * 17 * time.Minute)
			fmt.Fprintf(&lines, "ZY%010d,L%012d,%s,0031%011d,1,15.00,15.00,D%012d,A04.03,\n", e, sn, at.Format(time.DateTime), (e+l)%400, e%500)
		}
	}
	for f, b := range map[string][]byte{"institutions.csv": ins.Bytes(), "catalog.csv": cat.Bytes(), "encounters.csv": encs.Bytes(), "lines.csv": lines.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkReadExtract reads a city-year sized extract: 35,000 encounters
// and 1.5 M lines (GONGSHANG_READ_LINES changes the line count).
func BenchmarkReadExtract(b *testing.B) {
	lines := 1_500_000
	if v := os.Getenv("GONGSHANG_READ_LINES"); v != "" {
		fmt.Sscan(v, &lines)
	}
	dir := b.TempDir()
	writeLarge(b, dir, 35_000, lines/35_000)
	fsys := os.DirFS(dir)
	st, _ := fs.Stat(fsys, "lines.csv")
	b.ReportMetric(float64(st.Size())/1e6, "MB_lines")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x, err := ReadExtract(fsys)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(x.Lines)), "lines")
	}
}

// An amount that is not cnt × pric, or a total that is not the sum of its
// lines, is read as given: it is a finding (GS-D11), not a format error.
func TestArithmeticIsScreenedNotRefused(t *testing.T) {
	m := tiny(t)
	edit(t, m, "lines.csv", "1.333,1.20,1.60", "1.333,1.20,1.62")
	edit(t, m, "encounters.csv", "160.00,160.00", "160.02,160.00")
	x, err := ReadExtract(m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range Scan(x, Config{}, nil) {
		if f.RuleID == "GS-D11" {
			got = append(got, f.MdtrtID)
		}
	}
	if len(got) != 2 {
		t.Fatalf("GS-D11 findings on %v, want the line's and the total's encounters", got)
	}
}

func TestExtractHome(t *testing.T) {
	inst := func(regions ...string) *Extract {
		x := &Extract{}
		for _, r := range regions {
			x.Institutions = append(x.Institutions, Institution{Region: r})
		}
		return x
	}
	for _, tt := range []struct {
		x    *Extract
		want string
	}{
		{inst("370811", "370881", "370800"), "370800"},
		{inst("370811", "370102"), "370000"},
		{inst("370811", "110105"), ""},
		{inst("370811", "3708"), ""},
		{inst(), ""},
	} {
		if got := tt.x.Home(); got != tt.want {
			t.Errorf("Home of %v = %q, want %q", tt.x.Institutions, got, tt.want)
		}
	}
}
