package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
)

// Training sessions (培训场次) of a county's approved training projects:
// recorded by the county's prevention staff or the partner insurer's
// (PermPreventionPrepare), held, then closed for payment (验收) once their
// audio/video record and their evaluation are in; a session may be
// cancelled until closed, and a cancelled one counts in no figure. A
// session's region is its project's county. Each has a random check-in
// token: the public page /checkin/{token} adds attendees on the day.

// TrainingSession is one session with what its page shows of its project.
type TrainingSession struct {
	ID          int64             `json:"id"`
	ProjectID   int64             `json:"project_id"`
	Region      string            `json:"region_code"`
	HeldOn      string            `json:"held_on"`
	Place       string            `json:"place"`
	Online      bool              `json:"online"`
	Capacity    int               `json:"capacity"`
	Enterprises []string          `json:"enterprises"`
	ExpertID    int64             `json:"expert_id,omitempty"`
	Topic       string            `json:"topic"`
	Planned     int               `json:"planned"`
	State       string            `json:"state"`
	Checkin     string            `json:"-"` // the check-in token: not in the audit log
	Score       *prevention.Score `json:"score,omitempty"`
	CreatedAt   time.Time         `json:"created_at"`
	CreatedBy   string            `json:"created_by"`
	Version     int64             `json:"version"`

	// read with it, not stored on it
	ProjectTitle string `json:"-"`
	Programme    string `json:"-"`
	Industry     string `json:"-"`
	PlanYear     int    `json:"-"`
	ExpertName   string `json:"-"`
	Attendance   int    `json:"-"`
	Archive      int    `json:"-"` // audio and video files
}

// StateName names the session's state.
func (s TrainingSession) StateName() string { return prevention.SessionStates[s.State] }

// CheckinCode is the token as shown beside the URL, in two groups.
func (s TrainingSession) CheckinCode() string {
	if len(s.Checkin) != 10 {
		return s.Checkin
	}
	return s.Checkin[:5] + "-" + s.Checkin[5:]
}

const sessionCols = `s.id, s.project_id, s.region_code, s.held_on, s.place, s.online, s.capacity, s.enterprises, COALESCE(s.expert_id, 0), s.topic,
	s.planned, s.state, s.checkin, s.score, s.created_at, s.created_by, s.version, p.title, p.programme, p.industry, pl.year, COALESCE(e.name, ''),
	(SELECT COUNT(*) FROM prevention_attendance a WHERE a.session_id = s.id),
	(SELECT COUNT(*) FROM prevention_archive f WHERE f.session_id = s.id AND f.kind IN ('audio', 'video'))`

const sessionFrom = ` FROM prevention_sessions s JOIN prevention_projects p ON p.id = s.project_id JOIN prevention_plans pl ON pl.id = p.plan_id
	LEFT JOIN prevention_experts e ON e.id = s.expert_id`

func scanSession(r interface{ Scan(...any) error }) (TrainingSession, error) {
	var s TrainingSession
	var ents string
	var score sql.NullFloat64
	err := r.Scan(&s.ID, &s.ProjectID, &s.Region, &s.HeldOn, &s.Place, &s.Online, &s.Capacity, &ents, &s.ExpertID, &s.Topic,
		&s.Planned, &s.State, &s.Checkin, &score, &s.CreatedAt, &s.CreatedBy, &s.Version, &s.ProjectTitle, &s.Programme, &s.Industry, &s.PlanYear,
		&s.ExpertName, &s.Attendance, &s.Archive)
	_ = json.Unmarshal([]byte(ents), &s.Enterprises)
	if score.Valid {
		sc := prevention.ScoreOf(score.Float64)
		s.Score = &sc
	}
	return s, err
}

// ExportTrainingSessions is the audit action of the sessions list's export.
const ExportTrainingSessions = "training_session.export"

// TrainingSessionFilter selects sessions.
type TrainingSessionFilter struct {
	ProjectID int64
	State     string
	From, To  string // held_on range, inclusive
	Topic     string // part of the topic
	Limit     int    // 0: 500
}

