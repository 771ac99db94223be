package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/auditsynth"
	"gongshang/internal/letters"
	"gongshang/internal/store"
	"gongshang/internal/supervision"
)

// The demo's fund supervision: the previous system's settlements of last
// year (a labelled synthetic city-year at the demo's scale, in the
// settlement-extract format) imported and screened, a scan of
// gongshang's own settlements of this year, and a few of the leads
// reviewed by the city's auditor so the rule statistics show hit rates.

const supervisionMetaKey = "demo_supervision"

// SupervisionSummary is what LoadSupervision made.
type SupervisionSummary struct {
	Encounters, Lines, Leads, Reviewed int
}

// LoadSupervision imports and screens the demo's extract; once per store.
func LoadSupervision(ctx context.Context, s *store.Store, seed uint64, scale float64, year int) (SupervisionSummary, error) {
	var sum SupervisionSummary
	if done, err := s.Meta(ctx, supervisionMetaKey); err != nil || done != "" {
		return sum, err
	}
	dir, err := os.MkdirTemp("", "gongshang-extract-")
	if err != nil {
		return sum, err
	}
	defer os.RemoveAll(dir)
	if _, err := auditsynth.Generate(dir, auditsynth.Options{Seed: seed, Scale: max(scale*0.2, 0.02), Year: year - 1}); err != nil {
		return sum, err
	}
	files := map[string][]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return sum, err
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return sum, err
		}
		files[e.Name()] = b
	}
	users, err := s.FindUsers(ctx, access.ScopeOf("370800"))
	if err != nil {
		return sum, err
	}
	var auditor, reviewer access.Principal
	for _, u := range users {
		switch u.Username {
		case "jn-auditor":
			auditor = u.Principal()
		case "jn-auditor2":
			reviewer = u.Principal()
		}
	}
	if auditor.Username == "" || reviewer.Username == "" {
		return sum, fmt.Errorf("demo: no jn-auditor or jn-auditor2 user")
	}
	x, err := s.ImportExtract(ctx, auditor, fmt.Sprintf("原系统%d年结算数据", year-1), files)
	if err != nil {
		return sum, err
	}
	sum.Encounters, sum.Lines = x.Counts["encounters"], x.Counts["lines"]
	sc, err := s.StartScan(ctx, auditor, x.ID, 0)
	if err != nil {
		return sum, err
	}
	if err := s.RunScan(ctx, sc.ID); err != nil {
		return sum, err
	}
	own, err := s.StartScan(ctx, auditor, 0, year)
	if err != nil {
		return sum, err
	}
	if err := s.RunScan(ctx, own.ID); err != nil {
		return sum, err
	}
	leads, total, err := s.FindLeads(ctx, auditor.Scope(), store.LeadFilter{ScanID: sc.ID})
	if err != nil {
		return sum, err
	}
	sum.Leads = total
	for i, l := range leads {
		if i == 6 {
			break
		}
		decision, reason := "confirm", "调取病历与收费明细核实，情况属实"
		if i%3 == 2 {
			decision, reason = "dismiss", "现场核实：有医嘱和执行记录，不属违规"
		}
		if _, err := s.ReviewLead(ctx, auditor, l.ID, l.Version, decision, reason); err != nil {
			return sum, err
		}
		sum.Reviewed++
	}
	if err := demoCampaign(ctx, s, auditor, reviewer, x.ID, sc.ID, year, leads); err != nil {
		return sum, err
	}
	return sum, s.SetMeta(ctx, supervisionMetaKey, "done")
}

