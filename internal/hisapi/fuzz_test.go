package hisapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"gongshang/internal/demo"
	"gongshang/internal/his"
	"gongshang/internal/hisapi"
	"gongshang/internal/hissim"
	"gongshang/internal/params"
	"gongshang/internal/storetest"
	"gongshang/internal/web"
)

// fuzzRig is the real handler on a real SQLite store with the demo's
// test environment, and one institution whose flow has run, so that
// envelopes can name a real encounter, person and settlement.
type fuzzRig struct {
	h     http.Handler
	now   time.Time
	inst  hissim.FixtureInstitution
	other hissim.FixtureInstitution // another active institution
	seeds [][]byte
}

func loadFuzzRig(tb testing.TB) (*fuzzRig, error) {
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	clock := &storetest.Clock{T: now}
	s := storetest.OpenSQLite(tb, clock)
	const seed = 20260301
	f, err := demo.LoadWithSettlement(ctx, s, seed, 0.02, now)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(f)
	fx, err := hissim.ParseFixtures(b)
	if err != nil {
		return nil, err
	}
	ps, err := params.New(ctx, s, params.Options{MaxAge: params.DefaultMaxAge})
	if err != nil {
		return nil, err
	}
	h, err := web.Mount(web.Options{Store: s}, hisapi.New(hisapi.Options{Store: s, Params: ps}))
	if err != nil {
		return nil, err
	}
	r := &fuzzRig{h: h, now: now}
	p := fx.PersonsOf(hissim.KindRecognized)[0]
	for _, d := range f.Institutions {
		if d.Type != "medical" || d.Status != "active" {
			continue
		}
		for _, in := range fx.Institutions {
			if in.FixmedinsCode != d.Code {
				continue
			}
			switch {
			case d.Admvs == p.TreatAdmvs && r.inst.Paasid == "":
				r.inst = in
			case r.other.Paasid == "":
				r.other = in
			}
		}
	}
	// One whole flow over real HTTP, then one admission left open with
	// lines, so the seeds reach every transaction's business.
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &hissim.Client{BaseURL: srv.URL, Inst: r.inst, Now: clock.Now}
	items := fx.CoveredItems("drug", "item", "material")
	done, err := c.Flow(ctx, p, 6, items)
	if err != nil {
		return nil, err
	}
	p2 := fx.PersonsOf(hissim.KindRecognized)[1]
	var person his.PersonOutput
	if _, err := c.Call(ctx, his.InfnoPerson, his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p2.Certno, Certno: p2.Certno}}, &person); err != nil {
		return nil, err
	}
	r.seeds = seedEnvelopes(r.inst, done, p, person.Baseinfo.PsnNo, p2, now, items[0])
	return r, nil
}

