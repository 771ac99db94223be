package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
)

// A session's record: its archive — audio and video recordings and photos
// (every training keeps its 影音资料, 《济宁市工伤预防培训评估管理暂行办法》),
// in the file store by SHA-256 and typed by their first bytes, with the
// duration as entered — and its evaluation: the organiser's checklist and
// the participants' questionnaires, each stored with its score, and the
// session's score (prevention_eval_weight) kept on the session once both
// parts are in. A closed session's record is final.

// Archive kinds.
const (
	ArchiveAudio = "audio"
	ArchiveVideo = "video"
	ArchivePhoto = "photo"
)

// ArchiveKinds names the kinds.
var ArchiveKinds = map[string]string{ArchiveAudio: "音频", ArchiveVideo: "视频", ArchivePhoto: "照片"}

// MaxDuration is the longest recording, in seconds (a day).
const MaxDuration = 24 * 3600

// TrainingArchive is one archived file of a session.
type TrainingArchive struct {
	ID          int64     `json:"id"`
	SessionID   int64     `json:"session_id"`
	Region      string    `json:"region_code"`
	Kind        string    `json:"kind"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	DurationS   int       `json:"duration_s"`
	FileName    string    `json:"file_name"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
}

// KindName names the file's kind.
func (a TrainingArchive) KindName() string { return ArchiveKinds[a.Kind] }

// Duration writes the duration as 1:02:03 or 2:03.
func (a TrainingArchive) Duration() string {
	if a.DurationS == 0 {
		return ""
	}
	h, m, s := a.DurationS/3600, a.DurationS/60%60, a.DurationS%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// ArchiveInput describes an upload: the kind (""  from the file's type),
// the duration of a recording in seconds, the file's name.
type ArchiveInput struct {
	Kind      string
	DurationS int
	FileName  string
}

func archiveKind(typ string) string {
	switch {
	case blob.IsVideo(typ):
		return ArchiveVideo
	case blob.IsAudio(typ):
		return ArchiveAudio
	}
	return ArchivePhoto
}

// AddTrainingArchive stores a recording or photo of a planned or held
// session; the file goes into the file store first (a refused upload
// leaves its bytes unreferenced there, as a case upload's would).
func (s *Store) AddTrainingArchive(ctx context.Context, actor access.Principal, sessionID int64, in ArchiveInput, r io.Reader) (TrainingArchive, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingArchive{}, err
	}
	if in.Kind != "" && ArchiveKinds[in.Kind] == "" {
		return TrainingArchive{}, errs.Field("kind", "choice", "资料类型应为音频、视频或照片")
	}
	if in.DurationS < 0 || in.DurationS > MaxDuration {
		return TrainingArchive{}, errs.Field("duration_s", "range", "时长应为0–%d秒", MaxDuration)
	}
	ss, err := s.FindTrainingSession(ctx, actor, sessionID)
	if err != nil {
		return TrainingArchive{}, err
	}
	if err := recordOpen(ss, "上传影音资料"); err != nil {
		return TrainingArchive{}, err
	}
	media, ok := s.files.(blob.MediaStore)
	if !ok {
		return TrainingArchive{}, errNoFiles
	}
	ref, err := media.PutMedia(ctx, r)
	if err != nil {
		return TrainingArchive{}, err
	}
	kind := archiveKind(ref.Type)
	if in.Kind != "" && in.Kind != kind {
		return TrainingArchive{}, errs.Field("file", "file_type", "所选类型为%s，上传的文件是%s", ArchiveKinds[in.Kind], ArchiveKinds[kind])
	}
	if kind != ArchivePhoto && in.DurationS == 0 {
		return TrainingArchive{}, errs.Field("duration_s", "required", "请填写%s的时长", ArchiveKinds[kind])
	}
	if kind == ArchivePhoto {
		in.DurationS = 0
	}
	name := []rune(strings.TrimSpace(in.FileName))
	if len(name) > 100 {
		name = name[:100]
	}
	a := TrainingArchive{SessionID: sessionID, Kind: kind, SHA256: ref.SHA256, ContentType: ref.Type, Size: ref.Size, DurationS: in.DurationS,
		FileName: string(name), CreatedBy: actor.Username}
	err = s.write(ctx, actor, func(t *tx) error {
		ss, err := t.sessionForUpdate(ctx, sessionID, 0)
		if err != nil {
			return err
		}
		if err := recordOpen(ss, "上传影音资料"); err != nil {
			return err
		}
		a.Region, a.CreatedAt = ss.Region, t.now
		id, err := t.insertAudited(ctx, "prevention_archive", []string{"session_id", "region_code", "kind", "sha256", "content_type", "size",
			"duration_s", "file_name", "created_at", "created_by"},
			[]any{sessionID, a.Region, a.Kind, a.SHA256, a.ContentType, a.Size, a.DurationS, a.FileName, t.now, a.CreatedBy},
			"prevention.archive.add", "training_archive", a.Region, func(id int64) any { x := a; x.ID = id; return x })
		a.ID = id
		return err
	})
	return a, err
}

