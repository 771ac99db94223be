package supervision

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md")

func TestRuleDoc(t *testing.T) {
	const path = "../../docs/rules.md"
	want := RuleTable()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/rules.md is not the rule base; run go test ./internal/supervision -run RuleDoc -update")
	}
}

func TestRuleBaseIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Base {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if CategoryName(r.Category) == "" || (r.Severity != Definite && r.Severity != Suspicious) || r.Basis == "" || r.Logic == "" || len(r.Stages) == 0 {
			t.Errorf("rule %s is incomplete: %+v", r.ID, r)
		}
		for _, p := range r.Params {
			if p.Default < p.Min || p.Default > p.Max {
				t.Errorf("rule %s parameter %s default outside its range", r.ID, p.Name)
			}
		}
	}
	for _, c := range Categories {
		n := 0
		for _, r := range Base {
			if r.Category == c && r.Runs(StageScreening) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no screening rule for %s", c)
		}
	}
}
