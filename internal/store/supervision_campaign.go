package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/supervision"
)

// Field audits (稽核, fund-audit.md §5): a campaign plans a visit to every
// institution of a scan's ranking (拉网式), tiered by risk with a random
// slice of full visits, and draws teams from the inspector pool by lot
// with recusal. A campaign belongs to its planner's region; a visit to
// the institution's county, so a county's auditors see their own visits.

// Inspector is a member of the audit pool as stored.
type Inspector struct {
	supervision.Inspector
	Active  bool  `json:"active"`
	Version int64 `json:"version"`
}

// Campaign is an annual field-audit plan.
type Campaign struct {
	ID          int64     `json:"id"`
	Year        int       `json:"year"`
	Name        string    `json:"name"`
	ScanID      int64     `json:"scan_id"`
	Region      string    `json:"region_code"`
	State       string    `json:"state"` // planned, drawn, on_site, closed
	Seed        uint64    `json:"seed"`
	HighShare   float64   `json:"high_share"`
	MediumShare float64   `json:"medium_share"`
	RandomShare float64   `json:"random_share"`
	Teams       int       `json:"teams"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	Version     int64     `json:"version"`
}

// CampaignStates names a campaign's states.
var CampaignStates = map[string]string{"planned": "已计划", "drawn": "已抽签分组", "on_site": "现场检查中", "closed": "已结束"}

// CampaignVisit is one institution's visit in a campaign.
type CampaignVisit struct {
	ID         int64 `json:"id"`
	CampaignID int64 `json:"campaign_id"`
	supervision.Visit
	Name    string `json:"fixmedins_name,omitempty"` // from the register when registered
	State   string `json:"state"`                    // planned, visited, closed
	Version int64  `json:"version"`
}

// MaxInspectorName is the longest inspector name.
const MaxInspectorName = 50

// AddInspector adds a member to the audit pool.
func (s *Store) AddInspector(ctx context.Context, actor access.Principal, in supervision.Inspector) (Inspector, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Inspector{}, errs.E(errs.Forbidden, "无权管理稽核人员")
	}
	in.Name, in.Specialty, in.County = strings.TrimSpace(in.Name), strings.TrimSpace(in.Specialty), strings.TrimSpace(in.County)
	var fs errs.Fields
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxInspectorName {
		fs.Add("name", "required", "姓名不能为空，最多%d字", MaxInspectorName)
	}
	if in.Specialty == "" {
		fs.Add("specialty", "required", "专业不能为空")
	}
	if registry.RegionLevel(in.County) != "county" {
		// the format only: an extract's counties (admvs) need not be in the register's list
		fs.Add("region_code", "format", "所在区县应为6位县级行政区划代码")
	}
	if err := fs.Err(); err != nil {
		return Inspector{}, err
	}
	out := Inspector{Inspector: in, Active: true, Version: 1}
	err := s.write(ctx, actor, func(t *tx) error {
		id, err := t.insertAudited(ctx, "audit_inspectors", []string{"name", "region_code", "specialty", "former", "officer", "active", "version"},
			[]any{in.Name, in.County, in.Specialty, jsonList(in.Former), in.Officer, true, 1}, "supervision.inspector.add", "inspector", in.County,
			func(id int64) any { c := out; c.ID = id; return c })
		out.ID = id
		return err
	})
	return out, err
}

const inspectorCols = `id, name, region_code, specialty, former, officer, active, version`

func scanInspector(r interface{ Scan(...any) error }) (Inspector, error) {
	var in Inspector
	var former string
	err := r.Scan(&in.ID, &in.Name, &in.County, &in.Specialty, &former, &in.Officer, &in.Active, &in.Version)
	_ = json.Unmarshal([]byte(former), &in.Former)
	return in, err
}

// Inspectors lists the audit pool (activeOnly: those who may be drawn).
func (s *Store) Inspectors(ctx context.Context, activeOnly bool) ([]Inspector, error) {
	q := `SELECT ` + inspectorCols + ` FROM audit_inspectors`
	if activeOnly {
		q += ` WHERE active`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: inspectors: %w", err)
	}
	return collect(rows, scanInspector)
}

const campaignCols = `id, year, name, scan_id, region_code, state, seed, high_share, medium_share, random_share, teams, created_at, created_by, version`

func scanCampaign(r interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var seed int64
	err := r.Scan(&c.ID, &c.Year, &c.Name, &c.ScanID, &c.Region, &c.State, &seed, &c.HighShare, &c.MediumShare, &c.RandomShare,
		&c.Teams, &c.CreatedAt, &c.CreatedBy, &c.Version)
	c.Seed = uint64(seed)
	return c, err
}

func validPlan(year int, name string, o supervision.PlanOptions) error {
	var fs errs.Fields
	if year < 2000 || year > 2100 {
		fs.Add("year", "range", "年度%d不在2000至2100之间", year)
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 100 {
		fs.Add("name", "required", "稽核计划名称不能为空，最多100字")
	}
	for _, x := range []struct {
		field string
		v     float64
	}{{"high_share", o.HighShare}, {"medium_share", o.MediumShare}, {"random_share", o.RandomShare}} {
		if x.v < 0 || x.v > 1 {
			fs.Add(x.field, "range", "比例应在0至1之间")
		}
	}
	if o.HighShare+o.MediumShare > 1 {
		fs.Add("medium_share", "range", "高、中风险比例之和不能超过1")
	}
	return fs.Err()
}

// PlanCampaign plans a campaign from a finished scan: every institution of
// its ranking gets a visit, tiered and with the random slice drawn by
// supervision.Plan (opts.Seed 0: a fresh random seed, recorded).
func (s *Store) PlanCampaign(ctx context.Context, actor access.Principal, scanID int64, year int, name string, opts supervision.PlanOptions) (Campaign, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Campaign{}, errs.E(errs.Forbidden, "无权制定稽核计划")
	}
	name = strings.TrimSpace(name)
	if err := validPlan(year, name, opts); err != nil {
		return Campaign{}, err
	}
	scan, err := s.FindScan(ctx, scanID)
	if errs.Is(err, errs.NotFound) || err == nil && scan.State != "done" {
		return Campaign{}, errs.Field("scan_id", "unknown", "筛查%d不存在或尚未完成", scanID)
	}
	if err != nil {
		return Campaign{}, err
	}
	rank, err := s.ScanRanking(ctx, scanID)
	if err != nil {
		return Campaign{}, err
	}
	if len(rank) == 0 {
		return Campaign{}, errs.Field("scan_id", "empty", "筛查%d没有机构排名，无法制定计划", scanID)
	}
	counties, err := s.rankCounties(ctx, scan, rank)
	if err != nil {
		return Campaign{}, err
	}
	if opts.Seed == 0 {
		opts.Seed = randomSeed()
	}
	visits := supervision.Plan(rank, counties, opts)
	names := map[string]string{}
	for _, r := range rank {
		names[r.Institution] = r.Name
	}
	c := Campaign{Year: year, Name: name, ScanID: scanID, Region: actor.RegionCode, State: "planned", Seed: opts.Seed,
		HighShare: opts.HighShare, MediumShare: opts.MediumShare, RandomShare: opts.RandomShare, CreatedBy: actor.Username, Version: 1}
	err = s.write(ctx, actor, func(t *tx) error {
		c.CreatedAt = t.now
		id, err := t.insertAudited(ctx, "audit_campaigns", []string{"year", "name", "scan_id", "region_code", "state", "seed",
			"high_share", "medium_share", "random_share", "teams", "created_at", "created_by", "version"},
			[]any{year, name, scanID, c.Region, c.State, int64(c.Seed), c.HighShare, c.MediumShare, c.RandomShare, 0, t.now, c.CreatedBy, 1},
			"supervision.campaign.plan", "campaign", c.Region, func(id int64) any { x := c; x.ID = id; return x })
		if err != nil {
			return err
		}
		c.ID = id
		return t.insertMany(ctx, "audit_visits", []string{"campaign_id", "fixmedins_code", "region_code", "tier", "score", "depth", "random", "team", "name"},
			len(visits), func(i int) []any {
				v := visits[i]
				return []any{id, v.Institution, v.County, v.Tier, v.Score, string(v.Depth), v.Random, 0, names[v.Institution]}
			}, "")
	})
	return c, err
}

func randomSeed() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 1 // fits a signed BIGINT
}

// rankCounties finds each ranked institution's county: from the scan's
// leads, else the register, else the scan's extract.
func (s *Store) rankCounties(ctx context.Context, scan ScanInfo, rank []supervision.Rank) (map[string]string, error) {
	out := map[string]string{}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT fixmedins_code, region_code FROM audit_findings WHERE scan_id = $1 AND region_code <> ''`, scan.ID)
	if err != nil {
		return nil, err
	}
	pairs, err := collect(rows, func(r interface{ Scan(...any) error }) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	var missing []string
	for _, r := range rank {
		if out[r.Institution] == "" {
			var region string
			err := s.db.QueryRowContext(ctx, `SELECT region_code FROM institutions WHERE code = $1`, r.Institution).Scan(&region)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			out[r.Institution] = region
			if region == "" {
				missing = append(missing, r.Institution)
			}
		}
	}
	if len(missing) > 0 && scan.ExtractID != 0 {
		x, err := s.LoadExtract(ctx, scan.ExtractID)
		if err != nil {
			return nil, err
		}
		for _, in := range x.Institutions {
			if out[in.Code] == "" {
				out[in.Code] = in.Region
			}
		}
	}
	return out, nil
}

