package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gongshang/internal/audit"
)

// AuditSealEvery is how often the sealer that serve runs chains new
// entries: the window in which an entry exists unsealed.
const AuditSealEvery = 200 * time.Millisecond

// finalWait bounds the sealer's last pass at shutdown, so an unreachable
// database cannot hold the process.
const finalWait = 10 * time.Second

// sealBatch bounds one sealing transaction.
const sealBatch = 5000

// SealAudit seals up to max pending entries in insertion order: each gets
// the next seq and its keyed hash chained to the one before, and the head
// moves to the last with a new MAC. Sealers exclude each other through the
// head row (FOR UPDATE on PostgreSQL; SQLite's single writer). Returns how
// many were sealed.
func (s *Store) SealAudit(ctx context.Context, max int) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	defer tx.Rollback()
	var head audit.Head
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`+s.engine.forUpdate()).
		Scan(&head.Seq, &head.Hash, &head.MAC); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	es, err := s.engine.pending(ctx, tx, max)
	if err != nil || len(es) == 0 {
		return 0, err
	}
	for i := range es {
		audit.Seal(&es[i], head.Seq, head.Hash, s.auditKey)
		head = audit.Head{Seq: es[i].Seq, Hash: es[i].Hash}
	}
	if err := s.engine.markSealed(ctx, tx, es); err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	audit.SignHead(&head, s.auditKey)
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1`,
		head.Seq, head.Hash, head.MAC); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	return len(es), nil
}

// pending reads up to max unsealed entries in insertion order. On
// PostgreSQL ids commit in any order, so the pending ones are found through
// their partial index. On SQLite, the one writer commits them in id order,
// so they are exactly the ids after the last sealed one: a rowid range,
// which spares every append an index entry (the +seq keeps the planner
// from walking the whole seq index for that last one).
func (e Engine) pending(ctx context.Context, q querier, max int) ([]audit.Entry, error) {
	where := `seq IS NULL`
	if e == SQLite {
		where = `id > COALESCE((SELECT id FROM audit_log WHERE +seq IS NOT NULL ORDER BY id DESC LIMIT 1), 0)`
	}
	rows, err := q.QueryContext(ctx, auditSelect+` WHERE `+where+` ORDER BY id LIMIT $1`, max)
	if err != nil {
		return nil, fmt.Errorf("store: pending audit: %w", err)
	}
	defer rows.Close()
	var es []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	return es, rows.Err()
}

