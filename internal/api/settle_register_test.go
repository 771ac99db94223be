package api

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"gongshang/internal/access"
	"gongshang/internal/catalogue"
	"gongshang/internal/settlement"
	"gongshang/internal/store"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// Institutions over the API: created in the caller's scope, a token
// returned once, a versioned patch (409 when stale), another county's
// administrator refused; both engines.
func TestAPIInstitutions(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		storetest.MustUser(t, e.S, "admin-370826", access.RoleAdmin, "370826", "test-password-1")
		admin := e.Login("admin-370800")
		in := institutionInput{Code: "H37081100801", Name: "济宁接口测试医院", RegionCode: "370811", Type: "medical", Level: 2, Beds: 500,
			Depts: []string{"骨科"}, AgreementFrom: "2026-01-01", AgreementTo: "2026-12-31"}
		var got settlement.Institution
		if code := admin.JSON("POST", "/api/v1/institutions", in, &got); code != http.StatusCreated || got.ID == 0 || got.Status != settlement.Active {
			t.Fatalf("create: %d %+v", code, got)
		}
		var bad web.ErrorBody
		dup := in
		dup.Name = ""
		if code := admin.JSON("POST", "/api/v1/institutions", dup, &bad); code != http.StatusBadRequest || len(bad.Error.Fields) == 0 || bad.Error.Fields[0].Field != "name" {
			t.Errorf("bad create: %d %+v", code, bad)
		}
		path := fmt.Sprintf("/api/v1/institutions/%d", got.ID)
		var tok tokenBody
		if code := admin.JSON("POST", path+"/token", nil, &tok); code != http.StatusCreated || len(tok.Token) != 48 || tok.PaasID == "" || tok.Rotated {
			t.Fatalf("token: %d %+v", code, tok)
		}
		var read settlement.Institution
		admin.JSON("GET", path, nil, &read)
		if read.PaasID != tok.PaasID {
			t.Errorf("paasid %q, want %q", read.PaasID, tok.PaasID)
		}
		if _, body := admin.Raw("GET", path, "", ""); strings.Contains(body, tok.Token) {
			t.Error("the token is readable after issue")
		}
		name := "济宁接口测试医院（新址）"
		var patched settlement.Institution
		if code := admin.JSON("PATCH", path, institutionPatch{Version: read.Version, Name: &name}, &patched); code != 200 || patched.Name != name || patched.Version != read.Version+1 {
			t.Fatalf("patch: %d %+v", code, patched)
		}
		var stale web.ErrorBody
		if code := admin.JSON("PATCH", path, institutionPatch{Version: read.Version, Name: &name}, &stale); code != http.StatusConflict || !strings.Contains(stale.Error.Message, "已被他人修改") {
			t.Errorf("stale patch: %d %+v", code, stale)
		}
		suspended := "suspended"
		if code := admin.JSON("PATCH", path, institutionPatch{Version: patched.Version, Status: &suspended}, &bad); code != http.StatusBadRequest || bad.Error.Fields[0].Field != "status_reason" {
			t.Errorf("suspension without a reason: %d %+v", code, bad)
		}
		weishan := e.Login("admin-370826")
		for _, probe := range []struct{ method, path string }{{"GET", path}, {"PATCH", path}, {"POST", path + "/token"}} {
			if code := weishan.JSON(probe.method, probe.path, institutionPatch{Version: 1, Name: &name}, nil); code != http.StatusNotFound && code != http.StatusForbidden {
				t.Errorf("微山 %s %s: %d", probe.method, probe.path, code)
			}
		}
		var list web.ListBody[settlement.Institution]
		if code := weishan.JSON("GET", "/api/v1/institutions", nil, &list); code != 200 || list.Total != 0 {
			t.Errorf("微山's list: %d %d", code, list.Total)
		}
		if code := admin.JSON("GET", "/api/v1/institutions?level=2&sort=name&q=接口", nil, &list); code != 200 || list.Total != 1 || list.Items[0].ID != got.ID {
			t.Errorf("list: %d %+v", code, list)
		}
		if code := e.Login("clerk-370800").JSON("POST", path+"/token", nil, nil); code != http.StatusForbidden {
			t.Errorf("a clerk issues a token: %d", code)
		}
	})
}

