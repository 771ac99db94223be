package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/expertpool"
	"gongshang/internal/registry"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// seedBenefitFacts records 12 months of wages before the injury and the
// city committee's expert pool.
func seedBenefitFacts(t *testing.T, e *webtest.Env) {
	t.Helper()
	var wages []registry.Wage
	for m := 2; m <= 13; m++ {
		wages = append(wages, registry.Wage{EmployerID: e.Home.ID, Period: fmt.Sprintf("%04d-%02d", 2025+(m-1)/12, (m-1)%12+1), AmountFen: 600000})
	}
	if err := e.S.RecordWages(t.Context(), storetest.Actor(access.RoleClerk, "370811"), e.Worker.ID, wages); err != nil {
		t.Fatal(err)
	}
	asr := e.Login("assessment-370800")
	for i, g := range []string{"ortho", "ortho", "ortho", "neuro", "visceral"} {
		x := map[string]any{"name": fmt.Sprintf("专家%d", i), "group": g, "hospital": fmt.Sprintf("济宁市第%d人民医院", i+2), "title": "主任医师",
			"term_start": "2025-01-01", "term_end": "2027-12-31"}
		if code := asr.JSON("POST", "/api/v1/experts", x, nil); code != http.StatusCreated {
			t.Fatalf("expert %d: %d", i, code)
		}
	}
	var eb apiError
	code := asr.JSON("POST", "/api/v1/experts", map[string]any{"name": "专家", "group": "ortho", "hospital": "医院", "title": "主任医师",
		"term_start": "2025-13-01", "term_end": "2027-12-31"}, &eb)
	wantError(t, "expert with a bad term", code, eb, 400, "term_start", "date_format")
	if code := e.Login("benefits-370800").JSON("POST", "/api/v1/experts", map[string]any{}, nil); code != 403 {
		t.Errorf("benefits officer adding an expert: %d", code)
	}
	var pool web.ListBody[expertpool.Expert]
	if code := e.Login("recognition-370881").JSON("GET", "/api/v1/experts", nil, &pool); code != 200 || pool.Total != 5 {
		t.Errorf("曲阜 sees its city's committee: %d %d", code, pool.Total)
	}
}

