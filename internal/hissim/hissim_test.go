package hissim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"gongshang/internal/his"
)

// fakeServer answers canned envelopes after checking what a real server
// checks of the transport: the signature, the timestamp, the nonce, the
// body size, the envelope and the input (with his.ParseRequest and
// his.Decode), and msgid idempotency.
type fakeServer struct {
	t       testing.TB
	insts   map[string]FixtureInstitution // by paasid
	maxBody int64
	refuse  map[string]string // infno → err_msg

	mu      sync.Mutex
	n       int
	nonces  map[string]bool
	stored  map[string]stored // by fixmedins_code + msgid
	sums    map[string]his.Amount
	reqs    []his.Request
	counted map[string]int // requests by infno
}

type stored struct {
	body string
	resp []byte
}

func newFake(t testing.TB, insts ...FixtureInstitution) (*fakeServer, *httptest.Server) {
	f := &fakeServer{t: t, insts: map[string]FixtureInstitution{}, maxBody: his.MaxBody, refuse: map[string]string{},
		nonces: map[string]bool{}, stored: map[string]stored{}, sums: map[string]his.Amount{}, counted: map[string]int{}}
	for _, in := range insts {
		f.insts[in.Paasid] = in
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != his.Path {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, f.maxBody+1))
	if err != nil || int64(len(body)) > f.maxBody {
		http.Error(w, his.MsgBodyTooLarge, http.StatusRequestEntityTooLarge)
		return
	}
	inst, msg := f.authenticate(r.Header)
	if msg != "" {
		http.Error(w, msg, http.StatusUnauthorized)
		return
	}
	resp := f.handle(inst, body)
	b, err := json.Marshal(resp)
	if err != nil {
		f.t.Errorf("marshal: %v", err)
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Write(b)
}

func (f *fakeServer) authenticate(h http.Header) (FixtureInstitution, string) {
	inst, ok := f.insts[h.Get(his.HeaderPaasID)]
	if !ok {
		return inst, his.MsgUnknownPaasid
	}
	ts, nonce := h.Get(his.HeaderTimestamp), h.Get(his.HeaderNonce)
	if err := his.CheckTimestamp(ts, time.Now()); err != nil {
		return inst, err.Error()
	}
	if !his.VerifySignature(ts, nonce, h.Get(his.HeaderSignature), inst.Token) {
		return inst, his.MsgBadSignature
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if nonce == "" || f.nonces[nonce] {
		return inst, his.MsgNonceReused
	}
	f.nonces[nonce] = true
	return inst, ""
}

func (f *fakeServer) handle(inst FixtureInstitution, body []byte) his.Response {
	now := time.Now()
	req, err := his.ParseRequest(body)
	if err != nil {
		f.t.Errorf("the client sent a bad envelope: %v\n%s", err, body)
		return his.Failure(req, err.Error(), now)
	}
	if req.FixmedinsCode != inst.FixmedinsCode {
		return his.Failure(req, his.MsgInstitution, now)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, req)
	f.counted[req.Infno]++
	key := req.FixmedinsCode + req.Msgid
	sig := req.Infno + string(req.Input)
	if s, ok := f.stored[key]; ok {
		if s.body != sig {
			return his.Failure(req, his.MsgDuplicateMsgid, now)
		}
		var r his.Response
		json.Unmarshal(s.resp, &r)
		return r
	}
	resp := f.answer(req, now)
	b, _ := json.Marshal(resp)
	f.stored[key] = stored{body: sig, resp: b}
	return resp
}

func (f *fakeServer) answer(req his.Request, now time.Time) his.Response {
	in, err := his.Decode(req.Infno, req.Input)
	if err != nil {
		f.t.Errorf("the client sent a bad %s input: %v\n%s", req.Infno, err, req.Input)
		return his.Failure(req, err.Error(), now)
	}
	if msg := f.refuse[req.Infno]; msg != "" {
		return his.Failure(req, msg, now)
	}
	f.n++
	id := strconv.Itoa(f.n)
	var out any
	switch in := in.(type) {
	case *his.SignInInput:
		out = his.SignInOutput{Signinoutb: his.SignInResult{SignTime: his.FormatDateTime(now), SignNo: "SN" + id}}
	case *his.PersonInput:
		out = his.PersonOutput{Baseinfo: his.BaseInfo{PsnNo: "P" + in.Data.Certno, Certno: in.Data.Certno, PsnName: in.Data.PsnName},
			Insuinfo: []his.InsuInfo{{Insutype: "410", PsnInsuStas: "1", InsuplcAdmdvs: "370800"}}}
	case *his.AdmissionInput:
		out = his.AdmissionOutput{Result: his.AdmissionResult{MdtrtID: "MD" + id, PsnNo: in.Mdtrtinfo.PsnNo, IptOtpNo: in.Mdtrtinfo.IptNo}}
	case *his.FeeInput:
		var res his.FeeOutput
		for _, l := range in.Feedetail {
			if l.Cnt.Times(l.Pric) != l.DetItemFeeSumamt {
				f.t.Errorf("line %s: %s × %s ≠ %s", l.FeedetlSn, l.Cnt, l.Pric, l.DetItemFeeSumamt)
			}
			f.sums[l.MdtrtID] += l.DetItemFeeSumamt
			res.Result = append(res.Result, his.FeeResult{FeedetlSn: l.FeedetlSn, DetItemFeeSumamt: l.DetItemFeeSumamt,
				Cnt: l.Cnt, Pric: l.Pric, PricUplmtAmt: l.Pric, InscpScpAmt: l.DetItemFeeSumamt})
		}
		out = res
	case *his.SettleInput:
		d := in.Data
		if d.MedfeeSumamt != f.sums[d.MdtrtID] {
			return his.Failure(req, his.MsgSumMismatch, now)
		}
		info := his.SetlInfo{MdtrtID: d.MdtrtID, PsnNo: d.PsnNo, Insutype: "410", MedType: "42", SetlTime: his.FormatDateTime(now),
			MedfeeSumamt: d.MedfeeSumamt, InscpScpAmt: d.MedfeeSumamt, FundPaySumamt: d.MedfeeSumamt}
		if req.Infno == his.InfnoSettle {
			info.SetlID = "ST" + id
		}
		out = his.SettleOutput{Setlinfo: info, Setldetail: []his.SetlDetail{{FundPayType: his.FundPayTypeInjury, FundPayamt: d.MedfeeSumamt}}}
	}
	r, err := his.Success(req, out, "", now)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

var (
	testInst   = FixtureInstitution{FixmedinsCode: "H37081100001", FixmedinsName: "济宁市第一人民医院", Admvs: "370811", Type: "medical", Paasid: "paas-h1", Token: "tok-h1"}
	testPerson = FixturePerson{Certno: "370811199001011234", PsnName: "张三", InsuplcAdmdvs: "370800", Kind: KindRecognized, InjuryID: "GS1", DiagCode: "S62.6"}
	testItems  = []FixtureItem{
		{MedListCodg: "XB01", Name: "头孢", Category: "drug", Pric: 1250, PricUplmtAmt: 1250, Covered: true},
		{MedListCodg: "BED1", Name: "床位费", Category: "bed", Pric: 4000, PricUplmtAmt: 3333, Covered: true},
		{MedListCodg: "ZF01", Name: "自费药", Category: "drug", Pric: 999, Covered: false},
		{MedListCodg: "DEV1", Name: "假肢", Category: "device", Pric: 100000, PricUplmtAmt: 100000, Covered: true},
	}
)

func newClient(srv *httptest.Server, inst FixtureInstitution) *Client {
	return &Client{BaseURL: srv.URL, Inst: inst, HTTP: srv.Client()}
}

var msgidRe = regexp.MustCompile(`^H37081100001\d{14}\d{4}$`)

func TestFlow(t *testing.T) {
	fake, srv := newFake(t, testInst)
	c := newClient(srv, testInst)
	res, err := c.Flow(context.Background(), testPerson, 5, testItems)
	if err != nil {
		t.Fatal(err)
	}
	// Lines 0..4 alternate the drug and the bed at its ceiling, cnt 1,2,1,2,1.
	want := his.Amount(1250 + 2*3333 + 1250 + 2*3333 + 1250)
	if res.Medfee != want || res.Settle.Setlinfo.MedfeeSumamt != want || res.Pre.Setlinfo.SetlID != "" {
		t.Errorf("medfee %s, settled %s, pre-settle setl_id %q; want %s", res.Medfee, res.Settle.Setlinfo.MedfeeSumamt, res.Pre.Setlinfo.SetlID, want)
	}
	if res.MdtrtID == "" || res.SetlID == "" || res.PsnNo != "P"+testPerson.Certno {
		t.Errorf("result %+v", res)
	}
	for s, d := range res.Latency {
		if d <= 0 {
			t.Errorf("no latency for %s", FlowSteps[s])
		}
	}
	seen := map[string]bool{}
	for _, r := range fake.reqs {
		if !msgidRe.MatchString(r.Msgid) || seen[r.Msgid] {
			t.Errorf("msgid %q: bad or repeated", r.Msgid)
		}
		seen[r.Msgid] = true
		if r.MdtrtareaAdmvs != "370811" || r.Infver != "V1.0" {
			t.Errorf("%s envelope %+v", r.Infno, r)
		}
		if r.Infno != his.InfnoSignIn && r.SignNo == "" {
			t.Errorf("%s sent without sign_no", r.Infno)
		}
	}
	// A second flow does not sign in again.
	res, err = c.Flow(context.Background(), testPerson, 1, testItems)
	if err != nil {
		t.Fatal(err)
	}
	if res.Latency[StepSignIn] != 0 || fake.counted[his.InfnoSignIn] != 1 {
		t.Errorf("signed in %d times", fake.counted[his.InfnoSignIn])
	}
}

func TestFlowSplitsLines(t *testing.T) {
	fake, srv := newFake(t, testInst)
	res, err := newClient(srv, testInst).Flow(context.Background(), testPerson, 2500, testItems[:1])
	if err != nil {
		t.Fatal(err)
	}
	if fake.counted[his.InfnoFeeUpload] != 3 || res.Medfee != 1250*(1250+2*1250) {
		t.Errorf("%d uploads, medfee %s", fake.counted[his.InfnoFeeUpload], res.Medfee)
	}
}

func TestFlowNeedsItems(t *testing.T) {
	_, srv := newFake(t, testInst)
	if _, err := newClient(srv, testInst).Flow(context.Background(), testPerson, 3, testItems[2:3]); err == nil {
		t.Fatal("a flow without covered items ran")
	}
}

func TestFlowRefused(t *testing.T) {
	fake, srv := newFake(t, testInst)
	fake.refuse[his.InfnoSettle] = his.MsgPendingInjury
	res, err := newClient(srv, testInst).Flow(context.Background(), testPerson, 2, testItems)
	var ref *Refusal
	if !errors.As(err, &ref) || ref.Infno != his.InfnoSettle || ref.ErrMsg != his.MsgPendingInjury || ref.Infcode != -1 {
		t.Fatalf("error %v, want the 2304 refusal", err)
	}
	if res.MdtrtID == "" || res.Pre.Setlinfo.MedfeeSumamt == 0 {
		t.Errorf("partial result lost: %+v", res)
	}
}

func TestStatusErrors(t *testing.T) {
	fake, srv := newFake(t, testInst)
	bad := testInst
	bad.Token = "wrong"
	_, err := newClient(srv, bad).Call(context.Background(), his.InfnoSignIn, nil, nil)
	var se *StatusError
	if !errors.Is(err, ErrUnauthorized) || !errors.As(err, &se) || se.Code != 401 {
		t.Errorf("wrong token: %v", err)
	}
	fake.maxBody = 100
	_, err = newClient(srv, testInst).Call(context.Background(), his.InfnoFeeUpload, his.FeeInput{Feedetail: make([]his.FeeLine, 10)}, nil)
	if !errors.Is(err, ErrTooLarge) || errors.Is(err, ErrUnauthorized) {
		t.Errorf("large body: %v", err)
	}
}

func TestCallMsgidResend(t *testing.T) {
	_, srv := newFake(t, testInst)
	c := newClient(srv, testInst)
	ctx := context.Background()
	in := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: testPerson.Certno}}
	msgid := c.NextMsgid()
	var a, b his.PersonOutput
	r1, err := c.CallMsgid(ctx, his.InfnoPerson, msgid, in, &a)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := c.CallMsgid(ctx, his.InfnoPerson, msgid, in, &b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r1.Output, r2.Output) || a.Baseinfo.PsnNo != b.Baseinfo.PsnNo {
		t.Errorf("resend answered differently: %s vs %s", r1.Output, r2.Output)
	}
	in.Data.MdtrtCertNo = "other"
	_, err = c.CallMsgid(ctx, his.InfnoPerson, msgid, in, nil)
	var ref *Refusal
	if !errors.As(err, &ref) || ref.ErrMsg != his.MsgDuplicateMsgid {
		t.Errorf("changed body under the same msgid: %v", err)
	}
}

// After 1101 the envelopes carry the insured region it returned.
func TestInsuplcFromPerson(t *testing.T) {
	fake, srv := newFake(t, testInst)
	c := newClient(srv, testInst)
	ctx := context.Background()
	if _, err := c.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	in := his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: testPerson.Certno}}
	if _, err := c.Call(ctx, his.InfnoPerson, in, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(ctx, his.InfnoAudit, his.AuditInput{Data: his.EncounterRef{MdtrtID: "MD1", PsnNo: "P1"}}, nil); err != nil {
		t.Fatal(err)
	}
	if last := fake.reqs[len(fake.reqs)-1]; last.InsuplcAdmdvs != "370800" || last.SignNo != "SN1" {
		t.Errorf("3101 envelope %+v", last)
	}
}