// demoCampaign is this year's field audit in progress: a pool of agency
// staff and medical experts from every county, the plan from last year's
// scan (every institution visited, the top tier and a random slice in
// depth), four teams drawn by lot with recusal, and findings from the
// confirmed leads, each fed back with an issued 反馈意见书: the first
// waiting for its institution's reply, the second replied, confirmed by the second auditor in the
// collective review, notified with an issued 结论通知书, its clinician given points and its amount
// to be offset against the institution's next clearing statement, with a
// bed-check note as on-site evidence.
func demoCampaign(ctx context.Context, s *store.Store, auditor, reviewer access.Principal, extractID, scanID int64, year int, leads []store.Lead) error {
	counties := []string{"370811", "370812", "370826", "370827", "370828", "370829", "370830", "370831", "370832", "370881", "370883"}
	specs := []string{"基金管理", "骨科", "烧伤", "康复", "物价", "财务"}
	surnames := "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"
	names := []rune(surnames)
	for i := 0; i < 24; i++ {
		in := supervision.Inspector{Name: string(names[i%len(names)]) + []string{"建华", "晓梅", "志强", "丽娟", "海军", "文静"}[i%6],
			County: counties[i%len(counties)], Specialty: specs[i%len(specs)], Officer: i%6 == 0 || i%6 == 4}
		if _, err := s.AddInspector(ctx, auditor, in); err != nil {
			return err
		}
	}
	c, err := s.PlanCampaign(ctx, auditor, scanID, year, fmt.Sprintf("%d年协议医疗机构、康复机构拉网式稽核", year),
		supervision.PlanOptions{HighShare: 0.2, MediumShare: 0.3, RandomShare: 0.15, Seed: 20260301})
	if err != nil {
		return err
	}
	if c, err = s.DrawCampaignTeams(ctx, auditor, c.ID, c.Version, 4); err != nil {
		return err
	}
	visits, err := s.CampaignVisits(ctx, auditor.Scope(), c.ID)
	if err != nil {
		return err
	}
	x, err := s.LoadExtract(ctx, extractID)
	if err != nil {
		return err
	}
	recorded := 0
	for _, l := range leads {
		after, err := s.FindLead(ctx, auditor, l.ID)
		if err != nil || after.Review != "confirmed" {
			continue
		}
		for _, v := range visits {
			if v.Institution != after.Finding.Institution {
				continue
			}
			f, err := s.RecordFieldFinding(ctx, auditor, v.ID, store.FieldFinding{Category: after.Finding.Category, Type: ruleType(after.Finding.RuleID),
				Tier: supervision.TierViolation, LeadIDs: []int64{after.ID}, Description: "现场核对病历、医嘱与收费明细：" + after.Finding.Reason})
			if err != nil {
				return err
			}
			due := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 15).Format(time.DateOnly)
			if f, err = s.ActOnFieldFinding(ctx, auditor, f.ID, f.Version, supervision.ActFeedBack, "请于期限内书面说明情况并提供病历", due); err != nil {
				return err
			}
			if _, err := s.IssueAuditLetter(ctx, auditor, v.ID, letters.AuditFeedback); err != nil {
				return err
			}
			if recorded++; recorded == 2 {
				if err := demoConfirmed(ctx, s, auditor, reviewer, x, v, f, after); err != nil {
					return err
				}
			}
			break
		}
		if recorded == 2 {
			break
		}
	}
	return nil
}

// demoConfirmed takes a fed-back finding through the institution's reply,
// the collective review (by the second auditor), the letter, a
// clinician's points and an offset of its amount, and adds a note to the
// visit.
func demoConfirmed(ctx context.Context, s *store.Store, auditor, reviewer access.Principal, x *supervision.Extract, v store.CampaignVisit, f store.FieldFinding, l store.Lead) error {
	var err error
	steps := []struct {
		who    access.Principal
		action supervision.FindingAction
		note   string
	}{
		{auditor, supervision.ActReply, "医院书面回复：系收费人员操作失误，同意退回"},
		{reviewer, supervision.ActConfirm, "经集体审议，违规事实清楚，予以确认"},
		{auditor, supervision.ActNotify, ""},
	}
	for _, st := range steps {
		if f, err = s.ActOnFieldFinding(ctx, st.who, f.ID, f.Version, st.action, st.note, ""); err != nil {
			return err
		}
	}
	if code, name := lineDoctor(x, l.Finding); code != "" {
		if _, err := s.AssignPoints(ctx, auditor, f.ID, code, name, 1); err != nil {
			return err
		}
	}
	if _, err := s.IssueAuditLetter(ctx, auditor, v.ID, letters.AuditNotice); err != nil {
		return err
	}
	if _, err := s.AddRecovery(ctx, auditor, f.ID, supervision.RecoveryOffset, f.Fen); err != nil {
		return err
	}
	_, err = s.AddEvidence(ctx, auditor, store.EvidenceInput{VisitID: v.ID, FindingID: f.ID, Kind: store.EvidenceNote, Title: "床旁核查记录",
		Note: "检查组两人于上午10时逐床核对在院病人，调阅护理记录、医嘱单与收费明细，与机构医务科负责人当面确认。"}, nil)
	return err
}

// lineDoctor is the clinician of the first of the finding's lines that
// names one, else its encounter's attending doctor.
func lineDoctor(x *supervision.Extract, f supervision.Finding) (code, name string) {
	want := map[string]bool{}
	for _, sn := range f.Lines {
		want[sn] = true
	}
	for i := range x.Lines {
		if ln := &x.Lines[i]; want[ln.SN] && ln.Doctor != "" {
			code = ln.Doctor
			break
		}
	}
	for i := 0; code == "" && i < len(x.Encounters); i++ {
		if x.Encounters[i].ID == f.MdtrtID {
			code = x.Encounters[i].Attending
		}
	}
	for _, d := range x.Doctors {
		if code != "" && d.Code == code {
			return d.Code, d.Name
		}
	}
	return code, code
}

// ruleType is the finding type of a rule.
func ruleType(id string) string {
	if r, ok := supervision.RuleByID(id); ok {
		return r.FindingType
	}
	return "超标准收费"
}
