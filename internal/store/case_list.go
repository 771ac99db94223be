package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
)

// QueueFilter selects the open agency steps of a work queue.
type QueueFilter struct {
	RegionCode string
	Kinds      []casebundle.ServiceKind // any of these services; all when empty
	State      casebundle.State
	Simple     *bool
	Overdue    bool
	AssigneeID int64 // steps taken on by this officer (认领)
	Page
}

// QueueRow is one open step in a work queue.
type QueueRow struct {
	ServiceID  int64
	CaseID     int64
	Number     string
	RegionCode string
	Kind       casebundle.ServiceKind
	State      casebundle.State
	Step       string
	Due        string
	Overdue    bool
	Simple     bool
	WorkerName string
	Employer   string
	InjuryDate string
	AssigneeID int64
}

// CaseQueue lists the open agency steps in scope, the soonest due first
// (an overdue step has the earliest date), served by the partial indexes
// on (region_code, due_date, id) and (due_date, id) of 0014.
func (s *Store) CaseQueue(ctx context.Context, scope access.Scope, f QueueFilter) ([]QueueRow, int, error) {
	w := newWhere(scope, f.RegionCode)
	w.sql += " AND party = 'agency'"
	if len(f.Kinds) > 0 {
		marks := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			w.args = append(w.args, string(k))
			marks[i] = fmt.Sprintf("$%d", len(w.args))
		}
		w.sql += " AND kind IN (" + strings.Join(marks, ", ") + ")"
	}
	if f.State != "" {
		w.eq("state", string(f.State))
	}
	if f.Simple != nil {
		w.eq("simple", *f.Simple)
	}
	if f.Overdue {
		w.eq("overdue", true)
	}
	if f.AssigneeID > 0 {
		w.eq("assignee_id", f.AssigneeID)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_services WHERE `+w.sql, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: case queue: %w", err)
	}
	pg := f.Page.normalize()
	q := `SELECT s.id, s.case_id, s.region_code, s.kind, s.state, s.step, s.due_date, s.overdue, s.simple,
		c.number, c.injury_date, wk.name, e.name, COALESCE(s.assignee_id, 0)
		FROM (SELECT id, case_id, region_code, kind, state, step, due_date, overdue, simple, assignee_id FROM case_services` + s.queueIndex(f) + ` WHERE ` + w.sql +
		w.page("due_date, id", pg) + `) s
		JOIN cases c ON c.id = s.case_id JOIN workers wk ON wk.id = c.worker_id JOIN employers e ON e.id = c.employer_id
		ORDER BY s.due_date, s.id`
	rows, err := s.db.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: case queue: %w", err)
	}
	defer rows.Close()
	var out []QueueRow
	for rows.Next() {
		var r QueueRow
		if err := rows.Scan(&r.ServiceID, &r.CaseID, &r.RegionCode, &r.Kind, &r.State, &r.Step, &r.Due, &r.Overdue, &r.Simple,
			&r.Number, &r.InjuryDate, &r.WorkerName, &r.Employer, &r.AssigneeID); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// queueIndex names, on SQLite, the due-order index for a queue page: read
// in due order until a page has matched, instead of sorting every open
// step of a city (measured at 1,000,000 cases: seconds). PostgreSQL's
// planner weighs both indexes from its statistics. An officer's own queue
// keeps its assignee index.
func (s *Store) queueIndex(f QueueFilter) string {
	if s.engine != SQLite || f.AssigneeID > 0 {
		return ""
	}
	return " INDEXED BY case_services_due"
}

// CaseSummary is one case in a list of a worker's or an employer's cases.
type CaseSummary struct {
	ID          int64
	Number      string
	InjuryDate  string
	WorkerName  string
	Employer    string
	Recognition casebundle.State
	CreatedAt   string
}

// CasesOf lists the cases the viewer owns (a worker's own, an employer's)
// or, for staff, those of a worker or employer in scope; newest first.
func (s *Store) CasesOf(ctx context.Context, viewer access.Principal, workerID, employerID int64) ([]CaseSummary, error) {
	var cond string
	var arg int64
	switch {
	case viewer.Kind == access.KindWorker:
		cond, arg = "c.worker_id = $1", viewer.WorkerID
	case viewer.Kind == access.KindEmployer:
		cond, arg = "c.employer_id = $1", viewer.EmployerID
	case workerID > 0:
		cond, arg = "c.worker_id = $1", workerID
	case employerID > 0:
		cond, arg = "c.employer_id = $1", employerID
	default:
		return nil, errs.E(errs.Invalid, "请指定职工或用人单位")
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.number, c.injury_date, wk.name, e.name, c.region_code, c.worker_id, c.employer_id,
		(SELECT state FROM case_services WHERE case_id = c.id AND kind = 'recognition'), c.application_date
		FROM cases c JOIN workers wk ON wk.id = c.worker_id JOIN employers e ON e.id = c.employer_id
		WHERE `+cond+` ORDER BY c.id DESC LIMIT 200`, arg)
	if err != nil {
		return nil, fmt.Errorf("store: cases of: %w", err)
	}
	defer rows.Close()
	var out []CaseSummary
	for rows.Next() {
		var cs CaseSummary
		var region string
		var wid, eid int64
		if err := rows.Scan(&cs.ID, &cs.Number, &cs.InjuryDate, &cs.WorkerName, &cs.Employer, &region, &wid, &eid, &cs.Recognition, &cs.CreatedAt); err != nil {
			return nil, err
		}
		if viewer.MaySee(access.Owners{Region: region, WorkerID: wid, EmployerIDs: []int64{eid}}) {
			out = append(out, cs)
		}
	}
	return out, rows.Err()
}

