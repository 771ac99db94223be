package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
)

// The monthly payroll of a region (issue 10): a cycle freezes the month's
// lines from the entitlements (the snapshot), checks them, is prepared by
// one officer and approved by another, pays through bank files and closes
// when every line is paid or explained. The snapshot and the checks run as
// a job (PayrollStep) in chunks, each chunk one transaction that also moves
// the cycle's cursor, so a crash at any point resumes where the last
// commit left it and never writes a line twice (the unique indexes of
// 0019 hold that even against a bug).

// cycleChunk is the number of entitlements (snapshot) or lines (checks)
// one transaction of the job handles.
const cycleChunk = 20000

// PayrollStep advances one cycle: enqueued when a cycle is opened or sent
// back for a recheck, and by the payroll tick for any cycle a crash left
// unfinished.
type PayrollStep struct {
	CycleID int64 `json:"cycle_id"`
}

// Kind implements JobArgs.
func (PayrollStep) Kind() string { return "payroll_step" }

// PayrollCycle is one region's cycle for one month.
type PayrollCycle struct {
	ID             int64         `json:"id"`
	RegionCode     string        `json:"region_code"`
	Month          string        `json:"month"`
	State          payroll.State `json:"state"`
	Cursor         int64         `json:"cursor"`
	DueDate        string        `json:"due_date"`
	RemindDate     string        `json:"remind_date"`
	LineCount      int64         `json:"line_count"`
	PayableCount   int64         `json:"payable_count"`
	PayableFen     int64         `json:"payable_fen"`
	OpenedAt       time.Time     `json:"opened_at"`
	OpenedBy       int64         `json:"opened_by"`
	CheckedAt      *time.Time    `json:"checked_at,omitempty"`
	SubmittedBy    int64         `json:"submitted_by"`
	SubmittedAt    *time.Time    `json:"submitted_at,omitempty"`
	ApprovedBy     int64         `json:"approved_by"`
	ApprovedAt     *time.Time    `json:"approved_at,omitempty"`
	SentAt         *time.Time    `json:"sent_at,omitempty"`
	ClosedAt       *time.Time    `json:"closed_at,omitempty"`
	SendBackReason string        `json:"send_back_reason"`
	RemindedAt     *time.Time    `json:"reminded_at,omitempty"`
	OnTime         *bool         `json:"on_time,omitempty"`
	Version        int64         `json:"version"`
}

const cycleCols = `id, region_code, month, state, cursor, due_date, remind_date, line_count, payable_count, payable_fen,
	opened_at, COALESCE(opened_by, 0), checked_at, COALESCE(submitted_by, 0), submitted_at, COALESCE(approved_by, 0), approved_at,
	sent_at, closed_at, send_back_reason, reminded_at, on_time, version`

