package prevention

import (
	"testing"
)

func TestRankIndustries(t *testing.T) {
	cur := []InjuryCount{
		{Region: "370881", Division: "26", Injuries: 3, Insured: 1000}, // 3‰
		{Region: "370811", Division: "47", Injuries: 6, Insured: 1000}, // 6‰
		{Region: "370811", Division: "26", Injuries: 3, Insured: 1000}, // 3‰, same rate: division, then region
		{Region: "370811", Division: "13", Injuries: 2, Insured: 0},    // nobody insured: last
		{Region: "370811", Division: "14", Injuries: 0, Insured: 500},  // nothing either year: left out
		{Region: "370811", Division: "34", Injuries: 0, Insured: 300},  // none now, some before: kept
	}
	prev := []InjuryCount{{Region: "370811", Division: "47", Injuries: 2, Insured: 800}, {Region: "370811", Division: "34", Injuries: 1, Insured: 300}}
	rows := RankIndustries(cur, prev, func(d string) string { return "行业" + d })
	if len(rows) != 5 {
		t.Fatalf("rows: %+v", rows)
	}
	want := []struct {
		region, div string
		pm          int64
	}{{"370811", "47", 6000}, {"370811", "26", 3000}, {"370881", "26", 3000}, {"370811", "34", 0}, {"370811", "13", 0}}
	for i, w := range want {
		if rows[i].Region != w.region || rows[i].Division != w.div || rows[i].PerMille != w.pm || rows[i].Rank != i+1 {
			t.Errorf("row %d: %+v, want %+v", i, rows[i], w)
		}
	}
	if rows[0].PrevPerMille != 2500 || rows[0].Change != 3500 || rows[0].Name != "行业47" {
		t.Errorf("change against the year before: %+v", rows[0])
	}
	if rows[4].Rated || !rows[3].Rated || rows[3].Change != -3333 {
		t.Errorf("unrated and falling rows: %+v %+v", rows[3], rows[4])
	}
	if FormatPerMille(3333) != "3.333‰" || FormatPerMille(-42) != "-0.042‰" {
		t.Error(FormatPerMille(3333), FormatPerMille(-42))
	}
}

func TestFocus(t *testing.T) {
	r := ref(t)
	f := NormalizeFocus(Focus{Divisions: []string{" 26", "26", "47"}, Enterprises: []string{""}})
	if len(f.Divisions) != 2 || len(f.Enterprises) != 0 {
		t.Fatalf("normalized: %+v", f)
	}
	if err := ValidateFocus(f, r); err != nil {
		t.Fatal(err)
	}
	if err := ValidateFocus(Focus{}, r); !hasField(err, "divisions") {
		t.Fatal(err)
	}
	if err := ValidateFocus(Focus{Divisions: []string{"00"}}, r); !hasField(err, "divisions") {
		t.Fatal(err)
	}
	if err := ValidateFocus(Focus{Divisions: []string{"26"}, Enterprises: []string{"123"}}, r); !hasField(err, "enterprises") {
		t.Fatal(err)
	}
}
