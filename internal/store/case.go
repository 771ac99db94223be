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
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/param"
)

// The 工伤一件事 case. The rules live in casebundle; the store reads a case
// with its services under a row lock, lets casebundle decide, and writes the
// services it changed (each guarded by its version), the events, the audit
// entries, the reminder jobs and the outbox rows in one transaction.

// caseText is what a case keeps as JSON beside its columns.
type caseText struct {
	ApplicantName    string               `json:"applicant_name"`
	Place            string               `json:"place"`
	Cause            string               `json:"cause"`
	InjuredPart      string               `json:"injured_part"`
	Diagnosis        string               `json:"diagnosis"`
	Hospital         string               `json:"hospital"`
	EmployerDisputes bool                 `json:"employer_disputes"`
	ExcludedDays     int                  `json:"excluded_days"`
	ExcludedReason   string               `json:"excluded_reason"`
	Checklist        casebundle.Checklist `json:"checklist"`
	FallbackReason   string               `json:"fallback_reason"`
}

func textOf(c *casebundle.Case) caseText {
	return caseText{c.ApplicantName, c.Place, c.Cause, c.InjuredPart, c.Diagnosis, c.Hospital, c.EmployerDisputes,
		c.ExcludedDays, c.ExcludedReason, c.Checklist, c.FallbackReason}
}

func (ct caseText) apply(c *casebundle.Case) {
	c.ApplicantName, c.Place, c.Cause, c.InjuredPart, c.Diagnosis, c.Hospital = ct.ApplicantName, ct.Place, ct.Cause, ct.InjuredPart, ct.Diagnosis, ct.Hospital
	c.EmployerDisputes, c.ExcludedDays, c.ExcludedReason, c.Checklist, c.FallbackReason = ct.EmployerDisputes, ct.ExcludedDays, ct.ExcludedReason, ct.Checklist, ct.FallbackReason
}

const caseCols = `id, number, region_code, worker_id, employer_id, injury_date, application_date, injury_kind, channel,
	applicant, simple, late, de_facto, detail, opened_by, created_at, updated_at, version`

func scanCase(r interface{ Scan(...any) error }) (casebundle.Case, error) {
	var c casebundle.Case
	var detail string
	var opened sql.NullInt64
	err := r.Scan(&c.ID, &c.Number, &c.RegionCode, &c.WorkerID, &c.EmployerID, &c.InjuryDate, &c.ApplicationDate,
		&c.InjuryKind, &c.Channel, &c.Applicant, &c.Simple, &c.Late, &c.DeFacto, &detail, &opened, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return c, err
	}
	c.OpenedBy = opened.Int64
	var ct caseText
	if err := json.Unmarshal([]byte(detail), &ct); err != nil {
		return c, fmt.Errorf("store: case %d detail: %w", c.ID, err)
	}
	ct.apply(&c)
	return c, nil
}

const serviceCols = `s.id, s.case_id, s.kind, s.state, s.step, s.due_date, s.party, s.overdue, s.suspensions, s.detail, s.updated_at, s.version,
	COALESCE(s.assignee_id, 0), COALESCE(u.display_name, '')`

func scanService(r interface{ Scan(...any) error }) (casebundle.Service, error) {
	var s casebundle.Service
	var due sql.NullString
	var susp, detail string
	err := r.Scan(&s.ID, &s.CaseID, &s.Kind, &s.State, &s.Step, &due, &s.Party, &s.Overdue, &susp, &detail, &s.UpdatedAt, &s.Version,
		&s.AssigneeID, &s.AssigneeName)
	if err != nil {
		return s, err
	}
	s.Due = due.String
	if err := json.Unmarshal([]byte(susp), &s.Suspensions); err != nil {
		return s, fmt.Errorf("store: service %d suspensions: %w", s.ID, err)
	}
	if err := json.Unmarshal([]byte(detail), &s.Detail); err != nil {
		return s, fmt.Errorf("store: service %d detail: %w", s.ID, err)
	}
	return s, nil
}

// caseOwners are whom a case belongs to: its region, its worker, its employer.
func caseOwners(c *casebundle.Case) access.Owners {
	return access.Owners{Region: c.RegionCode, WorkerID: c.WorkerID, EmployerIDs: []int64{c.EmployerID}}
}

