package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
)

// Recovery is an overpayment to recover.
type Recovery struct {
	ID            int64     `json:"id"`
	RegionCode    string    `json:"region_code"`
	EntitlementID int64     `json:"entitlement_id"`
	WorkerID      int64     `json:"worker_id"`
	Reason        string    `json:"reason"`
	TotalFen      int64     `json:"total_fen"`
	RecoveredFen  int64     `json:"recovered_fen"`
	Method        string    `json:"method"` // deduct (from later payments of the entitlement), demand (追缴 from the payee)
	State         string    `json:"state"`  // active, settled, waived
	CreatedAt     time.Time `json:"created_at"`
	Version       int64     `json:"version"`
}

const recoveryCols = `id, region_code, COALESCE(entitlement_id, 0), worker_id, reason, total_fen, recovered_fen, method, state, created_at, version`

func scanRecovery(r interface{ Scan(...any) error }) (Recovery, error) {
	var x Recovery
	err := r.Scan(&x.ID, &x.RegionCode, &x.EntitlementID, &x.WorkerID, &x.Reason, &x.TotalFen, &x.RecoveredFen, &x.Method, &x.State, &x.CreatedAt, &x.Version)
	return x, err
}

// createRecovery opens a recovery; a deduction puts its entitlement
// under watch so that every cycle deducts, and the payee is told.
func (t *tx) createRecovery(ctx context.Context, workerID, entitlementID, total int64, method, reason string) (int64, error) {
	var region string
	if err := t.QueryRowContext(ctx, `SELECT region_code FROM workers WHERE id = $1`, workerID).Scan(&region); err != nil {
		return 0, err
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO payroll_recoveries (region_code, entitlement_id, worker_id, reason, total_fen, method, state, created_by,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8) RETURNING id`, region, nullID(entitlementID), workerID, reason, total,
		method, nullID(t.actor.UserID), t.now).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: recovery: %w", err)
	}
	if entitlementID != 0 {
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE id = $1`, entitlementID); err != nil {
			return 0, err
		}
	}
	how := "将从以后发放的待遇中分期扣回"
	if method == "demand" {
		how = "请于收到通知后30日内退回"
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO payroll_notices (region_code, worker_id, entitlement_id, kind, month, text, created_at)
		VALUES ($1, $2, $3, 'recovery', $4, $5, $6)`, region, workerID, nullID(entitlementID), payroll.MonthOf(t.now).String(),
		fmt.Sprintf("多发待遇%s：%s，%s。", yuanText(total), reason, how), t.now); err != nil {
		return 0, err
	}
	return id, t.audit(ctx, "payroll.recovery", "payroll_recovery", id, region, nil,
		map[string]any{"worker_id": workerID, "entitlement_id": entitlementID, "total_fen": total, "method": method, "reason": reason})
}

// NewRecovery is an overpayment an officer records.
type NewRecovery struct {
	WorkerID      int64  `json:"worker_id"`
	EntitlementID int64  `json:"entitlement_id"` // deduct from it; 0: demand from the payee
	TotalFen      int64  `json:"total_fen"`
	Reason        string `json:"reason"`
}

// CreateRecovery records an overpayment to recover by deduction from an
// active entitlement of the same worker, or by demand.
func (s *Store) CreateRecovery(ctx context.Context, actor access.Principal, n NewRecovery) (int64, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return 0, err
	}
	var fs errs.Fields
	if n.TotalFen <= 0 || n.TotalFen > 100_000_000 {
		fs.Add("total_fen", "range", "追回金额应大于0且不超过100万元")
	}
	if r := strings.TrimSpace(n.Reason); r == "" || len([]rune(r)) > 200 {
		fs.Add("reason", "required", "请填写多发原因（不超过200字）")
	}
	if err := fs.Err(); err != nil {
		return 0, err
	}
	if _, err := s.FindWorkerByID(ctx, actor.Scope(), n.WorkerID); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, actor, func(t *tx) error {
		method := "demand"
		if n.EntitlementID != 0 {
			var owner int64
			var status string
			if err := t.QueryRowContext(ctx, `SELECT worker_id, status FROM entitlements WHERE id = $1`, n.EntitlementID).Scan(&owner, &status); err != nil || owner != n.WorkerID {
				return errs.Field("entitlement_id", "entitlement", "扣回的待遇不属于该职工")
			}
			if status != "active" {
				return errs.Field("entitlement_id", "stopped", "该待遇已停发，不能从中扣回，请改为追缴")
			}
			method = "deduct"
		}
		var err error
		id, err = t.createRecovery(ctx, n.WorkerID, n.EntitlementID, n.TotalFen, method, strings.TrimSpace(n.Reason))
		return err
	})
	return id, err
}

// WorkerRecoveries lists a worker's recoveries, newest first.
func (s *Store) WorkerRecoveries(ctx context.Context, viewer access.Principal, workerID int64) ([]Recovery, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	if _, err := s.FindWorkerByID(ctx, viewer.Scope(), workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+recoveryCols+` FROM payroll_recoveries WHERE worker_id = $1 ORDER BY id DESC`, workerID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanRecovery)
}

// SettleDemand records that the payee paid back a demanded recovery.
func (s *Store) SettleDemand(ctx context.Context, actor access.Principal, id, version int64) error {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		x, err := scanRecovery(t.QueryRowContext(ctx, `SELECT `+recoveryCols+` FROM payroll_recoveries WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: x.RegionCode, WorkerID: x.WorkerID}) {
			return errs.E(errs.NotFound, "追回记录不存在")
		}
		if err != nil {
			return err
		}
		if x.Version != version {
			return staleVersion()
		}
		if x.Method != "demand" || x.State != "active" {
			return errs.E(errs.Conflict, "只有正在追缴的记录可以登记退回")
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_recoveries SET state = 'settled', recovered_fen = total_fen, updated_at = $1, version = version + 1 WHERE id = $2`, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.recovery_settled", "payroll_recovery", id, x.RegionCode, map[string]any{"state": x.State}, map[string]any{"state": "settled"})
	})
}

// Adjustment is a batch adjustment (调待) with its figures.
type Adjustment struct {
	ID           int64              `json:"id"`
	RegionCode   string             `json:"region_code"`
	Rule         payroll.Adjustment `json:"rule"`
	State        string             `json:"state"` // prepared, applied, rejected
	Affected     int64              `json:"affected"`
	MonthlyFen   int64              `json:"monthly_fen"` // the increase per month, all entitlements together
	ArrearsFen   int64              `json:"arrears_fen"` // owed for months already in cycles
	PreparedBy   int64              `json:"prepared_by"`
	PreparedAt   time.Time          `json:"prepared_at"`
	ApprovedBy   int64              `json:"approved_by"`
	ApprovedAt   *time.Time         `json:"approved_at,omitempty"`
	RejectReason string             `json:"reject_reason"`
	Version      int64              `json:"version"`
}

const adjustmentCols = `id, region_code, rule, state, affected, monthly_fen, arrears_fen, COALESCE(prepared_by, 0), prepared_at, COALESCE(approved_by, 0),
	approved_at, reject_reason, version`

func scanAdjustment(r interface{ Scan(...any) error }) (Adjustment, error) {
	var a Adjustment
	var rule string
	var approved sql.NullTime
	err := r.Scan(&a.ID, &a.RegionCode, &rule, &a.State, &a.Affected, &a.MonthlyFen, &a.ArrearsFen, &a.PreparedBy, &a.PreparedAt, &a.ApprovedBy,
		&approved, &a.RejectReason, &a.Version)
	if err == nil {
		err = json.Unmarshal([]byte(rule), &a.Rule)
	}
	a.ApprovedAt = timePtr(approved)
	return a, err
}

// AdjustmentRow is one entitlement a preview changes.
type AdjustmentRow struct {
	EntitlementID int64  `json:"entitlement_id"`
	WorkerID      int64  `json:"worker_id"`
	PayeeName     string `json:"payee_name"`
	Level         int    `json:"level"`
	OldFen        int64  `json:"old_fen"`
	NewFen        int64  `json:"new_fen"`
	MonthsPaid    int    `json:"months_paid"` // months at the old amount already in a cycle
	ArrearsFen    int64  `json:"arrears_fen"` // (new - old) × those months
}

// AdjustmentPreview is who changes and by how much.
type AdjustmentPreview struct {
	Affected   int64           `json:"affected"`
	MonthlyFen int64           `json:"monthly_fen"`
	ArrearsFen int64           `json:"arrears_fen"`
	Sample     []AdjustmentRow `json:"sample"` // the first rows, for the page
}

// PreviewAdjustment computes what a rule would do in region without
// changing anything.
func (s *Store) PreviewAdjustment(ctx context.Context, viewer access.Principal, set *param.Set, region string, rule payroll.Adjustment) (AdjustmentPreview, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return AdjustmentPreview{}, err
	}
	if err := s.checkAdjustment(ctx, viewer, region, rule); err != nil {
		return AdjustmentPreview{}, err
	}
	var p AdjustmentPreview
	err := s.eachAdjusted(ctx, s.db, set, region, rule, func(r AdjustmentRow) error {
		p.Affected++
		p.MonthlyFen += r.NewFen - r.OldFen
		p.ArrearsFen += r.ArrearsFen
		if len(p.Sample) < 100 {
			p.Sample = append(p.Sample, r)
		}
		return nil
	})
	return p, err
}

// checkAdjustment validates a rule and refuses an effective month inside
// (or before) a closed cycle of the region.
func (s *Store) checkAdjustment(ctx context.Context, viewer access.Principal, region string, rule payroll.Adjustment) error {
	if err := rule.Validate(); err != nil {
		return err
	}
	if ok, err := s.regionExists(ctx, s.db, region); err != nil {
		return err
	} else if !ok {
		return errs.Field("region_code", "region", "地区代码不存在")
	}
	if err := inScope(viewer.Scope(), region); err != nil {
		return err
	}
	var closed string
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(month), '') FROM payroll_cycles WHERE region_code = $1 AND state = 'closed'`, region).Scan(&closed); err != nil {
		return err
	}
	if closed != "" && rule.Effective <= closed {
		return errs.Field("effective", "closed_cycle", "%s的发放周期已关闭，调整只能从%s以后的月份起执行；此前月份的差额请在以后的周期中补发",
			closed, closed)
	}
	return nil
}

