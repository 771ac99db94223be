package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/supervision"
)

// A field finding (稽核发现) is one issue found on a visit, from confirmed
// screening leads or recorded by hand, walked through supervision's
// finding workflow: feedback with a reply deadline, the collective review
// by someone other than its recorder, the decision letter, rectification,
// recovery and the follow-up that closes it. A suspension or termination
// of the agreement changes the institution's status in the register in
// the same transaction, so the hospital interface refuses it at once.

// FieldFinding is one audit finding of a visit.
type FieldFinding struct {
	ID          int64                    `json:"id"`
	CampaignID  int64                    `json:"campaign_id"`
	VisitID     int64                    `json:"visit_id"`
	Institution string                   `json:"fixmedins_code"`
	Region      string                   `json:"region_code"`
	Category    string                   `json:"category"`
	Type        string                   `json:"finding_type"`
	Tier        supervision.Tier         `json:"tier"`
	LeadIDs     []int64                  `json:"lead_ids"`
	Lines       []string                 `json:"feedetl_sn"`
	Fen         int64                    `json:"amount_fen"`
	Description string                   `json:"description"`
	State       supervision.FindingState `json:"state"`
	ReplyDue    string                   `json:"reply_due,omitempty"`
	Reply       string                   `json:"reply,omitempty"`
	ReviewNote  string                   `json:"review_note,omitempty"`
	RectifyDue  string                   `json:"rectify_due,omitempty"`
	CreatedAt   time.Time                `json:"created_at"`
	CreatedBy   string                   `json:"created_by"`
	UpdatedAt   time.Time                `json:"updated_at"`
	Version     int64                    `json:"version"`
}

// AuditRecovery is an amount of a finding coming back to the fund.
type AuditRecovery struct {
	ID        int64                    `json:"id"`
	FindingID int64                    `json:"finding_id"`
	Kind      supervision.RecoveryKind `json:"kind"`
	Fen       int64                    `json:"amount_fen"`
	Recovered int64                    `json:"recovered_fen"`
	State     string                   `json:"state"` // open, done
	CreatedAt time.Time                `json:"created_at"`
	CreatedBy string                   `json:"created_by"`
	Version   int64                    `json:"version"`
}

// SanctionRecord is a decided step of the sanctions ladder.
type SanctionRecord struct {
	ID          int64                `json:"id"`
	Institution string               `json:"fixmedins_code"`
	CampaignID  int64                `json:"campaign_id,omitempty"`
	Kind        supervision.Sanction `json:"kind"`
	Reason      string               `json:"reason"`
	DecidedAt   time.Time            `json:"decided_at"`
	DecidedBy   string               `json:"decided_by"`
}

// MaxFindingText is the longest description, reply or note.
const MaxFindingText = 2000

const fieldFindingCols = `id, campaign_id, visit_id, fixmedins_code, region_code, category, finding_type, tier, lead_ids, lines, amount_fen,
	description, state, reply_due, reply, review_note, rectify_due, created_at, created_by, updated_at, version`

func scanFieldFinding(r interface{ Scan(...any) error }) (FieldFinding, error) {
	var f FieldFinding
	var leads, lines, tier, state string
	err := r.Scan(&f.ID, &f.CampaignID, &f.VisitID, &f.Institution, &f.Region, &f.Category, &f.Type, &tier, &leads, &lines, &f.Fen,
		&f.Description, &state, &f.ReplyDue, &f.Reply, &f.ReviewNote, &f.RectifyDue, &f.CreatedAt, &f.CreatedBy, &f.UpdatedAt, &f.Version)
	f.Tier, f.State = supervision.Tier(tier), supervision.FindingState(state)
	_ = json.Unmarshal([]byte(leads), &f.LeadIDs)
	_ = json.Unmarshal([]byte(lines), &f.Lines)
	return f, err
}

