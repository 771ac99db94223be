package backoffice

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// A visit's page (检查对象): the institution with its tier, score and
// depth, the team drawn for it, its findings with their next steps (the
// forms post to the campaign's handlers, which come back here), the
// on-site evidence with the upload form, and the visit's own steps: marked
// visited, closed. Also the evidence file, the campaign's close and an
// inspector's retirement.

type visitPage struct {
	base
	Visit      store.CampaignVisit
	Campaign   store.Campaign
	States     map[string]string
	VisitState map[string]string
	RiskTiers  map[string]string
	Members    []supervision.Inspector
	Findings   []findingBlock
	Evidence   []store.Evidence
	Letters    []store.AuditLetter
	Kinds      map[string]string
	Rating     store.CreditRating
	CanEdit    bool // auditors: findings and the visit's steps
	CanAdd     bool // auditors and the insurer assisting: evidence
	Open       bool // the campaign is drawn or on site
	Err        string
}

func (s *Server) visitShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return s.showVisit(w, r, rq, id, http.StatusOK, "")
}

func (s *Server) showVisit(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, msg string) error {
	ctx := r.Context()
	v, err := s.store.FindVisit(ctx, rq.P, id)
	if err != nil {
		return err
	}
	c, err := s.store.FindCampaignAny(ctx, v.CampaignID)
	if err != nil {
		return err
	}
	name := v.Institution
	if v.Name != "" {
		name = v.Name
	}
	p := &visitPage{base: base{Title: "检查对象 " + name}, Visit: v, Campaign: c, States: store.CampaignStates, VisitState: store.VisitStates,
		RiskTiers: riskTierNames, Kinds: store.EvidenceKinds,
		CanEdit: rq.P.Can(access.PermSupervisionReview), CanAdd: rq.P.Can(access.PermSupervisionReview) || rq.P.Can(access.PermSupervisionScreen),
		Open: c.State == "drawn" || c.State == "on_site", Err: msg}
	teams, err := s.store.CampaignTeams(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, t := range teams {
		if t.No == v.Team {
			p.Members = t.Members
		}
	}
	findings, err := s.store.FieldFindings(ctx, rq.P.Scope(), c.ID)
	if err != nil {
		return err
	}
	if p.Findings, err = s.findingBlocks(ctx, findings, v.ID); err != nil {
		return err
	}
	if p.Evidence, err = s.store.VisitEvidence(ctx, rq.P, v.ID, 0); err != nil {
		return err
	}
	if p.Letters, err = s.store.AuditLetters(ctx, rq.P, v.ID); err != nil {
		return err
	}
	if p.Rating, err = s.store.Rating(ctx, v.Institution); err != nil {
		return err
	}
	s.render(w, r, rq, status, "supervision_visit", p)
	return nil
}

// afterVisitChange shows the visit again with the refusal, or follows a
// done change back to it with its message.
func (s *Server) afterVisitChange(w http.ResponseWriter, r *http.Request, rq *request, visitID int64, err error, done string) error {
	return s.afterChange(w, r, rq, err, done, fmt.Sprintf("/supervision/visits/%d", visitID), func(status int, msg string) error {
		return s.showVisit(w, r, rq, visitID, status, msg)
	})
}

// visitEvidenceAdd is POST /supervision/visits/{id}/evidence: a note, or a
// file (multipart) with its kind, title and the finding it is for.
func (s *Server) visitEvidenceAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
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
	in := store.EvidenceInput{VisitID: id, Kind: r.FormValue("kind"), Title: r.FormValue("title"), Note: r.FormValue("note")}
	in.FindingID, _ = strconv.ParseInt(r.FormValue("finding"), 10, 64)
	var file multipart.File
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		if hdr.Size > 0 {
			file, in.FileName = f, hdr.Filename
		}
	}
	var ev store.Evidence
	if file != nil {
		ev, err = s.store.AddEvidence(r.Context(), rq.P, in, file)
	} else {
		ev, err = s.store.AddEvidence(r.Context(), rq.P, in, nil)
	}
	return s.afterVisitChange(w, r, rq, id, err, fmt.Sprintf("已登记%s“%s”。", ev.KindName(), ev.Title))
}

// evidenceFile is GET /supervision/evidence/{id}: the stored file, inline
// with its own content type (never sniffed).
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rc, e, err := s.store.OpenEvidence(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	defer rc.Close()
	web.ServeStored(w, rc, web.Stored{ContentType: e.ContentType, Size: e.Size, Name: e.FileName, Fallback: "evidence-" + strconv.FormatInt(e.ID, 10)})
	return nil
}

func (s *Server) visitStep(w http.ResponseWriter, r *http.Request, rq *request, step func(id, version int64) (store.CampaignVisit, error), done string) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err = step(id, version)
	return s.afterVisitChange(w, r, rq, id, err, done)
}

func (s *Server) visitVisited(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.visitStep(w, r, rq, func(id, version int64) (store.CampaignVisit, error) {
		return s.store.MarkVisited(r.Context(), rq.P, id, version)
	}, "已登记现场检查。")
}

func (s *Server) visitClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.visitStep(w, r, rq, func(id, version int64) (store.CampaignVisit, error) {
		return s.store.CloseVisit(r.Context(), rq.P, id, version)
	}, "检查对象已办结。")
}

func (s *Server) campaignClose(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	c, err := s.store.CloseCampaign(r.Context(), rq.P, id, version)
	return s.afterCampaignChange(w, r, rq, id, err, fmt.Sprintf("稽核计划“%s”已结束。", c.Name))
}

func (s *Server) inspectorRetire(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	in, err := s.store.RetireInspector(r.Context(), rq.P, id, version)
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showCampaigns(w, r, rq, web.Status(err), msg)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("稽核人员%s已退出人员库，不再参加抽签。", in.Name))
	http.Redirect(w, r, "/supervision/campaigns", http.StatusSeeOther)
	return nil
}
