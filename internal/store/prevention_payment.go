package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
)

// A project's payment (工伤预防费, paid per project after acceptance):
// prepared by the prevention staff or the partner insurer's from the
// project's closed sessions by the payment rule (prevention_pay), then
// approved by another user with PermPreventionApprove (maker-checker; the
// insurer's staff never approve) or returned. Approving records the
// amount against the project's budget lines (each up to its approved
// amount, in order) and the project's paid amount, under the project's
// lock: two approvals at once pay once. A payment above what is left of
// the approved amount is refused with the figures. The remaining budget
// is always shown beside.

// Payment states.
const (
	PaymentPrepared = "prepared"
	PaymentApproved = "approved"
	PaymentReturned = "returned"
)

// PaymentStates names the states.
var PaymentStates = map[string]string{PaymentPrepared: "待审批", PaymentApproved: "已审批", PaymentReturned: "已退回"}

// TrainingPayment is one payment of a project.
type TrainingPayment struct {
	ID          int64                     `json:"id"`
	ProjectID   int64                     `json:"project_id"`
	Region      string                    `json:"region_code"`
	AmountFen   int64                     `json:"amount_fen"`
	Explanation prevention.ProjectPayment `json:"explanation"`
	Allocation  []LineAllocation          `json:"allocation,omitempty"`
	State       string                    `json:"state"`
	Note        string                    `json:"note,omitempty"`
	PreparedBy  string                    `json:"prepared_by"`
	PreparedAt  time.Time                 `json:"prepared_at"`
	ApprovedBy  string                    `json:"approved_by,omitempty"`
	ApprovedAt  *time.Time                `json:"approved_at,omitempty"`
	Version     int64                     `json:"version"`

	ProjectTitle string `json:"-"`
}

// StateName names the payment's state.
func (p TrainingPayment) StateName() string { return PaymentStates[p.State] }

// LineAllocation is the part of a payment recorded on one budget line.
type LineAllocation struct {
	LineID    int64  `json:"line_id"`
	Item      string `json:"item"`
	AmountFen int64  `json:"amount_fen"`
}

// paymentExplanation is what the explanation column keeps.
type paymentExplanation struct {
	prevention.ProjectPayment
	Allocation []LineAllocation `json:"allocation,omitempty"`
}

const paymentCols = `y.id, y.project_id, y.region_code, y.amount_fen, y.explanation, y.state, y.note, y.prepared_by, y.prepared_at, y.approved_by,
	y.approved_at, y.version, p.title`

func scanPayment(r interface{ Scan(...any) error }) (TrainingPayment, error) {
	var p TrainingPayment
	var body string
	var at sql.NullTime
	err := r.Scan(&p.ID, &p.ProjectID, &p.Region, &p.AmountFen, &body, &p.State, &p.Note, &p.PreparedBy, &p.PreparedAt, &p.ApprovedBy, &at, &p.Version, &p.ProjectTitle)
	var ex paymentExplanation
	_ = json.Unmarshal([]byte(body), &ex)
	p.Explanation, p.Allocation = ex.ProjectPayment, ex.Allocation
	if at.Valid {
		t := at.Time
		p.ApprovedAt = &t
	}
	return p, err
}

// TrainingBudget is a project's money: approved, paid, awaiting approval,
// remaining, and its budget lines.
type TrainingBudget struct {
	ProjectID    int64                `json:"project_id"`
	Title        string               `json:"title"`
	Region       string               `json:"region_code"`
	Kind         string               `json:"kind"`
	State        string               `json:"state"`
	Planned      int                  `json:"sessions"`
	ApprovedFen  int64                `json:"approved_fen"`
	PaidFen      int64                `json:"paid_fen"`
	PendingFen   int64                `json:"pending_fen"`
	RemainingFen int64                `json:"remaining_fen"` // approved − paid − pending
	Lines        []TrainingBudgetLine `json:"lines"`
	PlanApproved bool                 `json:"-"`
	Version      int64                `json:"-"`
}

