package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gongshang/internal/storetest"
	"gongshang/internal/web"
	"gongshang/internal/webtest"
)

// application is a complete accident application of the env's worker at
// its employer, as JSON.
func application(e *webtest.Env, injury string) map[string]any {
	return map[string]any{"worker_id": e.Worker.ID, "employer_id": e.Home.ID, "injury_date": injury, "application_date": "2026-02-20",
		"applicant": "employer", "applicant_name": e.Home.Name, "place": "一号车间", "cause": "搬运钢材时被砸伤左脚",
		"injured_part": "左足", "diagnosis": "左足第一跖骨骨折", "hospital": "济宁市第一人民医院"}
}

// caseAnswer is the part of a case answer the tests read.
type caseAnswer struct {
	ID       int64  `json:"id"`
	Number   string `json:"number"`
	Channel  string `json:"channel"`
	Services []struct {
		ID             int64  `json:"id"`
		Kind           string `json:"kind"`
		State          string `json:"state"`
		StateName      string `json:"state_name"`
		Step           string `json:"step"`
		StepTitle      string `json:"step_title"`
		Due            string `json:"due"`
		Version        int64  `json:"version"`
		AllowedActions []struct {
			Action, Name string
		} `json:"allowed_actions"`
	} `json:"services"`
	Materials []struct {
		Service string `json:"service"`
		Items   []struct {
			Code       string `json:"code"`
			Source     string `json:"source"`
			SourceName string `json:"source_name"`
			Missing    bool   `json:"missing"`
		} `json:"items"`
	} `json:"materials"`
	ApplicantDocuments struct {
		Count int      `json:"count"`
		Codes []string `json:"codes"`
	} `json:"applicant_documents"`
	BaselineDocuments int `json:"baseline_documents"`
	ApplicationPeriod struct {
		Due  string `json:"due"`
		Late bool   `json:"late"`
	} `json:"application_period"`
}

func (c caseAnswer) svc(t *testing.T, kind string) (id, version int64, state string, allowed []string) {
	t.Helper()
	for _, s := range c.Services {
		if s.Kind == kind {
			for _, a := range s.AllowedActions {
				allowed = append(allowed, a.Action)
			}
			return s.ID, s.Version, s.State, allowed
		}
	}
	t.Fatalf("case %s has no %s: %+v", c.Number, kind, c.Services)
	return
}

// openCase opens the env worker's case through the API.
func openCase(t *testing.T, e *webtest.Env, injury string) caseAnswer {
	t.Helper()
	var c caseAnswer
	if code := e.Login("clerk-370800").JSON("POST", "/api/v1/cases", application(e, injury), &c); code != http.StatusCreated {
		t.Fatalf("open: %d %+v", code, c)
	}
	return c
}

// upload posts one material as multipart.
func upload(t *testing.T, c *webtest.Client, caseID int64, material, name string, data []byte) (int, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("material", material)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	resp := c.Do("POST", fmt.Sprintf("/api/v1/cases/%d/files", caseID), mw.FormDataContentType(), &b)
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	return resp.StatusCode, out.String()
}

func pdfOf(text string) []byte { return []byte("%PDF-1.4\n" + text + "\n%%EOF\n") }

// uploadRecognition supplies what recognition needs from the applicant.
func uploadRecognition(t *testing.T, e *webtest.Env, caseID int64) {
	t.Helper()
	for _, m := range []string{"application_form", "diagnosis"} {
		if code, body := upload(t, e.Login("clerk-370800"), caseID, m, m+".pdf", pdfOf(m)); code != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", m, code, body)
		}
	}
}

// act posts an action and decodes the answer (an error body on failure).
func act(c *webtest.Client, caseID, svcID int64, a map[string]any, out any) int {
	return c.JSON("POST", fmt.Sprintf("/api/v1/cases/%d/services/%d/actions", caseID, svcID), a, out)
}

