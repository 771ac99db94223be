package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
)

// Recoveries offset against the next settlements (抵扣, fund-audit.md
// §5.5 step 9). When the monthly clearing makes an institution's
// statement, the open offset recoveries of findings at that institution
// (audit_field_findings.fixmedins_code = institutions.code) are deducted
// from what the fund pays it, oldest first, up to the statement's
// fund_pay. Each deduction is a row of audit_recovery_offsets; the
// recovery's recovered_fen rises by it (done once the whole amount is
// back) under its row lock and version, so a SettleRecovery at the same
// time either settles first (the clearing then finds it done) or waits and
// finds a new version (409). A statement is made once per institution and
// month, so closing a month again deducts nothing.

// RecoveryOffset is one deduction of a recovery from a statement.
type RecoveryOffset struct {
	ID          int64     `json:"id"`
	RecoveryID  int64     `json:"recovery_id"`
	StatementID int64     `json:"statement_id"`
	Month       string    `json:"month"`
	Fen         int64     `json:"amount_fen"`
	CreatedAt   time.Time `json:"created_at"`
}

// offsetStatement deducts the institution's open offset recoveries from
// st (an institution statement just inserted), records the deductions and
// the statement's offset_fen, and audits each.
func (t *tx) offsetStatement(ctx context.Context, st *Statement) error {
	if st.Kind != "institution" || st.InstitutionID == 0 || st.FundPay <= 0 {
		return nil
	}
	var code string
	err := t.QueryRowContext(ctx, `SELECT code FROM institutions WHERE id = $1`, st.InstitutionID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	rows, err := t.QueryContext(ctx, `SELECT r.id FROM audit_recoveries r JOIN audit_field_findings f ON f.id = r.finding_id
		WHERE f.fixmedins_code = $1 AND r.kind = 'offset' AND r.state = 'open' ORDER BY r.created_at, r.id`, code)
	if err != nil {
		return err
	}
	ids, err := collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	left := st.FundPay
	for _, id := range ids {
		if left == 0 {
			break
		}
		// locked, then read again: a recovery settled meanwhile is skipped
		before, err := scanAuditRecovery(t.QueryRowContext(ctx, `SELECT `+auditRecoveryCols+` FROM audit_recoveries WHERE id = $1`+t.s.engine.forUpdate(), id))
		if err != nil {
			return err
		}
		if before.State != "open" || before.Recovered >= before.Fen {
			continue
		}
		var region string
		if err := t.QueryRowContext(ctx, `SELECT region_code FROM audit_field_findings WHERE id = $1`, before.FindingID).Scan(&region); err != nil {
			return err
		}
		fen := min(before.Fen-before.Recovered, left)
		after := before
		after.Recovered += fen
		if after.Recovered == after.Fen {
			after.State = "done"
		}
		after.Version = before.Version + 1
		res, err := t.ExecContext(ctx, `UPDATE audit_recoveries SET recovered_fen = $1, state = $2, version = version + 1 WHERE id = $3 AND version = $4`,
			after.Recovered, after.State, id, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO audit_recovery_offsets (recovery_id, statement_id, amount_fen, created_at) VALUES ($1, $2, $3, $4)`,
			id, st.ID, fen, t.now); err != nil {
			return fmt.Errorf("store: recovery offset: %w", err)
		}
		if err := t.audit(ctx, "supervision.recovery.offset", "recovery", id, region, before,
			map[string]any{"recovery": after, "statement_id": st.ID, "month": st.Month, "offset_fen": fen}); err != nil {
			return err
		}
		left -= fen
		st.OffsetFen += fen
	}
	if st.OffsetFen == 0 {
		return nil
	}
	_, err = t.ExecContext(ctx, `UPDATE clearing_statements SET offset_fen = $1 WHERE id = $2`, st.OffsetFen, st.ID)
	return err
}

// RecoveryOffsets lists the deductions of a finding's recoveries, oldest
// first.
func (s *Store) RecoveryOffsets(ctx context.Context, findingID int64) ([]RecoveryOffset, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.recovery_id, o.statement_id, c.month, o.amount_fen, o.created_at
		FROM audit_recovery_offsets o JOIN audit_recoveries r ON r.id = o.recovery_id JOIN clearing_statements c ON c.id = o.statement_id
		WHERE r.finding_id = $1 ORDER BY o.id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("store: recovery offsets: %w", err)
	}
	return collect(rows, scanOffset)
}

func scanOffset(r interface{ Scan(...any) error }) (RecoveryOffset, error) {
	var o RecoveryOffset
	err := r.Scan(&o.ID, &o.RecoveryID, &o.StatementID, &o.Month, &o.Fen, &o.CreatedAt)
	return o, err
}

// StatementOffset is a deduction from a statement with the finding it
// recovers.
type StatementOffset struct {
	RecoveryOffset
	FindingID  int64 `json:"finding_id"`
	CampaignID int64 `json:"campaign_id"`
	VisitID    int64 `json:"visit_id"`
}

// StatementOffsets lists the deductions from a statement the caller may
// see; the findings' visits are in the viewer's scope or not listed.
func (s *Store) StatementOffsets(ctx context.Context, scope access.Scope, statementID int64) ([]StatementOffset, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT o.id, o.recovery_id, o.statement_id, c.month, o.amount_fen, o.created_at, f.id, f.campaign_id, f.visit_id
		FROM audit_recovery_offsets o JOIN audit_recoveries r ON r.id = o.recovery_id JOIN audit_field_findings f ON f.id = r.finding_id
		JOIN clearing_statements c ON c.id = o.statement_id WHERE o.statement_id = $1 AND f.region_code >= $2 AND f.region_code < $3 ORDER BY o.id`,
		statementID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: statement offsets: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (StatementOffset, error) {
		var o StatementOffset
		err := r.Scan(&o.ID, &o.RecoveryID, &o.StatementID, &o.Month, &o.Fen, &o.CreatedAt, &o.FindingID, &o.CampaignID, &o.VisitID)
		return o, err
	})
}

// NetPay is what the fund pays on the statement after the offsets.
func (st Statement) NetPay() int64 { return st.FundPay - st.OffsetFen }
