package store

import (
	"context"
	"fmt"

	"gongshang/internal/access"
)

// RegistryCount is one cell of the registry's counts: employers and
// insured workers (a current employment, no end date) of one region and
// industry division.
type RegistryCount struct {
	Region    string
	Industry  string
	Employers int
	Insured   int
}

// RegistryCounts counts employers and insured workers in scope by region
// and industry, for the home page's figures and chart: two grouped scans
// that the (region_code, …) indexes serve.
func (s *Store) RegistryCounts(ctx context.Context, scope access.Scope) ([]RegistryCount, error) {
	lo, hi := scope.Range()
	type key struct{ region, industry string }
	cells := map[key]*RegistryCount{}
	var order []key
	cell := func(k key) *RegistryCount {
		c, ok := cells[k]
		if !ok {
			c = &RegistryCount{Region: k.region, Industry: k.industry}
			cells[k] = c
			order = append(order, k)
		}
		return c
	}
	scan := func(query string, add func(c *RegistryCount, n int)) error {
		rows, err := s.db.QueryContext(ctx, query, lo, hi)
		if err != nil {
			return fmt.Errorf("store: registry counts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k key
			var n int
			if err := rows.Scan(&k.region, &k.industry, &n); err != nil {
				return err
			}
			add(cell(k), n)
		}
		return rows.Err()
	}
	if err := scan(`SELECT region_code, industry, COUNT(*) FROM employers
		WHERE region_code >= $1 AND region_code < $2 GROUP BY region_code, industry`,
		func(c *RegistryCount, n int) { c.Employers = n }); err != nil {
		return nil, err
	}
	if err := scan(`SELECT e.region_code, e.industry, COUNT(DISTINCT m.worker_id) FROM employments m
		JOIN employers e ON e.id = m.employer_id
		WHERE m.end_date IS NULL AND e.region_code >= $1 AND e.region_code < $2
		GROUP BY e.region_code, e.industry`,
		func(c *RegistryCount, n int) { c.Insured = n }); err != nil {
		return nil, err
	}
	out := make([]RegistryCount, 0, len(order))
	for _, k := range order {
		out = append(out, *cells[k])
	}
	return out, nil
}
