package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
)

const encounterCols = `id, institution_id, worker_id, region_code, worker_region, treat_region, insured_region, remote,
	COALESCE(filing_id, 0), COALESCE(case_id, 0), payable, med_type, begin_at, end_at, ipt_no, dept, bed, doctor,
	diag_code, diag_name, dscg_way, state, created_at, updated_at, version`

// encounterRow is an encounter with the columns the domain type does not
// carry.
type encounterRow struct {
	settlement.Encounter
	WorkerRegion string
}

func scanEncounter(r interface{ Scan(...any) error }) (encounterRow, error) {
	var e encounterRow
	var end sql.NullTime
	err := r.Scan(&e.ID, &e.InstitutionID, &e.WorkerID, &e.RegionCode, &e.WorkerRegion, &e.TreatRegion, &e.InsuredRegion, &e.Remote,
		&e.FilingID, &e.CaseID, &e.Payable, &e.MedType, &e.Begin, &end, &e.IptNo, &e.Dept, &e.Bed, &e.Doctor,
		&e.DiagCode, &e.DiagName, &e.DscgWay, &e.State, &e.CreatedAt, &e.UpdatedAt, &e.Version)
	if end.Valid {
		t := end.Time
		e.End = &t
	}
	e.MdtrtID = settlement.MdtrtID(e.TreatRegion, e.ID)
	e.PsnNo = settlement.PsnNo(settlement.PoolingRegion(e.WorkerRegion), e.WorkerID)
	return e, err
}

// idOf reads the row id back from an interface id (mdtrt_id, setl_id):
// the treating region, a kind digit and eleven digits.
func idOf(s string, kind byte) (int64, bool) {
	if len(s) != 18 || s[6] != kind {
		return 0, false
	}
	id, err := strconv.ParseInt(s[7:], 10, 64)
	return id, err == nil && id > 0
}

// Admission is a 2401 admission (or an outpatient visit) as the store takes it.
type Admission struct {
	PsnNo, CertNo string
	MedType       settlement.MedType
	Begin         time.Time
	IptNo         string
	Dept, Bed     string
	Doctor        string
	DiagCode      string
	DiagName      string
	InjuryID      string
	Diseases      json.RawMessage
}

// Admit registers an admission: payable at once under a recognised
// injury, pending (待认定) without one; a remote admission needs a filing
// valid on the admission day.
func (o *HISOps) Admit(ctx context.Context, a Admission) (settlement.Encounter, error) {
	w, err := o.workerOfPsnNo(ctx, a.PsnNo)
	if err != nil {
		return settlement.Encounter{}, err
	}
	if a.CertNo != "" && string(o.t.s.pii.Hash(registry.NormalizeIDNumber(a.CertNo))) != string(o.t.s.pii.Hash(w.IDNumber)) {
		return settlement.Encounter{}, errs.Field("input.mdtrtinfo.mdtrt_cert_no", "mismatch", "mdtrt_cert_no（就诊凭证编号）与psn_no（人员编号）不是同一人")
	}
	p, err := o.person(ctx, w)
	if err != nil {
		return settlement.Encounter{}, err
	}
	e := settlement.Encounter{InstitutionID: o.inst.ID, WorkerID: w.ID, PsnNo: p.PsnNo, PsnName: w.Name, MedType: a.MedType.Normalize(),
		RegionCode: o.inst.RegionCode, TreatRegion: settlement.PoolingRegion(o.inst.RegionCode), Begin: a.Begin.UTC(),
		IptNo: a.IptNo, Dept: a.Dept, Bed: a.Bed, Doctor: a.Doctor, DiagCode: a.DiagCode, DiagName: a.DiagName, State: settlement.Open}
	if err := o.linkInjury(&e, p, a.InjuryID); err != nil {
		return e, err
	}
	if e.InsuredRegion == "" {
		return e, errs.Field("input.mdtrtinfo.psn_no", "uninsured", "该人员未参加工伤保险（或已停保）且无工伤认定记录，不能按工伤办理")
	}
	if err := o.checkRemote(ctx, &e); err != nil {
		return e, err
	}
	return e, o.insertEncounter(ctx, &e, w.RegionCode, a.Diseases)
}

