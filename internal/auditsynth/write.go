package auditsynth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (o *output) writeInstitutions() error {
	c, err := o.create("institutions.csv")
	if err != nil {
		return err
	}
	for _, in := range o.p.insts {
		c.row(in.code, in.name, in.admvs, in.typ, strconv.Itoa(in.level), strconv.Itoa(in.beds), joinList(in.equipList()))
		if in.offender == 1 {
			o.sum.Offenders++
		}
	}
	o.sum.Institutions = c.n
	return o.close("institutions.csv", c)
}

func (o *output) writeDoctors() error {
	c, err := o.create("doctors.csv")
	if err != nil {
		return err
	}
	for _, d := range o.p.doctors {
		to := ""
		if d.to != 0 {
			to = fmtDay(d.to)
		}
		c.row(d.code, d.in.code, d.name, d.role, fmtDay(d.from), to)
	}
	o.sum.Doctors = c.n
	return o.close("doctors.csv", c)
}

func (o *output) writePersons() error {
	c, err := o.create("persons.csv")
	if err != nil {
		return err
	}
	for _, p := range o.p.persons {
		if !p.used {
			continue
		}
		g, death := "2", ""
		if p.male {
			g = "1"
		}
		if p.death != 0 {
			death = fmtDay(p.death)
		}
		c.row(p.certno, p.name, g, fmtDay(p.birth), death, p.emp.uscc, "370800")
	}
	o.sum.Persons = c.n
	return o.close("persons.csv", c)
}

func (o *output) writeInjuries() error {
	c, err := o.create("injuries.csv")
	if err != nil {
		return err
	}
	for _, inj := range o.p.injuries {
		if !inj.used {
			continue
		}
		c.row(inj.id, inj.p.certno, inj.emp.uscc, fmtDay(inj.date), fmtDay(inj.rcgn), joinList(inj.parts), inj.dx.code, inj.event)
	}
	o.sum.Injuries = c.n
	return o.close("injuries.csv", c)
}

func optInt(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (o *output) writeCatalog() error {
	c, err := o.create("catalog.csv")
	if err != nil {
		return err
	}
	cat := o.p.cat
	cat.sortRows()
	for _, it := range cat.rows {
		cov, tier, to := "0", "", ""
		if it.covered {
			cov = "1"
		}
		if it.tier > 0 {
			tier = strconv.Itoa(it.tier)
		}
		if it.to != 0 {
			to = fmtDay(it.to)
		}
		c.row(it.code, it.name, it.cat, it.region, fmtYuan(it.price[0]), fmtYuan(it.price[1]), fmtYuan(it.price[2]), it.unit,
			optInt(it.perDay), optInt(it.perStay), optInt(it.interval), cov, it.family, tier, it.equip, strconv.Itoa(it.minutes),
			it.related, fmtDay(it.from), to)
	}
	o.sum.CatalogRows = c.n
	return o.close("catalog.csv", c)
}

func (o *output) writeBundles() error {
	c, err := o.create("bundles.csv")
	if err != nil {
		return err
	}
	for _, b := range o.p.cat.bundles {
		to := ""
		if b.to != 0 {
			to = fmtDay(b.to)
		}
		c.row(b.item1, b.item2, strconv.Itoa(b.indicator), fmtDay(b.from), to)
	}
	o.sum.Bundles = c.n
	return o.close("bundles.csv", c)
}

func monthStr(m int) string { return fmt.Sprintf("%04d-%02d", m/12, m%12+1) }

// writePurchases: drugs in whole packs, usually the month before use; implants per unit.
func (o *output) writePurchases() error {
	c, err := o.create("purchases.csv")
	if err != nil {
		return err
	}
	p := o.p
	r := rand.New(rand.NewPCG(uint64(p.year), 0xb0))
	type ik struct {
		inst int
		code string
	}
	byItem := map[ik][]int{}
	for k := range o.tally {
		byItem[ik{k.inst, k.code}] = append(byItem[ik{k.inst, k.code}], k.month)
	}
	var items []ik
	for k := range byItem {
		items = append(items, k)
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].inst != items[j].inst {
			return items[i].inst < items[j].inst
		}
		return items[i].code < items[j].code
	})
	for _, k := range items {
		months := byItem[k]
		sort.Ints(months)
		it := p.cat.byCode[k.code][0]
		in := p.insts[k.inst]
		rec := map[int]int64{}
		var stock int64
		for i, m := range months {
			use := o.tally[tallyKey{k.inst, m, k.code}]
			at := m
			if r.Float64() < 0.7 || i == 0 && it.cat == "drug" {
				at = m - 1
			}
			if it.cat == "drug" {
				need := use - stock
				if need > 0 {
					pk := int64(max(1, it.pack))
					packs := (need*(100+int64(r.IntN(30)))/100 + pk - 1) / pk
					rec[at] += packs * pk
					stock += packs * pk
				}
				stock -= use
			} else {
				rec[at] += use
			}
		}
		var ms []int
		for m := range rec {
			ms = append(ms, m)
		}
		sort.Ints(ms)
		for _, m := range ms {
			c.row(in.code, monthStr(m), k.code, cntStr(rec[m]))
		}
		if it.cat == "drug" && len(ms) > 0 && ms[0] < months[0] && rec[months[0]] == 0 && r.IntN(10) < 3 {
			if u, ok := o.firstUse[[2]string{in.code, k.code}]; ok {
				o.labels = append(o.labels, &label{mdtrt: u.enc, category: catSubst, kind: "lookalike", inst: in.code, pattern: "LA_DRUG_AHEAD"})
			}
		}
	}
	o.sum.Purchases = c.n
	return o.close("purchases.csv", c)
}

