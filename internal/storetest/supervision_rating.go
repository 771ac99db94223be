package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The consequences of confirmed findings: clinicians' personal points
// (pending until the review, totalled over twelve months, revoked with a
// dismissed finding), the institution's rating history (a row on each
// change, none when unchanged), the suggested sanction, and the
// institution's own view of its findings (its own only, never drafts,
// without the review's opinion) with its reply.

// drawnVisits is drawnEnv with the visit of each institution by code.
func drawnVisits(t *testing.T, s *store.Store, name string) (campaignEnv, map[string]store.CampaignVisit) {
	t.Helper()
	e, _ := drawnEnv(t, s, name)
	visits := map[string]store.CampaignVisit{}
	for _, v := range e.visits {
		visits[v.Institution] = v
	}
	return e, visits
}

// AuditFixture is a drawn campaign over the test extract (Extract) with
// both its institutions registered, for tests beyond the store's: the
// first in 任城 (visit county 370802), the other in 曲阜.
type AuditFixture struct {
	Campaign    store.Campaign
	Inst, Other settlement.Institution
	Visits      map[string]store.CampaignVisit // by institution code
}

// Auditors are the city auditors the fixture's findings are recorded and
// reviewed by (the recorder may not review).
func Auditors() (recorder, reviewer access.Principal) { return screener(), secondAuditor() }

// NewAuditFixture builds the fixture in s; name is the extract's source.
func NewAuditFixture(t *testing.T, s *store.Store, name string) AuditFixture {
	t.Helper()
	e, visits := drawnVisits(t, s, name)
	other := settlement.Institution{Code: "H37088100002", Name: "曲阜康复医院", RegionCode: "370881", Type: settlement.Rehab, Level: 2,
		Beds: 150, AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
	if err := s.CreateInstitution(ctx, sys370(), &other); err != nil {
		t.Fatal(err)
	}
	c, err := s.FindCampaign(ctx, screener(), e.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	return AuditFixture{Campaign: c, Inst: e.inst, Other: other, Visits: visits}
}

// FedBackFinding records a finding by hand on a visit and feeds it back
// to the institution (reply due 2026-03-20).
func FedBackFinding(t *testing.T, s *store.Store, visitID int64, tier supervision.Tier, fen int64) store.FieldFinding {
	t.Helper()
	f, err := s.RecordFieldFinding(ctx, screener(), visitID, store.FieldFinding{Category: supervision.CatalogueFee, Type: "超标准收费", Tier: tier, Fen: fen,
		Description: "床位费超标准"})
	if err != nil {
		t.Fatalf("RecordFieldFinding: %v", err)
	}
	if f, err = s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActFeedBack, "", "2026-03-20"); err != nil {
		t.Fatal(err)
	}
	return f
}

// repliedFinding records a finding by hand on a visit and walks it to
// replied (fed back, the institution's reply registered).
func repliedFinding(t *testing.T, s *store.Store, visitID int64, tier supervision.Tier, fen int64) store.FieldFinding {
	t.Helper()
	f := FedBackFinding(t, s, visitID, tier, fen)
	var err error
	if f, err = s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActReply, "医院无异议", ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func review(t *testing.T, s *store.Store, f store.FieldFinding, a supervision.FindingAction) store.FieldFinding {
	t.Helper()
	got, err := s.ActOnFieldFinding(ctx, secondAuditor(), f.ID, f.Version, a, "集体审议意见", "")
	if err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	return got
}

func totalOf(t *testing.T, s *store.Store, prac string) store.ClinicianTotal {
	t.Helper()
	ts, err := s.ClinicianPoints(ctx, screener().Scope(), prac)
	if err != nil || len(ts) > 1 {
		t.Fatalf("ClinicianPoints %s: %+v %v", prac, ts, err)
	}
	if len(ts) == 0 {
		return store.ClinicianTotal{Prac: prac}
	}
	return ts[0]
}

func testSupervisionPoints(t *testing.T, s *store.Store, c *Clock) {
	e, visits := drawnVisits(t, s, "/data/points")
	visit := visits[e.inst.Code]
	const doctor = "D370800000001"
	draft, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: supervision.CatalogueFee, Type: "超标准收费",
		Tier: supervision.TierViolation, Fen: 100, Description: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AssignPoints(ctx, screener(), draft.ID, doctor, "张医生", 1); !errs.Is(err, errs.Conflict) {
		t.Fatalf("points on a draft: %v", err)
	}
	a := repliedFinding(t, s, visit.ID, supervision.TierViolation, 5000)
	if _, err := s.AssignPoints(ctx, Actor(access.RoleInsurer, "370800"), a.ID, doctor, "张医生", 1); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer gave points: %v", err)
	}
	if _, err := s.AssignPoints(ctx, screener(), a.ID, doctor, "张医生", 4); !errs.Is(err, errs.Invalid) {
		t.Fatalf("responsibility 4: %v", err)
	}
	p, err := s.AssignPoints(ctx, screener(), a.ID, strings.ToLower(doctor), "张医生", 1)
	if err != nil {
		t.Fatalf("AssignPoints: %v", err)
	}
	if p.Points != 6 || p.Prac != doctor || p.Institution != e.inst.Code || p.Region != visit.County || p.Tier != supervision.TierViolation {
		t.Fatalf("points %+v", p)
	}
	if _, err := s.AssignPoints(ctx, screener(), a.ID, doctor, "张医生", 2); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a second row for one finding × clinician: %v", err)
	}
	// before the review the points are listed but do not count
	if tot := totalOf(t, s, doctor); tot.Total != 0 || len(tot.Points) != 1 || tot.Outcome != "" {
		t.Fatalf("total before the review: %+v", tot)
	}
	review(t, s, a, supervision.ActConfirm)
	if tot := totalOf(t, s, doctor); tot.Total != 6 || tot.Outcome != supervision.PointsOutcome(6) || tot.Outcome == "" {
		t.Fatalf("total after the confirmation: %+v", tot)
	}
	b := repliedFinding(t, s, visit.ID, supervision.TierViolation, 3000)
	if _, err := s.AssignPoints(ctx, screener(), b.ID, doctor, "张医生", 2); err != nil {
		t.Fatal(err)
	}
	review(t, s, b, supervision.ActConfirm)
	// a fraud finding's 12 points, then the finding dismissed: revoked
	d := repliedFinding(t, s, visit.ID, supervision.TierFraud, 8000)
	if p, err := s.AssignPoints(ctx, screener(), d.ID, doctor, "张医生", 1); err != nil || p.Points != 12 {
		t.Fatalf("fraud points %+v %v", p, err)
	}
	review(t, s, d, supervision.ActDismiss)
	tot := totalOf(t, s, doctor)
	if tot.Total != 9 || tot.Outcome != "暂停医保支付资格1至6个月" || len(tot.Points) != 3 {
		t.Fatalf("total after a dismissal: %+v", tot)
	}
	revoked := 0
	for _, p := range tot.Points {
		if p.Revoked {
			revoked++
			if p.FindingID != d.ID {
				t.Fatalf("revoked the points of finding %d, not the dismissed %d", p.FindingID, d.ID)
			}
		}
	}
	if revoked != 1 {
		t.Fatalf("%d rows revoked, want 1", revoked)
	}
	auditHas(t, s, "supervision.points.assign", 3)
	auditHas(t, s, "supervision.points.revoke", 1)
	// another county sees none; after twelve months the points lapse
	if ts, err := s.ClinicianPoints(ctx, access.ScopeOf("370881"), ""); err != nil || len(ts) != 0 {
		t.Fatalf("曲阜 sees %+v %v", ts, err)
	}
	c.T = c.T.AddDate(1, 0, 1)
	if ts, err := s.ClinicianPoints(ctx, screener().Scope(), ""); err != nil || len(ts) != 0 {
		t.Fatalf("points a year and a day later: %+v %v", ts, err)
	}
}

