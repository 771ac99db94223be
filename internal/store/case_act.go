package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"gongshang/internal/access"
	"gongshang/internal/benefit"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/payroll"
	"gongshang/internal/settlement"
)

// CaseReminder is the job of one reminder of a service's due date: Kind
// "before" (the working day before), "due" (the morning of the last day)
// or "overdue" (the day after, which also marks the step overdue). The
// worker acts only while the service is still at that step with that due
// date, and records each reminder once (case_reminders), so a retried or
// duplicated job does nothing twice.
type CaseReminder struct {
	ServiceID int64  `json:"service_id"`
	Step      string `json:"step"`
	Due       string `json:"due"`
	Reminder  string `json:"reminder"`
}

// Kind implements JobArgs.
func (CaseReminder) Kind() string { return "case_reminder" }

// RecognitionDecided is the outbox row a decided recognition leaves for the
// hospital side (direct settlement makes an open in-patient stay payable).
type RecognitionDecided struct {
	CaseID     int64              `json:"case_id"`
	CaseNumber string             `json:"case_number"`
	WorkerID   int64              `json:"worker_id"`
	InjuryDate string             `json:"injury_date"`
	Outcome    casebundle.Outcome `json:"outcome"`
	DecidedOn  string             `json:"decided_on"`
}

// reminderTimes are when a due date's reminders run, in China Standard Time.
func reminderTimes(due string) map[string]time.Time {
	d, err := time.ParseInLocation(time.DateOnly, due, cst)
	if err != nil {
		return nil
	}
	return map[string]time.Time{
		"before":  d.AddDate(0, 0, -1).Add(9 * time.Hour),
		"due":     d.Add(9 * time.Hour),
		"overdue": d.AddDate(0, 0, 1).Add(5 * time.Minute),
	}
}

// scheduleReminders enqueues the reminders of every agency step whose due
// date is new (old maps service ids to the due dates they had).
func (t *tx) scheduleReminders(ctx context.Context, c *casebundle.Case, old map[int64]string) error {
	for _, s := range c.Services {
		if s.Party != casebundle.PartyAgency || s.Due == "" || old[s.ID] == s.Due {
			continue
		}
		for kind, at := range reminderTimes(s.Due) {
			opts := &river.InsertOpts{}
			if at.After(t.now) {
				opts.ScheduledAt = at
			} else if kind != "overdue" {
				continue // a reminder of the past is not sent; the overdue mark still is
			}
			if _, err := t.s.jobs.InsertTx(t.ctx(ctx), t.Tx, CaseReminder{s.ID, s.Step, s.Due, kind}, opts); err != nil {
				return fmt.Errorf("store: enqueue reminder: %w", err)
			}
		}
	}
	return nil
}

// ActOnCase performs one action on a service of a case: under the case
// row's lock it reads the case, resolves its materials, lets casebundle
// decide, and writes what changed with its events, audit entries,
// reminders and outbox rows. Returns the case as it is afterwards.
func (s *Store) ActOnCase(ctx context.Context, actor access.Principal, set *param.Set, caseID, serviceID int64, a casebundle.Action) (casebundle.Case, []casebundle.Event, error) {
	var out casebundle.Case
	var events []casebundle.Event
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		facts, err := t.s.caseFacts(ctx, t, &c)
		if err != nil {
			return err
		}
		before := c
		before.Services = append([]casebundle.Service(nil), c.Services...)
		env := casebundle.Env{Today: t.s.today(), Actor: actor, Params: param.NewResolver(set, c.RegionCode),
			Missing: casebundle.MissingUploads(c.Resolve(facts))}
		if a.Name == casebundle.ActCompute {
			// The amounts are computed here from the case's facts, never
			// taken from the caller; only the average wage may be corrected.
			p, err := t.s.propose(ctx, t, &c, env.Params, a.AvgWageFen)
			if err != nil {
				return err
			}
			a.Proposal = &p
		}
		if events, err = c.Apply(serviceID, a, env); err != nil {
			return err
		}
		if err := t.saveCase(ctx, &before, &c, events, set); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, events, err
}