// wantError checks an error answer's status, and its first field and
// code when given, with a Chinese message.
func wantError(t *testing.T, what string, code int, got apiError, status int, field, fcode string) {
	t.Helper()
	if code != status || !webtest.HasHan(got.Error.Message) {
		t.Errorf("%s: %d %+v, want %d with a Chinese message", what, code, got, status)
		return
	}
	if field == "" {
		return
	}
	if len(got.Error.Fields) == 0 || got.Error.Fields[0].Field != field || (fcode != "" && got.Error.Fields[0].Code != fcode) ||
		!webtest.HasHan(got.Error.Fields[0].Message) {
		t.Errorf("%s: fields %+v, want %s/%s", what, got.Error.Fields, field, fcode)
	}
}

// One recognition from the window to the decision, with the refusals on
// the way: materials missing, a stale version, too few investigators, the
// insurer deciding, a decision without a ground, a move the state does
// not allow.
func TestCaseWalkToDecision(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := openCase(t, e, "2026-02-10")
		if c.Channel != "window" || !strings.HasPrefix(c.Number, "GS370811-2026-") || c.BaselineDocuments != 11 ||
			c.ApplicantDocuments.Count > 4 || c.ApplicantDocuments.Count != len(c.ApplicantDocuments.Codes) || c.ApplicationPeriod.Due == "" || c.ApplicationPeriod.Late {
			t.Fatalf("opened: %+v", c)
		}
		rec := e.Login("recognition-370800")
		path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
		if code := rec.JSON("GET", path, nil, &c); code != 200 {
			t.Fatalf("get: %d", code)
		}
		sid, ver, state, allowed := c.svc(t, "recognition")
		if state != "received" || !strings.Contains(strings.Join(allowed, ","), "accept") || c.Services[0].StepTitle == "" || c.Services[0].Due == "" {
			t.Fatalf("recognition: %s %v %+v", state, allowed, c.Services[0])
		}
		var missing []string
		for _, it := range c.Materials[0].Items {
			if it.Missing {
				missing = append(missing, it.Code)
			}
		}
		if strings.Join(missing, ",") != "application_form,diagnosis" {
			t.Errorf("recognition misses %v, want the form and the diagnosis", missing)
		}

		var eb apiError
		code := act(rec, c.ID, sid, map[string]any{"action": "accept"}, &eb)
		wantError(t, "accept with materials missing", code, eb, 409, "missing", "materials_missing")

		uploadRecognition(t, e, c.ID)
		var res struct {
			Case   caseAnswer `json:"case"`
			Events []struct {
				Action, To, On string
			} `json:"events"`
		}
		if code := act(rec, c.ID, sid, map[string]any{"action": "accept", "version": ver}, &res); code != 200 || len(res.Events) != 1 || res.Events[0].To != "accepted" {
			t.Fatalf("accept: %d %+v", code, res)
		}
		eb = apiError{}
		code = act(rec, c.ID, sid, map[string]any{"action": "investigate", "version": ver, "investigators": []string{"王磊", "刘洋"}}, &eb)
		wantError(t, "stale version", code, eb, 409, "version", "version_conflict")
		if !strings.Contains(eb.Error.Message, "已被他人修改，请刷新后重试") {
			t.Errorf("stale version message: %q", eb.Error.Message)
		}
		eb = apiError{}
		code = act(rec, c.ID, sid, map[string]any{"action": "investigate", "investigators": []string{"王磊"}}, &eb)
		wantError(t, "one investigator", code, eb, 400, "investigators", "too_few")
		if code := act(rec, c.ID, sid, map[string]any{"action": "investigate", "investigators": []string{"王磊", "刘洋"}, "evidence": "现场照片、证人证言"}, nil); code != 200 {
			t.Fatalf("investigate: %d", code)
		}
		eb = apiError{}
		code = act(e.Login("insurer-370800"), c.ID, sid, map[string]any{"action": "decide", "outcome": "recognised", "ground": "14.1"}, &eb)
		wantError(t, "insurer deciding", code, eb, 403, "", "")
		eb = apiError{}
		code = act(rec, c.ID, sid, map[string]any{"action": "decide", "outcome": "recognised"}, &eb)
		wantError(t, "decision without ground", code, eb, 400, "ground", "required")
		res.Events = nil
		if code := act(rec, c.ID, sid, map[string]any{"action": "decide", "outcome": "recognised", "ground": "14.1"}, &res); code != 200 || len(res.Events) < 2 {
			t.Fatalf("decide: %d %+v (the prepared assessment starts too)", code, res.Events)
		}
		if _, _, st, _ := res.Case.svc(t, "recognition"); st != "decided" {
			t.Errorf("recognition after decision: %s", st)
		}
		if _, _, st, _ := res.Case.svc(t, "assessment"); st != "received" {
			t.Errorf("assessment after a positive decision: %s, want received", st)
		}
		eb = apiError{}
		code = act(rec, c.ID, sid, map[string]any{"action": "accept"}, &eb)
		wantError(t, "accept a decided recognition", code, eb, 409, "action", "state")
		if !strings.Contains(eb.Error.Message, "已作出决定") {
			t.Errorf("refused transition names the state: %q", eb.Error.Message)
		}

		var hist web.ListBody[historyItem]
		if code := rec.JSON("GET", path+"/history", nil, &hist); code != 200 || hist.Total < 5 {
			t.Errorf("history: %d %+v", code, hist)
		}
		var letters web.ListBody[letterBody]
		if code := rec.JSON("GET", path+"/letters", nil, &letters); code != 200 {
			t.Errorf("letters: %d", code)
		}
		var fig figuresBody
		if code := rec.JSON("GET", "/api/v1/dashboard/cases", nil, &fig); code != 200 || fig.Cases != 1 || fig.Normal.Decided != 1 ||
			fig.BaselineDocuments != 11 || fig.DocumentsPerCase != 2 || fig.TripsAvoided != 2 || len(fig.ByChannel) != 4 {
			t.Errorf("dashboard: %d %+v", code, fig)
		}
		if code := e.Login("recognition-370881").JSON("GET", "/api/v1/dashboard/cases", nil, &fig); code != 200 || fig.Cases != 0 || fig.RegionCode != "370881" {
			t.Errorf("曲阜's dashboard: %d %+v", code, fig)
		}
		eb = apiError{}
		code = e.Login("recognition-370881").JSON("GET", "/api/v1/dashboard/cases?region=370811", nil, &eb)
		wantError(t, "dashboard of another county", code, eb, 400, "region", "region_scope")

		var byNumber caseAnswer
		if code := e.Login("hotline-370800").JSON("GET", "/api/v1/case-numbers/"+c.Number, nil, &byNumber); code != 200 || byNumber.ID != c.ID {
			t.Errorf("by number: %d %+v", code, byNumber)
		}
	})
}

