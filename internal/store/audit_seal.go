package store

import (
	"context"
	"database/sql"
	"errors"
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
// the next seq and its keyed hash chained to the one before, moves from
// audit_pending into audit_log, and the head moves to the last with a new
// MAC. Returns how many were sealed.
//
// The entries are first read and hashed outside the writing transaction,
// which on SQLite holds the one write lock every writer waits for; that
// transaction then takes the head (FOR UPDATE on PostgreSQL; SQLite's
// single writer), so sealers exclude each other, and moves the entries
// only if the head is still the one they were chained to. Only a sealer
// moves the head or removes pending entries, so an unchanged head means no
// other sealer came between. If one did, the entries are read and hashed
// again, this time after taking the head.
func (s *Store) SealAudit(ctx context.Context, max int) (int, error) {
	n, err := s.seal(ctx, max, false)
	if errors.Is(err, errHeadMoved) {
		return s.seal(ctx, max, true)
	}
	return n, err
}

var errHeadMoved = errors.New("store: seal audit: another sealer moved the head")

// seal is one attempt of SealAudit, reading the entries before taking the
// head or, when locked, after.
func (s *Store) seal(ctx context.Context, max int, locked bool) (int, error) {
	var from, head audit.Head
	var es []audit.Entry
	if !locked {
		if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&from.Seq, &from.Hash); err != nil {
			return 0, fmt.Errorf("store: audit head: %w", err)
		}
		var err error
		if es, err = pending(ctx, s.db, max); err != nil || len(es) == 0 {
			return 0, err
		}
		head = s.chain(from, es)
	}
	tx, release, err := s.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	defer release()
	defer tx.Rollback()
	var now audit.Head
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+s.engine.forUpdate()).
		Scan(&now.Seq, &now.Hash); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	if locked {
		if es, err = pending(ctx, tx, max); err != nil || len(es) == 0 {
			return 0, err
		}
		head = s.chain(now, es)
	} else if now != from {
		return 0, errHeadMoved
	}
	if err := s.engine.moveSealed(ctx, tx, es); err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2, mac = $3 WHERE id = 1`,
		head.Seq, head.Hash, head.MAC); err != nil {
		return 0, fmt.Errorf("store: audit head: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: seal audit: %w", err)
	}
	return len(es), nil
}

// chain seals es after head and returns the new head, signed.
func (s *Store) chain(head audit.Head, es []audit.Entry) audit.Head {
	for i := range es {
		audit.Seal(&es[i], head.Seq, head.Hash, s.auditKey)
		head = audit.Head{Seq: es[i].Seq, Hash: es[i].Hash}
	}
	audit.SignHead(&head, s.auditKey)
	return head
}

// pending reads up to max unsealed entries in insertion order. On
// PostgreSQL ids commit in any order, so an id committed after a later one
// was sealed simply gets a later seq: the chain order is the sealing order.
func pending(ctx context.Context, q querier, max int) ([]audit.Entry, error) {
	rows, err := q.QueryContext(ctx, pendingSelect+` ORDER BY id LIMIT $1`, max)
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

// moveSealed moves sealed entries from audit_pending into audit_log under
// the same id, with their seq and hashes: one statement over arrays on
// PostgreSQL (a round trip per row would cap the sealer), one prepared
// statement per row and one range delete on SQLite, which runs in process
// and whose one writer commits ids in order. Fails unless every entry was
// still pending.
func (e Engine) moveSealed(ctx context.Context, tx *sql.Tx, es []audit.Entry) error {
	if e == Postgres {
		ids, seqs, vers := make([]int64, len(es)), make([]int64, len(es)), make([]int64, len(es))
		prevs, hashes := make([]string, len(es)), make([]string, len(es))
		for i, x := range es {
			ids[i], seqs[i], vers[i], prevs[i], hashes[i] = x.ID, x.Seq, int64(x.HashVersion), x.PrevHash, x.Hash
		}
		res, err := tx.ExecContext(ctx, `WITH v AS (
				SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::text[], $5::text[]) AS v (id, seq, ver, prev, hash)),
			moved AS (DELETE FROM audit_pending AS p USING v WHERE p.id = v.id
				RETURNING p.*, v.seq, v.ver, v.prev, v.hash)
			INSERT INTO audit_log (`+movedCols+`)
			SELECT id, seq, ver, prev, hash, `+joinCols(appendCols)+` FROM moved`, ids, seqs, vers, prevs, hashes)
		return wantMoved(res, err, len(es))
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO audit_log (`+movedCols+`)
		SELECT id, $1, $2, $3, $4, `+joinCols(appendCols)+` FROM audit_pending WHERE id = $5`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, x := range es {
		res, err := stmt.ExecContext(ctx, x.Seq, x.HashVersion, x.PrevHash, x.Hash, x.ID)
		if err := wantMoved(res, err, 1); err != nil {
			return err
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM audit_pending WHERE id BETWEEN $1 AND $2`, es[0].ID, es[len(es)-1].ID)
	return wantMoved(res, err, len(es))
}

// movedCols are the columns of a sealed entry, in moveSealed's order.
var movedCols = "id, seq, hash_version, prev_hash, hash, " + joinCols(appendCols)

// wantMoved fails unless the statement touched n rows.
func wantMoved(res sql.Result, err error, n int) error {
	if err != nil {
		return err
	}
	if got, err := res.RowsAffected(); err != nil || got != int64(n) {
		return fmt.Errorf("moved %d of %d pending entries: %v", got, n, err)
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
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_pending`).Scan(&n)
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
	// A row in audit_log without a seq (only written there by hand) is
	// outside the chain too, so it counts as pending.
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_pending) +
		(SELECT COUNT(*) FROM audit_log WHERE seq IS NULL)`).Scan(&rep.Pending); err != nil {
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
