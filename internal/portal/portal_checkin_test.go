package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/prevention"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

var checkinToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// checkin opens the check-in page of token and sends the form.
func checkin(t *testing.T, c *webtest.Client, token string, kv ...string) (int, string) {
	t.Helper()
	code, page := c.Raw("GET", "/portal/checkin/"+token, "", "")
	m := checkinToken.FindStringSubmatch(page)
	if code != 200 || m == nil {
		t.Fatalf("check-in page: %d\n%s", code, page)
	}
	v := url.Values{"csrf": {m[1]}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return c.Raw("POST", "/portal/checkin/"+token, "application/x-www-form-urlencoded", v.Encode())
}

// A participant checks in on a phone without a login: on the session's
// day, once; the staff page then lists them.
func TestTrainingCheckinOverHTTP(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := env(t, open)
		f := storetest.TrainingFixture(t, e.S, e.Clock.Now())
		staff := storetest.Actor(access.RoleInsurer, "370811")
		today := e.Clock.Now().In(web.CST).Format("2006-01-02")
		ss, err := e.S.CreateTrainingSession(ctx, staff, f.ProjectID, prevention.SessionInput{HeldOn: today, Place: "任城区人社局", Capacity: 10, Planned: 5, Topic: "危化品储存安全"})
		if err != nil {
			t.Fatal(err)
		}
		later, err := e.S.CreateTrainingSession(ctx, staff, f.ProjectID, prevention.SessionInput{HeldOn: "2026-06-01", Place: "任城区人社局", Capacity: 10, Topic: "下一场"})
		if err != nil {
			t.Fatal(err)
		}
		phone := e.Anon()
		// the code typed on the code page leads to the session's form
		if code, _ := phone.Raw("GET", "/portal/checkin?code="+ss.CheckinCode(), "", ""); code != http.StatusSeeOther {
			t.Fatalf("code form: %d", code)
		}
		id := storetest.IDNumber("370811", "19920202")
		code, body := checkin(t, phone, ss.Checkin, "name", "扫码人", "id_number", id, "employer", "济宁示例化工有限公司", "audience", "一线职工")
		if code != 200 || !strings.Contains(body, `id="checkin-done"`) {
			t.Fatalf("check-in: %d\n%s", code, body)
		}
		code, body = checkin(t, phone, ss.Checkin, "name", "扫码人", "id_number", id, "employer", "济宁示例化工有限公司")
		if code != http.StatusConflict || !strings.Contains(body, "您已签到") {
			t.Fatalf("second check-in: %d\n%s", code, body)
		}
		code, body = checkin(t, phone, ss.Checkin, "name", "错号", "id_number", "370811199202021234", "employer", "甲")
		if code != http.StatusBadRequest || !strings.Contains(body, "校验位") {
			t.Fatalf("bad ID: %d\n%s", code, body)
		}
		// a form without its token is refused
		if code, _ := phone.Raw("POST", "/portal/checkin/"+ss.Checkin, "application/x-www-form-urlencoded", "name=x&id_number="+id+"&employer=y"); code != http.StatusForbidden {
			t.Fatalf("without the form token: %d", code)
		}
		// another day's session shows why and has no form
		if code, page := phone.Raw("GET", "/portal/checkin/"+later.Checkin, "", ""); code != 200 || !strings.Contains(page, `id="checkin-closed"`) || strings.Contains(page, `id="checkin-form"`) {
			t.Fatalf("another day: %d\n%s", code, page)
		}
		if code, _ := phone.Raw("GET", "/portal/checkin/ZZZZZZZZZZ", "", ""); code != http.StatusNotFound {
			t.Fatalf("unknown token: %d", code)
		}
		list, err := e.S.TrainingAttendance(ctx, staff, ss.ID)
		if err != nil || len(list) != 1 || list[0].Source != "checkin" || list[0].Name != "扫码人" {
			t.Fatalf("attendance: %+v %v", list, err)
		}
	})
}
