package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// Leads are the findings of a screening scan, worked by auditors: each is
// confirmed or dismissed with a reason, once, and the verdict counts in
// its rule's hit statistics (rule_stats, shared with the real-time rules:
// one rule base, one set of statistics). A lead is seen by the staff of
// the institution's county (its region_code) and above.

// Lead is one screening finding with its review.
type Lead struct {
	ID           int64               `json:"id"`
	ScanID       int64               `json:"scan_id"`
	Finding      supervision.Finding `json:"finding"`
	RuleName     string              `json:"rule_name"`
	Institution  string              `json:"fixmedins_name"` // from the register when the code is registered
	Region       string              `json:"region_code"`
	Review       string              `json:"review"` // new, confirmed, dismissed
	ReviewReason string              `json:"review_reason,omitempty"`
	ReviewedBy   string              `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time          `json:"reviewed_at,omitempty"`
	Version      int64               `json:"version"`
	seq          int64               // the lead's place in its scan (EachLead's cursor)
}

// LeadReviews names the review states.
var LeadReviews = map[string]string{"new": "待核实", "confirmed": "已确认", "dismissed": "已排除"}

// LeadFilter narrows a scan's leads.
type LeadFilter struct {
	ScanID      int64
	Category    string
	Severity    string
	Rule        string
	Institution string // fixmedins_code
	Review      string // "" all
	Sort        string // "" or "amount": by amount; "score": by the evidence's strength; "encounter": scan order
	Asc         bool   // smallest first (amount, score)
	Page        Page
}

const leadCols = `f.id, f.scan_id, f.rule_id, f.rule_version, f.category, f.severity, f.mdtrt_id, f.fixmedins_code, f.amount_fen, f.score,
	f.reason, f.lines, f.evidence, f.params, f.region_code, f.review, f.review_reason, f.reviewed_by, f.reviewed_at, f.version, COALESCE(i.name, ''), f.seq`

const leadFrom = ` FROM audit_findings f LEFT JOIN institutions i ON i.code = f.fixmedins_code WHERE `

func scanLead(r interface{ Scan(...any) error }) (Lead, error) {
	var l Lead
	var lines, evidence, params string
	var at sql.NullTime
	f := &l.Finding
	if err := r.Scan(&l.ID, &l.ScanID, &f.RuleID, &f.RuleVersion, &f.Category, &f.Severity, &f.MdtrtID, &f.Institution, &f.Fen, &f.Score,
		&f.Reason, &lines, &evidence, &params, &l.Region, &l.Review, &l.ReviewReason, &l.ReviewedBy, &at, &l.Version, &l.Institution, &l.seq); err != nil {
		return l, err
	}
	_ = json.Unmarshal([]byte(lines), &f.Lines)
	_ = json.Unmarshal([]byte(evidence), &f.Evidence)
	_ = json.Unmarshal([]byte(params), &f.Params)
	if at.Valid {
		t := at.Time
		l.ReviewedAt = &t
	}
	if r, ok := supervision.RuleByID(f.RuleID); ok {
		l.RuleName = r.Name
	}
	return l, nil
}

func leadWhere(scope access.Scope, f LeadFilter) (*where, error) {
	lo, hi := scope.Range()
	w := &where{sql: "f.scan_id = $1 AND f.region_code >= $2 AND f.region_code < $3", args: []any{f.ScanID, lo, hi}}
	if f.Category != "" {
		if supervision.CategoryName(f.Category) == "" {
			return nil, errs.Field("category", "filter_choice", "类别“%s”不在可选范围内", f.Category)
		}
		w.cond("f.category = $%d", f.Category)
	}
	if f.Severity != "" {
		if f.Severity != supervision.Definite && f.Severity != supervision.Suspicious {
			return nil, errs.Field("severity", "filter_choice", "结果类型“%s”不在可选范围内", f.Severity)
		}
		w.cond("f.severity = $%d", f.Severity)
	}
	if f.Rule != "" {
		w.cond("f.rule_id = $%d", f.Rule)
	}
	if f.Institution != "" {
		w.cond("f.fixmedins_code = $%d", f.Institution)
	}
	if f.Review != "" {
		if LeadReviews[f.Review] == "" {
			return nil, errs.Field("review", "filter_choice", "核实状态“%s”不在可选范围内", f.Review)
		}
		w.cond("f.review = $%d", f.Review)
	}
	return w, nil
}

func leadOrder(sort string, asc bool) (string, error) {
	dir := " DESC"
	if asc {
		dir = ""
	}
	switch sort {
	case "", "amount":
		return "f.amount_fen" + dir + ", f.seq", nil
	case "score":
		return "f.score" + dir + ", f.seq", nil
	case "encounter":
		return "f.seq", nil
	}
	return "", errs.Field("sort", "sort", "不能按“%s”排序", sort)
}

// FindLeads lists a scan's leads in scope, largest amount first.
func (s *Store) FindLeads(ctx context.Context, scope access.Scope, f LeadFilter) ([]Lead, int, error) {
	w, err := leadWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	order, err := leadOrder(f.Sort, f.Asc)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_findings f WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count leads: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+leadCols+leadFrom+w.sql+w.page(order, f.Page.normalize()), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: leads: %w", err)
	}
	out, err := collect(rows, scanLead)
	return out, total, err
}

// EachLead streams every lead FindLeads lists for f, in scan order.
func (s *Store) EachLead(ctx context.Context, scope access.Scope, f LeadFilter, fn func(Lead) error) error {
	w, err := leadWhere(scope, f)
	if err != nil {
		return err
	}
	last := int64(-1)
	for {
		args := append(append([]any(nil), w.args...), last, s.batch())
		rows, err := s.db.QueryContext(ctx, `SELECT `+leadCols+leadFrom+w.sql+fmt.Sprintf(` AND f.seq > $%d ORDER BY f.seq LIMIT $%d`, len(args)-1, len(args)), args...)
		if err != nil {
			return err
		}
		items, err := collect(rows, scanLead)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
			last = it.seq
		}
		if len(items) < s.batch() {
			return ctx.Err()
		}
	}
}

// FindLead reads one lead the viewer may see.
func (s *Store) FindLead(ctx context.Context, viewer access.Principal, id int64) (Lead, error) {
	l, err := scanLead(s.db.QueryRowContext(ctx, `SELECT `+leadCols+leadFrom+`f.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: l.Region}) {
		return Lead{}, errs.E(errs.NotFound, "线索不存在")
	}
	return l, err
}

