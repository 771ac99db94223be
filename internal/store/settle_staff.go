package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
)

// The staff's reads of direct settlement: encounters, settlements and a
// settlement's whole record. Scope: an encounter or a settlement is seen
// by the staff of the treating institution's region (region_code) and by
// those of the injured worker's region (worker_region), so 曲阜's officers
// follow their workers treated in 济南 and 济南's officers the bills of
// their hospitals. Findings and clearing statements are the institution's
// conduct and account, seen by its region (a remote statement also by
// the paying region). Lists show the masked ID number only; a detail
// opens the sealed number for roles with personal.full.

// settleScope is the condition "visible in scope" over a table alias's
// region_code and worker_region.
func settleScope(scope access.Scope, alias string) *where {
	lo, hi := scope.Range()
	return &where{sql: fmt.Sprintf("(%[1]s.region_code >= $1 AND %[1]s.region_code < $2 OR %[1]s.worker_region >= $1 AND %[1]s.worker_region < $2)", alias),
		args: []any{lo, hi}}
}

func (w *where) cond(format string, vs ...any) {
	n := make([]any, len(vs))
	for i, v := range vs {
		w.args = append(w.args, v)
		n[i] = len(w.args)
	}
	w.sql += " AND " + fmt.Sprintf(format, n...)
}

// dayStart is the instant a civil day (YYYY-MM-DD, China Standard Time)
// begins.
func dayStart(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, settlement.CST)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// EncounterFilter narrows the encounter list.
type EncounterFilter struct {
	InstitutionID int64
	MedType       string // 41 42 43 44
	State         string // open discharged settled cancelled
	Payable       string // "payable" | "pending"
	Remote        string // "yes" | "no"
	From, To      string // admitted on or after / on or before (YYYY-MM-DD)
	Page          Page
}

// EncounterItem is one row of the encounter list.
type EncounterItem struct {
	settlement.Encounter
	WorkerRegion    string `json:"worker_region"`
	IDMasked        string `json:"id_number_masked"`
	InstitutionCode string `json:"fixmedins_code"`
	InstitutionName string `json:"fixmedins_name"`
}

const encounterListCols = `e.id, e.institution_id, e.worker_id, e.region_code, e.worker_region, e.treat_region, e.insured_region, e.remote,
	COALESCE(e.filing_id, 0), COALESCE(e.case_id, 0), e.payable, e.med_type, e.begin_at, e.end_at, e.ipt_no, e.dept, e.bed, e.doctor,
	e.diag_code, e.diag_name, e.dscg_way, e.state, e.created_at, e.updated_at, e.version,
	w.name, w.id_masked, i.code, i.name, COALESCE(c.number, '')`

const encounterFrom = ` FROM encounters e JOIN workers w ON w.id = e.worker_id JOIN institutions i ON i.id = e.institution_id
	LEFT JOIN cases c ON c.id = e.case_id WHERE `

func scanEncounterItem(r interface{ Scan(...any) error }) (EncounterItem, error) {
	var it EncounterItem
	var end sql.NullTime
	e := &it.Encounter
	err := r.Scan(&e.ID, &e.InstitutionID, &e.WorkerID, &e.RegionCode, &it.WorkerRegion, &e.TreatRegion, &e.InsuredRegion, &e.Remote,
		&e.FilingID, &e.CaseID, &e.Payable, &e.MedType, &e.Begin, &end, &e.IptNo, &e.Dept, &e.Bed, &e.Doctor,
		&e.DiagCode, &e.DiagName, &e.DscgWay, &e.State, &e.CreatedAt, &e.UpdatedAt, &e.Version,
		&e.PsnName, &it.IDMasked, &it.InstitutionCode, &it.InstitutionName, &e.InjuryID)
	if end.Valid {
		t := end.Time
		e.End = &t
	}
	e.MdtrtID = settlement.MdtrtID(e.TreatRegion, e.ID)
	e.PsnNo = settlement.PsnNo(settlement.PoolingRegion(it.WorkerRegion), e.WorkerID)
	return it, err
}

