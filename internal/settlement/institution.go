// Package settlement is direct settlement with designated institutions
// (联网结算): the institution register, encounters (admissions and
// outpatient visits), pricing each fee line against the work-injury
// catalogues, the real-time definite rules, remote-treatment filings,
// settlement totals, reversals, reconciliation and the monthly clearing
// statements between pooling regions. It is pure: the store keeps what it
// decides, the hisapi surface speaks the hospital envelope.
package settlement

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

// InstitutionType is what a designated institution does.
type InstitutionType string

// The institution types (the HIS fixtures' names).
const (
	Medical InstitutionType = "medical" // 协议医疗机构
	Rehab   InstitutionType = "rehab"   // 协议康复机构
	Device  InstitutionType = "device"  // 辅助器具配置机构
)

var typeNames = map[InstitutionType]string{Medical: "医疗机构", Rehab: "康复机构", Device: "辅助器具配置机构"}

// Name is the type's Chinese name.
func (t InstitutionType) Name() string { return typeNames[t] }

// Valid reports whether t is a type.
func (t InstitutionType) Valid() bool { _, ok := typeNames[t]; return ok }

// Status is an agreement's state.
type Status string

// The agreement states.
const (
	Active    Status = "active"    // 协议有效
	Suspended Status = "suspended" // 暂停：every transaction refused
	Ended     Status = "ended"     // 协议终止
)

var statusNames = map[Status]string{Active: "协议有效", Suspended: "暂停结算", Ended: "协议终止"}

// Name is the status's Chinese name.
func (s Status) Name() string { return statusNames[s] }

// Valid reports whether s is a status.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// Institution is a designated institution (协议机构) in the register.
type Institution struct {
	ID         int64           `json:"id"`
	Code       string          `json:"code"` // fixmedins_code, 12 characters (H37081100001)
	Name       string          `json:"name"`
	RegionCode string          `json:"region_code"` // the county (or city district) it sits in
	Type       InstitutionType `json:"type"`
	Level      int             `json:"level"` // 1 一级, 2 二级, 3 三级; 0 none (device suppliers)
	Beds       int             `json:"beds"`  // licensed beds
	Depts      []string        `json:"depts"` // departments (科室名称)
	Equipment  []string        `json:"equipment"`

	AgreementFrom string `json:"agreement_from"` // YYYY-MM-DD
	AgreementTo   string `json:"agreement_to"`   // YYYY-MM-DD
	Status        Status `json:"status"`
	StatusReason  string `json:"status_reason,omitempty"`

	PaasID string `json:"paasid,omitempty"` // interface access id; the token is never kept in clear

	Address string `json:"address,omitempty"`
	Contact string `json:"contact,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

var codeRe = regexp.MustCompile(`^[A-Z][0-9A-Z]{11}$`)

// ValidCode reports whether code has the national 12-character shape: a
// letter for the kind (H hospital, P pharmacy, …) and eleven digits or
// capitals, the first six the region.
func ValidCode(code string) bool { return codeRe.MatchString(code) }

// Validate checks a register entry; today (YYYY-MM-DD) bounds the dates.
func (in *Institution) Validate() error {
	var fs errs.Fields
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	if !ValidCode(in.Code) {
		fs.Add("code", "format", "机构编码应为12位：1位大写字母加11位数字或大写字母")
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		fs.Add("name", "required", "请填写机构名称")
	case n > 100:
		fs.Add("name", "too_long", "机构名称不能超过100个字")
	}
	if registry.RegionLevel(in.RegionCode) == "" {
		fs.Add("region_code", "format", "所在地区代码应为6位行政区划代码")
	}
	if !in.Type.Valid() {
		fs.Add("type", "invalid", "机构类型应为医疗机构、康复机构或辅助器具配置机构")
	}
	if in.Level < 0 || in.Level > 3 {
		fs.Add("level", "invalid", "机构等级应为一级、二级、三级或无")
	}
	if in.Beds < 0 || in.Beds > 20000 {
		fs.Add("beds", "range", "核定床位数应在0到20000之间")
	}
	if !validDay(in.AgreementFrom) {
		fs.Add("agreement_from", "format", "协议起始日期格式应为YYYY-MM-DD")
	}
	if !validDay(in.AgreementTo) {
		fs.Add("agreement_to", "format", "协议终止日期格式应为YYYY-MM-DD")
	} else if validDay(in.AgreementFrom) && in.AgreementTo < in.AgreementFrom {
		fs.Add("agreement_to", "order", "协议终止日期不能早于起始日期")
	}
	if in.Status == "" {
		in.Status = Active
	}
	if !in.Status.Valid() {
		fs.Add("status", "invalid", "协议状态应为协议有效、暂停结算或协议终止")
	}
	if in.Status == Suspended && strings.TrimSpace(in.StatusReason) == "" {
		fs.Add("status_reason", "required", "暂停结算须写明原因")
	}
	in.Depts = cleanList(in.Depts)
	in.Equipment = cleanList(in.Equipment)
	return fs.Err()
}

// Refusal says why the institution may not transact on day, or "" when it
// may: a suspended agreement, an ended one, or a day outside the agreement.
func (in *Institution) Refusal(day string) string {
	switch {
	case in.Status == Suspended:
		msg := "本机构工伤保险协议已暂停结算"
		if in.StatusReason != "" {
			msg += "（" + in.StatusReason + "）"
		}
		return msg + "，不能办理业务"
	case in.Status == Ended:
		return "本机构工伤保险服务协议已终止，不能办理业务"
	case day < in.AgreementFrom || day > in.AgreementTo:
		return "本机构工伤保险服务协议不在有效期内（" + in.AgreementFrom + "至" + in.AgreementTo + "），不能办理业务"
	}
	return ""
}

// HasEquipment reports whether the institution lists a device by name.
func (in *Institution) HasEquipment(name string) bool {
	for _, e := range in.Equipment {
		if e == name {
			return true
		}
	}
	return false
}

func cleanList(xs []string) []string {
	out := xs[:0]
	seen := map[string]bool{}
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

var dayRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func validDay(s string) bool {
	if !dayRe.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// PoolingRegion is the pooling region (统筹地区) of a region code: the city
// for a county or city, the province itself for a province.
func PoolingRegion(code string) string {
	switch registry.RegionLevel(code) {
	case "county":
		return code[:4] + "00"
	case "city", "province":
		return code
	}
	return code
}

// Province is the province of a region code.
func Province(code string) string {
	if len(code) != 6 {
		return code
	}
	return code[:2] + "0000"
}
