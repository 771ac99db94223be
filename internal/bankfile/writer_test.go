package bankfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongshang/internal/errs"
)

// wantField checks err is an Invalid *errs.Error whose first field is
// field, with a message holding every part of msg.
func wantField(t *testing.T, err error, field string, msg ...string) {
	t.Helper()
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("error %v (%T), want an Invalid *errs.Error", err, err)
	}
	f, _ := errs.First(err)
	if f.Field != field {
		t.Errorf("field %q, want %q (%s)", f.Field, field, f.Message)
	}
	for _, m := range msg {
		if !strings.Contains(f.Message, m) {
			t.Errorf("message %q, want it to contain %q", f.Message, m)
		}
	}
}

func TestPaymentGolden(t *testing.T) {
	got := writeFile(t, sampleHeader(), samplePayments)
	path := filepath.Join("testdata", "payment.golden")
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
		t.Errorf("payment file differs from %s (run with -update and review the diff)\ngot:\n%s", path, got)
	}
}

func TestPaymentDeterministic(t *testing.T) {
	ps := manyPayments(5000)
	h := headerFor(ps)
	a, b := writeFile(t, h, ps), writeFile(t, h, ps)
	if !bytes.Equal(a, b) {
		t.Fatal("the same header and payments gave different bytes")
	}
}

func TestNewWriterRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Header)
		field string
		msg   string
	}{
		{"batch empty", func(h *Header) { h.Batch = "" }, "batch", "批次号不能为空"},
		{"batch separator", func(h *Header) { h.Batch = "370800|1" }, "batch", "分隔符"},
		{"batch newline", func(h *Header) { h.Batch = "370800\n" }, "batch", "换行符"},
		{"batch carriage return", func(h *Header) { h.Batch = "370800\r" }, "batch", "换行符"},
		{"batch control", func(h *Header) { h.Batch = "370800\t1" }, "batch", "控制字符"},
		{"batch utf8", func(h *Header) { h.Batch = "370800\xff" }, "batch", "UTF-8"},
		{"batch too long", func(h *Header) { h.Batch = strings.Repeat("1", 257) }, "batch", "256字节"},
		{"region", func(h *Header) { h.Region = "37080" }, "region", "6位数字"},
		{"month", func(h *Header) { h.Month = "2026-13" }, "month", "YYYY-MM"},
		{"month short", func(h *Header) { h.Month = "2026-1" }, "month", "YYYY-MM"},
		{"bank code", func(h *Header) { h.BankCode = "" }, "bank_code", "银行代码不能为空"},
		{"bank name", func(h *Header) { h.BankName = "工行|济宁" }, "bank_name", "银行名称"},
		{"payer", func(h *Header) { h.PayerName = "" }, "payer_name", "付款单位名称"},
		{"created", func(h *Header) { h.Created = "2026-02-30" }, "created", "YYYY-MM-DD"},
		{"count zero", func(h *Header) { h.Count = 0 }, "count", "笔数"},
		{"count too many", func(h *Header) { h.Count = 1_000_000 }, "count", "999999"},
		{"total zero", func(h *Header) { h.TotalFen = 0 }, "total", "合计金额"},
		{"total too large", func(h *Header) { h.TotalFen = maxFen + 1 }, "total", "合计金额"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := sampleHeader()
			tt.edit(&h)
			var b bytes.Buffer
			w, err := NewWriter(&b, h)
			if w != nil || b.Len() != 0 {
				t.Errorf("a refused header gave a writer or wrote %q", b.String())
			}
			wantField(t, err, tt.field, "文件头", tt.msg)
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Payment)
		field string
		msg   string
	}{
		{"ref empty", func(p *Payment) { p.Ref = "" }, "ref", "业务编号不能为空"},
		{"ref separator", func(p *Payment) { p.Ref = "L1|2" }, "ref", "分隔符"},
		{"account empty", func(p *Payment) { p.Account = "" }, "account", "账号不能为空"},
		{"account letters", func(p *Payment) { p.Account = "6222 0202" }, "account", "账号应为数字"},
		{"account too long", func(p *Payment) { p.Account = strings.Repeat("6", 41) }, "account", "最多40位"},
		{"name empty", func(p *Payment) { p.Name = "" }, "name", "户名不能为空"},
		{"name newline", func(p *Payment) { p.Name = "张\n三" }, "name", "换行符"},
		{"name separator", func(p *Payment) { p.Name = "张|三" }, "name", "分隔符"},
		{"amount zero", func(p *Payment) { p.AmountFen = 0 }, "amount", "应大于0"},
		{"amount negative", func(p *Payment) { p.AmountFen = -100 }, "amount", "应大于0"},
		{"purpose empty", func(p *Payment) { p.Purpose = "" }, "purpose", "用途不能为空"},
		{"purpose carriage return", func(p *Payment) { p.Purpose = "伤残津贴\r" }, "purpose", "换行符"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w, err := NewWriter(&b, sampleHeader())
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(samplePayments[0]); err != nil {
				t.Fatal(err)
			}
			bad := samplePayments[1]
			tt.edit(&bad)
			wantField(t, w.Write(bad), tt.field, "序号000002", tt.msg)
			// The refused payment wrote nothing: the rest still make a valid file.
			for _, p := range samplePayments[1:] {
				if err := w.Write(p); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if want := writeFile(t, sampleHeader(), samplePayments); !bytes.Equal(b.Bytes(), want) {
				t.Errorf("file after a refused payment:\n%s\nwant:\n%s", b.Bytes(), want)
			}
		})
	}
}

