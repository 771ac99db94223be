package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/sheet"
)

// A session's attendance, one row per person: from an enterprise's roster
// (.xlsx or .csv, every row checked, every problem reported with its row,
// column and a Chinese reason, and all rows written or none), added by
// hand, or by the person's own check-in on the public page. The ID number
// is sealed as the registry seals a worker's (hash for matching,
// ciphertext, masked form for display) and linked to the registered
// worker whose ID it is. A person is on a session once; no session takes
// more people than its seats.

// TrainingAttendee is one attendance row; the ID number shows masked
// only (no prevention role sees personal data in full).
type TrainingAttendee struct {
	ID        int64     `json:"id"`
	SessionID int64     `json:"session_id"`
	Region    string    `json:"region_code"`
	IDMasked  string    `json:"id_masked"`
	Name      string    `json:"name"`
	Employer  string    `json:"employer"`
	Audience  string    `json:"audience"`
	WorkerID  int64     `json:"worker_id,omitempty"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
}

// SourceName names how the row was recorded.
func (a TrainingAttendee) SourceName() string { return prevention.AttendanceSources[a.Source] }

// RosterColumns are a roster's columns: title and the field whose errors
// belong to it; the first three are required.
var RosterColumns = []struct{ Title, Field string }{
	{"姓名", "name"}, {"身份证号码", "id_number"}, {"工作单位", "employer"}, {"人员类别", "audience"},
}

// MaxRosterRows bounds one roster upload.
const MaxRosterRows = 5000

// TrainingAttendance lists a session's attendance, in recording order.
func (s *Store) TrainingAttendance(ctx context.Context, viewer access.Principal, sessionID int64) ([]TrainingAttendee, error) {
	if _, err := s.FindTrainingSession(ctx, viewer, sessionID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, session_id, region_code, id_masked, name, employer, audience, COALESCE(worker_id, 0), source, created_at
		FROM prevention_attendance WHERE session_id = $1 ORDER BY id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: attendance: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (TrainingAttendee, error) {
		var a TrainingAttendee
		err := r.Scan(&a.ID, &a.SessionID, &a.Region, &a.IDMasked, &a.Name, &a.Employer, &a.Audience, &a.WorkerID, &a.Source, &a.CreatedAt)
		return a, err
	})
}

// RosterResult is what a roster upload did.
type RosterResult struct {
	Added    int             `json:"added"`
	Linked   int             `json:"linked"` // rows matched to a registered worker
	Problems []ImportProblem `json:"problems,omitempty"`
}

// ImportRoster reads an enterprise's roster and adds every row to the
// session, or none: with any problem the result lists them all (row 1 is
// the header) and the error is Invalid.
func (s *Store) ImportRoster(ctx context.Context, actor access.Principal, sessionID int64, filename string, data []byte) (RosterResult, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return RosterResult{}, err
	}
	rows, err := sheet.Read(ctx, filename, data)
	if err != nil {
		return RosterResult{}, err
	}
	batch, fileRows, problems := parseRoster(rows)
	if len(problems) > 0 {
		return RosterResult{Problems: problems}, rosterRefused(problems)
	}
	return s.addAttendees(ctx, actor, sessionID, prevention.SourceRoster, batch, fileRows)
}

// parseRoster maps a sheet's columns by their titles.
func parseRoster(rows [][]string) ([]prevention.Attendee, []int, []ImportProblem) {
	var problems []ImportProblem
	if len(rows) == 0 {
		return nil, nil, []ImportProblem{{Row: 1, Code: "empty", Reason: "文件中没有内容：第一行应为表头（姓名、身份证号码、工作单位、人员类别）"}}
	}
	idx := map[string]int{}
	for i, h := range rows[0] {
		idx[strings.TrimSpace(h)] = i
	}
	for _, c := range RosterColumns[:3] {
		if _, ok := idx[c.Title]; !ok {
			problems = append(problems, ImportProblem{Row: 1, Column: c.Title, Code: "missing_column", Reason: "缺少“" + c.Title + "”列"})
		}
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	cell := func(r []string, title string) string {
		if i, ok := idx[title]; ok && i < len(r) {
			return r[i]
		}
		return ""
	}
	var batch []prevention.Attendee
	var fileRows []int
	for i, r := range rows[1:] {
		if sheet.Blank(r) {
			continue
		}
		a := prevention.Attendee{Name: cell(r, "姓名"), IDNumber: cell(r, "身份证号码"), Employer: cell(r, "工作单位"), Audience: cell(r, "人员类别")}
		a.Normalize()
		batch = append(batch, a)
		fileRows = append(fileRows, i+2)
	}
	if len(batch) == 0 {
		problems = append(problems, ImportProblem{Row: 1, Code: "empty", Reason: "名单中没有人员"})
	}
	if len(batch) > MaxRosterRows {
		problems = append(problems, ImportProblem{Row: 1, Code: "too_many", Reason: fmt.Sprintf("一次最多导入%d人，本文件有%d人", MaxRosterRows, len(batch))})
	}
	return batch, fileRows, problems
}

func rosterRefused(ps []ImportProblem) error {
	return &errs.Error{Kind: errs.Invalid, Message: fmt.Sprintf("名单有%d处问题，未导入任何人员；请按错误原因修改后重新上传", len(ps))}
}

func columnOf(field string) string {
	for _, c := range RosterColumns {
		if c.Field == field {
			return c.Title
		}
	}
	return ""
}

// AddAttendee adds one person to a session by hand.
func (s *Store) AddAttendee(ctx context.Context, actor access.Principal, sessionID int64, a prevention.Attendee) (TrainingAttendee, error) {
	if err := mayPrepareTraining(actor); err != nil {
		return TrainingAttendee{}, err
	}
	a.Normalize()
	if err := prevention.ValidAttendee(a, s.today()); err != nil {
		return TrainingAttendee{}, err
	}
	res, err := s.addAttendees(ctx, actor, sessionID, prevention.SourceManual, []prevention.Attendee{a}, []int{0})
	if err != nil {
		return TrainingAttendee{}, singleProblem(res, err)
	}
	list, err := s.TrainingAttendance(ctx, actor, sessionID)
	if err != nil || len(list) == 0 {
		return TrainingAttendee{}, err
	}
	return list[len(list)-1], nil
}

// singleProblem turns the one problem of a one-person batch into a field
// error.
func singleProblem(res RosterResult, err error) error {
	if len(res.Problems) == 0 {
		return err
	}
	p := res.Problems[0]
	field := "id_number"
	for _, c := range RosterColumns {
		if c.Title == p.Column {
			field = c.Field
		}
	}
	if p.Code == "over_capacity" {
		return errs.E(errs.Conflict, "%s", p.Reason)
	}
	return errs.Field(field, p.Code, "%s", p.Reason)
}

// addAttendees writes a checked batch under the session's lock: every row
// or none. fileRows are the rows' numbers in the upload (for problems).
func (s *Store) addAttendees(ctx context.Context, actor access.Principal, sessionID int64, source string, batch []prevention.Attendee, fileRows []int) (RosterResult, error) {
	var res RosterResult
	err := s.write(ctx, actor, func(t *tx) error {
		ss, err := t.sessionForUpdate(ctx, sessionID, 0)
		if err != nil {
			return err
		}
		if err := attendanceOpen(ss, source, t.s.today()); err != nil {
			return err
		}
		present, err := t.attendanceHashes(ctx, sessionID)
		if err != nil {
			return err
		}
		adm := prevention.Admission{Capacity: ss.Capacity, Present: len(present),
			Already: func(id string) bool { return present[hex.EncodeToString(t.s.pii.Hash(id))] }}
		if ps := prevention.Admit(batch, adm, t.s.today()); len(ps) > 0 {
			for _, p := range ps {
				row := 1
				if p.Row >= 0 {
					row = fileRows[p.Row]
				}
				res.Problems = append(res.Problems, ImportProblem{Row: row, Column: columnOf(p.Field), Code: p.Code, Reason: p.Msg})
			}
			return rosterRefused(res.Problems)
		}
		type added struct {
			ID       int64  `json:"id"`
			Name     string `json:"name"`
			IDMasked string `json:"id_masked"`
			WorkerID int64  `json:"worker_id,omitempty"`
		}
		var log []added
		for _, a := range batch {
			hash := t.s.pii.Hash(a.IDNumber)
			var worker sql.NullInt64
			if err := t.QueryRowContext(ctx, `SELECT id FROM workers WHERE id_hash = $1`, hash).Scan(&worker); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var wid any
			if worker.Valid {
				wid = worker.Int64
				res.Linked++
			}
			var id int64
			if err := t.QueryRowContext(ctx, `INSERT INTO prevention_attendance (session_id, region_code, id_hash, id_enc, id_masked, name, employer,
				audience, worker_id, source, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
				sessionID, ss.Region, hash, t.s.pii.Seal(a.IDNumber), a.Masked(), a.Name, a.Employer, a.Audience, wid, source, t.now).Scan(&id); err != nil {
				if uniqueOn(err, "id_hash") || uniqueOn(err, "session_id") {
					return errs.E(errs.Conflict, "身份证号码%s的人员已在本场次签到名单中", a.Masked())
				}
				return err
			}
			log = append(log, added{id, a.Name, a.Masked(), worker.Int64})
		}
		res.Added = len(batch)
		return t.audit(ctx, "prevention.attendance."+source, "training_session", sessionID, ss.Region, nil,
			map[string]any{"session_id": sessionID, "source": source, "added": log})
	})
	return res, err
}

