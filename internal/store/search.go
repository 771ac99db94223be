package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gongshang/internal/registry"
)

// The search box (issue 7) finds any part of a name, by the length of the
// query, each through an index (migration 0010; figures in
// docs/benchmarks.md):
//
//   - three characters or more: a trigram index of names and credit codes
//     (SQLite FTS5 with the trigram tokenizer, <table>_fts; PostgreSQL
//     pg_trgm GIN indexes serving ILIKE);
//   - two characters (a given name, 建国 in 王建国), which no trigram can
//     look up: every name's pairs of adjacent characters (SQLite
//     <singular>_name_bigrams tables kept by triggers; a GIN index over
//     name_bigrams(name) on PostgreSQL) — a scan of every name in scope
//     took 40-60 ms at 100,000 workers;
//   - one character: a name prefix, a surname, on the (name, region_code,
//     id) index, and for workers also a one-character given name, the
//     second character of a two-character name (娜 finds 李娜;
//     givenOrSurname). Anywhere in the name, 王 matched a tenth of all
//     workers and counting them took p99 77 ms at 100,000 workers; a
//     one-character given name is only ever the second of two.
//
// What the user types is always literal: a bigram is compared whole, an
// FTS5 query is one quoted phrase, LIKE's % _ \ are escaped and a prefix
// is a byte range.

// minTrigram is the shortest query a trigram index serves.
const minTrigram = 3

// matchEmployers narrows w to the employers a search box query q finds:
// a whole credit code exactly (in either case); otherwise every employer
// with q anywhere in its name (one character: at its start) or, for three
// characters or more, anywhere in its credit code, in name order. ""
// matches all.
func (s *Store) matchEmployers(w *where, q string) {
	q = strings.TrimSpace(q)
	switch code := strings.ToUpper(q); {
	case q == "":
	case len(code) == 18 && registry.ValidateCreditCode("q", code) == nil:
		w.eq("credit_code", code)
	default:
		s.contains(w, "employers", q, "name", "credit_code")
	}
}

// matchWorkers narrows w to the workers a search box query q finds: a
// whole ID number through its keyed hash; the last four characters of one
// (digits, or digits and a final X) through the stored suffix id_last4,
// which the mask shows anyway; otherwise every worker with q anywhere in
// their name (one character: a surname or a one-character given name), in
// name order.
// Nothing is decrypted. "" matches all.
func (s *Store) matchWorkers(w *where, q string) {
	q = strings.TrimSpace(q)
	switch id := strings.ToUpper(q); {
	case q == "":
	case len(id) == 18 && isIDLike(id):
		w.eq("id_hash", s.pii.Hash(id))
	case isIDSuffix(id):
		w.eq("id_last4", id)
	default:
		s.contains(w, "workers", q, "name")
	}
}

// contains narrows w to rows of table with q in one of cols, ordered by
// name. From three characters on the trigram index serves every column (on
// SQLite the table's FTS5 table indexes exactly cols); a shorter query
// matches the first column, the name: two characters through its
// bigrams, one as a prefix.
func (s *Store) contains(w *where, table, q string, cols ...string) {
	w.order = nameOrder
	switch n := utf8.RuneCountInString(q); {
	case n >= minTrigram && s.engine == SQLite:
		w.args = append(w.args, ftsPhrase(q))
		w.sql += fmt.Sprintf(" AND id IN (SELECT rowid FROM %[1]s_fts WHERE %[1]s_fts MATCH $%[2]d)", table, len(w.args))
	case n >= minTrigram:
		// ILIKE ignores ASCII case, as the trigram tokenizer does, and
		// pg_trgm's GIN index serves it.
		w.args = append(w.args, "%"+likeEscaper.Replace(q)+"%")
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = fmt.Sprintf(`%s ILIKE $%d ESCAPE '\'`, c, len(w.args))
		}
		w.sql += " AND (" + strings.Join(parts, " OR ") + ")"
	case n == 2 && s.engine == SQLite:
		w.args = append(w.args, asciiLower(q))
		w.sql += fmt.Sprintf(" AND id IN (SELECT id FROM %s_name_bigrams WHERE gram = $%d)", strings.TrimSuffix(table, "s"), len(w.args))
	case n == 2:
		w.args = append(w.args, asciiLower(q))
		w.sql += fmt.Sprintf(" AND name_bigrams(%s) @> ARRAY[$%d::text]", cols[0], len(w.args))
	case table == "workers":
		w.givenOrSurname(q)
	default:
		w.prefix(cols[0], q)
	}
}

// givenOrSurname narrows the worker list to a surname (the name's start)
// or a one-character given name, which in Chinese is the second character
// of a two-character name (李娜 by 娜). An OR of the two would make the
// list sort every match (measured: p99 120 ms on PostgreSQL for 王); read
// as the union of two index ranges, each in name order (the name index;
// the partial index on the second character, 0013), the count reads two
// indexes and the page merges two ordered scans.
func (w *where) givenOrSurname(q string) {
	w.args = append(w.args, q, q+"\U0010FFFF", q)
	lo, hi, ch := len(w.args)-2, len(w.args)-1, len(w.args)
	w.from = fmt.Sprintf(`(SELECT * FROM workers WHERE name >= $%[1]d AND name < $%[2]d
		UNION ALL SELECT * FROM workers WHERE length(name) = 2 AND substr(name, 2, 1) = $%[3]d AND NOT (name >= $%[1]d AND name < $%[2]d)) AS workers`, lo, hi, ch)
}

