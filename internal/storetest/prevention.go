package storetest

import (
	"testing"

	"gongshang/internal/store"
)

// The work-injury prevention's conformance cases (issue 12): the year and
// its cap, the counties' plans through review, the cap against concurrent
// approvals, change requests, region scope and who may approve, and the
// key industries from the recognised cases.

var preventionSuite = []struct {
	name string
	fn   func(t *testing.T, s *store.Store, c *Clock)
}{
	{"PreventionYearRate", testPreventionYearRate},
	{"PreventionPlanFlow", testPreventionPlanFlow},
	{"PreventionPlanOverCap", testPreventionPlanOverCap},
	{"PreventionPlanConcurrentCap", testPreventionPlanConcurrentCap},
	{"PreventionPlanChange", testPreventionPlanChange},
	{"PreventionPlanScope", testPreventionPlanScope},
	{"PreventionIndustries", testPreventionIndustries},
}
