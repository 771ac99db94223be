package backoffice

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/param"
	"gongshang/internal/web"
)

// The case page's changes. Each redirects to the case page with a flash
// on success; a refusal shows the page again with the message beside the
// form that caused it (and the error's status).

// actionFromForm reads an action form; numbers that do not parse are
// field errors.
func actionFromForm(r *http.Request) (casebundle.Action, map[string]string, error) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	a := casebundle.Action{Name: casebundle.ActionName(v("action")), On: v("on"), Reason: v("reason"), Evidence: v("evidence"),
		Outcome: casebundle.Outcome(v("outcome")), Ground: v("ground"), AppealKind: v("appeal_kind"), AppealResult: v("appeal_result"),
		ExamOn: v("exam_on"), ExamPlace: v("exam_place"), CareLevel: casebundle.CareLevel(v("care_level")), Notes: v("notes")}
	in := map[string]string{}
	for _, k := range []string{"on", "reason", "evidence", "outcome", "ground", "appeal_kind", "appeal_result", "exam_on", "exam_place", "level", "care_level", "clauses", "notes", "granted"} {
		in[k] = v(k)
	}
	a.Missing = r.PostForm["missing"]
	for i, name := range r.PostForm["investigators"] {
		in["investigators"+strconv.Itoa(i)] = name
		if name = strings.TrimSpace(name); name != "" {
			a.Investigators = append(a.Investigators, name)
		}
	}
	if c := v("clauses"); c != "" {
		a.Clauses = strings.FieldsFunc(c, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == ' ' })
	}
	if l := v("level"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil {
			return a, in, errs.Field("level", "int_format", "伤残等级“%s”无效", l)
		}
		a.Level = &n
	}
	switch v("granted") {
	case "1":
		yes := true
		a.Granted = &yes
	case "0":
		no := false
		a.Granted = &no
	}
	if avg := v("avg_wage"); avg != "" {
		fen, err := param.ParseMoney(avg)
		if err != nil {
			return a, in, errs.Field("avg_wage", "amount_format", "月平均缴费工资“%s”无效（元，最多两位小数）", avg)
		}
		a.AvgWageFen = &fen
	}
	in["avg_wage"] = v("avg_wage")
	if ver := v("version"); ver != "" {
		n, err := strconv.ParseInt(ver, 10, 64)
		if err != nil {
			return a, in, errs.Field("version", "int_format", "版本号无效")
		}
		a.Version = &n
	}
	return a, in, nil
}

// panelFromForm reads the draw: 3 or 5 experts, the 门类 needed.
func panelFromForm(r *http.Request) (int, []expertpool.Group, error) {
	size, err := strconv.Atoi(r.PostFormValue("panel_size"))
	if err != nil {
		return 0, nil, errs.Field("panel_size", "invalid", "专家组人数应为3人或5人（条例第二十五条）")
	}
	var groups []expertpool.Group
	for _, g := range r.PostForm["groups"] {
		groups = append(groups, expertpool.Group(g))
	}
	return size, groups, nil
}

// caseAct is POST /cases/{id}/services/{sid}/actions.
func (s *Server) caseAct(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil || sid <= 0 {
		return errs.E(errs.NotFound, "业务编号“%s”无效", r.PathValue("sid"))
	}
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "表单无效")
	}
	a, in, err := actionFromForm(r)
	where := fmt.Sprintf("action:%d:%s", sid, a.Name)
	if err == nil {
		var c casebundle.Case
		set := s.params.Set(r.Context())
		if a.Name == casebundle.ActDrawPanel {
			var size int
			var groups []expertpool.Group
			if size, groups, err = panelFromForm(r); err == nil {
				c, err = s.store.DrawPanel(r.Context(), rq.P, set, id, sid, size, groups)
			}
		} else {
			c, _, err = s.store.ActOnCase(r.Context(), rq.P, set, id, sid, a)
		}
		if err == nil {
			name := a.Name.Name()
			if svc := c.ServiceByID(sid); svc != nil {
				name = svc.Kind.Name() + "：" + name + "，当前状态“" + svc.State.Name() + "”"
			}
			s.flash(r, rq, "已办理"+name+"。")
			http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
			return nil
		}
	}
	return s.refused(w, r, rq, id, &caseFailure{where: where, err: err, in: in})
}

// refused shows the case page with a refusal; a case the user may not see
// (or an internal error) is the ordinary error page.
func (s *Server) refused(w http.ResponseWriter, r *http.Request, rq *request, id int64, f *caseFailure) error {
	var e *errs.Error
	if !errors.As(f.err, &e) || errs.Is(f.err, errs.NotFound) {
		return f.err
	}
	return s.showCase(w, r, rq, id, f)
}

