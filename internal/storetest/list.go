package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// RunList is the conformance suite of the list machinery: filters, sorts
// and the streaming Each reads, on every engine. setBatch makes a store's
// streaming reads take few rows per statement, so several batches are
// read (store.SetEachBatch, visible to the store's own tests).
func RunList(t *testing.T, open Opener, setBatch func(*store.Store, int)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s *store.Store, c *Clock)
	}{
		{"EmployerFilters", testEmployerFilters},
		{"EmployerSorts", testEmployerSorts},
		{"WorkerFilters", testWorkerFilters},
		{"WorkerSorts", testWorkerSorts},
		{"EachEmployer", func(t *testing.T, s *store.Store, c *Clock) { setBatch(s, 3); testEachEmployer(t, s, c) }},
		{"EachWorker", func(t *testing.T, s *store.Store, c *Clock) { setBatch(s, 2); testEachWorker(t, s, c) }},
		{"EachStopsWithContext", func(t *testing.T, s *store.Store, c *Clock) { setBatch(s, 1); testEachStops(t, s, c) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewClock()
			tt.fn(t, open(t, c), c)
		})
	}
}

// listEmployers registers a spread of employers: names sharing prefixes,
// three regions, several industries, risk classes and statuses, some of
// them equal so the order's later columns decide.
func listEmployers(t *testing.T, s *store.Store, c *Clock) []registry.Employer {
	t.Helper()
	rows := []struct {
		name, region, industry string
		class                  int
		status                 string
	}{
		{"济宁甲机械有限公司", "370811", "34", 4, registry.EmployerActive},
		{"济宁乙化工有限公司", "370811", "26", 6, registry.EmployerActive},
		{"济宁丙软件有限公司", "370881", "65", 1, registry.EmployerSuspended},
		{"济宁甲机械有限公司", "370881", "34", 4, registry.EmployerActive}, // same name, other county
		{"曲阜丁建筑有限公司", "370881", "47", 5, registry.EmployerClosed},
		{"兖州戊机械有限公司", "370812", "34", 4, registry.EmployerActive},
		{"兖州己软件有限公司", "370812", "65", 1, registry.EmployerActive},
		{"济宁庚餐饮有限公司", "370811", "62", 2, registry.EmployerSuspended},
	}
	var out []registry.Employer
	for _, r := range rows {
		c.T = c.T.Add(time.Hour)
		e := registry.Employer{CreditCode: CreditCode(r.region), Name: r.name, RegionCode: r.region, Industry: r.industry,
			RiskClass: r.class, RateTierPct: 100, Status: r.status, ContactPhone: "13953712345"}
		if err := s.CreateEmployer(ctx, Actor(access.RoleClerk, r.region), &e); err != nil {
			t.Fatalf("employer %s: %v", r.name, err)
		}
		out = append(out, e)
	}
	return out
}

func employerIDs(es []registry.Employer) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func workerIDs(ws []registry.Worker) []int64 {
	out := make([]int64, len(ws))
	for i, w := range ws {
		out[i] = w.ID
	}
	return out
}

