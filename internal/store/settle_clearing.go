package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
)

// Monthly clearing (月度清算). A pooling area's agency closes a past month:
// every settlement in force of that month at its institutions that is in no
// statement yet goes into one statement per institution (what the fund
// pays the institution) and, when remote, also into one statement per pair
// of pooling regions (the insured region pays the treatment region what
// its fund advanced). The settlements are read under their row locks, so a
// concurrent 2305/2601 either finishes first (the settlement is no longer
// in force and stays out) or waits and is then refused (mayUndo: in a
// statement); a concurrent close waits and finds nothing left. Closing a
// month again adds nothing. An institution's statement deducts its open
// field-audit offset recoveries (offsetStatement, supervision_offset.go)
// in the same transaction.

// Statement is a clearing statement.
type Statement struct {
	ID              int64     `json:"id"`
	Kind            string    `json:"kind"` // institution | remote
	Month           string    `json:"month"`
	RegionCode      string    `json:"region_code"`
	InstitutionID   int64     `json:"institution_id,omitempty"`
	InstitutionCode string    `json:"fixmedins_code,omitempty"`
	InstitutionName string    `json:"fixmedins_name,omitempty"`
	PayerRegion     string    `json:"payer_region"`
	PayeeRegion     string    `json:"payee_region"`
	Count           int64     `json:"count"`
	MedFee          int64     `json:"medfee"`
	FundPay         int64     `json:"fund_pay"`
	OffsetFen       int64     `json:"offset_fen"` // field-audit recoveries deducted (supervision_offset.go)
	CreatedBy       int64     `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
}

// ClearingResult is what one close made.
type ClearingResult struct {
	Month       string      `json:"month"`
	Region      string      `json:"region"`
	Statements  []Statement `json:"statements"`
	Settlements int         `json:"settlements"`
}

// monthRange is [first day, first day of the next month) of YYYY-MM.
func monthRange(month string) (string, string, error) {
	t, err := time.Parse("2006-01", month)
	if err != nil || t.Format("2006-01") != month {
		return "", "", errs.Field("month", "month_format", "清算月份“%s”无效（格式YYYY-MM）", month)
	}
	return t.Format(time.DateOnly), t.AddDate(0, 1, 0).Format(time.DateOnly), nil
}

// CloseClearing closes month for the pooling region region (PermClearing).
func (s *Store) CloseClearing(ctx context.Context, actor access.Principal, month, region string) (ClearingResult, error) {
	res := ClearingResult{Month: month, Region: region}
	from, to, err := monthRange(month)
	if err != nil {
		return res, err
	}
	if !actor.Can(access.PermClearing) {
		return res, errs.E(errs.Forbidden, "无权办理月度清算")
	}
	if region == "" || settlement.PoolingRegion(region) != region {
		return res, errs.Field("region", "pooling", "月度清算由统筹地区（市级）经办机构办理，%s不是统筹地区", regionLabel(region))
	}
	if err := inScope(actor.Scope(), region); err != nil {
		return res, err
	}
	err = s.write(ctx, actor, func(t *tx) error {
		if thisMonth := settlement.Day(t.now)[:7]; month >= thisMonth {
			return errs.Field("month", "not_past", "只能清算已结束的月份（本月为%s）", thisMonth)
		}
		rows, err := t.unstated(ctx, region, from, to)
		if err != nil {
			return err
		}
		res.Settlements = len(rows)
		return t.makeStatements(ctx, month, region, rows, &res)
	})
	return res, err
}

type unstatedRow struct {
	id, institution      int64
	region, treat, payer string
	remote               bool
	medfee, fund         int64
}

// unstated reads, under their row locks, the month's settlements in force
// at the region's institutions that are not in a statement yet.
func (t *tx) unstated(ctx context.Context, region, from, to string) ([]unstatedRow, error) {
	lo, hi := access.ScopeOf(region).Range()
	rows, err := t.QueryContext(ctx, `SELECT id, institution_id, region_code, treat_region, insured_region, remote, medfee, fund_pay FROM settlements
		WHERE kind = 'settle' AND state = 'valid' AND statement_id IS NULL AND setl_day >= $1 AND setl_day < $2
		AND region_code >= $3 AND region_code < $4 ORDER BY id`+t.s.engine.forUpdate(), from, to, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []unstatedRow
	for rows.Next() {
		var r unstatedRow
		if err := rows.Scan(&r.id, &r.institution, &r.region, &r.treat, &r.payer, &r.remote, &r.medfee, &r.fund); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *tx) makeStatements(ctx context.Context, month, region string, rows []unstatedRow, res *ClearingResult) error {
	type key struct {
		inst         int64
		payer, payee string
	}
	sums := map[key]*Statement{}
	var keys []key
	add := func(k key, st Statement, r unstatedRow) {
		if sums[k] == nil {
			sums[k] = &st
			keys = append(keys, k)
		}
		sums[k].Count++
		sums[k].MedFee += r.medfee
		sums[k].FundPay += r.fund
	}
	for _, r := range rows {
		payee := settlement.PoolingRegion(r.treat)
		add(key{inst: r.institution}, Statement{Kind: "institution", RegionCode: r.region, InstitutionID: r.institution, PayerRegion: payee, PayeeRegion: payee}, r)
		if r.remote {
			payer := settlement.PoolingRegion(r.payer)
			add(key{payer: payer, payee: payee}, Statement{Kind: "remote", RegionCode: payee, PayerRegion: payer, PayeeRegion: payee}, r)
		}
	}
	ids := map[key]int64{}
	for _, k := range keys {
		st := sums[k]
		st.Month, st.CreatedBy, st.CreatedAt = month, t.actor.UserID, t.now
		var inst any
		if st.InstitutionID != 0 {
			inst = st.InstitutionID
		}
		err := t.QueryRowContext(ctx, `INSERT INTO clearing_statements (kind, month, region_code, institution_id, payer_region, payee_region,
			count, medfee, fund_pay, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			st.Kind, month, st.RegionCode, inst, st.PayerRegion, st.PayeeRegion, st.Count, st.MedFee, st.FundPay, st.CreatedBy, t.now).Scan(&st.ID)
		if err != nil {
			if errs.Is(t.s.translate(err), errs.Conflict) {
				return errs.E(errs.Conflict, "%s的清算单已存在（%s），请刷新后重试", month, statementName(*st))
			}
			return err
		}
		ids[k] = st.ID
		if err := t.offsetStatement(ctx, st); err != nil {
			return err
		}
		res.Statements = append(res.Statements, *st)
	}
	for _, r := range rows {
		remote := any(nil)
		if r.remote {
			remote = ids[key{payer: settlement.PoolingRegion(r.payer), payee: settlement.PoolingRegion(r.treat)}]
		}
		res, err := t.ExecContext(ctx, `UPDATE settlements SET statement_id = $1, remote_statement_id = $2 WHERE id = $3 AND statement_id IS NULL`,
			ids[key{inst: r.institution}], remote, r.id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "结算%s已纳入其他清算单，请刷新后重试", settlement.SetlID(r.treat, r.id))
		}
	}
	for _, st := range res.Statements {
		if err := t.audit(ctx, "clearing.close", "statement", st.ID, st.RegionCode, nil, statementSnapshot(st)); err != nil {
			return err
		}
	}
	return nil
}

