package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// Personal points (记分, fund-audit.md §5.6): a clinician responsible for
// an audit finding gets points by the finding's tier and their degree of
// responsibility (supervision.Points), one row per finding × clinician.
// Points are given at or after the collective review (a replied finding
// may carry them into the review; they count only once it is confirmed),
// and a dismissed finding revokes them. A clinician's total is over the
// last twelve months, and supervision.PointsOutcome says what it means.

// ClinicianPoint is one clinician's points for one finding.
type ClinicianPoint struct {
	ID             int64            `json:"id"`
	FindingID      int64            `json:"finding_id"`
	Prac           string           `json:"prac_code"` // the extract's clinician id (dr_codg / bilg_dr_codg)
	Name           string           `json:"name"`
	Institution    string           `json:"fixmedins_code"`
	Region         string           `json:"region_code"`
	Tier           supervision.Tier `json:"tier"`
	Responsibility int              `json:"responsibility"` // 1 direct, 2 leading, 3 other
	Points         int              `json:"points"`
	CreatedAt      time.Time        `json:"created_at"`
	CreatedBy      string           `json:"created_by"`
	Revoked        bool             `json:"revoked"`
	Version        int64            `json:"version"`
	// FindingState is the finding's state as read; points count only from
	// confirmed on.
	FindingState supervision.FindingState `json:"finding_state"`
}

// ClinicianTotal is one clinician's points of the last twelve months.
type ClinicianTotal struct {
	Prac        string           `json:"prac_code"`
	Name        string           `json:"name"`
	Institution string           `json:"fixmedins_code"`
	Total       int              `json:"total"`
	Outcome     string           `json:"outcome"`
	Points      []ClinicianPoint `json:"points"` // every row of the window, revoked and pending ones too
}

// PointsWindow is how far back a clinician's total reaches.
const PointsWindow = 12 // months

// countsForPoints reports whether a finding in state st counts its points.
func countsForPoints(st supervision.FindingState) bool {
	switch st {
	case supervision.FindingConfirmed, supervision.FindingNotified, supervision.FindingRectifying, supervision.FindingClosed:
		return true
	}
	return false
}

