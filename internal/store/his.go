package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/settlement"
)

// HISCall is one hospital envelope as the store sees it: who sent it,
// its replay key and the raw request.
type HISCall struct {
	Inst    settlement.Institution
	Msgid   string
	Infno   string
	Digest  string // of infno and input: the same msgid must carry the same
	Request []byte
	Nonce   string
	// ReadOnly marks a transaction that changes nothing but the nonce and
	// the archive (1101, 2303, 3101): on SQLite its business runs on a
	// read snapshot beside the writer, and only the nonce and the answer
	// are written.
	ReadOnly bool
}

// Digest is the replay digest of a transaction: infno and its input.
func Digest(infno string, input []byte) string {
	h := sha256.New()
	h.Write([]byte(infno))
	h.Write([]byte{0})
	h.Write(input)
	return hex.EncodeToString(h.Sum(nil))
}

// HISReply is what a transaction answers: the response body to store and
// send, and its infcode.
type HISReply struct {
	Body    []byte
	Infcode int
}

// ErrNonceReused is a nonce seen from the institution within ten minutes.
var ErrNonceReused = errs.E(errs.Unauth, "x-tif-nonce（随机串）10分钟内不能重复使用")

// ErrMsgidReused is a msgid sent before with a different body.
var ErrMsgidReused = errs.E(errs.Conflict, "报文ID重复：同一报文ID的请求内容不同")

// NonceTTL is how long a nonce may not be used again.
const NonceTTL = 10 * time.Minute

// HIS runs one envelope in one transaction: the nonce is recorded, a
// msgid seen before answers its stored response (replayed true), else run
// does the business on ops and the response is archived with the request.
// When run refuses (an errs error), the business is rolled back and only
// the nonce and the refusal are written, in a second transaction, through
// refuse, which builds the failure envelope.
func (s *Store) HIS(ctx context.Context, call HISCall, run func(ops *HISOps) (HISReply, error), refuse func(error) HISReply) (reply HISReply, replayed bool, err error) {
	actor := InstitutionPrincipal(call.Inst)
	if call.ReadOnly && s.engine == SQLite {
		return s.hisRead(ctx, call, actor, run, refuse)
	}
	for attempt := 0; attempt < 3; attempt++ {
		var business error
		err = s.write(ctx, actor, func(t *tx) error {
			if stored, ok, err := t.replay(ctx, call); err != nil || ok {
				reply, replayed = stored, ok
				return err
			}
			r, err := run(&HISOps{t: t, inst: call.Inst, msgid: call.Msgid})
			if err != nil {
				business = err
				return err
			}
			reply = r
			return t.archive(ctx, call, r)
		})
		switch {
		case err == nil:
			return reply, replayed, nil
		case refusal(business):
			return s.answer(ctx, call, actor, refuse(business))
		case errs.Is(err, errs.Conflict) && !errors.Is(err, ErrMsgidReused):
			// Two deliveries of one msgid raced to archive: the loser's
			// next attempt finds the winner's answer. Anything else that
			// conflicted is retried the same way.
		default:
			return reply, false, err
		}
	}
	return reply, false, err
}

// refusal reports whether the business's error is refused to the HIS
// with its message (a -1 envelope), rather than failing the call.
func refusal(business error) bool {
	return business != nil && errs.KindOf(business) != "" && errs.KindOf(business) != errs.Unauth
}

// hisRead runs a read-only envelope's business on a read snapshot (a
// deferred transaction, which takes no write lock on SQLite: it runs
// beside the writer instead of queueing behind it), then writes the nonce
// and the answer, or finds the msgid's stored answer, in a short write.
// The answer is the state as of the snapshot, as if the envelope had been
// answered a moment earlier.
func (s *Store) hisRead(ctx context.Context, call HISCall, actor access.Principal, run func(ops *HISOps) (HISReply, error), refuse func(error) HISReply) (HISReply, bool, error) {
	rtx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return HISReply{}, false, fmt.Errorf("store: begin read: %w", err)
	}
	defer rtx.Rollback() // also when run panics: the connection goes back to the pool
	t := &tx{Tx: rtx, s: s, now: s.now().UTC().Truncate(time.Microsecond), actor: actor}
	r, business := run(&HISOps{t: t, inst: call.Inst, msgid: call.Msgid, readOnly: true})
	_ = rtx.Rollback() // the snapshot is not needed for the write
	switch {
	case business == nil:
	case refusal(business):
		r = refuse(business)
	default:
		return HISReply{}, false, s.translate(business)
	}
	return s.answer(ctx, call, actor, r)
}