func TestNextMsgid(t *testing.T) {
	at := time.Date(2026, 12, 1, 2, 3, 4, 0, time.UTC) // 10:03:04 CST
	c := &Client{Inst: testInst, Now: func() time.Time { return at }}
	c.serialOnce.Do(func() {})
	c.serial.Store(9998)
	got := []string{c.NextMsgid(), c.NextMsgid(), c.NextMsgid()}
	want := []string{"H37081100001202612011003049999", "H37081100001202612011003040000", "H37081100001202612011003040001"}
	for i := range want {
		if got[i] != want[i] || len(got[i]) > his.MaxMsgid {
			t.Errorf("msgid %d = %s, want %s", i, got[i], want[i])
		}
	}
	// Two fresh clients start at random serials.
	a, b := &Client{Inst: testInst}, &Client{Inst: testInst}
	same := 0
	for range 5 {
		if a2, b2 := (&Client{Inst: testInst}), (&Client{Inst: testInst}); a2.NextMsgid()[26:] == b2.NextMsgid()[26:] {
			same++
		}
	}
	if same == 5 || !msgidRe.MatchString(a.NextMsgid()) || !msgidRe.MatchString(b.NextMsgid()) {
		t.Errorf("serials do not start at random (%d of 5 equal)", same)
	}
}