// AssignPoints gives a clinician points for a finding (replied or
// confirmed on, not dismissed): the points follow from the finding's tier
// and the responsibility. A clinician has one row per finding; a second
// assignment is refused.
func (s *Store) AssignPoints(ctx context.Context, actor access.Principal, findingID int64, prac, name string, responsibility int) (ClinicianPoint, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return ClinicianPoint{}, errs.E(errs.Forbidden, "无权记分")
	}
	prac, name = strings.ToUpper(strings.TrimSpace(prac)), strings.TrimSpace(name)
	var fs errs.Fields
	if prac == "" || len(prac) > 30 {
		fs.Add("prac_code", "required", "医师编码不能为空，最多30位")
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 50 {
		fs.Add("name", "required", "医师姓名不能为空，最多50字")
	}
	if responsibility < 1 || responsibility > 3 {
		fs.Add("responsibility", "choice", "责任程度应为1（直接）、2（主要）或3（其他）")
	}
	if err := fs.Err(); err != nil {
		return ClinicianPoint{}, err
	}
	p := ClinicianPoint{FindingID: findingID, Prac: prac, Name: name, Responsibility: responsibility, CreatedBy: actor.Username, Version: 1}
	err := s.write(ctx, actor, func(t *tx) error {
		f, err := t.fieldFindingForUpdate(ctx, findingID)
		if err != nil {
			return err
		}
		if f.State != supervision.FindingReplied && !countsForPoints(f.State) {
			return errs.E(errs.Conflict, "稽核发现%s，不能记分（机构回复后、审议确认后可记分）", f.State.Name())
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_clinician_points WHERE finding_id = $1 AND prac_code = $2`,
			findingID, prac).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errs.Field("prac_code", "duplicate", "医师%s已就稽核发现%d记分", prac, findingID)
		}
		if p.Points, err = supervision.Points(f.Tier, responsibility); err != nil {
			return errs.Field("responsibility", "choice", "%s", err.Error())
		}
		p.Institution, p.Region, p.Tier, p.CreatedAt, p.FindingState = f.Institution, f.Region, f.Tier, t.now, f.State
		id, err := t.insertAudited(ctx, "audit_clinician_points", []string{"finding_id", "prac_code", "name", "fixmedins_code", "region_code",
			"tier", "responsibility", "points", "created_at", "created_by", "revoked", "version"},
			[]any{findingID, prac, name, p.Institution, p.Region, string(p.Tier), responsibility, p.Points, t.now, p.CreatedBy, false, 1},
			"supervision.points.assign", "clinician_points", p.Region, func(id int64) any { x := p; x.ID = id; return x })
		p.ID = id
		return err
	})
	return p, err
}

// revokePoints revokes the points of a dismissed finding, each row under
// its version, audited.
func (t *tx) revokePoints(ctx context.Context, f FieldFinding) error {
	rows, err := t.QueryContext(ctx, `SELECT `+pointsCols+pointsFrom+`p.finding_id = $1 AND NOT p.revoked ORDER BY p.id`, f.ID)
	if err != nil {
		return err
	}
	ps, err := collect(rows, scanPoint)
	if err != nil {
		return err
	}
	for _, p := range ps {
		res, err := t.ExecContext(ctx, `UPDATE audit_clinician_points SET revoked = TRUE, version = version + 1 WHERE id = $1 AND version = $2`, p.ID, p.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return staleVersion()
		}
		after := p
		after.Revoked, after.Version = true, p.Version+1
		if err := t.audit(ctx, "supervision.points.revoke", "clinician_points", p.ID, p.Region, p, after); err != nil {
			return err
		}
	}
	return nil
}

const pointsCols = `p.id, p.finding_id, p.prac_code, p.name, p.fixmedins_code, p.region_code, p.tier, p.responsibility, p.points,
	p.created_at, p.created_by, p.revoked, p.version, f.state`

const pointsFrom = ` FROM audit_clinician_points p JOIN audit_field_findings f ON f.id = p.finding_id WHERE `

func scanPoint(r interface{ Scan(...any) error }) (ClinicianPoint, error) {
	var p ClinicianPoint
	var tier, state string
	err := r.Scan(&p.ID, &p.FindingID, &p.Prac, &p.Name, &p.Institution, &p.Region, &tier, &p.Responsibility, &p.Points,
		&p.CreatedAt, &p.CreatedBy, &p.Revoked, &p.Version, &state)
	p.Tier, p.FindingState = supervision.Tier(tier), supervision.FindingState(state)
	return p, err
}

// FindingPoints lists the points given for one finding.
func (s *Store) FindingPoints(ctx context.Context, findingID int64) ([]ClinicianPoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pointsCols+pointsFrom+`p.finding_id = $1 ORDER BY p.id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("store: finding points: %w", err)
	}
	return collect(rows, scanPoint)
}

// ClinicianPoints lists the clinicians in scope with points in the last
// twelve months (prac narrows it to one), highest total first: the total
// counts the rows neither revoked nor of a finding still before its
// review, and the outcome is supervision.PointsOutcome of it.
func (s *Store) ClinicianPoints(ctx context.Context, scope access.Scope, prac string) ([]ClinicianTotal, error) {
	lo, hi := scope.Range()
	since := s.now().UTC().AddDate(0, -PointsWindow, 0)
	q := `SELECT ` + pointsCols + pointsFrom + `p.region_code >= $1 AND p.region_code < $2 AND p.created_at >= $3`
	args := []any{lo, hi, since}
	if prac = strings.ToUpper(strings.TrimSpace(prac)); prac != "" {
		q += ` AND p.prac_code = $4`
		args = append(args, prac)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY p.prac_code, p.created_at, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: clinician points: %w", err)
	}
	ps, err := collect(rows, scanPoint)
	if err != nil {
		return nil, err
	}
	var out []ClinicianTotal
	for _, p := range ps {
		if len(out) == 0 || out[len(out)-1].Prac != p.Prac {
			out = append(out, ClinicianTotal{Prac: p.Prac})
		}
		c := &out[len(out)-1]
		c.Name, c.Institution = p.Name, p.Institution // the latest row's
		c.Points = append(c.Points, p)
		if !p.Revoked && countsForPoints(p.FindingState) {
			c.Total += p.Points
		}
	}
	for i := range out {
		out[i].Outcome = supervision.PointsOutcome(out[i].Total)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Total > out[j].Total })
	return out, nil
}