func TestWriterCountsAgainstHeader(t *testing.T) {
	newW := func(h Header) (*Writer, *bytes.Buffer) {
		var b bytes.Buffer
		w, err := NewWriter(&b, h)
		if err != nil {
			t.Fatal(err)
		}
		return w, &b
	}
	t.Run("too many", func(t *testing.T) {
		h := sampleHeader()
		h.Count = 1
		w, _ := newW(h)
		w.Write(samplePayments[0])
		wantField(t, w.Write(samplePayments[1]), "count", "序号000002", "超过文件头的1笔")
	})
	t.Run("over total", func(t *testing.T) {
		h := sampleHeader()
		h.TotalFen = samplePayments[0].AmountFen
		w, _ := newW(h)
		w.Write(samplePayments[0])
		wantField(t, w.Write(samplePayments[1]), "amount", "序号000002", "超过文件头合计")
	})
	t.Run("fewer", func(t *testing.T) {
		w, b := newW(sampleHeader())
		w.Write(samplePayments[0])
		wantField(t, w.Close(), "count", "写入1笔", "文件头的4笔")
		if strings.Contains(b.String(), "\nT|") {
			t.Errorf("a short file got a trailer:\n%s", b)
		}
	})
	t.Run("less money", func(t *testing.T) {
		h := sampleHeader()
		h.TotalFen++
		w, b := newW(h)
		for _, p := range samplePayments {
			w.Write(p)
		}
		wantField(t, w.Close(), "total", "文件头合计")
		if strings.Contains(b.String(), "\nT|") {
			t.Errorf("a short file got a trailer:\n%s", b)
		}
	})
	t.Run("closed", func(t *testing.T) {
		h := sampleHeader()
		h.Count, h.TotalFen = 1, samplePayments[0].AmountFen
		w, _ := newW(h)
		w.Write(samplePayments[0])
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(samplePayments[0]); !errors.Is(err, errClosed) {
			t.Errorf("Write after Close: %v", err)
		}
		if err := w.Close(); !errors.Is(err, errClosed) {
			t.Errorf("second Close: %v", err)
		}
	})
}

type failingWriter struct{ n int }

var errDisk = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n < len(p) {
		return 0, errDisk
	}
	f.n -= len(p)
	return len(p), nil
}

func TestWriterWriteErrorIsFinal(t *testing.T) {
	ps := manyPayments(2000)
	w, err := NewWriter(&failingWriter{n: 40 << 10}, headerFor(ps))
	if err != nil {
		t.Fatal(err)
	}
	var got error
	for _, p := range ps {
		if got = w.Write(p); got != nil {
			break
		}
	}
	if !errors.Is(got, errDisk) || errs.KindOf(got) != "" {
		t.Fatalf("write error %v, want the writer's error, internal", got)
	}
	if err := w.Write(ps[0]); !errors.Is(err, errDisk) {
		t.Errorf("Write after a write error: %v", err)
	}
}

// TestWriterAllocs streams 200,000 payments: after the header, a Write
// allocates nothing, so the file is never held in memory.
func TestWriterAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("200,000 payments")
	}
	const runs = 200_000
	p := samplePayments[0]
	h := sampleHeader()
	h.Count, h.TotalFen = runs+1, (runs+1)*p.AmountFen // AllocsPerRun calls once more to warm up
	var out countingWriter
	w, err := NewWriter(&out, h)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(runs, func() {
		if err := w.Write(p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.3f allocations per Write, want 0", allocs)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out.n < runs*60 {
		t.Errorf("wrote %d bytes for %d payments", out.n, runs+1)
	}
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }
