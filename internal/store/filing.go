package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/settlement"
)

const filingCols = `id, worker_id, case_id, region_code, kind, treat_region, institution, reason, address, valid_from, valid_to,
	filed_on, state, channel, created_at, updated_at, version`

func scanFiling(r interface{ Scan(...any) error }) (settlement.Filing, error) {
	var f settlement.Filing
	err := r.Scan(&f.ID, &f.WorkerID, &f.CaseID, &f.RegionCode, &f.Kind, &f.TreatRegion, &f.Institution, &f.Reason, &f.Address,
		&f.ValidFrom, &f.ValidTo, &f.FiledOn, &f.State, &f.Channel, &f.CreatedAt, &f.UpdatedAt, &f.Version)
	return f, err
}

// FilingRules reads the filing parameters in force on today for region.
func FilingRules(set *param.Set, region, today string) (settlement.FilingRules, error) {
	on, err := param.ParseDate(today)
	if err != nil {
		return settlement.FilingRules{}, err
	}
	get := func(key string) (int, error) {
		v, err := set.Lookup("remote_filing", key, region, on)
		if err != nil {
			return 0, err
		}
		var n int
		_, err = fmt.Sscanf(v.Value, "%d", &n)
		return n, err
	}
	var r settlement.FilingRules
	if r.ValidMonths, err = get("valid_months"); err != nil {
		return r, err
	}
	if r.HoldMonths, err = get("hold_months"); err != nil {
		return r, err
	}
	r.ReferralDays, err = get("referral_days")
	return r, err
}