// loadCase reads a case and its services; lock takes the case row's lock
// (PostgreSQL) so two actions on one case run one after the other.
func (s *Store) loadCase(ctx context.Context, q querier, viewer access.Principal, id int64, lock bool) (casebundle.Case, error) {
	suffix := ""
	if lock {
		suffix = s.engine.forUpdate()
	}
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases WHERE id = $1`+suffix, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.E(errs.NotFound, "案件不存在")
	}
	if err != nil {
		return c, fmt.Errorf("store: find case: %w", err)
	}
	if !viewer.MaySee(caseOwners(&c)) {
		return casebundle.Case{}, errs.E(errs.NotFound, "案件不存在")
	}
	rows, err := q.QueryContext(ctx, `SELECT `+serviceCols+` FROM case_services s LEFT JOIN users u ON u.id = s.assignee_id WHERE s.case_id = $1 ORDER BY s.id`, id)
	if err != nil {
		return c, fmt.Errorf("store: case services: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		svc, err := scanService(rows)
		if err != nil {
			return c, err
		}
		c.Services = append(c.Services, svc)
	}
	return c, rows.Err()
}

// FindCase returns a case the viewer may see (NotFound otherwise: a case
// of another region, worker or employer is not admitted to exist).
func (s *Store) FindCase(ctx context.Context, viewer access.Principal, id int64) (casebundle.Case, error) {
	return s.loadCase(ctx, s.db, viewer, id, false)
}

// FindCaseByNumber returns a case by its number.
func (s *Store) FindCaseByNumber(ctx context.Context, viewer access.Principal, number string) (casebundle.Case, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = $1`, strings.TrimSpace(number)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return casebundle.Case{}, errs.E(errs.NotFound, "案件不存在")
	}
	if err != nil {
		return casebundle.Case{}, fmt.Errorf("store: find case: %w", err)
	}
	return s.FindCase(ctx, viewer, id)
}

// OpenCase validates an application and opens its case: the services of
// kinds (the standard bundle when empty), the first event, the audit entry
// and the reminder jobs, all or nothing. The case's region is the
// employer's (where it is insured). A second application for the same
// worker, injury date and employer is refused with the first case's number.
func (s *Store) OpenCase(ctx context.Context, actor access.Principal, set *param.Set, c *casebundle.Case, kinds []casebundle.ServiceKind) error {
	c.Normalize()
	if c.Channel == "" {
		c.Channel = casebundle.ChannelFor(actor)
	}
	if err := c.Validate(s.today()); err != nil {
		return err
	}
	if !actor.Can(access.PermCaseOpen) {
		return errs.E(errs.Forbidden, "您不能提出工伤认定申请")
	}
	err := s.write(ctx, actor, func(t *tx) error { return t.openCase(ctx, set, c, kinds) })
	if errors.Is(err, errCaseRaced) {
		// Another clerk's case for this injury committed first; its
		// number is readable once this transaction has rolled back.
		if n, err := existingCase(ctx, s.db, c); err == nil {
			return duplicateCase(n)
		}
		return errs.E(errs.Conflict, "该职工此次工伤已有案件，不能重复申请")
	}
	return err
}

// errCaseRaced is the unique key on (worker, injury date, employer)
// refusing a case opened concurrently with the same one.
var errCaseRaced = errors.New("store: case for this injury opened concurrently")

func duplicateCase(number string) error {
	return &errs.Error{Kind: errs.Conflict, Message: "该职工此次工伤已有案件" + number + "，不能重复申请",
		Fields: []errs.FieldError{{Field: "injury_date", Code: "case_exists", Message: "同一职工、同一受伤日期、同一用人单位已有案件" + number}}}
}

// existingCase is the number of the case already opened for c's worker,
// injury date and employer (sql.ErrNoRows when none).
func existingCase(ctx context.Context, q querier, c *casebundle.Case) (string, error) {
	var n string
	err := q.QueryRowContext(ctx, `SELECT number FROM cases WHERE worker_id = $1 AND injury_date = $2 AND employer_id = $3`,
		c.WorkerID, c.InjuryDate, c.EmployerID).Scan(&n)
	return n, err
}

