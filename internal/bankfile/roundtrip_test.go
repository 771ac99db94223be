package bankfile

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestRoundTrip sends a batch through the whole cycle: Writer, the bank
// reading it (ParsePayment), the simulated bank's answer, ParseReturn.
func TestRoundTrip(t *testing.T) {
	ps := manyPayments(3000)
	h := headerFor(ps)
	file := writeFile(t, h, ps)
	gotH, gotPs, err := ParsePayment(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if gotH != h || !reflect.DeepEqual(gotPs, ps) {
		t.Fatal("the payment file did not read back as written")
	}
	fail := func(p Payment) (string, string, bool) {
		if p.Ref[len(p.Ref)-1] == '7' {
			return "E0301", "账户已销户", true
		}
		return "", "", false
	}
	answer, err := SimulateReturn(file, fail)
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[string]Payment{}
	for _, p := range ps {
		byRef[p.Ref] = p
	}
	want := Expect{Batch: h.Batch, Region: h.Region, Month: h.Month, BankCode: h.BankCode,
		Payment: func(ref string) (Payment, bool) { p, ok := byRef[ref]; return p, ok }}
	ret, problems := ParseReturn(bytes.NewReader(answer), want)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if ret.Header.Count != h.Count || ret.Header.TotalFen != h.TotalFen || len(ret.Results) != len(ps) {
		t.Fatalf("return header %+v with %d results", ret.Header, len(ret.Results))
	}
	refused := 0
	for i, r := range ret.Results {
		_, _, failed := fail(ps[i])
		if r.Seq != i+1 || r.Ref != ps[i].Ref || r.Account != ps[i].Account || r.AmountFen != ps[i].AmountFen || r.Paid == failed {
			t.Fatalf("result %d: %+v for %+v", i, r, ps[i])
		}
		if failed {
			refused++
			if r.Code != "E0301" || r.Reason != "账户已销户" {
				t.Errorf("result %d: %+v", i, r)
			}
		} else if r.Code != "" || r.Reason != "" {
			t.Errorf("paid result %d with a reason: %+v", i, r)
		}
	}
	if refused != 300 {
		t.Errorf("%d refused, want 300", refused)
	}
}

func TestSimulateReturnGolden(t *testing.T) {
	payment, err := os.ReadFile(filepath.Join("testdata", "payment.golden"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := SimulateReturn(payment, func(p Payment) (string, string, bool) {
		return "E0301", "账户已销户", p.Ref == "L000000103"
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "return.golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("return file differs from %s (run with -update and review the diff)\ngot:\n%s", path, got)
	}
	if _, problems := ParseReturn(bytes.NewReader(want), expectSample()); len(problems) > 0 {
		t.Errorf("the golden return file is refused: %v", problems)
	}
	if !bytes.Equal(want, retFile{lines: sampleLines()}.bytes()) {
		t.Error("the golden return file differs from the tests' sample return")
	}
}

func TestSimulateReturnRefuses(t *testing.T) {
	payment := writeFile(t, sampleHeader(), samplePayments)
	if _, err := SimulateReturn(payment[:len(payment)-2], nil); err == nil {
		t.Error("a cut payment file was answered")
	}
	_, err := SimulateReturn(payment, func(Payment) (string, string, bool) { return "", "x", true })
	wantField(t, err, "code", "序号000001", "失败原因代码不能为空")
	_, err = SimulateReturn(payment, func(Payment) (string, string, bool) { return "E1", "a|b", true })
	wantField(t, err, "reason", "序号000001", "分隔符")
	all, err := SimulateReturn(payment, nil)
	if err != nil {
		t.Fatal(err)
	}
	ret, problems := ParseReturn(bytes.NewReader(all), expectSample())
	if len(problems) > 0 || len(ret.Results) != 4 || !ret.Results[2].Paid {
		t.Errorf("all paid: %+v %v", ret, problems)
	}
}
