package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/benefit"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/pii"
	"gongshang/internal/registry"
)

// Entitlement is a monthly benefit as the payroll keeps it.
type Entitlement struct {
	ID            int64  `json:"id"`
	CaseID        int64  `json:"case_id"`
	WorkerID      int64  `json:"worker_id"`
	RegionCode    string `json:"region_code"`
	Type          string `json:"type"`
	Payer         string `json:"payer"`
	AmountFen     int64  `json:"amount_fen"`
	Start         string `json:"start"`
	End           string `json:"end"`
	Level         int    `json:"level"`
	Care          string `json:"care"`
	PayeeKind     string `json:"payee_kind"` // worker, dependant
	PayeeName     string `json:"payee_name"`
	PayeeIDMasked string `json:"payee_id_masked"`
	DependantID   int64  `json:"dependant_id"`
	GuardianName  string `json:"guardian_name"`
	BankName      string `json:"bank_name"`
	BankMasked    string `json:"bank_masked"`
	BankCode      string `json:"bank_code"`
	BankValid     bool   `json:"bank_valid"`
	CertifiedOn   string `json:"certified_on"`
	Status        string `json:"status"`
	StatusReason  string `json:"status_reason"`
	Source        string `json:"source"`
	Watch         bool   `json:"watch"`
	Version       int64  `json:"version"`
}

const entitlementCols = `id, COALESCE(case_id, 0), worker_id, region_code, type, payer, amount_fen, start_date, COALESCE(end_date, ''), level, care,
	payee_kind, payee_name, payee_id_masked, COALESCE(dependant_id, 0), guardian_name, bank_name, bank_masked, bank_code, bank_valid,
	COALESCE(certified_on, ''), status, status_reason, source, watch, version`

func scanEntitlement(r interface{ Scan(...any) error }) (Entitlement, error) {
	var e Entitlement
	err := r.Scan(&e.ID, &e.CaseID, &e.WorkerID, &e.RegionCode, &e.Type, &e.Payer, &e.AmountFen, &e.Start, &e.End, &e.Level, &e.Care,
		&e.PayeeKind, &e.PayeeName, &e.PayeeIDMasked, &e.DependantID, &e.GuardianName, &e.BankName, &e.BankMasked, &e.BankCode, &e.BankValid,
		&e.CertifiedOn, &e.Status, &e.StatusReason, &e.Source, &e.Watch, &e.Version)
	return e, err
}

// WorkerEntitlements lists a worker's entitlements (his own and his
// dependants'), oldest first.
func (s *Store) WorkerEntitlements(ctx context.Context, viewer access.Principal, workerID int64) ([]Entitlement, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	if _, err := s.FindWorkerByID(ctx, viewer.Scope(), workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+entitlementCols+` FROM entitlements WHERE worker_id = $1 ORDER BY id`, workerID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanEntitlement)
}