func TestDrive(t *testing.T) {
	other := FixtureInstitution{FixmedinsCode: "H37081100002", Admvs: "370811", Paasid: "paas-h2", Token: "tok-h2"}
	fake, srv := newFake(t, testInst, other)
	clients := []*Client{newClient(srv, testInst), newClient(srv, other)}
	persons := make([]FixturePerson, 6)
	for i := range persons {
		persons[i] = testPerson
		persons[i].Certno = "37081119900101" + strconv.Itoa(1000+i)
	}
	st, err := Drive(context.Background(), clients, persons, testItems, 4, 30)
	if err != nil {
		t.Fatal(err)
	}
	if st.Flows != 30 || st.Errors != 0 || st.FirstErr != nil || st.FlowsPerSec <= 0 {
		t.Fatalf("stats %+v", st)
	}
	if p := st.Latency[his.InfnoSettle]; p.N != 30 || p.P50 <= 0 || p.P99 < p.P50 || p.Max < p.P99 {
		t.Errorf("2304 latency %+v", p)
	}
	if n := st.Latency[his.InfnoSignIn].N; n != 2 || fake.counted[his.InfnoSignIn] != 2 {
		t.Errorf("%d sign-ins timed, %d sent; want one per client", n, fake.counted[his.InfnoSignIn])
	}
	fake.refuse[his.InfnoAdmission] = his.MsgNoFiling
	st, err = Drive(context.Background(), clients, persons, testItems, 2, 4)
	if err != nil || st.Errors != 4 || st.Flows != 0 || st.FirstErr == nil {
		t.Errorf("refused admissions: %+v, %v", st, err)
	}
	if _, err := Drive(context.Background(), nil, persons, testItems, 1, 1); err == nil {
		t.Error("Drive without clients ran")
	}
}

