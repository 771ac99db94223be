// Package hisapi is the surface designated institutions' HIS systems talk
// to: POST /fsi/api/rsfComIfsService/callService with the national
// platform's envelope. It checks the signature headers against the
// institution's token, decodes the envelope and its input (internal/his),
// runs the transaction in one store transaction (nonce, msgid replay,
// business, archive, audit) and answers an envelope: always HTTP 200,
// except 401 for a failed signature and 413 for a body over 4 MiB. It does
// not go through the staff session: its caller is the institution. Beside
// it, signed the same way, the institution reads its audit findings and
// replies to them in plain JSON (audit.go).
package hisapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/his"
	"gongshang/internal/param"
	"gongshang/internal/params"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// Options configure the surface.
type Options struct {
	Store  *store.Store
	Params *params.Service
	Logger *slog.Logger
	Now    func() time.Time // the server's clock for the timestamp window
}

// Handler serves the envelope interface.
type Handler struct {
	store  *store.Store
	params *params.Service
	log    *slog.Logger
	now    func() time.Time

	mu    sync.Mutex
	cache map[string]cached // institutions by paasid, for a second
}

type cached struct {
	inst  settlement.Institution
	token string
	at    time.Time
}

// New builds the surface.
func New(opt Options) *web.Surface {
	h := &Handler{store: opt.Store, params: opt.Params, log: opt.Logger, now: opt.Now, cache: map[string]cached{}}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = opt.Store.Now
	}
	return &web.Surface{
		Name:         "hisapi",
		Routes:       append([]web.Route{{Pattern: "POST " + his.Path, H: h.serve}}, h.auditRoutes()...),
		MaxBodyBytes: his.MaxBody,
		Fail:         h.fail,
	}
}

// fail answers what the pipeline itself refused (nothing does today but
// a panic-free default): an envelope with the message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, rq *web.Request, err error) {
	status, e := web.Public(h.log, r, rq, err)
	if status != http.StatusUnauthorized && status != http.StatusRequestEntityTooLarge {
		status = http.StatusOK
	}
	writeEnvelope(w, status, his.Failure(his.Request{}, e.Message, h.now()))
}

func writeEnvelope(w http.ResponseWriter, status int, resp his.Response) {
	body, _ := json.Marshal(resp)
	writeBody(w, status, body)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, _ *web.Request) error {
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeEnvelope(w, http.StatusRequestEntityTooLarge, his.Failure(his.Request{}, his.MsgBodyTooLarge, h.now()))
		return nil
	}
	if err != nil {
		writeEnvelope(w, http.StatusOK, his.Failure(his.Request{}, his.MsgNotJSON, h.now()))
		return nil
	}
	inst, nonce, err := h.authenticate(r)
	if err != nil {
		writeEnvelope(w, http.StatusUnauthorized, his.Failure(his.Request{}, errs.E(errs.Unauth, "%s", err.Error()).Message, h.now()))
		return nil
	}
	req, err := his.ParseRequest(body)
	if err != nil {
		h.log.Info("his: envelope refused", "institution", inst.Code, "err", err)
		writeEnvelope(w, http.StatusOK, his.Failure(req, err.Error(), h.now()))
		return nil
	}
	// The parameter set may be re-read from the database: before the
	// transaction, since a statement through the pool from inside one can
	// wait on connections that are waiting for its lock (SQLite). The
	// input is decoded before it too (see run).
	set := h.set(r.Context())
	decoded, decodeErr := his.Decode(req.Infno, req.Input)
	call := store.HISCall{Inst: inst, Msgid: req.Msgid, Infno: req.Infno, Digest: store.Digest(req.Infno, req.Input), Request: body, Nonce: nonce,
		ReadOnly: readOnly[req.Infno]}
	// Once accepted, an envelope runs to its end whether or not the HIS
	// still waits: its answer is archived for the retry a HIS sends after
	// a timeout, and a statement interrupted by a cancelled context would
	// roll back the whole transaction — on SQLite the group of other
	// institutions' envelopes committed with it (store/group.go).
	ctx := context.WithoutCancel(r.Context())
	reply, replayed, err := h.store.HIS(ctx, call, func(ops *store.HISOps) (store.HISReply, error) {
		out, warn, err := h.run(ctx, ops, req, decoded, decodeErr, set)
		if err != nil {
			return store.HISReply{}, err
		}
		resp, err := his.Success(req, out, warn, ops.Now())
		if err != nil {
			return store.HISReply{}, err
		}
		b, err := resp.Encode()
		return store.HISReply{Body: b}, err
	}, func(refusal error) store.HISReply {
		b, _ := his.Failure(req, message(refusal), h.now()).Encode()
		return store.HISReply{Body: b, Infcode: -1}
	})
	switch {
	case errors.Is(err, store.ErrNonceReused):
		writeEnvelope(w, http.StatusUnauthorized, his.Failure(req, his.MsgNonceReused, h.now()))
	case errors.Is(err, store.ErrMsgidReused):
		writeEnvelope(w, http.StatusOK, his.Failure(req, his.MsgDuplicateMsgid, h.now()))
	case err != nil:
		h.log.Error("his: transaction failed", "institution", inst.Code, "infno", req.Infno, "msgid", req.Msgid, "err", err)
		writeEnvelope(w, http.StatusOK, his.Failure(req, his.MsgInternal, h.now()))
	default:
		if afterCommit != nil && !replayed {
			afterCommit(req.Infno)
		}
		writeBody(w, http.StatusOK, reply.Body)
	}
	return nil
}

