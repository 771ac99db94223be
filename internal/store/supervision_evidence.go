package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// On-site evidence (现场取证, fund-audit.md §5.5 step 3): notes taken on a
// visit, photos (bed checks, stock shelves) and documents (copied records,
// signed interview notes), each on a visit and optionally tied to one of
// its findings. A file's bytes are in the file store by SHA-256, typed by
// its first bytes (PDF, JPEG or PNG) and limited in size by the store.
// Only a campaign drawn or on site takes evidence; once closed its record
// is final.
//
// Who adds evidence: the fly-check rules let third parties, commercial
// insurers among them, assist an inspection (§5.1), so the partner
// insurer's staff (PermSupervisionScreen) may add notes and photos of what
// they saw on site; documents — the records and statements a finding rests
// on — are the officers' (PermSupervisionReview). The insurer sees personal
// data masked (no PermPersonalData), and a note or a photo of records
// cannot be masked: it reads its own evidence in full and of the rest only
// the kind, title, author and time (Withheld); another's file is not found
// for it, as an object outside one's region is.
//
// A visit is marked visited (the campaign goes on site with its first
// visit) and closed once every finding of it is closed or dismissed; a
// campaign is closed once every visit is closed and no recovery is open.
// An inspector retired from the pool is no longer drawn and still shows
// on the teams of past draws.

// Evidence kinds.
const (
	EvidenceNote     = "note"
	EvidencePhoto    = "photo"
	EvidenceDocument = "document"
)

// EvidenceKinds names the kinds.
var EvidenceKinds = map[string]string{EvidenceNote: "现场记录", EvidencePhoto: "照片", EvidenceDocument: "书证材料"}

// MaxEvidenceTitle is the longest evidence title.
const MaxEvidenceTitle = 100

// Evidence is one item of on-site evidence.
type Evidence struct {
	ID          int64     `json:"id"`
	CampaignID  int64     `json:"campaign_id"`
	VisitID     int64     `json:"visit_id"`
	FindingID   int64     `json:"finding_id,omitempty"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Note        string    `json:"note,omitempty"`
	SHA256      string    `json:"sha256,omitempty"`
	ContentType string    `json:"content_type,omitempty"`
	Size        int64     `json:"size,omitempty"`
	FileName    string    `json:"file_name,omitempty"`
	Region      string    `json:"region_code"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	// Withheld: the viewer (the insurer's staff) may not read this item's
	// note or file, only that it exists.
	Withheld bool `json:"withheld,omitempty"`
}

// HasFile reports whether the item is a stored file.
func (e Evidence) HasFile() bool { return e.SHA256 != "" }

// KindName names the item's kind.
func (e Evidence) KindName() string { return EvidenceKinds[e.Kind] }

// EvidenceInput is what AddEvidence records; Kind "" with a file is a
// photo for an image, a document for a PDF.
type EvidenceInput struct {
	VisitID   int64
	FindingID int64
	Kind      string
	Title     string
	Note      string
	FileName  string
}

// mayAddEvidence: auditors add any kind, the insurer's staff (assisting)
// notes and photos.
func mayAddEvidence(actor access.Principal, kind string) error {
	if actor.Can(access.PermSupervisionReview) {
		return nil
	}
	if actor.Can(access.PermSupervisionScreen) && kind != EvidenceDocument {
		return nil
	}
	if actor.Can(access.PermSupervisionScreen) {
		return errs.E(errs.Forbidden, "协助检查人员可登记现场记录和照片，书证材料由稽核人员登记")
	}
	return errs.E(errs.Forbidden, "无权登记现场证据")
}

// withheld reports whether viewer may not read e's content.
func withheld(viewer access.Principal, e Evidence) bool {
	return !viewer.Can(access.PermPersonalData) && e.CreatedBy != viewer.Username
}

