package backoffice

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/webtest"
)

var campaignPath = regexp.MustCompile(`^/supervision/campaigns/([0-9]+)$`)

// versionIn reads the version a form with id carries.
func versionIn(t *testing.T, page, formID string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + formID + `"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]*"><input type="hidden" name="version" value="([0-9]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no version in form %s:\n%s", formID, page)
	}
	return m[1]
}

func TestSupervisionCampaignThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		if _, err := e.S.CreateUser(ctx, access.System, access.NewUser{Username: "auditor2-370800", DisplayName: "第二稽核员",
			Role: access.RoleAuditor, RegionCode: "370800", Password: webtest.Password}); err != nil {
			t.Fatal(err)
		}
		auditor, second, insurer := e.Login("auditor-370800"), e.Login("auditor2-370800"), e.Login("insurer-370800")
		actor := storetest.Actor(access.RoleAuditor, "370800")
		inst := settlement.Institution{Code: "H37080200001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: settlement.Medical, Level: 3,
			AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
		sys := access.System
		sys.RegionCode = "370000"
		if err := e.S.CreateInstitution(ctx, sys, &inst); err != nil {
			t.Fatal(err)
		}
		x, err := e.S.ImportExtract(ctx, actor, "ui-campaign", storetest.Extract())
		if err != nil {
			t.Fatal(err)
		}
		sc, err := e.S.StartScan(ctx, actor, x.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.S.RunScan(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
		leads, _, err := e.S.FindLeads(ctx, actor.Scope(), store.LeadFilter{ScanID: sc.ID, Institution: inst.Code})
		if err != nil || len(leads) == 0 {
			t.Fatalf("leads %v", err)
		}
		lead, err := e.S.ReviewLead(ctx, actor, leads[0].ID, leads[0].Version, "confirm", "核实属实")
		if err != nil {
			t.Fatal(err)
		}

		// the pool, through the form
		for _, p := range [][]string{{"张一", "370811", "基金管理", "1"}, {"李二", "370811", "基金管理", "1"}, {"王三", "370830", "基金管理", "1"},
			{"赵四", "370830", "基金管理", "1"}, {"钱五", "370802", "骨科", ""}, {"孙六", "370881", "康复", ""}} {
			mustPost(t, auditor, "/supervision/inspectors", http.StatusSeeOther, "name", p[0], "region_code", p[1], "specialty", p[2], "officer", p[3])
		}
		if code, body := postForm(auditor, "/supervision/inspectors", "name", "", "region_code", "370811", "specialty", "骨科"); code/100 != 4 || !strings.Contains(body, "姓名不能为空") {
			t.Fatalf("an inspector without a name: %d\n%s", code, body)
		}
		list := getPage(t, auditor, "/supervision/campaigns", 200)
		if !strings.Contains(list, `id="plan-form"`) || !strings.Contains(list, "钱五") {
			t.Fatalf("campaigns page:\n%s", list)
		}
		if il := getPage(t, insurer, "/supervision/campaigns", 200); strings.Contains(il, `id="plan-form"`) {
			t.Fatal("the insurer's staff are offered the plan")
		}
		if code, _ := postForm(insurer, "/supervision/campaigns", "scan", strconv.FormatInt(sc.ID, 10), "year", "2026", "name", "x"); code != http.StatusForbidden {
			t.Fatalf("insurer plan: %d", code)
		}
		if code, body := postForm(auditor, "/supervision/campaigns", "scan", strconv.FormatInt(sc.ID, 10), "year", "2026", "name", ""); code/100 != 4 || !strings.Contains(body, "名称不能为空") {
			t.Fatalf("a plan without a name: %d\n%s", code, body)
		}
		resp := auditor.Do("POST", "/supervision/campaigns", "application/x-www-form-urlencoded", strings.NewReader(form(auditor,
			"scan", strconv.FormatInt(sc.ID, 10), "year", "2026", "name", "2026年度稽核", "high_share", "50", "medium_share", "0", "random_share", "50")))
		resp.Body.Close()
		cm := campaignPath.FindStringSubmatch(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || cm == nil {
			t.Fatalf("plan: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		cp := cm[0]
		page := getPage(t, auditor, cp, 200)
		if !strings.Contains(page, `id="draw-form"`) || !strings.Contains(page, "H37080200001") || !strings.Contains(page, "H37088100002") {
			t.Fatalf("planned campaign:\n%s", page)
		}
		if strings.Contains(page, `id="record-`) {
			t.Fatal("findings offered before the draw")
		}
		mustPost(t, auditor, cp+"/draw", http.StatusSeeOther, "version", versionIn(t, page, "draw-form"), "teams", "2")
		page = getPage(t, auditor, cp, 200)
		if !strings.Contains(page, `id="team-1"`) || !strings.Contains(page, `id="team-2"`) || !strings.Contains(page, "已抽签分组") {
			t.Fatalf("drawn campaign:\n%s", page)
		}
		// record a finding from the confirmed lead at the visit of the registered institution
		c, _ := strconv.ParseInt(cm[1], 10, 64)
		visits, err := e.S.CampaignVisits(ctx, actor.Scope(), c)
		if err != nil {
			t.Fatal(err)
		}
		var visitID int64
		for _, v := range visits {
			if v.Institution == inst.Code {
				visitID = v.ID
			}
		}
		vp := "/supervision/visits/" + strconv.FormatInt(visitID, 10) + "/findings"
		if !strings.Contains(page, `id="record-`+strconv.FormatInt(visitID, 10)+`"`) {
			t.Fatalf("no record form for visit %d:\n%s", visitID, page)
		}
		mustPost(t, auditor, vp, http.StatusSeeOther, "lead", strconv.FormatInt(lead.ID, 10), "finding_type", "重复收费", "tier", "violation", "description", "重复收取")
		fs, err := e.S.FieldFindings(ctx, actor.Scope(), c)
		if err != nil || len(fs) != 1 || fs[0].Fen != int64(lead.Finding.Fen) {
			t.Fatalf("findings %+v %v", fs, err)
		}
		f := fs[0]
		fp := "/supervision/field-findings/" + strconv.FormatInt(f.ID, 10)
		step := func(who *webtest.Client, action, note, due string) {
			t.Helper()
			cur, err := e.S.FindFieldFinding(ctx, actor, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustPost(t, who, fp+"/act", http.StatusSeeOther, "version", strconv.FormatInt(cur.Version, 10), "action", action, "note", note, "due", due)
		}
		step(auditor, "feed_back", "", "2026-03-20")
		step(auditor, "reply", "医院承认", "")
		// the recorder's own confirmation is refused, with the reason on the page
		if code, body := postForm(auditor, fp+"/act", "version", "3", "action", "confirm", "note", "属实"); code/100 != 4 || !strings.Contains(body, "集体审议须由登记人") {
			t.Fatalf("the recorder confirmed: %d\n%s", code, body)
		}
		step(second, "confirm", "集体审议认定", "")
		step(auditor, "notify", "", "")
		step(auditor, "rectify", "", "2026-04-30")
		yuan := strconv.FormatFloat(float64(f.Fen)/100, 'f', 2, 64)
		mustPost(t, auditor, fp+"/recoveries", http.StatusSeeOther, "kind", "refund", "amount", yuan)
		rs, err := e.S.Recoveries(ctx, f.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("recoveries %+v %v", rs, err)
		}
		mustPost(t, auditor, fp+"/settle", http.StatusSeeOther, "recovery", strconv.FormatInt(rs[0].ID, 10), "version", "1", "recovered", yuan)
		step(auditor, "close", "复查完毕", "")
		page = getPage(t, auditor, cp, 200)
		if !strings.Contains(page, `id="finding-`+strconv.FormatInt(f.ID, 10)+`"`) || !strings.Contains(page, "已办结") || !strings.Contains(page, "已追回") {
			t.Fatalf("closed finding on the page:\n%s", page)
		}
		// a suspension: the register says suspended
		mustPost(t, auditor, cp+"/sanctions", http.StatusSeeOther, "fixmedins_code", inst.Code, "kind", "suspend", "reason", "违规情节严重")
		got, err := e.S.FindInstitution(ctx, sys, inst.ID)
		if err != nil || got.Status != settlement.Suspended {
			t.Fatalf("institution after the suspension: %+v %v", got, err)
		}
		// 曲阜's auditor cannot open the city's campaign
		if code, _ := e.Login("auditor-370881").Raw("GET", cp, "", ""); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("曲阜 opens the city's campaign: %d", code)
		}
	})
}
