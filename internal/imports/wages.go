package imports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// wageRow checks one month's wage of a registered worker: the worker and
// the employer must be in the user's scope, and the worker must have been
// employed there. A month already recorded is corrected.
func (p *plan) wageRow(ctx context.Context, line int, row []string) (bool, error) {
	var fs errs.Fields
	id := registry.NormalizeIDNumber(p.cell(row, 0))
	code := strings.ToUpper(p.cell(row, 1))
	wk, err := p.worker(ctx, id)
	if err != nil {
		return false, err
	}
	if wk.ID == 0 {
		fs.Add("id_number", "worker_unknown", "本地区没有身份证号码为%s的职工，请先登记", maskOrRaw(id))
	}
	emp, err := p.employer(ctx, code)
	if err != nil {
		return false, err
	}
	if emp.ID == 0 {
		fs.Add("employer_code", "employer_unknown", "本地区没有统一社会信用代码为“%s”的用人单位", code)
	}
	amount, err := param.ParseMoney(strings.TrimSuffix(p.cell(row, 3), "元"))
	if err != nil {
		fs.Add("amount", "amount_format", "缴费工资“%s”无效（元，最多两位小数）", p.cell(row, 3))
	}
	w := registry.Wage{WorkerID: wk.ID, EmployerID: emp.ID, Period: normalizePeriod(p.cell(row, 2)), AmountFen: amount}
	var vf errs.Fields
	vf.Merge(w.Validate(p.today))
	for _, f := range vf {
		if f.Field != "amount" || !fs.Has("amount") { // one message per bad amount
			fs = append(fs, f)
		}
	}
	if !p.report(line, fs.Err()) {
		return false, nil
	}
	p.bulk.Wages = append(p.bulk.Wages, store.BulkWage{WorkerID: wk.ID, EmployerID: emp.ID, Region: wk.RegionCode, Period: w.Period, AmountFen: amount})
	return true, nil
}

// worker finds a registered worker by ID number in scope, caching answers;
// a worker not found has ID 0.
func (p *plan) worker(ctx context.Context, id string) (registry.Worker, error) {
	if p.workers == nil {
		p.workers = map[string]registry.Worker{}
	}
	if w, ok := p.workers[id]; ok {
		return w, nil
	}
	w, err := p.s.FindWorkerByIDNumber(ctx, p.actor.Scope(), id)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Forbidden) {
		w, err = registry.Worker{}, nil
	}
	if err != nil {
		return w, err
	}
	p.workers[id] = w
	return w, nil
}

func maskOrRaw(id string) string {
	if len(id) == 18 {
		return id[:6] + "********" + id[14:]
	}
	return "“" + id + "”"
}

// normalizePeriod accepts 2025-01, 2025/1, 2025.1 and 202501.
func normalizePeriod(v string) string {
	for _, layout := range []string{"2006-01", "2006/1", "2006.1", "200601", "2006-1"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Format("2006-01")
		}
	}
	return v
}

// checkWages reports months repeated within the file and wages whose
// employer never employed the worker, and drops those rows.
func (p *plan) checkWages(ctx context.Context) error {
	pairs := make([][2]int64, len(p.bulk.Wages))
	for i, w := range p.bulk.Wages {
		pairs[i] = [2]int64{w.WorkerID, w.EmployerID}
	}
	employed, err := p.s.Employed(ctx, pairs)
	if err != nil {
		return err
	}
	seen := map[string]int{}
	keep := make([]bool, len(p.bulk.Wages))
	for i, w := range p.bulk.Wages {
		key := fmt.Sprintf("%d|%d|%s", w.WorkerID, w.EmployerID, w.Period)
		switch {
		case seen[key] > 0:
			p.problem(p.lines[i], "缴费月份", "duplicate_in_file", "与第%d行是同一职工、同一单位、同一月份", seen[key])
		case !employed[pairs[i]]:
			p.problem(p.lines[i], "用人单位统一社会信用代码", "not_employed", "该职工与此用人单位没有劳动关系，不能登记其缴费工资")
		default:
			keep[i] = true
			seen[key] = p.lines[i]
		}
	}
	var wages []store.BulkWage
	var lines []int
	for i, ok := range keep {
		if ok {
			wages, lines = append(wages, p.bulk.Wages[i]), append(lines, p.lines[i])
		}
	}
	p.bulk.Wages, p.lines = wages, lines
	return nil
}