// Eight callers accept one recognition at once: one succeeds, the others
// are told the state moved on.
func TestConcurrentAccepts(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := openCase(t, e, "2026-02-10")
		uploadRecognition(t, e, c.ID)
		sid, _, _, _ := c.svc(t, "recognition")
		rec := e.Login("recognition-370800")
		codes := make([]int, 8)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = act(rec, c.ID, sid, map[string]any{"action": "accept"}, nil)
			}()
		}
		wg.Wait()
		ok, conflict := 0, 0
		for _, code := range codes {
			switch code {
			case 200:
				ok++
			case 409:
				conflict++
			}
		}
		if ok != 1 || conflict != 7 {
			t.Fatalf("statuses %v: want one 200 and seven 409", codes)
		}
	})
}

// Bad applications and uploads are refused naming the field; nothing is
// opened twice.
func TestCaseBadInput(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		clerk := e.Login("clerk-370800")
		c := openCase(t, e, "2026-02-10")
		with := func(k string, v any) map[string]any { a := application(e, "2026-01-20"); a[k] = v; return a }
		tests := []struct {
			name        string
			c           *webtest.Client
			body        map[string]any
			status      int
			field, code string
		}{
			{"injury in the future", clerk, with("injury_date", "2026-03-05"), 400, "injury_date", "future"},
			{"application before the injury", clerk, with("application_date", "2026-01-10"), 400, "application_date", "before_injury"},
			{"same injury again", clerk, application(e, "2026-02-10"), 409, "injury_date", "case_exists"},
			{"unknown channel", clerk, with("channel", "fax"), 400, "channel", "channel_not_allowed"},
			{"insurer as the window", e.Login("insurer-370800"), with("channel", "window"), 400, "channel", "channel_not_allowed"},
			{"simple without checklist", clerk, with("simple", true), 400, "simple", "checklist"},
			{"unknown field", clerk, with("nmae", "x"), 400, "nmae", "unknown_field"},
			{"assessor opening", e.Login("assessment-370800"), application(e, "2026-01-21"), 403, "", ""},
		}
		for _, tt := range tests {
			var eb apiError
			code := tt.c.JSON("POST", "/api/v1/cases", tt.body, &eb)
			wantError(t, tt.name, code, eb, tt.status, tt.field, tt.code)
			if tt.name == "same injury again" && !strings.Contains(eb.Error.Message, c.Number) {
				t.Errorf("duplicate names the first case: %q", eb.Error.Message)
			}
		}
		code, body := upload(t, clerk, c.ID, "diagnosis", "x.txt", []byte("只是文字，不是PDF"))
		var eb apiError
		_ = json.Unmarshal([]byte(body), &eb)
		wantError(t, "upload of text", code, eb, 400, "file", "file_type")
		code, body = upload(t, clerk, c.ID, "diagnosis", "big.pdf", pdfOf(strings.Repeat("x", 2<<20)))
		eb = apiError{}
		_ = json.Unmarshal([]byte(body), &eb)
		wantError(t, "upload over the body limit", code, eb, 413, "", "")
		code, body = upload(t, clerk, c.ID, "identity", "id.pdf", pdfOf("id"))
		eb = apiError{}
		_ = json.Unmarshal([]byte(body), &eb)
		wantError(t, "upload of what the system holds", code, eb, 400, "material", "unknown")
		var files web.ListBody[fileBody]
		if clerk.JSON("GET", fmt.Sprintf("/api/v1/cases/%d/files", c.ID), nil, &files); files.Total != 0 {
			t.Errorf("refused uploads were stored: %+v", files)
		}
		for path, field := range map[string]string{
			"/api/v1/cases?kind=recognition,bogus": "kind", "/api/v1/cases?sort=due": "sort", "/api/v1/cases?state=lost": "state",
			"/api/v1/cases?region=110000": "region", "/api/v1/cases?size=7": "size", "/api/v1/case-numbers/GS1": "number",
		} {
			var eb apiError
			code := clerk.JSON("GET", path, nil, &eb)
			wantError(t, path, code, eb, 400, field, "")
		}
	})
}

