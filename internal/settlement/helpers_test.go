package settlement

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gongshang/internal/catalogue"
	"gongshang/internal/errs"
)

// at parses a China Standard Time wall clock "2006-01-02 15:04".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, CST)
	if err != nil {
		panic(err)
	}
	return t
}

// row is a covered catalogue row of the pooling region 370800, valid from
// 2024-01-01, with a 三级 ceiling only.
func row(code, name string, cat catalogue.Category, ceiling int64) catalogue.Entry {
	return catalogue.Entry{Region: "370800", Code: code, Name: name, Category: cat,
		Prices: [catalogue.Levels]int64{0, 0, ceiling}, Covered: true, ValidFrom: "2024-01-01"}
}

// fee is a line of whole units at price fen.
func fee(sn, code, when string, units, price int64) *Line {
	return &Line{SN: sn, Code: code, FeeTime: at(when), Qty: units * QtyScale, Price: price, Amount: units * price, Doctor: "D01"}
}

// pricing prices in 济宁 (370800) at a 三级 institution for a local worker.
func pricing(rows []catalogue.Entry, bundles []catalogue.Bundle) Pricing {
	return Pricing{Book: catalogue.NewBook(rows, bundles), Level: 3, TreatRegion: "370800", InsuredRegion: "370800"}
}

// stay is an inpatient encounter from begin to end ("" open).
func stay(begin, end string) *Encounter {
	e := &Encounter{MedType: Inpatient, Begin: at(begin), State: Open}
	if end != "" {
		t := at(end)
		e.End = &t
	}
	return e
}

// evaluate prices the lines and runs the rules.
func evaluate(t *testing.T, c Check) (Result, Totals) {
	t.Helper()
	for _, l := range c.Lines {
		c.Pricing.Price(l)
	}
	r := Evaluate(c)
	return r, Sum(c.Lines, r)
}

// findingsOf returns the findings of one rule.
func findingsOf(r Result, ruleID string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.RuleID == ruleID {
			out = append(out, f)
		}
	}
	return out
}

// wantPayable checks the fund's share of each line.
func wantPayable(t *testing.T, r Result, want map[string]int64) {
	t.Helper()
	for sn, w := range want {
		if got := r.Payable[sn]; got != w {
			t.Errorf("payable[%s] = %d, want %d", sn, got, w)
		}
	}
}

// fieldsOf lists the field names of a validation error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *errs.Error
	if !errors.As(err, &e) || e.Kind != errs.Invalid {
		t.Fatalf("error %v is not an invalid-input error", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func sameStrings(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}
