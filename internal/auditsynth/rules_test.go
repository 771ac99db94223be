package auditsynth

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// table is one CSV file read by header name.
type table struct {
	head map[string]int
	rows [][]string
}

func readTable(t testing.TB, path string) *table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	tb := &table{head: map[string]int{}, rows: recs[1:]}
	for i, h := range recs[0] {
		tb.head[h] = i
	}
	return tb
}

func (tb *table) get(row []string, col string) string { return row[tb.head[col]] }

func parseDay(t testing.TB, s string) int {
	if s == "" {
		return 0
	}
	tm, err := time.Parse("2006-01-02", s[:10])
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return int(tm.Unix() / 86400)
}

func parseFen(t testing.TB, s string) int64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	if f < 0 {
		return int64(f*100 - 0.5)
	}
	return int64(f*100 + 0.5)
}

type xItem struct {
	cat, region, unit, related, equip string
	price                             [3]int64
	perDay, perStay, interval         int
	covered                           bool
	minutes                           int
	from, to                          int
}

type xLine struct {
	sn, code, dr   string
	day, minute    int
	cnt, pric, amt int64
	it             *xItem
}

type xEnc struct {
	id, inst, cert, inj, med string
	adm, dis                 int
	total, fund              int64
	lines                    []*xLine
}

// extract is a generated folder read back for checks.
type extract struct {
	insts     map[string][]string
	level     map[string]int
	beds      map[string]int
	equip     map[string]map[string]bool
	items     map[string][]*xItem
	doctors   map[string][3]string // inst, from, to
	role      map[string]string
	death     map[string]int
	parts     map[string][]string
	encs      []*xEnc
	byID      map[string]*xEnc
	labels    map[string]map[string]bool // mdtrt → category → violation
	looks     map[string]map[string]bool // mdtrt → pattern
	vpat      map[string]map[string]bool // mdtrt → violation pattern
	sns       map[string]bool
	names     map[string]string
	bundles   []xBundle
	minutesEv map[string]bool             // lines that are FB_MINUTES evidence
	attend    map[string][]int            // certno → days at work
	bought    map[[2]string]map[int]int64 // (inst, code) → month → qty
}

type xBundle struct {
	i1, i2        string
	ind, from, to int
}

func (x *extract) item(code string, day int) *xItem {
	for _, it := range x.items[code] {
		if day >= it.from && (it.to == 0 || day <= it.to) {
			return it
		}
	}
	return nil
}