// eachAdjusted walks the entitlements a rule changes, with their old and
// new amounts and the arrears for months already frozen in a cycle.
func (s *Store) eachAdjusted(ctx context.Context, q querier, set *param.Set, region string, rule payroll.Adjustment, fn func(AdjustmentRow) error) error {
	eff := rule.EffectiveDate()
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.worker_id, e.payee_name, e.level, e.care,
		COALESCE((SELECT a.amount_fen FROM entitlement_amounts a WHERE a.entitlement_id = e.id AND a.effective_from <= $1
			ORDER BY a.effective_from DESC, a.id DESC LIMIT 1), e.amount_fen),
		(SELECT COUNT(*) FROM payroll_lines l WHERE l.entitlement_id = e.id AND l.kind = 'regular' AND l.month >= $2
			AND l.state IN ('payable', 'sent', 'paid'))
		FROM entitlements e WHERE e.region_code = $3 AND e.status = 'active' AND e.type = $4 AND ($5 = 0 OR e.level = $5) AND e.payer = 'fund'
		ORDER BY e.id`, eff, rule.Effective, region, rule.Type, rule.Level)
	if err != nil {
		return fmt.Errorf("store: adjusted: %w", err)
	}
	defer rows.Close()
	var saw int64
	if rule.Rerate {
		if saw, err = s.avgWage(set, region, eff); err != nil {
			return err
		}
	}
	for rows.Next() {
		var r AdjustmentRow
		var care string
		if err := rows.Scan(&r.EntitlementID, &r.WorkerID, &r.PayeeName, &r.Level, &care, &r.OldFen, &r.MonthsPaid); err != nil {
			return err
		}
		r.NewFen = r.OldFen + rule.Increase(r.OldFen)
		if rule.Rerate {
			if r.NewFen, err = nursingAmount(set, region, eff, care, saw); err != nil {
				return err
			}
		}
		if r.NewFen == r.OldFen {
			continue
		}
		r.ArrearsFen = payroll.Arrears(r.NewFen-r.OldFen, r.MonthsPaid)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// avgWage is the region's average monthly wage on a day, in fen.
func (s *Store) avgWage(set *param.Set, region, day string) (int64, error) {
	on, _ := time.Parse(time.DateOnly, day)
	v, err := set.Lookup("avg_wage", "", region, on)
	if err != nil {
		return 0, err
	}
	return v.Money()
}

// nursingAmount is 生活护理费 at a care level: the average wage × its
// share (条例 Art. 34), rounded half up to the fen.
func nursingAmount(set *param.Set, region, day, care string, saw int64) (int64, error) {
	on, _ := time.Parse(time.DateOnly, day)
	if care == "" {
		return 0, errs.E(errs.Conflict, "有生活护理费未记录生活自理障碍程度，不能按新的平均工资重新核定")
	}
	v, err := set.Lookup("nursing_rate", care, region, on)
	if err != nil {
		return 0, err
	}
	rate, err := v.Rat()
	if err != nil {
		return 0, err
	}
	x := new(big.Rat).Mul(rate, big.NewRat(saw, 1))
	x.Add(x, big.NewRat(1, 2))
	return new(big.Int).Quo(x.Num(), x.Denom()).Int64(), nil
}

// PrepareAdjustment records a rule with its previewed figures for a
// second officer to approve.
func (s *Store) PrepareAdjustment(ctx context.Context, actor access.Principal, set *param.Set, region string, rule payroll.Adjustment) (Adjustment, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return Adjustment{}, err
	}
	p, err := s.PreviewAdjustment(ctx, actor, set, region, rule)
	if err != nil {
		return Adjustment{}, err
	}
	if p.Affected == 0 {
		return Adjustment{}, errs.E(errs.Conflict, "该调整规则不改变任何待遇")
	}
	js, _ := json.Marshal(rule)
	a := Adjustment{RegionCode: region, Rule: rule, State: "prepared", Affected: p.Affected, MonthlyFen: p.MonthlyFen, ArrearsFen: p.ArrearsFen, Version: 1}
	err = s.write(ctx, actor, func(t *tx) error {
		a.PreparedBy, a.PreparedAt = t.actor.UserID, t.now
		if err := t.QueryRowContext(ctx, `INSERT INTO payroll_adjustments (region_code, rule, state, affected, monthly_fen, arrears_fen, prepared_by, prepared_at,
			updated_at) VALUES ($1, $2, 'prepared', $3, $4, $5, $6, $7, $7) RETURNING id`, region, string(js), p.Affected, p.MonthlyFen, p.ArrearsFen,
			nullID(t.actor.UserID), t.now).Scan(&a.ID); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.adjust_prepare", "payroll_adjustment", a.ID, region, nil, map[string]any{"rule": rule, "affected": p.Affected,
			"monthly_fen": p.MonthlyFen, "arrears_fen": p.ArrearsFen})
	})
	return a, err
}

// Adjustments lists the adjustments in scope, newest first.
func (s *Store) Adjustments(ctx context.Context, viewer access.Principal) ([]Adjustment, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	lo, hi := viewer.Scope().Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+adjustmentCols+` FROM payroll_adjustments WHERE region_code >= $1 AND region_code < $2 ORDER BY id DESC LIMIT 200`, lo, hi)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanAdjustment)
}

// FindAdjustment reads one adjustment in scope.
func (s *Store) FindAdjustment(ctx context.Context, viewer access.Principal, id int64) (Adjustment, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return Adjustment{}, err
	}
	a, err := scanAdjustment(s.db.QueryRowContext(ctx, `SELECT `+adjustmentCols+` FROM payroll_adjustments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: a.RegionCode}) {
		return Adjustment{}, errs.E(errs.NotFound, "调整不存在")
	}
	return a, err
}

