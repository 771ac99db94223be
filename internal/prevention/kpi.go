package prevention

import (
	"slices"
	"sort"
	"strings"
)

// The KPIs are computed from the recorded trainings, never typed in:
// sessions held, person-times (attendance rows), distinct people (by the
// ID number's hash), by industry, programme and month; each provincial
// target's progress (distinct people trained in the programme within the
// target's years, the share of the target and the date it was reached);
// the budget used; the average evaluation score. A cancelled or not yet
// held session counts for nothing, so cancelling one moves the figures.

// KPISession is a session as the KPIs need it.
type KPISession struct {
	ID        int64
	Region    string
	HeldOn    string // YYYY-MM-DD
	State     string
	Programme string
	Industry  string
	Score     *Score // nil: not evaluated
}

// KPIAttendance is one attendance row: its session and the person (the
// ID number's hash, as text).
type KPIAttendance struct {
	SessionID int64
	Person    string
}

// Target is a provincial target: people to train in a programme in a
// region over the years from..to.
type Target struct {
	ID        int64
	Region    string // the target's region: the city or a county
	Programme string
	YearFrom  int
	YearTo    int
	Target    int
	Source    string // the document setting it
}

// Count is one row of a breakdown.
type Count struct {
	Key         string
	Sessions    int
	PersonTimes int
	People      int
}

// TargetProgress is a target and how far the trainings got.
type TargetProgress struct {
	Target
	Trained   int    // distinct people
	SharePct  int64  // trained ÷ target in hundredths of a percent (27325 = 273.25 %)
	ReachedOn string // the date of the session that reached the target, "" until then
}

// KPI is the dashboard's figures.
type KPI struct {
	Sessions     int
	PersonTimes  int
	People       int
	ByRegion     []Count // key: the session's region code
	ByIndustry   []Count
	ByProgramme  []Count
	ByMonth      []Count // key YYYY-MM, in order
	Targets      []TargetProgress
	Evaluated    int
	AverageScore Score // over the evaluated sessions
	ApprovedFen  int64
	PaidFen      int64
}

// Counts reports whether a session counts in the KPIs: held or closed.
func Counts(state string) bool { return state == SessionHeld || state == SessionClosed }

// ComputeKPI computes the figures of the sessions and attendance given
// (the caller selects them by region and period) against the targets.
func ComputeKPI(sessions []KPISession, att []KPIAttendance, targets []Target) KPI {
	var k KPI
	byID := map[int64]KPISession{}
	for _, s := range sessions {
		if Counts(s.State) {
			byID[s.ID] = s
		}
	}
	people := map[string]bool{}
	reg, ind, prog, month := newBreakdown(), newBreakdown(), newBreakdown(), newBreakdown()
	var scoreSum Score
	for _, s := range sessions {
		if !Counts(s.State) {
			continue
		}
		k.Sessions++
		reg.session(s.Region)
		ind.session(orNone(s.Industry))
		prog.session(orNone(s.Programme))
		month.session(monthOf(s.HeldOn))
		if s.Score != nil {
			k.Evaluated++
			scoreSum += *s.Score
		}
	}
	for _, a := range att {
		s, ok := byID[a.SessionID]
		if !ok {
			continue
		}
		k.PersonTimes++
		people[a.Person] = true
		reg.person(s.Region, a.Person)
		ind.person(orNone(s.Industry), a.Person)
		prog.person(orNone(s.Programme), a.Person)
		month.person(monthOf(s.HeldOn), a.Person)
	}
	k.People = len(people)
	if k.Evaluated > 0 {
		k.AverageScore = (scoreSum + Score(k.Evaluated/2)) / Score(k.Evaluated)
	}
	k.ByRegion, k.ByIndustry, k.ByProgramme = reg.rows(false), ind.rows(false), prog.rows(false)
	k.ByMonth = month.rows(true)
	for _, t := range targets {
		k.Targets = append(k.Targets, progress(t, byID, att))
	}
	return k
}

// progress counts a target's distinct people in date order, noting the
// session at which the count reached the target.
func progress(t Target, byID map[int64]KPISession, att []KPIAttendance) TargetProgress {
	p := TargetProgress{Target: t}
	type hit struct {
		on     string
		id     int64
		person string
	}
	var hits []hit
	for _, a := range att {
		s, ok := byID[a.SessionID]
		if !ok || s.Programme != t.Programme || !strings.HasPrefix(s.Region, regionPrefix(t.Region)) || len(s.HeldOn) < 4 {
			continue
		}
		if y := atoi(s.HeldOn[:4]); y < t.YearFrom || y > t.YearTo {
			continue
		}
		hits = append(hits, hit{s.HeldOn, s.ID, a.Person})
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := strings.Compare(a.on, b.on); c != 0 {
			return c
		}
		return int(a.id - b.id)
	})
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.person] {
			continue
		}
		seen[h.person] = true
		if len(seen) == t.Target && t.Target > 0 {
			p.ReachedOn = h.on
		}
	}
	p.Trained = len(seen)
	if t.Target > 0 {
		p.SharePct = (int64(p.Trained)*100000/int64(t.Target) + 5) / 10
	}
	return p
}

// regionPrefix is a region code without its trailing zero pairs
// (370800 → 3708): the codes it covers start with it.
func regionPrefix(code string) string {
	for len(code) > 2 && strings.HasSuffix(code, "00") {
		code = code[:len(code)-2]
	}
	return code
}

func orNone(s string) string {
	if s == "" {
		return "（未填）"
	}
	return s
}

func monthOf(date string) string {
	if len(date) >= 7 {
		return date[:7]
	}
	return date
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

type breakdown struct {
	counts map[string]*Count
	people map[string]map[string]bool
}

func newBreakdown() *breakdown {
	return &breakdown{counts: map[string]*Count{}, people: map[string]map[string]bool{}}
}

func (b *breakdown) get(key string) *Count {
	c, ok := b.counts[key]
	if !ok {
		c = &Count{Key: key}
		b.counts[key] = c
		b.people[key] = map[string]bool{}
	}
	return c
}

func (b *breakdown) session(key string) { b.get(key).Sessions++ }

func (b *breakdown) person(key, person string) {
	c := b.get(key)
	c.PersonTimes++
	b.people[key][person] = true
	c.People = len(b.people[key])
}

// rows lists the breakdown by key (byKey) or by person-times, most first.
func (b *breakdown) rows(byKey bool) []Count {
	out := make([]Count, 0, len(b.counts))
	for _, c := range b.counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if !byKey && out[i].PersonTimes != out[j].PersonTimes {
			return out[i].PersonTimes > out[j].PersonTimes
		}
		return out[i].Key < out[j].Key
	})
	return out
}
