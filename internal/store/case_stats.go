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
	Since          string // applications from this date (the last 365 days)
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

// CaseDashboard counts the figures over the scope. Durations come from a
// histogram (days → count) read from the partial index of decided
// recognitions, so the percentiles cost one pass over distinct day counts.
func (s *Store) CaseDashboard(ctx context.Context, scope access.Scope) (CaseFigures, error) {
	f := CaseFigures{BaselineDocs: BaselineDocuments, ByChannel: map[casebundle.Channel]int{}}
	lo, hi := scope.Range()
	since := s.today().AddDate(-1, 0, 0).Format(time.DateOnly)
	f.Since = since
	rows, err := s.db.QueryContext(ctx, `SELECT simple, decision_days, COUNT(*),
		SUM(CASE WHEN within_legal THEN 1 ELSE 0 END), SUM(CASE WHEN within_local THEN 1 ELSE 0 END)
		FROM case_services WHERE region_code >= $1 AND region_code < $2 AND decision_days IS NOT NULL AND decided_on >= $3
		GROUP BY simple, decision_days ORDER BY simple, decision_days`, lo, hi, since)
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

	crow, err := s.db.QueryContext(ctx, `SELECT channel, COUNT(*), SUM(uploads) FROM cases
		WHERE region_code >= $1 AND region_code < $2 AND application_date >= $3 GROUP BY channel`, lo, hi, since)
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
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN overdue OR due_date < $3 THEN 1 ELSE 0 END) FROM case_services
		WHERE region_code >= $1 AND region_code < $2 AND party = 'agency'`, lo, hi, s.today().Format(time.DateOnly)).Scan(&f.Open, nullInt(&f.Overdue)); err != nil {
		return f, fmt.Errorf("store: case dashboard: %w", err)
	}
	return f, nil
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

// nullInt scans a possibly NULL integer (SUM of no rows) as 0.
func nullInt(dst *int) any { return &nullIntScanner{dst} }

type nullIntScanner struct{ dst *int }

func (n *nullIntScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n.dst = 0
	case int64:
		*n.dst = int(x)
	default:
		return fmt.Errorf("store: unexpected %T", v)
	}
	return nil
}
