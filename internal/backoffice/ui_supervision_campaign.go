package backoffice

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
	"gongshang/internal/web"
)

// Field audits (稽核): the campaigns and the inspector pool, a plan from a
// finished scan (every ranked institution visited), the draw of teams with
// recusal, and on a campaign's page its visits by team with their
// findings, each finding's next workflow steps, recoveries and the
// sanctions ladder.

type campaignsPage struct {
	base
	Campaigns  []store.Campaign
	Scans      []store.ScanInfo
	Inspectors []store.Inspector
	States     map[string]string
	CanEdit    bool
	Year       int
	Err        string
}

func (s *Server) campaignList(w http.ResponseWriter, r *http.Request, rq *request) error {
	if wantsExport(r) {
		return s.exportCampaigns(w, r, rq)
	}
	return s.showCampaigns(w, r, rq, http.StatusOK, "")
}

func (s *Server) showCampaigns(w http.ResponseWriter, r *http.Request, rq *request, status int, msg string) error {
	p := &campaignsPage{base: base{Title: "基金稽核计划"}, States: store.CampaignStates, CanEdit: rq.P.Can(access.PermSupervisionReview),
		Year: s.store.Now().In(cst).Year(), Err: msg}
	var err error
	if p.Campaigns, err = s.store.Campaigns(r.Context(), rq.P.Scope()); err != nil {
		return err
	}
	scans, err := s.store.Scans(r.Context(), rq.P.Scope(), 20)
	if err != nil {
		return err
	}
	for _, sc := range scans {
		if sc.State == "done" {
			p.Scans = append(p.Scans, sc)
		}
	}
	if p.Inspectors, err = s.store.Inspectors(r.Context(), false); err != nil {
		return err
	}
	s.render(w, r, rq, status, "supervision_campaigns", p)
	return nil
}

// afterChange ends a change made by a form: a refusal the user can fix
// shows the page again with its message (show, at the error's status), a
// done change follows the redirect to its page (to) with its flash
// message; any other error goes to the error page.
func (s *Server) afterChange(w http.ResponseWriter, r *http.Request, rq *request, err error, done, to string, show func(status int, msg string) error) error {
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return show(web.Status(err), msg)
		}
		return err
	}
	s.flash(r, rq, done)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// formMessage is what a refused change says on the page, or ok false
// when the error is not the user's to fix.
func formMessage(err error) (string, bool) {
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return "", false
	}
	msg := err.Error()
	if fe, ok := errs.First(err); ok {
		msg = fe.Message
	}
	return msg, true
}

func sharePct(r *http.Request, name string) (float64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errs.Field(name, "number", "比例应为0至100的整数（百分比）")
	}
	return float64(n) / 100, nil
}

func (s *Server) campaignPlan(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	scanID, _ := strconv.ParseInt(r.PostFormValue("scan"), 10, 64)
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	var o supervision.PlanOptions
	var fs errs.Fields
	var err error
	if o.HighShare, err = sharePct(r, "high_share"); err != nil {
		_ = fs.Merge(err)
	}
	if o.MediumShare, err = sharePct(r, "medium_share"); err != nil {
		_ = fs.Merge(err)
	}
	if o.RandomShare, err = sharePct(r, "random_share"); err != nil {
		_ = fs.Merge(err)
	}
	err = fs.Err()
	var c store.Campaign
	if err == nil {
		c, err = s.store.PlanCampaign(r.Context(), rq.P, scanID, year, r.PostFormValue("name"), o)
	}
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showCampaigns(w, r, rq, web.Status(err), msg)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("稽核计划“%s”已制定。", c.Name))
	http.Redirect(w, r, fmt.Sprintf("/supervision/campaigns/%d", c.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) inspectorAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := web.ParseForm(r); err != nil {
		return err
	}
	var former []string
	for _, f := range strings.FieldsFunc(r.PostFormValue("former"), func(c rune) bool { return c == ',' || c == '，' || c == ' ' || c == '\n' }) {
		former = append(former, strings.ToUpper(strings.TrimSpace(f)))
	}
	in, err := s.store.AddInspector(r.Context(), rq.P, supervision.Inspector{Name: r.PostFormValue("name"), County: r.PostFormValue("region_code"),
		Specialty: r.PostFormValue("specialty"), Former: former, Officer: r.PostFormValue("officer") != ""})
	if err != nil {
		if msg, ok := formMessage(err); ok {
			return s.showCampaigns(w, r, rq, web.Status(err), msg)
		}
		return err
	}
	s.flash(r, rq, fmt.Sprintf("稽核人员%s已加入人员库。", in.Name))
	http.Redirect(w, r, "/supervision/campaigns", http.StatusSeeOther)
	return nil
}