// TrainingSessions lists the sessions in the viewer's scope, newest first.
func (s *Store) TrainingSessions(ctx context.Context, viewer access.Principal, f TrainingSessionFilter) ([]TrainingSession, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防培训")
	}
	lo, hi := viewer.Scope().Range()
	q := `SELECT ` + sessionCols + sessionFrom + ` WHERE s.region_code >= $1 AND s.region_code < $2`
	args := []any{lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.ProjectID != 0 {
		add("s.project_id = $%d", f.ProjectID)
	}
	if f.State != "" {
		add("s.state = $%d", f.State)
	}
	if f.From != "" {
		add("s.held_on >= $%d", f.From)
	}
	if f.To != "" {
		add("s.held_on <= $%d", f.To)
	}
	if f.Topic != "" {
		add(`s.topic LIKE $%d ESCAPE '\'`, "%"+likeEscape(f.Topic)+"%")
	}
	if f.Limit <= 0 || f.Limit > 5000 {
		f.Limit = 500
	}
	rows, err := s.db.QueryContext(ctx, q+fmt.Sprintf(` ORDER BY s.held_on DESC, s.id DESC LIMIT %d`, f.Limit), args...)
	if err != nil {
		return nil, fmt.Errorf("store: training sessions: %w", err)
	}
	return collect(rows, scanSession)
}

// FindTrainingSession reads one session the viewer may see.
func (s *Store) FindTrainingSession(ctx context.Context, viewer access.Principal, id int64) (TrainingSession, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return TrainingSession{}, errs.E(errs.Forbidden, "无权查看工伤预防培训")
	}
	return findSession(ctx, s.db, viewer, id)
}

