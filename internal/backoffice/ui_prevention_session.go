package backoffice

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/imports"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Prevention trainings (工伤预防培训): the sessions list with its filters
// and Excel export and the form recording a session; a session's page
// with its details, attendance (masked ID numbers) and the roster upload
// whose refusal lists every problem and offers the error file, manual
// add, the check-in URL and code, the archive, the evaluation forms and
// the steps (held, close for payment, cancel); the payments page with the
// projects' budgets, preparing, approving and returning a payment.
//
// The QR code: generating one needs a library the project does not have,
// so the session page shows the check-in URL and its code in large type;
// a phone opens the URL, or the code is typed on /portal/checkin.

var sessionListSpec = &web.ListSpec{Path: "/prevention/sessions", Name: "工伤预防培训场次", Filters: []web.Filter{
	{Key: "state", Label: "状态", Choices: []web.Choice{{Value: "planned", Name: "待举办"}, {Value: "held", Name: "已举办"},
		{Value: "closed", Name: "已验收"}, {Value: "cancelled", Name: "已取消"}}},
	{Key: "project", Label: "项目编号", ID: true},
	{Key: "from", Label: "培训日期自", Date: true},
	{Key: "to", Label: "培训日期至", Date: true, NotBefore: "from"},
}}

type sessionsPage struct {
	base
	Sessions []store.TrainingSession
	Budgets  []store.TrainingBudget // the training projects a session may be recorded for
	Query    *web.ListQuery
	CanEdit  bool
	Err      string
	Fields   map[string]string
	Form     prevention.SessionInput
	Project  int64
}

func sessionFilter(q *web.ListQuery) store.TrainingSessionFilter {
	f := store.TrainingSessionFilter{State: q.Get("state"), From: q.Get("from"), To: q.Get("to"), Topic: q.Q}
	f.ProjectID, _ = strconv.ParseInt(q.Get("project"), 10, 64)
	return f
}

func (s *Server) sessionList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, sessionListSpec)
	if err != nil {
		return err
	}
	if wantsExport(r) {
		return s.exportSessions(w, r, rq, q)
	}
	return s.showSessions(w, r, rq, q, http.StatusOK, nil, prevention.SessionInput{Capacity: 100}, 0)
}

func (s *Server) showSessions(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, status int, formErr error, form prevention.SessionInput, project int64) error {
	p := &sessionsPage{base: base{Title: "工伤预防培训"}, Query: q, CanEdit: rq.P.Can(access.PermPreventionPrepare), Form: form, Project: project,
		Fields: map[string]string{}}
	if formErr != nil {
		p.Err, _ = formMessage(formErr)
		if e, ok := formErr.(*errs.Error); ok {
			for _, f := range e.Fields {
				p.Fields[f.Field] = f.Message
			}
		}
	}
	var err error
	if p.Sessions, err = s.store.TrainingSessions(r.Context(), rq.P, sessionFilter(q)); err != nil {
		return err
	}
	if p.Budgets, err = s.store.TrainingBudgets(r.Context(), rq.P); err != nil {
		return err
	}
	s.render(w, r, rq, status, "prevention_sessions", p)
	return nil
}

