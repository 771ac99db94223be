package backoffice

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/audit"
	"gongshang/internal/registry"
	"gongshang/internal/sheet"
	"gongshang/internal/store"
	"gongshang/internal/web"
)

// auditQuery is the audit log's filter as the URL carries it (shared with
// the API: web.AuditQuery).
type auditQuery = web.AuditQuery

func auditQueryOf(r *http.Request) auditQuery { return web.AuditQueryOf(r) }

// describe names the filter for the export's title: 「操作：修改用人单位；地区：任城区」.
func describeAudit(aq auditQuery) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	switch {
	case aq.From != "" && aq.To != "":
		add("日期", aq.From+"至"+aq.To)
	case aq.From != "":
		add("日期", aq.From+"起")
	case aq.To != "":
		add("日期", "至"+aq.To)
	}
	if aq.Region != "" {
		add("地区", web.RegionNames[aq.Region])
	}
	add("操作人", aq.Actor)
	if aq.Type != "" {
		add("对象", strings.TrimSpace(objectTypeName(aq.Type)+" "+aq.Object))
	}
	if aq.Action != "" {
		add("操作", audit.ActionName(aq.Action))
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "；")
}

// auditRow is one entry as the page and the export show it.
type auditRow struct {
	E                         audit.Entry
	When                      string // China Standard Time
	ActorName                 string // 高静（rc-clerk）
	RoleName                  string
	RegionName, ObjRegionName string
	ActionName, TypeName      string
	Obj                       store.AuditObject
	Diff                      []diffRow
	Changed, Unchanged        []diffRow // an update's fields, split
	IsUpdate                  bool
}

type auditPage struct {
	base
	Q       auditQuery
	Errors  map[string]string
	Types   []struct{ Code, Name string }
	Actions []struct{ Code, Name string }
	Regions []registry.Region
	Actors  []access.User
	Items   []auditRow
	Total   int
	Pager   web.Pager
	Export  string // the export link: this view as .xlsx
}

// auditListSpec declares the audit log to the list toolkit: its filters
// (the same as web.AuditQuery reads) for the links, the page size and the
// page jump; the log keeps its one order, newest first.
var auditListSpec = &web.ListSpec{Path: "/audit", Name: "审计日志", Filters: []web.Filter{
	{Key: "from", Label: "起始日期", Date: true}, {Key: "to", Label: "截止日期", Date: true, NotBefore: "from"},
	{Key: "region", Label: "地区"}, {Key: "actor", Label: "操作人"}, {Key: "type", Label: "对象"},
	{Key: "object", Label: "对象编号", ID: true}, {Key: "action", Label: "操作"}}}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request, rq *request) error {
	aq := auditQueryOf(r)
	lq, ferr := web.ParseList(r, auditListSpec)
	var f store.AuditFilter
	if ferr == nil {
		f, ferr = aq.Filter()
	}
	fe, err := fieldErrors(ferr)
	if err != nil {
		return err
	}
	if fe == nil && r.URL.Query().Get("format") == "xlsx" {
		return s.auditExport(w, r, rq, aq, f)
	}
	p := &auditPage{base: base{Title: "审计日志"}, Q: aq, Types: auditObjectTypes}
	for _, a := range auditActions {
		p.Actions = append(p.Actions, struct{ Code, Name string }{a, audit.ActionName(a)})
	}
	ctx, scope := r.Context(), rq.P.Scope()
	if p.Regions, err = s.store.Regions(ctx, scope); err != nil {
		return err
	}
	if p.Actors, err = s.store.FindUsers(ctx, scope); err != nil {
		return err
	}
	status := http.StatusOK
	if fe == nil {
		f.Page = storePage(lq)
		var items []audit.Entry
		items, p.Total, err = s.store.FindAuditEntries(ctx, scope, f)
		if fe, err = fieldErrors(err); err != nil {
			return err
		}
		if p.Items, err = s.auditRows(r, rq, items); err != nil {
			return err
		}
		p.Pager, p.Export = lq.Pager(p.Total), lq.ExportURL()
	}
	if fe != nil {
		p.Errors, status = fe, http.StatusBadRequest
	}
	s.render(w, r, rq, status, "audit", p)
	return nil
}

