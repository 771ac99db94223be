package prevention

import (
	"fmt"
	"math/big"
	"strings"

	"gongshang/internal/errs"
)

// A session's evaluation (《济宁市工伤预防培训评估管理暂行办法》: 评估表格
// and 培训调查问卷) has two parts: the organiser's checklist — items with
// weights, each scored 0..its maximum by the city's evaluator — and the
// participants' questionnaires — satisfaction 1–5 per question and a
// short knowledge test (correct of total). The session's score, 0–100, is
// the weighted sum of the checklist's share, the satisfaction's share and
// the test's share, with the weights as parameters
// (prevention_eval_weight). Scores are kept in hundredths of a point
// (Score 7999 is 79.99) so the payment rule's boundaries are exact.

// Score is a score in hundredths of a point: 0..10000.
type Score int64

// MaxScore is 100.00 points.
const MaxScore Score = 10000

// String writes a score with two decimals ("79.99").
func (s Score) String() string { return fmt.Sprintf("%d.%02d", s/100, s%100) }

// Float is the score in points.
func (s Score) Float() float64 { return float64(s) / 100 }

// ScoreOf turns points (a stored REAL) back into a Score, to the nearest
// hundredth.
func ScoreOf(points float64) Score { return Score(points*100 + 0.5) }

// Evaluation kinds.
const (
	EvalChecklist     = "checklist"
	EvalQuestionnaire = "questionnaire"
)

// EvaluationKinds names the kinds.
var EvaluationKinds = map[string]string{EvalChecklist: "评估表", EvalQuestionnaire: "调查问卷"}

// ChecklistItem is one line of the organiser's checklist.
type ChecklistItem struct {
	Code   string `json:"code"`
	Title  string `json:"title"`
	Max    int    `json:"max"`    // the highest score of the item
	Weight int    `json:"weight"` // relative weight
}

// DefaultChecklist is the checklist the city uses until it configures its
// own (the measures' form is not published: PROJ).
var DefaultChecklist = []ChecklistItem{
	{"plan", "按批准的计划组织（时间、地点、对象）", 10, 15},
	{"attendance", "到课人数与签到记录相符", 10, 20},
	{"expert", "授课专家与课件经论证", 10, 15},
	{"content", "内容针对重点行业企业的风险", 10, 20},
	{"materials", "教材、资料发放", 10, 10},
	{"record", "影音资料完整保存", 10, 20},
}

// ValidChecklist checks a checklist's configuration.
func ValidChecklist(items []ChecklistItem) error {
	var fs errs.Fields
	if len(items) == 0 {
		fs.Add("items", "required", "评估表至少应有一项")
	}
	seen := map[string]bool{}
	for i, it := range items {
		switch {
		case strings.TrimSpace(it.Code) == "" || seen[it.Code]:
			fs.Add(fmt.Sprintf("items[%d].code", i), "code", "评估项目代码为空或重复")
		case strings.TrimSpace(it.Title) == "":
			fs.Add(fmt.Sprintf("items[%d].title", i), "required", "评估项目名称不能为空")
		case it.Max <= 0 || it.Max > 100:
			fs.Add(fmt.Sprintf("items[%d].max", i), "range", "评估项目“%s”的满分应为1–100", it.Title)
		case it.Weight <= 0 || it.Weight > 100:
			fs.Add(fmt.Sprintf("items[%d].weight", i), "range", "评估项目“%s”的权重应为1–100", it.Title)
		}
		seen[it.Code] = true
	}
	return fs.Err()
}

// Checklist is a filled-in checklist: the items and each one's score.
type Checklist struct {
	Items  []ChecklistItem `json:"items"`
	Scores map[string]int  `json:"scores"`
	Note   string          `json:"note,omitempty"`
}

// ChecklistScore is the checklist's share, 0..MaxScore: Σ weight ×
// score/max over Σ weight. Every item must be scored within 0..max.
func ChecklistScore(c Checklist) (Score, error) {
	if err := ValidChecklist(c.Items); err != nil {
		return 0, err
	}
	var fs errs.Fields
	num, den := new(big.Rat), new(big.Rat)
	for _, it := range c.Items {
		v, ok := c.Scores[it.Code]
		if !ok {
			fs.Add("scores."+it.Code, "required", "评估项目“%s”未评分", it.Title)
			continue
		}
		if v < 0 || v > it.Max {
			fs.Add("scores."+it.Code, "range", "评估项目“%s”的得分应为0–%d", it.Title, it.Max)
			continue
		}
		num.Add(num, big.NewRat(int64(it.Weight*v), int64(it.Max)))
		den.Add(den, big.NewRat(int64(it.Weight), 1))
	}
	if err := fs.Err(); err != nil {
		return 0, err
	}
	return scoreOf(new(big.Rat).Quo(num, den)), nil
}