func validFieldFinding(f *FieldFinding) error {
	f.Description = strings.TrimSpace(f.Description)
	var fs errs.Fields
	if !slices.Contains(supervision.FindingTypes, f.Type) {
		fs.Add("finding_type", "choice", "违规类型“%s”不在可选范围内", f.Type)
	}
	if !f.Tier.Valid() {
		fs.Add("tier", "choice", "违规性质应为违规、骗保或管理问题")
	}
	if f.Category != "" && supervision.CategoryName(f.Category) == "" {
		fs.Add("category", "choice", "类别“%s”不在可选范围内", f.Category)
	}
	if f.Fen < 0 {
		fs.Add("amount_fen", "range", "金额不能为负数")
	}
	if n := utf8.RuneCountInString(f.Description); n > MaxFindingText {
		fs.Add("description", "too_long", "问题描述过长（%d字），最多%d字", n, MaxFindingText)
	} else if n == 0 && len(f.LeadIDs) == 0 {
		fs.Add("description", "required", "未引用筛查线索时问题描述不能为空")
	}
	return fs.Err()
}

// RecordFieldFinding records a finding on a visit of a drawn campaign,
// from confirmed leads of the campaign's scan at that institution (the
// amount defaults to the sum of theirs, the evidence lines to theirs) or
// by hand (a category and a description).
func (s *Store) RecordFieldFinding(ctx context.Context, actor access.Principal, visitID int64, f FieldFinding) (FieldFinding, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return FieldFinding{}, errs.E(errs.Forbidden, "无权登记稽核发现")
	}
	if err := validFieldFinding(&f); err != nil {
		return FieldFinding{}, err
	}
	err := s.write(ctx, actor, func(t *tx) error {
		v, err := scanVisit(t.QueryRowContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code WHERE v.id = $1`, visitID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: v.County}) {
			return errs.E(errs.NotFound, "检查对象不存在")
		}
		if err != nil {
			return err
		}
		c, err := scanCampaign(t.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`+t.s.engine.forUpdate(), v.CampaignID))
		if err != nil {
			return err
		}
		if c.State != "drawn" && c.State != "on_site" {
			return errs.E(errs.Conflict, "稽核计划%s，不能登记发现", CampaignStates[c.State])
		}
		if err := t.fromLeads(ctx, c.ScanID, v.Institution, &f); err != nil {
			return err
		}
		if f.Category == "" {
			return errs.Field("category", "required", "未引用筛查线索时须选择类别")
		}
		f.CampaignID, f.VisitID, f.Institution, f.Region = c.ID, v.ID, v.Institution, v.County
		f.State, f.CreatedAt, f.CreatedBy, f.UpdatedAt, f.Version = supervision.FindingDraft, t.now, actor.Username, t.now, 1
		leads, _ := json.Marshal(f.LeadIDs)
		id, err := t.insertAudited(ctx, "audit_field_findings", []string{"campaign_id", "visit_id", "fixmedins_code", "region_code", "category",
			"finding_type", "tier", "lead_ids", "lines", "amount_fen", "description", "state", "created_at", "created_by", "updated_at", "version"},
			[]any{f.CampaignID, f.VisitID, f.Institution, f.Region, f.Category, f.Type, string(f.Tier), string(leads), jsonList(f.Lines), f.Fen,
				f.Description, string(f.State), t.now, f.CreatedBy, t.now, 1},
			"supervision.field_finding.record", "field_finding", f.Region, func(id int64) any { x := f; x.ID = id; return x })
		if err != nil {
			return err
		}
		f.ID = id
		if _, err := t.ExecContext(ctx, `UPDATE audit_visits SET state = 'visited', version = version + 1 WHERE id = $1 AND state = 'planned'`, v.ID); err != nil {
			return err
		}
		_, err = t.ExecContext(ctx, `UPDATE audit_campaigns SET state = 'on_site', version = version + 1 WHERE id = $1 AND state = 'drawn'`, c.ID)
		return err
	})
	return f, err
}

