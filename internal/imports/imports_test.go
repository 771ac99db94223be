package imports

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

var clerk = access.Principal{UserID: 1, Username: "clerk", Kind: access.KindStaff, Role: access.RoleClerk, RegionCode: "370811"}

func employerRows(codes ...string) [][]string {
	rows := [][]string{Header(Employers)}
	for i, c := range codes {
		rows = append(rows, []string{c, "济宁市任城区导入测试有限公司" + string(rune('甲'+i)), "370811", "34", "4", "100", "王", "13953700000", "济宁市任城区"})
	}
	return rows
}

func xlsx(t *testing.T, rows [][]string) []byte {
	var b bytes.Buffer
	if err := sheet.WriteXLSX(&b, "导入", rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAllOrNothing(t *testing.T) {
	s := storetest.OpenSQLite(t, storetest.NewClock())
	ctx := context.Background()
	good1, good2 := storetest.CreditCode("370811"), storetest.CreditCode("370811")
	rows := employerRows(good1, "91370811MA3C12345X", good2, good1)
	rows[3][5] = "90" // good2 row: tier not allowed
	data := xlsx(t, rows)

	res, err := Run(ctx, s, clerk, Employers, "单位.xlsx", data, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeRejected || res.Imported != 0 || res.Total != 4 || res.Bad != 3 {
		t.Fatalf("result: %+v", res)
	}
	want := map[int]string{3: "统一社会信用代码", 4: "浮动费率档次", 5: "统一社会信用代码"}
	for _, p := range res.Problems {
		if want[p.Row] != p.Column || p.Reason == "" {
			t.Errorf("problem %+v not expected", p)
		}
	}
	if !strings.Contains(res.Summary, "未导入") {
		t.Errorf("summary must say nothing was imported: %s", res.Summary)
	}
	if _, total, _ := s.FindEmployers(ctx, access.ScopeOf("370800"), store.EmployerFilter{}); total != 0 {
		t.Fatalf("a rejected file wrote %d employers", total)
	}

	res, err = Run(ctx, s, clerk, Employers, "单位.xlsx", data, true)
	if err != nil || res.Outcome != OutcomePartial || res.Imported != 1 {
		t.Fatalf("good rows only: %+v %v", res, err)
	}
	if _, total, _ := s.FindEmployers(ctx, access.ScopeOf("370800"), store.EmployerFilter{}); total != 1 {
		t.Fatalf("partial import wrote %d employers, want 1", total)
	}
	res, _ = Run(ctx, s, clerk, Employers, "单位.xlsx", xlsx(t, employerRows(good1)), false)
	if res.Outcome != OutcomeRejected || !strings.Contains(res.Problems[0].Reason, "已经登记") {
		t.Fatalf("re-import of a registered code: %+v", res)
	}
}

func TestWorkersFromGBKCSV(t *testing.T) {
	s := storetest.OpenSQLite(t, storetest.NewClock())
	ctx := context.Background()
	e := storetest.MustEmployer(t, s, "370811")
	other := storetest.MustEmployer(t, s, "370881")
	id1, id2 := storetest.IDNumber("370811", "19850101"), storetest.IDNumber("370811", "19920505")
	csv := strings.Join([]string{
		"姓名,身份证号码,用人单位统一社会信用代码,入职日期,手机号码",
		"赵四," + id1 + "," + e.CreditCode + ",2019/3/1,13800000000",
		"钱五," + id2 + "," + e.CreditCode + ",20200701,",
		"孙六,3.70811E+17," + e.CreditCode + ",2020-07-01,",
		"李七," + storetest.IDNumber("370811", "19900101") + "," + other.CreditCode + ",2020-07-01,",
		"",
	}, "\r\n")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, s, clerk, Workers, "职工.csv", []byte(gbk), true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 4 || res.Imported != 2 || res.Bad != 2 {
		t.Fatalf("result: %+v", res)
	}
	if !strings.Contains(res.Problems[0].Reason, "数字") || res.Problems[1].Column != "用人单位统一社会信用代码" {
		t.Fatalf("problems: %+v", res.Problems)
	}
	w, err := s.FindWorkerByIDNumber(ctx, access.ScopeOf("370811"), id1)
	if err != nil || w.Name != "赵四" || w.Phone != "13800000000" {
		t.Fatalf("imported worker: %+v %v", w, err)
	}
	emps, _ := s.Employments(ctx, access.ScopeOf("370811"), w.ID)
	if len(emps) != 1 || emps[0].Start != "2019-03-01" || emps[0].EmployerID != e.ID {
		t.Fatalf("employment: %+v", emps)
	}
	entries, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370000"), store.AuditFilter{ObjectType: "worker"})
	if len(entries) != 2 {
		t.Fatalf("want one audit entry per imported worker, got %d", len(entries))
	}
}

func TestMissingColumns(t *testing.T) {
	s := storetest.OpenSQLite(t, storetest.NewClock())
	res, err := Run(context.Background(), s, clerk, Workers, "x.csv", []byte("姓名,手机号码\n张三,13800000000\n"), true)
	if err != nil || res.Outcome != OutcomeRejected || res.Problems[0].Row != 1 || !strings.Contains(res.Problems[0].Reason, "身份证号码") {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := Run(context.Background(), s, clerk, Workers, "x.txt", []byte("a"), true); err == nil {
		t.Fatal("a .txt file must be refused")
	}
}

func TestWages(t *testing.T) {
	s := storetest.OpenSQLite(t, storetest.NewClock())
	ctx := context.Background()
	e := storetest.MustEmployer(t, s, "370811")
	other := storetest.MustEmployer(t, s, "370811")
	w := storetest.MustWorker(t, s, e, "韩梅")
	if err := s.RecordWages(ctx, clerk, w.ID, []registry.Wage{{EmployerID: e.ID, Period: "2025-12", AmountFen: 500000}}); err != nil {
		t.Fatal(err)
	}
	rows := [][]string{Header(Wages),
		{w.IDNumber, e.CreditCode, "2025/12", "6100.50"},    // corrects December
		{w.IDNumber, e.CreditCode, "202601", "6200"},        // a new month
		{w.IDNumber, e.CreditCode, "2026-01", "6300.00"},    // same month again
		{w.IDNumber, other.CreditCode, "2026-01", "100.00"}, // never employed there
		{storetest.IDNumber("370811", "19900101"), e.CreditCode, "2026-01", "1.00"},
		{w.IDNumber, e.CreditCode, "2026-13", "6.123"},
	}
	res, err := Run(ctx, s, clerk, Wages, "工资.xlsx", xlsx(t, rows), true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || res.Bad != 4 || res.Outcome != OutcomePartial {
		t.Fatalf("result: %+v", res)
	}
	got, _ := s.Wages(ctx, access.ScopeOf("370811"), w.ID)
	if len(got) != 2 || got[0].Period != "2026-01" || got[0].AmountFen != 620000 || got[1].AmountFen != 610050 {
		t.Fatalf("wages: %+v", got)
	}
	var reasons []string
	for _, p := range res.Problems {
		reasons = append(reasons, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Reason))
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{"4 缴费月份 与第3行", "5 用人单位统一社会信用代码 该职工与此用人单位没有劳动关系", "6 身份证号码 本地区没有", "7 缴费月份", "7 缴费工资"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing problem %q in:\n%s", want, joined)
		}
	}
	entries, _, _ := s.FindAuditEntries(ctx, access.ScopeOf("370811"), store.AuditFilter{ObjectType: "worker", ObjectID: fmt.Sprint(w.ID)})
	if len(entries) != 4 { // create, the single wage, two imported wages
		t.Fatalf("audit entries for the worker: %d", len(entries))
	}
}

// Progress reports the phases in order and the rows checked, ending with
// every row done.
func TestProgressReported(t *testing.T) {
	s := storetest.OpenSQLite(t, storetest.NewClock())
	var codes []string
	for range 1200 {
		codes = append(codes, "not-a-code")
	}
	var got []Progress
	_, err := RunWithProgress(context.Background(), s, clerk, Employers, "e.xlsx", xlsx(t, employerRows(codes...)), false, func(p Progress) { got = append(got, p) })
	if err != nil {
		t.Fatal(err)
	}
	var phases []string
	for _, p := range got {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
	}
	if fmt.Sprint(phases) != "[reading checking saving done]" {
		t.Errorf("phases %v", phases)
	}
	checks := 0
	for _, p := range got {
		if p.Phase == PhaseChecking {
			checks++
			if p.Total != 1200 || p.Done > p.Total {
				t.Errorf("checking %+v", p)
			}
		}
	}
	if last := got[len(got)-1]; checks != 3 || last.Done != 1200 || last.Total != 1200 {
		t.Errorf("%d checking reports, last %+v", checks, last)
	}
}