func encounterWhere(scope access.Scope, f EncounterFilter) (*where, error) {
	w := settleScope(scope, "e")
	if f.InstitutionID != 0 {
		w.cond("e.institution_id = $%d", f.InstitutionID)
	}
	if f.MedType != "" {
		if !settlement.MedType(f.MedType).Valid() {
			return nil, errs.Field("med_type", "filter_choice", "医疗类别“%s”不在可选范围内", f.MedType)
		}
		w.cond("e.med_type = $%d", f.MedType)
	}
	if f.State != "" {
		if settlement.EncounterState(f.State).Name() == "" {
			return nil, errs.Field("state", "filter_choice", "就诊状态“%s”不在可选范围内", f.State)
		}
		w.cond("e.state = $%d", f.State)
	}
	switch f.Payable {
	case "":
	case "payable":
		w.sql += " AND e.payable"
	case "pending":
		w.sql += " AND NOT e.payable"
	default:
		return nil, errs.Field("payable", "filter_choice", "认定状态“%s”不在可选范围内", f.Payable)
	}
	if err := w.yesNo("e.remote", "remote", "异地就医", f.Remote); err != nil {
		return nil, err
	}
	if f.From != "" {
		w.cond("e.begin_at >= $%d", dayStart(f.From))
	}
	if f.To != "" {
		w.cond("e.begin_at < $%d", dayStart(f.To).Add(24*time.Hour))
	}
	return w, nil
}

func (w *where) yesNo(col, key, label, v string) error {
	switch v {
	case "":
	case "yes":
		w.sql += " AND " + col
	case "no":
		w.sql += " AND NOT " + col
	default:
		return errs.Field(key, "filter_choice", "%s“%s”不在可选范围内", label, v)
	}
	return nil
}

// FindEncounters lists the encounters visible in scope, newest first.
func (s *Store) FindEncounters(ctx context.Context, scope access.Scope, f EncounterFilter) ([]EncounterItem, int, error) {
	w, err := encounterWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM encounters e WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count encounters: %w", err)
	}
	p := f.Page.normalize()
	rows, err := s.db.QueryContext(ctx, `SELECT `+encounterListCols+encounterFrom+w.sql+w.page("e.id DESC", p), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: encounters: %w", err)
	}
	out, err := collect(rows, scanEncounterItem)
	return out, total, err
}

// EachEncounter streams every encounter FindEncounters lists for f, in
// the same order, in batches after the last id read.
func (s *Store) EachEncounter(ctx context.Context, scope access.Scope, f EncounterFilter, fn func(EncounterItem) error) error {
	w, err := encounterWhere(scope, f)
	if err != nil {
		return err
	}
	return s.eachByID(ctx, `SELECT `+encounterListCols+encounterFrom, "e.id", w, func(rows *sql.Rows) (int64, error) {
		it, err := scanEncounterItem(rows)
		if err != nil {
			return 0, err
		}
		return it.ID, fn(it)
	})
}

// eachByID pages a query whose order is id DESC by keyset (the last id
// read), batch rows at a time, until a short batch or ctx ends.
func (s *Store) eachByID(ctx context.Context, query, idCol string, w *where, scan func(*sql.Rows) (int64, error)) error {
	last := int64(-1)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		cond, args := w.sql, append([]any(nil), w.args...)
		if last >= 0 {
			args = append(args, last)
			cond += fmt.Sprintf(" AND %s < $%d", idCol, len(args))
		}
		args = append(args, s.batch())
		rows, err := s.db.QueryContext(ctx, query+cond+fmt.Sprintf(" ORDER BY %s DESC LIMIT $%d", idCol, len(args)), args...)
		if err != nil {
			return fmt.Errorf("store: each: %w", err)
		}
		n := 0
		for rows.Next() {
			id, err := scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			last = id
			n++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if n < s.batch() {
			return ctx.Err()
		}
	}
}

func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// SettlementFilter narrows the settlement list.
type SettlementFilter struct {
	InstitutionID int64
	From, To      string // settlement day range (YYYY-MM-DD)
	State         string // valid cancelled reversed
	Kind          string // settle | cancel
	Remote        string // "yes" | "no"
	Findings      string // "any" | "pending": with findings, with findings awaiting review
	StatementID   int64  // the settlements of a clearing statement
	Page          Page
}

// SettlementItem is one row of the settlement list.
type SettlementItem struct {
	settlement.Settlement
	MdtrtID         string `json:"mdtrt_id"`
	WorkerRegion    string `json:"worker_region"`
	PsnName         string `json:"psn_name"`
	IDMasked        string `json:"id_number_masked"`
	InstitutionCode string `json:"fixmedins_code"`
	InstitutionName string `json:"fixmedins_name"`
	SetlDay         string `json:"setl_day"`
	RemoteStatement int64  `json:"remote_statement_id,omitempty"`
	FindingCount    int    `json:"findings"`
	PendingCount    int    `json:"findings_pending"`
}