func validEvidence(in *EvidenceInput, file bool) error {
	in.Title, in.Note = strings.TrimSpace(in.Title), strings.TrimSpace(in.Note)
	var fs errs.Fields
	switch in.Kind {
	case EvidenceNote:
		if file {
			fs.Add("file", "note", "现场记录不附文件；照片或书证材料请选择相应类型")
		}
		if in.Note == "" {
			fs.Add("note", "required", "现场记录内容不能为空")
		}
	case EvidencePhoto, EvidenceDocument, "":
		if !file {
			fs.Add("file", "required", "请选择要上传的文件（PDF、JPEG或PNG）")
		}
	default:
		fs.Add("kind", "choice", "证据类型应为现场记录、照片或书证材料")
	}
	if n := utf8.RuneCountInString(in.Title); n == 0 || n > MaxEvidenceTitle {
		fs.Add("title", "required", "证据名称不能为空，最多%d字", MaxEvidenceTitle)
	}
	if n := utf8.RuneCountInString(in.Note); n > MaxFindingText {
		fs.Add("note", "too_long", "说明过长（%d字），最多%d字", n, MaxFindingText)
	}
	if r := []rune(strings.TrimSpace(in.FileName)); len(r) > 100 {
		in.FileName = string(r[:100])
	} else {
		in.FileName = string(r)
	}
	return fs.Err()
}

// AddEvidence records a note (file nil) or a file on a visit of a campaign
// drawn or on site, optionally tied to one of the visit's findings; the
// file goes into the file store first (an upload refused afterwards
// leaves its bytes unreferenced there, as a case upload's would).
func (s *Store) AddEvidence(ctx context.Context, actor access.Principal, in EvidenceInput, file io.Reader) (Evidence, error) {
	if !actor.Can(access.PermSupervisionReview) && !actor.Can(access.PermSupervisionScreen) {
		return Evidence{}, errs.E(errs.Forbidden, "无权登记现场证据")
	}
	if err := validEvidence(&in, file != nil); err != nil {
		return Evidence{}, err
	}
	if in.Kind != "" {
		if err := mayAddEvidence(actor, in.Kind); err != nil {
			return Evidence{}, err
		}
	}
	v, err := s.FindVisit(ctx, actor, in.VisitID)
	if err != nil {
		return Evidence{}, err
	}
	if c, err := s.FindCampaignAny(ctx, v.CampaignID); err != nil {
		return Evidence{}, err
	} else if err := evidenceOpen(c); err != nil {
		return Evidence{}, err
	}
	var ref blob.Ref
	if file != nil {
		if s.files == nil {
			return Evidence{}, errNoFiles
		}
		if ref, err = s.files.Put(ctx, file); err != nil {
			return Evidence{}, err
		}
		switch {
		case in.Kind == "" && ref.Type == blob.PDF:
			in.Kind = EvidenceDocument
		case in.Kind == "":
			in.Kind = EvidencePhoto
		case in.Kind == EvidencePhoto && ref.Type == blob.PDF:
			return Evidence{}, errs.Field("file", "file_type", "照片应为JPEG或PNG图片；PDF文件请作为书证材料上传")
		}
		if err := mayAddEvidence(actor, in.Kind); err != nil {
			return Evidence{}, err
		}
		if in.FileName == "" {
			in.FileName = in.Title
		}
	}
	e := Evidence{VisitID: in.VisitID, FindingID: in.FindingID, Kind: in.Kind, Title: in.Title, Note: in.Note, SHA256: ref.SHA256,
		ContentType: ref.Type, Size: ref.Size, CreatedBy: actor.Username}
	if file != nil {
		e.FileName = in.FileName
	}
	err = s.write(ctx, actor, func(t *tx) error {
		v, err := scanVisit(t.QueryRowContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code WHERE v.id = $1`, in.VisitID))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: v.County}) {
			return errs.E(errs.NotFound, "检查对象不存在")
		}
		if err != nil {
			return err
		}
		// under the campaign's lock: a close waits, or this add finds it closed
		c, err := scanCampaign(t.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`+t.s.engine.forUpdate(), v.CampaignID))
		if err != nil {
			return err
		}
		if err := evidenceOpen(c); err != nil {
			return err
		}
		var finding any
		if in.FindingID != 0 {
			var visit int64
			err := t.QueryRowContext(ctx, `SELECT visit_id FROM audit_field_findings WHERE id = $1`, in.FindingID).Scan(&visit)
			if errors.Is(err, sql.ErrNoRows) || err == nil && visit != v.ID {
				return errs.Field("finding_id", "unknown", "稽核发现%d不属于该检查对象", in.FindingID)
			}
			if err != nil {
				return err
			}
			finding = in.FindingID
		}
		e.CampaignID, e.Region, e.CreatedAt = c.ID, v.County, t.now
		id, err := t.insertAudited(ctx, "audit_evidence", []string{"campaign_id", "visit_id", "finding_id", "kind", "title", "note", "sha256",
			"content_type", "size", "file_name", "region_code", "created_at", "created_by"},
			[]any{c.ID, v.ID, finding, e.Kind, e.Title, e.Note, e.SHA256, e.ContentType, e.Size, e.FileName, e.Region, t.now, e.CreatedBy},
			"supervision.evidence.add", "evidence", e.Region, func(id int64) any { x := e; x.ID = id; return x })
		e.ID = id
		return err
	})
	return e, err
}