// MaxLeadReason is the longest review reason.
const MaxLeadReason = 500

// ReviewLead confirms or dismisses a new lead with a reason, if it is
// still at version expected; the rule's statistics count it in the same
// transaction.
func (s *Store) ReviewLead(ctx context.Context, actor access.Principal, id, expected int64, decision, reason string) (Lead, error) {
	reason = strings.TrimSpace(reason)
	var fs errs.Fields
	if decision != "confirm" && decision != "dismiss" {
		fs.Add("decision", "choice", "核实结论应为确认（confirm）或排除（dismiss）")
	}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		fs.Add("reason", "required", "核实意见不能为空")
	case n > MaxLeadReason:
		fs.Add("reason", "too_long", "核实意见过长（%d字），最多%d字", n, MaxLeadReason)
	}
	if err := fs.Err(); err != nil {
		return Lead{}, err
	}
	if !actor.Can(access.PermSupervisionReview) {
		return Lead{}, errs.E(errs.Forbidden, "无权确认或排除筛查线索")
	}
	var out Lead
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := scanLead(t.QueryRowContext(ctx, `SELECT `+leadCols+leadFrom+`f.id = $1`+t.s.engine.forUpdateOf("f"), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: before.Region}) {
			return errs.E(errs.NotFound, "线索不存在")
		}
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.Review != "new" {
			return errs.E(errs.Conflict, "该线索%s，不能再次核实", LeadReviews[before.Review])
		}
		review, stat := "confirmed", "confirmed"
		if decision == "dismiss" {
			review, stat = "dismissed", "dismissed"
		}
		res, err := t.ExecContext(ctx, `UPDATE audit_findings SET review = $1, reviewed_by = $2, reviewed_at = $3, review_reason = $4,
			version = version + 1 WHERE id = $5 AND version = $6 AND review = 'new'`, review, actor.Username, t.now, reason, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		month := t.now.In(cst).Format("2006-01")
		if _, err := t.ExecContext(ctx, `INSERT INTO rule_stats (rule_id, month, `+stat+`) VALUES ($1, $2, 1)
			ON CONFLICT (rule_id, month) DO UPDATE SET `+stat+` = rule_stats.`+stat+` + 1`, before.Finding.RuleID, month); err != nil {
			return err
		}
		out = before
		now := t.now
		out.Review, out.ReviewedBy, out.ReviewedAt, out.ReviewReason, out.Version = review, actor.Username, &now, reason, before.Version+1
		return t.audit(ctx, "supervision.lead."+decision, "lead", id, before.Region, leadSnapshot(before), leadSnapshot(out))
	})
	return out, err
}

func leadSnapshot(l Lead) map[string]any {
	return map[string]any{"scan_id": l.ScanID, "rule_id": l.Finding.RuleID, "mdtrt_id": l.Finding.MdtrtID, "amount": l.Finding.Fen,
		"review": l.Review, "review_reason": l.ReviewReason, "version": l.Version}
}