// attendanceOpen: a planned or held session takes attendance; check-in
// only on its day.
func attendanceOpen(ss TrainingSession, source string, today time.Time) error {
	if ss.State != prevention.SessionPlanned && ss.State != prevention.SessionHeld {
		return errs.E(errs.Conflict, "培训场次%s，不能再登记参训人员", ss.StateName())
	}
	if source == prevention.SourceCheckin && ss.HeldOn != today.Format(time.DateOnly) {
		return errs.E(errs.Conflict, "签到只在培训当天（%s）开放", ss.HeldOn)
	}
	return nil
}

func (t *tx) attendanceHashes(ctx context.Context, sessionID int64) (map[string]bool, error) {
	rows, err := t.QueryContext(ctx, `SELECT id_hash FROM prevention_attendance WHERE session_id = $1`, sessionID)
	if err != nil {
		return nil, err
	}
	hs, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var h []byte
		err := r.Scan(&h)
		return hex.EncodeToString(h), err
	})
	out := make(map[string]bool, len(hs))
	for _, h := range hs {
		out[h] = true
	}
	return out, err
}

// CheckinInfo is what the public check-in page shows of a session.
type CheckinInfo struct {
	Topic   string
	HeldOn  string
	Place   string
	Online  bool
	Open    bool   // check-in accepted now
	Why     string // why not, when not Open
	Seats   int    // seats left
	Session int64  // for the caller's rate limit key only; never shown
}