func statementSnapshot(st Statement) map[string]any {
	return map[string]any{"kind": st.Kind, "month": st.Month, "institution_id": st.InstitutionID, "payer_region": st.PayerRegion,
		"payee_region": st.PayeeRegion, "count": st.Count, "medfee": st.MedFee, "fund_pay": st.FundPay, "offset_fen": st.OffsetFen}
}

func statementName(st Statement) string {
	if st.Kind == "remote" {
		return regionLabel(st.PayerRegion) + "→" + regionLabel(st.PayeeRegion)
	}
	return fmt.Sprintf("机构%d", st.InstitutionID)
}

const statementCols = `c.id, c.kind, c.month, c.region_code, COALESCE(c.institution_id, 0), COALESCE(i.code, ''), COALESCE(i.name, ''),
	c.payer_region, c.payee_region, c.count, c.medfee, c.fund_pay, c.offset_fen, c.created_by, c.created_at`

const statementFrom = ` FROM clearing_statements c LEFT JOIN institutions i ON i.id = c.institution_id WHERE `

func scanStatement(r interface{ Scan(...any) error }) (Statement, error) {
	var st Statement
	err := r.Scan(&st.ID, &st.Kind, &st.Month, &st.RegionCode, &st.InstitutionID, &st.InstitutionCode, &st.InstitutionName,
		&st.PayerRegion, &st.PayeeRegion, &st.Count, &st.MedFee, &st.FundPay, &st.OffsetFen, &st.CreatedBy, &st.CreatedAt)
	return st, err
}