// The hotline's reports are recorded as such; staff may enter one for it.
func TestCaseChannels(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	for i, tt := range []struct {
		user, channel, want string
	}{{"hotline-370800", "", "hotline"}, {"clerk-370800", "hotline", "hotline"}, {"insurer-370800", "", "insurer"}, {"recognition-370800", "window", "window"}} {
		a := application(e, fmt.Sprintf("2026-01-%02d", 10+i))
		if tt.channel != "" {
			a["channel"] = tt.channel
		}
		var c caseAnswer
		if code := e.Login(tt.user).JSON("POST", "/api/v1/cases", a, &c); code != 201 || c.Channel != tt.want {
			t.Errorf("%s with %q: %d channel %q, want %q", tt.user, tt.channel, code, c.Channel, tt.want)
		}
	}
}

// The work queue: filters, mine, paging; the soonest due first.
func TestCaseQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	openCase(t, e, "2026-02-10")
	storetest.MustCase(t, e.S, "370881")
	type queue = web.ListBody[queueItem]
	get := func(user, query string) queue {
		t.Helper()
		var q queue
		if code := e.Login(user).JSON("GET", "/api/v1/cases"+query, nil, &q); code != 200 {
			t.Fatalf("%s %s: %d", user, query, code)
		}
		return q
	}
	if q := get("recognition-370800", "?mine=true"); q.Total != 2 || q.Items[0].Kind != "recognition" || q.Items[0].StepTitle == "" ||
		q.Items[0].Due > q.Items[1].Due {
		t.Errorf("city recognition queue: %+v", q)
	}
	if q := get("recognition-370881", "?mine=true"); q.Total != 1 || q.Items[0].RegionCode != "370881" {
		t.Errorf("曲阜 sees only its own: %+v", q)
	}
	if q := get("benefits-370800", "?mine=true"); q.Total != 0 {
		t.Errorf("benefit pre-check is no agency step with a due date yet: %+v", q)
	}
	if q := get("admin-370800", "?mine=true"); q.Total != 0 || q.Items == nil {
		t.Errorf("a role without queue kinds: %+v", q)
	}
	if q := get("clerk-370800", "?kind=recognition&kind=assessment&region=370811&state=received&simple=false"); q.Total != 1 {
		t.Errorf("filtered: %+v", q)
	}
	if q := get("clerk-370800", "?kind=recognition&mine=true&overdue=true"); q.Total != 0 {
		t.Errorf("overdue: %+v", q)
	}
	if q := get("clerk-370800", "?offset=1&limit=1"); q.Total != 2 || len(q.Items) != 1 || q.Offset != 1 {
		t.Errorf("offset and limit: %+v", q)
	}
	if q := get("clerk-370800", "?page=2&size=20"); q.Total != 2 || len(q.Items) != 0 || q.Offset != 20 {
		t.Errorf("page 2: %+v", q)
	}
}