// fromLeads checks the cited leads (confirmed leads of the scan at the
// institution) and fills in what the finding leaves out from them.
func (t *tx) fromLeads(ctx context.Context, scanID int64, inst string, f *FieldFinding) error {
	if len(f.LeadIDs) == 0 {
		return nil
	}
	slices.Sort(f.LeadIDs)
	f.LeadIDs = slices.Compact(f.LeadIDs)
	var sum int64
	var lines []string
	for _, id := range f.LeadIDs {
		l, err := scanLead(t.QueryRowContext(ctx, `SELECT `+leadCols+leadFrom+`f.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && (l.ScanID != scanID || l.Finding.Institution != inst) {
			return errs.Field("lead_ids", "unknown", "线索%d不是本次稽核所用筛查中该机构的线索", id)
		}
		if err != nil {
			return err
		}
		if l.Review != "confirmed" {
			return errs.Field("lead_ids", "unconfirmed", "线索%d%s，只能引用已确认的线索", id, LeadReviews[l.Review])
		}
		sum += int64(l.Finding.Fen)
		lines = append(lines, l.Finding.Lines...)
		if f.Category == "" {
			f.Category = l.Finding.Category
		}
	}
	if f.Fen == 0 {
		f.Fen = sum
	}
	if len(f.Lines) == 0 {
		slices.Sort(lines)
		f.Lines = slices.Compact(lines)
	}
	return nil
}

// FieldFindings lists a campaign's findings in scope.
func (s *Store) FieldFindings(ctx context.Context, scope access.Scope, campaignID int64) ([]FieldFinding, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE campaign_id = $1
		AND region_code >= $2 AND region_code < $3 ORDER BY visit_id, id`, campaignID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: field findings: %w", err)
	}
	return collect(rows, scanFieldFinding)
}

// FindFieldFinding reads one finding the viewer may see.
func (s *Store) FindFieldFinding(ctx context.Context, viewer access.Principal, id int64) (FieldFinding, error) {
	f, err := scanFieldFinding(s.db.QueryRowContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: f.Region}) {
		return FieldFinding{}, errs.E(errs.NotFound, "稽核发现不存在")
	}
	return f, err
}

func (t *tx) fieldFindingForUpdate(ctx context.Context, id int64) (FieldFinding, error) {
	f, err := scanFieldFinding(t.QueryRowContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE id = $1`+t.s.engine.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !t.actor.MaySee(access.Owners{Region: f.Region}) {
		return f, errs.E(errs.NotFound, "稽核发现不存在")
	}
	return f, err
}

// ActOnFieldFinding takes one workflow step on a finding still at version
// expected: feed_back needs the reply deadline (due), reply the
// institution's reply (note; empty only once the deadline passed),
// confirm and dismiss are the collective review by someone other than the
// recorder (note: its opinion), rectify needs the rectification deadline,
// close needs every recovery settled and the amount recovered.
func (s *Store) ActOnFieldFinding(ctx context.Context, actor access.Principal, id, expected int64, action supervision.FindingAction, note, due string) (FieldFinding, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return FieldFinding{}, errs.E(errs.Forbidden, "无权办理稽核发现")
	}
	note, due = strings.TrimSpace(note), strings.TrimSpace(due)
	if n := utf8.RuneCountInString(note); n > MaxFindingText {
		return FieldFinding{}, errs.Field("note", "too_long", "意见过长（%d字），最多%d字", n, MaxFindingText)
	}
	var out FieldFinding
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.fieldFindingForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		to, err := supervision.NextState(before.State, action)
		if err != nil {
			return errs.E(errs.Conflict, "%s", err.Error())
		}
		after := before
		after.State = to
		if err := t.applyAction(ctx, &after, action, note, due); err != nil {
			return err
		}
		after.UpdatedAt, after.Version = t.now, before.Version+1
		res, err := t.ExecContext(ctx, `UPDATE audit_field_findings SET state = $1, reply_due = $2, reply = $3, review_note = $4, rectify_due = $5,
			updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8`, string(after.State), after.ReplyDue, after.Reply, after.ReviewNote,
			after.RectifyDue, t.now, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = after
		if err := t.audit(ctx, "supervision.field_finding."+string(action), "field_finding", id, before.Region, before, map[string]any{"finding": after, "note": note}); err != nil {
			return err
		}
		return t.afterFindingAction(ctx, after, action)
	})
	return out, err
}

// applyAction sets what an action records on the finding.
func (t *tx) applyAction(ctx context.Context, f *FieldFinding, a supervision.FindingAction, note, due string) error {
	today := t.now.In(cst).Format(time.DateOnly)
	switch a {
	case supervision.ActFeedBack, supervision.ActRectify:
		field, what := "reply_due", "回复期限"
		if a == supervision.ActRectify {
			field, what = "rectify_due", "整改期限"
		}
		if d, err := time.Parse(time.DateOnly, due); err != nil || d.Format(time.DateOnly) != due {
			return errs.Field(field, "date", "%s应为日期（如2026-01-31）", what)
		} else if due <= today {
			return errs.Field(field, "range", "%s应晚于今天（%s）", what, today)
		}
		if a == supervision.ActFeedBack {
			f.ReplyDue = due
		} else {
			f.RectifyDue = due
		}
	case supervision.ActReply:
		if note == "" && today <= f.ReplyDue {
			return errs.Field("note", "required", "请登记机构的回复（回复期限%s未到）", f.ReplyDue)
		}
		if note == "" {
			note = "逾期未回复"
		}
		f.Reply = note
	case supervision.ActConfirm, supervision.ActDismiss:
		if t.actor.Username == f.CreatedBy {
			return errs.Field("note", "recorder", "集体审议须由登记人（%s）以外的人员作出", f.CreatedBy)
		}
		if note == "" {
			return errs.Field("note", "required", "审议意见不能为空")
		}
		f.ReviewNote = note
	case supervision.ActClose:
		return t.checkRecovered(ctx, f)
	}
	return nil
}

// checkRecovered refuses to close a finding while a recovery is open or
// less than its amount came back.
func (t *tx) checkRecovered(ctx context.Context, f *FieldFinding) error {
	var open int
	var back int64
	err := t.QueryRowContext(ctx, `SELECT COUNT(CASE WHEN state = 'open' THEN 1 END), COALESCE(SUM(recovered_fen), 0)
		FROM audit_recoveries WHERE finding_id = $1`, f.ID).Scan(&open, &back)
	if err != nil {
		return err
	}
	if open > 0 {
		return errs.Field("recovery", "open", "还有%d笔追回未办结，不能办结", open)
	}
	if back < f.Fen {
		return errs.Field("recovery", "short", "已追回%s元，少于认定金额%s元，不能办结", supervision.YuanText(back), supervision.YuanText(f.Fen))
	}
	return nil
}

// AddRecovery opens a refund or an offset of fen for a confirmed,
// notified or rectifying finding; the open and settled recoveries together
// may not exceed the finding's amount.
func (s *Store) AddRecovery(ctx context.Context, actor access.Principal, findingID int64, kind supervision.RecoveryKind, fen int64) (AuditRecovery, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return AuditRecovery{}, errs.E(errs.Forbidden, "无权登记追回")
	}
	var fs errs.Fields
	if kind != supervision.RecoveryRefund && kind != supervision.RecoveryOffset {
		fs.Add("kind", "choice", "追回方式应为退回（refund）或抵扣（offset）")
	}
	if fen <= 0 {
		fs.Add("amount_fen", "range", "追回金额应大于0")
	}
	if err := fs.Err(); err != nil {
		return AuditRecovery{}, err
	}
	r := AuditRecovery{FindingID: findingID, Kind: kind, Fen: fen, State: "open", CreatedBy: actor.Username, Version: 1}
	err := s.write(ctx, actor, func(t *tx) error {
		f, err := t.fieldFindingForUpdate(ctx, findingID)
		if err != nil {
			return err
		}
		switch f.State {
		case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying:
		default:
			return errs.E(errs.Conflict, "稽核发现%s，不能登记追回", f.State.Name())
		}
		var booked int64
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN state = 'open' THEN amount_fen ELSE recovered_fen END), 0)
			FROM audit_recoveries WHERE finding_id = $1`, findingID).Scan(&booked); err != nil {
			return err
		}
		if booked+fen > f.Fen {
			return errs.Field("amount_fen", "range", "追回金额超出认定金额：已登记%s元，认定%s元", supervision.YuanText(booked), supervision.YuanText(f.Fen))
		}
		r.CreatedAt = t.now
		id, err := t.insertAudited(ctx, "audit_recoveries", []string{"finding_id", "kind", "amount_fen", "recovered_fen", "state", "created_at", "created_by", "version"},
			[]any{findingID, string(kind), fen, 0, "open", t.now, r.CreatedBy, 1}, "supervision.recovery.add", "recovery", f.Region,
			func(id int64) any { x := r; x.ID = id; return x })
		r.ID = id
		return err
	})
	return r, err
}

