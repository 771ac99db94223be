package bankfile

import (
	"errors"
	"fmt"
	"io"

	"gongshang/internal/errs"
)

// Header is a payment file's first line: one cycle of a pooling region, one
// bank. A return file's header has Batch, Region, Month, BankCode, Count
// and TotalFen.
type Header struct {
	Batch     string // given by the caller, opaque: "370800-2026-11-ICBC-1"
	Region    string // six-digit region code of the pooling region
	Month     string // the payroll month, YYYY-MM
	BankCode  string
	BankName  string
	PayerName string // the paying agency
	Created   string // YYYY-MM-DD, fixed once per batch: the file's bytes depend on it
	Count     int    // payments in the file, 1..999999
	TotalFen  int64  // their sum
}

// Payment is one D line: one payroll line paid to one account.
type Payment struct {
	Ref       string // the payroll line's reference, e.g. "L000123456"
	Account   string // digits
	Name      string // the account holder
	AmountFen int64  // > 0
	Purpose   string // e.g. "伤残津贴2026年11月"
}

// Writer streams a payment file: NewWriter writes the header, each Write
// one D line, Close the trailer. It keeps no copy of the file (the
// checksum is computed as the lines go out) and allocates nothing per
// payment. The same header and payments in the same order give the same
// bytes.
type Writer struct {
	lw     *lineWriter
	h      Header
	n      int   // payments written
	total  int64 // their sum
	closed bool
}

var errClosed = errors.New("bankfile: payment file already closed")

// NewWriter validates h and writes the header line to w. Count and
// TotalFen must be known up front; Close checks the payments add up to
// them.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if err := validateHeader(h); err != nil {
		return nil, err
	}
	lw := newLineWriter(w)
	lw.start('H')
	for _, s := range []string{"GSPAY", "1", h.Batch, h.Region, h.Month, h.BankCode, h.BankName, h.PayerName} {
		lw.text(s)
	}
	lw.count(h.Count)
	lw.yuan(h.TotalFen)
	lw.text(h.Created)
	if err := lw.end(); err != nil {
		return nil, fmt.Errorf("bankfile: write payment file: %w", err)
	}
	return &Writer{lw: lw, h: h}, nil
}

// Write validates p and writes it as the next D line. An invalid payment
// (an *errs.Error naming the field and the seq) writes nothing, and the
// next Write may go on; a write error is final.
func (w *Writer) Write(p Payment) error {
	if w.closed {
		return errClosed
	}
	if w.lw.err != nil {
		return fmt.Errorf("bankfile: write payment file: %w", w.lw.err)
	}
	seq := w.n + 1
	if seq > w.h.Count {
		return errs.Field("count", "too_many", "序号%06d：付款笔数超过文件头的%d笔", seq, w.h.Count)
	}
	if err := validatePayment(seq, p); err != nil {
		return err
	}
	if p.AmountFen > w.h.TotalFen-w.total {
		return errs.Field("amount", "over_total", "序号%06d：累计金额将超过文件头合计%s元", seq, FormatYuan(w.h.TotalFen))
	}
	lw := w.lw
	lw.start('D')
	lw.seq(seq)
	lw.text(p.Ref)
	lw.text(p.Account)
	lw.text(p.Name)
	lw.yuan(p.AmountFen)
	lw.text(p.Purpose)
	if err := lw.end(); err != nil {
		return fmt.Errorf("bankfile: write payment file: %w", err)
	}
	w.n, w.total = seq, w.total+p.AmountFen
	return nil
}

// Close writes the trailer with the checksum and flushes. If the payments
// written differ from the header's Count or TotalFen it writes no trailer
// (the file is incomplete and every reader refuses it) and says so.
func (w *Writer) Close() error {
	if w.closed {
		return errClosed
	}
	w.closed = true
	var err error
	switch {
	case w.n != w.h.Count:
		err = errs.Field("count", "count_mismatch", "写入%d笔付款，与文件头的%d笔不符", w.n, w.h.Count)
	case w.total != w.h.TotalFen:
		err = errs.Field("total", "total_mismatch", "写入付款合计%s元，与文件头合计%s元不符", FormatYuan(w.total), FormatYuan(w.h.TotalFen))
	}
	if err != nil {
		w.lw.flush()
		return err
	}
	if err := w.lw.trailer(w.n, w.total); err != nil {
		return fmt.Errorf("bankfile: write payment file: %w", err)
	}
	return nil
}

// validateHeader checks every header field, each problem named.
func validateHeader(h Header) error {
	var fs errs.Fields
	text := func(field, label, v string) {
		if code, msg := textProblem(label, v); code != "" {
			fs.Add(field, code, "文件头：%s", msg)
		}
	}
	text("batch", "批次号", h.Batch)
	if len(h.Region) != 6 || !allDigits(h.Region) {
		fs.Add("region", "region", "文件头：统筹区代码%s应为6位数字", quote(h.Region))
	}
	if !validMonth(h.Month) {
		fs.Add("month", "month", "文件头：月份%s应为YYYY-MM", quote(h.Month))
	}
	text("bank_code", "银行代码", h.BankCode)
	text("bank_name", "银行名称", h.BankName)
	text("payer_name", "付款单位名称", h.PayerName)
	if !validDate(h.Created) {
		fs.Add("created", "date", "文件头：制盘日期%s应为YYYY-MM-DD", quote(h.Created))
	}
	if h.Count < 1 || h.Count > maxCount {
		fs.Add("count", "range", "文件头：笔数%d应在1到%d之间", h.Count, maxCount)
	}
	if h.TotalFen < 1 || h.TotalFen > maxFen {
		fs.Add("total", "range", "文件头：合计金额%s元应大于0且不超过%s元", FormatYuan(h.TotalFen), FormatYuan(maxFen))
	}
	return fs.Err()
}

// validatePayment checks one payment; messages name the seq. It allocates
// only when it finds a problem.
func validatePayment(seq int, p Payment) error {
	var fs errs.Fields
	text := func(field, label, v string) {
		if code, msg := textProblem(label, v); code != "" {
			fs.Add(field, code, "序号%06d：%s", seq, msg)
		}
	}
	text("ref", "业务编号", p.Ref)
	if code, msg := accountProblem(p.Account); code != "" {
		fs.Add("account", code, "序号%06d：%s", seq, msg)
	}
	text("name", "户名", p.Name)
	if p.AmountFen < 1 || p.AmountFen > maxFen {
		fs.Add("amount", "range", "序号%06d：金额%s元应大于0且不超过%s元", seq, FormatYuan(p.AmountFen), FormatYuan(maxFen))
	}
	text("purpose", "用途", p.Purpose)
	return fs.Err()
}