// Another county's case is refused on every {id} route (by the shared
// pipeline, before the handler) and not found by number; a file of another case is not served under this one.
func TestCaseRegionAndOwnership(t *testing.T) {
	t.Parallel()
	storetest.EachEngine(t, func(t *testing.T, open storetest.Opener) {
		e := newEnv(t, open)
		c := openCase(t, e, "2026-02-10")
		sid, _, _, _ := c.svc(t, "recognition")
		other := storetest.MustCase(t, e.S, "370811")
		if code, body := upload(t, e.Login("clerk-370800"), other.ID, "diagnosis", "d.pdf", pdfOf("other")); code != 201 {
			t.Fatalf("upload to the other case: %d %s", code, body)
		}
		var files web.ListBody[fileBody]
		e.Login("clerk-370800").JSON("GET", fmt.Sprintf("/api/v1/cases/%d/files", other.ID), nil, &files)
		if files.Total != 1 {
			t.Fatalf("other case's files: %+v", files)
		}
		fid := files.Items[0].ID
		city := e.Login("clerk-370800")
		resp := city.Do("GET", fmt.Sprintf("/api/v1/cases/%d/files/%d", other.ID, fid), "", nil)
		var got bytes.Buffer
		_, _ = got.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			!bytes.Equal(got.Bytes(), pdfOf("other")) || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("file: %d %v", resp.StatusCode, resp.Header)
		}
		for path, want := range map[string]int{
			fmt.Sprintf("/api/v1/cases/%d/files/%d", c.ID, fid): 404, // the other case's file under this case
			fmt.Sprintf("/api/v1/cases/%d/letters/%d", c.ID, 1): 404, // no such letter of this case
			fmt.Sprintf("/api/v1/cases/%d/files/abc", c.ID):     404, // not a number
			"/api/v1/cases/999999":                              404, // no such case
			"/api/v1/case-numbers/GS370811-2026-999999":         404, // no such number
			fmt.Sprintf("/api/v1/cases/%d", c.ID):               200,
		} {
			if code, body := city.Raw("GET", path, "", ""); code != want {
				t.Errorf("%s: %d %s, want %d", path, code, body, want)
			}
		}

		// 曲阜's staff: every {id} route of a 任城区 case is refused before
		// its handler runs, and the number finds nothing.
		qufu := e.Login("recognition-370881")
		for _, rt := range e.Srv.Routes() {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			if rt.Obj != "case" {
				continue
			}
			path = strings.NewReplacer("{id}", fmt.Sprint(c.ID), "{sid}", fmt.Sprint(sid), "{fid}", fmt.Sprint(fid), "{lid}", "1").Replace(path)
			body := "{}"
			if strings.HasSuffix(path, "/actions") {
				body = `{"action":"accept"}`
			}
			ct := "application/json"
			if method == "GET" {
				body, ct = "", ""
			}
			// The pipeline's region rule for every object route (403, as
			// for employers and workers; TestEveryRouteEveryRole pins it).
			if code, answer := qufu.Raw(method, path, ct, body); code != http.StatusForbidden || !webtest.HasHan(answer) {
				t.Errorf("曲阜 %s %s: %d %s, want 403", method, path, code, answer)
			}
		}
		if code, _ := qufu.Raw("GET", "/api/v1/case-numbers/"+c.Number, "", ""); code != 404 {
			t.Errorf("曲阜 finds 任城区's case by number: %d", code)
		}
		var after caseAnswer
		city.JSON("GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &after)
		if _, _, st, _ := after.svc(t, "recognition"); st != "received" {
			t.Errorf("曲阜's action changed the case: %s", st)
		}
	})
}

