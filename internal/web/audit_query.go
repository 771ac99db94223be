package web

import (
	"cmp"
	"net/http"
	"strings"
	"time"

	"gongshang/internal/errs"
	"gongshang/internal/store"
)

// CST is China Standard Time, in which people read and filter instants.
var CST = time.FixedZone("CST", 8*3600)

// AuditQuery is the audit log's filter as a URL carries it, so a view can
// be bookmarked and exported as shown; the back office and the API read
// the same parameters.
type AuditQuery struct {
	From, To, Actor, Type, Object, Action, Region string
}

// AuditQueryOf reads from, to (civil dates in CST), actor, type and object
// (the API's object_type and object_id are the same), action and region.
func AuditQueryOf(r *http.Request) AuditQuery {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return AuditQuery{From: get("from"), To: get("to"), Actor: get("actor"),
		Type: cmp.Or(get("type"), get("object_type")), Object: cmp.Or(get("object"), get("object_id")),
		Action: get("action"), Region: get("region")}
}

// Filter turns the query into the store's filter; dates are civil dates
// in China Standard Time, both ends included.
func (aq AuditQuery) Filter() (store.AuditFilter, error) {
	f := store.AuditFilter{ObjectType: aq.Type, ObjectID: aq.Object, Actor: aq.Actor, Action: aq.Action, Region: aq.Region}
	var fs errs.Fields
	day := func(name, label, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, CST)
		if err != nil {
			fs.Add(name, "date_format", "%s“%s”无效，应为 2025-03-10 这样的日期", label, v)
		}
		return t
	}
	f.From = day("from", "起始日期", aq.From)
	if to := day("to", "截止日期", aq.To); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		fs.Add("to", "date_order", "截止日期不能早于起始日期")
	}
	if aq.Object != "" && aq.Type == "" {
		fs.Add("type", "required", "按对象编号查询时，请选择对象类型")
	}
	return f, fs.Err()
}
