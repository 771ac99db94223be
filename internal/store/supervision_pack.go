package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/pii"
	"gongshang/internal/supervision"
)

// A visit's pre-visit pack (fund-audit.md §5.4): what the team takes on
// site — the institution's risk profile, its leads with their evidence
// lines, a stratified random sample of its other encounters and the
// checklist of each category its leads fall in. The sample is drawn from
// the scan's extract with the campaign's seed mixed with the visit's id,
// so the same visit always gives the same sample.

// PackInstitution is the institution as the pack describes it.
type PackInstitution struct {
	Code   string `json:"fixmedins_code"`
	Name   string `json:"fixmedins_name"`
	Type   string `json:"type"` // medical | rehab
	Level  int    `json:"level"`
	Beds   int    `json:"beds"`
	County string `json:"admvs"`
}

// PackEncounter is one sampled encounter. For viewers without
// personal.full the person's ID number and name are masked here, so the
// full values never leave the store.
type PackEncounter struct {
	MdtrtID  string `json:"mdtrt_id"`
	CertNo   string `json:"certno"`
	Name     string `json:"psn_name"`
	MedType  string `json:"med_type"`
	Begin    string `json:"begntime"`
	End      string `json:"endtime"`
	MainDiag string `json:"dscg_maindiag_code"`
	Total    int64  `json:"medfee_sumamt_fen"`
	FundPaid int64  `json:"fund_pay_sumamt_fen"`
	Lines    int    `json:"lines"`
}

// VisitPack is everything a visit's pack prints.
type VisitPack struct {
	Visit       CampaignVisit           `json:"visit"`
	Campaign    Campaign                `json:"campaign"`
	Team        supervision.Team        `json:"team"`
	Institution PackInstitution         `json:"institution"`
	Rank        supervision.Rank        `json:"rank"`
	Place       int                     `json:"place"` // 1-based place in the scan's ranking, 0 unranked
	Ranked      int                     `json:"ranked"`
	Leads       []Lead                  `json:"leads"`
	Sample      []PackEncounter         `json:"sample"`
	PerStratum  int                     `json:"per_stratum"`
	Checklists  []supervision.Checklist `json:"checklists"`
	Masked      bool                    `json:"masked"` // persons masked for the viewer
}

// Sample sizes per stratum by visit depth.
const (
	packSampleFull  = 5
	packSampleLight = 2
)

// VisitPack reads a visit's pack for viewer, who must see the visit's
// county (else NotFound, as FindVisit).
func (s *Store) VisitPack(ctx context.Context, viewer access.Principal, visitID int64) (VisitPack, error) {
	if !viewer.Can(access.PermSupervisionRead) {
		return VisitPack{}, errs.E(errs.Forbidden, "无权查看稽核资料")
	}
	var p VisitPack
	var err error
	if p.Visit, p.Campaign, err = s.VisitCampaign(ctx, viewer, visitID); err != nil {
		return p, err
	}
	c := p.Campaign
	p.Masked = !viewer.Can(access.PermPersonalData)
	teams, err := s.CampaignTeams(ctx, c.ID)
	if err != nil {
		return p, err
	}
	for _, t := range teams {
		if t.No == p.Visit.Team {
			p.Team = t
		}
	}
	rank, err := s.ScanRanking(ctx, c.ScanID)
	if err != nil {
		return p, err
	}
	p.Ranked = len(rank)
	for i, r := range rank {
		if r.Institution == p.Visit.Institution {
			p.Rank, p.Place = r, i+1
		}
	}
	cats := map[string]bool{}
	flagged := map[string]bool{}
	err = s.EachLead(ctx, viewer.Scope(), LeadFilter{ScanID: c.ScanID, Institution: p.Visit.Institution}, func(l Lead) error {
		p.Leads = append(p.Leads, l)
		cats[l.Finding.Category] = true
		flagged[l.Finding.MdtrtID] = true
		return nil
	})
	if err != nil {
		return p, fmt.Errorf("store: pack leads: %w", err)
	}
	slices.SortStableFunc(p.Leads, func(a, b Lead) int { // the largest amounts first, then scan order
		return cmp.Compare(b.Finding.Fen, a.Finding.Fen)
	})
	var catList []string
	for c := range cats {
		catList = append(catList, c)
	}
	p.Checklists = supervision.Checklists(catList...)
	if len(catList) == 0 {
		p.Checklists = supervision.Checklists()
	}
	x, err := s.scanExtract(ctx, c.ScanID)
	if err != nil {
		return p, err
	}
	p.PerStratum = packSampleLight
	if p.Visit.Depth == supervision.DepthFull {
		p.PerStratum = packSampleFull
	}
	ids := supervision.Sample(x, p.Visit.Institution, flagged, p.PerStratum, packSeed(c.Seed, visitID))
	p.Institution, p.Sample = packEncounters(x, p.Visit, ids, p.Masked)
	return p, nil
}

