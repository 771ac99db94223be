package bankfile

import (
	"bytes"
	"testing"
)

// FuzzParseReturn: any bytes give either an accepted return that agrees
// with itself and with the batch, or problems; never a panic.
func FuzzParseReturn(f *testing.F) {
	f.Add(retFile{lines: sampleLines()}.bytes())
	f.Add(retFile{lines: sampleLines()[:2]}.bytes())
	f.Add(retFile{lines: sampleLines(), trailer: "T|4|6244.48|{sum}"}.bytes())
	f.Add(retFile{lines: append(sampleLines(), "R|000005|L000000101|1|1.00|F||")}.bytes())
	f.Add([]byte("H|GSRET|1\n"))
	f.Add([]byte("H|GSPAY|1|x\nD|000001\n"))
	f.Add([]byte{})
	f.Add([]byte("\n\r\n|||\xff"))
	want := expectSample()
	f.Fuzz(func(t *testing.T, data []byte) {
		ret, problems := ParseReturn(bytes.NewReader(data), want)
		if len(problems) > maxShown+1 {
			t.Fatalf("%d problems", len(problems))
		}
		for _, p := range problems {
			if p.Message == "" || p.Line < 0 {
				t.Fatalf("problem %+v", p)
			}
		}
		if len(problems) > 0 {
			if ret.Results != nil || ret.Header != (Header{}) {
				t.Fatalf("a refused file returned %+v", ret)
			}
			return
		}
		if ret.Header.Batch != want.Batch || ret.Header.Count != len(ret.Results) {
			t.Fatalf("accepted %+v with %d results", ret.Header, len(ret.Results))
		}
		var sum int64
		seen := map[string]bool{}
		for i, r := range ret.Results {
			p, ok := want.Payment(r.Ref)
			if !ok || seen[r.Ref] || r.Seq != i+1 || r.Account != p.Account || r.AmountFen != p.AmountFen || (!r.Paid && r.Code == "") {
				t.Fatalf("accepted result %+v", r)
			}
			seen[r.Ref] = true
			sum += r.AmountFen
		}
		if sum != ret.Header.TotalFen {
			t.Fatalf("accepted total %d, results sum to %d", ret.Header.TotalFen, sum)
		}
	})
}