// TrainingBudgetLine is one budget line of a project.
type TrainingBudgetLine struct {
	ID          int64  `json:"id"`
	Item        string `json:"item"`
	ApprovedFen int64  `json:"approved_fen"`
	PaidFen     int64  `json:"paid_fen"`
}

// RemainingFen is what the line may still take.
func (l TrainingBudgetLine) RemainingFen() int64 { return l.ApprovedFen - l.PaidFen }

func (t *tx) budget(ctx context.Context, projectID int64, lock bool) (TrainingBudget, error) {
	return readBudget(ctx, t, t.actor, projectID, lock, t.s.engine)
}

func readBudget(ctx context.Context, q querier, viewer access.Principal, projectID int64, lock bool, e Engine) (TrainingBudget, error) {
	var b TrainingBudget
	var planState string
	suffix := ""
	if lock {
		suffix = e.forUpdateOf("p")
	}
	err := q.QueryRowContext(ctx, `SELECT p.id, p.title, p.region_code, p.kind, p.state, p.sessions, p.approved_fen, p.paid_fen, p.version, pl.state
		FROM prevention_projects p JOIN prevention_plans pl ON pl.id = p.plan_id WHERE p.id = $1`+suffix, projectID).Scan(
		&b.ProjectID, &b.Title, &b.Region, &b.Kind, &b.State, &b.Planned, &b.ApprovedFen, &b.PaidFen, &b.Version, &planState)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: b.Region}) {
		return b, errs.E(errs.NotFound, "工伤预防项目不存在")
	}
	if err != nil {
		return b, err
	}
	b.PlanApproved = planState == "approved"
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount_fen), 0) FROM prevention_payments WHERE project_id = $1 AND state = 'prepared'`,
		projectID).Scan(&b.PendingFen); err != nil {
		return b, err
	}
	b.RemainingFen = b.ApprovedFen - b.PaidFen - b.PendingFen
	rows, err := q.QueryContext(ctx, `SELECT id, item, approved_fen, paid_fen FROM prevention_budget_lines WHERE project_id = $1 ORDER BY id`, projectID)
	if err != nil {
		return b, err
	}
	b.Lines, err = collect(rows, func(r interface{ Scan(...any) error }) (TrainingBudgetLine, error) {
		var l TrainingBudgetLine
		err := r.Scan(&l.ID, &l.Item, &l.ApprovedFen, &l.PaidFen)
		return l, err
	})
	return b, err
}

// ProjectBudget reads a project's budget the viewer may see.
func (s *Store) ProjectBudget(ctx context.Context, viewer access.Principal, projectID int64) (TrainingBudget, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return TrainingBudget{}, errs.E(errs.Forbidden, "无权查看工伤预防项目")
	}
	return readBudget(ctx, s.db, viewer, projectID, false, s.engine)
}

// TrainingBudgets lists the budgets of the projects (training and publicity) of approved
// plans in the viewer's scope.
func (s *Store) TrainingBudgets(ctx context.Context, viewer access.Principal) ([]TrainingBudget, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防项目")
	}
	lo, hi := viewer.Scope().Range()
	rows, err := s.db.QueryContext(ctx, `SELECT p.id FROM prevention_projects p JOIN prevention_plans pl ON pl.id = p.plan_id
		WHERE p.region_code >= $1 AND p.region_code < $2 AND pl.state = 'approved' ORDER BY pl.year DESC, p.region_code, p.seq`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: training budgets: %w", err)
	}
	ids, err := collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := make([]TrainingBudget, 0, len(ids))
	for _, id := range ids {
		b, err := readBudget(ctx, s.db, viewer, id, false, s.engine)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// PayRule reads the payment rule in force for region on a day.
func PayRule(set *param.Set, region string, on time.Time) (prevention.PayRule, error) {
	full, err := set.Lookup("prevention_pay", "full_score", region, on)
	if err != nil {
		return prevention.PayRule{}, err
	}
	min, err := set.Lookup("prevention_pay", "min_score", region, on)
	if err != nil {
		return prevention.PayRule{}, err
	}
	mode, err := set.Lookup("prevention_pay_mode", "", region, on)
	if err != nil {
		return prevention.PayRule{}, err
	}
	return prevention.PayRuleFrom(full, min, mode)
}

// closedSessions lists a project's closed sessions as the rule needs them.
func (t *tx) closedSessions(ctx context.Context, projectID int64) ([]prevention.SessionPay, error) {
	rows, err := t.QueryContext(ctx, `SELECT s.id, s.held_on, s.topic, s.score,
		(SELECT COUNT(*) FROM prevention_archive f WHERE f.session_id = s.id AND f.kind IN ('audio', 'video'))
		FROM prevention_sessions s WHERE s.project_id = $1 AND s.state = 'closed' ORDER BY s.held_on, s.id`, projectID)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (prevention.SessionPay, error) {
		var p prevention.SessionPay
		var score sql.NullFloat64
		var files int
		err := r.Scan(&p.SessionID, &p.HeldOn, &p.Topic, &score, &files)
		p.Evaluated, p.HasArchive = score.Valid, files > 0
		if score.Valid {
			p.Score = prevention.ScoreOf(score.Float64)
		}
		return p, err
	})
}

// PrepareTrainingPayment computes what is due for a project from its
// closed sessions by the rule, less what is paid, and records it for
// approval. Refused while another payment awaits approval, when nothing
// is due, and above the approved amount left.
func (s *Store) PrepareTrainingPayment(ctx context.Context, actor access.Principal, set *param.Set, projectID int64) (TrainingPayment, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return TrainingPayment{}, errs.E(errs.Forbidden, "无权办理工伤预防费支付")
	}
	var out TrainingPayment
	err := s.write(ctx, actor, func(t *tx) error {
		b, err := t.budget(ctx, projectID, true)
		if err != nil {
			return err
		}
		if !b.PlanApproved {
			return errs.Field("project_id", "not_payable", "只有已批准计划中的项目可以支付")
		}
		if b.State == "cancelled" {
			return errs.Field("project_id", "cancelled", "项目已取消，不能支付")
		}
		if b.PendingFen > 0 {
			return errs.E(errs.Conflict, "该项目已有一笔%s元的支付待审批，请先审批或退回", param.FormatMoney(b.PendingFen))
		}
		due, err := t.projectDue(ctx, set, b)
		if err != nil {
			return err
		}
		amount := due.AmountFen - b.PaidFen
		if amount <= 0 {
			return errs.E(errs.Conflict, "按已验收场次计算应付%s元，已支付%s元，无新增应付金额", param.FormatMoney(due.AmountFen), param.FormatMoney(b.PaidFen))
		}
		if amount > b.RemainingFen {
			return errs.Field("amount_fen", "over_budget", "应付%s元超过项目剩余批准金额%s元（批准%s元，已支付%s元）",
				param.FormatMoney(amount), param.FormatMoney(b.RemainingFen), param.FormatMoney(b.ApprovedFen), param.FormatMoney(b.PaidFen))
		}
		if b.PaidFen > 0 {
			due.Steps = append(due.Steps, prevention.Step{Text: fmt.Sprintf("减已支付%s元，本次应付%s元", param.FormatMoney(b.PaidFen), param.FormatMoney(amount)), AmountFen: amount})
		}
		body, _ := json.Marshal(paymentExplanation{ProjectPayment: due})
		out = TrainingPayment{ProjectID: projectID, Region: b.Region, AmountFen: amount, Explanation: due, State: PaymentPrepared,
			PreparedBy: actor.Username, PreparedAt: t.now, Version: 1, ProjectTitle: b.Title}
		id, err := t.insertAudited(ctx, "prevention_payments", []string{"project_id", "region_code", "amount_fen", "explanation", "state",
			"prepared_by", "prepared_at", "version"},
			[]any{projectID, b.Region, amount, string(body), PaymentPrepared, actor.Username, t.now, 1},
			"prevention.payment.prepare", "training_payment", b.Region, func(id int64) any { x := out; x.ID = id; return x })
		out.ID = id
		return err
	})
	return out, err
}

// projectDue is what a project has earned: a training project by its
// closed sessions under the payment rule, a publicity project its approved
// amount once accepted.
func (t *tx) projectDue(ctx context.Context, set *param.Set, b TrainingBudget) (prevention.ProjectPayment, error) {
	if b.Kind == "publicity" {
		a, err := acceptanceOf(ctx, t, t.actor, b.ProjectID)
		if errs.Is(err, errs.NotFound) {
			return prevention.ProjectPayment{}, errs.E(errs.Conflict, "宣传项目尚未验收，无可支付金额：请先由市级工伤预防机构验收交付成果")
		}
		if err != nil {
			return prevention.ProjectPayment{}, err
		}
		return prevention.ProjectPayment{ApprovedFen: b.ApprovedFen, AmountFen: b.ApprovedFen, Rule: "宣传项目验收后按批准金额支付",
			Steps: []prevention.Step{{Text: fmt.Sprintf("宣传项目于%s经%s验收（%s），按批准金额%s元支付", a.AcceptedAt.In(cst).Format("2006-01-02"), a.AcceptedBy,
				a.Deliverables, param.FormatMoney(b.ApprovedFen)), AmountFen: b.ApprovedFen}}}, nil
	}
	closed, err := t.closedSessions(ctx, b.ProjectID)
	if err != nil {
		return prevention.ProjectPayment{}, err
	}
	if len(closed) == 0 {
		return prevention.ProjectPayment{}, errs.E(errs.Conflict, "项目没有已验收的培训场次（验收须有影音资料和评估），无可支付金额")
	}
	rule, err := PayRule(set, b.Region, t.now)
	if err != nil {
		return prevention.ProjectPayment{}, err
	}
	return rule.PayProject(b.ApprovedFen, b.Planned, closed)
}

// paymentForUpdate reads a payment under its lock at version expected.
func (t *tx) paymentForUpdate(ctx context.Context, id, expected int64) (TrainingPayment, error) {
	p, err := scanPayment(t.QueryRowContext(ctx, `SELECT `+paymentCols+` FROM prevention_payments y JOIN prevention_projects p ON p.id = y.project_id
		WHERE y.id = $1`+t.s.engine.forUpdateOf("y"), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !t.actor.MaySee(access.Owners{Region: p.Region}) {
		return p, errs.E(errs.NotFound, "支付记录不存在")
	}
	if err != nil {
		return p, err
	}
	if p.Version != expected {
		return p, staleVersion()
	}
	if p.State != PaymentPrepared {
		return p, errs.E(errs.Conflict, "支付%s，不能再审批或退回", p.StateName())
	}
	return p, nil
}

func mayApprovePayment(actor access.Principal, p TrainingPayment) error {
	if !actor.Can(access.PermPreventionApprove) {
		return errs.E(errs.Forbidden, "无权审批工伤预防费支付（合作经办机构人员可经办，不能审批）")
	}
	if actor.Username == p.PreparedBy {
		return errs.E(errs.Forbidden, "支付由%s经办，须由另一名工作人员审批", p.PreparedBy)
	}
	return nil
}

// ApproveTrainingPayment approves a prepared payment (still at version
// expected) and records it on the project and its budget lines.
func (s *Store) ApproveTrainingPayment(ctx context.Context, actor access.Principal, id, expected int64) (TrainingPayment, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return TrainingPayment{}, errs.E(errs.Forbidden, "无权审批工伤预防费支付（合作经办机构人员可经办，不能审批）")
	}
	var out TrainingPayment
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.paymentForUpdate(ctx, id, expected)
		if err != nil {
			return err
		}
		if err := mayApprovePayment(actor, before); err != nil {
			return err
		}
		b, err := t.budget(ctx, before.ProjectID, true)
		if err != nil {
			return err
		}
		if b.PaidFen+before.AmountFen > b.ApprovedFen {
			return errs.Field("amount_fen", "over_budget", "支付%s元超过项目剩余批准金额%s元", param.FormatMoney(before.AmountFen), param.FormatMoney(b.ApprovedFen-b.PaidFen))
		}
		alloc, err := allocate(b.Lines, before.AmountFen)
		if err != nil {
			return err
		}
		for _, a := range alloc {
			if _, err := t.ExecContext(ctx, `UPDATE prevention_budget_lines SET paid_fen = paid_fen + $1 WHERE id = $2 AND paid_fen + $1 <= approved_fen`,
				a.AmountFen, a.LineID); err != nil {
				return err
			}
		}
		state := b.State
		if b.PaidFen+before.AmountFen == b.ApprovedFen {
			state = "paid"
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_projects SET paid_fen = paid_fen + $1, state = $2, version = version + 1
			WHERE id = $3 AND paid_fen + $1 <= approved_fen`, before.AmountFen, state, b.ProjectID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		body, _ := json.Marshal(paymentExplanation{ProjectPayment: before.Explanation, Allocation: alloc})
		res, err = t.ExecContext(ctx, `UPDATE prevention_payments SET state = 'approved', approved_by = $1, approved_at = $2, explanation = $3,
			version = version + 1 WHERE id = $4 AND version = $5`, actor.Username, t.now, string(body), id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = before
		now := t.now
		out.State, out.ApprovedBy, out.ApprovedAt, out.Allocation, out.Version = PaymentApproved, actor.Username, &now, alloc, before.Version+1
		if err := t.audit(ctx, "prevention.payment.approve", "training_payment", id, before.Region, before, out); err != nil {
			return err
		}
		return t.audit(ctx, "prevention.project.paid", "prevention_project", b.ProjectID, b.Region,
			map[string]any{"paid_fen": b.PaidFen, "state": b.State}, map[string]any{"paid_fen": b.PaidFen + before.AmountFen, "state": state})
	})
	return out, err
}