// The procedure switches to the simple one with the checklist and back
// with a reason; a later service needs a decision first.
func TestCaseProcedureAndServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite)
	c := storetest.MustCase(t, e.S, "370881") // 曲阜 shortens both recognition limits
	rec := e.Login("recognition-370881")
	path := fmt.Sprintf("/api/v1/cases/%d", c.ID)
	var eb apiError
	code := rec.JSON("POST", path+"/procedure", map[string]any{"simple": true, "checklist": map[string]bool{"facts_clear": true}}, &eb)
	wantError(t, "simple with an incomplete checklist", code, eb, 400, "checklist", "incomplete")
	full := map[string]bool{"facts_clear": true, "employer_confirms": true, "materials_complete": true, "no_third_party": true}
	var simple, normal caseAnswer
	if code := rec.JSON("POST", path+"/procedure", map[string]any{"simple": true, "checklist": full}, &simple); code != 200 {
		t.Fatalf("simple: %d", code)
	}
	eb = apiError{}
	code = rec.JSON("POST", path+"/procedure", map[string]any{"simple": false}, &eb)
	wantError(t, "fallback without reason", code, eb, 400, "reason", "required")
	if code := rec.JSON("POST", path+"/procedure", map[string]any{"simple": false, "reason": "用人单位对事实提出异议"}, &normal); code != 200 {
		t.Fatalf("fallback: %d", code)
	}
	if simple.Services[0].Due >= normal.Services[0].Due {
		t.Errorf("the simple acceptance limit (%s) is not shorter than the normal one (%s)", simple.Services[0].Due, normal.Services[0].Due)
	}
	if code := e.Login("clerk-370881").JSON("POST", path+"/procedure", map[string]any{"simple": false, "reason": "x"}, nil); code != 403 {
		t.Errorf("clerk changing the procedure: %d", code)
	}
	eb = apiError{}
	code = e.Login("assessment-370881").JSON("POST", path+"/services", map[string]any{"service": "reassessment"}, &eb)
	wantError(t, "reassessment before any decision", code, eb, 409, "", "")
	eb = apiError{}
	code = e.Login("assessment-370881").JSON("POST", path+"/services", map[string]any{"service": "x"}, &eb)
	wantError(t, "unknown service", code, eb, 400, "service", "unknown")
}