// seedEnvelopes are a valid envelope per infno naming the rig's real
// encounter, person and settlement.
func seedEnvelopes(inst hissim.FixtureInstitution, done hissim.FlowResult, p hissim.FixturePerson, psn2 string, p2 hissim.FixturePerson, now time.Time, item hissim.FixtureItem) [][]byte {
	at := his.FormatDateTime(now.Add(-48 * time.Hour))
	settle := his.Settlement{PsnNo: done.PsnNo, MdtrtCertType: "02", MdtrtCertNo: p.Certno, MedfeeSumamt: done.Medfee, PsnSetlway: "01",
		MdtrtID: done.MdtrtID, Insutype: his.InsutypeInjury, MidSetlFlag: "0", AcctUsedFlag: "0"}
	day := his.FormatDate(now)
	inputs := map[string]any{
		his.InfnoSignIn: his.SignInInput{SignIn: his.SignInData{OpterNo: "OP1", Mac: "02-00-00-00-00-01", IP: "127.0.0.1"}},
		his.InfnoPerson: his.PersonInput{Data: his.PersonQuery{MdtrtCertType: "02", MdtrtCertNo: p2.Certno, PsnCertType: "01", Certno: p2.Certno, PsnName: p2.PsnName}},
		his.InfnoAdmission: his.AdmissionInput{Mdtrtinfo: his.Admission{PsnNo: psn2, Insutype: his.InsutypeInjury, Begntime: at, MdtrtCertType: "02",
			MdtrtCertNo: p2.Certno, MedType: his.MedTypeInpatient, IptNo: "ZYFUZZ1", AtddrNo: "D1", ChfpdrName: "医生", AdmDiagDscr: "工伤",
			AdmDeptCodg: "A03", AdmDeptName: "骨科", AdmBed: "1", DscgMaindiagCode: "S62.6", DscgMaindiagName: "骨折", InjuryID: p2.InjuryID}},
		his.InfnoFeeUpload: his.FeeInput{Feedetail: []his.FeeLine{{FeedetlSn: "F1", MdtrtID: done.MdtrtID, PsnNo: done.PsnNo, MedType: his.MedTypeInpatient,
			FeeOcurTime: at, MedListCodg: item.MedListCodg, MedinsListCodg: "H-" + item.MedListCodg, DetItemFeeSumamt: item.PricUplmtAmt,
			Cnt: his.QtyUnit, Pric: item.PricUplmtAmt, BilgDeptCodg: "A03", BilgDrCodg: "D1"}}},
		his.InfnoDischarge:        his.DischargeInput{Dscginfo: his.Discharge{MdtrtID: done.MdtrtID, PsnNo: done.PsnNo, Insutype: his.InsutypeInjury, Endtime: his.FormatDateTime(now), DscgWay: "1"}},
		his.InfnoCancelAdmission:  his.CancelAdmissionInput{Data: his.EncounterRef{MdtrtID: done.MdtrtID, PsnNo: done.PsnNo}},
		his.InfnoCancelLines:      his.CancelLinesInput{Data: his.LineRef{FeedetlSn: "0000", MdtrtID: done.MdtrtID, PsnNo: done.PsnNo}},
		his.InfnoPreSettle:        his.SettleInput{Data: settle},
		his.InfnoSettle:           his.SettleInput{Data: settle},
		his.InfnoCancelSettlement: his.CancelSettlementInput{Data: his.SettlementRef{SetlID: done.SetlID, MdtrtID: done.MdtrtID, PsnNo: done.PsnNo}},
		his.InfnoReversal:         his.ReversalInput{Data: his.Reversal{PsnNo: done.PsnNo, Omsgid: inst.FixmedinsCode + "202612010000000001", Oinfno: his.InfnoSettle}},
		his.InfnoAudit:            his.AuditInput{Data: his.EncounterRef{MdtrtID: done.MdtrtID, PsnNo: done.PsnNo}},
		his.InfnoReconcileTotals: his.ReconcileTotalsInput{Data: his.ReconcileTotals{Insutype: "410", ClrType: "21", SetlOptins: "370800", StmtBegndate: day,
			StmtEnddate: day, MedfeeSumamt: done.Medfee, FundPaySumamt: done.Settle.Setlinfo.FundPaySumamt, FixmedinsSetlCnt: 1}},
		his.InfnoReconcileLines: his.ReconcileLinesInput{Data: his.ReconcileLines{SetlOptins: "370800", StmtBegndate: day, StmtEnddate: day,
			Detail: []his.ReconcileLine{{SetlID: done.SetlID, MedfeeSumamt: done.Medfee, FundPaySumamt: done.Settle.Setlinfo.FundPaySumamt, RefdSetlFlag: "0"}}}},
	}
	var out [][]byte
	for _, tx := range his.Transactions {
		in, ok := inputs[tx.Infno]
		if !ok {
			continue
		}
		raw, _ := json.Marshal(in)
		env := his.Request{Infno: tx.Infno, Msgid: inst.FixmedinsCode + "20261201000000" + strconv.Itoa(1000+len(out)), MdtrtareaAdmvs: inst.Admvs,
			InsuplcAdmdvs: "370800", RecerSysCode: "GSHIS", Infver: "V1.0", OpterType: "1", Opter: "OP1", OpterName: "经办人",
			InfTime: his.FormatDateTime(now), FixmedinsCode: inst.FixmedinsCode, FixmedinsName: inst.FixmedinsName, SignNo: "SN1", Input: raw}
		b, _ := json.Marshal(env)
		out = append(out, b)
	}
	return out
}

