package portal

import (
	"testing"
	"time"
)

// A hall of trainees behind one address checks in without limit; only
// refusals count, and they age out of the window.
func TestCheckinThrottleCountsRefusals(t *testing.T) {
	var c checkinThrottle
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for range 200 {
		if !c.allow("10.0.0.1", now) {
			t.Fatal("check-ins that were not refused count against the limit")
		}
	}
	for i := range checkinLimit {
		if !c.allow("10.0.0.1", now) {
			t.Fatalf("blocked after %d refusals, the limit is %d", i, checkinLimit)
		}
		c.refused("10.0.0.1", now)
	}
	if c.allow("10.0.0.1", now) {
		t.Fatalf("still allowed after %d refusals", checkinLimit)
	}
	if !c.allow("10.0.0.2", now) {
		t.Fatal("another address is blocked")
	}
	if !c.allow("10.0.0.1", now.Add(checkinWindow)) {
		t.Fatal("the refusals did not age out of the window")
	}
}