// FindEntitlement reads one entitlement the viewer may see.
func (s *Store) FindEntitlement(ctx context.Context, viewer access.Principal, id int64) (Entitlement, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return Entitlement{}, err
	}
	e, err := scanEntitlement(s.db.QueryRowContext(ctx, `SELECT `+entitlementCols+` FROM entitlements WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: e.RegionCode, WorkerID: e.WorkerID}) {
		return Entitlement{}, errs.E(errs.NotFound, "待遇不存在")
	}
	return e, err
}

// AmountChange is one row of an entitlement's amount history.
type AmountChange struct {
	EffectiveFrom string    `json:"effective_from"`
	AmountFen     int64     `json:"amount_fen"`
	Reason        string    `json:"reason"`
	CreatedAt     time.Time `json:"created_at"`
}

// EntitlementAmounts is an entitlement's history of amounts, oldest first.
func (s *Store) EntitlementAmounts(ctx context.Context, viewer access.Principal, id int64) ([]AmountChange, error) {
	if _, err := s.FindEntitlement(ctx, viewer, id); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT effective_from, amount_fen, reason, created_at FROM entitlement_amounts WHERE entitlement_id = $1
		ORDER BY effective_from, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AmountChange
	for rows.Next() {
		var a AmountChange
		if err := rows.Scan(&a.EffectiveFrom, &a.AmountFen, &a.Reason, &a.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// NewEntitlement is an entitlement brought over from the previous system
// (存量待遇): the payroll pays it like one an approval created here.
type NewEntitlement struct {
	WorkerID    int64  `json:"worker_id"`
	Type        string `json:"type"`
	Level       int    `json:"level"`
	Care        string `json:"care"` // nursing: full, most, partial
	AmountFen   int64  `json:"amount_fen"`
	Start       string `json:"start"` // YYYY-MM: first month paid
	BankName    string `json:"bank_name"`
	BankAccount string `json:"bank_account"`
	CertifiedOn string `json:"certified_on"` // last 资格认证, YYYY-MM-DD, optional
	Note        string `json:"note"`         // the previous system's reference
}

// Validate checks the fields that need no data.
func (n NewEntitlement) Validate(today time.Time) error {
	var fs errs.Fields
	switch n.Type {
	case payroll.TypeDisability, payroll.TypeDifference:
		if n.Level < 1 || n.Level > 6 {
			fs.Add("level", "level", "伤残津贴的伤残等级应为1至6级")
		}
	case payroll.TypeNursing:
		if n.Care != "full" && n.Care != "most" && n.Care != "partial" {
			fs.Add("care", "care", "生活护理费应注明生活自理障碍程度（完全、大部分、部分不能自理）")
		}
	default:
		fs.Add("type", "type", "待遇类型应为伤残津贴、生活护理费或养老金差额（供养亲属抚恤金请按工亡待遇核定）")
	}
	if n.AmountFen <= 0 || n.AmountFen > 10_000_000 {
		fs.Add("amount_fen", "range", "月待遇金额应大于0且不超过10万元")
	}
	if m, err := payroll.ParseMonth("start", n.Start); err != nil {
		fs.Merge(err)
	} else if payroll.MonthOf(today).Add(1).Before(m) {
		fs.Add("start", "future", "起发月份不能晚于下月")
	}
	if strings.TrimSpace(n.BankName) == "" {
		fs.Add("bank_name", "required", "请填写开户银行")
	}
	fs.Merge(payroll.CheckAccount("bank_account", n.BankAccount))
	if n.CertifiedOn != "" {
		if d, err := time.Parse(time.DateOnly, n.CertifiedOn); err != nil || d.After(today) || d.Year() < 2000 {
			fs.Add("certified_on", "date", "资格认证日期应为2000年以后、不晚于今天的日期（YYYY-MM-DD）")
		}
	}
	if len([]rune(n.Note)) > 200 {
		fs.Add("note", "length", "备注不能超过200字")
	}
	return fs.Err()
}

// CreateLegacyEntitlement records an entitlement migrated from the
// previous system for a registered worker in scope.
func (s *Store) CreateLegacyEntitlement(ctx context.Context, actor access.Principal, n NewEntitlement) (int64, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return 0, err
	}
	if err := n.Validate(s.today()); err != nil {
		return 0, err
	}
	w, err := s.FindWorkerByID(ctx, actor.Scope(), n.WorkerID)
	if err != nil {
		return 0, err
	}
	m, _ := payroll.ParseMonth("start", n.Start)
	start := m.First().Format(time.DateOnly)
	payer := "fund"
	if n.Type == payroll.TypeDisability && n.Level >= 5 {
		payer = "employer"
	}
	var id int64
	err = s.write(ctx, actor, func(t *tx) error {
		var dup int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM entitlements WHERE worker_id = $1 AND type = $2 AND status = 'active' AND dependant_id IS NULL`,
			w.ID, n.Type).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return errs.Field("type", "duplicate", "该职工已有正在发放的%s，不能重复登记", payroll.TypeName(n.Type))
		}
		var cert any
		if n.CertifiedOn != "" {
			cert = n.CertifiedOn
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO entitlements (worker_id, region_code, type, payer, amount_fen, start_date, payee_kind, payee_name,
			payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked, status, created_at, updated_at, version, source, level, care, bank_code, bank_valid,
			certified_on) VALUES ($1, $2, $3, $4, $5, $6, 'worker', $7, $8, $9, $10, $11, $12, 'active', $13, $13, 1, 'legacy', $14, $15, $16, TRUE, $17) RETURNING id`,
			w.ID, w.RegionCode, n.Type, payer, n.AmountFen, start, w.Name, s.pii.Hash(w.IDNumber), w.IDMasked, n.BankName, s.pii.Seal(n.BankAccount),
			pii.MaskAccount(n.BankAccount), t.now, n.Level, n.Care, payroll.BankCode(n.BankName), cert).Scan(&id); err != nil {
			return fmt.Errorf("store: legacy entitlement: %w", err)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, start, n.AmountFen, "存量待遇迁移"+strings.TrimSpace(" "+n.Note), nullID(t.actor.UserID), t.now); err != nil {
			return err
		}
		return t.audit(ctx, "entitlement.legacy", "entitlement", id, w.RegionCode, nil, map[string]any{"worker_id": w.ID, "type": n.Type,
			"level": n.Level, "care": n.Care, "amount_fen": n.AmountFen, "start": start, "bank": pii.MaskAccount(n.BankAccount)})
	})
	return id, err
}

// SetPayeeAccount changes where an entitlement is paid: the account must
// pass its check. Months suspended for the old account are paid back by
// the next cycle.
func (s *Store) SetPayeeAccount(ctx context.Context, actor access.Principal, id, version int64, bankName, account string) error {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return err
	}
	var fs errs.Fields
	if strings.TrimSpace(bankName) == "" {
		fs.Add("bank_name", "required", "请填写开户银行")
	}
	fs.Merge(payroll.CheckAccount("bank_account", account))
	if err := fs.Err(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		e, err := scanEntitlement(t.QueryRowContext(ctx, `SELECT `+entitlementCols+` FROM entitlements WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: e.RegionCode, WorkerID: e.WorkerID}) {
			return errs.E(errs.NotFound, "待遇不存在")
		}
		if err != nil {
			return err
		}
		if e.Version != version {
			return staleVersion()
		}
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET bank_name = $1, bank_enc = $2, bank_masked = $3, bank_code = $4, bank_valid = TRUE,
			watch = TRUE, updated_at = $5, version = version + 1 WHERE id = $6`, bankName, s.pii.Seal(account), pii.MaskAccount(account),
			payroll.BankCode(bankName), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, "entitlement.account", "entitlement", id, e.RegionCode, map[string]any{"bank_name": e.BankName, "bank": e.BankMasked},
			map[string]any{"bank_name": bankName, "bank": pii.MaskAccount(account)})
	})
}

// NewPayeeEvent is a fact about a payee reported to the agency.
type NewPayeeEvent struct {
	WorkerID    int64  `json:"worker_id"`
	DependantID int64  `json:"dependant_id"` // 0: the worker himself
	Kind        string `json:"kind"`
	On          string `json:"on"`
	Until       string `json:"until"`       // prison: release date, if known
	PensionFen  int64  `json:"pension_fen"` // retired: the basic pension, for the difference
	Note        string `json:"note"`
}

// Validate checks the event's own fields.
func (n NewPayeeEvent) Validate(today time.Time) error {
	var fs errs.Fields
	known := false
	for _, k := range payroll.EventKinds {
		known = known || n.Kind == k
	}
	if !known {
		fs.Add("kind", "kind", "事项应为资格认证、死亡、退休、服刑、再婚、就业或参军、被他人收养之一")
	}
	on, err := time.Parse(time.DateOnly, n.On)
	if err != nil || on.Year() < 1950 || on.After(today) {
		fs.Add("on", "date", "发生日期应为1950年以后、不晚于今天的日期（YYYY-MM-DD）")
	}
	if n.Until != "" {
		u, err := time.Parse(time.DateOnly, n.Until)
		switch {
		case n.Kind != payroll.EventPrison:
			fs.Add("until", "until", "只有服刑需要填写刑满释放日期")
		case err != nil || u.Before(on):
			fs.Add("until", "date", "刑满释放日期应为不早于服刑开始的日期（YYYY-MM-DD）")
		}
	}
	if n.Kind == payroll.EventRetired && n.DependantID != 0 {
		fs.Add("kind", "retired", "退休只适用于工伤职工本人")
	}
	if n.Kind == payroll.EventRemarried || n.Kind == payroll.EventAdopted {
		if n.DependantID == 0 {
			fs.Add("dependant_id", "required", "再婚、被收养只适用于供养亲属，请选择供养亲属")
		}
	}
	if n.PensionFen < 0 || n.PensionFen > 10_000_000 {
		fs.Add("pension_fen", "range", "基本养老金金额应在0至10万元之间")
	}
	if len([]rune(n.Note)) > 200 {
		fs.Add("note", "length", "说明不能超过200字")
	}
	return fs.Err()
}

// RecordPayeeEvent records a fact about a payee. A 资格认证 renews the
// payee's certification date; anything else puts the payee's entitlements
// under watch, so that every later cycle checks them. Reported late, a
// stop leaves an overpayment: a recovery is opened for what was paid for
// months after it. A retirement with a basic pension below the level 1–4
// allowance opens the 差额 the fund pays from the next month.
func (s *Store) RecordPayeeEvent(ctx context.Context, actor access.Principal, set *param.Set, n NewPayeeEvent) (int64, error) {
	if err := mayPayroll(actor, access.PermPayrollPrepare); err != nil {
		return 0, err
	}
	if err := n.Validate(s.today()); err != nil {
		return 0, err
	}
	w, err := s.FindWorkerByID(ctx, actor.Scope(), n.WorkerID)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, actor, func(t *tx) error {
		if n.DependantID != 0 {
			var owner int64
			if err := t.QueryRowContext(ctx, `SELECT worker_id FROM dependants WHERE id = $1`, n.DependantID).Scan(&owner); err != nil || owner != w.ID {
				return errs.Field("dependant_id", "dependant", "供养亲属不属于该职工")
			}
		}
		var until any
		if n.Until != "" {
			until = n.Until
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO payroll_events (region_code, worker_id, dependant_id, kind, on_date, until_date, note, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, w.RegionCode, w.ID, nullID(n.DependantID), n.Kind, n.On, until, n.Note,
			nullID(t.actor.UserID), t.now).Scan(&id); err != nil {
			return err
		}
		payee := `worker_id = $1 AND dependant_id IS NULL`
		args := []any{w.ID}
		if n.DependantID != 0 {
			payee, args = `dependant_id = $1`, []any{n.DependantID}
		}
		if n.Kind == payroll.EventCertified {
			_, err := t.ExecContext(ctx, `UPDATE entitlements SET certified_on = $2, updated_at = $3 WHERE `+payee+` AND status = 'active'
				AND (certified_on IS NULL OR certified_on < $2)`, append(args, n.On, t.now)...)
			if err == nil {
				err = t.auditEvent(ctx, id, w.RegionCode, n)
			}
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE, updated_at = $2 WHERE `+payee, append(args, t.now)...); err != nil {
			return err
		}
		if n.Kind == payroll.EventRetired {
			if err := t.pensionDifference(ctx, w.ID, n); err != nil {
				return err
			}
		}
		if stopsAll(n.Kind) {
			if err := t.overpaid(ctx, w.ID, n, payee, args); err != nil {
				return err
			}
		}
		return t.auditEvent(ctx, id, w.RegionCode, n)
	})
	return id, err
}