// markSealed writes the seq and hashes of sealed entries: one statement
// over arrays on PostgreSQL (a round trip per row would cap the sealer),
// one prepared statement per row on SQLite, which runs in process.
func (e Engine) markSealed(ctx context.Context, tx *sql.Tx, es []audit.Entry) error {
	if e == Postgres {
		ids, seqs, vers := make([]int64, len(es)), make([]int64, len(es)), make([]int64, len(es))
		prevs, hashes := make([]string, len(es)), make([]string, len(es))
		for i, x := range es {
			ids[i], seqs[i], vers[i], prevs[i], hashes[i] = x.ID, x.Seq, int64(x.HashVersion), x.PrevHash, x.Hash
		}
		_, err := tx.ExecContext(ctx, `UPDATE audit_log AS a SET seq = v.seq, hash_version = v.ver, prev_hash = v.prev, hash = v.hash
			FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::text[], $5::text[]) AS v (id, seq, ver, prev, hash)
			WHERE a.id = v.id`, ids, seqs, vers, prevs, hashes)
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `UPDATE audit_log SET seq = $1, hash_version = $2, prev_hash = $3, hash = $4 WHERE id = $5`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, x := range es {
		if _, err := stmt.ExecContext(ctx, x.Seq, x.HashVersion, x.PrevHash, x.Hash, x.ID); err != nil {
			return err
		}
	}
	return nil
}

// sealAll seals until nothing is pending.
func (s *Store) sealAll(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.SealAudit(ctx, sealBatch)
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

// AuditPending counts the entries not yet sealed.
func (s *Store) AuditPending(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq IS NULL`).Scan(&n)
	return n, err
}

// AuditCheckpoint signs the chain's current head, for keeping outside the
// database.
func (s *Store) AuditCheckpoint(ctx context.Context) (audit.Checkpoint, error) {
	var seq int64
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return audit.Checkpoint{}, fmt.Errorf("store: audit head: %w", err)
	}
	return audit.NewCheckpoint(seq, hash, audit.FormatTime(s.now()), s.auditKey), nil
}

// RunAuditSealer seals pending entries every `every` until ctx ends, then
// seals once more (within finalWait). When keep is not nil it is handed a signed checkpoint
// after the first seal, then every checkpointEvery if the chain grew, and
// at the end; a failing keep is logged and retried at the next tick.
func (s *Store) RunAuditSealer(ctx context.Context, every, checkpointEvery time.Duration, keep func(audit.Checkpoint) error) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var kept int64 = -1
	var lastKept time.Time
	for done := false; !done; {
		select {
		case <-ctx.Done():
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), finalWait)
			defer cancel()
			done = true
		case <-tick.C:
		}
		if _, err := s.sealAll(ctx); err != nil {
			if done {
				return err
			}
			s.log.Error("audit seal", "err", err)
			continue
		}
		if keep != nil && (done || time.Since(lastKept) >= checkpointEvery) {
			if seq, err := s.keepCheckpoint(ctx, kept, keep); err != nil {
				s.log.Error("audit checkpoint", "err", err)
			} else {
				kept, lastKept = seq, time.Now()
			}
		}
	}
	return nil
}

// keepCheckpoint hands keep a checkpoint unless the head is still at kept.
func (s *Store) keepCheckpoint(ctx context.Context, kept int64, keep func(audit.Checkpoint) error) (int64, error) {
	cp, err := s.AuditCheckpoint(ctx)
	if err != nil || cp.Seq == kept {
		return cp.Seq, err
	}
	if err := keep(cp); err != nil {
		return kept, err
	}
	s.log.Info("audit checkpoint", "seq", cp.Seq, "hash", cp.Hash, "count", cp.Count, "at", cp.At, "sig", cp.Sig)
	return cp.Seq, nil
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	Sealed      int64          // entries verified in the chain
	Pending     int64          // entries appended but not yet sealed (not covered)
	Checkpoints int            // checkpoints checked against the chain
	Problem     *audit.Problem // the first break, nil when intact
}

// VerifyAudit recomputes the whole chain in seq order under the audit key,
// checks the head and its MAC, and holds the chain against checkpoints
// kept outside the database (their signatures already checked, see
// audit.ParseCheckpoints). It reads one snapshot, so a sealer running
// meanwhile does not disturb it.
func (s *Store) VerifyAudit(ctx context.Context, checkpoints []audit.Checkpoint) (AuditReport, error) {
	rep := AuditReport{Checkpoints: len(checkpoints)}
	opt := &sql.TxOptions{ReadOnly: true}
	if s.engine == Postgres {
		opt.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.db.BeginTx(ctx, opt)
	if err != nil {
		return rep, fmt.Errorf("store: verify audit: %w", err)
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE seq IS NULL`).Scan(&rep.Pending); err != nil {
		return rep, fmt.Errorf("store: verify audit: %w", err)
	}
	v := audit.NewVerifier(s.auditKey, checkpoints)
	rep.Problem, err = walkChain(ctx, tx, v)
	rep.Sealed = v.Count()
	if err != nil || rep.Problem != nil {
		return rep, err
	}
	var head audit.Head
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash, mac FROM audit_head WHERE id = 1`).Scan(&head.Seq, &head.Hash, &head.MAC); err != nil {
		return rep, fmt.Errorf("store: audit head: %w", err)
	}
	rep.Problem = v.Finish(head)
	return rep, nil
}

func walkChain(ctx context.Context, q querier, v *audit.Verifier) (*audit.Problem, error) {
	rows, err := q.QueryContext(ctx, auditSelect+` WHERE seq IS NOT NULL ORDER BY seq`)
	if err != nil {
		return nil, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		if p := v.Next(e); p != nil {
			return p, nil
		}
	}
	return nil, rows.Err()
}