func TestPercentiles(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Millisecond
	}
	p := percentiles(ds)
	if p.N != 100 || p.P50 != 50*time.Millisecond || p.P99 != 99*time.Millisecond || p.Max != 100*time.Millisecond {
		t.Errorf("%+v", p)
	}
	if p := percentiles([]time.Duration{7}); p.P50 != 7 || p.P99 != 7 {
		t.Errorf("one sample: %+v", p)
	}
}

func TestParseFixtures(t *testing.T) {
	src := `{"institutions":[{"fixmedins_code":"H37081100001","fixmedins_name":"一院","admvs":"370811","type":"medical","paasid":"p1","token":"t1","extra":1},
		{"fixmedins_code":"H37010200001","fixmedins_name":"省康复","admvs":"370102","type":"rehab","paasid":"p2","token":"t2"}],
	 "persons":[{"certno":"1","psn_name":"甲","insuplc_admdvs":"370800","kind":"recognized","injury_id":"GS1","diag_code":"S62.6"},
		{"certno":"2","psn_name":"乙","insuplc_admdvs":"370800","kind":"remote_valid","treat_admvs":"370102"}],
	 "catalog":[{"med_list_codg":"X1","name":"药","category":"drug","pric":12.50,"pric_uplmt_amt":"12.5","covered":true},
		{"med_list_codg":"Z1","name":"自费","category":"drug","pric":3,"pric_uplmt_amt":0,"covered":false}],
	 "version":"demo-1"}`
	f, err := ParseFixtures([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.InstitutionsIn("370102", ""); len(got) != 1 || got[0].Type != "rehab" {
		t.Errorf("InstitutionsIn(370102) = %+v", got)
	}
	if got := f.InstitutionsIn("", "medical"); len(got) != 1 || got[0].Token != "t1" {
		t.Errorf("InstitutionsIn(medical) = %+v", got)
	}
	if got := f.PersonsOf(KindRemoteValid); len(got) != 1 || got[0].TreatAdmvs != "370102" {
		t.Errorf("PersonsOf = %+v", got)
	}
	if got := f.CoveredItems(); len(got) != 1 || got[0].PricUplmtAmt != 1250 || got[0].Pric != 1250 {
		t.Errorf("CoveredItems = %+v", got)
	}
	if len(f.CoveredItems("bed")) != 0 || len(f.UncoveredItems()) != 1 {
		t.Error("category filter or uncovered items wrong")
	}
	for _, bad := range []string{`{"institutions":[{"fixmedins_code":"H1","paasid":"p"}]}`, `{"persons":[{"psn_name":"x"}]}`, `[`,
		`{"catalog":[{"pric":"1.234"}]}`} {
		if _, err := ParseFixtures([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func BenchmarkFlow(b *testing.B) {
	_, srv := newFake(b, testInst)
	c := newClient(srv, testInst)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Flow(ctx, testPerson, 10, testItems); err != nil {
			b.Fatal(err)
		}
	}
}
