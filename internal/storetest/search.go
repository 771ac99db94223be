package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The search box (issue 7): any part of a name, a credit-code fragment,
// the last four characters of an ID number, typed wildcards literal,
// scope respected. The cases cover every path: three characters or more
// (trigrams), two (bigrams), one (a prefix), the codes and ID numbers.

// employerNamed registers an employer called name in region.
func employerNamed(t *testing.T, s *store.Store, region, name string) registry.Employer {
	t.Helper()
	e := registry.Employer{CreditCode: CreditCode(region), Name: name, RegionCode: region, Industry: "34", RiskClass: 4, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, Actor(access.RoleClerk, region), &e); err != nil {
		t.Fatalf("employer %s: %v", name, err)
	}
	return e
}

// workerNamed registers a worker called name, employed by e.
func workerNamed(t *testing.T, s *store.Store, e registry.Employer, name, idNumber string) registry.Worker {
	t.Helper()
	w := registry.Worker{IDNumber: idNumber, Name: name, RegionCode: e.RegionCode}
	emp := registry.Employment{EmployerID: e.ID, Start: "2020-07-01"}
	if err := s.CreateWorker(ctx, Actor(access.RoleClerk, e.RegionCode), &w, &emp); err != nil {
		t.Fatalf("worker %s: %v", name, err)
	}
	return w
}

// findEmployers returns the sorted names a query finds in scope, and
// checks the total against the page.
func findEmployers(t *testing.T, s *store.Store, scope, q string) []string {
	t.Helper()
	list, total, err := s.FindEmployers(ctx, access.ScopeOf(scope), store.EmployerFilter{Query: q})
	if err != nil {
		t.Fatalf("employers %q: %v", q, err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name)
	}
	if total != len(names) {
		t.Errorf("employers %q: total %d, page %d", q, total, len(names))
	}
	slices.Sort(names)
	return names
}

// findWorkers is findEmployers for workers; the list must be masked.
func findWorkers(t *testing.T, s *store.Store, scope, q string) []string {
	t.Helper()
	list, total, err := s.FindWorkers(ctx, access.ScopeOf(scope), store.WorkerFilter{Query: q})
	if err != nil {
		t.Fatalf("workers %q: %v", q, err)
	}
	var names []string
	for _, w := range list {
		if w.IDNumber != "" || w.IDMasked == "" {
			t.Errorf("workers %q: the list must carry the masked ID only: %+v", q, w)
		}
		names = append(names, w.Name)
	}
	if total != len(names) {
		t.Errorf("workers %q: total %d, page %d", q, total, len(names))
	}
	// The export reads the same match in the same order.
	var each []string
	if err := s.EachWorker(ctx, access.ScopeOf(scope), store.WorkerFilter{Query: q}, func(w registry.Worker) error {
		each = append(each, w.Name)
		return nil
	}); err != nil {
		t.Fatalf("each worker %q: %v", q, err)
	}
	if !slices.Equal(each, names) {
		t.Errorf("workers %q: the export reads %q, the list shows %q", q, each, names)
	}
	slices.Sort(names)
	return names
}

type searchCase struct {
	scope, q string
	want     []string // names in any order; nil for no match
}

func checkSearch(t *testing.T, s *store.Store, find func(*testing.T, *store.Store, string, string) []string, cases []searchCase) {
	t.Helper()
	for _, c := range cases {
		c.want = slices.Sorted(slices.Values(c.want))
		if got := find(t, s, c.scope, c.q); !slices.Equal(got, c.want) {
			t.Errorf("scope %s, query %q: got %q, want %q", c.scope, c.q, got, c.want)
		}
	}
}

