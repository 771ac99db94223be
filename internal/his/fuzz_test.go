package his

import (
	"encoding/json"
	"errors"
	"testing"

	"gongshang/internal/errs"
)

// mustBeInvalid fails unless err is nil or an *errs.Error of kind Invalid
// with at least one field.
func mustBeInvalid(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid || len(e.Fields) == 0 || e.Message == "" {
		t.Fatalf("error %v (%T) is not an Invalid *errs.Error with fields", err, err)
	}
}

func FuzzParseRequest(f *testing.F) {
	for _, tx := range Transactions {
		f.Add([]byte(envelopeFor(tx.Infno, validInputs[tx.Infno])))
	}
	f.Add([]byte(`{"infno":2304,"msgid":1,"opter_type":1,"fixmedins_code":"H37081100001","input":{}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"infno":"1101","msgid":"M","fixmedins_code":"H37081100001","inf_time":"2026-02-29 10:00:00","mdtrtarea_admvs":null,"input":{"data":null}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := ParseRequest(body)
		mustBeInvalid(t, err)
		if err != nil {
			return
		}
		if TransactionName(req.Infno) == "" || req.Msgid == "" || len(req.FixmedinsCode) != 12 || !json.Valid(req.Input) {
			t.Fatalf("accepted a bad envelope: %+v", req)
		}
		in, err := Decode(req.Infno, req.Input)
		mustBeInvalid(t, err)
		if err == nil && in == nil {
			t.Fatal("nil input without error")
		}
	})
}

func FuzzDecode(f *testing.F) {
	for _, tx := range Transactions {
		f.Add(tx.Infno, []byte(validInputs[tx.Infno]))
	}
	f.Add("2301", []byte(`{"feedetail":[{"cnt":"1.00005","pric":"-0","det_item_fee_sumamt":1e400}]}`))
	f.Add("2301", []byte(`{"feedetail":[{"feedetl_sn":1,"mdtrt_id":1,"psn_no":1,"fee_ocur_time":"2026-11-28 10:00:00","med_list_codg":1,"det_item_fee_sumamt":"0.01","cnt":"0.0001","pric":"100.00"},{"feedetl_sn":"1"}]}`))
	f.Add("3202", []byte(`{"data":{"setl_optins":1,"stmt_begndate":"2026-11-01","stmt_enddate":"2026-11-01","detail":[{"setl_id":"S","medfee_sumamt":-1,"fund_pay_sumamt":"0","psn_cash_pay":"-0.01"}]}}`))
	f.Fuzz(func(t *testing.T, infno string, raw []byte) {
		if !json.Valid(raw) {
			return // ParseRequest refuses the body before Decode sees it
		}
		in, err := Decode(infno, raw)
		mustBeInvalid(t, err)
		if err != nil {
			return
		}
		// What was accepted marshals back and decodes to an accepted value.
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("marshal %T: %v", in, err)
		}
		if _, err := Decode(infno, b); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
	})
}
