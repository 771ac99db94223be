package hisapi

import (
	"net/http"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The institution's own audit findings beside the envelope interface,
// signed with the same four headers and the institution's own token
// (authenticate), answered as plain JSON: the findings addressed to it
// from feedback on, and its reply to one awaiting it. Another
// institution's finding, or a draft, is not found.

// AuditFindingsPath is the list of the caller's findings; a reply goes to
// AuditFindingsPath + "/{id}/reply".
const AuditFindingsPath = "/fsi/api/audit/findings"

func (h *Handler) auditRoutes() []web.Route {
	return []web.Route{
		{Pattern: "GET " + AuditFindingsPath, H: h.auditFindings},
		{Pattern: "POST " + AuditFindingsPath + "/{id}/reply", H: h.auditReply},
	}
}

// ReplyInput is the body of a reply.
type ReplyInput struct {
	Reply string `json:"reply"`
}

func (h *Handler) auditFindings(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	h.asInstitution(w, r, rq, func(p access.Principal) (any, error) {
		fs, err := h.store.InstitutionFindings(r.Context(), p)
		if fs == nil {
			fs = []store.OwnFinding{}
		}
		return web.ListBody[store.OwnFinding]{Items: fs, Total: len(fs), Limit: len(fs)}, err
	})
	return nil
}

func (h *Handler) auditReply(w http.ResponseWriter, r *http.Request, rq *web.Request) error {
	h.asInstitution(w, r, rq, func(p access.Principal) (any, error) {
		id, err := web.PathID(r)
		if err != nil {
			return nil, err
		}
		var in ReplyInput
		if err := web.DecodeJSON(r, &in); err != nil {
			return nil, err
		}
		return h.store.ReplyAsInstitution(r.Context(), p, id, in.Reply)
	})
	return nil
}

// asInstitution checks the signature and the nonce, runs fn as the
// institution and answers its result or its error as JSON.
func (h *Handler) asInstitution(w http.ResponseWriter, r *http.Request, rq *web.Request, fn func(access.Principal) (any, error)) {
	inst, nonce, err := h.authenticate(r)
	if err == nil {
		err = h.store.UseNonce(r.Context(), inst, nonce)
	} else {
		err = errs.E(errs.Unauth, "%s", err.Error())
	}
	var out any
	if err == nil {
		rq.P = store.InstitutionPrincipal(inst)
		out, err = fn(rq.P)
	}
	if err != nil {
		status, e := web.Public(h.log, r, rq, err)
		web.WriteJSONError(w, status, e)
		return
	}
	web.WriteJSON(w, http.StatusOK, out)
}