// answer writes the nonce and the answer r of a call whose business is
// done (a refusal, or a read-only envelope's answer), or finds the msgid's
// stored answer, which it returns instead (replayed).
func (s *Store) answer(ctx context.Context, call HISCall, actor access.Principal, r HISReply) (reply HISReply, replayed bool, err error) {
	for attempt := 0; attempt < 3; attempt++ {
		err = s.write(ctx, actor, func(t *tx) error {
			if stored, ok, err := t.replay(ctx, call); err != nil || ok {
				reply, replayed = stored, ok
				return err
			}
			reply, replayed = r, false
			return t.archive(ctx, call, r)
		})
		// Two deliveries of one msgid raced to archive: the loser's next
		// attempt finds the winner's answer.
		if err == nil || !errs.Is(err, errs.Conflict) || errors.Is(err, ErrMsgidReused) {
			break
		}
	}
	if err != nil {
		return HISReply{}, false, err
	}
	return reply, replayed, nil
}

// replay records the call's nonce and finds the answer stored for its
// msgid, if any (ErrMsgidReused when the msgid came with another input).
func (t *tx) replay(ctx context.Context, call HISCall) (HISReply, bool, error) {
	if err := t.useNonce(ctx, call); err != nil {
		return HISReply{}, false, err
	}
	return t.storedReply(ctx, call)
}

func (t *tx) useNonce(ctx context.Context, call HISCall) error {
	var seen time.Time
	err := t.QueryRowContext(ctx, `SELECT seen_at FROM his_nonces WHERE institution_id = $1 AND nonce = $2`, call.Inst.ID, call.Nonce).Scan(&seen)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = t.ExecContext(ctx, `INSERT INTO his_nonces (institution_id, nonce, seen_at) VALUES ($1, $2, $3)`, call.Inst.ID, call.Nonce, t.now)
		return err
	case err != nil:
		return err
	case t.now.Sub(seen) < NonceTTL:
		return ErrNonceReused
	}
	_, err = t.ExecContext(ctx, `UPDATE his_nonces SET seen_at = $1 WHERE institution_id = $2 AND nonce = $3`, t.now, call.Inst.ID, call.Nonce)
	return err
}

func (t *tx) storedReply(ctx context.Context, call HISCall) (HISReply, bool, error) {
	var digest string
	var sealed []byte
	var code int
	err := t.QueryRowContext(ctx, `SELECT digest, response_enc, infcode FROM his_messages WHERE institution_id = $1 AND msgid = $2`,
		call.Inst.ID, call.Msgid).Scan(&digest, &sealed, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return HISReply{}, false, nil
	}
	if err != nil {
		return HISReply{}, false, err
	}
	if digest != call.Digest {
		return HISReply{}, false, ErrMsgidReused
	}
	body, err := t.s.pii.Open(sealed)
	return HISReply{Body: []byte(body), Infcode: code}, true, err
}

func (t *tx) archive(ctx context.Context, call HISCall, r HISReply) error {
	_, err := t.ExecContext(ctx, `INSERT INTO his_messages (institution_id, msgid, infno, digest, request_enc, response_enc, infcode, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, call.Inst.ID, call.Msgid, call.Infno, call.Digest,
		t.s.pii.Seal(string(call.Request)), t.s.pii.Seal(string(r.Body)), r.Infcode, t.now)
	return err
}

// SweepNonces forgets nonces older than NonceTTL.
func (s *Store) SweepNonces(ctx context.Context) (int64, error) {
	return s.exec(ctx, `DELETE FROM his_nonces WHERE seen_at < $1`, s.now().Add(-NonceTTL))
}

// HISMessage is one archived envelope.
type HISMessage struct {
	ID            int64     `json:"id"`
	InstitutionID int64     `json:"institution_id"`
	Msgid         string    `json:"msgid"`
	Infno         string    `json:"infno"`
	Request       string    `json:"request"`
	Response      string    `json:"response"`
	Infcode       int       `json:"infcode"`
	At            time.Time `json:"at"`
}

// HISMessages lists an institution's archived envelopes, newest first.
func (s *Store) HISMessages(ctx context.Context, institutionID int64, p Page) ([]HISMessage, error) {
	p = p.normalize()
	rows, err := s.db.QueryContext(ctx, `SELECT id, institution_id, msgid, infno, request_enc, response_enc, infcode, created_at
		FROM his_messages WHERE institution_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`, institutionID, p.Limit, p.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HISMessage
	for rows.Next() {
		var m HISMessage
		var req, resp []byte
		if err := rows.Scan(&m.ID, &m.InstitutionID, &m.Msgid, &m.Infno, &req, &resp, &m.Infcode, &m.At); err != nil {
			return nil, err
		}
		if m.Request, err = s.pii.Open(req); err != nil {
			return nil, err
		}
		if m.Response, err = s.pii.Open(resp); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
