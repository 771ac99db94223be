package web

import (
	"net/http"

	"gongshang/internal/access"
)

// route is one entry of the table: a ServeMux pattern, the permission it
// needs ("" for public), whether it speaks HTML or JSON, what kind of object
// its {id} names, and its handler. Region scope is enforced in wrap: an
// {id} outside the user's region subtree is refused before any handler
// runs; lists and creations are scoped by the store, which takes the
// principal's scope on every call.
type route struct {
	pattern string
	perm    access.Permission
	api     bool
	h       handler
	obj     string  // what {id} names: employer, worker or user
	doc     *apiDoc // OpenAPI description, for API routes
}

// handler is the shape of every handler: errors go to one adapter.
type handler func(w http.ResponseWriter, r *http.Request, rq *request) error

// routeTable lists every route of the application, in one place.
func (s *Server) routeTable() []route {
	const (
		public = access.Permission("")
		in     = access.PermSignedIn
		read   = access.PermRegistryRead
		write  = access.PermRegistryWrite
		imp    = access.PermRegistryImport
		audit  = access.PermAuditRead
		users  = access.PermUsersManage
		calc   = access.PermBenefitCalc
		params = access.PermParamsRead
		padd   = access.PermParamsManage
	)
	return []route{
		// Probes and static files.
		{pattern: "GET /healthz", h: s.healthz},
		{pattern: "GET /readyz", h: s.readyz},
		{pattern: "GET /metrics", h: s.metricsPage},
		{pattern: "GET /static/{file}", h: s.static},

		// Back office.
		{pattern: "GET /login", h: s.loginForm},
		{pattern: "POST /login", h: s.loginSubmit},
		{pattern: "POST /logout", perm: in, h: s.logout},
		{pattern: "GET /{$}", perm: in, h: s.home},
		{pattern: "GET /account/password", perm: in, h: s.passwordForm},
		{pattern: "POST /account/password", perm: in, h: s.passwordChange},
		{pattern: "GET /employers", perm: read, h: s.employerList},
		{pattern: "GET /employers/new", perm: write, h: s.employerNew},
		{pattern: "POST /employers", perm: write, h: s.employerCreate},
		{pattern: "GET /employers/{id}", perm: read, obj: "employer", h: s.employerShow},
		{pattern: "GET /employers/{id}/edit", perm: write, obj: "employer", h: s.employerEdit},
		{pattern: "POST /employers/{id}", perm: write, obj: "employer", h: s.employerSave},
		{pattern: "GET /workers", perm: read, h: s.workerList},
		{pattern: "GET /workers/new", perm: write, h: s.workerNew},
		{pattern: "POST /workers", perm: write, h: s.workerCreate},
		{pattern: "GET /workers/{id}", perm: read, obj: "worker", h: s.workerShow},
		{pattern: "GET /workers/{id}/edit", perm: write, obj: "worker", h: s.workerEdit},
		{pattern: "POST /workers/{id}", perm: write, obj: "worker", h: s.workerSave},
		{pattern: "POST /workers/{id}/employments", perm: write, obj: "worker", h: s.employmentAdd},
		{pattern: "POST /workers/{id}/wages", perm: write, obj: "worker", h: s.wageRecord},
		{pattern: "POST /workers/{id}/employments/{eid}/end", perm: write, obj: "worker", h: s.employmentEnd},
		{pattern: "GET /import", perm: imp, h: s.importForm},
		{pattern: "POST /import", perm: imp, h: s.importSubmit},
		{pattern: "GET /import/template/{kind}", perm: imp, h: s.importTemplate},
		{pattern: "GET /calc", perm: calc, h: s.calcForm},
		{pattern: "POST /calc", perm: calc, h: s.calcSubmit},
		{pattern: "GET /deadlines", perm: calc, h: s.deadlineForm},
		{pattern: "POST /deadlines", perm: calc, h: s.deadlineSubmit},
		{pattern: "GET /params", perm: params, h: s.paramList},
		{pattern: "POST /params", perm: padd, h: s.paramAdd},
		{pattern: "GET /audit", perm: audit, h: s.auditList},
		{pattern: "GET /users", perm: users, h: s.userList},
		{pattern: "POST /users", perm: users, h: s.userCreate},
		{pattern: "POST /users/{id}/disable", perm: users, obj: "user", h: s.userDisable},
		{pattern: "POST /users/{id}/enable", perm: users, obj: "user", h: s.userEnable},
		{pattern: "POST /users/{id}/password", perm: users, obj: "user", h: s.userResetPassword},
		{pattern: "POST /users/{id}/unlock", perm: users, obj: "user", h: s.userUnlock},

		// JSON API.
		{pattern: "GET /api/v1/openapi.json", api: true, h: s.openapi},
		{pattern: "POST /api/v1/session", api: true, h: s.apiLogin, doc: docLogin},
		{pattern: "DELETE /api/v1/session", perm: in, api: true, h: s.apiLogout, doc: docLogout},
		{pattern: "GET /api/v1/me", perm: in, api: true, h: s.apiMe, doc: docMe},
		{pattern: "GET /api/v1/regions", perm: in, api: true, h: s.apiRegions, doc: docRegions},
		{pattern: "GET /api/v1/industries", perm: in, api: true, h: s.apiIndustries, doc: docIndustries},
		{pattern: "GET /api/v1/employers", perm: read, api: true, h: s.apiEmployerList, doc: docEmployerList},
		{pattern: "POST /api/v1/employers", perm: write, api: true, h: s.apiEmployerCreate, doc: docEmployerCreate},
		{pattern: "GET /api/v1/employers/{id}", perm: read, api: true, obj: "employer", h: s.apiEmployerGet, doc: docEmployerGet},
		{pattern: "PATCH /api/v1/employers/{id}", perm: write, api: true, obj: "employer", h: s.apiEmployerUpdate, doc: docEmployerUpdate},
		{pattern: "GET /api/v1/workers", perm: read, api: true, h: s.apiWorkerList, doc: docWorkerList},
		{pattern: "POST /api/v1/workers", perm: write, api: true, h: s.apiWorkerCreate, doc: docWorkerCreate},
		{pattern: "GET /api/v1/workers/{id}", perm: read, api: true, obj: "worker", h: s.apiWorkerGet, doc: docWorkerGet},
		{pattern: "PATCH /api/v1/workers/{id}", perm: write, api: true, obj: "worker", h: s.apiWorkerUpdate, doc: docWorkerUpdate},
		{pattern: "GET /api/v1/workers/{id}/employments", perm: read, api: true, obj: "worker", h: s.apiEmployments, doc: docEmployments},
		{pattern: "POST /api/v1/workers/{id}/employments", perm: write, api: true, obj: "worker", h: s.apiEmploymentAdd, doc: docEmploymentAdd},
		{pattern: "GET /api/v1/workers/{id}/wages", perm: read, api: true, obj: "worker", h: s.apiWages, doc: docWages},
		{pattern: "PUT /api/v1/workers/{id}/wages", perm: write, api: true, obj: "worker", h: s.apiWagesRecord, doc: docWagesRecord},
		{pattern: "POST /api/v1/imports", perm: imp, api: true, h: s.apiImport, doc: docImport},
		{pattern: "POST /api/v1/calc", perm: calc, api: true, h: s.apiCalc, doc: docCalc},
		{pattern: "GET /api/v1/params", perm: params, api: true, h: s.apiParams, doc: docParams},
		{pattern: "POST /api/v1/params", perm: padd, api: true, h: s.apiParamAdd, doc: docParamAdd},
		{pattern: "GET /api/v1/audit", perm: audit, api: true, h: s.apiAudit, doc: docAudit},
		{pattern: "GET /api/v1/users", perm: users, api: true, h: s.apiUsers, doc: docUsers},
		{pattern: "POST /api/v1/users", perm: users, api: true, h: s.apiUserCreate, doc: docUserCreate},
		{pattern: "POST /api/v1/users/{id}/password", perm: users, api: true, obj: "user", h: s.apiUserResetPassword, doc: docUserResetPassword},
		{pattern: "POST /api/v1/users/{id}/unlock", perm: users, api: true, obj: "user", h: s.apiUserUnlock, doc: docUserUnlock},

		// Anything else.
		{pattern: "/api/", api: true, h: notFound},
		{pattern: "/", h: notFound},
	}
}
