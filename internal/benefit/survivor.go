package benefit

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"gongshang/internal/param"
)

// Relation of a dependant to the deceased worker (S10 Art. 2).
type Relation string

// Relations.
const (
	Spouse      Relation = "spouse"
	Child       Relation = "child"
	Parent      Relation = "parent"
	Grandparent Relation = "grandparent"
	Grandchild  Relation = "grandchild"
	Sibling     Relation = "sibling"
)

var relationNames = map[Relation]string{Spouse: "配偶", Child: "子女", Parent: "父母", Grandparent: "祖父母/外祖父母", Grandchild: "孙子女/外孙子女", Sibling: "兄弟姐妹"}

// StopEvent ends a dependant's pension (S10 Art. 4).
type StopEvent string

// Stop events.
const (
	StopRemarriage   StopEvent = "remarriage"   // 再婚 (spouse)
	StopEmployment   StopEvent = "employment"   // 就业或参军
	StopAdoption     StopEvent = "adoption"     // 被他人收养
	StopDeath        StopEvent = "death"        // 死亡
	StopImprisonment StopEvent = "imprisonment" // 服刑期间停发
)

var stopNames = map[StopEvent]string{StopRemarriage: "再婚", StopEmployment: "就业或参军", StopAdoption: "被他人收养", StopDeath: "死亡", StopImprisonment: "服刑（期间停发）"}

// ValidStopEvent reports whether s is a known stop event.
func ValidStopEvent(s string) bool { _, ok := stopNames[StopEvent(s)]; return ok }

// ValidRelation reports whether s is a known relation.
func ValidRelation(s string) bool { _, ok := relationNames[Relation(s)]; return ok }

// Dependant is a relative mainly supported by the deceased worker (供养亲属).
// The caller asserts the main-support condition by listing the person.
type Dependant struct {
	Relation       Relation
	Sex            string // "M" or "F"
	BirthDate      time.Time
	Incapacitated  bool // 完全丧失劳动能力
	OrphanOrLonely bool // 孤儿 or 孤寡老人: +addon
	// ParentsUnable: for a grandparent, both of the worker's parents are dead;
	// for a grandchild, its parent (the worker's child) is dead or
	// incapacitated; for a sibling, both parents are dead or incapacitated.
	ParentsUnable bool
	Stop          StopEvent // optional stop event
	StopDate      time.Time // date of the stop event
}

// SurvivorPensions computes 供养亲属抚恤金 for each eligible dependant at
// asOf, applying the cap with proportional reduction (U).
func SurvivorPensions(r *param.Resolver, baseWage int64, deps []Dependant, asOf time.Time) ([]Item, error) {
	return survivors(env{r}, baseWage, deps, asOf)
}

type pension struct {
	index int
	note  note
	exact *big.Rat
}

