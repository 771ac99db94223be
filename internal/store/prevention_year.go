package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/prevention"
	"gongshang/internal/registry"
)

// The city's prevention year (工伤预防费年度预算): last year's contribution
// income, the cap rate (the parameter prevention_cap_rate for the year, or
// a higher share with the provincial approval's document number), the cap
// they give (prevention.CapFen), and what the counties' approved plans
// and their payments use of it. A year's row is the city's; every approval
// against it takes the row's lock (yearForUpdate), so two approvals at once
// cannot both pass the cap.

// PreventionYear is a city's prevention year with its figures.
type PreventionYear struct {
	Region      string           `json:"region_code"`
	Year        int              `json:"year"`
	IncomeFen   int64            `json:"income_fen"`
	CapRate     float64          `json:"cap_rate"`
	StdRate     float64          `json:"std_rate"` // the parameter's, for the page
	ApprovalDoc string           `json:"approval_doc"`
	Focus       prevention.Focus `json:"focus"`
	UpdatedAt   time.Time        `json:"updated_at"`
	UpdatedBy   string           `json:"updated_by"`
	Version     int64            `json:"version"` // 0: not set yet
	// computed
	CapFen       int64 `json:"cap_fen"`
	ApprovedFen  int64 `json:"approved_fen"` // the approved plans of the city's counties
	PaidFen      int64 `json:"paid_fen"`
	RemainingFen int64 `json:"remaining_fen"` // cap − approved
}

// Set reports whether the year's budget was set.
func (y PreventionYear) Set() bool { return y.Version > 0 }

const preventionYearCols = `region_code, year, income_fen, cap_rate, approval_doc, focus, updated_at, updated_by, version`

func scanPreventionYear(r interface{ Scan(...any) error }) (PreventionYear, error) {
	var y PreventionYear
	var focus string
	err := r.Scan(&y.Region, &y.Year, &y.IncomeFen, &y.CapRate, &y.ApprovalDoc, &focus, &y.UpdatedAt, &y.UpdatedBy, &y.Version)
	_ = json.Unmarshal([]byte(focus), &y.Focus)
	y.CapFen = prevention.CapFen(y.IncomeFen, y.CapRate)
	return y, err
}

// preventionCity is the city a region's prevention budget belongs to.
func preventionCity(region string) string {
	if registry.RegionLevel(region) == "county" {
		return registry.RegionParent(region)
	}
	return region
}

// StdPreventionRate is the parameter prevention_cap_rate on 1 January of
// year in city.
func StdPreventionRate(set *param.Set, city string, year int) (float64, error) {
	if year < 2000 || year > 2100 {
		return 0, errs.Field("year", "range", "年度%d不在2000至2100之间", year)
	}
	v, err := param.NewResolver(set, city).Get("prevention_cap_rate", "", time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		return 0, errs.Field("year", "param", "%d年度没有工伤预防费上限比例参数（prevention_cap_rate）", year)
	}
	r, err := v.Rat()
	if err != nil {
		return 0, err
	}
	f, _ := r.Float64()
	return f, nil
}

func checkPreventionCity(actor access.Principal, city string, year int) error {
	var fs errs.Fields
	if registry.RegionLevel(city) != "city" {
		fs.Add("region_code", "level", "工伤预防费预算由设区的市设置，%s不是市级行政区划代码", city)
	} else if !actor.Scope().Covers(city) {
		fs.Add("region_code", "region_forbidden", "无权设置其他地区（%s）的预算", regionLabel(city))
	}
	if year < 2000 || year > 2100 {
		fs.Add("year", "range", "年度%d不在2000至2100之间", year)
	}
	return fs.Err()
}

