// Package access decides who may do what, and where. Every staff user
// belongs to a region and sees and acts only within that region's subtree;
// Scope is the one place that rule lives, and the store applies it to every
// read and write. Pure logic, no I/O.
package access

import (
	"slices"
	"strings"
)

// Role is a staff role. Outside parties (designated institutions, employers,
// workers) are principals of other kinds (see Kind) without a role.
type Role string

// The staff roles.
const (
	RoleClerk       Role = "clerk"       // 窗口受理
	RoleRecognition Role = "recognition" // 工伤认定
	RoleAssessment  Role = "assessment"  // 劳动能力鉴定
	RoleBenefits    Role = "benefits"    // 待遇审核
	RoleAuditor     Role = "auditor"     // 基金稽核
	RolePrevention  Role = "prevention"  // 工伤预防
	RoleHotline     Role = "hotline"     // 12333 话务员
	RoleInsurer     Role = "insurer"     // 合作经办 (commercial insurer staff)
	RoleAdmin       Role = "admin"       // 系统管理
	// RoleCycleApprover approves or sends back a payroll cycle and batch
	// adjustments; it edits nothing (OpenG2P's cycle approver).
	RoleCycleApprover Role = "cycle_approver" // 待遇发放审批
)

// Roles lists every staff role in display order.
var Roles = []Role{RoleClerk, RoleRecognition, RoleAssessment, RoleBenefits, RoleAuditor, RolePrevention, RoleHotline, RoleInsurer, RoleAdmin, RoleCycleApprover}

var roleNames = map[Role]string{
	RoleClerk: "窗口受理", RoleRecognition: "工伤认定", RoleAssessment: "劳动能力鉴定",
	RoleBenefits: "待遇审核", RoleAuditor: "基金稽核", RolePrevention: "工伤预防",
	RoleHotline: "12333话务员", RoleInsurer: "合作经办", RoleAdmin: "系统管理", RoleCycleApprover: "待遇发放审批",
}

