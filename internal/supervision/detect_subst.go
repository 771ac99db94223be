package supervision

import (
	"fmt"
	"sort"
)

// equipment is GS-C01: an item that needs equipment the institution does
// not hold. When a lower sibling of the family exists, only the price
// difference is at stake.
func (s *scanner) equipment(v *view) {
	const id = "GS-C01"
	if !s.rs.on(id) || v.inst == nil {
		return
	}
	for k, l := range v.lines {
		it := v.items[k]
		if it == nil || it.Equipment == "" || v.inst.Has(it.Equipment) {
			continue
		}
		fen := l.Amount
		why := ""
		if low := s.sibling(it, l.Time.Day()); low != nil {
			if c := low.Ceiling(v.level); c > 0 && c < l.Price {
				fen = mulQty(l.Price-c, l.Cnt)
				why = fmt.Sprintf("，按同类低档项目%s %s（限价%s元）计差额", low.Code, low.Name, YuanText(c))
			}
		}
		s.hit(id, v.e, []*Line{l}, fen, 0.9, fmt.Sprintf("“%s”需要设备%s，机构登记的设备中没有%s", it.Code+" "+it.Name, it.Equipment, why), nil, nil)
	}
}

// sibling is the ordinary (tier 1) item of a tier-2 item's family valid
// on day d.
func (s *scanner) sibling(it *Item, d Day) *Item {
	if it.Family == "" || it.Tier != 2 {
		return nil
	}
	for _, rs := range s.families()[it.Family] {
		if rs.Tier == 1 && rs.ValidOn(d) {
			return rs
		}
	}
	return nil
}

// families groups catalogue rows by sibling family (built once).
func (s *scanner) families() map[string][]*Item {
	if s.fam == nil {
		s.fam = map[string][]*Item{}
		for i := range s.x.Items {
			it := &s.x.Items[i]
			if it.Family != "" {
				s.fam[it.Family] = append(s.fam[it.Family], it)
			}
		}
	}
	return s.fam
}

// stockRules is GS-C02: per institution and drug or implant, the units
// billed up to a month above the units received up to it (drugs are
// bought ahead; a small tolerance), and items billed but never received.
// Only institutions that report purchases are compared.
func (s *scanner) stockRules() {
	const id = "GS-C02"
	if !s.rs.on(id) || len(s.x.Purchases) == 0 {
		return
	}
	type key struct{ inst, code string }
	bought := map[key]map[string]int64{}
	for _, p := range s.x.Purchases {
		k := key{p.Institution, p.Code}
		if bought[k] == nil {
			bought[k] = map[string]int64{}
		}
		bought[k][p.Month] += p.Qty
	}
	billed := map[key][]int32{}
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		e := &s.x.Encounters[l.Enc]
		if !s.x.ix.bought[e.Institution] {
			continue
		}
		it := s.x.anyItem(l.Code, l.Time.Day())
		if it == nil || (it.Category != CatDrug && it.Category != CatImplant) {
			continue
		}
		k := key{e.Institution, l.Code}
		billed[k] = append(billed[k], int32(i))
	}
	keys := make([]key, 0, len(billed))
	for k := range billed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].inst != keys[j].inst {
			return keys[i].inst < keys[j].inst
		}
		return keys[i].code < keys[j].code
	})
	pct, units := s.rs.val(id, "tolerance_pct")/100, int64(s.rs.val(id, "tolerance_units")*QtyScale)
	for _, k := range keys {
		ls := billed[k]
		sort.Slice(ls, func(i, j int) bool { return s.x.Lines[ls[i]].Time < s.x.Lines[ls[j]].Time })
		var used int64
		for _, li := range ls {
			used += s.x.Lines[li].Cnt
		}
		var recv int64
		for _, q := range bought[k] {
			recv += q
		}
		tol := max(units, int64(float64(recv)*pct))
		if used-recv <= tol {
			continue
		}
		s.stockFinding(k.inst, k.code, ls, used-recv, recv, used, bought[k])
	}
}

