package bankfile

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

func TestParseReturnAccepts(t *testing.T) {
	ret, problems := ParseReturn(bytes.NewReader(retFile{lines: sampleLines()}.bytes()), expectSample())
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	h := sampleHeader()
	want := Header{Batch: h.Batch, Region: h.Region, Month: h.Month, BankCode: h.BankCode, Count: 4, TotalFen: h.TotalFen}
	if ret.Header != want {
		t.Errorf("header %+v, want %+v", ret.Header, want)
	}
	if len(ret.Results) != 4 {
		t.Fatalf("%d results, want 4", len(ret.Results))
	}
	for i, r := range ret.Results {
		p := samplePayments[i]
		if r.Seq != i+1 || r.Ref != p.Ref || r.Account != p.Account || r.AmountFen != p.AmountFen {
			t.Errorf("result %d: %+v, want payment %+v", i, r, p)
		}
		if r.Paid != (i != 2) {
			t.Errorf("result %d: paid %v", i, r.Paid)
		}
	}
	if r := ret.Results[2]; r.Code != "E0301" || r.Reason != "账户已销户" {
		t.Errorf("refused payment: %+v", r)
	}
}

// A bank may answer a batch in parts: a return without some of the
// batch's payments is accepted.
func TestParseReturnPartial(t *testing.T) {
	lines := []string{rline(1, samplePayments[3], "S", "", ""), rline(2, samplePayments[1], "F", "E0102", "")}
	ret, problems := ParseReturn(bytes.NewReader(retFile{lines: lines}.bytes()), expectSample())
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if len(ret.Results) != 2 || ret.Results[0].Ref != "L000000104" || ret.Results[1].Paid || ret.Results[1].Code != "E0102" {
		t.Errorf("results %+v", ret.Results)
	}
}

type wantProblem struct {
	line  int
	field string
	msg   string
}