// Name is the Chinese label.
func (r Role) Name() string { return roleNames[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// Permission is one capability a route or action needs.
type Permission string

// The permissions. A route names exactly one.
const (
	PermSignedIn       Permission = "signed_in"       // any signed-in user
	PermRegistryRead   Permission = "registry.read"   // see employers and workers
	PermRegistryWrite  Permission = "registry.write"  // register and edit them
	PermRegistryImport Permission = "registry.import" // bulk import
	PermPersonalData   Permission = "personal.full"   // see ID numbers, phones, accounts in full
	PermAuditRead      Permission = "audit.read"      // read the audit log
	PermUsersManage    Permission = "users.manage"    // create and disable staff users
	PermParamsRead     Permission = "params.read"     // see legal parameters
	PermParamsManage   Permission = "params.manage"   // add parameter versions
	PermBenefitCalc    Permission = "benefit.calc"    // run benefit and deadline calculations

	PermCaseRead      Permission = "case.read"      // see 工伤一件事 cases and their materials
	PermCaseOpen      Permission = "case.open"      // open a case, upload materials, receive corrections (preparing)
	PermCaseRecognize Permission = "case.recognize" // decide on recognition: accept, investigate, suspend, decide, deliver
	PermCaseAssess    Permission = "case.assess"    // run assessments and confirmations: panel, exam, conclusion
	PermCaseBenefit   Permission = "case.benefit"   // pre-check and compute the benefit decision
	PermCaseApprove   Permission = "case.approve"   // approve a benefit decision someone else computed

	PermSettleRead      Permission = "settle.read"        // see institutions, catalogues, filings, encounters and settlements
	PermInstitutions    Permission = "institution.manage" // register institutions, issue and rotate interface credentials
	PermCatalogueManage Permission = "catalogue.manage"   // import the work-injury catalogues
	PermFilingManage    Permission = "filing.manage"      // file, change and cancel remote-treatment filings
	PermFindingReview   Permission = "finding.review"     // review suspicious settlement findings
	PermClearing        Permission = "settle.clear"       // draw up monthly clearing statements

	PermPayrollRead    Permission = "payroll.read"    // see payroll cycles, lines, entitlements and their history
	PermPayrollPrepare Permission = "payroll.prepare" // open and prepare cycles, hold lines, bank files, returns, entitlement events, adjustments, recoveries
	PermPayrollApprove Permission = "payroll.approve" // approve or send back a cycle or an adjustment someone else prepared

	PermSupervisionRead   Permission = "supervision.read"   // see extracts, scans, findings, rankings, rule hit statistics
	PermSupervisionScreen Permission = "supervision.screen" // import settlement extracts and run screening scans (data pre-check)
	PermSupervisionRules  Permission = "supervision.rules"  // tune a rule's parameters or switch it off
	PermSupervisionReview Permission = "supervision.review" // confirm or dismiss screening leads (not the insurer's staff)

	PermPreventionRead    Permission = "prevention.read"    // see prevention plans, experts, trainings, payments and the KPIs
	PermPreventionPrepare Permission = "prevention.prepare" // draft and submit plans, record sessions, attendance, archive and evaluations, prepare payments
	PermPreventionApprove Permission = "prevention.approve" // review and approve plans and changes, the year's budget, experts' status and courseware, approve payments (not the insurer's staff)
)

// grants is the role → permission matrix. The commercial insurer's staff
// read and assist only, and never see personal data in full.
var grants = map[Role][]Permission{
	RoleClerk:         {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermPersonalData, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseOpen, PermSettleRead, PermFilingManage},
	RoleRecognition:   {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseOpen, PermCaseRecognize, PermSettleRead},
	RoleAssessment:    {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseAssess},
	RoleBenefits:      {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseBenefit, PermCaseApprove, PermSettleRead, PermFilingManage, PermClearing, PermPayrollRead, PermPayrollPrepare, PermPayrollApprove},
	RoleAuditor:       {PermRegistryRead, PermPersonalData, PermAuditRead, PermParamsRead, PermCaseRead, PermSettleRead, PermFindingReview, PermPayrollRead, PermSupervisionRead, PermSupervisionScreen, PermSupervisionReview},
	RolePrevention:    {PermRegistryRead, PermParamsRead, PermPreventionRead, PermPreventionPrepare, PermPreventionApprove},
	RoleHotline:       {PermRegistryRead, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseOpen},
	RoleInsurer:       {PermRegistryRead, PermParamsRead, PermBenefitCalc, PermCaseRead, PermCaseOpen, PermSettleRead, PermSupervisionRead, PermSupervisionScreen, PermPreventionRead, PermPreventionPrepare},
	RoleAdmin:         {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermPersonalData, PermAuditRead, PermUsersManage, PermParamsRead, PermParamsManage, PermBenefitCalc, PermCaseRead, PermSettleRead, PermInstitutions, PermCatalogueManage, PermSupervisionRead, PermSupervisionRules},
	RoleCycleApprover: {PermRegistryRead, PermParamsRead, PermPayrollRead, PermPayrollApprove},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	return p == PermSignedIn && r.Valid() || slices.Contains(grants[r], p)
}

// Kind is the sort of principal acting. Every decision (`Can`, `MaySee`)
// starts from it: staff act through their role and region, outside parties
// only on what they own, the system through its own fixed grants.
type Kind string

// The principal kinds.
const (
	KindStaff       Kind = "staff"       // agency staff and the partner insurer's staff, by role and region
	KindWorker      Kind = "worker"      // an injured worker on the portal: only their own records
	KindEmployer    Kind = "employer"    // an employer on the portal: only its own records and its workers'
	KindInstitution Kind = "institution" // a designated institution's HIS: only its own encounters
	KindSystem      Kind = "system"      // the system's own jobs (sealer, reminders, payroll steps, demo loading)
)

var kindNames = map[Kind]string{
	KindStaff: "经办人员", KindWorker: "职工", KindEmployer: "用人单位", KindInstitution: "协议机构", KindSystem: "系统",
}

// Name is the Chinese label.
func (k Kind) Name() string { return kindNames[k] }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { _, ok := kindNames[k]; return ok }

// Principal is whoever acts: the attribution every change carries. Staff
// have a Role and a RegionCode; the portal's and the hospital interface's
// principals carry the id of what they are (WorkerID, EmployerID,
// InstitutionID) and the region they belong to.
type Principal struct {
	UserID        int64
	Username      string
	Name          string
	Kind          Kind
	Role          Role // staff only
	RegionCode    string
	WorkerID      int64 // KindWorker
	EmployerID    int64 // KindEmployer
	InstitutionID int64 // KindInstitution
}

// System is the principal of the system's own changes (demo loading,
// scheduled jobs). It is its own kind, not an administrator: its grants
// are listed in systemGrants and its scope is the province.
var System = Principal{Username: "system", Name: "系统", Kind: KindSystem, RegionCode: "370000"}

// systemGrants are the permissions of the system's own work: loading the
// demo (which creates its staff users), scheduled jobs and data migrations.
var systemGrants = []Permission{PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermPersonalData,
	PermAuditRead, PermUsersManage, PermParamsRead, PermParamsManage, PermBenefitCalc, PermCaseRead, PermCaseOpen,
	PermCaseRecognize, PermCaseAssess, PermCaseBenefit, PermCaseApprove,
	PermSettleRead, PermInstitutions, PermCatalogueManage, PermFilingManage, PermClearing, PermPayrollRead, PermPayrollPrepare,
	PermSupervisionRead, PermSupervisionScreen}

// outsideGrants are the permissions of the portal's and the hospital
// interface's principals; what they may see is further limited to what
// they own (MaySee). Workers and employers read their cases and apply,
// upload and answer corrections (case.open); the portal offers them no
// other action of casebundle's table.
var outsideGrants = map[Kind][]Permission{
	KindWorker:      {PermCaseRead, PermCaseOpen},
	KindEmployer:    {PermCaseRead, PermCaseOpen},
	KindInstitution: nil,
}

// Can reports whether the principal holds perm, by kind first.
func (p Principal) Can(perm Permission) bool {
	switch p.Kind {
	case KindStaff:
		return p.Role.Can(perm)
	case KindSystem:
		return perm == PermSignedIn || slices.Contains(systemGrants, perm)
	case KindWorker, KindEmployer, KindInstitution:
		return perm == PermSignedIn || slices.Contains(outsideGrants[p.Kind], perm)
	}
	return false
}

// Scope returns the region subtree the principal may see and act in. Only
// staff and the system act by region; the other kinds get an empty scope
// and see only what they own.
func (p Principal) Scope() Scope {
	if p.Kind != KindStaff && p.Kind != KindSystem {
		return Scope{Prefix: "\x00"}
	}
	return ScopeOf(p.RegionCode)
}

// Owners describes whom an object belongs to: the region that administers
// it and the outside parties it concerns. The zero id means "none".
type Owners struct {
	Region        string
	WorkerID      int64   // the worker the object is about
	EmployerIDs   []int64 // employers concerned (a worker's employers, a case's employer)
	InstitutionID int64   // the designated institution concerned
	// Regions are further regions whose staff may see the object: an
	// encounter or settlement is the treating institution's (Region) and
	// also the injured worker's region's.
	Regions []string
}

// MaySee is the one check of who may see an object: staff and the system by
// region subtree, a worker only their own objects, an employer those that
// name it, an institution those that name it.
func (p Principal) MaySee(o Owners) bool {
	switch p.Kind {
	case KindStaff, KindSystem:
		if o.Region != "" && p.Scope().Covers(o.Region) {
			return true
		}
		return slices.ContainsFunc(o.Regions, p.Scope().Covers)
	case KindWorker:
		return p.WorkerID != 0 && p.WorkerID == o.WorkerID
	case KindEmployer:
		return p.EmployerID != 0 && slices.Contains(o.EmployerIDs, p.EmployerID)
	case KindInstitution:
		return p.InstitutionID != 0 && p.InstitutionID == o.InstitutionID
	}
	return false
}

// Label names the principal for pages and audit views: 任城区 is added by
// the caller; this gives 窗口受理 · 高静 or 系统.
func (p Principal) Label() string {
	if p.Kind == KindStaff {
		return p.Role.Name() + " · " + p.Name
	}
	return p.Kind.Name() + " · " + p.Name
}

// Scope is a region subtree, by GB/T 2260 code prefix: a province covers
// codes starting with its first two digits, a city its first four, a
// county only itself.
type Scope struct{ Prefix string }

// ScopeOf returns the subtree rooted at region code.
func ScopeOf(code string) Scope {
	switch {
	case len(code) != 6:
		return Scope{Prefix: "\x00"} // covers nothing
	case code[2:] == "0000":
		return Scope{Prefix: code[:2]}
	case code[4:] == "00":
		return Scope{Prefix: code[:4]}
	}
	return Scope{Prefix: code}
}

// Covers reports whether region code lies in the subtree.
func (s Scope) Covers(code string) bool { return strings.HasPrefix(code, s.Prefix) && len(code) == 6 }

// Range returns [lo, hi) such that lo <= code < hi exactly for covered
// codes: an index-friendly predicate that works on both SQL engines.
func (s Scope) Range() (lo, hi string) {
	lo = s.Prefix + strings.Repeat("0", 6-len(s.Prefix))
	b := []byte(s.Prefix)
	b[len(b)-1]++
	return lo, string(b)
}
