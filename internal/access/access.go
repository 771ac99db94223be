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
// workers) will be principals of other kinds with their own roles.
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
)

// Roles lists every staff role in display order.
var Roles = []Role{RoleClerk, RoleRecognition, RoleAssessment, RoleBenefits, RoleAuditor, RolePrevention, RoleHotline, RoleInsurer, RoleAdmin}

var roleNames = map[Role]string{
	RoleClerk: "窗口受理", RoleRecognition: "工伤认定", RoleAssessment: "劳动能力鉴定",
	RoleBenefits: "待遇审核", RoleAuditor: "基金稽核", RolePrevention: "工伤预防",
	RoleHotline: "12333话务员", RoleInsurer: "合作经办", RoleAdmin: "系统管理",
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
)

// grants is the role → permission matrix. The commercial insurer's staff
// read and assist only, and never see personal data in full.
var grants = map[Role][]Permission{
	RoleClerk:       {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermPersonalData, PermParamsRead, PermBenefitCalc},
	RoleRecognition: {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc},
	RoleAssessment:  {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc},
	RoleBenefits:    {PermRegistryRead, PermPersonalData, PermParamsRead, PermBenefitCalc},
	RoleAuditor:     {PermRegistryRead, PermPersonalData, PermAuditRead, PermParamsRead},
	RolePrevention:  {PermRegistryRead, PermParamsRead},
	RoleHotline:     {PermRegistryRead, PermParamsRead, PermBenefitCalc},
	RoleInsurer:     {PermRegistryRead, PermParamsRead, PermBenefitCalc},
	RoleAdmin:       {PermRegistryRead, PermRegistryWrite, PermRegistryImport, PermPersonalData, PermAuditRead, PermUsersManage, PermParamsRead, PermParamsManage, PermBenefitCalc},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	return p == PermSignedIn && r.Valid() || slices.Contains(grants[r], p)
}

// Principal is whoever acts: the attribution every change carries.
type Principal struct {
	UserID     int64
	Username   string
	Name       string
	Kind       string // "staff" now; "institution", "employer", "worker" later
	Role       Role
	RegionCode string
}

// System is the principal for changes made by the system itself (demo
// loading, migrations of data, scheduled jobs).
var System = Principal{Username: "system", Name: "系统", Kind: "system", Role: RoleAdmin, RegionCode: "370000"}

// Can reports whether the principal holds p.
func (p Principal) Can(perm Permission) bool { return p.Role.Can(perm) }

// Scope returns the region subtree the principal may see and act in.
func (p Principal) Scope() Scope { return ScopeOf(p.RegionCode) }

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
