package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
)

// PayrollLine is one payment line of a cycle.
type PayrollLine struct {
	ID            int64             `json:"id"`
	CycleID       int64             `json:"cycle_id"`
	RegionCode    string            `json:"region_code"`
	Month         string            `json:"month"`
	Kind          string            `json:"kind"`
	EntitlementID int64             `json:"entitlement_id"`
	PayableID     int64             `json:"payable_id"`
	WorkerID      int64             `json:"worker_id"`
	Type          string            `json:"type"`
	PayeeName     string            `json:"payee_name"`
	GrossFen      int64             `json:"gross_fen"`
	DeductionFen  int64             `json:"deduction_fen"`
	State         payroll.LineState `json:"state"`
	Reason        payroll.Reason    `json:"reason"`
	BankCode      string            `json:"bank_code"`
	BankMasked    string            `json:"bank_masked"`
	BatchSeq      int               `json:"batch_seq"`
	ForMonths     string            `json:"for_months"`
	Note          string            `json:"note"`
	ReplacesID    int64             `json:"replaces_id"`
	RepaidBy      int64             `json:"repaid_by"`
	ReturnCode    string            `json:"return_code"`
	ReturnReason  string            `json:"return_reason"`
	UpdatedAt     time.Time         `json:"updated_at"`
	Version       int64             `json:"version"`
	bankEnc       []byte
}

// NetFen is what the payee receives.
func (l PayrollLine) NetFen() int64 { return l.GrossFen - l.DeductionFen }

// Ref is the line's reference in bank files.
func (l PayrollLine) Ref() string { return lineRef(l.ID) }

const payLineCols = `id, cycle_id, region_code, month, kind, COALESCE(entitlement_id, 0), COALESCE(payable_id, 0), worker_id, type, payee_name,
	gross_fen, deduction_fen, state, reason, bank_code, bank_masked, batch_seq, for_months, note, COALESCE(replaces_id, 0), COALESCE(repaid_by, 0),
	return_code, return_reason, updated_at, version, bank_enc`

func scanPayLine(r interface{ Scan(...any) error }) (PayrollLine, error) {
	var l PayrollLine
	err := r.Scan(&l.ID, &l.CycleID, &l.RegionCode, &l.Month, &l.Kind, &l.EntitlementID, &l.PayableID, &l.WorkerID, &l.Type, &l.PayeeName,
		&l.GrossFen, &l.DeductionFen, &l.State, &l.Reason, &l.BankCode, &l.BankMasked, &l.BatchSeq, &l.ForMonths, &l.Note, &l.ReplacesID,
		&l.RepaidBy, &l.ReturnCode, &l.ReturnReason, &l.UpdatedAt, &l.Version, &l.bankEnc)
	return l, err
}

// lineForUpdate locks a line the actor may see, at the version the actor saw.
func (t *tx) lineForUpdate(ctx context.Context, actor access.Principal, id, version int64) (PayrollLine, error) {
	l, err := scanPayLine(t.QueryRowContext(ctx, `SELECT `+payLineCols+` FROM payroll_lines WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: l.RegionCode, WorkerID: l.WorkerID}) {
		return PayrollLine{}, errs.E(errs.NotFound, "发放明细不存在")
	}
	if err != nil {
		return PayrollLine{}, err
	}
	if l.Version != version {
		return PayrollLine{}, staleVersion()
	}
	return l, nil
}

// FindLine reads one line the viewer may see.
func (s *Store) FindLine(ctx context.Context, viewer access.Principal, id int64) (PayrollLine, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return PayrollLine{}, err
	}
	l, err := scanPayLine(s.db.QueryRowContext(ctx, `SELECT `+payLineCols+` FROM payroll_lines WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: l.RegionCode, WorkerID: l.WorkerID}) {
		return PayrollLine{}, errs.E(errs.NotFound, "发放明细不存在")
	}
	return l, err
}

// LineFilter narrows a cycle's lines.
type LineFilter struct {
	State  string // a payroll.LineState, or ""
	Reason string
	Kind   string
	Bank   string
	Q      string // payee name prefix, or a line reference L…
	Offset int
	Limit  int
}

