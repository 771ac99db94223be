package settlement

import (
	"fmt"

	"gongshang/internal/catalogue"
)

// Pricing is what a line is priced against: the catalogues, the
// institution's level and the two regions of the policy mix.
type Pricing struct {
	Book          *catalogue.Book
	Level         int    // the institution's level, 1–3 (0: priced as 三级)
	TreatRegion   string // pooling region of the institution
	InsuredRegion string // pooling region of the worker
}

// Regions gives the catalogue regions a category is looked up in, most
// specific first (his-interface.md § Remote treatment): medical fees follow
// the treating region (its city list, its province's, the national drug
// list); in the same province rehab items and devices follow the
// province's unified list; across provinces devices follow the insured
// province.
func (p Pricing) Regions(cat catalogue.Category) []string {
	treat := []string{p.TreatRegion, Province(p.TreatRegion)}
	switch cat {
	case catalogue.Drug:
		return append(treat, "000000")
	case catalogue.Rehab:
		return []string{Province(p.TreatRegion)}
	case catalogue.Device:
		if Province(p.TreatRegion) != Province(p.InsuredRegion) && p.InsuredRegion != "" {
			return []string{p.InsuredRegion, Province(p.InsuredRegion)}
		}
		return []string{Province(p.TreatRegion)}
	}
	return treat
}

// Entry finds the catalogue row that prices a line: the row of its code
// valid on the fee's day in the regions its category is read from. found
// reports whether the code is in the applicable catalogue at all.
func (p Pricing) Entry(code, day string) (catalogue.Entry, bool) {
	any, ok := p.Book.Find(code, day)
	if !ok {
		return catalogue.Entry{}, false
	}
	return p.Book.Find(code, day, p.Regions(any.Category)...)
}

// Price prices one line in place: in the catalogue and within the ceiling
// → inscp_scp_amt (paid in full by the fund); above the ceiling →
// overlmt_amt; not in the catalogue or not covered → fulamt_ownpay_amt.
func (p Pricing) Price(l *Line) {
	l.Priced = Priced{}
	e, ok := p.Entry(l.Code, Day(l.FeeTime))
	switch {
	case !ok:
		l.OwnPay, l.SelfpayPct, l.ItemLevel = l.Amount, 100, "03"
		l.Memo = "不在工伤保险目录内（" + Day(l.FeeTime) + "），基金不予支付"
		return
	case !e.Covered:
		l.Name, l.Category = e.Name, e.Category
		l.OwnPay, l.SelfpayPct, l.ItemLevel = l.Amount, 100, "03"
		l.Memo = "不属于工伤保险基金支付范围，基金不予支付"
		return
	}
	l.Name, l.Category, l.ItemLevel = e.Name, e.Category, "01"
	ceiling := e.Ceiling(p.Level)
	if e.Category == catalogue.Device && e.DeviceLimit > 0 && (ceiling == 0 || e.DeviceLimit < ceiling) {
		ceiling = e.DeviceLimit
	}
	l.Ceiling = ceiling
	l.InScope = l.Amount
	if ceiling > 0 {
		if allowed := Times(l.Qty, ceiling); l.Amount > allowed {
			l.OverLimit = l.Amount - allowed
			l.InScope = allowed
			l.Memo = fmt.Sprintf("单价超过限价%s元，超出部分%s元基金不予支付", Yuan(ceiling), Yuan(l.OverLimit))
		}
	}
}

// Yuan formats fen as yuan with two decimals.
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