// getBytes downloads a file or letter.
func getBytes(t *testing.T, c *webtest.Client, path string) (*http.Response, []byte) {
	t.Helper()
	resp := c.Do("GET", path, "", nil)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// From the decision to the approved benefits through the API: the panel
// drawn and replayable, the conclusion readying the benefit decision, the
// proposal with its explanations, the maker refused as checker, the
// letters issued with the acts and served the same bytes every time.
func TestCaseWalkToBenefits(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		seedBenefitFacts(t, e)
		c := openCase(t, e, "2026-02-10")
		uploadRecognition(t, e, c.ID)
		if code, body := upload(t, e.Login("clerk-370800"), c.ID, "medical_records", "records.pdf", pdfOf("病历")); code != 201 {
			t.Fatalf("upload: %d %s", code, body)
		}
		base := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		rec, asr, ben := e.Login("recognition-370800"), e.Login("assessment-370800"), e.Login("benefits-370800")
		sid := func(kind string) int64 { id, _, _, _ := c.svc(t, kind); return id }
		step := func(who *webtest.Client, kind string, a map[string]any) {
			t.Helper()
			var res actionResultAnswer
			if code := act(who, c.ID, sid(kind), a, &res); code != 200 {
				t.Fatalf("%s %v: %d", kind, a["action"], code)
			}
			c = res.Case
		}
		step(rec, "recognition", map[string]any{"action": "accept"})
		step(rec, "recognition", map[string]any{"action": "decide", "outcome": "recognised", "ground": "14.1"})

		var eb apiError
		code := asr.JSON("POST", fmt.Sprintf("%s/services/%d/panel", base, sid("assessment")), map[string]any{"size": 4, "groups": []string{"ortho"}}, &eb)
		wantError(t, "panel of four", code, eb, 400, "size", "panel_size")
		if code := ben.JSON("POST", fmt.Sprintf("%s/services/%d/panel", base, sid("assessment")), map[string]any{"size": 3, "groups": []string{"ortho"}}, nil); code != 403 {
			t.Errorf("benefits officer drawing a panel: %d", code)
		}
		if code := asr.JSON("POST", fmt.Sprintf("%s/services/%d/panel", base, sid("assessment")), map[string]any{"size": 3, "groups": []string{"ortho"}}, &c); code != 200 {
			t.Fatalf("panel: %d", code)
		}
		if _, _, st, _ := c.svc(t, "assessment"); st != "panel" {
			t.Fatalf("assessment after the draw: %s", st)
		}
		var draws web.ListBody[drawBody]
		if code := asr.JSON("GET", fmt.Sprintf("%s/services/%d/panel-draws", base, sid("assessment")), nil, &draws); code != 200 || draws.Total != 1 ||
			expertpool.Replay(draws.Items[0].Pool, draws.Items[0].Record) != nil {
			t.Fatalf("draws: %d %+v", code, draws)
		}
		if code, _ := asr.Raw("GET", fmt.Sprintf("%s/services/%d/panel-draws", base, sid("recognition")), "", ""); code != 404 {
			t.Errorf("panel draws of the recognition: %d, want 404", code)
		}
		step(asr, "assessment", map[string]any{"action": "schedule", "exam_on": "2026-03-05", "exam_place": "济宁市劳动能力鉴定中心"})
		step(asr, "assessment", map[string]any{"action": "conclude", "level": 7, "clauses": []string{"5.7.2(3)"}})
		if _, _, _, allowed := c.svc(t, "benefit"); len(allowed) != 0 {
			t.Errorf("the assessor may act on the benefit decision: %v", allowed)
		}
		ben.JSON("GET", base, nil, &c) // the actions are the caller's
		if _, _, st, allowed := c.svc(t, "benefit"); st != "ready" || !strings.Contains(strings.Join(allowed, ","), "compute") {
			t.Fatalf("benefit after the conclusion: %s %v", st, allowed)
		}

		var prop casebundle.Proposal
		if code := ben.JSON("GET", base+"/benefit-proposal", nil, &prop); code != 200 || prop.Level != 7 || prop.BaseWageFen != 600000 || len(prop.Lines) == 0 ||
			prop.Lines[0].Explanation == "" {
			t.Fatalf("proposal: %d %+v", code, prop)
		}
		if code := e.Login("insurer-370800").JSON("GET", base+"/benefit-proposal", nil, nil); code != 403 {
			t.Errorf("insurer reading the proposal: %d", code)
		}
		step(ben, "benefit", map[string]any{"action": "compute"})
		eb = apiError{}
		code = act(ben, c.ID, sid("benefit"), map[string]any{"action": "approve"}, &eb)
		wantError(t, "maker approving", code, eb, 403, "", "")
		if _, err := e.S.CreateUser(t.Context(), access.System, access.NewUser{Username: "checker-370800", DisplayName: "复核员",
			Role: access.RoleBenefits, RegionCode: "370800", Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
		step(e.Login("checker-370800"), "benefit", map[string]any{"action": "approve"})
		var ents entitlementsBody
		if code := rec.JSON("GET", base+"/entitlements", nil, &ents); code != 200 || len(ents.Payables) != 1 || ents.Payables[0].AmountFen != 7800000 {
			t.Fatalf("entitlements: %d %+v", code, ents)
		}

		var letters web.ListBody[letterBody]
		rec.JSON("GET", base+"/letters", nil, &letters)
		var kinds []string
		for _, l := range letters.Items {
			kinds = append(kinds, l.Kind)
		}
		if strings.Join(kinds, ",") != "acceptance,recognised,exam_notice,conclusion,benefit" {
			t.Fatalf("letters: %v", kinds)
		}
		lpath := fmt.Sprintf("%s/letters/%d", base, letters.Items[1].ID)
		resp, first := getBytes(t, e.Login("clerk-370800"), lpath)
		_, again := getBytes(t, rec, lpath)
		// A letter is printed after its act (a job, or this first download):
		// the listing shows its size once printed.
		rec.JSON("GET", base+"/letters", nil, &letters)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!bytes.HasPrefix(first, []byte("%PDF-")) || int64(len(first)) != letters.Items[1].Size || !bytes.Equal(first, again) {
			t.Fatalf("letter: %d %v %d bytes", resp.StatusCode, resp.Header, len(first))
		}
		// The letter is not served under another case, nor to another county.
		other := storetest.MustCase(t, e.S, "370811")
		if code, _ := rec.Raw("GET", fmt.Sprintf("/api/v1/cases/%d/letters/%d", other.ID, letters.Items[1].ID), "", ""); code != 404 {
			t.Errorf("letter under another case: %d, want 404", code)
		}
		if code, _ := e.Login("clerk-370881").Raw("GET", lpath, "", ""); code != 403 {
			t.Errorf("letter to another county: %d, want 403", code)
		}
	})
}

// actionResultAnswer is the part of an action's answer the walk reads.
type actionResultAnswer struct {
	Case caseAnswer `json:"case"`
}