func TestParseReturnProblems(t *testing.T) {
	p := samplePayments
	lines := sampleLines
	with := func(i int, l string) []string { ls := lines(); ls[i] = l; return ls }
	e := expectSample()
	hdr := func(batch, region, month, bank string) string {
		return fmt.Sprintf("H|GSRET|1|%s|%s|%s|%s|4|6244.48", batch, region, month, bank)
	}
	tests := []struct {
		name string
		file retFile
		raw  string // instead of file
		want []wantProblem
	}{
		// Not a return file of this batch: one problem, nothing else read.
		{name: "empty", raw: "", want: []wantProblem{{0, "", "回盘文件为空"}}},
		{name: "not a header", raw: "R|000001\n", want: []wantProblem{{1, "type", "这不是回盘文件"}}},
		{name: "payment file", raw: "H|GSPAY|1|x\n", want: []wantProblem{{1, "type", "这是代发文件"}}},
		{name: "other file", raw: "H|XYZ|1\n", want: []wantProblem{{1, "type", "「XYZ」应为GSRET"}}},
		{name: "version", file: retFile{header: "H|GSRET|2|a|b|c|d|4|1.00", lines: lines()},
			want: []wantProblem{{1, "version", "版本「2」不受支持"}}},
		{name: "header fields", file: retFile{header: "H|GSRET|1|" + e.Batch + "|370800|2026-11|ICBC|4", lines: lines()},
			want: []wantProblem{{1, "line", "文件头（H行）应有9个字段，实有8个"}}},
		{name: "other batch", file: retFile{header: hdr("370800-2026-11-ICBC-2", e.Region, e.Month, e.BankCode), lines: lines()},
			want: []wantProblem{{1, "batch", "回盘文件属于批次「370800-2026-11-ICBC-2」，不是本批次「370800-2026-11-ICBC-1」"}}},
		{name: "other region", file: retFile{header: hdr(e.Batch, "370811", e.Month, e.BankCode), lines: lines()},
			want: []wantProblem{{1, "region", "统筹区「370811」，不是本批次「370800」"}}},
		{name: "other month", file: retFile{header: hdr(e.Batch, e.Region, "2026-10", e.BankCode), lines: lines()},
			want: []wantProblem{{1, "month", "月份「2026-10」，不是本批次「2026-11」"}}},
		{name: "other bank", file: retFile{header: hdr(e.Batch, e.Region, e.Month, "ABC"), lines: lines()},
			want: []wantProblem{{1, "bank_code", "银行「ABC」，不是本批次「ICBC」"}}},
		{name: "other batch and bank", file: retFile{header: hdr("B2", e.Region, e.Month, "ABC"), lines: lines()},
			want: []wantProblem{{1, "batch", "批次「B2」"}, {1, "bank_code", "银行「ABC」"}}},

		// The header's own numbers.
		{name: "header count format", file: retFile{header: strings.Replace(hdr(e.Batch, e.Region, e.Month, e.BankCode), "|4|", "|04|", 1), lines: lines()},
			want: []wantProblem{{1, "count", "文件头笔数「04」应为不带前导零的整数"}}},
		{name: "header count differs", file: retFile{header: strings.Replace(hdr(e.Batch, e.Region, e.Month, e.BankCode), "|4|", "|5|", 1), lines: lines()},
			want: []wantProblem{{1, "count", "文件头笔数为5，实有4条明细"}}},
		{name: "header total format", file: retFile{header: strings.Replace(hdr(e.Batch, e.Region, e.Month, e.BankCode), "6244.48", "6244.480", 1), lines: lines()},
			want: []wantProblem{{1, "total", "文件头合计金额「6244.480」应为元"}}},
		{name: "header total differs", file: retFile{header: strings.Replace(hdr(e.Batch, e.Region, e.Month, e.BankCode), "6244.48", "6244.49", 1), lines: lines()},
			want: []wantProblem{{1, "total", "文件头合计金额为6244.49元，明细合计为6244.48元"}}},

		// Lines as text.
		{name: "crlf", file: retFile{lines: with(1, rline(2, p[1], "S", "", "")+"\r")},
			want: []wantProblem{{3, "line", "行末有回车符"}}},
		{name: "invalid utf8", file: retFile{lines: with(2, rline(3, p[2], "F", "E0301", "账户\xff销户"))},
			want: []wantProblem{{4, "line", "不是有效的UTF-8"}}},
		{name: "control character", file: retFile{lines: with(2, rline(3, p[2], "F", "E0301", "账户\x00销户"))},
			want: []wantProblem{{4, "line", "含有控制字符"}}},
		{name: "empty line", file: retFile{lines: append(lines(), "")},
			want: []wantProblem{{6, "line", "空行"}}},
		{name: "unknown line", file: retFile{lines: append(lines(), "X|1")},
			want: []wantProblem{{6, "line", "未知的行类型「X」"}}},
		{name: "payment line", file: retFile{lines: append(lines(), "D|000005|L1|1|张三|1.00|x")},
			want: []wantProblem{{6, "line", "未知的行类型「D」"}}},
		{name: "second header", file: retFile{lines: append(lines(), hdr(e.Batch, e.Region, e.Month, e.BankCode))},
			want: []wantProblem{{6, "line", "文件头（H行）只能在第1行"}}},

		// R lines.
		{name: "R fields", file: retFile{header: hdr(e.Batch, e.Region, e.Month, e.BankCode), lines: with(1, rline(2, p[1], "S", "", "")+"|x"), trailer: "T|4|6244.48|{sum}\n"},
			want: []wantProblem{{3, "line", "明细（R行）应有8个字段，实有9个"}}},
		{name: "seq format", file: retFile{lines: with(1, strings.Replace(rline(2, p[1], "S", "", ""), "000002", "2", 1))},
			want: []wantProblem{{3, "seq", "序号「2」应为6位数字"}}},
		{name: "seq gap", file: retFile{lines: with(1, rline(3, p[1], "S", "", ""))},
			want: []wantProblem{{3, "seq", "序号应为000002，实为「000003」"}}},
		{name: "seq zero", file: retFile{lines: with(0, rline(0, p[0], "S", "", ""))},
			want: []wantProblem{{2, "seq", "序号「000000」应为6位数字"}}},
		{name: "amount format", file: retFile{header: hdr(e.Batch, e.Region, e.Month, e.BankCode), lines: with(1, strings.Replace(rline(2, p[1], "S", "", ""), "1800.00", "1800", 1)), trailer: "T|4|6244.48|{sum}\n"},
			want: []wantProblem{{3, "amount", "金额「1800」应为元"}}},
		{name: "amount zero", file: retFile{lines: with(1, strings.Replace(rline(2, p[1], "S", "", ""), "1800.00", "0.00", 1))},
			want: []wantProblem{{3, "amount", "金额应大于0"}, {3, "amount", "金额0.00元与本批次代发的1800.00元不一致"}}},
		{name: "amount differs", file: retFile{lines: with(1, strings.Replace(rline(2, p[1], "S", "", ""), "1800.00", "1800.01", 1))},
			want: []wantProblem{{3, "amount", "金额1800.01元与本批次代发的1800.00元不一致"}}},
		{name: "account differs", file: retFile{lines: with(1, strings.Replace(rline(2, p[1], "S", "", ""), "6222020200002222222", "6222020200002229999", 1))},
			want: []wantProblem{{3, "account", "账号（尾号「9999」）与本批次代发的账号（尾号「2222」）不一致"}}},
		{name: "status", file: retFile{lines: with(1, rline(2, p[1], "OK", "", ""))},
			want: []wantProblem{{3, "status", "状态「OK」应为S（成功）或F（失败）"}}},
		{name: "paid with a reason", file: retFile{lines: with(1, rline(2, p[1], "S", "", "已入账"))},
			want: []wantProblem{{3, "code", "成功（S）的明细不应填写"}}},
		{name: "failed without a code", file: retFile{lines: with(2, rline(3, p[2], "F", "", "账户已销户"))},
			want: []wantProblem{{4, "code", "失败（F）的明细缺少失败原因代码"}}},
		{name: "ref empty", file: retFile{lines: with(1, rline(2, Payment{Account: p[1].Account, AmountFen: p[1].AmountFen}, "S", "", ""))},
			want: []wantProblem{{3, "ref", "业务编号不能为空"}}},
		{name: "unknown ref", file: retFile{lines: append(lines(), rline(5, Payment{Ref: "L000000999", Account: "6222", AmountFen: 100}, "S", "", ""))},
			want: []wantProblem{{6, "ref", "业务编号「L000000999」不在本批次中"}}},
		{name: "duplicated ref", file: retFile{lines: append(lines(), rline(5, p[0], "S", "", ""))},
			want: []wantProblem{{6, "ref", "业务编号「L000000101」与第2行重复"}}},

		// The trailer.
		{name: "missing trailer", file: retFile{lines: lines(), trailer: "-"},
			want: []wantProblem{{0, "", "缺少尾行（T行）"}}},
		{name: "trailer fields", file: retFile{lines: lines(), trailer: "T|4|6244.48\n"},
			want: []wantProblem{{6, "line", "尾行（T行）应有4个字段，实有3个"}}},
		{name: "trailer count format", file: retFile{lines: lines(), trailer: "T|four|6244.48|{sum}\n"},
			want: []wantProblem{{6, "count", "尾行笔数「four」应为不带前导零的整数"}}},
		{name: "trailer count differs", file: retFile{lines: lines(), trailer: "T|3|6244.48|{sum}\n"},
			want: []wantProblem{{6, "count", "尾行笔数为3，实有4条明细"}}},
		{name: "trailer total format", file: retFile{lines: lines(), trailer: "T|4|6,244.48|{sum}\n"},
			want: []wantProblem{{6, "total", "尾行合计金额「6,244.48」应为元"}}},
		{name: "trailer total differs", file: retFile{lines: lines(), trailer: "T|4|6244.47|{sum}\n"},
			want: []wantProblem{{6, "total", "尾行合计金额为6244.47元，明细合计为6244.48元"}}},
		{name: "checksum format", file: retFile{lines: lines(), trailer: "T|4|6244.48|ABC\n"},
			want: []wantProblem{{6, "checksum", "校验值「ABC」应为64位小写十六进制"}}},
		{name: "checksum upper case", file: retFile{lines: lines(), trailer: "T|4|6244.48|" + strings.ToUpper(hexSum(retFile{lines: lines(), trailer: "-"}.bytes())) + "\n"},
			want: []wantProblem{{6, "checksum", "应为64位小写十六进制"}}},
		{name: "checksum differs", file: retFile{lines: lines(), trailer: "T|4|6244.48|" + strings.Repeat("0", 64) + "\n"},
			want: []wantProblem{{6, "checksum", "校验值不符"}}},
		{name: "no final newline", file: retFile{lines: lines(), trailer: "T|4|6244.48|{sum}"},
			want: []wantProblem{{6, "line", "行末缺少换行符"}}},
		{name: "after trailer", file: retFile{lines: lines(), extra: "R|000005|x\n"},
			want: []wantProblem{{7, "line", "尾行（T行）之后不能再有内容"}}},
		{name: "blank after trailer", file: retFile{lines: lines(), extra: "\n"},
			want: []wantProblem{{7, "line", "尾行（T行）之后不能再有内容"}}},
		{name: "second trailer", file: retFile{lines: lines(), extra: "T|4|6244.48|{sum}\n"},
			want: []wantProblem{{7, "line", "尾行（T行）之后不能再有内容"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.raw == "" && tt.file.lines != nil {
				data = tt.file.bytes()
			}
			ret, got := ParseReturn(bytes.NewReader(data), e)
			if len(got) == 0 {
				if tt.want != nil {
					t.Fatalf("accepted:\n%s", data)
				}
				return
			}
			if ret.Results != nil || ret.Header != (Header{}) {
				t.Errorf("a refused file returned %+v", ret)
			}
			checkProblems(t, got, tt.want, data)
		})
	}
}

func checkProblems(t *testing.T, got []Problem, want []wantProblem, data []byte) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		w := want[i]
		ok = got[i].Line == w.line && got[i].Field == w.field && strings.Contains(got[i].Message, w.msg)
	}
	if !ok {
		t.Errorf("problems:\n%s\nwant:\n%v\nfile:\n%s", problemList(got), want, data)
	}
}

