package storetest

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/letters"
	"gongshang/internal/pdf"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// A visit's letters are issued only over findings in the right state,
// numbered from the city's sequence per kind and year (two issuers at once
// get two numbers), kept as issued: a finding that moves on later does not
// change a letter already issued, and every print of it is the same; the
// insurer may not issue and another county does not see them.
func testSupervisionAuditLetters(t *testing.T, s *store.Store, c *Clock) {
	e, visit := drawnEnv(t, s, "/data/letters")
	if _, err := s.IssueAuditLetter(ctx, screener(), visit.ID, letters.AuditFeedback); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a feedback letter without findings: %v", err)
	}
	f, err := s.RecordFieldFinding(ctx, screener(), visit.ID, store.FieldFinding{Type: "重复收费", Tier: supervision.TierViolation,
		LeadIDs: []int64{e.lead.ID}, Description: "重复收取检查费"})
	if err != nil {
		t.Fatal(err)
	}
	if f, err = s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActFeedBack, "", "2026-03-16"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.IssueAuditLetter(ctx, Actor(access.RoleInsurer, "370800"), visit.ID, letters.AuditFeedback); !errs.Is(err, errs.Forbidden) {
		t.Fatalf("the insurer issued a letter: %v", err)
	}
	if _, err := s.IssueAuditLetter(ctx, screener(), visit.ID, letters.AuditNotice); !errs.Is(err, errs.Conflict) {
		t.Fatalf("a notice before the review: %v", err)
	}
	if _, err := s.IssueAuditLetter(ctx, screener(), visit.ID, "warning"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("an unknown kind: %v", err)
	}
	res := together(2, func(int) error {
		_, err := s.IssueAuditLetter(ctx, screener(), visit.ID, letters.AuditFeedback)
		return err
	})
	for _, err := range res {
		if err != nil {
			t.Fatalf("concurrent issue: %v", err)
		}
	}
	ls, err := s.AuditLetters(ctx, screener(), visit.ID)
	if err != nil || len(ls) != 2 {
		t.Fatalf("letters %+v %v", ls, err)
	}
	numbers := []string{ls[0].Number, ls[1].Number}
	slices.Sort(numbers)
	if numbers[0] != "济人社稽〔2026〕000001号" || numbers[1] != "济人社稽〔2026〕000002号" ||
		ls[0].IssuedOn != "2026-03-02" || !slices.Equal(ls[0].FindingIDs, []int64{f.ID}) || ls[0].Region != visit.County {
		t.Fatalf("issued %+v", ls)
	}
	_, doc, err := s.AuditLetterDoc(ctx, screener(), ls[0].ID)
	if err != nil || doc.Number != ls[0].Number {
		t.Fatalf("letter content %+v %v", doc, err)
	}
	first, err := pdf.Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	// the finding moves on and a day passes: the issued letter stays as it was
	if f, err = s.ActOnFieldFinding(ctx, screener(), f.ID, f.Version, supervision.ActReply, "无异议", ""); err != nil {
		t.Fatal(err)
	}
	c.T = c.T.Add(24 * time.Hour)
	_, again, err := s.AuditLetterDoc(ctx, screener(), ls[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := pdf.Render(again); err != nil || !bytes.Equal(b, first) {
		t.Fatalf("the issued letter printed differently later (%v)", err)
	}
	if _, _, err := s.AuditLetterDoc(ctx, Actor(access.RoleAuditor, "370881"), ls[0].ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another county read the letter: %v", err)
	}
	if _, err := s.AuditLetters(ctx, Actor(access.RoleAuditor, "370881"), visit.ID); !errs.Is(err, errs.NotFound) {
		t.Fatalf("another county listed the letters: %v", err)
	}
	auditHas(t, s, "supervision.letter.issue", 2)
}
