package backoffice

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/imports"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

type importPage struct {
	base
	Progress  string // id under which the next upload reports its progress
	Kind      string
	Kinds     [][2]string
	GoodOnly  bool
	Result    *store.ImportRecord
	Groups    []importGroup
	ErrorFile string // download path of the error file, when there are bad rows
	FileError string // a refusal of the file itself, marked on the file field
}

type importGroup struct {
	imports.ProblemGroup
	More int // problems of the group not listed
}

var importKinds = [][2]string{{imports.Employers, "用人单位"}, {imports.Workers, "职工（含劳动关系）"}, {imports.Wages, "月缴费工资（已登记职工，同月重复导入即更正）"}}

// firstRows is how many rows of each reason the summary lists.
const firstRows = 5

func (s *Server) importForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.URL.Query().Get("kind")
	if imports.Header(kind) == nil {
		kind = imports.Employers
	}
	s.render(w, r, rq, http.StatusOK, "import", &importPage{base: base{Title: "批量导入"}, Progress: newToken(), Kind: kind, Kinds: importKinds})
	return nil
}

func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	name, data, err := web.ReadUpload(r, "file")
	kind := r.FormValue("kind")
	p := &importPage{base: base{Title: "批量导入"}, Progress: newToken(), Kind: kind, Kinds: importKinds, GoodOnly: r.FormValue("good_only") != ""}
	var res store.ImportRecord
	if err == nil {
		report := s.progress.start(rq.P.UserID, r.FormValue("progress"), s.store.Now())
		res, err = imports.RunWithProgress(r.Context(), s.store, rq.P, kind, name, data, p.GoodOnly, report)
	}
	if fe, ok := errs.First(err); ok && errs.Is(err, errs.Invalid) {
		res = store.ImportRecord{Outcome: imports.OutcomeRejected, Summary: "未导入：" + fe.Message}
		if fe.Field == "file" {
			p.FileError = fe.Message
		}
	} else if err != nil {
		return err
	}
	p.Result = &res
	for _, g := range imports.GroupProblems(res.Problems, firstRows) {
		p.Groups = append(p.Groups, importGroup{ProblemGroup: g, More: g.Count - len(g.First)})
	}
	if res.Bad > 0 {
		token, err := s.errFiles.put(rq.P.UserID, &errorFile{kind: kind, filename: name, data: data, problems: res.Problems}, s.store.Now())
		if err != nil {
			return err
		}
		p.ErrorFile = "/import/errors/" + token
	}
	status := http.StatusOK
	if res.Outcome == imports.OutcomeRejected {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, rq, status, "import", p)
	return nil
}

