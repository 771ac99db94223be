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

// The institution's own view of its audit findings: only the findings of
// that institution, only once they were sent to it (fed back; never a
// draft), and without what is internal to the agency (the collective
// review's opinion, who recorded it). It may reply to a finding awaiting
// its reply; anything else is not found.

// OwnFinding is an audit finding as the institution sees it.
type OwnFinding struct {
	ID          int64                    `json:"id"`
	CampaignID  int64                    `json:"campaign_id"`
	Category    string                   `json:"category"`
	Type        string                   `json:"finding_type"`
	Tier        supervision.Tier         `json:"tier"`
	Lines       []string                 `json:"feedetl_sn"`
	Fen         int64                    `json:"amount_fen"`
	Description string                   `json:"description"`
	State       supervision.FindingState `json:"state"`
	StateName   string                   `json:"state_name"`
	ReplyDue    string                   `json:"reply_due,omitempty"`
	Reply       string                   `json:"reply,omitempty"`
	RectifyDue  string                   `json:"rectify_due,omitempty"`
	UpdatedAt   time.Time                `json:"updated_at"`
	Version     int64                    `json:"version"`
}

func ownFinding(f FieldFinding) OwnFinding {
	return OwnFinding{ID: f.ID, CampaignID: f.CampaignID, Category: f.Category, Type: f.Type, Tier: f.Tier, Lines: f.Lines, Fen: f.Fen,
		Description: f.Description, State: f.State, StateName: f.State.Name(), ReplyDue: f.ReplyDue, Reply: f.Reply, RectifyDue: f.RectifyDue,
		UpdatedAt: f.UpdatedAt, Version: f.Version}
}

// institutionCode is the code of the institution a principal of
// KindInstitution acts for.
func institutionCode(ctx context.Context, q querier, p access.Principal) (string, error) {
	if p.Kind != access.KindInstitution || p.InstitutionID == 0 {
		return "", errs.E(errs.Forbidden, "仅协议机构本身可查看其稽核发现")
	}
	var code string
	err := q.QueryRowContext(ctx, `SELECT code FROM institutions WHERE id = $1`, p.InstitutionID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.E(errs.NotFound, "协议机构不存在")
	}
	return code, err
}

// InstitutionFindings lists the findings addressed to the principal's
// institution, from fed back on, newest first.
func (s *Store) InstitutionFindings(ctx context.Context, p access.Principal) ([]OwnFinding, error) {
	code, err := institutionCode(ctx, s.db, p)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE fixmedins_code = $1
		AND state <> 'draft' ORDER BY id DESC`, code)
	if err != nil {
		return nil, fmt.Errorf("store: institution findings: %w", err)
	}
	fs, err := collect(rows, scanFieldFinding)
	if err != nil {
		return nil, err
	}
	out := make([]OwnFinding, len(fs))
	for i, f := range fs {
		out[i] = ownFinding(f)
	}
	return out, nil
}

// ReplyAsInstitution records the institution's own reply to one of its
// findings awaiting it (the workflow's reply step); another institution's
// finding, or a draft, is not found.
func (s *Store) ReplyAsInstitution(ctx context.Context, p access.Principal, findingID int64, text string) (OwnFinding, error) {
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n == 0 || n > MaxFindingText {
		return OwnFinding{}, errs.Field("reply", "required", "回复不能为空，最多%d字", MaxFindingText)
	}
	var out OwnFinding
	err := s.write(ctx, p, func(t *tx) error {
		code, err := institutionCode(ctx, t, p)
		if err != nil {
			return err
		}
		before, err := scanFieldFinding(t.QueryRowContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE id = $1`+t.s.engine.forUpdate(), findingID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && (before.Institution != code || before.State == supervision.FindingDraft) {
			return errs.E(errs.NotFound, "稽核发现不存在")
		}
		if err != nil {
			return err
		}
		to, err := supervision.NextState(before.State, supervision.ActReply)
		if err != nil {
			return errs.E(errs.Conflict, "%s", err.Error())
		}
		after := before
		after.State, after.Reply, after.UpdatedAt, after.Version = to, text, t.now, before.Version+1
		res, err := t.ExecContext(ctx, `UPDATE audit_field_findings SET state = $1, reply = $2, updated_at = $3, version = version + 1
			WHERE id = $4 AND version = $5`, string(to), text, t.now, findingID, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = ownFinding(after)
		return t.audit(ctx, "supervision.field_finding.reply", "field_finding", findingID, before.Region, before,
			map[string]any{"finding": after, "note": text, "by": "institution"})
	})
	return out, err
}

// UseNonce records an institution's request nonce outside an envelope
// (the audit endpoints beside the hospital interface): ErrNonceReused when
// it was seen within NonceTTL.
func (s *Store) UseNonce(ctx context.Context, inst settlement.Institution, nonce string) error {
	return s.write(ctx, InstitutionPrincipal(inst), func(t *tx) error {
		return t.useNonce(ctx, HISCall{Inst: inst, Nonce: nonce})
	})
}
