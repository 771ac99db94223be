package settlement

import (
	"strconv"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/registry"
)

// FilingKind is the kind of a remote-treatment filing (异地就医备案).
type FilingKind string

// The filing kinds.
const (
	Residence FilingKind = "residence" // 异地长期居住
	Posted    FilingKind = "posted"    // 异地工作（常驻异地工作）
	Referral  FilingKind = "referral"  // 转诊转院
)

var filingNames = map[FilingKind]string{Residence: "异地长期居住", Posted: "常驻异地工作", Referral: "转诊转院"}

// Name is the kind's Chinese name.
func (k FilingKind) Name() string { return filingNames[k] }

// Valid reports whether k is a filing kind.
func (k FilingKind) Valid() bool { _, ok := filingNames[k]; return ok }

// FilingState is a filing's state.
type FilingState string

// The filing states.
const (
	FilingActive    FilingState = "active"
	FilingCancelled FilingState = "cancelled"
	FilingUsed      FilingState = "used" // a referral consumed by its admission
)

var filingStateNames = map[FilingState]string{FilingActive: "有效", FilingCancelled: "已撤销", FilingUsed: "已使用"}

// Name is the state's Chinese name.
func (s FilingState) Name() string { return filingStateNames[s] }

// Filing is a remote-treatment filing of an injured worker.
type Filing struct {
	ID          int64       `json:"id"`
	WorkerID    int64       `json:"worker_id"`
	CaseID      int64       `json:"case_id"`     // the recognised injury it is for
	RegionCode  string      `json:"region_code"` // the insured region (the agency that files)
	Kind        FilingKind  `json:"kind"`
	TreatRegion string      `json:"treat_region"`               // where the worker is treated: a pooling region (or province)
	Institution string      `json:"institution_code,omitempty"` // referral: the receiving institution
	Reason      string      `json:"reason"`
	Address     string      `json:"address,omitempty"`
	ValidFrom   string      `json:"valid_from"`
	ValidTo     string      `json:"valid_to"`
	FiledOn     string      `json:"filed_on"`
	State       FilingState `json:"state"`
	Channel     string      `json:"channel"` // window | portal
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	Version     int64       `json:"version"`
}

// FilingRules are the parameters of filings (his-interface.md; U in
// regulation.md §7.2, so they are parameters, not constants).
type FilingRules struct {
	ValidMonths  int // residence and posted filings: 12
	HoldMonths   int // change or cancel only after: 3
	ReferralDays int // a referral's window to be admitted: e.g. 90
}

// Prepare validates a new filing and sets its window from the rules:
// residence and posted run ValidMonths from ValidFrom (the last day
// included); a referral runs ReferralDays from ValidFrom.
func (f *Filing) Prepare(r FilingRules, today string) error {
	var fs errs.Fields
	if !f.Kind.Valid() {
		fs.Add("kind", "invalid", "备案类型应为异地长期居住、常驻异地工作或转诊转院")
	}
	if registry.RegionLevel(f.TreatRegion) == "" {
		fs.Add("treat_region", "format", "就医地应为6位行政区划代码")
	}
	f.Reason = strings.TrimSpace(f.Reason)
	if f.Reason == "" {
		fs.Add("reason", "required", "请填写备案事由")
	}
	if f.ValidFrom == "" {
		f.ValidFrom = today
	}
	from, err := time.Parse(time.DateOnly, f.ValidFrom)
	if err != nil {
		fs.Add("valid_from", "format", "备案开始日期格式应为YYYY-MM-DD")
	} else if f.ValidFrom < addDays(today, -30) || f.ValidFrom > addDays(today, 90) {
		fs.Add("valid_from", "range", "备案开始日期应在今天前30天至后90天之内")
	}
	if f.Kind == Referral && !ValidCode(strings.ToUpper(f.Institution)) {
		fs.Add("institution_code", "format", "转诊转院须填写接收机构的12位机构编码")
	}
	if err := fs.Err(); err != nil {
		return err
	}
	f.Institution = strings.ToUpper(f.Institution)
	if f.Kind == Referral {
		f.ValidTo = from.AddDate(0, 0, r.ReferralDays-1).Format(time.DateOnly)
	} else {
		f.ValidTo = from.AddDate(0, r.ValidMonths, -1).Format(time.DateOnly)
	}
	f.FiledOn, f.State = today, FilingActive
	if f.Channel == "" {
		f.Channel = "window"
	}
	return nil
}

// Covers reports whether the filing lets a worker be admitted at an
// institution (code, region) on day.
func (f *Filing) Covers(instCode, instRegion, day string) bool {
	if f.State != FilingActive || day < f.ValidFrom || day > f.ValidTo {
		return false
	}
	if f.Kind == Referral && f.Institution != "" && f.Institution != instCode {
		return false
	}
	switch registry.RegionLevel(f.TreatRegion) {
	case "province":
		return Province(instRegion) == f.TreatRegion
	case "city":
		return PoolingRegion(instRegion) == f.TreatRegion
	}
	return instRegion == f.TreatRegion
}

// MayChange says why a filing may not be changed or cancelled today, or
// "": residence and posted filings only HoldMonths after filing; a referral
// any time before it is used.
func (f *Filing) MayChange(r FilingRules, today string) string {
	if f.State != FilingActive {
		return "该备案" + f.State.Name() + "，不能变更或撤销"
	}
	if f.Kind == Referral {
		return ""
	}
	filed, err := time.Parse(time.DateOnly, f.FiledOn)
	if err != nil {
		return ""
	}
	if open := filed.AddDate(0, r.HoldMonths, 0).Format(time.DateOnly); today < open {
		return "异地长期居住（工作）备案自备案之日起满" + strconv.Itoa(r.HoldMonths) + "个月后方可变更或撤销（" + open + "起）"
	}
	return ""
}

// IsRemote reports whether treating and insured regions are different
// pooling regions.
func IsRemote(treat, insured string) bool {
	return insured != "" && PoolingRegion(treat) != PoolingRegion(insured)
}

func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}