// allocate spreads an amount over the budget lines in order, each up to
// what it has left; refused when the lines together have less.
func allocate(lines []TrainingBudgetLine, amount int64) ([]LineAllocation, error) {
	var out []LineAllocation
	left, room := amount, int64(0)
	for _, l := range lines {
		room += max(0, l.RemainingFen())
	}
	if room < amount {
		return nil, errs.Field("amount_fen", "over_budget_line", "支付%s元超过预算明细剩余额度%s元", param.FormatMoney(amount), param.FormatMoney(room))
	}
	for _, l := range lines {
		if left == 0 {
			break
		}
		take := min(left, max(0, l.RemainingFen()))
		if take > 0 {
			out = append(out, LineAllocation{LineID: l.ID, Item: l.Item, AmountFen: take})
			left -= take
		}
	}
	return out, nil
}

// ReturnTrainingPayment sends a prepared payment back with a reason.
func (s *Store) ReturnTrainingPayment(ctx context.Context, actor access.Principal, id, expected int64, note string) (TrainingPayment, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return TrainingPayment{}, errs.E(errs.Forbidden, "无权审批工伤预防费支付（合作经办机构人员可经办，不能审批）")
	}
	note = strings.TrimSpace(note)
	if note == "" || len([]rune(note)) > 500 {
		return TrainingPayment{}, errs.Field("note", "required", "请填写退回原因（最多500字）")
	}
	var out TrainingPayment
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.paymentForUpdate(ctx, id, expected)
		if err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE prevention_payments SET state = 'returned', note = $1, approved_by = $2, approved_at = $3,
			version = version + 1 WHERE id = $4`, note, actor.Username, t.now, id); err != nil {
			return err
		}
		out = before
		now := t.now
		out.State, out.Note, out.ApprovedBy, out.ApprovedAt, out.Version = PaymentReturned, note, actor.Username, &now, before.Version+1
		return t.audit(ctx, "prevention.payment.return", "training_payment", id, before.Region, before, out)
	})
	return out, err
}

// TrainingPayments lists the payments in the viewer's scope (projectID 0:
// all), newest first.
func (s *Store) TrainingPayments(ctx context.Context, viewer access.Principal, projectID int64) ([]TrainingPayment, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防费支付")
	}
	lo, hi := viewer.Scope().Range()
	q := `SELECT ` + paymentCols + ` FROM prevention_payments y JOIN prevention_projects p ON p.id = y.project_id WHERE y.region_code >= $1 AND y.region_code < $2`
	args := []any{lo, hi}
	if projectID != 0 {
		q += ` AND y.project_id = $3`
		args = append(args, projectID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY y.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: payments: %w", err)
	}
	return collect(rows, scanPayment)
}

// FindTrainingPayment reads one payment the viewer may see.
func (s *Store) FindTrainingPayment(ctx context.Context, viewer access.Principal, id int64) (TrainingPayment, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return TrainingPayment{}, errs.E(errs.Forbidden, "无权查看工伤预防费支付")
	}
	p, err := scanPayment(s.db.QueryRowContext(ctx, `SELECT `+paymentCols+` FROM prevention_payments y JOIN prevention_projects p ON p.id = y.project_id WHERE y.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: p.Region}) {
		return p, errs.E(errs.NotFound, "支付记录不存在")
	}
	return p, err
}

