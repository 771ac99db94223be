package storetest

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The field audit's later steps: on-site evidence (notes and files; the
// insurer assisting adds notes and photos and reads only its own in full;
// another county sees nothing; a closed campaign takes none), visits
// marked visited and closed, a campaign's close refused with what is open
// and then allowed, an inspector retired and no longer drawn, and offset
// recoveries deducted in the monthly clearing: partly in one month, the
// rest in the next, never twice, and against a concurrent settle never
// more than the amount.

// PNG is a small valid PNG image.
func PNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// drawnEnv is a campaign env with the pool drawn into two teams, and the
// visit of its registered institution.
func drawnEnv(t *testing.T, s *store.Store, name string) (campaignEnv, store.CampaignVisit) {
	t.Helper()
	e := newCampaignEnv(t, s, name)
	addPool(t, s)
	c, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2)
	if err != nil {
		t.Fatal(err)
	}
	e.campaign = c
	if e.visits, err = s.CampaignVisits(ctx, screener().Scope(), c.ID); err != nil {
		t.Fatal(err)
	}
	for _, v := range e.visits {
		if v.Institution == e.inst.Code {
			return e, v
		}
	}
	t.Fatalf("no visit of %s", e.inst.Code)
	return e, store.CampaignVisit{}
}

func testSupervisionEvidence(t *testing.T, s *store.Store, c *Clock) {
	e := newCampaignEnv(t, s, "/data/evidence")
	planned := e.visits[0]
	note := store.EvidenceInput{VisitID: planned.ID, Kind: store.EvidenceNote, Title: "床位核查记录", Note: "12床无人，护士称病人回家"}
	if _, err := s.AddEvidence(ctx, screener(), note, nil); !errs.Is(err, errs.Conflict) {
		t.Fatalf("evidence in a planned campaign: %v", err)
	}
	addPool(t, s)
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); err != nil {
		t.Fatal(err)
	}
	var visit, other store.CampaignVisit
	for _, v := range e.visits {
		if v.Institution == e.inst.Code {
			visit = v
		} else {
			other = v
		}
	}
	note.VisitID = visit.ID
	n, err := s.AddEvidence(ctx, screener(), note, nil)
	if err != nil {
		t.Fatalf("AddEvidence note: %v", err)
	}
	if n.ID == 0 || n.Kind != store.EvidenceNote || n.Region != visit.County || n.CampaignID != e.campaign.ID || n.HasFile() || !n.CreatedAt.Equal(c.T) {
		t.Fatalf("note %+v", n)
	}
	// refused inputs
	for _, in := range []struct {
		in    store.EvidenceInput
		file  []byte
		field string
	}{
		{store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidenceNote, Title: "空记录"}, nil, "note"},
		{store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidencePhoto, Title: "无文件"}, nil, "file"},
		{store.EvidenceInput{VisitID: visit.ID, Kind: "video", Title: "录像", Note: "x"}, nil, "kind"},
		{store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidencePhoto, Title: ""}, PNG(t), "title"},
		{store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidencePhoto, Title: "假图片"}, []byte("<html>not an image</html>"), "file"},
		{store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidencePhoto, Title: "PDF当照片"}, []byte("%PDF-1.4\n1 0 obj\n%%EOF\n"), "file"},
	} {
		var r io.Reader
		if in.file != nil {
			r = bytes.NewReader(in.file)
		}
		if _, err := s.AddEvidence(ctx, screener(), in.in, r); !onField(err, in.field) {
			t.Errorf("%s: %v, want a field error on %s", in.in.Title, err, in.field)
		}
	}
	photo, err := s.AddEvidence(ctx, screener(), store.EvidenceInput{VisitID: visit.ID, Title: "药房货架", FileName: "shelf.png"}, bytes.NewReader(PNG(t)))
	if err != nil {
		t.Fatalf("AddEvidence photo: %v", err)
	}
	if photo.Kind != store.EvidencePhoto || photo.ContentType != "image/png" || len(photo.SHA256) != 64 || photo.FileName != "shelf.png" || photo.Size == 0 {
		t.Fatalf("photo %+v", photo)
	}
	// tied to a finding of this visit only
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: e.lead.Finding.Category, Type: "虚假就医",
		Tier: supervision.TierViolation, Fen: 5000, Description: "挂床"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvidence(ctx, screener(), store.EvidenceInput{VisitID: other.ID, FindingID: f.ID, Kind: store.EvidenceNote, Title: "错挂", Note: "x"}, nil); !onField(err, "finding_id") {
		t.Fatalf("evidence of another visit's finding: %v", err)
	}
	doc, err := s.AddEvidence(ctx, screener(), store.EvidenceInput{VisitID: visit.ID, FindingID: f.ID, Kind: store.EvidenceDocument, Title: "询问笔录"},
		bytes.NewReader([]byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")))
	if err != nil || doc.FindingID != f.ID || doc.ContentType != "application/pdf" {
		t.Fatalf("document %+v %v", doc, err)
	}
	// the insurer assisting: notes and photos, not documents
	insurer := Actor(access.RoleInsurer, "370800")
	if _, err := s.AddEvidence(ctx, insurer, store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidenceDocument, Title: "病历复印件"},
		bytes.NewReader([]byte("%PDF-1.4\n%%EOF\n"))); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer adds a document: %v", err)
	}
	mine, err := s.AddEvidence(ctx, insurer, store.EvidenceInput{VisitID: visit.ID, Kind: store.EvidencePhoto, Title: "病房照片"}, bytes.NewReader(PNG(t)))
	if err != nil {
		t.Fatalf("the insurer adds a photo: %v", err)
	}
	if _, err := s.AddEvidence(ctx, Actor(access.RoleClerk, "370800"), note, nil); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("a clerk adds evidence: %v", err)
	}
	all, err := s.VisitEvidence(ctx, screener(), visit.ID, 0)
	if err != nil || len(all) != 4 || all[0].ID != n.ID || all[0].Note != note.Note || all[0].Withheld {
		t.Fatalf("the visit's evidence: %+v %v", all, err)
	}
	if of, _ := s.VisitEvidence(ctx, screener(), visit.ID, f.ID); len(of) != 1 || of[0].ID != doc.ID {
		t.Fatalf("the finding's evidence: %+v", of)
	}
	seen, _ := s.VisitEvidence(ctx, insurer, visit.ID, 0)
	if len(seen) != 4 || !seen[0].Withheld || seen[0].Note != "" || seen[3].Withheld || seen[3].ID != mine.ID {
		t.Fatalf("the insurer's view: %+v", seen)
	}
	if _, _, err := s.OpenEvidence(ctx, insurer, photo.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("the insurer opens an auditor's photo: %v", err)
	}
	rc, got, err := s.OpenEvidence(ctx, insurer, mine.ID)
	if err != nil {
		t.Fatalf("the insurer opens its own photo: %v", err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, PNG(t)) || got.ContentType != "image/png" {
		t.Fatalf("opened %d bytes %+v", len(b), got)
	}
	if _, _, err := s.OpenEvidence(ctx, screener(), n.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("opening a note: %v", err)
	}
	// another county sees none of it
	qufu := Actor(access.RoleAuditor, "370881")
	if l, _ := s.VisitEvidence(ctx, qufu, visit.ID, 0); len(l) != 0 {
		t.Fatalf("曲阜 lists %d items of a 任城 visit", len(l))
	}
	if _, err := s.FindEvidence(ctx, qufu, photo.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("曲阜 reads a 任城 item: %v", err)
	}
	if o, err := s.OwnersOf(ctx, access.KindStaff, "evidence", photo.ID); err != nil || o.Region != visit.County {
		t.Fatalf("evidence owners %+v %v", o, err)
	}
	auditHas(t, s, "supervision.evidence.add", 4)
	// a closed campaign takes no evidence
	if _, err := s.DB().ExecContext(ctx, `UPDATE audit_campaigns SET state = 'closed' WHERE id = $1`, e.campaign.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddEvidence(ctx, screener(), note, nil); !errs.Is(err, errs.Conflict) {
		t.Fatalf("evidence in a closed campaign: %v", err)
	}
}

func testSupervisionCampaignClose(t *testing.T, s *store.Store, c *Clock) {
	e, visit := drawnEnv(t, s, "/data/close")
	if _, err := s.CloseCampaign(ctx, screener(), e.campaign.ID, e.campaign.Version); !errs.Is(err, errs.Conflict) {
		t.Fatalf("closing a campaign not on site: %v", err)
	}
	// the first visit marked visited takes the campaign on site
	v, err := s.MarkVisited(ctx, screener(), visit.ID, visit.Version)
	if err != nil || v.State != "visited" || v.Version != visit.Version+1 {
		t.Fatalf("MarkVisited: %+v %v", v, err)
	}
	if _, err := s.MarkVisited(ctx, screener(), visit.ID, v.Version); !errs.Is(err, errs.Conflict) {
		t.Fatalf("visited twice: %v", err)
	}
	if _, err := s.MarkVisited(ctx, Actor(access.RoleInsurer, "370800"), visit.ID, v.Version); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer marks a visit: %v", err)
	}
	camp, _ := s.FindCampaign(ctx, screener(), e.campaign.ID)
	if camp.State != "on_site" {
		t.Fatalf("campaign after the first visit: %s", camp.State)
	}
	dismissed, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: e.lead.Finding.Category, Type: "虚假就医",
		Tier: supervision.TierViolation, Fen: 3000, Description: "疑似挂床"})
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation,
		LeadIDs: []int64{e.lead.ID}, Description: "重复收费"})
	if err != nil {
		t.Fatal(err)
	}
	step := func(f *store.FieldFinding, who access.Principal, a supervision.FindingAction, note, due string) {
		t.Helper()
		got, err := s.ActOnFieldFinding(ctx, who, f.ID, f.Version, a, note, due)
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		*f = got
	}
	step(&kept, screener(), supervision.ActFeedBack, "", "2026-03-20")
	step(&kept, screener(), supervision.ActReply, "无异议", "")
	step(&kept, secondAuditor(), supervision.ActConfirm, "认定", "")
	rec, err := s.AddRecovery(ctx, screener(), kept.ID, supervision.RecoveryRefund, kept.Fen)
	if err != nil {
		t.Fatal(err)
	}
	step(&kept, screener(), supervision.ActNotify, "", "")
	if _, err := s.CloseVisit(ctx, screener(), visit.ID, v.Version); !errs.Is(err, errs.Conflict) || !strings.Contains(err.Error(), "未办结或未驳回") {
		t.Fatalf("closing a visit with open findings: %v", err)
	}
	_, err = s.CloseCampaign(ctx, screener(), camp.ID, camp.Version)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if !errs.Is(err, errs.Conflict) || !strings.Contains(msg, "个检查对象未办结") || !strings.Contains(msg, "稽核发现") ||
		!strings.Contains(msg, "追回未办结") || !strings.Contains(msg, e.inst.Name) {
		t.Fatalf("closing with everything open: %v", err)
	}
	step(&dismissed, secondAuditor(), supervision.ActDismiss, "核实无挂床", "")
	if _, err := s.SettleRecovery(ctx, screener(), rec.ID, rec.Version, rec.Fen); err != nil {
		t.Fatal(err)
	}
	step(&kept, screener(), supervision.ActClose, "已退回", "")
	if v, err = s.CloseVisit(ctx, screener(), visit.ID, v.Version); err != nil || v.State != "closed" {
		t.Fatalf("CloseVisit: %+v %v", v, err)
	}
	visits, _ := s.CampaignVisits(ctx, screener().Scope(), camp.ID)
	for _, x := range visits {
		if x.ID == visit.ID {
			continue
		}
		if _, err := s.CloseVisit(ctx, screener(), x.ID, x.Version); !errs.Is(err, errs.Conflict) {
			t.Fatalf("closing a visit not visited: %v", err)
		}
		y, err := s.MarkVisited(ctx, screener(), x.ID, x.Version)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseVisit(ctx, screener(), x.ID, y.Version); err != nil {
			t.Fatal(err)
		}
	}
	camp, _ = s.FindCampaign(ctx, screener(), camp.ID)
	if _, err := s.CloseCampaign(ctx, screener(), camp.ID, camp.Version-1); !errs.Is(err, errs.Conflict) {
		t.Fatalf("closing at an old version: %v", err)
	}
	closed, err := s.CloseCampaign(ctx, screener(), camp.ID, camp.Version)
	if err != nil || closed.State != "closed" || closed.Version != camp.Version+1 {
		t.Fatalf("CloseCampaign: %+v %v", closed, err)
	}
	if _, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: e.lead.Finding.Category, Type: "虚假就医",
		Tier: supervision.TierViolation, Description: "迟到"}); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a finding in a closed campaign: %v", err)
	}
	auditHas(t, s, "supervision.campaign.close", 1)
	auditHas(t, s, "supervision.campaign.on_site", 1)
	auditHas(t, s, "supervision.visit.close", len(visits))
}

