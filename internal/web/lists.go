package web

import (
	"strconv"

	"gongshang/internal/registry"
	"gongshang/internal/store"
)

// The two lists of the registry, declared once for both surfaces: the
// back office and the JSON API read the same filters and sort keys.

// classNames are the Chinese names of the eight risk classes.
var classNames = []string{"一类", "二类", "三类", "四类", "五类", "六类", "七类", "八类"}

// ClassName is the Chinese name of risk class n (一类 … 八类).
func ClassName(n int) string {
	if n < 1 || n > len(classNames) {
		return strconv.Itoa(n)
	}
	return classNames[n-1]
}

// regionChoices offers the regions of the caller's scope by name.
func regionChoices(regions []registry.Region) []Choice {
	out := make([]Choice, len(regions))
	for i, r := range regions {
		out[i] = Choice{r.Code, r.Name}
	}
	return out
}

// EmployerListSpec is the list of 用人单位 at path, its region filter
// offering regions (the caller's scope).
func EmployerListSpec(path string, regions []registry.Region) *ListSpec {
	ref := registry.MustReference()
	industries := make([]Choice, len(ref.Industries))
	for i, in := range ref.Industries {
		industries[i] = Choice{in.Code, in.Code + " " + in.Name}
	}
	classes := make([]Choice, len(ref.Classes))
	for i, c := range ref.Classes {
		classes[i] = Choice{strconv.Itoa(c.Class), ClassName(c.Class)}
	}
	statuses := []Choice{}
	for _, st := range []string{registry.EmployerActive, registry.EmployerSuspended, registry.EmployerClosed} {
		statuses = append(statuses, Choice{st, registry.EmployerStatusNames[st]})
	}
	return &ListSpec{Path: path, Name: "用人单位",
		Filters: []Filter{
			{Key: "region", Label: "地区", Choices: regionChoices(regions)},
			{Key: "industry", Label: "行业", Choices: industries},
			{Key: "risk_class", Label: "风险类别", Choices: classes},
			{Key: "status", Label: "状态", Choices: statuses},
		},
		Sorts: []Sort{
			{Key: "credit_code", Label: "统一社会信用代码"},
			{Key: "name", Label: "单位名称"},
			{Key: "region", Label: "地区"},
			{Key: "industry", Label: "行业"},
			{Key: "risk_class", Label: "风险类别"},
			{Key: "created", Label: "登记日期", Desc: true},
		}}
}

// EmployerFilterOf is the store filter of a parsed employer list query
// (the page window is the caller's).
func EmployerFilterOf(q *ListQuery) store.EmployerFilter {
	return store.EmployerFilter{Query: q.Q, RegionCode: q.Get("region"), Industry: q.Get("industry"),
		RiskClass: q.Int("risk_class"), Status: q.Get("status"), Sort: q.Sort, Desc: q.Desc}
}

// WorkerListSpec is the list of 职工 at path; employerKey names its
// employer filter (employer in the back office, employer_id in the API).
// Sorting by birth date is offered only to roles that see birth dates
// (full): the order would tell the others what the mask hides.
func WorkerListSpec(path, employerKey string, regions []registry.Region, full bool) *ListSpec {
	spec := &ListSpec{Path: path, Name: "职工",
		Filters: []Filter{
			{Key: "region", Label: "参保地区", Choices: regionChoices(regions)},
			{Key: employerKey, Label: "用人单位", ID: true},
			{Key: "sex", Label: "性别", Choices: []Choice{{"M", registry.SexNames["M"]}, {"F", registry.SexNames["F"]}}},
			{Key: "from", Label: "登记日期起", Date: true},
			{Key: "to", Label: "登记日期止", Date: true, NotBefore: "from"},
		},
		Sorts: []Sort{
			{Key: "name", Label: "姓名"},
			{Key: "region", Label: "参保地区"},
			{Key: "created", Label: "登记日期", Desc: true},
		}}
	if full {
		spec.Sorts = append(spec.Sorts, Sort{Key: "birth", Label: "出生日期"})
	}
	return spec
}

// WorkerFilterOf is the store filter of a parsed worker list query.
func WorkerFilterOf(q *ListQuery) store.WorkerFilter {
	f := store.WorkerFilter{Query: q.Q, RegionCode: q.Get("region"), Sex: q.Get("sex"), From: q.Get("from"), To: q.Get("to"),
		Sort: q.Sort, Desc: q.Desc}
	for _, fl := range q.Spec.Filters {
		if fl.ID {
			f.EmployerID = q.ID(fl.Key)
		}
	}
	return f
}

// Choices are the options of a select filter, for a form.
func (q *ListQuery) Choices(key string) []Choice { return q.Spec.filter(key).Choices }

// Sortable reports whether the list sorts by key (a header is a link).
func (q *ListQuery) Sortable(key string) bool { _, ok := q.Spec.sort(key); return ok }
