package api

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if code := e.Anon().JSON("GET", "/api/v1/openapi.json", nil, &doc); code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	var documented, routed []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range e.Srv.Routes() {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json" {
			continue
		}
		routed = append(routed, method+" "+path)
	}
	sort.Strings(documented)
	sort.Strings(routed)
	if strings.Join(documented, "\n") != strings.Join(routed, "\n") {
		t.Fatalf("OpenAPI paths differ from the routes.\ndocumented:\n%s\nrouted:\n%s", strings.Join(documented, "\n"), strings.Join(routed, "\n"))
	}
}

type apiError struct {
	Error web.ErrorDetail `json:"error"`
}

func TestAPIBadInput(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := e.Login("clerk-370800")
		good := `{"credit_code":"` + storetest.CreditCode("370811") + `","name":"济宁市任城区宏达机械有限公司","region_code":"370811","industry":"34","risk_class":4,"rate_tier_pct":100}`
		tests := []struct {
			name, path, body string
			status           int
			field, code      string
		}{
			{"wrong USC check", "/api/v1/employers", strings.Replace(good, `"credit_code":"9137081`, `"credit_code":"9237081`, 1), 400, "credit_code", "usc_checksum"},
			{"unknown field", "/api/v1/employers", strings.Replace(good, `"name"`, `"nmae"`, 1), 400, "nmae", "unknown_field"},
			{"wrong type", "/api/v1/employers", strings.Replace(good, `"risk_class":4`, `"risk_class":"四"`, 1), 400, "risk_class", "type"},
			{"tier not allowed", "/api/v1/employers", strings.Replace(good, `"rate_tier_pct":100`, `"rate_tier_pct":90`, 1), 400, "rate_tier_pct", "rate_tier"},
			{"ID check digit", "/api/v1/workers", `{"id_number":"370811198803150012","name":"李强","employer_id":` + itoa64(e.Home.ID) + `,"start":"2020-01-01"}`, 400, "id_number", "id_checksum"},
			{"impossible birth date", "/api/v1/workers", `{"id_number":"` + fixCheck("37081119880230001") + `","name":"李强","employer_id":` + itoa64(e.Home.ID) + `,"start":"2020-01-01"}`, 400, "id_number", "id_birth_date"},
			{"impossible start", "/api/v1/workers", `{"id_number":"` + storetest.IDNumber("370811", "19900101") + `","name":"李强","employer_id":` + itoa64(e.Home.ID) + `,"start":"2021-02-30"}`, 400, "start", "date_format"},
			{"oversized", "/api/v1/employers", `{"name":"` + strings.Repeat("长", 1<<19) + `"}`, 413, "", "too_large"},
			{"trailing data", "/api/v1/employers", good + `{}`, 400, "", "invalid"},
		}
		for _, tt := range tests {
			var out apiError
			code, body := c.Raw("POST", tt.path, "application/json", tt.body)
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("%s: not JSON: %s", tt.name, body)
			}
			if code != tt.status {
				t.Errorf("%s: status %d, want %d (%s)", tt.name, code, tt.status, body)
			}
			if tt.field == "" {
				if out.Error.Code != tt.code {
					t.Errorf("%s: code %q, want %q", tt.name, out.Error.Code, tt.code)
				}
				continue
			}
			if len(out.Error.Fields) == 0 || out.Error.Fields[0].Field != tt.field || out.Error.Fields[0].Code != tt.code || !webtest.HasHan(out.Error.Fields[0].Message) {
				t.Errorf("%s: fields %+v, want %s/%s with a Chinese message", tt.name, out.Error.Fields, tt.field, tt.code)
			}
		}
		var list web.ListBody[json.RawMessage]
		c.JSON("GET", "/api/v1/employers", nil, &list)
		if list.Total != 2 {
			t.Errorf("bad input wrote employers: total %d, want the 2 seeded", list.Total)
		}
		if code := c.JSON("POST", "/api/v1/employers", json.RawMessage(good), nil); code != http.StatusCreated {
			t.Errorf("the good employer: %d", code)
		}
	})
}

