package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// The credit rating's history (fund-audit.md §5.7) and the sanction a
// campaign's confirmed findings suggest. The rating is recomputed
// (ratingOf, in the deciding transaction) whenever a finding of the
// institution is confirmed, dismissed or closed, or a sanction is decided,
// and a row is kept only when the grade or the points changed.

// RatingRecord is one change of an institution's credit rating.
type RatingRecord struct {
	ID          int64     `json:"id"`
	Institution string    `json:"fixmedins_code"`
	Region      string    `json:"region_code"`
	Grade       string    `json:"grade"`
	Points      float64   `json:"points"`
	Reason      string    `json:"reason"`
	ComputedAt  time.Time `json:"computed_at"`
	FindingID   int64     `json:"finding_id,omitempty"`
	SanctionID  int64     `json:"sanction_id,omitempty"`
}

// afterFindingAction is what a workflow step changes beside the finding:
// a dismissal revokes its points; a confirmation, dismissal or closing
// recomputes the institution's rating.
func (t *tx) afterFindingAction(ctx context.Context, f FieldFinding, a supervision.FindingAction) error {
	switch a {
	case supervision.ActDismiss:
		if err := t.revokePoints(ctx, f); err != nil {
			return err
		}
		fallthrough
	case supervision.ActConfirm, supervision.ActClose:
		return t.recomputeRating(ctx, f.Institution, f.Region, fmt.Sprintf("稽核发现%d%s", f.ID, a.Name()), f.ID, 0)
	}
	return nil
}

// recomputeRating rates the institution as of the transaction and keeps a
// row when the grade or the points differ from the last one (or there is
// none yet), naming the finding or the sanction that caused it.
func (t *tx) recomputeRating(ctx context.Context, code, region, reason string, findingID, sanctionID int64) error {
	r, err := ratingOf(ctx, t, code)
	if err != nil {
		return err
	}
	var grade string
	var points float64
	err = t.QueryRowContext(ctx, `SELECT grade, points FROM institution_ratings WHERE fixmedins_code = $1 ORDER BY id DESC LIMIT 1`, code).Scan(&grade, &points)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	case grade == r.Grade && math.Abs(points-r.Points) < 1e-6:
		return nil
	}
	rec := RatingRecord{Institution: code, Region: region, Grade: r.Grade, Points: r.Points, Reason: reason, ComputedAt: t.now,
		FindingID: findingID, SanctionID: sanctionID}
	id, err := t.insertAudited(ctx, "institution_ratings", []string{"fixmedins_code", "region_code", "grade", "points", "reason", "computed_at",
		"finding_id", "sanction_id"}, []any{code, region, r.Grade, r.Points, reason, t.now, nullID(findingID), nullID(sanctionID)},
		"supervision.rating", "institution_rating", region, func(id int64) any { x := rec; x.ID = id; return x })
	rec.ID = id
	return err
}

