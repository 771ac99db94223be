// Package imports turns an uploaded sheet of employers or workers into
// registry records: every row is checked, every problem is reported with its
// row, column and a Chinese reason, and either all rows are written in one
// transaction or none — unless the user asked to import the good rows.
package imports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
)

// Kinds of import.
const (
	Employers = "employers"
	Workers   = "workers"
	Wages     = "wages" // monthly contribution wages of registered workers
)

// column is one expected header: its Chinese title and the domain field
// whose validation errors belong to it.
type column struct {
	title, field string
	required     bool
	note         string // how to fill it, for the template's notes sheet
	example      string // the template's example row
}

var columns = map[string][]column{
	Employers: {
		{"统一社会信用代码", "credit_code", true, "18位，按营业执照填写；字母大写，不能有空格", "91370811MA3C4Q0X1K"},
		{"单位名称", "name", true, "与营业执照上的名称一致", "济宁市任城区示例机械有限公司"},
		{"行政区划代码", "region_code", true, "6位区县代码，如任城区370811、曲阜市370881；只能填写本人有权办理的地区", "370811"},
		{"行业代码", "industry", true, "《国民经济行业分类》（GB/T 4754）大类的2位代码，如34（通用设备制造业）", "34"},
		{"行业风险类别", "risk_class", true, "1–8的整数，一般与行业对应的类别一致（人社部发〔2015〕71号）", "4"},
		{"浮动费率档次", "rate_tier_pct", true, "基准费率的百分比：一类行业100、120、150；二至八类50、80、100、120、150", "100"},
		{"联系人", "contact_name", false, "可空", "王磊"},
		{"联系电话", "contact_phone", false, "可空；手机11位或带区号的固定电话", "13953712345"},
		{"地址", "address", false, "可空", "济宁市任城区示例路1号"},
	},
	Workers: {
		{"身份证号码", "id_number", true, "18位居民身份证号码；请先把此列设为“文本”，否则Excel会把号码改成科学计数法并丢失末几位", "370811199003071234"},
		{"姓名", "name", true, "与身份证一致", "张三"},
		{"手机号码", "phone", false, "可空；11位手机号码", "13953712345"},
		{"开户银行", "bank_name", false, "可空；待遇发放用", "中国工商银行济宁分行"},
		{"银行账号", "bank_account", false, "可空；请设为文本，避免末几位丢失", "6222021608001234567"},
		{"用人单位统一社会信用代码", "employer_code", true, "已登记的本地区用人单位", "91370811MA3C4Q0X1K"},
		{"入职日期", "start", true, "如2024-03-01，也可写2024/3/1或20240301；不能晚于今天", "2024-03-01"},
	},
	Wages: {
		{"身份证号码", "id_number", true, "已登记的职工；请把此列设为“文本”", "370811199003071234"},
		{"用人单位统一社会信用代码", "employer_code", true, "该职工有劳动关系的用人单位", "91370811MA3C4Q0X1K"},
		{"缴费月份", "period", true, "如2025-03（也可写2025/3或202503）；同一职工同一单位同一月份重复导入即更正", "2025-03"},
		{"缴费工资", "amount", true, "元，最多两位小数，不写千分位", "6500.00"},
	},
}

// Header returns the template header row for kind.
func Header(kind string) []string {
	var h []string
	for _, c := range columns[kind] {
		h = append(h, c.title)
	}
	return h
}

// Run reads, checks and (when allowed) imports a file. The returned Result
// is also saved with the import's record; err is only for failures of the
// system, never for bad rows.
func Run(ctx context.Context, s *store.Store, actor access.Principal, kind, filename string, data []byte, goodOnly bool) (store.ImportRecord, error) {
	return RunWithProgress(ctx, s, actor, kind, filename, data, goodOnly, nil)
}

// Phases of an import, as Progress reports them.
const (
	PhaseReading  = "reading"  // reading the file
	PhaseChecking = "checking" // checking the rows: Done of Total
	PhaseSaving   = "saving"   // writing the good rows in one transaction
	PhaseDone     = "done"
)

// Progress is how far an import is.
type Progress struct {
	Phase       string
	Done, Total int // data rows checked and in the file (blank rows included)
}

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 500

