package expertpool

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongshang/internal/errs"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const caseNo = "GS370881-2025-000123"

func seed(seq int) string { return Seed(caseNo, seq, "00112233445566778899aabbccddeeff") }

// samplePool has four orthopaedists (one suspended, one out of term, one
// at the worker's hospital), three neurologists (one with a declared
// conflict with employer 77), two ENT experts and two device experts.
func samplePool() []Expert {
	p := []Expert{
		expert(101, GroupOrtho, "济宁医学院附属医院"),
		expert(102, GroupOrtho, "曲阜市人民医院"), // the worker's hospital
		expert(103, GroupOrtho, "济宁市第一人民医院"),
		expert(104, GroupOrtho, "兖州区人民医院"),
		expert(105, GroupOrtho, "邹城市人民医院"),
		expert(201, GroupNeuro, "济宁医学院附属医院"),
		expert(202, GroupNeuro, "济宁市精神病防治院"),
		expert(203, GroupNeuro, "济宁市第一人民医院"),
		expert(301, GroupSense, "济宁市第一人民医院"),
		expert(302, GroupSense, "济宁医学院附属医院"),
		expert(401, GroupDevice, "济宁市康复辅具中心"),
		expert(402, GroupDevice, "山东省康复辅具中心"),
	}
	p[2].Status = StatusSuspended
	p[3].TermStart, p[3].TermEnd = day("2021-06-01"), day("2024-05-31")
	p[6].ConflictEmployers = []int64{77}
	return p
}

func sampleRequest() DrawRequest {
	return DrawRequest{CaseNumber: caseNo, Size: 3, Groups: []Group{GroupOrtho, GroupNeuro}, On: day("2025-09-15"),
		Seed: seed(1), WorkerHospitals: []string{"曲阜市人民医院"}, EmployerID: 77}
}

func TestEligibility(t *testing.T) {
	tests := []struct {
		name     string
		edit     func([]Expert, *DrawRequest)
		eligible []int64
		excluded map[int64][]Reason
	}{
		{"Sample", func([]Expert, *DrawRequest) {}, []int64{101, 105, 201, 203},
			map[int64][]Reason{102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 202: {ReasonDeclared}}},
		{"RetiredIsInactive", func(p []Expert, _ *DrawRequest) { p[0].Status = StatusRetired }, []int64{105, 201, 203},
			map[int64][]Reason{101: {ReasonInactive}, 102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 202: {ReasonDeclared}}},
		{"EveryReasonAtOnce", func(p []Expert, r *DrawRequest) {
			p[1].Status, p[1].TermEnd = StatusSuspended, day("2025-09-14")
			r.Excluded = []int64{102}
		}, []int64{101, 105, 201, 203},
			map[int64][]Reason{102: {ReasonInactive, ReasonOutOfTerm, ReasonWorkerHospital, ReasonDeclared}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 202: {ReasonDeclared}}},
		{"HospitalCode", func(p []Expert, r *DrawRequest) { p[0].HospitalCode = "H001"; r.WorkerHospitals = []string{"H001"} },
			[]int64{102, 105, 201, 203},
			map[int64][]Reason{101: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 202: {ReasonDeclared}}},
		{"DeclaredHospital", func(p []Expert, _ *DrawRequest) { p[7].ConflictHospitals = []string{"曲阜市人民医院"} },
			[]int64{101, 105, 201},
			map[int64][]Reason{102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 202: {ReasonDeclared}, 203: {ReasonDeclared}}},
		{"ExcludedForTheCase", func(_ []Expert, r *DrawRequest) { r.Excluded = []int64{105, 999} }, []int64{101, 201, 203},
			map[int64][]Reason{102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}, 105: {ReasonDeclared}, 202: {ReasonDeclared}}},
		{"OtherEmployerNoConflict", func(_ []Expert, r *DrawRequest) { r.EmployerID = 78 }, []int64{101, 105, 201, 202, 203},
			map[int64][]Reason{102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 104: {ReasonOutOfTerm}}},
		{"TermStartsOnTheDay", func(p []Expert, r *DrawRequest) { p[3].TermStart, p[3].TermEnd = day("2025-09-15"), day("2028-09-14") },
			[]int64{101, 104, 105, 201, 203},
			map[int64][]Reason{102: {ReasonWorkerHospital}, 103: {ReasonInactive}, 202: {ReasonDeclared}}},
		{"DeviceGroupJoins", func(p []Expert, r *DrawRequest) {
			r.Device = true
			r.Groups = []Group{GroupSense}
			p[11].Status = StatusSuspended
		},
			[]int64{301, 302, 401}, map[int64][]Reason{402: {ReasonInactive}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool, req := samplePool(), sampleRequest()
			tt.edit(pool, &req)
			rec, err := Draw(pool, req)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rec.Eligible, tt.eligible) {
				t.Errorf("eligible %v, want %v", rec.Eligible, tt.eligible)
			}
			got := map[int64][]Reason{}
			for _, x := range rec.Excluded {
				got[x.ExpertID] = x.Reasons
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.excluded) {
				t.Errorf("excluded %v, want %v", got, tt.excluded)
			}
			for _, e := range rec.Chosen {
				if !slices.Contains(tt.eligible, e.ID) {
					t.Errorf("chose %d, not eligible", e.ID)
				}
			}
		})
	}
}

