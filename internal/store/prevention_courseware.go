package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
)

// An expert's courseware (培训课件) and its review (课件统一论证): a file
// per topic in numbered revisions, uploaded by whoever keeps the pool
// (the city's prevention staff, the insurer's staff), reviewed by the
// city's prevention staff only. At most one revision per expert and topic
// is approved (a partial unique index says so too): approving a revision
// supersedes the earlier approved and still submitted ones; a revision
// older than the approved one cannot be approved. A rejection says why.
//
// Courseware is a PDF: the file store types files by their first bytes
// and takes PDF, JPEG and PNG; slides are reviewed as exported to PDF (the
// fixed form that is reviewed and then taught), so an editable PPTX, a
// ZIP that could carry macros, is not taken.

// Courseware is one revision of an expert's courseware on a topic.
type Courseware struct {
	ID          int64                      `json:"id"`
	ExpertID    int64                      `json:"expert_id"`
	Region      string                     `json:"region_code"`
	Topic       string                     `json:"topic"`
	Revision    int                        `json:"revision"`
	SHA256      string                     `json:"sha256"`
	FileName    string                     `json:"file_name"`
	ContentType string                     `json:"content_type"`
	Size        int64                      `json:"size"`
	State       prevention.CoursewareState `json:"state"`
	ReviewNote  string                     `json:"review_note,omitempty"`
	ReviewedBy  string                     `json:"reviewed_by,omitempty"`
	ReviewedAt  *time.Time                 `json:"reviewed_at,omitempty"`
	CreatedAt   time.Time                  `json:"created_at"`
	CreatedBy   string                     `json:"created_by"`
	Version     int64                      `json:"version"`
}

const coursewareCols = `id, expert_id, region_code, topic, revision, sha256, file_name, content_type, size, state, review_note,
	reviewed_by, reviewed_at, created_at, created_by, version`

func scanCourseware(r interface{ Scan(...any) error }) (Courseware, error) {
	var c Courseware
	var at sql.NullTime
	err := r.Scan(&c.ID, &c.ExpertID, &c.Region, &c.Topic, &c.Revision, &c.SHA256, &c.FileName, &c.ContentType, &c.Size, &c.State,
		&c.ReviewNote, &c.ReviewedBy, &at, &c.CreatedAt, &c.CreatedBy, &c.Version)
	if at.Valid {
		t := at.Time
		c.ReviewedAt = &t
	}
	return c, err
}

func errNoCourseware() error { return errs.E(errs.NotFound, "课件不存在") }