func testSupervisionInspectorRetire(t *testing.T, s *store.Store, c *Clock) {
	e, _ := drawnEnv(t, s, "/data/retire")
	pool, _ := s.Inspectors(ctx, false)
	var drawn store.Inspector
	teams, _ := s.CampaignTeams(ctx, e.campaign.ID)
	for _, p := range pool {
		for _, m := range teams[0].Members {
			if m.ID == p.ID && !p.Officer {
				drawn = p
			}
		}
	}
	if drawn.ID == 0 {
		drawn = pool[len(pool)-1]
	}
	if _, err := s.RetireInspector(ctx, Actor(access.RoleInsurer, "370800"), drawn.ID, drawn.Version); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer retires: %v", err)
	}
	if _, err := s.RetireInspector(ctx, screener(), drawn.ID, drawn.Version+1); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a retire at a wrong version: %v", err)
	}
	r, err := s.RetireInspector(ctx, screener(), drawn.ID, drawn.Version)
	if err != nil || r.Active || r.Version != drawn.Version+1 {
		t.Fatalf("RetireInspector: %+v %v", r, err)
	}
	if _, err := s.RetireInspector(ctx, screener(), drawn.ID, r.Version); !errs.Is(err, errs.Conflict) {
		t.Fatalf("retired twice: %v", err)
	}
	if _, err := s.RetireInspector(ctx, Actor(access.RoleAuditor, "370100"), drawn.ID, r.Version); !errs.Is(err, errs.NotFound) {
		t.Fatalf("济南 retires a Jining inspector: %v", err)
	}
	active, _ := s.Inspectors(ctx, true)
	for _, a := range active {
		if a.ID == drawn.ID {
			t.Fatal("a retired inspector is listed as active")
		}
	}
	// past teams still name them
	before, _ := s.CampaignTeams(ctx, e.campaign.ID)
	named := false
	for _, tm := range before {
		for _, m := range tm.Members {
			named = named || m.ID == drawn.ID && m.Name == drawn.Name
		}
	}
	if !named {
		t.Fatalf("the retired %s is gone from the drawn teams %+v", drawn.Name, before)
	}
	// a new draw leaves them out
	if _, err := s.DrawCampaignTeams(ctx, screener(), e.campaign.ID, e.campaign.Version, 2); err != nil {
		t.Fatal(err)
	}
	after, _ := s.CampaignTeams(ctx, e.campaign.ID)
	for _, tm := range after {
		for _, m := range tm.Members {
			if m.ID == drawn.ID {
				t.Fatalf("the retired %s drawn again", drawn.Name)
			}
		}
	}
	auditHas(t, s, "supervision.inspector.retire", 1)
}

