package auditsynth

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Finding is one object of `audit scan --json` (settlement-extract.md §3).
type Finding struct {
	RuleID        string   `json:"rule_id"`
	Category      string   `json:"category"`
	Severity      string   `json:"severity"`
	MdtrtID       string   `json:"mdtrt_id"`
	FeedetlSN     []string `json:"feedetl_sn"`
	FixmedinsCode string   `json:"fixmedins_code"`
	Amount        float64  `json:"amount"`
	Score         float64  `json:"score"`
}

// Ranked is one object of `audit rank --json`.
type Ranked struct {
	FixmedinsCode string  `json:"fixmedins_code"`
	Score         float64 `json:"score"`
}

// CategoryScore is the quality of the findings of one category.
type CategoryScore struct {
	Category       string
	Labelled       int // labelled (encounter, category) violation pairs
	Flagged        int // flagged (encounter, category) pairs
	TruePositive   int // flagged pairs that carry a violation label
	Precision      float64
	Recall         float64
	F1             float64
	LabelledAmount int64 // fen
	FoundAmount    int64 // fen, labelled amount of the pairs found
	MoneyRecall    float64
	Lookalikes     int // look-alike (encounter, category) pairs mimicking this category
	FalseAlarms    int // of those, pairs with a finding of this category
}

// PatternScore is the recall (violations) or false-alarm rate (look-alikes) of one pattern.
type PatternScore struct {
	Pattern, Category, Kind string
	Count                   int // (encounter, category) pairs
	Hit                     int // found (violation) or falsely flagged (look-alike)
	Rate                    float64
}

// Report is the evaluation of a detector run against the labels.
type Report struct {
	Findings            int
	Categories          []CategoryScore
	MacroF1             float64
	MoneyRecall         float64
	LookalikePairs      int
	LookalikeFalseAlarm float64 // share of look-alike pairs flagged in the category they mimic
	LookalikeEncounters int
	LookalikeAnyFinding float64 // share of look-alike encounters with any finding at all
	Patterns            []PatternScore
	Ranked              bool
	Top10Offenders      int
	Top10Precision      float64
	Offenders           int
}

type pairKey struct{ enc, cat string }

type labelSet struct {
	viol      map[pairKey]int64 // amount in fen
	vpat      map[pairKey][]string
	look      map[pairKey][]string // patterns
	offenders map[string]bool
	insts     map[string]bool
}