func evidenceOpen(c Campaign) error {
	if c.State != "drawn" && c.State != "on_site" {
		return errs.E(errs.Conflict, "稽核计划%s，不能登记现场证据", CampaignStates[c.State])
	}
	return nil
}

// FindCampaignAny reads a campaign by id for a caller that has checked
// access through one of its visits (a visit's county may see it while the
// campaign belongs to the city's planner).
func (s *Store) FindCampaignAny(ctx context.Context, id int64) (Campaign, error) {
	c, err := scanCampaign(s.db.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, errs.E(errs.NotFound, "稽核计划不存在")
	}
	return c, err
}

const evidenceCols = `id, campaign_id, visit_id, COALESCE(finding_id, 0), kind, title, note, sha256, content_type, size, file_name, region_code, created_at, created_by`

func scanEvidence(r interface{ Scan(...any) error }) (Evidence, error) {
	var e Evidence
	err := r.Scan(&e.ID, &e.CampaignID, &e.VisitID, &e.FindingID, &e.Kind, &e.Title, &e.Note, &e.SHA256, &e.ContentType, &e.Size,
		&e.FileName, &e.Region, &e.CreatedAt, &e.CreatedBy)
	return e, err
}

func maskEvidence(viewer access.Principal, e Evidence) Evidence {
	if withheld(viewer, e) {
		e.Withheld, e.Note, e.FileName = true, "", ""
	}
	return e
}

// VisitEvidence lists a visit's evidence in the viewer's scope, oldest
// first: findingID 0 all of it, else what is tied to that finding.
func (s *Store) VisitEvidence(ctx context.Context, viewer access.Principal, visitID, findingID int64) ([]Evidence, error) {
	lo, hi := viewer.Scope().Range()
	q := `SELECT ` + evidenceCols + ` FROM audit_evidence WHERE visit_id = $1 AND region_code >= $2 AND region_code < $3`
	args := []any{visitID, lo, hi}
	if findingID != 0 {
		q += ` AND finding_id = $4`
		args = append(args, findingID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: evidence: %w", err)
	}
	list, err := collect(rows, scanEvidence)
	for i := range list {
		list[i] = maskEvidence(viewer, list[i])
	}
	return list, err
}

// FindEvidence reads one item the viewer may see (masked for the
// insurer's staff unless their own).
func (s *Store) FindEvidence(ctx context.Context, viewer access.Principal, id int64) (Evidence, error) {
	e, err := scanEvidence(s.db.QueryRowContext(ctx, `SELECT `+evidenceCols+` FROM audit_evidence WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: e.Region}) {
		return Evidence{}, errs.E(errs.NotFound, "现场证据不存在")
	}
	return maskEvidence(viewer, e), err
}

// OpenEvidence opens an item's stored file; a note has none.
func (s *Store) OpenEvidence(ctx context.Context, viewer access.Principal, id int64) (io.ReadCloser, Evidence, error) {
	if s.files == nil {
		return nil, Evidence{}, errNoFiles
	}
	e, err := s.FindEvidence(ctx, viewer, id)
	if err != nil {
		return nil, e, err
	}
	if e.Withheld {
		return nil, e, errs.E(errs.NotFound, "该证据可能含个人信息，仅可查看个人信息的人员和上传人可查看")
	}
	if !e.HasFile() {
		return nil, e, errs.E(errs.NotFound, "该证据是现场记录，没有文件")
	}
	rc, err := s.files.Open(ctx, e.SHA256)
	return rc, e, err
}

// visitForUpdate reads a visit under its row lock and its campaign under
// the campaign's, refusing what the actor may not see.
func (t *tx) visitForUpdate(ctx context.Context, id int64) (CampaignVisit, Campaign, error) {
	v, err := scanVisit(t.QueryRowContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code
		WHERE v.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !t.actor.MaySee(access.Owners{Region: v.County}) {
		return v, Campaign{}, errs.E(errs.NotFound, "检查对象不存在")
	}
	if err != nil {
		return v, Campaign{}, err
	}
	c, err := scanCampaign(t.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`+t.s.engine.forUpdate(), v.CampaignID))
	if err != nil {
		return v, c, err
	}
	// the visit's version, read again under its lock
	if err := t.QueryRowContext(ctx, `SELECT state, version FROM audit_visits WHERE id = $1`+t.s.engine.forUpdate(), id).Scan(&v.State, &v.Version); err != nil {
		return v, c, err
	}
	return v, c, nil
}

// VisitStates names a visit's states.
var VisitStates = map[string]string{"planned": "待检查", "visited": "已检查", "closed": "已办结"}

// MarkVisited records that a visit of a drawn campaign took place (still
// at version expected); the campaign goes on site with its first visit.
func (s *Store) MarkVisited(ctx context.Context, actor access.Principal, id, expected int64) (CampaignVisit, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return CampaignVisit{}, errs.E(errs.Forbidden, "无权办理检查对象")
	}
	var out CampaignVisit
	err := s.write(ctx, actor, func(t *tx) error {
		v, c, err := t.visitForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if v.Version != expected {
			return staleVersion()
		}
		if c.State != "drawn" && c.State != "on_site" {
			return errs.E(errs.Conflict, "稽核计划%s，不能登记现场检查", CampaignStates[c.State])
		}
		if v.State != "planned" {
			return errs.E(errs.Conflict, "检查对象%s，不能再登记为已检查", VisitStates[v.State])
		}
		if err := t.setVisitState(ctx, v, "visited"); err != nil {
			return err
		}
		out = v
		out.State, out.Version = "visited", v.Version+1
		if err := t.audit(ctx, "supervision.visit.visited", "visit", id, v.County, v, out); err != nil {
			return err
		}
		if c.State == "drawn" {
			if _, err := t.ExecContext(ctx, `UPDATE audit_campaigns SET state = 'on_site', version = version + 1 WHERE id = $1 AND state = 'drawn'`, c.ID); err != nil {
				return err
			}
			after := c
			after.State, after.Version = "on_site", c.Version+1
			return t.audit(ctx, "supervision.campaign.on_site", "campaign", c.ID, c.Region, c, after)
		}
		return nil
	})
	return out, err
}

