package prevention

import (
	"fmt"
	"testing"
)

func TestComputeKPI(t *testing.T) {
	sc := Score(8500)
	sessions := []KPISession{
		{ID: 1, Region: "370811", HeldOn: "2025-03-02", State: SessionClosed, Programme: "危化品", Industry: "26", Score: &sc},
		{ID: 2, Region: "370881", HeldOn: "2025-03-20", State: SessionHeld, Programme: "危化品", Industry: "26"},
		{ID: 3, Region: "370881", HeldOn: "2025-04-05", State: SessionHeld, Programme: "建筑施工", Industry: "47"},
		{ID: 4, Region: "370881", HeldOn: "2025-04-06", State: SessionCancelled, Programme: "危化品", Industry: "26"},
	}
	var att []KPIAttendance
	add := func(session int64, people ...int) {
		for _, p := range people {
			att = append(att, KPIAttendance{SessionID: session, Person: fmt.Sprint("p", p)})
		}
	}
	add(1, 1, 2, 3)
	add(2, 3, 4, 5) // p3 again
	add(3, 1, 6)
	add(4, 7, 8, 9) // cancelled: counts for nothing
	targets := []Target{{Region: "370800", Programme: "危化品", YearFrom: 2025, YearTo: 2027, Target: 4}, {Region: "370881", Programme: "危化品", YearFrom: 2025, YearTo: 2025, Target: 10}}
	k := ComputeKPI(sessions, att, targets)
	if k.Sessions != 3 || k.PersonTimes != 8 || k.People != 6 {
		t.Fatalf("totals: %d sessions, %d person-times, %d people", k.Sessions, k.PersonTimes, k.People)
	}
	if k.ByProgramme[0].Key != "危化品" || k.ByProgramme[0].PersonTimes != 6 || k.ByProgramme[0].People != 5 || k.ByProgramme[0].Sessions != 2 {
		t.Fatalf("by programme: %+v", k.ByProgramme)
	}
	if len(k.ByRegion) != 2 || k.ByRegion[0].Key != "370881" || k.ByRegion[0].PersonTimes != 5 || k.ByRegion[0].People != 5 ||
		k.ByRegion[1].Key != "370811" || k.ByRegion[1].Sessions != 1 {
		t.Fatalf("by region: %+v", k.ByRegion)
	}
	if len(k.ByMonth) != 2 || k.ByMonth[0].Key != "2025-03" || k.ByMonth[1].PersonTimes != 2 {
		t.Fatalf("by month: %+v", k.ByMonth)
	}
	city := k.Targets[0]
	if city.Trained != 5 || city.SharePct != 12500 || city.ReachedOn != "2025-03-20" {
		t.Fatalf("city target: %+v", city)
	}
	county := k.Targets[1]
	if county.Trained != 3 || county.SharePct != 3000 || county.ReachedOn != "" {
		t.Fatalf("county target: %+v", county)
	}
	if k.Evaluated != 1 || k.AverageScore != 8500 {
		t.Fatalf("score: %d %v", k.Evaluated, k.AverageScore)
	}
	// cancelling session 2 moves the figures
	sessions[1].State = SessionCancelled
	k = ComputeKPI(sessions, att, targets)
	if k.Sessions != 2 || k.PersonTimes != 5 || k.Targets[0].Trained != 3 || k.Targets[0].ReachedOn != "" {
		t.Fatalf("after cancel: %+v", k)
	}
}

// The source text's figure: 1,593 trained against a target the share of
// which is 273 %.
func TestTargetShareOfTheSourceText(t *testing.T) {
	var att []KPIAttendance
	for i := range 1593 {
		att = append(att, KPIAttendance{SessionID: 1, Person: fmt.Sprint(i)})
	}
	k := ComputeKPI([]KPISession{{ID: 1, Region: "370811", HeldOn: "2024-06-01", State: SessionHeld, Programme: "危化品"}}, att,
		[]Target{{Region: "370800", Programme: "危化品", YearFrom: 2023, YearTo: 2025, Target: 583}})
	if p := k.Targets[0]; p.SharePct/100 != 273 || p.ReachedOn != "2024-06-01" {
		t.Fatalf("%+v", p)
	}
}

// A trained division's rate year by year sums its counties; a division
// not trained has no trend; a year without insured workers is not rated.
func TestInjuryTrends(t *testing.T) {
	counts := map[int][]InjuryCount{
		2024: {{Region: "370811", Division: "26", Injuries: 6, Insured: 1000}, {Region: "370828", Division: "26", Injuries: 4, Insured: 1000}, {Region: "370811", Division: "47", Injuries: 9, Insured: 900}},
		2025: {{Region: "370811", Division: "26", Injuries: 3, Insured: 1000}, {Region: "370828", Division: "26", Injuries: 1, Insured: 1000}},
	}
	tr := InjuryTrends(counts, 2024, 2026, map[string]string{"26": "2024-03-11"}, func(d string) string { return "化学原料和化学制品制造业" })
	if len(tr) != 1 || tr[0].Division != "26" || len(tr[0].Years) != 3 {
		t.Fatalf("trends %+v", tr)
	}
	y := tr[0].Years
	if y[0].Injuries != 10 || y[0].Insured != 2000 || y[0].PerMille != 5000 || y[1].PerMille != 2000 || y[2].Rated {
		t.Fatalf("years %+v", y)
	}
}