// TrainingTarget is a provincial target as recorded.
type TrainingTarget struct {
	prevention.Target
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
}

// AddTrainingTarget records a provincial target (PermPreventionApprove).
func (s *Store) AddTrainingTarget(ctx context.Context, actor access.Principal, tg prevention.Target) (prevention.Target, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return tg, errs.E(errs.Forbidden, "无权登记工伤预防目标任务")
	}
	tg.Programme, tg.Source = strings.TrimSpace(tg.Programme), strings.TrimSpace(tg.Source)
	var fs errs.Fields
	if !actor.Scope().Covers(tg.Region) {
		fs.Add("region_code", "scope", "地区%s不在本人办理的范围内", tg.Region)
	}
	if tg.Programme == "" || len([]rune(tg.Programme)) > 50 {
		fs.Add("programme", "required", "培训专项不能为空，最多50字")
	}
	if tg.YearFrom < 2000 || tg.YearTo < tg.YearFrom || tg.YearTo > tg.YearFrom+10 {
		fs.Add("year_to", "range", "目标年度应为2000年以后、起止不超过10年")
	}
	if tg.Target <= 0 || tg.Target > 10_000_000 {
		fs.Add("target", "range", "目标人数应为正整数")
	}
	if err := fs.Err(); err != nil {
		return tg, err
	}
	err := s.write(ctx, actor, func(t *tx) error {
		id, err := t.insertAudited(ctx, "prevention_targets", []string{"region_code", "programme", "year_from", "year_to", "target", "source_doc", "created_at", "created_by"},
			[]any{tg.Region, tg.Programme, tg.YearFrom, tg.YearTo, tg.Target, tg.Source, t.now, actor.Username},
			"prevention.target.add", "training_target", tg.Region, func(id int64) any { x := tg; x.ID = id; return x })
		tg.ID = id
		return err
	})
	return tg, err
}

