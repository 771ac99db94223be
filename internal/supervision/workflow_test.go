package supervision

import "testing"

func TestFindingWorkflow(t *testing.T) {
	path := []struct {
		a    FindingAction
		want FindingState
	}{{ActFeedBack, FindingFedBack}, {ActReply, FindingReplied}, {ActConfirm, FindingConfirmed}, {ActNotify, FindingNotified},
		{ActRectify, FindingRectifying}, {ActClose, FindingClosed}}
	s := FindingDraft
	for _, p := range path {
		next, err := NextState(s, p.a)
		if err != nil || next != p.want {
			t.Fatalf("%s --%s--> %s %v, want %s", s, p.a, next, err, p.want)
		}
		s = next
	}
	if _, err := NextState(FindingFedBack, ActConfirm); err == nil {
		t.Fatal("confirmed before the institution could reply")
	}
	if _, err := NextState(FindingDismissed, ActNotify); err == nil {
		t.Fatal("a dismissed finding was notified")
	}
	if got := Actions(FindingReplied); len(got) != 2 || got[0] != ActConfirm || got[1] != ActDismiss {
		t.Fatalf("actions %v", got)
	}
}

func TestHitStats(t *testing.T) {
	if _, ok := (HitStats{Triggered: 5}).Precision(); ok {
		t.Fatal("precision without reviews")
	}
	if p, _ := (HitStats{Triggered: 5, Confirmed: 3, Dismissed: 1}).Precision(); p != 0.75 {
		t.Fatalf("precision %v", p)
	}
}

func TestReferralSuggested(t *testing.T) {
	for _, tt := range []struct {
		tier Tier
		fen  int64
		want bool
	}{
		{TierFraud, ReferralThresholdFen, true},
		{TierFraud, ReferralThresholdFen - 1, false},
		{TierViolation, 10 * ReferralThresholdFen, false},
		{TierManagement, 10 * ReferralThresholdFen, false},
	} {
		if got := ReferralSuggested(tt.tier, tt.fen); got != tt.want {
			t.Errorf("ReferralSuggested(%s, %d) = %v, want %v", tt.tier, tt.fen, got, tt.want)
		}
	}
	for _, b := range ReferralBodies {
		if !b.Valid() || b.Name() == "" {
			t.Errorf("body %q without a name", b)
		}
	}
	if ReferralBody("court").Valid() {
		t.Error("a court is not a body the agency refers to")
	}
}
