package store

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/letters"
	"gongshang/internal/param"
	"gongshang/internal/pdf"
	"gongshang/internal/registry"
)

// issueLetters writes the letter each event's act issues (letters.For):
// numbered per region, kind and year, rendered once, kept in the file
// store and recorded in case_letters inside the act's transaction, so a
// decision never exists without its letter. A store without a file store
// issues none.
func (t *tx) issueLetters(ctx context.Context, c *casebundle.Case, events []casebundle.Event, r *param.Resolver) error {
	if t.s.files == nil {
		return nil
	}
	var party *letters.Party
	for _, e := range events {
		svc := c.ServiceByID(e.ServiceID)
		if e.Action == "" || svc == nil {
			continue
		}
		kind, ok := letters.For(svc.Kind, e.Action, svc.Detail.Outcome)
		if !ok {
			continue
		}
		if party == nil {
			p, err := t.letterParty(ctx, c)
			if err != nil {
				return err
			}
			party = &p
		}
		if err := t.issueLetter(ctx, c, svc, kind, e.On, *party, r); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) issueLetter(ctx context.Context, c *casebundle.Case, svc *casebundle.Service, kind letters.Kind, on string, p letters.Party, r *param.Resolver) error {
	names := registry.RegionNames()
	year, _ := strconv.Atoi(on[:4])
	var seq int64
	if err := t.QueryRowContext(ctx, `INSERT INTO letter_numbers (region_code, kind, year, last) VALUES ($1, $2, $3, 1)
		ON CONFLICT (region_code, kind, year) DO UPDATE SET last = letter_numbers.last + 1 RETURNING last`, c.RegionCode, string(kind), year).Scan(&seq); err != nil {
		return fmt.Errorf("store: letter number: %w", err)
	}
	city := names[c.RegionCode[:4]+"00"]
	if city == names[c.RegionCode] {
		city = ""
	}
	in := letters.Input{Kind: kind, Number: letters.Number(names[c.RegionCode], kind, year, seq), Case: c, Service: svc, On: on,
		Party: p, RegionName: names[c.RegionCode], CityName: city, Params: r}
	l, err := letters.Compose(in)
	if err != nil {
		return err
	}
	b, err := pdf.Render(l)
	if err != nil {
		return fmt.Errorf("store: render %s: %w", kind, err)
	}
	ref, err := t.s.files.Put(ctx, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("store: keep %s: %w", kind, err)
	}
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO case_letters (case_id, service_id, kind, number, issued_on, sha256, size, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.ID, svc.ID, string(kind), in.Number, on, ref.SHA256, ref.Size, t.now).Scan(&id); err != nil {
		return fmt.Errorf("store: case letter: %w", err)
	}
	return t.audit(ctx, "case.letter", "case", c.ID, c.RegionCode, nil, map[string]any{"letter_id": id, "kind": kind, "number": in.Number, "sha256": ref.SHA256})
}

// letterParty is the worker and employer as the letters name them.
func (t *tx) letterParty(ctx context.Context, c *casebundle.Case) (letters.Party, error) {
	// The case was checked against the actor already; its worker may be
	// registered in another county (or the actor be the worker himself).
	w, err := findWorker(ctx, t, t.s.pii, access.System.Scope(), `id = $1`, c.WorkerID)
	if err != nil {
		return letters.Party{}, err
	}
	var employer string
	if err := t.QueryRowContext(ctx, `SELECT name FROM employers WHERE id = $1`, c.EmployerID).Scan(&employer); err != nil {
		return letters.Party{}, fmt.Errorf("store: letter employer: %w", err)
	}
	inj, _ := casebundle.ParseDate(c.InjuryDate)
	birth, _ := casebundle.ParseDate(w.BirthDate)
	age := inj.Year() - birth.Year()
	if inj.Month() < birth.Month() || inj.Month() == birth.Month() && inj.Day() < birth.Day() {
		age--
	}
	sex := map[string]string{"M": "男", "F": "女"}[w.Sex]
	return letters.Party{WorkerName: w.Name, Sex: sex, Age: age, IDNumber: w.IDNumber, Employer: employer}, nil
}