// Evaluate scores findings and a ranking against labels/labels.csv and labels/institutions.csv.
func Evaluate(labelDir string, findings []Finding, ranking []Ranked) (Report, error) {
	ls, err := readLabels(labelDir)
	if err != nil {
		return Report{}, err
	}
	valid := map[string]bool{}
	for _, c := range Categories {
		valid[c] = true
	}
	flagged := map[pairKey]bool{}
	byEnc := map[string]bool{}
	for i, f := range findings {
		if !valid[f.Category] {
			return Report{}, fmt.Errorf("第 %d 条发现：category（类别）%q 不是六类之一", i+1, f.Category)
		}
		if f.MdtrtID == "" {
			return Report{}, fmt.Errorf("第 %d 条发现：缺少 mdtrt_id（就诊编号）", i+1)
		}
		flagged[pairKey{f.MdtrtID, f.Category}] = true
		byEnc[f.MdtrtID] = true
	}
	rep := Report{Findings: len(findings), Ranked: ranking != nil, Offenders: len(ls.offenders)}
	var f1sum float64
	var labAmt, foundAmt int64
	for _, c := range Categories {
		cs := CategoryScore{Category: c}
		for k, amt := range ls.viol {
			if k.cat != c {
				continue
			}
			cs.Labelled++
			cs.LabelledAmount += amt
			if flagged[k] {
				cs.TruePositive++
				cs.FoundAmount += amt
			}
		}
		for k := range flagged {
			if k.cat == c {
				cs.Flagged++
			}
		}
		for k := range ls.look {
			if k.cat == c {
				cs.Lookalikes++
				if flagged[k] {
					cs.FalseAlarms++
				}
			}
		}
		cs.Precision = ratio(cs.TruePositive, cs.Flagged)
		cs.Recall = ratio(cs.TruePositive, cs.Labelled)
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		cs.MoneyRecall = ratio64(cs.FoundAmount, cs.LabelledAmount)
		f1sum += cs.F1
		labAmt += cs.LabelledAmount
		foundAmt += cs.FoundAmount
		rep.LookalikePairs += cs.Lookalikes
		rep.Categories = append(rep.Categories, cs)
	}
	rep.MacroF1 = f1sum / float64(len(Categories))
	rep.MoneyRecall = ratio64(foundAmt, labAmt)
	fa := 0
	lookEnc := map[string]bool{}
	for k := range ls.look {
		if flagged[k] {
			fa++
		}
		lookEnc[k.enc] = true
	}
	rep.LookalikeFalseAlarm = ratio(fa, rep.LookalikePairs)
	anyHit := 0
	for e := range lookEnc {
		if byEnc[e] {
			anyHit++
		}
	}
	rep.LookalikeEncounters = len(lookEnc)
	rep.LookalikeAnyFinding = ratio(anyHit, len(lookEnc))
	rep.Patterns = patternScores(ls, flagged)
	if ranking != nil {
		for i, r := range ranking {
			if i >= 10 {
				break
			}
			if ls.offenders[r.FixmedinsCode] {
				rep.Top10Offenders++
			}
		}
		rep.Top10Precision = float64(rep.Top10Offenders) / 10
	}
	return rep, nil
}

func patternScores(ls *labelSet, flagged map[pairKey]bool) []PatternScore {
	m := map[[3]string]*PatternScore{}
	add := func(k pairKey, pat, kind string) {
		key := [3]string{pat, k.cat, kind}
		ps := m[key]
		if ps == nil {
			ps = &PatternScore{Pattern: pat, Category: k.cat, Kind: kind}
			m[key] = ps
		}
		ps.Count++
		if flagged[k] {
			ps.Hit++
		}
	}
	for k, pats := range ls.vpat {
		for _, p := range uniq(pats) {
			add(k, p, "violation")
		}
	}
	for k, pats := range ls.look {
		for _, p := range uniq(pats) {
			add(k, p, "lookalike")
		}
	}
	var out []PatternScore
	for _, ps := range m {
		ps.Rate = ratio(ps.Hit, ps.Count)
		out = append(out, *ps)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind > out[j].Kind
		}
		return out[i].Pattern < out[j].Pattern
	})
	return out
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

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ratio64(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// readCSV reads a labels file and maps its header names.
func readCSV(path string) (map[string]int, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("无法打开标注文件 %s：%w", path, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s：无法读取表头：%w", filepath.Base(path), err)
	}
	cols := map[string]int{}
	for i, h := range head {
		cols[strings.TrimSpace(h)] = i
	}
	var rows [][]string
	for n := 2; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s 第 %d 行：%w", filepath.Base(path), n, err)
		}
		rows = append(rows, rec)
	}
	return cols, rows, nil
}

