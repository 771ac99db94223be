package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/settlement"
)

// SignIn records 9001 and gives the sign-in number.
func (o *HISOps) SignIn(ctx context.Context, opter string) (string, error) {
	h := sha256.Sum256([]byte(strconv.FormatInt(o.inst.ID, 10) + "|" + opter + "|" + o.msgid + "|" + o.t.now.String()))
	return hex.EncodeToString(h[:])[:20], nil
}

// Reverse records 2601: it undoes the transaction the institution sent
// with msgid omsgid (2401 admission, 2304 settlement, 2305 cancellation).
// Reversing what is already reversed succeeds again without a change.
func (o *HISOps) Reverse(ctx context.Context, psnNo, omsgid, oinfno string) error {
	var infno string
	var sealed []byte
	var code int
	err := o.t.QueryRowContext(ctx, `SELECT infno, response_enc, infcode FROM his_messages WHERE institution_id = $1 AND msgid = $2`,
		o.inst.ID, omsgid).Scan(&infno, &sealed, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field("input.data.omsgid", "not_found", "omsgid（原发送方报文ID）%s在本机构不存在", omsgid)
	}
	if err != nil {
		return err
	}
	if infno != oinfno {
		return errs.Field("input.data.oinfno", "mismatch", "oinfno（原交易编号）应为%s", infno)
	}
	if code != 0 {
		return errs.Field("input.data.omsgid", "failed", "原交易%s未成功，无需冲正", omsgid)
	}
	response, err := o.t.s.pii.Open(sealed)
	if err != nil {
		return err
	}
	var env struct {
		Output struct {
			Result struct {
				MdtrtID string `json:"mdtrt_id"`
			} `json:"result"`
			Setlinfo struct {
				SetlID  string `json:"setl_id"`
				MdtrtID string `json:"mdtrt_id"`
			} `json:"setlinfo"`
		} `json:"output"`
	}
	if err := json.Unmarshal([]byte(response), &env); err != nil {
		return err
	}
	switch infno {
	case "2401":
		e, err := o.encounter(ctx, env.Output.Result.MdtrtID, psnNo, "input.data.omsgid")
		if err != nil {
			return err
		}
		return o.cancelEncounter(ctx, e, "encounter.reverse")
	case "2304":
		return o.reverseSettlement(ctx, env.Output.Setlinfo.SetlID, psnNo)
	case "2305":
		return o.reverseCancellation(ctx, env.Output.Setlinfo.SetlID, psnNo)
	}
	return errs.Field("input.data.oinfno", "not_reversible", "交易%s不能冲正（可冲正：2401、2304、2305）", infno)
}

func (o *HISOps) reverseSettlement(ctx context.Context, setlID, psnNo string) error {
	st, err := o.settlementByID(ctx, setlID, "input.data.omsgid")
	if err != nil {
		return err
	}
	if st.State == settlement.Reversed {
		return nil
	}
	if err := o.mayUndo(st); err != nil {
		return err
	}
	e, err := o.encounterByID(ctx, st.EncounterID, psnNo)
	if err != nil {
		return err
	}
	if err := o.undo(ctx, st, e, settlement.Reversed); err != nil {
		return err
	}
	after := st
	after.State = settlement.Reversed
	return o.t.audit(ctx, "settlement.reverse", "settlement", st.ID, st.RegionCode, settlementSnapshot(&st), settlementSnapshot(&after))
}

// reverseCancellation undoes a 2305: the cancellation row is reversed
// and the original settlement is in force again, if its lines were not
// settled anew meanwhile.
func (o *HISOps) reverseCancellation(ctx context.Context, cancelSetlID, psnNo string) error {
	c, err := o.settlementByID(ctx, cancelSetlID, "input.data.omsgid")
	if err != nil {
		return err
	}
	if c.State == settlement.Reversed {
		return nil
	}
	if c.StatementID != 0 {
		return errs.E(errs.Conflict, "该撤销结算已纳入月度清算单，不能冲正")
	}
	// The original would be in force again in a month already cleared,
	// outside every statement.
	var closed int
	if err := o.t.QueryRowContext(ctx, `SELECT COUNT(*) FROM clearing_statements c JOIN settlements s ON s.id = $1
		WHERE c.kind = 'institution' AND c.institution_id = s.institution_id AND c.month = substr(s.setl_day, 1, 7)`, c.Of).Scan(&closed); err != nil {
		return err
	}
	if closed > 0 {
		return errs.E(errs.Conflict, "原结算所在月份已月度清算，不能冲正撤销结算")
	}
	e, err := o.encounterByID(ctx, c.EncounterID, psnNo)
	if err != nil {
		return err
	}
	if e.State == settlement.Settled {
		return errs.E(errs.Conflict, "该就诊已重新结算，不能冲正原撤销交易")
	}
	steps := []struct {
		q    string
		args []any
	}{
		{`UPDATE settlements SET state = 'reversed' WHERE id = $1`, []any{c.ID}},
		{`UPDATE settlements SET state = 'valid' WHERE id = $1`, []any{c.Of}},
		{`UPDATE fee_lines SET state = 'settled' WHERE settlement_id = $1 AND state = 'uploaded'`, []any{c.Of}},
		{`UPDATE meal_allowances SET status = 'payable' WHERE settlement_id = $1`, []any{c.Of}},
		{`UPDATE encounters SET state = 'settled', updated_at = $1, version = version + 1 WHERE id = $2`, []any{o.t.now, e.ID}},
	}
	for _, step := range steps {
		if _, err := o.t.ExecContext(ctx, step.q, step.args...); err != nil {
			return err
		}
	}
	return o.t.audit(ctx, "settlement.reverse_cancel", "settlement", c.Of, c.RegionCode, settlementSnapshot(&c), map[string]any{"state": "valid"})
}

