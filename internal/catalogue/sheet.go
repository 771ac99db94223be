package catalogue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The column titles of a catalogue sheet (one row per Entry), in export
// order.
const (
	ColCategory    = "目录类别"
	ColCode        = "医保目录编码"
	ColName        = "名称"
	ColSpec        = "规格"
	ColUnit        = "计价单位"
	ColPrice1      = "一级限价(元)"
	ColPrice2      = "二级限价(元)"
	ColPrice3      = "三级限价(元)"
	ColCovered     = "工伤基金支付(是/否)"
	ColValidFrom   = "生效日期"
	ColValidTo     = "失效日期"
	ColPerDay      = "每日限量"
	ColPerStay     = "每次住院限量"
	ColMinInterval = "最短间隔天数"
	ColDeviceLimit = "最高支付限额(元)"
	ColLifeMonths  = "最低使用年限(月)"
	ColRegion      = "发布地区"
	ColNote        = "备注"
)

// The column titles of a bundling sheet (one row per Bundle). 发布地区 is
// ours, after the pair's columns: a pair belongs to the catalogue region
// that issued it.
const (
	ColCode1     = "项目编码"
	ColCode2     = "不得同收项目编码"
	ColIndicator = "同收标志(0/1)"
	ColRationale = "理由"
)

var entryHeader = []string{ColCategory, ColCode, ColName, ColSpec, ColUnit, ColPrice1, ColPrice2, ColPrice3,
	ColCovered, ColValidFrom, ColValidTo, ColPerDay, ColPerStay, ColMinInterval, ColDeviceLimit, ColLifeMonths,
	ColRegion, ColNote}

var entryRequired = []string{ColCategory, ColCode, ColName, ColCovered, ColValidFrom, ColRegion}

var bundleHeader = []string{ColCode1, ColCode2, ColIndicator, ColValidFrom, ColValidTo, ColRationale, ColRegion}

var bundleRequired = []string{ColCode1, ColCode2, ColIndicator, ColValidFrom}

// EntryHeader is the catalogue sheet's header row.
func EntryHeader() []string { return append([]string(nil), entryHeader...) }

// BundleHeader is the bundling sheet's header row.
func BundleHeader() []string { return append([]string(nil), bundleHeader...) }

// Problem is one thing wrong in a sheet: a cell, a row, or the header.
type Problem struct {
	Row     int    `json:"row"`              // 1-based sheet row (the header is row 1)
	Column  string `json:"column,omitempty"` // the column title, "" for the whole row
	Code    string `json:"code,omitempty"`   // the row's code, when it has one
	Message string `json:"message"`          // Chinese, names the column
}

// String is the problem as one line: 第3行：名称：不能为空.
func (p Problem) String() string { return fmt.Sprintf("第%d行：%s", p.Row, p.Message) }

// Money is an amount in fen, exported as yuan with two decimals ("12.50").
// EntryCells and BundleCells give money cells as Money so the exporter can
// write a number cell or the text, as it likes.
type Money int64

// Yuan is m as yuan with two decimals.
func (m Money) Yuan() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%02d", sign, m/100, m%100)
}

// String is Yuan, so fmt prints yuan.
func (m Money) String() string { return m.Yuan() }

// EntryCells gives e's cells in EntryHeader order: the category's Chinese
// name, strings, Money for prices and the device limit, int for limits,
// 是/否 for coverage. An empty optional cell is nil (a zero price, limit or
// date), so a sheet shows blanks, not zeros.
func EntryCells(e Entry) []any {
	cov := "否"
	if e.Covered {
		cov = "是"
	}
	return []any{e.Category.Name(), e.Code, e.Name, e.Spec, e.Unit,
		moneyCell(e.Prices[0]), moneyCell(e.Prices[1]), moneyCell(e.Prices[2]),
		cov, e.ValidFrom, textCell(e.ValidTo), intCell(e.PerDay), intCell(e.PerStay), intCell(e.MinInterval),
		moneyCell(e.DeviceLimit), intCell(e.LifeMonths), e.Region, e.Note}
}

// BundleCells gives b's cells in BundleHeader order.
func BundleCells(b Bundle) []any {
	return []any{b.Code1, b.Code2, b.Indicator, b.ValidFrom, textCell(b.ValidTo), b.Rationale, textCell(b.Region)}
}

func moneyCell(fen int64) any {
	if fen == 0 {
		return nil
	}
	return Money(fen)
}

