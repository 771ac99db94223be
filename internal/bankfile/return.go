package bankfile

import (
	"io"
)

// Result is the bank's answer for one payment, an R line of a return file.
type Result struct {
	Seq       int    // the R line's sequence number in the return file, 1..n
	Ref       string // the payroll line's reference, as sent
	Account   string
	AmountFen int64
	Paid      bool   // S: paid; F: refused (退票)
	Code      string // the bank's reason code, for F only
	Reason    string // the bank's reason text, for F only; may be empty
}

// Return is an accepted return file. Of Header, only Batch, Region, Month,
// BankCode, Count and TotalFen are set.
type Return struct {
	Header  Header
	Results []Result
}

// Expect is what the importer knows: the batch it sent, and the payments in
// it by ref. Payment may be nil: then every ref is unknown.
type Expect struct {
	Batch, Region, Month, BankCode string
	Payment                        func(ref string) (Payment, bool)
}

// ParseReturn reads a return file (回盘文件) of the batch want describes.
// It accepts the file whole or refuses it: with problems, Return is the
// zero value. It reads line by line and stops at a line over 4096 bytes,
// or at 64 MiB or a read error (then that is the only problem); it lists at
// most 200 problems plus one counting the rest. A payment of the batch the file does not answer is not a problem: a
// bank may return a batch in parts.
func ParseReturn(r io.Reader, want Expect) (Return, []Problem) {
	p := &returnParser{fileReader: newFileReader(r, "回盘文件", maxReturn), want: want, seen: map[string]int{}}
	p.run()
	if len(p.problems) > 0 || p.tooLarge || p.readErr {
		return Return{}, p.report()
	}
	return p.ret, nil
}

type returnParser struct {
	*fileReader
	want    Expect
	ret     Return
	seen    map[string]int // ref → line
	countOK bool           // the header's count was read
	totalOK bool           // the header's total was read
}

func (p *returnParser) run() {
	if !p.header() {
		return
	}
	trailer := false
	for !trailer && p.next() {
		switch p.fields[0] {
		case "R":
			p.result()
		case "T":
			p.trailer()
			p.afterTrailer()
			trailer = true
		case "H":
			p.add(p.line(), "line", "文件头（H行）只能在第1行")
		default:
			p.unknownLine("H、R、T")
		}
	}
	if p.fatal {
		return
	}
	if !trailer {
		p.add(0, "", "缺少尾行（T行）：回盘文件不完整")
	}
	p.compareHeader()
}

// header reads line 1. It reports false when reading on makes no sense:
// not a return file, a version it does not know, or another batch's.
func (p *returnParser) header() bool {
	if !p.next() {
		if !p.fatal {
			p.add(0, "", "回盘文件为空")
		}
		return false
	}
	f := p.fields
	switch {
	case f[0] != "H" || len(f) < 2:
		p.add(1, "type", "第1行应为文件头（H行）：这不是回盘文件")
		return false
	case f[1] == "GSPAY":
		p.add(1, "type", "这是代发文件（GSPAY），不是回盘文件")
		return false
	case f[1] != "GSRET":
		p.add(1, "type", "文件标识%s应为GSRET：这不是回盘文件", quote(f[1]))
		return false
	case len(f) < 3 || f[2] != "1":
		v := ""
		if len(f) >= 3 {
			v = f[2]
		}
		p.add(1, "version", "回盘文件版本%s不受支持，只支持版本1", quote(v))
		return false
	case !p.fieldCount("文件头（H行）", 9):
		return false
	}
	h := Header{Batch: f[3], Region: f[4], Month: f[5], BankCode: f[6]}
	same := p.same("batch", "批次", h.Batch, p.want.Batch)
	same = p.same("region", "统筹区", h.Region, p.want.Region) && same
	same = p.same("month", "月份", h.Month, p.want.Month) && same
	same = p.same("bank_code", "银行", h.BankCode, p.want.BankCode) && same
	if !same {
		return false
	}
	h.Count, p.countOK = p.checkCount(1, "文件头", f[7], -1)
	h.TotalFen, p.totalOK = p.checkTotal(1, "文件头", f[8], nil)
	p.ret.Header = h
	return true
}

func (p *returnParser) same(field, label, got, want string) bool {
	if got == want {
		return true
	}
	p.add(1, field, "回盘文件属于%s%s，不是本批次%s", label, quote(got), quote(want))
	return false
}

// result reads one R line.
func (p *returnParser) result() {
	p.lines.count++
	n := p.line()
	if !p.fieldCount("明细（R行）", 8) {
		p.lines.broken = true
		return
	}
	f := p.fields
	res := Result{Seq: p.lines.count, Ref: f[2], Account: f[3], Code: f[6], Reason: f[7]}
	p.seq(f[1])
	amountOK := p.amount(f[4], &res.AmountFen)
	p.status(f[5], &res)
	if res.Ref == "" {
		p.add(n, "ref", "业务编号不能为空")
	} else if first, dup := p.seen[res.Ref]; dup {
		p.add(n, "ref", "业务编号%s与第%d行重复", quote(res.Ref), first)
	} else {
		p.seen[res.Ref] = n
		p.compare(res, amountOK)
	}
	if len(p.problems) == 0 {
		p.ret.Results = append(p.ret.Results, res)
	}
}

func (p *returnParser) status(s string, res *Result) {
	switch s {
	case "S":
		res.Paid = true
		if res.Code != "" || res.Reason != "" {
			p.add(p.line(), "code", "成功（S）的明细不应填写失败原因代码或说明")
		}
	case "F":
		if res.Code == "" {
			p.add(p.line(), "code", "失败（F）的明细缺少失败原因代码")
		}
	default:
		p.add(p.line(), "status", "状态%s应为S（成功）或F（失败）", quote(s))
	}
}

// compare checks an R line against the payment sent under its ref.
func (p *returnParser) compare(res Result, amountOK bool) {
	var sent Payment
	ok := false
	if p.want.Payment != nil {
		sent, ok = p.want.Payment(res.Ref)
	}
	if !ok {
		p.add(p.line(), "ref", "业务编号%s不在本批次中", quote(res.Ref))
		return
	}
	if res.Account != sent.Account {
		p.add(p.line(), "account", "账号（尾号%s）与本批次代发的账号（尾号%s）不一致", tail4(res.Account), tail4(sent.Account))
	}
	if amountOK && res.AmountFen != sent.AmountFen {
		p.add(p.line(), "amount", "金额%s元与本批次代发的%s元不一致", FormatYuan(res.AmountFen), FormatYuan(sent.AmountFen))
	}
}

func (p *returnParser) trailer() {
	if !p.fieldCount("尾行（T行）", 4) {
		return
	}
	p.checkCount(p.line(), "尾行", p.fields[1], p.lines.count)
	p.checkTotal(p.line(), "尾行", p.fields[2], &p.lines)
	p.checkSum(p.fields[3])
}

// compareHeader compares the header's count and total with the R lines.
func (p *returnParser) compareHeader() {
	h := p.ret.Header
	if p.countOK && h.Count != p.lines.count {
		p.add(1, "count", "文件头笔数为%d，实有%d条明细", h.Count, p.lines.count)
	}
	if p.totalOK && !p.lines.broken && h.TotalFen != p.lines.sum {
		p.add(1, "total", "文件头合计金额为%s元，明细合计为%s元", FormatYuan(h.TotalFen), FormatYuan(p.lines.sum))
	}
}
