package store

import (
	"context"
	"fmt"

	"gongshang/internal/access"
)

// The few reads the payroll screens (backoffice ui_payroll*.go) need
// beyond the payroll's own store calls: the monthly totals of the
// dashboard's chart, a worker's dependants for the event form, and the
// audit record of a cycle's export.

// ExportPayrollLines is the audit action of a cycle's Excel export.
const ExportPayrollLines = "payroll_line.export"

// PayrollTotal is what went to the banks for one month, benefit type and
// region: lines sent or paid (a failed payment is counted by its
// re-issue).
type PayrollTotal struct {
	Month, Type, Region string
	Count, Fen          int64
}

// PayrollTotals sums the sent and paid lines of the months from (YYYY-MM)
// on in the viewer's scope, by month, type and region.
func (s *Store) PayrollTotals(ctx context.Context, viewer access.Principal, from string) ([]PayrollTotal, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	lo, hi := viewer.Scope().Range()
	rows, err := s.db.QueryContext(ctx, `SELECT month, type, region_code, COUNT(*), SUM(gross_fen - deduction_fen) FROM payroll_lines
		WHERE region_code >= $1 AND region_code < $2 AND month >= $3 AND state IN ('sent', 'paid')
		GROUP BY month, type, region_code ORDER BY month, type, region_code`, lo, hi, from)
	if err != nil {
		return nil, fmt.Errorf("store: payroll totals: %w", err)
	}
	defer rows.Close()
	var out []PayrollTotal
	for rows.Next() {
		var t PayrollTotal
		if err := rows.Scan(&t.Month, &t.Type, &t.Region, &t.Count, &t.Fen); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DependantRef names one dependant of a worker, for a select.
type DependantRef struct {
	ID             int64
	Name, Relation string
	BirthDate      string
}

// WorkerDependants lists the dependants recorded for a worker.
func (s *Store) WorkerDependants(ctx context.Context, viewer access.Principal, workerID int64) ([]DependantRef, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	if _, err := s.FindWorkerByID(ctx, viewer.Scope(), workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, relation, birth_date FROM dependants WHERE worker_id = $1 ORDER BY id`, workerID)
	if err != nil {
		return nil, fmt.Errorf("store: dependants: %w", err)
	}
	defer rows.Close()
	var out []DependantRef
	for rows.Next() {
		var d DependantRef
		if err := rows.Scan(&d.ID, &d.Name, &d.Relation, &d.BirthDate); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecordPayrollExport audits an export of a cycle's lines.
func (s *Store) RecordPayrollExport(ctx context.Context, actor access.Principal, c PayrollCycle, rec ExportRecord) error {
	return s.write(ctx, actor, func(t *tx) error {
		return t.audit(ctx, ExportPayrollLines, "payroll_cycle", c.ID, c.RegionCode, nil, rec)
	})
}
