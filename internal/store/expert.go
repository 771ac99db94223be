package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/expertpool"
	"gongshang/internal/param"
)

// The assessment committee's expert pool and the panel draws. The city's
// committee (region 37xx00) assesses initial and 复查 cases, the
// province's (370000) 再次鉴定 (令55号 Art. 5).

// committeeOf is the committee region that assesses a service of a case.
func committeeOf(c *casebundle.Case, k casebundle.ServiceKind) string {
	if k == casebundle.Reassessment {
		return c.RegionCode[:2] + "0000"
	}
	return c.RegionCode[:4] + "00"
}

// CreateExpert adds an expert to the pool of region (a city or province
// committee) in the actor's scope.
func (s *Store) CreateExpert(ctx context.Context, actor access.Principal, region string, e *expertpool.Expert) error {
	if !actor.Can(access.PermCaseAssess) {
		return errs.E(errs.Forbidden, "您的角色不能管理鉴定专家库")
	}
	e.Normalize()
	if e.Status == "" {
		e.Status = expertpool.StatusActive
	}
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		if err := t.checkRegion(ctx, "region_code", region); err != nil {
			return err
		}
		ce, _ := json.Marshal(nonNil(e.ConflictEmployers))
		ch, _ := json.Marshal(nonNilS(e.ConflictHospitals))
		if err := t.QueryRowContext(ctx, `INSERT INTO experts (region_code, name, grp, hospital, hospital_code, title, status, term_start, term_end,
			conflict_employers, conflict_hospitals, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, 1) RETURNING id`,
			region, e.Name, string(e.Group), e.Hospital, e.HospitalCode, e.Title, string(e.Status), e.TermStart.Format(time.DateOnly),
			e.TermEnd.Format(time.DateOnly), string(ce), string(ch), t.now).Scan(&e.ID); err != nil {
			return fmt.Errorf("store: create expert: %w", err)
		}
		return t.audit(ctx, "expert.create", "expert", e.ID, region, nil, e)
	})
}

func nonNil(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

func nonNilS(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// Experts lists the pool of a committee region, by group then id: to
// staff of that region's subtree, and to those below it whose cases it
// assesses (a county's officers see their city's committee).
func (s *Store) Experts(ctx context.Context, viewer access.Principal, region string) ([]expertpool.Expert, error) {
	if !viewer.Can(access.PermCaseRead) || viewer.Kind != access.KindStaff && viewer.Kind != access.KindSystem ||
		!viewer.Scope().Covers(region) && !access.ScopeOf(region).Covers(viewer.RegionCode) {
		return nil, errs.E(errs.Forbidden, "不能查看该地区的鉴定专家库")
	}
	return s.experts(ctx, s.db, region)
}

func (s *Store) experts(ctx context.Context, q querier, region string) ([]expertpool.Expert, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, grp, hospital, hospital_code, title, status, term_start, term_end, conflict_employers, conflict_hospitals
		FROM experts WHERE region_code = $1 ORDER BY grp, id`, region)
	if err != nil {
		return nil, fmt.Errorf("store: experts: %w", err)
	}
	defer rows.Close()
	var out []expertpool.Expert
	for rows.Next() {
		var e expertpool.Expert
		var start, end, ce, ch string
		if err := rows.Scan(&e.ID, &e.Name, &e.Group, &e.Hospital, &e.HospitalCode, &e.Title, &e.Status, &start, &end, &ce, &ch); err != nil {
			return nil, err
		}
		e.TermStart, _ = time.Parse(time.DateOnly, start)
		e.TermEnd, _ = time.Parse(time.DateOnly, end)
		if err := json.Unmarshal([]byte(ce), &e.ConflictEmployers); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(ch), &e.ConflictHospitals); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// nonce is the server's random part of a draw's seed, recorded with it.
func nonce() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base32.StdEncoding.EncodeToString(b)
}

// DrawPanel draws an assessment panel of size experts at random from the
// committee's pool, needing the given 门类 (expertpool.Draw, recusal of the
// worker's hospital and of declared conflicts), records the draw with the
// pool it was drawn from (so it can be replayed), and moves the service on.
func (s *Store) DrawPanel(ctx context.Context, actor access.Principal, set *param.Set, caseID, serviceID int64, size int, groups []expertpool.Group) (casebundle.Case, error) {
	var out casebundle.Case
	err := s.write(ctx, actor, func(t *tx) error {
		c, err := t.s.loadCase(ctx, t, actor, caseID, true)
		if err != nil {
			return err
		}
		svc := c.ServiceByID(serviceID)
		if svc == nil || !svc.Kind.IsAssessment() {
			return errs.E(errs.NotFound, "该案件没有这项鉴定")
		}
		if svc.State != casebundle.Received {
			return errs.E(errs.Conflict, "%s当前状态为“%s”，不能抽取专家组", svc.Kind.Name(), svc.State.Name())
		}
		pool, err := t.s.experts(ctx, t, committeeOf(&c, svc.Kind))
		if err != nil {
			return err
		}
		var seq int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) + 1 FROM panel_draws WHERE service_id = $1`, svc.ID).Scan(&seq); err != nil {
			return fmt.Errorf("store: panel draw: %w", err)
		}
		req := expertpool.DrawRequest{CaseNumber: c.Number, Size: size, Groups: groups, On: t.s.today(),
			Seed: expertpool.Seed(c.Number, seq, nonce()), EmployerID: c.EmployerID}
		if c.Hospital != "" {
			req.WorkerHospitals = []string{c.Hospital}
		}
		rec, err := expertpool.Draw(pool, req)
		if err != nil {
			return err
		}
		recJSON, _ := json.Marshal(rec)
		poolJSON, _ := json.Marshal(pool)
		if _, err := t.ExecContext(ctx, `INSERT INTO panel_draws (service_id, seq, record, pool, created_at) VALUES ($1, $2, $3, $4, $5)`,
			svc.ID, seq, string(recJSON), string(poolJSON), t.now); err != nil {
			return fmt.Errorf("store: panel draw: %w", err)
		}
		before := c
		before.Services = append([]casebundle.Service(nil), c.Services...)
		a := casebundle.Action{Name: casebundle.ActDrawPanel, PanelSize: size, PanelIDs: rec.ChosenIDs(), PanelSeed: req.Seed}
		events, err := c.Apply(serviceID, a, casebundle.Env{Today: t.s.today(), Actor: actor, Params: param.NewResolver(set, c.RegionCode)})
		if err != nil {
			return err
		}
		if err := t.saveCase(ctx, &before, &c, events, set); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// PanelDraw is a recorded draw with the pool it was drawn from.
type PanelDraw struct {
	Seq    int
	Record expertpool.Record
	Pool   []expertpool.Expert
}

// PanelDraws lists a service's draws; the caller has read the case.
func (s *Store) PanelDraws(ctx context.Context, serviceID int64) ([]PanelDraw, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, record, pool FROM panel_draws WHERE service_id = $1 ORDER BY seq`, serviceID)
	if err != nil {
		return nil, fmt.Errorf("store: panel draws: %w", err)
	}
	defer rows.Close()
	var out []PanelDraw
	for rows.Next() {
		var d PanelDraw
		var rec, pool string
		if err := rows.Scan(&d.Seq, &rec, &pool); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(rec), &d.Record); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(pool), &d.Pool); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
