package backoffice

import (
	"html"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/supervision"
)

// Points through the finding's form, the clinicians' page with the total
// and its outcome, the sanction form with the suggested step selected and
// its reason filled in, and the institution's rating with its history and
// sanctions.
func TestSupervisionRatingThroughThePages(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		ctx := t.Context()
		fx := storetest.NewAuditFixture(t, e.S, "ui-rating")
		recorder, reviewer := storetest.Auditors()
		auditor, insurer := e.Login("auditor-370800"), e.Login("insurer-370800")
		f := storetest.FedBackFinding(t, e.S, fx.Visits[fx.Inst.Code].ID, supervision.TierViolation, 20000)
		f, err := e.S.ActOnFieldFinding(ctx, recorder, f.ID, f.Version, supervision.ActReply, "医院无异议", "")
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(f.ID, 10)
		cp := "/supervision/campaigns/" + strconv.FormatInt(fx.Campaign.ID, 10)
		if page := getPage(t, auditor, cp, 200); !strings.Contains(page, `id="points-form-`+id+`"`) {
			t.Fatalf("no points form on a replied finding:\n%s", page)
		}
		if page := getPage(t, insurer, cp, 200); strings.Contains(page, `id="points-form-`) {
			t.Fatal("the insurer's staff are offered the points form")
		}
		pp := "/supervision/field-findings/" + id + "/points"
		if code, _ := postForm(insurer, pp, "prac_code", "D370800000001", "name", "张医生", "responsibility", "1"); code != http.StatusForbidden {
			t.Fatalf("insurer points: %d", code)
		}
		mustPost(t, auditor, pp, http.StatusSeeOther, "prac_code", "D370800000001", "name", "张医生", "responsibility", "1")
		if code, body := postForm(auditor, pp, "prac_code", "D370800000001", "name", "张医生", "responsibility", "2"); code/100 != 4 || !strings.Contains(body, "已就稽核发现") {
			t.Fatalf("points twice: %d\n%s", code, body)
		}
		// pending before the review, counted after it
		list := getPage(t, auditor, "/supervision/clinicians", 200)
		if !strings.Contains(list, `id="clinician-D370800000001"`) || !strings.Contains(list, "待审议") {
			t.Fatalf("clinicians before the review:\n%s", list)
		}
		if _, err := e.S.ActOnFieldFinding(ctx, reviewer, f.ID, f.Version, supervision.ActConfirm, "集体审议认定", ""); err != nil {
			t.Fatal(err)
		}
		list = getPage(t, insurer, "/supervision/clinicians?prac=d370800000001", 200)
		if !strings.Contains(list, `<td class="num total">6</td>`) || !strings.Contains(list, "约谈提醒") {
			t.Fatalf("clinicians after the review:\n%s", list)
		}
		// the suggested step, selected, with its reason
		page := getPage(t, auditor, cp, 200)
		sg, err := e.S.SuggestSanction(ctx, recorder, fx.Campaign.ID, fx.Inst.Code)
		if err != nil {
			t.Fatal(err)
		}
		form := `id="sanction-form-` + fx.Inst.Code + `"`
		i := strings.Index(page, form)
		if i < 0 || strings.Contains(page, `id="sanction-form-`+fx.Other.Code+`"`) {
			t.Fatalf("suggestion forms:\n%s", page)
		}
		block := page[i:]
		block = block[:strings.Index(block, "</form>")]
		if !strings.Contains(block, `<option value="`+string(sg.Kind)+`" selected>`) || !strings.Contains(html.UnescapeString(block), sg.Reason) ||
			strings.Count(block, " selected") != 1 {
			t.Fatalf("the suggestion %+v in its form:\n%s", sg, block)
		}
		mustPost(t, auditor, cp+"/sanctions", http.StatusSeeOther, "fixmedins_code", fx.Inst.Code, "kind", string(sg.Kind), "reason", sg.Reason)
		// the institution's rating, its history and its sanctions
		ip := getPage(t, insurer, "/supervision/institutions/"+fx.Inst.Code, 200)
		r, _ := e.S.Rating(ctx, fx.Inst.Code)
		if !strings.Contains(ip, `<dd id="rating-grade">`+r.Grade+`</dd>`) || !strings.Contains(ip, "稽核发现"+id+"审议确认") ||
			!strings.Contains(ip, sg.Kind.Name()) || strings.Contains(ip, "尚无等级变化") {
			t.Fatalf("institution page:\n%s", ip)
		}
		// the register's page shows the latest rating to the supervision's readers
		reg := getPage(t, auditor, "/institutions/"+strconv.FormatInt(fx.Inst.ID, 10), 200)
		if !strings.Contains(reg, `id="institution-rating"`) || !strings.Contains(reg, "<b>"+r.Grade+"</b>") {
			t.Fatalf("the register's page without the rating:\n%s", reg)
		}
		if reg := getPage(t, auditor, "/institutions/"+strconv.FormatInt(fx.Other.ID, 10), 200); strings.Contains(reg, `id="institution-rating"`) {
			t.Fatal("a rating card for an institution never rated")
		}
		if code, _ := auditor.Raw("GET", "/supervision/institutions/H00000000000", "", ""); code != http.StatusNotFound {
			t.Fatalf("an institution never audited: %d", code)
		}
		if code, _ := e.Login("auditor-370881").Raw("GET", "/supervision/institutions/"+fx.Inst.Code, "", ""); code != http.StatusNotFound {
			t.Fatalf("曲阜's auditor reads a 任城 institution's rating: %d", code)
		}
	})
}
