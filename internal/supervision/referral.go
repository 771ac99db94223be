package supervision

// Referral (移送, fund-audit.md §5.5 step 12): a confirmed finding that
// suggests a crime or a breach of discipline goes to the body that deals
// with it; the agency records which body, the transfer letter's number
// and the day.

// ReferralBody is where a finding is referred to.
type ReferralBody string

// The bodies a work-injury agency refers to.
const (
	ReferPolice     ReferralBody = "police"     // 公安机关 (suspected fraud, 诈骗罪)
	ReferDiscipline ReferralBody = "discipline" // 纪检监察机关 (staff of public institutions)
	ReferHealth     ReferralBody = "health"     // 卫生健康行政部门 (clinicians' licences, medical records)
	ReferPenalty    ReferralBody = "penalty"    // 人力资源社会保障行政部门 (administrative fines, Arts. 38/40)
)

// ReferralBodies lists the bodies in the order the page offers them.
var ReferralBodies = []ReferralBody{ReferPolice, ReferPenalty, ReferHealth, ReferDiscipline}

var referralNames = map[ReferralBody]string{ReferPolice: "公安机关", ReferDiscipline: "纪检监察机关",
	ReferHealth: "卫生健康行政部门", ReferPenalty: "人力资源社会保障行政部门（行政处罚）"}

// Name is the body's Chinese name.
func (b ReferralBody) Name() string { return referralNames[b] }

// Valid reports whether b is a body one refers to.
func (b ReferralBody) Valid() bool { _, ok := referralNames[b]; return ok }

// ReferralThresholdFen is the amount from which a fraud finding is
// suggested for referral to the police. It is agency practice, not
// statute (Sichuan refers suspected fraud from 5,000 yuan, fund-audit.md
// §5.5); below it, or for a violation, the officer may still refer.
const ReferralThresholdFen = 500000

// ReferralSuggested reports whether a finding of tier t and amount fen
// should be referred to the police.
func ReferralSuggested(t Tier, fen int64) bool {
	return t == TierFraud && fen >= ReferralThresholdFen
}
