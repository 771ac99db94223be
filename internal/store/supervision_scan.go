package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/supervision"
)

// ScanInfo describes a stored screening scan.
type ScanInfo struct {
	ID         int64     `json:"id"`
	ExtractID  int64     `json:"extract_id,omitempty"` // 0: a scan of gongshang's own settlements
	State      string    `json:"state"`                // running, done, failed
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	StartedBy  string    `json:"started_by"`
	Encounters int       `json:"encounters"`
	Lines      int       `json:"lines"`
	Findings   int       `json:"findings"`
	Fen        int64     `json:"amount_fen"`
	Region     string    `json:"region_code"`
	Progress   int       `json:"progress"` // per cent, while running
	Error      string    `json:"error,omitempty"`
	OwnYear    int       `json:"own_year,omitempty"` // a scan of own settlements: the year
}

const scanCols = `id, COALESCE(extract_id, 0), state, started_at, finished_at, started_by, encounters, lines, findings, amount_fen,
	region_code, progress, error, own_year`

func scanScanInfo(r interface{ Scan(...any) error }) (ScanInfo, error) {
	var c ScanInfo
	var finished sql.NullTime
	err := r.Scan(&c.ID, &c.ExtractID, &c.State, &c.StartedAt, &finished, &c.StartedBy, &c.Encounters, &c.Lines, &c.Findings, &c.Fen,
		&c.Region, &c.Progress, &c.Error, &c.OwnYear)
	c.FinishedAt = finished.Time
	return c, err
}

// storedRank keeps the ranking's amounts, which its JSON for readers
// leaves out.
type storedRank struct {
	supervision.Rank
	Fen     int64 `json:"fen"`
	Settled int64 `json:"settled"`
}

// SaveScan stores a finished scan of an extract (extractID 0: of
// gongshang's own settlements) with its findings, in their order, and the
// institution ranking, all in one transaction.
func (s *Store) SaveScan(ctx context.Context, actor access.Principal, extractID int64, findings []supervision.Finding, ranking []supervision.Rank) (ScanInfo, error) {
	if !actor.Can(access.PermSupervisionScreen) {
		return ScanInfo{}, errs.E(errs.Forbidden, "无权进行筛查")
	}
	info := ScanInfo{ExtractID: extractID, State: "done", StartedBy: actor.Username, Findings: len(findings)}
	if extractID != 0 {
		x, err := s.FindExtract(ctx, extractID)
		if err != nil {
			return ScanInfo{}, err
		}
		info.Encounters, info.Lines = x.Counts["encounters"], x.Counts["lines"]
	}
	for _, f := range findings {
		info.Fen += int64(f.Fen)
	}
	rank, err := rankingJSON(ranking)
	if err != nil {
		return ScanInfo{}, err
	}
	err = s.write(ctx, actor, func(t *tx) error {
		info.StartedAt, info.FinishedAt = t.now, t.now
		if info.ID, err = t.insertScan(ctx, info, rank); err != nil {
			return err
		}
		if err := t.insertFindings(ctx, info.ID, findings); err != nil {
			return err
		}
		return t.audit(ctx, "supervision.scan", "audit_scan", info.ID, actor.RegionCode, nil, info)
	})
	return info, err
}

func rankingJSON(ranking []supervision.Rank) (string, error) {
	rs := make([]storedRank, len(ranking))
	for i, r := range ranking {
		rs[i] = storedRank{Rank: r, Fen: r.Fen, Settled: r.Settled}
	}
	b, err := json.Marshal(rs)
	return string(b), err
}