const auditRecoveryCols = `id, finding_id, kind, amount_fen, recovered_fen, state, created_at, created_by, version`

func scanAuditRecovery(r interface{ Scan(...any) error }) (AuditRecovery, error) {
	var x AuditRecovery
	var kind string
	err := r.Scan(&x.ID, &x.FindingID, &kind, &x.Fen, &x.Recovered, &x.State, &x.CreatedAt, &x.CreatedBy, &x.Version)
	x.Kind = supervision.RecoveryKind(kind)
	return x, err
}

// Recoveries lists a finding's recoveries.
func (s *Store) Recoveries(ctx context.Context, findingID int64) ([]AuditRecovery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditRecoveryCols+` FROM audit_recoveries WHERE finding_id = $1 ORDER BY id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("store: recoveries: %w", err)
	}
	return collect(rows, scanAuditRecovery)
}

// SettleRecovery records what came back of an open recovery (at most its
// amount) and closes it, if it is still at version expected.
func (s *Store) SettleRecovery(ctx context.Context, actor access.Principal, id, expected, recovered int64) (AuditRecovery, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return AuditRecovery{}, errs.E(errs.Forbidden, "无权办结追回")
	}
	var out AuditRecovery
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := scanAuditRecovery(t.QueryRowContext(ctx, `SELECT `+auditRecoveryCols+` FROM audit_recoveries WHERE id = $1`+t.s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.E(errs.NotFound, "追回记录不存在")
		}
		if err != nil {
			return err
		}
		f, err := t.fieldFindingForUpdate(ctx, before.FindingID)
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.State != "open" {
			return errs.E(errs.Conflict, "追回已办结")
		}
		if recovered < before.Recovered || recovered > before.Fen { // what the clearing already offset stays recovered
			return errs.Field("recovered_fen", "range", "实际追回金额应在%s至%s元之间", supervision.YuanText(before.Recovered), supervision.YuanText(before.Fen))
		}
		res, err := t.ExecContext(ctx, `UPDATE audit_recoveries SET recovered_fen = $1, state = 'done', version = version + 1
			WHERE id = $2 AND version = $3`, recovered, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = before
		out.Recovered, out.State, out.Version = recovered, "done", before.Version+1
		return t.audit(ctx, "supervision.recovery.settle", "recovery", id, f.Region, before, out)
	})
	return out, err
}

// Sanction decides a step of the sanctions ladder for an institution
// visited in a campaign. A suspension sets the institution's status in the
// register to suspended, a termination to ended, in the same transaction.
func (s *Store) Sanction(ctx context.Context, actor access.Principal, code string, campaignID int64, kind supervision.Sanction, reason string) (SanctionRecord, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return SanctionRecord{}, errs.E(errs.Forbidden, "无权作出协议处理")
	}
	reason = strings.TrimSpace(reason)
	var fs errs.Fields
	if !kind.Valid() {
		fs.Add("kind", "choice", "协议处理“%s”不在可选范围内", kind)
	}
	if n := utf8.RuneCountInString(reason); n == 0 || n > 500 {
		fs.Add("reason", "required", "处理理由不能为空，最多500字")
	}
	if err := fs.Err(); err != nil {
		return SanctionRecord{}, err
	}
	out := SanctionRecord{Institution: code, CampaignID: campaignID, Kind: kind, Reason: reason, DecidedBy: actor.Username}
	err := s.write(ctx, actor, func(t *tx) error {
		var region string
		err := t.QueryRowContext(ctx, `SELECT region_code FROM audit_visits WHERE campaign_id = $1 AND fixmedins_code = $2`, campaignID, code).Scan(&region)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: region}) {
			return errs.Field("fixmedins_code", "unknown", "机构%s不在该稽核计划的检查对象中", code)
		}
		if err != nil {
			return err
		}
		out.DecidedAt = t.now
		id, err := t.insertAudited(ctx, "audit_sanctions", []string{"fixmedins_code", "campaign_id", "kind", "reason", "decided_at", "decided_by"},
			[]any{code, campaignID, string(kind), reason, t.now, out.DecidedBy}, "supervision.sanction."+string(kind), "sanction", region,
			func(id int64) any { x := out; x.ID = id; return x })
		if err != nil {
			return err
		}
		out.ID = id
		if err := t.recomputeRating(ctx, code, region, "协议处理："+kind.Name(), 0, id); err != nil {
			return err
		}
		switch kind {
		case supervision.SanctionSuspend:
			return t.setInstitutionStatus(ctx, code, settlement.Suspended, kind.Name()+"："+reason)
		case supervision.SanctionTerminate:
			return t.setInstitutionStatus(ctx, code, settlement.Ended, kind.Name()+"："+reason)
		}
		return nil
	})
	return out, err
}

// setInstitutionStatus changes a registered institution's status the way
// UpdateInstitution does: under its version, audited.
func (t *tx) setInstitutionStatus(ctx context.Context, code string, status settlement.Status, reason string) error {
	var id int64
	err := t.QueryRowContext(ctx, `SELECT id FROM institutions WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.Field("fixmedins_code", "unregistered", "机构%s未在协议机构名册登记，不能变更其协议状态", code)
	}
	if err != nil {
		return err
	}
	before, err := t.institutionForUpdate(ctx, id)
	if err != nil {
		return err
	}
	after := before
	after.Status, after.StatusReason, after.UpdatedAt, after.Version = status, reason, t.now, before.Version+1
	res, err := t.ExecContext(ctx, `UPDATE institutions SET status = $1, status_reason = $2, updated_at = $3, version = version + 1
		WHERE id = $4 AND version = $5`, string(status), reason, t.now, id, before.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleVersion()
	}
	return t.audit(ctx, "institution.status", "institution", id, before.RegionCode, before, after)
}