// auditRows names the entries' actors and objects in Chinese and lays
// out their changes.
func (s *Server) auditRows(r *http.Request, rq *request, es []audit.Entry) ([]auditRow, error) {
	refs := make([]audit.Entry, 0, 2*len(es))
	refs = append(refs, es...)
	for _, e := range es {
		if e.ActorID > 0 {
			refs = append(refs, audit.Entry{ObjectType: "user", ObjectID: strconv.FormatInt(e.ActorID, 10)})
		}
	}
	names, err := s.store.AuditObjects(r.Context(), rq.P.Scope(), refs)
	if err != nil {
		return nil, err
	}
	out := make([]auditRow, len(es))
	for i, e := range es {
		row := auditRow{E: e, When: auditTime(e.At), RegionName: regionText(e.Region), ObjRegionName: regionText(e.ObjRegion),
			ActionName: audit.ActionName(e.Action), TypeName: objectTypeName(e.ObjectType),
			Obj: names[e.ObjectType+":"+e.ObjectID], Diff: diffOf(e), IsUpdate: e.Before != "" && e.After != ""}
		row.ActorName = e.Actor
		if a, ok := names["user:"+strconv.FormatInt(e.ActorID, 10)]; ok && e.ActorID > 0 {
			row.ActorName = a.Name
		}
		row.RoleName = access.Role(e.Role).Name()
		if k := access.Kind(e.ActorKind); k != access.KindStaff && k.Valid() {
			row.RoleName = k.Name()
		}
		if row.Obj.Name == "" && e.ObjectID != "" && e.ObjectID != "0" {
			row.Obj.Name = "编号 " + e.ObjectID
		}
		for _, d := range row.Diff {
			if d.Changed {
				row.Changed = append(row.Changed, d)
			} else {
				row.Unchanged = append(row.Unchanged, d)
			}
		}
		out[i] = row
	}
	return out, nil
}

func regionText(code string) string {
	if n := web.RegionNames[code]; n != "" {
		return n
	}
	return code
}

func auditTime(at string) string {
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return at
	}
	return t.In(cst).Format("2006-01-02 15:04:05")
}

// auditExport streams the filtered log, all pages, as .xlsx: the title
// names the filter, the note the exporter and the time.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, rq *request, aq auditQuery, f store.AuditFilter) error {
	now := s.store.Now().In(cst)
	ex := sheet.Export{Sheet: "审计日志", Title: "审计日志（" + describeAudit(aq) + "）",
		Note: "导出人：" + whoLabel(rq.P) + "　导出时间：" + now.Format("2006年1月2日 15:04") + "（北京时间）",
		Columns: []sheet.Column{{Header: "序号", Width: 8}, {Header: "时间（北京时间）", Width: 20}, {Header: "操作人", Width: 18},
			{Header: "角色", Width: 12}, {Header: "操作人地区", Width: 12}, {Header: "操作", Width: 14}, {Header: "对象类型", Width: 10},
			{Header: "对象", Width: 28}, {Header: "对象地区", Width: 12}, {Header: "变更内容", Width: 60}, {Header: "哈希", Width: 18}}}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-`+now.Format("20060102-1504")+`.xlsx"; filename*=UTF-8''`+
		url.PathEscape("审计日志-"+now.Format("20060102-1504")+".xlsx"))
	err := sheet.ExportXLSX(w, ex, func(add sheet.RowFunc) error {
		var batch []audit.Entry
		flush := func() error {
			rows, err := s.auditRows(r, rq, batch)
			if err != nil {
				return err
			}
			batch = batch[:0]
			for _, row := range rows {
				seq := any("待封存")
				if row.E.Seq > 0 {
					seq = row.E.Seq
				}
				if err := add(seq, row.When, row.ActorName, row.RoleName, row.RegionName, row.ActionName, row.TypeName,
					row.Obj.Name, row.ObjRegionName, changeSummary(row.Diff), row.E.Hash); err != nil {
					return err
				}
			}
			return nil
		}
		err := s.store.EachAuditEntry(r.Context(), rq.P.Scope(), f, func(e audit.Entry) error {
			if batch = append(batch, e); len(batch) == auditExportBatch {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	})
	if err != nil { // nothing is written before the end: the error page follows
		w.Header().Del("Content-Disposition")
	}
	return err
}

// auditExportBatch is how many entries the export names at a time.
var auditExportBatch = 500

// whoLabel names a user as the header does: 任城区 · 窗口受理 · 高静.
func whoLabel(p access.Principal) string {
	return regionText(p.RegionCode) + " · " + p.Label()
}

// userRow is one user as the users page shows it.
type userRow struct {
	access.User
	RegionName string
	LastLogin  string // China Standard Time, "" when never
	Locked     bool
	Self       bool
}

type usersPage struct {
	base
	Users   []userRow
	Roles   []access.Role
	Regions []registry.Region
	New     access.NewUser
	Errors  map[string]string // the new-user form's
	RowID   int64             // the user a refused change was for
	RowErr  string
}

// showUsers renders the users page; err is a refused creation (marked on
// its form) or, with rowID, a refused change of that user (shown on its row).
func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, rq *request, n access.NewUser, err error, rowID int64) error {
	p := &usersPage{base: base{Title: "用户管理"}, Roles: access.Roles, New: n}
	status := http.StatusOK
	if err != nil {
		status = web.Status(err)
		if rowID != 0 {
			p.RowID, p.RowErr = rowID, err.Error()
			if fe, ferr := fieldErrors(err); ferr == nil {
				for _, m := range fe {
					p.RowErr = m
					break
				}
			}
		} else {
			fe, ferr := fieldErrors(err)
			if ferr != nil {
				return ferr
			}
			p.Errors = fe
		}
	}
	ctx := r.Context()
	users, err := s.store.FindUsers(ctx, rq.P.Scope())
	if err != nil {
		return err
	}
	now := s.store.Now()
	for _, u := range users {
		row := userRow{User: u, RegionName: regionText(u.RegionCode), Locked: u.Locked(now), Self: u.ID == rq.P.UserID}
		if u.LastLoginAt != nil {
			row.LastLogin = u.LastLoginAt.In(cst).Format("2006-01-02 15:04")
		}
		p.Users = append(p.Users, row)
	}
	if p.Regions, err = s.store.Regions(ctx, rq.P.Scope()); err != nil {
		return err
	}
	s.render(w, r, rq, status, "users", p)
	return nil
}

// usersListSpec declares the users page to the list toolkit for its
// export (the page shows every user in scope, without paging).
var usersListSpec = &web.ListSpec{Path: "/users", Name: "用户"}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, rq *request) error {
	q, err := web.ParseList(r, usersListSpec)
	if err != nil {
		return err
	}
	if q.Export {
		return s.userExport(w, r, rq, q)
	}
	return s.showUsers(w, r, rq, access.NewUser{RegionCode: rq.P.RegionCode}, nil, 0)
}

