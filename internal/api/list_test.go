package api

import (
	"encoding/json"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// The API lists take the back office's filters, sort and size, and
// refuse bad values with the field named.
func TestAPIListQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	var out struct {
		Items []struct {
			Name       string `json:"name"`
			RegionCode string `json:"region_code"`
		} `json:"items"`
		Total, Offset, Limit int
	}
	if code := c.JSON("GET", "/api/v1/employers?region=370881&risk_class=4&status=active&sort=name&dir=desc&size=20", nil, &out); code != 200 ||
		out.Total != 1 || out.Items[0].RegionCode != "370881" || out.Limit != 20 {
		t.Fatalf("employers filtered: %d %+v", code, out)
	}
	if code := c.JSON("GET", "/api/v1/workers?sort=created&page=1&size=20&sex="+e.Worker.Sex /* from the test ID's serial */ +"&employer_id="+itoa64(e.Home.ID), nil, &out); code != 200 || out.Total != 1 || out.Items[0].Name != "孙明" {
		t.Fatalf("workers filtered: %d %+v", code, out)
	}
	if code := c.JSON("GET", "/api/v1/employers?offset=1&limit=1&sort=created", nil, &out); code != 200 || out.Offset != 1 || out.Limit != 1 || len(out.Items) != 1 {
		t.Fatalf("offset and limit: %d %+v", code, out)
	}
	for path, field := range map[string]string{
		"/api/v1/employers?sort=contact_phone": "sort", "/api/v1/employers?size=13": "size", "/api/v1/employers?format=xlsx": "format",
		"/api/v1/workers?to=2026-1-1": "to", "/api/v1/workers?region=110000": "region", "/api/v1/workers?page=0": "page",
	} {
		code, body := c.Raw("GET", path, "", "")
		var eb web.ErrorBody
		_ = json.Unmarshal([]byte(body), &eb)
		if code != 400 || len(eb.Error.Fields) == 0 || eb.Error.Fields[0].Field != field {
			t.Errorf("%s: %d %s, want 400 naming %s", path, code, body, field)
		}
	}
	// The OpenAPI document names them.
	_, doc := c.Raw("GET", "/api/v1/openapi.json", "", "")
	for _, want := range []string{`"name":"sort"`, `"name":"risk_class"`, `"name":"size"`, `"name":"from"`, `"credit_code"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("OpenAPI lacks %s", want)
		}
	}
}
