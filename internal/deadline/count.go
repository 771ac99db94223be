package deadline

import (
	"strings"
	"time"

	"gongshang/internal/param"
)

const day = 24 * time.Hour

// AddMonths returns the corresponding day m months after start, or the last
// day of that month when it has no corresponding day (民法典 Art. 202).
func AddMonths(start time.Time, m int) time.Time {
	y, mo, d := start.Date()
	first := time.Date(y, mo+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC)
}

func months(p param.Period) int {
	if p.Unit == param.UnitYears {
		return 12 * p.N
	}
	return p.N
}

// count returns the un-rolled last day of period p starting on start (the
// start day itself not counted), skipping suspended days.
func count(cal *Calendar, n *note, start time.Time, p param.Period, susp []Suspension) (time.Time, error) {
	switch p.Unit {
	case param.UnitMonths, param.UnitYears:
		end := AddMonths(start, months(p))
		if len(susp) == 0 {
			n.add("计算：%s 起 %s，对应日为 %s", param.FormatDate(start), p.Chinese(), describe(end))
			return end, nil
		}
		days := int(end.Sub(start) / day)
		n.add("计算：%s 起 %s 的对应日为 %s，共 %d 日；因中止，按日历日数继续计算", param.FormatDate(start), p.Chinese(), param.FormatDate(end), days)
		n.unconfirmed = true
		n.add("说明：按月、年计算的期间遇中止时换算为日历日数顺延「未确认」")
		return countDays(cal, n, start, days, false, susp)
	case param.UnitWorkdays:
		return countDays(cal, n, start, p.N, true, susp)
	}
	return countDays(cal, n, start, p.N, false, susp)
}

func suspended(d time.Time, susp []Suspension) bool {
	for _, s := range susp {
		if d.After(s.From) && !d.After(s.To) {
			return true
		}
	}
	return false
}

// countDays counts n days (working days only if workdays) after start,
// skipping the days from the day after each suspension's From to its To.
func countDays(cal *Calendar, n *note, start time.Time, total int, workdays bool, susp []Suspension) (time.Time, error) {
	unit := "日"
	if workdays {
		unit = "个工作日"
	}
	counted, d := 0, start
	used := map[int]int{}
	for counted < total {
		d = d.Add(day)
		if d.Year() > param.MaxYear {
			return time.Time{}, fieldErr("start", "起算日期超出可计算的年份范围")
		}
		for i, s := range susp {
			if d.Equal(s.From.Add(day)) {
				used[i] = counted
			}
		}
		if suspended(d, susp) || (workdays && !cal.IsWorkday(d)) {
			continue
		}
		counted++
	}
	for i, s := range susp {
		if k, ok := used[i]; ok {
			n.add("计算：中止%d：截至 %s 已计 %d%s；%s 至 %s 不计入；自 %s 起继续计算剩余 %d%s", i+1,
				param.FormatDate(s.From), k, unit, param.FormatDate(s.From.Add(day)), param.FormatDate(s.To),
				param.FormatDate(s.To.Add(day)), total-k, unit)
		} else {
			n.add("计算：中止%d 开始于期间届满之后，不影响期限", i+1)
		}
	}
	if len(susp) == 0 && !workdays {
		n.add("计算：%s + %d日 = %s", param.FormatDate(start), total, describe(d))
	} else {
		n.add("计算：第%d%s为 %s", total, unit, describe(d))
	}
	return d, nil
}

// roll moves a last day that is a rest day to the next working day
// (民法典 Art. 203; regulation.md §9.2 rule 2).
func roll(cal *Calendar, n *note, end time.Time) (time.Time, error) {
	d := end
	for {
		rest, why := cal.IsRestDay(d)
		if !rest {
			if d.Equal(end) {
				n.add("计算：末日 %s 为%s，无需顺延", param.FormatDate(d), why)
			} else {
				n.add("计算：顺延至其后第一个工作日 %s（民法典第二百零三条）", describe(d))
			}
			return d, nil
		}
		n.add("计算：%s 为%s", param.FormatDate(d), why)
		d = d.Add(day)
		if d.Year() > param.MaxYear {
			return time.Time{}, fieldErr("start", "起算日期超出可计算的年份范围")
		}
	}
}

