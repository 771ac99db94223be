package demo

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gongshang/internal/registry"
	"gongshang/internal/store"
)

var today = time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

// sample is generated once: the tests below only read it.
var sample = Generate(7, 0.05, today)

func TestGenerateDeterministic(t *testing.T) {
	again := Generate(7, 0.05, today)
	if !reflect.DeepEqual(sample, again) {
		t.Fatal("two Generate calls with the same seed differ")
	}
	other := Generate(8, 0.05, today)
	if reflect.DeepEqual(sample.Employers, other.Employers) {
		t.Fatal("a different seed gave the same employers")
	}
}

func TestGenerateCounts(t *testing.T) {
	tests := []struct {
		scale float64
	}{{0.01}, {0.05}, {0.2}}
	for _, tt := range tests {
		b := sample
		if tt.scale != 0.05 {
			b = Generate(1, tt.scale, today)
		}
		near(t, "employers", len(b.Employers), baseEmployers*tt.scale)
		near(t, "workers", len(b.Workers), baseWorkers*tt.scale)
		near(t, "employments", len(b.Employments), baseWorkers*tt.scale*(1+earlierShare))
		near(t, "wages", len(b.Wages), baseWorkers*tt.scale*wageMonths)
	}
}

func near(t *testing.T, what string, got int, want float64) {
	t.Helper()
	if math.Abs(float64(got)-want) > 0.1*want {
		t.Errorf("%s = %d, want %.0f ± 10%%", what, got, want)
	}
}

func TestGeneratedRecordsValidate(t *testing.T) {
	for i := range sample.Employers {
		e := sample.Employers[i]
		e.Normalize()
		if err := e.Validate(); err != nil {
			t.Errorf("employer %d %s: %v", i, e.Name, err)
		}
	}
	for i := range sample.Workers {
		w := sample.Workers[i]
		w.Normalize()
		sex, birth := w.Sex, w.BirthDate
		if err := w.Validate(today); err != nil {
			t.Errorf("worker %d %s: %v", i, w.Name, err)
		}
		if w.Sex != sex || w.BirthDate != birth {
			t.Errorf("worker %d: sex/birth %s %s, ID number says %s %s", i, sex, birth, w.Sex, w.BirthDate)
		}
		if age := ageAt(t, w.BirthDate, today); age < 18 || age > 60 {
			t.Errorf("worker %d is %d years old", i, age)
		}
	}
	for i, e := range sample.Employments {
		emp := registry.Employment{EmployerID: int64(e.Employer) + 1, Start: e.Start, End: e.End}
		if err := emp.Validate(today); err != nil {
			t.Errorf("employment %d: %v", i, err)
		}
	}
	for i, w := range sample.Wages {
		wage := registry.Wage{WorkerID: 1, EmployerID: 1, Period: w.Period, AmountFen: w.AmountFen}
		if err := wage.Validate(today); err != nil {
			t.Errorf("wage %d: %v", i, err)
		}
		if w.AmountFen < minWageYuan*100 || w.AmountFen%10 != 0 {
			t.Errorf("wage %d: %d fen is below the floor or not whole jiao", i, w.AmountFen)
		}
	}
}

func ageAt(t *testing.T, birth string, on time.Time) int {
	b, err := time.Parse("2006-01-02", birth)
	if err != nil {
		t.Fatal(err)
	}
	age := on.Year() - b.Year()
	if on.Month() < b.Month() || on.Month() == b.Month() && on.Day() < b.Day() {
		age--
	}
	return age
}

func TestKeysUnique(t *testing.T) {
	b := Generate(3, 0.5, today) // 1,000 employers, 10,000 workers
	codes := map[string]bool{}
	for _, e := range b.Employers {
		if codes[e.CreditCode] {
			t.Errorf("credit code %s twice", e.CreditCode)
		}
		codes[e.CreditCode] = true
	}
	ids := map[string]bool{}
	for _, w := range b.Workers {
		if ids[w.IDNumber] {
			t.Errorf("ID number %s twice", w.IDNumber)
		}
		ids[w.IDNumber] = true
	}
	type wageKey struct {
		worker, employer int
		period           string
	}
	wages := map[wageKey]bool{}
	for _, w := range b.Wages {
		k := wageKey{w.Worker, w.Employer, w.Period}
		if wages[k] {
			t.Errorf("wage %v twice", k)
		}
		wages[k] = true
	}
}

