package backoffice

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"gongshang/internal/access"
	"gongshang/internal/errs"
	"gongshang/internal/param"
	"gongshang/internal/web"
)

// The parameter book: every table grouped by benefit and procedure, each
// row (key and region) with the value in force today and its history —
// every version, its effective date, its source and who added it.

type paramVer struct {
	Effective   string // 2025-01-01
	Value       string // as people read it
	Source      string // source id, for the legend anchor
	SourceShort string
	Note        string
	Confidence  string
	ConfName    string
	Unconfirmed bool
	InForce     bool
	Future      bool
	AddedBy     string
	AddedAt     string
}

type paramRow struct {
	rawKey  string
	region  string // code: 000000 (nation) first, then province, city, county
	Key     string // the key's Chinese name
	Stage   string // procedure stage (time limits)
	Region  string
	Current paramVer
	History []paramVer
}

type paramTable struct {
	Name     string // anchor
	Title    string
	KeyTitle string // "" for keyless tables
	Rows     []paramRow
}

type paramGroup struct {
	ID     string
	Title  string
	Tables []paramTable
}

type paramSource struct {
	ID, Short, Title string
	Used             bool
}

type paramKeyOption struct{ Key, Label string }

type paramsPage struct {
	base
	Groups      []paramGroup
	Sources     []paramSource
	Catalogue   []param.Table
	Keys        []paramKeyOption
	Unconfirmed int
	Today       string
	CanManage   bool
	Form        map[string]string
	Error       string
	Errors      map[string]string // form field → message, marked on the field
	Confidences [][2]string
	Regions     [][2]string
}

// paramRegions are the regions a version may be added for, by name.
var paramRegions = append([][2]string{{param.National, "全国"}}, calcRegions...)

// bookVersion is a version with its origin, in the order it was added.
type bookVersion struct {
	v       param.Version
	addedBy string
	addedAt string
}

// paramBook lists the embedded law, then the stored versions in the order
// they were added — the order in which the effective set applies them.
func (s *Server) paramBook(r *http.Request) ([]bookVersion, error) {
	base, err := param.Default()
	if err != nil {
		return nil, err
	}
	var out []bookVersion
	for _, v := range base.Versions() {
		out = append(out, bookVersion{v: v, addedBy: "随系统发布（据法规原文整理）"})
	}
	recs, err := s.store.ParamRecords(r.Context())
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		by := rec.ActorName
		if by == "" {
			by = "（用户已删除）"
		}
		out = append(out, bookVersion{v: rec.Version, addedBy: by, addedAt: rec.CreatedAt.In(cst).Format("2006-01-02 15:04")})
	}
	return out, nil
}

func buildBook(vs []bookVersion, today time.Time) ([]paramGroup, map[string]bool, int) {
	type rowKey struct{ table, key, region string }
	rows := map[rowKey][]int{}
	for i, bv := range vs {
		k := rowKey{bv.v.Table, bv.v.Key, bv.v.Region}
		rows[k] = append(rows[k], i)
	}
	used := map[string]bool{}
	unconfirmed := 0
	tables := map[string][]paramRow{}
	for k, idx := range rows {
		// history by effective date; equal dates keep the order added
		sort.SliceStable(idx, func(a, b int) bool { return vs[idx[a]].v.EffectiveFrom.Before(vs[idx[b]].v.EffectiveFrom) })
		cur := -1
		for n, i := range idx {
			if !vs[i].v.EffectiveFrom.After(today) {
				cur = n // the latest effective on or before today; the last added on ties
			}
		}
		row := paramRow{rawKey: k.key, region: k.region, Key: param.KeyName(k.table, k.key), Stage: param.Stage(k.table, k.key), Region: param.RegionTitle(k.region)}
		if k.key == "" {
			row.Key = ""
		}
		for n, i := range idx {
			v := vs[i].v
			used[v.Source] = true
			pv := paramVer{Effective: param.FormatDate(v.EffectiveFrom), Value: param.Display(v.Table, v.Value), Source: v.Source,
				SourceShort: param.SourceShort(v.Source), Note: v.Note, Confidence: v.Confidence, ConfName: param.ConfidenceName(v.Confidence),
				Unconfirmed: v.Unconfirmed(), InForce: n == cur, Future: v.EffectiveFrom.After(today), AddedBy: vs[i].addedBy, AddedAt: vs[i].addedAt}
			row.History = append(row.History, pv)
		}
		if cur >= 0 {
			row.Current = row.History[cur]
		} else {
			row.Current = row.History[0] // only future versions: the first to come
		}
		if row.Current.Unconfirmed {
			unconfirmed++
		}
		tables[k.table] = append(tables[k.table], row)
	}
	var out []paramGroup
	for _, g := range param.Groups() {
		pg := paramGroup{ID: g.ID, Title: g.Title}
		for _, name := range g.Tables {
			t, _ := param.TableByName(name)
			rs := tables[name]
			sort.SliceStable(rs, func(a, b int) bool {
				ka, kb := param.KeyRank(name, rs[a].rawKey), param.KeyRank(name, rs[b].rawKey)
				if ka != kb {
					return ka < kb
				}
				if rs[a].rawKey != rs[b].rawKey {
					return rs[a].rawKey < rs[b].rawKey
				}
				return rs[a].region < rs[b].region
			})
			pt := paramTable{Name: name, Title: t.Title, Rows: rs}
			if t.KeyKind != param.KeyNone {
				pt.KeyTitle = t.KeyTitle
				if name == "exit_medical_months" {
					pt.KeyTitle = "伤残等级"
				}
			}
			pg.Tables = append(pg.Tables, pt)
		}
		out = append(out, pg)
	}
	return out, used, unconfirmed
}