func due(r *param.Resolver, cal *Calendar, n *note, st Step, req Request) (Result, error) {
	key := st.Key
	if req.Simple {
		if st.SimpleKey == "" {
			return Result{}, fieldErr("simple", "程序步骤「%s」没有简易程序；简易程序只适用于：%s", st.Title, simpleTitles())
		}
		key = st.SimpleKey
	}
	p, err := limit(r, n, "时限", "time_limit", key, req.Start)
	if err != nil {
		return Result{}, err
	}
	end, err := count(cal, n, req.Start, p, req.Suspensions)
	if err != nil {
		return Result{}, err
	}
	if st.Mode == ModeExtended {
		if end, err = extend(r, cal, n, st, req, end); err != nil {
			return Result{}, err
		}
	}
	rolled, err := roll(cal, n, end)
	if err != nil {
		return Result{}, err
	}
	n.add("结果：最迟于 %s 届满", describe(rolled))
	return Result{Due: rolled}, nil
}

func extend(r *param.Resolver, cal *Calendar, n *note, st Step, req Request, end time.Time) (time.Time, error) {
	ext, err := limit(r, n, "延长时限", "time_limit", st.ExtKey, req.Start)
	if err != nil {
		return time.Time{}, err
	}
	v, err := r.Get("extension_base", "", req.Start)
	if err != nil {
		return time.Time{}, fieldErr("params.extension_base", "缺少法定参数「延长期限的起算日」")
	}
	n.param("延长期限的起算日", v, map[string]string{"unrolled": "原期限未顺延的末日", "rolled": "原期限顺延后的末日"}[v.Value])
	base := end
	if v.Value == "rolled" {
		if base, err = roll(cal, n, end); err != nil {
			return time.Time{}, err
		}
	}
	n.add("计算：自 %s 起延长 %s", param.FormatDate(base), ext.Chinese())
	var later []Suspension
	for _, s := range req.Suspensions {
		if s.To.After(base) {
			later = append(later, s)
		}
	}
	return count(cal, n, base, ext, later)
}

func earliest(r *param.Resolver, n *note, st Step, req Request) (Result, error) {
	if len(req.Suspensions) > 0 {
		return Result{}, fieldErr("suspensions", "程序步骤「%s」不适用中止期间", st.Title)
	}
	p, err := limit(r, n, "时限", "time_limit", st.Key, req.Start)
	if err != nil {
		return Result{}, err
	}
	mark := AddMonths(req.Start, months(p))
	if p.Unit == param.UnitDays || p.Unit == param.UnitWorkdays {
		mark = req.Start.AddDate(0, 0, p.N)
	}
	n.add("计算：%s 起满 %s 的对应日为 %s", param.FormatDate(req.Start), p.Chinese(), describe(mark))
	v, err := r.Get("review_earliest_offset", "", req.Start)
	if err != nil {
		return Result{}, fieldErr("params.review_earliest_offset", "缺少法定参数「复查鉴定最早申请日」")
	}
	off, _ := v.Rat()
	if !off.IsInt() || off.Num().Int64() > 366 {
		return Result{}, fieldErr("params.review_earliest_offset", "法定参数「复查鉴定最早申请日」应为0–366的整数日")
	}
	n.param("满期后第N日方可申请", v, off.RatString()+"日")
	d := mark.AddDate(0, 0, int(off.Num().Int64()))
	n.add("说明：这是“不早于”的日期而非期限届满日，不适用节假日顺延")
	n.add("结果：最早可于 %s 申请", describe(d))
	return Result{Due: d}, nil
}

func periodEnd(r *param.Resolver, n *note, st Step, req Request) (Result, error) {
	if len(req.Suspensions) > 0 {
		return Result{}, fieldErr("suspensions", "程序步骤「%s」不适用中止期间", st.Title)
	}
	p, err := limit(r, n, "停工留薪期", "paid_leave_months", st.Key, req.Start)
	if err != nil {
		return Result{}, err
	}
	if st.ExtKey != "" {
		ext, err := limit(r, n, "延长期限", "paid_leave_months", st.ExtKey, req.Start)
		if err != nil {
			return Result{}, err
		}
		p.N += ext.N
	}
	end := AddMonths(req.Start, p.N)
	n.add("计算：%s 起 %d个月，对应日为 %s", param.FormatDate(req.Start), p.N, describe(end))
	n.add("说明：这是待遇期间的最长终点而非办事期限，不适用节假日顺延；实际期间由医疗机构证明和劳动能力鉴定委员会确认")
	n.add("结果：停工留薪期最迟至 %s", describe(end))
	return Result{Due: end}, nil
}

// simpleTitles names the steps that have a simple procedure.
func simpleTitles() string {
	var ts []string
	for _, s := range SimpleSteps() {
		ts = append(ts, s.Title+"（"+s.Name+"）")
	}
	return strings.Join(ts, "、")
}
