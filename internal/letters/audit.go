package letters

import (
	"fmt"
	"strings"
	"time"

	"gongshang/internal/pdf"
	"gongshang/internal/supervision"
)

// The field audit's letters to an institution (fund-audit.md §5.5 steps 5
// and 7): the feedback of the findings with a reply deadline, and after
// the collective review the notice of the confirmed findings with the
// amounts to recover and the rectification due. Pure, like the case's
// letters: the caller picks the findings, numbers and renders.

// AuditKind is a type of field-audit letter.
type AuditKind string

// The field-audit letters.
const (
	AuditFeedback AuditKind = "feedback" // 工伤保险基金稽核反馈意见书
	AuditNotice   AuditKind = "notice"   // 工伤保险基金稽核结论通知书
)

var auditTitles = map[AuditKind]string{AuditFeedback: "工伤保险基金稽核反馈意见书", AuditNotice: "工伤保险基金稽核结论通知书"}

var auditPrefixes = map[AuditKind]string{AuditFeedback: "人社稽", AuditNotice: "人社稽结"}

// Title is the letter's Chinese title; "" for an unknown kind.
func (k AuditKind) Title() string { return auditTitles[k] }

// AuditNumber formats a field-audit letter's number: 济人社稽〔2026〕000012号
// (the region's first character, the kind's prefix, the year, a sequence).
func AuditNumber(regionName string, k AuditKind, year int, seq int64) string {
	short := "鲁"
	if r := []rune(regionName); len(r) > 0 {
		short = string(r[0])
	}
	return fmt.Sprintf("%s%s〔%d〕%06d号", short, auditPrefixes[k], year, seq)
}

// AuditFinding is what a letter says of one field finding.
type AuditFinding struct {
	ID          int64
	Category    string // behaviour category code
	Type        string // finding type (12-type enum)
	Tier        supervision.Tier
	Fen         int64
	Description string
	Lines       []string // evidence fee lines (feedetl_sn)
	State       supervision.FindingState
	ReplyDue    string
	Reply       string
	ReviewNote  string
	RectifyDue  string
}

// AuditEligible reports whether a finding belongs in a letter of kind k:
// the feedback covers findings that were fed back (a reply deadline is
// set), the notice those the collective review confirmed.
func AuditEligible(k AuditKind, f AuditFinding) bool {
	switch k {
	case AuditFeedback:
		return f.ReplyDue != "" && f.State != supervision.FindingDraft
	case AuditNotice:
		switch f.State {
		case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying, supervision.FindingClosed:
			return true
		}
	}
	return false
}

// AuditInput is everything one field-audit letter needs.
type AuditInput struct {
	Kind        AuditKind
	Number      string
	On          time.Time // the letter's date
	Institution string    // name
	Code        string    // fixmedins_code
	Campaign    string    // the campaign's name
	RegionName  string    // the campaign's region: 济宁市
	Findings    []AuditFinding
}

// maxEvidenceLines is how many evidence line numbers a finding lists in a
// letter; the rest are counted (the pack lists them all).
const maxEvidenceLines = 8