func loadExtract(t testing.TB, dir string) *extract {
	x := &extract{level: map[string]int{}, beds: map[string]int{}, equip: map[string]map[string]bool{}, items: map[string][]*xItem{},
		doctors: map[string][3]string{}, role: map[string]string{}, death: map[string]int{}, parts: map[string][]string{}, byID: map[string]*xEnc{},
		labels: map[string]map[string]bool{}, looks: map[string]map[string]bool{}, vpat: map[string]map[string]bool{}, sns: map[string]bool{}, names: map[string]string{}, minutesEv: map[string]bool{}, attend: map[string][]int{}, bought: map[[2]string]map[int]int64{}}
	in := readTable(t, filepath.Join(dir, "institutions.csv"))
	for _, r := range in.rows {
		c := in.get(r, "fixmedins_code")
		x.level[c], _ = strconv.Atoi(in.get(r, "level"))
		x.beds[c], _ = strconv.Atoi(in.get(r, "beds"))
		x.equip[c] = map[string]bool{}
		for _, e := range strings.Split(in.get(r, "equipment"), ";") {
			x.equip[c][e] = true
		}
	}
	ct := readTable(t, filepath.Join(dir, "catalog.csv"))
	for _, r := range ct.rows {
		it := &xItem{cat: ct.get(r, "category"), region: ct.get(r, "body_region"), unit: ct.get(r, "unit"), related: ct.get(r, "related_regions"),
			equip: ct.get(r, "requires_equipment"), covered: ct.get(r, "covered") == "1", from: parseDay(t, ct.get(r, "valid_from")), to: parseDay(t, ct.get(r, "valid_to"))}
		for i, k := range []string{"pric_lv1", "pric_lv2", "pric_lv3"} {
			it.price[i] = parseFen(t, ct.get(r, k))
		}
		it.perDay, _ = strconv.Atoi(ct.get(r, "per_day_limit"))
		it.perStay, _ = strconv.Atoi(ct.get(r, "per_stay_limit"))
		it.interval, _ = strconv.Atoi(ct.get(r, "min_interval_days"))
		it.minutes, _ = strconv.Atoi(ct.get(r, "minutes"))
		code := ct.get(r, "med_list_codg")
		x.items[code] = append(x.items[code], it)
		x.names[code] = ct.get(r, "name")
	}
	bt := readTable(t, filepath.Join(dir, "bundles.csv"))
	for _, r := range bt.rows {
		ind, _ := strconv.Atoi(bt.get(r, "indicator"))
		x.bundles = append(x.bundles, xBundle{bt.get(r, "item1"), bt.get(r, "item2"), ind, parseDay(t, bt.get(r, "valid_from")), parseDay(t, bt.get(r, "valid_to"))})
	}
	dt := readTable(t, filepath.Join(dir, "doctors.csv"))
	for _, r := range dt.rows {
		x.doctors[dt.get(r, "dr_codg")] = [3]string{dt.get(r, "fixmedins_code"), dt.get(r, "employed_from"), dt.get(r, "employed_to")}
		x.role[dt.get(r, "dr_codg")] = dt.get(r, "role")
	}
	pt := readTable(t, filepath.Join(dir, "persons.csv"))
	for _, r := range pt.rows {
		if d := pt.get(r, "death_date"); d != "" {
			x.death[pt.get(r, "certno")] = parseDay(t, d)
		}
	}
	it := readTable(t, filepath.Join(dir, "injuries.csv"))
	for _, r := range it.rows {
		x.parts[it.get(r, "injury_id")] = strings.Split(it.get(r, "injured_parts"), ";")
	}
	et := readTable(t, filepath.Join(dir, "encounters.csv"))
	for _, r := range et.rows {
		e := &xEnc{id: et.get(r, "mdtrt_id"), inst: et.get(r, "fixmedins_code"), cert: et.get(r, "certno"), inj: et.get(r, "injury_id"),
			med: et.get(r, "med_type"), adm: parseDay(t, et.get(r, "begntime")), dis: parseDay(t, et.get(r, "endtime")),
			total: parseFen(t, et.get(r, "medfee_sumamt")), fund: parseFen(t, et.get(r, "fund_pay_sumamt"))}
		x.encs = append(x.encs, e)
		x.byID[e.id] = e
	}
	lt := readTable(t, filepath.Join(dir, "lines.csv"))
	for _, r := range lt.rows {
		e := x.byID[lt.get(r, "mdtrt_id")]
		tm, err := time.Parse("2006-01-02 15:04:05", lt.get(r, "fee_ocur_time"))
		if err != nil {
			t.Fatal(err)
		}
		cnt, _ := strconv.ParseInt(lt.get(r, "cnt"), 10, 64)
		l := &xLine{sn: lt.get(r, "feedetl_sn"), code: lt.get(r, "med_list_codg"), dr: lt.get(r, "bilg_dr_codg"), day: int(tm.Unix() / 86400),
			minute: tm.Hour()*60 + tm.Minute(), cnt: cnt, pric: parseFen(t, lt.get(r, "pric")), amt: parseFen(t, lt.get(r, "det_item_fee_sumamt"))}
		l.it = x.item(l.code, l.day)
		e.lines = append(e.lines, l)
		x.sns[l.sn] = true
	}
	lb := readTable(t, filepath.Join(dir, "labels", "labels.csv"))
	for _, r := range lb.rows {
		id := lb.get(r, "mdtrt_id")
		m := x.labels
		if lb.get(r, "kind") == "lookalike" {
			m = x.looks
		}
		key := lb.get(r, "category")
		if lb.get(r, "kind") == "lookalike" {
			key = lb.get(r, "pattern")
		} else {
			if x.vpat[id] == nil {
				x.vpat[id] = map[string]bool{}
			}
			x.vpat[id][lb.get(r, "pattern")] = true
		}
		if m[id] == nil {
			m[id] = map[string]bool{}
		}
		m[id][key] = true
		if lb.get(r, "pattern") == "FB_MINUTES" {
			for _, sn := range strings.Split(lb.get(r, "feedetl_sn"), ";") {
				x.minutesEv[sn] = true
			}
		}
	}
	at := readTable(t, filepath.Join(dir, "attendance.csv"))
	for _, r := range at.rows {
		x.attend[at.get(r, "certno")] = append(x.attend[at.get(r, "certno")], parseDay(t, at.get(r, "date")))
	}
	pu := readTable(t, filepath.Join(dir, "purchases.csv"))
	for _, r := range pu.rows {
		k := [2]string{pu.get(r, "fixmedins_code"), pu.get(r, "med_list_codg")}
		if x.bought[k] == nil {
			x.bought[k] = map[int]int64{}
		}
		q, _ := strconv.ParseInt(pu.get(r, "qty"), 10, 64)
		x.bought[k][monthIndex(pu.get(r, "month"))] += q
	}
	return x
}