func (s *Server) exportSessions(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery) error {
	f := sessionFilter(q)
	f.Limit = 5000
	list, err := s.store.TrainingSessions(r.Context(), rq.P, f)
	if err != nil {
		return err
	}
	cols := []sheet.Column{{Header: "编号", Width: 8}, {Header: "培训日期", Width: 12}, {Header: "区县", Width: 12}, {Header: "项目", Width: 28},
		{Header: "专项", Width: 12}, {Header: "主题", Width: 28}, {Header: "地点", Width: 24}, {Header: "授课专家", Width: 10},
		{Header: "容纳人数", Width: 10}, {Header: "计划人数", Width: 10}, {Header: "实到人数", Width: 10}, {Header: "影音资料", Width: 10},
		{Header: "评估得分", Width: 10}, {Header: "状态", Width: 10}}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportTrainingSessions, File: "training-sessions", Columns: cols, Total: len(list),
		Rows: func(add sheet.RowFunc) (int, error) {
			for i, ss := range list {
				score := ""
				if ss.Score != nil {
					score = ss.Score.String()
				}
				place := ss.Place
				if ss.Online {
					place = strings.TrimSpace("线上 " + place)
				}
				if err := add(ss.ID, ss.HeldOn, regionText(ss.Region), ss.ProjectTitle, ss.Programme, ss.Topic, place, ss.ExpertName,
					ss.Capacity, ss.Planned, ss.Attendance, ss.Archive, score, ss.StateName()); err != nil {
					return i, err
				}
			}
			return len(list), nil
		}})
}

// sessionForm reads the session form.
func sessionForm(r *http.Request) (prevention.SessionInput, int64, error) {
	var fs errs.Fields
	num := func(name, label string) int {
		v := strings.TrimSpace(r.PostFormValue(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.Add(name, "number", "%s应为整数", label)
		}
		return n
	}
	in := prevention.SessionInput{HeldOn: r.PostFormValue("held_on"), Place: r.PostFormValue("place"), Online: r.PostFormValue("online") != "",
		Capacity: num("capacity", "容纳人数"), Planned: num("planned", "计划人数"), Topic: r.PostFormValue("topic"),
		Enterprises: strings.FieldsFunc(r.PostFormValue("enterprises"), func(c rune) bool { return c == '\n' || c == '、' || c == ',' || c == '，' })}
	in.ExpertID = int64(num("expert_id", "专家编号"))
	project := int64(num("project_id", "项目"))
	return in, project, fs.Err()
}

func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	q, _ := web.ParseList(r, sessionListSpec)
	in, project, err := sessionForm(r)
	var ss store.TrainingSession
	if err == nil {
		ss, err = s.store.CreateTrainingSession(r.Context(), rq.P, project, in)
	}
	if err != nil {
		if _, ok := formMessage(err); ok {
			return s.showSessions(w, r, rq, q, web.Status(err), err, in, project)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("培训场次“%s”已登记。", ss.Topic))
	http.Redirect(w, r, fmt.Sprintf("/prevention/sessions/%d", ss.ID), http.StatusSeeOther)
	return nil
}

type sessionPage struct {
	base
	S           store.TrainingSession
	Attendance  []store.TrainingAttendee
	Archive     []store.TrainingArchive
	Evaluations []store.TrainingEvaluation
	Checklist   []prevention.ChecklistItem
	Audiences   []string
	CheckinURL  string
	CheckinQR   template.URL // the check-in address as a QR code (PNG data URL)
	CanEdit     bool
	Open        bool // takes attendance, archive
	Err         string
	Problems    []store.ImportProblem
	ErrorFile   template.URL // data: URL of the roster's error file
	Columns     string
}

func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showSession(w, r, rq, id, http.StatusOK, &sessionPage{})
}

