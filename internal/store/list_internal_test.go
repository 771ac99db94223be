package store

import (
	"reflect"
	"testing"
)

// The keyset condition of a streamed read: a row value when the order has
// one direction, the expanded form when it mixes them; an order that is
// not plain columns is not keyset-read at all.
func TestKeysetAfter(t *testing.T) {
	cols := []string{"name", "region_code", "id", "credit_code"}
	tests := []struct {
		order, want string
		ok          bool
	}{
		{"name, region_code, id", "(name, region_code, id) > ($3, $4, $5)", true},
		{"region_code DESC, id DESC", "(region_code, id) < ($3, $4)", true},
		{"credit_code DESC", "credit_code < $3", true},
		{"name DESC, id", "((name < $3) OR (name = $3 AND id > $4))", true},
		{"similarity(name, $3) DESC, id", "", false},
		{"phone_enc, id", "", false},
		{"name NULLS FIRST, id", "", false},
	}
	for _, tt := range tests {
		terms, ok := parseOrder(tt.order, cols)
		if ok != tt.ok {
			t.Errorf("%q: parsed %v, want %v", tt.order, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		last := make([]any, len(terms))
		got, args := keysetAfter(terms, last, 2)
		if got != tt.want || !reflect.DeepEqual(args, last) {
			t.Errorf("%q: %s, want %s", tt.order, got, tt.want)
		}
	}
}
