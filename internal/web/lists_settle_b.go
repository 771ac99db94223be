package web

import (
	"time"

	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// The direct-settlement lists of the staff (encounters, settlements, the
// review queue, reconciliation, clearing), declared once for the back
// office and the API. They keep their own order (newest first; the queue
// oldest first; clearing by institution code), so they declare no sorts.

// SettlementStateNames name the settlement states.
var SettlementStateNames = map[string]string{"valid": "有效", "cancelled": "已撤销", "reversed": "已冲正"}

// SettlementKindNames name the settlement rows' kinds.
var SettlementKindNames = map[string]string{"settle": "结算", "cancel": "撤销结算"}

func medTypeChoices() []Choice {
	var out []Choice
	for _, m := range []settlement.MedType{settlement.Outpatient, settlement.Inpatient, settlement.RehabStay, settlement.DeviceFit} {
		out = append(out, Choice{string(m), m.Name()})
	}
	return out
}

var yesNo = []Choice{{"yes", "是"}, {"no", "否"}}

// MonthChoices are the months a clearing or review filter offers: this
// month and the 23 before, newest first.
func MonthChoices(now time.Time) []Choice {
	t := now.In(settlement.CST)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, settlement.CST)
	out := make([]Choice, 24)
	for i := range out {
		m := first.AddDate(0, -i, 0)
		out[i] = Choice{m.Format("2006-01"), m.Format("2006年1月")}
	}
	return out
}

// EncounterListSpec is the list of 就诊 at path.
func EncounterListSpec(path string) *ListSpec {
	var states []Choice
	for _, s := range []settlement.EncounterState{settlement.Open, settlement.Discharged, settlement.Settled, settlement.Cancelled} {
		states = append(states, Choice{string(s), s.Name()})
	}
	return &ListSpec{Path: path, Name: "就诊登记", Filters: []Filter{
		{Key: "institution", Label: "协议机构", ID: true},
		{Key: "med_type", Label: "医疗类别", Choices: medTypeChoices()},
		{Key: "state", Label: "就诊状态", Choices: states},
		{Key: "payable", Label: "认定状态", Choices: []Choice{{"payable", "可结算（已认定工伤）"}, {"pending", "待认定"}}},
		{Key: "remote", Label: "异地就医", Choices: yesNo},
		{Key: "from", Label: "入院日期起", Date: true},
		{Key: "to", Label: "入院日期止", Date: true, NotBefore: "from"},
	}}
}

// EncounterFilterOf is the store filter of a parsed encounter list query.
func EncounterFilterOf(q *ListQuery) store.EncounterFilter {
	return store.EncounterFilter{InstitutionID: q.ID("institution"), MedType: q.Get("med_type"), State: q.Get("state"),
		Payable: q.Get("payable"), Remote: q.Get("remote"), From: q.Get("from"), To: q.Get("to")}
}

// SettlementListSpec is the list of 结算 at path.
func SettlementListSpec(path string) *ListSpec {
	return &ListSpec{Path: path, Name: "结算记录", Filters: []Filter{
		{Key: "institution", Label: "协议机构", ID: true},
		{Key: "from", Label: "结算日期起", Date: true},
		{Key: "to", Label: "结算日期止", Date: true, NotBefore: "from"},
		{Key: "state", Label: "结算状态", Choices: []Choice{{"valid", "有效"}, {"cancelled", "已撤销"}, {"reversed", "已冲正"}}},
		{Key: "kind", Label: "类型", Choices: []Choice{{"settle", "结算"}, {"cancel", "撤销结算"}}},
		{Key: "remote", Label: "异地就医", Choices: yesNo},
		{Key: "findings", Label: "疑点", Choices: []Choice{{"any", "有审核发现"}, {"pending", "有待复核疑点"}}},
	}}
}