// today is the store clock's civil date in China Standard Time.
func (s *Store) today() time.Time {
	d, _ := time.Parse(time.DateOnly, s.now().In(cst).Format(time.DateOnly))
	return d
}

func (t *tx) openCase(ctx context.Context, set *param.Set, c *casebundle.Case, kinds []casebundle.ServiceKind) error {
	if err := t.checkParties(ctx, c); err != nil {
		return err
	}
	existing, err := existingCase(ctx, t, c)
	if err == nil {
		return duplicateCase(existing)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: open case: %w", err)
	}
	if err := casebundle.Open(c, kinds, param.NewResolver(set, c.RegionCode)); err != nil {
		return err
	}
	year := c.ApplicationDate[:4]
	var seq int64
	if err := t.QueryRowContext(ctx, `INSERT INTO case_numbers (region_code, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (region_code, year) DO UPDATE SET last = case_numbers.last + 1 RETURNING last`, c.RegionCode, year).Scan(&seq); err != nil {
		return fmt.Errorf("store: case number: %w", err)
	}
	y, _ := time.Parse("2006", year)
	c.Number = casebundle.FormatNumber(c.RegionCode, y.Year(), seq)
	c.CreatedAt, c.UpdatedAt, c.Version, c.OpenedBy = t.now, t.now, 1, t.actor.UserID
	detail, _ := json.Marshal(textOf(c))
	var opened any
	if t.actor.UserID != 0 {
		opened = t.actor.UserID
	}
	if err := t.QueryRowContext(ctx, `INSERT INTO cases (number, region_code, worker_id, employer_id, injury_date, application_date,
		injury_kind, channel, applicant, simple, late, de_facto, detail, opened_by, opened_kind, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, 1) RETURNING id`,
		c.Number, c.RegionCode, c.WorkerID, c.EmployerID, c.InjuryDate, c.ApplicationDate, c.InjuryKind, c.Channel, c.Applicant,
		c.Simple, c.Late, c.DeFacto, string(detail), opened, string(t.actor.Kind), t.now).Scan(&c.ID); uniqueOn(err, "injury_date") {
		return errCaseRaced
	} else if err != nil {
		return fmt.Errorf("store: open case: %w", err)
	}
	for i := range c.Services {
		if err := t.insertService(ctx, c, &c.Services[i]); err != nil {
			return err
		}
	}
	ev := casebundle.Event{ServiceID: c.Services[0].ID, Service: casebundle.Recognition, Action: "open", To: casebundle.Received,
		On: c.ApplicationDate, Note: c.Channel.Name() + "：" + c.Applicant.Name() + "申请"}
	if err := t.caseEvents(ctx, c, []casebundle.Event{ev}); err != nil {
		return err
	}
	if err := t.audit(ctx, "case.open", "case", c.ID, c.RegionCode, nil, caseSnapshot(c)); err != nil {
		return err
	}
	if err := t.countApplication(ctx, c, 1, 0); err != nil {
		return err
	}
	return t.scheduleReminders(ctx, c, nil)
}