// FindCampaign reads a campaign the viewer may see.
func (s *Store) FindCampaign(ctx context.Context, viewer access.Principal, id int64) (Campaign, error) {
	c, err := scanCampaign(s.db.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: c.Region}) {
		return Campaign{}, errs.E(errs.NotFound, "稽核计划不存在")
	}
	return c, err
}

// Campaigns lists the campaigns in scope, newest first.
func (s *Store) Campaigns(ctx context.Context, scope access.Scope) ([]Campaign, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE region_code >= $1 AND region_code < $2 ORDER BY id DESC`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: campaigns: %w", err)
	}
	return collect(rows, scanCampaign)
}

const visitCols = `v.id, v.campaign_id, v.fixmedins_code, v.region_code, v.tier, v.score, v.depth, v.random, v.team, v.state, v.version, COALESCE(i.name, v.name)`

func scanVisit(r interface{ Scan(...any) error }) (CampaignVisit, error) {
	var v CampaignVisit
	var depth string
	err := r.Scan(&v.ID, &v.CampaignID, &v.Institution, &v.County, &v.Tier, &v.Score, &depth, &v.Random, &v.Team, &v.State, &v.Version, &v.Name)
	v.Depth = supervision.Depth(depth)
	return v, err
}

// CampaignVisits lists a campaign's visits in scope by team, then score.
func (s *Store) CampaignVisits(ctx context.Context, scope access.Scope, campaignID int64) ([]CampaignVisit, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code
		WHERE v.campaign_id = $1 AND v.region_code >= $2 AND v.region_code < $3 ORDER BY v.team, v.score DESC, v.id`, campaignID, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	return collect(rows, scanVisit)
}