func TestReasonNames(t *testing.T) {
	got := []string{ReasonWorkerHospital.Name(), ReasonDeclared.Name(), ReasonOutOfTerm.Name(), ReasonInactive.Name()}
	if strings.Join(got, "、") != "本人就诊医院、申报回避、不在聘期、已停用" {
		t.Errorf("names %v", got)
	}
}

// TestPanelComposition checks the seats over many seeds: every needed
// group sits, nobody twice, and the device rule.
func TestPanelComposition(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*DrawRequest)
		device int // device experts required
		clin   int // clinicians required
	}{
		{"TwoGroupsOfThree", func(*DrawRequest) {}, 0, 2},
		{"ThreeGroupsOfFive", func(r *DrawRequest) { r.Size, r.Groups = 5, []Group{GroupSense, GroupOrtho, GroupNeuro} }, 0, 3},
		{"DeviceOneGroup", func(r *DrawRequest) { r.Device, r.Groups = true, []Group{GroupOrtho} }, 1, 2},
		{"DeviceTwoGroupsOfFive", func(r *DrawRequest) { r.Device, r.Size = true, 5 }, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sampleRequest()
			tt.edit(&req)
			for i := 1; i <= 300; i++ {
				req.Seed = seed(i)
				rec, err := Draw(samplePool(), req)
				if err != nil {
					t.Fatal(err)
				}
				checkPanel(t, rec, tt.device, tt.clin)
			}
		})
	}
}

func checkPanel(t *testing.T, rec Record, device, clin int) {
	t.Helper()
	ids := rec.ChosenIDs()
	if len(ids) != rec.Request.Size || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Fatalf("%s: panel %v", rec.Request.Seed, ids)
	}
	n := map[Group]int{}
	nClin := 0
	for _, e := range rec.Chosen {
		n[e.Group]++
		if e.Group.Clinical() {
			nClin++
		}
	}
	for _, g := range rec.Request.Groups {
		if n[g] == 0 {
			t.Fatalf("%s: no %s in %v", rec.Request.Seed, g, ids)
		}
	}
	if n[GroupDevice] < device || nClin < clin {
		t.Fatalf("%s: %d device experts and %d clinicians in %v", rec.Request.Seed, n[GroupDevice], nClin, ids)
	}
}

