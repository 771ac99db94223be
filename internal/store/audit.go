package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/audit"
)

// change is one audited change before it is appended.
type change struct {
	action, objectType, objectID, region string
	before, after                        any
}

// audit appends one entry for a change made in t to an object of region.
func (t *tx) audit(ctx context.Context, action, objectType string, objectID int64, region string, before, after any) error {
	return t.auditMany(ctx, []change{{action, objectType, strconv.FormatInt(objectID, 10), region, before, after}})
}

// auditMany appends entries to audit_pending, unsealed, in multi-row
// statements. No shared row is touched, so concurrent writers do not queue
// on each other, and the table has no index but its key; the sealer
// (SealAudit) chains the entries after they commit and moves them into
// audit_log, and a rolled back change leaves none.
func (t *tx) auditMany(ctx context.Context, cs []change) error {
	if len(cs) == 0 {
		return nil
	}
	at := audit.FormatTime(t.now)
	rows := make([][]any, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, []any{at, string(t.actor.Kind), t.actor.UserID, t.actor.Username,
			string(t.actor.Role), t.actor.RegionCode, c.action, c.objectType, c.objectID, c.region,
			audit.Snapshot(c.before), audit.Snapshot(c.after)})
	}
	if len(rows) == 1 || t.s.engine == SQLite {
		// The common single entry goes through a statement prepared once
		// per connection: SQLite's driver would otherwise compile it anew in
		// every transaction (measured: a quarter of a write's CPU time).
		// On SQLite the first entry takes its id there (see appendSQL)
		// and the others follow it.
		_, err := t.StmtContext(ctx, t.s.appendOne).ExecContext(ctx, rows[0]...)
		if err != nil {
			return fmt.Errorf("store: audit append: %w", err)
		}
		if rows = rows[1:]; len(rows) == 0 {
			return nil
		}
	}
	if err := t.insertMany(ctx, "audit_pending", appendCols, len(rows), func(i int) []any { return rows[i] }, ""); err != nil {
		return fmt.Errorf("store: audit append: %w", err)
	}
	return nil
}

// insertAudited inserts one new row of cols into table and appends the
// entry of its creation, whose snapshot after(id) names the new id. On
// PostgreSQL, when the snapshot is a JSON object that starts with the id,
// both go in one statement (a data-modifying WITH) and so in one round trip
// instead of two; the entry's text is the same either way. SQLite, which
// has no round trips, runs the two statements.
func (t *tx) insertAudited(ctx context.Context, table string, cols []string, row []any,
	action, objectType, region string, after func(id int64) any) (int64, error) {
	const head = `{"id":0`
	if t.s.engine == Postgres {
		if js := audit.Snapshot(after(0)); strings.HasPrefix(js, head+",") {
			return t.insertWithEntry(ctx, table, cols, row, change{action: action, objectType: objectType, region: region}, js[len(head):])
		}
	}
	var id int64
	if err := t.QueryRowContext(ctx, t.s.engine.insertSQL(table, cols, 1)+" RETURNING id", row...).Scan(&id); err != nil {
		return 0, err
	}
	return id, t.audit(ctx, action, objectType, id, region, nil, after(id))
}

// insertWithEntry is insertAudited's one statement on PostgreSQL: the
// entry's object id is the inserted row's, and its snapshot is the id
// followed by rest (the snapshot after its leading `{"id":0`).
func (t *tx) insertWithEntry(ctx context.Context, table string, cols []string, row []any, c change, rest string) (int64, error) {
	n := len(cols)
	p := func(i int, typ string) string { return "$" + strconv.Itoa(n+i) + "::" + typ }
	q := `WITH obj AS (` + t.s.engine.insertSQL(table, cols, 1) + ` RETURNING id)
		INSERT INTO audit_pending (` + joinCols(appendCols) + `)
		SELECT ` + p(1, "text") + `, ` + p(2, "text") + `, ` + p(3, "bigint") + `, ` + p(4, "text") + `, ` +
		p(5, "text") + `, ` + p(6, "text") + `, ` + p(7, "text") + `, ` + p(8, "text") + `, obj.id::text, ` +
		p(9, "text") + `, '', '{"id":' || obj.id::text || ` + p(10, "text") + ` FROM obj RETURNING object_id`
	args := append(append(make([]any, 0, n+10), row...), audit.FormatTime(t.now), string(t.actor.Kind), t.actor.UserID,
		t.actor.Username, string(t.actor.Role), t.actor.RegionCode, c.action, c.objectType, c.region, rest)
	var objectID string
	if err := t.QueryRowContext(ctx, q, args...).Scan(&objectID); err != nil {
		return 0, err
	}
	return strconv.ParseInt(objectID, 10, 64)
}

// appendCols are the columns of audit_pending a change writes; the hash
// version, seq, prev_hash and hash are the sealer's.
var appendCols = []string{"at", "actor_kind", "actor_id", "actor", "role", "region", "action",
	"object_type", "object_id", "object_region", "before_json", "after_json"}

// appendSQL inserts one pending entry. On SQLite a rowid is one more than
// the table's highest, which after the sealer has emptied audit_pending
// would reuse ids already in audit_log; so the statement takes the id
// after the highest of both tables (the one writer makes that safe), and
// further rows of the same transaction follow it by rowid alone.
func (e Engine) appendSQL() string {
	if e == SQLite {
		return `INSERT INTO audit_pending (id, ` + joinCols(appendCols) + `) VALUES (
			COALESCE((SELECT MAX(id) FROM audit_pending), (SELECT MAX(id) FROM audit_log), 0) + 1` +
			strings.Repeat(", ?", len(appendCols)) + `)`
	}
	return e.insertSQL("audit_pending", appendCols, 1)
}

const auditSelect = `SELECT id, COALESCE(seq, 0), hash_version, at, actor_kind, actor_id, actor, role, region, action,
	object_type, object_id, object_region, before_json, after_json, COALESCE(prev_hash, ''), COALESCE(hash, '') FROM audit_log`

// pendingSelect reads entries not yet sealed in auditSelect's columns:
// Seq and hash version 0, no hashes.
const pendingSelect = `SELECT id, 0, 0, at, actor_kind, actor_id, actor, role, region, action,
	object_type, object_id, object_region, before_json, after_json, '', '' FROM audit_pending`

func scanAudit(r interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := r.Scan(&e.ID, &e.Seq, &e.HashVersion, &e.At, &e.ActorKind, &e.ActorID, &e.Actor, &e.Role, &e.Region, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.ObjRegion, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	return e, err
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string
	Page
}

// FindAuditEntries lists entries newest first (by insertion id, so
// entries still in audit_pending show too, with Seq 0): those made by actors in the scope,
// and those changing objects in it (a city clerk's change to a county's
// employer shows in that county).
func (s *Store) FindAuditEntries(ctx context.Context, scope access.Scope, f AuditFilter) ([]audit.Entry, int, error) {
	f.Page = f.Page.normalize()
	lo, hi := scope.Range()
	where, args := "((region >= $1 AND region < $2) OR (object_region >= $1 AND object_region < $2))", []any{lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND %s = $%d", cond, len(args))
	}
	if f.ObjectType != "" {
		add("object_type", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id", f.ObjectID)
	}
	if f.Actor != "" {
		add("actor", f.Actor)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_log WHERE `+where+
		`) + (SELECT COUNT(*) FROM audit_pending WHERE `+where+`)`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, auditSelect+` WHERE `+where+` UNION ALL `+pendingSelect+` WHERE `+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}
