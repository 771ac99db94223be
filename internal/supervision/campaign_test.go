package supervision

import (
	"fmt"
	"testing"
)

func ranks(n int) ([]Rank, map[string]string) {
	counties := []string{"370811", "370812", "370826", "370827", "370828", "370829", "370830", "370831", "370832", "370881", "370883"}
	var rs []Rank
	cs := map[string]string{}
	for i := 0; i < n; i++ {
		code := fmt.Sprintf("H%02d", i)
		rs = append(rs, Rank{Institution: code, Score: 1 - float64(i)/float64(n)})
		cs[code] = counties[i%len(counties)]
	}
	return rs, cs
}

func TestPlanCoversEveryInstitution(t *testing.T) {
	rs, cs := ranks(91)
	vs := Plan(rs, cs, PlanOptions{HighShare: 0.2, MediumShare: 0.3, RandomShare: 0.15, Seed: 7})
	if len(vs) != 91 {
		t.Fatalf("visits %d", len(vs))
	}
	full, random := 0, 0
	for i, v := range vs {
		if i < 18 && (v.Tier != "high" || v.Depth != DepthFull) {
			t.Fatalf("top %d not a full visit: %+v", i, v)
		}
		if v.Depth == DepthFull {
			full++
		}
		if v.Random {
			random++
			if v.Tier == "high" {
				t.Fatal("high tier drawn into the random slice")
			}
		}
	}
	if random != 11 || full != 29 { // 15 % of 73 ≈ 11
		t.Fatalf("full %d random %d", full, random)
	}
	again := Plan(rs, cs, PlanOptions{HighShare: 0.2, MediumShare: 0.3, RandomShare: 0.15, Seed: 7})
	for i := range vs {
		if vs[i] != again[i] {
			t.Fatal("the same seed draws differently")
		}
	}
}

func TestDrawTeamsRecusal(t *testing.T) {
	rs, cs := ranks(91)
	vs := Plan(rs, cs, PlanOptions{HighShare: 0.2, MediumShare: 0.3, RandomShare: 0.15, Seed: 1})
	specs := []string{"基金管理", "骨科", "烧伤", "康复", "物价"}
	counties := []string{"370811", "370812", "370826", "370827", "370828", "370829", "370830", "370831", "370832", "370881", "370883", "370800"}
	var pool []Inspector
	for i := 0; i < 24; i++ {
		p := Inspector{ID: int64(i + 1), Name: fmt.Sprintf("专家%d", i+1), County: counties[i%len(counties)], Specialty: specs[i%len(specs)], Officer: i%5 == 0 || i%5 == 1}
		if i == 3 {
			p.Former = []string{"H00"}
		}
		pool = append(pool, p)
	}
	teams, out, err := DrawTeams(pool, vs, 4, 42)
	if err != nil {
		t.Fatal(err)
	}
	load := map[int]int{}
	for _, v := range out {
		tm := teams[v.Team-1]
		for _, m := range tm.Members {
			if m.County == v.County {
				t.Fatalf("team %d member %s from %s audits %s in the same county", tm.No, m.Name, m.County, v.Institution)
			}
			if contains(m.Former, v.Institution) {
				t.Fatalf("former employee audits %s", v.Institution)
			}
		}
		load[v.Team]++
	}
	for no, n := range load {
		if n < 18 || n > 28 {
			t.Fatalf("team %d has %d visits: unbalanced %v", no, n, load)
		}
	}
	if _, _, err := DrawTeams(pool[:6], vs, 4, 42); err == nil {
		t.Fatal("too small a pool drew teams")
	}
}

func TestNextSanction(t *testing.T) {
	cases := []struct {
		prior  []Sanction
		fraud  bool
		refuse bool
		share  float64
		want   Sanction
	}{
		{nil, false, false, 0.001, SanctionTalk},
		{nil, false, false, 0.02, SanctionRectify},
		{[]Sanction{SanctionTalk}, false, false, 0.001, SanctionRectify},
		{[]Sanction{SanctionTalk, SanctionRectify, SanctionWithhold}, false, false, 0, SanctionSuspend},
		{[]Sanction{SanctionSuspend}, false, false, 0, SanctionSuspend},
		{nil, true, false, 0, SanctionSuspend},
		{[]Sanction{SanctionSuspend}, true, false, 0, SanctionTerminate},
		{[]Sanction{SanctionRectify}, false, true, 0, SanctionSuspend},
	}
	for i, c := range cases {
		if got := NextSanction(c.prior, c.fraud, c.refuse, c.share); got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}

func TestRating(t *testing.T) {
	cases := []struct {
		in    RatingInput
		grade string
	}{
		{RatingInput{Settled: 1e8}, "A"},
		{RatingInput{Settled: 1e8, Violations: []int64{1e6, 1e6}}, "A"},                         // 100 − 2×3 = 94
		{RatingInput{Settled: 1e8, Violations: []int64{5e6, 5e6}}, "B"},                         // 100 − 2×7 = 86
		{RatingInput{Settled: 1e8, Violations: []int64{1e7, 5e6, 5e6}}, "C"},                    // 100 − 12 − 7 − 7 = 74
		{RatingInput{Settled: 1e8, Violations: []int64{1e7, 1e7, 5e6}, LateRectifying: 1}, "D"}, // 100 − 31 − 5 = 64
		{RatingInput{Settled: 1e8, Fraud: true}, "E"},
		{RatingInput{Settled: 1e8, Violations: []int64{5e6, 5e6}, SelfCorrected: 5e6}, "A"}, // 86 + 5 = 91
	}
	for i, c := range cases {
		if g, p := Rating(c.in); g != c.grade {
			t.Errorf("case %d: %s (%.1f), want %s", i, g, p, c.grade)
		}
	}
}

func TestPoints(t *testing.T) {
	if p, _ := Points(TierFraud, 1); p != 12 || PointsOutcome(p) != "终止医保支付资格" {
		t.Fatal("fraud, direct responsibility")
	}
	if p, _ := Points(TierViolation, 2); p != 3 || PointsOutcome(p+6) != "暂停医保支付资格1至6个月" {
		t.Fatal("violation, leading responsibility")
	}
	if _, err := Points(TierViolation, 4); err == nil {
		t.Fatal("responsibility 4 accepted")
	}
}

func TestSampleIsStratifiedAndStable(t *testing.T) {
	f := newFx(t)
	for i := 0; i < 12; i++ {
		e := f.enc("H1", "P1", Outpatient, fmt.Sprintf("2025-04-%02d 09:00:00", i+1), fmt.Sprintf("2025-04-%02d 10:00:00", i+1))
		f.line(e, fmt.Sprintf("2025-04-%02d 09:10:00", i+1), "DRESS", float64(i+1), 0, "D1")
	}
	a := Sample(f.x, "H1", map[string]bool{"M001": true}, 2, 5)
	b := Sample(f.x, "H1", map[string]bool{"M001": true}, 2, 5)
	if len(a) != 6 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("sample %v / %v", a, b)
	}
	for _, id := range a {
		if id == "M001" {
			t.Fatal("a flagged encounter in the random sample")
		}
	}
}