type campaignPage struct {
	base
	Campaign store.Campaign
	States   map[string]string
	Teams    []teamBlock
	Ladder   []supervision.Sanction
	Types    []string
	Tiers    []supervision.Tier
	Visits   []store.CampaignVisit
	CanEdit  bool
	Err      string
	// for the template
	Shares         struct{ High, Medium, Random int }
	RiskTiers      map[string]string
	Categories     []string
	ReferralBodies []supervision.ReferralBody
	// the sanctions suggested for institutions with confirmed findings,
	// and the points form's degrees of responsibility
	Suggestions      []store.SanctionSuggestion
	Responsibilities []responsibility
}

// teamBlock is one team's members and visits (team 0: not drawn yet).
type teamBlock struct {
	No      int
	Members []supervision.Inspector
	Visits  []visitBlock
}

type visitBlock struct {
	store.CampaignVisit
	Leads    []store.Lead // confirmed leads at the institution, to cite
	Findings []findingBlock
	Rating   store.CreditRating
}

type findingBlock struct {
	store.FieldFinding
	Actions    []supervision.FindingAction
	Recoveries []store.AuditRecovery
	Offsets    map[int64][]store.RecoveryOffset // by recovery: deducted in the monthly clearing
	CanRecover bool
	Referrals  []store.Referral
	CanRefer   bool // confirmed by the collective review
	Suggest    bool // fraud above the referral threshold
	Points     []store.ClinicianPoint
	CanPoint   bool
}

// newFindingBlock is a finding with its next steps, recoveries and their
// offsets, referrals and clinicians' points, as the campaign and the visit
// pages show it.
func (s *Server) newFindingBlock(ctx context.Context, f store.FieldFinding) (findingBlock, error) {
	fb := findingBlock{FieldFinding: f, Actions: supervision.Actions(f.State)}
	switch f.State {
	case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying:
		fb.CanRecover = true
	}
	var err error
	if fb.Recoveries, err = s.store.Recoveries(ctx, f.ID); err != nil {
		return fb, err
	}
	offs, err := s.store.RecoveryOffsets(ctx, f.ID)
	if err != nil {
		return fb, err
	}
	fb.Offsets = map[int64][]store.RecoveryOffset{}
	for _, o := range offs {
		fb.Offsets[o.RecoveryID] = append(fb.Offsets[o.RecoveryID], o)
	}
	if fb.CanRefer = mayRefer(f.State); fb.CanRefer {
		if fb.Referrals, err = s.store.Referrals(ctx, f.ID); err != nil {
			return fb, err
		}
		fb.Suggest = supervision.ReferralSuggested(f.Tier, f.Fen) && !slices.ContainsFunc(fb.Referrals,
			func(x store.Referral) bool { return x.Body == supervision.ReferPolice })
	}
	if fb.Points, err = s.store.FindingPoints(ctx, f.ID); err != nil {
		return fb, err
	}
	fb.CanPoint = canPoint(f.State)
	return fb, nil
}

// findingBlocks are the blocks of the findings of one visit.
func (s *Server) findingBlocks(ctx context.Context, findings []store.FieldFinding, visitID int64) ([]findingBlock, error) {
	var out []findingBlock
	for _, f := range findings {
		if f.VisitID != visitID {
			continue
		}
		fb, err := s.newFindingBlock(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, fb)
	}
	return out, nil
}

