package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"testing"
)

type inner struct {
	A      string `json:"a"`
	B      int    `json:"b,omitempty"`
	Shadow string `json:"shadow"`
}

type innerPtr struct {
	C bool `json:"c"`
}

type outer struct {
	inner
	*innerPtr
	Shadow string  `json:"shadow,omitempty"`
	D      *string `json:"d"`
	E      string  `json:"e" openapi:"optional"`
	Skip   string  `json:"-"`
	F      []inner `json:"f"`
}

// Embedded structs are their fields, as encoding/json writes them, and the
// required list follows the documented rule.
func TestSchemaFlattensEmbeddedStructs(t *testing.T) {
	t.Parallel()
	sc := schemaOf(reflect.TypeOf(outer{}))
	props := keys(sc["properties"].(map[string]any))
	if want := []string{"a", "b", "c", "d", "e", "f", "shadow"}; !slices.Equal(props, want) {
		t.Errorf("properties %v, want %v", props, want)
	}
	if got, want := sc["required"], []string{"a", "c", "f"}; !reflect.DeepEqual(got, want) {
		t.Errorf("required %v, want %v (shadow is the outer, omitempty field)", got, want)
	}
	items := sc["properties"].(map[string]any)["f"].(map[string]any)["items"].(map[string]any)
	if got, want := items["required"], []string{"a", "shadow"}; !reflect.DeepEqual(got, want) {
		t.Errorf("nested required %v, want %v", got, want)
	}
}

// Every documented answer type, encoded as encoding/json does, holds
// exactly its schema's properties: all the required ones, nothing
// undocumented.
func TestOpenAPISchemasMatchEncoding(t *testing.T) {
	t.Parallel()
	s, err := newServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range s.routes {
		if rt.doc == nil || rt.doc.Response == nil {
			continue
		}
		b, err := json.Marshal(rt.doc.Response)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		checkSchema(t, rt.Pattern, schemaOf(reflect.TypeOf(rt.doc.Response)), v)
	}
}

func checkSchema(t *testing.T, where string, sc map[string]any, v any) {
	t.Helper()
	obj, ok := v.(map[string]any)
	props, isObj := sc["properties"].(map[string]any)
	if !ok || !isObj {
		return
	}
	for k, val := range obj {
		p, ok := props[k]
		if !ok {
			t.Errorf("%s: answer has %q, which the schema does not document", where, k)
			continue
		}
		checkSchema(t, where+"."+k, p.(map[string]any), val)
	}
	req, _ := sc["required"].([]string)
	for _, k := range req {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s: %q is required but a zero answer leaves it out", where, k)
		}
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