// Header modes of the fuzz input: which signature headers a request
// carries.
const (
	hdrValid  = iota // signed correctly, a fresh nonce
	hdrReuse         // signed correctly, the fuzzed nonce as it is (may repeat)
	hdrOther         // another institution's credentials
	hdrStale         // a timestamp 10 minutes old
	hdrBadSig        // a wrong signature
	hdrNone          // no headers
	numHdrModes
)

var nonceSerial atomic.Int64

// FuzzHandler feeds arbitrary bodies and signature headers into the real
// handler: whatever comes in, the answer is HTTP 200, 401 or 413 (never
// 500, never a panic), its body is an envelope, and a refusal is infcode
// -1 with an err_msg.
func FuzzHandler(f *testing.F) {
	// Each fuzz worker is a process of its own that runs this function:
	// the rig is loaded once per process and serves all its inputs.
	r, err := loadFuzzRig(f)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range r.seeds {
		f.Add(s, uint8(hdrValid), "n")
		f.Add(s[:len(s)/2], uint8(hdrValid), "n")                                                   // truncated
		f.Add(bytes.Replace(s, []byte(`"input":{`), []byte(`"input":[{`), 1), uint8(hdrValid), "n") // garbled
		f.Add(s, uint8(hdrOther), "n")
	}
	f.Add([]byte(`{"infno":"2304","msgid":"x","input":{"data":{"psn_no":"\u0000"}}}`), uint8(hdrValid), "n")
	f.Add([]byte(`{"infno":1e999}`), uint8(hdrStale), "")
	f.Add([]byte(`[]`), uint8(hdrBadSig), "n")
	f.Add([]byte(``), uint8(hdrNone), "")
	f.Fuzz(func(t *testing.T, body []byte, mode uint8, nonce string) {
		req := httptest.NewRequest(http.MethodPost, his.Path, bytes.NewReader(body))
		inst, ts := r.inst, r.now
		switch mode % numHdrModes {
		case hdrValid:
			nonce = nonce + "-" + strconv.FormatInt(nonceSerial.Add(1), 36)
		case hdrOther:
			inst = r.other
			nonce = nonce + "-" + strconv.FormatInt(nonceSerial.Add(1), 36)
		case hdrStale:
			ts = ts.Add(-10 * time.Minute)
		}
		if mode%numHdrModes != hdrNone {
			tsText := strconv.FormatInt(ts.Unix(), 10)
			sig := his.Sign(tsText, inst.Token, nonce)
			if mode%numHdrModes == hdrBadSig {
				sig = his.Sign(tsText, inst.Token+"x", nonce)
			}
			req.Header.Set(his.HeaderPaasID, inst.Paasid)
			req.Header.Set(his.HeaderTimestamp, tsText)
			req.Header.Set(his.HeaderNonce, nonce)
			req.Header.Set(his.HeaderSignature, sig)
		}
		w := httptest.NewRecorder()
		r.h.ServeHTTP(w, req)
		switch w.Code {
		case http.StatusOK, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("HTTP %d for %q: %s", w.Code, body, w.Body.Bytes())
		}
		var env his.Response
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil {
			t.Fatalf("HTTP %d answered no envelope: %v\n%s", w.Code, err, w.Body.Bytes())
		}
		switch {
		case env.Infcode == his.InfcodeOK && w.Code == http.StatusOK:
			if !json.Valid(env.Output) {
				t.Fatalf("infcode 0 with output %s", env.Output)
			}
		case env.Infcode == -1 && env.ErrMsg != "":
		default:
			t.Fatalf("HTTP %d, infcode %d, err_msg %q for %q", w.Code, env.Infcode, env.ErrMsg, body)
		}
	})
}
