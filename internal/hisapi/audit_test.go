package hisapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/hisapi"
	"gongshang/internal/hissim"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// The institution's audit endpoints over real HTTP, signed by the HIS
// simulator with each institution's own credentials: its own findings
// listed (never a draft, never the review's opinion), its reply recorded,
// another institution's finding not found, a bad signature refused.
func TestAuditFindingsEndpoints(t *testing.T) {
	ctx := context.Background()
	clock := storetest.NewClock()
	s := storetest.OpenSQLite(t, clock)
	fx := storetest.NewAuditFixture(t, s, "/data/hisapi-audit")
	recorder, reviewer := storetest.Auditors()
	mine, theirs := fx.Visits[fx.Inst.Code], fx.Visits[fx.Other.Code]
	draft, err := s.RecordFieldFinding(ctx, recorder, mine.ID, store.FieldFinding{Category: supervision.CatalogueFee, Type: "超标准收费",
		Tier: supervision.TierViolation, Fen: 100, Description: "草稿不应外发"})
	if err != nil {
		t.Fatal(err)
	}
	sent := storetest.FedBackFinding(t, s, mine.ID, supervision.TierViolation, 4000)
	other := storetest.FedBackFinding(t, s, theirs.ID, supervision.TierViolation, 500)

	h, err := web.Mount(web.Options{Store: s}, hisapi.New(hisapi.Options{Store: s, Now: time.Now}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := func(in settlement.Institution) *hissim.Client {
		token := "tok-" + strings.ToLower(in.Code)
		if err := s.SetInstitutionToken(ctx, access.System, in.ID, "gs"+strings.ToLower(in.Code), token); err != nil {
			t.Fatal(err)
		}
		return &hissim.Client{BaseURL: srv.URL, Inst: hissim.FixtureInstitution{FixmedinsCode: in.Code, FixmedinsName: in.Name,
			Admvs: in.RegionCode, Paasid: "gs" + strings.ToLower(in.Code), Token: token}}
	}
	me, them := client(fx.Inst), client(fx.Other)

	var list web.ListBody[store.OwnFinding]
	if err := me.JSON(ctx, http.MethodGet, hisapi.AuditFindingsPath, nil, &list); err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(list.Items) != 1 || list.Items[0].ID != sent.ID || list.Items[0].State != supervision.FindingFedBack || list.Total != 1 {
		t.Fatalf("own findings %+v (draft %d)", list, draft.ID)
	}
	reply := func(c *hissim.Client, id int64, text string) (store.OwnFinding, error) {
		var out store.OwnFinding
		err := c.JSON(ctx, http.MethodPost, hisapi.AuditFindingsPath+"/"+strconv.FormatInt(id, 10)+"/reply", hisapi.ReplyInput{Reply: text}, &out)
		return out, err
	}
	status := func(err error) int {
		var se *hissim.StatusError
		if errors.As(err, &se) {
			return se.Code
		}
		return 0
	}
	for _, id := range []int64{other.ID, draft.ID} {
		if _, err := reply(me, id, "无异议"); status(err) != http.StatusNotFound {
			t.Fatalf("reply to finding %d: %v", id, err)
		}
	}
	if _, err := reply(me, sent.ID, ""); status(err) != http.StatusBadRequest || !strings.Contains(err.Error(), "reply") {
		t.Fatalf("an empty reply: %v", err)
	}
	got, err := reply(me, sent.ID, "系统重复计费，已退费")
	if err != nil || got.State != supervision.FindingReplied || got.Reply != "系统重复计费，已退费" {
		t.Fatalf("reply: %+v %v", got, err)
	}
	if _, err := reply(me, sent.ID, "再次回复"); status(err) != http.StatusConflict {
		t.Fatalf("a second reply: %v", err)
	}
	// the review's opinion stays internal
	f, _ := s.FindFieldFinding(ctx, recorder, sent.ID)
	if _, err := s.ActOnFieldFinding(ctx, reviewer, f.ID, f.Version, supervision.ActConfirm, "内部审议意见甲", ""); err != nil {
		t.Fatal(err)
	}
	raw := &rawOut{}
	if err := me.JSON(ctx, http.MethodGet, hisapi.AuditFindingsPath, nil, raw); err != nil || strings.Contains(raw.s, "内部审议意见甲") ||
		!strings.Contains(raw.s, `"state":"confirmed"`) {
		t.Fatalf("list after the review: %s %v", raw.s, err)
	}
	// the other institution sees its own only
	if err := them.JSON(ctx, http.MethodGet, hisapi.AuditFindingsPath, nil, &list); err != nil || len(list.Items) != 1 || list.Items[0].ID != other.ID {
		t.Fatalf("the other institution's list: %+v %v", list, err)
	}
	// a wrong token is refused before anything is read
	forged := &hissim.Client{BaseURL: srv.URL, Inst: me.Inst}
	forged.Inst.Token = "wrong"
	if err := forged.JSON(ctx, http.MethodGet, hisapi.AuditFindingsPath, nil, &list); status(err) != http.StatusUnauthorized {
		t.Fatalf("a forged signature: %v", err)
	}
}

// rawOut keeps the answer as text.
type rawOut struct{ s string }

func (r *rawOut) UnmarshalJSON(b []byte) error { r.s = string(b); return nil }
