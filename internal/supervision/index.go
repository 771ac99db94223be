package supervision

import (
	"sort"
)

// index holds the lookups the detectors share. Build it with Index.
type index struct {
	inst     map[string]*Institution
	doctor   map[string]*Doctor
	person   map[string]*Person
	injury   map[string]*Injury
	items    map[string][]*Item // by code, by From
	bundles  map[string][]*Bundle
	byPerson map[string][]int32 // encounters of a person, by Begin
	byInst   map[string][]int32 // encounters of an institution, by Begin
	work     map[string][]Day   // attendance days of a person, sorted
	bought   map[string]bool    // institutions that report purchases
}

// Index builds the lookups (once; Scan calls it).
func (x *Extract) Index() {
	if x.ix != nil {
		return
	}
	ix := &index{inst: map[string]*Institution{}, doctor: map[string]*Doctor{}, person: map[string]*Person{},
		injury: map[string]*Injury{}, items: map[string][]*Item{}, bundles: map[string][]*Bundle{},
		byPerson: map[string][]int32{}, byInst: map[string][]int32{}, work: map[string][]Day{}, bought: map[string]bool{}}
	for i := range x.Institutions {
		ix.inst[x.Institutions[i].Code] = &x.Institutions[i]
	}
	for i := range x.Doctors {
		ix.doctor[x.Doctors[i].Code] = &x.Doctors[i]
	}
	for i := range x.Persons {
		ix.person[x.Persons[i].CertNo] = &x.Persons[i]
	}
	for i := range x.Injuries {
		ix.injury[x.Injuries[i].ID] = &x.Injuries[i]
	}
	for i := range x.Items {
		it := &x.Items[i]
		ix.items[it.Code] = append(ix.items[it.Code], it)
	}
	for _, rs := range ix.items {
		sort.Slice(rs, func(i, j int) bool { return rs[i].From < rs[j].From })
	}
	for i := range x.Bundles {
		b := &x.Bundles[i]
		ix.bundles[b.Item1] = append(ix.bundles[b.Item1], b)
	}
	for i := range x.Encounters {
		e := &x.Encounters[i]
		ix.byPerson[e.CertNo] = append(ix.byPerson[e.CertNo], int32(i))
		ix.byInst[e.Institution] = append(ix.byInst[e.Institution], int32(i))
	}
	byBegin := func(m map[string][]int32) {
		for _, es := range m {
			sort.Slice(es, func(a, b int) bool {
				ea, eb := &x.Encounters[es[a]], &x.Encounters[es[b]]
				if ea.Begin != eb.Begin {
					return ea.Begin < eb.Begin
				}
				return ea.ID < eb.ID
			})
		}
	}
	byBegin(ix.byPerson)
	byBegin(ix.byInst)
	for _, a := range x.Attendance {
		ix.work[a.CertNo] = append(ix.work[a.CertNo], a.Date)
	}
	for _, ds := range ix.work {
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	}
	for _, p := range x.Purchases {
		ix.bought[p.Institution] = true
	}
	x.ix = ix
}

// item is the catalogue row of code valid on day d, nil if none.
func (x *Extract) item(code string, d Day) *Item {
	rs := x.ix.items[code]
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].ValidOn(d) {
			return rs[i]
		}
	}
	return nil
}

// anyItem is a row of code, preferring the one valid on d: for names and
// categories when the day falls outside every window.
func (x *Extract) anyItem(code string, d Day) *Item {
	if it := x.item(code, d); it != nil {
		return it
	}
	rs := x.ix.items[code]
	if len(rs) == 0 {
		return nil
	}
	return rs[len(rs)-1]
}

// regions are the recognised injured regions of an encounter's injury.
func (x *Extract) regions(e *Encounter) []string {
	if in := x.ix.injury[e.Injury]; in != nil {
		return in.Regions
	}
	return nil
}

// workedBetween lists the attendance days of a person strictly between
// two days.
func (x *Extract) workedBetween(cert string, from, to Day) []Day {
	ds := x.ix.work[cert]
	i := sort.Search(len(ds), func(i int) bool { return ds[i] > from })
	var out []Day
	for ; i < len(ds) && ds[i] < to; i++ {
		out = append(out, ds[i])
	}
	return out
}

// days is the number of calendar days an inpatient stay bills under
// 计入不计出: max(1, discharge day − admission day).
func (e *Encounter) days() int {
	n := int(e.End.Day() - e.Begin.Day())
	if n < 1 {
		n = 1
	}
	return n
}
