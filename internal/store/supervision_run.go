package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// A scan started from the back office runs as a job: StartScan records it
// as running and enqueues SupervisionScan in the same transaction; the job
// (RunScan) reads the extract (or builds one from gongshang's own
// settlements), screens it with the rule base in force for the scan's
// region, and saves the findings and the ranking in one transaction that
// also marks the scan done. Killed half-way, the job's retry starts over:
// nothing of a half-run scan was written but its progress figure.

// SupervisionScan runs one started scan.
type SupervisionScan struct {
	ScanID int64 `json:"scan_id"`
}

// Kind implements JobArgs.
func (SupervisionScan) Kind() string { return "supervision_scan" }

// StartScan starts a scan of an imported extract (extractID), or of
// gongshang's own settlements of a year (extractID 0, year), in the
// actor's region.
func (s *Store) StartScan(ctx context.Context, actor access.Principal, extractID int64, year int) (ScanInfo, error) {
	if !actor.Can(access.PermSupervisionScreen) {
		return ScanInfo{}, errs.E(errs.Forbidden, "无权进行筛查")
	}
	info := ScanInfo{ExtractID: extractID, State: "running", StartedBy: actor.Username, Region: actor.RegionCode}
	if extractID != 0 {
		x, err := s.FindExtract(ctx, extractID)
		if err != nil {
			return ScanInfo{}, err
		}
		info.Encounters, info.Lines = x.Counts["encounters"], x.Counts["lines"]
	} else {
		if year < 2000 || year > s.now().Year() {
			return ScanInfo{}, errs.Field("year", "range", "年度应在2000年至%d年之间", s.now().Year())
		}
		info.OwnYear = year
	}
	err := s.write(ctx, actor, func(t *tx) error {
		var err error
		info.StartedAt = t.now
		if info.ID, err = t.insertScan(ctx, info, "[]"); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE audit_scans SET finished_at = NULL, own_year = $1 WHERE id = $2`, info.OwnYear, info.ID); err != nil {
			return err
		}
		if err := t.enqueue(ctx, SupervisionScan{ScanID: info.ID}); err != nil {
			return err
		}
		return t.audit(ctx, "supervision.scan.start", "audit_scan", info.ID, actor.RegionCode, nil, info)
	})
	return info, err
}

// RunScan runs a started scan to the end (the job's work). A scan that is
// no longer running is left as it is.
func (s *Store) RunScan(ctx context.Context, scanID int64) error {
	info, err := s.FindScan(ctx, scanID)
	if err != nil || info.State != "running" {
		return err
	}
	runner := access.Principal{Username: "system", Name: "系统", Kind: access.KindSystem, RegionCode: info.Region}
	s.scanProgress(ctx, scanID, 1)
	var x *supervision.Extract
	if info.ExtractID != 0 {
		x, err = s.LoadExtract(ctx, info.ExtractID)
	} else {
		x, err = s.OwnExtract(ctx, runner, info.OwnYear)
	}
	if err != nil {
		return s.failScan(ctx, scanID, err)
	}
	s.scanProgress(ctx, scanID, 30)
	cfg, err := s.RuleConfig(ctx, info.Region, s.now().In(cst).Format(time.DateOnly))
	if err != nil {
		return err
	}
	last := time.Now()
	findings := supervision.Scan(x, cfg, func(done, total int) {
		if time.Since(last) > 500*time.Millisecond || done == total {
			last = time.Now()
			s.scanProgress(ctx, scanID, 30+65*done/total)
		}
	})
	ranking := supervision.RankInstitutions(x, findings)
	return s.finishScan(ctx, runner, info, x, findings, ranking)
}

// finishScan saves the findings and the ranking and marks the scan done,
// in one transaction, if it is still running.
func (s *Store) finishScan(ctx context.Context, actor access.Principal, info ScanInfo, x *supervision.Extract, fs []supervision.Finding, ranking []supervision.Rank) error {
	info.Findings, info.Encounters, info.Lines = len(fs), len(x.Encounters), len(x.Lines)
	info.Fen = 0
	for _, f := range fs {
		info.Fen += int64(f.Fen)
	}
	rank, err := rankingJSON(ranking)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(t *tx) error {
		var state string
		if err := t.QueryRowContext(ctx, `SELECT state FROM audit_scans WHERE id = $1`+t.s.engine.forUpdate(), info.ID).Scan(&state); err != nil {
			return err
		}
		if state != "running" {
			return nil
		}
		if _, err := t.ExecContext(ctx, `DELETE FROM audit_findings WHERE scan_id = $1`, info.ID); err != nil {
			return err
		}
		if err := t.insertFindings(ctx, info.ID, fs); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE audit_scans SET state = 'done', finished_at = $1, encounters = $2, lines = $3, findings = $4,
			amount_fen = $5, ranking = $6, progress = 100 WHERE id = $7`, t.now, info.Encounters, info.Lines, info.Findings, info.Fen, rank, info.ID); err != nil {
			return err
		}
		info.State, info.FinishedAt, info.Progress = "done", t.now, 100
		return t.audit(ctx, "supervision.scan.done", "audit_scan", info.ID, info.Region, nil, info)
	})
}

// scanProgress records how far a running scan is (unaudited housekeeping).
func (s *Store) scanProgress(ctx context.Context, id int64, pct int) {
	if _, err := s.exec(ctx, `UPDATE audit_scans SET progress = $1 WHERE id = $2 AND state = 'running'`, pct, id); err != nil {
		s.log.Warn("scan progress", "scan_id", id, "err", err)
	}
}

// failScan marks a scan failed with the reason (an extract that no longer
// parses, say) and returns nil: retrying would fail the same way.
func (s *Store) failScan(ctx context.Context, id int64, cause error) error {
	err := s.write(ctx, access.System, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `UPDATE audit_scans SET state = 'failed', error = $1, finished_at = $2 WHERE id = $3 AND state = 'running'`,
			cause.Error(), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, "supervision.scan.failed", "audit_scan", id, "", nil, map[string]any{"error": cause.Error()})
	})
	if err != nil {
		return errors.Join(cause, err)
	}
	return nil
}

// Scans lists the recent scans in the viewer's scope (the scan's region
// within it), newest first.
func (s *Store) Scans(ctx context.Context, scope access.Scope, limit int) ([]ScanInfo, error) {
	lo, hi := scope.Range()
	rows, err := s.db.QueryContext(ctx, `SELECT `+scanCols+` FROM audit_scans WHERE region_code >= $1 AND region_code < $2 ORDER BY id DESC LIMIT $3`, lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("store: scans: %w", err)
	}
	return collect(rows, scanScanInfo)
}

// Extracts lists the imported extracts, newest first.
func (s *Store) Extracts(ctx context.Context) ([]ExtractInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+extractCols+` FROM audit_extracts ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: extracts: %w", err)
	}
	return collect(rows, scanExtractInfo)
}
