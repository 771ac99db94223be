package api

import (
	"context"
	"sync"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// Screening through the API: the insurer's staff start a scan (the data
// pre-check) but may not review; an auditor lists the leads, reads one
// with its evidence, and two auditors review it at once: one verdict
// stands, the other gets 409; 曲阜's auditor cannot open the city's scan.
func TestSupervisionAPI(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		x, err := e.S.ImportExtract(context.Background(), storetest.Actor(access.RoleAuditor, "370800"), "api", storetest.Extract())
		if err != nil {
			t.Fatal(err)
		}
		insurer, auditor, other := e.Login("insurer-370800"), e.Login("auditor-370800"), e.Login("auditor-370881")
		var sc store.ScanInfo
		if code := insurer.JSON("POST", "/api/v1/supervision/scans", map[string]any{"extract_id": x.ID}, &sc); code != 202 || sc.State != "running" {
			t.Fatalf("start: %d %+v", code, sc)
		}
		var bad apiError
		if code := auditor.JSON("POST", "/api/v1/supervision/scans", map[string]any{"year": 1900}, &bad); code != 400 || len(bad.Error.Fields) != 1 || bad.Error.Fields[0].Field != "year" {
			t.Fatalf("bad year: %d %+v", code, bad)
		}
		if err := e.S.RunScan(context.Background(), sc.ID); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/supervision/scans/" + itoa64(sc.ID)
		if code := other.JSON("GET", path, nil, &struct{}{}); code != 403 {
			t.Fatalf("曲阜 reads the city's scan: %d", code)
		}
		var body leadsBody
		if code := auditor.JSON("GET", path+"/leads?sort=score&limit=5", nil, &body); code != 200 || body.Total == 0 || len(body.Leads) == 0 {
			t.Fatalf("leads: %d %+v", code, body)
		}
		var l store.Lead
		lp := "/api/v1/supervision/leads/" + itoa64(body.Leads[0].ID)
		if code := auditor.JSON("GET", lp, nil, &l); code != 200 || l.Finding.RuleID == "" || l.Review != "new" {
			t.Fatalf("lead: %d %+v", code, l)
		}
		if code := insurer.JSON("POST", lp+"/review", map[string]any{"version": l.Version, "decision": "confirm", "reason": "核实"}, &struct{}{}); code != 403 {
			t.Fatalf("insurer review: %d", code)
		}
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, d := range []string{"confirm", "dismiss"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = auditor.JSON("POST", lp+"/review", map[string]any{"version": l.Version, "decision": d, "reason": "现场核实"}, &struct{}{})
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("two reviews at once: %v", codes)
		}
	})
}
