package supervision

import (
	"fmt"
	"sort"
	"strings"
)

// hotel reports whether a category is a "hotel" item: bed, nursing level,
// ward-round fee, meals (fund-audit.md §4.3 H01).
func hotel(cat string) bool {
	return cat == CatBed || cat == CatNursing || cat == CatConsult || cat == CatMeal
}

// bedDays is GS-D03: per-day items billed for more days than the stay.
// Beds count together (one patient, one bed; a ward transfer day may carry
// two bed codes once); nursing levels and ward-round fees count per code.
func (s *scanner) bedDays(v *view) {
	const id = "GS-D03"
	if !s.rs.on(id) || !v.e.Stay() {
		return
	}
	days := int64(v.e.days()) * QtyScale
	tol := int64(s.rs.val(id, "tolerance_days")) * QtyScale
	groups := map[string][]*Line{}
	swap := int64(0)
	bedCodes := map[Day]map[string]bool{}
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil || it.Unit != "日" || !(it.Category == CatBed || it.Category == CatNursing || it.Category == CatConsult) || !s.inStay(v.e, l) {
			continue
		}
		key := it.Category
		if it.Category != CatBed {
			key += "/" + l.Code
		} else {
			d := l.Time.Day()
			if bedCodes[d] == nil {
				bedCodes[d] = map[string]bool{}
			}
			bedCodes[d][l.Code] = true
		}
		groups[key] = append(groups[key], l)
	}
	for _, cs := range bedCodes {
		if len(cs) > 1 {
			swap = QtyScale
			break
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		ls := groups[key]
		var total int64
		for _, l := range ls {
			total += l.Cnt
		}
		allow := days + tol
		if key == CatBed {
			allow += swap
		}
		if total <= allow {
			continue
		}
		ev, fen := takeExcess(ls, total-allow)
		s.hit(id, v.e, ev, fen, 0.95, fmt.Sprintf("按日计费项目共计%s天，住院%d天（%s入院，%s出院，入院当天计、出院当天不计），多计%s天",
			QtyText(total), v.e.days(), v.e.Begin.Day(), v.e.End.Day(), QtyText(total-allow)), nil, s.params(id, "tolerance_days"))
	}
}

// takeExcess picks, from the last line back, the lines holding excess
// units, and the amount of those units at each line's price.
func takeExcess(ls []*Line, excess int64) ([]*Line, int64) {
	var ev []*Line
	var fen int64
	for i := len(ls) - 1; i >= 0 && excess > 0; i-- {
		l := ls[i]
		u := min(l.Cnt, excess)
		if u <= 0 {
			continue
		}
		excess -= u
		ev = append(ev, l)
		if u == l.Cnt {
			fen += l.Amount
		} else {
			fen += mulQty(l.Price, u)
		}
	}
	return ev, fen
}

// inStay reports whether a line falls on a day of the encounter.
func (s *scanner) inStay(e *Encounter, l *Line) bool {
	d := l.Time.Day()
	return d >= e.Begin.Day() && d <= e.End.Day()
}

// price is GS-D06: unit price above the ceiling of the row valid that day
// at the institution's level.
func (s *scanner) price(v *view) {
	const id = "GS-D06"
	if !s.rs.on(id) {
		return
	}
	tol := s.rs.val(id, "tolerance_pct") / 100
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil || l.Cnt <= 0 {
			continue
		}
		c := it.Ceiling(v.level)
		if c <= 0 || float64(l.Price) <= float64(c)*(1+tol) {
			continue
		}
		fen := mulQty(l.Price-c, l.Cnt)
		s.hit(id, v.e, []*Line{l}, fen, 0.97, fmt.Sprintf("单价%s元高于%s有效目录（%s起）%d级机构限价%s元，超出%s元",
			YuanText(l.Price), l.Time.Day(), it.From, v.level, YuanText(c), YuanText(fen)), nil, s.params(id, "tolerance_pct"))
	}
}