// writeAttendance: workers of employers with electronic attendance, the
// months around the injury; absent from the injury until recovery, except the
// days a phantom stay's patient was at work.
func (o *output) writeAttendance() error {
	c, err := o.create("attendance.csv")
	if err != nil {
		return err
	}
	p := o.p
	byInj := p.byInjury()
	for _, inj := range p.injuries {
		if !inj.used || !inj.emp.attendance {
			continue
		}
		es := byInj[inj]
		end := inj.absentTo
		present := map[int]bool{}
		stayDays := map[int]bool{}
		last := inj.date
		for _, e := range es {
			end = max(end, e.dis+3)
			last = max(last, e.dis)
			if e.med != "41" {
				for d := e.adm; d <= e.dis; d++ {
					stayDays[d] = true
				}
			}
			for _, d := range e.atWork {
				present[d] = true
			}
		}
		r := rand.New(rand.NewPCG(uint64(inj.date), uint64(len(inj.id))))
		from := inj.date - 20 - r.IntN(20)
		to := min(max(end+25, last+10), inj.date+150)
		for d := from; d <= to; d++ {
			if inj.p.death != 0 && d >= inj.p.death {
				break
			}
			at := present[d]
			if !at {
				wd := weekday(d)
				work := wd != time.Sunday && (wd != time.Saturday || inj.emp.sixDay)
				absent := d > inj.date && d <= end || stayDays[d] && d != inj.date
				at = work && !absent && r.IntN(100) >= 3
			}
			if at {
				c.row(inj.p.certno, inj.emp.uscc, fmtDay(d))
				if d == inj.date {
					for _, e := range es {
						if e.med == "42" && e.adm == d && !e.hasViol("PS_ATTEND") && e.seed%2 == 0 {
							o.labels = append(o.labels, &label{mdtrt: e.id, category: catStay, kind: "lookalike", inst: e.in.code, pattern: "LA_ATTEND_EDGE"})
						}
					}
				}
			}
		}
	}
	o.sum.Attendance = c.n
	return o.close("attendance.csv", c)
}

// writeLabels writes labels/labels.csv, labels/institutions.csv and labels/README.md.
func (o *output) writeLabels() error {
	viol := map[[2]string]bool{}
	for _, l := range o.labels {
		if l.kind == "violation" {
			viol[[2]string{l.mdtrt, l.category}] = true
		}
	}
	c, err := o.create("labels/labels.csv")
	if err != nil {
		return err
	}
	c.row("mdtrt_id", "category", "kind", "amount", "feedetl_sn", "fixmedins_code", "pattern")
	c.n = 0
	seen := map[[3]string]bool{}
	for _, l := range o.labels {
		if l.kind == "lookalike" {
			k := [3]string{l.mdtrt, l.category, l.pattern}
			if viol[[2]string{l.mdtrt, l.category}] || seen[k] {
				continue
			}
			seen[k] = true
			o.sum.Lookalikes++
		} else {
			o.sum.Violations[l.category]++
			o.sum.Amount[l.category] += l.amount
		}
		o.sum.ByPattern[l.pattern]++
		c.row(l.mdtrt, l.category, l.kind, fmtYuan(l.amount), strings.Join(l.sns, ";"), l.inst, l.pattern)
	}
	if err := o.close("labels/labels.csv", c); err != nil {
		return err
	}
	ic, err := o.create("labels/institutions.csv")
	if err != nil {
		return err
	}
	ic.row("fixmedins_code", "offender")
	for _, in := range o.p.insts {
		ic.row(in.code, map[bool]string{true: "1", false: "0"}[in.offender == 1])
	}
	if err := o.close("labels/institutions.csv", ic); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.dir, "labels", "README.md"), []byte(labelsReadme()), 0o644)
}

func labelsReadme() string {
	var b strings.Builder
	b.WriteString(`# Labels of the synthetic city-year

Written by ` + "`gongshang audit synth`" + ` (package internal/auditsynth) beside the extract, which
stays exactly the documented set of files (docs/settlement-extract.md).

## labels.csv

| column | meaning |
|---|---|
| mdtrt_id | encounter |
| category | one of the six categories of settlement-extract.md §3; for a look-alike, the category it could be mistaken for |
| kind | ` + "`violation`" + ` or ` + "`lookalike`" + ` |
| amount | yuan improperly paid by the fund (0 for look-alikes) |
| feedetl_sn | ` + "`;`" + ` list of the evidence lines; empty for whole-encounter patterns |
| fixmedins_code | institution |
| pattern | pattern id below |

An encounter may carry several rows (several patterns or categories). A look-alike row is dropped when the
same encounter carries a violation of the category it mimics. Evaluation matches findings at the level of
(mdtrt_id, category).

## institutions.csv

` + "`offender`" + ` = 1 for the institutions that carry substantial injected violations (several patterns at
8–25 % of their eligible encounters, a few up to 60 %), 0 otherwise. A few institutions marked 0 carry one pattern at 1–2 %
("light" offenders) so that a ranking must weigh volume, not just presence.

## Patterns

| pattern | category | kind | what it is |
|---|---|---|---|
`)
	for _, p := range patterns {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", p.id, p.category, p.kind, p.desc)
	}
	b.WriteString(`
Purchases (purchases.csv) are the institutions' real receipts: drugs in whole packs, usually in the month
before use; implants per unit used. Attendance (attendance.csv) covers employers with electronic records, from
a few weeks before the injury until recovery, with no rows during sick leave or stays except the PS_ATTEND days.
`)
	return b.String()
}