func TestEmploymentStructure(t *testing.T) {
	b := sample
	current := make([]int, len(b.Workers))
	for i := range current {
		current[i] = -1
	}
	_, wageStart := wagePeriods(today)
	for _, e := range b.Employments {
		if e.End != "" {
			continue
		}
		if current[e.Worker] != -1 {
			t.Errorf("worker %d has two current employments", e.Worker)
		}
		current[e.Worker] = e.Employer
		if b.Employers[e.Employer].Status != registry.EmployerActive {
			t.Errorf("worker %d works for a %s employer", e.Worker, b.Employers[e.Employer].Status)
		}
		if b.Workers[e.Worker].RegionCode != b.Employers[e.Employer].RegionCode {
			t.Errorf("worker %d is not insured in the employer's region", e.Worker)
		}
		if e.Start > date(wageStart) {
			t.Errorf("worker %d started on %s, after the first wage month", e.Worker, e.Start)
		}
	}
	for i, e := range current {
		if e == -1 {
			t.Errorf("worker %d has no current employment", i)
		}
	}
	for _, e := range b.Employments {
		if e.End != "" && (e.Employer == current[e.Worker] || e.End >= currentStart(b, e.Worker)) {
			t.Errorf("worker %d: earlier employment %+v overlaps or repeats the current one", e.Worker, e)
		}
	}
	for _, w := range b.Wages {
		if w.Employer != current[w.Worker] {
			t.Errorf("wage %+v not paid by the current employer", w)
		}
	}
}

func currentStart(b *store.Bulk, worker int) string {
	for _, e := range b.Employments {
		if e.Worker == worker && e.End == "" {
			return e.Start
		}
	}
	return ""
}

func TestWageMonths(t *testing.T) {
	tests := []struct {
		today       time.Time
		first, last string
	}{
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "2025-03", "2026-02"},
		{time.Date(2026, 1, 31, 23, 0, 0, 0, time.UTC), "2025-01", "2025-12"},
		{time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), "2023-12", "2024-11"},
	}
	for _, tt := range tests {
		b := Generate(1, 0.01, tt.today)
		var periods []string
		for _, w := range b.Wages {
			if !slices.Contains(periods, w.Period) {
				periods = append(periods, w.Period)
			}
		}
		slices.Sort(periods)
		if len(periods) != 12 || periods[0] != tt.first || periods[11] != tt.last {
			t.Errorf("today %s: wage months %v, want 12 from %s to %s", tt.today.Format("2006-01-02"), periods, tt.first, tt.last)
		}
		if len(b.Wages) != 12*len(b.Workers) {
			t.Errorf("today %s: %d wages for %d workers", tt.today.Format("2006-01-02"), len(b.Wages), len(b.Workers))
		}
	}
}

func TestRiskClassesMatchReference(t *testing.T) {
	ref := registry.MustReference()
	for _, e := range sample.Employers {
		in, ok := ref.Industry(e.Industry)
		if !ok || in.RiskClass != e.RiskClass {
			t.Errorf("%s: industry %s class %d, reference says %d", e.Name, e.Industry, e.RiskClass, in.RiskClass)
		}
		if !ref.TierAllowed(e.RiskClass, e.RateTierPct) {
			t.Errorf("%s: tier %d not allowed for class %d", e.Name, e.RateTierPct, e.RiskClass)
		}
	}
}

// TestRealism checks the shape staff will notice.
func TestRealism(t *testing.T) {
	b := Generate(11, 0.5, today)
	coal := map[string]bool{"370883": true, "370812": true, "370826": true, "370811": true, "370829": true, "370830": true}
	statuses := map[string]int{}
	for _, e := range b.Employers {
		statuses[e.Status]++
		if e.Industry == "06" && !coal[e.RegionCode] {
			t.Errorf("coal mine %s in %s", e.Name, e.RegionCode)
		}
		if !strings.HasSuffix(e.Name, "公司") {
			t.Errorf("name %s lacks a legal form", e.Name)
		}
	}
	if statuses[registry.EmployerSuspended] == 0 || statuses[registry.EmployerClosed] == 0 {
		t.Errorf("statuses %v: want some suspended and closed", statuses)
	}
	men := 0
	for _, w := range b.Workers {
		if w.Sex == "M" {
			men++
		}
	}
	if share := float64(men) / float64(len(b.Workers)); share < 0.55 || share > 0.66 {
		t.Errorf("share of men %.2f, want about 0.60", share)
	}
	var sum int64
	for _, w := range b.Wages {
		sum += w.AmountFen
	}
	if mean := float64(sum) / float64(len(b.Wages)) / 100; mean < 6500 || mean > 7500 {
		t.Errorf("mean monthly wage %.0f yuan, want 6,500–7,500", mean)
	}
}