func problemList(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  %d %s %s\n", p.Line, p.Field, p.Message)
	}
	return b.String()
}

func hexSum(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }

// endless is a return file that never ends: a header, then the same
// line again and again.
type endless struct {
	head []byte
	line []byte
	n    int64 // bytes read
	buf  []byte
}

func (r *endless) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		r.buf = r.line
		if r.head != nil {
			r.buf, r.head = r.head, nil
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.n += int64(n)
	return n, nil
}

func TestParseReturnTooLarge(t *testing.T) {
	r := &endless{head: []byte("H|GSRET|1|370800-2026-11-ICBC-1|370800|2026-11|ICBC|1|3456.78\n"),
		line: []byte(rline(1, samplePayments[0], "S", "", "") + strings.Repeat("x", 1000) + "\n")}
	_, got := ParseReturn(r, expectSample())
	checkProblems(t, got, []wantProblem{{0, "", "回盘文件超过64 MiB，已停止读取"}}, nil)
	if r.n > maxReturn+1 {
		t.Errorf("read %d bytes, want at most %d", r.n, maxReturn+1)
	}
}

// A file of exactly 64 MiB is read (and here refused for its content).
func TestParseReturnAtSizeLimit(t *testing.T) {
	head := []byte("H|GSRET|1|370800-2026-11-ICBC-1|370800|2026-11|ICBC|1|3456.78\n")
	line := []byte(strings.Repeat("x", 1023) + "\n")
	data := bytes.Repeat(line, maxReturn/len(line))
	copy(data, head)
	copy(data[len(head):], strings.Repeat("x", len(line)-len(head)%len(line)-1)+"\n")
	if len(data) != maxReturn {
		t.Fatalf("test file of %d bytes", len(data))
	}
	_, got := ParseReturn(bytes.NewReader(data), expectSample())
	if len(got) != maxShown+1 || !strings.Contains(got[0].Message, "未知的行类型") || !strings.Contains(got[maxShown].Message, "未列出") {
		t.Errorf("problems at the size limit: %d, first %v, last %v", len(got), got[0], got[len(got)-1])
	}
}

