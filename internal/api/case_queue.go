package api

import (
	"net/http"
	"slices"
	"strings"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/errs"
	"gongshang/internal/registry"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The work queue: the open agency steps in the caller's scope, the soonest
// due first (store.CaseQueue). Its filters go through the list toolkit
// (web.ParseList) like the registry lists; kind is repeatable, which the
// toolkit's one-value filters are not, so it is read here.

// queueSpec declares the queue's one-value filters; regions are the
// caller's scope (nil for the OpenAPI document).
func queueSpec(path string, regions []registry.Region) *web.ListSpec {
	rs := make([]web.Choice, len(regions))
	for i, r := range regions {
		rs[i] = web.Choice{Value: r.Code, Name: r.Name}
	}
	states := make([]web.Choice, 0, len(casebundle.States()))
	for _, st := range casebundle.States() {
		states = append(states, web.Choice{Value: string(st), Name: st.Name()})
	}
	yes := []web.Choice{{Value: "true", Name: "是"}}
	return &web.ListSpec{Path: path, Name: "工作队列", Filters: []web.Filter{
		{Key: "region", Label: "地区", Choices: rs},
		{Key: "state", Label: "状态", Choices: states},
		{Key: "simple", Label: "简易程序", Choices: []web.Choice{{Value: "true", Name: "简易程序"}, {Value: "false", Name: "普通程序"}}},
		{Key: "overdue", Label: "仅逾期", Choices: yes},
		{Key: "mine", Label: "仅本人岗位的事项", Choices: yes},
		{Key: "assigned", Label: "仅分配给我（已认领）的事项", Choices: yes},
	}}
}

// queueKinds reads kind= (repeatable, or a comma list) and, with mine,
// keeps the services the caller's role works (casebundle.QueueKinds).
// none reports a filter that nothing can match.
func queueKinds(r *http.Request, role access.Role, mine bool) (kinds []casebundle.ServiceKind, none bool, err error) {
	var fs errs.Fields
	for _, v := range r.URL.Query()["kind"] {
		for _, k := range strings.Split(v, ",") {
			k = strings.TrimSpace(k)
			if k == "" {
				continue
			}
			kind := casebundle.ServiceKind(k)
			if !kind.Valid() {
				fs.Add("kind", "kind_unknown", "办理事项“%s”不存在", clipText(k))
				continue
			}
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	if err := fs.Err(); err != nil {
		return nil, false, err
	}
	if !mine {
		return kinds, false, nil
	}
	own := casebundle.QueueKinds(role)
	if len(kinds) == 0 {
		return own, len(own) == 0, nil
	}
	kinds = slices.DeleteFunc(kinds, func(k casebundle.ServiceKind) bool { return !slices.Contains(own, k) })
	return kinds, len(kinds) == 0, nil
}

// queueFilter parses the whole queue query.
func (s *Server) queueFilter(r *http.Request, rq *request) (f store.QueueFilter, none bool, err error) {
	v := r.URL.Query()
	for _, k := range []string{"sort", "dir"} {
		if v.Has(k) {
			return f, false, errs.Field(k, "sort_fixed", "工作队列按到期日排序（最早到期在前），不能另行排序")
		}
	}
	if v.Get("q") != "" {
		return f, false, errs.Field("q", "query_unsupported", "工作队列不支持检索；按案件编号查找请用 /api/v1/case-numbers/{number}")
	}
	regions, err := s.store.Regions(r.Context(), rq.P.Scope())
	if err != nil {
		return f, false, err
	}
	q, pg, err := apiList(r, queueSpec(r.URL.Path, regions))
	if err != nil {
		return f, false, err
	}
	kinds, none, err := queueKinds(r, rq.P.Role, q.Get("mine") == "true")
	if err != nil {
		return f, false, err
	}
	f = store.QueueFilter{RegionCode: q.Get("region"), Kinds: kinds, State: casebundle.State(q.Get("state")),
		Overdue: q.Get("overdue") == "true", Page: pg}
	if q.Get("assigned") == "true" {
		f.AssigneeID = rq.P.UserID
	}
	if sv := q.Get("simple"); sv != "" {
		simple := sv == "true"
		f.Simple = &simple
	}
	return f, none, nil
}

func (s *Server) apiCaseQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	f, none, err := s.queueFilter(r, rq)
	if err != nil {
		return err
	}
	items := []queueItem{}
	total := 0
	if !none {
		rows, n, err := s.store.CaseQueue(r.Context(), rq.P.Scope(), f)
		if err != nil {
			return err
		}
		for _, row := range rows {
			items = append(items, queueItemOf(row))
		}
		total = n
	}
	web.WriteJSON(w, http.StatusOK, web.ListBody[queueItem]{Items: items, Total: total, Offset: f.Offset, Limit: f.Limit})
	return nil
}
