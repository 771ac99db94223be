package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/letters"
	"gongshang/internal/pdf"
	"gongshang/internal/registry"
)

// A field audit's letters to the institution (fund-audit.md §5.5 steps 5
// and 7): the 反馈意见书 of the findings fed back, and the 结论通知书 of
// those the collective review confirmed. Before issue a letter is a draft
// (printed with "草稿" for its number, nothing kept); issuing numbers it
// from the region's sequence, fixes its content in the transaction and
// keeps it, so every later download prints the same bytes.

// AuditLetter is an issued field-audit letter.
type AuditLetter struct {
	ID         int64             `json:"id"`
	VisitID    int64             `json:"visit_id"`
	CampaignID int64             `json:"campaign_id"`
	Kind       letters.AuditKind `json:"kind"`
	Number     string            `json:"number"`
	IssuedOn   string            `json:"issued_on"`
	FindingIDs []int64           `json:"finding_ids"`
	Region     string            `json:"region_code"`
	CreatedAt  time.Time         `json:"created_at"`
	CreatedBy  string            `json:"created_by"`
}

// DraftNumber stands for the number of a letter not issued yet.
const DraftNumber = "（草稿，尚未出具）"

// auditLetterInput is a letter of kind over the visit's findings that
// belong in it, dated on, numbered number; NotFound-free: Conflict when no
// finding belongs in it.
func auditLetterInput(v CampaignVisit, c Campaign, fs []FieldFinding, kind letters.AuditKind, on time.Time, number string) (letters.AuditInput, []int64, error) {
	if kind.Title() == "" {
		return letters.AuditInput{}, nil, errs.E(errs.NotFound, "文书不存在：可出具反馈意见书（feedback）或结论通知书（notice）")
	}
	in := letters.AuditInput{Kind: kind, Number: number, On: time.Date(on.Year(), on.Month(), on.Day(), 0, 0, 0, 0, time.UTC),
		Institution: cmp.Or(v.Name, v.Institution), Code: v.Institution, Campaign: c.Name, RegionName: registry.RegionNames()[c.Region]}
	var ids []int64
	for _, f := range fs {
		af := letters.AuditFinding{ID: f.ID, Category: f.Category, Type: f.Type, Tier: f.Tier, Fen: f.Fen, Description: f.Description,
			Lines: f.Lines, State: f.State, ReplyDue: f.ReplyDue, Reply: f.Reply, ReviewNote: f.ReviewNote, RectifyDue: f.RectifyDue}
		if letters.AuditEligible(kind, af) {
			in.Findings = append(in.Findings, af)
			ids = append(ids, f.ID)
		}
	}
	if len(ids) == 0 {
		if kind == letters.AuditFeedback {
			return in, nil, errs.E(errs.Conflict, "该机构没有已反馈的稽核发现，不能出具反馈意见书：请先在稽核发现上“反馈机构”并填写回复期限")
		}
		return in, nil, errs.E(errs.Conflict, "该机构没有经集体审议确认的稽核发现，不能出具结论通知书")
	}
	return in, ids, nil
}

// AuditLetterDraft is the letter of kind the visit's findings make today,
// not numbered and not kept.
func (s *Store) AuditLetterDraft(ctx context.Context, viewer access.Principal, visitID int64, kind letters.AuditKind) (pdf.Letter, []int64, error) {
	v, c, err := s.VisitCampaign(ctx, viewer, visitID)
	if err != nil {
		return pdf.Letter{}, nil, err
	}
	fs, err := s.VisitFindings(ctx, viewer, visitID)
	if err != nil {
		return pdf.Letter{}, nil, err
	}
	in, ids, err := auditLetterInput(v, c, fs, kind, s.now().In(cst), DraftNumber)
	if err != nil {
		return pdf.Letter{}, nil, err
	}
	l, err := letters.ComposeAudit(in)
	return l, ids, err
}

