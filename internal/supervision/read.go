package supervision

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExtractFiles are the files of a settlement extract, in reading order
// (settlement-extract.md §2). Other files in the folder are ignored.
var ExtractFiles = []string{"institutions.csv", "doctors.csv", "persons.csv", "injuries.csv", "catalog.csv",
	"bundles.csv", "encounters.csv", "lines.csv", "purchases.csv", "attendance.csv"}

// optionalFiles may be absent from an extract: they are read as empty.
var optionalFiles = map[string]bool{"bundles.csv": true, "purchases.csv": true, "attendance.csv": true}

// MaxProblems is how many problems an ExtractError lists; Total counts all.
const MaxProblems = 200

// Problem is one thing wrong in an extract. Row is the row as a spreadsheet
// shows it (the header is row 1, the first data row 2); 0 is the file as a
// whole. Field is the column's header name, "" for the whole row.
type Problem struct {
	File    string `json:"file"`
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Row > 0 {
		fmt.Fprintf(&b, " 第%d行", p.Row)
	}
	if p.Field != "" {
		b.WriteString(" " + p.Field)
	}
	b.WriteString("：" + p.Message)
	return b.String()
}

// ExtractError is a refused extract: every problem found (the first
// MaxProblems listed) and how many there were.
type ExtractError struct {
	Problems []Problem
	Total    int
}

func (e *ExtractError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "结算数据有%d处错误，未导入", e.Total)
	if e.Total > len(e.Problems) {
		fmt.Fprintf(&b, "（仅列出前%d处）", len(e.Problems))
	}
	b.WriteString("：")
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// ReadExtract reads a settlement extract folder (settlement-extract.md):
// the ten CSV files by header name, every field checked. Any problem
// refuses the whole extract with an *ExtractError listing them all.
func ReadExtract(fsys fs.FS) (*Extract, error) {
	r := &reader{fsys: fsys, intern: make(map[string]string, 1<<14)}
	x := &Extract{}
	r.institutions(x)
	r.doctors(x)
	r.persons(x)
	r.injuries(x)
	r.catalog(x)
	r.bundles(x)
	r.encounters(x)
	r.lines(x)
	r.purchases(x)
	r.attendance(x)
	if r.total > 0 {
		return nil, &ExtractError{Problems: r.problems, Total: r.total}
	}
	orderLines(x)
	return x, nil
}

// reader carries what reading one extract collects: the problems, the
// interned strings, and the keys later files refer to.
type reader struct {
	fsys     fs.FS
	problems []Problem
	total    int
	intern   map[string]string

	instRows   map[string]int   // fixmedins_code → row
	personRows map[string]int   // certno → row
	injuryRows map[string]int   // injury_id → row
	encIndex   map[string]int32 // mdtrt_id → index in Extract.Encounters
	encRows    []int            // spreadsheet row of each encounter
	encBad     []bool           // encounters with a line whose amount did not parse: no sum check
}

