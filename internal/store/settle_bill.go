package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/settlement"
)

// Bill is a (pre-)settlement's answer: the encounter, the totals, the
// lines and the rules' findings.
type Bill struct {
	Encounter  settlement.Encounter
	Settlement settlement.Settlement
	Lines      []*settlement.Line
	Result     settlement.Result
	Warn       string
}

// check gathers what the rules run over for an encounter's unsettled
// lines, linking a pending encounter to an injury recognised since.
func (o *HISOps) check(ctx context.Context, e *encounterRow) (settlement.Check, []*settlement.Line, error) {
	if err := o.relink(ctx, e); err != nil {
		return settlement.Check{}, nil, err
	}
	lines, err := queryLines(ctx, o.t, `encounter_id = $1 AND `+liveLine+` AND state = 'uploaded'`, e.ID)
	if err != nil {
		return settlement.Check{}, nil, err
	}
	pricing, err := o.pricing(ctx, &e.Encounter)
	if err != nil {
		return settlement.Check{}, nil, err
	}
	c := settlement.Check{Encounter: &e.Encounter, Lines: lines, Pricing: pricing, AsOf: o.t.now}
	if c.Off, err = o.t.s.realtimeOff(ctx, o.t, e.RegionCode, o.t.now.In(settlement.CST).Format(time.DateOnly)); err != nil {
		return c, nil, err
	}
	if e.CaseID != 0 {
		var detail string
		if err := o.t.QueryRowContext(ctx, `SELECT detail FROM cases WHERE id = $1`, e.CaseID).Scan(&detail); err != nil {
			return c, nil, err
		}
		var ct caseText
		_ = json.Unmarshal([]byte(detail), &ct)
		c.InjuryDiag = DiagCode(ct.Diagnosis)
	}
	// Only a device line is held against earlier configurations.
	for _, l := range lines {
		if l.Category == catalogue.Device {
			c.Devices, err = o.devices(ctx, e.WorkerID)
			break
		}
	}
	return c, lines, err
}