// UploadCourseware stores file as the next revision of expert's
// courseware on topic, submitted for review. The file goes into the file
// store first (a refusal afterwards leaves its bytes unreferenced there,
// as a case upload's would).
func (s *Store) UploadCourseware(ctx context.Context, actor access.Principal, expertID int64, topic, fileName string, file io.Reader) (Courseware, error) {
	if !actor.Can(access.PermPreventionPrepare) {
		return Courseware{}, errs.E(errs.Forbidden, "无权提交专家课件")
	}
	e, err := s.FindPreventionExpert(ctx, actor, expertID)
	if err != nil {
		return Courseware{}, err
	}
	if err := poolKeeper(actor, e.Region); err != nil {
		return Courseware{}, err
	}
	topic = prevention.NormalizeTopic(topic)
	var fs errs.Fields
	_ = fs.Merge(prevention.ValidTopic(topic))
	if file == nil {
		fs.Add("file", "required", "请选择课件文件（PDF）")
	}
	if err := fs.Err(); err != nil {
		return Courseware{}, err
	}
	if err := prevention.MaySubmitCourseware(e); err != nil {
		return Courseware{}, err
	}
	if s.files == nil {
		return Courseware{}, errNoFiles
	}
	ref, err := s.files.Put(ctx, file)
	if err != nil {
		return Courseware{}, err
	}
	if ref.Type != blob.PDF {
		return Courseware{}, errs.Field("file", "file_type", "课件应为PDF文件（演示文稿请导出为PDF后上传）")
	}
	if r := []rune(strings.TrimSpace(fileName)); len(r) > 100 {
		fileName = string(r[:100])
	} else {
		fileName = string(r)
	}
	c := Courseware{ExpertID: expertID, Topic: topic, SHA256: ref.SHA256, FileName: cmp.Or(fileName, topic+".pdf"),
		ContentType: ref.Type, Size: ref.Size, State: prevention.CoursewareSubmitted, CreatedBy: actor.Username, Version: 1}
	err = s.write(ctx, actor, func(t *tx) error {
		// under the expert's lock: a status change waits, and two uploads
		// of one topic number their revisions one after the other
		e, err := t.expertForUpdate(ctx, expertID)
		if err != nil {
			return err
		}
		if err := prevention.MaySubmitCourseware(e); err != nil {
			return err
		}
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(revision), 0) + 1 FROM prevention_courseware WHERE expert_id = $1 AND topic = $2`,
			expertID, topic).Scan(&c.Revision); err != nil {
			return err
		}
		c.Region, c.CreatedAt = e.Region, t.now
		id, err := t.insertAudited(ctx, "prevention_courseware", []string{"expert_id", "region_code", "topic", "revision", "sha256",
			"file_name", "content_type", "size", "state", "created_at", "created_by", "version"},
			[]any{expertID, c.Region, c.Topic, c.Revision, c.SHA256, c.FileName, c.ContentType, c.Size, string(c.State), t.now, c.CreatedBy, 1},
			"prevention.courseware.upload", "prevention_courseware", c.Region, func(id int64) any { x := c; x.ID = id; return x })
		c.ID = id
		return err
	})
	return c, err
}

// ReviewCourseware approves or rejects (with a note) a submitted revision
// still at version expected; approving supersedes the earlier revisions
// of its expert and topic that are approved or still submitted. The
// city's prevention staff only.
func (s *Store) ReviewCourseware(ctx context.Context, actor access.Principal, id, expected int64, approve bool, note string) (Courseware, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return Courseware{}, errs.E(errs.Forbidden, "课件由工伤预防部门论证，合作保险机构人员不能论证")
	}
	note = strings.TrimSpace(note)
	var out Courseware
	err := s.write(ctx, actor, func(t *tx) error {
		var expertID int64
		err := t.QueryRowContext(ctx, `SELECT expert_id FROM prevention_courseware WHERE id = $1`, id).Scan(&expertID)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoCourseware()
		}
		if err != nil {
			return err
		}
		// the expert's lock first, as an upload takes it: approvals of one
		// expert's courseware go one after the other
		e, err := t.expertForUpdate(ctx, expertID)
		if errs.Is(err, errs.NotFound) {
			return errNoCourseware()
		}
		if err != nil {
			return err
		}
		if err := poolKeeper(actor, e.Region); err != nil {
			return err
		}
		before, err := scanCourseware(t.QueryRowContext(ctx, `SELECT `+coursewareCols+` FROM prevention_courseware WHERE id = $1`+t.s.engine.forUpdate(), id))
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if err := prevention.CheckCoursewareReview(before.State, approve, note); err != nil {
			return err
		}
		out = before
		out.State, out.ReviewNote, out.ReviewedBy, out.Version = prevention.CoursewareRejected, note, actor.Username, before.Version+1
		at := t.now
		out.ReviewedAt = &at
		if approve {
			out.State = prevention.CoursewareApproved
			if e.Status == prevention.ExpertRemoved {
				return errs.E(errs.Conflict, "专家%s已移出专家库，课件不再论证", e.Name)
			}
			var later int
			if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(revision), 0) FROM prevention_courseware WHERE expert_id = $1 AND topic = $2
				AND state = 'approved'`, before.ExpertID, before.Topic).Scan(&later); err != nil {
				return err
			}
			if later > before.Revision {
				return errs.E(errs.Conflict, "“%s”已有更新的第%d版通过论证，第%d版不能再通过", before.Topic, later, before.Revision)
			}
			rows, err := t.QueryContext(ctx, `SELECT `+coursewareCols+` FROM prevention_courseware WHERE expert_id = $1 AND topic = $2
				AND revision < $3 AND state IN ('approved', 'submitted') ORDER BY revision`, before.ExpertID, before.Topic, before.Revision)
			if err != nil {
				return err
			}
			older, err := collect(rows, scanCourseware)
			if err != nil {
				return err
			}
			for _, o := range older {
				if _, err := t.ExecContext(ctx, `UPDATE prevention_courseware SET state = 'superseded', version = version + 1 WHERE id = $1`, o.ID); err != nil {
					return err
				}
				after := o
				after.State, after.Version = prevention.CoursewareSuperseded, o.Version+1
				if err := t.audit(ctx, "prevention.courseware.supersede", "prevention_courseware", o.ID, o.Region, o, after); err != nil {
					return err
				}
			}
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_courseware SET state = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4,
			version = version + 1 WHERE id = $5 AND version = $6`, string(out.State), note, actor.Username, t.now, id, expected)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		return t.audit(ctx, "prevention.courseware.review", "prevention_courseware", id, before.Region, before, out)
	})
	return out, err
}

// ExpertCourseware lists an expert's courseware, by topic, newest
// revision first.
func (s *Store) ExpertCourseware(ctx context.Context, viewer access.Principal, expertID int64) ([]Courseware, error) {
	if _, err := s.FindPreventionExpert(ctx, viewer, expertID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+coursewareCols+` FROM prevention_courseware WHERE expert_id = $1 ORDER BY topic, revision DESC`, expertID)
	if err != nil {
		return nil, fmt.Errorf("store: courseware: %w", err)
	}
	return collect(rows, scanCourseware)
}

// ApprovedCourseware is the approved revision of an expert's courseware
// on topic, ok false when none is approved (for a session's topic).
func (s *Store) ApprovedCourseware(ctx context.Context, viewer access.Principal, expertID int64, topic string) (Courseware, bool, error) {
	list, err := s.ExpertCourseware(ctx, viewer, expertID)
	if err != nil {
		return Courseware{}, false, err
	}
	topic = prevention.NormalizeTopic(topic)
	for _, c := range list {
		if c.Topic == topic && c.State == prevention.CoursewareApproved {
			return c, true, nil
		}
	}
	return Courseware{}, false, nil
}

// FindCourseware reads one revision of a pool the viewer may read.
func (s *Store) FindCourseware(ctx context.Context, viewer access.Principal, id int64) (Courseware, error) {
	c, err := scanCourseware(s.db.QueryRowContext(ctx, `SELECT `+coursewareCols+` FROM prevention_courseware WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !poolVisible(viewer, c.Region) {
		return Courseware{}, errNoCourseware()
	}
	if err != nil {
		return c, fmt.Errorf("store: courseware: %w", err)
	}
	return c, nil
}

// OpenCourseware opens a revision's stored file.
func (s *Store) OpenCourseware(ctx context.Context, viewer access.Principal, id int64) (io.ReadCloser, Courseware, error) {
	if s.files == nil {
		return nil, Courseware{}, errNoFiles
	}
	c, err := s.FindCourseware(ctx, viewer, id)
	if err != nil {
		return nil, c, err
	}
	rc, err := s.files.Open(ctx, c.SHA256)
	return rc, c, err
}
