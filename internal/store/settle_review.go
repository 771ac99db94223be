package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
	"gongshang/internal/supervision"
)

// The review queue of suspicious findings (高度可疑): an auditor accepts
// (the finding is confirmed: 确认违规) or rejects it (dismissed: 排除), with
// a reason. The finding carries a version: the reviewer names the one seen,
// and the second of two reviewers at once is told it changed (409). The
// outcome counts toward the rule's statistics (rule_stats: confirmed,
// dismissed) in the same transaction, in the month the rule fired.

// The review outcomes.
const (
	ReviewAccept = "accept"
	ReviewReject = "reject"
)

// MaxReviewReason bounds a review's reason.
const MaxReviewReason = 500

// FindingItem is a finding with its settlement and institution.
type FindingItem struct {
	ID              int64      `json:"id"`
	SettlementID    int64      `json:"settlement_id"`
	SetlID          string     `json:"setl_id"`
	EncounterID     int64      `json:"encounter_id"`
	InstitutionID   int64      `json:"institution_id"`
	InstitutionName string     `json:"fixmedins_name"`
	RegionCode      string     `json:"region_code"`
	PsnName         string     `json:"psn_name"`
	SetlDay         string     `json:"setl_day"`
	RuleID          string     `json:"rule_id"`
	RuleName        string     `json:"rule_name"`
	Severity        string     `json:"severity"`
	Category        string     `json:"category"`
	LineSN          string     `json:"feedetl_sn,omitempty"`
	Amount          int64      `json:"amount"`
	Content         string     `json:"content"`
	Evidence        string     `json:"evidence"`
	Review          string     `json:"review"` // none pending accepted rejected
	ReviewedBy      int64      `json:"reviewed_by,omitempty"`
	ReviewerName    string     `json:"reviewer,omitempty"`
	ReviewedAt      *time.Time `json:"reviewed_at,omitempty"`
	ReviewReason    string     `json:"review_reason,omitempty"`
	CreatedAt       time.Time  `json:"created_at"`
	Version         int64      `json:"version"`
}

const findingCols = `f.id, f.settlement_id, s.treat_region, f.encounter_id, f.institution_id, i.name, f.region_code, w.name, s.setl_day,
	f.rule_id, f.rule_name, f.severity, f.category, f.line_sn, f.amount, f.content, f.evidence, f.review, COALESCE(f.reviewed_by, 0),
	COALESCE(u.display_name, ''), f.reviewed_at, f.review_reason, f.created_at, f.version`

const findingFrom = ` FROM settlement_findings f JOIN settlements s ON s.id = f.settlement_id JOIN institutions i ON i.id = f.institution_id
	JOIN workers w ON w.id = s.worker_id LEFT JOIN users u ON u.id = f.reviewed_by WHERE `

func scanFinding(r interface{ Scan(...any) error }) (FindingItem, error) {
	var f FindingItem
	var treat string
	var at sql.NullTime
	err := r.Scan(&f.ID, &f.SettlementID, &treat, &f.EncounterID, &f.InstitutionID, &f.InstitutionName, &f.RegionCode, &f.PsnName, &f.SetlDay,
		&f.RuleID, &f.RuleName, &f.Severity, &f.Category, &f.LineSN, &f.Amount, &f.Content, &f.Evidence, &f.Review, &f.ReviewedBy,
		&f.ReviewerName, &at, &f.ReviewReason, &f.CreatedAt, &f.Version)
	if at.Valid {
		t := at.Time
		f.ReviewedAt = &t
	}
	f.SetlID = settlement.SetlID(treat, f.SettlementID)
	return f, err
}

