package backoffice

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/prevention"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The prevention expert pool's pages (工伤预防 · 专家库): the pool by
// specialty, status and a search, with its Excel export and the add form;
// an expert's page with the details and their edit form, the status
// actions (each with its reason), the courseware by topic and revision
// with the upload and review forms, the status history and the sessions
// taught with their scores. Who sees which form follows the store's rule:
// the city's staff and the insurer's keep the pool, only the city's
// prevention staff change a status or review courseware, a county reads.

// maxCoursewareUpload bounds a courseware upload's request body.
const maxCoursewareUpload = 32 << 20

func expertListSpec() *web.ListSpec {
	sp := make([]web.Choice, 0, len(prevention.Specialties))
	for _, s := range prevention.Specialties {
		sp = append(sp, web.Choice{Value: string(s), Name: s.Name()})
	}
	st := make([]web.Choice, 0, len(prevention.ExpertStatuses))
	for _, s := range prevention.ExpertStatuses {
		st = append(st, web.Choice{Value: string(s), Name: s.Name()})
	}
	return &web.ListSpec{Path: "/prevention/experts", Name: "工伤预防培训专家库", Filters: []web.Filter{
		{Key: "specialty", Label: "专业领域", Choices: sp}, {Key: "status", Label: "状态", Choices: st}}}
}

type expertsPage struct {
	base
	Experts     []prevention.Expert
	Query       *web.ListQuery
	Specialties []prevention.Specialty
	Departments []prevention.Department
	Statuses    []prevention.ExpertStatus
	CanAdd      bool // keeps the pool (the city's staff, the insurer's)
	Proposes    bool // adds as a proposal (the insurer's staff)
	Form        prevention.Expert
	Err         string
	Fields      map[string]string
}

// mayKeepPool reports whether p keeps its city's pool: preparing at a
// city.
func mayKeepPool(p access.Principal) bool {
	return p.Can(access.PermPreventionPrepare) && len(p.RegionCode) == 6 && p.RegionCode[2:4] != "00" && p.RegionCode[4:] == "00"
}

func (s *Server) expertList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showExperts(w, r, rq, http.StatusOK, prevention.Expert{}, nil)
}

func (s *Server) showExperts(w http.ResponseWriter, r *http.Request, rq *request, status int, form prevention.Expert, ferr error) error {
	q, err := web.ParseList(r, expertListSpec())
	if err != nil {
		return err
	}
	f := store.ExpertQuery{Specialty: prevention.Specialty(q.Get("specialty")), Status: prevention.ExpertStatus(q.Get("status")), Search: q.Q}
	list, err := s.store.PreventionExperts(r.Context(), rq.P, f)
	if err != nil {
		return err
	}
	if q.Export {
		return s.exportExperts(w, r, rq, q, list)
	}
	p := &expertsPage{base: base{Title: "工伤预防培训专家库"}, Experts: list, Query: q, Specialties: prevention.Specialties,
		Departments: prevention.Departments, Statuses: prevention.ExpertStatuses, CanAdd: mayKeepPool(rq.P),
		Proposes: !rq.P.Can(access.PermPreventionApprove), Form: form}
	if ferr != nil {
		p.Err, p.Fields = formErrors(ferr)
	}
	s.render(w, r, rq, status, "prevention_experts", p)
	return nil
}

// formErrors is the message and the per-field messages of a refusal.
func formErrors(err error) (string, map[string]string) {
	fields := map[string]string{}
	var e *errs.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if _, ok := fields[f.Field]; !ok {
				fields[f.Field] = f.Message
			}
		}
	}
	msg, _ := formMessage(err)
	if len(fields) > 1 {
		msg = fmt.Sprintf("有%d处需要修改，见下方标注。", len(fields))
	}
	return msg, fields
}

func (s *Server) exportExperts(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, list []prevention.Expert) error {
	cols := []sheet.Column{{Header: "编号", Width: 8}, {Header: "姓名", Width: 12}, {Header: "专业领域", Width: 14}, {Header: "推荐部门", Width: 18},
		{Header: "职称", Width: 16}, {Header: "资格", Width: 30}, {Header: "工作单位", Width: 28}, {Header: "状态", Width: 8}, {Header: "状态原因", Width: 30}}
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportPreventionExperts, File: "prevention-experts", Columns: cols, Total: len(list),
		Rows: func(add sheet.RowFunc) (int, error) {
			for i, e := range list {
				if err := add(e.ID, e.Name, e.Specialty.Name(), e.Department.Name(), e.Title, e.Qualifications, e.Employer, e.Status.Name(),
					e.StatusReason); err != nil {
					return i, err
				}
			}
			return len(list), nil
		}})
}

// expertForm reads the add and edit forms' fields.
func expertForm(r *http.Request) prevention.Expert {
	return prevention.Expert{Name: r.PostFormValue("name"), Specialty: prevention.Specialty(r.PostFormValue("specialty")),
		Department: prevention.Department(r.PostFormValue("department")), Title: r.PostFormValue("title"),
		Qualifications: r.PostFormValue("qualifications"), Employer: r.PostFormValue("employer")}
}

