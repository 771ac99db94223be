package main

import (
	"bytes"
	"context"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

// countyReadable are the object kinds a county's staff may read though
// they are the city's: the prevention expert pool and its courseware
// (the counties choose their trainers from it). The route walk expects
// 曲阜's GET of them to succeed and every change to be refused.
var countyReadable = map[string]bool{"prevention_expert": true, "prevention_courseware": true}

// preventionExpertIDs adds an expert to the city's pool with a submitted
// courseware revision, for the route walk.
func preventionExpertIDs(t *testing.T, e *webtest.Env, ids map[string]int64) {
	t.Helper()
	ctx := context.Background()
	actor := storetest.Actor(access.RolePrevention, "370800")
	x, err := e.S.AddPreventionExpert(ctx, actor, prevention.Expert{Name: "路由专家", Specialty: prevention.SpecialtySafety,
		Department: prevention.DeptEmergency, Title: "高级工程师"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.S.UploadCourseware(ctx, actor, x.ID, "安全生产基础", "routes.pdf",
		bytes.NewReader([]byte("%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n")))
	if err != nil {
		t.Fatal(err)
	}
	ids["prevention_expert"], ids["prevention_courseware"] = x.ID, c.ID
}
