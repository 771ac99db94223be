package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/bankfile"
	"gongshang/internal/errs"
	"gongshang/internal/payroll"
)

// A cycle pays through one bank file per bank (sequence 1) and, for
// re-issued payments, further files (2, 3…). A file is generated once:
// its row records the count, total, creation date and SHA-256; its bytes
// are regenerated from the frozen lines on every download and must hash
// the same.

// PayrollBatch is one bank file of a cycle.
type PayrollBatch struct {
	ID          int64      `json:"id"`
	CycleID     int64      `json:"cycle_id"`
	RegionCode  string     `json:"region_code"`
	BankCode    string     `json:"bank_code"`
	Seq         int        `json:"seq"`
	Ref         string     `json:"ref"`
	LineCount   int64      `json:"line_count"`
	TotalFen    int64      `json:"total_fen"`
	SHA256      string     `json:"sha256"`
	CreatedOn   string     `json:"created_on"`
	State       string     `json:"state"` // generated, sent, returned
	GeneratedAt time.Time  `json:"generated_at"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	ReturnedAt  *time.Time `json:"returned_at,omitempty"`
	PaidCount   int64      `json:"paid_count"`
	FailedCount int64      `json:"failed_count"`
	Version     int64      `json:"version"`
}

const batchCols = `id, cycle_id, region_code, bank_code, seq, ref, line_count, total_fen, sha256, created_on, state, generated_at, sent_at,
	returned_at, paid_count, failed_count, version`

func scanBatch(r interface{ Scan(...any) error }) (PayrollBatch, error) {
	var b PayrollBatch
	var sent, returned sql.NullTime
	err := r.Scan(&b.ID, &b.CycleID, &b.RegionCode, &b.BankCode, &b.Seq, &b.Ref, &b.LineCount, &b.TotalFen, &b.SHA256, &b.CreatedOn,
		&b.State, &b.GeneratedAt, &sent, &returned, &b.PaidCount, &b.FailedCount, &b.Version)
	b.SentAt, b.ReturnedAt = timePtr(sent), timePtr(returned)
	return b, err
}

// lineRef is a line's reference in bank files.
func lineRef(id int64) string { return fmt.Sprintf("L%010d", id) }

// batchLines are the lines a batch carries: those of its cycle, bank and
// sequence that were payable when it was generated (whatever they became
// since).
const batchLines = `cycle_id = $1 AND bank_code = $2 AND batch_seq = $3 AND state NOT IN ('pending', 'suspended', 'stopped', 'recorded')`

// GenerateBankFiles creates the bank files of an approved (or paying)
// cycle that do not exist yet, and returns every file of the cycle.
func (s *Store) GenerateBankFiles(ctx context.Context, actor access.Principal, cycleID int64) ([]PayrollBatch, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return nil, err
	}
	c, err := s.FindCycle(ctx, actor, cycleID)
	if err != nil {
		return nil, err
	}
	if c.State != payroll.Approved && c.State != payroll.Paying {
		return nil, errs.E(errs.Conflict, "发放周期当前为“%s”，审批通过后才能生成银行报盘文件", c.State.Name())
	}
	type group struct {
		bank  string
		seq   int
		count int64
		total int64
	}
	rows, err := s.db.QueryContext(ctx, `SELECT bank_code, batch_seq, COUNT(*), SUM(gross_fen - deduction_fen) FROM payroll_lines
		WHERE cycle_id = $1 AND state = 'payable' GROUP BY bank_code, batch_seq ORDER BY bank_code, batch_seq`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("store: bank groups: %w", err)
	}
	var gs []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.bank, &g.seq, &g.count, &g.total); err != nil {
			rows.Close()
			return nil, err
		}
		gs = append(gs, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	today := s.today().Format(time.DateOnly)
	for _, g := range gs {
		b := PayrollBatch{CycleID: c.ID, RegionCode: c.RegionCode, BankCode: g.bank, Seq: g.seq, LineCount: g.count, TotalFen: g.total,
			CreatedOn: today, Ref: fmt.Sprintf("%s-%s-%s-%d", c.RegionCode, c.Month, g.bank, g.seq)}
		var exists int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM payroll_batches WHERE cycle_id = $1 AND bank_code = $2 AND seq = $3`, c.ID, g.bank, g.seq).Scan(&exists); err != nil {
			return nil, err
		}
		if exists > 0 {
			continue
		}
		h := sha256.New()
		if err := s.writeBatch(ctx, c, b, h); err != nil {
			return nil, err
		}
		b.SHA256 = hex.EncodeToString(h.Sum(nil))
		if err := s.write(ctx, actor, func(t *tx) error {
			var state string
			if err := t.QueryRowContext(ctx, `SELECT state FROM payroll_cycles WHERE id = $1`+s.engine.forUpdate(), c.ID).Scan(&state); err != nil {
				return err
			}
			if state != string(payroll.Approved) && state != string(payroll.Paying) {
				return errs.E(errs.Conflict, "发放周期状态已改变，请刷新后重试")
			}
			// Under the cycle's lock the file's lines are the ones hashed:
			// a re-issue (which takes the same lock) may have joined the
			// sequence meanwhile.
			var count, total int64
			if err := t.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(gross_fen - deduction_fen), 0) FROM payroll_lines WHERE `+batchLines,
				b.CycleID, b.BankCode, b.Seq).Scan(&count, &total); err != nil {
				return err
			}
			if count != b.LineCount || total != b.TotalFen {
				return errs.E(errs.Conflict, "报盘文件生成期间有明细变化，请重新生成")
			}
			res, err := t.ExecContext(ctx, `INSERT INTO payroll_batches (cycle_id, region_code, bank_code, seq, ref, line_count, total_fen, sha256, created_on,
				state, generated_by, generated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'generated', $10, $11) ON CONFLICT DO NOTHING`,
				b.CycleID, b.RegionCode, b.BankCode, b.Seq, b.Ref, b.LineCount, b.TotalFen, b.SHA256, b.CreatedOn, nullID(t.actor.UserID), t.now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // generated meanwhile by another officer
			}
			return t.audit(ctx, "payroll.bank_file", "payroll_cycle", c.ID, c.RegionCode, nil,
				map[string]any{"batch": b.Ref, "count": b.LineCount, "total_fen": b.TotalFen, "sha256": b.SHA256})
		}); err != nil {
			return nil, err
		}
	}
	return s.CycleBatches(ctx, actor, cycleID)
}

// CycleBatches lists a cycle's bank files.
func (s *Store) CycleBatches(ctx context.Context, viewer access.Principal, cycleID int64) ([]PayrollBatch, error) {
	if _, err := s.FindCycle(ctx, viewer, cycleID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+batchCols+` FROM payroll_batches WHERE cycle_id = $1 ORDER BY bank_code, seq`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("store: batches: %w", err)
	}
	return collect(rows, scanBatch)
}

// FindBatch reads one bank file the viewer may see.
func (s *Store) FindBatch(ctx context.Context, viewer access.Principal, id int64) (PayrollBatch, PayrollCycle, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return PayrollBatch{}, PayrollCycle{}, err
	}
	b, err := scanBatch(s.db.QueryRowContext(ctx, `SELECT `+batchCols+` FROM payroll_batches WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: b.RegionCode}) {
		return PayrollBatch{}, PayrollCycle{}, errs.E(errs.NotFound, "报盘文件不存在")
	}
	if err != nil {
		return PayrollBatch{}, PayrollCycle{}, err
	}
	c, err := s.FindCycle(ctx, viewer, b.CycleID)
	return b, c, err
}

