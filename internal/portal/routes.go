package portal

import (
	"gongshang/internal/access"
	"gongshang/internal/web"
)

// routeTable lists every route of the portal, in one place, all under
// /portal/. A route naming a case ({id}, Obj "case") is checked by the
// shared pipeline against the caller's ownership (access.MaySee: a worker
// his own cases, an employer its workers' cases) before any handler runs;
// the store checks again on every call.
func (s *Server) routeTable() []web.Route {
	const (
		public = access.Permission("")
		in     = access.PermSignedIn
		read   = access.PermCaseRead
		open   = access.PermCaseOpen
	)
	return []web.Route{
		{Pattern: "GET /portal/static/{file}", H: s.static},
		{Pattern: "GET /portal/login", H: s.loginForm},
		{Pattern: "POST /portal/login", H: s.loginSubmit},
		{Pattern: "GET /portal/activate", H: s.activateForm},
		{Pattern: "POST /portal/activate", H: s.activateSubmit},
		{Pattern: "POST /portal/logout", Perm: in, H: s.logout},
		{Pattern: "GET /portal/account/password", Perm: in, H: s.passwordForm},
		{Pattern: "POST /portal/account/password", Perm: in, H: s.passwordChange},
		{Pattern: "GET /portal/{$}", Perm: read, H: s.home},
		{Pattern: "GET /portal/apply", Perm: open, H: s.applyForm},
		{Pattern: "POST /portal/apply", Perm: open, H: s.applySubmit},
		{Pattern: "GET /portal/cases/{id}", Perm: read, Obj: "case", H: s.caseShow},
		{Pattern: "GET /portal/cases/{id}/letters/{lid}", Perm: read, Obj: "case", H: s.letterDownload},
		{Pattern: "GET /portal/cases/{id}/files/{fid}", Perm: read, Obj: "case", H: s.fileView},
		{Pattern: "POST /portal/cases/{id}/files", Perm: open, Obj: "case", H: s.fileUpload},
		{Pattern: "POST /portal/cases/{id}/services/{sid}/corrected", Perm: open, Obj: "case", H: s.correctionSubmit},
		{Pattern: "GET /portal/filings", Perm: read, H: s.filingList},
		{Pattern: "POST /portal/filings", Perm: open, H: s.filingSubmit},
		{Pattern: "POST /portal/filings/{id}/cancel", Perm: open, Obj: "filing", H: s.filingCancel},
		// Self check-in at a prevention training: public, by the session's token.
		{Pattern: "GET /portal/checkin", H: s.checkinCode},
		{Pattern: "GET /portal/checkin/{token}", H: s.checkinForm},
		{Pattern: "POST /portal/checkin/{token}", H: s.checkinSubmit},

		// Anything else under /portal/.
		{Pattern: "/portal/", H: web.NotFound},
	}
}
