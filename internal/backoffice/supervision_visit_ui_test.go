package backoffice

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
	"gongshang/internal/webtest"
)

// uploadEvidence posts the visit page's evidence form with a file.
func uploadEvidence(c *webtest.Client, visitID int64, kind, title, name string, content []byte) (int, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf", c.CSRF)
	_ = mw.WriteField("kind", kind)
	_ = mw.WriteField("title", title)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return c.Raw("POST", fmt.Sprintf("/supervision/visits/%d/evidence", visitID), mw.FormDataContentType(), b.String())
}

func TestSupervisionVisitThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		auditor, insurer := e.Login("auditor-370800"), e.Login("insurer-370800")
		actor := storetest.Actor(access.RoleAuditor, "370800")
		inst := settlement.Institution{Code: "H37080200001", Name: "济宁市第一人民医院", RegionCode: "370811", Type: settlement.Medical, Level: 3,
			AgreementFrom: "2025-01-01", AgreementTo: "2027-12-31", Status: settlement.Active}
		sys := access.System
		sys.RegionCode = "370000"
		if err := e.S.CreateInstitution(ctx, sys, &inst); err != nil {
			t.Fatal(err)
		}
		x, err := e.S.ImportExtract(ctx, actor, "ui-visit", storetest.Extract())
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
		c, err := e.S.PlanCampaign(ctx, actor, sc.ID, 2026, "2026年度稽核", supervision.PlanOptions{HighShare: 0.5, RandomShare: 0.5, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i, county := range []string{"370811", "370811", "370830", "370830"} {
			if _, err := e.S.AddInspector(ctx, actor, supervision.Inspector{Name: "检查员" + string(rune('甲'+i)), County: county, Specialty: "基金管理", Officer: true}); err != nil {
				t.Fatal(err)
			}
		}
		if c, err = e.S.DrawCampaignTeams(ctx, actor, c.ID, c.Version, 2); err != nil {
			t.Fatal(err)
		}
		visits, err := e.S.CampaignVisits(ctx, actor.Scope(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var visit store.CampaignVisit
		for _, v := range visits {
			if v.Institution == inst.Code {
				visit = v
			}
		}
		cp := fmt.Sprintf("/supervision/campaigns/%d", c.ID)
		vp := fmt.Sprintf("/supervision/visits/%d", visit.ID)
		if page := getPage(t, auditor, cp, 200); !strings.Contains(page, `href="`+vp+`"`) {
			t.Fatalf("the campaign page does not link the visit:\n%s", page)
		}
		page := getPage(t, auditor, vp, 200)
		for _, want := range []string{"济宁市第一人民医院", `id="evidence-form"`, `id="visited-form"`, "检查员", "尚无现场证据"} {
			if !strings.Contains(page, want) {
				t.Fatalf("visit page lacks %q:\n%s", want, page)
			}
		}
		// a photo uploaded, then served inline, its type never sniffed
		img := storetest.PNG(t)
		if code, _ := uploadEvidence(auditor, visit.ID, "photo", "病房床位", "ward.png", img); code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		if code, body := uploadEvidence(auditor, visit.ID, "photo", "假照片", "x.png", []byte("<script>alert(1)</script>")); code/100 != 4 || !strings.Contains(body, "文件类型不支持") {
			t.Fatalf("a script as a photo: %d\n%s", code, body)
		}
		ev, err := e.S.VisitEvidence(ctx, actor, visit.ID, 0)
		if err != nil || len(ev) != 1 {
			t.Fatalf("evidence %+v %v", ev, err)
		}
		page = getPage(t, auditor, vp, 200)
		fp := fmt.Sprintf("/supervision/evidence/%d", ev[0].ID)
		if !strings.Contains(page, `href="`+fp+`"`) || !strings.Contains(page, "病房床位") {
			t.Fatalf("the photo is not listed:\n%s", page)
		}
		resp := auditor.Do("GET", fp, "", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "inline") || !bytes.Equal(body, img) {
			t.Fatalf("evidence file: %d %v (%d bytes)", resp.StatusCode, h, len(body))
		}
		// the insurer assisting: sees it listed, not its file; adds its own note
		if ip := getPage(t, insurer, vp, 200); !strings.Contains(ip, "仅可查看个人信息的人员和上传人可查看") || strings.Contains(ip, `id="visited-form"`) {
			t.Fatalf("the insurer's visit page:\n%s", ip)
		}
		if code, _ := insurer.Raw("GET", fp, "", ""); code != http.StatusNotFound {
			t.Fatalf("the insurer opens an auditor's photo: %d", code)
		}
		mustPost(t, insurer, vp+"/evidence", http.StatusSeeOther, "kind", "note", "title", "陪同记录", "note", "病房12床无人")
		if code, _ := postForm(insurer, vp+"/visited", "version", strconv.FormatInt(visit.Version, 10)); code != http.StatusForbidden {
			t.Fatalf("the insurer marks the visit: %d", code)
		}
		// 曲阜's auditor does not reach a 任城 item
		if code, _ := e.Login("auditor-370881").Raw("GET", fp, "", ""); code != http.StatusNotFound && code != http.StatusForbidden {
			t.Fatalf("曲阜 opens a 任城 photo: %d", code)
		}
		// visited: the campaign goes on site; closed once nothing is open
		mustPost(t, auditor, vp+"/visited", http.StatusSeeOther, "version", versionIn(t, page, "visited-form"))
		if cc, _ := e.S.FindCampaign(ctx, actor, c.ID); cc.State != "on_site" {
			t.Fatalf("campaign after the visit: %s", cc.State)
		}
		page = getPage(t, auditor, vp, 200)
		mustPost(t, auditor, vp+"/close", http.StatusSeeOther, "version", versionIn(t, page, "visit-close-form"))
		if page = getPage(t, auditor, vp, 200); !strings.Contains(page, `id="visit-state">已办结`) {
			t.Fatalf("closed visit:\n%s", page)
		}
		// the campaign's close lists the visits still open
		page = getPage(t, auditor, cp, 200)
		code, closeBody := postForm(auditor, cp+"/close", "version", versionIn(t, page, "close-form"))
		if code != http.StatusConflict || !strings.Contains(closeBody, "个检查对象未办结") {
			t.Fatalf("closing with open visits: %d\n%s", code, closeBody)
		}
		for _, v := range visits {
			if v.ID == visit.ID {
				continue
			}
			y, err := e.S.MarkVisited(ctx, actor, v.ID, v.Version)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.S.CloseVisit(ctx, actor, v.ID, y.Version); err != nil {
				t.Fatal(err)
			}
		}
		page = getPage(t, auditor, cp, 200)
		mustPost(t, auditor, cp+"/close", http.StatusSeeOther, "version", versionIn(t, page, "close-form"))
		if page = getPage(t, auditor, cp, 200); !strings.Contains(page, `id="campaign-state">已结束`) {
			t.Fatalf("closed campaign:\n%s", page)
		}
		if page = getPage(t, auditor, vp, 200); strings.Contains(page, `id="evidence-form"`) {
			t.Fatal("a closed campaign's visit offers the upload")
		}
		// an inspector retired through the pool's form
		pool, _ := e.S.Inspectors(ctx, false)
		mustPost(t, auditor, fmt.Sprintf("/supervision/inspectors/%d/retire", pool[0].ID), http.StatusSeeOther, "version", strconv.FormatInt(pool[0].Version, 10))
		if active, _ := e.S.Inspectors(ctx, true); len(active) != len(pool)-1 {
			t.Fatalf("%d active after a retirement of %d", len(active), len(pool))
		}
	})
}