func itoa64(n int64) string { b, _ := json.Marshal(n); return string(b) }

// fixCheck appends the right GB 11643 check character.
func fixCheck(first17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range first17 {
		sum += int(c-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

func TestAPIWorkerMaskedForInsurer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	path := "/api/v1/workers/" + itoa64(e.Worker.ID)
	var full, masked map[string]any
	e.Login("benefits-370800").JSON("GET", path, nil, &full)
	e.Login("insurer-370800").JSON("GET", path, nil, &masked)
	if full["id_number"] != e.Worker.IDNumber {
		t.Errorf("benefits officer must see the ID in full: %v", full["id_number"])
	}
	if _, ok := masked["id_number"]; ok || masked["id_number_masked"] != e.Worker.IDNumber[:6]+"********"+e.Worker.IDNumber[14:] {
		t.Errorf("insurer must see the ID masked only: %v", masked)
	}
}

func TestChangesAreAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("clerk-370800")
	name := "济宁市新联系人有限公司"
	if code := c.JSON("PATCH", "/api/v1/employers/"+itoa64(e.Home.ID), map[string]any{"name": name}, nil); code != 200 {
		t.Fatalf("update: %d", code)
	}
	var list web.ListBody[struct {
		Actor, Role, Region, Action, Before, After string
	}]
	e.Login("auditor-370800").JSON("GET", "/api/v1/audit?object_type=employer&object_id="+itoa64(e.Home.ID), nil, &list)
	if len(list.Items) == 0 {
		t.Fatal("no audit entry")
	}
	got := list.Items[0]
	if got.Actor != "clerk-370800" || got.Role != "clerk" || got.Region != "370800" || got.Action != "employer.update" ||
		!strings.Contains(got.After, name) || strings.Contains(got.Before, name) {
		t.Fatalf("audit entry: %+v", got)
	}
	storetest.MustSeal(t, e.S)
	if rep, err := e.S.VerifyAudit(t.Context(), nil); err != nil || rep.Problem != nil || rep.Sealed == 0 {
		t.Fatalf("chain: %+v %v", rep, err)
	}
}

func TestCalcAPIAndParams(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := e.Login("benefits-370800")
	var ans struct {
		Items []struct{ Code, Amount string } `json:"items"`
	}
	req := `{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_avg_12m":"6000.00","level":7,"care":"none"}`
	code, body := c.Raw("POST", "/api/v1/calc", "application/json", req)
	if code != 200 || json.Unmarshal([]byte(body), &ans) != nil || len(ans.Items) == 0 {
		t.Fatalf("calc: %d %s", code, body)
	}
	code, body = c.Raw("POST", "/api/v1/calc", "application/json", `{"kind":"disability","injury_date":"2025-02-30"}`)
	if code != 400 || !strings.Contains(body, "injury_date") {
		t.Fatalf("bad calc input: %d %s", code, body)
	}
	add := map[string]string{"table": "min_wage", "region": "370881", "effective_from": "2026-01-01", "value": "2200.00", "source": "PROJ", "confidence": "U", "note": "测试"}
	if code := c.JSON("POST", "/api/v1/params", add, nil); code != http.StatusForbidden {
		t.Fatalf("benefits officer adding a parameter: %d, want 403", code)
	}
	admin := e.Login("admin-370800")
	if code := admin.JSON("POST", "/api/v1/params", add, nil); code != http.StatusCreated {
		t.Fatalf("admin adding a parameter: %d", code)
	}
	add["value"] = "abc"
	if code, body := admin.Raw("POST", "/api/v1/params", "application/json", mustJSON(add)); code != 400 || !webtest.HasHan(body) {
		t.Fatalf("bad value: %d %s", code, body)
	}
	stored, err := e.S.ParamVersions(t.Context())
	if err != nil || len(stored) != 1 || stored[0].Value != "2200.00" {
		t.Fatalf("stored versions: %+v %v", stored, err)
	}
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