func (o *HISOps) encounterByID(ctx context.Context, id int64, psnNo string) (encounterRow, error) {
	e, err := scanEncounter(o.t.QueryRowContext(ctx, `SELECT `+encounterCols+` FROM encounters WHERE id = $1`+o.t.s.engine.forUpdate(), id))
	if err != nil {
		return e, err
	}
	if e.InstitutionID != o.inst.ID {
		return e, errs.E(errs.NotFound, "就诊不存在")
	}
	if psnNo != "" && psnNo != e.PsnNo {
		return e, errs.Field("input.data.psn_no", "mismatch", "psn_no（人员编号）与原交易的人员不符")
	}
	return e, nil
}

// AuditOnly answers 3101: the findings the rules give on the encounter's
// unsettled lines (or, once settled, the settlement's recorded findings).
func (o *HISOps) AuditOnly(ctx context.Context, mdtrtID, psnNo string) ([]settlement.Finding, error) {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return nil, err
	}
	if e.State == settlement.Settled {
		return o.t.s.findingsOf(ctx, o.t, `encounter_id = $1 AND settlement_id = (SELECT MAX(id) FROM settlements WHERE encounter_id = $1 AND kind = 'settle' AND state = 'valid')`, e.ID)
	}
	c, _, err := o.check(ctx, &e)
	if err != nil {
		return nil, err
	}
	return settlement.Evaluate(c).Findings, nil
}

func (s *Store) findingsOf(ctx context.Context, q querier, where string, args ...any) ([]settlement.Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT rule_id, rule_name, severity, category, line_sn, amount, content, evidence FROM settlement_findings WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []settlement.Finding
	for rows.Next() {
		var f settlement.Finding
		if err := rows.Scan(&f.RuleID, &f.RuleName, &f.Severity, &f.Category, &f.LineSN, &f.Amount, &f.Content, &f.Evidence); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ourDetail lists the institution's settlements of a period as
// reconciliation lines: the settle rows, flagged refunded once cancelled
// or reversed.
func (o *HISOps) ourDetail(ctx context.Context, from, to string) ([]settlement.DetailLine, error) {
	rows, err := o.t.QueryContext(ctx, `SELECT id, treat_region, medfee, fund_pay, cash_pay, state FROM settlements
		WHERE institution_id = $1 AND kind = 'settle' AND setl_day >= $2 AND setl_day <= $3 ORDER BY id`, o.inst.ID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []settlement.DetailLine
	for rows.Next() {
		var id int64
		var region, state string
		var d settlement.DetailLine
		if err := rows.Scan(&id, &region, &d.MedFee, &d.FundPay, &d.CashPay, &state); err != nil {
			return nil, err
		}
		d.SetlID, d.Refunded = settlement.SetlID(region, id), state != string(settlement.Valid)
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReconcileTotals answers 3201: the period's settlements in force.
func (o *HISOps) ReconcileTotals(ctx context.Context, from, to string, theirs settlement.TotalsLine) (string, string, error) {
	if err := checkPeriod(from, to); err != nil {
		return "", "", err
	}
	lines, err := o.ourDetail(ctx, from, to)
	if err != nil {
		return "", "", err
	}
	var ours settlement.TotalsLine
	for _, l := range lines {
		if !l.Refunded {
			ours.MedFee += l.MedFee
			ours.FundPay += l.FundPay
			ours.Count++
		}
	}
	r, text := settlement.ReconcileTotals(theirs, ours)
	return r, text, o.recordReconciliation(ctx, "3201", from, to, theirs, ours, 0, text)
}

// ReconcileLines answers 3202.
func (o *HISOps) ReconcileLines(ctx context.Context, from, to string, theirs []settlement.DetailLine) ([]settlement.Difference, error) {
	if err := checkPeriod(from, to); err != nil {
		return nil, err
	}
	ours, err := o.ourDetail(ctx, from, to)
	if err != nil {
		return nil, err
	}
	diffs := settlement.ReconcileLines(theirs, ours)
	var t, o2 settlement.TotalsLine
	for _, l := range theirs {
		if !l.Refunded {
			t.Count, t.MedFee, t.FundPay = t.Count+1, t.MedFee+l.MedFee, t.FundPay+l.FundPay
		}
	}
	for _, l := range ours {
		if !l.Refunded {
			o2.Count, o2.MedFee, o2.FundPay = o2.Count+1, o2.MedFee+l.MedFee, o2.FundPay+l.FundPay
		}
	}
	text := fmt.Sprintf("逐笔对账：%d笔不符", len(diffs))
	return diffs, o.recordReconciliation(ctx, "3202", from, to, t, o2, len(diffs), text)
}

func checkPeriod(from, to string) error {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return errs.Field("input.data.stmt_enddate", "order", "stmt_enddate（对账终止日期）不能早于stmt_begndate（对账开始日期）")
	}
	if t.Sub(f) > 92*24*time.Hour {
		return errs.Field("input.data.stmt_enddate", "range", "对账期间不能超过3个月")
	}
	return nil
}