// devices lists the worker's earlier settled device configurations.
func (o *HISOps) devices(ctx context.Context, workerID int64) ([]settlement.DeviceUse, error) {
	// CROSS JOIN keeps SQLite's join order: the worker's encounters first,
	// then their lines by the index, whatever the statistics say (with
	// fee_lines analysed while small it scanned every line instead).
	rows, err := o.t.QueryContext(ctx, `SELECT l.code, l.fee_time FROM encounters e CROSS JOIN fee_lines l
		WHERE l.encounter_id = e.id AND e.worker_id = $1 AND l.`+liveLine+` AND l.state = 'settled' AND l.category = 'device' AND l.payable > 0`, workerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []settlement.DeviceUse
	for rows.Next() {
		var u settlement.DeviceUse
		var at time.Time
		if err := rows.Scan(&u.Code, &at); err != nil {
			return nil, err
		}
		u.Day = settlement.Day(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

// relink makes a pending encounter payable when its person's injury has
// been recognised since (the decision's own transaction does the same for
// open encounters; this covers one admitted in between).
func (o *HISOps) relink(ctx context.Context, e *encounterRow) error {
	if e.Payable {
		return nil
	}
	injuries, err := o.t.injuries(ctx, e.WorkerID, settlement.Day(o.t.now))
	if err != nil {
		return err
	}
	for _, in := range injuries {
		if in.Status != "recognized" || (e.CaseID != 0 && in.CaseID != e.CaseID) || e.CaseID == 0 && in.InjuryDate > settlement.Day(e.Begin) {
			continue
		}
		e.CaseID, e.InjuryID, e.Payable = in.CaseID, in.ID, true
		if o.readOnly {
			return nil // 2303 and 3101 answer as if linked; 2304 links it
		}
		_, err := o.t.ExecContext(ctx, `UPDATE encounters SET case_id = $1, payable = TRUE, updated_at = $2, version = version + 1 WHERE id = $3`,
			in.CaseID, o.t.now, e.ID)
		if err != nil {
			return err
		}
		return o.t.audit(ctx, "encounter.payable", "encounter", e.ID, e.RegionCode, nil, map[string]any{"mdtrt_id": e.MdtrtID, "injury_id": in.ID})
	}
	if e.CaseID != 0 {
		for _, in := range injuries {
			if in.CaseID == e.CaseID {
				e.InjuryID = in.ID
			}
		}
	}
	return nil
}

// PreSettle answers 2303: the amounts as 2304 would settle them, with a
// warning when the encounter may not be settled yet. Nothing is written
// but what relinking a recognised injury writes.
func (o *HISOps) PreSettle(ctx context.Context, mdtrtID, psnNo string, declared int64) (Bill, error) {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return Bill{}, err
	}
	b, err := o.bill(ctx, &e, declared)
	if err != nil {
		return b, err
	}
	b.Warn = e.Payability()
	return b, nil
}

func (o *HISOps) bill(ctx context.Context, e *encounterRow, declared int64) (Bill, error) {
	if e.State == settlement.Cancelled || e.State == settlement.Settled {
		return Bill{}, errs.E(errs.Conflict, "%s", e.Payability())
	}
	c, lines, err := o.check(ctx, e)
	if err != nil {
		return Bill{}, err
	}
	if len(lines) == 0 {
		return Bill{}, errs.Field("input.data.mdtrt_id", "no_lines", "该就诊没有待结算的费用明细")
	}
	if err := settlement.CheckSum(declared, lines); err != nil {
		return Bill{}, err
	}
	r := settlement.Evaluate(c)
	st := settlement.Settlement{Kind: "settle", EncounterID: e.ID, InstitutionID: e.InstitutionID, WorkerID: e.WorkerID,
		RegionCode: e.RegionCode, TreatRegion: e.TreatRegion, InsuredRegion: e.InsuredRegion, Remote: e.Remote, MedType: e.MedType,
		Totals: settlement.Sum(lines, r), At: o.t.now, State: settlement.Valid, Msgid: o.msgid}
	return Bill{Encounter: e.Encounter, Settlement: st, Lines: lines, Result: r}, nil
}

// Settle records 2304: the fund pays the in-scope share less the definite
// findings; the suspicious ones go to the review queue; a stay's meal
// allowance becomes a benefit payable to the worker.
func (o *HISOps) Settle(ctx context.Context, set *param.Set, mdtrtID, psnNo string, declared int64) (Bill, error) {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return Bill{}, err
	}
	if e.MedType.Stay() && e.State == settlement.Open {
		return Bill{}, errs.E(errs.Conflict, "住院结算须先办理出院（2402）；在院期间的中途结算（mid_setl_flag=1）暂不支持")
	}
	b, err := o.bill(ctx, &e, declared)
	if err != nil {
		return b, err
	}
	if why := e.Payability(); why != "" {
		return b, errs.E(errs.Conflict, "%s", why)
	}
	st := &b.Settlement
	if daily, ok := mealRate(set, e.InsuredRegion, e.Begin); ok {
		st.MealDays, st.MealFen = settlement.MealAllowance(&e.Encounter, daily)
	} else if e.MedType.Stay() {
		b.Warn = "参保地住院伙食补助费标准未设置，伙食补助费未核定"
	}
	if err := o.insertSettlement(ctx, st, setlDay(o.t.now)); err != nil {
		return b, err
	}
	if err := o.settleLines(ctx, st, b.Lines, b.Result); err != nil {
		return b, err
	}
	if err := o.insertFindings(ctx, st, b.Result.Findings); err != nil {
		return b, err
	}
	if st.MealFen > 0 {
		if _, err := o.t.ExecContext(ctx, `INSERT INTO meal_allowances (settlement_id, case_id, worker_id, region_code, days, daily_fen, amount_fen, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, st.ID, e.CaseID, e.WorkerID, e.WorkerRegion, st.MealDays, st.MealFen/int64(st.MealDays), st.MealFen, o.t.now); err != nil {
			return b, err
		}
	}
	e.State, b.Encounter.State = settlement.Settled, settlement.Settled
	if _, err := o.t.ExecContext(ctx, `UPDATE encounters SET state = 'settled', updated_at = $1, version = version + 1 WHERE id = $2`, o.t.now, e.ID); err != nil {
		return b, err
	}
	return b, o.t.audit(ctx, "settlement.settle", "settlement", st.ID, st.RegionCode, nil, settlementSnapshot(st))
}

func setlDay(t time.Time) string { return settlement.Day(t) }

// mealRate is the insured region's daily meal allowance on day.
func mealRate(set *param.Set, region string, on time.Time) (int64, bool) {
	if set == nil {
		return 0, false
	}
	v, err := set.Lookup("meal_allowance", "", region, on)
	if err != nil {
		return 0, false
	}
	fen, err := v.Money()
	return fen, err == nil && fen > 0
}

func settlementSnapshot(st *settlement.Settlement) map[string]any {
	return map[string]any{"setl_id": st.SetlID, "kind": st.Kind, "encounter_id": st.EncounterID, "medfee": st.MedFee,
		"fund_pay": st.FundPay, "cash_pay": st.CashPay, "definite": st.Definite, "state": st.State, "meal_fen": st.MealFen}
}

func (o *HISOps) insertSettlement(ctx context.Context, st *settlement.Settlement, day string) error {
	var of any
	if st.Of != 0 {
		of = st.Of
	}
	err := o.t.QueryRowContext(ctx, `INSERT INTO settlements (kind, of_id, encounter_id, institution_id, worker_id, region_code, worker_region,
		treat_region, insured_region, remote, med_type, medfee, own_pay, over_limit, in_scope, fund_pay, cash_pay, definite, flagged,
		setl_time, setl_day, state, msgid, meal_days, meal_fen)
		VALUES ($1, $2, $3, $4, $5, $6, (SELECT worker_region FROM encounters WHERE id = $3), $7, $8, $9, $10, $11, $12, $13, $14, $15,
		$16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id`,
		st.Kind, of, st.EncounterID, st.InstitutionID, st.WorkerID, st.RegionCode, st.TreatRegion, st.InsuredRegion, st.Remote,
		string(st.MedType), st.MedFee, st.OwnPay, st.OverLimit, st.InScope, st.FundPay, st.CashPay, st.Definite, st.Flagged,
		st.At, day, string(st.State), st.Msgid, st.MealDays, st.MealFen).Scan(&st.ID)
	if err != nil {
		if errs.Is(o.t.s.translate(err), errs.Conflict) {
			return errs.E(errs.Conflict, "该就诊已结算，请勿重复结算")
		}
		return err
	}
	st.SetlID = settlement.SetlID(st.TreatRegion, st.ID)
	return nil
}

// settleLines marks the lines settled; only lines a definite finding cut
// need their own payable written.
func (o *HISOps) settleLines(ctx context.Context, st *settlement.Settlement, lines []*settlement.Line, r settlement.Result) error {
	if _, err := o.t.ExecContext(ctx, `UPDATE fee_lines SET state = 'settled', settlement_id = $1, payable = in_scope
		WHERE encounter_id = $2 AND `+liveLine+` AND state = 'uploaded'`, st.ID, st.EncounterID); err != nil {
		return err
	}
	for _, l := range lines {
		if p := r.Payable[l.SN]; p != l.InScope {
			if _, err := o.t.ExecContext(ctx, `UPDATE fee_lines SET payable = $1 WHERE id = $2`, p, l.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *HISOps) insertFindings(ctx context.Context, st *settlement.Settlement, fs []settlement.Finding) error {
	if len(fs) == 0 {
		return nil
	}
	cols := []string{"settlement_id", "encounter_id", "institution_id", "region_code", "rule_id", "rule_name", "severity", "category",
		"line_sn", "amount", "content", "evidence", "review", "created_at"}
	err := o.t.insertMany(ctx, "settlement_findings", cols, len(fs), func(i int) []any {
		f := fs[i]
		review := "none"
		if f.Severity == settlement.Suspicious {
			review = "pending"
		}
		return []any{st.ID, st.EncounterID, st.InstitutionID, st.RegionCode, f.RuleID, f.RuleName, string(f.Severity), f.Category,
			f.LineSN, f.Amount, f.Content, f.Evidence, review, o.t.now}
	}, "")
	if err != nil {
		return err
	}
	month := settlement.Day(o.t.now)[:7]
	per := map[string][2]int64{}
	for _, f := range fs {
		v := per[f.RuleID]
		v[0]++
		v[1] += f.Amount
		per[f.RuleID] = v
	}
	for id, v := range per {
		if _, err := o.t.ExecContext(ctx, `INSERT INTO rule_stats (rule_id, month, triggers, amount) VALUES ($1, $2, $3, $4)
			ON CONFLICT (rule_id, month) DO UPDATE SET triggers = rule_stats.triggers + $3, amount = rule_stats.amount + $4`,
			id, month, v[0], v[1]); err != nil {
			return err
		}
	}
	return nil
}

const settlementCols = `id, kind, COALESCE(of_id, 0), encounter_id, institution_id, worker_id, region_code, treat_region, insured_region,
	remote, med_type, medfee, own_pay, over_limit, in_scope, fund_pay, cash_pay, definite, flagged, setl_time, state,
	COALESCE(statement_id, 0), COALESCE(remote_statement_id, 0), msgid, meal_days, meal_fen`

func scanSettlement(r interface{ Scan(...any) error }) (settlement.Settlement, error) {
	var st settlement.Settlement
	var remoteStmt int64
	err := r.Scan(&st.ID, &st.Kind, &st.Of, &st.EncounterID, &st.InstitutionID, &st.WorkerID, &st.RegionCode, &st.TreatRegion,
		&st.InsuredRegion, &st.Remote, &st.MedType, &st.MedFee, &st.OwnPay, &st.OverLimit, &st.InScope, &st.FundPay, &st.CashPay,
		&st.Definite, &st.Flagged, &st.At, &st.State, &st.StatementID, &remoteStmt, &st.Msgid, &st.MealDays, &st.MealFen)
	if st.StatementID == 0 {
		st.StatementID = remoteStmt
	}
	st.SetlID = settlement.SetlID(st.TreatRegion, st.ID)
	return st, err
}

func (o *HISOps) settlementByID(ctx context.Context, setlID, field string) (settlement.Settlement, error) {
	notFound := errs.Field(field, "not_found", "setl_id（结算ID）%s在本机构不存在", setlID)
	id, ok := idOf(setlID, '2')
	if !ok {
		return settlement.Settlement{}, notFound
	}
	st, err := scanSettlement(o.t.QueryRowContext(ctx, `SELECT `+settlementCols+` FROM settlements WHERE id = $1`+o.t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (st.InstitutionID != o.inst.ID || st.SetlID != setlID) {
		return st, notFound
	}
	return st, err
}

// CancelSettlement records 2305: a negative row cancels the settlement,
// the lines return to unsettled and the encounter may be settled again.
// Cancelling a cancelled settlement again answers the same cancellation.
func (o *HISOps) CancelSettlement(ctx context.Context, setlID, mdtrtID, psnNo string) (settlement.Settlement, error) {
	st, err := o.settlementByID(ctx, setlID, "input.data.setl_id")
	if err != nil {
		return st, err
	}
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return st, err
	}
	if e.ID != st.EncounterID || st.Kind != "settle" {
		return st, errs.Field("input.data.setl_id", "mismatch", "setl_id（结算ID）%s不是该就诊的结算", setlID)
	}
	if st.State == settlement.SetlCancelled {
		return scanSettlement(o.t.QueryRowContext(ctx, `SELECT `+settlementCols+` FROM settlements WHERE of_id = $1 AND kind = 'cancel'`, st.ID))
	}
	if err := o.mayUndo(st); err != nil {
		return st, err
	}
	c := st
	c.ID, c.Kind, c.Of, c.Totals, c.At, c.Msgid, c.MealDays, c.MealFen = 0, "cancel", st.ID, st.Totals.Negate(), o.t.now, o.msgid, -st.MealDays, -st.MealFen
	if err := o.insertSettlement(ctx, &c, setlDay(o.t.now)); err != nil {
		return c, err
	}
	if err := o.undo(ctx, st, e, settlement.SetlCancelled); err != nil {
		return c, err
	}
	return c, o.t.audit(ctx, "settlement.cancel", "settlement", st.ID, st.RegionCode, settlementSnapshot(&st), settlementSnapshot(&c))
}

// mayUndo refuses to cancel or reverse a settlement in a clearing
// statement.
func (o *HISOps) mayUndo(st settlement.Settlement) error {
	if st.StatementID != 0 {
		return errs.E(errs.Conflict, "该结算已纳入月度清算单，不能撤销或冲正")
	}
	if st.State != settlement.Valid {
		return errs.E(errs.Conflict, "该结算已撤销或冲正")
	}
	return nil
}

// undo returns a settlement's lines to unsettled, cancels its meal
// allowance and withdraws its pending findings.
func (o *HISOps) undo(ctx context.Context, st settlement.Settlement, e encounterRow, state settlement.SettlementState) error {
	// The lines keep the settlement's id, so reversing a cancellation can
	// put back exactly these lines; the next settlement overwrites it.
	steps := []struct {
		q    string
		args []any
	}{
		{`UPDATE settlements SET state = $1 WHERE id = $2`, []any{string(state), st.ID}},
		{`UPDATE fee_lines SET state = 'uploaded' WHERE settlement_id = $1 AND state = 'settled'`, []any{st.ID}},
		{`UPDATE meal_allowances SET status = 'cancelled' WHERE settlement_id = $1`, []any{st.ID}},
		{`UPDATE settlement_findings SET review = 'none' WHERE settlement_id = $1 AND review = 'pending'`, []any{st.ID}},
	}
	for _, step := range steps {
		if _, err := o.t.ExecContext(ctx, step.q, step.args...); err != nil {
			return err
		}
	}
	next := settlement.Discharged
	if e.End == nil {
		next = settlement.Open
	}
	_, err := o.t.ExecContext(ctx, `UPDATE encounters SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3`, string(next), o.t.now, e.ID)
	return err
}