// RunWithProgress is Run reporting its progress to report (may be nil):
// the phase, and while checking, every progressEvery rows.
func RunWithProgress(ctx context.Context, s *store.Store, actor access.Principal, kind, filename string, data []byte, goodOnly bool, report func(Progress)) (store.ImportRecord, error) {
	if report == nil {
		report = func(Progress) {}
	}
	if _, ok := columns[kind]; !ok {
		return store.ImportRecord{}, errs.Field("kind", "import_kind", "导入内容“%s”无效，应为employers、workers或wages", kind)
	}
	report(Progress{Phase: PhaseReading})
	rows, err := sheet.Read(ctx, filename, data)
	if err != nil {
		return store.ImportRecord{}, err
	}
	sum := sha256.Sum256(data)
	res := store.ImportRecord{Kind: kind, Filename: filename, SHA256: hex.EncodeToString(sum[:])}
	p := &plan{s: s, actor: actor, kind: kind, today: s.Now(), res: &res, bulk: &store.Bulk{}, progress: report}
	if err := p.check(ctx, rows); err != nil {
		return res, err
	}
	decide(&res, goodOnly)
	if res.Imported == 0 {
		p.bulk = nil
	}
	total := max(len(rows)-1, 0)
	report(Progress{Phase: PhaseSaving, Done: total, Total: total})
	if err := s.SaveImport(ctx, actor, &res, p.bulk); err != nil {
		return res, err
	}
	report(Progress{Phase: PhaseDone, Done: total, Total: total})
	return res, nil
}

// plan accumulates the good rows into a bulk batch.
type plan struct {
	s        *store.Store
	actor    access.Principal
	kind     string
	today    time.Time
	res      *store.ImportRecord
	bulk     *store.Bulk
	cols     []int // position of each expected column in the file, -1 if absent
	lines    []int // file row number of each good record
	known    map[string]registry.Employer
	workers  map[string]registry.Worker
	progress func(Progress)
}

func (p *plan) problem(row int, col, code, format string, args ...any) {
	p.res.Problems = append(p.res.Problems, store.ImportProblem{Row: row, Column: col, Code: code, Reason: fmt.Sprintf(format, args...)})
}

func (p *plan) check(ctx context.Context, rows [][]string) error {
	if len(rows) == 0 {
		p.problem(1, "", "file_empty", "文件为空")
		return nil
	}
	if !p.mapHeader(rows[0]) {
		return nil
	}
	body := rows[1:]
	for i, row := range body {
		if i%progressEvery == 0 {
			p.progress(Progress{Phase: PhaseChecking, Done: i, Total: len(body)})
		}
		if sheet.Blank(row) || (i == 0 && p.isExample(row)) {
			continue
		}
		p.res.Total++
		line := i + 2
		ok, err := p.row(ctx, line, row)
		if err != nil {
			return err
		}
		if ok {
			p.lines = append(p.lines, line)
		}
	}
	check := p.checkExisting
	if p.kind == Wages {
		check = p.checkWages
	}
	if err := check(ctx); err != nil {
		return err
	}
	p.res.Bad = countRows(p.res.Problems)
	p.res.Good = p.res.Total - p.res.Bad
	return nil
}

// mapHeader finds each expected column by its title, in any order.
func (p *plan) mapHeader(header []string) bool {
	p.cols = nil
	missing := []string{}
	for _, c := range columns[p.kind] {
		pos := -1
		for j, h := range header {
			if strings.TrimSpace(h) == c.title {
				pos = j
			}
		}
		if pos < 0 && c.required {
			missing = append(missing, c.title)
		}
		p.cols = append(p.cols, pos)
	}
	if len(missing) > 0 {
		p.problem(1, strings.Join(missing, "、"), "header_missing", "表头缺少必需的列：%s（请使用下载的模板）", strings.Join(missing, "、"))
		return false
	}
	return true
}

// cell returns the value of expected column i in row.
func (p *plan) cell(row []string, i int) string {
	if pos := p.cols[i]; pos >= 0 && pos < len(row) {
		return row[pos]
	}
	return ""
}

func (p *plan) titleOf(field string) string {
	for _, c := range columns[p.kind] {
		if c.field == field {
			return c.title
		}
	}
	return field
}

