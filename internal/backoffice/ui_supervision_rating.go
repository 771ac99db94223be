package backoffice

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// What confirmed findings lead to: the clinicians' personal points (a
// form on a finding, a page of the totals and their outcome), and an
// institution's credit rating with its history and sanctions.

// responsibility is a degree of responsibility of supervision.Points.
type responsibility struct {
	N    int
	Name string
}

var responsibilities = []responsibility{{1, "直接责任"}, {2, "主要责任"}, {3, "其他责任"}}

func (s *Server) fieldFindingPoints(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.postedFinding(r, rq)
	if err != nil {
		return err
	}
	resp, _ := strconv.Atoi(r.PostFormValue("responsibility"))
	p, err := s.store.AssignPoints(r.Context(), rq.P, f.ID, r.PostFormValue("prac_code"), r.PostFormValue("name"), resp)
	return s.afterCampaignChange(w, r, rq, f.CampaignID, err, fmt.Sprintf("已对%s（%s）记%d分。", p.Name, p.Prac, p.Points))
}

type cliniciansPage struct {
	base
	Clinicians []store.ClinicianTotal
	Prac       string
	Window     int
}

func (s *Server) clinicianList(w http.ResponseWriter, r *http.Request, rq *request) error {
	prac := strings.TrimSpace(r.URL.Query().Get("prac"))
	p := &cliniciansPage{base: base{Title: "医师记分"}, Prac: prac, Window: store.PointsWindow}
	var err error
	if p.Clinicians, err = s.store.ClinicianPoints(r.Context(), rq.P.Scope(), prac); err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "supervision_clinicians", p)
	return nil
}

type auditedInstitutionPage struct {
	base
	Inst      store.AuditedInstitution
	Rating    store.CreditRating
	History   []store.RatingRecord
	Sanctions []store.SanctionRecord
}

func (s *Server) auditedInstitutionShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	in, err := s.store.FindAuditedInstitution(ctx, rq.P, strings.ToUpper(r.PathValue("code")))
	if err != nil {
		return err
	}
	p := &auditedInstitutionPage{base: base{Title: "机构信用等级 " + in.Code}, Inst: in}
	if p.Rating, err = s.store.Rating(ctx, in.Code); err != nil {
		return err
	}
	if p.History, err = s.store.RatingHistory(ctx, in.Code); err != nil {
		return err
	}
	if p.Sanctions, err = s.store.Sanctions(ctx, in.Code); err != nil {
		return err
	}
	s.render(w, r, rq, http.StatusOK, "supervision_institution", p)
	return nil
}

// suggestions are the sanctions suggested for the visits with confirmed
// findings of the campaign, in visit order.
func (s *Server) suggestions(r *http.Request, rq *request, campaignID int64, visits []store.CampaignVisit, findings []store.FieldFinding) ([]store.SanctionSuggestion, error) {
	confirmed := map[string]bool{}
	for _, f := range findings {
		switch f.State {
		case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying, supervision.FindingClosed:
			confirmed[f.Institution] = true
		}
	}
	var out []store.SanctionSuggestion
	for _, v := range visits {
		if !confirmed[v.Institution] {
			continue
		}
		sg, err := s.store.SuggestSanction(r.Context(), rq.P, campaignID, v.Institution)
		if err != nil {
			return nil, err
		}
		out = append(out, sg)
	}
	return out, nil
}

// canPoint reports whether a finding takes points: from the
// institution's reply on, unless dismissed.
func canPoint(st supervision.FindingState) bool {
	return st != supervision.FindingDraft && st != supervision.FindingFedBack && st != supervision.FindingDismissed
}