func (s *Server) expertCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	in := expertForm(r)
	e, err := s.store.AddPreventionExpert(r.Context(), rq.P, in)
	if err != nil {
		if _, ok := formMessage(err); ok {
			return s.showExperts(w, r, rq, web.Status(err), in, err)
		}
		return err
	}
	msg := fmt.Sprintf("专家%s已加入专家库。", e.Name)
	if e.Status != prevention.ExpertActive {
		msg = fmt.Sprintf("已推荐专家%s，经市级工伤预防部门审核启用后方可安排授课。", e.Name)
	}
	s.flash(r, rq, msg)
	http.Redirect(w, r, fmt.Sprintf("/prevention/experts/%d", e.ID), http.StatusSeeOther)
	return nil
}

type expertPage struct {
	base
	Expert      prevention.Expert
	Events      []store.ExpertEvent
	Courseware  []store.Courseware
	History     store.ExpertHistory
	Next        []prevention.ExpertStatus
	Specialties []prevention.Specialty
	Departments []prevention.Department
	CanEdit     bool // keeps the pool and the expert is not removed
	CanDecide   bool // changes status and reviews courseware
	CanUpload   bool
	MayTeach    bool
	Form        prevention.Expert
	Err         string
	Fields      map[string]string
}

func (s *Server) expertShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showExpert(w, r, rq, id, http.StatusOK, nil, nil)
}

func (s *Server) showExpert(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, form *prevention.Expert, ferr error) error {
	ctx := r.Context()
	e, err := s.store.FindPreventionExpert(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p := &expertPage{base: base{Title: "专家 · " + e.Name}, Expert: e, Specialties: prevention.Specialties, Departments: prevention.Departments,
		MayTeach: prevention.MayTeach(e.Status), Form: e}
	keeper := mayKeepPool(rq.P) && access.ScopeOf(rq.P.RegionCode).Covers(e.Region)
	p.CanEdit = keeper && e.Status != prevention.ExpertRemoved
	p.CanUpload = p.CanEdit
	p.CanDecide = keeper && rq.P.Can(access.PermPreventionApprove)
	if p.CanDecide {
		p.Next = prevention.NextStatuses(e.Status)
	}
	if form != nil {
		p.Form = *form
	}
	if ferr != nil {
		p.Err, p.Fields = formErrors(ferr)
	}
	if p.Events, err = s.store.PreventionExpertEvents(ctx, rq.P, id); err != nil {
		return err
	}
	if p.Courseware, err = s.store.ExpertCourseware(ctx, rq.P, id); err != nil {
		return err
	}
	if p.History, err = s.store.PreventionExpertHistory(ctx, rq.P, id); err != nil {
		return err
	}
	s.render(w, r, rq, status, "prevention_expert", p)
	return nil
}

// afterExpertChange redirects to the expert's page with msg, or shows it
// again with the refusal when the user can fix it.
func (s *Server) afterExpertChange(w http.ResponseWriter, r *http.Request, rq *request, id int64, err error, form *prevention.Expert, msg string) error {
	return s.afterChange(w, r, rq, err, msg, fmt.Sprintf("/prevention/experts/%d", id), func(status int, _ string) error {
		return s.showExpert(w, r, rq, id, status, form, err)
	})
}

func (s *Server) expertSave(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in := expertForm(r)
	e, err := s.store.UpdatePreventionExpert(r.Context(), rq.P, id, version, in)
	return s.afterExpertChange(w, r, rq, id, err, &in, fmt.Sprintf("专家%s的信息已保存。", e.Name))
}

func (s *Server) expertStatus(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	to := prevention.ExpertStatus(r.PostFormValue("status"))
	e, err := s.store.SetPreventionExpertStatus(r.Context(), rq.P, id, version, to, r.PostFormValue("reason"))
	return s.afterExpertChange(w, r, rq, id, err, nil, fmt.Sprintf("专家%s已%s。", e.Name, to.Verb()))
}

func (s *Server) coursewareUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &errs.Error{Kind: errs.TooLarge, Message: fmt.Sprintf("文件过大：上传内容超过%d字节的上限", mbe.Limit),
				Fields: []errs.FieldError{{Field: "file", Code: "file_too_large", Message: "文件过大"}}}
		}
		if err := web.ParseForm(r); err != nil {
			return err
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	var file multipart.File
	var name string
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if hdr.Size > 0 {
			file, name = f, hdr.Filename
		}
	}
	var body io.Reader // nil without a file: the store says so, after who may upload
	if file != nil {
		body = file
	}
	c, err := s.store.UploadCourseware(r.Context(), rq.P, id, r.FormValue("topic"), name, body)
	return s.afterExpertChange(w, r, rq, id, err, nil, fmt.Sprintf("课件“%s”第%d版已提交论证。", c.Topic, c.Revision))
}

func (s *Server) coursewareReview(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	c, err := s.store.FindCourseware(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	approve := r.PostFormValue("decision") == "approve" // anything else is a rejection, which needs its note
	out, err := s.store.ReviewCourseware(r.Context(), rq.P, id, version, approve, r.PostFormValue("note"))
	return s.afterExpertChange(w, r, rq, c.ExpertID, err, nil, fmt.Sprintf("课件“%s”第%d版%s。", c.Topic, c.Revision, out.State.Name()))
}

// coursewareFile is GET /prevention/courseware/{id}: the stored PDF with
// its own content type (never sniffed).
func (s *Server) coursewareFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rc, c, err := s.store.OpenCourseware(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: c.ContentType, Size: c.Size, Name: c.FileName,
		Fallback: "courseware-" + strconv.FormatInt(c.ID, 10) + ".pdf"})
	return nil
}
