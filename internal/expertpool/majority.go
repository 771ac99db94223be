package expertpool

import (
	"fmt"
	"slices"
	"strings"

	"gongshang/internal/benefit"
	"gongshang/internal/errs"
)

// Vote is one expert's opinion on the conclusion: a disability level 1–10,
// or 0 for 未达到伤残等级, and a care-dependency level.
type Vote struct {
	ExpertID int64        `json:"expert_id"`
	Level    int          `json:"level"` // 1–10; 0 = none
	Care     benefit.Care `json:"care"`  // "" is read as benefit.CareNone
}

// Conclusion is what the majority decided.
type Conclusion struct {
	Level      int          `json:"level"` // 0 = 未达到伤残等级
	Care       benefit.Care `json:"care"`
	LevelVotes int          `json:"level_votes"` // votes for Level
	CareVotes  int          `json:"care_votes"`  // votes for Care
	Dissent    []int64      `json:"dissent"`     // experts who voted otherwise on level or care, for the record
}

// careLabels are the Chinese names of the care levels in messages (the
// names benefit prints on its items).
var careLabels = map[benefit.Care]string{
	benefit.CareNone:    "无生活自理障碍",
	benefit.CarePartial: "生活部分不能自理",
	benefit.CareMost:    "生活大部分不能自理",
	benefit.CareFull:    "生活完全不能自理",
}

// ErrNoMajority is the message when a question has no majority.
const ErrNoMajority = "未形成多数意见，需重新评议"

// Majority decides the conclusion from the whole panel's votes (令55号
// Art. 15: the majority decides). Level and care are decided separately;
// each needs more than half of the votes (2 of 3, 3 of 5). There is no
// tie-break: with 5 experts split 2–2–1 neither the more nor the less
// severe opinion wins, the panel deliberates again, and Majority returns
// an Invalid error saying so with the tally.
func Majority(votes []Vote) (Conclusion, error) {
	votes, err := checkVotes(votes)
	if err != nil {
		return Conclusion{}, err
	}
	level, lv, lok := top(votes, func(v Vote) int { return v.Level })
	care, cv, cok := top(votes, func(v Vote) benefit.Care { return v.Care })
	var fs errs.Fields
	if !lok {
		fs.Add("level", "no_majority", "伤残等级%s（%s）", ErrNoMajority, tally(votes, func(v Vote) string { return levelLabel(v.Level) }))
	}
	if !cok {
		fs.Add("care", "no_majority", "生活自理障碍程度%s（%s）", ErrNoMajority, tally(votes, func(v Vote) string { return careLabels[v.Care] }))
	}
	if err := fs.Err(); err != nil {
		return Conclusion{}, err
	}
	c := Conclusion{Level: level, Care: care, LevelVotes: lv, CareVotes: cv, Dissent: []int64{}}
	for _, v := range votes {
		if v.Level != level || v.Care != care {
			c.Dissent = append(c.Dissent, v.ExpertID)
		}
	}
	return c, nil
}

// Majority decides from the votes of this record's panel: every member
// votes once, and nobody else.
func (r Record) Majority(votes []Vote) (Conclusion, error) {
	ids := make([]int64, len(votes))
	for i, v := range votes {
		ids[i] = v.ExpertID
	}
	panel := r.ChosenIDs()
	slices.Sort(ids)
	slices.Sort(panel)
	if !slices.Equal(ids, panel) {
		return Conclusion{}, errs.Field("votes", "not_panel", "表决专家（%s）应与抽取的专家组（%s）一致", idList(ids), idList(panel))
	}
	return Majority(votes)
}

// checkVotes validates the votes and returns a copy with empty care read
// as none.
func checkVotes(votes []Vote) ([]Vote, error) {
	if len(votes) != 3 && len(votes) != 5 {
		return nil, errs.Field("votes", "count", "应由专家组全体3名或5名专家表决，收到%d票", len(votes))
	}
	out := slices.Clone(votes)
	var fs errs.Fields
	for i, v := range out {
		if slices.ContainsFunc(out[:i], func(w Vote) bool { return w.ExpertID == v.ExpertID }) {
			fs.Add("votes", "duplicate", "专家%d重复表决", v.ExpertID)
		}
		if v.Level < 0 || v.Level > 10 {
			fs.Add("level", "range", "专家%d的伤残等级应为1–10级或未达到伤残等级，收到%d", v.ExpertID, v.Level)
		}
		if v.Care == "" {
			out[i].Care = benefit.CareNone
		} else if _, ok := careLabels[v.Care]; !ok {
			fs.Add("care", "unknown", "专家%d的生活自理障碍程度无效（%s）", v.ExpertID, v.Care)
		}
	}
	return out, fs.Err()
}

// top returns the value more than half of the votes share, its count, and
// whether there is one.
func top[T comparable](votes []Vote, key func(Vote) T) (T, int, bool) {
	n := map[T]int{}
	for _, v := range votes {
		n[key(v)]++
	}
	for k, c := range n {
		if 2*c > len(votes) {
			return k, c, true
		}
	}
	var zero T
	return zero, 0, false
}

// tally formats the votes per opinion in the order first cast: "5级2票、6级2票、7级1票".
func tally(votes []Vote, label func(Vote) string) string {
	var order []string
	n := map[string]int{}
	for _, v := range votes {
		l := label(v)
		if n[l] == 0 {
			order = append(order, l)
		}
		n[l]++
	}
	parts := make([]string, len(order))
	for i, l := range order {
		parts[i] = fmt.Sprintf("%s%d票", l, n[l])
	}
	return strings.Join(parts, "、")
}

// levelLabel names a level: "五级", or 未达到伤残等级 for 0.
func levelLabel(level int) string {
	if level == 0 {
		return "未达到伤残等级"
	}
	return []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[level] + "级"
}