// recordOpen: a planned or held session takes archive files and
// evaluations; a closed one's record is final.
func recordOpen(ss TrainingSession, what string) error {
	if ss.State != prevention.SessionPlanned && ss.State != prevention.SessionHeld {
		return errs.E(errs.Conflict, "培训场次%s，不能再%s", ss.StateName(), what)
	}
	return nil
}

const archiveCols = `id, session_id, region_code, kind, sha256, content_type, size, duration_s, file_name, created_at, created_by`

func scanArchive(r interface{ Scan(...any) error }) (TrainingArchive, error) {
	var a TrainingArchive
	err := r.Scan(&a.ID, &a.SessionID, &a.Region, &a.Kind, &a.SHA256, &a.ContentType, &a.Size, &a.DurationS, &a.FileName, &a.CreatedAt, &a.CreatedBy)
	return a, err
}

// TrainingArchives lists a session's archive, oldest first.
func (s *Store) TrainingArchives(ctx context.Context, viewer access.Principal, sessionID int64) ([]TrainingArchive, error) {
	if _, err := s.FindTrainingSession(ctx, viewer, sessionID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+archiveCols+` FROM prevention_archive WHERE session_id = $1 ORDER BY id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: archive: %w", err)
	}
	return collect(rows, scanArchive)
}

// OpenTrainingArchive opens an archived file the viewer may see.
func (s *Store) OpenTrainingArchive(ctx context.Context, viewer access.Principal, id int64) (io.ReadCloser, TrainingArchive, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, TrainingArchive{}, errs.E(errs.Forbidden, "无权查看工伤预防培训")
	}
	if s.files == nil {
		return nil, TrainingArchive{}, errNoFiles
	}
	a, err := scanArchive(s.db.QueryRowContext(ctx, `SELECT `+archiveCols+` FROM prevention_archive WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: a.Region}) {
		return nil, a, errs.E(errs.NotFound, "影音资料不存在")
	}
	if err != nil {
		return nil, a, err
	}
	rc, err := s.files.Open(ctx, a.SHA256)
	return rc, a, err
}

// TrainingEvaluation is one recorded evaluation of a session.
type TrainingEvaluation struct {
	ID        int64            `json:"id"`
	SessionID int64            `json:"session_id"`
	Region    string           `json:"region_code"`
	Kind      string           `json:"kind"`
	Payload   json.RawMessage  `json:"payload"`
	Score     prevention.Score `json:"score"`
	CreatedAt time.Time        `json:"created_at"`
	CreatedBy string           `json:"created_by"`
}

// KindName names the evaluation's kind.
func (e TrainingEvaluation) KindName() string { return prevention.EvaluationKinds[e.Kind] }

// Responses counts a questionnaire batch's responses.
func (e TrainingEvaluation) Responses() int {
	var q prevention.Questionnaire
	_ = json.Unmarshal(e.Payload, &q)
	return len(q.Responses)
}

// EvaluationWeights reads the session-score weights in force for region.
func EvaluationWeights(set *param.Set, region string, on time.Time) (prevention.Weights, error) {
	var w prevention.Weights
	for _, p := range []struct {
		key string
		dst **big.Rat
	}{{"checklist", &w.Checklist}, {"satisfaction", &w.Satisfaction}, {"knowledge", &w.Knowledge}} {
		v, err := set.Lookup("prevention_eval_weight", p.key, region, on)
		if err != nil {
			return w, err
		}
		if *p.dst, err = v.Rat(); err != nil {
			return w, err
		}
	}
	return w, nil
}

// RecordChecklist records the organiser's checklist of a session (a later
// one replaces the earlier in the score).
func (s *Store) RecordChecklist(ctx context.Context, actor access.Principal, set *param.Set, sessionID int64, c prevention.Checklist) (TrainingEvaluation, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingEvaluation{}, err
	}
	// scored on the city's form in force on the session's day, never on a
	// list of items the caller brings
	ss, err := s.FindTrainingSession(ctx, actor, sessionID)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	form, err := s.EvaluationFormOn(ctx, ss.Region, ss.HeldOn)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	c.Items = form.Items
	score, err := prevention.ChecklistScore(c)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	c.Note = strings.TrimSpace(c.Note)
	if len([]rune(c.Note)) > MaxFindingText {
		return TrainingEvaluation{}, errs.Field("note", "too_long", "评估意见最多%d字", MaxFindingText)
	}
	return s.recordEvaluation(ctx, actor, set, sessionID, prevention.EvalChecklist, c, score)
}