func testSearchEmployerName(t *testing.T, s *store.Store, _ *Clock) {
	for _, n := range []string{"济宁宏达机械制造有限公司", "任城区机械厂有限公司", "济宁鲁兴纺织有限公司"} {
		employerNamed(t, s, "370811", n)
	}
	employerNamed(t, s, "370881", "曲阜三孔机械有限公司")
	all := []string{"任城区机械厂有限公司", "曲阜三孔机械有限公司", "济宁宏达机械制造有限公司", "济宁鲁兴纺织有限公司"}
	checkSearch(t, s, findEmployers, []searchCase{
		{"370800", "机械", []string{"任城区机械厂有限公司", "曲阜三孔机械有限公司", "济宁宏达机械制造有限公司"}},
		{"370800", "达机械制", []string{"济宁宏达机械制造有限公司"}},   // from the middle, through the index
		{"370800", "机械制造有限", []string{"济宁宏达机械制造有限公司"}}, // several trigrams in a row
		{"370800", "纺", nil}, // one character is a prefix
		{"370800", "任", []string{"任城区机械厂有限公司"}},
		{"370800", " 纺织 ", []string{"济宁鲁兴纺织有限公司"}}, // spaces around are not part of it
		{"370800", "有限公司", all},
		{"370800", "济宁", []string{"济宁宏达机械制造有限公司", "济宁鲁兴纺织有限公司"}}, // a prefix is a part too
		// Scope: 任城区 does not see 曲阜's employer, by either path.
		{"370811", "机械", []string{"任城区机械厂有限公司", "济宁宏达机械制造有限公司"}},
		{"370811", "三孔机械", nil},
		{"370881", "三孔", []string{"曲阜三孔机械有限公司"}},
		{"370883", "机械", nil},
		{"370883", "有限公司", nil},
		// No match, short and long; characters in the wrong order.
		{"370800", "煤", nil},
		{"370800", "不存在的单位", nil},
		{"370800", "械机", nil},
		{"370800", "制造机械", nil},
	})
}

// codeOf is the credit code 91, region, the 9-character body and the
// check character.
func codeOf(region, body string) string {
	code := "91" + region + body
	return code + string(registry.CreditCodeCheckChar(code))
}

// employerCoded registers an employer whose credit code is codeOf(region, body).
func employerCoded(t *testing.T, s *store.Store, region, body, name string) registry.Employer {
	t.Helper()
	e := registry.Employer{CreditCode: codeOf(region, body), Name: name, RegionCode: region,
		Industry: "34", RiskClass: 4, RateTierPct: 100}
	if err := s.CreateEmployer(ctx, Actor(access.RoleClerk, region), &e); err != nil {
		t.Fatalf("employer %s: %v", name, err)
	}
	return e
}

func testSearchCreditCode(t *testing.T, s *store.Store, _ *Clock) {
	a := employerCoded(t, s, "370811", "MA3C7Q2K1", "济宁信用代码甲有限公司")
	b := employerCoded(t, s, "370811", "MA8P4W6T9", "济宁信用代码乙有限公司")
	c := employerCoded(t, s, "370881", "MA5D0R3H7", "曲阜信用代码丙有限公司")
	checkSearch(t, s, findEmployers, []searchCase{
		{"370800", a.CreditCode, []string{a.Name}},                  // whole, exactly
		{"370800", strings.ToLower(a.CreditCode), []string{a.Name}}, // whole, in lower case
		{"370800", a.CreditCode[5:13], []string{a.Name}},            // 8 characters from the middle
		{"370800", strings.ToLower(a.CreditCode[4:16]), []string{a.Name}},
		{"370800", b.CreditCode[10:], []string{b.Name}},                 // the tail
		{"370800", "91370811", []string{b.Name, a.Name}},                // what the two share (乙 sorts before 甲)                // what the two share
		{"370811", c.CreditCode, nil},                                   // 曲阜's code from 任城区
		{"370811", c.CreditCode[8:], nil},                               // and a fragment of it
		{"370881", c.CreditCode[8:], []string{c.Name}},                  // 曲阜 itself
		{"370800", a.CreditCode[:17] + string(a.CreditCode[17]^1), nil}, // a wrong check character
		{"370800", a.CreditCode[5:13] + "Y", nil},                       // a fragment with a character more
		{"370800", "91370811" + strings.Repeat("0", 10), nil},           // 18 characters, no such code
		{"370800", a.CreditCode[5:9] + " " + a.CreditCode[9:13], nil},   // a space is a character
		{"370800", "9", nil},                                            // codes are searched from 3 characters on
	})
}