const settlementListCols = `s.id, s.kind, COALESCE(s.of_id, 0), s.encounter_id, s.institution_id, s.worker_id, s.region_code, s.treat_region,
	s.insured_region, s.remote, s.med_type, s.medfee, s.own_pay, s.over_limit, s.in_scope, s.fund_pay, s.cash_pay, s.definite, s.flagged,
	s.setl_time, s.state, COALESCE(s.statement_id, 0), COALESCE(s.remote_statement_id, 0), s.msgid, s.meal_days, s.meal_fen,
	s.worker_region, s.setl_day, w.name, w.id_masked, i.code, i.name,
	(SELECT COUNT(*) FROM settlement_findings f WHERE f.settlement_id = s.id),
	(SELECT COUNT(*) FROM settlement_findings f WHERE f.settlement_id = s.id AND f.review = 'pending')`

const settlementFrom = ` FROM settlements s JOIN workers w ON w.id = s.worker_id JOIN institutions i ON i.id = s.institution_id WHERE `

func scanSettlementItem(r interface{ Scan(...any) error }) (SettlementItem, error) {
	var it SettlementItem
	st := &it.Settlement
	err := r.Scan(&st.ID, &st.Kind, &st.Of, &st.EncounterID, &st.InstitutionID, &st.WorkerID, &st.RegionCode, &st.TreatRegion,
		&st.InsuredRegion, &st.Remote, &st.MedType, &st.MedFee, &st.OwnPay, &st.OverLimit, &st.InScope, &st.FundPay, &st.CashPay,
		&st.Definite, &st.Flagged, &st.At, &st.State, &st.StatementID, &it.RemoteStatement, &st.Msgid, &st.MealDays, &st.MealFen,
		&it.WorkerRegion, &it.SetlDay, &it.PsnName, &it.IDMasked, &it.InstitutionCode, &it.InstitutionName, &it.FindingCount, &it.PendingCount)
	st.SetlID = settlement.SetlID(st.TreatRegion, st.ID)
	it.MdtrtID = settlement.MdtrtID(st.TreatRegion, st.EncounterID)
	return it, err
}

func settlementWhere(scope access.Scope, f SettlementFilter) (*where, error) {
	w := settleScope(scope, "s")
	if f.InstitutionID != 0 {
		w.cond("s.institution_id = $%d", f.InstitutionID)
	}
	if f.From != "" {
		w.cond("s.setl_day >= $%d", f.From)
	}
	if f.To != "" {
		w.cond("s.setl_day <= $%d", f.To)
	}
	switch settlement.SettlementState(f.State) {
	case "":
	case settlement.Valid, settlement.SetlCancelled, settlement.Reversed:
		w.cond("s.state = $%d", f.State)
	default:
		return nil, errs.Field("state", "filter_choice", "结算状态“%s”不在可选范围内", f.State)
	}
	switch f.Kind {
	case "":
	case "settle", "cancel":
		w.cond("s.kind = $%d", f.Kind)
	default:
		return nil, errs.Field("kind", "filter_choice", "结算类型“%s”不在可选范围内", f.Kind)
	}
	if err := w.yesNo("s.remote", "remote", "异地就医", f.Remote); err != nil {
		return nil, err
	}
	switch f.Findings {
	case "":
	case "any":
		w.sql += " AND EXISTS (SELECT 1 FROM settlement_findings f WHERE f.settlement_id = s.id)"
	case "pending":
		w.sql += " AND EXISTS (SELECT 1 FROM settlement_findings f WHERE f.settlement_id = s.id AND f.review = 'pending')"
	default:
		return nil, errs.Field("findings", "filter_choice", "疑点“%s”不在可选范围内", f.Findings)
	}
	if f.StatementID != 0 {
		w.cond("(s.statement_id = $%[1]d OR s.remote_statement_id = $%[1]d)", f.StatementID)
	}
	return w, nil
}