// statementScope: a statement is seen in its region's scope, a remote one
// also in the paying region's.
func statementScope(scope access.Scope) *where {
	lo, hi := scope.Range()
	return &where{sql: "(c.region_code >= $1 AND c.region_code < $2 OR c.kind = 'remote' AND c.payer_region >= $1 AND c.payer_region < $2)", args: []any{lo, hi}}
}

// FindStatement reads a statement the viewer may see.
func (s *Store) FindStatement(ctx context.Context, viewer access.Principal, id int64) (Statement, error) {
	st, err := scanStatement(s.db.QueryRowContext(ctx, `SELECT `+statementCols+statementFrom+`c.id = $1`, id))
	owners := access.Owners{Region: st.RegionCode, InstitutionID: st.InstitutionID}
	if st.Kind == "remote" {
		owners.Regions = []string{st.PayerRegion}
	}
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(owners) {
		return Statement{}, errs.E(errs.NotFound, "清算单不存在")
	}
	return st, err
}

// Statements lists a month's statements in scope: kind "" both, by kind,
// institution statements by institution code.
func (s *Store) Statements(ctx context.Context, scope access.Scope, month, kind string) ([]Statement, error) {
	w := statementScope(scope)
	w.cond("c.month = $%d", month)
	if kind != "" {
		w.cond("c.kind = $%d", kind)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+statementCols+statementFrom+w.sql+` ORDER BY c.kind, i.code, c.payer_region, c.payee_region, c.id`, w.args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanStatement)
}

// ClearingFilter narrows the clearing status list.
type ClearingFilter struct {
	Month  string // YYYY-MM, required
	Region string // an institution region inside the scope ("" all)
	State  string // "open": some settlements not cleared; "cleared": all cleared
	Page   Page
}

// ClearingStatus is one institution's month: what is settled and not yet
// in a statement, and its statement.
type ClearingStatus struct {
	InstitutionID   int64  `json:"institution_id"`
	InstitutionCode string `json:"fixmedins_code"`
	InstitutionName string `json:"fixmedins_name"`
	RegionCode      string `json:"region_code"`
	OpenCount       int64  `json:"open_count"`
	OpenFundPay     int64  `json:"open_fund_pay"`
	OpenMedFee      int64  `json:"open_medfee"`
	StatementID     int64  `json:"statement_id,omitempty"`
	ClearedCount    int64  `json:"cleared_count"`
	ClearedFundPay  int64  `json:"cleared_fund_pay"`
}