func testSupervisionRatingHistory(t *testing.T, s *store.Store, c *Clock) {
	e, visits := drawnVisits(t, s, "/data/rating")
	visit := visits[e.inst.Code]
	f := repliedFinding(t, s, visit.ID, supervision.TierViolation, 20000)
	if h, err := s.RatingHistory(ctx, e.inst.Code); err != nil || len(h) != 0 {
		t.Fatalf("history before any review: %+v %v", h, err)
	}
	f = review(t, s, f, supervision.ActConfirm)
	want, err := s.Rating(ctx, e.inst.Code)
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.RatingHistory(ctx, e.inst.Code)
	if err != nil || len(h) != 1 {
		t.Fatalf("history after the confirmation: %+v %v", h, err)
	}
	if h[0].Grade != want.Grade || h[0].Points != want.Points || want.Points >= 100 || h[0].FindingID != f.ID || h[0].SanctionID != 0 ||
		h[0].Region != visit.County || !h[0].ComputedAt.Equal(c.T) {
		t.Fatalf("rating row %+v, rating %+v", h[0], want)
	}
	// a dismissal and a sanction that change nothing keep no row
	g := repliedFinding(t, s, visit.ID, supervision.TierViolation, 100)
	review(t, s, g, supervision.ActDismiss)
	sug, err := s.SuggestSanction(ctx, screener(), e.campaign.ID, e.inst.Code)
	if err != nil || sug.Confirmed != 1 || sug.Fen != 20000 || sug.Share <= 0 || sug.Fraud || len(sug.Prior) != 0 ||
		!strings.Contains(sug.Reason, sug.Kind.Name()) {
		t.Fatalf("suggestion %+v %v", sug, err)
	}
	if sug.Kind != supervision.SanctionTalk && sug.Kind != supervision.SanctionRectify {
		t.Fatalf("a first violation suggests %s", sug.Kind)
	}
	if _, err := s.Sanction(ctx, screener(), e.inst.Code, e.campaign.ID, supervision.SanctionRectify, "超标准收费"); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.RatingHistory(ctx, e.inst.Code); len(h) != 1 {
		t.Fatalf("history after an unchanged dismissal and sanction: %+v", h)
	}
	if sug, err = s.SuggestSanction(ctx, screener(), e.campaign.ID, e.inst.Code); err != nil || sug.Kind != supervision.SanctionWithhold ||
		len(sug.Prior) != 1 {
		t.Fatalf("the step after a rectification order: %+v %v", sug, err)
	}
	// the first rating of an institution is kept with the sanction that caused it
	var other string
	for code := range visits {
		if code != e.inst.Code {
			other = code
		}
	}
	sanc, err := s.Sanction(ctx, screener(), other, e.campaign.ID, supervision.SanctionTalk, "约谈提醒")
	if err != nil {
		t.Fatal(err)
	}
	oh, err := s.RatingHistory(ctx, other)
	if err != nil || len(oh) != 1 || oh[0].SanctionID != sanc.ID || oh[0].FindingID != 0 || oh[0].Grade != "A" || oh[0].Points != 100 {
		t.Fatalf("the other institution's history %+v %v", oh, err)
	}
	if _, err := s.SuggestSanction(ctx, Actor(access.RoleAuditor, "370881"), e.campaign.ID, e.inst.Code); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜's auditor asks for a 任城 suggestion: %v", err)
	}
	auditHas(t, s, "supervision.rating", 2)
}