// ChangeProcedure switches a case to the simple procedure (checklist set)
// or back to the normal one (reason), re-computing the clocks.
func (s *Store) ChangeProcedure(ctx context.Context, actor access.Principal, set *param.Set, caseID int64, simple bool, cl casebundle.Checklist, reason string) (casebundle.Case, error) {
	var out casebundle.Case
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		before := c
		before.Services = append([]casebundle.Service(nil), c.Services...)
		r := param.NewResolver(set, c.RegionCode)
		ev := casebundle.Event{ServiceID: c.Service(casebundle.Recognition).ID, Service: casebundle.Recognition, On: t.s.today().Format(time.DateOnly)}
		if simple {
			err, ev.Action, ev.Note = c.UseSimple(actor, cl, r), "use_simple", "适用简易程序"
		} else {
			err, ev.Action, ev.Note = c.Fallback(actor, reason, r), "fallback", "转为普通程序："+reason
		}
		if err != nil {
			return err
		}
		ev.From, ev.To = c.Service(casebundle.Recognition).State, c.Service(casebundle.Recognition).State
		if err := t.saveCase(ctx, &before, &c, []casebundle.Event{ev}, set); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// saveCase writes the services that changed between before and after
// (each guarded by the version it was read at), the case row, events, the
// audit entry, reminders and outbox rows.
func (t *tx) saveCase(ctx context.Context, before, after *casebundle.Case, events []casebundle.Event, set *param.Set) error {
	old := map[int64]string{}
	for i := range after.Services {
		s := &after.Services[i]
		prev := before.ServiceByID(s.ID)
		old[s.ID] = prev.Due
		if servicesEqual(prev, s) {
			continue
		}
		susp, detail := marshalService(s)
		if err := t.updateVersioned(ctx, "case_services", s.ID, prev.Version,
			`state = $3, step = $4, due_date = $5, party = $6, overdue = $7, simple = $8, suspensions = $9, detail = $10, updated_at = $11`,
			s.State, s.Step, nullDate(s.Due), s.Party, s.Overdue, after.Simple, susp, detail, t.now); err != nil {
			return err
		}
		s.Version, s.UpdatedAt = prev.Version+1, t.now
	}
	detail, _ := json.Marshal(textOf(after))
	if err := t.updateVersioned(ctx, "cases", after.ID, before.Version, `simple = $3, detail = $4, updated_at = $5`,
		after.Simple, string(detail), t.now); err != nil {
		return err
	}
	after.Version, after.UpdatedAt = before.Version+1, t.now
	if err := t.caseEvents(ctx, after, events); err != nil {
		return err
	}
	action := "case.act"
	if len(events) > 0 && events[0].Action != "" {
		action = "case." + string(events[0].Action)
	}
	if err := t.audit(ctx, action, "case", after.ID, after.RegionCode, caseSnapshot(before), caseSnapshot(after)); err != nil {
		return err
	}
	if err := t.outbox(ctx, before, after); err != nil {
		return err
	}
	if err := t.entitlements(ctx, before, after); err != nil {
		return err
	}
	if err := t.issueLetters(ctx, after, events, param.NewResolver(set, after.RegionCode)); err != nil {
		return err
	}
	if err := t.decisionFigures(ctx, before, after, set); err != nil {
		return err
	}
	return t.scheduleReminders(ctx, after, old)
}

func servicesEqual(a, b *casebundle.Service) bool {
	sa, da := marshalService(a)
	sb, db := marshalService(b)
	return a.State == b.State && a.Step == b.Step && a.Due == b.Due && a.Party == b.Party && a.Overdue == b.Overdue && sa == sb && da == db
}

// outbox leaves a RecognitionDecided row when the recognition got decided.
func (t *tx) outbox(ctx context.Context, before, after *casebundle.Case) error {
	b, a := before.Service(casebundle.Recognition), after.Service(casebundle.Recognition)
	if a == nil || a.State != casebundle.Decided || b.State == casebundle.Decided {
		return nil
	}
	p, _ := json.Marshal(RecognitionDecided{after.ID, after.Number, after.WorkerID, after.InjuryDate, a.Detail.Outcome, a.Detail.DecidedOn})
	_, err := t.ExecContext(ctx, `INSERT INTO case_outbox (kind, case_id, worker_id, region_code, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		"recognition_decided", after.ID, after.WorkerID, after.RegionCode, string(p), t.now)
	if err != nil {
		return fmt.Errorf("store: case outbox: %w", err)
	}
	if a.Detail.Outcome.Positive() {
		return t.linkEncounters(ctx, after)
	}
	return nil
}

// linkEncounters makes the worker's open encounters since the injury
// payable under the case the moment its recognition is positive: the
// hospital sees it in its next 1101 or 2303 and may settle
// (出院前完成认定，实时结算), with no action of its own.
func (t *tx) linkEncounters(ctx context.Context, c *casebundle.Case) error {
	rows, err := t.QueryContext(ctx, `SELECT id, begin_at, region_code FROM encounters WHERE worker_id = $1 AND state IN ('open', 'discharged')
		AND payable = FALSE AND (case_id IS NULL OR case_id = $2)`, c.WorkerID, c.ID)
	if err != nil {
		return err
	}
	type hit struct {
		id     int64
		region string
	}
	var hits []hit
	for rows.Next() {
		var h hit
		var begin time.Time
		if err := rows.Scan(&h.id, &begin, &h.region); err != nil {
			rows.Close()
			return err
		}
		if settlement.Day(begin) >= c.InjuryDate {
			hits = append(hits, h)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, h := range hits {
		if _, err := t.ExecContext(ctx, `UPDATE encounters SET case_id = $1, payable = TRUE, updated_at = $2, version = version + 1 WHERE id = $3`,
			c.ID, t.now, h.id); err != nil {
			return err
		}
		if err := t.audit(ctx, "encounter.payable", "encounter", h.id, h.region, nil, map[string]any{"injury_id": c.Number, "case_id": c.ID}); err != nil {
			return err
		}
	}
	return nil
}

// RemindCase works one CaseReminder: records it once, and for "overdue"
// marks the step overdue, only while the service still waits at that step
// with that due date. Returns whether anything was recorded.
func (s *Store) RemindCase(ctx context.Context, r CaseReminder) (bool, error) {
	var done bool
	err := s.write(ctx, access.System, func(t *tx) error {
		// The case row's lock orders the mark after (or before) an
		// officer's action on the same case, as ActOnCase takes it too.
		var caseID int64
		if err := t.QueryRowContext(ctx, `SELECT id FROM cases WHERE id = (SELECT case_id FROM case_services WHERE id = $1)`+t.s.engine.forUpdate(),
			r.ServiceID).Scan(&caseID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return fmt.Errorf("store: reminder: %w", err)
		}
		res, err := t.ExecContext(ctx, `INSERT INTO case_reminders (service_id, step, due_date, kind, at)
			SELECT id, step, due_date, $4, $5 FROM case_services WHERE id = $1 AND step = $2 AND due_date = $3 AND party = 'agency'
			ON CONFLICT DO NOTHING`, r.ServiceID, r.Step, r.Due, r.Reminder, t.now)
		if err != nil {
			return fmt.Errorf("store: reminder: %w", err)
		}
		n, _ := res.RowsAffected()
		if done = n == 1; !done || r.Reminder != "overdue" {
			return nil
		}
		_, err = t.ExecContext(ctx, `UPDATE case_services SET overdue = $4, version = version + 1 WHERE id = $1 AND step = $2 AND due_date = $3`,
			r.ServiceID, r.Step, r.Due, true)
		if err != nil {
			return fmt.Errorf("store: overdue mark: %w", err)
		}
		var region string
		if err := t.QueryRowContext(ctx, `SELECT region_code FROM case_services WHERE id = $1`, r.ServiceID).Scan(&region); err != nil {
			return err
		}
		return t.audit(ctx, "case.overdue", "case", caseID, region, nil, r)
	})
	return done, err
}

// caseFacts are what the registry and the case's uploads say for its
// materials (casebundle.Resolve).
func (s *Store) caseFacts(ctx context.Context, q querier, c *casebundle.Case) (casebundle.Facts, error) {
	f := casebundle.Facts{Uploaded: map[string]bool{}}
	var start string
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MIN(start_date), '') FROM employments WHERE worker_id = $1 AND employer_id = $2
		AND start_date <= $3 AND (end_date IS NULL OR end_date >= $3)`, c.WorkerID, c.EmployerID, c.InjuryDate).Scan(&start)
	if err != nil {
		return f, fmt.Errorf("store: case facts: %w", err)
	}
	if start != "" {
		f.Employed = "登记的劳动关系（" + start + "起）"
	}
	inj, _ := casebundle.ParseDate(c.InjuryDate)
	from, to := inj.AddDate(0, -12, 0).Format("2006-01"), inj.AddDate(0, -1, 0).Format("2006-01")
	if err := q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT period) FROM wages WHERE worker_id = $1 AND period BETWEEN $2 AND $3`,
		c.WorkerID, from, to).Scan(&f.WageMonths); err != nil {
		return f, fmt.Errorf("store: case facts: %w", err)
	}
	var bank string
	if err := q.QueryRowContext(ctx, `SELECT bank_masked FROM workers WHERE id = $1`, c.WorkerID).Scan(&bank); err != nil {
		return f, fmt.Errorf("store: case facts: %w", err)
	}
	f.BankAccount = bank != ""
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT material FROM case_files WHERE case_id = $1`, c.ID)
	if err != nil {
		return f, fmt.Errorf("store: case facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return f, err
		}
		f.Uploaded[m] = true
	}
	return f, rows.Err()
}

