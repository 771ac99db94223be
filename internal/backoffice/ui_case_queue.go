package backoffice

import (
	"net/http"
	"slices"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/casebundle"
	"gongshang/internal/deadline"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// The work queue (工作队列): the open agency steps of the cases in the
// user's scope, the soonest due first (store.CaseQueue). The tab 我的待办
// shows the services the user's role works (casebundle.QueueKinds); 全部
// shows every service. With format=xlsx the queue as filtered is exported,
// all pages, audited as store.ExportCases.

// Queue views (the "view" filter).
const (
	viewMine     = "mine"
	viewAssigned = "assigned"
	viewAll      = "all"
)

// caseQueueSpec declares the queue's filters; it has no sort keys: the
// order is the statutory one (due date, then the step).
func caseQueueSpec(regions []registry.Region) *web.ListSpec {
	kinds := make([]web.Choice, len(casebundle.ServiceKinds))
	for i, k := range casebundle.ServiceKinds {
		kinds[i] = web.Choice{Value: string(k), Name: k.Name()}
	}
	var states []web.Choice
	for _, st := range casebundle.States() {
		if !st.Final() {
			states = append(states, web.Choice{Value: string(st), Name: st.Name()})
		}
	}
	regionChoices := make([]web.Choice, len(regions))
	for i, r := range regions {
		regionChoices[i] = web.Choice{Value: r.Code, Name: r.Name}
	}
	return &web.ListSpec{Path: "/cases", Name: "案件待办",
		Filters: []web.Filter{
			{Key: "view", Label: "范围", Choices: []web.Choice{{Value: viewMine, Name: "我的待办"}, {Value: viewAssigned, Name: "分配给我"}, {Value: viewAll, Name: "全部"}}},
			{Key: "region", Label: "地区", Choices: regionChoices},
			{Key: "kind", Label: "业务", Choices: kinds},
			{Key: "state", Label: "状态", Choices: states},
			{Key: "procedure", Label: "程序", Choices: []web.Choice{{Value: "simple", Name: "简易程序"}, {Value: "normal", Name: "普通程序"}}},
			{Key: "overdue", Label: "超期", Choices: []web.Choice{{Value: "1", Name: "已超期"}}},
		}}
}

// queueRow is one line of the queue as the page shows it.
type queueRow struct {
	store.QueueRow
	KindName, StateName, StepTitle, RegionName string
	Late, DueToday                             bool // past its due date (or marked overdue); due today
}

type queuePage struct {
	base
	L       *web.ListQuery
	View    string // mine or all, as in effect
	MyKinds []casebundle.ServiceKind
	Rows    []queueRow
	Pager   web.Pager
	MineURL string
	AllURL  string
	CanOpen bool
}

// caseQueue is GET /cases.
func (s *Server) caseQueue(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, scope := r.Context(), rq.P.Scope()
	regions, err := s.store.Regions(ctx, scope)
	if err != nil {
		return err
	}
	q, err := web.ParseList(r, caseQueueSpec(regions))
	if err != nil {
		return err
	}
	p := &queuePage{base: base{Title: "案件待办"}, L: q, MyKinds: casebundle.QueueKinds(rq.P.Role), CanOpen: rq.P.Can(access.PermCaseOpen),
		MineURL: "/cases?view=" + viewMine, AllURL: "/cases?view=" + viewAll}
	f, view, none := queueFilterOf(q, p.MyKinds, rq.P.UserID)
	p.View = view
	f.Page = storePage(q)
	if q.Export {
		return s.exportQueue(w, r, rq, q, f, none)
	}
	var rows []store.QueueRow
	total := 0
	if !none {
		if rows, total, err = s.store.CaseQueue(ctx, scope, f); err != nil {
			return err
		}
	}
	today := s.today()
	for _, row := range rows {
		p.Rows = append(p.Rows, queueRowOf(row, today))
	}
	p.Pager = q.Pager(total)
	s.render(w, r, rq, http.StatusOK, "cases", p)
	return nil
}

// queueFilterOf is the store filter of a parsed queue query and the view
// in effect: 我的待办 unless 全部 is asked for or the role works no queue;
// none is set when the filter cannot match (a service not of my role under
// 我的待办).
func queueFilterOf(q *web.ListQuery, mine []casebundle.ServiceKind, userID int64) (f store.QueueFilter, view string, none bool) {
	f = store.QueueFilter{RegionCode: q.Get("region"), State: casebundle.State(q.Get("state")), Overdue: q.Get("overdue") == "1"}
	view = q.Get("view")
	if view == "" {
		view = viewMine
	}
	if len(mine) == 0 {
		view = viewAll
	}
	if view == viewAssigned {
		f.AssigneeID = userID
	}
	if k := casebundle.ServiceKind(q.Get("kind")); k != "" {
		f.Kinds = []casebundle.ServiceKind{k}
		if view == viewMine && !slices.Contains(mine, k) {
			none = true
		}
	} else if view == viewMine {
		f.Kinds = mine
	}
	switch q.Get("procedure") {
	case "simple":
		yes := true
		f.Simple = &yes
	case "normal":
		no := false
		f.Simple = &no
	}
	return f, view, none
}

// queueColumns are the export's columns: the queue's, then the two marks
// the page shows inline (简易, 已超期 / 今日到期) as columns of their own.
var queueColumns = []sheet.Column{{Header: "案件编号", Width: 22}, {Header: "职工", Width: 10}, {Header: "用人单位", Width: 28},
	{Header: "业务", Width: 12}, {Header: "状态", Width: 14}, {Header: "当前步骤", Width: 22}, {Header: "办理时限", Width: 12},
	{Header: "地区", Width: 10}, {Header: "程序", Width: 10}, {Header: "超期", Width: 10}}

// exportPage is how many queue rows each read of the export takes (the
// store's largest page).
const exportPage = 200

// exportQueue streams the queue as filtered, every page, as .xlsx; none
// (a filter that cannot match) exports the header alone. Rows are read a
// page at a time in the queue's order; a step that moves while the file is
// written may appear twice or not at all, as on paging the screen.
func (s *Server) exportQueue(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery, f store.QueueFilter, none bool) error {
	ctx, scope := r.Context(), rq.P.Scope()
	total := 0
	if !none {
		f.Page = store.Page{Limit: 1}
		var err error
		if _, total, err = s.store.CaseQueue(ctx, scope, f); err != nil {
			return err
		}
	}
	today := s.today()
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportCases, File: "cases", Columns: queueColumns, Total: total,
		Rows: func(add sheet.RowFunc) (int, error) {
			n := 0
			for f.Page = (store.Page{Limit: exportPage}); !none && n < total; f.Page.Offset += exportPage {
				rows, _, err := s.store.CaseQueue(ctx, scope, f)
				if err != nil {
					return n, err
				}
				for _, row := range rows {
					v := queueRowOf(row, today)
					if err := add(v.Number, v.WorkerName, v.Employer, v.KindName, v.StateName, v.StepTitle, v.Due, v.RegionName,
						procedureName(v.Simple), dueMark(v.Late, v.DueToday)); err != nil {
						return n, err
					}
					n++
				}
				if len(rows) < exportPage {
					break
				}
			}
			return n, nil
		}})
}

