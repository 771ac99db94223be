package store

import (
	"context"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
)

// TickResult is what one payroll tick did.
type TickResult struct {
	Opened   []string // regions whose cycle of the month it opened
	Resumed  []int64  // cycles whose job it enqueued again
	Reminded []int64  // cycles it escalated (not approved on the reminder day)
}

// PayrollTick is the payroll's clockwork, run by a periodic job: from the
// 1st it opens the month's cycle of every region with an active
// entitlement (the snapshot job starts with it); it enqueues again the job
// of any cycle left half-way (a crash, a stopped worker) for more than
// stale; from the reminder day (the 15th) it escalates, once, every cycle
// of the month not yet approved. Each part is idempotent: opening returns
// an open cycle, a duplicate step job finds nothing to do, a reminder is
// recorded once.
func (s *Store) PayrollTick(ctx context.Context, set *param.Set, stale time.Duration) (TickResult, error) {
	var res TickResult
	month := payroll.MonthOf(s.today())
	regions, err := s.payrollRegions(ctx, month)
	if err != nil {
		return res, err
	}
	for _, r := range regions {
		c, err := s.OpenCycle(ctx, access.System, set, r, month.String())
		if err != nil {
			return res, fmt.Errorf("store: open %s %s: %w", r, month, err)
		}
		if c.OpenedBy == 0 && c.State == payroll.Opening && s.now().Sub(c.OpenedAt) < time.Minute {
			res.Opened = append(res.Opened, r)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM payroll_cycles WHERE state IN ('opening', 'checking') AND updated_at < $1 ORDER BY id`,
		s.now().Add(-stale).UTC())
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return res, err
		}
		res.Resumed = append(res.Resumed, id)
	}
	rows.Close()
	for _, id := range res.Resumed {
		if err := s.write(ctx, access.System, func(t *tx) error { return t.enqueue(ctx, PayrollStep{CycleID: id}) }); err != nil {
			return res, err
		}
	}
	today := s.today().Format(time.DateOnly)
	err = s.write(ctx, access.System, func(t *tx) error {
		rows, err := t.QueryContext(ctx, `SELECT id, region_code, month FROM payroll_cycles WHERE state IN ('opening', 'checking', 'review', 'submitted')
			AND remind_date <= $1 AND reminded_at IS NULL ORDER BY id`, today)
		if err != nil {
			return err
		}
		type due struct {
			id            int64
			region, month string
		}
		var ds []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.region, &d.month); err != nil {
				rows.Close()
				return err
			}
			ds = append(ds, d)
		}
		rows.Close()
		for _, d := range ds {
			if _, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET reminded_at = $1 WHERE id = $2`, t.now, d.id); err != nil {
				return err
			}
			if err := t.audit(ctx, "payroll.remind", "payroll_cycle", d.id, d.region, nil,
				map[string]any{"month": d.month, "message": "发放周期已到催办日仍未审批，请于20日前完成审批和报盘"}); err != nil {
				return err
			}
			res.Reminded = append(res.Reminded, d.id)
		}
		return rows.Err()
	})
	return res, err
}

// payrollRegions lists the regions with an active entitlement that have
// no cycle for month yet, and no later one.
func (s *Store) payrollRegions(ctx context.Context, month payroll.Month) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT e.region_code FROM entitlements e WHERE e.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM payroll_cycles c WHERE c.region_code = e.region_code AND c.month >= $1) ORDER BY e.region_code`, month.String())
	if err != nil {
		return nil, fmt.Errorf("store: payroll regions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