func (s *Server) showSession(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, p *sessionPage) error {
	ctx := r.Context()
	ss, err := s.store.FindTrainingSession(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p.base = base{Title: "培训场次 · " + ss.Topic}
	form, err := s.store.EvaluationFormOn(ctx, ss.Region, ss.HeldOn)
	if err != nil {
		return err
	}
	p.S, p.CanEdit, p.Checklist, p.Audiences = ss, rq.P.Can(access.PermPreventionPrepare), form.Items, prevention.AttendeeAudiences
	p.Open = ss.State == prevention.SessionPlanned || ss.State == prevention.SessionHeld
	p.CheckinURL = checkinURL(r, ss.Checkin)
	if p.Open {
		if p.CheckinQR, err = qrDataURL(p.CheckinURL); err != nil {
			return err
		}
	}
	var titles []string
	for _, c := range store.RosterColumns {
		titles = append(titles, c.Title)
	}
	p.Columns = strings.Join(titles, "、")
	if p.Attendance, err = s.store.TrainingAttendance(ctx, rq.P, id); err != nil {
		return err
	}
	if p.Archive, err = s.store.TrainingArchives(ctx, rq.P, id); err != nil {
		return err
	}
	if p.Evaluations, err = s.store.TrainingEvaluations(ctx, rq.P, id); err != nil {
		return err
	}
	s.render(w, r, rq, status, "prevention_session", p)
	return nil
}

// qrDataURL is s as a QR code image (medium error correction, 256 px),
// a PNG in a data URL the page shows and prints: the security policy
// allows data: images, and nothing is stored.
func qrDataURL(s string) (template.URL, error) {
	png, err := qrcode.Encode(s, qrcode.Medium, 256)
	if err != nil {
		return "", fmt.Errorf("check-in QR code: %w", err)
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// checkinURL is the public check-in address of a token, on the host the
// page was asked from.
func checkinURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/portal/checkin/" + token
}

func (s *Server) afterSessionChange(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error, done string) error {
	return s.afterChange(w, r, rq, err, done, fmt.Sprintf("/prevention/sessions/%d", id), func(status int, msg string) error {
		return s.showSession(w, r, rq, id, status, &sessionPage{Err: msg})
	})
}

func (s *Server) sessionSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in, _, err := sessionForm(r)
	if err == nil {
		_, err = s.store.UpdateTrainingSession(r.Context(), rq.P, id, version, in)
	}
	return s.afterSessionChange(w, r, rq, id, err, "培训场次已修改。")
}

func (s *Server) sessionStep(step func(r *http.Request, rq *request, id, version int64) (store.TrainingSession, error), done string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request, rq *request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		if err := web.ParseForm(r); err != nil {
			return err
		}
		version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
		_, err = step(r, rq, id, version)
		return s.afterSessionChange(w, r, rq, id, err, done)
	}
}

func (s *Server) sessionHeld(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.sessionStep(func(r *http.Request, rq *request, id, v int64) (store.TrainingSession, error) {
		return s.store.MarkTrainingHeld(r.Context(), rq.P, id, v)
	}, "已登记为已举办。")(w, r, rq)
}

func (s *Server) sessionClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.sessionStep(func(r *http.Request, rq *request, id, v int64) (store.TrainingSession, error) {
		return s.store.CloseTrainingSession(r.Context(), rq.P, id, v)
	}, "培训场次已验收，可以办理支付。")(w, r, rq)
}

func (s *Server) sessionCancel(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.sessionStep(func(r *http.Request, rq *request, id, v int64) (store.TrainingSession, error) {
		return s.store.CancelTrainingSession(r.Context(), rq.P, id, v)
	}, "培训场次已取消。")(w, r, rq)
}

// multipartFile parses a multipart form and returns its file field (nil
// when none was chosen).
func multipartFile(r *http.Request) (multipart.File, *multipart.FileHeader, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, &errs.Error{Kind: errs.TooLarge, Message: fmt.Sprintf("文件过大：上传内容超过%d字节的上限", mbe.Limit),
				Fields: []errs.FieldError{{Field: "file", Code: "file_too_large", Message: "文件过大"}}}
		}
		return nil, nil, errs.Field("file", "required", "请选择要上传的文件")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil || hdr.Size == 0 {
		if f != nil {
			f.Close()
		}
		return nil, nil, errs.Field("file", "required", "请选择要上传的文件")
	}
	return f, hdr, nil
}