func (s *Store) findingItems(ctx context.Context, where string, args ...any) ([]FindingItem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+findingCols+findingFrom+where+` ORDER BY f.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	return collect(rows, scanFinding)
}

// FindingFilter narrows the review queue.
type FindingFilter struct {
	Review        string // pending (default) accepted rejected none, "all" for every one
	Rule          string
	InstitutionID int64
	Month         string // YYYY-MM the finding was raised in
	Page          Page
}

// ReviewStates name the review states in Chinese.
var ReviewStates = map[string]string{"none": "无需复核", "pending": "待复核", "accepted": "确认违规", "rejected": "排除疑点"}

func findingWhere(scope access.Scope, f FindingFilter) (*where, error) {
	lo, hi := scope.Range()
	w := &where{sql: "f.region_code >= $1 AND f.region_code < $2", args: []any{lo, hi}}
	switch f.Review {
	case "":
		w.sql += " AND f.review = 'pending'"
	case "all":
	default:
		if ReviewStates[f.Review] == "" {
			return nil, errs.Field("review", "filter_choice", "复核状态“%s”不在可选范围内", f.Review)
		}
		w.cond("f.review = $%d", f.Review)
	}
	if f.Rule != "" {
		w.cond("f.rule_id = $%d", f.Rule)
	}
	if f.InstitutionID != 0 {
		w.cond("f.institution_id = $%d", f.InstitutionID)
	}
	if f.Month != "" {
		from, err := time.ParseInLocation("2006-01", f.Month, settlement.CST)
		if err != nil {
			return nil, errs.Field("month", "month_format", "月份“%s”无效（格式YYYY-MM）", f.Month)
		}
		w.cond("f.created_at >= $%d AND f.created_at < $%d", from.UTC(), from.AddDate(0, 1, 0).UTC())
	}
	return w, nil
}

// FindFindings lists the findings in scope (by the institution's region),
// the pending ones by default, oldest first: a queue is worked in order.
func (s *Store) FindFindings(ctx context.Context, scope access.Scope, f FindingFilter) ([]FindingItem, int, error) {
	w, err := findingWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM settlement_findings f WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count findings: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+findingCols+findingFrom+w.sql+w.page("f.id", f.Page.normalize()), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: findings: %w", err)
	}
	out, err := collect(rows, scanFinding)
	return out, total, err
}

// EachFinding streams every finding FindFindings lists for f, in the same
// order, in batches after the last id read.
func (s *Store) EachFinding(ctx context.Context, scope access.Scope, f FindingFilter, fn func(FindingItem) error) error {
	w, err := findingWhere(scope, f)
	if err != nil {
		return err
	}
	last := int64(0)
	for {
		args := append(append([]any(nil), w.args...), last, s.batch())
		rows, err := s.db.QueryContext(ctx, `SELECT `+findingCols+findingFrom+w.sql+fmt.Sprintf(` AND f.id > $%d ORDER BY f.id LIMIT $%d`, len(args)-1, len(args)), args...)
		if err != nil {
			return err
		}
		items, err := collect(rows, scanFinding)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
			last = it.ID
		}
		if len(items) < s.batch() {
			return ctx.Err()
		}
	}
}

// FindFinding reads one finding the viewer may see.
func (s *Store) FindFinding(ctx context.Context, viewer access.Principal, id int64) (FindingItem, error) {
	f, err := scanFinding(s.db.QueryRowContext(ctx, `SELECT `+findingCols+findingFrom+`f.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: f.RegionCode, InstitutionID: f.InstitutionID}) {
		return FindingItem{}, errs.E(errs.NotFound, "疑点不存在")
	}
	return f, err
}

// ReviewFinding records an auditor's decision on a pending finding:
// accept (confirmed) or reject (dismissed), with a reason, if the finding
// is still at version expected. The rule's statistics count it in the
// same transaction.
func (s *Store) ReviewFinding(ctx context.Context, actor access.Principal, id, expected int64, decision, reason string) (FindingItem, error) {
	reason = strings.TrimSpace(reason)
	var fs errs.Fields
	if decision != ReviewAccept && decision != ReviewReject {
		fs.Add("decision", "choice", "复核结论应为确认违规（accept）或排除疑点（reject）")
	}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		fs.Add("reason", "required", "复核意见不能为空")
	case n > MaxReviewReason:
		fs.Add("reason", "too_long", "复核意见过长（%d字），最多%d字", n, MaxReviewReason)
	}
	if err := fs.Err(); err != nil {
		return FindingItem{}, err
	}
	if !actor.Can(access.PermFindingReview) {
		return FindingItem{}, errs.E(errs.Forbidden, "无权复核疑点")
	}
	var out FindingItem
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := scanFinding(t.QueryRowContext(ctx, `SELECT `+findingCols+findingFrom+`f.id = $1`+t.s.engine.forUpdateOf("f"), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: before.RegionCode, InstitutionID: before.InstitutionID}) {
			return errs.E(errs.NotFound, "疑点不存在")
		}
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.Review != "pending" {
			return errs.E(errs.Conflict, "该疑点%s，不能复核", map[string]string{"none": "无需复核或已随结算撤销而撤回",
				"accepted": "已确认违规", "rejected": "已排除"}[before.Review])
		}
		review, stat := "accepted", "confirmed"
		if decision == ReviewReject {
			review, stat = "rejected", "dismissed"
		}
		res, err := t.ExecContext(ctx, `UPDATE settlement_findings SET review = $1, reviewed_by = $2, reviewed_at = $3, review_reason = $4,
			version = version + 1 WHERE id = $5 AND version = $6 AND review = 'pending'`, review, actor.UserID, t.now, reason, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		month := settlement.Day(before.CreatedAt)[:7]
		if _, err := t.ExecContext(ctx, `INSERT INTO rule_stats (rule_id, month, `+stat+`) VALUES ($1, $2, 1)
			ON CONFLICT (rule_id, month) DO UPDATE SET `+stat+` = rule_stats.`+stat+` + 1`, before.RuleID, month); err != nil {
			return err
		}
		out = before
		now := t.now
		out.Review, out.ReviewedBy, out.ReviewerName, out.ReviewedAt, out.ReviewReason, out.Version = review, actor.UserID, actor.Name, &now, reason, before.Version+1
		return t.audit(ctx, "finding."+decision, "finding", id, before.RegionCode, findingSnapshot(before), findingSnapshot(out))
	})
	return out, err
}