func (t *tx) setVisitState(ctx context.Context, v CampaignVisit, state string) error {
	res, err := t.ExecContext(ctx, `UPDATE audit_visits SET state = $1, version = version + 1 WHERE id = $2 AND version = $3`, state, v.ID, v.Version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleVersion()
	}
	return nil
}

// CloseVisit closes a visited visit (still at version expected) whose
// findings are all closed or dismissed.
func (s *Store) CloseVisit(ctx context.Context, actor access.Principal, id, expected int64) (CampaignVisit, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return CampaignVisit{}, errs.E(errs.Forbidden, "无权办理检查对象")
	}
	var out CampaignVisit
	err := s.write(ctx, actor, func(t *tx) error {
		v, c, err := t.visitForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if v.Version != expected {
			return staleVersion()
		}
		if c.State == "closed" {
			return errs.E(errs.Conflict, "稽核计划已结束")
		}
		if v.State != "visited" {
			return errs.E(errs.Conflict, "检查对象%s，只有已检查的对象可以办结", VisitStates[v.State])
		}
		open, err := t.openFindings(ctx, `visit_id = $1`, v.ID)
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return errs.E(errs.Conflict, "检查对象还有%d项稽核发现未办结或未驳回（%s），不能办结", len(open), strings.Join(open, "、"))
		}
		if err := t.setVisitState(ctx, v, "closed"); err != nil {
			return err
		}
		out = v
		out.State, out.Version = "closed", v.Version+1
		return t.audit(ctx, "supervision.visit.close", "visit", id, v.County, v, out)
	})
	return out, err
}