// offsetEnv is a confirmed finding at the campaign's registered
// institution, and a recognised worker to settle there.
func offsetEnv(t *testing.T, s *store.Store, c *Clock, name string) (campaignEnv, *settleEnv, store.FieldFinding) {
	t.Helper()
	e, visit := drawnEnv(t, s, name)
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Category: e.lead.Finding.Category, Type: "超标准收费",
		Tier: supervision.TierViolation, Fen: 10_000_000, Description: "超标准收费"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		who       access.Principal
		act       supervision.FindingAction
		note, due string
	}{{screener(), supervision.ActFeedBack, "", "2026-03-20"}, {screener(), supervision.ActReply, "无异议", ""}, {secondAuditor(), supervision.ActConfirm, "认定", ""}} {
		if f, err = s.ActOnFieldFinding(ctx, a.who, f.ID, f.Version, a.act, a.note, a.due); err != nil {
			t.Fatal(err)
		}
	}
	return e, newSettleEnv(t, s, c), f
}

func testSupervisionOffsetClearing(t *testing.T, s *store.Store, c *Clock) {
	e, se, f := offsetEnv(t, s, c, "/data/offset")
	w, _ := se.recognised("370811")
	march := se.settle(e.inst, w, 1, false)
	p1 := march.Bill.Settlement.FundPay
	if p1 < 2 {
		t.Fatalf("fund pay %d", p1)
	}
	want := p1 + p1/2 // all of March's payment and half of April's
	rec, err := s.AddRecovery(ctx, screener(), f.ID, supervision.RecoveryOffset, want)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.AddRecovery(ctx, screener(), f.ID, supervision.RecoveryRefund, 100)
	if err != nil {
		t.Fatal(err)
	}
	officer := Actor(access.RoleBenefits, "370800")
	month := c.T.Format("2006-01")
	c.T = c.T.AddDate(0, 1, 0)
	res, err := s.CloseClearing(ctx, officer, month, "370800")
	if err != nil || len(res.Statements) != 1 {
		t.Fatalf("March close: %+v %v", res, err)
	}
	st := res.Statements[0]
	if st.OffsetFen != p1 || st.NetPay() != 0 {
		t.Fatalf("March statement %+v, want all of %d offset", st, p1)
	}
	if got, _ := s.FindStatement(ctx, officer, st.ID); got.OffsetFen != p1 {
		t.Fatalf("stored offset %d", got.OffsetFen)
	}
	rs, _ := s.Recoveries(ctx, f.ID)
	if rs[0].ID != rec.ID || rs[0].Recovered != p1 || rs[0].State != "open" || rs[0].Version != rec.Version+1 {
		t.Fatalf("after March %+v", rs[0])
	}
	if rs[1].Recovered != 0 || rs[1].State != "open" {
		t.Fatalf("a refund offset: %+v", rs[1])
	}
	// closing March again deducts nothing
	if again, err := s.CloseClearing(ctx, officer, month, "370800"); err != nil || len(again.Statements) != 0 {
		t.Fatalf("March again: %+v %v", again, err)
	}
	// settling below what was offset is refused
	if _, err := s.SettleRecovery(ctx, screener(), rec.ID, rs[0].Version, p1-1); !onField(err, "recovered_fen") {
		t.Fatalf("settled below the offset: %v", err)
	}
	april := se.settle(e.inst, w, 1, false)
	month2 := c.T.Format("2006-01")
	c.T = c.T.AddDate(0, 1, 0)
	res, err = s.CloseClearing(ctx, officer, month2, "370800")
	if err != nil || len(res.Statements) != 1 {
		t.Fatalf("April close: %+v %v", res, err)
	}
	if st2 := res.Statements[0]; st2.OffsetFen != want-p1 || st2.NetPay() != april.Bill.Settlement.FundPay-(want-p1) {
		t.Fatalf("April statement %+v, want %d offset", st2, want-p1)
	}
	rs, _ = s.Recoveries(ctx, f.ID)
	if rs[0].Recovered != want || rs[0].State != "done" {
		t.Fatalf("after April %+v", rs[0])
	}
	offs, err := s.RecoveryOffsets(ctx, f.ID)
	if err != nil || len(offs) != 2 || offs[0].Fen != p1 || offs[1].Fen != want-p1 || offs[0].Month != month || offs[1].Month != month2 {
		t.Fatalf("offsets %+v %v", offs, err)
	}
	if so, err := s.StatementOffsets(ctx, officer.Scope(), st.ID); err != nil || len(so) != 1 || so[0].FindingID != f.ID || so[0].VisitID != f.VisitID {
		t.Fatalf("statement offsets %+v %v", so, err)
	}
	// a third month: nothing left to offset
	se.settle(e.inst, w, 1, false)
	month3 := c.T.Format("2006-01")
	c.T = c.T.AddDate(0, 1, 0)
	if res, err = s.CloseClearing(ctx, officer, month3, "370800"); err != nil || res.Statements[0].OffsetFen != 0 {
		t.Fatalf("May close: %+v %v", res, err)
	}
	auditHas(t, s, "supervision.recovery.offset", 2)
	var sum int64
	_ = s.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_fen), 0) FROM audit_recovery_offsets`).Scan(&sum)
	if sum != want {
		t.Fatalf("offsets sum to %d, want %d", sum, want)
	}
}

// testSupervisionOffsetConcurrent: a recovery settled while the clearing
// offsets it: one of them counts, the recovered amount never exceeds the
// recovery's.
func testSupervisionOffsetConcurrent(t *testing.T, s *store.Store, c *Clock) {
	e, se, f := offsetEnv(t, s, c, "/data/offset-race")
	w, _ := se.recognised("370811")
	for range 3 {
		se.settle(e.inst, w, 2, false)
	}
	recs := make([]store.AuditRecovery, 4)
	for i := range recs {
		r, err := s.AddRecovery(ctx, screener(), f.ID, supervision.RecoveryOffset, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		recs[i] = r
	}
	month := c.T.Format("2006-01")
	c.T = c.T.AddDate(0, 1, 0)
	results := together(1+len(recs), func(i int) error {
		if i == 0 {
			_, err := s.CloseClearing(ctx, Actor(access.RoleBenefits, "370800"), month, "370800")
			return err
		}
		r := recs[i-1]
		_, err := s.SettleRecovery(ctx, screener(), r.ID, r.Version, r.Fen)
		return err
	})
	if results[0] != nil {
		t.Fatalf("the clearing: %v", results[0])
	}
	after, _ := s.Recoveries(ctx, f.ID)
	for i, r := range after {
		var offset int64
		_ = s.DB().QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_fen), 0) FROM audit_recovery_offsets WHERE recovery_id = $1`, r.ID).Scan(&offset)
		if r.Recovered > r.Fen {
			t.Fatalf("recovery %d: %d recovered of %d", r.ID, r.Recovered, r.Fen)
		}
		switch err := results[i+1]; {
		case err == nil: // settled first: the clearing skipped it
			if offset != 0 || r.Recovered != r.Fen || r.State != "done" {
				t.Fatalf("settled recovery %+v with %d offset", r, offset)
			}
		case errs.Is(err, errs.Conflict): // offset first: the settle saw a new version
			if offset == 0 || r.Recovered != offset {
				t.Fatalf("offset recovery %+v with %d offset", r, offset)
			}
		default:
			t.Fatalf("settle %d: %v", r.ID, err)
		}
	}
}