// CaseMaterials resolves a case's requirements for the case page and API.
func (s *Store) CaseMaterials(ctx context.Context, c *casebundle.Case) ([]casebundle.Needs, error) {
	f, err := s.caseFacts(ctx, s.db, c)
	if err != nil {
		return nil, err
	}
	return c.Resolve(f), nil
}

// AddCaseService gives a case a later service (再次鉴定, 复查鉴定 or a
// confirmation), received on date on (today when empty).
func (s *Store) AddCaseService(ctx context.Context, actor access.Principal, set *param.Set, caseID int64, kind casebundle.ServiceKind, on string) (casebundle.Case, error) {
	if !actor.Can(access.PermCaseOpen) && !actor.Can(access.PermCaseAssess) {
		return casebundle.Case{}, errs.E(errs.Forbidden, "您的角色不能为案件增加办理事项")
	}
	var out casebundle.Case
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		today := t.s.today().Format(time.DateOnly)
		if on == "" {
			on = today
		} else if _, ok := casebundle.ParseDate(on); !ok || on > today {
			return errs.Field("on", "date", "申请日期无效或晚于今天")
		}
		old := map[int64]string{}
		for _, x := range c.Services {
			old[x.ID] = x.Due
		}
		svc, err := c.AddService(kind, on, param.NewResolver(set, c.RegionCode))
		if err != nil {
			return err
		}
		if err := t.insertService(ctx, &c, svc); err != nil {
			return err
		}
		ev := casebundle.Event{ServiceID: svc.ID, Service: kind, Action: "add_service", To: svc.State, On: on, Note: "申请" + kind.Name()}
		if err := t.caseEvents(ctx, &c, []casebundle.Event{ev}); err != nil {
			return err
		}
		if err := t.audit(ctx, "case.add_service", "case", c.ID, c.RegionCode, nil, caseSnapshot(&c)); err != nil {
			return err
		}
		out = c
		return t.scheduleReminders(ctx, &c, old)
	})
	return out, err
}