// caseProcedure is POST /cases/{id}/procedure: mode=simple with the
// checklist, or mode=normal with the reason.
func (s *Server) caseProcedure(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	simple := r.PostFormValue("mode") == "simple"
	_, err = s.store.ChangeProcedure(r.Context(), rq.P, s.params.Set(r.Context()), id, simple, checklistFromForm(r), strings.TrimSpace(r.PostFormValue("reason")))
	if err != nil {
		return s.refused(w, r, rq, id, &caseFailure{where: "procedure", err: err})
	}
	msg := "已转为普通程序，办理时限已重新计算。"
	if simple {
		msg = "已适用简易程序，办理时限已重新计算。"
	}
	s.flash(r, rq, msg)
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
	return nil
}

// caseAddService is POST /cases/{id}/services.
func (s *Server) caseAddService(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	kind := casebundle.ServiceKind(r.PostFormValue("kind"))
	if !kind.Valid() {
		return s.refused(w, r, rq, id, &caseFailure{where: "service", err: errs.Field("kind", "required", "请选择要增加的办理事项")})
	}
	if _, err := s.store.AddCaseService(r.Context(), rq.P, s.params.Set(r.Context()), id, kind, strings.TrimSpace(r.PostFormValue("on"))); err != nil {
		return s.refused(w, r, rq, id, &caseFailure{where: "service", err: err})
	}
	s.flash(r, rq, "已增加办理事项：“"+kind.Name()+"”。")
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
	return nil
}

// caseUpload is POST /cases/{id}/files (multipart: material, file).
func (s *Server) caseUpload(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	f, hdr, err := uploadedFile(r)
	if err != nil {
		return s.refused(w, r, rq, id, &caseFailure{where: "upload", err: err})
	}
	defer f.Close()
	cf, err := s.store.PutCaseFile(r.Context(), rq.P, id, r.FormValue("material"), hdr.Filename, f)
	if err != nil {
		return s.refused(w, r, rq, id, &caseFailure{where: "upload", err: err})
	}
	name := cf.Material
	if m, ok := casebundle.MaterialByCode(cf.Material); ok {
		name = m.Name
	}
	s.flash(r, rq, "已上传"+name+"：“"+cf.FileName+"”。")
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
	return nil
}

// uploadedFile is the form's file; a too large body is the pipeline's
// limit, named in the message.
func uploadedFile(r *http.Request) (multipart.File, *multipart.FileHeader, error) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, nil, &errs.Error{Kind: errs.TooLarge, Message: fmt.Sprintf("文件过大：上传内容超过%d字节的上限", mbe.Limit),
				Fields: []errs.FieldError{{Field: "file", Code: "file_too_large", Message: "文件过大"}}}
		}
		return nil, nil, errs.Field("file", "required", "请选择要上传的文件（PDF、JPEG或PNG）")
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, nil, errs.Field("file", "required", "请选择要上传的文件（PDF、JPEG或PNG）")
	}
	return f, hdr, nil
}

// caseFile is GET /cases/{id}/files/{fid}: the upload, inline, with its
// own content type.
func (s *Server) caseFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("fid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "文件不存在")
	}
	rc, f, err := s.store.OpenCaseFile(r.Context(), rq.P, id, fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: f.ContentType, Size: f.Size, Name: f.FileName, Fallback: "file-" + strconv.FormatInt(f.ID, 10)})
	return nil
}

// caseLetter is GET /cases/{id}/letters/{lid}: the stored PDF, the same
// bytes on every download.
func (s *Server) caseLetter(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return errs.E(errs.NotFound, "文书不存在")
	}
	rc, l, err := s.store.OpenCaseLetter(r.Context(), rq.P, id, lid)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: "application/pdf", Size: l.Size, Name: letterName(l.Kind) + "-" + l.Number + ".pdf",
		Fallback: "letter-" + strconv.FormatInt(l.ID, 10) + ".pdf", Attachment: true})
	return nil
}

// caseClaim is POST /cases/{id}/services/{sid}/claim: assign=1 takes the
// service on (认领), assign=0 gives it back to the region's queue.
func (s *Server) caseClaim(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil || sid <= 0 {
		return errs.E(errs.NotFound, "业务编号“%s”无效", r.PathValue("sid"))
	}
	var version *int64
	if v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err == nil {
		version = &v
	}
	mode := r.PostFormValue("assign")
	if mode != "0" && mode != "1" {
		return s.refused(w, r, rq, id, &caseFailure{where: fmt.Sprintf("action:%d:claim", sid), err: errs.Field("assign", "required", "请指明认领（1）或释放（0）")})
	}
	assign := mode == "1"
	c, err := s.store.ClaimCaseService(r.Context(), rq.P, id, sid, assign, version)
	if err != nil {
		return s.refused(w, r, rq, id, &caseFailure{where: fmt.Sprintf("action:%d:claim", sid), err: err})
	}
	name := "该事项"
	if svc := c.ServiceByID(sid); svc != nil {
		name = svc.Kind.Name()
	}
	if assign {
		s.flash(r, rq, "已认领"+name+"，可在“分配给我”中查看。")
	} else {
		s.flash(r, rq, "已释放"+name+"，退回地区待办。")
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d", id), http.StatusSeeOther)
	return nil
}