func (s *Server) campaignShow(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if wantsExport(r) {
		return s.exportCampaign(w, r, rq, id)
	}
	return s.showCampaign(w, r, rq, id, http.StatusOK, "")
}

func (s *Server) showCampaign(w http.ResponseWriter, r *http.Request, rq *request, id int64, status int, msg string) error {
	ctx := r.Context()
	c, err := s.store.FindCampaign(ctx, rq.P, id)
	if err != nil {
		return err
	}
	p := &campaignPage{base: base{Title: "稽核计划 " + c.Name}, Campaign: c, States: store.CampaignStates, Ladder: supervision.Ladder,
		Types: supervision.FindingTypes, Tiers: []supervision.Tier{supervision.TierViolation, supervision.TierFraud, supervision.TierManagement},
		CanEdit: rq.P.Can(access.PermSupervisionReview), Err: msg,
		RiskTiers: riskTierNames, Categories: supervision.Categories,
		ReferralBodies: supervision.ReferralBodies, Responsibilities: responsibilities}
	p.Shares.High, p.Shares.Medium, p.Shares.Random = pct(c.HighShare), pct(c.MediumShare), pct(c.RandomShare)
	teams, err := s.store.CampaignTeams(ctx, id)
	if err != nil {
		return err
	}
	if p.Visits, err = s.store.CampaignVisits(ctx, rq.P.Scope(), id); err != nil {
		return err
	}
	findings, err := s.store.FieldFindings(ctx, rq.P.Scope(), id)
	if err != nil {
		return err
	}
	leads, _, err := s.store.FindLeads(ctx, rq.P.Scope(), store.LeadFilter{ScanID: c.ScanID, Review: "confirmed", Page: store.Page{Limit: 200}})
	if err != nil {
		return err
	}
	blocks := map[int]*teamBlock{}
	order := []int{}
	block := func(no int) *teamBlock {
		if b, ok := blocks[no]; ok {
			return b
		}
		b := &teamBlock{No: no}
		blocks[no] = b
		order = append(order, no)
		return b
	}
	for _, t := range teams {
		block(t.No).Members = t.Members
	}
	for _, v := range p.Visits {
		vb := visitBlock{CampaignVisit: v}
		for _, l := range leads {
			if l.Finding.Institution == v.Institution {
				vb.Leads = append(vb.Leads, l)
			}
		}
		if vb.Findings, err = s.findingBlocks(ctx, findings, v.ID); err != nil {
			return err
		}
		if vb.Rating, err = s.store.Rating(ctx, v.Institution); err != nil {
			return err
		}
		b := block(v.Team)
		b.Visits = append(b.Visits, vb)
	}
	for _, no := range order {
		p.Teams = append(p.Teams, *blocks[no])
	}
	if p.Suggestions, err = s.suggestions(r, rq, id, p.Visits, findings); err != nil {
		return err
	}
	s.render(w, r, rq, status, "supervision_campaign", p)
	return nil
}

func (s *Server) campaignDraw(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	n, _ := strconv.Atoi(r.PostFormValue("teams"))
	c, err := s.store.DrawCampaignTeams(r.Context(), rq.P, id, version, n)
	return s.afterCampaignChange(w, r, rq, id, err, fmt.Sprintf("已抽签分为%d个检查组。", c.Teams))
}

// afterCampaignChange shows the campaign again with the refusal, or
// follows a done change back to it with its message; a form posted from a
// visit's page (its id in "visit") goes back there instead.
func (s *Server) afterCampaignChange(w http.ResponseWriter, r *http.Request, rq *request, campaignID int64, err error, done string) error {
	if visit, _ := strconv.ParseInt(r.PostFormValue("visit"), 10, 64); visit > 0 {
		return s.afterVisitChange(w, r, rq, visit, err, done)
	}
	return s.afterChange(w, r, rq, err, done, fmt.Sprintf("/supervision/campaigns/%d", campaignID), func(status int, msg string) error {
		return s.showCampaign(w, r, rq, campaignID, status, msg)
	})
}

