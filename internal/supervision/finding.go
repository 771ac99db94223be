package supervision

import (
	"encoding/json"
	"fmt"
)

// The six behaviour categories of settlement-extract.md §3.
const (
	ItemSubstitution = "item_substitution" // 串换项目
	PhantomStay      = "phantom_stay"      // 挂床住院
	Fabricated       = "fabricated"        // 虚构服务 / 虚假病历
	OverExamination  = "over_examination"  // 过度检查
	OverTreatment    = "over_treatment"    // 过度治疗 / 分解住院
	CatalogueFee     = "catalogue_fee"     // 目录与收费违规
)

// Categories lists the categories in display order.
var Categories = []string{CatalogueFee, ItemSubstitution, PhantomStay, Fabricated, OverExamination, OverTreatment}

var categoryNames = map[string]string{
	ItemSubstitution: "串换项目", PhantomStay: "挂床住院", Fabricated: "虚构服务/虚假病历",
	OverExamination: "过度检查", OverTreatment: "过度治疗/分解住院", CatalogueFee: "目录与收费违规",
}

// CategoryName is the category's Chinese name.
func CategoryName(c string) string { return categoryNames[c] }

// Result types (fund-audit.md §3.2).
const (
	Definite   = "definite"   // 明确违规
	Suspicious = "suspicious" // 可疑, needs review
)

// SeverityName is the result type's Chinese name.
func SeverityName(s string) string {
	if s == Definite {
		return "明确违规"
	}
	return "可疑"
}

// Finding is one hit of a rule on an encounter, with its evidence: the fee
// lines, the reference rows or peer figures it rests on, and a readable
// reason. Fen is what should not have been paid (definite) or the amount at
// stake (suspicious).
type Finding struct {
	RuleID      string            `json:"rule_id"`
	RuleVersion int               `json:"rule_version"`
	Category    string            `json:"category"`
	Severity    string            `json:"severity"`
	MdtrtID     string            `json:"mdtrt_id"`
	Lines       []string          `json:"feedetl_sn"`
	Institution string            `json:"fixmedins_code"`
	Region      string            `json:"admvs,omitempty"` // the institution's county, for scope
	Fen         Yuan              `json:"amount"`          // fen; yuan in JSON
	Score       float64           `json:"score"`
	Reason      string            `json:"reason"`
	Evidence    []string          `json:"evidence,omitempty"`
	Params      map[string]string `json:"params,omitempty"`
}

// MarshalJSON writes feedetl_sn as an array even when it is empty.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	if f.Lines == nil {
		f.Lines = []string{}
	}
	return json.Marshal(plain(f))
}

// Yuan is an amount held in fen and written in JSON as yuan, a number
// with two decimals (settlement-extract.md §3: "amount … yuan").
type Yuan int64

// MarshalJSON writes 123.40.
func (y Yuan) MarshalJSON() ([]byte, error) { return []byte(YuanText(int64(y))), nil }

// UnmarshalJSON reads a yuan number with at most two decimals.
func (y *Yuan) UnmarshalJSON(b []byte) error {
	fen, err := ParseYuan(string(b))
	if err != nil {
		return err
	}
	*y = Yuan(fen)
	return nil
}

// OpenAPIType is the JSON schema type of the amount.
func (Yuan) OpenAPIType() string { return "number" }

// Rank is one institution's place in the ranking (audit rank --json).
type Rank struct {
	Institution string   `json:"fixmedins_code"`
	Score       float64  `json:"score"`
	Name        string   `json:"fixmedins_name,omitempty"`
	Definite    int      `json:"definite,omitempty"`   // definite findings
	Suspicious  int      `json:"suspicious,omitempty"` // suspicious findings
	Fen         int64    `json:"-"`                    // amount at stake
	Settled     int64    `json:"-"`                    // fund paid in the extract
	Reasons     []string `json:"reasons,omitempty"`
}

// YuanText prints fen as yuan with 2 decimals.
func YuanText(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