func clearingWhere(scope access.Scope, f ClearingFilter) (*where, error) {
	from, to, err := monthRange(f.Month)
	if err != nil {
		return nil, err
	}
	if f.Region != "" && scope.Covers(f.Region) {
		scope = access.ScopeOf(f.Region)
	}
	lo, hi := scope.Range()
	w := &where{sql: "s.kind = 'settle' AND s.state = 'valid' AND s.setl_day >= $1 AND s.setl_day < $2 AND s.region_code >= $3 AND s.region_code < $4",
		args: []any{from, to, lo, hi}}
	return w, nil
}

// ClearingStatuses lists, per institution in scope with settlements in
// force in the month, what is not cleared yet and its statement, by
// institution code.
func (s *Store) ClearingStatuses(ctx context.Context, scope access.Scope, f ClearingFilter) ([]ClearingStatus, int, error) {
	w, err := clearingWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	having := ""
	switch f.State {
	case "":
	case "open":
		having = " HAVING SUM(CASE WHEN s.statement_id IS NULL THEN 1 ELSE 0 END) > 0"
	case "cleared":
		having = " HAVING SUM(CASE WHEN s.statement_id IS NULL THEN 1 ELSE 0 END) = 0"
	default:
		return nil, 0, errs.Field("state", "filter_choice", "清算状态“%s”不在可选范围内", f.State)
	}
	group := `SELECT s.institution_id, i.code, i.name, i.region_code,
		SUM(CASE WHEN s.statement_id IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN s.statement_id IS NULL THEN s.fund_pay ELSE 0 END),
		SUM(CASE WHEN s.statement_id IS NULL THEN s.medfee ELSE 0 END), COALESCE(MAX(s.statement_id), 0),
		SUM(CASE WHEN s.statement_id IS NULL THEN 0 ELSE 1 END), SUM(CASE WHEN s.statement_id IS NULL THEN 0 ELSE s.fund_pay END)
		FROM settlements s JOIN institutions i ON i.id = s.institution_id WHERE ` + w.sql + ` GROUP BY s.institution_id, i.code, i.name, i.region_code` + having
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+group+`) g`, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count clearing: %w", err)
	}
	p := f.Page
	if p.Limit >= 0 {
		p = p.normalize()
	} else {
		p.Limit, p.Offset = 1<<31-1, 0
	}
	rows, err := s.db.QueryContext(ctx, group+w.page("i.code", p), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: clearing: %w", err)
	}
	out, err := collect(rows, func(r interface{ Scan(...any) error }) (ClearingStatus, error) {
		var c ClearingStatus
		err := r.Scan(&c.InstitutionID, &c.InstitutionCode, &c.InstitutionName, &c.RegionCode, &c.OpenCount, &c.OpenFundPay, &c.OpenMedFee,
			&c.StatementID, &c.ClearedCount, &c.ClearedFundPay)
		return c, err
	})
	return out, total, err
}

// The daily reconciliation (对账) view. Every 3201/3202 is recorded when
// it is answered (recordReconciliation, in the HIS transaction): the
// period, what the institution declared and what we had. The view shows,
// per institution and day (and per period an institution reconciled over
// several days), our figures now beside the institution's last
// declaration for that period: balanced, different, or not reconciled.