// sessionRoster is POST /prevention/sessions/{id}/roster: an enterprise's
// roster; refused whole, the page lists the problems and offers the
// uploaded sheet back with a 错误原因 column.
func (s *Server) sessionRoster(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	f, hdr, err := multipartFile(r)
	if err != nil {
		return s.afterSessionChange(w, r, rq, id, err, "")
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	res, err := s.store.ImportRoster(r.Context(), rq.P, id, hdr.Filename, data)
	if err != nil && len(res.Problems) > 0 {
		p := &sessionPage{Err: err.Error(), Problems: res.Problems}
		var buf bytes.Buffer
		if imports.ErrorFile(r.Context(), &buf, hdr.Filename, data, res.Problems) == nil {
			p.ErrorFile = template.URL("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
		}
		return s.showSession(w, r, rq, id, web.Status(err), p)
	}
	done := fmt.Sprintf("名单已导入%d人", res.Added)
	if res.Linked > 0 {
		done += fmt.Sprintf("，其中%d人与已登记职工关联", res.Linked)
	}
	return s.afterSessionChange(w, r, rq, id, err, done+"。")
}

func (s *Server) sessionAttendee(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	a, err := s.store.AddAttendee(r.Context(), rq.P, id, prevention.Attendee{Name: r.PostFormValue("name"), IDNumber: r.PostFormValue("id_number"),
		Employer: r.PostFormValue("employer"), Audience: r.PostFormValue("audience")})
	return s.afterSessionChange(w, r, rq, id, err, fmt.Sprintf("已登记参训人员%s。", a.Name))
}

func (s *Server) sessionArchive(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	f, hdr, err := multipartFile(r)
	if err != nil {
		return s.afterSessionChange(w, r, rq, id, err, "")
	}
	defer f.Close()
	minutes, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("minutes")))
	seconds, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("seconds")))
	a, err := s.store.AddTrainingArchive(r.Context(), rq.P, id, store.ArchiveInput{Kind: r.FormValue("kind"), DurationS: minutes*60 + seconds, FileName: hdr.Filename}, f)
	return s.afterSessionChange(w, r, rq, id, err, fmt.Sprintf("已上传%s“%s”。", a.KindName(), a.FileName))
}

// archiveFile is GET /prevention/archive/{id}: the file streamed with its
// own content type, never sniffed.
func (s *Server) archiveFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rc, a, err := s.store.OpenTrainingArchive(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	if rs, ok := rc.(io.ReadSeeker); ok {
		// a recording is watched with seeking: ranges through ServeContent
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Type", a.ContentType)
		w.Header().Set("Content-Disposition", "inline"+strings.TrimPrefix(web.ContentDisposition(a.FileName, "archive-"+strconv.FormatInt(a.ID, 10)), "attachment"))
		http.ServeContent(w, r, "", a.CreatedAt, rs)
		return nil
	}
	web.ServeStored(w, rc, web.Stored{ContentType: a.ContentType, Size: a.Size, Name: a.FileName, Fallback: "archive-" + strconv.FormatInt(a.ID, 10)})
	return nil
}

func (s *Server) sessionChecklist(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	ss, err := s.store.FindTrainingSession(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	form, err := s.store.EvaluationFormOn(r.Context(), ss.Region, ss.HeldOn)
	if err != nil {
		return err
	}
	c := prevention.Checklist{Items: form.Items, Scores: map[string]int{}, Note: r.PostFormValue("note")}
	var fs errs.Fields
	for _, it := range c.Items {
		v := strings.TrimSpace(r.PostFormValue("score_" + it.Code))
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.Add("scores."+it.Code, "number", "评估项目“%s”的得分应为整数", it.Title)
			continue
		}
		c.Scores[it.Code] = n
	}
	var ev store.TrainingEvaluation
	if err = fs.Err(); err == nil {
		ev, err = s.store.RecordChecklist(r.Context(), rq.P, s.params.Set(r.Context()), id, c)
	}
	return s.afterSessionChange(w, r, rq, id, err, fmt.Sprintf("评估表已录入，得分%s分。", ev.Score))
}