func (r *reader) add(file string, row int, field, format string, args ...any) {
	r.total++
	if len(r.problems) < MaxProblems {
		r.problems = append(r.problems, Problem{File: file, Row: row, Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

// str interns s: codes, clinicians and departments repeat on millions of
// lines. The copy also frees s from the CSV reader's line buffer.
func (r *reader) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := r.intern[s]; ok {
		return v
	}
	v := strings.Clone(s)
	r.intern[v] = v
	return v
}

// sheet is one CSV file being read: its header, and the current row.
type sheet struct {
	r      *reader
	file   string
	header []string
	index  map[string]int
	rec    []string
	row    int
	size   int64 // bytes, to size the maps of large files
}

// each reads file, calling cols once with the header and row for every
// data row. A missing optional file is read as empty. It reports whether
// the whole file was read.
func (r *reader) each(file string, cols func(*sheet), row func(*sheet)) bool {
	f, err := r.fsys.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		if !optionalFiles[file] {
			r.add(file, 0, "", "缺少必需的文件")
			return false
		}
		return true
	}
	if err != nil {
		r.add(file, 0, "", "无法读取：%v", err)
		return false
	}
	defer f.Close()
	s := &sheet{r: r, file: file}
	if st, err := f.Stat(); err == nil {
		s.size = st.Size()
	}
	br := bufio.NewReaderSize(f, 1<<20)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
		r.add(file, 0, "", "文件带有BOM；请存为不带BOM的UTF-8")
		return false
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	if !s.readHeader(cr) {
		return false
	}
	cols(s)
	return s.readRows(cr, row)
}

func (s *sheet) readHeader(cr *csv.Reader) bool {
	rec, err := cr.Read()
	s.row = 1
	if err == io.EOF {
		s.r.add(s.file, 1, "", "文件为空，缺少表头")
		return false
	}
	if err != nil {
		s.r.add(s.file, 1, "", "CSV格式错误：%v", csvReason(err))
		return false
	}
	s.index = make(map[string]int, len(rec))
	for i, h := range rec {
		if !utf8.ValidString(h) {
			s.r.add(s.file, 1, "", "表头不是有效的UTF-8文本")
			return false
		}
		h = strings.Clone(h)
		s.header = append(s.header, h)
		if _, dup := s.index[h]; dup {
			s.r.add(s.file, 1, h, "表头中该列重复")
			continue
		}
		s.index[h] = i
	}
	return true
}

func (s *sheet) readRows(cr *csv.Reader, row func(*sheet)) bool {
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return true
		}
		s.row++
		if errors.Is(err, csv.ErrFieldCount) {
			s.r.add(s.file, s.row, "", "有%d列，表头为%d列", len(rec), len(s.header))
			continue
		}
		if err != nil {
			// After a quoting error the reader's place in the file is
			// unknown: the rest of the file is not read.
			s.r.add(s.file, s.row, "", "CSV格式错误，其后各行未读：%v", csvReason(err))
			return false
		}
		// The row is still read, so that its key does not show up as a
		// missing reference in the files that follow.
		if bad := invalidUTF8(rec); bad >= 0 {
			s.r.add(s.file, s.row, s.header[bad], "不是有效的UTF-8文本")
		}
		s.rec = rec
		row(s)
	}
}

