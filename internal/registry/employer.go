// Package registry holds the base records every other capability stands on:
// regions, employers (用人单位), workers (职工), their employment periods and
// monthly contribution wages. Pure logic: types, validation, check digits.
package registry

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gongshang/internal/errs"
)

// Employer statuses.
const (
	EmployerActive    = "active"    // 正常
	EmployerSuspended = "suspended" // 暂停缴费
	EmployerClosed    = "closed"    // 注销
)

// EmployerStatusNames gives the Chinese label of each status.
var EmployerStatusNames = map[string]string{
	EmployerActive:    "正常",
	EmployerSuspended: "暂停缴费",
	EmployerClosed:    "已注销",
}

// Employer is a 用人单位 insured in a region.
type Employer struct {
	ID           int64     `json:"id"`
	CreditCode   string    `json:"credit_code"` // 统一社会信用代码, GB 32100
	Name         string    `json:"name"`
	RegionCode   string    `json:"region_code"`
	Industry     string    `json:"industry"`      // GB/T 4754 division
	RiskClass    int       `json:"risk_class"`    // 1–8
	RateTierPct  int       `json:"rate_tier_pct"` // floating tier, percent of base
	ContactName  string    `json:"contact_name"`
	ContactPhone string    `json:"contact_phone,omitempty"` // personal data: sealed at rest, "" when not disclosed
	Address      string    `json:"address"`
	Status       string    `json:"status"`
	Version      int64     `json:"version"` // bumped by every change; a stale one is refused
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`

	// ContactPhoneMasked is always present: 139****2345.
	ContactPhoneMasked string `json:"contact_phone_masked"`
}

// Masked returns a copy without the contact phone in full.
func (e Employer) Masked() Employer {
	e.ContactPhone = ""
	return e
}

var (
	regionRe = regexp.MustCompile(`^[1-9][0-9]{5}$`)
	phoneRe  = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$`)
)

// Normalize trims the free-text fields.
func (e *Employer) Normalize() {
	e.CreditCode = strings.ToUpper(strings.TrimSpace(e.CreditCode))
	e.Name = strings.TrimSpace(e.Name)
	e.RegionCode = strings.TrimSpace(e.RegionCode)
	e.Industry = strings.TrimSpace(e.Industry)
	e.ContactName = strings.TrimSpace(e.ContactName)
	e.ContactPhone = strings.TrimSpace(e.ContactPhone)
	e.Address = strings.TrimSpace(e.Address)
	if e.Status == "" {
		e.Status = EmployerActive
	}
}

// Validate checks every field and reports all problems at once.
func (e *Employer) Validate() error {
	var fs errs.Fields
	fs.Merge(ValidateCreditCode("credit_code", e.CreditCode))
	checkText(&fs, "name", "单位名称", e.Name, 2, 100, true)
	checkRegion(&fs, "region_code", e.RegionCode)
	ref := MustReference()
	if _, ok := ref.Industry(e.Industry); !ok {
		fs.Add("industry", "industry_unknown", "行业代码“%s”不是国民经济行业分类（GB/T 4754）的大类代码", e.Industry)
	}
	if _, ok := ref.Class(e.RiskClass); !ok {
		fs.Add("risk_class", "risk_class_range", "行业风险类别应为1至8，当前为%d", e.RiskClass)
	} else if !ref.TierAllowed(e.RiskClass, e.RateTierPct) {
		c, _ := ref.Class(e.RiskClass)
		fs.Add("rate_tier_pct", "rate_tier", "第%d类行业的浮动费率档次只能是%v（基准费率的百分比），当前为%d", e.RiskClass, c.TiersPct, e.RateTierPct)
	}
	checkText(&fs, "contact_name", "联系人", e.ContactName, 0, 40, false)
	if e.ContactPhone != "" && !phoneRe.MatchString(e.ContactPhone) {
		fs.Add("contact_phone", "phone_format", "联系电话“%s”格式不正确（手机11位或区号-座机号）", e.ContactPhone)
	}
	checkText(&fs, "address", "地址", e.Address, 0, 200, false)
	if _, ok := EmployerStatusNames[e.Status]; !ok {
		fs.Add("status", "status_unknown", "单位状态“%s”无效", e.Status)
	}
	return fs.Err()
}

// EmployerUpdate changes the fields that are set. Version, when set, is
// the version the change was made from: a newer stored one refuses it.
type EmployerUpdate struct {
	Version      *int64  `json:"version"`
	Name         *string `json:"name"`
	Industry     *string `json:"industry"`
	RiskClass    *int    `json:"risk_class"`
	RateTierPct  *int    `json:"rate_tier_pct"`
	ContactName  *string `json:"contact_name"`
	ContactPhone *string `json:"contact_phone"`
	Address      *string `json:"address"`
	Status       *string `json:"status"`
}

// Apply patches e.
func (u EmployerUpdate) Apply(e *Employer) {
	setIf(&e.Name, u.Name)
	setIf(&e.Industry, u.Industry)
	setIf(&e.RiskClass, u.RiskClass)
	setIf(&e.RateTierPct, u.RateTierPct)
	setIf(&e.ContactName, u.ContactName)
	setIf(&e.ContactPhone, u.ContactPhone)
	setIf(&e.Address, u.Address)
	setIf(&e.Status, u.Status)
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func checkText(fs *errs.Fields, field, label, v string, min, max int, required bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case !utf8.ValidString(v):
		fs.Add(field, "bad_encoding", "%s不是有效的UTF-8文字", label)
	case badRune(v) >= 0:
		fs.Add(field, "bad_chars", "%s含有不允许的字符（%U）", label, badRune(v))
	case n == 0 && required:
		fs.Add(field, "required", "%s不能为空", label)
	case n > 0 && n < min:
		fs.Add(field, "too_short", "%s至少%d个字", label, min)
	case n > max:
		fs.Add(field, "too_long", "%s最多%d个字，当前%d个字", label, max, n)
	}
}

// badRune returns the first character a name or address may not hold, or
// -1: control characters (NUL, line breaks, tabs, DEL and the C1 range),
// the bidirectional formatting characters that make text display in
// another order than it is stored (U+202A–U+202E, U+2066–U+2069, the marks
// U+200E, U+200F, U+061C), zero-width characters that hide differences
// between two names (U+200B–U+200D, U+2060, U+FEFF), and the replacement
// character U+FFFD left by broken encodings.
func badRune(s string) rune {
	for _, r := range s {
		switch {
		case unicode.IsControl(r),
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
			r == 0x200E, r == 0x200F, r == 0x061C,
			r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF, r == utf8.RuneError:
			return r
		}
	}
	return -1
}

// CleanText reports, as a field error, text that no field may hold: invalid
// UTF-8 or the characters badRune refuses. Decoders of free text that is
// not a name (search boxes, login names) call it too.
func CleanText(field, label, v string) error {
	var fs errs.Fields
	checkText(&fs, field, label, v, 0, 1<<30, false)
	return fs.Err()
}

func checkRegion(fs *errs.Fields, field, code string) {
	if !regionRe.MatchString(code) {
		fs.Add(field, "region_format", "行政区划代码应为6位数字（GB/T 2260），当前为“%s”", code)
	}
}
