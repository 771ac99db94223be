package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/payroll"
)

// checkLine is a pending line with what payroll.Check needs.
type checkLine struct {
	id, entitlementID, workerID, dependantID int64
	kind                                     string
	gross                                    int64
	bankEnc                                  []byte
	watch                                    bool // arrears or a debt may be due
	facts                                    payroll.Facts
}

// checkChunk checks the next chunk of the cycle's pending lines; when
// none remain the cycle goes to the preparer.
func (t *tx) checkChunk(ctx context.Context, c *PayrollCycle, m payroll.Month, r PayrollRules) (bool, error) {
	lines, err := t.pendingLines(ctx, c.ID, cycleChunk)
	if err != nil {
		return false, err
	}
	if len(lines) == 0 {
		return false, t.finishChecks(ctx, c)
	}
	if err := t.loadEvents(ctx, lines); err != nil {
		return false, err
	}
	return true, t.checkLines(ctx, c, m, r, lines)
}

// pendingLines reads up to n pending lines of a cycle with their
// entitlement's facts (one-off lines have none but the account).
func (t *tx) pendingLines(ctx context.Context, cycleID int64, n int) ([]checkLine, error) {
	rows, err := t.QueryContext(ctx, `SELECT l.id, COALESCE(l.entitlement_id, 0), l.worker_id, l.kind, l.gross_fen, l.bank_enc,
		COALESCE(e.type, l.type), COALESCE(e.payer, 'fund'), COALESCE(e.start_date, ''), COALESCE(e.end_date, ''), COALESCE(e.dependant_id, 0),
		COALESCE(e.payee_birth, ''), COALESCE(e.payee_incapacitated, FALSE), COALESCE(e.certified_on, e.start_date, ''), e.bank_valid,
		COALESCE(e.watch, FALSE)
		FROM payroll_lines l LEFT JOIN entitlements e ON e.id = l.entitlement_id
		WHERE l.cycle_id = $1 AND l.state = 'pending' ORDER BY l.id LIMIT `+strconv.Itoa(n), cycleID)
	if err != nil {
		return nil, fmt.Errorf("store: pending lines: %w", err)
	}
	defer rows.Close()
	var out []checkLine
	for rows.Next() {
		var l checkLine
		var cert string
		var valid *bool
		if err := rows.Scan(&l.id, &l.entitlementID, &l.workerID, &l.kind, &l.gross, &l.bankEnc, &l.facts.Type, &l.facts.Payer,
			&l.facts.Start, &l.facts.End, &l.dependantID, &l.facts.BirthDate, &l.facts.Incapacitated, &cert, &valid, &l.watch); err != nil {
			return nil, err
		}
		l.facts.Survivor = l.dependantID != 0
		if cert != "" && cert != l.facts.Start {
			l.facts.Payee = append(l.facts.Payee, payroll.Event{Kind: payroll.EventCertified, On: cert})
		}
		l.facts.AccountValid = valid != nil && *valid
		out = append(out, l)
	}
	return out, rows.Err()
}

