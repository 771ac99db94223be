package api

import (
	"reflect"
	"slices"
	"testing"
)

// The case operations document their bodies, with the required fields of
// an application and an action, the multipart upload, the PDF letter, the
// repeatable kind filter and the text case number.
func TestOpenAPICaseOperations(t *testing.T) {
	t.Parallel()
	s, err := newServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]map[string]any{}
	for path, byMethod := range s.openapiDoc()["paths"].(map[string]map[string]any) {
		for method, op := range byMethod {
			ops[method+" "+path] = op.(map[string]any)
		}
	}
	body := func(key, ct string) map[string]any {
		t.Helper()
		op, ok := ops[key]
		if !ok {
			t.Fatalf("%s is not documented", key)
		}
		return op["requestBody"].(map[string]any)["content"].(map[string]any)[ct].(map[string]any)["schema"].(map[string]any)
	}
	req := body("post /api/v1/cases", "application/json")["required"].([]string)
	for _, f := range []string{"worker_id", "employer_id", "injury_date", "application_date", "applicant", "applicant_name", "cause", "diagnosis"} {
		if !slices.Contains(req, f) {
			t.Errorf("application: %s not required (%v)", f, req)
		}
	}
	if slices.Contains(req, "channel") || slices.Contains(req, "services") {
		t.Errorf("application: channel and services are optional (%v)", req)
	}
	if got := body("post /api/v1/cases/{id}/services/{sid}/actions", "application/json")["required"]; !reflect.DeepEqual(got, []string{"action"}) {
		t.Errorf("action requires %v, want only action", got)
	}
	if got := body("post /api/v1/cases/{id}/files", "multipart/form-data")["required"]; !reflect.DeepEqual(got, []string{"file", "material"}) {
		t.Errorf("upload requires %v", got)
	}
	letter := ops["get /api/v1/cases/{id}/letters/{lid}"]["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)
	if _, ok := letter["application/pdf"]; !ok {
		t.Errorf("letter answer: %v", letter)
	}
	params := func(key string) map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, p := range ops[key]["parameters"].([]any) {
			pm := p.(map[string]any)
			out[pm["name"].(string)] = pm
		}
		return out
	}
	q := params("get /api/v1/cases")
	if q["kind"]["schema"].(map[string]any)["type"] != "array" || q["mine"] == nil || q["page"] == nil || q["q"] != nil || q["sort"] != nil {
		t.Errorf("queue parameters: %v", q)
	}
	if n := params("get /api/v1/case-numbers/{number}")["number"]; n["schema"].(map[string]any)["type"] != "string" || n["in"] != "path" {
		t.Errorf("case number parameter: %v", n)
	}
}