func scanCycle(r interface{ Scan(...any) error }) (PayrollCycle, error) {
	var c PayrollCycle
	var checked, submitted, approved, sent, closed, reminded sql.NullTime
	var onTime sql.NullBool
	err := r.Scan(&c.ID, &c.RegionCode, &c.Month, &c.State, &c.Cursor, &c.DueDate, &c.RemindDate, &c.LineCount, &c.PayableCount,
		&c.PayableFen, &c.OpenedAt, &c.OpenedBy, &checked, &c.SubmittedBy, &submitted, &c.ApprovedBy, &approved, &sent, &closed,
		&c.SendBackReason, &reminded, &onTime, &c.Version)
	c.CheckedAt, c.SubmittedAt, c.ApprovedAt, c.SentAt, c.ClosedAt, c.RemindedAt =
		timePtr(checked), timePtr(submitted), timePtr(approved), timePtr(sent), timePtr(closed), timePtr(reminded)
	if onTime.Valid {
		c.OnTime = &onTime.Bool
	}
	return c, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// PayrollRules are the parameters the payroll applies in a region on a day.
type PayrollRules struct {
	Check     payroll.Rules
	Recovery  payroll.RecoveryRules
	PayDay    int
	RemindDay int
}

// PayrollRulesOf reads the payroll's parameters for region on day.
func PayrollRulesOf(set *param.Set, region string, day time.Time) (PayrollRules, error) {
	var r PayrollRules
	num := func(table, key string) (int, error) {
		v, err := set.Lookup(table, key, region, day)
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(v.Value)
	}
	var err error
	if r.Check.CertMonths, err = num("payroll", "cert_months"); err != nil {
		return r, err
	}
	if r.Check.AdultAge, err = num("survivor_age", "minor"); err != nil {
		return r, err
	}
	if r.PayDay, err = num("payroll", "pay_day"); err != nil {
		return r, err
	}
	if r.RemindDay, err = num("payroll", "remind_day"); err != nil {
		return r, err
	}
	share, err := set.Lookup("payroll", "recovery_max_share", region, day)
	if err != nil {
		return r, err
	}
	rat, err := share.Rat()
	if err != nil {
		return r, err
	}
	bp := new(big.Rat).Mul(rat, big.NewRat(10000, 1))
	r.Recovery.MaxShareBP = bp.Num().Int64() / bp.Denom().Int64()
	floor, err := set.Lookup("recovery_floor", "", region, day)
	if err != nil {
		return r, err
	}
	r.Recovery.FloorFen, err = floor.Money()
	return r, err
}

// mayPayroll: staff and the system with perm; nobody else.
func mayPayroll(actor access.Principal, perm access.Permission) error {
	if (actor.Kind == access.KindStaff || actor.Kind == access.KindSystem) && actor.Can(perm) {
		return nil
	}
	return errs.E(errs.Forbidden, "无权办理待遇发放")
}

// OpenCycle opens region's cycle for month, or returns the one already
// open (the tick and an officer may both try): the snapshot job starts
// in the same transaction. Months open in order: not in the future, and
// not before a month that already has a cycle.
func (s *Store) OpenCycle(ctx context.Context, actor access.Principal, set *param.Set, region, month string) (PayrollCycle, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return PayrollCycle{}, err
	}
	m, err := payroll.ParseMonth("month", month)
	if err != nil {
		return PayrollCycle{}, err
	}
	if ok, err := s.regionExists(ctx, s.db, region); err != nil {
		return PayrollCycle{}, err
	} else if !ok {
		return PayrollCycle{}, errs.Field("region_code", "region", "发放地区代码不存在")
	}
	if err := inScope(actor.Scope(), region); err != nil {
		return PayrollCycle{}, err
	}
	if payroll.MonthOf(s.today()).Before(m) {
		return PayrollCycle{}, errs.Field("month", "future", "不能提前开启%s的发放周期", m.Label())
	}
	rules, err := PayrollRulesOf(set, region, m.First())
	if err != nil {
		return PayrollCycle{}, err
	}
	var c PayrollCycle
	err = s.write(ctx, actor, func(t *tx) error {
		c, err = scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE region_code = $1 AND month = $2`, region, m.String()))
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var later string
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(month), '') FROM payroll_cycles WHERE region_code = $1`, region).Scan(&later); err != nil {
			return err
		}
		if later > m.String() {
			return errs.Field("month", "order", "%s已开启%s的发放周期，不能再开启更早的月份；更正请在以后的周期中补发或追回", regionLabel(region), later)
		}
		c = PayrollCycle{RegionCode: region, Month: m.String(), State: payroll.Opening, DueDate: m.Day(rules.PayDay).Format(time.DateOnly),
			RemindDate: m.Day(rules.RemindDay).Format(time.DateOnly), OpenedAt: t.now, OpenedBy: t.actor.UserID, Version: 1}
		err := t.QueryRowContext(ctx, `INSERT INTO payroll_cycles (region_code, month, state, due_date, remind_date, opened_at, opened_by, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $6, 1) ON CONFLICT (region_code, month) DO NOTHING RETURNING id`,
			region, c.Month, string(c.State), c.DueDate, c.RemindDate, t.now, nullID(t.actor.UserID)).Scan(&c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			// Opened meanwhile by another officer or the tick: that one.
			c, err = scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE region_code = $1 AND month = $2`, region, m.String()))
			return err
		}
		if err != nil {
			return err
		}
		if err := t.enqueue(ctx, PayrollStep{CycleID: c.ID}); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.open", "payroll_cycle", c.ID, region, nil, map[string]any{"month": c.Month, "due_date": c.DueDate})
	})
	return c, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// FindCycle reads one cycle the viewer may see.
func (s *Store) FindCycle(ctx context.Context, viewer access.Principal, id int64) (PayrollCycle, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return PayrollCycle{}, err
	}
	c, err := scanCycle(s.db.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: c.RegionCode}) {
		return PayrollCycle{}, errs.E(errs.NotFound, "发放周期不存在")
	}
	return c, err
}

// Cycles lists the cycles in the viewer's scope, newest month first.
func (s *Store) Cycles(ctx context.Context, viewer access.Principal, limit int) ([]PayrollCycle, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	lo, hi := viewer.Scope().Range()
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE region_code >= $1 AND region_code < $2
		ORDER BY month DESC, region_code LIMIT $3`, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("store: cycles: %w", err)
	}
	return collect(rows, scanCycle)
}

// AdvanceCycle runs one chunk of the cycle's job in one transaction and
// reports whether more remain. A cycle past the checks has nothing to do.
func (s *Store) AdvanceCycle(ctx context.Context, set *param.Set, id int64) (more bool, err error) {
	err = s.write(ctx, access.System, func(t *tx) error {
		c, err := scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE id = $1`+s.engine.forUpdate(), id))
		if err != nil {
			return err
		}
		m, _ := payroll.ParseMonth("month", c.Month)
		rules, err := PayrollRulesOf(set, c.RegionCode, m.First())
		if err != nil {
			return err
		}
		switch c.State {
		case payroll.Opening:
			more, err = t.snapshotChunk(ctx, &c, m, rules)
		case payroll.Checking:
			more, err = t.checkChunk(ctx, &c, m, rules)
		}
		return err
	})
	return more, err
}

// RunCycle advances the cycle until its job is done.
func (s *Store) RunCycle(ctx context.Context, set *param.Set, id int64) error {
	for {
		more, err := s.AdvanceCycle(ctx, set, id)
		if err != nil || !more {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// candidate is the SQL test of an entitlement the checks must look at in
// a month; every other entitlement's line is payable as frozen, or
// recorded when the employer pays it. It is the complement of
// payroll.Check's triggers: a watch (an event, a hold, a debt, arrears, a
// suspended month owed), for a fund-paid entitlement an account that
// failed its check or a 资格认证 older than the cutoff (the employer checks
// its own), a dependant past the adult age, an end date passed. Bind $1
// cert cutoff, $2 adult cutoff, $3 the month's first day.
const candidate = `(e.watch OR (e.payer = 'fund' AND (NOT e.bank_valid OR COALESCE(e.certified_on, e.start_date) < $1))
	OR (e.dependant_id IS NOT NULL AND NOT e.payee_incapacitated AND e.payee_birth < $2)
	OR (e.end_date IS NOT NULL AND e.end_date < $3))`

// snapshotChunk freezes the next chunk of the region's entitlements into
// lines; when none remain it adds the one-off items and starts the checks.
// The chunk's insert has no ON CONFLICT: the cycle's row lock and its
// cursor, moved in the same commit, mean no entitlement is inserted twice,
// and were it tried, payroll_lines_regular would refuse it (speculative
// insertion for DO NOTHING measured a large part of PostgreSQL's cost).
func (t *tx) snapshotChunk(ctx context.Context, c *PayrollCycle, m payroll.Month, r PayrollRules) (bool, error) {
	first, last := m.First().Format(time.DateOnly), m.Last().Format(time.DateOnly)
	var hi sql.NullInt64
	if err := t.QueryRowContext(ctx, `SELECT MAX(id) FROM (SELECT id FROM entitlements WHERE region_code = $1 AND status = 'active' AND id > $2
		ORDER BY id LIMIT `+strconv.Itoa(cycleChunk)+`) c`, c.RegionCode, c.Cursor).Scan(&hi); err != nil {
		return false, fmt.Errorf("store: snapshot range: %w", err)
	}
	if hi.Valid {
		res, err := t.ExecContext(ctx, `INSERT INTO payroll_lines (cycle_id, region_code, month, kind, entitlement_id, worker_id, type, payee_name,
			gross_fen, state, reason, bank_code, bank_enc, bank_masked, updated_at)
			SELECT $4, e.region_code, $5, 'regular', e.id, e.worker_id, e.type, e.payee_name,
				CASE WHEN e.amount_from <= $3 THEN e.amount_fen ELSE
					COALESCE((SELECT a.amount_fen FROM entitlement_amounts a WHERE a.entitlement_id = e.id AND a.effective_from <= $3
					ORDER BY a.effective_from DESC, a.id DESC LIMIT 1), e.amount_fen) END,
				CASE WHEN `+candidate+` THEN 'pending' WHEN e.payer <> 'fund' THEN 'recorded' ELSE 'payable' END,
				CASE WHEN `+candidate+` OR e.payer = 'fund' THEN '' ELSE 'EMPLOYER_PAID' END, e.bank_code, e.bank_enc, e.bank_masked, $6
			FROM entitlements e
			WHERE e.region_code = $7 AND e.status = 'active' AND e.id > $8 AND e.id <= $9 AND e.start_date <= $10
				AND (e.end_date IS NULL OR e.end_date >= $3)`,
			payroll.CertCutoff(m, r.Check), payroll.AdultCutoff(m, r.Check), first, c.ID, c.Month, t.now, c.RegionCode, c.Cursor, hi.Int64, last)
		if err != nil {
			return false, fmt.Errorf("store: snapshot: %w", err)
		}
		n, _ := res.RowsAffected()
		_, err = t.ExecContext(ctx, `UPDATE payroll_cycles SET cursor = $1, line_count = line_count + $2, updated_at = $3 WHERE id = $4`, hi.Int64, n, t.now, c.ID)
		return true, err
	}
	// One-off items the fund pays: paid by the first cycle of their region
	// whose month is not before the one they became payable in, to the
	// worker's account.
	res, err := t.ExecContext(ctx, `INSERT INTO payroll_lines (cycle_id, region_code, month, kind, payable_id, worker_id, type, payee_name,
		gross_fen, state, bank_code, bank_enc, bank_masked, updated_at)
		SELECT $1, p.region_code, $2, 'oneoff', p.id, p.worker_id, p.type, p.payee_name, p.amount_fen, 'pending', '', w.bank_enc, w.bank_masked, $3
		FROM payable_items p JOIN workers w ON w.id = p.worker_id
		WHERE p.region_code = $4 AND p.status = 'payable' AND p.payer = 'fund' AND p.amount_fen > 0 AND p.created_at < $5
		ON CONFLICT DO NOTHING`, c.ID, c.Month, t.now, c.RegionCode, m.Add(1).First())
	if err != nil {
		return false, fmt.Errorf("store: snapshot one-offs: %w", err)
	}
	n, _ := res.RowsAffected()
	// The hospital meal allowances of settled stays, to the worker.
	res, err = t.ExecContext(ctx, `INSERT INTO payroll_lines (cycle_id, region_code, month, kind, meal_id, worker_id, type, payee_name,
		gross_fen, state, bank_code, bank_enc, bank_masked, note, updated_at)
		SELECT $1, m.region_code, $2, 'oneoff', m.id, m.worker_id, 'meal_allowance', w.name, m.amount_fen, 'pending', '', w.bank_enc, w.bank_masked,
			'住院' || CAST(m.days AS TEXT) || '天', $3
		FROM meal_allowances m JOIN workers w ON w.id = m.worker_id
		WHERE m.region_code = $4 AND m.status = 'payable' AND m.amount_fen > 0 AND m.created_at < $5
			AND NOT EXISTS (SELECT 1 FROM payroll_lines x WHERE x.meal_id = m.id AND x.kind = 'oneoff')
		ON CONFLICT DO NOTHING`, c.ID, c.Month, t.now, c.RegionCode, m.Add(1).First())
	if err != nil {
		return false, fmt.Errorf("store: snapshot meal allowances: %w", err)
	}
	meals, _ := res.RowsAffected()
	n += meals
	if _, err := t.ExecContext(ctx, `UPDATE payable_items SET status = 'in_payroll'
		WHERE id IN (SELECT payable_id FROM payroll_lines WHERE cycle_id = $1 AND kind = 'oneoff')`, c.ID); err != nil {
		return false, err
	}
	if err := t.oneOffBanks(ctx, c.ID); err != nil {
		return false, err
	}
	if _, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET state = 'checking', cursor = 0, line_count = line_count + $1, updated_at = $2,
		version = version + 1 WHERE id = $3`, n, t.now, c.ID); err != nil {
		return false, err
	}
	return true, t.audit(ctx, "payroll.snapshot", "payroll_cycle", c.ID, c.RegionCode, nil, map[string]any{"month": c.Month, "lines": c.LineCount + n})
}

// oneOffBanks fills the bank code of the cycle's one-off lines from the
// worker's bank name (the code is not a column of workers).
func (t *tx) oneOffBanks(ctx context.Context, cycleID int64) error {
	rows, err := t.QueryContext(ctx, `SELECT l.id, w.bank_name FROM payroll_lines l JOIN workers w ON w.id = l.worker_id
		WHERE l.cycle_id = $1 AND l.kind = 'oneoff' AND l.bank_code = ''`, cycleID)
	if err != nil {
		return err
	}
	type pair struct {
		id   int64
		code string
	}
	var ps []pair
	for rows.Next() {
		var p pair
		var name string
		if err := rows.Scan(&p.id, &name); err != nil {
			rows.Close()
			return err
		}
		p.code = payroll.BankCode(name)
		ps = append(ps, p)
	}
	rows.Close()
	for _, p := range ps {
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET bank_code = $1 WHERE id = $2`, p.code, p.id); err != nil {
			return err
		}
	}
	return rows.Err()
}

// finishChecks counts the checked cycle and hands it to the preparer.
func (t *tx) finishChecks(ctx context.Context, c *PayrollCycle) error {
	var n, payable, fen int64
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'payable' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'payable' THEN gross_fen - deduction_fen ELSE 0 END), 0) FROM payroll_lines WHERE cycle_id = $1`, c.ID).
		Scan(&n, &payable, &fen); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET state = 'review', cursor = 0, line_count = $1, payable_count = $2, payable_fen = $3,
		checked_at = $4, updated_at = $4, version = version + 1 WHERE id = $5`, n, payable, fen, t.now, c.ID); err != nil {
		return err
	}
	return t.audit(ctx, "payroll.checked", "payroll_cycle", c.ID, c.RegionCode, nil,
		map[string]any{"month": c.Month, "lines": n, "payable": payable, "payable_fen": fen})
}

// CycleAction is one person's move of a cycle.
type CycleAction struct {
	Action  payroll.Action
	Version int64
	Reason  string // send back
}

// ActOnCycle submits, approves, sends back, rechecks or closes a cycle.
// The preparer submits; a different officer (or the cycle approver)
// approves or sends back; a version check refuses a move made on a stale
// page, and the row lock makes two moves at once wait for each other.
func (s *Store) ActOnCycle(ctx context.Context, actor access.Principal, id int64, a CycleAction) (PayrollCycle, error) {
	perm := access.PermPayrollPrepare
	if a.Action == payroll.Approve || a.Action == payroll.SendBack {
		perm = access.PermPayrollApprove
	}
	if err := mayPayroll(actor, perm); err != nil {
		return PayrollCycle{}, err
	}
	a.Reason = strings.TrimSpace(a.Reason)
	if a.Action == payroll.SendBack && a.Reason == "" {
		return PayrollCycle{}, errs.Field("reason", "required", "请填写退回原因")
	}
	if len([]rune(a.Reason)) > 500 {
		return PayrollCycle{}, errs.Field("reason", "length", "退回原因不能超过500字")
	}
	var c PayrollCycle
	err := s.write(ctx, actor, func(t *tx) error {
		var err error
		c, err = scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: c.RegionCode}) {
			return errs.E(errs.NotFound, "发放周期不存在")
		}
		if err != nil {
			return err
		}
		if c.Version != a.Version {
			return staleVersion()
		}
		next, err := payroll.Next(c.State, a.Action)
		if err != nil {
			return err
		}
		before := c
		switch a.Action {
		case payroll.Submit:
			if err := t.mayClose(ctx, c.ID, "pending", "还有%d条待核查的发放明细，不能提交"); err != nil {
				return err
			}
			c.SubmittedBy, c.SendBackReason = t.actor.UserID, ""
			_, err = t.ExecContext(ctx, `UPDATE payroll_cycles SET submitted_by = $1, submitted_at = $2, send_back_reason = '' WHERE id = $3`, nullID(t.actor.UserID), t.now, c.ID)
		case payroll.Approve, payroll.SendBack:
			if err := payroll.Approver(c.SubmittedBy, t.actor.UserID); err != nil {
				return err
			}
			if a.Action == payroll.Approve {
				c.ApprovedBy = t.actor.UserID
				_, err = t.ExecContext(ctx, `UPDATE payroll_cycles SET approved_by = $1, approved_at = $2 WHERE id = $3`, nullID(t.actor.UserID), t.now, c.ID)
				if err == nil {
					err = t.stopEntitlements(ctx, &c)
				}
			} else {
				c.SendBackReason = a.Reason
				_, err = t.ExecContext(ctx, `UPDATE payroll_cycles SET send_back_reason = $1, submitted_by = NULL, submitted_at = NULL WHERE id = $2`, a.Reason, c.ID)
			}
		case payroll.Recheck:
			err = t.resetChecks(ctx, c.ID)
			if err == nil {
				err = t.enqueue(ctx, PayrollStep{CycleID: c.ID})
			}
		case payroll.Close:
			err = t.mayClose(ctx, c.ID, "unsettled", "还有%d条发放明细未到账也未说明，不能关闭")
			if err == nil {
				_, err = t.ExecContext(ctx, `UPDATE payroll_cycles SET closed_by = $1, closed_at = $2 WHERE id = $3`, nullID(t.actor.UserID), t.now, c.ID)
			}
		}
		if err != nil {
			return err
		}
		c.State, c.Version = next, c.Version+1
		if _, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET state = $1, version = $2, updated_at = $3 WHERE id = $4`, string(next), c.Version, t.now, c.ID); err != nil {
			return err
		}
		if a.Action == payroll.Approve {
			// A cycle with nothing to pay (every line suspended, say) is
			// paying at once: there is no bank file to wait for.
			if err := t.maybePaying(ctx, c.ID); err != nil {
				return err
			}
			if c, err = scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE id = $1`, c.ID)); err != nil {
				return err
			}
		}
		return t.audit(ctx, "payroll."+string(a.Action), "payroll_cycle", c.ID, c.RegionCode,
			map[string]any{"state": before.State, "version": before.Version}, map[string]any{"state": c.State, "version": c.Version, "reason": a.Reason})
	})
	return c, err
}

// mayClose refuses when lines remain that block the move: pending ones
// (submit) or ones neither paid nor explained (close).
func (t *tx) mayClose(ctx context.Context, cycleID int64, what, msg string) error {
	q := `SELECT COUNT(*) FROM payroll_lines WHERE cycle_id = $1 AND state = 'pending'`
	if what == "unsettled" {
		q = `SELECT COUNT(*) FROM payroll_lines WHERE cycle_id = $1 AND state IN ('pending', 'payable', 'sent', 'failed')`
	}
	var n int64
	if err := t.QueryRowContext(ctx, q, cycleID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return errs.E(errs.Conflict, msg, n)
	}
	return nil
}

// resetChecks undoes the checks of a cycle sent back for a recheck: the
// arrears lines and deductions it made go, and the lines of watched
// entitlements (or not payable) wait for the checks again.
func (t *tx) resetChecks(ctx context.Context, cycleID int64) error {
	for _, q := range []string{
		`UPDATE payroll_lines SET repaid_by = NULL WHERE repaid_by IN (SELECT id FROM payroll_lines WHERE cycle_id = $1 AND kind = 'arrears')`,
		`UPDATE payroll_arrears SET line_id = NULL WHERE line_id IN (SELECT id FROM payroll_lines WHERE cycle_id = $1 AND kind = 'arrears')`,
		`DELETE FROM payroll_deductions WHERE line_id IN (SELECT id FROM payroll_lines WHERE cycle_id = $1)`,
		`DELETE FROM payroll_lines WHERE cycle_id = $1 AND kind = 'arrears'`,
		`UPDATE payroll_lines SET state = 'pending', reason = '', deduction_fen = 0 WHERE cycle_id = $1 AND kind IN ('regular', 'oneoff')
			AND (state <> 'payable' OR deduction_fen <> 0 OR entitlement_id IN (SELECT id FROM entitlements WHERE watch))`,
		`UPDATE payroll_cycles SET cursor = 0 WHERE id = $1`,
	} {
		if _, err := t.ExecContext(ctx, q, cycleID); err != nil {
			return fmt.Errorf("store: recheck: %w", err)
		}
	}
	return nil
}
