package auditsynth

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeLabels(t *testing.T) string {
	dir := t.TempDir()
	labels := `mdtrt_id,category,kind,amount,feedetl_sn,fixmedins_code,pattern
E1,catalogue_fee,violation,100.00,E10001,H1,CF_OVERPRICE
E2,catalogue_fee,violation,300.00,E20003;E20004,H1,CF_OUTSIDE
E2,phantom_stay,violation,50.00,,H1,PS_EMPTY
E3,fabricated,violation,200.00,,H2,FB_CLONE
E4,phantom_stay,lookalike,0.00,,H3,LA_MASS
E5,over_examination,lookalike,0.00,,H3,LA_HEAD_CT
E5,catalogue_fee,lookalike,0.00,,H3,LA_PRICE_CHANGE
`
	insts := "fixmedins_code,offender\nH1,1\nH2,1\nH3,0\nH4,0\n"
	for name, body := range map[string]string{"labels.csv": labels, "institutions.csv": insts} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func f(enc, cat string) Finding {
	return Finding{RuleID: "X", Category: cat, MdtrtID: enc, Severity: "definite"}
}

func TestEvaluate(t *testing.T) {
	dir := writeLabels(t)
	type cat struct {
		name                     string
		labelled, flagged, tp    int
		precision, recall, money float64
	}
	tests := []struct {
		name                string
		findings            []Finding
		ranking             []Ranked
		macroF1, money      float64
		falseAlarm, anyFind float64
		top10               float64
		cats                []cat
	}{
		{
			name:     "every violation found, nothing else",
			findings: []Finding{f("E1", catFee), f("E2", catFee), f("E2", catStay), f("E3", catFab)},
			macroF1:  0.5, money: 1, falseAlarm: 0, anyFind: 0,
			cats: []cat{{catFee, 2, 2, 2, 1, 1, 1}, {catStay, 1, 1, 1, 1, 1, 1}, {catFab, 1, 1, 1, 1, 1, 1}, {catExam, 0, 0, 0, 0, 0, 0}},
		},
		{
			name: "duplicates count once, look-alikes flagged",
			findings: []Finding{f("E1", catFee), f("E2", catFee), f("E2", catFee), f("E4", catStay),
				f("E5", catSubst), f("E9", catTreat)},
			ranking: []Ranked{{"H1", 0.9}, {"H3", 0.8}, {"H2", 0.7}},
			macroF1: 1.0 / 6, money: 400.0 / 650, falseAlarm: 1.0 / 3, anyFind: 1, top10: 0.2,
			cats: []cat{{catFee, 2, 2, 2, 1, 1, 1}, {catStay, 1, 1, 0, 0, 0, 0}, {catFab, 1, 0, 0, 0, 0, 0},
				{catSubst, 0, 1, 0, 0, 0, 0}, {catTreat, 0, 1, 0, 0, 0, 0}},
		},
		{
			name:     "only part of the money",
			findings: []Finding{f("E2", catStay), f("E3", catFab), f("E5", catExam)},
			ranking:  []Ranked{{"H4", 0.9}, {"H3", 0.8}},
			macroF1:  2.0 / 6, money: 250.0 / 650, falseAlarm: 1.0 / 3, anyFind: 0.5, top10: 0,
			cats: []cat{{catFee, 2, 0, 0, 0, 0, 0}, {catStay, 1, 1, 1, 1, 1, 1}, {catExam, 0, 1, 0, 0, 0, 0}},
		},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Evaluate(dir, tc.findings, tc.ranking)
			if err != nil {
				t.Fatal(err)
			}
			if !near(rep.MacroF1, tc.macroF1) || !near(rep.MoneyRecall, tc.money) || !near(rep.LookalikeFalseAlarm, tc.falseAlarm) ||
				!near(rep.LookalikeAnyFinding, tc.anyFind) || !near(rep.Top10Precision, tc.top10) {
				t.Errorf("macroF1 %v money %v falseAlarm %v any %v top10 %v, want %v %v %v %v %v", rep.MacroF1, rep.MoneyRecall,
					rep.LookalikeFalseAlarm, rep.LookalikeAnyFinding, rep.Top10Precision, tc.macroF1, tc.money, tc.falseAlarm, tc.anyFind, tc.top10)
			}
			for _, want := range tc.cats {
				var got CategoryScore
				for _, c := range rep.Categories {
					if c.Category == want.name {
						got = c
					}
				}
				if got.Labelled != want.labelled || got.Flagged != want.flagged || got.TruePositive != want.tp ||
					!near(got.Precision, want.precision) || !near(got.Recall, want.recall) || !near(got.MoneyRecall, want.money) {
					t.Errorf("%s: got %+v, want %+v", want.name, got, want)
				}
			}
			if txt := rep.Text(); !strings.Contains(txt, "macro-F1") || !strings.Contains(txt, "catalogue_fee") {
				t.Errorf("Text() lacks the table:\n%s", txt)
			}
		})
	}
}

func TestEvaluateRejectsBadInput(t *testing.T) {
	dir := writeLabels(t)
	if _, err := Evaluate(dir, []Finding{f("E1", "fraud")}, nil); err == nil || !strings.Contains(err.Error(), "category") {
		t.Errorf("unknown category: %v", err)
	}
	if _, err := Evaluate(t.TempDir(), nil, nil); err == nil || !strings.Contains(err.Error(), "labels.csv") {
		t.Errorf("missing labels: %v", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "labels.csv"), []byte("mdtrt_id,category,kind,amount,pattern\nE1,catalogue_fee,violation,abc,X\n"), 0o644)
	if _, err := Evaluate(bad, nil, nil); err == nil || !strings.Contains(err.Error(), "第 2 行") {
		t.Errorf("bad amount: %v", err)
	}
}

// TestEvaluatePerfectFindingsOnGenerated: findings equal to the labels score 1.
func TestEvaluatePerfectFindingsOnGenerated(t *testing.T) {
	dir := small(t)
	x := loadExtract(t, dir)
	var fs []Finding
	for id, cats := range x.labels {
		for c := range cats {
			fs = append(fs, f(id, c))
		}
	}
	it := readTable(t, filepath.Join(dir, "labels", "institutions.csv"))
	var rk []Ranked
	for _, r := range it.rows {
		if it.get(r, "offender") == "1" {
			rk = append(rk, Ranked{it.get(r, "fixmedins_code"), 1})
		}
	}
	rep, err := Evaluate(filepath.Join(dir, "labels"), fs, rk)
	if err != nil {
		t.Fatal(err)
	}
	if rep.MacroF1 != 1 || rep.MoneyRecall != 1 || rep.LookalikeFalseAlarm != 0 || rep.Top10Precision != 1 {
		t.Errorf("perfect findings scored:\n%s", rep.Text())
	}
}