// idEndingX returns a valid ID number whose check character is X.
func idEndingX(t *testing.T, region, birth string) string {
	t.Helper()
	for range 1000 {
		id := IDNumber(region, birth)
		if id[17] == 'X' {
			return id
		}
	}
	t.Fatal("no ID number ending in X")
	return ""
}

// otherSuffix returns a valid ID number whose last four characters differ
// from every one in taken.
func otherSuffix(t *testing.T, region string, taken ...string) string {
	t.Helper()
	for range 1000 {
		id := IDNumber(region, "19750601")
		if !slices.ContainsFunc(taken, func(o string) bool { return o[14:] == id[14:] }) {
			return id
		}
	}
	t.Fatal("no ID number with another suffix")
	return ""
}

func testSearchWorker(t *testing.T, s *store.Store, _ *Clock) {
	e := employerNamed(t, s, "370811", "济宁职工检索有限公司")
	q := employerNamed(t, s, "370881", "曲阜职工检索有限公司")
	x := idEndingX(t, "370811", "19880315")
	w1 := workerNamed(t, s, e, "王建国", x)
	w2 := workerNamed(t, s, e, "李建国", otherSuffix(t, "370811", x))
	w3 := workerNamed(t, s, e, "王建军", otherSuffix(t, "370811", x, w2.IDNumber))
	workerNamed(t, s, e, "欧阳建国强", otherSuffix(t, "370811", x, w2.IDNumber, w3.IDNumber))
	far := workerNamed(t, s, q, "孔建国", otherSuffix(t, "370881", x, w2.IDNumber, w3.IDNumber))
	workerNamed(t, s, e, "李娜", otherSuffix(t, "370811", x, w2.IDNumber, w3.IDNumber, far.IDNumber))
	checkSearch(t, s, findWorkers, []searchCase{
		{"370800", "建国", []string{"孔建国", "李建国", "欧阳建国强", "王建国"}}, // a two-character given name
		{"370811", "建国", []string{"李建国", "欧阳建国强", "王建国"}},
		{"370881", "建国", []string{"孔建国"}},
		{"370883", "建国", nil},
		{"370800", "王建国", []string{"王建国"}}, // the whole name, through the index
		{"370800", "阳建国强", []string{"欧阳建国强"}},
		{"370811", "王", []string{"王建军", "王建国"}}, // one character: a surname
		{"370811", "军", nil},                    // not a character inside a given name of two
		{"370811", "娜", []string{"李娜"}},         // but a given name of one (李娜)
		{"370811", "李", []string{"李娜", "李建国"}},  // and 李 the surname
		{"370800", "孔", []string{"孔建国"}},
		{"370800", "建设", nil},
		{"370800", "国建", nil},
		// ID numbers: whole through the keyed hash, the last four through
		// the stored suffix; an X in either case.
		{"370800", w1.IDNumber, []string{"王建国"}},
		{"370800", strings.ToLower(w1.IDNumber), []string{"王建国"}},
		{"370800", w1.IDNumber[14:], []string{"王建国"}},
		{"370800", strings.ToLower(w1.IDNumber[14:]), []string{"王建国"}},
		{"370800", w2.IDNumber[14:], []string{"李建国"}},
		{"370800", far.IDNumber[14:], []string{"孔建国"}},
		{"370811", far.IDNumber[14:], nil}, // scope applies to the suffix
		{"370811", far.IDNumber, nil},      // and to the whole number
		{"370800", w2.IDNumber[15:], nil},  // three characters are not a suffix
		{"370800", w2.IDNumber[13:], nil},  // nor five
		{"370800", w2.IDNumber[:6], nil},   // the visible head is not searched
		{"370800", "X123", nil},            // X only at the end
	})
}