func (t *tx) insertScan(ctx context.Context, c ScanInfo, ranking string) (int64, error) {
	var extract any
	if c.ExtractID != 0 {
		extract = c.ExtractID
	}
	var id int64
	err := t.QueryRowContext(ctx, `INSERT INTO audit_scans (extract_id, state, started_at, finished_at, started_by, region_code,
		encounters, lines, findings, amount_fen, ranking) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		extract, c.State, c.StartedAt, c.FinishedAt, c.StartedBy, t.actor.RegionCode, c.Encounters, c.Lines, c.Findings, c.Fen, ranking).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert scan: %w", err)
	}
	return id, nil
}

var auditFindingCols = []string{"scan_id", "seq", "rule_id", "rule_version", "category", "severity", "mdtrt_id", "fixmedins_code",
	"amount_fen", "score", "reason", "lines", "evidence", "params", "region_code"}

// insertFindings writes the findings in multi-row statements.
func (t *tx) insertFindings(ctx context.Context, scanID int64, fs []supervision.Finding) error {
	var bad error
	err := t.insertMany(ctx, "audit_findings", auditFindingCols, len(fs), func(i int) []any {
		f := &fs[i]
		lines, err1 := json.Marshal(f.Lines)
		evidence, err2 := json.Marshal(f.Evidence)
		params, err3 := json.Marshal(f.Params)
		if err := errors.Join(err1, err2, err3); err != nil && bad == nil {
			bad = err
		}
		return []any{scanID, i, f.RuleID, f.RuleVersion, f.Category, f.Severity, f.MdtrtID, f.Institution, f.Fen, f.Score,
			f.Reason, string(lines), string(evidence), string(params), f.Region}
	}, "")
	if err == nil {
		err = bad
	}
	if err != nil {
		return fmt.Errorf("store: insert findings: %w", err)
	}
	return nil
}

// FindScan reads a scan's description. NotFound when there is none.
func (s *Store) FindScan(ctx context.Context, id int64) (ScanInfo, error) {
	c, err := scanScanInfo(s.db.QueryRowContext(ctx, `SELECT `+scanCols+` FROM audit_scans WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.E(errs.NotFound, "筛查%d不存在", id)
	}
	return c, err
}

// LatestScan is the last finished scan of an extract (0: of gongshang's
// own settlements). NotFound when there is none.
func (s *Store) LatestScan(ctx context.Context, extractID int64) (ScanInfo, error) {
	c, err := scanScanInfo(s.db.QueryRowContext(ctx, `SELECT `+scanCols+` FROM audit_scans
		WHERE COALESCE(extract_id, 0) = $1 AND state = 'done' ORDER BY id DESC LIMIT 1`, extractID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.E(errs.NotFound, "尚无筛查结果")
	}
	return c, err
}

// ScanFindings reads a scan's findings in the order they were saved.
func (s *Store) ScanFindings(ctx context.Context, scanID int64) ([]supervision.Finding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rule_id, rule_version, category, severity, mdtrt_id, fixmedins_code, amount_fen,
		score, reason, lines, evidence, params, region_code FROM audit_findings WHERE scan_id = $1 ORDER BY seq`, scanID)
	if err != nil {
		return nil, fmt.Errorf("store: scan findings: %w", err)
	}
	defer rows.Close()
	out := []supervision.Finding{}
	for rows.Next() {
		f, err := scanAuditFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan findings: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func scanAuditFinding(r interface{ Scan(...any) error }) (supervision.Finding, error) {
	var f supervision.Finding
	var lines, evidence, params string
	if err := r.Scan(&f.RuleID, &f.RuleVersion, &f.Category, &f.Severity, &f.MdtrtID, &f.Institution, &f.Fen, &f.Score,
		&f.Reason, &lines, &evidence, &params, &f.Region); err != nil {
		return f, err
	}
	return f, errors.Join(json.Unmarshal([]byte(lines), &f.Lines), json.Unmarshal([]byte(evidence), &f.Evidence),
		json.Unmarshal([]byte(params), &f.Params))
}

// ScanRanking reads a scan's institution ranking. NotFound when there is
// no such scan.
func (s *Store) ScanRanking(ctx context.Context, scanID int64) ([]supervision.Rank, error) {
	return scanRanking(ctx, s.db, scanID)
}

func scanRanking(ctx context.Context, q querier, scanID int64) ([]supervision.Rank, error) {
	var text string
	err := q.QueryRowContext(ctx, `SELECT ranking FROM audit_scans WHERE id = $1`, scanID).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "筛查%d不存在", scanID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: scan ranking: %w", err)
	}
	var rs []storedRank
	if err := json.Unmarshal([]byte(text), &rs); err != nil {
		return nil, fmt.Errorf("store: scan %d ranking: %w", scanID, err)
	}
	out := make([]supervision.Rank, len(rs))
	for i, r := range rs {
		out[i] = r.Rank
		out[i].Fen, out[i].Settled = r.Fen, r.Settled
	}
	return out, nil
}