func (t *tx) auditEvent(ctx context.Context, id int64, region string, n NewPayeeEvent) error {
	return t.audit(ctx, "payee.event", "payroll_event", id, region, nil, n)
}

// stopsAll: the events after which none of the payee's benefits are owed
// (retirement stops only the allowance; prison suspends).
func stopsAll(kind string) bool {
	switch kind {
	case payroll.EventDeath, payroll.EventRemarried, payroll.EventEmployed, payroll.EventAdopted:
		return true
	}
	return false
}

// overpaid opens a recovery for what the payee was paid (or is about to
// be: lines sent) for months after the event: by deduction from a
// survivor's pension of the same worker when the payee is the dead worker
// and one exists, else as a demand to the payee (or the estate).
func (t *tx) overpaid(ctx context.Context, workerID int64, n NewPayeeEvent, payee string, args []any) error {
	em, _ := payroll.MonthOfDate(n.On)
	after := em.Add(1).String()
	var sum int64
	if err := t.QueryRowContext(ctx, `SELECT COALESCE(SUM(l.gross_fen - l.deduction_fen), 0) FROM payroll_lines l JOIN entitlements e ON e.id = l.entitlement_id
		WHERE `+strings.ReplaceAll(strings.ReplaceAll(payee, "worker_id", "e.worker_id"), "dependant_id", "e.dependant_id")+
		` AND l.month >= $2 AND l.state IN ('paid', 'sent')`, append(args, after)...).Scan(&sum); err != nil {
		return err
	}
	if sum <= 0 {
		return nil
	}
	var from sql.NullInt64
	method := "demand"
	if n.Kind == payroll.EventDeath && n.DependantID == 0 {
		if err := t.QueryRowContext(ctx, `SELECT MIN(id) FROM entitlements WHERE worker_id = $1 AND dependant_id IS NOT NULL AND status = 'active'`, workerID).Scan(&from); err != nil {
			return err
		}
		if from.Valid {
			method = "deduct"
		}
	}
	reason := fmt.Sprintf("%s于%s，此后已发放的待遇应予追回（《社会保险经办条例》第四十六条）", payroll.EventName(n.Kind), n.On)
	_, err := t.createRecovery(ctx, workerID, from.Int64, sum, method, reason)
	return err
}