func TestDeterminism(t *testing.T) {
	pool, req := samplePool(), sampleRequest()
	req.Size = 5
	req.Groups = []Group{GroupOrtho, GroupNeuro, GroupSense}
	first, err := Draw(pool, req)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		shuffled := slices.Clone(pool)
		permute(shuffled, uint64(i))
		rec, err := Draw(shuffled, req)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := mustJSON(t, first), mustJSON(t, rec); a != b {
			t.Fatalf("order %d: record differs:\n%s\n%s", i, a, b)
		}
	}
	// Another seed gives another panel, at least sometimes.
	differ := 0
	for i := 2; i <= 20; i++ {
		req.Seed = seed(i)
		rec, _ := Draw(pool, req)
		if !slices.Equal(rec.ChosenIDs(), first.ChosenIDs()) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("19 other seeds all drew the same panel")
	}
}

// permute shuffles p deterministically from k (a test helper; not the
// draw's stream).
func permute(p []Expert, k uint64) {
	for i := len(p) - 1; i > 0; i-- {
		k = k*6364136223846793005 + 1442695040888963407
		j := int((k >> 33) % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestDistribution draws 10,000 panels of 3 from 7 eligible experts with
// a fixed list of seeds (so the test is deterministic and cannot flake)
// and checks that every expert sits about 3/7 of the time: a Pearson
// statistic over the seven counts below 30 (the 99.99th percentile of
// χ² with 6 degrees of freedom is about 27.9).
func TestDistribution(t *testing.T) {
	var pool []Expert
	for i := range 7 {
		pool = append(pool, expert(int64(10+i), GroupOrtho, "医院"))
	}
	req := DrawRequest{CaseNumber: caseNo, Size: 3, Groups: []Group{GroupOrtho}, On: day("2025-09-15")}
	const draws = 10000
	count := map[int64]int{}
	for i := 1; i <= draws; i++ {
		req.Seed = seed(i)
		rec, err := Draw(pool, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range rec.ChosenIDs() {
			count[id]++
		}
	}
	want := float64(draws) * 3 / 7
	chi := 0.0
	for _, e := range pool {
		d := float64(count[e.ID]) - want
		chi += d * d / want
	}
	t.Logf("counts %v, χ² = %.2f", count, chi)
	if len(count) != 7 || chi > 30 {
		t.Errorf("counts %v (expected %.0f each), χ² = %.1f", count, want, chi)
	}
}

// TestDistributionByGroup draws panels of 5 needing two groups of
// different sizes: every eligible expert sits at least once, and within a
// group the experts sit about equally often.
func TestDistributionByGroup(t *testing.T) {
	pool := []Expert{expert(1, GroupNeuro, "甲"), expert(2, GroupNeuro, "乙")}
	for i := range 6 {
		pool = append(pool, expert(int64(10+i), GroupVisceral, "丙"))
	}
	req := DrawRequest{CaseNumber: caseNo, Size: 5, Groups: []Group{GroupVisceral, GroupNeuro}, On: day("2025-09-15")}
	count := map[int64]int{}
	for i := 1; i <= 10000; i++ {
		req.Seed = seed(i)
		rec, err := Draw(pool, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range rec.ChosenIDs() {
			count[id]++
		}
	}
	t.Logf("counts %v", count)
	for _, g := range [][]int64{{1, 2}, {10, 11, 12, 13, 14, 15}} {
		lo, hi := count[g[0]], count[g[0]]
		for _, id := range g {
			lo, hi = min(lo, count[id]), max(hi, count[id])
		}
		if lo == 0 || float64(hi-lo) > 0.1*float64(hi) {
			t.Errorf("group %v: counts %v", g, count)
		}
	}
}

// TestStream recomputes the stream from its documented formula.
func TestStream(t *testing.T) {
	s := newStream("x")
	for i := range uint64(3) {
		msg := append([]byte(Algorithm+"\x00x\x00"), binary.BigEndian.AppendUint64(nil, i)...)
		sum := sha256.Sum256(msg)
		for w := range 4 {
			if got, want := s.word(), binary.BigEndian.Uint64(sum[8*w:]); got != want {
				t.Fatalf("block %d word %d: %x, want %x", i, w, got, want)
			}
		}
	}
	for _, n := range []int{1, 2, 3, 7, 1000} {
		for range 100 {
			if k := s.below(n); k < 0 || k >= n {
				t.Fatalf("below(%d) = %d", n, k)
			}
		}
	}
}

// TestGolden pins one draw byte for byte: a change of the procedure
// shows here, and must come with a new Algorithm name.
func TestGolden(t *testing.T) {
	req := sampleRequest()
	req.Size, req.Device = 5, true
	rec, err := Draw(samplePool(), req)
	if err != nil {
		t.Fatal(err)
	}
	got := []byte(mustJSON(t, rec) + "\n")
	path := filepath.Join("testdata", "draw.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/expertpool/ -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("draw differs from %s (run with -update after checking):\n%s", path, got)
	}
}

func TestReplay(t *testing.T) {
	rec, err := Draw(samplePool(), sampleRequest())
	if err != nil {
		t.Fatal(err)
	}
	chosen := rec.Chosen[0].ID
	tests := []struct {
		name string
		edit func([]Expert, *Record)
		want []string // fragments of the message; none = reproduced
	}{
		{"Reproduced", func([]Expert, *Record) {}, nil},
		{"ReproducedThroughJSON", func(_ []Expert, r *Record) {
			var back Record
			if err := json.Unmarshal([]byte(mustJSON(t, *r)), &back); err != nil {
				t.Fatal(err)
			}
			*r = back
		}, nil},
		{"RenamedExpert", func(p []Expert, _ *Record) { p[11].Name = "改名" }, []string{"专家库与抽取时不同"}},
		{"ChosenSuspended", func(p []Expert, _ *Record) {
			for i := range p {
				if p[i].ID == chosen {
					p[i].Status = StatusSuspended
				}
			}
		}, []string{"专家库与抽取时不同", "可抽取专家不同（仅记录中有：" + fmt.Sprint(chosen) + "；仅重放中有：无）", "排除名单不同", "抽中专家不同"}},
		{"GroupOrderIrrelevant", func(_ []Expert, r *Record) { r.Request.Groups = []Group{GroupNeuro, GroupOrtho} }, nil},
		{"TamperedPanel", func(_ []Expert, r *Record) { r.Chosen[0].ID = 999 }, []string{"抽中专家不同（记录：999"}},
		{"TamperedSeed", func(_ []Expert, r *Record) { r.Request.Seed = seed(2) }, []string{"抽中专家不同"}},
		{"UnknownAlgorithm", func(_ []Expert, r *Record) { r.Algorithm = "v0" }, []string{"算法“v0”本系统不支持"}},
		{"PoolTooSmallNow", func(p []Expert, _ *Record) {
			for i := range p {
				p[i].Status = StatusRetired
			}
		}, []string{"重放抽取失败：门类“神经内科、神经外科、精神科门”可抽取的专家不足"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := samplePool()
			r := rec
			r.Chosen = slices.Clone(rec.Chosen)
			tt.edit(pool, &r)
			err := Replay(pool, r)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Replay: %v", err)
				}
				return
			}
			if err == nil || !errs.Is(err, errs.Conflict) {
				t.Fatalf("Replay = %v, want a conflict", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestNotEnoughExperts(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*[]Expert, *DrawRequest)
		field string
		want  string
	}{
		{"GroupEmpty", func(_ *[]Expert, r *DrawRequest) { r.Groups = []Group{GroupOrtho, GroupOccupational} }, "groups",
			"门类“职业病内科门”可抽取的专家不足：需要1名，可抽取0名（另有0名因停用、不在聘期或回避被排除）"},
		{"GroupAllExcluded", func(p *[]Expert, r *DrawRequest) { r.Excluded = []int64{101, 105} }, "groups",
			"门类“骨科、整形外科、烧伤科门”可抽取的专家不足：需要1名，可抽取0名（另有5名因停用、不在聘期或回避被排除）"},
		{"TooFewInAll", func(_ *[]Expert, r *DrawRequest) { r.Size = 5 }, "size",
			"专家组需要5名专家，所需门类可抽取的只有4名（另有4名因停用、不在聘期或回避被排除）"},
		{"DeviceTooFewClinicians", func(p *[]Expert, r *DrawRequest) {
			r.Device, r.Groups, r.WorkerHospitals = true, []Group{GroupSense}, []string{"济宁医学院附属医院"}
		}, "groups", "辅助器具配置确认需要至少2名相关门类的临床专家，可抽取1名"},
		{"NoDeviceExpert", func(p *[]Expert, r *DrawRequest) { r.Device, r.Excluded = true, []int64{401, 402} }, "groups",
			"门类“辅助器具专家”可抽取的专家不足：需要1名，可抽取0名（另有2名因停用、不在聘期或回避被排除）"},
		{"DuplicateID", func(p *[]Expert, _ *DrawRequest) { *p = append(*p, expert(101, GroupSense, "某医院")) }, "",
			"专家库中编号101出现两次（专家101、专家101），无法抽取"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool, req := samplePool(), sampleRequest()
			tt.edit(&pool, &req)
			_, err := Draw(pool, req)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Draw = %v\nwant %s", err, tt.want)
			}
			if f, _ := errs.First(err); f.Field != tt.field {
				t.Errorf("field %q, want %q", f.Field, tt.field)
			}
		})
	}
}

func TestRequestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*DrawRequest)
		field string
		code  string
	}{
		{"CaseNumber", func(r *DrawRequest) { r.CaseNumber = " " }, "case_number", "required"},
		{"SizeFour", func(r *DrawRequest) { r.Size = 4 }, "size", "three_or_five"},
		{"NoGroups", func(r *DrawRequest) { r.Groups = nil }, "groups", "required"},
		{"UnknownGroup", func(r *DrawRequest) { r.Groups = []Group{"dental"} }, "groups", "unknown"},
		{"DeviceAsGroup", func(r *DrawRequest) { r.Groups = []Group{GroupDevice} }, "groups", "unknown"},
		{"DuplicateGroup", func(r *DrawRequest) { r.Groups = []Group{GroupOrtho, GroupOrtho} }, "groups", "duplicate"},
		{"FourGroupsInThree", func(r *DrawRequest) { r.Groups = []Group{GroupOrtho, GroupNeuro, GroupSense, GroupVisceral} }, "groups", "too_many"},
		{"DeviceThreeGroupsInThree", func(r *DrawRequest) { r.Device, r.Groups = true, []Group{GroupOrtho, GroupNeuro, GroupSense} }, "groups", "too_many"},
		{"NoDate", func(r *DrawRequest) { r.On = time.Time{} }, "on", "required"},
		{"NoSeed", func(r *DrawRequest) { r.Seed = "" }, "seed", "required"},
		{"SeedOtherCase", func(r *DrawRequest) { r.Seed = Seed("GS370881-2025-000124", 1, "00112233445566778899") }, "seed", "format"},
		{"SeedSequence", func(r *DrawRequest) { r.Seed = Seed(caseNo, 0, "00112233445566778899") }, "seed", "sequence"},
		{"SeedShortNonce", func(r *DrawRequest) { r.Seed = Seed(caseNo, 1, "1234") }, "seed", "nonce"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sampleRequest()
			tt.edit(&req)
			_, err := Draw(samplePool(), req)
			f, ok := errs.First(err)
			if !ok || f.Field != tt.field || f.Code != tt.code {
				t.Fatalf("Draw = %v (%+v), want field %s code %s", err, f, tt.field, tt.code)
			}
		})
	}
}