// RatingHistory lists an institution's rating changes, oldest first.
func (s *Store) RatingHistory(ctx context.Context, code string) ([]RatingRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, fixmedins_code, region_code, grade, points, reason, computed_at,
		COALESCE(finding_id, 0), COALESCE(sanction_id, 0) FROM institution_ratings WHERE fixmedins_code = $1 ORDER BY id`, code)
	if err != nil {
		return nil, fmt.Errorf("store: rating history: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (RatingRecord, error) {
		var x RatingRecord
		err := r.Scan(&x.ID, &x.Institution, &x.Region, &x.Grade, &x.Points, &x.Reason, &x.ComputedAt, &x.FindingID, &x.SanctionID)
		return x, err
	})
}

// AuditedInstitution is an institution as the field audits know it: its
// code, name (when registered) and county, from its latest visit.
type AuditedInstitution struct {
	Code   string `json:"fixmedins_code"`
	Name   string `json:"name"`
	Region string `json:"region_code"`
}

// FindAuditedInstitution reads an institution visited in a campaign the
// viewer may see (NotFound otherwise).
func (s *Store) FindAuditedInstitution(ctx context.Context, viewer access.Principal, code string) (AuditedInstitution, error) {
	a := AuditedInstitution{Code: code}
	err := s.db.QueryRowContext(ctx, `SELECT v.region_code, COALESCE(i.name, '') FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code
		WHERE v.fixmedins_code = $1 ORDER BY v.id DESC LIMIT 1`, code).Scan(&a.Region, &a.Name)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: a.Region}) {
		return a, errs.E(errs.NotFound, "机构%s没有稽核记录", code)
	}
	return a, err
}

// SanctionSuggestion is the step supervision.NextSanction suggests for an
// institution after a campaign, with what it rests on.
type SanctionSuggestion struct {
	Institution string               `json:"fixmedins_code"`
	Kind        supervision.Sanction `json:"kind"`
	Reason      string               `json:"reason"`
	Confirmed   int                  `json:"confirmed"` // the campaign's confirmed findings there
	Fen         int64                `json:"amount_fen"`
	Share       float64              `json:"amount_share"`
	Fraud       bool                 `json:"fraud"`
	Refused     bool                 `json:"refused_rectification"`
	Prior       []supervision.Sanction
}

// SuggestSanction suggests the next step of the ladder for an institution
// visited in a campaign: the sanctions of its agreement period so far
// (since its agreement began when it is registered), any fraud among the
// campaign's confirmed findings there, a rectification past its deadline
// (refused), and the confirmed amount's share of its settlements in the
// campaign's scan.
func (s *Store) SuggestSanction(ctx context.Context, viewer access.Principal, campaignID int64, code string) (SanctionSuggestion, error) {
	out := SanctionSuggestion{Institution: code}
	var region, from string
	var scanID int64
	err := s.db.QueryRowContext(ctx, `SELECT v.region_code, c.scan_id, COALESCE(i.agreement_from, '') FROM audit_visits v
		JOIN audit_campaigns c ON c.id = v.campaign_id LEFT JOIN institutions i ON i.code = v.fixmedins_code
		WHERE v.campaign_id = $1 AND v.fixmedins_code = $2`, campaignID, code).Scan(&region, &scanID, &from)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: region}) {
		return out, errs.E(errs.NotFound, "机构%s不在该稽核计划的检查对象中", code)
	}
	if err != nil {
		return out, err
	}
	ss, err := s.Sanctions(ctx, code)
	if err != nil {
		return out, err
	}
	for _, x := range ss {
		if from == "" || x.DecidedAt.In(cst).Format(time.DateOnly) >= from {
			out.Prior = append(out.Prior, x.Kind)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE fixmedins_code = $1
		AND state IN ('confirmed', 'notified', 'rectifying', 'closed') ORDER BY id`, code)
	if err != nil {
		return out, fmt.Errorf("store: suggest sanction: %w", err)
	}
	fs, err := collect(rows, scanFieldFinding)
	if err != nil {
		return out, err
	}
	today := s.now().In(cst).Format(time.DateOnly)
	for _, f := range fs {
		if f.State == supervision.FindingRectifying && f.RectifyDue != "" && f.RectifyDue < today {
			out.Refused = true
		}
		if f.CampaignID != campaignID {
			continue
		}
		out.Confirmed++
		out.Fen += f.Fen
		out.Fraud = out.Fraud || f.Tier == supervision.TierFraud
	}
	rank, err := s.ScanRanking(ctx, scanID)
	if err != nil {
		return out, err
	}
	for _, r := range rank {
		if r.Institution == code && r.Settled > 0 {
			out.Share = float64(out.Fen) / float64(r.Settled)
		}
	}
	out.Kind = supervision.NextSanction(out.Prior, out.Fraud, out.Refused, out.Share)
	out.Reason = suggestionReason(out)
	return out, nil
}

// suggestionReason says in a sentence why the step is suggested.
func suggestionReason(x SanctionSuggestion) string {
	var b strings.Builder
	fmt.Fprintf(&b, "本次稽核确认问题%d项，金额%s元", x.Confirmed, supervision.YuanText(x.Fen))
	if x.Share > 0 {
		fmt.Fprintf(&b, "，占年度结算%.2f%%", 100*x.Share)
	}
	if x.Fraud {
		b.WriteString("，含骗保行为")
	}
	if x.Refused {
		b.WriteString("，逾期未完成整改")
	}
	if len(x.Prior) > 0 {
		b.WriteString("；本协议期已作处理：")
		for i, p := range x.Prior {
			if i > 0 {
				b.WriteString("、")
			}
			b.WriteString(p.Name())
		}
	}
	fmt.Fprintf(&b, "。建议%s。", x.Kind.Name())
	return b.String()
}
