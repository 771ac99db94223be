package expertpool

import (
	"gongshang/internal/errs"
)

// seat is one place on the panel: which groups may fill it.
type seat struct {
	accept func(Group) bool
}

// seats lists the panel's places in the order Draw fills them.
func (req DrawRequest) seats() []seat {
	var ss []seat
	clinical := 0
	for _, g := range groups {
		if req.needs(g) {
			ss = append(ss, seat{accept: func(x Group) bool { return x == g }})
			if g.Clinical() {
				clinical++
			}
		}
	}
	for req.Device && clinical < 2 {
		ss = append(ss, seat{accept: Group.Clinical})
		clinical++
	}
	for len(ss) < req.Size {
		ss = append(ss, seat{accept: req.needs})
	}
	return ss
}

// fill chooses one expert per seat from the seed's stream. enough must
// have passed, so every seat has a candidate.
func (req DrawRequest) fill(eligible []Expert) []Expert {
	s := newStream(req.Seed)
	taken := make([]bool, len(eligible))
	chosen := make([]Expert, 0, req.Size)
	for _, st := range req.seats() {
		var idx []int // candidates, as indexes into eligible (ascending ID)
		for i, e := range eligible {
			if !taken[i] && st.accept(e.Group) {
				idx = append(idx, i)
			}
		}
		k := idx[s.below(len(idx))]
		taken[k] = true
		chosen = append(chosen, eligible[k])
	}
	return chosen
}

// enough checks that the eligible experts can fill every seat: one per
// needed group, two clinicians for a device confirmation, Size in all.
// Seats of one group never compete with another group's, so these three
// counts suffice.
func (req DrawRequest) enough(eligible []Expert, excluded []Exclusion) error {
	count := map[Group]int{}
	left := map[Group]int{}
	clinicians := 0
	for _, e := range eligible {
		count[e.Group]++
		if e.Group.Clinical() {
			clinicians++
		}
	}
	for _, x := range excluded {
		left[x.Group]++
	}
	for _, g := range groups {
		if req.needs(g) && count[g] == 0 {
			return errs.Field("groups", "not_enough_experts", "门类“%s”可抽取的专家不足：需要1名，可抽取0名（另有%d名因停用、不在聘期或回避被排除）", g.Name(), left[g])
		}
	}
	if req.Device && clinicians < 2 {
		return errs.Field("groups", "not_enough_experts", "辅助器具配置确认需要至少2名相关门类的临床专家，可抽取%d名", clinicians)
	}
	if len(eligible) < req.Size {
		return errs.Field("size", "not_enough_experts", "专家组需要%d名专家，所需门类可抽取的只有%d名（另有%d名因停用、不在聘期或回避被排除）", req.Size, len(eligible), len(excluded))
	}
	return nil
}
