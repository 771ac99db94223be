package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// Referral is a confirmed field finding handed to another body (移送).
type Referral struct {
	ID         int64                    `json:"id"`
	FindingID  int64                    `json:"finding_id"`
	Body       supervision.ReferralBody `json:"body"`
	DocNo      string                   `json:"doc_no"`
	ReferredOn string                   `json:"referred_on"`
	Note       string                   `json:"note,omitempty"`
	Region     string                   `json:"region_code"`
	CreatedAt  time.Time                `json:"created_at"`
	CreatedBy  string                   `json:"created_by"`
}

// MaxDocNo is the longest transfer-letter number.
const MaxDocNo = 100

func validReferral(r *Referral, today string) error {
	r.DocNo, r.Note, r.ReferredOn = strings.TrimSpace(r.DocNo), strings.TrimSpace(r.Note), strings.TrimSpace(r.ReferredOn)
	var fs errs.Fields
	if !r.Body.Valid() {
		fs.Add("body", "choice", "移送机关应为公安机关、行政处罚部门、卫生健康行政部门或纪检监察机关")
	}
	if n := utf8.RuneCountInString(r.DocNo); n == 0 {
		fs.Add("doc_no", "required", "请填写移送函文号")
	} else if n > MaxDocNo {
		fs.Add("doc_no", "too_long", "移送函文号过长（%d字），最多%d字", n, MaxDocNo)
	}
	if d, err := time.Parse(time.DateOnly, r.ReferredOn); err != nil || d.Format(time.DateOnly) != r.ReferredOn {
		fs.Add("referred_on", "date", "移送日期应为日期（如2026-01-31）")
	} else if r.ReferredOn > today {
		fs.Add("referred_on", "range", "移送日期不能晚于今天（%s）", today)
	}
	if n := utf8.RuneCountInString(r.Note); n > MaxFindingText {
		fs.Add("note", "too_long", "说明过长（%d字），最多%d字", n, MaxFindingText)
	}
	return fs.Err()
}

// ReferFieldFinding records that a finding the collective review confirmed
// (confirmed, notified, rectifying or closed) was referred to body. A
// finding goes to each body at most once.
func (s *Store) ReferFieldFinding(ctx context.Context, actor access.Principal, findingID int64, r Referral) (Referral, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Referral{}, errs.E(errs.Forbidden, "无权办理移送")
	}
	if err := validReferral(&r, s.now().In(cst).Format(time.DateOnly)); err != nil {
		return Referral{}, err
	}
	r.FindingID, r.CreatedBy = findingID, actor.Username
	err := s.write(ctx, actor, func(t *tx) error {
		f, err := t.fieldFindingForUpdate(ctx, findingID)
		if err != nil {
			return err
		}
		switch f.State {
		case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying, supervision.FindingClosed:
		default:
			return errs.E(errs.Conflict, "稽核发现%s，经集体审议确认后才能移送", f.State.Name())
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_referrals WHERE finding_id = $1 AND body = $2`, findingID, string(r.Body)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("body", "duplicate", "稽核发现%d已移送%s", findingID, r.Body.Name())
		}
		r.Region, r.CreatedAt = f.Region, t.now
		id, err := t.insertAudited(ctx, "audit_referrals", []string{"finding_id", "body", "doc_no", "referred_on", "note", "region_code", "created_at", "created_by"},
			[]any{findingID, string(r.Body), r.DocNo, r.ReferredOn, r.Note, r.Region, t.now, r.CreatedBy}, "supervision.finding.refer", "referral", f.Region,
			func(id int64) any { x := r; x.ID = id; return x })
		if uniqueOn(err, "body") || uniqueOn(err, "finding_id") {
			return errs.Field("body", "duplicate", "稽核发现%d已移送%s", findingID, r.Body.Name())
		}
		r.ID = id
		return err
	})
	return r, err
}

// Referrals lists a finding's referrals, oldest first.
func (s *Store) Referrals(ctx context.Context, findingID int64) ([]Referral, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, finding_id, body, doc_no, referred_on, note, region_code, created_at, created_by
		FROM audit_referrals WHERE finding_id = $1 ORDER BY id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("store: referrals: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (Referral, error) {
		var x Referral
		var body string
		err := r.Scan(&x.ID, &x.FindingID, &body, &x.DocNo, &x.ReferredOn, &x.Note, &x.Region, &x.CreatedAt, &x.CreatedBy)
		x.Body = supervision.ReferralBody(body)
		return x, err
	})
}
