package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// A NUL byte or invalid UTF-8 anywhere in a query, a JSON body or a form
// is a 400 naming the field, the same on both engines, and nothing is
// written (on PostgreSQL a NUL in the login name or in ?q= was a 500).
func TestAPIRefusesNULAndInvalidUTF8(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := e.Login("clerk-370800")
		anon := e.Anon()
		employer := `{"credit_code":"` + storetest.CreditCode("370811") + `","name":"济宁市任城区宏达%s机械有限公司","region_code":"370811","industry":"34","risk_class":4,"rate_tier_pct":100}`
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.WriteField("kind", "workers\x00")
		mw.Close()
		tests := []struct {
			name         string
			c            *webtest.Client
			method, path string
			ct, body     string
			field, code  string
		}{
			{"NUL in the login name", anon, "POST", "/api/v1/session", "application/json", `{"username":"clerk-370800\u0000","password":"x"}`, "username", "nul_byte"},
			{"bad UTF-8 in the login name", anon, "POST", "/api/v1/session", "application/json", "{\"username\":\"clerk\xff\",\"password\":\"x\"}", "username", "invalid_utf8"},
			{"NUL in ?q=", c, "GET", "/api/v1/workers?q=%00", "", "", "q", "nul_byte"},
			{"bad UTF-8 in ?q=", c, "GET", "/api/v1/employers?q=%FF", "", "", "q", "invalid_utf8"},
			{"NUL in a name", c, "POST", "/api/v1/employers", "application/json", fmt.Sprintf(employer, `\u0000`), "name", "nul_byte"},
			{"bad UTF-8 in a name", c, "POST", "/api/v1/employers", "application/json", fmt.Sprintf(employer, "\xfe"), "name", "invalid_utf8"},
			{"NUL deep in a body", c, "PUT", "/api/v1/workers/" + itoa64(e.Worker.ID) + "/wages", "application/json", `{"wages":[{"employer_id":1,"period":"2025-01\u0000","amount_fen":1}]}`, "wages[0].period", "nul_byte"},
			{"NUL in a calc request", e.Login("benefits-370800"), "POST", "/api/v1/calc", "application/json", `{"kind":"disability","region":"3708\u000000"}`, "region", "nul_byte"},
			{"NUL in a multipart field", e.Login("clerk-370800"), "POST", "/api/v1/imports", mw.FormDataContentType(), mp.String(), "kind", "nul_byte"},
		}
		for _, tt := range tests {
			code, body := tt.c.Raw(tt.method, tt.path, tt.ct, tt.body)
			var out struct {
				Error web.ErrorDetail `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &out); err != nil {
				t.Fatalf("%s: not JSON: %d %s", tt.name, code, body)
			}
			if code != 400 || len(out.Error.Fields) != 1 || out.Error.Fields[0].Field != tt.field || out.Error.Fields[0].Code != tt.code || !webtest.HasHan(out.Error.Fields[0].Message) {
				t.Errorf("%s: %d %s, want 400 with field %s/%s and a Chinese message", tt.name, code, body, tt.field, tt.code)
			}
		}
		var list web.ListBody[json.RawMessage]
		c.JSON("GET", "/api/v1/employers", nil, &list)
		if list.Total != 2 {
			t.Errorf("refused input wrote employers: total %d, want the 2 seeded", list.Total)
		}
	})
}
