package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"gongshang/internal/access"
	"gongshang/internal/auditsynth"
	"gongshang/internal/store"
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
	var auditor access.Principal
	for _, u := range users {
		if u.Username == "jn-auditor" {
			auditor = u.Principal()
		}
	}
	if auditor.Username == "" {
		return sum, fmt.Errorf("demo: no jn-auditor user")
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
	return sum, s.SetMeta(ctx, supervisionMetaKey, "done")
}