// checkParties checks the worker and employer: both exist; the actor may
// act for them (staff: the employer's region in scope; a worker only for
// himself; an employer only for its own workers); the case takes the
// employer's region; no registered employment on the injury date makes
// the case a de-facto labour-relation claim.
func (t *tx) checkParties(ctx context.Context, c *casebundle.Case) error {
	var empRegion string
	err := t.QueryRowContext(ctx, `SELECT region_code FROM employers WHERE id = $1`, c.EmployerID).Scan(&empRegion)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field("employer_id", "unknown", "用人单位（编号%d）不存在", c.EmployerID)
	}
	if err != nil {
		return fmt.Errorf("store: case employer: %w", err)
	}
	var n int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM workers WHERE id = $1`, c.WorkerID).Scan(&n); err != nil {
		return fmt.Errorf("store: case worker: %w", err)
	}
	if n == 0 {
		return errs.Field("worker_id", "unknown", "职工（编号%d）不存在", c.WorkerID)
	}
	var employed, ever int
	var first string
	if err := t.QueryRowContext(ctx, `SELECT
		COUNT(*) FILTER (WHERE start_date <= $3 AND (end_date IS NULL OR end_date >= $3)), COUNT(*), COALESCE(MIN(start_date), '')
		FROM employments WHERE worker_id = $1 AND employer_id = $2`, c.WorkerID, c.EmployerID, c.InjuryDate).Scan(&employed, &ever, &first); err != nil {
		return fmt.Errorf("store: case employment: %w", err)
	}
	// An injury before the worker's registered employment with this
	// employer began is most often a wrong date: refused naming the date,
	// unless the applicant claims a de-facto relation before it.
	if employed == 0 && first != "" && c.InjuryDate < first && !c.DeFacto {
		return errs.Field("injury_date", "before_employment", "受伤日期%s早于该职工在本单位登记的入职日期%s；如入职登记前已形成事实劳动关系，请勾选“主张事实劳动关系”后再提交", c.InjuryDate, first)
	}
	switch a := t.actor; a.Kind {
	case access.KindStaff, access.KindSystem:
		if !a.Scope().Covers(empRegion) {
			return errs.Field("employer_id", "out_of_scope", "用人单位不在本地区，请由其参保地经办机构受理")
		}
	case access.KindWorker:
		if a.WorkerID != c.WorkerID {
			return errs.E(errs.Forbidden, "只能为本人提出申请")
		}
	case access.KindEmployer:
		if a.EmployerID != c.EmployerID || ever == 0 {
			return errs.E(errs.Forbidden, "只能为本单位职工提出申请")
		}
	default:
		return errs.E(errs.Forbidden, "不能提出工伤认定申请")
	}
	c.RegionCode, c.DeFacto = empRegion, employed == 0 // no registered employment that day: a de-facto claim
	return nil
}

func (t *tx) insertService(ctx context.Context, c *casebundle.Case, svc *casebundle.Service) error {
	svc.CaseID, svc.UpdatedAt = c.ID, t.now
	if svc.Version == 0 {
		svc.Version = 1
	}
	susp, detail := marshalService(svc)
	return t.QueryRowContext(ctx, `INSERT INTO case_services (case_id, region_code, kind, state, step, due_date, party, overdue,
		simple, suspensions, detail, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		c.ID, c.RegionCode, svc.Kind, svc.State, svc.Step, nullDate(svc.Due), svc.Party, svc.Overdue, c.Simple, susp, detail,
		t.now, svc.Version).Scan(&svc.ID)
}

func marshalService(svc *casebundle.Service) (string, string) {
	susp, _ := json.Marshal(svc.Suspensions)
	if svc.Suspensions == nil {
		susp = []byte("[]")
	}
	detail, _ := json.Marshal(svc.Detail)
	return string(susp), string(detail)
}

func nullDate(d string) any {
	if d == "" {
		return nil
	}
	return d
}

// caseSnapshot is what the audit log keeps of a case: no personal data
// beyond the ids (the worker's name and ID stay in the registry).
func caseSnapshot(c *casebundle.Case) map[string]any {
	svcs := make([]map[string]any, len(c.Services))
	for i, s := range c.Services {
		svcs[i] = map[string]any{"id": s.ID, "kind": s.Kind, "state": s.State, "due": s.Due, "version": s.Version}
	}
	return map[string]any{"id": c.ID, "number": c.Number, "worker_id": c.WorkerID, "employer_id": c.EmployerID,
		"injury_date": c.InjuryDate, "application_date": c.ApplicationDate, "channel": c.Channel, "applicant": c.Applicant,
		"simple": c.Simple, "late": c.Late, "de_facto": c.DeFacto, "services": svcs}
}

func (t *tx) caseEvents(ctx context.Context, c *casebundle.Case, evs []casebundle.Event) error {
	var actorID any
	if t.actor.UserID != 0 {
		actorID = t.actor.UserID
	}
	for _, e := range evs {
		var svc any
		if e.ServiceID != 0 {
			svc = e.ServiceID
		}
		action := string(e.Action)
		if action == "" {
			action = "follow"
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO case_events (case_id, service_id, action, from_state, to_state, on_date, note,
			actor_id, actor_name, actor_kind, actor_role, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			c.ID, svc, action, string(e.From), string(e.To), e.On, e.Note, actorID, t.actor.Name, string(t.actor.Kind), string(t.actor.Role), t.now); err != nil {
			return fmt.Errorf("store: case event: %w", err)
		}
	}
	return nil
}
