package store

import (
	"context"
	"fmt"
	"strconv"

	"gongshang/internal/access"
	"gongshang/internal/audit"
)

// change is one audited change before it is sealed into the chain.
type change struct {
	action, objectType, objectID, region string
	before, after                        any
}

// audit appends one entry for a change made in t to an object of region.
func (t *tx) audit(ctx context.Context, action, objectType string, objectID int64, region string, before, after any) error {
	return t.auditMany(ctx, []change{{action, objectType, strconv.FormatInt(objectID, 10), region, before, after}})
}

// auditMany appends entries in order. Bumping audit_head first takes its
// row lock on both engines, so concurrent writers chain one after another;
// the entries are then inserted in multi-row statements.
func (t *tx) auditMany(ctx context.Context, cs []change) error {
	if len(cs) == 0 {
		return nil
	}
	var newSeq int64
	var prevHash string
	if err := t.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash`,
		len(cs)).Scan(&newSeq, &prevHash); err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	seq := newSeq - int64(len(cs))
	at := audit.FormatTime(t.now)
	rows := make([][]any, 0, len(cs))
	for _, c := range cs {
		e := audit.Entry{At: at, ActorID: t.actor.UserID, Actor: t.actor.Username, Role: string(t.actor.Role),
			Region: t.actor.RegionCode, Action: c.action, ObjectType: c.objectType, ObjectID: c.objectID, ObjRegion: c.region,
			Before: audit.Snapshot(c.before), After: audit.Snapshot(c.after)}
		audit.Seal(&e, seq, prevHash)
		seq, prevHash = e.Seq, e.Hash
		rows = append(rows, []any{e.Seq, e.At, e.ActorID, e.Actor, e.Role, e.Region, e.Action,
			e.ObjectType, e.ObjectID, e.ObjRegion, e.Before, e.After, e.PrevHash, e.Hash})
	}
	if err := t.insertMany(ctx, "audit_log", auditCols, len(rows), func(i int) []any { return rows[i] }, ""); err != nil {
		return fmt.Errorf("store: audit append: %w", err)
	}
	_, err := t.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, prevHash)
	return err
}

var auditCols = []string{"seq", "at", "actor_id", "actor", "role", "region", "action",
	"object_type", "object_id", "object_region", "before_json", "after_json", "prev_hash", "hash"}

// AuditFilter selects audit entries.
type AuditFilter struct {
	ObjectType string
	ObjectID   string
	Actor      string
	Page
}

// FindAuditEntries lists entries newest first: those made by actors in the
// scope, and those changing objects in it (a city clerk's change to a
// county's employer shows in that county).
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
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit: %w", err)
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, `SELECT `+joinCols(auditCols)+` FROM audit_log WHERE `+where+
		fmt.Sprintf(` ORDER BY seq DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
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

func scanAudit(r interface{ Scan(...any) error }) (audit.Entry, error) {
	var e audit.Entry
	err := r.Scan(&e.Seq, &e.At, &e.ActorID, &e.Actor, &e.Role, &e.Region, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.ObjRegion, &e.Before, &e.After, &e.PrevHash, &e.Hash)
	return e, err
}

// VerifyAudit recomputes the whole chain in seq order and returns the
// number of entries checked and the first problem (nil when intact).
func (s *Store) VerifyAudit(ctx context.Context) (int64, *audit.Problem, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+joinCols(auditCols)+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return v.Count(), nil, err
		}
		if p := v.Next(e); p != nil {
			return v.Count(), p, nil
		}
	}
	if err := rows.Err(); err != nil {
		return v.Count(), nil, err
	}
	var headSeq int64
	var headHash string
	if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return v.Count(), nil, err
	}
	return v.Count(), v.Finish(headSeq, headHash), nil
}
