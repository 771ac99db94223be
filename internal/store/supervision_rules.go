package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// RuleSetting is an administrator's setting of one rule for a region from
// a day: switched on or off, and tuned parameter values. The setting in
// force for a scan of region R on day D is, per rule, the one of the most
// specific region covering R (county, then city, then province) with the
// latest valid_from ≤ D.
type RuleSetting struct {
	ID        int64              `json:"id"`
	RuleID    string             `json:"rule_id"`
	Region    string             `json:"region"`
	ValidFrom string             `json:"valid_from"`
	Enabled   bool               `json:"enabled"`
	Values    map[string]float64 `json:"values"`
	Version   int64              `json:"version"`
	ChangedAt time.Time          `json:"changed_at"`
	ChangedBy string             `json:"changed_by"`
}

// RuleSettings lists every setting, by rule, region and day.
func (s *Store) RuleSettings(ctx context.Context) ([]RuleSetting, error) {
	return ruleSettings(ctx, s.db)
}

func ruleSettings(ctx context.Context, q querier) ([]RuleSetting, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, rule_id, region, valid_from, enabled, "values", version, changed_at, changed_by
		FROM audit_rule_settings ORDER BY rule_id, region, valid_from`)
	if err != nil {
		return nil, err
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (RuleSetting, error) {
		var st RuleSetting
		var vals string
		err := r.Scan(&st.ID, &st.RuleID, &st.Region, &st.ValidFrom, &st.Enabled, &vals, &st.Version, &st.ChangedAt, &st.ChangedBy)
		_ = json.Unmarshal([]byte(vals), &st.Values)
		return st, err
	})
}

// RuleConfig is the rule base as it applies to region on day.
func (s *Store) RuleConfig(ctx context.Context, region, day string) (supervision.Config, error) {
	all, err := s.RuleSettings(ctx)
	if err != nil {
		return supervision.Config{}, err
	}
	return configOf(all, region, day), nil
}

// configOf picks, per rule, the setting in force (see RuleSetting).
func configOf(all []RuleSetting, region, day string) supervision.Config {
	best := map[string]RuleSetting{}
	spec := func(r string) int { return len(strings.TrimRight(r, "0")) }
	for _, st := range all {
		if st.ValidFrom > day || !access.ScopeOf(st.Region).Covers(region) {
			continue
		}
		b, ok := best[st.RuleID]
		if !ok || spec(st.Region) > spec(b.Region) || spec(st.Region) == spec(b.Region) && st.ValidFrom > b.ValidFrom {
			best[st.RuleID] = st
		}
	}
	var cfg supervision.Config
	for _, r := range supervision.Base {
		st, ok := best[r.ID]
		if !ok {
			continue
		}
		rr := r
		rr.Enabled, rr.Values = st.Enabled, st.Values
		cfg.Rules = append(cfg.Rules, rr)
	}
	return cfg
}

// SetRuleSetting records an administrator's setting of a rule for a region
// from a day (replacing one of the same rule, region and day under its
// version, expected 0 for a new one). Values are checked against the
// rule's parameters.
func (s *Store) SetRuleSetting(ctx context.Context, actor access.Principal, st RuleSetting, expected int64) (RuleSetting, error) {
	if !actor.Can(access.PermSupervisionRules) {
		return RuleSetting{}, errs.E(errs.Forbidden, "无权调整规则")
	}
	rule, ok := supervision.RuleByID(st.RuleID)
	var fs errs.Fields
	if !ok {
		fs.Add("rule_id", "unknown", "规则“%s”不存在", st.RuleID)
	} else if err := rule.Check(st.Values); err != nil {
		fs.Add("values", "range", "%s", err.Error())
	}
	if _, err := time.Parse(time.DateOnly, st.ValidFrom); err != nil {
		fs.Add("valid_from", "date", "生效日期应为YYYY-MM-DD")
	}
	if !access.ScopeOf(st.Region).Covers(st.Region) {
		fs.Add("region", "region", "地区代码“%s”无效", st.Region)
	} else if !actor.Scope().Covers(st.Region) {
		fs.Add("region", "scope", "只能调整本地区（%s）及下级地区的规则", actor.RegionCode)
	}
	if err := fs.Err(); err != nil {
		return RuleSetting{}, err
	}
	if st.Values == nil {
		st.Values = map[string]float64{}
	}
	vals, _ := json.Marshal(st.Values)
	err := s.write(ctx, actor, func(t *tx) error {
		var before RuleSetting
		var bvals string
		err := t.QueryRowContext(ctx, `SELECT id, enabled, "values", version FROM audit_rule_settings WHERE rule_id = $1 AND region = $2 AND valid_from = $3`+t.s.engine.forUpdate(),
			st.RuleID, st.Region, st.ValidFrom).Scan(&before.ID, &before.Enabled, &bvals, &before.Version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if before.Version != expected {
			return staleVersion()
		}
		_ = json.Unmarshal([]byte(bvals), &before.Values)
		st.ChangedAt, st.ChangedBy = t.now, actor.Username
		if before.ID == 0 {
			st.Version = 1
			if err := t.QueryRowContext(ctx, `INSERT INTO audit_rule_settings (rule_id, region, valid_from, enabled, "values", version, changed_at, changed_by)
				VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id`, st.RuleID, st.Region, st.ValidFrom, st.Enabled, string(vals), t.now, actor.Username).Scan(&st.ID); err != nil {
				return err
			}
		} else {
			st.ID, st.Version = before.ID, before.Version+1
			if _, err := t.ExecContext(ctx, `UPDATE audit_rule_settings SET enabled = $1, "values" = $2, version = version + 1, changed_at = $3, changed_by = $4
				WHERE id = $5 AND version = $6`, st.Enabled, string(vals), t.now, actor.Username, st.ID, expected); err != nil {
				return err
			}
		}
		var old any
		if before.ID != 0 {
			old = map[string]any{"enabled": before.Enabled, "values": before.Values, "version": before.Version}
		}
		if err := setMeta(ctx, t, "rule_settings_stamp", strconv.FormatInt(t.now.UnixNano(), 10)); err != nil {
			return err
		}
		return t.audit(ctx, "supervision.rule.set", "rule_setting", st.ID, st.Region, old,
			map[string]any{"rule_id": st.RuleID, "valid_from": st.ValidFrom, "enabled": st.Enabled, "values": st.Values, "version": st.Version})
	})
	if err == nil {
		s.ruleCache.invalidate()
	}
	return st, err
}

// settingsCache holds the rule settings in memory for the hospital
// interface's real-time rules (an upload must not read the settings
// table): rebuilt when the stored stamp changes (checked at most once a
// second, so another process's change is seen within a second) and at
// once after this process's change.
type settingsCache struct {
	mu      sync.Mutex
	all     []RuleSetting
	loaded  bool
	stamp   string
	checked time.Time
}

func (c *settingsCache) invalidate() {
	c.mu.Lock()
	c.loaded, c.stamp = false, ""
	c.mu.Unlock()
}

// realtimeOff names the rules switched off for an institution's region
// on day, for settlement.Check.Off; read through q (the caller's
// transaction).
func (s *Store) realtimeOff(ctx context.Context, q querier, region, day string) (map[string]bool, error) {
	c := &s.ruleCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded || time.Since(c.checked) >= time.Second {
		var stamp string
		err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, "rule_settings_stamp").Scan(&stamp)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		c.checked = time.Now()
		if !c.loaded || stamp != c.stamp {
			all, err := ruleSettings(ctx, q)
			if err != nil {
				return nil, err
			}
			c.all, c.stamp, c.loaded = all, stamp, true
		}
	}
	var off map[string]bool
	for _, r := range configOf(c.all, region, day).Rules {
		if !r.Enabled {
			if off == nil {
				off = map[string]bool{}
			}
			off[r.ID] = true
		}
	}
	return off, nil
}