// sessionQuestionnaire takes a batch of paper questionnaires, one line
// each: the satisfaction answers (1–5) then the test as correct/total,
// e.g. "5 4 5 8/10".
func (s *Server) sessionQuestionnaire(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	q, err := parseResponses(r.PostFormValue("responses"))
	var ev store.TrainingEvaluation
	if err == nil {
		ev, err = s.store.RecordQuestionnaire(r.Context(), rq.P, s.params.Set(r.Context()), id, q)
	}
	return s.afterSessionChange(w, r, rq, id, err, fmt.Sprintf("已录入%d份调查问卷。", ev.Responses()))
}

func parseResponses(text string) (prevention.Questionnaire, error) {
	var q prevention.Questionnaire
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var resp prevention.Response
		for _, f := range strings.Fields(strings.NewReplacer("，", " ", ",", " ").Replace(line)) {
			if a, b, ok := strings.Cut(f, "/"); ok {
				c, err1 := strconv.Atoi(a)
				t, err2 := strconv.Atoi(b)
				if err1 != nil || err2 != nil {
					return q, errs.Field("responses", "format", "第%d行的测试成绩应写作“答对数/题数”，如8/10", i+1)
				}
				resp.Correct, resp.Total = c, t
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return q, errs.Field("responses", "format", "第%d行应为1–5的满意度分数，以空格分隔，最后是“答对数/题数”", i+1)
			}
			resp.Satisfaction = append(resp.Satisfaction, n)
		}
		q.Responses = append(q.Responses, resp)
	}
	return q, nil
}

type paymentsPage struct {
	base
	Budgets  []store.TrainingBudget
	Payments []store.TrainingPayment
	CanPrep  bool
	CanAppr  bool
	Err      string
}

func (s *Server) paymentList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showPayments(w, r, rq, http.StatusOK, "")
}

func (s *Server) showPayments(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	p := &paymentsPage{base: base{Title: "工伤预防费支付"}, CanPrep: rq.P.Can(access.PermPreventionPrepare), CanAppr: rq.P.Can(access.PermPreventionApprove), Err: msg}
	var err error
	if p.Budgets, err = s.store.TrainingBudgets(r.Context(), rq.P); err != nil {
		return err
	}
	if p.Payments, err = s.store.TrainingPayments(r.Context(), rq.P, 0); err != nil {
		return err
	}
	s.render(w, r, rq, status, "prevention_payments", p)
	return nil
}

func (s *Server) afterPayment(w http.ResponseWriter, r *http.Request, rq *request, err error, done string) error {
	return s.afterChange(w, r, rq, err, done, "/prevention/payments", func(status int, msg string) error {
		return s.showPayments(w, r, rq, status, msg)
	})
}

func (s *Server) paymentPrepare(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	p, err := s.store.PrepareTrainingPayment(r.Context(), rq.P, s.params.Set(r.Context()), id)
	return s.afterPayment(w, r, rq, err, fmt.Sprintf("已提交支付%s元，待审批。", yuanText(p.AmountFen)))
}

func (s *Server) paymentApprove(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	p, err := s.store.ApproveTrainingPayment(r.Context(), rq.P, id, version)
	return s.afterPayment(w, r, rq, err, fmt.Sprintf("已审批支付%s元。", yuanText(p.AmountFen)))
}

func (s *Server) paymentReturn(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err = s.store.ReturnTrainingPayment(r.Context(), rq.P, id, version, r.PostFormValue("note"))
	return s.afterPayment(w, r, rq, err, "支付已退回经办人。")
}

func yuanText(fen int64) string { return param.FormatMoneyGrouped(fen) }

// projectAccept is the city's acceptance of a publicity project's
// deliverables, after which it can be paid.
func (s *Server) projectAccept(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	_, err = s.store.AcceptPublicity(r.Context(), rq.P, id, r.PostFormValue("deliverables"), r.PostFormValue("note"))
	return s.afterPayment(w, r, rq, err, "宣传项目已验收，可以计算并提交支付。")
}
