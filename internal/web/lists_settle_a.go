package web

import (
	"gongshang/internal/catalogue"
	"gongshang/internal/registry"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
)

// The lists of direct settlement's registers, declared once for both
// surfaces: 协议机构, 工伤目录, 异地就医备案.

// LevelNames are the institution levels as lists show them (0: none, the
// device suppliers).
var LevelNames = map[int]string{0: "无", 1: "一级", 2: "二级", 3: "三级"}

// InstitutionListSpec is the register of 协议机构 at path.
func InstitutionListSpec(path string, regions []registry.Region) *ListSpec {
	types := []Choice{}
	for _, t := range []settlement.InstitutionType{settlement.Medical, settlement.Rehab, settlement.Device} {
		types = append(types, Choice{string(t), t.Name()})
	}
	levels := []Choice{{"3", "三级"}, {"2", "二级"}, {"1", "一级"}, {"0", "无"}}
	statuses := []Choice{}
	for _, st := range []settlement.Status{settlement.Active, settlement.Suspended, settlement.Ended} {
		statuses = append(statuses, Choice{string(st), st.Name()})
	}
	return &ListSpec{Path: path, Name: "协议机构",
		Filters: []Filter{
			{Key: "region", Label: "地区", Choices: regionChoices(regions)},
			{Key: "type", Label: "机构类型", Choices: types},
			{Key: "level", Label: "机构等级", Choices: levels},
			{Key: "status", Label: "协议状态", Choices: statuses},
		},
		Sorts: []Sort{
			{Key: "code", Label: "机构编码"},
			{Key: "name", Label: "机构名称"},
			{Key: "region", Label: "地区"},
			{Key: "level", Label: "等级", Desc: true},
			{Key: "agreement_to", Label: "协议终止日期"},
		}}
}

// InstitutionFilterOf is the store filter of a parsed institution list query.
func InstitutionFilterOf(q *ListQuery) store.InstitutionQuery {
	return store.InstitutionQuery{InstitutionFilter: store.InstitutionFilter{Region: q.Get("region"),
		Type: settlement.InstitutionType(q.Get("type")), Status: settlement.Status(q.Get("status")), Q: q.Q},
		Level: q.Get("level"), Sort: q.Sort, Desc: q.Desc}
}

// CatalogueListSpec is the list of the 工伤目录 at path: the rows valid on
// a day (on=; the caller's today when not set, all=1 for every date).
func CatalogueListSpec(path string) *ListSpec {
	cats := []Choice{}
	for _, c := range catalogue.Categories {
		cats = append(cats, Choice{string(c), c.Name()})
	}
	return &ListSpec{Path: path, Name: "工伤保险目录",
		Filters: []Filter{
			{Key: "category", Label: "目录类别", Choices: cats},
			{Key: "covered", Label: "基金支付", Choices: []Choice{{"yes", "是"}, {"no", "否"}}},
			{Key: "on", Label: "有效日期", Date: true},
			{Key: "all", Label: "日期范围", Choices: []Choice{{"1", "全部日期"}}},
		},
		Sorts: []Sort{
			{Key: "code", Label: "医保目录编码"},
			{Key: "name", Label: "名称"},
			{Key: "valid_from", Label: "生效日期", Desc: true},
		}}
}

// CatalogueFilterOf is the store filter of a parsed catalogue list query;
// today is the day the list shows when neither on= nor all= is set.
func CatalogueFilterOf(q *ListQuery, today string) store.CatalogueQuery {
	on := q.Get("on")
	if on == "" && q.Get("all") == "" {
		on = today
	}
	return store.CatalogueQuery{CatalogueFilter: store.CatalogueFilter{Category: catalogue.Category(q.Get("category")), Q: q.Q, On: on},
		Covered: q.Get("covered"), Sort: q.Sort, Desc: q.Desc}
}

// FilingListSpec is the list of 异地就医备案 at path.
func FilingListSpec(path string, regions []registry.Region) *ListSpec {
	kinds := []Choice{}
	for _, k := range []settlement.FilingKind{settlement.Residence, settlement.Posted, settlement.Referral} {
		kinds = append(kinds, Choice{string(k), k.Name()})
	}
	states := []Choice{}
	for _, st := range []settlement.FilingState{settlement.FilingActive, settlement.FilingUsed, settlement.FilingCancelled} {
		states = append(states, Choice{string(st), st.Name()})
	}
	return &ListSpec{Path: path, Name: "异地就医备案",
		Filters: []Filter{
			{Key: "region", Label: "参保地区", Choices: regionChoices(regions)},
			{Key: "kind", Label: "备案类型", Choices: kinds},
			{Key: "state", Label: "状态", Choices: states},
			{Key: "worker", Label: "职工", ID: true},
		},
		Sorts: []Sort{
			{Key: "filed", Label: "备案日期", Desc: true},
			{Key: "region", Label: "参保地区"},
			{Key: "valid_to", Label: "有效期至"},
		}}
}

// FilingFilterOf is the store filter of a parsed filing list query.
func FilingFilterOf(q *ListQuery) store.FilingQuery {
	return store.FilingQuery{Region: q.Get("region"), Kind: settlement.FilingKind(q.Get("kind")),
		State: settlement.FilingState(q.Get("state")), WorkerID: q.ID("worker"), Sort: q.Sort, Desc: q.Desc}
}