func (s *Server) showParams(w http.ResponseWriter, r *http.Request, rq *request, status int, form map[string]string, fail error) error {
	vs, err := s.paramBook(r)
	if err != nil {
		return err
	}
	now := s.store.Now().In(cst)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	groups, used, unconfirmed := buildBook(vs, today)
	p := &paramsPage{base: base{Title: "法定参数"}, Groups: groups, Catalogue: param.Catalogue(), Unconfirmed: unconfirmed,
		Today: param.FormatDate(today), CanManage: rq.P.Can(access.PermParamsManage), Form: form, Errors: map[string]string{},
		Confidences: [][2]string{{"C", "C 已核对原文"}, {"C2", "C2 二手来源"}, {"U", "U 未确认"}}, Regions: paramRegions}
	var e *errs.Error
	if errors.As(fail, &e) {
		p.Error = e.Error()
		for _, f := range e.Fields {
			p.Errors[f.Field] = f.Message
		}
	}
	for _, src := range param.Sources() {
		p.Sources = append(p.Sources, paramSource{ID: src.ID, Short: param.SourceShort(src.ID), Title: src.Title, Used: used[src.ID]})
	}
	for _, t := range p.Catalogue {
		for _, k := range t.Keys {
			l, _ := param.KeyLabel(t.Name, k)
			p.Keys = append(p.Keys, paramKeyOption{Key: k, Label: t.Title + "：" + l})
		}
	}
	s.render(w, r, rq, status, "params", p)
	return nil
}

func (s *Server) paramList(w http.ResponseWriter, r *http.Request, rq *request) error {
	return s.showParams(w, r, rq, http.StatusOK, map[string]string{"region": rq.P.RegionCode, "confidence": "C2"}, nil)
}

func (s *Server) paramAdd(w http.ResponseWriter, r *http.Request, rq *request) error {
	form := map[string]string{}
	for _, f := range []string{"table", "key", "region", "effective_from", "value", "source", "confidence", "note"} {
		form[f] = strings.TrimSpace(r.PostFormValue(f))
	}
	v, err := web.ParseVersion(func(k string) string { return form[k] })
	if err == nil {
		_, err = s.params.Add(r.Context(), rq.P, v)
	}
	if errs.Is(err, errs.Invalid) {
		return s.showParams(w, r, rq, http.StatusBadRequest, form, err)
	}
	if errs.Is(err, errs.Forbidden) { // a region outside the user's scope: keep the form
		return s.showParams(w, r, rq, http.StatusForbidden, form, err)
	}
	if err != nil {
		return err
	}
	t, _ := param.TableByName(v.Table)
	what := t.Title
	if v.Key != "" {
		what += "（" + param.KeyName(v.Table, v.Key) + "）"
	}
	s.flash(r, rq, "已新增参数版本："+what+" = "+param.Display(v.Table, v.Value)+"，适用于"+param.RegionTitle(v.Region)+"，自 "+param.FormatDate(v.EffectiveFrom)+" 起")
	http.Redirect(w, r, "/params", http.StatusSeeOther)
	return nil
}