// BankFile writes a bank file's bytes to w: the same bytes every time,
// checked against the SHA-256 recorded when it was generated. Reading a
// full account number is personal data: the viewer needs personal.full.
func (s *Store) BankFile(ctx context.Context, viewer access.Principal, id int64, w io.Writer) (PayrollBatch, error) {
	if !viewer.Can(access.PermPersonalData) || !viewer.Can(access.PermPayrollPrepare) {
		return PayrollBatch{}, errs.E(errs.Forbidden, "无权下载含完整银行账号的报盘文件")
	}
	b, c, err := s.FindBatch(ctx, viewer, id)
	if err != nil {
		return b, err
	}
	h := sha256.New()
	if err := s.writeBatch(ctx, c, b, io.MultiWriter(w, h)); err != nil {
		return b, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.SHA256 {
		return b, fmt.Errorf("store: bank file %s regenerated with SHA-256 %s, recorded %s", b.Ref, got, b.SHA256)
	}
	return b, nil
}

// payerName is the agency paying a region's benefits.
func (s *Store) payerName(region string) string {
	return regionLabel(region) + "社会保险事业中心"
}

// writeBatch streams a batch's file from its lines, in id order.
func (s *Store) writeBatch(ctx context.Context, c PayrollCycle, b PayrollBatch, w io.Writer) error {
	bw, err := bankfile.NewWriter(w, bankfile.Header{Batch: b.Ref, Region: b.RegionCode, Month: c.Month, BankCode: b.BankCode,
		BankName: payroll.BankName(b.BankCode), PayerName: s.payerName(b.RegionCode), Created: b.CreatedOn, Count: int(b.LineCount), TotalFen: b.TotalFen})
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, bank_enc, payee_name, gross_fen - deduction_fen, type, kind, month FROM payroll_lines
		WHERE `+batchLines+` ORDER BY id`, c.ID, b.BankCode, b.Seq)
	if err != nil {
		return fmt.Errorf("store: batch lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, net int64
		var enc []byte
		var name, typ, kind, month string
		if err := rows.Scan(&id, &enc, &name, &net, &typ, &kind, &month); err != nil {
			return err
		}
		acct, err := s.pii.Open(enc)
		if err != nil {
			return fmt.Errorf("store: line %d account: %w", id, err)
		}
		if err := bw.Write(bankfile.Payment{Ref: lineRef(id), Account: acct, Name: name, AmountFen: net, Purpose: purpose(typ, kind, month)}); err != nil {
			return fmt.Errorf("store: line %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return bw.Close()
}

// purpose is a payment's text on the payee's bank statement.
func purpose(typ, kind, month string) string {
	m, _ := payroll.ParseMonth("month", month)
	p := payroll.TypeName(typ) + m.Label()
	if kind == payroll.KindArrears || kind == payroll.KindReissue {
		p += payroll.KindName(kind)
	}
	return p
}

// MarkBatchSent records that a bank file went to the bank: its lines are
// sent, and once every file of the cycle is, the cycle is paying — on
// time when that happens on or before the due date.
func (s *Store) MarkBatchSent(ctx context.Context, actor access.Principal, id, version int64) error {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		b, err := scanBatch(t.QueryRowContext(ctx, `SELECT `+batchCols+` FROM payroll_batches WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: b.RegionCode}) {
			return errs.E(errs.NotFound, "报盘文件不存在")
		}
		if err != nil {
			return err
		}
		if b.Version != version {
			return staleVersion()
		}
		if b.State != "generated" {
			return errs.E(errs.Conflict, "报盘文件%s已报送银行", b.Ref)
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_batches SET state = 'sent', sent_by = $1, sent_at = $2, version = version + 1 WHERE id = $3`,
			nullID(t.actor.UserID), t.now, b.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = 'sent', updated_at = $4 WHERE `+batchLines+` AND state = 'payable'`,
			b.CycleID, b.BankCode, b.Seq, t.now); err != nil {
			return err
		}
		if err := t.audit(ctx, "payroll.bank_sent", "payroll_cycle", b.CycleID, b.RegionCode, nil, map[string]any{"batch": b.Ref}); err != nil {
			return err
		}
		return t.maybePaying(ctx, b.CycleID)
	})
}