// VisitCampaign reads a visit the viewer may see (else NotFound) and its
// campaign. The campaign may belong to a region above the viewer's (the
// city plans, a county's auditors visit): seeing the visit is enough.
func (s *Store) VisitCampaign(ctx context.Context, viewer access.Principal, visitID int64) (CampaignVisit, Campaign, error) {
	v, err := s.FindVisit(ctx, viewer, visitID)
	if err != nil {
		return v, Campaign{}, err
	}
	c, err := scanCampaign(s.db.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`, v.CampaignID))
	if err != nil {
		return v, c, fmt.Errorf("store: visit %d campaign: %w", visitID, err)
	}
	return v, c, nil
}

// scanExtract loads the extract a scan ran over: the imported one, or
// gongshang's own settlements of its year in its region.
func (s *Store) scanExtract(ctx context.Context, scanID int64) (*supervision.Extract, error) {
	info, err := s.FindScan(ctx, scanID)
	if err != nil {
		return nil, err
	}
	if info.ExtractID != 0 {
		return s.LoadExtract(ctx, info.ExtractID)
	}
	runner := access.Principal{Username: "system", Name: "系统", Kind: access.KindSystem, RegionCode: info.Region}
	return s.OwnExtract(ctx, runner, info.OwnYear)
}

// packSeed mixes the campaign's seed with the visit's id (SplitMix64's
// finaliser), so each visit draws its own reproducible sample.
func packSeed(seed uint64, visitID int64) uint64 {
	z := seed ^ (uint64(visitID) * 0x9e3779b97f4a7c15)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// packEncounters describes the institution and the sampled encounters
// from the extract, masking persons when asked.
func packEncounters(x *supervision.Extract, v CampaignVisit, ids []string, masked bool) (PackInstitution, []PackEncounter) {
	in := PackInstitution{Code: v.Institution, Name: v.Name, County: v.County}
	for _, it := range x.Institutions {
		if it.Code == v.Institution {
			in.Type, in.Level, in.Beds = it.Type, it.Level, it.Beds
			if in.Name == "" {
				in.Name = it.Name
			}
		}
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	names := map[string]string{}
	for _, p := range x.Persons {
		names[p.CertNo] = p.Name
	}
	out := make([]PackEncounter, 0, len(ids))
	for _, e := range x.Encounters {
		if e.Institution != v.Institution || !want[e.ID] {
			continue
		}
		pe := PackEncounter{MdtrtID: e.ID, CertNo: e.CertNo, Name: names[e.CertNo], MedType: e.MedType, Begin: e.Begin.String(), End: e.End.String(),
			MainDiag: e.MainDiag, Total: e.Total, FundPaid: e.FundPaid, Lines: len(e.Lines)}
		if masked {
			pe.CertNo, pe.Name = pii.MaskID(pe.CertNo), maskName(pe.Name)
		}
		out = append(out, pe)
	}
	slices.SortFunc(out, func(a, b PackEncounter) int { return strings.Compare(a.MdtrtID, b.MdtrtID) })
	return in, out
}

// maskName keeps a name's first character: 赵*.
func maskName(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", max(1, len(r)-1))
}

// Audit actions of a visit's downloads.
const (
	PackDownload   = "supervision.visit.pack"   // the pre-visit pack (PDF or Excel)
	LetterDownload = "supervision.visit.letter" // a feedback or notice letter
)

// RecordVisitDownload audits a download of a visit's pack or letter (it
// discloses data), with what was sent.
func (s *Store) RecordVisitDownload(ctx context.Context, actor access.Principal, action string, v CampaignVisit, rec map[string]any) error {
	if action != PackDownload && action != LetterDownload {
		return fmt.Errorf("store: unknown visit download %q", action)
	}
	return s.write(ctx, actor, func(t *tx) error {
		return t.audit(ctx, action, "visit", v.ID, v.County, nil, rec)
	})
}

// VisitFindings lists a visit's field findings the viewer may see, in
// the order they were recorded.
func (s *Store) VisitFindings(ctx context.Context, viewer access.Principal, visitID int64) ([]FieldFinding, error) {
	v, err := s.FindVisit(ctx, viewer, visitID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE visit_id = $1 ORDER BY id`, v.ID)
	if err != nil {
		return nil, fmt.Errorf("store: visit findings: %w", err)
	}
	fs, err := collect(rows, scanFieldFinding)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(fs, func(f FieldFinding) bool { return !viewer.MaySee(access.Owners{Region: f.Region}) }), nil
}