// SetPreventionYear records a city's year: last year's contribution
// income and the cap rate (0: the parameter's; above it only with the
// provincial approval's document number). expected is the year's version
// (0 when not set yet). Lowering the cap below what is already approved
// is refused with the figures.
func (s *Store) SetPreventionYear(ctx context.Context, actor access.Principal, set *param.Set, city string, year int, incomeFen int64,
	rate float64, doc string, expected int64) (PreventionYear, error) {
	if !actor.Can(access.PermPreventionApprove) {
		return PreventionYear{}, errs.E(errs.Forbidden, "无权设置工伤预防费年度预算")
	}
	if registry.RegionLevel(actor.RegionCode) == "county" {
		return PreventionYear{}, errs.E(errs.Forbidden, "工伤预防费年度预算由市级设置")
	}
	if err := checkPreventionCity(actor, city, year); err != nil {
		return PreventionYear{}, err
	}
	std, err := StdPreventionRate(set, city, year)
	if err != nil {
		return PreventionYear{}, err
	}
	doc = strings.TrimSpace(doc)
	if rate == 0 {
		rate = std
	}
	var fs errs.Fields
	if incomeFen < 0 || incomeFen > 1e15 {
		fs.Add("income_fen", "range", "上年度基金征缴收入应为不小于0的金额")
	}
	_ = fs.Merge(prevention.CheckRate(rate, std, doc))
	if err := fs.Err(); err != nil {
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
		out = before
		out.Region, out.Year, out.IncomeFen, out.CapRate, out.ApprovalDoc = city, year, incomeFen, rate, doc
		out.UpdatedAt, out.UpdatedBy, out.Version = t.now, actor.Username, before.Version+1
		out.CapFen = prevention.CapFen(incomeFen, rate)
		if out.ApprovedFen, out.PaidFen, err = t.s.preventionUsed(ctx, t, city, year); err != nil {
			return err
		}
		if out.CapFen < out.ApprovedFen {
			return errs.Field("income_fen", "below_approved", "调整后的上限%s低于本年度已批准的%s", param.Yuan(out.CapFen), param.Yuan(out.ApprovedFen))
		}
		out.RemainingFen, out.StdRate = out.CapFen-out.ApprovedFen, std
		if !found {
			focus, _ := json.Marshal(prevention.Focus{Divisions: []string{}, Enterprises: []string{}})
			_, err = t.ExecContext(ctx, `INSERT INTO prevention_years (`+preventionYearCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)`,
				city, year, incomeFen, rate, doc, string(focus), t.now, actor.Username)
		} else {
			_, err = t.ExecContext(ctx, `UPDATE prevention_years SET income_fen = $3, cap_rate = $4, approval_doc = $5, updated_at = $6, updated_by = $7,
				version = version + 1 WHERE region_code = $1 AND year = $2`, city, year, incomeFen, rate, doc, t.now, actor.Username)
		}
		if err != nil {
			return err
		}
		var b any
		if found {
			b = before
		}
		return t.audit(ctx, "prevention.year.set", "prevention_year", int64(year), city, b, out)
	})
	return out, err
}

// yearForUpdate reads and locks a city's year; found false (and the zero
// year) when not set.
func (t *tx) yearForUpdate(ctx context.Context, city string, year int) (PreventionYear, bool, error) {
	y, err := scanPreventionYear(t.QueryRowContext(ctx, `SELECT `+preventionYearCols+` FROM prevention_years WHERE region_code = $1 AND year = $2`+
		t.s.engine.forUpdate(), city, year))
	if errors.Is(err, sql.ErrNoRows) {
		return PreventionYear{Region: city, Year: year}, false, nil
	}
	return y, err == nil, err
}

// preventionUsed sums the approved plans of a city's regions for a year
// and what was paid on them.
func (s *Store) preventionUsed(ctx context.Context, q querier, city string, year int) (approved, paid int64, err error) {
	lo, hi := access.ScopeOf(city).Range()
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(approved_fen), 0) FROM prevention_plans
		WHERE year = $1 AND state = 'approved' AND region_code >= $2 AND region_code < $3`, year, lo, hi).Scan(&approved)
	if err != nil {
		return 0, 0, fmt.Errorf("store: prevention used: %w", err)
	}
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(j.paid_fen), 0) FROM prevention_projects j JOIN prevention_plans p ON p.id = j.plan_id
		WHERE p.year = $1 AND p.region_code >= $2 AND p.region_code < $3`, year, lo, hi).Scan(&paid)
	if err != nil {
		return 0, 0, fmt.Errorf("store: prevention paid: %w", err)
	}
	return approved, paid, nil
}

// FindPreventionYear reads the year of the city region belongs to, with
// what is approved, paid and remaining; a year not set has Version 0 and
// the parameter's rate. Every prevention user of the city or one of its
// counties may read it (the figures are the city's, no one's personal data).
func (s *Store) FindPreventionYear(ctx context.Context, viewer access.Principal, set *param.Set, region string, year int) (PreventionYear, error) {
	city := preventionCity(region)
	if !viewer.Can(access.PermPreventionRead) || !viewer.Scope().Covers(city) && preventionCity(viewer.RegionCode) != city {
		return PreventionYear{}, errs.E(errs.NotFound, "工伤预防费年度预算不存在")
	}
	std, err := StdPreventionRate(set, city, year)
	if err != nil {
		return PreventionYear{}, err
	}
	y, err := scanPreventionYear(s.db.QueryRowContext(ctx, `SELECT `+preventionYearCols+` FROM prevention_years WHERE region_code = $1 AND year = $2`, city, year))
	if errors.Is(err, sql.ErrNoRows) {
		y, err = PreventionYear{Region: city, Year: year, CapRate: std, Focus: prevention.Focus{Divisions: []string{}, Enterprises: []string{}}}, nil
	}
	if err != nil {
		return PreventionYear{}, fmt.Errorf("store: prevention year: %w", err)
	}
	y.StdRate = std
	if y.ApprovedFen, y.PaidFen, err = s.preventionUsed(ctx, s.db, city, year); err != nil {
		return PreventionYear{}, err
	}
	y.RemainingFen = y.CapFen - y.ApprovedFen
	return y, nil
}
