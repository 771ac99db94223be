package bankfile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// The sample batch: four payments of one bank in one month.
var samplePayments = []Payment{
	{Ref: "L000000101", Account: "6222020200001111111", Name: "张三", AmountFen: 345678, Purpose: "伤残津贴2026年11月"},
	{Ref: "L000000102", Account: "6222020200002222222", Name: "李四", AmountFen: 180000, Purpose: "生活护理费2026年11月"},
	{Ref: "L000000103", Account: "6222020200003333333", Name: "王小五", AmountFen: 98765, Purpose: "供养亲属抚恤金2026年11月"},
	{Ref: "L000000104", Account: "6222020200004444444", Name: "赵六", AmountFen: 5, Purpose: "伤残津贴2026年11月补发"},
}

func sampleHeader() Header {
	h := Header{Batch: "370800-2026-11-ICBC-1", Region: "370800", Month: "2026-11", BankCode: "ICBC",
		BankName: "中国工商银行济宁分行", PayerName: "济宁市社会保险事业中心", Created: "2026-11-25"}
	for _, p := range samplePayments {
		h.Count++
		h.TotalFen += p.AmountFen
	}
	return h
}

// writeFile writes a payment file of h and ps, failing the test on any error.
func writeFile(t testing.TB, h Header, ps []Payment) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := NewWriter(&b, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := w.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// expectSample is the importer's view of the sample batch.
func expectSample() Expect {
	h := sampleHeader()
	byRef := map[string]Payment{}
	for _, p := range samplePayments {
		byRef[p.Ref] = p
	}
	return Expect{Batch: h.Batch, Region: h.Region, Month: h.Month, BankCode: h.BankCode,
		Payment: func(ref string) (Payment, bool) { p, ok := byRef[ref]; return p, ok }}
}

// rline is an R line for payment p.
func rline(seq int, p Payment, status, code, reason string) string {
	return fmt.Sprintf("R|%06d|%s|%s|%s|%s|%s|%s", seq, p.Ref, p.Account, FormatYuan(p.AmountFen), status, code, reason)
}

// sampleLines answers the sample: all paid but the third (退票).
func sampleLines() []string {
	return []string{
		rline(1, samplePayments[0], "S", "", ""),
		rline(2, samplePayments[1], "S", "", ""),
		rline(3, samplePayments[2], "F", "E0301", "账户已销户"),
		rline(4, samplePayments[3], "S", "", ""),
	}
}

// retFile builds a return file. An empty header or trailer is made to fit
// the lines: the header of the sample batch with the R lines' count and
// total, the trailer with their count, total and the checksum. A trailer
// may hold {sum} for the right checksum; "-" leaves it out.
type retFile struct {
	header  string
	lines   []string
	trailer string
	extra   string // after the trailer
}

func (f retFile) bytes() []byte {
	count, total := 0, int64(0)
	for _, l := range f.lines {
		fs := strings.Split(l, "|")
		if fs[0] != "R" {
			continue
		}
		count++
		if len(fs) > 4 {
			if v, err := ParseYuan(fs[4]); err == nil {
				total += v
			}
		}
	}
	h := f.header
	if h == "" {
		e := expectSample()
		h = fmt.Sprintf("H|GSRET|1|%s|%s|%s|%s|%d|%s", e.Batch, e.Region, e.Month, e.BankCode, count, FormatYuan(total))
	}
	var b strings.Builder
	b.WriteString(h + "\n")
	for _, l := range f.lines {
		b.WriteString(l + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	switch f.trailer {
	case "":
		fmt.Fprintf(&b, "T|%d|%s|%s\n", count, FormatYuan(total), hex.EncodeToString(sum[:]))
	case "-":
	default:
		b.WriteString(strings.ReplaceAll(f.trailer, "{sum}", hex.EncodeToString(sum[:])))
	}
	b.WriteString(f.extra)
	return []byte(b.String())
}

// manyPayments makes n distinct payments.
func manyPayments(n int) []Payment {
	names := []string{"张三", "李四", "王小五", "赵六", "孙七", "周八", "吴九", "郑十"}
	purposes := []string{"伤残津贴2026年11月", "生活护理费2026年11月", "供养亲属抚恤金2026年11月"}
	ps := make([]Payment, n)
	for i := range ps {
		ps[i] = Payment{Ref: fmt.Sprintf("L%09d", i+1), Account: fmt.Sprintf("62220202%011d", i*37+1),
			Name: names[i%len(names)], AmountFen: int64(i*7919%500000 + 1), Purpose: purposes[i%len(purposes)]}
	}
	return ps
}

// headerFor is the sample header with ps's count and total.
func headerFor(ps []Payment) Header {
	h := sampleHeader()
	h.Count, h.TotalFen = len(ps), 0
	for _, p := range ps {
		h.TotalFen += p.AmountFen
	}
	return h
}