// The catalogue import over the API: problems with rows as in the file and
// nothing written; a good sheet imported; the list by day.
func TestAPICatalogue(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	admin := e.Login("admin-370800")
	post := func(content string) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "目录.csv")
		fw.Write([]byte(content))
		mw.Close()
		return admin.Raw("POST", "/api/v1/catalogue/imports", mw.FormDataContentType(), body.String())
	}
	head := strings.Join(catalogue.EntryHeader(), ",") + "\n"
	good := "诊疗项目,001102000010000,普通门诊诊查费,,次,8,9,10,是,2025-01-01,,1,,,,,370000,\n"
	code, body := post(head + good + "诊疗项目,001102000010000,重复,,次,8,9,10,否,2025-06-01,,,,,,,370000,\n")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, `"row":3`) || !strings.Contains(body, "有效期重叠") {
		t.Fatalf("overlap: %d %s", code, body)
	}
	if _, n, _ := e.S.FindCatalogue(t.Context(), store.CatalogueQuery{}, store.Page{}); n != 0 {
		t.Fatalf("%d rows written by a refused import", n)
	}
	if code, body := post(head + good); code != http.StatusCreated || !strings.Contains(body, `"added":1`) {
		t.Fatalf("import: %d %s", code, body)
	}
	var list web.ListBody[catalogue.Entry]
	if code := admin.JSON("GET", "/api/v1/catalogue?category=item&on=2026-03-02", nil, &list); code != 200 || list.Total != 1 || list.Items[0].Prices[2] != 1000 {
		t.Errorf("list: %d %+v", code, list)
	}
	if code := admin.JSON("GET", "/api/v1/catalogue?on=2024-01-01", nil, &list); code != 200 || list.Total != 0 {
		t.Errorf("list before validity: %d %d", code, list.Total)
	}
	if code, _ := e.Login("clerk-370800").Raw("POST", "/api/v1/catalogue/imports", "multipart/form-data; boundary=x", "--x--\r\n"); code != http.StatusForbidden {
		t.Errorf("a clerk imports: %d", code)
	}
}

// Filings over the API: created for a recognised case, listed in the
// region, cancellation refused in the holding period, 曲阜 refused.
func TestAPIFilings(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite)
	c := storetest.MustRecognisedCase(t, e.S, "370811")
	clerk := e.Login("clerk-370800")
	var f settlement.Filing
	if code := clerk.JSON("POST", "/api/v1/filings", filingInput{CaseID: c.ID, Kind: "posted", TreatRegion: "320300", Reason: "派驻徐州项目部"}, &f); code != http.StatusCreated ||
		f.ValidTo != "2027-03-01" || f.State != settlement.FilingActive {
		t.Fatalf("create: %d %+v", code, f)
	}
	var bad web.ErrorBody
	if code := clerk.JSON("POST", "/api/v1/filings", filingInput{CaseID: c.ID, Kind: "posted", TreatRegion: "320300", Reason: "again"}, &bad); code != http.StatusBadRequest ||
		bad.Error.Fields[0].Field != "kind" {
		t.Errorf("a second residence filing: %d %+v", code, bad)
	}
	var list web.ListBody[store.FilingRow]
	if code := clerk.JSON("GET", "/api/v1/filings?kind=posted", nil, &list); code != 200 || list.Total != 1 || list.Items[0].CaseNumber != c.Number {
		t.Errorf("list: %d %+v", code, list)
	}
	if code := e.Login("clerk-370881").JSON("GET", "/api/v1/filings", nil, &list); code != 200 || list.Total != 0 {
		t.Errorf("曲阜's list: %d %d", code, list.Total)
	}
	path := fmt.Sprintf("/api/v1/filings/%d/cancel", f.ID)
	if code := e.Login("clerk-370881").JSON("POST", path, filingCancelInput{Version: 1, Reason: "x"}, nil); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("曲阜 cancels: %d", code)
	}
	if code := clerk.JSON("POST", path, filingCancelInput{Version: 1, Reason: "项目提前结束"}, &bad); code != http.StatusConflict || !strings.Contains(bad.Error.Message, "2026-06-02起") {
		t.Errorf("cancel in the holding period: %d %+v", code, bad)
	}
}
