package store

import (
	"context"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
)

// CaseFigures are the dashboard's figures of the 工伤一件事 in a scope,
// counted from the data (the newspaper's figures: days to a decision,
// decided within the limits, documents per case, trips avoided).
type CaseFigures struct {
	Since          string // applications and decisions from this date: the first of the month 11 months back
	Cases          int    // applications since then
	Normal, Simple Durations
	Documents      float64 // distinct materials uploaded per case
	BaselineDocs   int     // the source text's 11 documents before the one-window case
	TripsAvoided   int     // visits saved against the source text's 3 trips per case
	Open, Overdue  int     // agency steps open now, and overdue
	ByChannel      map[casebundle.Channel]int
}

// Durations are the days from application to recognition decision.
type Durations struct {
	Decided     int
	Median, P90 int
	WithinLegal int // decided within the statutory limit
	WithinLocal int // decided within the region's own limit
}

// BaselineDocuments and BaselineTrips are the source text's figures for
// the process before the one-window case: 11 documents (3 duplicates) and
// at least 3 trips.
const (
	BaselineDocuments = 11
	BaselineTrips     = 3
)

// CaseDashboard counts the figures over the scope from the aggregate
// tables the acts keep (case_decision_stats, case_application_stats), a
// few hundred rows at any number of cases, and the open steps from the
// work queue's index. The window is whole months: this one and the eleven
// before it.
func (s *Store) CaseDashboard(ctx context.Context, scope access.Scope) (CaseFigures, error) {
	f := CaseFigures{BaselineDocs: BaselineDocuments, ByChannel: map[casebundle.Channel]int{}}
	lo, hi := scope.Range()
	today := s.today()
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	f.Since = first.Format(time.DateOnly)
	month := first.Format("2006-01")
	rows, err := s.db.QueryContext(ctx, `SELECT simple, days, SUM(n), SUM(within_legal), SUM(within_local) FROM case_decision_stats
		WHERE region_code >= $1 AND region_code < $2 AND month >= $3 GROUP BY simple, days ORDER BY simple, days`, lo, hi, month)
	if err != nil {
		return f, fmt.Errorf("store: case dashboard: %w", err)
	}
	hist := map[bool][][2]int{}
	for rows.Next() {
		var simple bool
		var days, n, legal, local int
		if err := rows.Scan(&simple, &days, &n, &legal, &local); err != nil {
			rows.Close()
			return f, err
		}
		d := &f.Normal
		if simple {
			d = &f.Simple
		}
		d.Decided += n
		d.WithinLegal += legal
		d.WithinLocal += local
		hist[simple] = append(hist[simple], [2]int{days, n})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	f.Normal.Median, f.Normal.P90 = percentile(hist[false], f.Normal.Decided, 50), percentile(hist[false], f.Normal.Decided, 90)
	f.Simple.Median, f.Simple.P90 = percentile(hist[true], f.Simple.Decided, 50), percentile(hist[true], f.Simple.Decided, 90)

	crow, err := s.db.QueryContext(ctx, `SELECT channel, SUM(n), SUM(uploads) FROM case_application_stats
		WHERE region_code >= $1 AND region_code < $2 AND month >= $3 GROUP BY channel`, lo, hi, month)
	if err != nil {
		return f, fmt.Errorf("store: case dashboard: %w", err)
	}
	var uploads int
	for crow.Next() {
		var ch casebundle.Channel
		var n, up int
		if err := crow.Scan(&ch, &n, &up); err != nil {
			crow.Close()
			return f, err
		}
		f.ByChannel[ch] = n
		f.Cases += n
		uploads += up
		// One visit at the window instead of three; none for an online or
		// hotline application.
		if ch == casebundle.ChannelWindow || ch == casebundle.ChannelInsurer {
			f.TripsAvoided += n * (BaselineTrips - 1)
		} else {
			f.TripsAvoided += n * BaselineTrips
		}
	}
	crow.Close()
	if err := crow.Err(); err != nil {
		return f, err
	}
	if f.Cases > 0 {
		f.Documents = float64(uploads) / float64(f.Cases)
	}
	// Open steps: an index-only range of the queue's count index. Overdue:
	// the past-due range of its page index (a step is marked overdue only
	// once its due date has passed, and a moved due date clears the mark).
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_services WHERE region_code >= $1 AND region_code < $2 AND party = 'agency'`,
		lo, hi).Scan(&f.Open); err != nil {
		return f, fmt.Errorf("store: case dashboard: %w", err)
	}
	index := "" // a county: its own range of the count index
	if len(scope.Prefix) < 6 {
		index = s.queueIndex(QueueFilter{}) // a city or the province: the past-due range
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_services`+index+`
		WHERE due_date < $3 AND region_code >= $1 AND region_code < $2 AND party = 'agency'`, lo, hi, today.Format(time.DateOnly)).Scan(&f.Overdue); err != nil {
		return f, fmt.Errorf("store: case dashboard: %w", err)
	}
	return f, nil
}