// FindSettlements lists the settlements (and cancellation rows) visible
// in scope, newest first.
func (s *Store) FindSettlements(ctx context.Context, scope access.Scope, f SettlementFilter) ([]SettlementItem, int, error) {
	w, err := settlementWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM settlements s WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count settlements: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+settlementListCols+settlementFrom+w.sql+w.page("s.id DESC", f.Page.normalize()), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: settlements: %w", err)
	}
	out, err := collect(rows, scanSettlementItem)
	return out, total, err
}

// EachSettlement streams every settlement FindSettlements lists for f.
func (s *Store) EachSettlement(ctx context.Context, scope access.Scope, f SettlementFilter, fn func(SettlementItem) error) error {
	w, err := settlementWhere(scope, f)
	if err != nil {
		return err
	}
	return s.eachByID(ctx, `SELECT `+settlementListCols+settlementFrom, "s.id", w, func(rows *sql.Rows) (int64, error) {
		it, err := scanSettlementItem(rows)
		if err != nil {
			return 0, err
		}
		return it.ID, fn(it)
	})
}

// PricedLine is a settled fee line with what the fund pays of it.
type PricedLine struct {
	settlement.Line
	Payable int64 `json:"fund_payable"` // in-scope less what definite findings cut
	Cut     int64 `json:"fund_cut"`     // in-scope − payable
}

// MealAllowance is a stay's hospital meal allowance, a benefit payable to
// the worker.
type MealAllowance struct {
	Days     int    `json:"days"`
	DailyFen int64  `json:"daily_fen"`
	Fen      int64  `json:"amount_fen"`
	Status   string `json:"status"` // payable cancelled paid
}

// SettlementDetail is a settlement's whole record for the staff.
type SettlementDetail struct {
	SettlementItem
	Encounter   EncounterItem          `json:"encounter"`
	Institution settlement.Institution `json:"institution"`
	Worker      registry.Worker        `json:"worker"` // masked for roles without personal.full
	Lines       []PricedLine           `json:"lines"`
	Findings    []FindingItem          `json:"findings"`
	Meal        *MealAllowance         `json:"meal_allowance,omitempty"`
	// Cancel is the cancellation row of a cancelled settlement, or, for a
	// cancellation row, the settlement it cancels.
	Cancel *SettlementItem `json:"cancel,omitempty"`
	// Messages are the interface message ids behind it, by infno: 2304
	// (the settlement), 2305 (its cancellation), 2601 (reversals).
	Messages map[string][]string `json:"messages"`
}