// maybePaying moves an approved cycle whose lines have all gone to a bank
// to paying, and records whether that was on time.
func (t *tx) maybePaying(ctx context.Context, cycleID int64) error {
	var left int64
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM payroll_lines WHERE cycle_id = $1 AND state = 'payable'`, cycleID).Scan(&left); err != nil {
		return err
	}
	if left > 0 {
		return nil
	}
	var state, due string
	if err := t.QueryRowContext(ctx, `SELECT state, due_date FROM payroll_cycles WHERE id = $1`, cycleID).Scan(&state, &due); err != nil {
		return err
	}
	if state != string(payroll.Approved) {
		return nil
	}
	onTime := t.now.In(cst).Format(time.DateOnly) <= due
	_, err := t.ExecContext(ctx, `UPDATE payroll_cycles SET state = 'paying', sent_at = $1, on_time = $2, updated_at = $1, version = version + 1 WHERE id = $3`,
		t.now, onTime, cycleID)
	return err
}

// ReturnProblems is a refused return file: every problem found, by line.
type ReturnProblems struct{ Problems []bankfile.Problem }

func (e *ReturnProblems) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		if p.Line > 0 {
			parts = append(parts, fmt.Sprintf("第%d行：%s", p.Line, p.Message))
		} else {
			parts = append(parts, p.Message)
		}
	}
	return "回盘文件未导入：" + strings.Join(parts, "；")
}

// ImportReturn applies a bank's return file to a sent batch: every answered
// payment becomes paid or failed (退票), whole or not at all. A file of
// another batch, an unknown or repeated line, totals that do not add up,
// or a line already answered refuse the whole file (errs.Invalid with
// ReturnProblems joined).
func (s *Store) ImportReturn(ctx context.Context, actor access.Principal, batchID int64, r io.Reader) (paid, failed int, err error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return 0, 0, err
	}
	b, c, err := s.FindBatch(ctx, actor, batchID)
	if err != nil {
		return 0, 0, err
	}
	if b.State == "generated" {
		return 0, 0, errs.E(errs.Conflict, "报盘文件%s尚未报送银行，不能导入回盘", b.Ref)
	}
	sent, err := s.batchPayments(ctx, c, b)
	if err != nil {
		return 0, 0, err
	}
	ret, problems := bankfile.ParseReturn(r, bankfile.Expect{Batch: b.Ref, Region: b.RegionCode, Month: c.Month, BankCode: b.BankCode,
		Payment: func(ref string) (bankfile.Payment, bool) { p, ok := sent[ref]; return p.Payment, ok }})
	for _, res := range ret.Results {
		if st := sent[res.Ref].state; st != payroll.LineSent {
			problems = append(problems, bankfile.Problem{Line: res.Seq + 1, Field: "ref", Message: fmt.Sprintf("%s已有回盘结果（%s），不能重复导入", res.Ref, st.Name())})
		}
	}
	if len(problems) > 0 {
		return 0, 0, errors.Join(errs.E(errs.Invalid, "回盘文件有%d处问题，未导入任何结果", len(problems)), &ReturnProblems{problems})
	}
	err = s.write(ctx, actor, func(t *tx) error {
		paid, failed = 0, 0
		for _, res := range ret.Results {
			id := sent[res.Ref].id
			state := payroll.LinePaid
			if !res.Paid {
				state = payroll.LineFailed
			}
			r, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = $1, return_code = $2, return_reason = $3, updated_at = $4 WHERE id = $5 AND state = 'sent'`,
				string(state), res.Code, res.Reason, t.now, id)
			if err != nil {
				return err
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return errs.E(errs.Conflict, "%s已有回盘结果，请刷新后重试", res.Ref)
			}
			if res.Paid {
				paid++
				continue
			}
			failed++
			// The account the bank refused is suspect until corrected:
			// later cycles suspend the entitlement's lines (BANK_INVALID).
			if _, err := t.ExecContext(ctx, `UPDATE entitlements SET bank_valid = FALSE, watch = TRUE
				WHERE id = (SELECT entitlement_id FROM payroll_lines WHERE id = $1) AND bank_enc = (SELECT bank_enc FROM payroll_lines WHERE id = $1)`, id); err != nil {
				return err
			}
		}
		if err := t.paidEffects(ctx, c, b); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_batches SET state = 'returned', returned_at = $1, paid_count = paid_count + $2,
			failed_count = failed_count + $3, version = version + 1 WHERE id = $4`, t.now, paid, failed, b.ID); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.bank_return", "payroll_cycle", c.ID, c.RegionCode, nil, map[string]any{"batch": b.Ref, "paid": paid, "failed": failed})
	})
	return paid, failed, err
}

type sentPayment struct {
	bankfile.Payment
	id    int64
	state payroll.LineState
}

// batchPayments reads what a batch sent, by reference.
func (s *Store) batchPayments(ctx context.Context, c PayrollCycle, b PayrollBatch) (map[string]sentPayment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, bank_enc, payee_name, gross_fen - deduction_fen, type, kind, month, state FROM payroll_lines
		WHERE `+batchLines+` ORDER BY id`, c.ID, b.BankCode, b.Seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]sentPayment{}
	for rows.Next() {
		var p sentPayment
		var enc []byte
		var typ, kind, month string
		if err := rows.Scan(&p.id, &enc, &p.Name, &p.AmountFen, &typ, &kind, &month, &p.state); err != nil {
			return nil, err
		}
		if p.Account, err = s.pii.Open(enc); err != nil {
			return nil, err
		}
		p.Ref, p.Purpose = lineRef(p.id), purpose(typ, kind, month)
		out[p.Ref] = p
	}
	return out, rows.Err()
}