func yuanField(r *http.Request, name string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, nil
	}
	fen, err := supervision.ParseYuan(v)
	if err != nil {
		return 0, errs.Field(name, "amount", "%s", err.Error())
	}
	return fen, nil
}

func (s *Server) visitFinding(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	v, err := s.store.FindVisit(r.Context(), rq.P, id)
	if err != nil {
		return err
	}
	f := store.FieldFinding{Category: r.PostFormValue("category"), Type: r.PostFormValue("finding_type"),
		Tier: supervision.Tier(r.PostFormValue("tier")), Description: r.PostFormValue("description")}
	for _, l := range r.PostForm["lead"] {
		if n, err := strconv.ParseInt(l, 10, 64); err == nil {
			f.LeadIDs = append(f.LeadIDs, n)
		}
	}
	f.Fen, err = yuanField(r, "amount")
	if err == nil {
		f, err = s.store.RecordFieldFinding(r.Context(), rq.P, id, f)
	}
	return s.afterCampaignChange(w, r, rq, v.CampaignID, err, fmt.Sprintf("稽核发现%d已登记。", f.ID))
}

func (s *Server) fieldFindingAct(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.postedFinding(r, rq)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	a := supervision.FindingAction(r.PostFormValue("action"))
	after, err := s.store.ActOnFieldFinding(r.Context(), rq.P, f.ID, version, a, r.PostFormValue("note"), r.PostFormValue("due"))
	return s.afterCampaignChange(w, r, rq, f.CampaignID, err, fmt.Sprintf("稽核发现%d：%s。", f.ID, after.State.Name()))
}

// postedFinding reads the form and the finding its path names.
func (s *Server) postedFinding(r *http.Request, rq *request) (store.FieldFinding, error) {
	id, err := web.PathID(r)
	if err != nil {
		return store.FieldFinding{}, err
	}
	if err := web.ParseForm(r); err != nil {
		return store.FieldFinding{}, err
	}
	return s.store.FindFieldFinding(r.Context(), rq.P, id)
}

func (s *Server) fieldFindingRecovery(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.postedFinding(r, rq)
	if err != nil {
		return err
	}
	fen, err := yuanField(r, "amount")
	if err == nil {
		_, err = s.store.AddRecovery(r.Context(), rq.P, f.ID, supervision.RecoveryKind(r.PostFormValue("kind")), fen)
	}
	return s.afterCampaignChange(w, r, rq, f.CampaignID, err, fmt.Sprintf("稽核发现%d的追回已登记。", f.ID))
}

func (s *Server) fieldFindingSettle(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, err := s.postedFinding(r, rq)
	if err != nil {
		return err
	}
	rid, _ := strconv.ParseInt(r.PostFormValue("recovery"), 10, 64)
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	rs, err := s.store.Recoveries(r.Context(), f.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(rs, func(x store.AuditRecovery) bool { return x.ID == rid }) {
		return errs.E(errs.NotFound, "追回记录不存在")
	}
	fen, err := yuanField(r, "recovered")
	if err == nil {
		_, err = s.store.SettleRecovery(r.Context(), rq.P, rid, version, fen)
	}
	return s.afterCampaignChange(w, r, rq, f.CampaignID, err, fmt.Sprintf("追回%d已办结。", rid))
}

func (s *Server) campaignSanction(w http.ResponseWriter, r *http.Request, rq *request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	kind := supervision.Sanction(r.PostFormValue("kind"))
	code := strings.TrimSpace(r.PostFormValue("fixmedins_code"))
	_, err = s.store.Sanction(r.Context(), rq.P, code, id, kind, r.PostFormValue("reason"))
	return s.afterCampaignChange(w, r, rq, id, err, fmt.Sprintf("已对%s作出“%s”。", code, kind.Name()))
}

func pct(share float64) int { return int(share*100 + 0.5) }
