package store

import (
	"context"
	"encoding/json"
	"fmt"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
)

// LoadCases inserts cases with their services as they are, in one
// transaction with one summary audit entry: for benchmarks, which need a
// million cases in minutes, not the hours their acts would take. It
// validates nothing and issues no letters or jobs; the work queues read
// what it writes exactly as they read live cases, and the dashboard once
// RebuildCaseFigures has counted them.
func (s *Store) LoadCases(ctx context.Context, actor access.Principal, cs []casebundle.Case, action string) error {
	return s.write(ctx, actor, func(t *tx) error {
		caseCols := []string{"number", "region_code", "worker_id", "employer_id", "injury_date", "application_date", "injury_kind", "channel",
			"applicant", "simple", "late", "de_facto", "detail", "uploads", "opened_kind", "created_at", "updated_at", "version"}
		var last int64
		if err := t.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&last); err != nil {
			return err
		}
		err := t.insertMany(ctx, "cases", caseCols, len(cs), func(i int) []any {
			c := &cs[i]
			detail, _ := json.Marshal(textOf(c))
			return []any{c.Number, c.RegionCode, c.WorkerID, c.EmployerID, c.InjuryDate, c.ApplicationDate, string(c.InjuryKind),
				string(c.Channel), string(c.Applicant), c.Simple, c.Late, c.DeFacto, string(detail), len(c.Services), string(t.actor.Kind), t.now, t.now, 1}
		}, "")
		if err != nil {
			return fmt.Errorf("store: load cases: %w", err)
		}
		ids := map[string]int64{}
		rows, err := t.QueryContext(ctx, `SELECT id, number FROM cases WHERE id > $1`, last)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			ids[n] = id
		}
		rows.Close()
		type svcRow struct {
			c *casebundle.Case
			s *casebundle.Service
		}
		var svcs []svcRow
		for i := range cs {
			cs[i].ID = ids[cs[i].Number]
			for j := range cs[i].Services {
				svcs = append(svcs, svcRow{&cs[i], &cs[i].Services[j]})
			}
		}
		cols := []string{"case_id", "region_code", "kind", "state", "step", "due_date", "party", "overdue", "simple", "suspensions", "detail",
			"decided_on", "decision_days", "within_legal", "within_local", "updated_at", "version"}
		err = t.insertMany(ctx, "case_services", cols, len(svcs), func(i int) []any {
			r := svcs[i]
			susp, detail := marshalService(r.s)
			var decided, days, legal, local any
			if r.s.Kind == casebundle.Recognition && r.s.Detail.DecidedOn != "" {
				app, _ := casebundle.ParseDate(r.c.ApplicationDate)
				dec, _ := casebundle.ParseDate(r.s.Detail.DecidedOn)
				n := int(dec.Sub(app).Hours() / 24)
				limit := 60
				if r.c.Simple {
					limit = 15
				}
				decided, days, legal, local = r.s.Detail.DecidedOn, n, n <= limit, n <= limit
			}
			return []any{r.c.ID, r.c.RegionCode, string(r.s.Kind), string(r.s.State), r.s.Step, nullDate(r.s.Due), string(r.s.Party), r.s.Overdue,
				r.c.Simple, susp, detail, decided, days, legal, local, t.now, 1}
		}, "")
		if err != nil {
			return fmt.Errorf("store: load case services: %w", err)
		}
		return t.audit(ctx, action, "case", 0, actor.RegionCode, nil, map[string]any{"cases": len(cs), "services": len(svcs)})
	})
}