func intCell(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func textCell(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ParseEntries reads a catalogue sheet: rows[0] is the header (columns
// found by title, in any order; unknown columns ignored), every later
// non-blank row becomes an Entry. A row with any problem gives no Entry.
// After the rows, rows of one region and code whose validity windows
// overlap are reported (the later row names the earlier).
func ParseEntries(rows [][]string) ([]Entry, []Problem) {
	cols, probs := readHeader(rows, entryRequired)
	if probs != nil {
		return nil, probs
	}
	var out []Entry
	var at []int // sheet row of each out[i]
	for i := 1; i < len(rows); i++ {
		r := sheetRow{cols: cols, cells: rows[i], row: i + 1}
		if r.blank() {
			continue
		}
		e, ps := r.entry()
		if len(ps) > 0 {
			probs = append(probs, ps...)
			continue
		}
		out = append(out, e)
		at = append(at, i+1)
	}
	probs = append(probs, entryOverlaps(out, at)...)
	return out, probs
}

// ParseBundles reads a bundling sheet the same way.
func ParseBundles(rows [][]string) ([]Bundle, []Problem) {
	cols, probs := readHeader(rows, bundleRequired)
	if probs != nil {
		return nil, probs
	}
	var out []Bundle
	var at []int
	for i := 1; i < len(rows); i++ {
		r := sheetRow{cols: cols, cells: rows[i], row: i + 1}
		if r.blank() {
			continue
		}
		b, ps := r.bundle()
		if len(ps) > 0 {
			probs = append(probs, ps...)
			continue
		}
		out = append(out, b)
		at = append(at, i+1)
	}
	probs = append(probs, bundleOverlaps(out, at)...)
	return out, probs
}

// readHeader maps column titles to positions; a missing required column is
// one problem naming every missing title.
func readHeader(rows [][]string, required []string) (map[string]int, []Problem) {
	if len(rows) == 0 {
		return nil, []Problem{{Row: 1, Message: "表格为空：第1行应为表头"}}
	}
	cols := map[string]int{}
	for i, t := range rows[0] {
		t = normTitle(t)
		if _, dup := cols[t]; !dup && t != "" {
			cols[t] = i
		}
	}
	var missing []string
	for _, t := range required {
		if _, ok := cols[t]; !ok {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		return nil, []Problem{{Row: 1, Column: missing[0], Message: "表头缺少必填列：" + strings.Join(missing, "、")}}
	}
	return cols, nil
}

// normTitle trims a title and folds full-width parentheses and slashes, as
// people type them in a sheet.
func normTitle(t string) string {
	t = strings.TrimPrefix(strings.TrimSpace(t), "\ufeff")
	return strings.NewReplacer("（", "(", "）", ")", "／", "/", " ", "").Replace(t)
}

// sheetRow is one data row being read.
type sheetRow struct {
	cols  map[string]int
	cells []string
	row   int
	code  string
	probs []Problem
}

func (r *sheetRow) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// get is the trimmed cell under title, "" when the column or cell is absent.
func (r *sheetRow) get(title string) string {
	i, ok := r.cols[title]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

func (r *sheetRow) fail(col, format string, args ...any) {
	r.probs = append(r.probs, Problem{Row: r.row, Column: col, Code: r.code, Message: col + "：" + fmt.Sprintf(format, args...)})
}

func (r *sheetRow) required(col string) string {
	v := r.get(col)
	if v == "" {
		r.fail(col, "不能为空")
	}
	return v
}

func (r *sheetRow) money(col string) int64 {
	v := r.get(col)
	if v == "" {
		return 0
	}
	fen, ok := parseYuan(v)
	if !ok {
		r.fail(col, "“%s”不是金额：应为不小于0、最多两位小数的元数", v)
	}
	return fen
}

func (r *sheetRow) count(col string) int {
	v := r.get(col)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
	if err != nil || n < 0 || n > 100000 {
		r.fail(col, "“%s”应为0到100000之间的整数", v)
		return 0
	}
	return n
}

func (r *sheetRow) date(col string, required bool) string {
	v := r.get(col)
	if v == "" {
		if required {
			r.fail(col, "不能为空")
		}
		return ""
	}
	d, ok := parseDay(v)
	if !ok {
		r.fail(col, "“%s”不是日期：应为YYYY-MM-DD（如2026-07-01）", v)
	}
	return d
}

var regionRe = regexp.MustCompile(`^[0-9]{6}$`)

func (r *sheetRow) region(required bool) string {
	v := r.get(ColRegion)
	switch {
	case v == "" && required:
		r.fail(ColRegion, "不能为空")
	case v != "" && !regionRe.MatchString(v):
		r.fail(ColRegion, "“%s”应为6位行政区划代码（如370000）", v)
	}
	return v
}

func (r *sheetRow) window(from, to string) {
	if from != "" && to != "" && to < from {
		r.fail(ColValidTo, "%s早于生效日期%s", to, from)
	}
}

// entry reads the row as an Entry.
func (r *sheetRow) entry() (Entry, []Problem) {
	var e Entry
	e.Code = NormalizeCode(r.get(ColCode))
	r.code = e.Code
	if c := r.required(ColCategory); c != "" {
		cat, ok := parseCategory(c)
		if !ok {
			r.fail(ColCategory, "“%s”应为药品、诊疗项目、医用耗材、服务设施、康复项目或辅助器具", c)
		}
		e.Category = cat
	}
	switch {
	case e.Code == "":
		r.fail(ColCode, "不能为空")
	case e.Category.Valid() && !ValidCode(e.Category, e.Code):
		r.fail(ColCode, "“%s”格式不对：%s", e.Code, codeShapeText[e.Category])
	}
	e.Name = r.required(ColName)
	if utf8.RuneCountInString(e.Name) > 200 {
		r.fail(ColName, "不能超过200个字")
	}
	e.Spec, e.Unit, e.Note = r.get(ColSpec), r.get(ColUnit), r.get(ColNote)
	for l, col := range []string{ColPrice1, ColPrice2, ColPrice3} {
		e.Prices[l] = r.money(col)
	}
	r.levelOrder(e)
	if v := r.required(ColCovered); v != "" {
		cov, ok := parseYesNo(v)
		if !ok {
			r.fail(ColCovered, "“%s”应为是或否", v)
		}
		e.Covered = cov
	}
	e.ValidFrom = r.date(ColValidFrom, true)
	e.ValidTo = r.date(ColValidTo, false)
	r.window(e.ValidFrom, e.ValidTo)
	e.PerDay, e.PerStay, e.MinInterval = r.count(ColPerDay), r.count(ColPerStay), r.count(ColMinInterval)
	e.DeviceLimit, e.LifeMonths = r.money(ColDeviceLimit), r.count(ColLifeMonths)
	r.device(e)
	e.Region = r.region(true)
	return e, r.probs
}

// levelOrder: a service is not dearer at a lower level (三级 ≥ 二级 ≥ 一级
// where both are given); drugs and materials have one payment standard.
func (r *sheetRow) levelOrder(e Entry) {
	titles := []string{ColPrice1, ColPrice2, ColPrice3}
	for lo := 0; lo < Levels; lo++ {
		for hi := lo + 1; hi < Levels; hi++ {
			if e.Prices[lo] > 0 && e.Prices[hi] > 0 && e.Prices[lo] > e.Prices[hi] {
				r.fail(titles[lo], "%s高于%s%s，低等级机构的限价不能高于高等级",
					Money(e.Prices[lo]).Yuan(), titles[hi], Money(e.Prices[hi]).Yuan())
				return
			}
		}
	}
}

// device: a device row needs its payable limit and service life (令第27号
// Art. 12: the 核付通知单 names both); other rows may not carry them.
func (r *sheetRow) device(e Entry) {
	if e.Category == Device {
		r.needPositive(ColDeviceLimit, e.DeviceLimit > 0, "最高支付限额")
		r.needPositive(ColLifeMonths, e.LifeMonths > 0, "最低使用年限")
		return
	}
	if e.Category.Valid() && (e.DeviceLimit > 0 || e.LifeMonths > 0) {
		col := ColDeviceLimit
		if e.DeviceLimit == 0 {
			col = ColLifeMonths
		}
		r.fail(col, "只有辅助器具填写最高支付限额和最低使用年限")
	}
}

// needPositive reports a device's empty or zero limit (a malformed cell is
// reported by its reader already).
func (r *sheetRow) needPositive(col string, positive bool, what string) {
	switch v := r.get(col); {
	case v == "":
		r.fail(col, "辅助器具必须填写%s", what)
	case !positive && (v == "0" || strings.Trim(v, "0.") == ""):
		r.fail(col, "辅助器具的%s应大于0", what)
	}
}

// bundle reads the row as a Bundle.
func (r *sheetRow) bundle() (Bundle, []Problem) {
	var b Bundle
	b.Code1 = NormalizeCode(r.get(ColCode1))
	b.Code2 = NormalizeCode(r.get(ColCode2))
	r.code = b.Code1
	for _, c := range []struct{ col, code string }{{ColCode1, b.Code1}, {ColCode2, b.Code2}} {
		switch {
		case c.code == "":
			r.fail(c.col, "不能为空")
		case !anyShape(c.code):
			r.fail(c.col, "“%s”不是医保目录编码", c.code)
		}
	}
	if b.Code1 != "" && b.Code1 == b.Code2 {
		r.fail(ColCode2, "与项目编码相同")
	}
	switch v := r.required(ColIndicator); v {
	case "", "0":
	case "1":
		b.Indicator = 1
	default:
		r.fail(ColIndicator, "“%s”应为0（不得同收）或1（说明理由后可同收）", v)
	}
	b.ValidFrom = r.date(ColValidFrom, true)
	b.ValidTo = r.date(ColValidTo, false)
	r.window(b.ValidFrom, b.ValidTo)
	b.Rationale = r.get(ColRationale)
	b.Region = r.region(false)
	return b, r.probs
}

func anyShape(code string) bool {
	for _, c := range Categories {
		if ValidCode(c, code) {
			return true
		}
	}
	return false
}

func parseCategory(s string) (Category, bool) {
	if c := Category(strings.ToLower(s)); c.Valid() {
		return c, true
	}
	for c, n := range categoryNames {
		if n == s {
			return c, true
		}
	}
	return "", false
}

func parseYesNo(s string) (bool, bool) {
	switch strings.ToUpper(s) {
	case "是", "Y", "YES", "1", "TRUE":
		return true, true
	case "否", "N", "NO", "0", "FALSE":
		return false, true
	}
	return false, false
}

var yuanRe = regexp.MustCompile(`^([0-9]{1,10})(?:\.([0-9]{0,2}))?$`)

// parseYuan reads a non-negative yuan amount with at most two decimals
// (thousands commas allowed) as fen, without going through a float.
func parseYuan(s string) (int64, bool) {
	m := yuanRe.FindStringSubmatch(strings.ReplaceAll(s, ",", ""))
	if m == nil {
		return 0, false
	}
	y, _ := strconv.ParseInt(m[1], 10, 64)
	frac := (m[2] + "00")[:2]
	f, _ := strconv.ParseInt(frac, 10, 64)
	return y*100 + f, true
}

var slashDay = regexp.MustCompile(`^([0-9]{4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})$`)

// excelEpoch is day 0 of Excel's 1900 date system as sheet readers count it
// (serial 1 = 1900-01-01, with Lotus's phantom 1900-02-29 folded in: every
// serial after 60 is days since 1899-12-30).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDay reads YYYY-MM-DD, 2026/7/1 (also with - or .), or an Excel
// serial day number (46204 = 2026-07-01), and gives YYYY-MM-DD. Years
// outside 1990–2099 are refused: they are typing errors in a catalogue.
func parseDay(s string) (string, bool) {
	var t time.Time
	if m := slashDay.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
			return "", false
		}
	} else if n, err := strconv.Atoi(strings.TrimSuffix(s, ".0")); err == nil && n > 60 {
		t = excelEpoch.AddDate(0, 0, n)
	} else {
		return "", false
	}
	if t.Year() < 1990 || t.Year() > 2099 {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// overlaps reports whether windows [f1, t1] and [f2, t2] share a day ("" t
// is open).
func overlaps(f1, t1, f2, t2 string) bool {
	return (t2 == "" || f1 <= t2) && (t1 == "" || f2 <= t1)
}

func entryOverlaps(es []Entry, at []int) []Problem {
	type key struct{ region, code string }
	seen := map[key][]int{}
	var probs []Problem
	for i, e := range es {
		k := key{e.Region, e.Code}
		for _, j := range seen[k] {
			p := es[j]
			if overlaps(p.ValidFrom, p.ValidTo, e.ValidFrom, e.ValidTo) {
				probs = append(probs, Problem{Row: at[i], Column: ColValidFrom, Code: e.Code,
					Message: fmt.Sprintf("%s：与第%d行同一地区、同一编码的有效期重叠（%s）", ColValidFrom, at[j], window(p.ValidFrom, p.ValidTo))})
				break
			}
		}
		seen[k] = append(seen[k], i)
	}
	return probs
}

func bundleOverlaps(bs []Bundle, at []int) []Problem {
	type key struct{ region, a, b string }
	seen := map[key][]int{}
	var probs []Problem
	for i, b := range bs {
		a, c := b.Code1, b.Code2
		if c < a {
			a, c = c, a // a pair is the same pair either way round
		}
		k := key{b.Region, a, c}
		for _, j := range seen[k] {
			p := bs[j]
			if overlaps(p.ValidFrom, p.ValidTo, b.ValidFrom, b.ValidTo) {
				probs = append(probs, Problem{Row: at[i], Column: ColValidFrom, Code: b.Code1,
					Message: fmt.Sprintf("%s：与第%d行的同一对项目有效期重叠（%s）", ColValidFrom, at[j], window(p.ValidFrom, p.ValidTo))})
				break
			}
		}
		seen[k] = append(seen[k], i)
	}
	return probs
}

func window(from, to string) string {
	if to == "" {
		return from + "起长期有效"
	}
	return from + "至" + to
}