// checkinPrincipal is who a self check-in is recorded as: no login, the
// session's region.
func checkinPrincipal(region string) access.Principal {
	return access.Principal{Username: "checkin", Name: "扫码签到", Kind: access.KindSystem, RegionCode: region}
}

// CheckinSession reads a session by its check-in token for the public
// page; an unknown token is NotFound.
func (s *Store) CheckinSession(ctx context.Context, token string) (CheckinInfo, error) {
	ss, err := s.sessionByToken(ctx, token)
	if err != nil {
		return CheckinInfo{}, err
	}
	info := CheckinInfo{Topic: ss.Topic, HeldOn: ss.HeldOn, Place: ss.Place, Online: ss.Online, Seats: max(0, ss.Capacity-ss.Attendance), Session: ss.ID}
	switch err := attendanceOpen(ss, prevention.SourceCheckin, s.today()); {
	case err != nil:
		info.Why = err.Error()
	case info.Seats == 0:
		info.Why = "本场培训已满员"
	default:
		info.Open = true
	}
	return info, nil
}

func (s *Store) sessionByToken(ctx context.Context, token string) (TrainingSession, error) {
	token = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(token), "-", ""))
	if len(token) != 10 || strings.Trim(token, checkinAlphabet) != "" {
		return TrainingSession{}, errs.E(errs.NotFound, "签到码无效")
	}
	ss, err := scanSession(s.db.QueryRowContext(ctx, `SELECT `+sessionCols+sessionFrom+` WHERE s.checkin = $1`, token))
	if errors.Is(err, sql.ErrNoRows) {
		return ss, errs.E(errs.NotFound, "签到码无效")
	}
	return ss, err
}

// Checkin adds a person to the session of token by their own check-in:
// on the session's day, while seats are left, once per person.
func (s *Store) Checkin(ctx context.Context, token string, a prevention.Attendee) error {
	ss, err := s.sessionByToken(ctx, token)
	if err != nil {
		return err
	}
	a.Normalize()
	if err := prevention.ValidAttendee(a, s.today()); err != nil {
		return err
	}
	res, err := s.addAttendees(ctx, checkinPrincipal(ss.Region), ss.ID, prevention.SourceCheckin, []prevention.Attendee{a}, []int{0})
	if err != nil {
		err = singleProblem(res, err)
		if res.Problems != nil && res.Problems[0].Code == "already" {
			return errs.E(errs.Conflict, "您已签到，无需重复签到")
		}
	}
	return err
}
