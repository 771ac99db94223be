package supervision

import "fmt"

// Tier is the legal tier of a confirmed finding (fund-audit.md §2.1),
// decided at review, not by the detector.
type Tier string

// The tiers.
const (
	TierViolation  Tier = "violation"  // 违规 (Art. 38)
	TierFraud      Tier = "fraud"      // 骗保 (Art. 40)
	TierManagement Tier = "management" // 管理问题
)

var tierNames = map[Tier]string{TierViolation: "违规", TierFraud: "骗保", TierManagement: "管理问题"}

// Name is the tier's Chinese name.
func (t Tier) Name() string { return tierNames[t] }

// Valid reports whether t is a tier.
func (t Tier) Valid() bool { _, ok := tierNames[t]; return ok }

// FindingTypes is the closed finding-type enum (fund-audit.md §2.2).
var FindingTypes = []string{"诱导就医", "虚假就医", "虚构医药服务项目", "伪造变造资料", "重复收费", "超标准收费", "分解收费",
	"串换项目", "过度检查", "过度诊疗", "将不属于医保支付范围的费用纳入结算", "转嫁费用"}

// Sanction is a step of the agreement sanctions ladder (§5.5 step 10).
type Sanction string

// The ladder, mildest first.
const (
	SanctionTalk      Sanction = "talk"      // 约谈
	SanctionRectify   Sanction = "rectify"   // 限期整改
	SanctionWithhold  Sanction = "withhold"  // 暂缓支付
	SanctionSuspend   Sanction = "suspend"   // 暂停结算: the hospital interface refuses every transaction
	SanctionTerminate Sanction = "terminate" // 解除协议
)

// Ladder lists the sanctions in order.
var Ladder = []Sanction{SanctionTalk, SanctionRectify, SanctionWithhold, SanctionSuspend, SanctionTerminate}

var sanctionNames = map[Sanction]string{SanctionTalk: "约谈", SanctionRectify: "限期整改", SanctionWithhold: "暂缓支付", SanctionSuspend: "暂停结算", SanctionTerminate: "解除协议"}

// Name is the sanction's Chinese name.
func (s Sanction) Name() string { return sanctionNames[s] }

// Valid reports whether s is on the ladder.
func (s Sanction) Valid() bool { _, ok := sanctionNames[s]; return ok }

// NextSanction suggests the step for an institution's confirmed findings
// of one campaign, given the sanctions of the agreement period so far: a
// fraud finding or a refused rectification goes straight to suspension
// (termination after an earlier suspension, as 2号令's two suspensions in
// one agreement period); violations climb one step above the last one,
// starting at a talk, or at a rectification order when the amount is above
// 1 % of the year's settlements.
func NextSanction(prior []Sanction, fraud, refusedRectification bool, amountShare float64) Sanction {
	suspended := 0
	last := -1
	for _, p := range prior {
		for i, l := range Ladder {
			if l == p && i > last {
				last = i
			}
		}
		if p == SanctionSuspend {
			suspended++
		}
	}
	switch {
	case (fraud || refusedRectification) && suspended >= 1:
		return SanctionTerminate
	case fraud || refusedRectification:
		return SanctionSuspend
	}
	start := 0
	if amountShare > 0.01 {
		start = 1
	}
	step := max(start, last+1)
	if step >= len(Ladder)-1 {
		step = len(Ladder) - 2 // violations alone stop at suspension
	}
	return Ladder[step]
}

// Points are the personal points of a clinician (驾照式记分, §5.6) for one
// confirmed finding: by tier and degree of responsibility (1 direct, 2
// leading, 3 other).
func Points(t Tier, responsibility int) (int, error) {
	base := map[Tier][3]int{TierFraud: {12, 9, 6}, TierViolation: {6, 3, 1}, TierManagement: {2, 1, 1}}
	p, ok := base[t]
	if !ok || responsibility < 1 || responsibility > 3 {
		return 0, fmt.Errorf("记分需要违规性质和责任程度（1直接、2主要、3其他）")
	}
	return p[responsibility-1], nil
}

// PointsOutcome is what a clinician's points of a year mean: 9 or more
// suspends their qualification to bill the fund, 12 terminates it.
func PointsOutcome(total int) string {
	switch {
	case total >= 12:
		return "终止医保支付资格"
	case total >= 9:
		return "暂停医保支付资格1至6个月"
	case total >= 6:
		return "约谈提醒"
	}
	return ""
}

// RatingInput is an institution's confirmed record for the credit rating.
type RatingInput struct {
	Settled        int64 // the fund's payments to it in the year, fen
	Violations     []int64
	Fraud          bool
	SelfCorrected  int64 // refunds from its own 自查自纠, fen
	LateRectifying int   // rectifications finished after their deadline
}

// Rating computes the A–E credit rating (fund-audit.md §5.7): 100 points,
// minus 2 per confirmed violation and the amount's share of the year's
// settlements (×100, at most 20 per finding), plus up to 5 for voluntary
// self-correction, minus 5 per late rectification. A ≥ 90, B 80–89,
// C 70–79, D 60–69, E below 60 or any fraud finding.
func Rating(in RatingInput) (grade string, points float64) {
	points = 100
	for _, fen := range in.Violations {
		d := 2.0
		if in.Settled > 0 {
			d += min(100*float64(fen)/float64(in.Settled), 20)
		}
		points -= d
	}
	if in.Settled > 0 && in.SelfCorrected > 0 {
		points += min(100*float64(in.SelfCorrected)/float64(in.Settled), 5)
	}
	points -= 5 * float64(in.LateRectifying)
	points = max(0, min(100, points))
	switch {
	case in.Fraud || points < 60:
		grade = "E"
	case points >= 90:
		grade = "A"
	case points >= 80:
		grade = "B"
	case points >= 70:
		grade = "C"
	default:
		grade = "D"
	}
	return grade, points
}
