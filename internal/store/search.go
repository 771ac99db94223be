package store

import "gongshang/internal/registry"

// matchEmployers narrows w to the employers a search box query q finds:
// a whole credit code exactly, otherwise a name by prefix. "" matches all.
func (s *Store) matchEmployers(w *where, q string) {
	switch {
	case q == "":
	case len(q) == 18 && registry.ValidateCreditCode("q", q) == nil:
		w.eq("credit_code", q)
	default:
		w.prefix("name", q)
		w.order = nameOrder
	}
}

// matchWorkers narrows w to the workers a search box query q finds: a
// whole ID number through its keyed hash, otherwise a name by prefix.
func (s *Store) matchWorkers(w *where, q string) {
	switch q := registry.NormalizeIDNumber(q); {
	case q == "":
	case len(q) == 18 && isIDLike(q):
		w.eq("id_hash", s.pii.Hash(q))
	default:
		w.prefix("name", q)
		w.order = nameOrder
	}
}
