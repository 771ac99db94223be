package hissim

import (
	"encoding/json"
	"fmt"

	"gongshang/internal/his"
)

// Fixtures are the test institutions, persons and catalogue items printed
// by `gongshang demo fixtures`. Keys beyond the documented ones are ignored.
type Fixtures struct {
	Institutions []FixtureInstitution `json:"institutions"`
	Persons      []FixturePerson      `json:"persons"`
	Catalog      []FixtureItem        `json:"catalog"`
}

// FixtureInstitution is a test institution with its access credentials.
type FixtureInstitution struct {
	FixmedinsCode string `json:"fixmedins_code"`
	FixmedinsName string `json:"fixmedins_name"`
	Admvs         string `json:"admvs"`
	Type          string `json:"type"` // medical, rehab or device
	Paasid        string `json:"paasid"`
	Token         string `json:"token"`
}

// The person kinds of the fixtures.
const (
	KindRecognized    = "recognized"
	KindPending       = "pending"
	KindRemoteValid   = "remote_valid"
	KindRemoteExpired = "remote_expired"
	KindUninsured     = "uninsured"
)

// FixturePerson is a test person.
type FixturePerson struct {
	Certno        string `json:"certno"`
	PsnName       string `json:"psn_name"`
	InsuplcAdmdvs string `json:"insuplc_admdvs"`
	Kind          string `json:"kind"`
	InjuryID      string `json:"injury_id"`
	DiagCode      string `json:"diag_code"`
	TreatAdmvs    string `json:"treat_admvs"` // where a remote person is meant to be treated
}

// FixtureItem is a catalogue item; Covered is false for codes outside the
// work-injury catalogues.
type FixtureItem struct {
	MedListCodg  string     `json:"med_list_codg"`
	Name         string     `json:"name"`
	Category     string     `json:"category"` // drug, item, material, bed, rehab or device
	Pric         his.Amount `json:"pric"`
	PricUplmtAmt his.Amount `json:"pric_uplmt_amt"`
	Covered      bool       `json:"covered"`
}

// ParseFixtures reads the fixtures JSON; every institution needs a code,
// paasid and token, every person a certno.
func ParseFixtures(b []byte) (Fixtures, error) {
	var f Fixtures
	if err := json.Unmarshal(b, &f); err != nil {
		return Fixtures{}, fmt.Errorf("hissim: fixtures: %w", err)
	}
	for i, in := range f.Institutions {
		if in.FixmedinsCode == "" || in.Paasid == "" || in.Token == "" {
			return Fixtures{}, fmt.Errorf("hissim: fixtures: institution %d lacks fixmedins_code, paasid or token", i)
		}
	}
	for i, p := range f.Persons {
		if p.Certno == "" {
			return Fixtures{}, fmt.Errorf("hissim: fixtures: person %d lacks certno", i)
		}
	}
	return f, nil
}

// InstitutionsIn returns the institutions of region admvs and type typ;
// an empty argument matches any.
func (f Fixtures) InstitutionsIn(admvs, typ string) []FixtureInstitution {
	var out []FixtureInstitution
	for _, in := range f.Institutions {
		if (admvs == "" || in.Admvs == admvs) && (typ == "" || in.Type == typ) {
			out = append(out, in)
		}
	}
	return out
}

// PersonsOf returns the persons of kind.
func (f Fixtures) PersonsOf(kind string) []FixturePerson {
	var out []FixturePerson
	for _, p := range f.Persons {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// CoveredItems returns the covered catalogue items of the given
// categories (none given: all covered items).
func (f Fixtures) CoveredItems(categories ...string) []FixtureItem {
	var out []FixtureItem
	for _, it := range f.Catalog {
		if it.Covered && (len(categories) == 0 || contains(categories, it.Category)) {
			out = append(out, it)
		}
	}
	return out
}

// UncoveredItems returns the items outside the work-injury catalogues.
func (f Fixtures) UncoveredItems() []FixtureItem {
	var out []FixtureItem
	for _, it := range f.Catalog {
		if !it.Covered {
			out = append(out, it)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
