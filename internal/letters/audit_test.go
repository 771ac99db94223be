package letters

import (
	"strings"
	"testing"
	"time"

	"gongshang/internal/pdf"
	"gongshang/internal/supervision"
)

func auditSample(k AuditKind) AuditInput {
	f1 := AuditFinding{ID: 3, Category: supervision.CatalogueFee, Type: "重复收费", Tier: supervision.TierViolation, Fen: 70000,
		Description: "同日重复收取磁共振检查费", Lines: []string{"L0000000002"}, State: supervision.FindingFedBack, ReplyDue: "2026-03-16"}
	f2 := AuditFinding{ID: 4, Category: supervision.PhantomStay, Type: "挂床住院", Tier: supervision.TierFraud, Fen: 16600,
		Lines: []string{"L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "L10"}, State: supervision.FindingFedBack, ReplyDue: "2026-03-10"}
	if k == AuditNotice {
		f1.State, f1.Reply, f1.ReviewNote, f1.RectifyDue = supervision.FindingRectifying, "系统重复计费", "集体审议认定违规", "2026-04-30"
		f2.State, f2.ReviewNote = supervision.FindingConfirmed, "床旁点名不在院"
	}
	return AuditInput{Kind: k, Number: AuditNumber("济宁市", k, 2026, 12), On: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		Institution: "济宁市第一人民医院", Code: "H37080200001", Campaign: "2026年度工伤保险基金稽核", RegionName: "济宁市",
		Findings: []AuditFinding{f1, f2}}
}

func TestAuditFeedbackLetter(t *testing.T) {
	l, err := ComposeAudit(auditSample(AuditFeedback))
	if err != nil {
		t.Fatal(err)
	}
	if l.Number != "济人社稽〔2026〕000012号" || l.Title != "工伤保险基金稽核反馈意见书" || l.To != "济宁市第一人民医院：" {
		t.Fatalf("head %q %q %q", l.Number, l.Title, l.To)
	}
	text := all(l)
	// findings, amounts, evidence, the earliest reply due
	for _, want := range []string{"同日重复收取磁共振检查费", "700.00元", "166.00元", "866.00元", "L0000000002", "2026年3月10日前", "陈述和申辩",
		"L8等10条", "目录与收费违规·重复收费，违规", "挂床住院·挂床住院，骗保"} {
		if !strings.Contains(text, want) {
			t.Errorf("feedback lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "L9") {
		t.Error("more evidence lines listed than the letter shows")
	}
	a, err := pdf.Render(l)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pdf.Render(l)
	if !strings.HasPrefix(string(a), "%PDF") || string(a) != string(b) {
		t.Fatal("the feedback does not render the same bytes twice")
	}
}

func TestAuditNoticeLetter(t *testing.T) {
	l, err := ComposeAudit(auditSample(AuditNotice))
	if err != nil {
		t.Fatal(err)
	}
	text := all(l)
	for _, want := range []string{"济人社稽结〔2026〕000012号", "认定下列问题属实", "866.00元", "2026年4月30日前", "集体审议认定违规", "机构回复：系统重复计费",
		"60日内向济宁市人民政府申请行政复议", "6个月内向人民法院提起行政诉讼", "抵扣"} {
		if !strings.Contains(text, want) {
			t.Errorf("notice lacks %q:\n%s", want, text)
		}
	}
	if _, err := pdf.Render(l); err != nil {
		t.Fatal(err)
	}
	// no rectification due yet: the default period
	in := auditSample(AuditNotice)
	in.Findings[0].RectifyDue = ""
	l, _ = ComposeAudit(in)
	if !strings.Contains(all(l), "自收到本通知书之日起30日内完成整改") {
		t.Errorf("notice without a rectification due:\n%s", all(l))
	}
}

func TestAuditEligible(t *testing.T) {
	for _, tc := range []struct {
		k    AuditKind
		s    supervision.FindingState
		due  string
		want bool
	}{
		{AuditFeedback, supervision.FindingDraft, "", false},
		{AuditFeedback, supervision.FindingFedBack, "2026-03-16", true},
		{AuditFeedback, supervision.FindingConfirmed, "2026-03-16", true},
		{AuditNotice, supervision.FindingReplied, "2026-03-16", false},
		{AuditNotice, supervision.FindingDismissed, "2026-03-16", false},
		{AuditNotice, supervision.FindingConfirmed, "2026-03-16", true},
		{AuditNotice, supervision.FindingClosed, "2026-03-16", true},
		{"other", supervision.FindingClosed, "2026-03-16", false},
	} {
		if got := AuditEligible(tc.k, AuditFinding{State: tc.s, ReplyDue: tc.due}); got != tc.want {
			t.Errorf("%s %s: %v", tc.k, tc.s, got)
		}
	}
	// a draft finding in a notice is refused, as is an empty letter
	in := auditSample(AuditNotice)
	in.Findings[1].State = supervision.FindingReplied
	if _, err := ComposeAudit(in); err == nil {
		t.Error("a notice with an unconfirmed finding composed")
	}
	in.Findings = nil
	if _, err := ComposeAudit(in); err == nil {
		t.Error("a notice without findings composed")
	}
}