func monthIndex(s string) int {
	y, _ := strconv.Atoi(s[:4])
	m, _ := strconv.Atoi(s[5:7])
	return y*12 + m - 1
}

func monthOfDay(day int) int {
	t := time.Unix(int64(day)*86400, 0).UTC()
	return t.Year()*12 + int(t.Month()) - 1
}

// ruleHits applies the documented rules naively (no exemptions) and counts,
// per rule, hits on encounters with a violation label of the rule's category,
// on look-alikes of that category, and on the rest (clean: should be 0).
func ruleHits(t testing.TB, x *extract) (clean, labelled, looked map[string]int, examples map[string]string, found []Finding) {
	clean, labelled, looked, examples = map[string]int{}, map[string]int{}, map[string]int{}, map[string]string{}
	mimics := func(id, cat string) bool {
		for p := range x.looks[id] {
			if patternByID[p].category == cat {
				return true
			}
		}
		return false
	}
	hit := func(e *xEnc, rule, cat, detail string) {
		found = append(found, Finding{RuleID: rule, Category: cat, MdtrtID: e.id, FixmedinsCode: e.inst})
		if x.labels[e.id][cat] {
			labelled[rule]++
			return
		}
		if mimics(e.id, cat) {
			looked[rule]++
			return
		}
		clean[rule]++
		if examples[rule] == "" {
			examples[rule] = e.id + " " + detail
		}
	}
	adj := func(parts []string, region string) bool {
		for _, p := range parts {
			if p == region {
				return true
			}
			for _, a := range adjacent[p] {
				if a == region {
					return true
				}
			}
		}
		return false
	}
	minutes := map[[2]string]int{}
	stays := map[string][]*xEnc{}
	billed := map[[2]string]map[int]int64{}
	stockLabel := map[[2]string]bool{}
	census := map[string]map[int]int{}
	for _, e := range x.encs {
		parts := x.parts[e.inj]
		lv := x.level[e.inst]
		var total, elig int64
		perDay := map[[2]string]int64{}
		perStay := map[string]int64{}
		dates := map[string][]int{}
		beds := int64(0)
		hasExam := false
		dayCodes := map[int]map[string]bool{}
		surgDays := []int{}
		for _, l := range e.lines {
			it := l.it
			total += l.amt
			if l.amt != l.cnt*l.pric {
				hit(e, "amount", catFee, l.sn)
			}
			if it == nil {
				t.Fatalf("line %s: no catalogue row for %s on its date", l.sn, l.code)
			}
			if it.covered && !(it.cat == "drug" && it.related == "") {
				elig += l.amt
			}
			if l.pric > it.price[lv-1] {
				hit(e, "D06 price", catFee, l.sn)
			}
			perDay[[2]string{l.code, strconv.Itoa(l.day)}] += l.cnt
			perStay[l.code] += l.cnt
			dates[l.code] = append(dates[l.code], l.day)
			if it.cat == "bed" {
				beds += l.cnt
			}
			if it.cat == "lab" || it.cat == "exam_imaging" {
				hasExam = true
			}
			if it.cat == "surgery" {
				surgDays = append(surgDays, l.day)
			}
			if dayCodes[l.day] == nil {
				dayCodes[l.day] = map[string]bool{}
			}
			dayCodes[l.day][l.code] = true
			if e.med != "41" && (l.day < e.adm || l.day > e.dis) {
				hit(e, "D01 outside stay", catFee, l.sn)
			}
			if it.cat == "drug" && it.related != "any" && it.related != "systemic" && it.related != "" {
				ok := false
				for _, r := range strings.Split(it.related, ";") {
					if containsS(parts, r) {
						ok = true
					}
				}
				if !ok {
					hit(e, "C05 drug region", catFee, l.sn)
				}
			}
			if it.equip != "" && !x.equip[e.inst][it.equip] {
				hit(e, "C01 equipment", catSubst, l.sn)
			}
			if it.cat == "exam_imaging" && it.region != "" && !adj(parts, it.region) {
				hit(e, "C03 region", catSubst, l.sn)
			}
			d := x.doctors[l.dr]
			from, to := parseDay(t, d[1]), parseDay(t, d[2])
			if d[0] != e.inst || l.day < from || to != 0 && l.day > to {
				hit(e, "H06 not employed", catFab, l.sn)
			}
			if dd, ok := x.death[e.cert]; ok && l.day > dd {
				hit(e, "D02 after death", catFab, l.sn)
			}
			if !x.minutesEv[l.sn] {
				minutes[[2]string{l.dr, strconv.Itoa(l.day)}] += it.minutes * int(l.cnt)
			}
			if it.cat == "drug" || it.cat == "implant" {
				k := [2]string{e.inst, l.code}
				if billed[k] == nil {
					billed[k] = map[int]int64{}
				}
				billed[k][monthOfDay(l.day)] += l.cnt
				if x.vpat[e.id]["IS_STOCK"] {
					stockLabel[k] = true
				}
			}
		}
		if total != e.total {
			hit(e, "D11 total", catFee, fmt.Sprint(total, e.total))
		}
		if elig != e.fund {
			hit(e, "D11 fund", catFee, fmt.Sprint(elig, e.fund))
		}
		for k, n := range perDay {
			it := x.item(k[0], atoiT(k[1]))
			lim := int64(it.perDay)
			if it.unit == "部位" {
				lim *= int64(len(parts))
			}
			if lim > 0 && n > lim {
				hit(e, "D08 per day", catFee, k[0])
			}
		}
		for code, n := range perStay {
			if it := x.items[code][0]; it.perStay > 0 && n > int64(it.perStay) {
				hit(e, "D08 per stay", catFee, code)
			}
			if it := x.items[code][0]; it.interval > 0 {
				ds := dates[code]
				sort.Ints(ds)
				for i := 1; i < len(ds); i++ {
					if ds[i]-ds[i-1] < it.interval {
						hit(e, "D08 interval", catFee, code)
					}
				}
			}
		}
		if e.med != "41" && beds > int64(max(1, e.dis-e.adm)) {
			hit(e, "D03 bed days", catFee, fmt.Sprint(beds))
		}
		for day, codes := range dayCodes {
			for _, b := range bundlesAt(x, day) {
				if codes[b[0]] && codes[b[1]] {
					hit(e, "D07 bundle 0", catFee, b[0]+"+"+b[1])
				}
			}
		}
		if e.med == "42" && !hasExam {
			hit(e, "F04 no work-up", catFab, "")
		}
		if e.med != "41" {
			if census[e.inst] == nil {
				census[e.inst] = map[int]int{}
			}
			for d := e.adm; d < max(e.dis, e.adm+1); d++ {
				census[e.inst][d]++
			}
			for _, d := range x.attend[e.cert] {
				if d > e.adm && d < e.dis {
					hit(e, "H03 at work during stay", catStay, fmt.Sprint(d))
					break
				}
			}
		}
		if e.med == "42" {
			run := 0
			for d := e.adm + 1; d < e.dis; d++ {
				hotel := true
				for code := range dayCodes[d] {
					if c := x.items[code][0].cat; c != "bed" && c != "nursing" && c != "consult" && c != "meal" {
						hotel = false
					}
				}
				if hotel {
					run++
				} else {
					run = 0
				}
				if run >= 3 {
					hit(e, "H01 3 empty days", catStay, fmt.Sprint(d))
					break
				}
			}
		}
		// repeat CT/MR of one item within 7 days without surgery between; CT and MR of one region on one day
		{
			for code, ds := range dates {
				it := x.items[code][0]
				if it.cat != "exam_imaging" || it.unit != "部位" || it.price[2] < 20000 {
					continue
				}
				sort.Ints(ds)
				for i := 1; i < len(ds); i++ {
					between := false
					for _, s := range surgDays {
						if s >= ds[i-1] && s < ds[i] {
							between = true
						}
					}
					if ds[i]-ds[i-1] < 7 && !between {
						hit(e, "E01 repeat", catExam, code)
					}
				}
			}
		}
		for _, codes := range dayCodes {
			ct, mr := map[string]bool{}, map[string]bool{}
			for code := range codes {
				it := x.items[code][0]
				if strings.Contains(x.nameOf(code), "CT)平扫") || strings.Contains(x.nameOf(code), "CT)增强") {
					ct[it.region] = true
				}
				if strings.Contains(x.nameOf(code), "磁共振") {
					mr[it.region] = true
				}
			}
			for r := range ct {
				if mr[r] {
					hit(e, "E03 CT+MR", catExam, r)
				}
			}
		}
		if e.med != "41" {
			stays[e.cert] = append(stays[e.cert], e)
		}
	}
	for k, m := range minutes {
		cap := 720
		if x.role[k[0]] == "therapist" {
			cap = 480
		}
		if m > cap {
			clean["F02 minutes (clinician-days)"]++
			examples["F02 minutes (clinician-days)"] = fmt.Sprint(k, m)
		}
	}
	for k, months := range billed {
		var ms []int
		for m := range months {
			ms = append(ms, m)
		}
		for m := range x.bought[k] {
			if _, ok := months[m]; !ok {
				ms = append(ms, m)
			}
		}
		sort.Ints(ms)
		var use, got int64
		for _, m := range ms {
			use += months[m]
			got += x.bought[k][m]
			if use > got {
				if stockLabel[k] {
					labelled["C02 stock (item-months)"]++
				} else {
					clean["C02 stock (item-months)"]++
					examples["C02 stock (item-months)"] = fmt.Sprint(k, m)
				}
			}
		}
	}
	phantomInst := map[string]bool{}
	for id, cats := range x.labels {
		if cats[catStay] {
			phantomInst[x.byID[id].inst] = true
		}
	}
	for inst, days := range census {
		for d, n := range days {
			if float64(n) > float64(x.beds[inst])*1.05 {
				if phantomInst[inst] {
					labelled["H05 census (days)"]++
				} else {
					clean["H05 census (days)"]++
					examples["H05 census (days)"] = fmt.Sprint(inst, d)
				}
			}
		}
	}
	for _, ss := range stays {
		sort.Slice(ss, func(i, j int) bool { return ss[i].adm < ss[j].adm })
		for i := 1; i < len(ss); i++ {
			a, b := ss[i-1], ss[i]
			if b.adm < a.dis-1 {
				hit(b, "D05 overlap", catFab, a.id)
			}
			if a.inst == b.inst && b.adm-a.dis <= 15 && b.adm >= a.dis {
				hit(b, "T05 readmission 15d", catTreat, a.id)
			}
		}
	}
	return clean, labelled, looked, examples, found
}

