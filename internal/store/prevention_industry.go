package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
)

// Key industries from data (issue 12): per GB/T 4754 division and county
// (the employer's), the year's recognised injuries — cases whose
// recognition decided 认定工伤 or 视同工伤 (case_services.decided_on is set
// while a decision stands; an appeal that revokes it clears it), counted
// by the injury's year — per 1,000 insured workers (employments of the
// division's employers open at some time in the year). The joint meeting
// adopts the year's focus from the ranking (AdoptFocus).

// injuryCounts reads a year's figures per county × division in scope.
func (s *Store) injuryCounts(ctx context.Context, scope access.Scope, year int) ([]prevention.InjuryCount, error) {
	lo, hi := scope.Range()
	y := strconv.Itoa(year)
	type key struct{ r, d string }
	counts := map[key]*prevention.InjuryCount{}
	get := func(r, d string) *prevention.InjuryCount {
		k := key{r, d}
		if counts[k] == nil {
			counts[k] = &prevention.InjuryCount{Region: r, Division: d}
		}
		return counts[k]
	}
	rows, err := s.db.QueryContext(ctx, `SELECT e.region_code, e.industry, COUNT(DISTINCT m.worker_id) FROM employments m
		JOIN employers e ON e.id = m.employer_id
		WHERE e.region_code >= $1 AND e.region_code < $2 AND m.start_date <= $3 AND (m.end_date IS NULL OR m.end_date >= $4)
		GROUP BY e.region_code, e.industry`, lo, hi, y+"-12-31", y+"-01-01")
	if err != nil {
		return nil, fmt.Errorf("store: insured by industry: %w", err)
	}
	for rows.Next() {
		var r, d string
		var n int
		if err := rows.Scan(&r, &d, &n); err != nil {
			rows.Close()
			return nil, err
		}
		get(r, d).Insured = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT e.region_code, e.industry, sv.detail FROM cases c
		JOIN employers e ON e.id = c.employer_id
		JOIN case_services sv ON sv.case_id = c.id AND sv.kind = 'recognition'
		WHERE e.region_code >= $1 AND e.region_code < $2 AND c.injury_date >= $3 AND c.injury_date <= $4 AND sv.decided_on IS NOT NULL`,
		lo, hi, y+"-01-01", y+"-12-31")
	if err != nil {
		return nil, fmt.Errorf("store: injuries by industry: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r, d, detail string
		if err := rows.Scan(&r, &d, &detail); err != nil {
			return nil, err
		}
		var det struct {
			Outcome casebundle.Outcome `json:"outcome"`
		}
		if json.Unmarshal([]byte(detail), &det) == nil && det.Outcome.Positive() {
			get(r, d).Injuries++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]prevention.InjuryCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	return out, nil
}

// IndustryRates ranks the year's injury rates per division × county in
// scope, with the year before's.
func (s *Store) IndustryRates(ctx context.Context, viewer access.Principal, year int) ([]prevention.IndustryRate, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防数据")
	}
	if year < 2000 || year > 2100 {
		return nil, errs.Field("year", "range", "年度%d不在2000至2100之间", year)
	}
	cur, err := s.injuryCounts(ctx, viewer.Scope(), year)
	if err != nil {
		return nil, err
	}
	prev, err := s.injuryCounts(ctx, viewer.Scope(), year-1)
	if err != nil {
		return nil, err
	}
	ref := registry.MustReference()
	return prevention.RankIndustries(cur, prev, func(d string) string {
		if in, ok := ref.Industry(d); ok {
			return in.Name
		}
		return d
	}), nil
}

// AdoptFocus records the year's key industries and enterprises on the
// city's year (the joint meeting's decision, one action), creating the
// year with no income yet when it is not set; expected is the year's
// version (0 when not set).
func (s *Store) AdoptFocus(ctx context.Context, actor access.Principal, set *param.Set, city string, year int, expected int64, f prevention.Focus) (PreventionYear, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return PreventionYear{}, errs.E(errs.Forbidden, "无权确定年度重点行业")
	}
	if err := checkPreventionCity(actor, city, year); err != nil {
		return PreventionYear{}, err
	}
	if actor.RegionCode != city {
		return PreventionYear{}, errs.E(errs.Forbidden, "年度重点行业由市级确定")
	}
	f = prevention.NormalizeFocus(f)
	if err := prevention.ValidateFocus(f, registry.MustReference()); err != nil {
		return PreventionYear{}, err
	}
	std, err := StdPreventionRate(set, city, year)
	if err != nil {
		return PreventionYear{}, err
	}
	var out PreventionYear
	err = s.write(ctx, actor, func(t *tx) error {
		before, found, err := t.yearForUpdate(ctx, city, year)
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		f.AdoptedAt, f.AdoptedBy = audit.FormatTime(t.now), actor.Username
		js, _ := json.Marshal(f)
		if found {
			_, err = t.ExecContext(ctx, `UPDATE prevention_years SET focus = $3, updated_at = $4, updated_by = $5, version = version + 1
				WHERE region_code = $1 AND year = $2`, city, year, string(js), t.now, actor.Username)
		} else {
			before.CapRate = std
			_, err = t.ExecContext(ctx, `INSERT INTO prevention_years (`+preventionYearCols+`) VALUES ($1, $2, 0, $3, '', $4, $5, $6, 1)`,
				city, year, std, string(js), t.now, actor.Username)
		}
		if err != nil {
			return err
		}
		out = before
		out.Region, out.Year, out.Focus, out.UpdatedAt, out.UpdatedBy, out.Version, out.StdRate = city, year, f, t.now, actor.Username, before.Version+1, std
		if out.ApprovedFen, out.PaidFen, err = t.s.preventionUsed(ctx, t, city, year); err != nil {
			return err
		}
		out.RemainingFen = out.CapFen - out.ApprovedFen
		return t.audit(ctx, "prevention.year.focus", "prevention_year", int64(year), city, before.Focus, f)
	})
	return out, err
}

// InjuryTrends are the injury rates, year by year from..to, of the
// divisions trained in the viewer's scope (a held or closed session of a
// project of that division), each with the day of its first training.
func (s *Store) InjuryTrends(ctx context.Context, viewer access.Principal, from, to int) ([]prevention.Trend, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防数据")
	}
	if from < 2000 || to > 2100 || to < from || to-from > 20 {
		return nil, errs.Field("from", "range", "年度范围%d—%d无效", from, to)
	}
	lo, hi := viewer.Scope().Range()
	rows, err := s.db.QueryContext(ctx, `SELECT p.industry, MIN(s.held_on) FROM prevention_sessions s JOIN prevention_projects p ON p.id = s.project_id
		WHERE s.region_code >= $1 AND s.region_code < $2 AND s.state IN ('held', 'closed') AND p.industry <> '' GROUP BY p.industry`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: trained divisions: %w", err)
	}
	pairs, err := collect(rows, func(r interface{ Scan(...any) error }) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, err
	}
	first := map[string]string{}
	for _, p := range pairs {
		first[p[0]] = p[1]
	}
	counts := map[int][]prevention.InjuryCount{}
	for y := from; y <= to && len(first) > 0; y++ {
		if counts[y], err = s.injuryCounts(ctx, viewer.Scope(), y); err != nil {
			return nil, err
		}
	}
	ref := registry.MustReference()
	return prevention.InjuryTrends(counts, from, to, first, func(d string) string {
		if in, ok := ref.Industry(d); ok {
			return in.Name
		}
		return d
	}), nil
}

// KeyEnterprise is an employer ranked by its year's recognised injuries.
type KeyEnterprise struct {
	CreditCode string `json:"credit_code"`
	Name       string `json:"name"`
	Region     string `json:"region_code"`
	Division   string `json:"division"`
	Injuries   int    `json:"injuries"`
	Insured    int    `json:"insured"`
	PerMille   int64  `json:"per_mille"` // thousandths of ‰
}

// KeyEnterprises are the employers in the viewer's scope with the most
// recognised injuries of the year (as IndustryRates counts them), then the
// highest rate: the candidates for the year's key enterprises.
func (s *Store) KeyEnterprises(ctx context.Context, viewer access.Principal, year, limit int) ([]KeyEnterprise, error) {
	if !viewer.Can(access.PermPreventionRead) {
		return nil, errs.E(errs.Forbidden, "无权查看工伤预防数据")
	}
	lo, hi := viewer.Scope().Range()
	y := strconv.Itoa(year)
	rows, err := s.db.QueryContext(ctx, `SELECT e.id, e.credit_code, e.name, e.region_code, e.industry, sv.detail FROM cases c
		JOIN employers e ON e.id = c.employer_id
		JOIN case_services sv ON sv.case_id = c.id AND sv.kind = 'recognition'
		WHERE e.region_code >= $1 AND e.region_code < $2 AND c.injury_date >= $3 AND c.injury_date <= $4 AND sv.decided_on IS NOT NULL`,
		lo, hi, y+"-01-01", y+"-12-31")
	if err != nil {
		return nil, fmt.Errorf("store: injuries by employer: %w", err)
	}
	by := map[int64]*KeyEnterprise{}
	for rows.Next() {
		var id int64
		var k KeyEnterprise
		var detail string
		if err := rows.Scan(&id, &k.CreditCode, &k.Name, &k.Region, &k.Division, &detail); err != nil {
			rows.Close()
			return nil, err
		}
		var det struct {
			Outcome casebundle.Outcome `json:"outcome"`
		}
		if json.Unmarshal([]byte(detail), &det) != nil || !det.Outcome.Positive() {
			continue
		}
		if by[id] == nil {
			by[id] = &k
		}
		by[id].Injuries++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(by) > 0 { // the insured of every employer in scope, in one pass
		rows, err := s.db.QueryContext(ctx, `SELECT m.employer_id, COUNT(DISTINCT m.worker_id) FROM employments m JOIN employers e ON e.id = m.employer_id
			WHERE e.region_code >= $1 AND e.region_code < $2 AND m.start_date <= $3 AND (m.end_date IS NULL OR m.end_date >= $4) GROUP BY m.employer_id`,
			lo, hi, y+"-12-31", y+"-01-01")
		if err != nil {
			return nil, fmt.Errorf("store: insured by employer: %w", err)
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if k := by[id]; k != nil {
				k.Insured = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]KeyEnterprise, 0, len(by))
	for _, k := range by {
		if k.Insured > 0 {
			k.PerMille = (int64(k.Injuries)*1_000_000 + int64(k.Insured)/2) / int64(k.Insured)
		}
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Injuries != out[j].Injuries {
			return out[i].Injuries > out[j].Injuries
		}
		if out[i].PerMille != out[j].PerMille {
			return out[i].PerMille > out[j].PerMille
		}
		return out[i].CreditCode < out[j].CreditCode
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