// report adds every field error of err as a problem of row line.
func (p *plan) report(line int, err error) bool {
	if err == nil {
		return true
	}
	e, ok := err.(*errs.Error)
	if !ok || len(e.Fields) == 0 {
		p.problem(line, "", "row_unprocessable", "本行无法处理，请检查后重试") // never Go error text
		return false
	}
	for _, f := range e.Fields {
		p.problem(line, p.titleOf(f.Field), f.Code, "%s", f.Message)
	}
	return false
}

var numeric = regexp.MustCompile(`^[0-9.]+E\+?[0-9]+$`)

func (p *plan) employerRow(line int, row []string) bool {
	var fs errs.Fields
	e := registry.Employer{CreditCode: p.cell(row, 0), Name: p.cell(row, 1), RegionCode: p.cell(row, 2), Industry: p.cell(row, 3),
		ContactName: p.cell(row, 6), ContactPhone: p.cell(row, 7), Address: p.cell(row, 8)}
	e.RiskClass = intCell(&fs, p.cell(row, 4), "risk_class", "行业风险类别")
	e.RateTierPct = intCell(&fs, strings.TrimSuffix(p.cell(row, 5), "%"), "rate_tier_pct", "浮动费率档次")
	e.Normalize()
	if err := e.Validate(); err != nil {
		fs.Merge(err)
	}
	if e.RegionCode != "" && !fs.Has("region_code") {
		if knownRegions[e.RegionCode] == "" {
			fs.Add("region_code", "region_unknown", "行政区划代码“%s”不存在", e.RegionCode)
		} else if !p.actor.Scope().Covers(e.RegionCode) {
			fs.Add("region_code", "region_forbidden", "无权在其他地区（%s）登记", knownRegions[e.RegionCode])
		}
	}
	if !p.report(line, fs.Err()) {
		return false
	}
	p.bulk.Employers = append(p.bulk.Employers, e)
	return true
}

func intCell(fs *errs.Fields, v, field, label string) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		fs.Add(field, "int_format", "%s应为整数，当前为“%s”", label, v)
	}
	return n
}

// row checks one data row of the file and adds it to the batch if good.
func (p *plan) row(ctx context.Context, line int, row []string) (bool, error) {
	switch p.kind {
	case Employers:
		return p.employerRow(line, row), nil
	case Wages:
		return p.wageRow(ctx, line, row)
	}
	return p.workerRow(ctx, line, row)
}

func (p *plan) workerRow(ctx context.Context, line int, row []string) (bool, error) {
	var fs errs.Fields
	w := registry.Worker{IDNumber: p.cell(row, 0), Name: p.cell(row, 1), Phone: p.cell(row, 2), BankName: p.cell(row, 3), BankAccount: p.cell(row, 4)}
	if numeric.MatchString(w.IDNumber) {
		fs.Add("id_number", "id_numeric", "身份证号码被Excel存成了数字（%s），后几位已丢失；请把该列设为文本后重新录入", w.IDNumber)
	}
	code := strings.ToUpper(p.cell(row, 5))
	start := normalizeDate(p.cell(row, 6))
	emp, err := p.employer(ctx, code)
	if err != nil {
		return false, err
	}
	if emp.ID == 0 {
		fs.Add("employer_code", "employer_unknown", "本地区没有统一社会信用代码为“%s”的用人单位", code)
		w.RegionCode = p.actor.RegionCode
	} else {
		w.RegionCode = emp.RegionCode
	}
	w.Normalize()
	if !fs.Has("id_number") {
		fs.Merge(w.Validate(p.today))
	}
	e := registry.Employment{EmployerID: max(emp.ID, 1), Start: start}
	fs.Merge(e.Validate(p.today))
	if !p.report(line, fs.Err()) {
		return false, nil
	}
	i := len(p.bulk.Workers)
	p.bulk.Workers = append(p.bulk.Workers, w)
	p.bulk.Employments = append(p.bulk.Employments, store.BulkEmployment{Worker: i, EmployerID: emp.ID, Start: start})
	return true, nil
}

// employer resolves a credit code in the actor's scope, caching answers.
func (p *plan) employer(ctx context.Context, code string) (registry.Employer, error) {
	if p.known == nil {
		p.known = map[string]registry.Employer{}
	}
	if e, ok := p.known[code]; ok {
		return e, nil
	}
	e, err := p.s.FindEmployerByCreditCode(ctx, p.actor.Scope(), code)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		e, err = registry.Employer{}, nil
	}
	if err != nil {
		return e, err
	}
	p.known[code] = e
	return e, nil
}