// bundles is GS-D07: both items of a bundle edit on one day of one
// encounter. Indicator 0 is definite; indicator 1 only when the
// administrator asks for it (the justification is not in the extract).
func (s *scanner) bundles(v *view) {
	const id = "GS-D07"
	if !s.rs.on(id) || len(s.x.ix.bundles) == 0 {
		return
	}
	flag1 := s.rs.val(id, "flag_indicator1") >= 1
	byDay := map[Day]map[string][]*Line{}
	for _, l := range v.lines {
		d := l.Time.Day()
		if byDay[d] == nil {
			byDay[d] = map[string][]*Line{}
		}
		byDay[d][l.Code] = append(byDay[d][l.Code], l)
	}
	ds := sortedDays(byDay)
	for _, d := range ds {
		codes := byDay[d]
		seen := map[string]bool{}
		for _, c1 := range sortedKeys(codes) {
			for _, b := range s.x.ix.bundles[c1] {
				if !b.ValidOn(d) || codes[b.Item2] == nil || seen[b.Item2] || b.Indicator != 0 && !(b.Indicator == 1 && flag1) {
					continue
				}
				seen[b.Item2] = true
				ls := codes[b.Item2]
				n1, n2 := s.itemName(c1, d), s.itemName(b.Item2, d)
				score := 0.95
				if b.Indicator == 1 {
					score = 0.4
				}
				s.hit(id, v.e, ls, sumAmount(ls), score, fmt.Sprintf("%s同日收取了“%s”与被其包含的“%s”（互斥标志%d，有效期%s起）", d, n1, n2, b.Indicator, b.From),
					[]string{"同日另有：" + s.lineText(codes[c1][0])}, nil)
			}
		}
	}
}

func (s *scanner) itemName(code string, d Day) string {
	if it := s.x.anyItem(code, d); it != nil {
		return code + " " + it.Name
	}
	return code
}

// frequency is GS-D08: per-day, per-stay and interval limits of the row
// valid on each line's day. Items priced per body part (部位) allow the
// per-day limit once per recognised injured region.
func (s *scanner) frequency(v *view) {
	const id = "GS-D08"
	if !s.rs.on(id) {
		return
	}
	byCode := map[string][]int{}
	for k, l := range v.lines {
		if v.items[k] != nil && l.Cnt > 0 {
			byCode[l.Code] = append(byCode[l.Code], k)
		}
	}
	for _, code := range sortedKeys(byCode) {
		ks := byCode[code]
		flagged := map[*Line]bool{}
		s.perDay(v, ks, flagged)
		s.perStay(v, ks, flagged)
		s.interval(v, ks, flagged)
	}
}

func (s *scanner) perDay(v *view, ks []int, flagged map[*Line]bool) {
	byDay := map[Day][]int{}
	for _, k := range ks {
		byDay[v.lines[k].Time.Day()] = append(byDay[v.lines[k].Time.Day()], k)
	}
	for _, d := range sortedDays(byDay) {
		dk := byDay[d]
		it := v.items[dk[0]]
		if it.PerDay <= 0 {
			continue
		}
		limit := it.PerDay
		if it.Unit == "部位" && len(v.regions) > 1 {
			limit *= int64(len(v.regions))
		}
		var total int64
		ls := make([]*Line, 0, len(dk))
		for _, k := range dk {
			total += v.lines[k].Cnt
			ls = append(ls, v.lines[k])
		}
		if total <= limit {
			continue
		}
		ev, fen := takeExcess(ls, total-limit)
		for _, l := range ev {
			flagged[l] = true
		}
		s.hit("GS-D08", v.e, ev, fen, 0.95, fmt.Sprintf("“%s”%s计%s%s，目录每日限%s%s", s.itemName(it.Code, d), d, QtyText(total), it.Unit, QtyText(limit), it.Unit), nil, nil)
	}
}

func (s *scanner) perStay(v *view, ks []int, flagged map[*Line]bool) {
	it := v.items[ks[len(ks)-1]]
	if it.PerStay <= 0 {
		return
	}
	var total int64
	ls := make([]*Line, 0, len(ks))
	for _, k := range ks {
		if l := v.lines[k]; !flagged[l] {
			total += l.Cnt
			ls = append(ls, l)
		}
	}
	if total <= it.PerStay {
		return
	}
	ev, fen := takeExcess(ls, total-it.PerStay)
	for _, l := range ev {
		flagged[l] = true
	}
	s.hit("GS-D08", v.e, ev, fen, 0.95, fmt.Sprintf("“%s”本次就诊计%s%s，目录每次住院限%s%s", s.itemName(it.Code, v.e.Begin.Day()), QtyText(total), it.Unit, QtyText(it.PerStay), it.Unit), nil, nil)
}

