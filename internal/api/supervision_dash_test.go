package api

import (
	"testing"

	"gongshang/internal/store"
	"gongshang/internal/storetest"
)

// The dashboard through the API: the city's figures, 曲阜's auditor his
// county's only, a campaign selected, bad filters refused.
func TestSupervisionDashboardAPI(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		dc := storetest.NewDashCampaign(t, e.S)
		city, qufu := e.Login("auditor-370800"), e.Login("auditor-370881")
		var d store.SupervisionDash
		if code := city.JSON("GET", "/api/v1/supervision/dashboard", nil, &d); code != 200 {
			t.Fatalf("dashboard: %d", code)
		}
		if d.Year != 2026 || d.Scan == nil || d.Scan.ID != dc.ScanID || len(d.ByCounty) != 2 || d.RecoveryTotal.Booked != 70000 ||
			d.RecoveryTotal.Recovered != 45000 || d.RecoveryTotal.Outstanding != 20000 || len(d.ByInstitution) != 2 || len(d.Teams) == 0 || len(d.Leads) == 0 {
			t.Fatalf("the city's dashboard %+v", d)
		}
		var q store.SupervisionDash
		if code := qufu.JSON("GET", "/api/v1/supervision/dashboard?campaign_id="+itoa64(dc.CampaignID), nil, &q); code != 200 {
			t.Fatalf("曲阜's dashboard: %d", code)
		}
		if q.Campaign == nil || q.Campaign.ID != dc.CampaignID || len(q.ByCounty) != 1 || q.ByCounty[0].Key != "370881" || q.ByCounty[0].Fen != 20000 ||
			q.RecoveryTotal.Booked != 20000 {
			t.Fatalf("曲阜's dashboard %+v", q)
		}
		var empty map[string]any
		if code := city.JSON("GET", "/api/v1/supervision/dashboard?year=2025", nil, &empty); code != 200 {
			t.Fatalf("2025: %d", code)
		}
		if by, ok := empty["by_county"].([]any); !ok || len(by) != 0 {
			t.Fatalf("2025's by_county %v, want []", empty["by_county"])
		}
		for path, want := range map[string]int{"?year=x": 400, "?year=1900": 400, "?campaign_id=0": 400, "?campaign_id=999999": 404} {
			var bad apiError
			if code := city.JSON("GET", "/api/v1/supervision/dashboard"+path, nil, &bad); code != want {
				t.Errorf("%s: %d, want %d", path, code, want)
			}
		}
	})
}