// procedureName is the procedure's name in the export.
func procedureName(simple bool) string {
	if simple {
		return "简易程序"
	}
	return "普通程序"
}

// dueMark is the queue's badge as text.
func dueMark(late, dueToday bool) string {
	switch {
	case late:
		return "已超期"
	case dueToday:
		return "今日到期"
	}
	return ""
}

func queueRowOf(row store.QueueRow, today string) queueRow {
	out := queueRow{QueueRow: row, KindName: row.Kind.Name(), StateName: row.State.Name(), StepTitle: stepTitle(row.Step),
		RegionName: web.RegionNames[row.RegionCode]}
	out.Late, out.DueToday = dueFlags(row.Due, row.Overdue, today)
	return out
}

// dueFlags: past due (or marked overdue by the job), or due today.
func dueFlags(due string, overdue bool, today string) (late, dueToday bool) {
	if due == "" {
		return overdue, false
	}
	return overdue || due < today, !overdue && due == today
}

// stepTitle is a deadline step's Chinese title ("" for no step).
func stepTitle(step string) string {
	if step == "" {
		return ""
	}
	if st, ok := deadline.StepByName(step); ok {
		return st.Title
	}
	return step
}

// today is the store clock's civil date in China Standard Time.
func (s *Server) today() string { return s.store.Now().In(cst).Format(time.DateOnly) }