func TestParseReturnLineLength(t *testing.T) {
	long := rline(1, samplePayments[0], "F", "E01", "")
	long += strings.Repeat("户", (maxLine-len(long))/3)
	long += strings.Repeat("x", maxLine-len(long))
	if len(long) != maxLine {
		t.Fatalf("line of %d bytes", len(long))
	}
	lines := []string{long}
	if _, got := ParseReturn(bytes.NewReader(retFile{lines: lines}.bytes()), expectSample()); len(got) > 0 {
		t.Errorf("a line of %d bytes: %v", maxLine, got)
	}
	lines[0] += "x"
	_, got := ParseReturn(bytes.NewReader(retFile{lines: lines}.bytes()), expectSample())
	checkProblems(t, got, []wantProblem{{2, "line", "行长度超过4096字节"}}, nil)
}

func TestParseReturnLimitsProblems(t *testing.T) {
	var lines []string
	for i := 1; i <= 300; i++ {
		lines = append(lines, rline(i, Payment{Ref: fmt.Sprintf("X%d", i), Account: "1", AmountFen: 1}, "S", "", ""))
	}
	_, got := ParseReturn(bytes.NewReader(retFile{lines: lines}.bytes()), expectSample())
	if len(got) != 201 {
		t.Fatalf("%d problems, want 201", len(got))
	}
	if got[199].Line != 201 || !strings.Contains(got[199].Message, "「X200」") {
		t.Errorf("200th problem %v", got[199])
	}
	if last := got[200]; last != (Problem{Message: "另有100个问题未列出"}) {
		t.Errorf("last problem %v", last)
	}
}

type brokenReader struct{ r io.Reader }

func (b *brokenReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset")
	}
	return n, err
}

func TestParseReturnReadError(t *testing.T) {
	data := retFile{lines: sampleLines()}.bytes()
	_, got := ParseReturn(&brokenReader{bytes.NewReader(data[:100])}, expectSample())
	checkProblems(t, got, []wantProblem{{0, "", "读取回盘文件失败"}}, nil)
}

func TestParseReturnWithoutPayments(t *testing.T) {
	e := expectSample()
	e.Payment = nil
	_, got := ParseReturn(bytes.NewReader(retFile{lines: sampleLines()[:1]}.bytes()), e)
	checkProblems(t, got, []wantProblem{{2, "ref", "不在本批次中"}}, nil)
}

func TestProblemString(t *testing.T) {
	if s := (Problem{Line: 5, Field: "amount", Message: "金额应大于0"}).String(); s != "第5行：金额应大于0" {
		t.Errorf("String %q", s)
	}
	if s := (Problem{Message: "回盘文件为空"}).String(); s != "回盘文件为空" {
		t.Errorf("String %q", s)
	}
}
