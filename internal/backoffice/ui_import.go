package backoffice

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
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
	s.render(w, r, rq, http.StatusOK, "import", &importPage{base: base{Title: "批量导入"}, Kind: kind, Kinds: importKinds})
	return nil
}

func (s *Server) importSubmit(w http.ResponseWriter, r *http.Request, rq *request) error {
	name, data, err := web.ReadUpload(r, "file")
	kind := r.FormValue("kind")
	p := &importPage{base: base{Title: "批量导入"}, Kind: kind, Kinds: importKinds, GoodOnly: r.FormValue("good_only") != ""}
	var res store.ImportRecord
	if err == nil {
		res, err = imports.Run(r.Context(), s.store, rq.P, kind, name, data, p.GoodOnly)
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
		token, err := s.errFiles.put(rq.P.UserID, &errorFile{kind: kind, filename: name, data: data, problems: res.Problems}, time.Now())
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
	f, ok := s.errFiles.get(rq.P.UserID, r.PathValue("token"), time.Now())
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

func (c *errorFiles) put(user int64, f *errorFile, now time.Time) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b[:])
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