// stockFinding reports the units billed beyond what was received, on the
// latest lines, one finding per encounter.
func (s *scanner) stockFinding(inst, code string, ls []int32, excess, recv, used int64, months map[string]int64) {
	const id = "GS-C02"
	var picked []*Line
	for i := len(ls) - 1; i >= 0 && excess > 0; i-- {
		l := &s.x.Lines[ls[i]]
		picked = append(picked, l)
		excess -= l.Cnt
	}
	byEnc := map[int32][]*Line{}
	for _, l := range picked {
		byEnc[l.Enc] = append(byEnc[l.Enc], l)
	}
	name := s.itemName(code, 0)
	ms := sortedKeys(months)
	evidence := fmt.Sprintf("进货记录：%d个月", len(ms))
	if len(ms) == 0 {
		evidence = "全年无该项目进货记录"
	}
	score := 0.6
	if recv == 0 {
		score = 0.75
	}
	for _, enc := range sortedEnc(byEnc) {
		el := byEnc[enc]
		s.hit(id, &s.x.Encounters[enc], el, sumAmount(el), score, fmt.Sprintf("%s“%s”全年计费%s，进货%s，超出部分的计费可能串换了其他药品耗材", inst, name, QtyText(used), QtyText(recv)),
			[]string{evidence}, s.params(id, "tolerance_pct", "tolerance_units"))
	}
}

// tierRules is GS-C04: an institution whose share of higher-tier
// siblings in a family is far above its peers (same institution type);
// its higher-tier lines are leads for the price difference.
func (s *scanner) tierRules() {
	const id = "GS-C04"
	if !s.rs.on(id) {
		return
	}
	type key struct{ inst, fam string }
	type tally struct{ hi, all int64 }
	t := map[key]*tally{}
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		it := s.li[i]
		if it == nil || it.Family == "" || it.Tier == 0 {
			continue
		}
		k := key{s.x.Encounters[l.Enc].Institution, it.Family}
		if t[k] == nil {
			t[k] = &tally{}
		}
		t[k].all += l.Cnt
		if it.Tier == 2 {
			t[k].hi += l.Cnt
		}
	}
	// peer shares per family and institution type
	type peerKey struct{ fam, typ string }
	shares := map[peerKey][]float64{}
	for k, v := range t {
		if v.all < 5*QtyScale {
			continue
		}
		typ := ""
		if in := s.x.ix.inst[k.inst]; in != nil {
			typ = in.Type
		}
		shares[peerKey{k.fam, typ}] = append(shares[peerKey{k.fam, typ}], float64(v.hi)/float64(v.all))
	}
	flagged := map[key]string{}
	for k, v := range t {
		if v.all < 5*QtyScale {
			continue
		}
		typ := ""
		if in := s.x.ix.inst[k.inst]; in != nil {
			typ = in.Type
		}
		ps := shares[peerKey{k.fam, typ}]
		if len(ps) < 5 {
			continue
		}
		sh := float64(v.hi) / float64(v.all)
		pc, med := quantile(ps, s.rs.val(id, "percentile")/100), quantile(ps, 0.5)
		if sh >= pc && sh >= s.rs.val(id, "factor")*med && sh >= s.rs.val(id, "min_share") {
			flagged[k] = fmt.Sprintf("机构“%s”族高档项目占比%.0f%%，同类机构第%.0f百分位%.0f%%、中位数%.0f%%", k.fam, sh*100, s.rs.val(id, "percentile"), pc*100, med*100)
		}
	}
	if len(flagged) == 0 {
		return
	}
	type hk struct {
		enc int32
		fam string
	}
	lines := map[hk][]*Line{}
	fen := map[hk]int64{}
	for i := range s.x.Lines {
		l := &s.x.Lines[i]
		it := s.li[i]
		if it == nil || it.Tier != 2 {
			continue
		}
		e := &s.x.Encounters[l.Enc]
		if _, ok := flagged[key{e.Institution, it.Family}]; !ok {
			continue
		}
		low := s.sibling(it, l.Time.Day())
		if low == nil {
			continue
		}
		level := 3
		if in := s.x.ix.inst[e.Institution]; in != nil {
			level = in.Level
		}
		k := hk{l.Enc, it.Family}
		lines[k] = append(lines[k], l)
		if c := low.Ceiling(level); c > 0 && c < l.Price {
			fen[k] += mulQty(l.Price-c, l.Cnt)
		}
	}
	keys := make([]hk, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].enc != keys[j].enc {
			return keys[i].enc < keys[j].enc
		}
		return keys[i].fam < keys[j].fam
	})
	for _, k := range keys {
		e := &s.x.Encounters[k.enc]
		s.hit(id, e, lines[k], fen[k], 0.5, flagged[key{e.Institution, k.fam}]+"；按低档项目计差额", nil, s.params(id, "percentile", "factor", "min_share"))
	}
}

// quantile is the q-quantile (0–1) of xs by linear interpolation; xs is
// sorted in place.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	pos := q * float64(len(xs)-1)
	i := int(pos)
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	f := pos - float64(i)
	return xs[i]*(1-f) + xs[i+1]*f
}
