package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/errs"
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
		_, err := t.StmtContext(t.ctx(ctx), t.s.appendOne).ExecContext(t.ctx(ctx), rows[0]...)
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

// AuditFilter selects audit entries. Empty fields select everything.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string    // username
	Action     string    // e.g. employer.update
	Region     string    // a region code in the caller's scope: entries whose actor or object lies in its subtree
	From, To   time.Time // instants; From inclusive, To exclusive; zero means open
	Page
}

// auditWhere is the condition and arguments shared by the count, the page
// and the export: the scope (the actor's or the object's region in it,
// narrowed to f.Region's subtree), then each filter.
func auditWhere(scope access.Scope, f AuditFilter) (string, []any, error) {
	if f.Region != "" {
		if !scope.Covers(f.Region) {
			return "", nil, errs.Field("region", "region_forbidden", "无权查看其他地区（%s）的审计日志", regionLabel(f.Region))
		}
		scope = access.ScopeOf(f.Region) // a subtree of scope
	}
	lo, hi := scope.Range()
	where, args := "((region >= $1 AND region < $2) OR (object_region >= $1 AND object_region < $2))", []any{lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		where += fmt.Sprintf(" AND %s $%d", cond, len(args))
	}
	if f.ObjectType != "" {
		add("object_type =", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id =", f.ObjectID)
	}
	if f.Actor != "" {
		add("actor =", f.Actor)
	}
	if f.Action != "" {
		add("action =", f.Action)
	}
	// at is fixed-precision UTC text (audit.FormatTime), so text order is
	// time order on both engines.
	if !f.From.IsZero() {
		add("at >=", audit.FormatTime(f.From))
	}
	if !f.To.IsZero() {
		add("at <", audit.FormatTime(f.To))
	}
	return where, args, nil
}

// FindAuditEntries lists entries newest first (by insertion id, so
// entries still in audit_pending show too, with Seq 0): those made by actors in the scope,
// and those changing objects in it (a city clerk's change to a county's
// employer shows in that county).
func (s *Store) FindAuditEntries(ctx context.Context, scope access.Scope, f AuditFilter) ([]audit.Entry, int, error) {
	f.Page = f.Page.normalize()
	where, args, err := auditWhere(scope, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_log WHERE `+where+
		`) + (SELECT COUNT(*) FROM audit_pending WHERE `+where+`)`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	var out []audit.Entry
	err = s.eachAudit(ctx, where, args, &f.Page, func(e audit.Entry) error {
		out = append(out, e)
		return nil
	})
	return out, total, err
}

// EachAuditEntry calls fn for every entry FindAuditEntries would list
// under f, on all pages (f.Page is ignored), newest first, streaming: the
// export of the filtered log. An error from fn stops the walk.
func (s *Store) EachAuditEntry(ctx context.Context, scope access.Scope, f AuditFilter, fn func(audit.Entry) error) error {
	where, args, err := auditWhere(scope, f)
	if err != nil {
		return err
	}
	return s.eachAudit(ctx, where, args, nil, fn)
}

func (s *Store) eachAudit(ctx context.Context, where string, args []any, pg *Page, fn func(audit.Entry) error) error {
	q := auditSelect + ` WHERE ` + where + ` UNION ALL ` + pendingSelect + ` WHERE ` + where + ` ORDER BY id DESC`
	if pg != nil {
		args = append(args, pg.Limit, pg.Offset)
		q += fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)-1, len(args))
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditObject names the object of an entry for display: its name and the
// page that shows it ("" when there is none).
type AuditObject struct {
	Name, Href string
}

// AuditObjects names the objects of entries: employers and workers by
// name, employments by their worker's name, users by name and username;
// keyed by "type:id". Only objects in scope are named (an entry is listed
// when its actor is in scope, and an actor acts only inside their own
// scope, so in practice every object is). Personal data stays as lists
// show it: names only, nothing decrypted.
func (s *Store) AuditObjects(ctx context.Context, scope access.Scope, es []audit.Entry) (map[string]AuditObject, error) {
	ids := map[string][]any{}
	seen := map[string]bool{}
	for _, e := range es {
		k := e.ObjectType + ":" + e.ObjectID
		if seen[k] {
			continue
		}
		seen[k] = true
		if id, err := strconv.ParseInt(e.ObjectID, 10, 64); err == nil && id > 0 {
			ids[e.ObjectType] = append(ids[e.ObjectType], id)
		}
	}
	lo, hi := scope.Range()
	out := map[string]AuditObject{}
	queries := []struct {
		typ, sql string
		obj      func(id int64, name, extra string) AuditObject
	}{
		{"employer", `SELECT id, name, '' FROM employers WHERE region_code >= $1 AND region_code < $2 AND id IN (%s)`,
			func(id int64, name, _ string) AuditObject { return AuditObject{name, "/employers/" + itoa(id)} }},
		{"worker", `SELECT id, name, '' FROM workers WHERE region_code >= $1 AND region_code < $2 AND id IN (%s)`,
			func(id int64, name, _ string) AuditObject { return AuditObject{name, "/workers/" + itoa(id)} }},
		{"employment", `SELECT m.id, w.name, CAST(w.id AS TEXT) FROM employments m JOIN workers w ON w.id = m.worker_id
			WHERE w.region_code >= $1 AND w.region_code < $2 AND m.id IN (%s)`,
			func(_ int64, name, wid string) AuditObject {
				return AuditObject{name + "的劳动关系", "/workers/" + wid}
			}},
		{"case", `SELECT id, number, '' FROM cases WHERE region_code >= $1 AND region_code < $2 AND id IN (%s)`,
			func(id int64, number, _ string) AuditObject { return AuditObject{number, "/cases/" + itoa(id)} }},
		{"expert", `SELECT id, name, '' FROM experts WHERE region_code >= $1 AND region_code < $2 AND id IN (%s)`,
			func(_ int64, name, _ string) AuditObject { return AuditObject{name + "（鉴定专家）", ""} }},
		{"user", `SELECT id, display_name, username FROM users WHERE region_code >= $1 AND region_code < $2 AND id IN (%s)`,
			func(_ int64, name, username string) AuditObject {
				return AuditObject{name + "（" + username + "）", "/users"}
			}},
	}
	for _, q := range queries {
		list := ids[q.typ]
		for len(list) > 0 {
			chunk := list[:min(len(list), 500)]
			list = list[len(chunk):]
			marks := make([]string, len(chunk))
			for i := range chunk {
				marks[i] = "$" + strconv.Itoa(i+3)
			}
			rows, err := s.db.QueryContext(ctx, fmt.Sprintf(q.sql, strings.Join(marks, ", ")), append([]any{lo, hi}, chunk...)...)
			if err != nil {
				return nil, fmt.Errorf("store: audit objects: %w", err)
			}
			for rows.Next() {
				var id int64
				var name, extra string
				if err := rows.Scan(&id, &name, &extra); err != nil {
					rows.Close()
					return nil, err
				}
				out[q.typ+":"+itoa(id)] = q.obj(id, name, extra)
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
