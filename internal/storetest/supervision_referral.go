package storetest

import (
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// A field finding is referred only once the collective review confirmed
// it, to each body once, with the letter's number and a day not in the
// future; the insurer's staff and another county's auditor may not refer
// it; the referral is audited with the finding's region.
func testSupervisionReferral(t *testing.T, s *store.Store, c *Clock) {
	e := newCampaignEnv(t, s, "/data/referral")
	addPool(t, s)
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); err != nil {
		t.Fatal(err)
	}
	var visit store.CampaignVisit
	for _, v := range e.visits {
		if v.Institution == e.inst.Code {
			visit = v
		}
	}
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Type: "虚构医药服务项目", Tier: supervision.TierFraud,
		LeadIDs: []int64{e.lead.ID}, Fen: supervision.ReferralThresholdFen, Description: "虚记治疗项目"})
	if err != nil {
		t.Fatal(err)
	}
	police := store.Referral{Body: supervision.ReferPolice, DocNo: "济人社稽移〔2026〕1号", ReferredOn: "2026-03-02"}
	if _, err := s.ReferFieldFinding(ctx, screener(), f.ID, police); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a draft referred: %v", err)
	}
	step := func(who access.Principal, a supervision.FindingAction, note, due string) {
		t.Helper()
		if f, err = s.ActOnFieldFinding(ctx, who, f.ID, f.Version, a, note, due); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	step(screener(), supervision.ActFeedBack, "", "2026-03-16")
	step(screener(), supervision.ActReply, "无异议", "")
	step(secondAuditor(), supervision.ActConfirm, "集体审议认定骗保", "")
	if !supervision.ReferralSuggested(f.Tier, f.Fen) {
		t.Fatalf("a fraud finding of %d fen not suggested for referral", f.Fen)
	}

	for _, tt := range []struct {
		name  string
		r     store.Referral
		field string
	}{
		{"unknown body", store.Referral{Body: "court", DocNo: "1号", ReferredOn: "2026-03-02"}, "body"},
		{"no number", store.Referral{Body: supervision.ReferPolice, ReferredOn: "2026-03-02"}, "doc_no"},
		{"future day", store.Referral{Body: supervision.ReferPolice, DocNo: "1号", ReferredOn: "2026-03-03"}, "referred_on"},
		{"bad day", store.Referral{Body: supervision.ReferPolice, DocNo: "1号", ReferredOn: "2026-02-30"}, "referred_on"},
	} {
		_, err := s.ReferFieldFinding(ctx, screener(), f.ID, tt.r)
		if fe, ok := errs.First(err); !ok || fe.Field != tt.field {
			t.Errorf("%s: %v, want a field error on %s", tt.name, err, tt.field)
		}
	}
	if _, err := s.ReferFieldFinding(ctx, Actor(access.RoleInsurer, "370800"), f.ID, police); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer referred: %v", err)
	}
	if _, err := s.ReferFieldFinding(ctx, Actor(access.RoleAuditor, "370881"), f.ID, police); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another county's auditor referred: %v", err)
	}
	r, err := s.ReferFieldFinding(ctx, screener(), f.ID, police)
	if err != nil || r.ID == 0 || r.Region != f.Region || !r.CreatedAt.Equal(c.T) {
		t.Fatalf("ReferFieldFinding: %+v %v", r, err)
	}
	if _, err := s.ReferFieldFinding(ctx, screener(), f.ID, police); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("referred to the police twice: %v", err)
	}
	if _, err := s.ReferFieldFinding(ctx, screener(), f.ID, store.Referral{Body: supervision.ReferPenalty, DocNo: "济人社稽移〔2026〕2号", ReferredOn: "2026-03-01"}); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Referrals(ctx, f.ID)
	if err != nil || len(rs) != 2 || rs[0].Body != supervision.ReferPolice || rs[1].Body != supervision.ReferPenalty {
		t.Fatalf("referrals %+v %v", rs, err)
	}
	auditHas(t, s, "supervision.finding.refer", 2)
}