func (s *scanner) interval(v *view, ks []int, flagged map[*Line]bool) {
	it := v.items[ks[0]]
	if it.MinInterval <= 0 {
		return
	}
	last := Day(0)
	var ev []*Line
	var prev []Day
	for _, k := range ks {
		l := v.lines[k]
		if flagged[l] {
			continue
		}
		d := l.Time.Day()
		if last != 0 && d == last {
			continue // same billing day: a per-day matter
		}
		if last != 0 && int(d-last) < it.MinInterval {
			ev = append(ev, l)
			prev = append(prev, last)
			continue
		}
		last = d
	}
	if len(ev) == 0 {
		return
	}
	var notes []string
	for i, l := range ev {
		notes = append(notes, fmt.Sprintf("%s距上次%s仅%d天", l.Time.Day(), prev[i], int(l.Time.Day()-prev[i])))
	}
	s.hit("GS-D08", v.e, ev, sumAmount(ev), 0.95, fmt.Sprintf("“%s”两次计费间隔少于目录规定的%d天：%s", s.itemName(it.Code, v.e.Begin.Day()), it.MinInterval, strings.Join(notes, "；")), nil, nil)
}

// eligible reports whether the fund may pay a line: a row valid that day,
// covered, and for a drug, indicated for the recognised injury (any,
// systemic supportive use, or one of the injured regions).
func eligible(it *Item, regions []string) bool {
	if it == nil || !it.Covered {
		return false
	}
	if it.Category != CatDrug {
		return true
	}
	for _, r := range it.Related {
		if r == "any" || r == "systemic" || contains(regions, r) {
			return true
		}
	}
	return false
}

// scope is GS-D09: the fund paid more than the eligible lines. Lines
// outside the catalogues or for other conditions are legitimate when the
// patient or basic insurance paid them; only the part the fund paid is a
// finding.
func (s *scanner) scope(v *view) {
	const id = "GS-D09"
	if !s.rs.on(id) {
		return
	}
	var elig int64
	var bad []*Line
	var badSum int64
	for k, l := range v.lines {
		if eligible(v.items[k], v.regions) {
			elig += l.Amount
		} else {
			bad = append(bad, l)
			badSum += l.Amount
		}
	}
	excess := v.e.FundPaid - elig
	tol := int64(s.rs.val(id, "tolerance_yuan") * 100)
	if len(bad) == 0 || excess <= tol {
		return
	}
	fen := min(excess, badSum)
	var why []string
	for _, l := range bad {
		why = append(why, s.scopeWhy(l, v.regions))
	}
	s.hit(id, v.e, bad, fen, 0.95, fmt.Sprintf("基金支付%s元，目录内且与认定工伤相关的费用%s元，多付%s元；不属支付范围的明细：%s",
		YuanText(v.e.FundPaid), YuanText(elig), YuanText(fen), strings.Join(uniq(why), "；")), nil, s.params(id, "tolerance_yuan"))
}

func (s *scanner) scopeWhy(l *Line, regions []string) string {
	it := s.x.item(l.Code, l.Time.Day())
	switch {
	case it == nil && s.x.anyItem(l.Code, 0) == nil:
		return l.Code + "不在目录内"
	case it == nil:
		return s.itemName(l.Code, l.Time.Day()) + "在" + l.Time.Day().String() + "无有效目录行"
	case !it.Covered:
		return it.Code + " " + it.Name + "为工伤目录外项目"
	default:
		return it.Code + " " + it.Name + "与认定伤情（" + strings.Join(regions, "、") + "）无关"
	}
}

// arithmetic is GS-D11: a line's amount above cnt × price, or the
// encounter's total above the sum of its lines.
func (s *scanner) arithmetic(v *view) {
	const id = "GS-D11"
	if !s.rs.on(id) {
		return
	}
	var sum int64
	for _, l := range v.lines {
		sum += l.Amount
		if want := mulQty(l.Price, l.Cnt); l.Amount-want > 1 {
			s.hit(id, v.e, []*Line{l}, l.Amount-want, 0.97, fmt.Sprintf("明细金额%s元不等于数量%s×单价%s元=%s元", YuanText(l.Amount), QtyText(l.Cnt), YuanText(l.Price), YuanText(want)), nil, nil)
		}
	}
	if d := v.e.Total - sum; d > 1 {
		s.hit(id, v.e, nil, d, 0.97, fmt.Sprintf("结算总额%s元大于明细之和%s元", YuanText(v.e.Total), YuanText(sum)), nil, nil)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortedDays[V any](m map[Day]V) []Day {
	ds := make([]Day, 0, len(m))
	for d := range m {
		ds = append(ds, d)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds
}