// TrainingKPI computes the prevention dashboard's figures for the viewer's
// scope and the years from..to, from the recorded sessions and attendance:
// every number recomputed on each call. The targets are those set for the
// viewer's region or above it (a county sees the city's target measured
// on its own trainings) or below it.
func (s *Store) TrainingKPI(ctx context.Context, viewer access.Principal, from, to int) (prevention.KPI, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return prevention.KPI{}, errs.E(errs.Forbidden, "无权查看工伤预防统计")
	}
	lo, hi := viewer.Scope().Range()
	dlo, dhi := fmt.Sprintf("%04d-01-01", from), fmt.Sprintf("%04d-12-31", to)
	rows, err := s.db.QueryContext(ctx, `SELECT s.id, s.region_code, s.held_on, s.state, p.programme, p.industry, s.score
		FROM prevention_sessions s JOIN prevention_projects p ON p.id = s.project_id
		WHERE s.region_code >= $1 AND s.region_code < $2 AND s.held_on >= $3 AND s.held_on <= $4 AND s.state IN ('held', 'closed')`, lo, hi, dlo, dhi)
	if err != nil {
		return prevention.KPI{}, fmt.Errorf("store: kpi sessions: %w", err)
	}
	sessions, err := collect(rows, func(r interface{ Scan(...any) error }) (prevention.KPISession, error) {
		var k prevention.KPISession
		var score sql.NullFloat64
		err := r.Scan(&k.ID, &k.Region, &k.HeldOn, &k.State, &k.Programme, &k.Industry, &score)
		if score.Valid {
			sc := prevention.ScoreOf(score.Float64)
			k.Score = &sc
		}
		return k, err
	})
	if err != nil {
		return prevention.KPI{}, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT a.session_id, a.id_hash FROM prevention_attendance a JOIN prevention_sessions s ON s.id = a.session_id
		WHERE s.region_code >= $1 AND s.region_code < $2 AND s.held_on >= $3 AND s.held_on <= $4 AND s.state IN ('held', 'closed')`, lo, hi, dlo, dhi)
	if err != nil {
		return prevention.KPI{}, fmt.Errorf("store: kpi attendance: %w", err)
	}
	att, err := collect(rows, func(r interface{ Scan(...any) error }) (prevention.KPIAttendance, error) {
		var a prevention.KPIAttendance
		var h []byte
		err := r.Scan(&a.SessionID, &h)
		a.Person = hex.EncodeToString(h)
		return a, err
	})
	if err != nil {
		return prevention.KPI{}, err
	}
	chain := param.RegionChain(viewer.RegionCode)
	rows, err = s.db.QueryContext(ctx, `SELECT id, region_code, programme, year_from, year_to, target, source_doc FROM prevention_targets
		WHERE year_to >= $1 AND year_from <= $2 ORDER BY region_code, programme, id`, from, to)
	if err != nil {
		return prevention.KPI{}, fmt.Errorf("store: kpi targets: %w", err)
	}
	all, err := collect(rows, func(r interface{ Scan(...any) error }) (prevention.Target, error) {
		var t prevention.Target
		err := r.Scan(&t.ID, &t.Region, &t.Programme, &t.YearFrom, &t.YearTo, &t.Target, &t.Source)
		return t, err
	})
	if err != nil {
		return prevention.KPI{}, err
	}
	var targets []prevention.Target
	for _, t := range all {
		if viewer.Scope().Covers(t.Region) || containsString(chain, t.Region) {
			targets = append(targets, t)
		}
	}
	k := prevention.ComputeKPI(sessions, att, targets)
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(p.approved_fen), 0), COALESCE(SUM(p.paid_fen), 0) FROM prevention_projects p
		JOIN prevention_plans pl ON pl.id = p.plan_id WHERE p.region_code >= $1 AND p.region_code < $2 AND pl.state = 'approved'
		AND pl.year >= $3 AND pl.year <= $4`, lo, hi, from, to).Scan(&k.ApprovedFen, &k.PaidFen)
	return k, err
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