// propose computes the case's benefit decision from its recorded wages.
func (s *Store) propose(ctx context.Context, q querier, c *casebundle.Case, r *param.Resolver, avg *int64) (casebundle.Proposal, error) {
	rows, err := q.QueryContext(ctx, `SELECT period, SUM(amount_fen) FROM wages WHERE worker_id = $1 GROUP BY period`, c.WorkerID)
	if err != nil {
		return casebundle.Proposal{}, fmt.Errorf("store: case wages: %w", err)
	}
	defer rows.Close()
	wages := map[string]int64{}
	for rows.Next() {
		var p string
		var fen int64
		if err := rows.Scan(&p, &fen); err != nil {
			return casebundle.Proposal{}, err
		}
		wages[p] = fen
	}
	if err := rows.Err(); err != nil {
		return casebundle.Proposal{}, err
	}
	return c.Propose(r, wages, avg, s.today())
}

// BenefitProposal is the benefit decision the case's facts give now, for
// the officer to review before computing it.
func (s *Store) BenefitProposal(ctx context.Context, viewer access.Principal, set *param.Set, caseID int64) (casebundle.Proposal, error) {
	c, err := s.FindCase(ctx, viewer, caseID)
	if err != nil {
		return casebundle.Proposal{}, err
	}
	return s.propose(ctx, s.db, &c, param.NewResolver(set, c.RegionCode), nil)
}