func findingSnapshot(f FindingItem) map[string]any {
	return map[string]any{"setl_id": f.SetlID, "rule_id": f.RuleID, "amount": f.Amount, "review": f.Review, "review_reason": f.ReviewReason, "version": f.Version}
}

// RuleStat is a rule's statistics: how often it fired, and how the
// reviews of its suspicious findings came out.
type RuleStat struct {
	RuleID    string `json:"rule_id"`
	RuleName  string `json:"rule_name"`
	Severity  string `json:"severity"`
	Triggers  int64  `json:"triggers"`
	Confirmed int64  `json:"confirmed"`
	Dismissed int64  `json:"dismissed"`
	Amount    int64  `json:"amount"`
}

// Reviewed is the number of reviewed findings.
func (r RuleStat) Reviewed() int64 { return r.Confirmed + r.Dismissed }

// HitRate is confirmed ÷ reviewed in per cent ("—" before any review).
func (r RuleStat) HitRate() string {
	if r.Reviewed() == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", float64(r.Confirmed)*100/float64(r.Reviewed()))
}

// RuleStats are every rule's statistics for a month ("" all months), in
// the rules' order. The statistics are the city's whole rule base (a
// rule's precision is not a county's). Over all months a rule's triggers
// and amount also count the screening's leads, those of the latest scan
// of each extract and of each region's year of our own settlements (a
// rescan replaces, not adds).
func (s *Store) RuleStats(ctx context.Context, month string) ([]RuleStat, error) {
	q, args := `SELECT rule_id, SUM(triggers), SUM(confirmed), SUM(dismissed), SUM(amount) FROM rule_stats`, []any{}
	if month != "" {
		q += ` WHERE month = $1`
		args = append(args, month)
	}
	rows, err := s.db.QueryContext(ctx, q+` GROUP BY rule_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]RuleStat{}
	for rows.Next() {
		var r RuleStat
		if err := rows.Scan(&r.RuleID, &r.Triggers, &r.Confirmed, &r.Dismissed, &r.Amount); err != nil {
			return nil, err
		}
		got[r.RuleID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if month == "" {
		if err := s.addLeadTriggers(ctx, got); err != nil {
			return nil, err
		}
	}
	// One rule base, one set of statistics: the real-time rules first (the
	// hospital interface's review queue), then the screening's own.
	out := make([]RuleStat, 0, len(supervision.Base))
	seen := map[string]bool{}
	for _, rule := range settlement.Rules {
		r := got[rule.ID]
		r.RuleID, r.RuleName, r.Severity = rule.ID, rule.Name, string(rule.Severity)
		out = append(out, r)
		seen[rule.ID] = true
	}
	for _, rule := range supervision.Base {
		if seen[rule.ID] {
			continue
		}
		r := got[rule.ID]
		r.RuleID, r.RuleName, r.Severity = rule.ID, rule.Name, rule.Severity
		out = append(out, r)
	}
	return out, nil
}

// addLeadTriggers adds to got the leads of the latest finished scan of
// each source: an imported extract, or a region's own settlements of a
// year (two counties' own scans of one year are two sources).
func (s *Store) addLeadTriggers(ctx context.Context, got map[string]RuleStat) error {
	rows, err := s.db.QueryContext(ctx, `SELECT rule_id, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM audit_findings
		WHERE scan_id IN (SELECT MAX(id) FROM audit_scans WHERE state = 'done' GROUP BY extract_id, own_year, region_code) GROUP BY rule_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n, fen int64
		if err := rows.Scan(&id, &n, &fen); err != nil {
			return err
		}
		r := got[id]
		r.RuleID, r.Triggers, r.Amount = id, r.Triggers+n, r.Amount+fen
		got[id] = r
	}
	return rows.Err()
}

// forUpdateOf locks only the rows of one table of a join (PostgreSQL
// refuses FOR UPDATE on the nullable side of an outer join); SQLite's one
// writer serialises anyway.
func (e Engine) forUpdateOf(alias string) string {
	if e == Postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}
