package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The pre-visit pack: a visit's pack holds the institution's leads with
// their evidence lines, its place in the ranking, its team, and a sample
// of its other encounters that is the same on every read; the insurer's
// staff get the persons masked; another county's auditor gets nothing.

// PackExtract is Extract with eight more outpatient encounters of the
// first institution (one wrist X-ray each, ten days apart), so its
// stratified sample has unflagged encounters to draw from.
func PackExtract() map[string][]byte {
	files := Extract()
	var enc, lines strings.Builder
	enc.Write(files["encounters.csv"])
	lines.Write(files["lines.csv"])
	for i := range 8 {
		day := fmt.Sprintf("2025-%02d-%02d", 8+i/3, 1+10*(i%3))
		id := fmt.Sprintf("MZ20250100%02d", i)
		amount := fmt.Sprintf("%d.00", 60+i)
		fmt.Fprintf(&enc, "%s,H37080200001,370802198005120033,RD2025000001,41,%s 09:00:00,%s 10:00:00,S62.6,,D370800000001,ST20250100%02d,%s 10:10:00,%s,%s\n",
			id, day, day, i, day, amount, amount)
		fmt.Fprintf(&lines, "L00000100%02d,%s,%s 09:20:00,002100000010000,1,%s,%s,D370800000001,A04.03,RPT10%02d\n", i, id, day, amount, amount, i)
	}
	files["encounters.csv"], files["lines.csv"] = []byte(enc.String()), []byte(lines.String())
	return files
}

func testSupervisionVisitPack(t *testing.T, s *store.Store, c *Clock) {
	inst := settlement.Institution{Code: "H37080200001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: settlement.Medical, Level: 3,
		Beds: 1200, AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
	if err := s.CreateInstitution(ctx, sys370(), &inst); err != nil {
		t.Fatal(err)
	}
	info := mustImport(t, s, "/data/pack", PackExtract())
	scan := runScan(t, s, screener(), info.ID)
	campaign, err := s.PlanCampaign(ctx, screener(), scan.ID, 2026, "2026年度稽核", supervision.PlanOptions{HighShare: 0.5, RandomShare: 0.5, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	addPool(t, s)
	if campaign, err = s.DrawCampaignTeams(ctx, screener(), campaign.ID, campaign.Version, 2); err != nil {
		t.Fatal(err)
	}
	visits, err := s.CampaignVisits(ctx, screener().Scope(), campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	var visit store.CampaignVisit
	for _, v := range visits {
		if v.Institution == inst.Code {
			visit = v
		}
	}
	leads, total, err := s.FindLeads(ctx, screener().Scope(), store.LeadFilter{ScanID: scan.ID, Institution: inst.Code})
	if err != nil || total == 0 {
		t.Fatalf("leads %d %v", total, err)
	}

	p, err := s.VisitPack(ctx, screener(), visit.ID)
	if err != nil {
		t.Fatalf("VisitPack: %v", err)
	}
	if p.Visit.ID != visit.ID || p.Campaign.ID != campaign.ID || p.Team.No != visit.Team || len(p.Team.Members) == 0 || p.Masked {
		t.Fatalf("pack head: visit %+v campaign %d team %+v masked %v", p.Visit, p.Campaign.ID, p.Team, p.Masked)
	}
	if p.Institution.Name != inst.Name || p.Institution.Level != 3 || p.Institution.Beds != 1200 || p.Institution.County != "370802" {
		t.Fatalf("institution %+v", p.Institution)
	}
	if p.Place < 1 || p.Place > p.Ranked || p.Rank.Institution != inst.Code {
		t.Fatalf("ranking place %d of %d: %+v", p.Place, p.Ranked, p.Rank)
	}
	// every lead of the institution, with its evidence lines, largest first
	if len(p.Leads) != total {
		t.Fatalf("%d leads in the pack, %d in the scan", len(p.Leads), total)
	}
	flagged := map[string]bool{}
	cats := map[string]bool{}
	for i, l := range p.Leads {
		if l.Finding.Institution != inst.Code || l.ScanID != scan.ID {
			t.Fatalf("lead of another institution or scan: %+v", l)
		}
		if i > 0 && l.Finding.Fen > p.Leads[i-1].Finding.Fen {
			t.Fatalf("leads not by amount: %d after %d", l.Finding.Fen, p.Leads[i-1].Finding.Fen)
		}
		flagged[l.Finding.MdtrtID], cats[l.Finding.Category] = true, true
	}
	hasLines := false
	for _, l := range leads {
		hasLines = hasLines || len(l.Finding.Lines) > 0
	}
	packLines := 0
	for _, l := range p.Leads {
		packLines += len(l.Finding.Lines)
	}
	if hasLines && packLines == 0 {
		t.Fatal("the pack's leads lost their evidence lines")
	}
	if len(p.Checklists) != len(cats) {
		t.Fatalf("%d checklists for categories %v", len(p.Checklists), cats)
	}
	for _, cl := range p.Checklists {
		if !cats[cl.Category] {
			t.Fatalf("checklist of %s, which no lead is in", cl.Category)
		}
	}
	// the sample: only the institution's unflagged encounters, the same on every read
	if len(p.Sample) == 0 {
		t.Fatal("empty sample")
	}
	for _, e := range p.Sample {
		if flagged[e.MdtrtID] || e.MdtrtID == "KF2025000003" { // KF…: the other institution's
			t.Fatalf("sampled %s (flagged %v)", e.MdtrtID, flagged[e.MdtrtID])
		}
		if e.CertNo != "370802198005120033" || e.Name != "赵一" || e.Lines < 1 || e.FundPaid == 0 {
			t.Fatalf("sampled encounter %+v", e)
		}
	}
	again, err := s.VisitPack(ctx, screener(), visit.ID)
	if err != nil || !reflect.DeepEqual(again.Sample, p.Sample) {
		t.Fatalf("second read's sample differs: %v\n%+v\n%+v", err, again.Sample, p.Sample)
	}
	// the insurer's staff: persons masked, not rebuildable from the pack
	ins, err := s.VisitPack(ctx, Actor(access.RoleInsurer, "370800"), visit.ID)
	if err != nil {
		t.Fatalf("insurer's pack: %v", err)
	}
	b, _ := json.Marshal(ins)
	if !ins.Masked || strings.Contains(string(b), "370802198005120033") || strings.Contains(string(b), "赵一") {
		t.Fatalf("insurer's pack shows persons: %s", b)
	}
	if ins.Sample[0].CertNo != "370802********0033" || ins.Sample[0].Name != "赵*" {
		t.Fatalf("masked person %+v", ins.Sample[0])
	}
	// another county's auditor gets nothing, not even that the visit exists
	if _, err := s.VisitPack(ctx, Actor(access.RoleAuditor, "370881"), visit.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another county's visit: %v", err)
	}
	if _, err := s.VisitPack(ctx, screener(), visit.ID+100000); !errs.Is(err, errs.NotFound) {
		t.Fatalf("no such visit: %v", err)
	}

	// findings of the visit, and the audited download
	if fs, err := s.VisitFindings(ctx, screener(), visit.ID); err != nil || len(fs) != 0 {
		t.Fatalf("findings of a fresh visit: %d %v", len(fs), err)
	}
	if err := s.RecordVisitDownload(ctx, screener(), store.PackDownload, visit, map[string]any{"format": "pdf"}); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordVisitDownload(ctx, screener(), "visit.other", visit, nil); err == nil {
		t.Fatal("an unknown download audited")
	}
	auditHas(t, s, store.PackDownload, 1)
}
