package bankfile

import (
	"io"

	"gongshang/internal/errs"
)

// ParsePayment reads a payment file back: for tests, the simulated bank and
// checking a file before it goes out. It checks what a bank would: the
// format, every field as NewWriter and Write do, the sequence, the header's
// and trailer's counts and totals, and the checksum. The error is an
// *errs.Error naming the first problem's line and field.
func ParsePayment(r io.Reader) (Header, []Payment, error) {
	p := &paymentParser{fileReader: newFileReader(r, "代发文件", 0)}
	p.run()
	if ps := p.report(); len(ps) > 0 {
		first := ps[0]
		field := first.Field
		if field == "" {
			field = "file"
		}
		return Header{}, nil, errs.Field(field, "payment_file", "代发文件%s", first.String())
	}
	return p.h, p.payments, nil
}

type paymentParser struct {
	*fileReader
	h        Header
	headerOK bool
	payments []Payment
}

func (p *paymentParser) run() {
	if !p.header() {
		return
	}
	trailer := false
	for !trailer && p.next() {
		switch p.fields[0] {
		case "D":
			p.payment()
		case "T":
			p.trailer()
			p.afterTrailer()
			trailer = true
		case "H":
			p.add(p.line(), "line", "文件头（H行）只能在第1行")
		default:
			p.unknownLine("H、D、T")
		}
	}
	if p.fatal {
		return
	}
	if !trailer {
		p.add(0, "", "缺少尾行（T行）：代发文件不完整")
	}
	if p.headerOK && p.lines.count != p.h.Count {
		p.add(1, "count", "文件头笔数为%d，实有%d条明细", p.h.Count, p.lines.count)
	}
	if p.headerOK && !p.lines.broken && p.lines.sum != p.h.TotalFen {
		p.add(1, "total", "文件头合计金额为%s元，明细合计为%s元", FormatYuan(p.h.TotalFen), FormatYuan(p.lines.sum))
	}
}

func (p *paymentParser) header() bool {
	if !p.next() {
		if !p.fatal {
			p.add(0, "", "代发文件为空")
		}
		return false
	}
	f := p.fields
	switch {
	case f[0] != "H" || len(f) < 2:
		p.add(1, "type", "第1行应为文件头（H行）：这不是代发文件")
		return false
	case f[1] == "GSRET":
		p.add(1, "type", "这是回盘文件（GSRET），不是代发文件")
		return false
	case f[1] != "GSPAY":
		p.add(1, "type", "文件标识%s应为GSPAY：这不是代发文件", quote(f[1]))
		return false
	case len(f) < 3 || f[2] != "1":
		p.add(1, "version", "代发文件版本不受支持，只支持版本1")
		return false
	case !p.fieldCount("文件头（H行）", 12):
		return false
	}
	h := Header{Batch: f[3], Region: f[4], Month: f[5], BankCode: f[6], BankName: f[7], PayerName: f[8], Created: f[11]}
	n, countOK := p.checkCount(1, "文件头", f[9], -1)
	v, totalOK := p.checkTotal(1, "文件头", f[10], nil)
	h.Count, h.TotalFen = n, v
	if countOK && totalOK {
		p.fieldErrors(validateHeader(h))
		p.headerOK = true
	}
	p.h = h
	return true
}

// fieldErrors reports a validation error's fields on the current line.
func (p *paymentParser) fieldErrors(err error) {
	if e, ok := err.(*errs.Error); ok {
		for _, fe := range e.Fields {
			p.add(p.line(), fe.Field, "%s", fe.Message)
		}
	}
}

func (p *paymentParser) payment() {
	p.lines.count++
	if !p.fieldCount("明细（D行）", 7) {
		p.lines.broken = true
		return
	}
	f := p.fields
	pay := Payment{Ref: f[2], Account: f[3], Name: f[4], Purpose: f[6]}
	p.seq(f[1])
	if p.amount(f[5], &pay.AmountFen) {
		p.fieldErrors(validatePayment(p.lines.count, pay))
	}
	if len(p.problems) == 0 {
		p.payments = append(p.payments, pay)
	}
}

func (p *paymentParser) trailer() {
	if !p.fieldCount("尾行（T行）", 4) {
		return
	}
	p.checkCount(p.line(), "尾行", p.fields[1], p.lines.count)
	p.checkTotal(p.line(), "尾行", p.fields[2], &p.lines)
	p.checkSum(p.fields[3])
}