// normalizeDate accepts 2020-07-01, 2020/7/1, 2020.7.1 and 20200701.
func normalizeDate(v string) string {
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006.1.2", "20060102", "2006-1-2"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01-02")
		}
	}
	return v
}

// checkExisting reports keys repeated within the file or registered
// already, and drops those rows from the batch.
func (p *plan) checkExisting(ctx context.Context) error {
	keys, title := p.keys()
	existing, err := p.s.ExistingKeys(ctx, p.kind == Employers, keys)
	if err != nil {
		return err
	}
	seen := map[string]int{}
	keep := make([]bool, len(keys))
	for i, k := range keys {
		switch {
		case seen[k] > 0:
			p.problem(p.lines[i], title, "duplicate_in_file", "与第%d行重复", seen[k])
		case existing[k]:
			p.problem(p.lines[i], title, "already_registered", "已经登记过，不能重复登记")
		default:
			keep[i] = true
			seen[k] = p.lines[i]
		}
	}
	p.filter(keep)
	return nil
}

func (p *plan) keys() ([]string, string) {
	var keys []string
	if p.kind == Employers {
		for _, e := range p.bulk.Employers {
			keys = append(keys, e.CreditCode)
		}
		return keys, "统一社会信用代码"
	}
	for _, w := range p.bulk.Workers {
		keys = append(keys, w.IDNumber)
	}
	return keys, "身份证号码"
}

// filter keeps the records whose keep flag is set.
func (p *plan) filter(keep []bool) {
	b := &store.Bulk{}
	var lines []int
	for i, ok := range keep {
		if !ok {
			continue
		}
		lines = append(lines, p.lines[i])
		if p.kind == Employers {
			b.Employers = append(b.Employers, p.bulk.Employers[i])
			continue
		}
		e := p.bulk.Employments[i]
		e.Worker = len(b.Workers)
		b.Workers = append(b.Workers, p.bulk.Workers[i])
		b.Employments = append(b.Employments, e)
	}
	p.bulk, p.lines = b, lines
}

func countRows(ps []store.ImportProblem) int {
	rows := map[int]bool{}
	for _, p := range ps {
		if p.Row > 1 {
			rows[p.Row] = true
		}
	}
	return len(rows)
}

// knownRegions names every embedded region code.
var knownRegions = func() map[string]string {
	rs, _ := registry.Regions()
	m := map[string]string{}
	for _, r := range rs {
		m[r.Code] = r.Name
	}
	return m
}()

// Outcomes of an import.
const (
	OutcomeImported = "imported" // every row was good and imported
	OutcomePartial  = "partial"  // bad rows skipped at the user's request
	OutcomeRejected = "rejected" // bad rows, nothing imported
)

// decide applies the all-or-nothing rule and writes the summary.
func decide(r *store.ImportRecord, goodOnly bool) {
	headerBad := len(r.Problems) > 0 && r.Problems[0].Row == 1
	switch {
	case headerBad || r.Total == 0 || r.Good == 0:
		r.Outcome, r.Imported = OutcomeRejected, 0
	case r.Bad == 0:
		r.Outcome, r.Imported = OutcomeImported, r.Good
	case goodOnly:
		r.Outcome, r.Imported = OutcomePartial, r.Good
	default:
		r.Outcome, r.Imported = OutcomeRejected, 0
	}
	r.Summary = summary(r)
}

func summary(r *store.ImportRecord) string {
	switch {
	case r.Total == 0:
		return "未导入：文件中没有数据行。"
	case r.Outcome == OutcomeImported:
		return fmt.Sprintf("已全部导入：共%d行，全部正确。", r.Total)
	case r.Outcome == OutcomePartial:
		return fmt.Sprintf("已导入正确的%d行；%d行有错误未导入（见下表）。", r.Imported, r.Bad)
	case r.Good == 0:
		return fmt.Sprintf("未导入：共%d行，全部有错误（见下表）。", r.Total)
	}
	return fmt.Sprintf("未导入任何数据：共%d行，其中%d行有错误（见下表）。改正后重新上传，或勾选“仍导入其余正确的行”。", r.Total, r.Bad)
}