// readOnly are the transactions that change nothing but the nonce and the
// archive (store.HISCall.ReadOnly).
var readOnly = map[string]bool{his.InfnoPerson: true, his.InfnoPreSettle: true, his.InfnoAudit: true}

// afterCommit, when set, runs after a transaction's answer has committed
// and before it is written. Only crashhook.go sets it, in a test binary
// built with -tags crashhook; in every other build it is nil.
var afterCommit func(infno string)

// message is the err_msg of a refusal: the field messages, which name the
// field, or the error's message.
func message(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return his.MsgInternal
}

// authenticate checks the four signature headers: a known paasid, a
// timestamp within ±300 s, a nonce, and the signature over them with the
// institution's token. The nonce's reuse is checked in the transaction.
func (h *Handler) authenticate(r *http.Request) (settlement.Institution, string, error) {
	paasid := r.Header.Get(his.HeaderPaasID)
	ts := r.Header.Get(his.HeaderTimestamp)
	nonce := r.Header.Get(his.HeaderNonce)
	sig := r.Header.Get(his.HeaderSignature)
	inst, token, err := h.institution(r.Context(), paasid)
	if err != nil {
		return inst, "", errors.New(his.MsgUnknownPaasid)
	}
	if err := his.CheckTimestamp(ts, h.now()); err != nil {
		return inst, "", err
	}
	if nonce == "" || len(nonce) > 64 {
		return inst, "", errors.New(his.MsgNoNonce)
	}
	if !his.VerifySignature(ts, nonce, sig, token) {
		return inst, "", errors.New(his.MsgBadSignature)
	}
	return inst, nonce, nil
}

// institution reads an institution by paasid, cached for a second: a
// rotated token or a suspension takes effect within a second.
func (h *Handler) institution(ctx context.Context, paasid string) (settlement.Institution, string, error) {
	if paasid == "" {
		return settlement.Institution{}, "", errs.E(errs.Unauth, "no paasid")
	}
	h.mu.Lock()
	c, ok := h.cache[paasid]
	h.mu.Unlock()
	if ok && time.Since(c.at) < time.Second {
		return c.inst, c.token, nil
	}
	inst, token, err := h.store.InstitutionByPaasID(ctx, paasid)
	if err != nil {
		return inst, "", err
	}
	h.mu.Lock()
	if len(h.cache) > 10000 {
		h.cache = map[string]cached{}
	}
	h.cache[paasid] = cached{inst, token, time.Now()}
	h.mu.Unlock()
	return inst, token, nil
}

func (h *Handler) set(ctx context.Context) *param.Set {
	if h.params == nil {
		return nil
	}
	return h.params.Set(ctx)
}