// userExport exports the users in scope as the page lists them.
func (s *Server) userExport(w http.ResponseWriter, r *http.Request, rq *request, q *web.ListQuery) error {
	users, err := s.store.FindUsers(r.Context(), rq.P.Scope())
	if err != nil {
		return err
	}
	now := s.store.Now()
	return s.exportList(w, r, rq, q, listExport{Action: store.ExportUsers, File: "users", Total: len(users),
		Columns: []sheet.Column{{Header: "用户名", Width: 16}, {Header: "姓名", Width: 12}, {Header: "角色", Width: 14},
			{Header: "地区", Width: 12}, {Header: "状态", Width: 10}, {Header: "最后登录（北京时间）", Width: 20}, {Header: "连续登录失败", Width: 12}},
		Rows: func(add sheet.RowFunc) (int, error) {
			for _, u := range users {
				status := "正常"
				switch {
				case u.Disabled:
					status = "已停用"
				case u.Locked(now):
					status = "已锁定"
				}
				last := ""
				if u.LastLoginAt != nil {
					last = u.LastLoginAt.In(cst).Format("2006-01-02 15:04")
				}
				if err := add(u.Username, u.DisplayName, u.Role.Name(), regionText(u.RegionCode), status, last, u.FailedLogins); err != nil {
					return 0, err
				}
			}
			return len(users), nil
		}})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, rq *request) error {
	n := access.NewUser{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Role: access.Role(r.PostFormValue("role")), RegionCode: r.PostFormValue("region_code"), Password: r.PostFormValue("password")}
	u, err := s.store.CreateUser(r.Context(), rq.P, n)
	if fe, ferr := fieldErrors(err); ferr == nil && fe != nil {
		n.Password = ""
		return s.showUsers(w, r, rq, n, err, 0)
	}
	if err != nil {
		return err
	}
	s.flash(r, rq, "用户“"+u.Username+"”（"+u.DisplayName+"）已创建："+regionText(u.RegionCode)+" · "+u.Role.Name()+"。")
	http.Redirect(w, r, "/users", http.StatusSeeOther)
	return nil
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.setDisabled(w, r, rq, true)
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.setDisabled(w, r, rq, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, rq *request, disabled bool) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if err := s.store.SetUserDisabled(r.Context(), rq.P, id, disabled); err != nil {
		return s.userRefused(w, r, rq, id, err)
	}
	what := "已启用。"
	if disabled {
		what = "已停用，其登录会话已全部结束。"
	}
	return s.userAdminDone(w, r, rq, id, what)
}

type passwordPage struct {
	base
	Errors map[string]string
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, rq *request) error {
	s.render(w, r, rq, http.StatusOK, "password", &passwordPage{base: base{Title: "修改密码"}})
	return nil
}

func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, rq *request) error {
	err := s.store.ChangePassword(r.Context(), rq.P, r.PostFormValue("current"), r.PostFormValue("password"), rq.Token)
	fe, err := fieldErrors(err)
	if err != nil {
		return err
	}
	if fe != nil {
		s.render(w, r, rq, http.StatusBadRequest, "password", &passwordPage{base: base{Title: "修改密码"}, Errors: fe})
		return nil
	}
	s.flash(r, rq, "密码已修改，您在其他设备上的登录已失效。")
	http.Redirect(w, r, "/account/password", http.StatusSeeOther)
	return nil
}