// IssueAuditLetter issues the letter of kind over the visit's findings
// that belong in it, under the visit's row lock (two issuers at once get
// two letters, each numbered once).
func (s *Store) IssueAuditLetter(ctx context.Context, actor access.Principal, visitID int64, kind letters.AuditKind) (AuditLetter, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return AuditLetter{}, errs.E(errs.Forbidden, "无权出具稽核文书")
	}
	var out AuditLetter
	err := s.write(ctx, actor, func(t *tx) error {
		v, c, err := t.visitForUpdate(ctx, visitID)
		if err != nil {
			return err
		}
		rows, err := t.QueryContext(ctx, `SELECT `+fieldFindingCols+` FROM audit_field_findings WHERE visit_id = $1 ORDER BY id`, v.ID)
		if err != nil {
			return err
		}
		fs, err := collect(rows, scanFieldFinding)
		if err != nil {
			return err
		}
		now := t.now.In(cst)
		if _, _, err := auditLetterInput(v, c, fs, kind, now, ""); err != nil {
			return err
		}
		var seq int64
		if err := t.QueryRowContext(ctx, `INSERT INTO letter_numbers (region_code, kind, year, last) VALUES ($1, $2, $3, 1)
			ON CONFLICT (region_code, kind, year) DO UPDATE SET last = letter_numbers.last + 1 RETURNING last`,
			c.Region, "audit_"+string(kind), now.Year()).Scan(&seq); err != nil {
			return fmt.Errorf("store: audit letter number: %w", err)
		}
		number := letters.AuditNumber(registry.RegionNames()[c.Region], kind, now.Year(), seq)
		in, ids, err := auditLetterInput(v, c, fs, kind, now, number)
		if err != nil {
			return err
		}
		l, err := letters.ComposeAudit(in)
		if err != nil {
			return err
		}
		if _, err := pdf.Render(l); err != nil {
			return err // a character the font lacks: refused now, not at every download
		}
		plain, err := json.Marshal(l)
		if err != nil {
			return err
		}
		idsJSON, _ := json.Marshal(ids)
		out = AuditLetter{VisitID: v.ID, CampaignID: c.ID, Kind: kind, Number: number, IssuedOn: now.Format(time.DateOnly), FindingIDs: ids,
			Region: v.County, CreatedAt: t.now, CreatedBy: actor.Username}
		content := base64.StdEncoding.EncodeToString(t.s.pii.Seal(string(plain)))
		out.ID, err = t.insertAudited(ctx, "audit_letters", []string{"visit_id", "campaign_id", "kind", "number", "issued_on", "finding_ids", "content",
			"region_code", "created_at", "created_by"}, []any{v.ID, c.ID, string(kind), number, out.IssuedOn, string(idsJSON), content, v.County, t.now, actor.Username},
			"supervision.letter.issue", "audit_letter", v.County, func(id int64) any { x := out; x.ID = id; return x })
		return err
	})
	return out, err
}

const auditLetterCols = `id, visit_id, campaign_id, kind, number, issued_on, finding_ids, region_code, created_at, created_by`

func scanAuditLetter(r interface{ Scan(...any) error }) (AuditLetter, error) {
	var l AuditLetter
	var kind, ids string
	err := r.Scan(&l.ID, &l.VisitID, &l.CampaignID, &kind, &l.Number, &l.IssuedOn, &ids, &l.Region, &l.CreatedAt, &l.CreatedBy)
	l.Kind = letters.AuditKind(kind)
	_ = json.Unmarshal([]byte(ids), &l.FindingIDs)
	return l, err
}

// AuditLetters lists the letters issued for a visit, oldest first.
func (s *Store) AuditLetters(ctx context.Context, viewer access.Principal, visitID int64) ([]AuditLetter, error) {
	if _, err := s.FindVisit(ctx, viewer, visitID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditLetterCols+` FROM audit_letters WHERE visit_id = $1 ORDER BY id`, visitID)
	if err != nil {
		return nil, fmt.Errorf("store: audit letters: %w", err)
	}
	return collect(rows, scanAuditLetter)
}

// AuditLetterDoc is an issued letter and its fixed content.
func (s *Store) AuditLetterDoc(ctx context.Context, viewer access.Principal, id int64) (AuditLetter, pdf.Letter, error) {
	var content string
	l, err := scanAuditLetter(s.db.QueryRowContext(ctx, `SELECT `+auditLetterCols+` FROM audit_letters WHERE id = $1`, id))
	if err == nil {
		err = s.db.QueryRowContext(ctx, `SELECT content FROM audit_letters WHERE id = $1`, id).Scan(&content)
	}
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: l.Region}) {
		return AuditLetter{}, pdf.Letter{}, errs.E(errs.NotFound, "文书不存在")
	}
	if err != nil {
		return l, pdf.Letter{}, err
	}
	sealed, err := base64.StdEncoding.DecodeString(content)
	if err != nil {
		return l, pdf.Letter{}, fmt.Errorf("store: audit letter content: %w", err)
	}
	plain, err := s.pii.Open(sealed)
	if err != nil {
		return l, pdf.Letter{}, fmt.Errorf("store: audit letter content: %w", err)
	}
	var doc pdf.Letter
	if err := json.Unmarshal([]byte(plain), &doc); err != nil {
		return l, pdf.Letter{}, fmt.Errorf("store: audit letter content: %w", err)
	}
	return l, doc, nil
}