// Sanctions lists an institution's sanctions, oldest first.
func (s *Store) Sanctions(ctx context.Context, code string) ([]SanctionRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fixmedins_code, COALESCE(campaign_id, 0), kind, reason, decided_at, decided_by
		FROM audit_sanctions WHERE fixmedins_code = $1 ORDER BY decided_at, id`, code)
	if err != nil {
		return nil, fmt.Errorf("store: sanctions: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (SanctionRecord, error) {
		var x SanctionRecord
		var kind string
		err := r.Scan(&x.ID, &x.Institution, &x.CampaignID, &kind, &x.Reason, &x.DecidedAt, &x.DecidedBy)
		x.Kind = supervision.Sanction(kind)
		return x, err
	})
}

// CreditRating is an institution's A–E rating and what it rests on.
type CreditRating struct {
	Institution string  `json:"fixmedins_code"`
	Grade       string  `json:"grade"`
	Points      float64 `json:"points"`
	Confirmed   int     `json:"confirmed"` // confirmed findings counted
	Settled     int64   `json:"settled_fen"`
}

// Rating computes an institution's credit rating (supervision.Rating) from
// its confirmed findings (confirmed, notified, rectifying, closed): a
// violation's amount against the fund's payments to it in the latest
// campaign's scan, any fraud finding, and rectifications closed after
// their deadline.
func (s *Store) Rating(ctx context.Context, code string) (CreditRating, error) {
	return ratingOf(ctx, s.db, code)
}

// ratingOf is Rating on q: inside a write transaction it sees the
// transaction's own changes (recomputeRating).
func ratingOf(ctx context.Context, q querier, code string) (CreditRating, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE fixmedins_code = $1
		AND state IN ('confirmed', 'notified', 'rectifying', 'closed') ORDER BY id`, code)
	if err != nil {
		return CreditRating{}, fmt.Errorf("store: rating: %w", err)
	}
	fs, err := collect(rows, scanFieldFinding)
	if err != nil {
		return CreditRating{}, err
	}
	var in supervision.RatingInput
	var scanID int64
	for _, f := range fs {
		switch f.Tier {
		case supervision.TierFraud:
			in.Fraud = true
		case supervision.TierViolation:
			in.Violations = append(in.Violations, f.Fen)
		}
		if f.State == supervision.FindingClosed && f.RectifyDue != "" && f.UpdatedAt.In(cst).Format(time.DateOnly) > f.RectifyDue {
			in.LateRectifying++
		}
	}
	err = q.QueryRowContext(ctx, `SELECT c.scan_id FROM audit_visits v JOIN audit_campaigns c ON c.id = v.campaign_id
		WHERE v.fixmedins_code = $1 ORDER BY c.id DESC LIMIT 1`, code).Scan(&scanID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return CreditRating{}, err
	}
	if scanID != 0 {
		rank, err := scanRanking(ctx, q, scanID)
		if err != nil {
			return CreditRating{}, err
		}
		for _, r := range rank {
			if r.Institution == code {
				in.Settled = r.Settled
			}
		}
	}
	grade, points := supervision.Rating(in)
	return CreditRating{Institution: code, Grade: grade, Points: points, Confirmed: len(fs), Settled: in.Settled}, nil
}