// countApplication adds a case's application (and, later, each new kind
// of material uploaded) to case_application_stats.
func (t *tx) countApplication(ctx context.Context, c *casebundle.Case, cases, uploads int) error {
	_, err := t.ExecContext(ctx, `INSERT INTO case_application_stats (region_code, month, channel, n, uploads) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (region_code, month, channel) DO UPDATE SET n = case_application_stats.n + $4, uploads = case_application_stats.uploads + $5`,
		c.RegionCode, c.ApplicationDate[:7], string(c.Channel), cases, uploads)
	if err != nil {
		return fmt.Errorf("store: application figures: %w", err)
	}
	return nil
}

// countDecision adds (sign 1) or takes back (sign −1) a decision in
// case_decision_stats.
func (t *tx) countDecision(ctx context.Context, region, decidedOn string, simple bool, days int, legal, local bool, sign int) error {
	b := func(v bool) int {
		if v {
			return sign
		}
		return 0
	}
	_, err := t.ExecContext(ctx, `INSERT INTO case_decision_stats (region_code, month, simple, days, n, within_legal, within_local) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (region_code, month, simple, days) DO UPDATE SET n = case_decision_stats.n + $5,
		within_legal = case_decision_stats.within_legal + $6, within_local = case_decision_stats.within_local + $7`,
		region, decidedOn[:7], simple, days, sign, b(legal), b(local))
	if err != nil {
		return fmt.Errorf("store: decision figures: %w", err)
	}
	return nil
}

// RebuildCaseFigures recounts the dashboard's aggregates from the cases
// (after a bulk load, or to repair them), in one transaction.
func (s *Store) RebuildCaseFigures(ctx context.Context) error {
	return s.write(ctx, access.System, func(t *tx) error {
		for _, q := range []string{
			`DELETE FROM case_decision_stats`,
			`DELETE FROM case_application_stats`,
			`INSERT INTO case_decision_stats (region_code, month, simple, days, n, within_legal, within_local)
				SELECT region_code, substr(decided_on, 1, 7), simple, decision_days, COUNT(*),
				SUM(CASE WHEN within_legal THEN 1 ELSE 0 END), SUM(CASE WHEN within_local THEN 1 ELSE 0 END)
				FROM case_services WHERE decision_days IS NOT NULL GROUP BY region_code, substr(decided_on, 1, 7), simple, decision_days`,
			`INSERT INTO case_application_stats (region_code, month, channel, n, uploads)
				SELECT region_code, substr(application_date, 1, 7), channel, COUNT(*), SUM(uploads)
				FROM cases GROUP BY region_code, substr(application_date, 1, 7), channel`,
		} {
			if _, err := t.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("store: rebuild case figures: %w", err)
			}
		}
		return nil
	})
}

// percentile is the p-th percentile (nearest rank) of a days histogram.
func percentile(hist [][2]int, total, p int) int {
	if total == 0 {
		return 0
	}
	rank := (total*p + 99) / 100
	seen := 0
	for _, h := range hist {
		if seen += h[1]; seen >= rank {
			return h[0]
		}
	}
	return hist[len(hist)-1][0]
}