// FindVisit reads a visit the viewer may see.
func (s *Store) FindVisit(ctx context.Context, viewer access.Principal, id int64) (CampaignVisit, error) {
	v, err := scanVisit(s.db.QueryRowContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code WHERE v.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: v.County}) {
		return CampaignVisit{}, errs.E(errs.NotFound, "检查对象不存在")
	}
	return v, err
}

// CampaignTeams reads a campaign's drawn teams with their members.
func (s *Store) CampaignTeams(ctx context.Context, campaignID int64) ([]supervision.Team, error) {
	pool, err := s.Inspectors(ctx, false)
	if err != nil {
		return nil, err
	}
	byID := map[int64]supervision.Inspector{}
	for _, p := range pool {
		byID[p.ID] = p.Inspector
	}
	rows, err := s.db.QueryContext(ctx, `SELECT no, members FROM audit_campaign_teams WHERE campaign_id = $1 ORDER BY no`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: teams: %w", err)
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (supervision.Team, error) {
		var t supervision.Team
		var members string
		if err := r.Scan(&t.No, &members); err != nil {
			return t, err
		}
		var ids []int64
		_ = json.Unmarshal([]byte(members), &ids)
		for _, id := range ids {
			t.Members = append(t.Members, byID[id])
		}
		return t, nil
	})
}

