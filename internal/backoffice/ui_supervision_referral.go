package backoffice

import (
	"fmt"
	"net/http"

	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// fieldFindingRefer records a confirmed finding's referral (移送) to the
// police, the penalty department, the health authority or the discipline
// body, with the transfer letter's number and day.
func (s *Server) fieldFindingRefer(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.postedFinding(r, rq)
	if err != nil {
		return err
	}
	body := supervision.ReferralBody(r.PostFormValue("body"))
	_, err = s.store.ReferFieldFinding(r.Context(), rq.P, f.ID, store.Referral{Body: body, DocNo: r.PostFormValue("doc_no"),
		ReferredOn: r.PostFormValue("referred_on"), Note: r.PostFormValue("note")})
	return s.afterCampaignChange(w, r, rq, f.CampaignID, err, fmt.Sprintf("稽核发现%d已移送%s。", f.ID, body.Name()))
}

// mayRefer reports whether a finding in state st may be referred: once
// the collective review confirmed it.
func mayRefer(st supervision.FindingState) bool {
	switch st {
	case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying, supervision.FindingClosed:
		return true
	}
	return false
}