// entitlements writes what an approval creates: the monthly entitlements
// (with their first amount in the history) and the one-off payables, once
// per decision (the unique keys make a retried approval write nothing twice).
func (t *tx) entitlements(ctx context.Context, before, after *casebundle.Case) error {
	b, a := before.Service(casebundle.BenefitApproval), after.Service(casebundle.BenefitApproval)
	if a == nil || a.State != casebundle.Approved || b.State == casebundle.Approved {
		return nil
	}
	concluded := a.Detail.DecidedOn
	level, care := 0, ""
	if as := after.Service(casebundle.InitialAssess); as != nil {
		concluded = as.Detail.DecidedOn
		level, care = as.Detail.Level, string(as.Detail.CareLevel)
	}
	ents, pays := a.Outcomes(concluded)
	var name, masked, bankName, bankMasked string
	var idHash, bankEnc []byte
	if err := t.QueryRowContext(ctx, `SELECT name, id_hash, id_masked, bank_name, bank_enc, bank_masked FROM workers WHERE id = $1`, after.WorkerID).
		Scan(&name, &idHash, &masked, &bankName, &bankEnc, &bankMasked); err != nil {
		return fmt.Errorf("store: entitlement payee: %w", err)
	}
	// The payroll pays into the worker's account on record, if it passes
	// the card check; otherwise the first cycle suspends the line
	// (BANK_INVALID) until the account is corrected.
	acct, _ := t.s.pii.Open(bankEnc)
	bankValid := payroll.CheckAccount("bank_account", acct) == nil
	for _, e := range ents {
		stops, _ := json.Marshal(e.StopConditions)
		var id int64
		entCare := ""
		if e.Type == payroll.TypeNursing {
			entCare = care
		}
		if err := t.QueryRowContext(ctx, `INSERT INTO entitlements (case_id, decision_id, worker_id, region_code, type, payer, amount_fen,
			start_date, stop_conditions, payee_kind, payee_name, payee_id_hash, payee_id_masked, bank_name, bank_enc, bank_masked,
			status, created_at, updated_at, version, level, care, bank_code, bank_valid)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'worker', $10, $11, $12, $13, $14, $15, 'active', $16, $16, 1, $17, $18, $19, $20) RETURNING id`,
			after.ID, a.ID, after.WorkerID, after.RegionCode, e.Type, string(e.Payer), e.AmountFen, e.Start, string(stops),
			name, idHash, masked, bankName, bankEnc, bankMasked, t.now, level, entCare, payroll.BankCode(bankName), bankValid).Scan(&id); err != nil {
			return fmt.Errorf("store: entitlement: %w", err)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO entitlement_amounts (entitlement_id, effective_from, amount_fen, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, e.Start, e.AmountFen, "待遇核定（"+after.Number+"）", t.actor.UserID, t.now); err != nil {
			return fmt.Errorf("store: entitlement amount: %w", err)
		}
	}
	for _, p := range pays {
		if _, err := t.ExecContext(ctx, `INSERT INTO payable_items (case_id, decision_id, worker_id, region_code, type, payer, amount_fen, payee_name, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'payable', $9)`, after.ID, a.ID, after.WorkerID, after.RegionCode, p.Type, string(p.Payer), p.AmountFen, name, t.now); err != nil {
			return fmt.Errorf("store: payable item: %w", err)
		}
	}
	return nil
}

// CaseEntitlement is one monthly entitlement as the case page shows it.
type CaseEntitlement struct {
	ID        int64
	Type      string
	Payer     string
	AmountFen int64
	Start     string
	Status    string
}

// CaseEntitlements lists the entitlements and payables a case's approved
// decision created; the caller has read the case.
func (s *Store) CaseEntitlements(ctx context.Context, caseID int64) ([]CaseEntitlement, []casebundle.Payable, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, type, payer, amount_fen, start_date, status FROM entitlements WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: case entitlements: %w", err)
	}
	defer rows.Close()
	var ents []CaseEntitlement
	for rows.Next() {
		var e CaseEntitlement
		if err := rows.Scan(&e.ID, &e.Type, &e.Payer, &e.AmountFen, &e.Start, &e.Status); err != nil {
			return nil, nil, err
		}
		ents = append(ents, e)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	prow, err := s.db.QueryContext(ctx, `SELECT type, payer, amount_fen FROM payable_items WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, nil, fmt.Errorf("store: case payables: %w", err)
	}
	defer prow.Close()
	var pays []casebundle.Payable
	for prow.Next() {
		var p casebundle.Payable
		var payer string
		if err := prow.Scan(&p.Type, &payer, &p.AmountFen); err != nil {
			return nil, nil, err
		}
		p.Payer = benefit.Payer(payer)
		pays = append(pays, p)
	}
	return ents, pays, prow.Err()
}

// decisionFigures records, when a recognition is decided, what the
// dashboard counts: the days from the application to the decision, and
// whether it came within the statutory limit (the national parameters, with
// the case's procedure) and within the region's own (the due date the step
// had). A decision revoked on appeal clears them until the next one.
func (t *tx) decisionFigures(ctx context.Context, before, after *casebundle.Case, set *param.Set) error {
	b, a := before.Service(casebundle.Recognition), after.Service(casebundle.Recognition)
	if a == nil || a.State == b.State {
		return nil
	}
	if a.State == casebundle.Accepted && b.State == casebundle.Appealed {
		var decided sql.NullString
		var days sql.NullInt64
		var legal, local sql.NullBool
		if err := t.QueryRowContext(ctx, `SELECT decided_on, decision_days, within_legal, within_local FROM case_services WHERE id = $1`, a.ID).
			Scan(&decided, &days, &legal, &local); err != nil {
			return fmt.Errorf("store: decision figures: %w", err)
		}
		if decided.Valid {
			if err := t.countDecision(ctx, after.RegionCode, decided.String, after.Simple, int(days.Int64), legal.Bool, local.Bool, -1); err != nil {
				return err
			}
		}
		_, err := t.ExecContext(ctx, `UPDATE case_services SET decided_on = NULL, decision_days = NULL, within_legal = NULL, within_local = NULL WHERE id = $1`, a.ID)
		return err
	}
	if a.State != casebundle.Decided {
		return nil
	}
	legal, err := before.ClockOf(b, param.NewResolver(set, "000000"))
	if err != nil {
		return err
	}
	app, _ := casebundle.ParseDate(after.ApplicationDate)
	dec, _ := casebundle.ParseDate(a.Detail.DecidedOn)
	days := int(dec.Sub(app).Hours() / 24)
	inLegal, inLocal := a.Detail.DecidedOn <= legal.Due, a.Detail.DecidedOn <= b.Due
	_, err = t.ExecContext(ctx, `UPDATE case_services SET decided_on = $2, decision_days = $3, within_legal = $4, within_local = $5 WHERE id = $1`,
		a.ID, a.Detail.DecidedOn, days, inLegal, inLocal)
	if err != nil {
		return fmt.Errorf("store: decision figures: %w", err)
	}
	return t.countDecision(ctx, after.RegionCode, a.Detail.DecidedOn, after.Simple, days, inLegal, inLocal, 1)
}

// ClaimCaseService takes a service on for the acting officer (认领: it
// leaves the region's open queue for "分配给我"), or with assign false
// gives it back. Only a staff member whose role works that service may
// take it; one who holds it, or any such officer taking it over, moves it.
// The service's version guards the change like any other.
func (s *Store) ClaimCaseService(ctx context.Context, actor access.Principal, caseID, serviceID int64, assign bool, version *int64) (casebundle.Case, error) {
	var out casebundle.Case
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		svc := c.ServiceByID(serviceID)
		if svc == nil {
			return errs.E(errs.NotFound, "该案件没有这项业务")
		}
		if actor.Kind != access.KindStaff || !slices.Contains(casebundle.QueueKinds(actor.Role), svc.Kind) {
			return errs.E(errs.Forbidden, "您的角色不办理%s，不能认领", svc.Kind.Name())
		}
		if version != nil && *version != svc.Version {
			return staleError()
		}
		if svc.State.Final() && assign {
			return errs.E(errs.Conflict, "%s已办结，无需认领", svc.Kind.Name())
		}
		var to any
		note := "释放，退回地区待办"
		if assign {
			to, note = actor.UserID, "由"+actor.Name+"认领"
		} else if svc.AssigneeID != actor.UserID {
			return errs.E(errs.Conflict, "该事项不在您名下")
		}
		if err := t.updateVersioned(ctx, "case_services", svc.ID, svc.Version, `assignee_id = $3, updated_at = $4`, to, t.now); err != nil {
			return err
		}
		svc.Version++
		if assign {
			svc.AssigneeID, svc.AssigneeName = actor.UserID, actor.Name
		} else {
			svc.AssigneeID, svc.AssigneeName = 0, ""
		}
		ev := casebundle.Event{ServiceID: svc.ID, Service: svc.Kind, Action: "claim", From: svc.State, To: svc.State, On: t.s.today().Format(time.DateOnly), Note: note}
		if err := t.caseEvents(ctx, &c, []casebundle.Event{ev}); err != nil {
			return err
		}
		out = c
		return t.audit(ctx, "case.claim", "case", c.ID, c.RegionCode, nil, map[string]any{"service_id": svc.ID, "assignee_id": svc.AssigneeID})
	})
	return out, err
}