// openFindings names the findings matching cond ($1: arg) that are
// neither closed nor dismissed, at most ten and a count of the rest.
func (t *tx) openFindings(ctx context.Context, cond string, arg int64) ([]string, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, state FROM audit_field_findings WHERE `+cond+` AND state NOT IN ('closed', 'dismissed') ORDER BY id`, arg)
	if err != nil {
		return nil, err
	}
	names, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var id int64
		var state string
		err := r.Scan(&id, &state)
		return fmt.Sprintf("稽核发现%d%s", id, supervision.FindingState(state).Name()), err
	})
	return shortList(names), err
}

// shortList keeps ten names and counts the rest.
func shortList(names []string) []string {
	if len(names) > 10 {
		return append(names[:10:10], fmt.Sprintf("等%d项", len(names)))
	}
	return names
}

// CloseCampaign closes a campaign on site (still at version expected)
// once every visit is closed, every finding closed or dismissed and no
// recovery open; a refusal lists what is still open.
func (s *Store) CloseCampaign(ctx context.Context, actor access.Principal, id, expected int64) (Campaign, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Campaign{}, errs.E(errs.Forbidden, "无权结束稽核计划")
	}
	var out Campaign
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := scanCampaign(t.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`+t.s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: before.Region}) {
			return errs.E(errs.NotFound, "稽核计划不存在")
		}
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.State != "on_site" {
			return errs.E(errs.Conflict, "稽核计划%s，只有现场检查中的计划可以结束", CampaignStates[before.State])
		}
		var open []string
		rows, err := t.QueryContext(ctx, `SELECT v.fixmedins_code, COALESCE(i.name, v.name), v.state FROM audit_visits v
			LEFT JOIN institutions i ON i.code = v.fixmedins_code WHERE v.campaign_id = $1 AND v.state <> 'closed' ORDER BY v.id`, id)
		if err != nil {
			return err
		}
		visits, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
			var code, name, state string
			err := r.Scan(&code, &name, &state)
			if name != "" {
				code = name + "（" + code + "）"
			}
			return code + VisitStates[state], err
		})
		if err != nil {
			return err
		}
		if len(visits) > 0 {
			open = append(open, fmt.Sprintf("%d个检查对象未办结：%s", len(visits), strings.Join(shortList(visits), "、")))
		}
		findings, err := t.openFindings(ctx, `campaign_id = $1`, id)
		if err != nil {
			return err
		}
		if len(findings) > 0 {
			open = append(open, "稽核发现未办结或未驳回："+strings.Join(findings, "、"))
		}
		rows, err = t.QueryContext(ctx, `SELECT r.id, r.amount_fen, r.recovered_fen FROM audit_recoveries r
			JOIN audit_field_findings f ON f.id = r.finding_id WHERE f.campaign_id = $1 AND r.state = 'open' ORDER BY r.id`, id)
		if err != nil {
			return err
		}
		recs, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
			var rid, fen, back int64
			err := r.Scan(&rid, &fen, &back)
			return fmt.Sprintf("追回%d（%s元，已追回%s元）", rid, supervision.YuanText(fen), supervision.YuanText(back)), err
		})
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			open = append(open, "追回未办结："+strings.Join(shortList(recs), "、"))
		}
		if len(open) > 0 {
			return errs.E(errs.Conflict, "稽核计划还有未办结事项，不能结束。%s", strings.Join(open, "；"))
		}
		res, err := t.ExecContext(ctx, `UPDATE audit_campaigns SET state = 'closed', version = version + 1 WHERE id = $1 AND version = $2`, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = before
		out.State, out.Version = "closed", before.Version+1
		return t.audit(ctx, "supervision.campaign.close", "campaign", id, before.Region, before, out)
	})
	return out, err
}

// RetireInspector takes an inspector out of the pool (still at version
// expected): no later draw takes them; past teams still name them.
func (s *Store) RetireInspector(ctx context.Context, actor access.Principal, id, expected int64) (Inspector, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Inspector{}, errs.E(errs.Forbidden, "无权管理稽核人员")
	}
	var out Inspector
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := scanInspector(t.QueryRowContext(ctx, `SELECT `+inspectorCols+` FROM audit_inspectors WHERE id = $1`+t.s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: before.County}) {
			return errs.E(errs.NotFound, "稽核人员不存在")
		}
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if !before.Active {
			return errs.E(errs.Conflict, "稽核人员%s已退出人员库", before.Name)
		}
		res, err := t.ExecContext(ctx, `UPDATE audit_inspectors SET active = FALSE, version = version + 1 WHERE id = $1 AND version = $2`, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		out = before
		out.Active, out.Version = false, before.Version+1
		return t.audit(ctx, "supervision.inspector.retire", "inspector", id, before.County, before, out)
	})
	return out, err
}