// CycleLines lists a cycle's lines with the filter, in id order, and
// counts them.
func (s *Store) CycleLines(ctx context.Context, viewer access.Principal, cycleID int64, f LineFilter) ([]PayrollLine, int64, error) {
	if _, err := s.FindCycle(ctx, viewer, cycleID); err != nil {
		return nil, 0, err
	}
	where, args := lineWhere(cycleID, f)
	var total int64
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM payroll_lines WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count lines: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, `SELECT `+payLineCols+` FROM payroll_lines WHERE `+where+` ORDER BY id LIMIT $`+strconv.Itoa(len(args)-1)+
		` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: lines: %w", err)
	}
	defer rows.Close()
	var out []PayrollLine
	for rows.Next() {
		l, err := scanPayLine(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, l)
	}
	return out, total, rows.Err()
}

// EachCycleLine streams every line of a cycle matching the filter, in id
// order (the Excel export: a million lines never held in memory).
func (s *Store) EachCycleLine(ctx context.Context, viewer access.Principal, cycleID int64, f LineFilter, fn func(PayrollLine) error) error {
	if _, err := s.FindCycle(ctx, viewer, cycleID); err != nil {
		return err
	}
	where, args := lineWhere(cycleID, f)
	rows, err := s.db.QueryContext(ctx, `SELECT `+payLineCols+` FROM payroll_lines WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("store: lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanPayLine(rows)
		if err != nil {
			return err
		}
		if err := fn(l); err != nil {
			return err
		}
	}
	return rows.Err()
}