// loadEvents adds each line's payee events (the worker's own, or the
// dependant's) in one statement per chunk.
func (t *tx) loadEvents(ctx context.Context, lines []checkLine) error {
	workers := map[int64]bool{}
	for _, l := range lines {
		workers[l.workerID] = true
	}
	ids := make([]string, 0, len(workers))
	for id := range workers {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	sort.Strings(ids)
	type key struct{ worker, dependant int64 }
	evs := map[key][]payroll.Event{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		rows, err := t.QueryContext(ctx, `SELECT worker_id, COALESCE(dependant_id, 0), kind, on_date, COALESCE(until_date, '')
			FROM payroll_events WHERE worker_id IN (`+strings.Join(part, ",")+`) ORDER BY id`)
		if err != nil {
			return fmt.Errorf("store: payee events: %w", err)
		}
		for rows.Next() {
			var k key
			var e payroll.Event
			if err := rows.Scan(&k.worker, &k.dependant, &e.Kind, &e.On, &e.Until); err != nil {
				rows.Close()
				return err
			}
			evs[k] = append(evs[k], e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range lines {
		l := &lines[i]
		l.facts.Payee = append(l.facts.Payee, evs[key{l.workerID, l.dependantID}]...)
	}
	return nil
}

// checkLines decides lines: each one's state and reason (one UPDATE per
// outcome, not per line), and for a payable regular line of a watched
// entitlement the arrears it brings (months suspended for a reason that
// has cleared, an adjustment's difference) and the deduction toward a debt.
func (t *tx) checkLines(ctx context.Context, c *PayrollCycle, m payroll.Month, r PayrollRules, lines []checkLine) error {
	outcomes := map[payroll.Result][]int64{}
	var owed []int64 // entitlements with a month now owed
	var paying []int // payable regular lines of watched entitlements
	for i := range lines {
		l := &lines[i]
		res := payroll.Check(l.facts, m, r.Check)
		if l.kind == payroll.KindOneOff {
			res = payroll.Result{Effect: payroll.Pay}
			if acct, err := t.s.pii.Open(l.bankEnc); err != nil || payroll.CheckAccount("bank_account", acct) != nil {
				// A one-off item waits for a valid account: it leaves the
				// cycle and a later one pays it once the account is corrected.
				if err := t.deferOneOff(ctx, l.id); err != nil {
					return err
				}
				continue
			}
		}
		outcomes[res] = append(outcomes[res], l.id)
		switch {
		case res.Effect == payroll.Suspend && res.Reason.Arrears() && l.entitlementID != 0:
			owed = append(owed, l.entitlementID)
		case res.Effect == payroll.Pay && l.kind == payroll.KindRegular && l.watch:
			paying = append(paying, i)
		}
	}
	for res, ids := range outcomes {
		for _, part := range idLists(ids) {
			if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = $1, reason = $2, updated_at = $3 WHERE id IN (`+part+`)`,
				string(res.Effect), string(res.Reason), t.now); err != nil {
				return err
			}
		}
	}
	// The month is owed once the reason clears: the entitlement stays under
	// watch so that a later cycle pays it back.
	for _, part := range idLists(owed) {
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE id IN (`+part+`) AND NOT watch`); err != nil {
			return err
		}
	}
	for _, i := range paying {
		l := &lines[i]
		if err := t.arrearsLine(ctx, c, l); err != nil {
			return err
		}
		if err := t.deduct(ctx, l.entitlementID, l.id, l.gross, r.Recovery); err != nil {
			return err
		}
	}
	return nil
}

// idLists splits ids into comma-separated lists of at most 1,000 (integers
// the store read: safe to write into the statement).
func idLists(ids []int64) []string {
	var out []string
	for start := 0; start < len(ids); start += 1000 {
		part := ids[start:min(start+1000, len(ids))]
		b := make([]byte, 0, len(part)*8)
		for k, id := range part {
			if k > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		out = append(out, string(b))
	}
	return out
}

// arrearsLine pays back, in one arrears line of this cycle, the months of
// the entitlement suspended for a reason that allows it, and any arrears
// an adjustment left for it.
func (t *tx) arrearsLine(ctx context.Context, c *PayrollCycle, l *checkLine) error {
	var codes []string
	for _, rs := range []payroll.Reason{payroll.ReasonCertOverdue, payroll.ReasonBankInvalid, payroll.ReasonHeld} {
		codes = append(codes, "'"+string(rs)+"'")
	}
	rows, err := t.QueryContext(ctx, `SELECT id, month, gross_fen FROM payroll_lines WHERE entitlement_id = $1 AND state = 'suspended'
		AND repaid_by IS NULL AND kind = 'regular' AND cycle_id <> $2 AND reason IN (`+strings.Join(codes, ",")+`) ORDER BY month`, l.entitlementID, c.ID)
	if err != nil {
		return err
	}
	var owed []int64
	var months []string
	var sum int64
	for rows.Next() {
		var id, fen int64
		var month string
		if err := rows.Scan(&id, &month, &fen); err != nil {
			rows.Close()
			return err
		}
		owed, months, sum = append(owed, id), append(months, month), sum+fen
	}
	rows.Close()
	var adj, adjN int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_fen), 0), COUNT(*) FROM payroll_arrears WHERE entitlement_id = $1 AND line_id IS NULL`,
		l.entitlementID).Scan(&adj, &adjN); err != nil {
		return err
	}
	if len(owed) == 0 && adjN == 0 || sum+adj <= 0 {
		return nil
	}
	note := ""
	if len(months) > 0 {
		note = "补发暂停月份 " + strings.Join(months, "、")
	}
	if adjN > 0 {
		note = strings.TrimPrefix(note+"；补发待遇调整差额", "；")
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO payroll_lines (cycle_id, region_code, month, kind, entitlement_id, worker_id, type, payee_name,
		gross_fen, state, bank_code, bank_enc, bank_masked, for_months, note, updated_at)
		SELECT $1, region_code, month, 'arrears', entitlement_id, worker_id, type, payee_name, $2, 'payable', bank_code, bank_enc, bank_masked, $3, $4, $5
		FROM payroll_lines WHERE id = $6 RETURNING id`, c.ID, sum+adj, strings.Join(months, ","), note, t.now, l.id).Scan(&id); err != nil {
		return fmt.Errorf("store: arrears line: %w", err)
	}
	for _, o := range owed {
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET repaid_by = $1 WHERE id = $2`, id, o); err != nil {
			return err
		}
	}
	_, err = t.ExecContext(ctx, `UPDATE payroll_arrears SET line_id = $1 WHERE entitlement_id = $2 AND line_id IS NULL`, id, l.entitlementID)
	return err
}

// deduct takes this month's share toward the entitlement's active
// recovery by deduction: what is left of it is the total less what paid
// lines took and what lines not yet paid hold.
func (t *tx) deduct(ctx context.Context, entitlementID, lineID, gross int64, r payroll.RecoveryRules) error {
	var recID, remaining int64
	err := t.QueryRowContext(ctx, `SELECT r.id, r.total_fen - r.recovered_fen - COALESCE((SELECT SUM(d.amount_fen) FROM payroll_deductions d
		JOIN payroll_lines l ON l.id = d.line_id WHERE d.recovery_id = r.id AND l.state IN ('pending', 'payable', 'sent')), 0)
		FROM payroll_recoveries r WHERE r.entitlement_id = $1 AND r.state = 'active' AND r.method = 'deduct' ORDER BY r.id LIMIT 1`, entitlementID).
		Scan(&recID, &remaining)
	if err != nil {
		return ignoreNoRows(err)
	}
	d := payroll.Deduction(gross, remaining, r)
	if d <= 0 {
		return nil
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO payroll_deductions (recovery_id, line_id, amount_fen) VALUES ($1, $2, $3)`, recID, lineID, d); err != nil {
		return err
	}
	_, err = t.ExecContext(ctx, `UPDATE payroll_lines SET deduction_fen = $1, note = $2 WHERE id = $3`, d,
		fmt.Sprintf("扣回多发待遇%s（追回单%d）", yuanText(d), recID), lineID)
	return err
}

func yuanText(fen int64) string {
	return strconv.FormatInt(fen/100, 10) + "." + fmt.Sprintf("%02d", fen%100) + "元"
}

// stopEntitlements ends, on approval, the entitlements whose line this
// cycle stopped: they are no longer snapshotted.
func (t *tx) stopEntitlements(ctx context.Context, c *PayrollCycle) error {
	m, _ := payroll.ParseMonth("month", c.Month)
	end := m.First().AddDate(0, 0, -1).Format(time.DateOnly)
	_, err := t.ExecContext(ctx, `UPDATE entitlements SET status = 'stopped', end_date = COALESCE(end_date, $1), updated_at = $2, version = version + 1,
		status_reason = (SELECT l.reason FROM payroll_lines l WHERE l.cycle_id = $3 AND l.entitlement_id = entitlements.id AND l.kind = 'regular')
		WHERE id IN (SELECT entitlement_id FROM payroll_lines WHERE cycle_id = $3 AND kind = 'regular' AND state = 'stopped')`, end, t.now, c.ID)
	return err
}

// ignoreNoRows treats "no row" as nothing to do.
func ignoreNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// deferOneOff takes a one-off line out of its cycle (the worker's account
// fails its check): its item is payable again for a later cycle.
func (t *tx) deferOneOff(ctx context.Context, lineID int64) error {
	if _, err := t.ExecContext(ctx, `UPDATE payable_items SET status = 'payable' WHERE id = (SELECT payable_id FROM payroll_lines WHERE id = $1)`, lineID); err != nil {
		return err
	}
	_, err := t.ExecContext(ctx, `DELETE FROM payroll_lines WHERE id = $1 AND kind = 'oneoff' AND state = 'pending'`, lineID)
	return err
}