// recordReconciliation records a 3201/3202 outcome.
func (o *HISOps) recordReconciliation(ctx context.Context, infno, from, to string, theirs, ours settlement.TotalsLine, diffs int, text string) error {
	balanced := theirs == ours && diffs == 0
	_, err := o.t.ExecContext(ctx, `INSERT INTO his_reconciliations (institution_id, region_code, infno, msgid, begin_day, end_day, their_count,
		their_medfee, their_fund_pay, our_count, our_medfee, our_fund_pay, balanced, differences, result_text, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		o.inst.ID, o.inst.RegionCode, infno, o.msgid, from, to, theirs.Count, theirs.MedFee, theirs.FundPay, ours.Count, ours.MedFee, ours.FundPay,
		balanced, diffs, text, o.t.now)
	return err
}

// ReconFilter narrows the reconciliation view; From and To are required
// (at most 92 days).
type ReconFilter struct {
	InstitutionID int64
	From, To      string
	Status        string // balanced | differs | none
	Page          Page
}

// ReconRow is one institution's period.
type ReconRow struct {
	InstitutionID   int64                 `json:"institution_id"`
	InstitutionCode string                `json:"fixmedins_code"`
	InstitutionName string                `json:"fixmedins_name"`
	From, To        string                `json:"-"`
	Ours            settlement.TotalsLine `json:"ours"`
	Theirs          *ReconRecord          `json:"declared,omitempty"` // the last 3201/3202 for the period
}

// ReconRecord is one recorded 3201/3202.
type ReconRecord struct {
	Infno   string                `json:"infno"`
	Msgid   string                `json:"msgid"`
	Totals  settlement.TotalsLine `json:"totals"`
	AtTime  settlement.TotalsLine `json:"ours_then"` // what we had when it was answered
	Diffs   int                   `json:"differences"`
	Text    string                `json:"result_text"`
	At      time.Time             `json:"at"`
	Balance bool                  `json:"balanced_then"`
}

// Status is balanced, differs or none (not reconciled), comparing the
// declaration with our figures now.
func (r ReconRow) Status() string {
	switch {
	case r.Theirs == nil:
		return "none"
	case r.Theirs.Totals == r.Ours && r.Theirs.Diffs == 0:
		return "balanced"
	}
	return "differs"
}

// ReconStatusNames name the statuses.
var ReconStatusNames = map[string]string{"balanced": "平衡", "differs": "不平", "none": "未对账"}

// Reconciliation lists the view's rows for the institutions in scope, by
// day, newest first, then institution code.
func (s *Store) Reconciliation(ctx context.Context, scope access.Scope, f ReconFilter) ([]ReconRow, int, error) {
	if f.From == "" || f.To == "" || f.To < f.From {
		return nil, 0, errs.Field("to", "range", "请选择对账期间（起止日期，止不早于起）")
	}
	if dayStart(f.To).Sub(dayStart(f.From)) > 92*24*time.Hour {
		return nil, 0, errs.Field("to", "range", "对账期间不能超过3个月")
	}
	if f.Status != "" && ReconStatusNames[f.Status] == "" {
		return nil, 0, errs.Field("status", "filter_choice", "对账结果“%s”不在可选范围内", f.Status)
	}
	lo, hi := scope.Range()
	w := &where{sql: "i.region_code >= $1 AND i.region_code < $2", args: []any{lo, hi}}
	if f.InstitutionID != 0 {
		w.cond("i.id = $%d", f.InstitutionID)
	}
	recs, err := s.reconRecords(ctx, w, f.From, f.To)
	if err != nil {
		return nil, 0, err
	}
	// Our figures per institution and day, over the filter's days and
	// those of every recorded period.
	minDay, maxDay := f.From, f.To
	for _, r := range recs {
		minDay, maxDay = min(minDay, r.From), max(maxDay, r.To)
	}
	type dayKey struct {
		inst int64
		day  string
	}
	ours := map[dayKey]settlement.TotalsLine{}
	names := map[int64][2]string{}
	dw := *w
	dw.args = append([]any(nil), w.args...)
	dw.cond("s.setl_day >= $%d AND s.setl_day <= $%d", minDay, maxDay)
	rows, err := s.db.QueryContext(ctx, `SELECT s.institution_id, i.code, i.name, s.setl_day, COUNT(*), SUM(s.medfee), SUM(s.fund_pay)
		FROM settlements s JOIN institutions i ON i.id = s.institution_id WHERE s.kind = 'settle' AND s.state = 'valid' AND `+dw.sql+`
		GROUP BY s.institution_id, i.code, i.name, s.setl_day`, dw.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: reconciliation: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k dayKey
		var code, name string
		var t settlement.TotalsLine
		if err := rows.Scan(&k.inst, &code, &name, &k.day, &t.Count, &t.MedFee, &t.FundPay); err != nil {
			return nil, 0, err
		}
		ours[k] = t
		names[k.inst] = [2]string{code, name}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	type periodKey struct {
		inst     int64
		from, to string
	}
	out := map[periodKey]*ReconRow{}
	for k := range ours {
		if k.day >= f.From && k.day <= f.To {
			out[periodKey{k.inst, k.day, k.day}] = &ReconRow{InstitutionID: k.inst, From: k.day, To: k.day}
		}
	}
	for _, r := range recs {
		pk := periodKey{r.inst, r.From, r.To}
		if out[pk] == nil {
			out[pk] = &ReconRow{InstitutionID: r.inst, From: r.From, To: r.To}
		}
		rec := r.rec
		out[pk].Theirs = &rec
		if names[r.inst] == ([2]string{}) {
			names[r.inst] = [2]string{r.code, r.name}
		}
	}
	var list []ReconRow
	for _, row := range out {
		for k, t := range ours {
			if k.inst == row.InstitutionID && k.day >= row.From && k.day <= row.To {
				row.Ours.Count += t.Count
				row.Ours.MedFee += t.MedFee
				row.Ours.FundPay += t.FundPay
			}
		}
		row.InstitutionCode, row.InstitutionName = names[row.InstitutionID][0], names[row.InstitutionID][1]
		if f.Status == "" || row.Status() == f.Status {
			list = append(list, *row)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.To != b.To {
			return a.To > b.To
		}
		if a.From != b.From {
			return a.From > b.From
		}
		return a.InstitutionCode < b.InstitutionCode
	})
	total := len(list)
	if f.Page.Limit >= 0 {
		p := f.Page.normalize()
		list = list[min(p.Offset, total):min(p.Offset+p.Limit, total)]
	}
	return list, total, nil
}

type reconRec struct {
	inst       int64
	code, name string
	From, To   string
	rec        ReconRecord
}

// reconRecords reads the last recorded 3201/3202 of each institution and
// period that overlaps [from, to].
func (s *Store) reconRecords(ctx context.Context, w *where, from, to string) ([]reconRec, error) {
	rw := *w
	rw.args = append([]any(nil), w.args...)
	rw.cond("r.begin_day <= $%d AND r.end_day >= $%d", to, from)
	rows, err := s.db.QueryContext(ctx, `SELECT r.institution_id, i.code, i.name, r.begin_day, r.end_day, r.infno, r.msgid, r.their_count,
		r.their_medfee, r.their_fund_pay, r.our_count, r.our_medfee, r.our_fund_pay, r.balanced, r.differences, r.result_text, r.created_at
		FROM his_reconciliations r JOIN institutions i ON i.id = r.institution_id WHERE `+rw.sql+` ORDER BY r.id`, rw.args...)
	if err != nil {
		return nil, fmt.Errorf("store: reconciliation records: %w", err)
	}
	defer rows.Close()
	last := map[string]int{}
	var out []reconRec
	for rows.Next() {
		var r reconRec
		c := &r.rec
		if err := rows.Scan(&r.inst, &r.code, &r.name, &r.From, &r.To, &c.Infno, &c.Msgid, &c.Totals.Count, &c.Totals.MedFee, &c.Totals.FundPay,
			&c.AtTime.Count, &c.AtTime.MedFee, &c.AtTime.FundPay, &c.Balance, &c.Diffs, &c.Text, &c.At); err != nil {
			return nil, err
		}
		k := fmt.Sprintf("%d|%s|%s", r.inst, r.From, r.To)
		if i, ok := last[k]; ok {
			out[i] = r
			continue
		}
		last[k] = len(out)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Period names a row's period: a day, or from 至 to.
func (r ReconRow) Period() string {
	if r.From == r.To {
		return r.From
	}
	return strings.Join([]string{r.From, r.To}, " 至 ")
}
