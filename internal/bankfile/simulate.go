package bankfile

import (
	"bytes"

	"gongshang/internal/errs"
)

// SimulateReturn is the test bank: it reads a payment file and answers
// every payment in order, S for paid, F with (code, reason) for those fail
// names (fail may be nil: all paid). The answer is a valid return file of
// the same batch.
func SimulateReturn(payment []byte, fail func(Payment) (code, reason string, failed bool)) ([]byte, error) {
	h, pays, err := ParsePayment(bytes.NewReader(payment))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	lw := newLineWriter(&out)
	lw.start('H')
	for _, s := range []string{"GSRET", "1", h.Batch, h.Region, h.Month, h.BankCode} {
		lw.text(s)
	}
	lw.count(h.Count)
	lw.yuan(h.TotalFen)
	lw.end()
	for i, p := range pays {
		status, code, reason, failed := "S", "", "", false
		if fail != nil {
			code, reason, failed = fail(p)
		}
		if failed {
			if err := checkReason(i+1, code, reason); err != nil {
				return nil, err
			}
			status = "F"
		} else {
			code, reason = "", ""
		}
		lw.start('R')
		lw.seq(i + 1)
		lw.text(p.Ref)
		lw.text(p.Account)
		lw.yuan(p.AmountFen)
		lw.text(status)
		lw.text(code)
		lw.text(reason)
		lw.end()
	}
	if err := lw.trailer(len(pays), h.TotalFen); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// checkReason checks a failure's code (required) and reason (optional).
func checkReason(seq int, code, reason string) error {
	if c, msg := textProblem("失败原因代码", code); c != "" {
		return errs.Field("code", c, "序号%06d：%s", seq, msg)
	}
	if reason == "" {
		return nil
	}
	if c, msg := textProblem("失败原因说明", reason); c != "" {
		return errs.Field("reason", c, "序号%06d：%s", seq, msg)
	}
	return nil
}
