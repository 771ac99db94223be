package calc

import (
	"regexp"
	"testing"

	"gongshang/internal/errs"
)

var fenRe = regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)

// FuzzEvaluate feeds arbitrary requests to the calculator: it must never
// panic, every error must be an input error with a field, and every amount must be a
// non-negative yuan amount with exactly two decimals.
func FuzzEvaluate(f *testing.F) {
	for _, ex := range examples {
		f.Add([]byte(ex.req))
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"kind":"death","injury_date":"2025-03-10","death_date":"2025-03-12","region":"370800","wage_avg_12m":"9999999999999.99","in_paid_leave":true,"params":{"survivor_rate.cap":"0.000001","death_lump_sum_multiple":"999999"},"dependants":[{"relation":"grandchild","sex":"M","birth_date":"2030-01-01","parents_unable":true,"stop_event":"death","stop_date":"2031-01-01"}]}`))
	f.Add([]byte(`{"kind":"deadline","step":"worker_application","start":"2199-12-31","params":{"time_limit.worker_application":"30y"},"suspensions":[{"from":"2199-12-31","to":"2200-12-31"}]}`))
	f.Add([]byte(`{"kind":"disability","injury_date":"2025-03-10","region":"370800","wage_total":"1.00","contribution_months":7,"level":5,"care":"full","retired":true,"pension":"0.01","params":{"rounding":"yuan_half_up","min_wage":"0"}}`))
	set := mustSet(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		ans, err := Evaluate(set, raw)
		if err != nil {
			if k := errs.KindOf(err); k != errs.Invalid && k != errs.TooLarge {
				t.Fatalf("error is %T of kind %q, not an input error: %v", err, k, err)
			}
			if _, ok := errs.First(err); !ok && errs.KindOf(err) == errs.Invalid {
				t.Fatalf("invalid input without a field error: %v", err)
			}
			return
		}
		check(t, ans)
	})
}

func check(t *testing.T, ans any) {
	switch a := ans.(type) {
	case []any:
		for _, x := range a {
			check(t, x)
		}
	case *BenefitAnswer:
		for _, it := range a.Items {
			if !fenRe.MatchString(it.Amount) {
				t.Fatalf("amount %q of %s is negative or not in fen", it.Amount, it.Code)
			}
		}
	case *DeadlineAnswer:
		if len(a.Due) != 10 {
			t.Fatalf("due %q", a.Due)
		}
	default:
		t.Fatalf("unexpected answer %T", ans)
	}
}