func invalidUTF8(rec []string) int {
	for i, v := range rec {
		if !utf8.ValidString(v) {
			return i
		}
	}
	return -1
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch pe.Err {
		case csv.ErrQuote:
			return "引号使用不当"
		case csv.ErrBareQuote:
			return "未加引号的字段中出现引号"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// col is the index of a column, -1 when the header lacks it (reported
// once, at row 1, when the column is required).
func (s *sheet) col(name string, required bool) int {
	i, ok := s.index[name]
	if !ok {
		if required {
			s.r.add(s.file, 1, name, "缺少必需的列")
		}
		return -1
	}
	return i
}

func (s *sheet) fail(c int, format string, args ...any) {
	s.r.add(s.file, s.row, s.header[c], format, args...)
}

// raw is the field's text, "" for a missing column.
func (s *sheet) raw(c int) string {
	if c < 0 {
		return ""
	}
	return s.rec[c]
}

// need is the field's text; an empty required field is reported (a
// missing column was already reported at the header).
func (s *sheet) need(c int) (string, bool) {
	v := s.raw(c)
	if v == "" && c >= 0 {
		s.fail(c, "必填")
	}
	return v, v != ""
}

// code is a required string field, interned.
func (s *sheet) code(c int) string {
	v, _ := s.need(c)
	return s.r.str(v)
}

// text is an optional string field, interned.
func (s *sheet) text(c int) string { return s.r.str(s.raw(c)) }

// own is an optional string field copied (not interned: names, ids).
func (s *sheet) own(c int) string { return strings.Clone(s.raw(c)) }

func (s *sheet) day(c int, required bool) Day {
	v := s.raw(c)
	if v == "" {
		if required {
			s.need(c)
		}
		return 0
	}
	d, err := ParseDay(v)
	if err != nil {
		s.fail(c, "%v", err)
	}
	return d
}

func (s *sheet) moment(c int, required bool) Time {
	v := s.raw(c)
	if v == "" {
		if required {
			s.need(c)
		}
		return 0
	}
	t, err := ParseTime(v)
	if err != nil {
		s.fail(c, "%v", err)
	}
	return t
}

// fixed reads an amount (ParseYuan) or a quantity (ParseQty); ok is false
// when the field is present but unreadable.
func (s *sheet) fixed(c int, required bool, parse func(string) (int64, error)) (v int64, ok bool) {
	raw := s.raw(c)
	if raw == "" {
		if required {
			_, ok = s.need(c)
			return 0, ok
		}
		return 0, true
	}
	v, err := parse(raw)
	if err != nil {
		s.fail(c, "%v", err)
		return 0, false
	}
	return v, true
}

func (s *sheet) yuan(c int, required bool) (int64, bool) { return s.fixed(c, required, ParseYuan) }
func (s *sheet) qty(c int, required bool) int64 {
	v, _ := s.fixed(c, required, ParseQty)
	return v
}

// integer reads a whole number ≥ 0.
func (s *sheet) integer(c int, required bool) int {
	v := s.raw(c)
	if v == "" {
		if required {
			s.need(c)
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		s.fail(c, "应为非负整数：%q", v)
	}
	return n
}

// enum reads a field from a closed list.
func (s *sheet) enum(c int, required bool, allowed ...string) string {
	v := s.raw(c)
	if v == "" {
		if required {
			s.need(c)
		}
		return ""
	}
	if !slices.Contains(allowed, v) {
		s.fail(c, "取值%q不在允许范围内（%s）", v, strings.Join(allowed, "、"))
		return ""
	}
	return s.r.str(v)
}

// list reads a ;-separated list; every element must be in allowed when
// allowed is given.
func (s *sheet) list(c int, allowed []string) []string {
	v := s.raw(c)
	if v == "" {
		return nil
	}
	var out []string
	for _, e := range strings.Split(v, ";") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if allowed != nil && !slices.Contains(allowed, e) {
			s.fail(c, "取值%q不在允许范围内（%s）", e, strings.Join(allowed, "、"))
			continue
		}
		out = append(out, s.r.str(e))
	}
	return out
}

// BodyRegions is the closed list of body regions (settlement-extract.md §1).
var BodyRegions = []string{"head", "neck", "thorax", "abdomen", "lumbar_pelvis", "shoulder_upper_arm", "elbow_forearm",
	"wrist_hand", "hip_thigh", "knee_lower_leg", "ankle_foot", "burn_multi", "spine", "eye"}

// EquipmentCodes are the equipment and facility codes of institutions.csv.
var EquipmentCodes = []string{"DR", "CT", "MR15T", "MR3T", "DSA", "LAMINAR", "RECOVERY", "ICU", "BURN", "HBO", "REHAB_ROBOT"}

var itemCategories = []string{CatDrug, CatImaging, CatLab, CatTreatment, CatRehab, CatSurgery, CatAnaesthesia,
	CatMaterial, CatImplant, CatBed, CatNursing, CatConsult, CatMeal}

var relatedValues = append(slices.Clone(BodyRegions), "any", "systemic")

// unique reports a key seen before in the file (first holds the row of
// each key's first appearance).
func (s *sheet) unique(c int, key string, first map[string]int) bool {
	if key == "" {
		return false
	}
	if row, dup := first[key]; dup {
		s.fail(c, "%q重复（第%d行已出现）", key, row)
		return false
	}
	first[key] = s.row
	return true
}

// refer reports a key not among keys (a reference to a missing row).
func (s *sheet) refer(c int, key string, keys map[string]int, file string) {
	if key == "" {
		return
	}
	if _, ok := keys[key]; !ok {
		s.fail(c, "%q在%s中不存在", key, file)
	}
}

func (r *reader) institutions(x *Extract) {
	var code, name, admvs, typ, level, beds, equip int
	r.instRows = map[string]int{}
	r.each("institutions.csv", func(s *sheet) {
		code, name, admvs = s.col("fixmedins_code", true), s.col("fixmedins_name", true), s.col("admvs", true)
		typ, level, beds, equip = s.col("type", true), s.col("level", true), s.col("beds", false), s.col("equipment", false)
	}, func(s *sheet) {
		in := Institution{Code: s.code(code), Region: s.code(admvs), Type: s.enum(typ, true, "medical", "rehab"),
			Beds: s.integer(beds, false), Equipment: s.list(equip, EquipmentCodes)}
		in.Name, _ = s.need(name)
		in.Name = strings.Clone(in.Name)
		if lv := s.enum(level, true, "1", "2", "3"); lv != "" {
			in.Level = int(lv[0] - '0')
		}
		s.unique(code, in.Code, r.instRows)
		x.Institutions = append(x.Institutions, in)
	})
}

func (r *reader) doctors(x *Extract) {
	var code, inst, name, role, from, to int
	seen := map[string]int{}
	r.each("doctors.csv", func(s *sheet) {
		code, inst, name = s.col("dr_codg", true), s.col("fixmedins_code", true), s.col("dr_name", false)
		role, from, to = s.col("role", true), s.col("employed_from", true), s.col("employed_to", false)
	}, func(s *sheet) {
		d := Doctor{Code: s.code(code), Institution: s.code(inst), Name: s.own(name),
			Role: s.enum(role, true, "doctor", "therapist", "nurse"), EmployedFrom: s.day(from, true), EmployedTo: s.day(to, false)}
		s.unique(code, d.Code, seen)
		s.refer(inst, d.Institution, r.instRows, "institutions.csv")
		if d.EmployedTo != 0 && d.EmployedTo < d.EmployedFrom {
			s.fail(to, "早于employed_from")
		}
		x.Doctors = append(x.Doctors, d)
	})
}

func (r *reader) persons(x *Extract) {
	var cert, name, gend, brdy, death, emp, insured int
	r.personRows = map[string]int{}
	r.each("persons.csv", func(s *sheet) {
		cert, name, gend, brdy = s.col("certno", true), s.col("psn_name", false), s.col("gend", true), s.col("brdy", true)
		death, emp, insured = s.col("death_date", false), s.col("emp_uscc", false), s.col("insuplc_admdvs", false)
	}, func(s *sheet) {
		p := Person{CertNo: s.code(cert), Name: s.own(name), Gender: s.enum(gend, true, "1", "2"), Birth: s.day(brdy, true),
			Death: s.day(death, false), Employer: s.text(emp), Insured: s.text(insured)}
		s.unique(cert, p.CertNo, r.personRows)
		x.Persons = append(x.Persons, p)
	})
}

func (r *reader) injuries(x *Extract) {
	var id, cert, emp, date, rcgn, parts, diag, event int
	r.injuryRows = map[string]int{}
	r.each("injuries.csv", func(s *sheet) {
		id, cert, emp, date = s.col("injury_id", true), s.col("certno", true), s.col("emp_uscc", false), s.col("injury_date", true)
		rcgn, parts = s.col("rcgn_date", false), s.col("injured_parts", false)
		diag, event = s.col("diag_code", false), s.col("event_id", false)
	}, func(s *sheet) {
		in := Injury{ID: s.code(id), CertNo: s.code(cert), Employer: s.text(emp), Date: s.day(date, true),
			Recognised: s.day(rcgn, false), Regions: s.list(parts, BodyRegions), Diag: s.text(diag), Event: s.text(event)}
		s.unique(id, in.ID, r.injuryRows)
		x.Injuries = append(x.Injuries, in)
	})
}

func (r *reader) catalog(x *Extract) {
	var c catalogCols
	r.each("catalog.csv", func(s *sheet) { c = newCatalogCols(s) }, func(s *sheet) {
		x.Items = append(x.Items, c.item(s))
	})
}

type catalogCols struct {
	code, name, cat, region, unit, perDay, perStay, interval, covered, family, tier, equip, minutes, related, from, to int
	price                                                                                                              [3]int
}

func newCatalogCols(s *sheet) catalogCols {
	return catalogCols{code: s.col("med_list_codg", true), name: s.col("name", false), cat: s.col("category", true),
		region: s.col("body_region", false), unit: s.col("unit", false), perDay: s.col("per_day_limit", false),
		perStay: s.col("per_stay_limit", false), interval: s.col("min_interval_days", false), covered: s.col("covered", true),
		family: s.col("family", false), tier: s.col("tier", false), equip: s.col("requires_equipment", false),
		minutes: s.col("minutes", false), related: s.col("related_regions", false), from: s.col("valid_from", true),
		to:    s.col("valid_to", false),
		price: [3]int{s.col("pric_lv1", true), s.col("pric_lv2", true), s.col("pric_lv3", true)}}
}

func (c catalogCols) item(s *sheet) Item {
	it := Item{Code: s.code(c.code), Name: s.text(c.name), Category: s.enum(c.cat, true, itemCategories...),
		Region: s.enum(c.region, false, BodyRegions...), Unit: s.text(c.unit), PerDay: s.qty(c.perDay, false),
		PerStay: s.qty(c.perStay, false), MinInterval: s.integer(c.interval, false), Covered: s.enum(c.covered, true, "1", "0") == "1",
		Family: s.text(c.family), Equipment: s.enum(c.equip, false, EquipmentCodes...), Minutes: s.qty(c.minutes, false),
		Related: s.list(c.related, relatedValues), From: s.day(c.from, true), To: s.day(c.to, false)}
	for i, pc := range c.price {
		it.Prices[i], _ = s.yuan(pc, true)
	}
	if t := s.enum(c.tier, false, "1", "2"); t != "" {
		it.Tier = int(t[0] - '0')
	}
	if it.To != 0 && it.To < it.From {
		s.fail(c.to, "早于valid_from")
	}
	return it
}

func (r *reader) bundles(x *Extract) {
	var i1, i2, ind, from, to int
	r.each("bundles.csv", func(s *sheet) {
		i1, i2, ind = s.col("item1", true), s.col("item2", true), s.col("indicator", true)
		from, to = s.col("valid_from", true), s.col("valid_to", false)
	}, func(s *sheet) {
		b := Bundle{Item1: s.code(i1), Item2: s.code(i2), From: s.day(from, true), To: s.day(to, false)}
		if v := s.enum(ind, true, "0", "1"); v == "1" {
			b.Indicator = 1
		}
		x.Bundles = append(x.Bundles, b)
	})
}

type encounterCols struct {
	id, inst, cert, injury, medType, begin, end, main, other, att, setl, setlTime, total, fund int
}

func (r *reader) encounters(x *Extract) {
	var c encounterCols
	r.encIndex = map[string]int32{}
	seen := map[string]int{}
	r.each("encounters.csv", func(s *sheet) {
		c = encounterCols{id: s.col("mdtrt_id", true), inst: s.col("fixmedins_code", true), cert: s.col("certno", true),
			injury: s.col("injury_id", true), medType: s.col("med_type", true), begin: s.col("begntime", true),
			end: s.col("endtime", true), main: s.col("dscg_maindiag_code", false), other: s.col("other_diag_codes", false),
			att: s.col("atddr_no", false), setl: s.col("setl_id", false), setlTime: s.col("setl_time", false),
			total: s.col("medfee_sumamt", true), fund: s.col("fund_pay_sumamt", true)}
	}, func(s *sheet) {
		e, ok := c.encounter(s)
		s.refer(c.inst, e.Institution, r.instRows, "institutions.csv")
		s.refer(c.cert, e.CertNo, r.personRows, "persons.csv")
		s.refer(c.injury, e.Injury, r.injuryRows, "injuries.csv")
		if s.unique(c.id, e.ID, seen) {
			r.encIndex[e.ID] = int32(len(x.Encounters))
		}
		x.Encounters = append(x.Encounters, e)
		r.encRows = append(r.encRows, s.row)
		r.encBad = append(r.encBad, !ok)
	})
}

// encounter reads one row; ok is false when its total did not parse.
func (c encounterCols) encounter(s *sheet) (Encounter, bool) {
	e := Encounter{ID: s.code(c.id), Institution: s.code(c.inst), CertNo: s.code(c.cert), Injury: s.code(c.injury),
		MedType: s.enum(c.medType, true, Outpatient, Inpatient, RehabStay), Begin: s.moment(c.begin, true),
		End: s.moment(c.end, true), MainDiag: s.text(c.main), OtherDiags: s.list(c.other, nil), Attending: s.text(c.att),
		SetlID: s.own(c.setl), SetlTime: s.moment(c.setlTime, false)}
	var ok bool
	e.Total, ok = s.yuan(c.total, true)
	e.FundPaid, _ = s.yuan(c.fund, true)
	if e.End != 0 && e.End < e.Begin {
		s.fail(c.end, "早于begntime")
	}
	return e, ok
}

type lineCols struct {
	enc, sn, at, code, cnt, price, amount, dr, dept, report int
}

func (r *reader) lines(x *Extract) {
	var c lineCols
	var seen map[string]int
	sums := make([]int64, len(x.Encounters))
	whole := r.each("lines.csv", func(s *sheet) {
		c = lineCols{enc: s.col("mdtrt_id", true), sn: s.col("feedetl_sn", true), at: s.col("fee_ocur_time", true),
			code: s.col("med_list_codg", true), cnt: s.col("cnt", true), price: s.col("pric", true),
			amount: s.col("det_item_fee_sumamt", true), dr: s.col("bilg_dr_codg", false), dept: s.col("bilg_dept_codg", false),
			report: s.col("report_no", false)}
		// About 100 bytes a line: size the key map and the slice once.
		n := int(s.size / 100)
		seen = make(map[string]int, n)
		x.Lines = slices.Grow(x.Lines, n)
	}, func(s *sheet) {
		l, ok := r.line(s, c)
		s.unique(c.sn, l.SN, seen)
		if l.Enc >= 0 {
			sums[l.Enc] += l.Amount
			r.encBad[l.Enc] = r.encBad[l.Enc] || !ok
		}
		x.Lines = append(x.Lines, l)
	})
	// A medfee_sumamt other than the sum of its lines is likewise read as
	// given and screened (GS-D11).
	_ = whole
}

// line reads one fee line; ok is false when its amount did not parse.
func (r *reader) line(s *sheet, c lineCols) (Line, bool) {
	sn, _ := s.need(c.sn)
	l := Line{Enc: -1, SN: strings.Clone(sn), Time: s.moment(c.at, true), Code: s.code(c.code), Doctor: s.text(c.dr),
		Dept: s.text(c.dept), Report: s.text(c.report)}
	if id, ok := s.need(c.enc); ok {
		if i, found := r.encIndex[id]; found {
			l.Enc = i
		} else {
			s.fail(c.enc, "%q在encounters.csv中不存在", id)
		}
	}
	cnt, okCnt := s.fixed(c.cnt, true, ParseQty)
	var okPrice, okAmount bool
	l.Cnt = cnt
	l.Price, okPrice = s.yuan(c.price, true)
	l.Amount, okAmount = s.yuan(c.amount, true)
	// An amount that is not cnt × pric is the settlement's own error or
	// an inflated bill: a finding of the screening (GS-D11), not a format
	// error, so it is read as given; only an impossible product is refused.
	if okCnt && okPrice && okAmount {
		if _, exact := lineAmount(l.Cnt, l.Price); !exact {
			s.fail(c.amount, "cnt×pric超出可表示的范围")
		}
	}
	return l, okAmount
}

// lineAmount is round(cnt × price) in fen, half away from zero, computed
// in 128 bits; exact is false when it does not fit in an int64.
func lineAmount(cnt, price int64) (fen int64, exact bool) {
	neg := (cnt < 0) != (price < 0)
	hi, lo := bits.Mul64(uint64(abs64(cnt)), uint64(abs64(price)))
	lo, carry := bits.Add64(lo, QtyScale/2, 0)
	hi += carry
	if hi >= QtyScale {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, QtyScale)
	if q > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(q), true
	}
	return int64(q), true
}

func (r *reader) purchases(x *Extract) {
	var inst, month, code, qty int
	r.each("purchases.csv", func(s *sheet) {
		inst, month, code, qty = s.col("fixmedins_code", true), s.col("month", true), s.col("med_list_codg", true), s.col("qty", true)
	}, func(s *sheet) {
		p := Purchase{Institution: s.code(inst), Month: s.code(month), Code: s.code(code), Qty: s.qty(qty, true)}
		if p.Month != "" {
			if _, err := ParseDay(p.Month + "-01"); err != nil || len(p.Month) != 7 {
				s.fail(month, "月份应为yyyy-MM：%q", p.Month)
			}
		}
		x.Purchases = append(x.Purchases, p)
	})
}

func (r *reader) attendance(x *Extract) {
	var cert, emp, date int
	r.each("attendance.csv", func(s *sheet) {
		cert, emp, date = s.col("certno", true), s.col("emp_uscc", false), s.col("date", true)
	}, func(s *sheet) {
		x.Attendance = append(x.Attendance, Attendance{CertNo: s.code(cert), Employer: s.text(emp), Date: s.day(date, true)})
	})
}

// orderLines fills each encounter's Lines with its line indexes in time
// order (ties in file order), from one backing array.
func orderLines(x *Extract) {
	counts := make([]int32, len(x.Encounters)+1)
	for i := range x.Lines {
		counts[x.Lines[i].Enc+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	all := make([]int32, len(x.Lines))
	next := slices.Clone(counts[:len(x.Encounters)])
	for i := range x.Lines {
		e := x.Lines[i].Enc
		all[next[e]] = int32(i)
		next[e]++
	}
	for i := range x.Encounters {
		ls := all[counts[i]:counts[i+1]:counts[i+1]]
		slices.SortStableFunc(ls, func(a, b int32) int { return cmp.Compare(x.Lines[a].Time, x.Lines[b].Time) })
		x.Encounters[i].Lines = ls
	}
}