// survivors is SurvivorPensions on an env.
func survivors(e env, base int64, deps []Dependant, asOf time.Time) ([]Item, error) {
	if len(deps) == 0 {
		return nil, nil
	}
	var elig note
	elig.formula("供养亲属须主要依靠因工死亡职工生前提供生活来源，并符合《因工死亡职工供养亲属范围规定》第三条条件之一")
	elig.input("资格判定日期 = %s", dateCN(asOf))
	var ps []pension
	for i, d := range deps {
		ok, why, err := eligible(e, &elig, d, asOf, i)
		if err != nil {
			return nil, err
		}
		elig.rule("第%d位供养亲属（%s）：%s", i+1, relationNames[d.Relation], why)
		if !ok {
			continue
		}
		p, err := basePension(e, d, i, base, asOf)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	items := []Item{elig.item(CodeSurvivorEligibility, "供养亲属资格", PayerNone, Info, 0)}
	if len(ps) == 0 {
		return items, nil
	}
	amounts, capNote, err := applyCap(e, ps, base, asOf)
	if err != nil {
		return nil, err
	}
	for k, p := range ps {
		n := p.note
		n.lines = append(n.lines, capNote.lines...)
		n.unconfirmed = n.unconfirmed || capNote.unconfirmed
		n.result("%s/月，由工伤保险基金按月支付", yuan(amounts[k]))
		it := n.item(CodeSurvivorPension, "供养亲属抚恤金", PayerFund, Monthly, amounts[k])
		it.Dependant = p.index
		items = append(items, it)
	}
	return items, nil
}

func age(birth, on time.Time) int {
	a := on.Year() - birth.Year()
	if on.Month() < birth.Month() || (on.Month() == birth.Month() && on.Day() < birth.Day()) {
		a--
	}
	return a
}

func eligible(e env, n *note, d Dependant, asOf time.Time, i int) (bool, string, error) {
	field := fmt.Sprintf("dependants[%d]", i)
	if !ValidRelation(string(d.Relation)) {
		return false, "", inputErr(field+".relation", "亲属关系应为配偶（spouse）、子女（child）、父母（parent）、祖父母或外祖父母（grandparent）、孙子女或外孙子女（grandchild）、兄弟姐妹（sibling）之一（收到“%s”）", d.Relation)
	}
	if d.Sex != "M" && d.Sex != "F" {
		return false, "", inputErr(field+".sex", "性别应为男（M）或女（F）（收到“%s”）", d.Sex)
	}
	if d.Stop != "" && !d.StopDate.IsZero() && !d.StopDate.After(asOf) {
		return false, fmt.Sprintf("已于 %s %s，停止享受（第四条）", dateCN(d.StopDate), stopNames[d.Stop]), nil
	}
	a := age(d.BirthDate, asOf)
	if a < 0 {
		if d.Relation != Child {
			return false, "", inputErr(field+".birth_date", "出生日期晚于资格判定日期 %s", dateCN(asOf))
		}
		a = 0
	}
	if d.Incapacitated {
		return true, fmt.Sprintf("%d周岁，完全丧失劳动能力（第三条第一项）", a), nil
	}
	key, need, minor := ageRule(d)
	if key == "" {
		return false, fmt.Sprintf("%d周岁，未满足“父母均已死亡或丧失劳动能力”等前提条件（第三条第五至七项），且未完全丧失劳动能力", a), nil
	}
	limit, err := e.get("survivor_age", key, asOf)
	if err != nil {
		return false, "", err
	}
	years, _ := limit.Rat()
	y := int(years.Num().Int64())
	n.param("供养亲属年龄条件（"+param.KeyName("survivor_age", key)+"）", limit, fmt.Sprintf("%d 周岁", y))
	if minor {
		if a < y {
			return true, fmt.Sprintf("%d周岁，未满%d周岁（%s）", a, y, need), nil
		}
		return false, fmt.Sprintf("%d周岁，已满%d周岁且未完全丧失劳动能力，不符合（第四条）", a, y), nil
	}
	if a >= y {
		return true, fmt.Sprintf("%d周岁，已满%d周岁（%s）", a, y, need), nil
	}
	return false, fmt.Sprintf("%d周岁，未满%d周岁且未完全丧失劳动能力，不符合", a, y), nil
}

// ageRule returns the survivor_age key for the dependant, the article, and
// whether the condition is "under" (minors) rather than "at least".
func ageRule(d Dependant) (string, string, bool) {
	switch d.Relation {
	case Spouse:
		return "spouse-" + d.Sex, "第三条第二项", false
	case Parent:
		return "parent-" + d.Sex, "第三条第三项", false
	case Child:
		return "minor", "第三条第四项", true
	case Grandparent:
		if d.ParentsUnable {
			return "grandparent-" + d.Sex, "第三条第五项，职工父母均已死亡", false
		}
	case Grandchild:
		if d.ParentsUnable {
			return "minor", "第三条第六项，其父母已死亡或完全丧失劳动能力", true
		}
	case Sibling:
		if d.ParentsUnable {
			return "minor", "第三条第七项，父母均已死亡或完全丧失劳动能力", true
		}
	}
	return "", "", false
}

func basePension(e env, d Dependant, i int, base int64, asOf time.Time) (pension, error) {
	var n note
	n.formula("供养亲属抚恤金 = 本人工资 × 比例（配偶40%%，其他亲属30%%，孤寡老人或孤儿加10%%）；各供养亲属抚恤金之和不高于上限（条例第三十九条第一款第二项）")
	n.input("第%d位供养亲属：%s，性别 %s，出生日期 %s；孤寡老人或孤儿 = %s；本人工资 = %s",
		i+1, relationNames[d.Relation], sexName(d.Sex), dateCN(d.BirthDate), yesNo(d.OrphanOrLonely), yuan(base))
	key, label := "other", "其他亲属比例"
	if d.Relation == Spouse {
		key, label = "spouse", "配偶比例"
	}
	rate, err := e.rat(&n, label, "survivor_rate", key, asOf)
	if err != nil {
		return pension{}, err
	}
	if d.OrphanOrLonely {
		add, err := e.rat(&n, "孤寡老人或孤儿加发比例", "survivor_rate", "addon", asOf)
		if err != nil {
			return pension{}, err
		}
		rate = new(big.Rat).Add(rate, add)
	}
	x := mul(rate, ratFen(base))
	n.calc("%s × %s = %s", yuan(base), pct(rate), yuanRat(x))
	return pension{index: i, note: n, exact: x}, nil
}

// applyCap reduces the pensions proportionally when their sum exceeds the cap
// and rounds each one; if rounding pushes the total over the cap, the excess
// fen are taken one by one from the last dependants.
func applyCap(e env, ps []pension, base int64, asOf time.Time) ([]int64, note, error) {
	var n note
	capRate, err := e.rat(&n, "抚恤金合计上限（占本人工资）", "survivor_rate", "cap", asOf)
	if err != nil {
		return nil, n, err
	}
	capX := mul(capRate, ratFen(base))
	sum := new(big.Rat)
	var parts []string
	for _, p := range ps {
		sum.Add(sum, p.exact)
		parts = append(parts, yuanRat(p.exact))
	}
	n.calc("合计 %s = %s；上限 %s × %s = %s", strings.Join(parts, " + "), yuanRat(sum), pct(capRate), yuan(base), yuanRat(capX))
	factor := big.NewRat(1, 1)
	if sum.Cmp(capX) > 0 {
		if _, err := e.enum(&n, "核减方法", "survivor_cap_method", asOf); err != nil {
			return nil, n, err
		}
		factor = new(big.Rat).Quo(capX, sum)
		n.calc("合计超过上限，按比例核减：每人 × %s ÷ %s", yuanRat(capX), yuanRat(sum))
	} else {
		n.calc("合计未超过上限，不核减")
	}
	amounts := make([]int64, len(ps))
	var total int64
	for k, p := range ps {
		a, err := e.round(&n, mul(p.exact, factor), asOf)
		if err != nil {
			return nil, n, err
		}
		amounts[k] = a
		total += a
	}
	n.lines = dedupe(n.lines)
	capFen, err := e.round(&note{}, capX, asOf)
	if err != nil {
		return nil, n, err
	}
	for k := len(amounts) - 1; total > capFen && k >= 0; k-- {
		if amounts[k] > 0 {
			amounts[k]--
			total--
			n.rule("舍入后合计超过上限，第%d位供养亲属减1分", ps[k].index+1)
		}
	}
	if factor.Cmp(big.NewRat(1, 1)) != 0 {
		var shown []string
		for _, a := range amounts {
			shown = append(shown, yuan(a))
		}
		n.calc("核减后：%s，合计 %s", strings.Join(shown, "、"), yuan(total))
	}
	return amounts, n, nil
}

func dedupe(lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func sexName(s string) string {
	switch s {
	case "M":
		return "男"
	case "F":
		return "女"
	}
	return s
}