// FindSettlement reads a settlement's whole record if viewer may see it.
func (s *Store) FindSettlement(ctx context.Context, viewer access.Principal, id int64) (SettlementDetail, error) {
	var d SettlementDetail
	notFound := errs.E(errs.NotFound, "结算记录不存在")
	it, err := scanSettlementItem(s.db.QueryRowContext(ctx, `SELECT `+settlementListCols+settlementFrom+`s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound
	}
	if err != nil {
		return d, err
	}
	if !viewer.MaySee(access.Owners{Region: it.RegionCode, Regions: []string{it.WorkerRegion}, WorkerID: it.WorkerID, InstitutionID: it.InstitutionID}) {
		return d, notFound
	}
	d.SettlementItem = it
	if d.Encounter, err = scanEncounterItem(s.db.QueryRowContext(ctx, `SELECT `+encounterListCols+encounterFrom+`e.id = $1`, it.EncounterID)); err != nil {
		return d, fmt.Errorf("store: settlement encounter: %w", err)
	}
	if d.Institution, err = scanInstitution(s.db.QueryRowContext(ctx, `SELECT `+institutionCols+` FROM institutions WHERE id = $1`, it.InstitutionID)); err != nil {
		return d, err
	}
	if d.Worker, err = findWorker(ctx, s.db, s.pii, access.Scope{}, `id = $1`, it.WorkerID); err != nil {
		return d, err
	}
	if !viewer.Can(access.PermPersonalData) {
		d.Worker = d.Worker.Masked()
	}
	lineOf := it.ID
	if it.Kind == "cancel" {
		lineOf = it.Of
	}
	if d.Lines, err = s.pricedLines(ctx, lineOf); err != nil {
		return d, err
	}
	if d.Findings, err = s.findingItems(ctx, `f.settlement_id = $1`, lineOf); err != nil {
		return d, err
	}
	if err := s.mealOf(ctx, &d, lineOf); err != nil {
		return d, err
	}
	other := `s.of_id = $1 AND s.kind = 'cancel'`
	if it.Kind == "cancel" {
		other = `s.id = $1`
		id = it.Of
	}
	if c, err := scanSettlementItem(s.db.QueryRowContext(ctx, `SELECT `+settlementListCols+settlementFrom+other, id)); err == nil {
		d.Cancel = &c
	} else if !errors.Is(err, sql.ErrNoRows) {
		return d, err
	}
	d.Messages, err = s.settlementMessages(ctx, d)
	return d, err
}

func (s *Store) pricedLines(ctx context.Context, settlementID int64) ([]PricedLine, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+lineCols+`, payable FROM fee_lines WHERE settlement_id = $1 ORDER BY fee_time, sn, id`, settlementID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (PricedLine, error) {
		var p PricedLine
		l := &p.Line
		err := r.Scan(&l.ID, &l.EncounterID, &l.SN, &l.FeeTime, &l.Code, &l.HospCode, &l.Name, &l.Category, &l.Qty, &l.Price, &l.Amount,
			&l.Ceiling, &l.OwnPay, &l.OverLimit, &l.InScope, &l.Memo, &l.Dept, &l.Doctor, &l.State, &l.SettlementID, &p.Payable)
		p.Cut = l.InScope - p.Payable
		return p, err
	})
}

func (s *Store) mealOf(ctx context.Context, d *SettlementDetail, settlementID int64) error {
	var m MealAllowance
	err := s.db.QueryRowContext(ctx, `SELECT days, daily_fen, amount_fen, status FROM meal_allowances WHERE settlement_id = $1`, settlementID).
		Scan(&m.Days, &m.DailyFen, &m.Fen, &m.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err == nil {
		d.Meal = &m
	}
	return err
}

// settlementMessages names the interface messages behind a settlement:
// its 2304, its cancellation's 2305, and the 2601 reversals whose omsgid
// is either (the reversal's request is sealed: the institution's few
// reversals since the settlement are opened to find them).
func (s *Store) settlementMessages(ctx context.Context, d SettlementDetail) (map[string][]string, error) {
	out := map[string][]string{}
	settle, cancel := d.SettlementItem, d.Cancel
	if settle.Kind == "cancel" && cancel != nil {
		settle, cancel = *cancel, &d.SettlementItem
	}
	own := map[string]bool{settle.Msgid: true}
	out["2304"] = []string{settle.Msgid}
	if cancel != nil {
		out["2305"] = []string{cancel.Msgid}
		own[cancel.Msgid] = true
	}
	rows, err := s.db.QueryContext(ctx, `SELECT msgid, request_enc FROM his_messages WHERE institution_id = $1 AND infno = '2601'
		AND infcode = 0 AND created_at >= $2 ORDER BY id`, settle.InstitutionID, settle.At)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var msgid string
		var sealed []byte
		if err := rows.Scan(&msgid, &sealed); err != nil {
			return nil, err
		}
		req, err := s.pii.Open(sealed)
		if err != nil {
			return nil, err
		}
		var env struct {
			Input struct {
				Data struct {
					Omsgid string `json:"omsgid"`
				} `json:"data"`
			} `json:"input"`
		}
		if json.Unmarshal([]byte(req), &env) == nil && own[env.Input.Data.Omsgid] {
			out["2601"] = append(out["2601"], msgid)
		}
	}
	return out, rows.Err()
}

// settleOwners fills the owners of an encounter, settlement, finding or
// clearing statement (OwnersOf).
func (s *Store) settleOwners(ctx context.Context, kind string, id int64, o *access.Owners) error {
	var extra string
	var err error
	switch kind {
	case "encounter", "settlement":
		err = s.db.QueryRowContext(ctx, `SELECT worker_region, worker_id, institution_id FROM `+regionTables[kind]+` WHERE id = $1`, id).
			Scan(&extra, &o.WorkerID, &o.InstitutionID)
	case "finding":
		err = s.db.QueryRowContext(ctx, `SELECT institution_id FROM settlement_findings WHERE id = $1`, id).Scan(&o.InstitutionID)
	case "statement":
		err = s.db.QueryRowContext(ctx, `SELECT payer_region, COALESCE(institution_id, 0) FROM clearing_statements WHERE id = $1`, id).
			Scan(&extra, &o.InstitutionID)
	}
	if extra != "" && !strings.EqualFold(extra, o.Region) {
		o.Regions = []string{extra}
	}
	return err
}