// linkInjury names the injury an encounter is paid under: the one the HIS
// names, else the latest recognised injury before the admission, else
// none (pending).
func (o *HISOps) linkInjury(e *settlement.Encounter, p Person, injuryID string) error {
	e.InsuredRegion = p.InsuredRegion
	day := settlement.Day(e.Begin)
	var pick *Injury
	for i := range p.Injuries {
		in := &p.Injuries[i]
		if injuryID != "" {
			if in.ID == injuryID {
				pick = in
			}
			continue
		}
		if in.Status == "recognized" && in.InjuryDate <= day && pick == nil {
			pick = in
		}
	}
	if injuryID != "" && pick == nil {
		return errs.Field("input.mdtrtinfo.injury_id", "not_found", "injury_id（工伤认定编号）%s不是该人员的工伤认定", injuryID)
	}
	if pick == nil {
		return nil
	}
	if pick.Status == "not_recognized" {
		return errs.Field("input.mdtrtinfo.injury_id", "not_recognised", "injury_id（工伤认定编号）%s的结论为不予认定工伤，不能按工伤办理", pick.ID)
	}
	e.CaseID, e.InjuryID, e.Payable = pick.CaseID, pick.ID, pick.Status == "recognized"
	if e.InsuredRegion == "" {
		e.InsuredRegion = settlement.PoolingRegion(caseRegionOf(pick.ID))
	}
	return nil
}

// caseRegionOf reads the region from a case number (GS370881-2025-000123).
func caseRegionOf(number string) string {
	if len(number) >= 8 {
		return number[2:8]
	}
	return ""
}

func (o *HISOps) checkRemote(ctx context.Context, e *settlement.Encounter) error {
	e.Remote = settlement.IsRemote(e.TreatRegion, e.InsuredRegion)
	if !e.Remote {
		return nil
	}
	f, ok, err := o.t.coveringFiling(ctx, e.WorkerID, o.inst, settlement.Day(e.Begin))
	if err != nil {
		return err
	}
	if !ok {
		return errs.Field("input.mdtrtinfo.begntime", "no_filing", "未办理异地就医备案或备案已失效（参保地%s，就医地%s，入院日期%s）",
			regionLabel(e.InsuredRegion), regionLabel(e.TreatRegion), settlement.Day(e.Begin))
	}
	e.FilingID = f.ID
	if f.Kind == settlement.Referral {
		if _, err := o.t.ExecContext(ctx, `UPDATE filings SET state = 'used', updated_at = $1, version = version + 1 WHERE id = $2`, o.t.now, f.ID); err != nil {
			return err
		}
	}
	return nil
}

func (o *HISOps) insertEncounter(ctx context.Context, e *settlement.Encounter, workerRegion string, diseases json.RawMessage) error {
	if len(diseases) == 0 {
		diseases = json.RawMessage("[]")
	}
	e.CreatedAt, e.UpdatedAt, e.Version = o.t.now, o.t.now, 1
	var filing, caseID any
	if e.FilingID != 0 {
		filing = e.FilingID
	}
	if e.CaseID != 0 {
		caseID = e.CaseID
	}
	err := o.t.QueryRowContext(ctx, `INSERT INTO encounters (institution_id, worker_id, region_code, worker_region, treat_region,
		insured_region, remote, filing_id, case_id, payable, med_type, begin_at, ipt_no, dept, bed, doctor, diag_code, diag_name,
		diseases, state, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, 1) RETURNING id`,
		e.InstitutionID, e.WorkerID, e.RegionCode, workerRegion, e.TreatRegion, e.InsuredRegion, e.Remote, filing, caseID, e.Payable,
		string(e.MedType), e.Begin, e.IptNo, e.Dept, e.Bed, e.Doctor, e.DiagCode, e.DiagName, string(diseases), string(e.State), o.t.now).Scan(&e.ID)
	if err != nil {
		if errs.Is(o.t.s.translate(err), errs.Conflict) {
			return errs.Field("input.mdtrtinfo.psn_no", "open", "该人员在本机构已有未结算的%s，请先出院结算或撤销", e.MedType.Name())
		}
		return err
	}
	e.MdtrtID = settlement.MdtrtID(e.TreatRegion, e.ID)
	return o.t.audit(ctx, "encounter.admit", "encounter", e.ID, e.RegionCode, nil, encounterSnapshot(e))
}