// asciiLower lower-cases ASCII letters only, as SQLite's lower() and
// PostgreSQL's under COLLATE "C" do when the bigrams are made.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// likeEscaper makes a LIKE pattern's wildcards and its escape literal.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// ftsPhrase quotes q as one FTS5 phrase: inside double quotes every
// character is literal but the quote itself, which is doubled.
func ftsPhrase(q string) string { return `"` + strings.ReplaceAll(q, `"`, `""`) + `"` }

// isIDSuffix reports whether s can be the last four characters of an ID
// number: three digits and a digit or the check character X.
func isIDSuffix(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if (s[i] < '0' || s[i] > '9') && (i < 3 || s[i] != 'X') {
			return false
		}
	}
	return true
}

// bulkIndexAfter is the batch size from which a bulk load on SQLite
// indexes its rows for the search box in one pass.
const bulkIndexAfter = 1000

// searchInsertTriggers are migration 0010's insert triggers on SQLite,
// which bulkIndexed replaces by the statements of bulkIndexSQL.
var searchInsertTriggers = []string{"employers_fts_insert", "employer_name_bigrams_insert", "workers_fts_insert", "worker_name_bigrams_insert"}

// bulkIndexSQL indexes the employers (the first two) and the workers
// with ids above $1, as the insert triggers would, each in one statement,
// the bigrams in key order.
var bulkIndexSQL = [4]string{
	`INSERT INTO employers_fts (rowid, name, credit_code) SELECT id, name, credit_code FROM employers WHERE id > $1`,
	`INSERT OR IGNORE INTO employer_name_bigrams (gram, id) SELECT substr(lower(e.name), p.n, 2), e.id
		FROM employers e JOIN gram_positions p ON p.n < length(e.name) WHERE e.id > $1 ORDER BY 1, 2`,
	`INSERT INTO workers_fts (rowid, name) SELECT id, name FROM workers WHERE id > $1`,
	`INSERT OR IGNORE INTO worker_name_bigrams (gram, id) SELECT substr(lower(w.name), p.n, 2), w.id
		FROM workers w JOIN gram_positions p ON p.n < length(w.name) WHERE w.id > $1 ORDER BY 1, 2`,
}

// bulkIndexed runs insert, which only inserts employers and workers, with
// the search box's insert triggers suspended, then indexes the new rows
// in one pass: row by row, the triggers made a 100,000-worker load about
// half again as slow (docs/benchmarks.md). SQLite's DDL is part of the
// transaction, and its one writer means no other insert can run without
// the triggers: a rollback restores them, and other connections only ever
// see them in place. New rows are those above the highest ids before,
// since SQLite gives a new row the highest rowid plus one.
func (t *tx) bulkIndexed(ctx context.Context, insert func() error) error {
	var maxEmployer, maxWorker int64
	if err := t.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM employers), (SELECT COALESCE(MAX(id), 0) FROM workers)`).
		Scan(&maxEmployer, &maxWorker); err != nil {
		return fmt.Errorf("store: bulk index: %w", err)
	}
	create := make([]string, len(searchInsertTriggers))
	for i, name := range searchInsertTriggers {
		if err := t.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = $1`, name).Scan(&create[i]); err != nil {
			return fmt.Errorf("store: bulk index: trigger %s: %w", name, err)
		}
		if _, err := t.ExecContext(ctx, `DROP TRIGGER `+name); err != nil {
			return fmt.Errorf("store: bulk index: %w", err)
		}
	}
	if err := insert(); err != nil {
		return err
	}
	for i, q := range bulkIndexSQL {
		above := maxEmployer
		if i >= 2 {
			above = maxWorker
		}
		if _, err := t.ExecContext(ctx, q, above); err != nil {
			return fmt.Errorf("store: bulk index: %w", err)
		}
	}
	for _, q := range create {
		if _, err := t.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: bulk index: %w", err)
		}
	}
	return nil
}

// warnTrigramLocale logs a warning when PostgreSQL's LC_CTYPE is C or
// POSIX: pg_trgm then finds no trigram in Chinese text, so the name
// indexes hold none and three-character searches, still correct, read
// every row. The database needs a UTF-8 LC_CTYPE (C.UTF-8, zh_CN.UTF-8).
func (s *Store) warnTrigramLocale(ctx context.Context) {
	if s.engine != Postgres {
		return
	}
	var ctype string
	if err := s.db.QueryRowContext(ctx, `SELECT datctype FROM pg_database WHERE datname = current_database()`).Scan(&ctype); err != nil {
		s.log.Warn("store: read lc_ctype", "error", err)
		return
	}
	if ctype == "C" || ctype == "POSIX" {
		s.log.Warn("PostgreSQL LC_CTYPE is "+ctype+": pg_trgm cannot index Chinese names, so name searches of three or more characters scan every row; create the database with a UTF-8 LC_CTYPE such as C.UTF-8", "lc_ctype", ctype)
	}
}
