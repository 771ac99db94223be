package store

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"gongshang/internal/registry"
)

// The search box (issue 7) finds any part of a name. Both engines keep a
// trigram index of names and credit codes (migration 0010): SQLite FTS5
// with the trigram tokenizer, PostgreSQL pg_trgm GIN indexes. A trigram
// index can serve only a query of three characters or more; a shorter one
// (a surname, a two-character given name) is a LIKE over the rows in scope,
// which measured at p99 ≤ 50 ms at 100,000 workers (docs/benchmarks.md).
// What the user types is always literal: LIKE's % _ \ are escaped, and an
// FTS5 query is one quoted phrase.

// minTrigram is the shortest query a trigram index serves.
const minTrigram = 3

// matchEmployers narrows w to the employers a search box query q finds:
// a whole credit code exactly (in either case); otherwise every employer
// with q anywhere in its name, or, for three characters or more, anywhere
// in its credit code, in name order. "" matches all.
func (s *Store) matchEmployers(w *where, q string) {
	q = strings.TrimSpace(q)
	switch code := strings.ToUpper(q); {
	case q == "":
	case len(code) == 18 && registry.ValidateCreditCode("q", code) == nil:
		w.eq("credit_code", code)
	default:
		s.contains(w, "employers", q, "name", "credit_code")
		w.order = nameOrder
	}
}

// matchWorkers narrows w to the workers a search box query q finds: a
// whole ID number through its keyed hash; the last four characters of one
// (digits, or digits and a final X) through the stored suffix id_last4,
// which the mask shows anyway; otherwise every worker with q anywhere in
// their name, in name order. Nothing is decrypted. "" matches all.
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
		w.order = nameOrder
	}
}

// contains narrows w to rows of table with q in one of cols. From three
// characters on, the first column and the others go through the trigram
// index (on SQLite the table's FTS5 table, <table>_fts, which indexes
// exactly cols); a shorter query matches the first column only, by LIKE.
func (s *Store) contains(w *where, table, q string, cols ...string) {
	long := utf8.RuneCountInString(q) >= minTrigram
	if long && s.engine == SQLite {
		w.args = append(w.args, ftsPhrase(q))
		w.sql += fmt.Sprintf(" AND id IN (SELECT rowid FROM %[1]s_fts WHERE %[1]s_fts MATCH $%[2]d)", table, len(w.args))
		return
	}
	if !long {
		cols = cols[:1]
	}
	// SQLite's LIKE ignores ASCII case, as its trigram index does;
	// PostgreSQL's ILIKE, which the pg_trgm index serves too, likewise.
	op := "LIKE"
	if s.engine == Postgres {
		op = "ILIKE"
	}
	w.args = append(w.args, "%"+likeEscaper.Replace(q)+"%")
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = fmt.Sprintf(`%s %s $%d ESCAPE '\'`, c, op, len(w.args))
	}
	w.sql += " AND (" + strings.Join(parts, " OR ") + ")"
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
