package supervision

import (
	"reflect"
	"strings"
	"testing"
)

func TestChecklistsEveryCategoryInOrder(t *testing.T) {
	all := Checklists()
	if len(all) != len(Categories) {
		t.Fatalf("%d checklists for %d categories", len(all), len(Categories))
	}
	for i, c := range all {
		if c.Category != Categories[i] || c.Name != CategoryName(c.Category) || len(c.Items) < 3 {
			t.Fatalf("checklist %d: %+v", i, c)
		}
		for _, it := range c.Items {
			if strings.TrimSpace(it) == "" {
				t.Fatalf("%s has an empty item", c.Category)
			}
		}
	}
	// the bed-side roll call is on the 挂床 list, the stock ledger on the 串换 list
	if got := strings.Join(Checklists(PhantomStay)[0].Items, "\n"); !strings.Contains(got, "床旁") || !strings.Contains(got, "护理记录") {
		t.Fatalf("挂床 checklist:\n%s", got)
	}
	if got := strings.Join(Checklists(ItemSubstitution)[0].Items, "\n"); !strings.Contains(got, "进销存") {
		t.Fatalf("串换 checklist:\n%s", got)
	}
}

func TestChecklistsSubsetDeterministic(t *testing.T) {
	a := Checklists(OverTreatment, PhantomStay, "nonsense", PhantomStay)
	b := Checklists(PhantomStay, OverTreatment)
	if len(a) != 2 || a[0].Category != PhantomStay || a[1].Category != OverTreatment {
		t.Fatalf("subset %+v", a)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the order depends on the arguments' order")
	}
	// a caller changing its copy does not change the next call's
	a[0].Items[0] = "x"
	if Checklists(PhantomStay)[0].Items[0] == "x" {
		t.Fatal("Checklists shares its items")
	}
}