func testSupervisionInstitutionFindings(t *testing.T, s *store.Store, c *Clock) {
	fx := NewAuditFixture(t, s, "/data/own")
	other, visits := fx.Other, fx.Visits
	mine := visits[fx.Inst.Code]
	draft, err := s.RecordFieldFinding(ctx, screener(), mine.ID, store.FieldFinding{Category: supervision.CatalogueFee, Type: "超标准收费",
		Tier: supervision.TierViolation, Fen: 100, Description: "草稿"})
	if err != nil {
		t.Fatal(err)
	}
	sent := FedBackFinding(t, s, mine.ID, supervision.TierViolation, 4000)
	theirs := repliedFinding(t, s, visits[other.Code].ID, supervision.TierViolation, 500)
	me := store.InstitutionPrincipal(fx.Inst)
	own, err := s.InstitutionFindings(ctx, me)
	if err != nil || len(own) != 1 || own[0].ID != sent.ID || own[0].State != supervision.FindingFedBack || own[0].ReplyDue != "2026-03-20" {
		t.Fatalf("own findings %+v %v", own, err)
	}
	if _, err := s.InstitutionFindings(ctx, screener()); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("staff read an institution's view: %v", err)
	}
	for _, id := range []int64{theirs.ID, draft.ID, sent.ID + 1000} {
		if _, err := s.ReplyAsInstitution(ctx, me, id, "无异议"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("reply to finding %d: %v", id, err)
		}
	}
	if _, err := s.ReplyAsInstitution(ctx, me, sent.ID, "  "); !errs.Is(err, errs.Invalid) {
		t.Fatalf("an empty reply: %v", err)
	}
	got, err := s.ReplyAsInstitution(ctx, me, sent.ID, "系统重复计费，已退费")
	if err != nil || got.State != supervision.FindingReplied || got.Reply != "系统重复计费，已退费" || got.Version != sent.Version+1 {
		t.Fatalf("ReplyAsInstitution: %+v %v", got, err)
	}
	if _, err := s.ReplyAsInstitution(ctx, me, sent.ID, "再次回复"); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a second reply: %v", err)
	}
	staff, _ := s.FindFieldFinding(ctx, screener(), sent.ID)
	confirmed := review(t, s, staff, supervision.ActConfirm)
	if confirmed.ReviewNote == "" {
		t.Fatal("the review kept no note")
	}
	own, _ = s.InstitutionFindings(ctx, me)
	b, _ := json.Marshal(own)
	if len(own) != 1 || own[0].State != supervision.FindingConfirmed || strings.Contains(string(b), confirmed.ReviewNote) ||
		strings.Contains(string(b), confirmed.CreatedBy) {
		t.Fatalf("the institution's view after the review: %s", b)
	}
	if ot, _ := s.InstitutionFindings(ctx, store.InstitutionPrincipal(other)); len(ot) != 1 || ot[0].ID != theirs.ID {
		t.Fatalf("the other institution's view: %+v", ot)
	}
	auditHas(t, s, "supervision.field_finding.reply", 2)
}