func lineWhere(cycleID int64, f LineFilter) (string, []any) {
	conds, args := []string{"cycle_id = $1"}, []any{cycleID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.State != "" {
		add("state = ?", f.State)
	}
	if f.Reason != "" {
		add("reason = ?", f.Reason)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.Bank != "" {
		add("bank_code = ?", f.Bank)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if id, err := strconv.ParseInt(strings.TrimPrefix(strings.ToUpper(q), "L"), 10, 64); err == nil && strings.HasPrefix(strings.ToUpper(q), "L") {
			add("id = ?", id)
		} else {
			add("payee_name >= ?", q)
			add("payee_name < ?", q+"\U0010FFFF")
		}
	}
	return strings.Join(conds, " AND "), args
}

// CycleCount is the number and amount of a cycle's lines in one state.
type CycleCount struct {
	State payroll.LineState `json:"state"`
	Kind  string            `json:"kind"`
	Count int64             `json:"count"`
	Fen   int64             `json:"fen"`
}

// CycleCounts counts a cycle's lines by state and kind (the progress of
// the cycle page).
func (s *Store) CycleCounts(ctx context.Context, viewer access.Principal, cycleID int64) ([]CycleCount, error) {
	if _, err := s.FindCycle(ctx, viewer, cycleID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT state, kind, COUNT(*), SUM(gross_fen - deduction_fen) FROM payroll_lines WHERE cycle_id = $1
		GROUP BY state, kind ORDER BY state, kind`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CycleCount
	for rows.Next() {
		var c CycleCount
		if err := rows.Scan(&c.State, &c.Kind, &c.Count, &c.Fen); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReasonCount is how many lines of a cycle a reason code holds.
type ReasonCount struct {
	Reason payroll.Reason `json:"reason"`
	Count  int64          `json:"count"`
	Fen    int64          `json:"fen"`
}

// CycleReasons counts the lines the checks did not pay, by reason.
func (s *Store) CycleReasons(ctx context.Context, viewer access.Principal, cycleID int64) ([]ReasonCount, error) {
	if _, err := s.FindCycle(ctx, viewer, cycleID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT reason, COUNT(*), SUM(gross_fen) FROM payroll_lines WHERE cycle_id = $1 AND reason <> ''
		GROUP BY reason ORDER BY reason`, cycleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReasonCount
	for rows.Next() {
		var c ReasonCount
		if err := rows.Scan(&c.Reason, &c.Count, &c.Fen); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HoldLine puts a line of a cycle under review on hold (暂缓发放) with a
// reason; its month is paid back as arrears once released in a later
// cycle. ReleaseLine lets it be checked again.
func (s *Store) HoldLine(ctx context.Context, actor access.Principal, lineID, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errs.Field("reason", "required", "请填写暂缓发放的原因")
	}
	if len([]rune(reason)) > 200 {
		return errs.Field("reason", "length", "原因不能超过200字")
	}
	return s.lineInReview(ctx, actor, lineID, version, func(t *tx, l PayrollLine) error {
		if l.State != payroll.LinePayable {
			return errs.E(errs.Conflict, "只有待发放的明细可以暂缓，该明细为“%s”", l.State.Name())
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM payroll_deductions WHERE line_id = $1`, l.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = 'suspended', reason = 'HELD', deduction_fen = 0, note = $1, version = version + 1,
			updated_at = $2 WHERE id = $3`, reason, t.now, l.ID); err != nil {
			return err
		}
		if l.EntitlementID != 0 {
			if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE id = $1`, l.EntitlementID); err != nil {
				return err
			}
		}
		return t.audit(ctx, "payroll.hold", "payroll_line", l.ID, l.RegionCode, map[string]any{"state": l.State}, map[string]any{"state": payroll.LineSuspended, "reason": reason})
	})
}

// ReleaseLine sends a held line back to the checks of its cycle (under
// review), which decide it again at once.
func (s *Store) ReleaseLine(ctx context.Context, actor access.Principal, set *param.Set, lineID, version int64) error {
	return s.lineInReview(ctx, actor, lineID, version, func(t *tx, l PayrollLine) error {
		if l.Reason != payroll.ReasonHeld {
			return errs.E(errs.Conflict, "该明细未被暂缓发放")
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = 'pending', reason = '', note = '', version = version + 1, updated_at = $1 WHERE id = $2`,
			t.now, l.ID); err != nil {
			return err
		}
		c, err := scanCycle(t.QueryRowContext(ctx, `SELECT `+cycleCols+` FROM payroll_cycles WHERE id = $1`, l.CycleID))
		if err != nil {
			return err
		}
		m, _ := payroll.ParseMonth("month", c.Month)
		rules, err := PayrollRulesOf(set, c.RegionCode, m.First())
		if err != nil {
			return err
		}
		lines, err := t.pendingLines(ctx, c.ID, 1000)
		if err != nil {
			return err
		}
		if err := t.loadEvents(ctx, lines); err != nil {
			return err
		}
		for i := range lines {
			if lines[i].id == l.ID {
				if err := t.checkLines(ctx, &c, m, rules, lines[i:i+1]); err != nil {
					return err
				}
			}
		}
		if err := t.recount(ctx, c.ID); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.release", "payroll_line", l.ID, l.RegionCode, map[string]any{"state": l.State, "reason": l.Reason}, nil)
	})
}

// lineInReview runs fn on a line locked with its cycle, which must be
// under review by its preparer (before submission).
func (s *Store) lineInReview(ctx context.Context, actor access.Principal, lineID, version int64, fn func(*tx, PayrollLine) error) error {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		var cycleID int64
		if err := t.QueryRowContext(ctx, `SELECT cycle_id FROM payroll_lines WHERE id = $1`, lineID).Scan(&cycleID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.E(errs.NotFound, "发放明细不存在")
			}
			return err
		}
		var state string
		if err := t.QueryRowContext(ctx, `SELECT state FROM payroll_cycles WHERE id = $1`+s.engine.forUpdate(), cycleID).Scan(&state); err != nil {
			return err
		}
		l, err := t.lineForUpdate(ctx, actor, lineID, version)
		if err != nil {
			return err
		}
		if state != string(payroll.Review) {
			return errs.E(errs.Conflict, "发放周期当前为“%s”，只有待提交的周期可以调整明细", payroll.State(state).Name())
		}
		if err := fn(t, l); err != nil {
			return err
		}
		return t.recount(ctx, cycleID)
	})
}

// recount refreshes a cycle's payable count and amount.
func (t *tx) recount(ctx context.Context, cycleID int64) error {
	_, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET
		payable_count = (SELECT COUNT(*) FROM payroll_lines WHERE cycle_id = $1 AND state = 'payable'),
		payable_fen = (SELECT COALESCE(SUM(gross_fen - deduction_fen), 0) FROM payroll_lines WHERE cycle_id = $1 AND state = 'payable'),
		version = version + 1, updated_at = $2 WHERE id = $1`, cycleID, t.now)
	return err
}

// WorkerPayments lists every payroll line of a worker (his own benefits and
// his dependants' pensions), newest month first: the per-beneficiary
// payment history.
func (s *Store) WorkerPayments(ctx context.Context, viewer access.Principal, workerID int64, limit int) ([]PayrollLine, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	if _, err := s.FindWorkerByID(ctx, viewer.Scope(), workerID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 120
	}
	// Regular lines through the worker's entitlements (the regular index),
	// the few others by worker.
	rows, err := s.db.QueryContext(ctx, `SELECT `+payLineCols+` FROM (
		SELECT * FROM payroll_lines WHERE kind = 'regular' AND entitlement_id IN (SELECT id FROM entitlements WHERE worker_id = $1)
		UNION ALL SELECT * FROM payroll_lines WHERE kind <> 'regular' AND worker_id = $1) l ORDER BY month DESC, id DESC LIMIT $2`, workerID, limit)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPayLine)
}