// pick is the employers that keep, in the order cmp gives (nil: the
// list's own order, region then newest first).
func pick[T any](all []T, keep func(T) bool, order func(a, b T) int) []T {
	var out []T
	for _, x := range all {
		if keep(x) {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, order)
	return out
}

func byRegionNewest(a, b registry.Employer) int {
	return cmp.Or(-cmp.Compare(a.RegionCode, b.RegionCode), -cmp.Compare(a.ID, b.ID))
}

func testEmployerFilters(t *testing.T, s *store.Store, c *Clock) {
	all := listEmployers(t, s, c)
	city := access.ScopeOf("370800")
	tests := []struct {
		name string
		f    store.EmployerFilter
		keep func(registry.Employer) bool
	}{
		{"all", store.EmployerFilter{}, func(registry.Employer) bool { return true }},
		{"region", store.EmployerFilter{RegionCode: "370881"}, func(e registry.Employer) bool { return e.RegionCode == "370881" }},
		{"industry", store.EmployerFilter{Industry: "34"}, func(e registry.Employer) bool { return e.Industry == "34" }},
		{"risk class", store.EmployerFilter{RiskClass: 1}, func(e registry.Employer) bool { return e.RiskClass == 1 }},
		{"status", store.EmployerFilter{Status: registry.EmployerSuspended}, func(e registry.Employer) bool { return e.Status == registry.EmployerSuspended }},
		{"region and class", store.EmployerFilter{RegionCode: "370812", RiskClass: 4}, func(e registry.Employer) bool { return e.RegionCode == "370812" && e.RiskClass == 4 }},
		{"prefix and status", store.EmployerFilter{Query: "济宁", Status: registry.EmployerActive}, func(e registry.Employer) bool {
			return strings.HasPrefix(e.Name, "济宁") && e.Status == registry.EmployerActive
		}},
		{"nothing", store.EmployerFilter{Industry: "34", RiskClass: 1}, func(registry.Employer) bool { return false }},
	}
	for _, tt := range tests {
		want := pick(all, tt.keep, byRegionNewest)
		got, total, err := s.FindEmployers(ctx, city, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.f.Query != "" {
			// The search orders its own way; compare the sets.
			slices.SortFunc(got, byRegionNewest)
		}
		if total != len(want) || !slices.Equal(employerIDs(got), employerIDs(want)) {
			t.Errorf("%s: total %d ids %v, want %d ids %v", tt.name, total, employerIDs(got), len(want), employerIDs(want))
		}
	}
	// A narrower scope wins over a filter outside it.
	got, total, err := s.FindEmployers(ctx, access.ScopeOf("370811"), store.EmployerFilter{RegionCode: "370881"})
	if err != nil || total != 3 {
		t.Errorf("任城区 asking for 曲阜: total %d %v, want its own 3", total, err)
	}
	for _, e := range got {
		if e.RegionCode != "370811" {
			t.Errorf("任城区 scope lists %s of %s", e.Name, e.RegionCode)
		}
	}
}

// employerOrders are the expected orders of each sort key.
var employerOrders = map[string]func(a, b registry.Employer) int{
	"name": func(a, b registry.Employer) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"credit_code": func(a, b registry.Employer) int { return strings.Compare(a.CreditCode, b.CreditCode) },
	"region": func(a, b registry.Employer) int {
		return cmp.Or(cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"industry": func(a, b registry.Employer) int {
		return cmp.Or(cmp.Compare(a.Industry, b.Industry), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"risk_class": func(a, b registry.Employer) int {
		return cmp.Or(cmp.Compare(a.RiskClass, b.RiskClass), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"created": func(a, b registry.Employer) int { return cmp.Compare(a.ID, b.ID) },
}

func reverse[T any](f func(a, b T) int) func(a, b T) int { return func(a, b T) int { return f(b, a) } }

func testEmployerSorts(t *testing.T, s *store.Store, c *Clock) {
	all := listEmployers(t, s, c)
	city := access.ScopeOf("370800")
	if len(store.EmployerSorts) != len(employerOrders) {
		t.Errorf("store sorts employers by %v; this test knows %d keys", store.EmployerSorts, len(employerOrders))
	}
	for _, key := range store.EmployerSorts {
		order, ok := employerOrders[key]
		if !ok {
			t.Errorf("sort key %s: no expected order", key)
			continue
		}
		for _, desc := range []bool{false, true} {
			o := order
			if desc {
				o = reverse(order)
			}
			want := pick(all, func(registry.Employer) bool { return true }, o)
			got, _, err := s.FindEmployers(ctx, city, store.EmployerFilter{Sort: key, Desc: desc})
			if err != nil {
				t.Fatalf("sort %s: %v", key, err)
			}
			if !slices.Equal(employerIDs(got), employerIDs(want)) {
				t.Errorf("sort %s desc=%v: %v, want %v", key, desc, employerIDs(got), employerIDs(want))
			}
			// The second page continues the first.
			p1, _, _ := s.FindEmployers(ctx, city, store.EmployerFilter{Sort: key, Desc: desc, Page: store.Page{Limit: 3}})
			p2, _, _ := s.FindEmployers(ctx, city, store.EmployerFilter{Sort: key, Desc: desc, Page: store.Page{Offset: 3, Limit: 3}})
			if !slices.Equal(append(employerIDs(p1), employerIDs(p2)...), employerIDs(want)[:6]) {
				t.Errorf("sort %s desc=%v: pages %v %v, want %v", key, desc, employerIDs(p1), employerIDs(p2), employerIDs(want)[:6])
			}
		}
	}
	// A filter and a sort together.
	want := pick(all, func(e registry.Employer) bool { return e.Industry == "34" }, employerOrders["name"])
	got, _, err := s.FindEmployers(ctx, city, store.EmployerFilter{Industry: "34", Sort: "name"})
	if err != nil || !slices.Equal(employerIDs(got), employerIDs(want)) {
		t.Errorf("industry 34 by name: %v %v, want %v", employerIDs(got), err, employerIDs(want))
	}
	if _, _, err := s.FindEmployers(ctx, city, store.EmployerFilter{Sort: "contact_phone_enc"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("sort by an unlisted column: %v, want a field error", err)
	}
}

// listWorkers registers workers of two employers in two counties, born
// and registered on different days (the clock moves a day between them).
func listWorkers(t *testing.T, s *store.Store, c *Clock) ([]registry.Worker, registry.Employer, registry.Employer) {
	t.Helper()
	home, other := MustEmployer(t, s, "370811"), MustEmployer(t, s, "370881")
	rows := []struct {
		name, birth, sex string
		e                registry.Employer
	}{
		{"张三", "19800101", "M", home}, {"张三丰", "19750612", "M", other}, {"李四", "19900305", "F", home},
		{"王五", "19850720", "M", other}, {"张小红", "19920101", "F", home}, {"赵六", "19800101", "F", other},
	}
	var out []registry.Worker
	for _, r := range rows {
		c.T = c.T.Add(24 * time.Hour)
		w := registry.Worker{IDNumber: idOfSex(r.e.RegionCode, r.birth, r.sex), Name: r.name, Phone: "13812345678",
			BankAccount: "6222021608001234567", BankName: "中国银行", RegionCode: r.e.RegionCode}
		emp := registry.Employment{EmployerID: r.e.ID, Start: "2020-07-01"}
		if err := s.CreateWorker(ctx, Actor(access.RoleClerk, r.e.RegionCode), &w, &emp); err != nil {
			t.Fatalf("worker %s: %v", r.name, err)
		}
		if w.Sex != r.sex {
			t.Fatalf("worker %s: sex %s from the ID number, the test wants %s", r.name, w.Sex, r.sex)
		}
		out = append(out, w)
	}
	return out, home, other
}

// idOfSex is a unique valid ID number whose sequence gives sex (odd for
// men, even for women).
func idOfSex(region, birth, sex string) string {
	n := serial.Add(1) % 500 * 2
	if sex == "M" {
		n++
	}
	s := fmt.Sprintf("%s%s%03d", region, birth, n)
	return s + string(registry.IDCheckChar(s))
}

func workerByRegionNewest(a, b registry.Worker) int {
	return cmp.Or(-cmp.Compare(a.RegionCode, b.RegionCode), -cmp.Compare(a.ID, b.ID))
}

// cstDay is the registration day of w in China Standard Time.
func cstDay(w registry.Worker) string {
	return w.CreatedAt.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
}

func testWorkerFilters(t *testing.T, s *store.Store, c *Clock) {
	all, home, _ := listWorkers(t, s, c)
	city := access.ScopeOf("370800")
	d2, d4 := cstDay(all[1]), cstDay(all[3])
	tests := []struct {
		name string
		f    store.WorkerFilter
		keep func(registry.Worker) bool
	}{
		{"all", store.WorkerFilter{}, func(registry.Worker) bool { return true }},
		{"region", store.WorkerFilter{RegionCode: "370881"}, func(w registry.Worker) bool { return w.RegionCode == "370881" }},
		{"employer", store.WorkerFilter{EmployerID: home.ID}, func(w registry.Worker) bool { return w.RegionCode == "370811" }},
		{"sex", store.WorkerFilter{Sex: "F"}, func(w registry.Worker) bool { return w.Sex == "F" }},
		{"from", store.WorkerFilter{From: d2}, func(w registry.Worker) bool { return cstDay(w) >= d2 }},
		{"to", store.WorkerFilter{To: d2}, func(w registry.Worker) bool { return cstDay(w) <= d2 }},
		{"range", store.WorkerFilter{From: d2, To: d4}, func(w registry.Worker) bool { return cstDay(w) >= d2 && cstDay(w) <= d4 }},
		{"sex and region", store.WorkerFilter{Sex: "M", RegionCode: "370881"}, func(w registry.Worker) bool { return w.Sex == "M" && w.RegionCode == "370881" }},
		{"prefix and sex", store.WorkerFilter{Query: "张", Sex: "F"}, func(w registry.Worker) bool { return strings.HasPrefix(w.Name, "张") && w.Sex == "F" }},
	}
	for _, tt := range tests {
		want := pick(all, tt.keep, workerByRegionNewest)
		got, total, err := s.FindWorkers(ctx, city, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.f.Query != "" {
			slices.SortFunc(got, workerByRegionNewest)
		}
		if total != len(want) || !slices.Equal(workerIDs(got), workerIDs(want)) {
			t.Errorf("%s: total %d ids %v, want %d ids %v", tt.name, total, workerIDs(got), len(want), workerIDs(want))
		}
	}
	if _, _, err := s.FindWorkers(ctx, city, store.WorkerFilter{From: "2026-02-30"}); !errs.Is(err, errs.Invalid) {
		t.Errorf("impossible date: %v, want a field error", err)
	}
}

var workerOrders = map[string]func(a, b registry.Worker) int{
	"name": func(a, b registry.Worker) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"region": func(a, b registry.Worker) int {
		return cmp.Or(cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"birth": func(a, b registry.Worker) int {
		return cmp.Or(cmp.Compare(a.BirthDate, b.BirthDate), cmp.Compare(a.RegionCode, b.RegionCode), cmp.Compare(a.ID, b.ID))
	},
	"created": func(a, b registry.Worker) int { return cmp.Compare(a.ID, b.ID) },
}

func testWorkerSorts(t *testing.T, s *store.Store, c *Clock) {
	all, _, _ := listWorkers(t, s, c)
	city := access.ScopeOf("370800")
	if len(store.WorkerSorts) != len(workerOrders) {
		t.Errorf("store sorts workers by %v; this test knows %d keys", store.WorkerSorts, len(workerOrders))
	}
	for _, key := range store.WorkerSorts {
		order, ok := workerOrders[key]
		if !ok {
			t.Errorf("sort key %s: no expected order", key)
			continue
		}
		for _, desc := range []bool{false, true} {
			o := order
			if desc {
				o = reverse(order)
			}
			want := pick(all, func(registry.Worker) bool { return true }, o)
			got, _, err := s.FindWorkers(ctx, city, store.WorkerFilter{Sort: key, Desc: desc})
			if err != nil {
				t.Fatalf("sort %s: %v", key, err)
			}
			if !slices.Equal(workerIDs(got), workerIDs(want)) {
				t.Errorf("sort %s desc=%v: %v, want %v", key, desc, workerIDs(got), workerIDs(want))
			}
		}
	}
}

// each collects what an Each read gives.
func eachEmployers(t *testing.T, s *store.Store, scope access.Scope, f store.EmployerFilter) []registry.Employer {
	t.Helper()
	var out []registry.Employer
	if err := s.EachEmployer(ctx, scope, f, func(e registry.Employer) error { out = append(out, e); return nil }); err != nil {
		t.Fatalf("EachEmployer %+v: %v", f, err)
	}
	return out
}

func testEachEmployer(t *testing.T, s *store.Store, c *Clock) {
	all := listEmployers(t, s, c)
	city := access.ScopeOf("370800")
	filters := []store.EmployerFilter{{}, {Industry: "34"}, {RegionCode: "370881"}, {Query: "济宁"}, {Status: registry.EmployerActive, Sort: "name"}}
	for _, key := range store.EmployerSorts {
		filters = append(filters, store.EmployerFilter{Sort: key}, store.EmployerFilter{Sort: key, Desc: true})
	}
	for _, f := range filters {
		want, total, err := s.FindEmployers(ctx, city, f)
		if err != nil {
			t.Fatal(err)
		}
		got := eachEmployers(t, s, city, f)
		if len(got) != total || !slices.Equal(employerIDs(got), employerIDs(want)) {
			t.Errorf("EachEmployer %+v: %v, want FindEmployers' %v", f, employerIDs(got), employerIDs(want))
		}
		for _, e := range got {
			if e.ContactPhone != "" || e.ContactPhoneMasked != "139****2345" {
				t.Errorf("EachEmployer gives phone %q masked %q: want the mask only", e.ContactPhone, e.ContactPhoneMasked)
			}
		}
	}
	if n := len(eachEmployers(t, s, access.ScopeOf("370812"), store.EmployerFilter{})); n != 2 {
		t.Errorf("EachEmployer in 兖州区: %d rows, want its 2", n)
	}
	if len(all) != 8 {
		t.Fatalf("%d employers registered", len(all))
	}
}

func testEachWorker(t *testing.T, s *store.Store, c *Clock) {
	all, home, _ := listWorkers(t, s, c)
	city := access.ScopeOf("370800")
	filters := []store.WorkerFilter{{}, {Sex: "F"}, {EmployerID: home.ID}, {Query: "张"}, {From: cstDay(all[2]), Sort: "name"}}
	for _, key := range store.WorkerSorts {
		filters = append(filters, store.WorkerFilter{Sort: key}, store.WorkerFilter{Sort: key, Desc: true})
	}
	for _, f := range filters {
		want, total, err := s.FindWorkers(ctx, city, f)
		if err != nil {
			t.Fatal(err)
		}
		var got []registry.Worker
		if err := s.EachWorker(ctx, city, f, func(w registry.Worker) error { got = append(got, w); return nil }); err != nil {
			t.Fatalf("EachWorker %+v: %v", f, err)
		}
		if len(got) != total || !slices.Equal(workerIDs(got), workerIDs(want)) {
			t.Errorf("EachWorker %+v: %v, want FindWorkers' %v", f, workerIDs(got), workerIDs(want))
		}
		for _, w := range got {
			if w.IDNumber != "" || w.Phone != "" || w.BankAccount != "" || !strings.Contains(w.IDMasked, "*") || !strings.Contains(w.PhoneMasked, "*") {
				t.Errorf("EachWorker gives personal data: %+v", w)
			}
		}
	}
}

func testEachStops(t *testing.T, s *store.Store, c *Clock) {
	listEmployers(t, s, c)
	city := access.ScopeOf("370800")
	// A failing callback stops the read with its error.
	stop := fmt.Errorf("enough")
	n := 0
	err := s.EachEmployer(ctx, city, store.EmployerFilter{}, func(registry.Employer) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("callback error: %v after %d rows, want %v after 2", err, n, stop)
	}
	// An ended context stops it too.
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = s.EachWorker(cctx, city, store.WorkerFilter{}, func(registry.Worker) error { return nil })
	if err != nil {
		t.Fatalf("EachWorker of none: %v", err)
	}
	err = s.EachEmployer(cctx, city, store.EmployerFilter{}, func(registry.Employer) error {
		n++
		cancel()
		return nil
	})
	cancel()
	if err == nil || n == 0 || n >= 8 {
		t.Errorf("cancelled context: %v after %d rows, want the context's error before the end", err, n)
	}
}