func encounterSnapshot(e *settlement.Encounter) map[string]any {
	return map[string]any{"mdtrt_id": e.MdtrtID, "institution_id": e.InstitutionID, "worker_id": e.WorkerID, "med_type": e.MedType,
		"injury_id": e.InjuryID, "payable": e.Payable, "remote": e.Remote, "filing_id": e.FilingID, "state": e.State,
		"begin": e.Begin, "end": e.End}
}

// encounter reads the institution's own encounter by mdtrt_id under a
// row lock, checking that psn_no names its person.
func (o *HISOps) encounter(ctx context.Context, mdtrtID, psnNo, field string) (encounterRow, error) {
	notFound := errs.Field(field, "not_found", "mdtrt_id（就诊ID）%s在本机构不存在", mdtrtID)
	id, ok := idOf(mdtrtID, '1')
	if !ok {
		return encounterRow{}, notFound
	}
	e, err := scanEncounter(o.t.QueryRowContext(ctx, `SELECT `+encounterCols+` FROM encounters WHERE id = $1`+o.t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && (e.InstitutionID != o.inst.ID || e.MdtrtID != mdtrtID) {
		return encounterRow{}, notFound
	}
	if err != nil {
		return e, err
	}
	if psnNo != "" && psnNo != e.PsnNo {
		return e, errs.Field("input.psn_no", "mismatch", "psn_no（人员编号）与该就诊的人员不符")
	}
	return e, nil
}

// Discharge records 2402: the stay ends at end.
func (o *HISOps) Discharge(ctx context.Context, mdtrtID, psnNo string, end time.Time, way string) error {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.dscginfo.mdtrt_id")
	if err != nil {
		return err
	}
	switch e.State {
	case settlement.Settled, settlement.Cancelled:
		return errs.E(errs.Conflict, "该就诊%s，不能办理出院", e.State.Name())
	}
	if end.Before(e.Begin) {
		return errs.Field("input.dscginfo.endtime", "order", "endtime（出院时间）不能早于入院时间%s", e.Begin.In(settlement.CST).Format(time.DateTime))
	}
	// Lines dated after the discharge day would be charges outside the
	// stay: the HIS must withdraw them first (a take-home drug on the
	// discharge day is fine).
	c := end.In(settlement.CST)
	nextDay := time.Date(c.Year(), c.Month(), c.Day()+1, 0, 0, 0, 0, settlement.CST)
	var late int
	if err := o.t.QueryRowContext(ctx, `SELECT COUNT(*) FROM fee_lines WHERE encounter_id = $1 AND `+liveLine+` AND state = 'uploaded' AND fee_time >= $2`,
		e.ID, nextDay.UTC()).Scan(&late); err != nil {
		return err
	}
	if late > 0 {
		return errs.Field("input.dscginfo.endtime", "lines_after", "已上传%d条晚于出院日期的费用明细，请先撤销后再办理出院", late)
	}
	before := e.Encounter
	e.End, e.DscgWay, e.State, e.UpdatedAt, e.Version = &end, way, settlement.Discharged, o.t.now, e.Version+1
	if _, err := o.t.ExecContext(ctx, `UPDATE encounters SET end_at = $1, dscg_way = $2, state = $3, updated_at = $4, version = $5 WHERE id = $6`,
		end.UTC(), way, string(e.State), o.t.now, e.Version, e.ID); err != nil {
		return err
	}
	return o.t.audit(ctx, "encounter.discharge", "encounter", e.ID, e.RegionCode, encounterSnapshot(&before), encounterSnapshot(&e.Encounter))
}

// CancelAdmission records 2404: refused once lines are settled.
func (o *HISOps) CancelAdmission(ctx context.Context, mdtrtID, psnNo string) error {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return err
	}
	return o.cancelEncounter(ctx, e, "encounter.cancel")
}

func (o *HISOps) cancelEncounter(ctx context.Context, e encounterRow, action string) error {
	switch e.State {
	case settlement.Cancelled:
		return nil // idempotent
	case settlement.Settled:
		return errs.E(errs.Conflict, "该就诊已结算，不能撤销入院；请先撤销结算")
	}
	before := e.Encounter
	e.State, e.UpdatedAt, e.Version = settlement.Cancelled, o.t.now, e.Version+1
	if _, err := o.t.ExecContext(ctx, `UPDATE encounters SET state = 'cancelled', updated_at = $1, version = $2 WHERE id = $3`, o.t.now, e.Version, e.ID); err != nil {
		return err
	}
	if _, err := o.t.ExecContext(ctx, `UPDATE fee_lines SET state = 'cancelled' WHERE encounter_id = $1 AND `+liveLine+` AND state = 'uploaded'`, e.ID); err != nil {
		return err
	}
	return o.t.audit(ctx, action, "encounter", e.ID, e.RegionCode, encounterSnapshot(&before), encounterSnapshot(&e.Encounter))
}

// UploadLines records 2301 and prices every line. Nothing is written if
// any line is refused.
func (o *HISOps) UploadLines(ctx context.Context, mdtrtID, psnNo string, lines []settlement.Line) ([]settlement.Line, error) {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.feedetail[0].mdtrt_id")
	if err != nil {
		return nil, err
	}
	if e.State != settlement.Open && e.State != settlement.Discharged {
		return nil, errs.E(errs.Conflict, "该就诊%s，不能上传费用明细", e.State.Name())
	}
	existing, err := o.activeSNs(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	pricing, err := o.pricing(ctx, &e.Encounter)
	if err != nil {
		return nil, err
	}
	for i := range lines {
		l := &lines[i]
		field := fmt.Sprintf("input.feedetail[%d]", i)
		if existing[l.SN] {
			return nil, errs.Field(field+".feedetl_sn", "duplicate", "feedetl_sn（费用明细流水号）%s已上传，请勿重复上传", l.SN)
		}
		if e.End != nil && settlement.Day(l.FeeTime) > settlement.Day(*e.End) {
			return nil, errs.Field(field+".fee_ocur_time", "after_discharge", "fee_ocur_time（费用发生时间）%s晚于出院时间%s，不能上传",
				l.FeeTime.In(settlement.CST).Format(time.DateTime), e.End.In(settlement.CST).Format(time.DateTime))
		}
		l.EncounterID, l.State = e.ID, settlement.Uploaded
		pricing.Price(l)
	}
	cols := []string{"encounter_id", "sn", "fee_time", "code", "hosp_code", "name", "category", "qty", "price", "amount", "ceiling",
		"own_pay", "over_limit", "in_scope", "payable", "memo", "dept", "doctor", "state"}
	err = o.t.insertMany(ctx, "fee_lines", cols, len(lines), func(i int) []any {
		l := &lines[i]
		return []any{l.EncounterID, l.SN, l.FeeTime.UTC(), l.Code, l.HospCode, l.Name, string(l.Category), l.Qty, l.Price, l.Amount,
			l.Ceiling, l.OwnPay, l.OverLimit, l.InScope, l.InScope, l.Memo, l.Dept, l.Doctor, string(l.State)}
	}, "")
	if err != nil {
		return nil, err
	}
	var sum int64
	for _, l := range lines {
		sum += l.Amount
	}
	return lines, o.t.audit(ctx, "fee.upload", "encounter", e.ID, e.RegionCode, nil,
		map[string]any{"mdtrt_id": e.MdtrtID, "lines": len(lines), "first_sn": lines[0].SN, "amount_fen": sum})
}

func (o *HISOps) activeSNs(ctx context.Context, encounterID int64) (map[string]bool, error) {
	rows, err := o.t.QueryContext(ctx, `SELECT sn FROM fee_lines WHERE encounter_id = $1 AND state <> 'cancelled'`, encounterID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sn string
		if err := rows.Scan(&sn); err != nil {
			return nil, err
		}
		out[sn] = true
	}
	return out, rows.Err()
}

func (o *HISOps) pricing(ctx context.Context, e *settlement.Encounter) (settlement.Pricing, error) {
	book, err := o.t.s.catalogue(ctx, o.t)
	if err != nil {
		return settlement.Pricing{}, err
	}
	return settlement.Pricing{Book: book, Level: o.inst.Level, TreatRegion: e.TreatRegion, InsuredRegion: e.InsuredRegion}, nil
}

// CancelLines records 2302: one line, or "0000" every unsettled line.
func (o *HISOps) CancelLines(ctx context.Context, mdtrtID, psnNo, sn string) (int64, error) {
	e, err := o.encounter(ctx, mdtrtID, psnNo, "input.data.mdtrt_id")
	if err != nil {
		return 0, err
	}
	q, args := `UPDATE fee_lines SET state = 'cancelled' WHERE encounter_id = $1 AND `+liveLine+` AND state = 'uploaded'`, []any{e.ID}
	if sn != "0000" {
		q += ` AND sn = $2`
		args = append(args, sn)
	}
	res, err := o.t.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if n == 0 && sn != "0000" {
		return 0, errs.Field("input.data.feedetl_sn", "not_found", "feedetl_sn（费用明细流水号）%s不存在或已结算", sn)
	}
	return n, o.t.audit(ctx, "fee.cancel", "encounter", e.ID, e.RegionCode, nil, map[string]any{"mdtrt_id": e.MdtrtID, "feedetl_sn": sn, "lines": n})
}

const lineCols = `id, encounter_id, sn, fee_time, code, hosp_code, name, category, qty, price, amount, ceiling, own_pay,
	over_limit, in_scope, memo, dept, doctor, state, COALESCE(settlement_id, 0)`

func scanLine(r interface{ Scan(...any) error }) (settlement.Line, error) {
	var l settlement.Line
	err := r.Scan(&l.ID, &l.EncounterID, &l.SN, &l.FeeTime, &l.Code, &l.HospCode, &l.Name, &l.Category, &l.Qty, &l.Price, &l.Amount,
		&l.Ceiling, &l.OwnPay, &l.OverLimit, &l.InScope, &l.Memo, &l.Dept, &l.Doctor, &l.State, &l.SettlementID)
	if l.OwnPay > 0 {
		l.SelfpayPct, l.ItemLevel = 100, "03"
	} else {
		l.ItemLevel = "01"
	}
	return l, err
}

// liveLine is the condition of fee_lines' only index by encounter
// (fee_lines_sn, partial: WHERE state <> 'cancelled'). SQLite uses a
// partial index only when the query repeats its condition — state =
// 'uploaded' alone does not count — so every read of an encounter's lines
// says it too; without it each 2303, 2304 and 2402 scanned the whole
// table (bench settle: the flows slowed as fee_lines grew).
const liveLine = "state <> 'cancelled'"

func queryLines(ctx context.Context, q querier, where string, args ...any) ([]*settlement.Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+lineCols+` FROM fee_lines WHERE `+where+` ORDER BY fee_time, sn`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*settlement.Line
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}
