package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/letters"
	"gongshang/internal/param"
	"gongshang/internal/pdf"
	"gongshang/internal/registry"
)

// issueLetters writes the letter each event's act issues (letters.For):
// numbered per region, kind and year, its content recorded in case_letters
// inside the act's transaction, so a decision never exists without its
// letter; the PDF is printed from that content afterwards (RenderCaseLetter).
func (t *tx) issueLetters(ctx context.Context, c *casebundle.Case, events []casebundle.Event, r *param.Resolver) error {
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
	// The content is fixed now, in the act's transaction; the bytes are
	// rendered from it after the commit (RenderLetter: a job, or the first
	// download), so the write lock is not held for the ~80 ms a PDF takes,
	// and every rendering of the same content gives the same bytes.
	plain, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("store: letter content: %w", err)
	}
	// The content names the worker's ID number in full (令8号 Art. 19):
	// sealed like every other personal datum.
	content := base64.StdEncoding.EncodeToString(t.s.pii.Seal(string(plain)))
	var id int64
	if err := t.QueryRowContext(ctx, `INSERT INTO case_letters (case_id, service_id, kind, number, issued_on, content, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.ID, svc.ID, string(kind), in.Number, on, content, t.now).Scan(&id); err != nil {
		return fmt.Errorf("store: case letter: %w", err)
	}
	if err := t.enqueue(ctx, RenderLetter{LetterID: id}); err != nil {
		return err
	}
	return t.audit(ctx, "case.letter", "case", c.ID, c.RegionCode, nil, map[string]any{"letter_id": id, "kind": kind, "number": in.Number})
}

// RenderLetter is the job that prints an issued letter into the file store.
type RenderLetter struct {
	LetterID int64 `json:"letter_id"`
}

// Kind implements JobArgs.
func (RenderLetter) Kind() string { return "render_letter" }

// RenderCaseLetter prints a letter from its recorded content, keeps the
// bytes in the file store and records their hash, once: a second call (or
// a concurrent one, which renders the same bytes) changes nothing.
func (s *Store) RenderCaseLetter(ctx context.Context, letterID int64) (CaseLetter, error) {
	var l CaseLetter
	var content string
	var sha sql.NullString
	var size sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT id, COALESCE(service_id, 0), kind, number, issued_on, content, sha256, size FROM case_letters WHERE id = $1`,
		letterID).Scan(&l.ID, &l.ServiceID, &l.Kind, &l.Number, &l.IssuedOn, &content, &sha, &size)
	if errors.Is(err, sql.ErrNoRows) {
		return l, errs.E(errs.NotFound, "文书不存在")
	}
	if err != nil {
		return l, fmt.Errorf("store: letter: %w", err)
	}
	if sha.Valid {
		l.SHA256, l.Size = sha.String, size.Int64
		return l, nil
	}
	if s.files == nil {
		return l, errNoFiles
	}
	sealed, err := base64.StdEncoding.DecodeString(content)
	if err != nil {
		return l, fmt.Errorf("store: letter content: %w", err)
	}
	plain, err := s.pii.Open(sealed)
	if err != nil {
		return l, fmt.Errorf("store: letter content: %w", err)
	}
	var doc pdf.Letter
	if err := json.Unmarshal([]byte(plain), &doc); err != nil {
		return l, fmt.Errorf("store: letter content: %w", err)
	}
	b, err := pdf.Render(doc)
	if err != nil {
		return l, fmt.Errorf("store: render letter %d: %w", letterID, err)
	}
	ref, err := s.files.Put(ctx, bytes.NewReader(b))
	if err != nil {
		return l, fmt.Errorf("store: keep letter %d: %w", letterID, err)
	}
	if _, err := s.exec(ctx, `UPDATE case_letters SET sha256 = $2, size = $3 WHERE id = $1 AND sha256 IS NULL`, letterID, ref.SHA256, ref.Size); err != nil {
		return l, fmt.Errorf("store: letter rendered: %w", err)
	}
	l.SHA256, l.Size = ref.SHA256, ref.Size
	return l, nil
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