// CaseEvent is one line of a case's history.
type CaseEvent struct {
	ServiceID int64
	Action    string
	From, To  casebundle.State
	On        string
	Note      string
	ActorName string
	ActorKind access.Kind
	ActorRole access.Role
}

// CaseHistory lists a case's events, oldest first; the caller has read
// the case (FindCase) and so may see it.
func (s *Store) CaseHistory(ctx context.Context, caseID int64) ([]CaseEvent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT COALESCE(service_id, 0), action, from_state, to_state, on_date, note, actor_name, actor_kind, actor_role
		FROM case_events WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: case history: %w", err)
	}
	defer rows.Close()
	var out []CaseEvent
	for rows.Next() {
		var e CaseEvent
		if err := rows.Scan(&e.ServiceID, &e.Action, &e.From, &e.To, &e.On, &e.Note, &e.ActorName, &e.ActorKind, &e.ActorRole); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CaseFile is one uploaded material of a case.
type CaseFile struct {
	ID          int64
	Material    string
	SHA256      string
	Size        int64
	ContentType string
	FileName    string
	UploadedAt  time.Time
}

// AddCaseFile records an uploaded file (already in the blob store) as a
// material of a case the actor may act on. The same content for the same
// material is recorded once.
func (s *Store) AddCaseFile(ctx context.Context, actor access.Principal, caseID int64, material, fileName string, ref blob.Ref) (CaseFile, error) {
	m, ok := casebundle.MaterialByCode(material)
	if !ok || !m.Upload {
		return CaseFile{}, errs.Field("material", "unknown", "请选择材料类型（系统已掌握的材料无需上传）")
	}
	if actor.Kind == access.KindStaff && !actor.Can(access.PermCaseOpen) && !actor.Can(access.PermCaseRecognize) && !actor.Can(access.PermCaseAssess) {
		return CaseFile{}, errs.E(errs.Forbidden, "您的角色不能上传案件材料")
	}
	name := strings.TrimSpace(fileName)
	if name == "" {
		name = m.Name
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[:100])
	}
	f := CaseFile{Material: material, SHA256: ref.SHA256, Size: ref.Size, ContentType: ref.Type, FileName: name}
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		var known int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_files WHERE case_id = $1 AND material = $2`, caseID, material).Scan(&known); err != nil {
			return fmt.Errorf("store: case file: %w", err)
		}
		var uploader any
		if actor.UserID != 0 {
			uploader = actor.UserID
		}
		res, err := t.ExecContext(ctx, `INSERT INTO case_files (case_id, material, sha256, size, content_type, file_name, uploaded_by, uploaded_kind, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (case_id, material, sha256) DO NOTHING`,
			caseID, material, ref.SHA256, ref.Size, ref.Type, name, uploader, string(actor.Kind), t.now)
		if err != nil {
			return fmt.Errorf("store: case file: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // the same file again
		}
		if known == 0 { // documents per case count each material once
			if _, err := t.ExecContext(ctx, `UPDATE cases SET uploads = uploads + 1 WHERE id = $1`, caseID); err != nil {
				return fmt.Errorf("store: case uploads: %w", err)
			}
			if err := t.countApplication(ctx, &c, 0, 1); err != nil {
				return err
			}
		}
		ev := casebundle.Event{Action: "upload", On: t.s.today().Format("2006-01-02"), Note: m.Name + "：" + name}
		if err := t.caseEvents(ctx, &c, []casebundle.Event{ev}); err != nil {
			return err
		}
		return t.audit(ctx, "case.upload", "case", caseID, c.RegionCode, nil, map[string]any{"material": material, "sha256": ref.SHA256, "size": ref.Size, "type": ref.Type})
	})
	return f, err
}

// CaseFiles lists a case's uploaded materials; the caller has read the case.
func (s *Store) CaseFiles(ctx context.Context, caseID int64) ([]CaseFile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, material, sha256, size, content_type, file_name, uploaded_at FROM case_files WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: case files: %w", err)
	}
	defer rows.Close()
	var out []CaseFile
	for rows.Next() {
		var f CaseFile
		if err := rows.Scan(&f.ID, &f.Material, &f.SHA256, &f.Size, &f.ContentType, &f.FileName, &f.UploadedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// errNoFiles refuses uploads and letters of a store opened without Files.
var errNoFiles = errors.New("store: no file store configured (Options.Files)")

// PutCaseFile stores an upload (type- and size-checked by the file store)
// and records it as a material of a case the actor may see and act on.
func (s *Store) PutCaseFile(ctx context.Context, actor access.Principal, caseID int64, material, fileName string, r io.Reader) (CaseFile, error) {
	if s.files == nil {
		return CaseFile{}, errNoFiles
	}
	if _, err := s.FindCase(ctx, actor, caseID); err != nil {
		return CaseFile{}, err
	}
	if m, ok := casebundle.MaterialByCode(material); !ok || !m.Upload {
		return CaseFile{}, errs.Field("material", "unknown", "请选择材料类型（系统已掌握的材料无需上传）")
	}
	ref, err := s.files.Put(ctx, r)
	if err != nil {
		return CaseFile{}, err
	}
	return s.AddCaseFile(ctx, actor, caseID, material, fileName, ref)
}

// OpenCaseFile opens an uploaded file of a case the viewer may see; a file
// of another case (or region) is not found.
func (s *Store) OpenCaseFile(ctx context.Context, viewer access.Principal, caseID, fileID int64) (io.ReadCloser, CaseFile, error) {
	if s.files == nil {
		return nil, CaseFile{}, errNoFiles
	}
	if _, err := s.FindCase(ctx, viewer, caseID); err != nil {
		return nil, CaseFile{}, err
	}
	var f CaseFile
	err := s.db.QueryRowContext(ctx, `SELECT id, material, sha256, size, content_type, file_name, uploaded_at FROM case_files WHERE id = $1 AND case_id = $2`,
		fileID, caseID).Scan(&f.ID, &f.Material, &f.SHA256, &f.Size, &f.ContentType, &f.FileName, &f.UploadedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, f, errs.E(errs.NotFound, "文件不存在")
	}
	if err != nil {
		return nil, f, fmt.Errorf("store: case file: %w", err)
	}
	rc, err := s.files.Open(ctx, f.SHA256)
	return rc, f, err
}

// CaseLetter is one issued letter of a case: its bytes are in the file
// store, so every download gives the same bytes.
type CaseLetter struct {
	ID        int64
	ServiceID int64
	Kind      string // letters.Kind
	Number    string
	IssuedOn  string
	SHA256    string
	Size      int64
}

// CaseLetters lists a case's letters, oldest first; the caller has read
// the case. SHA256 is empty until the letter is printed.
func (s *Store) CaseLetters(ctx context.Context, caseID int64) ([]CaseLetter, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, COALESCE(service_id, 0), kind, number, issued_on, COALESCE(sha256, ''), COALESCE(size, 0)
		FROM case_letters WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: case letters: %w", err)
	}
	defer rows.Close()
	var out []CaseLetter
	for rows.Next() {
		var l CaseLetter
		if err := rows.Scan(&l.ID, &l.ServiceID, &l.Kind, &l.Number, &l.IssuedOn, &l.SHA256, &l.Size); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// OpenCaseLetter opens a letter of a case the viewer may see, printing it
// first if no job has yet.
func (s *Store) OpenCaseLetter(ctx context.Context, viewer access.Principal, caseID, letterID int64) (io.ReadCloser, CaseLetter, error) {
	if s.files == nil {
		return nil, CaseLetter{}, errNoFiles
	}
	if _, err := s.FindCase(ctx, viewer, caseID); err != nil {
		return nil, CaseLetter{}, err
	}
	var owner int64
	err := s.db.QueryRowContext(ctx, `SELECT case_id FROM case_letters WHERE id = $1`, letterID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != caseID {
		return nil, CaseLetter{}, errs.E(errs.NotFound, "文书不存在")
	}
	if err != nil {
		return nil, CaseLetter{}, fmt.Errorf("store: case letter: %w", err)
	}
	l, err := s.RenderCaseLetter(ctx, letterID)
	if err != nil {
		return nil, l, err
	}
	rc, err := s.files.Open(ctx, l.SHA256)
	return rc, l, err
}