// DecideAdjustment approves (and applies) or rejects a prepared adjustment:
// by someone other than its preparer. Applying writes each entitlement's
// new amount from the effective month with the rule as its reason, owes
// the difference for months already frozen in a cycle (arrears, paid by
// the next cycle; a decrease becomes a recovery by deduction) and leaves a
// notice for each payee — all in one transaction.
func (s *Store) DecideAdjustment(ctx context.Context, actor access.Principal, set *param.Set, id, version int64, approve bool, reason string) error {
	if err := mayPayroll(actor, access.PermPayrollApprove); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if !approve && reason == "" {
		return errs.Field("reason", "required", "请填写退回原因")
	}
	return s.write(ctx, actor, func(t *tx) error {
		a, err := scanAdjustment(t.QueryRowContext(ctx, `SELECT `+adjustmentCols+` FROM payroll_adjustments WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: a.RegionCode}) {
			return errs.E(errs.NotFound, "调整不存在")
		}
		if err != nil {
			return err
		}
		if a.Version != version {
			return staleVersion()
		}
		if a.State != "prepared" {
			return errs.E(errs.Conflict, "该调整已处理")
		}
		if err := payroll.Approver(a.PreparedBy, t.actor.UserID); err != nil {
			return err
		}
		if !approve {
			if _, err := t.ExecContext(ctx, `UPDATE payroll_adjustments SET state = 'rejected', reject_reason = $1, approved_by = $2, approved_at = $3,
				updated_at = $3, version = version + 1 WHERE id = $4`, reason, nullID(t.actor.UserID), t.now, id); err != nil {
				return err
			}
			return t.audit(ctx, "payroll.adjust_reject", "payroll_adjustment", id, a.RegionCode, map[string]any{"state": a.State}, map[string]any{"state": "rejected", "reason": reason})
		}
		var closed string
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(month), '') FROM payroll_cycles WHERE region_code = $1 AND state = 'closed'`, a.RegionCode).Scan(&closed); err != nil {
			return err
		}
		if closed != "" && a.Rule.Effective <= closed {
			return errs.Field("effective", "closed_cycle", "%s的发放周期已在准备后关闭，请按新的起始月份重新准备调整", closed)
		}
		var rows []AdjustmentRow
		if err := s.eachAdjusted(ctx, t, set, a.RegionCode, a.Rule, func(r AdjustmentRow) error { rows = append(rows, r); return nil }); err != nil {
			return err
		}
		var monthly, arrears int64
		for _, r := range rows {
			monthly += r.NewFen - r.OldFen
			arrears += r.ArrearsFen
			if err := t.applyAdjustment(ctx, a, r); err != nil {
				return err
			}
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_adjustments SET state = 'applied', affected = $1, monthly_fen = $2, arrears_fen = $3,
			approved_by = $4, approved_at = $5, updated_at = $5, version = version + 1 WHERE id = $6`, len(rows), monthly, arrears, nullID(t.actor.UserID), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.adjust_apply", "payroll_adjustment", id, a.RegionCode, map[string]any{"state": a.State},
			map[string]any{"state": "applied", "affected": len(rows), "monthly_fen": monthly, "arrears_fen": arrears})
	})
}

func (t *tx) applyAdjustment(ctx context.Context, a Adjustment, r AdjustmentRow) error {
	eff := a.Rule.EffectiveDate()
	why := "批量调整"
	if a.Rule.Note != "" {
		why += "（" + a.Rule.Note + "）"
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.EntitlementID, eff, r.NewFen, why, nullID(t.actor.UserID), t.now); err != nil {
		return err
	}
	// amount_fen holds the latest-dated amount and amount_from its first
	// month (the snapshot's fast path).
	if _, err := t.ExecContext(ctx, `UPDATE entitlements SET amount_fen = $1, amount_from = $2, updated_at = $3, version = version + 1
		WHERE id = $4 AND amount_from <= $2`, r.NewFen, eff, t.now, r.EntitlementID); err != nil {
		return err
	}
	text := fmt.Sprintf("您的%s自%s起由每月%s调整为%s", payroll.TypeName(a.Rule.Type), a.Rule.Effective, yuanText(r.OldFen), yuanText(r.NewFen))
	switch {
	case r.ArrearsFen > 0:
		if _, err := t.ExecContext(ctx, `INSERT INTO payroll_arrears (entitlement_id, region_code, amount_fen, for_months, reason, adjustment_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.EntitlementID, a.RegionCode, r.ArrearsFen, fmt.Sprintf("%s起%d个月", a.Rule.Effective, r.MonthsPaid),
			why+"差额", a.ID, t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE id = $1`, r.EntitlementID); err != nil {
			return err
		}
		text += fmt.Sprintf("，已发月份的差额%s随下月待遇补发", yuanText(r.ArrearsFen))
	case r.ArrearsFen < 0:
		if _, err := t.createRecovery(ctx, r.WorkerID, r.EntitlementID, -r.ArrearsFen, "deduct", why+"：已按原标准多发的月份"); err != nil {
			return err
		}
	}
	_, err := t.ExecContext(ctx, `INSERT INTO payroll_notices (region_code, worker_id, entitlement_id, kind, month, text, created_at)
		VALUES ($1, $2, $3, 'adjustment', $4, $5, $6)`, a.RegionCode, r.WorkerID, r.EntitlementID, a.Rule.Effective, text+"。", t.now)
	return err
}

// PrepareNursingRerate follows a new average wage (a parameter version of
// avg_wage): for every region under the version's region with an active
// 生活护理费, it prepares, as the system, the re-rate at the new wage from
// the version's month (or the first month after the last closed cycle),
// for an officer to approve like any adjustment. Other versions, and
// regions where the re-rate changes nothing or is already prepared, are
// left alone.
func (s *Store) PrepareNursingRerate(ctx context.Context, set *param.Set, versionID int64) ([]int64, error) {
	var table, region, from string
	err := s.db.QueryRowContext(ctx, `SELECT table_name, region, effective_from FROM param_versions WHERE id = $1`, versionID).Scan(&table, &region, &from)
	if err != nil || table != "avg_wage" {
		return nil, ignoreNoRows(err)
	}
	lo, hi := access.ScopeOf(region).Range()
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT region_code FROM entitlements WHERE type = 'nursing_allowance' AND status = 'active'
		AND payer = 'fund' AND region_code >= $1 AND region_code < $2 ORDER BY region_code`, lo, hi)
	if err != nil {
		return nil, err
	}
	var regions []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return nil, err
		}
		regions = append(regions, r)
	}
	rows.Close()
	eff, _ := payroll.MonthOfDate(from)
	var ids []int64
	for _, r := range regions {
		m := eff
		var closed string
		if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(month), '') FROM payroll_cycles WHERE region_code = $1 AND state = 'closed'`, r).Scan(&closed); err != nil {
			return ids, err
		}
		if cm, err := payroll.ParseMonth("month", closed); err == nil && !cm.Before(m) {
			m = cm.Add(1)
		}
		rule := payroll.Adjustment{Type: payroll.TypeNursing, Rerate: true, Effective: m.String(), Note: fmt.Sprintf("统筹地区职工月平均工资调整（参数版本%d，%s起）", versionID, from)}
		var dup int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM payroll_adjustments WHERE region_code = $1 AND state = 'prepared' AND rule = $2`,
			r, mustJSON(rule)).Scan(&dup); err != nil {
			return ids, err
		}
		if dup > 0 {
			continue
		}
		a, err := s.PrepareAdjustment(ctx, access.System, set, r, rule)
		if errs.Is(err, errs.Conflict) {
			continue // nothing changes in this region
		}
		if err != nil {
			return ids, err
		}
		ids = append(ids, a.ID)
	}
	return ids, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
