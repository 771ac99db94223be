package backoffice

import (
	"gongshang/internal/access"
	"gongshang/internal/blob"
	"gongshang/internal/web"
)

// routeTable lists every route of the back office, in one place. Region
// scope is enforced by the shared pipeline (web.Route.Obj): an {id}
// outside the user's region subtree is refused before any handler runs;
// lists and creations are scoped by the store, which takes the
// principal's scope on every call.
func (s *Server) routeTable() []web.Route {
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
		cread  = access.PermCaseRead
		copen  = access.PermCaseOpen
		sread  = access.PermSettleRead
		inst   = access.PermInstitutions
		catimp = access.PermCatalogueManage
		filing = access.PermFilingManage
		pread  = access.PermPayrollRead
		prep   = access.PermPayrollPrepare
		papp   = access.PermPayrollApprove
		vread  = access.PermSupervisionRead
		vscr   = access.PermSupervisionScreen
		vrev   = access.PermSupervisionReview
		vrule  = access.PermSupervisionRules
		wread  = access.PermPreventionRead
		wprep  = access.PermPreventionPrepare
		wapp   = access.PermPreventionApprove
	)
	return []web.Route{
		{Pattern: "GET /static/{file}", H: s.static},
		{Pattern: "GET /login", H: s.loginForm},
		{Pattern: "POST /login", H: s.loginSubmit},
		{Pattern: "POST /logout", Perm: in, H: s.logout},
		{Pattern: "GET /{$}", Perm: in, H: s.home},
		{Pattern: "GET /account/password", Perm: in, H: s.passwordForm},
		{Pattern: "POST /account/password", Perm: in, H: s.passwordChange},
		{Pattern: "GET /employers", Perm: read, H: s.employerList},
		{Pattern: "GET /employers/new", Perm: write, H: s.employerNew},
		{Pattern: "POST /employers", Perm: write, H: s.employerCreate},
		{Pattern: "GET /employers/{id}", Perm: read, Obj: "employer", H: s.employerShow},
		{Pattern: "GET /employers/{id}/edit", Perm: write, Obj: "employer", H: s.employerEdit},
		{Pattern: "POST /employers/{id}", Perm: write, Obj: "employer", H: s.employerSave},
		{Pattern: "GET /workers", Perm: read, H: s.workerList},
		{Pattern: "GET /workers/new", Perm: write, H: s.workerNew},
		{Pattern: "POST /workers", Perm: write, H: s.workerCreate},
		{Pattern: "GET /workers/{id}", Perm: read, Obj: "worker", H: s.workerShow},
		{Pattern: "GET /workers/{id}/edit", Perm: write, Obj: "worker", H: s.workerEdit},
		{Pattern: "POST /workers/{id}", Perm: write, Obj: "worker", H: s.workerSave},
		{Pattern: "POST /workers/{id}/employments", Perm: write, Obj: "worker", H: s.employmentAdd},
		{Pattern: "POST /workers/{id}/wages", Perm: write, Obj: "worker", H: s.wageRecord},
		{Pattern: "POST /workers/{id}/employments/{eid}/end", Perm: write, Obj: "worker", H: s.employmentEnd},
		{Pattern: "GET /cases", Perm: cread, H: s.caseQueue},
		{Pattern: "GET /cases/new", Perm: copen, H: s.caseNew},
		{Pattern: "GET /cases/dashboard", Perm: cread, H: s.caseDashboard},
		{Pattern: "POST /cases", Perm: copen, H: s.caseCreate},
		{Pattern: "GET /cases/{id}", Perm: cread, Obj: "case", H: s.caseShow},
		// Each change checks the role's permission for what it does (the
		// store and casebundle); reading the case is the route's.
		{Pattern: "POST /cases/{id}/services/{sid}/actions", Perm: cread, Obj: "case", H: s.caseAct},
		{Pattern: "POST /cases/{id}/services/{sid}/claim", Perm: cread, Obj: "case", H: s.caseClaim},
		{Pattern: "POST /cases/{id}/procedure", Perm: access.PermCaseRecognize, Obj: "case", H: s.caseProcedure},
		{Pattern: "POST /cases/{id}/services", Perm: cread, Obj: "case", H: s.caseAddService},
		{Pattern: "POST /cases/{id}/files", Perm: cread, Obj: "case", H: s.caseUpload},
		{Pattern: "GET /cases/{id}/files/{fid}", Perm: cread, Obj: "case", H: s.caseFile},
		{Pattern: "GET /cases/{id}/letters/{lid}", Perm: cread, Obj: "case", H: s.caseLetter},
		{Pattern: "POST /workers/{id}/portal-code", Perm: access.PermCaseOpen, Obj: "worker", H: s.portalCode("worker")},
		{Pattern: "POST /employers/{id}/portal-code", Perm: access.PermCaseOpen, Obj: "employer", H: s.portalCode("employer")},
		// Direct settlement's registers: institutions, catalogues, filings.
		{Pattern: "GET /institutions", Perm: sread, H: s.institutionList},
		{Pattern: "GET /institutions/new", Perm: inst, H: s.institutionNew},
		{Pattern: "POST /institutions", Perm: inst, H: s.institutionCreate},
		{Pattern: "GET /institutions/{id}", Perm: sread, Obj: "institution", H: s.institutionShow},
		{Pattern: "GET /institutions/{id}/edit", Perm: inst, Obj: "institution", H: s.institutionEdit},
		{Pattern: "POST /institutions/{id}", Perm: inst, Obj: "institution", H: s.institutionSave},
		{Pattern: "POST /institutions/{id}/status", Perm: inst, Obj: "institution", H: s.institutionStatus},
		{Pattern: "POST /institutions/{id}/token", Perm: inst, Obj: "institution", H: s.institutionToken},
		{Pattern: "GET /catalogue", Perm: sread, H: s.catalogueList},
		{Pattern: "GET /catalogue/import", Perm: catimp, H: s.catalogueImportForm},
		{Pattern: "POST /catalogue/import", Perm: catimp, H: s.catalogueImportSubmit},
		{Pattern: "GET /catalogue/import/errors/{token}", Perm: catimp, H: s.catalogueImportErrors},
		{Pattern: "GET /catalogue/template/{kind}", Perm: catimp, H: s.catalogueTemplate},
		{Pattern: "GET /filings", Perm: sread, H: s.filingList},
		{Pattern: "POST /workers/{id}/filings", Perm: filing, Obj: "worker", H: s.filingCreate},
		{Pattern: "POST /filings/{id}/cancel", Perm: filing, Obj: "filing", H: s.filingCancel},
		{Pattern: "GET /encounters", Perm: access.PermSettleRead, H: s.encounterList},
		{Pattern: "GET /settlements", Perm: access.PermSettleRead, H: s.settlementList},
		{Pattern: "GET /settlements/{id}", Perm: access.PermSettleRead, Obj: "settlement", H: s.settlementShow},
		{Pattern: "GET /reconciliation", Perm: access.PermSettleRead, H: s.reconciliation},
		{Pattern: "GET /findings", Perm: access.PermFindingReview, H: s.findingList},
		{Pattern: "POST /findings/{id}/review", Perm: access.PermFindingReview, Obj: "finding", H: s.findingReview},
		{Pattern: "GET /clearing", Perm: access.PermSettleRead, H: s.clearingList},
		{Pattern: "POST /clearing", Perm: access.PermClearing, H: s.clearingClose},
		{Pattern: "GET /clearing/{id}", Perm: access.PermSettleRead, Obj: "statement", H: s.statementShow},
		{Pattern: "GET /import", Perm: imp, H: s.importForm},
		{Pattern: "POST /import", Perm: imp, H: s.importSubmit},
		{Pattern: "GET /import/template/{kind}", Perm: imp, H: s.importTemplate},
		{Pattern: "GET /import/errors/{token}", Perm: imp, H: s.importErrors},
		{Pattern: "GET /import/progress/{pid}", Perm: imp, H: s.importProgressShow},
		{Pattern: "GET /import/progress.js", Perm: imp, H: s.importScript},
		{Pattern: "GET /calc", Perm: calc, H: s.calcForm},
		{Pattern: "POST /calc", Perm: calc, H: s.calcSubmit},
		{Pattern: "GET /deadlines", Perm: calc, H: s.deadlineForm},
		{Pattern: "POST /deadlines", Perm: calc, H: s.deadlineSubmit},
		{Pattern: "GET /params", Perm: params, H: s.paramList},
		{Pattern: "POST /params", Perm: padd, H: s.paramAdd},
		{Pattern: "GET /audit", Perm: audit, H: s.auditList},
		{Pattern: "GET /users", Perm: users, H: s.userList},
		{Pattern: "POST /users", Perm: users, H: s.userCreate},
		{Pattern: "POST /users/{id}/disable", Perm: users, Obj: "user", H: s.userDisable},
		{Pattern: "POST /users/{id}/enable", Perm: users, Obj: "user", H: s.userEnable},
		{Pattern: "POST /users/{id}/password", Perm: users, Obj: "user", H: s.userResetPassword},
		{Pattern: "POST /users/{id}/unlock", Perm: users, Obj: "user", H: s.userUnlock},
		{Pattern: "POST /users/{id}/role", Perm: users, Obj: "user", H: s.userAssign},
		// The payroll (待遇发放): the dashboard, a cycle's page and its
		// moves (the store checks who may make each: the preparer submits,
		// another officer approves), bank files and returns, a line's moves,
		// the beneficiary's page and its forms, adjustments.
		{Pattern: "GET /payroll", Perm: pread, H: s.payrollDashboard},
		{Pattern: "POST /payroll/cycles", Perm: prep, H: s.payrollOpen},
		{Pattern: "GET /payroll/cycles/{id}", Perm: pread, Obj: "payroll_cycle", H: s.cycleShow},
		{Pattern: "POST /payroll/cycles/{id}/actions", Perm: pread, Obj: "payroll_cycle", H: s.cycleAct},
		{Pattern: "POST /payroll/cycles/{id}/bankfiles", Perm: prep, Obj: "payroll_cycle", H: s.cycleGenerate},
		{Pattern: "GET /payroll/batches/{id}/file", Perm: prep, Obj: "payroll_batch", H: s.batchDownload},
		{Pattern: "POST /payroll/batches/{id}/sent", Perm: prep, Obj: "payroll_batch", H: s.batchSent},
		{Pattern: "POST /payroll/batches/{id}/return", Perm: prep, Obj: "payroll_batch", H: s.batchReturn},
		{Pattern: "POST /payroll/lines/{id}/hold", Perm: prep, Obj: "payroll_line", H: s.lineMove("hold")},
		{Pattern: "POST /payroll/lines/{id}/release", Perm: prep, Obj: "payroll_line", H: s.lineMove("release")},
		{Pattern: "POST /payroll/lines/{id}/reissue", Perm: prep, Obj: "payroll_line", H: s.lineMove("reissue")},
		{Pattern: "POST /payroll/lines/{id}/explain", Perm: prep, Obj: "payroll_line", H: s.lineMove("explain")},
		{Pattern: "GET /payroll/workers/{id}", Perm: pread, Obj: "worker", H: s.payeeShow},
		{Pattern: "POST /payroll/workers/{id}/events", Perm: prep, Obj: "worker", H: s.payeeEvent},
		{Pattern: "POST /payroll/workers/{id}/legacy", Perm: prep, Obj: "worker", H: s.payeeLegacy},
		{Pattern: "POST /payroll/workers/{id}/survivors", Perm: prep, Obj: "worker", H: s.payeeSurvivors},
		{Pattern: "POST /payroll/workers/{id}/recoveries", Perm: prep, Obj: "worker", H: s.payeeRecovery},
		{Pattern: "POST /payroll/entitlements/{id}/account", Perm: prep, Obj: "entitlement", H: s.entitlementAccount},
		{Pattern: "POST /payroll/recoveries/{id}/settle", Perm: prep, Obj: "payroll_recovery", H: s.recoverySettle},
		{Pattern: "GET /payroll/adjustments", Perm: pread, H: s.adjustmentList},
		{Pattern: "POST /payroll/adjustments/preview", Perm: prep, H: s.adjustmentPreview},
		{Pattern: "POST /payroll/adjustments", Perm: prep, H: s.adjustmentPrepare},
		{Pattern: "GET /payroll/adjustments/{id}", Perm: pread, Obj: "payroll_adjustment", H: s.adjustmentShow},
		{Pattern: "POST /payroll/adjustments/{id}/decide", Perm: papp, Obj: "payroll_adjustment", H: s.adjustmentDecide},

		// Fund supervision (基金监管): extracts and scans, a scan's leads
		// with their evidence and review, the ranking, the rule base.
		{Pattern: "GET /supervision", Perm: vread, H: s.supervisionHome},
		{Pattern: "POST /supervision/extracts", Perm: vscr, H: s.extractUpload, MaxBodyBytes: maxExtractUpload},
		{Pattern: "POST /supervision/scans", Perm: vscr, H: s.scanStart},
		{Pattern: "GET /supervision/scans/{id}", Perm: vread, Obj: "audit_scan", H: s.scanShow},
		{Pattern: "GET /supervision/scans/{id}/ranking", Perm: vread, Obj: "audit_scan", H: s.scanRanking},
		{Pattern: "GET /supervision/leads/{id}", Perm: vread, Obj: "lead", H: s.leadShow},
		{Pattern: "POST /supervision/leads/{id}/review", Perm: vrev, Obj: "lead", H: s.leadReview},
		{Pattern: "GET /supervision/rules", Perm: vread, H: s.ruleList},
		{Pattern: "POST /supervision/rules", Perm: vrule, H: s.ruleSet},
		{Pattern: "GET /supervision/dashboard", Perm: vread, H: s.supervisionDashboard},
		// Field audits (稽核): campaigns planned from a scan, the inspector
		// pool, teams drawn by lot, findings walked to recovery, sanctions.
		{Pattern: "GET /supervision/campaigns", Perm: vread, H: s.campaignList},
		{Pattern: "POST /supervision/campaigns", Perm: vrev, H: s.campaignPlan},
		{Pattern: "POST /supervision/inspectors", Perm: vrev, H: s.inspectorAdd},
		{Pattern: "GET /supervision/campaigns/{id}", Perm: vread, Obj: "campaign", H: s.campaignShow},
		{Pattern: "POST /supervision/campaigns/{id}/draw", Perm: vrev, Obj: "campaign", H: s.campaignDraw},
		{Pattern: "POST /supervision/campaigns/{id}/sanctions", Perm: vrev, Obj: "campaign", H: s.campaignSanction},
		{Pattern: "POST /supervision/visits/{id}/findings", Perm: vrev, Obj: "visit", H: s.visitFinding},
		{Pattern: "GET /supervision/visits/{id}/pack.pdf", Perm: vread, Obj: "visit", H: s.visitPackPDF},
		{Pattern: "GET /supervision/visits/{id}/pack.xlsx", Perm: vread, Obj: "visit", H: s.visitPackXLSX},
		{Pattern: "GET /supervision/visits/{id}/letters/{file}", Perm: vread, Obj: "visit", H: s.visitLetter},      // feedback.pdf | notice.pdf
		{Pattern: "POST /supervision/visits/{id}/letters/{kind}", Perm: vrev, Obj: "visit", H: s.visitLetterIssue}, // feedback | notice
		{Pattern: "GET /supervision/audit-letters/{id}", Perm: vread, Obj: "audit_letter", H: s.auditLetterFile},
		{Pattern: "POST /supervision/field-findings/{id}/act", Perm: vrev, Obj: "field_finding", H: s.fieldFindingAct},
		{Pattern: "POST /supervision/field-findings/{id}/recoveries", Perm: vrev, Obj: "field_finding", H: s.fieldFindingRecovery},
		{Pattern: "POST /supervision/field-findings/{id}/settle", Perm: vrev, Obj: "field_finding", H: s.fieldFindingSettle},
		{Pattern: "POST /supervision/field-findings/{id}/referrals", Perm: vrev, Obj: "field_finding", H: s.fieldFindingRefer},
		{Pattern: "POST /supervision/campaigns/{id}/close", Perm: vrev, Obj: "campaign", H: s.campaignClose},
		{Pattern: "POST /supervision/inspectors/{id}/retire", Perm: vrev, Obj: "inspector", H: s.inspectorRetire},
		{Pattern: "GET /supervision/visits/{id}", Perm: vread, Obj: "visit", H: s.visitShow},
		// Work-injury prevention (工伤预防): the section's home, the city's
		// year, the counties' plans through review and change, the key
		// industries. Approving is the city's (the store checks the region).
		{Pattern: "GET /prevention", Perm: wread, H: s.preventionHome},
		{Pattern: "GET /prevention/year", Perm: wread, H: s.preventionYearShow},
		{Pattern: "POST /prevention/year", Perm: wapp, H: s.preventionYearSave},
		{Pattern: "GET /prevention/plans", Perm: wread, H: s.preventionPlanList},
		{Pattern: "POST /prevention/plans", Perm: wprep, H: s.preventionPlanCreate},
		{Pattern: "GET /prevention/plans/{id}", Perm: wread, Obj: "prevention_plan", H: s.preventionPlanShow},
		{Pattern: "POST /prevention/plans/{id}/projects", Perm: wprep, Obj: "prevention_plan", H: s.preventionProjectSave},
		{Pattern: "POST /prevention/plans/{id}/projects/{pid}/remove", Perm: wprep, Obj: "prevention_plan", H: s.preventionProjectRemove},
		{Pattern: "POST /prevention/plans/{id}/submit", Perm: wprep, Obj: "prevention_plan", H: s.preventionPlanSubmit},
		{Pattern: "POST /prevention/plans/{id}/review", Perm: wapp, Obj: "prevention_plan", H: s.preventionPlanReview},
		{Pattern: "POST /prevention/plans/{id}/changes", Perm: wprep, Obj: "prevention_plan", H: s.preventionChangeRequest},
		{Pattern: "POST /prevention/changes/{id}/decide", Perm: wapp, Obj: "prevention_change", H: s.preventionChangeDecide},
		{Pattern: "GET /prevention/industries", Perm: wread, H: s.preventionIndustries},
		{Pattern: "POST /prevention/industries/focus", Perm: wapp, H: s.preventionFocusAdopt},
		{Pattern: "POST /supervision/visits/{id}/visited", Perm: vrev, Obj: "visit", H: s.visitVisited},
		{Pattern: "POST /supervision/visits/{id}/close", Perm: vrev, Obj: "visit", H: s.visitClose},
		{Pattern: "POST /supervision/visits/{id}/evidence", Perm: vscr, Obj: "visit", H: s.visitEvidenceAdd},
		{Pattern: "GET /supervision/evidence/{id}", Perm: vread, Obj: "evidence", H: s.evidenceFile},
		// Prevention trainings: sessions with their attendance, archive and
		// evaluation, and the projects' payments (maker-checker). The public
		// check-in is the portal's (/portal/checkin/{token}).
		{Pattern: "GET /prevention/dashboard", Perm: wread, H: s.preventionDashboard},
		{Pattern: "GET /prevention/evaluation-form", Perm: wread, H: s.evaluationForm},
		{Pattern: "POST /prevention/evaluation-form", Perm: wapp, H: s.evaluationFormSet},
		{Pattern: "POST /prevention/targets", Perm: wapp, H: s.preventionTargetAdd},
		{Pattern: "GET /prevention/sessions", Perm: wread, H: s.sessionList},
		{Pattern: "POST /prevention/sessions", Perm: wprep, H: s.sessionCreate},
		{Pattern: "GET /prevention/sessions/{id}", Perm: wread, Obj: "training_session", H: s.sessionShow},
		{Pattern: "POST /prevention/sessions/{id}", Perm: wprep, Obj: "training_session", H: s.sessionSave},
		{Pattern: "POST /prevention/sessions/{id}/held", Perm: wprep, Obj: "training_session", H: s.sessionHeld},
		{Pattern: "POST /prevention/sessions/{id}/close", Perm: wprep, Obj: "training_session", H: s.sessionClose},
		{Pattern: "POST /prevention/sessions/{id}/cancel", Perm: wprep, Obj: "training_session", H: s.sessionCancel},
		{Pattern: "POST /prevention/sessions/{id}/roster", Perm: wprep, Obj: "training_session", H: s.sessionRoster},
		{Pattern: "POST /prevention/sessions/{id}/attendance", Perm: wprep, Obj: "training_session", H: s.sessionAttendee},
		{Pattern: "POST /prevention/sessions/{id}/archive", Perm: wprep, Obj: "training_session", H: s.sessionArchive, MaxBodyBytes: blob.MaxMediaBytes + 1<<20},
		{Pattern: "POST /prevention/sessions/{id}/checklist", Perm: wprep, Obj: "training_session", H: s.sessionChecklist},
		{Pattern: "POST /prevention/sessions/{id}/questionnaire", Perm: wprep, Obj: "training_session", H: s.sessionQuestionnaire},
		{Pattern: "GET /prevention/archive/{id}", Perm: wread, Obj: "training_archive", H: s.archiveFile},
		{Pattern: "GET /prevention/payments", Perm: wread, H: s.paymentList},
		{Pattern: "POST /prevention/projects/{id}/payments", Perm: wprep, Obj: "training_project", H: s.paymentPrepare},
		{Pattern: "POST /prevention/projects/{id}/accept", Perm: wapp, Obj: "training_project", H: s.projectAccept},
		{Pattern: "POST /prevention/payments/{id}/approve", Perm: wapp, Obj: "training_payment", H: s.paymentApprove},
		{Pattern: "POST /prevention/payments/{id}/return", Perm: wapp, Obj: "training_payment", H: s.paymentReturn},
		{Pattern: "POST /supervision/field-findings/{id}/points", Perm: vrev, Obj: "field_finding", H: s.fieldFindingPoints},
		{Pattern: "GET /supervision/clinicians", Perm: vread, H: s.clinicianList},
		{Pattern: "GET /supervision/institutions/{code}", Perm: vread, H: s.auditedInstitutionShow},
		// Prevention (工伤预防): the expert pool and its courseware. The
		// store decides who keeps the pool (the city) and who decides
		// (Approve: status and courseware review).
		{Pattern: "GET /prevention/experts", Perm: wread, H: s.expertList},
		{Pattern: "POST /prevention/experts", Perm: wprep, H: s.expertCreate},
		{Pattern: "GET /prevention/experts/{id}", Perm: wread, Obj: "prevention_expert", H: s.expertShow},
		{Pattern: "POST /prevention/experts/{id}", Perm: wprep, Obj: "prevention_expert", H: s.expertSave},
		{Pattern: "POST /prevention/experts/{id}/status", Perm: wapp, Obj: "prevention_expert", H: s.expertStatus},
		{Pattern: "POST /prevention/experts/{id}/courseware", Perm: wprep, Obj: "prevention_expert", H: s.coursewareUpload, MaxBodyBytes: maxCoursewareUpload},
		{Pattern: "GET /prevention/courseware/{id}", Perm: wread, Obj: "prevention_courseware", H: s.coursewareFile},
		{Pattern: "POST /prevention/courseware/{id}/review", Perm: wapp, Obj: "prevention_courseware", H: s.coursewareReview},

		// Anything else.
		{Pattern: "/", H: web.NotFound},
	}
}
