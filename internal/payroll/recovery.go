package payroll

// Overpayments (a death reported late, a decrease applied to paid months)
// are recovered (社会保险经办条例 Art. 46) by deduction from later payments
// or by a demand to the payee. A deduction never takes more than the
// region's share of the month's payment and never leaves less than the
// floor.

// RecoveryRules are the deduction's parameters.
type RecoveryRules struct {
	MaxShareBP int64 // at most this share of a payment (basis points)
	FloorFen   int64 // a payment is never reduced below this
}

// Deduction is what to take from a payment of gross fen toward a
// remaining debt.
func Deduction(gross, remaining int64, r RecoveryRules) int64 {
	if gross <= 0 || remaining <= 0 {
		return 0
	}
	d := gross * r.MaxShareBP / 10000
	if room := gross - r.FloorFen; d > room {
		d = room
	}
	if d > remaining {
		d = remaining
	}
	if d < 0 {
		return 0
	}
	return d
}

// Schedule is the plan of deductions for a debt against a monthly amount:
// the months it takes and the deduction each month (the last may be
// smaller). A debt no deduction can reduce has no schedule (months 0):
// it becomes a demand to the payee.
func Schedule(debt, monthly int64, r RecoveryRules) (months int, each int64) {
	each = Deduction(monthly, debt, r)
	if each <= 0 {
		return 0, 0
	}
	return int((debt + each - 1) / each), each
}

// Overpaid is what was paid for months after a stop took effect: the
// amounts of the paid months later than the event's month.
func Overpaid(eventDate string, paid map[Month]int64) int64 {
	em, ok := MonthOfDate(eventDate)
	if !ok {
		return 0
	}
	var sum int64
	for m, amt := range paid {
		if em.Before(m) {
			sum += amt
		}
	}
	return sum
}