func atoiT(s string) int { n, _ := strconv.Atoi(s); return n }

func (x *extract) nameOf(code string) string { return x.names[code] }

func bundlesAt(x *extract, day int) [][2]string {
	var out [][2]string
	for _, b := range x.bundles {
		if b.ind == 0 && day >= b.from && (b.to == 0 || day <= b.to) {
			out = append(out, [2]string{b.i1, b.i2})
		}
	}
	return out
}

// TestCleanEncountersFollowTheRules: the documented rules do not fire on
// encounters without a violation label of their category, and do fire on
// injected ones.
func TestCleanEncountersFollowTheRules(t *testing.T) {
	dir := os.Getenv("AUDITSYNTH_CHECK")
	if dir == "" {
		dir = t.TempDir()
		if _, err := Generate(dir, Options{Seed: 3, Scale: 0.1}); err != nil {
			t.Fatal(err)
		}
	}
	x := loadExtract(t, dir)
	clean, labelled, looked, ex, found := ruleHits(t, x)
	if rep, err := Evaluate(filepath.Join(dir, "labels"), found, nil); err == nil {
		t.Logf("the per-encounter rules above as a detector (a floor, not a target):\n%s", rep.Text())
	} else {
		t.Error(err)
	}
	var rules []string
	for r := range clean {
		rules = append(rules, r)
	}
	for r := range labelled {
		if clean[r] == 0 {
			rules = append(rules, r)
		}
	}
	for r := range looked {
		if clean[r] == 0 && labelled[r] == 0 {
			rules = append(rules, r)
		}
	}
	sort.Strings(rules)
	for _, r := range rules {
		t.Logf("%-28s clean %5d  labelled %5d  look-alike %5d  %s", r, clean[r], labelled[r], looked[r], ex[r])
	}
	for r, n := range clean {
		t.Errorf("rule %s fires on %d encounters without a label of its category (e.g. %s)", r, n, ex[r])
	}
	for _, r := range []string{"D06 price", "D01 outside stay", "C01 equipment", "C03 region", "H06 not employed", "D05 overlap"} {
		if labelled[r] == 0 {
			t.Errorf("rule %s never fires on the injected violations", r)
		}
	}
}
