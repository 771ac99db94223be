package api

import (
	"gongshang/internal/access"
	"gongshang/internal/web"
)

// route is a web.Route with its OpenAPI description.
type route struct {
	web.Route
	doc *apiDoc
}

// routeTable lists every route of the API, in one place.
func (s *Server) routeTable() []route {
	const (
		in      = access.PermSignedIn
		read    = access.PermRegistryRead
		write   = access.PermRegistryWrite
		imp     = access.PermRegistryImport
		audit   = access.PermAuditRead
		users   = access.PermUsersManage
		calc    = access.PermBenefitCalc
		params  = access.PermParamsRead
		padd    = access.PermParamsManage
		cread   = access.PermCaseRead
		copen   = access.PermCaseOpen
		crecog  = access.PermCaseRecognize
		cassess = access.PermCaseAssess
		cben    = access.PermCaseBenefit
		sread   = access.PermSettleRead
		inst    = access.PermInstitutions
		catimp  = access.PermCatalogueManage
		filing  = access.PermFilingManage
	)
	return []route{
		{web.Route{Pattern: "GET /api/v1/openapi.json", H: s.openapi}, nil},
		{web.Route{Pattern: "POST /api/v1/session", H: s.apiLogin}, docLogin},
		{web.Route{Pattern: "DELETE /api/v1/session", Perm: in, H: s.apiLogout}, docLogout},
		{web.Route{Pattern: "GET /api/v1/me", Perm: in, H: s.apiMe}, docMe},
		{web.Route{Pattern: "GET /api/v1/regions", Perm: in, H: s.apiRegions}, docRegions},
		{web.Route{Pattern: "GET /api/v1/industries", Perm: in, H: s.apiIndustries}, docIndustries},
		{web.Route{Pattern: "GET /api/v1/employers", Perm: read, H: s.apiEmployerList}, docEmployerList},
		{web.Route{Pattern: "POST /api/v1/employers", Perm: write, H: s.apiEmployerCreate}, docEmployerCreate},
		{web.Route{Pattern: "GET /api/v1/employers/{id}", Perm: read, Obj: "employer", H: s.apiEmployerGet}, docEmployerGet},
		{web.Route{Pattern: "PATCH /api/v1/employers/{id}", Perm: write, Obj: "employer", H: s.apiEmployerUpdate}, docEmployerUpdate},
		{web.Route{Pattern: "GET /api/v1/workers", Perm: read, H: s.apiWorkerList}, docWorkerList},
		{web.Route{Pattern: "POST /api/v1/workers", Perm: write, H: s.apiWorkerCreate}, docWorkerCreate},
		{web.Route{Pattern: "GET /api/v1/workers/{id}", Perm: read, Obj: "worker", H: s.apiWorkerGet}, docWorkerGet},
		{web.Route{Pattern: "PATCH /api/v1/workers/{id}", Perm: write, Obj: "worker", H: s.apiWorkerUpdate}, docWorkerUpdate},
		{web.Route{Pattern: "GET /api/v1/workers/{id}/employments", Perm: read, Obj: "worker", H: s.apiEmployments}, docEmployments},
		{web.Route{Pattern: "POST /api/v1/workers/{id}/employments", Perm: write, Obj: "worker", H: s.apiEmploymentAdd}, docEmploymentAdd},
		{web.Route{Pattern: "GET /api/v1/workers/{id}/wages", Perm: read, Obj: "worker", H: s.apiWages}, docWages},
		{web.Route{Pattern: "PUT /api/v1/workers/{id}/wages", Perm: write, Obj: "worker", H: s.apiWagesRecord}, docWagesRecord},
		{web.Route{Pattern: "POST /api/v1/imports", Perm: imp, H: s.apiImport}, docImport},
		{web.Route{Pattern: "POST /api/v1/calc", Perm: calc, H: s.apiCalc}, docCalc},
		{web.Route{Pattern: "GET /api/v1/params", Perm: params, H: s.apiParams}, docParams},
		{web.Route{Pattern: "POST /api/v1/params", Perm: padd, H: s.apiParamAdd}, docParamAdd},
		{web.Route{Pattern: "GET /api/v1/cases", Perm: cread, H: s.apiCaseQueue}, docCaseQueue},
		{web.Route{Pattern: "GET /api/v1/encounters", Perm: access.PermSettleRead, H: s.apiEncounterList}, docEncounterList},
		{web.Route{Pattern: "GET /api/v1/settlements", Perm: access.PermSettleRead, H: s.apiSettlementList}, docSettlementList},
		{web.Route{Pattern: "GET /api/v1/settlements/{id}", Perm: access.PermSettleRead, Obj: "settlement", H: s.apiSettlementGet}, docSettlementGet},
		{web.Route{Pattern: "GET /api/v1/findings", Perm: access.PermFindingReview, H: s.apiFindingList}, docFindingList},
		{web.Route{Pattern: "POST /api/v1/findings/{id}/review", Perm: access.PermFindingReview, Obj: "finding", H: s.apiFindingReview}, docFindingReview},
		{web.Route{Pattern: "GET /api/v1/rule-stats", Perm: access.PermSettleRead, H: s.apiRuleStats}, docRuleStats},
		{web.Route{Pattern: "GET /api/v1/clearing", Perm: access.PermSettleRead, H: s.apiStatementList}, docStatementList},
		{web.Route{Pattern: "POST /api/v1/clearing", Perm: access.PermClearing, H: s.apiClearingClose}, docClearingClose},
		{web.Route{Pattern: "GET /api/v1/dashboard/cases", Perm: cread, H: s.apiCaseDashboard}, docCaseDashboard},
		{web.Route{Pattern: "POST /api/v1/cases", Perm: copen, H: s.apiCaseOpen}, docCaseOpen},
		{web.Route{Pattern: "GET /api/v1/case-numbers/{number}", Perm: cread, H: s.apiCaseByNumber}, docCaseByNumber},
		{web.Route{Pattern: "GET /api/v1/cases/{id}", Perm: cread, Obj: "case", H: s.apiCaseGet}, docCaseGet},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/services/{sid}/actions", Perm: cread, Obj: "case", H: s.apiCaseAct}, docCaseAct},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/services/{sid}/claim", Perm: cread, Obj: "case", H: s.apiCaseClaim}, docCaseClaim},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/services/{sid}/panel", Perm: cassess, Obj: "case", H: s.apiCasePanel}, docCasePanel},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/services/{sid}/panel-draws", Perm: cread, Obj: "case", H: s.apiCasePanelDraws}, docCasePanelDraws},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/benefit-proposal", Perm: cben, Obj: "case", H: s.apiCaseProposal}, docCaseProposal},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/entitlements", Perm: cread, Obj: "case", H: s.apiCaseEntitlements}, docCaseEntitlements},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/procedure", Perm: crecog, Obj: "case", H: s.apiCaseProcedure}, docCaseProcedure},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/services", Perm: cread, Obj: "case", H: s.apiCaseAddService}, docCaseAddService},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/files", Perm: cread, Obj: "case", H: s.apiCaseFiles}, docCaseFiles},
		{web.Route{Pattern: "POST /api/v1/cases/{id}/files", Perm: cread, Obj: "case", H: s.apiCaseUpload}, docCaseUpload},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/files/{fid}", Perm: cread, Obj: "case", H: s.apiCaseFile}, docCaseFile},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/letters", Perm: cread, Obj: "case", H: s.apiCaseLetters}, docCaseLetters},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/letters/{lid}", Perm: cread, Obj: "case", H: s.apiCaseLetter}, docCaseLetter},
		{web.Route{Pattern: "GET /api/v1/cases/{id}/history", Perm: cread, Obj: "case", H: s.apiCaseHistory}, docCaseHistory},
		{web.Route{Pattern: "GET /api/v1/experts", Perm: cread, H: s.apiExperts}, docExperts},
		{web.Route{Pattern: "POST /api/v1/experts", Perm: cassess, H: s.apiExpertCreate}, docExpertCreate},
		{web.Route{Pattern: "GET /api/v1/institutions", Perm: sread, H: s.apiInstitutionList}, docInstitutionList},
		{web.Route{Pattern: "POST /api/v1/institutions", Perm: inst, H: s.apiInstitutionCreate}, docInstitutionCreate},
		{web.Route{Pattern: "GET /api/v1/institutions/{id}", Perm: sread, Obj: "institution", H: s.apiInstitutionGet}, docInstitutionGet},
		{web.Route{Pattern: "PATCH /api/v1/institutions/{id}", Perm: inst, Obj: "institution", H: s.apiInstitutionUpdate}, docInstitutionUpdate},
		{web.Route{Pattern: "POST /api/v1/institutions/{id}/token", Perm: inst, Obj: "institution", H: s.apiInstitutionToken}, docInstitutionToken},
		{web.Route{Pattern: "GET /api/v1/catalogue", Perm: sread, H: s.apiCatalogueList}, docCatalogueList},
		{web.Route{Pattern: "POST /api/v1/catalogue/imports", Perm: catimp, H: s.apiCatalogueImport}, docCatalogueImport},
		{web.Route{Pattern: "GET /api/v1/filings", Perm: sread, H: s.apiFilingList}, docFilingList},
		{web.Route{Pattern: "POST /api/v1/filings", Perm: filing, H: s.apiFilingCreate}, docFilingCreate},
		{web.Route{Pattern: "POST /api/v1/filings/{id}/cancel", Perm: filing, Obj: "filing", H: s.apiFilingCancel}, docFilingCancel},
		{web.Route{Pattern: "GET /api/v1/supervision/scans", Perm: access.PermSupervisionRead, H: s.apiScanList}, docScanList},
		{web.Route{Pattern: "POST /api/v1/supervision/scans", Perm: access.PermSupervisionScreen, H: s.apiScanStart}, docScanStart},
		{web.Route{Pattern: "GET /api/v1/supervision/scans/{id}", Perm: access.PermSupervisionRead, Obj: "audit_scan", H: s.apiScanGet}, docScanGet},
		{web.Route{Pattern: "GET /api/v1/supervision/scans/{id}/leads", Perm: access.PermSupervisionRead, Obj: "audit_scan", H: s.apiScanLeads}, docScanLeads},
		{web.Route{Pattern: "GET /api/v1/supervision/leads/{id}", Perm: access.PermSupervisionRead, Obj: "lead", H: s.apiLeadGet}, docLeadGet},
		{web.Route{Pattern: "POST /api/v1/supervision/leads/{id}/review", Perm: access.PermSupervisionReview, Obj: "lead", H: s.apiLeadReview}, docLeadReview},
		{web.Route{Pattern: "GET /api/v1/supervision/dashboard", Perm: access.PermSupervisionRead, H: s.apiSupervisionDash}, docSupervisionDash},
		{web.Route{Pattern: "GET /api/v1/payroll/cycles", Perm: access.PermPayrollRead, H: s.apiCycleList}, docCycleList},
		{web.Route{Pattern: "POST /api/v1/payroll/cycles", Perm: access.PermPayrollPrepare, H: s.apiCycleOpen}, docCycleOpen},
		{web.Route{Pattern: "GET /api/v1/payroll/cycles/{id}", Perm: access.PermPayrollRead, Obj: "payroll_cycle", H: s.apiCycleGet}, docCycleGet},
		{web.Route{Pattern: "POST /api/v1/payroll/cycles/{id}/actions", Perm: access.PermPayrollPrepare, Obj: "payroll_cycle", H: s.apiCycleAct}, docCycleAct},
		{web.Route{Pattern: "POST /api/v1/payroll/cycles/{id}/decision", Perm: access.PermPayrollApprove, Obj: "payroll_cycle", H: s.apiCycleDecide}, docCycleDecide},
		{web.Route{Pattern: "GET /api/v1/payroll/cycles/{id}/lines", Perm: access.PermPayrollRead, Obj: "payroll_cycle", H: s.apiCycleLines}, docCycleLines},
		{web.Route{Pattern: "POST /api/v1/payroll/events", Perm: access.PermPayrollPrepare, H: s.apiPayeeEvent}, docPayeeEvent},
		{web.Route{Pattern: "GET /api/v1/payroll/workers/{id}/entitlements", Perm: access.PermPayrollRead, Obj: "worker", H: s.apiWorkerEntitlements}, docWorkerEnts},
		{web.Route{Pattern: "POST /api/v1/payroll/adjustments/preview", Perm: access.PermPayrollRead, H: s.apiAdjustmentPreview}, docAdjPreview},
		{web.Route{Pattern: "POST /api/v1/payroll/adjustments", Perm: access.PermPayrollPrepare, H: s.apiAdjustmentPrepare}, docAdjPrepare},
		{web.Route{Pattern: "POST /api/v1/payroll/adjustments/{id}/decision", Perm: access.PermPayrollApprove, Obj: "payroll_adjustment", H: s.apiAdjustmentDecision}, docAdjDecision},
		{web.Route{Pattern: "GET /api/v1/audit", Perm: audit, H: s.apiAudit}, docAudit},
		{web.Route{Pattern: "GET /api/v1/users", Perm: users, H: s.apiUsers}, docUsers},
		{web.Route{Pattern: "POST /api/v1/users", Perm: users, H: s.apiUserCreate}, docUserCreate},
		{web.Route{Pattern: "POST /api/v1/users/{id}/password", Perm: users, Obj: "user", H: s.apiUserResetPassword}, docUserResetPassword},
		{web.Route{Pattern: "POST /api/v1/users/{id}/unlock", Perm: users, Obj: "user", H: s.apiUserUnlock}, docUserUnlock},

		// Anything else under /api/.
		{web.Route{Pattern: "/api/", H: web.NotFound}, nil},
	}
}