func findSession(ctx context.Context, q querier, viewer access.Principal, id int64) (TrainingSession, error) {
	ss, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+sessionFrom+` WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: ss.Region}) {
		return TrainingSession{}, errs.E(errs.NotFound, "培训场次不存在")
	}
	return ss, err
}

// sessionForUpdate reads a session under its row lock (the viewer's
// scope checked) at version expected (0: any).
func (t *tx) sessionForUpdate(ctx context.Context, id, expected int64) (TrainingSession, error) {
	ss, err := findSession(ctx, t, t.actor, id)
	if err != nil {
		return ss, err
	}
	if err := t.QueryRowContext(ctx, `SELECT state, version FROM prevention_sessions WHERE id = $1`+t.s.engine.forUpdate(), id).Scan(&ss.State, &ss.Version); err != nil {
		return ss, err
	}
	if expected != 0 && ss.Version != expected {
		return ss, staleVersion()
	}
	return ss, nil
}

// sessionContext reads what a session of project is checked against.
func (t *tx) sessionContext(ctx context.Context, projectID, expertID int64) (prevention.SessionContext, string, error) {
	var c prevention.SessionContext
	var region, planState string
	err := t.QueryRowContext(ctx, `SELECT p.region_code, p.kind, p.state, pl.year, pl.state FROM prevention_projects p
		JOIN prevention_plans pl ON pl.id = p.plan_id WHERE p.id = $1`, projectID).Scan(&region, &c.ProjectKind, &c.ProjectState, &c.PlanYear, &planState)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !t.actor.MaySee(access.Owners{Region: region}) {
		return c, "", errs.Field("project_id", "unknown", "培训项目%d不存在或不在本人办理的地区", projectID)
	}
	if err != nil {
		return c, "", err
	}
	c.PlanApproved = planState == "approved"
	if expertID != 0 {
		var status string
		// read under the expert's row lock: a suspension at the same moment
		// either commits first (refused here) or waits for this session
		err := t.QueryRowContext(ctx, `SELECT name, status FROM prevention_experts WHERE id = $1`+t.s.engine.forUpdate(), expertID).Scan(&c.ExpertName, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return c, "", errs.Field("expert_id", "unknown", "专家%d不在专家库中", expertID)
		}
		if err != nil {
			return c, "", err
		}
		c.ExpertMayTeach = prevention.MayTeach(prevention.ExpertStatus(status))
	}
	return c, region, nil
}

func mayPrepareTraining(actor access.Principal) error {
	if !actor.Can(access.PermPreventionPrepare) {
		return errs.E(errs.Forbidden, "无权登记工伤预防培训")
	}
	return nil
}

// checkinAlphabet has no 0/O, 1/I/L: a code read aloud or typed from a
// screen is not mistaken.
const checkinAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newCheckin is a random ten-character token (about 49 bits).
func newCheckin() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = checkinAlphabet[int(b[i])%len(checkinAlphabet)]
	}
	return string(b)
}

// CreateTrainingSession records a session of an approved training project.
func (s *Store) CreateTrainingSession(ctx context.Context, actor access.Principal, projectID int64, in prevention.SessionInput) (TrainingSession, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingSession{}, err
	}
	in.Normalize()
	var out TrainingSession
	err := s.write(ctx, actor, func(t *tx) error {
		c, region, err := t.sessionContext(ctx, projectID, in.ExpertID)
		if err != nil {
			return err
		}
		if err := prevention.ValidSession(in, c); err != nil {
			return err
		}
		out = TrainingSession{ProjectID: projectID, Region: region, HeldOn: in.HeldOn, Place: in.Place, Online: in.Online, Capacity: in.Capacity,
			Enterprises: in.Enterprises, ExpertID: in.ExpertID, Topic: in.Topic, Planned: in.Planned, State: prevention.SessionPlanned,
			Checkin: newCheckin(), CreatedAt: t.now, CreatedBy: actor.Username, Version: 1}
		if out.Enterprises == nil {
			out.Enterprises = []string{}
		}
		var expert any
		if in.ExpertID != 0 {
			expert = in.ExpertID
		}
		id, err := t.insertAudited(ctx, "prevention_sessions", []string{"project_id", "region_code", "held_on", "place", "online", "capacity",
			"enterprises", "expert_id", "topic", "planned", "state", "checkin", "created_at", "created_by", "version"},
			[]any{projectID, region, in.HeldOn, in.Place, in.Online, in.Capacity, jsonList(out.Enterprises), expert, in.Topic, in.Planned,
				out.State, out.Checkin, t.now, actor.Username, 1},
			"prevention.session.create", "training_session", region, func(id int64) any { x := out; x.ID = id; return x })
		out.ID = id
		return err
	})
	if err != nil {
		return TrainingSession{}, err
	}
	return s.FindTrainingSession(ctx, actor, out.ID)
}

// UpdateTrainingSession changes a planned or held session (still at
// version expected); its attendance may not exceed the new capacity.
func (s *Store) UpdateTrainingSession(ctx context.Context, actor access.Principal, id, expected int64, in prevention.SessionInput) (TrainingSession, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingSession{}, err
	}
	in.Normalize()
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.sessionForUpdate(ctx, id, expected)
		if err != nil {
			return err
		}
		if before.State != prevention.SessionPlanned && before.State != prevention.SessionHeld {
			return errs.E(errs.Conflict, "培训场次%s，不能修改", before.StateName())
		}
		c, _, err := t.sessionContext(ctx, before.ProjectID, in.ExpertID)
		if err != nil {
			return err
		}
		if err := prevention.ValidSession(in, c); err != nil {
			return err
		}
		if before.Attendance > in.Capacity {
			return errs.Field("capacity", "below_attendance", "已登记参训%d人，容纳人数不能少于此数", before.Attendance)
		}
		var expert any
		if in.ExpertID != 0 {
			expert = in.ExpertID
		}
		if in.Enterprises == nil {
			in.Enterprises = []string{}
		}
		if _, err := t.ExecContext(ctx, `UPDATE prevention_sessions SET held_on = $1, place = $2, online = $3, capacity = $4, enterprises = $5,
			expert_id = $6, topic = $7, planned = $8, version = version + 1 WHERE id = $9`,
			in.HeldOn, in.Place, in.Online, in.Capacity, jsonList(in.Enterprises), expert, in.Topic, in.Planned, id); err != nil {
			return err
		}
		after := before
		after.HeldOn, after.Place, after.Online, after.Capacity, after.Enterprises = in.HeldOn, in.Place, in.Online, in.Capacity, in.Enterprises
		after.ExpertID, after.Topic, after.Planned, after.Version = in.ExpertID, in.Topic, in.Planned, before.Version+1
		return t.audit(ctx, "prevention.session.update", "training_session", id, before.Region, before, after)
	})
	if err != nil {
		return TrainingSession{}, err
	}
	return s.FindTrainingSession(ctx, actor, id)
}

// MarkTrainingHeld records that a planned session took place (on or after
// its date).
func (s *Store) MarkTrainingHeld(ctx context.Context, actor access.Principal, id, expected int64) (TrainingSession, error) {
	return s.moveSession(ctx, actor, id, expected, "prevention.session.held", func(t *tx, ss TrainingSession) (string, error) {
		if ss.State != prevention.SessionPlanned {
			return "", errs.E(errs.Conflict, "培训场次%s，不能登记为已举办", ss.StateName())
		}
		if today := t.s.today().Format(time.DateOnly); ss.HeldOn > today {
			return "", errs.Field("held_on", "future", "培训日期%s尚未到，不能登记为已举办", ss.HeldOn)
		}
		return prevention.SessionHeld, nil
	})
}

// CancelTrainingSession cancels a session not yet closed; it then counts
// in no figure and pays nothing.
func (s *Store) CancelTrainingSession(ctx context.Context, actor access.Principal, id, expected int64) (TrainingSession, error) {
	return s.moveSession(ctx, actor, id, expected, "prevention.session.cancel", func(_ *tx, ss TrainingSession) (string, error) {
		if ss.State != prevention.SessionPlanned && ss.State != prevention.SessionHeld {
			return "", errs.E(errs.Conflict, "培训场次%s，不能取消", ss.StateName())
		}
		return prevention.SessionCancelled, nil
	})
}

// CloseTrainingSession closes a held session for payment (验收): refused
// without an audio or video record, without the organiser's checklist or
// without a questionnaire; its score is then final.
func (s *Store) CloseTrainingSession(ctx context.Context, actor access.Principal, id, expected int64) (TrainingSession, error) {
	return s.moveSession(ctx, actor, id, expected, "prevention.session.close", func(t *tx, ss TrainingSession) (string, error) {
		if ss.State != prevention.SessionHeld {
			return "", errs.E(errs.Conflict, "培训场次%s，只有已举办的场次可以验收", ss.StateName())
		}
		var missing []string
		if ss.Archive == 0 {
			missing = append(missing, "影音资料（音频或视频）")
		}
		n, err := t.evaluationCounts(ctx, id)
		if err != nil {
			return "", err
		}
		if n[prevention.EvalChecklist] == 0 {
			missing = append(missing, "评估表")
		}
		if n[prevention.EvalQuestionnaire] == 0 {
			missing = append(missing, "调查问卷")
		}
		if len(missing) > 0 {
			return "", errs.E(errs.Conflict, "培训场次缺少%s，不能验收", strings.Join(missing, "、"))
		}
		return prevention.SessionClosed, nil
	})
}

// moveSession changes a session's state as step decides, under its lock.
func (s *Store) moveSession(ctx context.Context, actor access.Principal, id, expected int64, action string,
	step func(*tx, TrainingSession) (string, error)) (TrainingSession, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingSession{}, err
	}
	err := s.write(ctx, actor, func(t *tx) error {
		before, err := t.sessionForUpdate(ctx, id, expected)
		if err != nil {
			return err
		}
		state, err := step(t, before)
		if err != nil {
			return err
		}
		res, err := t.ExecContext(ctx, `UPDATE prevention_sessions SET state = $1, version = version + 1 WHERE id = $2 AND version = $3`, state, id, before.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		after := before
		after.State, after.Version = state, before.Version+1
		return t.audit(ctx, action, "training_session", id, before.Region, before, after)
	})
	if err != nil {
		return TrainingSession{}, err
	}
	return s.FindTrainingSession(ctx, actor, id)
}
