package auditsynth

import (
	"fmt"
	"sort"
	"strings"
)

// Text is a readable summary of a generation.
func (s Summary) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "extract %s\n", s.Dir)
	fmt.Fprintf(&b, "institutions %d (offenders %d), doctors %d, persons %d, injuries %d, catalogue rows %d, bundles %d\n",
		s.Institutions, s.Offenders, s.Doctors, s.Persons, s.Injuries, s.CatalogRows, s.Bundles)
	fmt.Fprintf(&b, "encounters %d, lines %d, purchases %d, attendance %d\n", s.Encounters, s.Lines, s.Purchases, s.Attendance)
	var total int64
	var files []string
	for f, n := range s.Bytes {
		files = append(files, f)
		total += n
	}
	sort.Strings(files)
	for _, f := range files {
		fmt.Fprintf(&b, "  %-22s %10.1f MB\n", f, float64(s.Bytes[f])/1e6)
	}
	fmt.Fprintf(&b, "  %-22s %10.1f MB\n", "total", float64(total)/1e6)
	b.WriteString("violation labels per category (rows, yuan):\n")
	for _, c := range Categories {
		fmt.Fprintf(&b, "  %-18s %6d %14s\n", c, s.Violations[c], fmtYuan(s.Amount[c]))
	}
	fmt.Fprintf(&b, "look-alike rows %d\nrows per pattern:\n", s.Lookalikes)
	for _, p := range patterns {
		if n := s.ByPattern[p.id]; n > 0 {
			fmt.Fprintf(&b, "  %-22s %-18s %-9s %6d\n", p.id, p.category, p.kind, n)
		}
	}
	return b.String()
}