// Response is one participant's questionnaire.
type Response struct {
	Satisfaction []int `json:"satisfaction"` // 1..5 per question
	Correct      int   `json:"correct"`      // knowledge test: right answers
	Total        int   `json:"total"`        // knowledge test: questions
}

// Questionnaire is a batch of responses entered together.
type Questionnaire struct {
	Responses []Response `json:"responses"`
}

// QuestionnaireResult is the shares of the questionnaires of a session.
type QuestionnaireResult struct {
	Responses    int
	Satisfaction Score // mean of (answer−1)/4, as a share
	Knowledge    Score // Σ correct / Σ total
}

// ValidQuestionnaire checks each response.
func ValidQuestionnaire(q Questionnaire) error {
	var fs errs.Fields
	if len(q.Responses) == 0 {
		fs.Add("responses", "required", "请至少录入一份调查问卷")
	}
	for i, r := range q.Responses {
		f := fmt.Sprintf("responses[%d]", i)
		if len(r.Satisfaction) == 0 {
			fs.Add(f+".satisfaction", "required", "第%d份问卷没有满意度评价", i+1)
		}
		for _, v := range r.Satisfaction {
			if v < 1 || v > 5 {
				fs.Add(f+".satisfaction", "range", "第%d份问卷的满意度应为1–5分", i+1)
				break
			}
		}
		if r.Total < 0 || r.Correct < 0 || r.Correct > r.Total || r.Total > 100 {
			fs.Add(f+".correct", "range", "第%d份问卷的测试题答对数应在0与题数之间（题数最多100）", i+1)
		}
	}
	return fs.Err()
}

// QuestionnaireScore sums the questionnaires of a session.
func QuestionnaireScore(qs []Questionnaire) (QuestionnaireResult, error) {
	var res QuestionnaireResult
	var sat, satN, correct, total int64
	for _, q := range qs {
		if err := ValidQuestionnaire(q); err != nil {
			return res, err
		}
		for _, r := range q.Responses {
			res.Responses++
			for _, v := range r.Satisfaction {
				sat += int64(v - 1)
				satN += 4
			}
			correct += int64(r.Correct)
			total += int64(r.Total)
		}
	}
	if satN > 0 {
		res.Satisfaction = scoreOf(big.NewRat(sat, satN))
	}
	if total > 0 {
		res.Knowledge = scoreOf(big.NewRat(correct, total))
	} else {
		res.Knowledge = res.Satisfaction // no test given: the satisfaction stands for it
	}
	return res, nil
}

// Weights are the parts' weights in the session score
// (prevention_eval_weight: checklist, satisfaction, knowledge).
type Weights struct {
	Checklist, Satisfaction, Knowledge *big.Rat
}

// SessionScore is the weighted score of a session: the parts' shares
// weighted by w (normalized to their sum), to the hundredth of a point,
// with how it was computed in Chinese.
func SessionScore(checklist Score, q QuestionnaireResult, w Weights) (Score, string, error) {
	for _, x := range []*big.Rat{w.Checklist, w.Satisfaction, w.Knowledge} {
		if x == nil || x.Sign() < 0 {
			return 0, "", errs.E(errs.Invalid, "评估权重参数缺失或为负数")
		}
	}
	sum := new(big.Rat).Add(w.Checklist, w.Satisfaction)
	sum.Add(sum, w.Knowledge)
	if sum.Sign() == 0 {
		return 0, "", errs.E(errs.Invalid, "评估权重之和不能为0")
	}
	total := new(big.Rat)
	for _, p := range []struct {
		w *big.Rat
		s Score
	}{{w.Checklist, checklist}, {w.Satisfaction, q.Satisfaction}, {w.Knowledge, q.Knowledge}} {
		total.Add(total, new(big.Rat).Mul(p.w, big.NewRat(int64(p.s), 1)))
	}
	s := Score(roundHalfUp(total.Quo(total, sum)))
	text := fmt.Sprintf("评估表%s分×%s＋满意度%s分×%s＋知识测试%s分×%s（%d份问卷）＝%s分",
		checklist, w.Checklist.FloatString(2), q.Satisfaction, w.Satisfaction.FloatString(2), q.Knowledge, w.Knowledge.FloatString(2), q.Responses, s)
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		text += "（权重按合计" + sum.FloatString(2) + "折算）"
	}
	return s, text, nil
}

// scoreOf turns a share (0..1) into a Score, half up.
func scoreOf(share *big.Rat) Score {
	return Score(roundHalfUp(new(big.Rat).Mul(share, big.NewRat(int64(MaxScore), 1))))
}

// roundHalfUp rounds a non-negative rational to the nearest integer.
func roundHalfUp(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(2))
	n.Add(n, r.Denom())
	d := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return n.Quo(n, d).Int64()
}