// importErrors sends the error file of one of the user's own recent
// uploads: the sheet with a 错误原因 column.
func (s *Server) importErrors(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, ok := s.errFiles.get(rq.P.UserID, r.PathValue("token"), s.store.Now())
	if !ok {
		return errs.E(errs.NotFound, "错误文件不存在或已过期（上传后保留%d分钟），请重新上传文件", int(errorFileTTL/time.Minute))
	}
	var buf bytes.Buffer
	if err := imports.ErrorFile(r.Context(), &buf, f.filename, f.data, f.problems); err != nil {
		return err
	}
	base := strings.TrimSuffix(f.filename, pathExt(f.filename))
	attachment(w, base+"-错误原因.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, rq *request) error {
	kind := r.PathValue("kind")
	var buf bytes.Buffer
	if err := imports.Template(&buf, kind); err != nil {
		return err
	}
	attachment(w, imports.KindTitle(kind)+"导入模板.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

// attachment marks the answer as an .xlsx download named name (UTF-8,
// RFC 6266), with an ASCII fallback.
func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="gongshang.xlsx"; filename*=UTF-8''`+url.PathEscape(name))
}

func pathExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// Error files: what an upload needs to build its error file (the file as
// uploaded and its problems) is kept in this process's memory, for
// errorFileTTL, for the user who uploaded it, under a random 128-bit
// token; a user keeps their last errorFilesPerUser, all users together at
// most errorFilesMaxBytes (the oldest go first). Nothing is written to
// disk; a restart forgets them, and with several serve processes the
// download must reach the process that took the upload (the page then
// says it has expired).
const (
	errorFileTTL       = 30 * time.Minute
	errorFilesPerUser  = 3
	errorFilesMaxBytes = 256 << 20
)

type errorFile struct {
	user     int64
	at       time.Time
	kind     string
	filename string
	data     []byte
	problems []store.ImportProblem
}

type errorFiles struct {
	mu    sync.Mutex
	m     map[string]*errorFile
	bytes int64
}

// newToken is a random 128-bit identifier, in hex.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func (c *errorFiles) put(user int64, f *errorFile, now time.Time) (string, error) {
	token := newToken()
	f.user, f.at = user, now
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*errorFile{}
	}
	mine := 0
	for t, e := range c.m {
		if now.Sub(e.at) > errorFileTTL {
			c.drop(t)
		} else if e.user == user {
			mine++
		}
	}
	for mine >= errorFilesPerUser {
		c.dropOldest(func(e *errorFile) bool { return e.user == user })
		mine--
	}
	for c.bytes+int64(len(f.data)) > errorFilesMaxBytes && len(c.m) > 0 {
		c.dropOldest(func(*errorFile) bool { return true })
	}
	c.m[token] = f
	c.bytes += int64(len(f.data))
	return token, nil
}

func (c *errorFiles) get(user int64, token string, now time.Time) (*errorFile, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[token]
	if !ok || f.user != user || now.Sub(f.at) > errorFileTTL {
		return nil, false
	}
	return f, true
}

func (c *errorFiles) drop(token string) {
	c.bytes -= int64(len(c.m[token].data))
	delete(c.m, token)
}

func (c *errorFiles) dropOldest(match func(*errorFile) bool) {
	oldest := ""
	for t, e := range c.m {
		if match(e) && (oldest == "" || e.at.Before(c.m[oldest].at)) {
			oldest = t
		}
	}
	if oldest != "" {
		c.drop(oldest)
	}
}

// Progress of running imports: the page's script polls
// /import/progress/{id} with the id its form carried, and sees the phase
// and rows done of the user's own import, for importProgressTTL.
const importProgressTTL = 10 * time.Minute

var progressID = regexp.MustCompile(`^[0-9a-f]{32}$`)

type importProgress struct {
	mu sync.Mutex
	m  map[string]*progressEntry
}

type progressEntry struct {
	user int64
	at   time.Time
	p    imports.Progress
}

// start registers an import's progress under id (made by newToken for the
// form); a missing or malformed id reports nowhere.
func (c *importProgress) start(user int64, id string, now time.Time) func(imports.Progress) {
	if !progressID.MatchString(id) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*progressEntry{}
	}
	for k, e := range c.m {
		if now.Sub(e.at) > importProgressTTL {
			delete(c.m, k)
		}
	}
	if old, ok := c.m[id]; ok && old.user != user {
		return nil // someone else's id: never overwrite it
	}
	e := &progressEntry{user: user, at: now}
	c.m[id] = e
	return func(p imports.Progress) {
		c.mu.Lock()
		e.p = p
		c.mu.Unlock()
	}
}

func (c *importProgress) get(user int64, id string) (imports.Progress, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || e.user != user {
		return imports.Progress{}, false
	}
	return e.p, true
}

type progressAnswer struct {
	Phase string `json:"phase"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	Text  string `json:"text"`
}

// importProgressShow answers the progress of the user's own import as JSON.
func (s *Server) importProgressShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, ok := s.progress.get(rq.P.UserID, r.PathValue("pid"))
	if !ok {
		web.WriteJSON(w, http.StatusNotFound, progressAnswer{Phase: "unknown", Text: "正在上传文件……"})
		return nil
	}
	a := progressAnswer{Phase: p.Phase, Done: p.Done, Total: p.Total}
	switch p.Phase {
	case imports.PhaseReading:
		a.Text = "正在读取文件……"
	case imports.PhaseChecking:
		a.Text = fmt.Sprintf("正在检查：%d / %d 行", p.Done, p.Total)
	case imports.PhaseSaving:
		a.Text = fmt.Sprintf("检查完毕（%d行），正在保存……", p.Total)
	case imports.PhaseDone:
		a.Text = "已完成，正在显示结果……"
	}
	web.WriteJSON(w, http.StatusOK, a)
	return nil
}

// importScript serves the import page's progress script (a file, since
// the content security policy allows no inline script).
func (s *Server) importScript(w http.ResponseWriter, r *http.Request, _ *request) error {
	b, err := staticFS.ReadFile("static/import.js")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, err = w.Write(b)
	return err
}