// pensionDifference opens the 差额 entitlement when a retired level 1–4
// worker's basic pension is below his allowance (条例 Art. 35; 社会保险法
// Art. 40), from the month after retirement.
func (t *tx) pensionDifference(ctx context.Context, workerID int64, n NewPayeeEvent) error {
	var e Entitlement
	e, err := scanEntitlement(t.QueryRowContext(ctx, `SELECT `+entitlementCols+` FROM entitlements WHERE worker_id = $1 AND dependant_id IS NULL
		AND type = 'disability_allowance' AND payer = 'fund' AND status = 'active' ORDER BY id LIMIT 1`, workerID))
	if err != nil {
		return ignoreNoRows(err)
	}
	diff := e.AmountFen - n.PensionFen
	if diff <= 0 {
		return nil
	}
	em, _ := payroll.MonthOfDate(n.On)
	start := em.Add(1).First().Format(time.DateOnly)
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO entitlements (case_id, decision_id, worker_id, region_code, type, payer, amount_fen, start_date,
		payee_kind, payee_name, payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked, status, created_at, updated_at, version, source,
		level, bank_code, bank_valid, certified_on)
		SELECT case_id, NULL, worker_id, region_code, 'pension_difference', 'fund', $1, $2, payee_kind, payee_name, payee_id_hash, payee_id_masked,
			bank_name, bank_enc, bank_masked, 'active', $3, $3, 1, 'retirement', level, bank_code, bank_valid, certified_on
		FROM entitlements WHERE id = $4 RETURNING id`, diff, start, t.now, e.ID).Scan(&id); err != nil {
		return fmt.Errorf("store: pension difference: %w", err)
	}
	_, err = t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, start, diff, fmt.Sprintf("退休后伤残津贴%s高于基本养老金%s，由基金补足差额", yuanText(e.AmountFen), yuanText(n.PensionFen)),
		nullID(t.actor.UserID), t.now)
	return err
}

// PayeeEvents lists the events recorded for a worker and his dependants.
func (s *Store) PayeeEvents(ctx context.Context, viewer access.Principal, workerID int64) ([]PayeeEvent, error) {
	if err := mayPayroll(viewer, access.PermPayrollRead); err != nil {
		return nil, err
	}
	if _, err := s.FindWorkerByID(ctx, viewer.Scope(), workerID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(dependant_id, 0), kind, on_date, COALESCE(until_date, ''), note, created_at
		FROM payroll_events WHERE worker_id = $1 ORDER BY on_date DESC, id DESC`, workerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PayeeEvent
	for rows.Next() {
		var e PayeeEvent
		if err := rows.Scan(&e.ID, &e.DependantID, &e.Kind, &e.On, &e.Until, &e.Note, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PayeeEvent is a recorded event.
type PayeeEvent struct {
	ID          int64     `json:"id"`
	DependantID int64     `json:"dependant_id"`
	Kind        string    `json:"kind"`
	On          string    `json:"on"`
	Until       string    `json:"until"`
	Note        string    `json:"note"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewDependant is a relative mainly supported by a worker who died of a
// work injury.
type NewDependant struct {
	Name           string `json:"name"`
	IDNumber       string `json:"id_number"`
	Relation       string `json:"relation"`
	Incapacitated  bool   `json:"incapacitated"`
	OrphanOrLonely bool   `json:"orphan_or_lonely"`
	ParentsUnable  bool   `json:"parents_unable"`
	GuardianName   string `json:"guardian_name"` // for a minor
	BankName       string `json:"bank_name"`
	BankAccount    string `json:"bank_account"`
}

// SurvivorDecision is the 供养亲属抚恤金 of one death: the worker, the date
// of death, his 本人工资 and the dependants.
type SurvivorDecision struct {
	WorkerID    int64          `json:"worker_id"`
	CaseID      int64          `json:"case_id"`
	DeathDate   string         `json:"death_date"`
	BaseWageFen int64          `json:"base_wage_fen"`
	Dependants  []NewDependant `json:"dependants"`
}

// Validate checks the decision's fields, each dependant's by index.
func (d SurvivorDecision) Validate(today time.Time) error {
	var fs errs.Fields
	if dd, err := time.Parse(time.DateOnly, d.DeathDate); err != nil || dd.After(today) || dd.Year() < 2000 {
		fs.Add("death_date", "date", "死亡日期应为2000年以后、不晚于今天的日期（YYYY-MM-DD）")
	}
	if d.BaseWageFen <= 0 || d.BaseWageFen > 10_000_000 {
		fs.Add("base_wage_fen", "range", "本人工资应大于0且不超过10万元")
	}
	if len(d.Dependants) == 0 || len(d.Dependants) > 12 {
		fs.Add("dependants", "count", "请填写1至12名供养亲属")
	}
	for i, p := range d.Dependants {
		f := func(name string) string { return fmt.Sprintf("dependants[%d].%s", i, name) }
		if strings.TrimSpace(p.Name) == "" {
			fs.Add(f("name"), "required", "第%d名供养亲属：请填写姓名", i+1)
		}
		if _, err := registry.ParseIDNumber(f("id_number"), registry.NormalizeIDNumber(p.IDNumber), today); err != nil {
			fs.Add(f("id_number"), "id_number", "第%d名供养亲属：%s", i+1, err.Error())
		}
		if !benefit.ValidRelation(p.Relation) {
			fs.Add(f("relation"), "relation", "第%d名供养亲属：与死者关系应为配偶、子女、父母、祖父母、孙子女或兄弟姐妹", i+1)
		}
		if strings.TrimSpace(p.BankName) == "" {
			fs.Add(f("bank_name"), "required", "第%d名供养亲属：请填写开户银行", i+1)
		}
		if err := payroll.CheckAccount(f("bank_account"), p.BankAccount); err != nil {
			fs.Add(f("bank_account"), "account", "第%d名供养亲属：%s", i+1, err.Error())
		}
	}
	return fs.Err()
}

// DecideSurvivorPensions computes and records the 供养亲属抚恤金 of a
// worker's death (条例 Art. 39, S10): one entitlement per eligible
// dependant, the combined cap applied, paid from the month after death to
// the dependant or a minor's guardian; the death is recorded as an event
// of the worker. It needs the case approver's permission.
func (s *Store) DecideSurvivorPensions(ctx context.Context, actor access.Principal, set *param.Set, d SurvivorDecision) ([]int64, error) {
	if !actor.Can(access.PermCaseApprove) || !actor.Can(access.PermPayrollPrepare) || actor.Kind != access.KindStaff && actor.Kind != access.KindSystem {
		return nil, errs.E(errs.Forbidden, "无权核定供养亲属抚恤金")
	}
	today := s.today()
	if err := d.Validate(today); err != nil {
		return nil, err
	}
	w, err := s.FindWorkerByID(ctx, actor.Scope(), d.WorkerID)
	if err != nil {
		return nil, err
	}
	death, _ := time.Parse(time.DateOnly, d.DeathDate)
	deps := make([]benefit.Dependant, len(d.Dependants))
	births := make([]time.Time, len(d.Dependants))
	for i, p := range d.Dependants {
		d.Dependants[i].IDNumber = registry.NormalizeIDNumber(p.IDNumber)
		info, _ := registry.ParseIDNumber("id_number", d.Dependants[i].IDNumber, today)
		births[i], _ = time.Parse(time.DateOnly, info.BirthDate)
		deps[i] = benefit.Dependant{Relation: benefit.Relation(p.Relation), Sex: info.Sex, BirthDate: births[i], Incapacitated: p.Incapacitated,
			OrphanOrLonely: p.OrphanOrLonely, ParentsUnable: p.ParentsUnable}
	}
	items, err := benefit.SurvivorPensions(param.NewResolver(set, w.RegionCode), d.BaseWageFen, deps, death)
	if err != nil {
		return nil, err
	}
	start := payroll.MonthOf(death).Add(1).First().Format(time.DateOnly)
	var ids []int64
	err = s.write(ctx, actor, func(t *tx) error {
		if d.CaseID != 0 {
			var owner int64
			if err := t.QueryRowContext(ctx, `SELECT worker_id FROM cases WHERE id = $1`, d.CaseID).Scan(&owner); err != nil || owner != w.ID {
				return errs.Field("case_id", "case", "案件不属于该职工")
			}
		}
		var existing int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM entitlements WHERE worker_id = $1 AND type = 'survivor_pension'`, w.ID).Scan(&existing); err != nil {
			return err
		}
		if existing > 0 {
			return errs.E(errs.Conflict, "该职工的供养亲属抚恤金已核定，变更请登记供养亲属的变化事项")
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO payroll_events (region_code, worker_id, kind, on_date, note, created_by, created_at, updated_at)
			VALUES ($1, $2, 'death', $3, '核定供养亲属抚恤金', $4, $5, $5)`, w.RegionCode, w.ID, d.DeathDate, nullID(t.actor.UserID), t.now); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE entitlements SET watch = TRUE WHERE worker_id = $1 AND dependant_id IS NULL`, w.ID); err != nil {
			return err
		}
		for _, it := range items {
			if it.Code != benefit.CodeSurvivorPension || it.Dependant < 0 || it.Amount <= 0 {
				continue
			}
			p := d.Dependants[it.Dependant]
			id, err := t.survivorEntitlement(ctx, w, d, p, births[it.Dependant], it, start)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			return errs.E(errs.Conflict, "所列亲属均不符合供养条件，未核定抚恤金")
		}
		var explained []string
		for _, it := range items {
			explained = append(explained, it.Explanation)
		}
		return t.audit(ctx, "survivor.decide", "worker", w.ID, w.RegionCode, nil, map[string]any{"death_date": d.DeathDate,
			"base_wage_fen": d.BaseWageFen, "entitlements": ids, "dependants": len(d.Dependants), "explanation": explained})
	})
	return ids, err
}