// SettlementFilterOf is the store filter of a parsed settlement list query.
func SettlementFilterOf(q *ListQuery) store.SettlementFilter {
	return store.SettlementFilter{InstitutionID: q.ID("institution"), From: q.Get("from"), To: q.Get("to"), State: q.Get("state"),
		Kind: q.Get("kind"), Remote: q.Get("remote"), Findings: q.Get("findings")}
}

// StatementSettlementSpec is the settlement list behind a statement.
func StatementSettlementSpec(path string) *ListSpec {
	return &ListSpec{Path: path, Name: "清算单结算明细"}
}

// FindingListSpec is the review queue at path.
func FindingListSpec(path string, now time.Time) *ListSpec {
	var rules []Choice
	for _, r := range settlement.Rules {
		if r.Severity == settlement.Suspicious {
			rules = append(rules, Choice{r.ID, r.ID + " " + r.Name})
		}
	}
	reviews := []Choice{{"pending", store.ReviewStates["pending"]}, {"accepted", store.ReviewStates["accepted"]},
		{"rejected", store.ReviewStates["rejected"]}, {"all", "全部"}}
	return &ListSpec{Path: path, Name: "疑点复核", Filters: []Filter{
		{Key: "review", Label: "复核状态", Choices: reviews},
		{Key: "rule", Label: "规则", Choices: rules},
		{Key: "institution", Label: "协议机构", ID: true},
		{Key: "month", Label: "发现月份", Choices: MonthChoices(now)},
	}}
}

// FindingFilterOf is the store filter of a parsed review queue query.
func FindingFilterOf(q *ListQuery) store.FindingFilter {
	return store.FindingFilter{Review: q.Get("review"), Rule: q.Get("rule"), InstitutionID: q.ID("institution"), Month: q.Get("month")}
}

// ReconListSpec is the daily reconciliation view at path.
func ReconListSpec(path string) *ListSpec {
	var status []Choice
	for _, k := range []string{"balanced", "differs", "none"} {
		status = append(status, Choice{k, store.ReconStatusNames[k]})
	}
	return &ListSpec{Path: path, Name: "对账", Filters: []Filter{
		{Key: "institution", Label: "协议机构", ID: true},
		{Key: "from", Label: "对账日期起", Date: true},
		{Key: "to", Label: "对账日期止", Date: true, NotBefore: "from"},
		{Key: "status", Label: "对账结果", Choices: status},
	}}
}

// ReconFilterOf is the store filter of a parsed reconciliation query; the
// period defaults to the last seven days up to today.
func ReconFilterOf(q *ListQuery, now time.Time) store.ReconFilter {
	f := store.ReconFilter{InstitutionID: q.ID("institution"), From: q.Get("from"), To: q.Get("to"), Status: q.Get("status")}
	if f.To == "" {
		f.To = settlement.Day(now)
	}
	if f.From == "" {
		if t, err := time.Parse(time.DateOnly, f.To); err == nil {
			f.From = t.AddDate(0, 0, -6).Format(time.DateOnly)
		}
	}
	return f
}

// ClearingListSpec is the monthly clearing status at path.
func ClearingListSpec(path string, regions []registry.Region, now time.Time) *ListSpec {
	return &ListSpec{Path: path, Name: "月度清算状态", Filters: []Filter{
		{Key: "month", Label: "清算月份", Choices: MonthChoices(now)},
		{Key: "region", Label: "机构所在地区", Choices: regionChoices(regions)},
		{Key: "state", Label: "清算状态", Choices: []Choice{{"open", "有未清算结算"}, {"cleared", "已全部清算"}}},
	}}
}

// ClearingFilterOf is the store filter of a parsed clearing query; the
// month defaults to last month.
func ClearingFilterOf(q *ListQuery, now time.Time) store.ClearingFilter {
	f := store.ClearingFilter{Month: q.Get("month"), Region: q.Get("region"), State: q.Get("state")}
	if f.Month == "" {
		f.Month = MonthChoices(now)[1].Value
	}
	return f
}