// DrawCampaignTeams draws the active pool into n teams by lot (the
// campaign's seed) and assigns every visit to a team with no member from
// the institution's county or a former employee; a campaign can be drawn
// again until its visits start.
func (s *Store) DrawCampaignTeams(ctx context.Context, actor access.Principal, id, expected int64, n int) (Campaign, error) {
	if !actor.Can(access.PermSupervisionReview) {
		return Campaign{}, errs.E(errs.Forbidden, "无权抽签分组")
	}
	if n < 1 || n > 50 {
		return Campaign{}, errs.Field("teams", "range", "检查组数应在1至50之间")
	}
	pool, err := s.Inspectors(ctx, true)
	if err != nil {
		return Campaign{}, err
	}
	members := make([]supervision.Inspector, len(pool))
	for i, p := range pool {
		members[i] = p.Inspector
	}
	var out Campaign
	err = s.write(ctx, actor, func(t *tx) error {
		before, err := scanCampaign(t.QueryRowContext(ctx, `SELECT `+campaignCols+` FROM audit_campaigns WHERE id = $1`+t.s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: before.Region}) {
			return errs.E(errs.NotFound, "稽核计划不存在")
		}
		if err != nil {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		if before.State != "planned" && before.State != "drawn" {
			return errs.E(errs.Conflict, "稽核计划%s，不能重新抽签", CampaignStates[before.State])
		}
		rows, err := t.QueryContext(ctx, `SELECT `+visitCols+` FROM audit_visits v LEFT JOIN institutions i ON i.code = v.fixmedins_code
			WHERE v.campaign_id = $1 ORDER BY v.id`, id)
		if err != nil {
			return err
		}
		visits, err := collect(rows, scanVisit)
		if err != nil {
			return err
		}
		plain := make([]supervision.Visit, len(visits))
		for i, v := range visits {
			plain[i] = v.Visit
		}
		teams, drawn, err := supervision.DrawTeams(members, plain, n, before.Seed)
		if err != nil {
			return errs.Field("teams", "draw", "%s", err.Error())
		}
		if err := t.saveTeams(ctx, id, teams); err != nil {
			return err
		}
		for i, v := range visits {
			if _, err := t.ExecContext(ctx, `UPDATE audit_visits SET team = $1, version = version + 1 WHERE id = $2`, drawn[i].Team, v.ID); err != nil {
				return err
			}
		}
		res, err := t.ExecContext(ctx, `UPDATE audit_campaigns SET state = 'drawn', teams = $1, version = version + 1 WHERE id = $2 AND version = $3`, n, id, expected)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return staleVersion()
		}
		out = before
		out.State, out.Teams, out.Version = "drawn", n, before.Version+1
		return t.audit(ctx, "supervision.campaign.draw", "campaign", id, before.Region, before, map[string]any{"campaign": out, "teams": teamIDs(teams)})
	})
	return out, err
}

func teamIDs(teams []supervision.Team) [][]int64 {
	out := make([][]int64, len(teams))
	for i, t := range teams {
		out[i] = []int64{}
		for _, m := range t.Members {
			out[i] = append(out[i], m.ID)
		}
	}
	return out
}

func (t *tx) saveTeams(ctx context.Context, campaignID int64, teams []supervision.Team) error {
	if _, err := t.ExecContext(ctx, `DELETE FROM audit_campaign_teams WHERE campaign_id = $1`, campaignID); err != nil {
		return err
	}
	ids := teamIDs(teams)
	return t.insertMany(ctx, "audit_campaign_teams", []string{"campaign_id", "no", "members"}, len(teams), func(i int) []any {
		b, _ := json.Marshal(ids[i])
		return []any{campaignID, teams[i].No, string(b)}
	}, "")
}