// RecordQuestionnaire records a batch of participants' questionnaires.
func (s *Store) RecordQuestionnaire(ctx context.Context, actor access.Principal, set *param.Set, sessionID int64, q prevention.Questionnaire) (TrainingEvaluation, error) {
	r, err := prevention.QuestionnaireScore([]prevention.Questionnaire{q})
	if err != nil {
		return TrainingEvaluation{}, err
	}
	// a batch's own score: its satisfaction and test shares by their weights
	ss, err := s.FindTrainingSession(ctx, actor, sessionID)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	held, _ := time.Parse(time.DateOnly, ss.HeldOn)
	w, err := EvaluationWeights(set, ss.Region, held)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	own, _, err := prevention.SessionScore(0, r, prevention.Weights{Checklist: new(big.Rat), Satisfaction: w.Satisfaction, Knowledge: w.Knowledge})
	if err != nil {
		return TrainingEvaluation{}, err
	}
	return s.recordEvaluation(ctx, actor, set, sessionID, prevention.EvalQuestionnaire, q, own)
}

func (s *Store) recordEvaluation(ctx context.Context, actor access.Principal, set *param.Set, sessionID int64, kind string, payload any, score prevention.Score) (TrainingEvaluation, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingEvaluation{}, err
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return TrainingEvaluation{}, err
	}
	e := TrainingEvaluation{SessionID: sessionID, Kind: kind, Payload: body, Score: score, CreatedBy: actor.Username}
	err = s.write(ctx, actor, func(t *tx) error {
		ss, err := t.sessionForUpdate(ctx, sessionID, 0)
		if err != nil {
			return err
		}
		if ss.State != prevention.SessionHeld {
			return errs.E(errs.Conflict, "培训场次%s，只有已举办未验收的场次可以录入评估", ss.StateName())
		}
		e.Region, e.CreatedAt = ss.Region, t.now
		id, err := t.insertAudited(ctx, "prevention_evaluations", []string{"session_id", "region_code", "kind", "payload", "score", "created_at", "created_by"},
			[]any{sessionID, e.Region, kind, string(body), int64(score), t.now, e.CreatedBy},
			"prevention.evaluation."+kind, "training_session", e.Region, func(id int64) any { x := e; x.ID = id; return x })
		if err != nil {
			return err
		}
		e.ID = id
		return t.rescore(ctx, set, ss)
	})
	return e, err
}

// rescore computes the session's score from its latest checklist and all
// its questionnaires, once both are in, and keeps it on the session.
func (t *tx) rescore(ctx context.Context, set *param.Set, ss TrainingSession) error {
	evs, err := t.evaluations(ctx, ss.ID)
	if err != nil {
		return err
	}
	var checklist *prevention.Score
	var qs []prevention.Questionnaire
	for _, e := range evs {
		switch e.Kind {
		case prevention.EvalChecklist:
			sc := e.Score
			checklist = &sc
		case prevention.EvalQuestionnaire:
			var q prevention.Questionnaire
			if err := json.Unmarshal(e.Payload, &q); err != nil {
				return err
			}
			qs = append(qs, q)
		}
	}
	if checklist == nil || len(qs) == 0 {
		return nil
	}
	r, err := prevention.QuestionnaireScore(qs)
	if err != nil {
		return err
	}
	held, _ := time.Parse(time.DateOnly, ss.HeldOn)
	w, err := EvaluationWeights(set, ss.Region, held)
	if err != nil {
		return err
	}
	score, text, err := prevention.SessionScore(*checklist, r, w)
	if err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE prevention_sessions SET score = $1, version = version + 1 WHERE id = $2`, score.Float(), ss.ID); err != nil {
		return err
	}
	return t.audit(ctx, "prevention.session.score", "training_session", ss.ID, ss.Region, map[string]any{"score": ss.Score},
		map[string]any{"score": score.String(), "working": text})
}

func (t *tx) evaluations(ctx context.Context, sessionID int64) ([]TrainingEvaluation, error) {
	rows, err := t.QueryContext(ctx, `SELECT `+evaluationCols+` FROM prevention_evaluations WHERE session_id = $1 ORDER BY id`, sessionID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanEvaluation)
}

func (t *tx) evaluationCounts(ctx context.Context, sessionID int64) (map[string]int, error) {
	evs, err := t.evaluations(ctx, sessionID)
	n := map[string]int{}
	for _, e := range evs {
		n[e.Kind]++
	}
	return n, err
}

const evaluationCols = `id, session_id, region_code, kind, payload, score, created_at, created_by`

func scanEvaluation(r interface{ Scan(...any) error }) (TrainingEvaluation, error) {
	var e TrainingEvaluation
	var body string
	var score int64
	err := r.Scan(&e.ID, &e.SessionID, &e.Region, &e.Kind, &body, &score, &e.CreatedAt, &e.CreatedBy)
	e.Payload, e.Score = json.RawMessage(body), prevention.Score(score)
	return e, err
}

// TrainingEvaluations lists a session's evaluations, oldest first.
func (s *Store) TrainingEvaluations(ctx context.Context, viewer access.Principal, sessionID int64) ([]TrainingEvaluation, error) {
	if _, err := s.FindTrainingSession(ctx, viewer, sessionID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+evaluationCols+` FROM prevention_evaluations WHERE session_id = $1 ORDER BY id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: evaluations: %w", err)
	}
	return collect(rows, scanEvaluation)
}