// ComposeAudit writes a field-audit letter's content. Findings not
// eligible for the kind are an error: the caller chooses.
func ComposeAudit(in AuditInput) (pdf.Letter, error) {
	if in.Kind.Title() == "" {
		return pdf.Letter{}, fmt.Errorf("letters: unknown audit letter %q", in.Kind)
	}
	if len(in.Findings) == 0 {
		return pdf.Letter{}, fmt.Errorf("letters: %s without findings", in.Kind.Title())
	}
	var total int64
	for _, f := range in.Findings {
		if !AuditEligible(in.Kind, f) {
			return pdf.Letter{}, fmt.Errorf("letters: finding %d (%s) does not belong in a %s", f.ID, f.State.Name(), in.Kind.Title())
		}
		total += f.Fen
	}
	authority := in.RegionName + "人力资源和社会保障局"
	l := pdf.Letter{Authority: authority, Title: in.Kind.Title(), Number: in.Number, To: in.Institution + "：", Date: in.On,
		Signer: authority + "（章）", Footer: "机构编码 " + in.Code + "　" + in.Campaign}
	for _, f := range in.Findings {
		l.Items = append(l.Items, findingItem(in.Kind, f))
	}
	l.Fields = []pdf.Field{{Label: "被检查机构", Value: in.Institution + "（" + in.Code + "）"}, {Label: "稽核计划", Value: in.Campaign},
		{Label: "问题数", Value: fmt.Sprintf("%d项", len(in.Findings))}}
	switch in.Kind {
	case AuditFeedback:
		due := earliest(in.Findings, func(f AuditFinding) string { return f.ReplyDue })
		l.Paragraphs = []string{
			"根据《工伤保险条例》《社会保险基金行政监督办法》和你单位签订的工伤保险服务协议，本局在" + in.Campaign + "中对你单位进行了现场稽核，发现下列问题（证据为结算费用明细流水号）：",
			"请你单位于" + cnDate(due) + "前，就上述问题提交书面说明及相关病历、医嘱、进销存台账等证明材料。逾期未回复的，视为对上述问题无异议，本局将依程序集体审议后作出处理。",
		}
		l.Fields = append(l.Fields, pdf.Field{Label: "涉及金额合计", Value: supervision.YuanText(total) + "元"}, pdf.Field{Label: "回复期限", Value: cnDate(due)})
		l.Notice = "你单位对上述问题有异议的，可以在回复期限内提出陈述和申辩，并提供证据；本局将对你单位提出的事实、理由和证据进行复核。"
	case AuditNotice:
		rectify := earliest(in.Findings, func(f AuditFinding) string { return f.RectifyDue })
		rectifyText := "自收到本通知书之日起30日内"
		if rectify != "" {
			rectifyText = cnDate(rectify) + "前"
		}
		l.Paragraphs = []string{
			"本局在" + in.Campaign + "中向你单位反馈了稽核发现的问题。经审查你单位的回复意见并集体审议，认定下列问题属实：",
			"请你单位自收到本通知书之日起15日内将应追回金额" + supervision.YuanText(total) + "元退回工伤保险基金；逾期未退回的，从你单位后续的工伤保险结算费用中抵扣。请你单位" + rectifyText + "完成整改并提交书面整改报告，本局将进行复查。",
			"违反服务协议的，本局将按协议约定追究违约责任；涉嫌欺诈骗取工伤保险基金的，依法移送有关部门处理。",
		}
		l.Fields = append(l.Fields, pdf.Field{Label: "应追回金额合计", Value: supervision.YuanText(total) + "元"}, pdf.Field{Label: "整改期限", Value: rectifyText})
		l.Notice = "如对本通知不服，可以自收到本通知书之日起60日内向" + in.RegionName + "人民政府申请行政复议，或者6个月内向人民法院提起行政诉讼。"
	}
	return l, nil
}

// findingItem is one finding as a numbered item of the letter.
func findingItem(k AuditKind, f AuditFinding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "【%s·%s，%s】", supervision.CategoryName(f.Category), f.Type, f.Tier.Name())
	if f.Description != "" {
		b.WriteString(strings.TrimRight(f.Description, "。") + "。")
	}
	fmt.Fprintf(&b, "涉及金额%s元。", supervision.YuanText(f.Fen))
	if n := len(f.Lines); n > 0 {
		shown := f.Lines[:min(n, maxEvidenceLines)]
		b.WriteString("证据：费用明细" + strings.Join(shown, "、"))
		if n > len(shown) {
			fmt.Fprintf(&b, "等%d条", n)
		}
		b.WriteString("。")
	}
	if k == AuditNotice {
		if f.Reply != "" {
			b.WriteString("机构回复：" + strings.TrimRight(f.Reply, "。") + "。")
		}
		if f.ReviewNote != "" {
			b.WriteString("审议意见：" + strings.TrimRight(f.ReviewNote, "。") + "。")
		}
	}
	return b.String()
}

// earliest is the earliest non-empty date of the findings by pick.
func earliest(fs []AuditFinding, pick func(AuditFinding) string) string {
	out := ""
	for _, f := range fs {
		if d := pick(f); d != "" && (out == "" || d < out) {
			out = d
		}
	}
	return out
}