func testSearchLiteralWildcards(t *testing.T, s *store.Store, _ *Clock) {
	for _, n := range []string{"济宁百分之百有限公司", "济宁100%纯净水有限公司", "济宁A_B贸易有限公司", "济宁AxB贸易有限公司",
		`济宁C\D科技有限公司`, `济宁"引号"文化有限公司`, "济宁50%_混合有限公司", "%开头有限公司", "_开头有限公司", `\开头有限公司`} {
		employerNamed(t, s, "370811", n)
	}
	checkSearch(t, s, findEmployers, []searchCase{
		// One character: a prefix.
		{"370800", "%", []string{"%开头有限公司"}},
		{"370800", "_", []string{"_开头有限公司"}},
		{"370800", `\`, []string{`\开头有限公司`}},
		// Two: the bigrams.
		{"370800", "0%", []string{"济宁100%纯净水有限公司", "济宁50%_混合有限公司"}},
		{"370800", "%_", []string{"济宁50%_混合有限公司"}},
		{"370800", "A_", []string{"济宁A_B贸易有限公司"}},
		{"370800", "a_", []string{"济宁A_B贸易有限公司"}},
		{"370800", "_B", []string{"济宁A_B贸易有限公司"}},
		{"370800", "%%", nil},
		{"370800", "__", nil},
		{"370800", `C\`, []string{`济宁C\D科技有限公司`}},
		{"370800", `\\`, nil},
		{"370800", `"引`, []string{`济宁"引号"文化有限公司`}},
		// Three or more: the trigrams.
		{"370800", "100%", []string{"济宁100%纯净水有限公司"}},
		{"370800", "A_B", []string{"济宁A_B贸易有限公司"}},
		{"370800", "a_b", []string{"济宁A_B贸易有限公司"}},
		{"370800", "A%B", nil},
		{"370800", "%_混", []string{"济宁50%_混合有限公司"}},
		{"370800", "%%%", nil},
		{"370800", "___", nil},
		{"370800", `C\D`, []string{`济宁C\D科技有限公司`}},
		{"370800", `C\\D`, nil},
		{"370800", `"引号"`, []string{`济宁"引号"文化有限公司`}},
		{"370800", `引号" OR "济宁`, nil},
		{"370800", `*`, nil},
		{"370800", `济宁*`, nil},
	})
}

// A renamed employer or worker is found by the new name and no longer
// by the old one: the index follows the update.
func testSearchRenamed(t *testing.T, s *store.Store, _ *Clock) {
	e := employerNamed(t, s, "370811", "济宁旧名称机械有限公司")
	name := "济宁新字号纺织有限公司"
	if _, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	w := workerNamed(t, s, e, "赵旧名", IDNumber("370811", "19900101"))
	wname := "赵新名"
	if _, err := s.UpdateWorker(ctx, city(), w.ID, registry.WorkerUpdate{Name: &wname}); err != nil {
		t.Fatal(err)
	}
	// An update that leaves the name alone keeps it found.
	tier := 150
	if _, err := s.UpdateEmployer(ctx, city(), e.ID, registry.EmployerUpdate{RateTierPct: &tier}); err != nil {
		t.Fatal(err)
	}
	checkSearch(t, s, findEmployers, []searchCase{
		{"370800", "新字号纺织", []string{name}},
		{"370800", "纺织", []string{name}},
		{"370800", "旧名称机械", nil},
		{"370800", "机械", nil},
		{"370800", e.CreditCode[6:14], []string{name}},
	})
	checkSearch(t, s, findWorkers, []searchCase{
		{"370800", "赵新名", []string{wname}},
		{"370800", "新名", []string{wname}},
		{"370800", "赵旧名", nil},
		{"370800", "旧名", nil},
		{"370800", w.IDNumber[14:], []string{wname}},
	})
}

// Records loaded in bulk (imports, the demo) are indexed like the others:
// a large batch, which SQLite indexes in one pass after the rows, and a
// small one, indexed row by row; writes after them are indexed again.
func testSearchBulkLoaded(t *testing.T, s *store.Store, _ *Clock) {
	id := IDNumber("370826", "19850505")
	big := &store.Bulk{
		Employers: []registry.Employer{{CreditCode: codeOf("370826", "MA7B3K9P2"), Name: "微山湖批量渔业有限公司", RegionCode: "370826",
			Industry: "04", RiskClass: 1, RateTierPct: 100, Status: "active"}},
		Workers: []registry.Worker{{IDNumber: id, Name: "钱批量", Sex: "M", BirthDate: "1985-05-05", RegionCode: "370826"}},
	}
	for i := range 1200 {
		birth := fmt.Sprintf("1970%02d%02d", 1+i%12, 1+i/12%28)
		big.Workers = append(big.Workers, registry.Worker{IDNumber: IDNumber("370826", birth), Name: "孙大伟", Sex: "M",
			BirthDate: birth[:4] + "-" + birth[4:6] + "-" + birth[6:], RegionCode: "370826"})
	}
	if err := s.LoadBulk(ctx, city(), big, store.LoadOptions{Action: "test.load"}); err != nil {
		t.Fatal(err)
	}
	small := &store.Bulk{
		Employers: []registry.Employer{{CreditCode: CreditCode("370826"), Name: "微山县少量养殖有限公司", RegionCode: "370826",
			Industry: "04", RiskClass: 1, RateTierPct: 100, Status: "active"}},
		Workers: []registry.Worker{{IDNumber: IDNumber("370826", "19860606"), Name: "周少量", Sex: "M", BirthDate: "1986-06-06", RegionCode: "370826"}},
	}
	if err := s.LoadBulk(ctx, city(), small, store.LoadOptions{AuditEach: true}); err != nil {
		t.Fatal(err)
	}
	later := employerNamed(t, s, "370826", "微山县后来登记有限公司")
	workerNamed(t, s, later, "吴后来", IDNumber("370826", "19870707"))
	checkSearch(t, s, findEmployers, []searchCase{
		{"370800", "批量渔业", []string{"微山湖批量渔业有限公司"}},
		{"370800", "渔业", []string{"微山湖批量渔业有限公司"}},
		{"370800", big.Employers[0].CreditCode[4:12], []string{"微山湖批量渔业有限公司"}},
		{"370800", "少量养殖", []string{"微山县少量养殖有限公司"}},
		{"370800", "养殖", []string{"微山县少量养殖有限公司"}},
		{"370800", "后来登记", []string{"微山县后来登记有限公司"}},
		{"370800", "登记", []string{"微山县后来登记有限公司"}},
		{"370800", "微", []string{"微山县少量养殖有限公司", "微山县后来登记有限公司", "微山湖批量渔业有限公司"}},
	})
	checkSearch(t, s, findWorkers, []searchCase{
		{"370800", "批量", []string{"钱批量"}},
		{"370800", "钱批量", []string{"钱批量"}},
		{"370800", id[14:], []string{"钱批量"}},
		{"370800", id, []string{"钱批量"}},
		{"370800", "少量", []string{"周少量"}},
		{"370800", "周少量", []string{"周少量"}},
		{"370800", "后来", []string{"吴后来"}},
		{"370800", "吴后来", []string{"吴后来"}},
	})
	if _, total, err := s.FindWorkers(ctx, access.ScopeOf("370826"), store.WorkerFilter{Query: "大伟"}); err != nil || total != 1200 {
		t.Errorf("大伟: total %d, %v; want 1200", total, err)
	}
	if _, total, err := s.FindWorkers(ctx, access.ScopeOf("370826"), store.WorkerFilter{Query: "孙大伟"}); err != nil || total != 1200 {
		t.Errorf("孙大伟: total %d, %v; want 1200", total, err)
	}
}