func (t *tx) survivorEntitlement(ctx context.Context, w registry.Worker, d SurvivorDecision, p NewDependant, birth time.Time, it benefit.Item, start string) (int64, error) {
	var depID int64
	if err := t.QueryRowContext(ctx, `INSERT INTO dependants (worker_id, case_id, region_code, name, relation, birth_date, incapacitated, id_hash, id_enc,
		id_masked, guardian_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		w.ID, nullID(d.CaseID), w.RegionCode, p.Name, p.Relation, birth.Format(time.DateOnly), p.Incapacitated, t.s.pii.Hash(p.IDNumber),
		t.s.pii.Seal(p.IDNumber), pii.MaskID(p.IDNumber), p.GuardianName, t.now).Scan(&depID); err != nil {
		return 0, fmt.Errorf("store: dependant: %w", err)
	}
	// The adult-age stop concerns only those eligible as minors: children,
	// grandchildren and siblings not fully incapacitated (S10 Arts. 3–4);
	// a spouse's or parent's birth date is not the payroll's to check.
	var minorBirth any
	if !p.Incapacitated && (p.Relation == "child" || p.Relation == "grandchild" || p.Relation == "sibling") {
		minorBirth = birth.Format(time.DateOnly)
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO entitlements (case_id, worker_id, region_code, type, payer, amount_fen, start_date, payee_kind, payee_name,
		payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked, status, created_at, updated_at, version, source, dependant_id, guardian_name,
		bank_code, bank_valid, payee_birth, payee_incapacitated, certified_on)
		VALUES ($1, $2, $3, 'survivor_pension', 'fund', $4, $5, 'dependant', $6, $7, $8, $9, $10, $11, 'active', $12, $12, 1, 'death', $13, $14, $15, TRUE, $16, $17, $5)
		RETURNING id`, nullID(d.CaseID), w.ID, w.RegionCode, it.Amount, start, p.Name, t.s.pii.Hash(p.IDNumber), pii.MaskID(p.IDNumber), p.BankName,
		t.s.pii.Seal(p.BankAccount), pii.MaskAccount(p.BankAccount), t.now, depID, p.GuardianName, payroll.BankCode(p.BankName),
		minorBirth, p.Incapacitated).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: survivor entitlement: %w", err)
	}
	_, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, start, it.Amount, fmt.Sprintf("工亡待遇核定（%s死亡，本人工资%s；计算过程见审计记录）", d.DeathDate,
		yuanText(d.BaseWageFen)), nullID(t.actor.UserID), t.now)
	return id, err
}
