package demo

import (
	"context"
	"slices"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/store"
)

// TrafficPersons are the workers the demo's hospital traffic settles for:
// every worker with a recognised injury (decided, delivered or under
// appeal) in the demo's cases except the test persons of the fixtures,
// which stay as a HIS vendor expects to find them; at most limit, in case
// order.
func TrafficPersons(ctx context.Context, s *store.Store, fixtures Fixtures, limit int) ([]FixturePerson, error) {
	ids, err := caseIDs(ctx, s)
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, p := range fixtures.Persons {
		skip[p.Certno] = true
	}
	seen := map[int64]bool{}
	var out []FixturePerson
	for _, id := range ids {
		if len(out) >= limit {
			break
		}
		c, err := s.FindCase(ctx, access.System, id)
		if err != nil {
			return nil, err
		}
		rec := c.Service(casebundle.Recognition)
		if rec == nil || seen[c.WorkerID] || !rec.Detail.Outcome.Positive() ||
			!slices.Contains([]casebundle.State{casebundle.Decided, casebundle.Delivered, casebundle.Appealed}, rec.State) {
			continue
		}
		seen[c.WorkerID] = true
		w, err := s.FindWorkerByID(ctx, access.ScopeOf("370000"), c.WorkerID)
		if err != nil {
			return nil, err
		}
		if skip[w.IDNumber] {
			continue
		}
		out = append(out, FixturePerson{Certno: w.IDNumber, Name: w.Name, InsuplcAdmdvs: "370800", Kind: "recognized",
			InjuryID: c.Number, DiagCode: store.DiagCode(c.Diagnosis), TreatAdmvs: c.RegionCode})
	}
	return out, nil
}
