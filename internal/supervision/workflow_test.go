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