func readLabels(dir string) (*labelSet, error) {
	ls := &labelSet{viol: map[pairKey]int64{}, vpat: map[pairKey][]string{}, look: map[pairKey][]string{}, offenders: map[string]bool{}, insts: map[string]bool{}}
	cols, rows, err := readCSV(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return nil, err
	}
	for _, c := range []string{"mdtrt_id", "category", "kind", "amount", "pattern"} {
		if _, ok := cols[c]; !ok {
			return nil, fmt.Errorf("labels.csv：缺少列 %s", c)
		}
	}
	for i, r := range rows {
		k := pairKey{r[cols["mdtrt_id"]], r[cols["category"]]}
		pat := r[cols["pattern"]]
		switch r[cols["kind"]] {
		case "violation":
			amt, err := strconv.ParseFloat(r[cols["amount"]], 64)
			if err != nil {
				return nil, fmt.Errorf("labels.csv 第 %d 行：amount（金额）%q 不是数字", i+2, r[cols["amount"]])
			}
			ls.viol[k] += int64(amt*100 + 0.5)
			ls.vpat[k] = append(ls.vpat[k], pat)
		case "lookalike":
			ls.look[k] = append(ls.look[k], pat)
		default:
			return nil, fmt.Errorf("labels.csv 第 %d 行：kind（类型）%q 应为 violation 或 lookalike", i+2, r[cols["kind"]])
		}
	}
	for k := range ls.look { // a look-alike pair that also carries a violation is a violation
		if _, ok := ls.viol[k]; ok {
			delete(ls.look, k)
		}
	}
	cols, rows, err = readCSV(filepath.Join(dir, "institutions.csv"))
	if err != nil {
		return nil, err
	}
	for _, c := range []string{"fixmedins_code", "offender"} {
		if _, ok := cols[c]; !ok {
			return nil, fmt.Errorf("institutions.csv：缺少列 %s", c)
		}
	}
	for i, r := range rows {
		code, off := r[cols["fixmedins_code"]], r[cols["offender"]]
		if off != "0" && off != "1" {
			return nil, fmt.Errorf("institutions.csv 第 %d 行：offender %q 应为 0 或 1", i+2, off)
		}
		ls.insts[code] = true
		if off == "1" {
			ls.offenders[code] = true
		}
	}
	return ls, nil
}

// Text prints the report as readable tables.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "findings %d\n\n", r.Findings)
	fmt.Fprintf(&b, "%-18s %8s %8s %8s %9s %7s %7s %12s %8s %8s\n", "category", "labelled", "flagged", "TP", "precision", "recall", "F1", "money", "look", "f.alarm")
	for _, c := range r.Categories {
		fmt.Fprintf(&b, "%-18s %8d %8d %8d %9.3f %7.3f %7.3f %12.3f %8d %8.3f\n", c.Category, c.Labelled, c.Flagged, c.TruePositive,
			c.Precision, c.Recall, c.F1, c.MoneyRecall, c.Lookalikes, ratio(c.FalseAlarms, c.Lookalikes))
	}
	fmt.Fprintf(&b, "\nmacro-F1 %.3f   money recall %.3f (%s of %s yuan)\n", r.MacroF1, r.MoneyRecall, fmtYuan(r.foundAmount()), fmtYuan(r.labelledAmount()))
	fmt.Fprintf(&b, "look-alike false alarms %.3f (%d pairs, category mimicked); look-alike encounters with any finding %.3f (%d encounters)\n",
		r.LookalikeFalseAlarm, r.LookalikePairs, r.LookalikeAnyFinding, r.LookalikeEncounters)
	if r.Ranked {
		fmt.Fprintf(&b, "top-10 institution precision %.1f (%d of the first 10 are offenders; %d offenders)\n", r.Top10Precision, r.Top10Offenders, r.Offenders)
	} else {
		b.WriteString("top-10 institution precision: no ranking given\n")
	}
	fmt.Fprintf(&b, "\n%-22s %-18s %-9s %7s %7s %7s\n", "pattern", "category", "kind", "pairs", "hit", "rate")
	for _, p := range r.Patterns {
		fmt.Fprintf(&b, "%-22s %-18s %-9s %7d %7d %7.3f\n", p.Pattern, p.Category, p.Kind, p.Count, p.Hit, p.Rate)
	}
	b.WriteString("(rate = recall for violations, false-alarm rate for look-alikes)\n")
	return b.String()
}

func (r Report) foundAmount() (n int64) {
	for _, c := range r.Categories {
		n += c.FoundAmount
	}
	return n
}

func (r Report) labelledAmount() (n int64) {
	for _, c := range r.Categories {
		n += c.LabelledAmount
	}
	return n
}