// CreateFiling files a remote-treatment filing for a worker with a
// recognised injury (the case), at the window or from the portal.
func (s *Store) CreateFiling(ctx context.Context, actor access.Principal, set *param.Set, f *settlement.Filing) error {
	if err := mayFile(actor); err != nil {
		return err
	}
	if actor.Kind == access.KindWorker {
		// The portal files a residence or posted-work filing of the worker's
		// own case; a referral is the agency's, on the treating doctor's advice.
		if f.Kind == settlement.Referral {
			return errs.Field("kind", "portal_referral", "转诊转院备案请由参保地经办机构办理")
		}
		f.Channel = "portal"
	}
	return s.write(ctx, actor, func(t *tx) error {
		c, err := s.loadCase(ctx, t, actor, f.CaseID, false)
		if err != nil {
			return errs.Field("case_id", "not_found", "未找到该工伤案件")
		}
		rec := c.Service("recognition")
		if !recognisedBy(rec) {
			return errs.Field("case_id", "not_recognised", "案件%s尚无认定工伤（视同工伤）结论，不能办理异地就医备案", c.Number)
		}
		if actor.Kind == access.KindWorker && actor.WorkerID != c.WorkerID {
			return errs.E(errs.NotFound, "案件不存在")
		}
		f.WorkerID, f.RegionCode = c.WorkerID, c.RegionCode
		today := settlement.Day(t.now)
		rules, err := FilingRules(set, c.RegionCode, today)
		if err != nil {
			return err
		}
		if err := f.Prepare(rules, today); err != nil {
			return err
		}
		if settlement.PoolingRegion(f.TreatRegion) == settlement.PoolingRegion(c.RegionCode) {
			return errs.Field("treat_region", "same", "就医地与参保地同属一个统筹地区，无需办理异地就医备案")
		}
		var open int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM filings WHERE worker_id = $1 AND state = 'active' AND kind <> 'referral' AND valid_to >= $2`,
			f.WorkerID, today).Scan(&open); err != nil {
			return err
		}
		if open > 0 && f.Kind != settlement.Referral {
			return errs.Field("kind", "exists", "该职工已有有效的异地长期居住（工作）备案，请先变更或撤销")
		}
		return t.insertFiling(ctx, f, "filing.create")
	})
}

// mayFile: filings are made and cancelled by the agency's staff who hold
// filing.manage (and the system), or by the injured worker himself on the
// portal (his own cases only: loadCase and MaySee); no one else.
func mayFile(actor access.Principal) error {
	switch actor.Kind {
	case access.KindWorker:
		return nil
	case access.KindStaff, access.KindSystem:
		if actor.Can(access.PermFilingManage) {
			return nil
		}
	}
	return errs.E(errs.Forbidden, "无权办理异地就医备案")
}

// insertFiling inserts a filing and appends its audit entry.
func (t *tx) insertFiling(ctx context.Context, f *settlement.Filing, action string) error {
	f.CreatedAt, f.UpdatedAt, f.Version = t.now, t.now, 1
	cols := []string{"worker_id", "case_id", "region_code", "kind", "treat_region", "institution", "reason", "address", "valid_from",
		"valid_to", "filed_on", "state", "channel", "created_by", "created_at", "updated_at", "version"}
	row := []any{f.WorkerID, f.CaseID, f.RegionCode, string(f.Kind), f.TreatRegion, f.Institution, f.Reason, f.Address, f.ValidFrom,
		f.ValidTo, f.FiledOn, string(f.State), f.Channel, t.actor.UserID, t.now, t.now, 1}
	var err error
	f.ID, err = t.insertAudited(ctx, "filings", cols, row, action, "filing", f.RegionCode,
		func(id int64) any { c := *f; c.ID = id; return c })
	return err
}

// CancelFiling cancels an active filing (after its holding period).
func (s *Store) CancelFiling(ctx context.Context, actor access.Principal, set *param.Set, id, expected int64, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errs.Field("reason", "required", "请填写撤销原因")
	}
	if err := mayFile(actor); err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		f, err := scanFiling(t.QueryRowContext(ctx, `SELECT `+filingCols+` FROM filings WHERE id = $1`+s.engine.forUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) || err == nil && !actor.MaySee(access.Owners{Region: f.RegionCode, WorkerID: f.WorkerID}) {
			return errs.E(errs.NotFound, "备案不存在")
		}
		if err != nil {
			return err
		}
		if f.Version != expected {
			return staleVersion()
		}
		today := settlement.Day(t.now)
		rules, err := FilingRules(set, f.RegionCode, today)
		if err != nil {
			return err
		}
		if why := f.MayChange(rules, today); why != "" {
			return errs.E(errs.Conflict, "%s", why)
		}
		before := f
		f.State, f.Reason, f.UpdatedAt, f.Version = settlement.FilingCancelled, f.Reason+"；撤销："+strings.TrimSpace(reason), t.now, f.Version+1
		if _, err := t.ExecContext(ctx, `UPDATE filings SET state = $1, reason = $2, updated_at = $3, version = $4 WHERE id = $5`,
			string(f.State), f.Reason, t.now, f.Version, f.ID); err != nil {
			return err
		}
		return t.audit(ctx, "filing.cancel", "filing", f.ID, f.RegionCode, before, f)
	})
}

// FindFiling reads a filing the viewer may see.
func (s *Store) FindFiling(ctx context.Context, viewer access.Principal, id int64) (settlement.Filing, error) {
	f, err := scanFiling(s.db.QueryRowContext(ctx, `SELECT `+filingCols+` FROM filings WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !viewer.MaySee(access.Owners{Region: f.RegionCode, WorkerID: f.WorkerID}) {
		return settlement.Filing{}, errs.E(errs.NotFound, "备案不存在")
	}
	return f, err
}

// filingOf finds the worker's filing in force today for a case (or any).
func (t *tx) filingOf(ctx context.Context, workerID, caseID int64, today string) (settlement.Filing, bool, error) {
	f, err := scanFiling(t.QueryRowContext(ctx, `SELECT `+filingCols+` FROM filings WHERE worker_id = $1 AND state = 'active'
		AND valid_from <= $2 AND valid_to >= $2 AND (case_id = $3 OR $3 = 0) ORDER BY id DESC LIMIT 1`, workerID, today, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	return f, err == nil, err
}

// coveringFiling finds a filing that lets the worker be admitted at the
// institution on day.
func (t *tx) coveringFiling(ctx context.Context, workerID int64, inst settlement.Institution, day string) (settlement.Filing, bool, error) {
	// Locked: a referral is used up by one admission, and two
	// institutions admitting the worker at once must not both use it.
	rows, err := t.QueryContext(ctx, `SELECT `+filingCols+` FROM filings WHERE worker_id = $1 AND state = 'active' AND valid_from <= $2
		AND valid_to >= $2 ORDER BY id DESC`+t.s.engine.forUpdate(), workerID, day)
	if err != nil {
		return settlement.Filing{}, false, err
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFiling(rows)
		if err != nil {
			return f, false, err
		}
		if f.Covers(inst.Code, inst.RegionCode, day) {
			return f, true, nil
		}
	}
	return settlement.Filing{}, false, rows.Err()
}

// LoadFiling records a filing as given, dates included (a filing made
// before this system, or the demo's expired one); audited like any other.
func (s *Store) LoadFiling(ctx context.Context, actor access.Principal, f *settlement.Filing) error {
	if !f.Kind.Valid() || f.ValidFrom == "" || f.ValidTo < f.ValidFrom {
		return errs.E(errs.Invalid, "备案的类型或期间无效")
	}
	return s.write(ctx, actor, func(t *tx) error { return t.insertFiling(ctx, f, "filing.load") })
}