// paidEffects follows a return: deductions on paid lines count toward
// their recovery (settled when complete), and each paid line leaves a
// notice for its payee.
func (t *tx) paidEffects(ctx context.Context, c PayrollCycle, b PayrollBatch) error {
	if _, err := t.ExecContext(ctx, `UPDATE payroll_recoveries SET recovered_fen = recovered_fen + COALESCE((SELECT SUM(d.amount_fen)
		FROM payroll_deductions d JOIN payroll_lines l ON l.id = d.line_id
		WHERE d.recovery_id = payroll_recoveries.id AND l.cycle_id = $1 AND l.bank_code = $2 AND l.batch_seq = $3 AND l.state = 'paid'
		AND NOT EXISTS (SELECT 1 FROM payroll_notices n WHERE n.line_id = l.id AND n.kind = 'payment')), 0), updated_at = $4
		WHERE state = 'active' AND id IN (SELECT d.recovery_id FROM payroll_deductions d JOIN payroll_lines l ON l.id = d.line_id
			WHERE l.cycle_id = $1 AND l.bank_code = $2 AND l.batch_seq = $3)`, c.ID, b.BankCode, b.Seq, t.now); err != nil {
		return fmt.Errorf("store: recovered: %w", err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE payroll_recoveries SET state = 'settled', version = version + 1 WHERE state = 'active' AND recovered_fen >= total_fen`); err != nil {
		return err
	}
	// One-off items and meal allowances paid are paid.
	for _, q := range []string{
		`UPDATE payable_items SET status = 'paid' WHERE id IN (SELECT payable_id FROM payroll_lines l WHERE ` + strings.ReplaceAll(batchLines, "cycle_id", "l.cycle_id") + ` AND l.state = 'paid' AND l.payable_id IS NOT NULL)`,
		`UPDATE meal_allowances SET status = 'paid' WHERE status = 'payable' AND id IN (SELECT meal_id FROM payroll_lines l WHERE ` + strings.ReplaceAll(batchLines, "cycle_id", "l.cycle_id") + ` AND l.state = 'paid' AND l.meal_id IS NOT NULL)`,
	} {
		if _, err := t.ExecContext(ctx, q, c.ID, b.BankCode, b.Seq); err != nil {
			return fmt.Errorf("store: paid one-offs: %w", err)
		}
	}
	rows, err := t.QueryContext(ctx, `SELECT l.id, l.worker_id, COALESCE(l.entitlement_id, 0), l.type, l.kind, l.month, l.gross_fen, l.deduction_fen, l.bank_code, l.bank_masked
		FROM payroll_lines l WHERE `+strings.ReplaceAll(batchLines, "cycle_id", "l.cycle_id")+` AND l.state = 'paid'
		AND NOT EXISTS (SELECT 1 FROM payroll_notices n WHERE n.line_id = l.id AND n.kind = 'payment') ORDER BY l.id`, c.ID, b.BankCode, b.Seq)
	if err != nil {
		return err
	}
	var notes [][]any
	for rows.Next() {
		var id, worker, ent, gross, ded int64
		var typ, kind, month, bank, masked string
		if err := rows.Scan(&id, &worker, &ent, &typ, &kind, &month, &gross, &ded, &bank, &masked); err != nil {
			rows.Close()
			return err
		}
		text := fmt.Sprintf("您的%s已发放%s，存入%s账户%s", purpose(typ, kind, month), yuanText(gross-ded), payroll.BankName(bank), masked)
		if ded > 0 {
			text += fmt.Sprintf("（应发%s，扣回多发待遇%s）", yuanText(gross), yuanText(ded))
		}
		notes = append(notes, []any{c.RegionCode, worker, nullID(ent), id, "payment", month, text + "。", t.now})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return t.insertMany(ctx, "payroll_notices", []string{"region_code", "worker_id", "entitlement_id", "line_id", "kind", "month", "text", "created_at"},
		len(notes), func(i int) []any { return notes[i] }, "")
}

// ReissueLine pays a failed line again, to the account now on record (the
// entitlement's, or the worker's for a one-off item), which must have
// been corrected and pass its check. It takes the cycle's lock, as a bank
// file's generation does, so a file never misses a line of its sequence. The new line goes into the next bank
// file of its bank; the deduction it carried moves with it.
func (s *Store) ReissueLine(ctx context.Context, actor access.Principal, lineID, version int64) (int64, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return 0, err
	}
	var newID int64
	err := s.write(ctx, actor, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `SELECT id FROM payroll_cycles WHERE id = (SELECT cycle_id FROM payroll_lines WHERE id = $1)`+s.engine.forUpdate(), lineID); err != nil {
			return err
		}
		l, err := t.lineForUpdate(ctx, actor, lineID, version)
		if err != nil {
			return err
		}
		if l.State != payroll.LineFailed {
			return errs.E(errs.Conflict, "只有退票的明细可以重发，该明细为“%s”", l.State.Name())
		}
		var enc []byte
		var bankName string
		if l.EntitlementID != 0 {
			err = t.QueryRowContext(ctx, `SELECT bank_enc, bank_name FROM entitlements WHERE id = $1`, l.EntitlementID).Scan(&enc, &bankName)
		} else {
			err = t.QueryRowContext(ctx, `SELECT bank_enc, bank_name FROM workers WHERE id = $1`, l.WorkerID).Scan(&enc, &bankName)
		}
		if err != nil {
			return err
		}
		acct, _ := s.pii.Open(enc)
		old, _ := s.pii.Open(l.bankEnc)
		if err := payroll.CheckAccount("bank_account", acct); err != nil {
			return err
		}
		if acct == old {
			return errs.Field("bank_account", "unchanged", "收款账号与退票账号相同，请先更正账号（退票原因：%s）", l.ReturnReason)
		}
		code := payroll.BankCode(bankName)
		var seq int
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 1) + 1 FROM payroll_batches WHERE cycle_id = $1 AND bank_code = $2`, l.CycleID, code).Scan(&seq); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO payroll_lines (cycle_id, region_code, month, kind, entitlement_id, payable_id, meal_id, worker_id, type,
			payee_name, gross_fen, deduction_fen, state, bank_code, bank_enc, bank_masked, batch_seq, replaces_id, note, updated_at)
			SELECT cycle_id, region_code, month, 'reissue', entitlement_id, payable_id, meal_id, worker_id, type, payee_name, gross_fen, deduction_fen, 'payable', $1, $2, $3, $4, id, $5, $6
			FROM payroll_lines WHERE id = $7 RETURNING id`, code, enc, maskAccount(acct), seq, "退票重发（原明细"+lineRef(l.ID)+"）", t.now, l.ID).Scan(&newID); err != nil {
			return fmt.Errorf("store: reissue: %w", err)
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = 'reissued', version = version + 1, updated_at = $1 WHERE id = $2`, t.now, l.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_deductions SET line_id = $1 WHERE line_id = $2`, newID, l.ID); err != nil {
			return err
		}
		return t.audit(ctx, "payroll.reissue", "payroll_line", l.ID, l.RegionCode, map[string]any{"state": l.State, "account": l.BankMasked},
			map[string]any{"reissue": newID, "account": maskAccount(acct), "batch_seq": seq})
	})
	return newID, err
}

// ExplainLine closes a failed line without paying it now, with the reason
// (the payee cannot be reached, the account is frozen…); carry puts its
// amount into the entitlement's next cycle as arrears.
func (s *Store) ExplainLine(ctx context.Context, actor access.Principal, lineID, version int64, reason string, carry bool) error {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errs.Field("reason", "required", "请填写说明")
	}
	if len([]rune(reason)) > 200 {
		return errs.Field("reason", "length", "说明不能超过200字")
	}
	return s.write(ctx, actor, func(t *tx) error {
		l, err := t.lineForUpdate(ctx, actor, lineID, version)
		if err != nil {
			return err
		}
		if l.State != payroll.LineFailed {
			return errs.E(errs.Conflict, "只有退票的明细可以说明结案，该明细为“%s”", l.State.Name())
		}
		if carry && l.EntitlementID == 0 {
			return errs.Field("carry", "oneoff", "一次性待遇不能转入下月，请更正账号后重发")
		}
		if _, err := t.ExecContext(ctx, `UPDATE payroll_lines SET state = 'explained', note = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
			reason, t.now, l.ID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM payroll_deductions WHERE line_id = $1`, l.ID); err != nil {
			return err
		}
		if carry {
			if _, err := t.ExecContext(ctx, `INSERT INTO payroll_arrears (entitlement_id, region_code, amount_fen, for_months, reason, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, l.EntitlementID, l.RegionCode, l.GrossFen, l.Month, "退票转下月补发："+reason, t.now); err != nil {
				return err
			}
			if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE id = $1`, l.EntitlementID); err != nil {
				return err
			}
		}
		return t.audit(ctx, "payroll.explain", "payroll_line", l.ID, l.RegionCode, map[string]any{"state": l.State},
			map[string]any{"state": payroll.LineExplained, "reason": reason, "carry": carry})
	})
}

func maskAccount(acct string) string {
	if len(acct) <= 8 {
		return strings.Repeat("*", len(acct))
	}
	return acct[:4] + strings.Repeat("*", len(acct)-8) + acct[len(acct)-4:]
}
